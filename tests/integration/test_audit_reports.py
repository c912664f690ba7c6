"""Real ansible-playbook runs of the audit writing every report: outputs, drift over two runs, an expired
waiver, a corrupt previous report, gating by inventory variable and environment, no secret in any output,
and the summary table of the callback."""

import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

from ansible_collections.webcert.fleet.plugins.plugin_utils.report import render_csv

from ansible_cli import ansible_env, run_ansible
from format_tools import HEIMDALL, heimdall_view, inspec_validator, schema_errors, xmllint

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ANSIBLE_BIN = os.path.dirname(sys.executable)
PLANTED = {"ansible_password": "Planted-WinRM-Pw-7f3a!", "vaulted_bind_password": "Planted-Vault-Value-5d8e"}
VAULT_PASSWORD = "vault-pass-for-tests"


def run(command, reports_dir, *extra, env=None, inventory=None, vault_file=None):
    args = [command]
    if inventory:
        args += ["-i", str(inventory)]
    if vault_file:
        args += ["--vault-password-file", str(vault_file)]
    if reports_dir:
        args += ["-e", "webcert_reports_dir=%s" % reports_dir]
    return run_ansible("ansible-playbook", *args, *extra, env=ansible_env(**(env or {})))


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    """A copy of the example region with planted secrets: a WinRM password and a vaulted HSA bind password.

    Both are consumed by the audit (the bind password is templated into the directory task's arguments,
    the WinRM password into the connection to the unreachable PC), so a leak would show."""
    base = tmp_path_factory.mktemp("region")
    inventory = base / "example"
    shutil.copytree(os.path.join(REPO, "inventories", "example"), inventory)
    vault_file = base / "vault-pass"
    vault_file.write_text(VAULT_PASSWORD)
    encrypted = subprocess.run([os.path.join(ANSIBLE_BIN, "ansible-vault"), "encrypt_string", "--vault-password-file",
                                str(vault_file), PLANTED["vaulted_bind_password"], "--name", "webcert_hsa_bind_password"],
                               capture_output=True, text=True, check=True).stdout
    region_vars = inventory / "group_vars" / "all.yml"
    text = "".join(line for line in region_vars.read_text(encoding="utf-8").splitlines(keepends=True)
                   if not line.startswith("webcert_hsa_bind_password:"))
    region_vars.write_text(text + encrypted, encoding="utf-8")
    with open(inventory / "group_vars" / "webcert_workstations.yml", encoding="utf-8") as handle:
        workstations = yaml.safe_load(handle)
    workstations["ansible_password"] = PLANTED["ansible_password"]
    with open(inventory / "group_vars" / "webcert_workstations.yml", "w", encoding="utf-8") as handle:
        yaml.safe_dump(workstations, handle)
    return {"inventory": inventory, "vault": vault_file, "base": base}


def audit(region, reports_dir, *extra, env=None):
    return run(os.path.join(REPO, "playbooks", "audit.yml"), reports_dir, *extra, env=env,
               inventory=region["inventory"], vault_file=region["vault"])


def latest(reports_dir):
    with open(os.path.join(reports_dir, "latest", "report.json"), encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture(scope="module")
def two_runs(region, tmp_path_factory):
    reports = tmp_path_factory.mktemp("reports")
    first = audit(region, reports)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-2000:]
    first_report = latest(reports)
    # Between the runs the vce-ws03 waiver expires: its failure must come back as drift "waiver expired".
    waivers_path = region["base"] / "waivers-expired.yml"
    with open(region["inventory"] / "files" / "waivers.yml", encoding="utf-8") as handle:
        waivers = yaml.safe_load(handle)
    for waiver in waivers["waivers"]:
        waiver["expires"] = "2026-01-01"
    waivers_path.write_text(yaml.safe_dump(waivers), encoding="utf-8")
    second = audit(region, reports, "-e", "webcert_waivers_file=%s" % waivers_path)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-2000:]
    return {"reports": reports, "first": first, "first_report": first_report, "second": second,
            "second_report": latest(reports)}


def test_every_output_is_written(two_runs):
    report = two_runs["first_report"]
    run_dir = os.path.join(two_runs["reports"], report["run"]["id"])
    for name in ("report.json", "report.html", "junit.xml", "summary.csv", "run.json", "fault-reports/index.txt",
                 "readiness.csv", "fault-reports/readiness/index.txt"):
        assert os.path.isfile(os.path.join(run_dir, name)), name
    hosts = {s["id"] for s in report["subjects"] if s["kind"] == "workstation"}
    assert hosts and {n[:-5] for n in os.listdir(os.path.join(run_dir, "inspec"))} >= hosts
    failing = {s["id"] for s in report["subjects"]
               if any(r["status"] == "failed" and not r["waived"] for r in s["results"])}
    assert {n[:-4] for n in os.listdir(os.path.join(run_dir, "fault-reports")) if n.endswith(".txt")} - {"index"} == failing
    # The example region answers for its signed-in user on vce-ws03 (Bertil Berg), with reasons from both sides.
    bertil = next(p for p in report["readiness"]["pairs"] if p["workstation"] == "vce-ws03")
    assert (bertil["person_hsa_id"], bertil["verdict"]) == ("SE5591234561-P002", "not_ready")
    assert {"pc", "certificates"} <= {b["side"] for b in bertil["blockers"]}
    assert "hsa" in {b["side"] for b in bertil["blockers"] + bertil["unknown"]}  # this run's directory may be unread
    assert os.path.isfile(os.path.join(run_dir, "fault-reports", "readiness", "vce-ws03--SE5591234561-P002.txt"))


