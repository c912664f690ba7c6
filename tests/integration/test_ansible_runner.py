"""The example region's audit through ansible-runner's Python API (as AWX runs it), read back from the
run's artifacts and events."""

import json
import os
import shutil

import ansible_runner

from ansible_cli import REPO, ansible_env


def test_the_example_audit_runs_through_ansible_runner(tmp_path):
    inventory = tmp_path / "inventory" / "example"
    shutil.copytree(os.path.join(REPO, "inventories", "example"), inventory)
    reports = tmp_path / "reports"
    env = {k: v for k, v in ansible_env().items() if k.startswith(("ANSIBLE_", "PATH", "PYTHONPATH", "HOME"))}
    (tmp_path / "runner").mkdir()
    run = ansible_runner.run(private_data_dir=str(tmp_path / "runner"), project_dir=REPO,
                             playbook="playbooks/audit.yml", inventory=str(inventory),
                             extravars={"webcert_reports_dir": str(reports)}, envvars=env, quiet=True, timeout=300)
    assert run.status == "successful" and run.rc == 0, run.stdout.read()[-3000:]
    artifacts = tmp_path / "runner" / "artifacts" / run.config.ident
    assert (artifacts / "rc").read_text().strip() == "0" and (artifacts / "status").read_text().strip() == "successful"
    written = [e for e in run.events if e.get("event") == "runner_on_ok"
               and e["event_data"].get("task") == "Judge every subject, apply waivers and write report.json"]
    assert len(written) == 1
    result = written[0]["event_data"]["res"]
    with open(result["report_json"], encoding="utf-8") as handle:
        report = json.load(handle)
    workstations = {s["id"]: s["status"] for s in report["subjects"] if s["kind"] == "workstation"}
    assert len(workstations) == 8 and workstations["mo-ws04"] == "error"
    assert result["summary"] == report["summary"]
    assert run.stats["ok"]["localhost"] > 0 and not run.stats["failures"]
    # The PCs with an evidence file are judged in one controller task; only the live PC is visited.
    batch = [e for e in run.events if e.get("event") == "runner_on_ok"
             and e["event_data"].get("task") == "Judge the workstations whose evidence is a file, on the controller"]
    assert len(batch) == 1 and batch[0]["event_data"]["res"]["judged"] == 7
    assert batch[0]["event_data"]["res"]["live_hosts"] == ["mo-ws04"]
    audited = [e for e in run.events if e.get("event") in ("runner_on_ok", "runner_on_unreachable")
               and e["event_data"].get("task") == "Collect and judge the evidence of the workstation"]
    assert {e["event_data"]["host"] for e in audited} == {"mo-ws04"}
