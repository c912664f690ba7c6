"""Every directory check against a real slapd (tests/hsa/region.ldif), judged as of 2026-06-01."""

import datetime
import os

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

import hsa_test_directory as hsa

from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.audit.directory import judge_directory
from ansible_collections.webcert.fleet.plugins.module_utils.hsa_ldap import read_provider

CATALOGUE = load_catalogue()

CLEAN_REGION = {
    "provider_hsa_id": "SE5565594230-A000", "provider_name": "Friskvården AB",
    "care_units": [{"hsa_id": "SE5565594230-A001", "clinic": "Vårdcentralen Frisk"}],
    "staff": [{"hsa_id": "SE5565594230-AP%02d" % n, "role": role, "care_unit_hsa_id": "SE5565594230-A001"}
              for n, role in ((1, "LAKARE"), (2, "TANDLAKARE"), (3, "LAKARE"), (5, "LAKARE"), (6, "BARNMORSKA"),
                              (7, "SJUKSKOTERSKA"), (8, "VARDADMINISTRATOR"), (9, "LAKARE"),
                              (10, "LAKARE"), (11, "TANDLAKARE"))],
    "registered_units": ["SE5565594230-A001"],
    "declared": {"inera_agreement": {"signed": True, "date": "2024-02-12", "reference": "INERA-2024-0173"}},
}

B = "SE5591234561-"
INJECTIONS = ["*", B + "BP03)(|(hsaIdentity=*", B + "BP0*", B + "BP03\\2a", B + "BP03)(objectClass=*"]
DEFECT_REGION = {
    "provider_hsa_id": B + "B000", "provider_name": "Bristkliniken AB",
    "care_units": [{"hsa_id": B + u, "clinic": "Klinik " + u} for u in
                   ("B001", "B002", "B003", "B004", "B005", "B006", "B007", "B008", "B011", "B012", "B404")]
    + [{"hsa_id": B + "B001)(hsaIdentity=*", "clinic": "Injektion"}],
    "staff": [{"hsa_id": B + p, "role": role, "care_unit_hsa_id": B + unit} for p, role, unit in (
        ("BP01", "LAKARE", "B001"), ("BP02", None, "B001"), ("BP03", None, "B001"), ("BP04", None, "B001"),
        ("BP05", None, "B001"), ("BP06", None, "B001"), ("BP07", None, "B002"), ("BP08", None, "B001"),
        ("BP09", "LAKARE", "B001"), ("BP10", "LAKARE", "B001"), ("BP11", "LAKARE", "B001"),
        ("BP12", None, "B002"))]
    + [{"hsa_id": i, "role": "LAKARE", "care_unit_hsa_id": B + "B001"} for i in INJECTIONS],
    "registered_units": [B + "B001", B + "B002"],
}


def audit(info, region, **overrides):
    """Read the region's provider from slapd and judge it; {(kind, id): subject} plus the raw data."""
    data = read_provider(hsa.options(info, **overrides), region["provider_hsa_id"],
                         [u["hsa_id"] for u in region["care_units"]], [p["hsa_id"] for p in region["staff"]])
    subjects = judge_directory(CATALOGUE, {}, data, region, now=hsa.AS_OF)
    return {(s["kind"], s["id"]): s for s in subjects}, data


def result(subjects, kind, subject_id, control_id):
    subject = subjects[(kind, subject_id)]
    return next(r for r in subject["results"] if r["control_id"] == control_id)


@pytest.fixture(scope="module")
def clean(hsa_directory):
    return audit(hsa_directory, CLEAN_REGION)


@pytest.fixture(scope="module")
def defects(hsa_directory):
    return audit(hsa_directory, DEFECT_REGION)


# --- the clean provider ------------------------------------------------------------------------

