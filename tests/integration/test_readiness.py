"""Readiness per person and PC, end to end: the example region's HSA directory on a real slapd, workstations
judged from real evidence files by the real judges, the join and every format rendered from build_report.

The PC is tests/fixtures/evidence/win10-22h2-compliant.json (clean under inera-classic with the clinic's
Extended Security Updates) with a controller clock reading added and the signed-in user's SITHS certificates
replaced per test; the directory is inventories/example/files/hsa.ldif, judged on the evidence's day.
"""

import copy
import csv
import datetime
import io
import json
import os
import re
import subprocess
import sys

import pytest

import hsa_test_directory as hsa
from chromium_tools import chromium, write_page
from format_tools import xmllint

from ansible_collections.webcert.fleet.plugins.module_utils.hsa_ldap import read_provider
from ansible_collections.webcert.fleet.plugins.plugin_utils.audit.directory import judge_directory
from ansible_collections.webcert.fleet.plugins.plugin_utils.audit.workstation import audit_workstation
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.report import render_junit, render_readiness
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.write import build_report

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXAMPLE = os.path.join(REPO, "inventories", "example")
PC_FIXTURE = os.path.join(REPO, "tests", "fixtures", "evidence", "win10-22h2-compliant.json")
CATALOGUE = load_catalogue()
NOW = datetime.datetime(2026, 11, 24, 7, 30, tzinfo=datetime.timezone.utc)
AS_OF = "2026-11-24T08:30:00+01:00"
B = "SE5591234561-"
VCE, MO = B + "1001", B + "1002"
CLINICS = {VCE: "Vårdcentralen Exempel", MO: "Mottagning Öst"}
SETTINGS = {"windows10_esu": True, "evidence_max_age_days": 0}
REGION = {
    "provider_hsa_id": B + "1000", "provider_name": "Exempelkliniken AB",
    "care_units": [{"hsa_id": VCE, "clinic": CLINICS[VCE]}, {"hsa_id": MO, "clinic": CLINICS[MO]}],
    "staff": [{"hsa_id": B + p, "name": name, "role": role, "care_unit_hsa_id": unit, "clinic": CLINICS[unit]}
              for p, name, role, unit in (("P001", "Anna Andersson", "LAKARE", VCE), ("P002", "Bertil Berg", "LAKARE", VCE),
                                          ("P004", "David Dahl", "SJUKSKOTERSKA", VCE),
                                          ("P005", "Eva Ek", "VARDADMINISTRATOR", VCE),
                                          ("P001", "Anna Andersson", "LAKARE", MO),
                                          ("P003", "Cecilia Carlsson", "LAKARE", MO))],
    "registered_units": None,
}
SITHS = "CN=SITHS e-id Person HSA-id 3 CA v1, O=Inera AB, C=SE"


def certificate(hsa_id, purpose, not_after="2028-05-31T21:59:59Z", name="Eva Ek", issuer=SITHS):
    usage = ["NonRepudiation"] if purpose == "signing" else ["DigitalSignature", "KeyEncipherment"]
    return {"thumbprint": ("%040X" % abs(hash((hsa_id, purpose, not_after, issuer))))[:40],
            "subject": "CN=%s, SERIALNUMBER=%s, O=Exempelkliniken AB, C=SE" % (name, hsa_id), "issuer": issuer,
            "not_before": "2024-05-31T22:00:00Z", "not_after": not_after, "key_usage": usage,
            "enhanced_key_usage": [], "has_private_key": True}


def both(hsa_id, **extra):
    return [certificate(hsa_id, "authentication", **extra), certificate(hsa_id, "signing", **extra)]


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    state = tmp_path_factory.mktemp("readiness-hsa") / "state"
    info = hsa.start(os.path.join(EXAMPLE, "files", "hsa.ldif"), state)
    try:
        data = read_provider(hsa.options(info), REGION["provider_hsa_id"], [u["hsa_id"] for u in REGION["care_units"]],
                             sorted({p["hsa_id"] for p in REGION["staff"]}))
    finally:
        hsa.stop(state)
    return data


