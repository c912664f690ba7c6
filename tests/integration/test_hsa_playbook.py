"""Real ansible-playbook runs of the directory audit against slapd serving the example region's HSA data."""

import json
import os
import shutil
import socket
import subprocess
import sys

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

import hsa_test_directory as hsa

from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.write import validate_report
from ansible_cli import ansible_env, run_ansible

EXAMPLE_LDIF = os.path.join(REPO, "inventories", "example", "files", "hsa.ldif")
AS_OF = "2026-12-01"  # David Dahl's membership ends 2026-12-15: inside the 30-day window
DIRECTORY_KINDS = ("care_provider", "care_unit", "person", "organisation")


def run(playbook, inventory, reports, directory=None, uri=None, *extra):
    env = ansible_env()
    if directory:
        env.update(WEBCERT_HSA_URI=uri or directory["uri"], WEBCERT_HSA_BIND_DN=directory["bind_dn"],
                   WEBCERT_HSA_BIND_PASSWORD=directory["password"], WEBCERT_HSA_CA_FILE=directory["ca_file"] or "")
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
               os.path.join(REPO, "playbooks", playbook), "-i", str(inventory),
               "-e", "webcert_reports_dir=%s" % reports, "-e", "webcert_hsa_as_of=%s" % AS_OF, *extra]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with open(os.path.join(reports, "latest", "report.json"), encoding="utf-8") as handle:
        report = json.load(handle)
    validate_report(report)
    return done, report


def subjects_of(report):
    return {(s["kind"], s["id"]): s for s in report["subjects"]}


def status(report, kind, subject_id, control_id):
    subject = subjects_of(report)[(kind, subject_id)]
    return next(r for r in subject["results"] if r["control_id"] == control_id)


@pytest.fixture(scope="module")
def example_directory(tmp_path_factory):
    state = tmp_path_factory.mktemp("example-hsa") / "state"
    info = hsa.start(EXAMPLE_LDIF, state, tls=True)
    try:
        yield info
    finally:
        hsa.stop(state)


@pytest.fixture(scope="module")
def inventory(tmp_path_factory):
    target = tmp_path_factory.mktemp("inventory") / "example"
    shutil.copytree(os.path.join(REPO, "inventories", "example"), target)
    return target


@pytest.fixture(scope="module")
def hsa_run(example_directory, inventory, tmp_path_factory):
    reports = tmp_path_factory.mktemp("reports")
    done, report = run("hsa.yml", inventory, reports, example_directory)
    return {"done": done, "report": report, "reports": reports}


def test_hsa_playbook_reports_every_directory_subject_with_every_control(hsa_run):
    report = hsa_run["report"]
    catalogue = load_catalogue()
    keys = set(subjects_of(report))
    assert {k for k in keys if k[0] == "care_unit"} == {("care_unit", "SE5591234561-100%d" % n) for n in (1, 2, 4)}
    assert {k for k in keys if k[0] == "person"} == {("person", "SE5591234561-P00%d" % n) for n in range(1, 6)}
    assert ("care_provider", "SE5591234561-1000") in keys and ("organisation", "SE5591234561-1000") in keys
    assert not [k for k in keys if k[0] == "workstation"]
    for subject in report["subjects"]:
        wanted = [c["id"] for c in catalogue.for_profile("inera-classic", subject["kind"])]
        assert [r["control_id"] for r in subject["results"]] == wanted, subject["id"]
        assert subject["evidence_source"].startswith("ldap:ldaps://127.0.0.1:")


