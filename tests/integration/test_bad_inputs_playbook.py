"""Issue 11 at the level of real ansible-playbook runs: a bad input stops the run at its start naming it (and
where it was set), a fault costs only its own PC, and the terminal says what was not judged and why."""

import codecs
import datetime
import json
import os
import re
import shutil

import pytest
import yaml

from ansible_cli import ansible_env, run_ansible

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXAMPLE = os.path.join(REPO, "inventories", "example")
TEMPLATE = os.path.join(EXAMPLE, "files", "evidence", "vce-ws01.json")


def audit(inventory, reports, *extra, env=None):
    return run_ansible("ansible-playbook", "playbooks/audit.yml", "-i", str(inventory),
                       "-e", "webcert_reports_dir=%s" % reports, *extra, env=ansible_env(**(env or {})))


def evidence(host, collected_at=None):
    with open(TEMPLATE, encoding="utf-8") as handle:
        document = json.load(handle)
    document["host"] = host.upper()
    document.pop("dns_host_name", None)
    document["collected_at"] = (collected_at or datetime.datetime.now(datetime.timezone.utc)).isoformat(timespec="seconds")
    return json.dumps(document, ensure_ascii=False)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """One region with a PC of each kind of trouble, audited once."""
    region = tmp_path_factory.mktemp("mixed")
    files = region / "files"
    now = datetime.datetime.now(datetime.timezone.utc)
    write(files / "ws-fresh.json", evidence("ws-fresh"))
    write(files / "ws-future.json", evidence("ws-future", now + datetime.timedelta(hours=2)))
    write(files / "ws-stale.json", evidence("ws-stale", now - datetime.timedelta(days=30)))
    write(files / "ws-big.json", evidence("ws-big"))
    (files / "ws-utf16.json").write_bytes(codecs.BOM_UTF16_LE + evidence("ws-utf16").encode("utf-16-le"))
    write(files / "waivers.yml", yaml.safe_dump({"waivers": [
        {"control_id": "WS-OS-SUPPORTED", "scope": {"host": "ws-nosuch"}, "justification": "replaced next week",
         "owner": "it@example.invalid", "ticket": "EXK-1", "expires": "2099-01-01"}]}))

    def host(name, **more):
        return dict({"webcert_evidence_file": "files/%s.json" % name}, **more)

    tree = {"all": {
        "vars": {"webcert_waivers_file": str(files / "waivers.yml"), "webcert_care_provider_hsa_id": "SE5591234561-1000"},
        "children": {
            "webcert_controller": {"hosts": {"localhost": {"ansible_connection": "local"}}},
            "webcert_workstations": {"children": {
                "clinic_a": {"vars": {"webcert_clinic": "A", "webcert_care_unit_hsa_id": "SE5591234561-1001"},
                             "hosts": {"ws-fresh": host("ws-fresh"), "ws-future": host("ws-future"),
                                       "ws-stale": host("ws-stale"), "ws-utf16": host("ws-utf16"),
                                       "ws-big": host("ws-big", webcert_settings={"evidence_max_file_bytes": 1000})}},
                "clinic_b": {"vars": {"webcert_clinic": "B", "webcert_care_unit_hsa_id": "SE5591234561-1002"},
                             "hosts": {"ws-fresh": None}},
                "clinic_c": {"vars": {"webcert_clinic": "C"}, "hosts": {"ws-c": host("ws-fresh")}},
                # Two clinic groups without webcert_clinic: no "None" in what the run says about it.
                "clinic_d": {"hosts": {"ws-d": host("ws-fresh")}},
                "clinic_e": {"hosts": {"ws-d": None}},
            }}}}}
    write(region / "hosts.yml", yaml.safe_dump(tree))
    reports = tmp_path_factory.mktemp("reports")
    result = audit(region / "hosts.yml", reports, env={"ANSIBLE_INVENTORY_IGNORE_REGEX": "^files$"})
    report = None
    if os.path.exists(reports / "latest" / "report.json"):
        with open(reports / "latest" / "report.json", encoding="utf-8") as handle:
            report = json.load(handle)
    return {"result": result, "report": report, "reports": reports}


def workstation(mixed, host):
    return next(s for s in mixed["report"]["subjects"] if s["id"] == host)


def test_faults_of_single_pcs_do_not_fail_the_run(mixed):
    assert mixed["result"].returncode == 0, mixed["result"].stdout[-3000:]
    assert workstation(mixed, "ws-fresh")["status"] == "judged"