NOT_APPLICABLE_IN_CLEAN = {
    # AT doctor, medical student and EU/EES doctor: Webcert makes them doctors by befattningskod (with a
    # gruppförskrivarkod), so no licence is expected. A missing speciality passes (format judged when present).
    ("person", "SE5565594230-AP03"): {"HSA-PERSON-LICENCE"},
    ("person", "SE5565594230-AP05"): {"HSA-PERSON-LICENCE"},
    ("person", "SE5565594230-AP10"): {"HSA-PERSON-LICENCE"},
}
NOT_DOCTORS = ("SE5565594230-AP06", "SE5565594230-AP07", "SE5565594230-AP08")
DOCTOR_ONLY = {"HSA-PERSON-LICENCE", "HSA-PERSON-PRESCRIBER-CODE", "HSA-PERSON-SPECIALITY", "HSA-PERSON-TITLE"}


def test_clean_provider_passes_every_control(clean):
    subjects, data = clean
    assert data["errors"] == {}
    kinds = sorted(kind for kind, _unused in subjects)
    assert kinds == ["care_provider", "care_unit", "organisation"] + ["person"] * 10
    for key, subject in subjects.items():
        controls = {c["id"] for c in CATALOGUE.for_profile("inera-classic", subject["kind"])}
        assert {r["control_id"] for r in subject["results"]} == controls, key
        allowed_na = NOT_APPLICABLE_IN_CLEAN.get(key, set())
        if key[0] == "person" and key[1] in NOT_DOCTORS:
            allowed_na = DOCTOR_ONLY
        if key[0] == "care_unit":
            allowed_na = set()
        for res in subject["results"]:
            wanted = "not_applicable" if res["control_id"] in allowed_na else "passed"
            assert res["status"] == wanted, (key, res["control_id"], res["message"])


@pytest.mark.parametrize("person, role, rule", [
    ("AP01", "LAKARE", "1:"), ("AP02", "TANDLAKARE", "1:"), ("AP03", "LAKARE", "2: befattningskod (paTitleCode) 204010"),
    ("AP05", "LAKARE", "3: befattningskod 204090 with gruppförskrivarkod 9200007"), ("AP06", "BARNMORSKA", "4:"),
    ("AP07", "SJUKSKOTERSKA", "4:"), ("AP08", "VARDADMINISTRATOR", "5:"), ("AP09", "LAKARE", "1:"),
    ("AP10", "LAKARE", "3: befattningskod 203090 with gruppförskrivarkod 9300005"), ("AP11", "TANDLAKARE", "1:")])
def test_each_person_gets_the_webcert_role_and_the_rule(clean, person, role, rule):
    subjects, _unused = clean
    subject = subjects[("person", "SE5565594230-" + person)]
    assert subject["webcert_role"] == role
    assert subject["webcert_role_rule"].startswith(rule)
    details = result(subjects, "person", subject["id"], "HSA-PERSON-WEBCERT-ROLE")["details"]
    assert details["role"] == role and details["rule"].startswith(rule)


def test_whole_provider_read_with_few_searches(clean):
    _unused, data = clean
    # provider, its subtree, care units elsewhere; everyone else is already in the subtree
    assert data["searches"] <= 4
    assert len(data["persons"]) == 10 and len(data["commissions"]) == 1


@pytest.mark.parametrize("person, text", [
    ("AP09", "no speciality registered"),   # licensed doctor in ST
    ("AP11", "no speciality registered"),   # general dentist
    ("AP03", "no speciality registered"),   # AT doctor
])
def test_a_doctor_or_dentist_without_speciality_passes(clean, person, text):
    subjects, _unused = clean
    res = result(subjects, "person", "SE5565594230-" + person, "HSA-PERSON-SPECIALITY")
    assert res["status"] == "passed" and text in res["message"]


def test_an_eu_doctor_needs_no_licence_as_webcert_makes_them_lakare_by_title_code(clean):
    subjects, _unused = clean
    res = result(subjects, "person", "SE5565594230-AP10", "HSA-PERSON-LICENCE")
    assert res["status"] == "not_applicable" and "Läkare - inom EU" in res["message"]
    assert result(subjects, "person", "SE5565594230-AP10", "HSA-PERSON-PRESCRIBER-CODE")["status"] == "passed"


