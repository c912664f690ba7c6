"""A sliced audit (AWX job slicing, here N runs with --limit) merged into one run equals a single run."""

import json
import os
import shutil

import ansible_runner
import pytest

from ansible_cli import REPO, ansible_env, run_ansible
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.write import validate_report
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.slices import SliceError, merge, read_slices

VOLATILE = ("collected_at",)


def audit(inventory, reports, limit=None):
    extra = ["--limit", limit] if limit else []
    done = run_ansible("ansible-playbook", "playbooks/audit.yml", "-i", inventory, "-e", "webcert_reports_dir=%s" % reports, *extra)
    assert done.returncode == 0, done.stdout[-3000:]


def comparable(report):
    """Subjects and summary without what differs between two runs of the same evidence (times, run ids)."""
    subjects = sorted(({k: v for k, v in s.items() if k not in VOLATILE} for s in report["subjects"]),
                      key=lambda s: (s["kind"], s["id"]))
    return {"subjects": subjects, "summary": report["summary"], "waivers": report["waivers"],
            "inventory": report["run"]["inventory"], "readiness": report["readiness"]}


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    inventory = tmp_path_factory.mktemp("inventory") / "example"
    shutil.copytree(os.path.join(REPO, "inventories", "example"), inventory)
    return inventory


def test_three_slices_merged_equal_one_run(region, tmp_path):
    """As on AWX: the slices run in a workflow job of their own (another awx_workflow_job_id than the merge node's)
    and share only the run label the workflow handed them; the merge finds them by that label."""
    audit(region, tmp_path / "single")
    root = tmp_path / "slices"
    label = ["-e", "webcert_run_label=awx-workflow-40", "-e", "awx_workflow_job_id=41"]
    for part in ("vce-ws01,vce-ws02", "vce-ws03,vce-ws04", "clinic_mottagning_ost"):
        done = run_ansible("ansible-playbook", "playbooks/audit.yml", "-i", region, "--limit", "localhost,%s" % part,
                           *label, "-e", "webcert_reports_dir=%s/{{ webcert_run_label }}" % root)
        assert done.returncode == 0, done.stdout[-3000:]
    # A run of another night under another label is not merged into this one.
    audit(region, root / "awx-workflow-39", "localhost,vce-ws01")
    merged = run_ansible("ansible-playbook", "playbooks/merge-slices.yml", "-e", "webcert_slices_root=%s" % root,
                         "-e", "webcert_run_label=awx-workflow-40", "-e", "awx_workflow_job_id=40",
                         "-e", "webcert_reports_dir=%s" % (tmp_path / "merged"))
    assert merged.returncode == 0, merged.stdout[-3000:]
    with open(tmp_path / "single" / "latest" / "report.json", encoding="utf-8") as handle:
        single = json.load(handle)
    with open(tmp_path / "merged" / "latest" / "report.json", encoding="utf-8") as handle:
        combined = json.load(handle)
    validate_report(combined)
    assert comparable(combined) == comparable(single)
    assert len(combined["run"]["slices"]) == 3
    assert (tmp_path / "merged" / "latest" / "report.html").exists() and (tmp_path / "merged" / "latest" / "junit.xml").exists()


def test_the_old_recipe_by_workflow_job_id_finds_no_slices(region, tmp_path):
    """Before: slices wrote to <root>/{{ awx_workflow_job_id }} and the merge read the same expression, but in a
    workflow the two ids differ (the sliced job is a nested workflow job), so the merge found nothing."""
    audit_dir = "%s/{{ awx_workflow_job_id }}" % (tmp_path / "slices")
    done = run_ansible("ansible-playbook", "playbooks/audit.yml", "-i", region, "--limit", "localhost,vce-ws01",
                       "-e", "awx_workflow_job_id=41", "-e", "webcert_reports_dir=%s" % audit_dir)
    assert done.returncode == 0, done.stdout[-3000:]
    merged = run_ansible("ansible-playbook", "playbooks/merge-slices.yml", "-e", "awx_workflow_job_id=40",
                         "-e", "webcert_slices_dir=%s" % audit_dir, "-e", "webcert_reports_dir=%s" % (tmp_path / "m"))
    assert merged.returncode != 0 and "no finished slice runs" in merged.stdout


def test_the_label_node_hands_on_the_workflow_id_and_refuses_a_label_that_is_no_directory_name(tmp_path):
    done = run_ansible("ansible-playbook", "playbooks/slice-label.yml", "-e", "awx_workflow_job_id=40",
                       "-e", "webcert_slices_root=/srv/webcert/slices")
    assert done.returncode == 0, done.stdout[-3000:]
    assert "Run label awx-workflow-40: slices write to /srv/webcert/slices/awx-workflow-40/" in done.stdout
    bad = run_ansible("ansible-playbook", "playbooks/slice-label.yml", "-e", "webcert_run_label=../etc")
    assert bad.returncode != 0 and "must be letters, digits" in bad.stdout
    unnamed = run_ansible("ansible-playbook", "playbooks/merge-slices.yml", "-e", "webcert_slices_root=%s" % tmp_path)
    assert unnamed.returncode != 0 and "webcert_run_label=unset" in " ".join(unnamed.stdout.split())


def test_overlapping_slices_are_refused(region, tmp_path):
    audit(region, tmp_path, "localhost,clinic_mottagning_ost")
    audit(region, tmp_path, "localhost,mo-ws01")
    with pytest.raises(SliceError, match="workstation mo-ws01 is in run .* and run .*: slices must not overlap"):
        merge(read_slices(str(tmp_path)))


def test_an_empty_slices_directory_is_named(tmp_path):
    with pytest.raises(SliceError, match="no finished slice runs"):
        read_slices(str(tmp_path))


def test_the_label_travels_as_an_awx_artifact_through_ansible_runner(tmp_path):
    """AWX passes a job's set_stats data (the artifact_data of its playbook_on_stats event) to the workflow's later
    nodes as extra variables: the label node's run, through ansible-runner as AWX runs jobs, carries the label."""
    env = {k: v for k, v in ansible_env().items() if k.startswith(("ANSIBLE_", "PATH", "PYTHONPATH", "HOME"))}
    (tmp_path / "runner").mkdir()
    run = ansible_runner.run(private_data_dir=str(tmp_path / "runner"), project_dir=REPO,
                             playbook="playbooks/slice-label.yml", extravars={"awx_workflow_job_id": 40},
                             envvars=env, quiet=True, timeout=300)
    assert run.status == "successful", run.stdout.read()[-3000:]
    [stats] = [e for e in run.events if e.get("event") == "playbook_on_stats"]
    assert stats["event_data"]["artifact_data"] == {"webcert_run_label": "awx-workflow-40"}
