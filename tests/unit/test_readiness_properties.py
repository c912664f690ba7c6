"""Rules of the readiness join that must hold for every input (hypothesis), on subjects built with the real
result model: the verdict follows from the results alone, the join is by HSA-id (any letter case, any subject
order), a PC without a signed-in user gives no verdict, and the HSA-id is read from any certificate subject."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.certificates import serial_number
from ansible_collections.webcert.fleet.plugins.plugin_utils.readiness.join import build_readiness
from ansible_collections.webcert.fleet.plugins.plugin_utils.results.model import STATUSES, make_result, make_subject

UNIT, PROVIDER, PERSON = "SE5591234561-1001", "SE5591234561-1000", "SE5591234561-P005"


def control(control_id, scope, impact, check_type):
    return {"id": control_id, "title": control_id, "requirements": ["REQ-X"], "scope": scope, "impact": impact,
            "remediation": "fix it", "check_type": check_type}


PC_CONTROLS = [control("WS-%d" % n, "workstation", impact, "registry_value")
               for n, impact in enumerate(("low", "medium", "high", "critical"))]
USER = [control("WS-USER-AUTH-CERT", "workstation", "high", "user_certificate"),
        control("WS-USER-SIGN-CERT", "workstation", "medium", "user_certificate")]
COMMISSION = control("HSA-PERSON-COMMISSION", "person", "critical", "hsa_person_commission")
FOUND = control("HSA-PROVIDER-FOUND", "care_provider", "critical", "hsa_entry_found")
CONTROLS = PC_CONTROLS + USER + [COMMISSION, FOUND]

results = st.lists(st.tuples(st.sampled_from(PC_CONTROLS), st.sampled_from(STATUSES), st.booleans(), st.booleans()),
                   max_size=8)


def directory(person_id=PERSON):
    provider = make_subject("care_provider", PROVIDER)
    provider["results"] = [make_result(FOUND, "passed")]
    unit = make_subject("care_unit", UNIT, clinic="Klinik", care_unit_hsa_id=UNIT)
    person = make_subject("person", person_id, "Eva Ek", clinic="Klinik", care_unit_hsa_id=UNIT,
                          expected_care_units=[{"care_unit_hsa_id": UNIT, "clinic": "Klinik", "role": None}])
    person["results"] = [make_result(COMMISSION, "passed", details={"purpose": "Vård och behandling", "commissions": [
        {"commission": "cn=VoB", "care_unit": UNIT, "problems": []}]})]
    return [provider, unit, person]


def workstation(host, found, holder=PERSON, user="EXK\\eva.ek"):
    pc = make_subject("workstation", host, clinic="Klinik", care_unit_hsa_id=UNIT, profile="inera-classic",
                      user_context=user)
    for item, status, waived, warned in found:
        result = make_result(item, status, message="%s is %s" % (item["id"], status),
                             warning="soon" if warned else None)
        if waived and status == "failed":
            result["waived"] = True
        pc["results"].append(result)
    pc["results"] += [make_result(c, "passed", details={"hsa_id": holder, "hsa_ids": [holder]}) for c in USER]
    return pc


@settings(max_examples=200, deadline=None)
@given(results)
def test_the_verdict_follows_from_the_pc_results_alone(found):
    readiness = build_readiness([workstation("pc1", found)] + directory(), CONTROLS)
    verdict, = readiness["pairs"]
    high = [(c, s, w) for c, s, w, _unused in found if c["impact"] in ("high", "critical")]
    blocking = {c["id"] for c, s, w in high if s == "failed" and not w}
    unread = {c["id"] for c, s, w in high if s in ("error", "not_reviewed")}
    assert {b["control_id"] for b in verdict["blockers"]} == blocking
    assert {u["control_id"] for u in verdict["unknown"]} == unread
    assert verdict["verdict"] == ("not_ready" if blocking else "unknown" if unread else "ready")
    # Nothing is dropped without a word: every lower failure, waiver and warning is shown as a warning.
    shown = {c["id"] for c, s, w, warned in found
             if (s == "failed" and (w or c["impact"] in ("low", "medium"))) or (s == "passed" and warned)}
    assert {w["control_id"] for w in verdict["warnings"]} == shown


@settings(max_examples=100, deadline=None)
@given(st.randoms(use_true_random=False), st.sampled_from([str.upper, str.lower, str.swapcase]))
def test_the_join_is_by_hsa_id_in_any_case_and_any_order(rng, case):
    subjects = [workstation("pc1", [], holder=case(PERSON)), workstation("pc2", [], user=None)] + directory()
    expected = build_readiness(subjects, CONTROLS)
    shuffled = list(subjects)
    rng.shuffle(shuffled)
    assert build_readiness(shuffled, CONTROLS) == expected
    verdict, = expected["pairs"]  # pc2 has no signed-in user: no verdict of its own
    assert (verdict["person_name"], verdict["verdict"]) == ("Eva Ek", "ready")
    assert expected["expected"] == []  # seen on a PC of the clinic


hsa_ids = st.from_regex(r"SE[0-9]{10}-[A-Za-z0-9]{1,12}", fullmatch=True)
names = st.text(st.characters(blacklist_characters=",=\"", blacklist_categories=("Cs", "Cc")), min_size=1,
                max_size=30).map(str.strip).filter(bool)


@settings(max_examples=300, deadline=None)
@given(hsa_ids, names, names, st.sampled_from(["SERIALNUMBER", "serialNumber", "OID.2.5.4.5"]), st.booleans())
def test_the_hsa_id_is_read_from_any_certificate_subject(hsa_id, name, organisation, attribute, serial_first):
    parts = ["CN=%s" % name, "%s=%s" % (attribute, hsa_id), "O=%s" % organisation, "C=SE"]
    if serial_first:
        parts.insert(0, parts.pop(1))
    assert serial_number(", ".join(parts)) == hsa_id
    assert serial_number(", ".join(p for p in parts if not p.startswith(attribute))) is None


def test_many_pcs_and_persons_give_one_verdict_per_signed_in_pc():
    rng = random.Random(3)
    people = ["SE5591234561-P%03d" % n for n in range(40)]
    subjects = directory(people[0])[:2]
    for person_id in people:
        subjects.append(directory(person_id)[2])
    pcs = [workstation("pc%03d" % n, [], holder=rng.choice(people), user=None if n % 3 else "EXK\\u%d" % n)
           for n in range(90)]
    readiness = build_readiness(subjects + pcs, CONTROLS)
    assert len(readiness["pairs"]) == 30
    seen = {p["person_hsa_id"] for p in readiness["pairs"]}
    assert {e["person_hsa_id"] for e in readiness["expected"]} == set(people) - seen
    assert all(e["pcs_total"] == 90 and e["pcs_ready"] == 90 for e in readiness["expected"])
