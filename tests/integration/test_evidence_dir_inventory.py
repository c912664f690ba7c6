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


def _evidence_of(source, host, **collector):
    """A copy of an example evidence file, as PC `host` would have written it."""
    with open(os.path.join(EVIDENCE, source), encoding="utf-8-sig") as handle:
        document = json.load(handle)
    document["host"] = host.upper()
    document.pop("dns_host_name", None)
    document["collector"].update(collector)
    return json.dumps(document)


def test_a_drop_folder_with_hostile_files_still_audits_every_other_pc(tmp_path):
    """Issue 19: a FIFO, a link to /dev/zero, a link out of the folder, a PC called index, a file named
    after the controller and an over-long name each cost only themselves; every report is written."""
    region = make_region(tmp_path, CONFIG)
    drop = region / "files" / "evidence"
    os.mkfifo(drop / "vce-fifo.json")  # no writer: a plain open() waits forever
    os.symlink("/dev/zero", drop / "vce-zero.json")  # size 0, endless to read
    secret = tmp_path / "controller-secret.json"  # any JSON file on the controller
    secret.write_text(_evidence_of("vce-ws01.json", "vce-outside"))
    os.symlink(secret, drop / "vce-outside.json")
    # vce-ws02's failures, as PC "index", whose signed-in user's name tries to forge a line for Inera.
    (drop / "index.json").write_text(_evidence_of("vce-ws02.json", "index",
                                                  user_context="EXK\\eve\nHSA-id person:                       SE0-FORGED"))
    (drop / "localhost.json").write_text(_evidence_of("vce-ws01.json", "localhost"))
    (drop / ("vce-" + "x" * 20 + ".json")).write_text(_evidence_of("vce-ws01.json", "vce-" + "x" * 20))
    reports = tmp_path / "reports"
    result = run_ansible("ansible-playbook", "playbooks/audit.yml", "-i", str(region),
                         "-e", "webcert_reports_dir=%s" % reports, timeout=240)
    output = result.stdout + result.stderr
    assert (reports / "latest" / "report.json").exists(), output[-3000:]
    with open(reports / "latest" / "report.json", encoding="utf-8") as handle:
        report = json.load(handle)
    workstations = {s["id"]: s for s in report["subjects"] if s["kind"] == "workstation"}
    assert sorted(workstations) == ["index", "mo-ws01", "vce-fifo", "vce-ws01", "vce-ws02"]
    assert workstations["vce-fifo"]["status"] == "error"
    assert "is a FIFO (named pipe), not a regular file" in workstations["vce-fifo"]["error"]
    assert all(workstations[h]["status"] == "judged" for h in ("index", "mo-ws01", "vce-ws01", "vce-ws02"))
    flat = " ".join(output.split())
    assert "vce-outside.json: it is a link to %s, outside the folder" % secret in flat
    assert "vce-zero.json: it is a link to /dev/zero, outside the folder" in flat
    assert "localhost.json: it is named after the controller (localhost)" in flat
    assert "more than the 15 a Windows computer name (NetBIOS" in flat
    run_dir = reports / "latest"
    # index's fault report is its own file; the fault-report index still lists it under that name.
    faults = sorted(os.listdir(run_dir / "fault-reports"))
    index_file = next(name for name in faults if name.startswith("index-"))
    with open(run_dir / "fault-reports" / index_file, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    assert "Workstation:                         index" in lines
    [person] = [line for line in lines if line.startswith("HSA-id person:")]
    assert "EXK\\eve\u23ceHSA-id person:" in person
    with open(run_dir / "fault-reports" / "index.txt", encoding="utf-8") as handle:
        assert "%s  workstation index" % index_file in handle.read()
    for name in ("report.html", "junit.xml", "summary.csv", "run.json"):
        assert (run_dir / name).exists(), name


def test_links_outside_the_folder_are_read_when_the_region_allows_them_but_never_a_device(tmp_path):
    region = make_region(tmp_path, CONFIG + "allow_links_outside: true\n")
    drop = region / "files" / "evidence"
    share = tmp_path / "clinic-share"
    share.mkdir()
    (share / "vce-linked.json").write_text(_evidence_of("vce-ws01.json", "vce-linked"))
    os.symlink(share / "vce-linked.json", drop / "vce-linked.json")
    os.symlink("/dev/zero", drop / "vce-zero.json")  # size 0, endless to read
    reports = tmp_path / "reports"
    result = run_ansible("ansible-playbook", "playbooks/audit.yml", "-i", str(region),
                         "-e", "webcert_reports_dir=%s" % reports, timeout=240)
    assert "outside the folder" not in result.stdout + result.stderr
    with open(reports / "latest" / "report.json", encoding="utf-8") as handle:
        workstations = {s["id"]: s for s in json.load(handle)["subjects"] if s["kind"] == "workstation"}
    assert workstations["vce-linked"]["status"] == "judged"
    assert workstations["vce-zero"]["status"] == "error"
    assert "is a character device, not a regular file" in workstations["vce-zero"]["error"]