def pc(tmp_path, host, certificates, unit=VCE, profile="inera-classic", change=None):
    """The workstation subject of `host`, judged from the compliant evidence with these user certificates."""
    with open(PC_FIXTURE, encoding="utf-8") as handle:
        evidence = json.load(handle)
    evidence["host"] = host
    evidence["clock"]["reference"] = {"source": "controller", "before": "2026-11-24T06:42:09.000Z",
                                      "after": "2026-11-24T06:42:10.000Z"}
    evidence["user_certificates"]["certificates"] = certificates
    if change:
        change(evidence)
    path = tmp_path / ("%s.json" % host)
    path.write_text(json.dumps(evidence), encoding="utf-8")
    return audit_workstation(CATALOGUE, host, {"profile": profile, "settings": SETTINGS, "evidence_file": str(path),
                                               "as_of": AS_OF, "clinic": CLINICS[unit], "care_unit_hsa_id": unit}, None)


def report_of(directory, workstations, data="read"):
    subjects = judge_directory(CATALOGUE, {}, directory if data == "read" else None, REGION, now=NOW)
    run = {"id": "20261124T073000.000Z-abc123", "started_at": AS_OF, "finished_at": AS_OF,
           "inventory": "inventories/example", "mode": "audit", "care_provider_hsa_id": REGION["provider_hsa_id"]}
    # validate=True: report.json with its readiness section must follow schemas/report.schema.json.
    return build_report(run, CATALOGUE, workstations + subjects, [], validate=True)


def pair(report, host, hsa_id=None):
    found = [p for p in report["readiness"]["pairs"] if p["workstation"] == host
             and (hsa_id is None or p["person_hsa_id"] == hsa_id)]
    assert len(found) == 1, found
    return found[0]


def controls_of(items):
    return [i["control_id"] for i in items]


def test_a_person_with_everything_in_order_is_ready(tmp_path, directory):
    report = report_of(directory, [pc(tmp_path, "ws-eva", both(B + "P005"))])
    verdict = pair(report, "ws-eva")
    assert (verdict["verdict"], verdict["person_name"], verdict["role"]) == ("ready", "Eva Ek", "VARDADMINISTRATOR")
    assert verdict["blockers"] == [] and verdict["unknown"] == []
    assert report["readiness"]["by_clinic"][CLINICS[VCE]]["pairs"] == {"ready": 1, "not_ready": 0, "unknown": 0}


def test_warnings_are_shown_but_do_not_block(tmp_path, directory):
    # David Dahl's commission ends 2026-12-15 (within 30 days); his signing certificate ends in 5 days.
    certificates = [certificate(B + "P004", "authentication", name="David Dahl"),
                    certificate(B + "P004", "signing", "2026-11-29T22:59:59Z", name="David Dahl")]
    verdict = pair(report_of(directory, [pc(tmp_path, "ws-david", certificates)]), "ws-david")
    assert verdict["verdict"] == "ready"
    texts = [w["message"] for w in verdict["warnings"]]
    assert "David Dahl's signing certificate expires in 5 days (2026-11-29)" in texts
    assert any("ends 2026-12-15" in t for t in texts), texts


@pytest.mark.parametrize("change, control", [
    (lambda e: e["registry"]["HKLM:\\SOFTWARE\\Policies\\Microsoft\\Edge"]["values"].pop(
        "InternetExplorerIntegrationLevel"), "WS-EDGE-IEMODE"),
    (lambda e: e.__setitem__("card_readers", []), "WS-CARD-READERS"),
    (lambda e: [p.__setitem__("version", "6.2.0.1") for p in e["products"] if p["name"].startswith("Net iD")],
     "WS-NETID-VERSION"),
], ids=["ie-mode", "no-reader", "card-client-too-old"])
def test_each_pc_blocker_names_its_control(tmp_path, directory, change, control):
    verdict = pair(report_of(directory, [pc(tmp_path, "ws-pc", both(B + "P005"), change=change)]), "ws-pc")
    assert verdict["verdict"] == "not_ready"
    assert control in controls_of(b for b in verdict["blockers"] if b["side"] == "pc"), verdict["blockers"]


@pytest.mark.parametrize("certificates, control, text", [
    ([certificate(B + "P005", "authentication", "2026-10-31T22:59:59Z"), certificate(B + "P005", "signing")],
     "WS-USER-AUTH-CERT", "expired"),
    ([certificate(B + "P005", "authentication")], "WS-USER-SIGN-CERT", "no SITHS signing certificate"),
    ([certificate(B + "P005", "authentication"),
      certificate(B + "P005", "signing", issuer="CN=Some Other CA, O=Elsewhere, C=SE")],
     "WS-USER-SIGN-CERT", "no SITHS signing certificate"),
], ids=["expired-authentication", "no-signing", "signing-not-under-siths"])
def test_each_certificate_blocker(tmp_path, directory, certificates, control, text):
    verdict = pair(report_of(directory, [pc(tmp_path, "ws-cert", certificates)]), "ws-cert")
    assert verdict["verdict"] == "not_ready"
    blockers = [b for b in verdict["blockers"] if b["side"] == "certificates"]
    assert controls_of(blockers) == [control] and text in blockers[0]["message"]