def test_evidence_from_the_future_is_an_error_for_that_pc(mixed):
    subject = workstation(mixed, "ws-future")
    assert subject["status"] == "error" and "after the run started" in subject["error"]
    assert {r["status"] for r in subject["results"]} == {"error"}


def test_stale_evidence_is_never_passed(mixed):
    subject = workstation(mixed, "ws-stale")
    assert {r["status"] for r in subject["results"]} == {"not_reviewed"}
    assert all("stale evidence" in r["message"] for r in subject["results"])


def test_utf16_evidence_is_judged_and_an_oversized_file_is_an_error(mixed):
    assert workstation(mixed, "ws-utf16")["status"] == "judged"
    big = workstation(mixed, "ws-big")
    assert big["status"] == "error" and "more than evidence_max_file_bytes (1000)" in big["error"]


def test_inventory_shapes_that_are_probably_not_meant_are_warnings(mixed):
    out = " ".join(mixed["result"].stdout.split()) + " ".join(mixed["result"].stderr.split())
    assert "host ws-fresh is in 2 clinic groups (clinic_a, clinic_b)" in out
    assert "clinic group clinic_c has no webcert_care_unit_hsa_id" in out
    assert "matches no result of this run" in out and "host ws-nosuch" in out
    assert ("host ws-d is in 2 clinic groups (clinic_d, clinic_e): it is reported once, with no clinic name "
            "(webcert_clinic is not set)") in out


def test_no_message_for_people_says_none(mixed):
    """Issue 19: Python's None never reaches a text a person reads (terminal, fault reports, CSV, HTML)."""
    out = mixed["result"].stdout + mixed["result"].stderr
    assert not re.search(r"\bNone\b", out), [line for line in out.splitlines() if re.search(r"\bNone\b", line)]
    latest = mixed["reports"] / "latest"
    fault_reports = [os.path.relpath(os.path.join(folder, f), latest)
                     for folder, _dirs, files in os.walk(latest / "fault-reports") for f in files]
    assert any(name.startswith("fault-reports/readiness/") for name in fault_reports)
    for name in ["summary.csv", "readiness.csv", "report.html", "junit.xml"] + fault_reports:
        with open(latest / name, encoding="utf-8") as handle:
            text = handle.read()
        assert not re.search(r"\bNone\b", text), (name, [l for l in text.splitlines() if re.search(r"\bNone\b", l)][:3])


def test_the_terminal_names_what_was_not_judged_and_that_no_directory_was_configured(mixed):
    out = mixed["result"].stdout
    assert "HSA directory: NOT CONFIGURED (webcert_hsa_uri is empty)" in out
    assert "ERROR (could not be judged)" in out and "workstation ws-future (A)" in out
    assert "workstation ws-stale (A)" in out and "stale evidence" in out


def test_report_files_are_private_by_default(mixed):
    latest = mixed["reports"] / "latest"
    assert oct(os.stat(latest / "report.json").st_mode & 0o777) == "0o600"
    assert oct(os.stat(latest / "summary.csv").st_mode & 0o777) == "0o600"


# --- inputs that stop the run at its start -----------------------------------------------------------

@pytest.fixture
def example(tmp_path):
    inventory = tmp_path / "example"
    shutil.copytree(EXAMPLE, inventory)
    return inventory


def append(path, text):
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def stops_at_start(result, reports, *words):
    out = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0
    for word in words:
        assert word in out, out[-2000:]
    assert "Collect and judge the evidence" not in result.stdout, "no host was touched"
    assert "whose evidence is a file" not in result.stdout, "no evidence file was judged"
    assert not os.path.exists(os.path.join(str(reports), "latest")), "nothing was written"


def test_an_integer_care_unit_hsa_id_stops_the_run_naming_the_group(example, tmp_path):
    path = example / "group_vars" / "clinic_mottagning_ost.yml"
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    write(path, text.replace("webcert_care_unit_hsa_id: SE5591234561-1002", "webcert_care_unit_hsa_id: 5591234561"))
    result = audit(example, tmp_path / "reports")
    stops_at_start(result, tmp_path / "reports", "webcert_care_unit_hsa_id (set in group vars of clinic_mottagning_ost)",
                   "5591234561 is a number, not an HSA-id")


def test_an_integer_provider_hsa_id_stops_the_run(example, tmp_path):
    result = audit(example, tmp_path / "reports", "-e", "webcert_care_provider_hsa_id=5591234561",
                   "-e", '{"webcert_care_provider_hsa_id": 5591234561}')
    stops_at_start(result, tmp_path / "reports", "webcert_care_provider_hsa_id the region: 5591234561 is a number")