def test_several_workplace_codes_pass_with_a_note_that_ldap_has_no_order(clean):
    subjects, _unused = clean
    res = result(subjects, "care_unit", "SE5565594230-A001", "HSA-UNIT-WORKPLACE-CODE")
    assert res["status"] == "passed"
    assert "NOTE" in res["message"] and "no order" in res["details"]["note"]
    assert res["details"]["values"] == ["1301033", "1301034"]
    single = result(subjects, "care_unit", "SE5565594230-A001", "HSA-UNIT-MAIL")
    assert "NOTE" not in single["message"] and "note" not in (single["details"] or {})


# --- planted defects ---------------------------------------------------------------------------

DEFECTS = [
    # care units
    ("care_unit", "B001", "HSA-UNIT-MAIL", "failed", "has no e-mail address"),
    ("care_unit", "B001", "HSA-UNIT-WORKPLACE-CODE", "failed", "has no arbetsplatskod"),
    ("care_unit", "B001", "HSA-UNIT-COMMISSION", "passed", "valid commission"),
    ("care_unit", "B002", "HSA-UNIT-MAIL", "failed", "'inte en adress' is not a valid e-mail address"),
    ("care_unit", "B002", "HSA-UNIT-WORKPLACE-CODE", "failed", "'12AB34' does not match"),
    ("care_unit", "B002", "HSA-UNIT-COMMISSION", "failed", "purpose 'Statistik' is not 'Vård och behandling'"),
    ("care_unit", "B003", "HSA-UNIT-WORKPLACE-CODE", "failed", "Webcert's placeholder"),
    ("care_unit", "B003", "HSA-UNIT-COMMISSION", "failed", "no HSA-id"),
    ("care_unit", "B004", "HSA-UNIT-PROVIDER", "failed", "points to SE2321000016-E000, not to the region's provider"),
    ("care_unit", "B004", "HSA-UNIT-COMMISSION", "failed", "no purpose"),
    ("care_unit", "B005", "HSA-UNIT-PROVIDER", "failed", "does not point to a care provider"),
    ("care_unit", "B005", "HSA-UNIT-COMMISSION", "failed", "not active (open .. 2025-01-01)"),
    ("care_unit", "B006", "HSA-UNIT-ACTIVE", "failed", "not active on 2026-06-01 (open .. 2026-01-01)"),
    ("care_unit", "B006", "HSA-UNIT-COMMISSION", "failed", "has no commission"),
    ("care_unit", "B007", "HSA-UNIT-ACTIVE", "failed", "(2027-01-01 .. open)"),
    ("care_unit", "B008", "HSA-UNIT-SUBUNITS", "failed", "SE5591234561-B082 is not active"),
    ("care_unit", "B008", "HSA-UNIT-SUBUNITS", "failed", "SE5591234561-B404 is not in HSA"),
    ("care_unit", "B008", "HSA-UNIT-SUBUNITS", "failed", "'felaktigt-id' does not match"),
    ("care_unit", "B008", "HSA-UNIT-SUBUNITS", "failed", "SE5591234561-B001 is itself a care unit"),
    ("care_unit", "B011", "HSA-UNIT-FOUND", "passed", "found"),
    ("care_unit", "B011", "HSA-UNIT-MARKED", "failed", "no care unit lists it as a member"),
    ("care_unit", "B404", "HSA-UNIT-FOUND", "failed", "was not found in HSA"),
    ("care_unit", "B404", "HSA-UNIT-MAIL", "not_reviewed", "was not found in HSA"),
    ("care_unit", "B001)(hsaIdentity=*", "HSA-UNIT-HSA-ID", "failed", "it was not looked up"),
    ("care_unit", "B001)(hsaIdentity=*", "HSA-UNIT-FOUND", "not_reviewed", "not looked up"),
    # persons
    ("person", "BP01", "HSA-PERSON-FOUND", "failed", "was not found in HSA"),
    ("person", "BP02", "HSA-PERSON-SURNAME", "failed", "has no surname"),
    ("person", "BP02", "HSA-PERSON-COMMISSION", "passed", "valid"),
    ("person", "BP03", "HSA-PERSON-COMMISSION", "failed", "not a member (hsaCommissionMember) of any commission"),
    ("person", "BP04", "HSA-PERSON-COMMISSION", "failed", "membership not active (2020-01-01 .. 2025-12-09)"),
    ("person", "BP05", "HSA-PERSON-COMMISSION", "failed", "membership not active (2027-01-01 .. open)"),
    ("person", "BP06", "HSA-PERSON-COMMISSION", "failed", "'31/12/2020' is not a date in a known format"),
    ("person", "BP07", "HSA-PERSON-COMMISSION", "failed", "purpose 'Statistik'"),
    ("person", "BP08", "HSA-PERSON-COMMISSION", "passed", "valid"),
    ("person", "BP08", "HSA-PERSON-COMMISSION-EXPIRY", "failed", "ends 2026-06-15"),
    ("person", "BP02", "HSA-PERSON-COMMISSION-EXPIRY", "passed", "no valid commission ends within 30 days"),
    ("person", "BP09", "HSA-PERSON-WEBCERT-ROLE", "failed", "lists the person as LAKARE, but Webcert will give SJUKSKOTERSKA"),
    ("person", "BP09", "HSA-PERSON-LICENCE", "failed", "(has Sjuksköterska)"),
    ("person", "BP09", "HSA-PERSON-PRESCRIBER-CODE", "failed", "no förskrivarkod"),
    ("person", "BP09", "HSA-PERSON-SPECIALITY", "passed", "no speciality registered"),
    ("care_unit", "B012", "HSA-UNIT-ACTIVE", "failed", "not active on 2026-06-01 (open .. 2026-06-01)"),
    ("person", "BP09", "HSA-PERSON-TITLE", "failed", "no befattningskod"),
    ("person", "BP10", "HSA-PERSON-PRESCRIBER-CODE", "failed", "förskrivarkod '12345'"),
    ("person", "BP10", "HSA-PERSON-SPECIALITY", "failed", "'Allmänmedicin' is not"),
    ("person", "BP10", "HSA-PERSON-TITLE", "failed", "'20101' is not 6 digits"),
    ("person", "BP11", "HSA-PERSON-TITLE", "failed", "do not come as a pair (1 codes, 0 names)"),
    ("person", "BP11", "HSA-PERSON-PRESCRIBER-CODE", "passed", "gruppförskrivarkod 9100009"),
    ("person", "BP12", "HSA-PERSON-COMMISSION", "failed", "no valid commission on care unit SE5591234561-B002"),
    ("person", "BP12", "HSA-PERSON-LICENCE", "not_applicable", "neither a doctor nor a dentist"),
    # organisation
    ("organisation", "B000", "ORG-UNITS-REGISTERED", "failed", "SE5591234561-B003"),
]