def test_hsa_blockers_commission_role_and_licence(tmp_path, directory):
    # Bertil Berg's membership ended 2025-01-01; Cecilia Carlsson is listed as a doctor but HSA makes her a
    # care administrator, without a licence, on Mottagning Öst.
    report = report_of(directory, [pc(tmp_path, "ws-bertil", both(B + "P002", name="Bertil Berg")),
                                   pc(tmp_path, "ws-cecilia", both(B + "P003", name="Cecilia Carlsson"), unit=MO)])
    bertil = pair(report, "ws-bertil")
    assert bertil["verdict"] == "not_ready"
    assert controls_of(bertil["blockers"]) == ["HSA-PERSON-COMMISSION"]
    assert "membership not active" in bertil["blockers"][0]["message"]
    cecilia = [b["message"] for b in pair(report, "ws-cecilia")["blockers"]]
    assert "the clinic lists the person as LAKARE, but Webcert will give VARDADMINISTRATOR" in " ".join(cecilia)
    assert any("no licensed profession" in m for m in cecilia)


def test_a_commission_on_another_unit_of_the_provider_is_not_ready_and_names_that_unit(tmp_path, directory):
    # David Dahl's only commission is on Vårdcentralen Exempel; here he signs in at Mottagning Öst.
    verdict = pair(report_of(directory, [pc(tmp_path, "ws-mo", both(B + "P004", name="David Dahl"), unit=MO)]), "ws-mo")
    assert verdict["verdict"] == "not_ready"
    commission = [b["message"] for b in verdict["blockers"] if b["control_id"] == "HSA-PERSON-COMMISSION"]
    assert commission and "on care unit %s (Mottagning Öst)" % MO in commission[0]
    assert "the person does have a valid commission on %s" % VCE in commission[0]


def test_a_certificate_of_another_provider_is_not_ready_without_any_lookup(tmp_path, directory):
    stranger = "SE2321000016-F00X"
    verdict = pair(report_of(directory, [pc(tmp_path, "ws-guest", both(stranger, name="Gäst Läkare"))]), "ws-guest")
    assert verdict["verdict"] == "not_ready" and verdict["person_name"] is None
    assert any(b["message"].startswith("%s is not a person of the audited care provider" % stranger)
               for b in verdict["blockers"])


def test_the_join_is_by_hsa_id_never_by_name(tmp_path, directory):
    # The certificate reads "Eva Ek" but carries Bertil Berg's HSA-id: the verdict is Bertil's.
    verdict = pair(report_of(directory, [pc(tmp_path, "ws-name", both(B + "P002", name="Eva Ek"))]), "ws-name")
    assert (verdict["person_hsa_id"], verdict["person_name"]) == (B + "P002", "Bertil Berg")
    assert verdict["verdict"] == "not_ready"


def test_unknown_when_the_directory_was_not_read_or_the_user_has_no_siths_certificate(tmp_path, directory):
    report = report_of(directory, [pc(tmp_path, "ws-eva", both(B + "P005"))], data=None)
    verdict = pair(report, "ws-eva")
    assert verdict["verdict"] == "unknown" and verdict["blockers"] == []
    assert any("HSA-PERSON-FOUND" == u["control_id"] and "not reviewed" in u["message"] for u in verdict["unknown"])
    # No SITHS certificate at all: nobody can log in there (not ready), and who it was cannot be told.
    nobody = pair(report_of(directory, [pc(tmp_path, "ws-nobody", [])]), "ws-nobody")
    assert nobody["verdict"] == "not_ready" and nobody["person_hsa_id"] is None
    assert controls_of(nobody["blockers"]) == ["WS-USER-AUTH-CERT", "WS-USER-SIGN-CERT"]
    assert any("the person's HSA-id cannot be read" in u["message"] for u in nobody["unknown"])