def test_the_example_regions_files_pass_the_real_tools(two_runs):
    """Every InSpec file against InSpec's schema and through inspecjs (Heimdall's counts are the report's),
    junit.xml against the Jenkins xunit plugin's schema, and a pivot of summary.csv."""
    report = two_runs["first_report"]
    run_dir = os.path.join(two_runs["reports"], report["run"]["id"])
    inspec_dir = os.path.join(run_dir, "inspec")
    paths = [os.path.join(inspec_dir, name) for name in sorted(os.listdir(inspec_dir))]
    validator = inspec_validator()
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            assert schema_errors(validator, json.load(handle)) == [], path
    controls = heimdall_view(paths)
    totals = report["summary"]["results"]
    assert sum(1 for c in controls if c["status"] == "Failed") == totals["failed"]
    assert sum(1 for c in controls if c["waived"]) == totals["waived"]
    assert sum(1 for c in controls if c["status"] == "Profile Error") == totals["error"]
    assert sum(1 for c in controls if c["status"] == HEIMDALL["not_reviewed"]) == totals["not_reviewed"]
    junit = xmllint(os.path.join(run_dir, "junit.xml"))
    assert junit.returncode == 0, junit.stderr
    with open(os.path.join(run_dir, "junit.xml"), encoding="utf-8") as handle:
        text = handle.read()
    assert "None" not in text.replace("(none)", "") and "['" not in text
    rows = render_csv.read_rows(os.path.join(run_dir, "summary.csv"))
    assert {s: sum(1 for r in rows if r["effective_status"] == s) for s in totals} == totals
    assert len({(r["subject_key"], r["control_id"]) for r in rows}) == len(rows)


def test_second_run_computes_drift_with_the_expired_waiver(two_runs):
    first, second = two_runs["first_report"], two_runs["second_report"]
    assert first["drift"]["status"] == "first_run"
    drift = second["drift"]
    assert drift["status"] == "computed" and drift["previous_run_id"] == first["run"]["id"]
    assert [(i["subject_id"], i["control_id"]) for i in drift["waiver_expired"]] == [("vce-ws03", "WS-EDGE-SITELIST")]
    assert [w["expired"] for w in second["waivers"]] == [True]
    assert sorted(n for n in os.listdir(two_runs["reports"]) if not n.startswith(".")) == sorted(
        [first["run"]["id"], second["run"]["id"], "latest"])


def test_terminal_summary_table_per_clinic_with_drift(two_runs):
    out = two_runs["second"].stdout
    assert "WEBCERT AUDIT SUMMARY" in out
    table = out[out.index("WEBCERT AUDIT SUMMARY"):]
    header = table.splitlines()[1].split()
    line = next(l for l in table.splitlines() if l.startswith("Vårdcentralen Exempel"))
    assert line.split()[len(line.split()) - len(header) + header.index("WvExp")] == "1"
    assert "Drift: against run %s" % two_runs["first_report"]["run"]["id"] in table


def test_a_run_on_the_classic_profile_says_once_that_signing_needs_chrome_or_edge(two_runs):
    report = two_runs["first_report"]
    assert [n["profile"] for n in report["notices"]] == ["inera-classic"]
    assert "2024-03-19" in report["notices"][0]["text"]
    out = two_runs["first"].stdout
    assert out.count("NOTE (profile inera-classic)") == 1
    run_dir = os.path.join(two_runs["reports"], report["run"]["id"])
    with open(os.path.join(run_dir, "report.html"), encoding="utf-8") as handle:
        assert handle.read().count('id="notice-inera-classic"') == 1


def test_no_secret_in_any_output(two_runs):
    texts = [two_runs["first"].stdout, two_runs["second"].stdout]
    for root, _unused, names in os.walk(two_runs["reports"]):
        for name in names:
            with open(os.path.join(root, name), "rb") as handle:
                texts.append(handle.read().decode("utf-8", "replace"))
    assert len(texts) > 10
    for label, secret in PLANTED.items():
        assert not [t for t in texts if secret in t], label