@pytest.mark.parametrize("kind, subject, control, wanted, text", [
    ("care_provider", "1000", "HSA-PROVIDER-ORGNO", "passed", "5591234561"),
    ("care_unit", "1001", "HSA-UNIT-MAIL", "passed", "vardcentralen@"),
    ("care_unit", "1001", "HSA-UNIT-SUBUNITS", "passed", "SE5591234561-1003"),
    ("care_unit", "1002", "HSA-UNIT-MAIL", "failed", "no e-mail address"),
    ("care_unit", "1002", "HSA-UNIT-WORKPLACE-CODE", "failed", "no arbetsplatskod"),
    ("care_unit", "1002", "HSA-UNIT-COMMISSION", "failed", "not active (open .. 2023-01-01)"),
    ("person", "P001", "HSA-PERSON-COMMISSION", "failed", "no valid commission on care unit SE5591234561-1002"),
    ("person", "P002", "HSA-PERSON-COMMISSION", "failed", "membership not active (2024-01-01 .. 2025-01-01)"),
    ("person", "P002", "HSA-PERSON-WEBCERT-ROLE", "passed", "rule 2: befattningskod (paTitleCode) 204010"),
    ("person", "P003", "HSA-PERSON-WEBCERT-ROLE", "failed", "lists the person as LAKARE, but Webcert will give VARDADMINISTRATOR"),
    ("person", "P004", "HSA-PERSON-COMMISSION-EXPIRY", "failed", "ends 2026-12-15"),
    ("person", "P005", "HSA-PERSON-COMMISSION", "passed", "valid"),
    ("organisation", "1000", "ORG-UNITS-REGISTERED", "failed", "SE5591234561-1004 (Mottagning Väst)"),
])
def test_example_region_findings(hsa_run, kind, subject, control, wanted, text):
    res = status(hsa_run["report"], kind, "SE5591234561-" + subject, control)
    assert res["status"] == wanted, res["message"]
    assert text in res["message"]


def test_persons_carry_their_webcert_role_and_clinic(hsa_run):
    subjects = subjects_of(hsa_run["report"])
    cecilia = subjects[("person", "SE5591234561-P003")]
    assert (cecilia["webcert_role"], cecilia["clinic"], cecilia["expected_role"]) == (
        "VARDADMINISTRATOR", "Mottagning Öst", "LAKARE")
    assert subjects[("care_unit", "SE5591234561-1002")]["clinic"] == "Mottagning Öst"


def test_the_bind_password_is_nowhere_in_the_output_or_the_reports(hsa_run, example_directory):
    password = example_directory["password"]
    assert password not in hsa_run["done"].stdout + hsa_run["done"].stderr
    for root, _unused, files in os.walk(hsa_run["reports"]):
        for name in files:
            with open(os.path.join(root, name), encoding="utf-8", errors="replace") as handle:
                assert password not in handle.read(), name


def test_audit_playbook_puts_directory_findings_next_to_workstations(example_directory, inventory, tmp_path):
    _unused, report = run("audit.yml", inventory, tmp_path, example_directory)
    kinds = {s["kind"] for s in report["subjects"]}
    assert kinds == {"workstation", *DIRECTORY_KINDS}
    assert status(report, "care_unit", "SE5591234561-1002", "HSA-UNIT-MAIL")["status"] == "failed"
    assert report["summary"]["by_clinic"]["Mottagning Öst"]["failed"] > 0