@pytest.mark.parametrize("kind, subject, control, status, text", DEFECTS,
                         ids=["%s-%s-%s" % (d[0], d[1], d[2]) for d in DEFECTS])
def test_planted_defect_is_found(defects, kind, subject, control, status, text):
    subjects, _unused = defects
    res = result(subjects, kind, B + subject, control)
    assert res["status"] == status, res["message"]
    assert text in res["message"]


def test_organisation_lists_exactly_the_unregistered_care_units(defects):
    subjects, _unused = defects
    res = result(subjects, "organisation", B + "B000", "ORG-UNITS-REGISTERED")
    # B011 is in the inventory (as a clinic) and B404 is not in HSA: both still need registering.
    assert res["details"]["unregistered"] == sorted(B + u for u in ("B003", "B004", "B005", "B006", "B007",
                                                                    "B008", "B011", "B012", "B404"))


def test_the_agreement_with_inera_is_a_declared_fact_the_report_shows(clean, defects):
    subjects, _unused = clean
    res = result(subjects, "organisation", "SE5565594230-A000", "ORG-INERA-AGREEMENT")
    assert res["status"] == "passed" and "INERA-2024-0173" in res["message"]
    undeclared = result(defects[0], "organisation", B + "B000", "ORG-INERA-AGREEMENT")
    assert undeclared["status"] == "not_reviewed" and "webcert_inera_agreement" in undeclared["message"]