def test_corrupt_previous_report_drift_unavailable_run_succeeds(region, tmp_path):
    reports = tmp_path / "reports"
    assert audit(region, reports).returncode == 0
    path = os.path.join(reports, "latest", "report.json")
    with open(path, "r+", encoding="utf-8") as handle:
        handle.truncate(200)
    result = audit(region, reports)
    assert result.returncode == 0, result.stdout[-2000:]
    drift = latest(reports)["drift"]
    assert drift["status"] == "unavailable" and "not valid JSON" in drift["reason"]
    assert "Drift: UNAVAILABLE" in result.stdout


def test_gate_from_inventory_variable_fails_the_run_after_writing(region, tmp_path):
    reports = tmp_path / "reports"
    result = audit(region, reports, "-e", json.dumps({"webcert_gate": {"failed_impact": "high"}}))
    assert result.returncode != 0
    assert "Gate failed: failed_impact=high" in result.stdout
    report = latest(reports)  # written, and latest moved, before the run failed
    assert report["gate"]["passed"] is False and report["gate"]["source"] == "webcert_gate"


def test_gate_from_environment_and_a_gate_that_passes(region, tmp_path):
    failing = audit(region, tmp_path / "a", env={"WEBCERT_GATE": "max_error=0"})
    assert failing.returncode != 0 and "max_error=0" in failing.stdout
    passing = audit(region, tmp_path / "b", env={"WEBCERT_GATE": "max_error=100000,max_failed=100000"})
    assert passing.returncode == 0 and latest(tmp_path / "b")["gate"]["passed"] is True


def test_malformed_gate_stops_the_run_at_its_start(region, tmp_path):
    result = audit(region, tmp_path / "r", env={"WEBCERT_GATE": "failed_impact=severe"})
    assert result.returncode != 0 and "WEBCERT_GATE: rule 'failed_impact'" in result.stdout
    assert "Audit workstations" not in result.stdout, "no host is touched with a malformed gate"
    assert not (tmp_path / "r").exists()


def test_summary_callback_is_silent_in_other_playbooks(tmp_path):
    playbook = tmp_path / "other.yml"
    playbook.write_text("- name: Unrelated\n  hosts: localhost\n  gather_facts: false\n  tasks:\n"
                        "    - name: Say hello\n      ansible.builtin.debug:\n        msg: hello\n")
    result = run(str(playbook), None, "-i", "localhost,", "-c", "local")
    assert result.returncode == 0 and "hello" in result.stdout
    assert "WEBCERT AUDIT SUMMARY" not in result.stdout


def test_a_lone_surrogate_in_one_pcs_evidence_loses_nothing(region, tmp_path):
    # PowerShell's ConvertTo-Json writes broken UTF-16 from the registry as a lone surrogate escape: valid
    # JSON, but text no UTF-8 file can hold. The whole fleet's report must still be written.
    inventory = tmp_path / "example"
    shutil.copytree(region["inventory"], inventory)
    evidence_path = inventory / "files" / "evidence" / "vce-ws01.json"
    text = evidence_path.read_text(encoding="utf-8")
    assert "Microsoft Usbccid Smartcard Reader (WUDF)" in text
    evidence_path.write_text(text.replace("Microsoft Usbccid Smartcard Reader (WUDF)",
                                          "Microsoft Usbccid \\ud800 Smartcard Reader"), encoding="utf-8")
    reports = tmp_path / "reports"
    result = audit(dict(region, inventory=inventory), reports)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    report = latest(reports)
    host = next(s for s in report["subjects"] if s["id"] == "vce-ws01")
    assert host["status"] == "judged" and all(r["status"] != "error" for r in host["results"])
    shown = [r for r in host["results"] if "Microsoft Usbccid \ufffd Smartcard Reader" in json.dumps(r, ensure_ascii=False)]
    assert shown and all(r["status"] in ("passed", "failed") for r in shown)
    run_dir = os.path.join(reports, report["run"]["id"])
    for name in ("report.html", "summary.csv", "inspec/vce-ws01.json"):  # JUnit details failures only
        with open(os.path.join(run_dir, name), "rb") as handle:
            assert "Usbccid \ufffd Smartcard" in handle.read().decode("utf-8"), name


def test_failures_are_not_new_after_a_limited_run(region, tmp_path):
    # A full run, a --limit run of one PC, then a full run gated on new failures: long-standing
    # failures of the PCs left out of the limited run are not new.
    reports = tmp_path / "reports"
    assert audit(region, reports).returncode == 0
    limited = audit(region, reports, "--limit", "localhost,vce-ws01")
    assert limited.returncode == 0, limited.stdout[-3000:]
    assert {s["id"] for s in latest(reports)["subjects"] if s["kind"] == "workstation"} == {"vce-ws01"}
    full = audit(region, reports, env={"WEBCERT_GATE": "new_failures=true"})
    assert full.returncode == 0, full.stdout[-3000:]
    drift = latest(reports)["drift"]
    assert drift["status"] == "computed" and drift["counts"]["new_failures"] == 0, drift["new_failures"]
    assert latest(reports)["gate"]["passed"] is True