def test_a_directory_that_is_down_gives_errors_and_the_report_is_still_written(example_directory, inventory, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = "ldaps://127.0.0.1:%d" % probe.getsockname()[1]
    _unused, report = run("audit.yml", inventory, tmp_path, example_directory, dead)
    for subject in report["subjects"]:
        if subject["kind"] in DIRECTORY_KINDS:
            assert subject["status"] == "error" and dead in subject["error"], subject["id"]
    workstations = [s for s in report["subjects"] if s["kind"] == "workstation"]
    assert any(s["status"] == "judged" for s in workstations)


def test_without_a_directory_the_directory_controls_are_not_reviewed(inventory, tmp_path):
    _unused, report = run("hsa.yml", inventory, tmp_path)
    directory_subjects = [s for s in report["subjects"] if s["kind"] in DIRECTORY_KINDS]
    assert directory_subjects
    for subject in directory_subjects:
        assert {r["status"] for r in subject["results"]} == {"not_reviewed"}
        assert "no HSA directory configured" in subject["results"][0]["message"]


def test_hsa_playbook_fails_on_the_gate_after_writing_the_report(inventory, tmp_path):
    done = run_ansible("ansible-playbook", "playbooks/hsa.yml", "-i", inventory, "-e", "webcert_reports_dir=%s" % tmp_path,
                       env=ansible_env(WEBCERT_GATE="max_not_reviewed=0"))
    assert done.returncode != 0 and "Gate failed: max_not_reviewed=0" in done.stdout
    with open(os.path.join(tmp_path, "latest", "report.json"), encoding="utf-8") as handle:
        assert json.load(handle)["gate"]["passed"] is False


# --- a malformed staff list: the audit completes and names the bad entry -------------------------------

def test_a_staff_list_of_strings_from_extra_vars_errors_the_persons_and_the_report_is_written(
        example_directory, inventory, tmp_path):
    done, report = run("audit.yml", inventory, tmp_path, example_directory, None,
                       "-e", '{"webcert_hsa_staff": ["SE5591234561-P001"]}')
    subjects = subjects_of(report)
    assert any(s["status"] == "judged" for s in report["subjects"] if s["kind"] == "workstation")
    persons = [s for s in report["subjects"] if s["kind"] == "person"]
    assert persons
    for person in persons:
        assert person["status"] == "error", person["id"]
        assert ("inventory: webcert_hsa_staff from extra vars (-e), entry 0: 'SE5591234561-P001' is a string, "
                "not a mapping with hsa_id") in person["error"]
        assert {r["status"] for r in person["results"]} == {"error"}
    # What does not depend on the staff lists is judged as usual.
    assert status(report, "care_unit", "SE5591234561-1002", "HSA-UNIT-MAIL")["status"] == "failed"
    assert subjects[("care_provider", "SE5591234561-1000")]["status"] == "judged"
    assert "object has no attribute" not in done.stdout


def test_a_bad_entry_in_one_clinics_group_vars_errors_only_that_clinics_persons(example_directory, tmp_path):
    inventory = tmp_path / "example"
    shutil.copytree(os.path.join(REPO, "inventories", "example"), inventory)
    clinic = inventory / "group_vars" / "clinic_mottagning_ost.yml"
    text = clinic.read_text(encoding="utf-8")
    clinic.write_text(text.replace("  - {hsa_id: SE5591234561-P003, name: Cecilia Carlsson, role: LAKARE}",
                                   "  - SE5591234561-P003\n  - {hsa_id: SE5591234561-P003, role: [LAKARE]}"),
                      encoding="utf-8")
    assert clinic.read_text(encoding="utf-8") != text
    _unused, report = run("audit.yml", inventory, tmp_path / "reports", example_directory)
    subjects = subjects_of(report)
    where = "webcert_hsa_staff in group vars of clinic_mottagning_ost"
    # Entry 1 is a plain string: the persons on the clinic's care unit (1002) cannot be judged against it;
    # Anna is listed by both clinics.
    anna = subjects[("person", "SE5591234561-P001")]
    assert anna["status"] == "error"
    assert "%s, entry 1: 'SE5591234561-P003' is a string" % where in anna["error"]
    # Entry 2 names its person, whose role is malformed: that person is audited and says why it errs.
    cecilia = subjects[("person", "SE5591234561-P003")]
    assert cecilia["status"] == "error"
    assert "%s, entry 2 (SE5591234561-P003): role ['LAKARE'] is not a string" % where in cecilia["error"]
    # The other clinic's persons are judged as before.
    assert status(report, "person", "SE5591234561-P004", "HSA-PERSON-COMMISSION-EXPIRY")["status"] == "failed"
    assert subjects[("person", "SE5591234561-P005")]["status"] == "judged"