def test_no_registered_list_is_not_reviewed(hsa_directory):
    subjects, _unused = audit(hsa_directory, dict(CLEAN_REGION, registered_units=None))
    res = result(subjects, "organisation", "SE5565594230-A000", "ORG-UNITS-REGISTERED")
    assert res["status"] == "not_reviewed" and "webcert_hsa_registered_units" in res["message"]


@pytest.mark.parametrize("provider, control, status, text", [
    ("SE8112189876-C000", "HSA-PROVIDER-ORGNO", "failed", "personal identity number (personnummer)"),
    ("SE8112189876-C000", "HSA-PROVIDER-MARKED", "failed", "is not marked as a care provider"),
    ("SE5591234562-D000", "HSA-PROVIDER-ORGNO", "failed", "fails the Luhn check digit"),
    ("SE5591234562-D000", "HSA-PROVIDER-ACTIVE", "failed", "not active on 2026-06-01"),
    ("SE5591234562-D000", "HSA-PROVIDER-NAME", "passed", "Stängda Vården"),
    ("SE2321000016-E000", "HSA-PROVIDER-NAME", "failed", "has no name"),
    ("SE2321000016-E000", "HSA-PROVIDER-ORGNO", "failed", "orgNo is missing"),
    ("SE5591234561-X999", "HSA-PROVIDER-FOUND", "failed", "was not found in HSA"),
    ("SE5591234561-X999", "HSA-PROVIDER-ORGNO", "not_reviewed", "was not found"),
    ("SE123", "HSA-PROVIDER-HSA-ID", "failed", "does not match"),
    ("SE123", "HSA-PROVIDER-FOUND", "not_reviewed", "not looked up"),
])
def test_provider_defects(hsa_directory, provider, control, status, text):
    subjects, _unused = audit(hsa_directory, {"provider_hsa_id": provider, "care_units": [], "staff": [],
                                              "registered_units": []})
    res = result(subjects, "care_provider", provider, control)
    assert res["status"] == status, res["message"]
    assert text in res["message"]


def test_personal_number_finding_says_so_in_details(hsa_directory):
    subjects, _unused = audit(hsa_directory, {"provider_hsa_id": "SE8112189876-C000", "care_units": [], "staff": []})
    res = result(subjects, "care_provider", "SE8112189876-C000", "HSA-PROVIDER-ORGNO")
    assert res["details"] == {"personal_identity_number": True}


def test_one_hsa_id_on_two_entries_is_malformed_data_error(hsa_directory):
    subjects, data = audit(hsa_directory, {"provider_hsa_id": "SE2321000016-F000", "care_units": [], "staff": []})
    assert data["error_kinds"]["provider"] == "malformed"
    for subject in subjects.values():
        assert subject["status"] == "error"
        assert all(r["status"] == "error" and "is on 2 entries" in r["message"] for r in subject["results"])


def test_attribute_names_are_configurable(hsa_directory):
    # A region whose directory kept the unit e-mail in another attribute: rename, and the check follows.
    subjects, _unused = audit(hsa_directory, CLEAN_REGION, attribute_names={"mail": "description"})
    res = result(subjects, "care_unit", "SE5565594230-A001", "HSA-UNIT-MAIL")
    assert res["status"] == "failed" and "has no e-mail address" in res["message"]


