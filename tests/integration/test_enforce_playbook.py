"""Real ansible-playbook runs of playbooks/enforce.yml in check mode on the example region.

No Windows host exists here: the example's workstations are known only from evidence files, so enforce must
skip each with one line saying why (never connect), show what that evidence says it would change, stop on bad
input before any host, and end with the audit (its report). The Windows modules are never reached.
"""

import json
import os
import re
import shutil

import pytest

from ansible_cli import run_ansible

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OFFLINE = "localhost,vce-ws01,vce-ws02,vce-ws03,mo-ws01"


def run_enforce(inventory, reports, *extra):
    return run_ansible("ansible-playbook", "playbooks/enforce.yml", "-i", inventory, "--limit", OFFLINE, "--check",
                       "--diff", "-e", "webcert_reports_dir=%s" % reports, *extra)


@pytest.fixture
def inventory(tmp_path):
    target = tmp_path / "example"
    shutil.copytree(os.path.join(REPO, "inventories", "example"), target)
    return target


def test_check_mode_plans_offline_hosts_without_connecting(inventory, tmp_path):
    run = run_enforce(inventory, tmp_path / "reports")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    for host in OFFLINE.split(",")[1:]:
        assert len(re.findall(r'"%s: skipped: known only from its evidence file' % host, run.stdout)) == 1, host
    assert "unreachable=1" not in run.stdout and "changed=1" not in run.stdout
    # vce-ws03's evidence blocks active scripting in Webcert's zone: the plan names the value and its old data.
    assert re.search(r"WS-IE-JAVASCRIPT: set HKLM:.*Zones.*2.*1400 = 0 \(dword\), was 3", run.stdout)
    # The closing audit ran: the offline PCs are judged in its controller task (only live PCs get the per-host one).
    assert "Judge the workstations whose evidence is a file" in run.stdout
    # The closing audit reports every workstation the run targeted (nothing was touched: their files are judged).
    report = latest_report(tmp_path / "reports")
    assert sorted(s["id"] for s in report["subjects"] if s["kind"] == "workstation") == sorted(OFFLINE.split(",")[1:])
    # The preview says, per PC, what it would change, what fails but is left to the audit, and notes, in words.
    assert re.search(r'"failing, left to the audit": \[\s*"WS-CARD-READERS: ', run.stdout)
    assert "no SITHS eID MD package installed" in run.stdout and "/^SITHS" not in run.stdout


def latest_report(reports):
    with open(reports / "latest" / "report.json", encoding="utf-8") as handle:
        return json.load(handle)


def test_the_closing_audit_keeps_every_targeted_workstation(inventory, tmp_path):
    """The whole example region: vce-ws04's evidence file is broken and mo-ws04 cannot be reached. Neither stops the
    others, and both stay in the report as error with their reason."""
    run = run_ansible("ansible-playbook", "playbooks/enforce.yml", "-i", inventory, "--check",
                      "-e", "webcert_reports_dir=%s" % (tmp_path / "reports"))
    assert "fatal: [vce-ws04]" not in run.stdout, run.stdout[-3000:]
    assert re.search(r'"vce-ws04: skipped: known only from its evidence file \(files/evidence/vce-ws04.json\); its file '
                     r'cannot be used \(vce-ws04: .*not valid JSON', run.stdout)
    workstations = {s["id"]: s for s in latest_report(tmp_path / "reports")["subjects"] if s["kind"] == "workstation"}
    assert len(workstations) == 8
    assert {host for host, s in workstations.items() if s["status"] == "error"} == {"vce-ws04", "mo-ws04"}
    assert "not valid JSON" in workstations["vce-ws04"]["error"]
    assert workstations["mo-ws04"]["error"].startswith("enforce failed: mo-ws04: Failed to connect to the host via PSRP")
    assert "matches no result of this run" not in run.stdout + run.stderr  # the waiver for vce-ws03 applies again
    assert run.returncode == 2  # mo-ws04 could not be enforced: the run says so


def test_a_mistyped_tag_is_refused_before_any_workstation(inventory, tmp_path):
    run = run_enforce(inventory, tmp_path / "reports", "--tags", "WS-EDGE-SITELST")
    assert run.returncode != 0
    output = " ".join((run.stdout + run.stderr).split())
    assert "--tags WS-EDGE-SITELST: not a control id or a family. Families: webcert_site_list, webcert_registry" in output
    assert "WS-EDGE-SITELIST" in output  # the known control ids are named
    assert "PLAY [Enforce the Webcert baseline on workstations]" not in run.stdout


def test_a_limit_without_the_controller_is_refused(inventory, tmp_path):
    run = run_ansible("ansible-playbook", "playbooks/enforce.yml", "-i", inventory, "--limit", "vce-ws01,vce-ws03",
                      "--check", "-e", "webcert_reports_dir=%s" % (tmp_path / "reports"))
    assert run.returncode != 0
    assert "Enforce needs the controller (localhost) to validate its inputs and write the reports" in run.stdout
    assert "skipped: known only from its evidence file" not in run.stdout  # no workstation was looked at
    assert not (tmp_path / "reports").exists()


def test_a_control_id_tag_selects_only_that_control(inventory, tmp_path):
    run = run_enforce(inventory, tmp_path / "reports", "--tags", "WS-IE-JAVASCRIPT")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    planned = set(re.findall(r'"(WS-[A-Z0-9-]+): (?:set|remove|write|service|import|enable|install|upgrade)', run.stdout))
    assert planned == {"WS-IE-JAVASCRIPT"}


def test_a_bad_site_list_entry_stops_the_run_before_any_workstation(inventory, tmp_path):
    with open(inventory / "group_vars" / "all.yml", "a", encoding="utf-8") as handle:
        handle.write("webcert_site_list:\n  entries:\n    - {url: 'https://journal.region.invalid', open_in: IE11}\n")
    run = run_enforce(inventory, tmp_path / "reports")
    assert run.returncode != 0
    assert "webcert_site_list: entries[0]: url 'https://journal.region.invalid'" in run.stdout + run.stderr
    assert "PLAY [Enforce the Webcert baseline on workstations]" not in run.stdout