def test_a_bad_clinic_setting_names_the_group_that_set_it(example, tmp_path):
    append(example / "group_vars" / "clinic_mottagning_ost.yml", "webcert_settings:\n  evidence_max_age_days: -3\n")
    result = audit(example, tmp_path / "reports")
    stops_at_start(result, tmp_path / "reports", "evidence_max_age_days: -3 is less than 0",
                   "(set in group vars of clinic_mottagning_ost)")


def test_a_reports_folder_that_is_a_file_stops_the_run_before_judging(example, tmp_path):
    (tmp_path / "reports").write_text("not a folder")
    result = audit(example, tmp_path / "reports")
    assert result.returncode != 0 and "is a file, not a folder" in result.stdout
    assert "Collect and judge the evidence" not in result.stdout
    assert "whose evidence is a file" not in result.stdout


def test_a_latest_that_is_a_real_folder_stops_the_run_before_judging(example, tmp_path):
    (tmp_path / "reports" / "latest").mkdir(parents=True)
    result = audit(example, tmp_path / "reports")
    assert result.returncode != 0 and "'latest' is a real folder" in result.stdout
    assert "Collect and judge the evidence" not in result.stdout
    assert "whose evidence is a file" not in result.stdout


def test_a_gate_of_only_separators_stops_the_run(example, tmp_path):
    result = audit(example, tmp_path / "reports", env={"WEBCERT_GATE": " , "})
    stops_at_start(result, tmp_path / "reports", "WEBCERT_GATE: ' , ' has no rules")


def test_a_bad_report_file_mode_stops_the_run(example, tmp_path):
    result = audit(example, tmp_path / "reports", "-e", '{"webcert_settings": {"report_file_mode": "0755"}}')
    stops_at_start(result, tmp_path / "reports", "report_file_mode: '0755' is not a file mode")


# --- the offline inventory plugin --------------------------------------------------------------------

def offline_region(tmp_path, names):
    region = tmp_path / "region"
    for name in names:
        write(region / "files" / "evidence" / name, evidence(name.split(".")[0]))
    write(region / "offline.webcert_evidence.yml",
          "plugin: webcert.fleet.webcert_evidence_dir\npath: files/evidence\nclinics:\n  clinic_a: ['vce-*']\n")
    write(region / "group_vars" / "clinic_a.yml", "webcert_clinic: A\nwebcert_care_unit_hsa_id: SE5591234561-1001\n")
    return region


def test_a_waiver_file_that_does_not_resolve_on_the_controller_stops_the_run(tmp_path):
    region = offline_region(tmp_path, ["vce-ws01.json"])
    write(region / "files" / "waivers.yml", "waivers: []\n")
    write(region / "group_vars" / "all.yml", 'webcert_waivers_file: "{{ inventory_dir }}/files/waivers.yml"\n')
    result = audit(region, tmp_path / "reports")
    stops_at_start(result, tmp_path / "reports", "webcert_waivers_file is set", "does not resolve on the controller",
                   "inventory_dir")


def test_two_evidence_files_for_one_host_stop_the_inventory_naming_both(tmp_path):
    region = offline_region(tmp_path, ["vce-ws01.json", "VCE-WS01.json", "vce-ws02.json"])
    result = audit(region, tmp_path / "reports")
    out = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0
    assert "VCE-WS01.json and vce-ws01.json" in out and "two evidence files for host vce-ws01" in out


def test_an_inventory_without_workstations_is_said(tmp_path):
    write(tmp_path / "hosts.yml", "all:\n  hosts:\n    localhost: {ansible_connection: local}\n")
    result = audit(tmp_path / "hosts.yml", tmp_path / "reports")
    assert result.returncode == 0, result.stdout[-2000:]
    assert "the inventory has no hosts in group webcert_workstations" in " ".join((result.stdout + result.stderr).split())


def test_enforce_skips_pcs_known_only_from_evidence_files_with_one_line_each(tmp_path):
    region = offline_region(tmp_path, ["vce-ws01.json", "vce-ws02.json"])
    result = run_ansible("ansible-playbook", "playbooks/enforce.yml", "-i", str(region), "--check", "--diff")
    assert result.returncode == 0, result.stdout[-3000:]
    assert result.stdout.count("skipped: known only from its evidence file") == 2
    assert "UNREACHABLE" not in result.stdout and "Failed to connect" not in result.stdout