# --- filter injection ------------------------------------------------------------------------------

def test_injected_hsa_ids_never_reach_a_filter(defects):
    subjects, _unused = defects
    for injected in INJECTIONS:
        assert result(subjects, "person", injected, "HSA-PERSON-HSA-ID")["status"] == "failed"
        assert result(subjects, "person", injected, "HSA-PERSON-FOUND")["status"] == "not_reviewed"


def test_escaping_holds_even_when_the_format_check_lets_everything_through(hsa_directory):
    from ansible_collections.webcert.fleet.plugins.module_utils.hsa_ldap import HsaDirectory, ProviderReader  # pylint: disable=import-outside-toplevel
    directory = HsaDirectory(hsa.options(hsa_directory))
    try:
        reader = ProviderReader(directory, "SE5565594230-A000", person_hsa_ids=INJECTIONS, hsa_id_pattern=r"^.*$")
        data = reader.read()
    finally:
        directory.close()
    assert data["errors"] == {}
    # Only the provider's own seven people: '*' and friends matched nobody instead of everybody.
    found = sorted(p["attributes"]["hsa_id"][0] for p in data["persons"])
    assert found == sorted("SE5565594230-AP%02d" % n for n in (1, 2, 3, 5, 6, 7, 8, 9, 10, 11))


def test_an_hsa_id_with_a_trailing_newline_never_reaches_a_filter(hsa_directory):
    from ansible_collections.webcert.fleet.plugins.module_utils.hsa_ldap import HsaDirectory, ProviderReader  # pylint: disable=import-outside-toplevel

    class RecordingDirectory(HsaDirectory):
        """The real directory, remembering every filter it sent."""
        filters = []

        def search(self, base, search_filter):
            self.filters.append(search_filter)
            return super().search(base, search_filter)

    unit, person = "SE5565594230-A001\n", "SE5565594230-AP01\n"
    directory = RecordingDirectory(hsa.options(hsa_directory))
    try:
        data = ProviderReader(directory, "SE5565594230-A000\n", [unit], [person]).read()
    finally:
        directory.close()
    assert data["errors"] == {} and data["provider"] is None
    assert not [f for f in RecordingDirectory.filters if "\n" in f or "\\0a" in f.lower()]
    region = {"provider_hsa_id": "SE5565594230-A000\n", "care_units": [{"hsa_id": unit}],
              "staff": [{"hsa_id": person, "care_unit_hsa_id": unit}], "registered_units": [unit]}
    subjects = {(s["kind"], s["id"]): s for s in judge_directory(CATALOGUE, {}, data, region, now=hsa.AS_OF)}
    for kind, subject_id, prefix in (("care_provider", region["provider_hsa_id"], "HSA-PROVIDER"),
                                     ("care_unit", unit, "HSA-UNIT"), ("person", person, "HSA-PERSON")):
        assert result(subjects, kind, subject_id, prefix + "-HSA-ID")["status"] == "failed"
        assert result(subjects, kind, subject_id, prefix + "-FOUND")["status"] == "not_reviewed"


# --- a test environment's own HSA-id pattern -------------------------------------------------------

TSTNMT = "TSTNMT2321000156-"
TSTNMT_PATTERN = r"^TSTNMT\d{10}-[A-Za-z0-9]+$"