def test_profile_aware_and_the_classic_notice_applies(tmp_path, directory):
    report = report_of(directory, [pc(tmp_path, "ws-classic", both(B + "P005")),
                                   pc(tmp_path, "ws-2024", both(B + "P005"), profile="inera-2024")])
    classic, modern = pair(report, "ws-classic"), pair(report, "ws-2024")
    assert classic["verdict"] == "ready" and "A pass on this classic profile" in classic["notice"]
    assert modern["verdict"] == "not_ready" and modern["notice"] is None
    assert "WS-SITHS-EID-VERSION" in controls_of(modern["blockers"])  # the 2024 flow's own control


def test_expected_staff_never_seen_get_the_hsa_side_and_ready_pcs(tmp_path, directory):
    report = report_of(directory, [pc(tmp_path, "ws-eva", both(B + "P005")),
                                   pc(tmp_path, "ws-broken", both(B + "P005"),
                                      change=lambda e: e.__setitem__("card_readers", []))])
    expected = {(e["person_hsa_id"], e["care_unit_hsa_id"]): e for e in report["readiness"]["expected"]}
    assert (B + "P005", VCE) not in expected  # seen on a PC of the clinic
    david = expected[(B + "P004", VCE)]
    assert (david["verdict"], david["pcs_ready"], david["pcs_total"]) == ("ready", 1, 2)
    anna = expected[(B + "P001", MO)]
    assert anna["verdict"] == "not_ready" and anna["pcs_total"] == 0
    assert report["readiness"]["by_clinic"][CLINICS[MO]]["expected"]["not_ready"] == 2


def test_formats_name_person_and_pc(tmp_path, directory):
    report = report_of(directory, [pc(tmp_path, "ws-eva", both(B + "P005")),
                                   pc(tmp_path, "ws-bertil", both(B + "P002", name="Bertil Berg"))])
    outputs = dict(render_readiness.render(report))
    rows = list(csv.DictReader(io.StringIO(outputs["readiness.csv"].lstrip("\ufeff"))))
    assert outputs["readiness.csv"].startswith("\ufeff") and "\r\n" in outputs["readiness.csv"]
    by_pc = {(r["workstation"], r["person_hsa_id"]): r for r in rows}
    assert by_pc[("ws-bertil", B + "P002")]["verdict"] == "not_ready"
    assert "HSA HSA-PERSON-COMMISSION" in by_pc[("ws-bertil", B + "P002")]["blockers"]
    assert by_pc[("ws-eva", B + "P005")]["verdict"] == "ready"
    fault = outputs["fault-reports/readiness/ws-bertil--%s.txt" % (B + "P002")]
    assert "HSA-id person:                       %s (Bertil Berg)" % (B + "P002") in fault
    assert "Dator (PC):                          ws-bertil" in fault and "HSA-PERSON-COMMISSION" in fault
    assert not any("ws-eva" in name for name in outputs)  # a ready pair needs no fault report
    (_unused, xml), = list(render_junit.render(report))
    target = tmp_path / "junit.xml"
    target.write_text(xml, encoding="utf-8")
    checked = xmllint(target)
    assert checked.returncode == 0, checked.stderr
    assert '<testsuite name="readiness" tests="2" failures="1"' in xml
    assert 'name="%s on ws-bertil"' % (B + "P002") in xml


def test_a_formula_in_a_reason_is_escaped_in_the_csv(tmp_path, directory):
    report = report_of(directory, [pc(tmp_path, "ws-eva", both(B + "P005"))])
    evil = copy.deepcopy(report)
    evil["readiness"]["pairs"][0]["person_name"] = "=HYPERLINK(\"x\")"
    rows = list(csv.reader(io.StringIO(dict(render_readiness.render(evil))["readiness.csv"].lstrip("\ufeff"))))
    assert rows[1][rows[0].index("person_name")] == "'=HYPERLINK(\"x\")"


