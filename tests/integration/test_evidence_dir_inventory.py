"""The webcert_evidence_dir inventory plugin: a drop folder of evidence files audited as a region."""

import json
import os
import shutil

from ansible_cli import run_ansible

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EVIDENCE = os.path.join(REPO, "inventories", "example", "files", "evidence")


def make_region(tmp_path, config):
    region = tmp_path / "region"
    drop = region / "files" / "evidence"
    drop.mkdir(parents=True)
    shutil.copy(os.path.join(EVIDENCE, "vce-ws01.json"), drop / "vce-ws01.json")
    shutil.copy(os.path.join(EVIDENCE, "vce-ws02.json"), drop / "VCE-WS02.json")  # %COMPUTERNAME% is upper case
    shutil.copy(os.path.join(EVIDENCE, "mo-ws01.json"), drop / "mo-ws01.json")
    (drop / "mo-ws02.json.4711.tmp").write_text("{half written")  # the collector's temporary file
    (region / "offline.webcert_evidence.yml").write_text(config)
    (region / "group_vars").mkdir()
    # The example's evidence is a fixed snapshot: no age limit.
    (region / "group_vars" / "all.yml").write_text("webcert_settings: {evidence_max_age_days: 0}\n")
    (region / "group_vars" / "clinic_vardcentralen_exempel.yml").write_text(
        "webcert_clinic: Vårdcentralen Exempel\nwebcert_care_unit_hsa_id: SE5591234561-1001\n")
    return region


CONFIG = ("plugin: webcert.fleet.webcert_evidence_dir\npath: files/evidence\n"
          "clinics:\n  clinic_vardcentralen_exempel: ['vce-*']\n")


def test_drop_folder_becomes_clinic_groups_with_evidence_files(tmp_path):
    region = make_region(tmp_path, CONFIG)
    listing = run_ansible("ansible-inventory", "-i", str(region), "--list")
    assert listing.returncode == 0, listing.stderr
    inventory = json.loads(listing.stdout)
    assert sorted(inventory["clinic_vardcentralen_exempel"]["hosts"]) == ["vce-ws01", "vce-ws02"]
    assert inventory["clinic_unassigned"]["hosts"] == ["mo-ws01"]
    variables = inventory["_meta"]["hostvars"]
    evidence_file = variables["vce-ws02"]["webcert_evidence_file"]
    evidence_file = evidence_file.get("__ansible_unsafe", evidence_file)  # ansible-inventory marks it unsafe
    assert evidence_file == str(region / "files" / "evidence" / "VCE-WS02.json")
    assert variables["vce-ws01"]["webcert_clinic"] == "Vårdcentralen Exempel"
    assert "mo-ws02" not in variables, "half-written files are not hosts"


def test_audit_of_a_drop_folder_judges_every_file(tmp_path):
    region = make_region(tmp_path, CONFIG)
    reports = tmp_path / "reports"
    result = run_ansible("ansible-playbook", "playbooks/audit.yml", "-i", str(region),
                         "-e", "webcert_reports_dir=%s" % reports)
    assert result.returncode == 0, result.stdout[-3000:]
    with open(reports / "latest" / "report.json", encoding="utf-8") as handle:
        report = json.load(handle)
    workstations = {s["id"]: s for s in report["subjects"] if s["kind"] == "workstation"}
    assert sorted(workstations) == ["mo-ws01", "vce-ws01", "vce-ws02"]
    assert all(s["status"] == "judged" and s["evidence_source"].startswith("file:") for s in workstations.values())
    assert workstations["vce-ws01"]["care_unit_hsa_id"] == "SE5591234561-1001"


def test_missing_drop_folder_stops_the_run_naming_the_config(tmp_path):
    region = make_region(tmp_path, CONFIG.replace("files/evidence", "no/such/folder"))
    result = run_ansible("ansible-playbook", "playbooks/audit.yml", "-i", str(region),
                         "-e", "webcert_reports_dir=%s" % (tmp_path / "reports"))
    assert result.returncode != 0
    assert "offline.webcert_evidence.yml: option 'path'" in result.stdout + result.stderr
    assert not (tmp_path / "reports").exists()


def test_user_context_file_is_the_hosts_second_file_not_a_host(tmp_path):
    region = make_region(tmp_path, CONFIG)
    drop = region / "files" / "evidence"
    shutil.copy(os.path.join(EVIDENCE, "vce-ws01.json"), drop / "VCE-WS01.user.json")  # the logon script's file
    listing = run_ansible("ansible-inventory", "-i", str(region), "--list")
    assert listing.returncode == 0, listing.stderr
    inventory = json.loads(listing.stdout)
    assert sorted(inventory["clinic_vardcentralen_exempel"]["hosts"]) == ["vce-ws01", "vce-ws02"]
    variables = inventory["_meta"]["hostvars"]
    user_file = variables["vce-ws01"]["webcert_user_evidence_file"]
    assert user_file.get("__ansible_unsafe", user_file) == str(drop / "VCE-WS01.user.json")
    assert "webcert_user_evidence_file" not in variables["vce-ws02"]


def test_each_user_has_a_file_and_the_newest_is_the_hosts(tmp_path):
    """The logon run writes <PC>.user.<SID>.json: under the drop folder's ACL a user can replace only a file of
    their own, so two users of one PC leave two files; the newest is the one the audit takes."""
    region = make_region(tmp_path, CONFIG)
    drop = region / "files" / "evidence"
    older = drop / "VCE-WS01.user.S-1-5-21-1004336348-1177238915-682003330-1107.json"
    newer = drop / "VCE-WS01.user.S-1-5-21-1004336348-1177238915-682003330-1311.json"
    for path, stamp in ((older, 1_700_000_000), (newer, 1_700_000_600)):
        shutil.copy(os.path.join(EVIDENCE, "vce-ws01.json"), path)
        os.utime(path, (stamp, stamp))
    listing = run_ansible("ansible-inventory", "-i", str(region), "--list")
    assert listing.returncode == 0, listing.stderr
    inventory = json.loads(listing.stdout)
    assert sorted(inventory["clinic_vardcentralen_exempel"]["hosts"]) == ["vce-ws01", "vce-ws02"]
    user_file = inventory["_meta"]["hostvars"]["vce-ws01"]["webcert_user_evidence_file"]
    assert user_file.get("__ansible_unsafe", user_file) == str(newer)
    os.utime(older, (1_700_001_000, 1_700_001_000))  # the first user signs in again
    again = json.loads(run_ansible("ansible-inventory", "-i", str(region), "--list").stdout)
    user_file = again["_meta"]["hostvars"]["vce-ws01"]["webcert_user_evidence_file"]
    assert user_file.get("__ansible_unsafe", user_file) == str(older)