def test_an_overridden_hsa_id_pattern_is_used_for_every_hsa_id(hsa_directory_factory):
    """Provider, units, sub-units, commissions, members, persons and registered units all follow it."""
    info = hsa_directory_factory(ldif=os.path.join(hsa.HSA_DIR, "tstnmt.ldif"))
    region = {"provider_hsa_id": TSTNMT + "1000", "provider_name": "Testvården AB",
              "care_units": [{"hsa_id": TSTNMT + "1001", "clinic": "Vårdcentralen Test"}],
              "staff": [{"hsa_id": TSTNMT + "P001", "role": "LAKARE", "care_unit_hsa_id": TSTNMT + "1001"}],
              "registered_units": [TSTNMT + "1001"], "declared": CLEAN_REGION["declared"]}
    data = read_provider(hsa.options(info), region["provider_hsa_id"], [TSTNMT + "1001"], [TSTNMT + "P001"],
                         TSTNMT_PATTERN)
    assert data["errors"] == {}
    subjects = judge_directory(CATALOGUE, {"hsa_id_pattern": TSTNMT_PATTERN}, data, region, now=hsa.AS_OF)
    assert {(s["kind"], s["id"]) for s in subjects} == {
        ("care_provider", TSTNMT + "1000"), ("care_unit", TSTNMT + "1001"), ("person", TSTNMT + "P001"),
        ("organisation", TSTNMT + "1000")}
    for subject in subjects:
        bad = [(r["control_id"], r["status"], r["message"]) for r in subject["results"]
               if r["status"] not in ("passed", "not_applicable")]
        assert not bad, (subject["id"], bad)
    # With the default pattern the same ids are refused before any lookup.
    subjects = judge_directory(CATALOGUE, {}, data, region, now=hsa.AS_OF)
    unit = next(s for s in subjects if s["kind"] == "care_unit")
    assert {r["control_id"]: r["status"] for r in unit["results"]}["HSA-UNIT-HSA-ID"] == "failed"


@pytest.mark.parametrize("inclusive, wanted", [(None, "passed"), (True, "passed"), (False, "failed")])
def test_a_membership_ending_today_counts_today_unless_the_region_says_otherwise(hsa_directory, inclusive, wanted):
    # Ada AT's membership ends 2027-12-31 (a date only); it is noon on that day in Sweden.
    data = read_provider(hsa.options(hsa_directory), CLEAN_REGION["provider_hsa_id"],
                         [u["hsa_id"] for u in CLEAN_REGION["care_units"]], [p["hsa_id"] for p in CLEAN_REGION["staff"]])
    settings = {} if inclusive is None else {"hsa_end_date_inclusive": inclusive}
    noon = datetime.datetime(2027, 12, 31, 11, tzinfo=datetime.timezone.utc)
    subjects = {(s["kind"], s["id"]): s for s in judge_directory(CATALOGUE, settings, data, CLEAN_REGION, now=noon)}
    res = result(subjects, "person", "SE5565594230-AP03", "HSA-PERSON-COMMISSION")
    assert res["status"] == wanted, res["message"]
    if wanted == "failed":
        assert "membership not active (2024-01-01 .. 2027-12-31)" in res["message"]


def test_when_judging_breaks_every_directory_subject_says_so(hsa_directory):
    from ansible_collections.webcert.fleet.plugins.plugin_utils.audit.directory import error_subjects  # pylint: disable=import-outside-toplevel
    data = read_provider(hsa.options(hsa_directory), CLEAN_REGION["provider_hsa_id"])
    data["commissions"] = [{"dn": None}]  # data no reader produces: judging raises
    with pytest.raises(Exception) as raised:
        judge_directory(CATALOGUE, {}, data, CLEAN_REGION, now=hsa.AS_OF)
    message = "judging the directory failed: %s: %s" % (type(raised.value).__name__, raised.value)
    subjects = error_subjects(CATALOGUE, {}, CLEAN_REGION, None, message)
    keys = [(s["kind"], s["id"]) for s in subjects]
    assert keys == ([("care_provider", "SE5565594230-A000"), ("care_unit", "SE5565594230-A001")]
                    + [("person", p["hsa_id"]) for p in CLEAN_REGION["staff"]] + [("organisation", "SE5565594230-A000")])
    for subject in subjects:
        wanted = [c["id"] for c in CATALOGUE.for_profile("inera-classic", subject["kind"])]
        assert [r["control_id"] for r in subject["results"]] == wanted
        assert subject["status"] == "error" and {r["status"] for r in subject["results"]} == {"error"}
        assert subject["error"] == message