def test_people_view_in_headless_chromium(tmp_path, directory):
    report = report_of(directory, [pc(tmp_path, "ws-eva", both(B + "P005")),
                                   pc(tmp_path, "ws-bertil", both(B + "P002", name="Bertil Berg"))])
    page = write_page(tmp_path, report, extra="<script>document.getElementById('p-verdict').value='not_ready';"
                      "document.getElementById('p-verdict').dispatchEvent(new Event('change'));</script>")
    dom = chromium(tmp_path, "file://%s" % page, "--dump-dom").stdout
    people = dom[dom.index('<section id="people">'):dom.index("</section>", dom.index('<section id="people">'))]
    assert "1 of 2 doctors cannot sign today" in people  # Bertil (seen) and Anna (listed, never seen)
    assert 'href="#text=ws-bertil&amp;control=WS-USER' not in people  # Bertil's certificates are fine
    assert 'href="#text=%s&amp;control=HSA-PERSON-COMMISSION"' % (B + "P002") in people
    # The filter ran in the browser: Eva's ready row is hidden, Bertil's shown.
    rows = {re.search(r'data-text="(\S+)', tag).group(1): tag for tag in re.findall(r'<tr class="person-row"[^>]*>', people)}
    assert "hidden" in rows[(B + "P005").lower()] and "hidden" not in rows[(B + "P002").lower()]
    # Per clinic: Vårdcentralen Exempel Eva, Bertil (blocked), Anna, David; Mottagning Öst Anna and Cecilia (blocked).
    assert re.search(r'href="#people"><div class="big" id="fig-people-blocked">3 of 6</div>', dom)
    assert '<table class="stack people">' in people  # the stacked-card tables the layout tests hold to 400 px


def test_the_self_check_script_answers_for_the_example_pc(tmp_path):
    """scripts/webcert-readiness on vce-ws03's evidence with the example inventory and its directory (slapd);
    exit 0 only when ready (vce-ws01 read live, Eva Ek signed in), 2 when something could not be read."""
    evidence = os.path.join(EXAMPLE, "files", "evidence")
    with open(os.path.join(evidence, "vce-ws01.json"), encoding="utf-8") as handle:
        live = json.load(handle)
    live["clock"]["reference"] = {"source": "controller", "before": live["clock"]["utc_now"],
                                  "after": live["clock"]["utc_now"]}
    live["user_certificates"]["certificates"] = both(B + "P005")
    ready_file = tmp_path / "vce-ws01.json"
    ready_file.write_text(json.dumps(live), encoding="utf-8")
    state = tmp_path / "state"
    info = hsa.start(os.path.join(EXAMPLE, "files", "hsa.ldif"), state, tls=True)
    try:
        env = dict(os.environ, WEBCERT_HSA_URI=info["uri"], WEBCERT_HSA_BIND_DN=info["bind_dn"],
                   WEBCERT_HSA_BIND_PASSWORD=info["password"], WEBCERT_HSA_CA_FILE=info["ca_file"])
        command = [sys.executable, os.path.join(REPO, "scripts", "webcert-readiness"), "-i", EXAMPLE, "--evidence",
                   os.path.join(evidence, "vce-ws03.json"), "--user-evidence", os.path.join(evidence, "vce-ws03.user.json")]
        done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=str(tmp_path), timeout=300,
                              check=False)
        other = subprocess.run(command + ["--hsa-id", B + "P005"], capture_output=True, text=True, env=env,
                               cwd=str(tmp_path), timeout=300, check=False)
        script = command[:2] + ["-i", EXAMPLE, "--evidence"]
        ready = subprocess.run(script + [str(ready_file)], capture_output=True, text=True, env=env,
                               cwd=str(tmp_path), timeout=300, check=False)
        unread = subprocess.run(script + [os.path.join(evidence, "vce-ws01.json"), "--hsa-id", B + "P005"],
                                capture_output=True, text=True, env=env, cwd=str(tmp_path), timeout=300, check=False)
    finally:
        hsa.stop(state)
    assert done.returncode == 1, done.stderr
    assert "Bertil Berg (%s) på vce-ws03 / on vce-ws03: INTE KLAR / NOT READY" % (B + "P002") in done.stdout
    for text in ("[Datorn/PC WS-CARD-READERS]", "[Certifikat/Certificate WS-USER-AUTH-CERT]",
                 "[HSA HSA-PERSON-COMMISSION]", "Bertil Berg's signing certificate expires in"):
        assert text in done.stdout
    assert other.returncode == 1 and "Eva Ek (%s) på vce-ws03" % (B + "P005") in other.stdout
    assert "certificates were not seen on this PC" in other.stdout
    assert ready.returncode == 0, ready.stdout + ready.stderr
    assert "Eva Ek (%s) på vce-ws01 / on vce-ws01: KLAR / READY" % (B + "P005") in ready.stdout
    # The file's clock was not compared with the controller's, and Eva's certificates were not seen there.
    assert unread.returncode == 2, unread.stdout + unread.stderr
    assert "OKÄNT / UNKNOWN" in unread.stdout and "WS-CLOCK-OFFSET" in unread.stdout
