"""The rollout's state file and before -> after comparison (plugins/plugin_utils/rollout/state.py,
rollout_report.py), on real files: the rules the playbook relies on."""

import json

import pytest

from ansible_collections.webcert.fleet.plugins.plugin_utils.rollout import render as render_rollout
from ansible_collections.webcert.fleet.plugins.plugin_utils.rollout import report as rollout_report
from ansible_collections.webcert.fleet.plugins.plugin_utils.rollout import state as rollout_state


def targets(**clinics):
    return [{"host": host, "clinic": clinic, "care_unit_hsa_id": "SE5591234561-1001", "wave": 1, "canary": False}
            for clinic, hosts in clinics.items() for host in hosts]


def test_one_canary_per_clinic_the_marked_one_or_the_first_by_name():
    chosen = targets(A=["a2", "a1"], B=["b1", "b2"])
    chosen[3]["canary"] = True
    clinics = rollout_state.plan(chosen)
    assert clinics["A"]["canary"] == "a1" and clinics["B"]["canary"] == "b2"
    chosen[2]["canary"] = True
    with pytest.raises(rollout_state.RolloutError, match="clinic 'B' has two canaries marked"):
        rollout_state.plan(chosen)


def test_a_clinic_stops_when_more_than_max_fail_percentage_of_its_batch_fails(tmp_path):
    path, _state = rollout_state.open_rollout(str(tmp_path), targets(A=["a0", "a1", "a2", "a3", "a4"], B=["b0", "b1"]), "all", "inv")
    for canary in ("a0", "b0"):
        rollout_state.record(path, canary, "done")
    batch = ["a1", "a2", "a3", "a4", "b1"]
    assert rollout_state.record(path, "a1", "failed", "x", batch=batch, max_fail_percentage=30) is None  # 1 of 4
    stopped = rollout_state.record(path, "a2", "failed", "x", batch=batch, max_fail_percentage=30)       # 2 of 4
    assert stopped["reason"].startswith("2 of 4 PCs failed in one batch")
    assert rollout_state.begin(path, "a3")["skip"] and "clinic 'A' is stopped" in rollout_state.begin(path, "a3")["reason"]
    assert not rollout_state.begin(path, "b1")["skip"], "another clinic goes on"


def test_batch_pcs_wait_for_their_canary_and_resume_retries_what_did_not_complete(tmp_path):
    path, state = rollout_state.open_rollout(str(tmp_path), targets(A=["a0", "a1"]), "all", "inv")
    assert rollout_state.begin(path, "a1")["reason"] == "the clinic's canary a0 has not completed"
    rollout_state.record(path, "a0", "failed", "no answer")
    with pytest.raises(rollout_state.RolloutError, match="Resume with the same --limit"):
        rollout_state.open_rollout(str(tmp_path), targets(A=["a0"]), "a0", "inv", state["rollout_id"])
    _path, resumed = rollout_state.open_rollout(str(tmp_path), targets(A=["a0", "a1"]), "all", "inv", state["rollout_id"])
    assert resumed["clinics"]["A"]["stopped"] is None and resumed["clinics"]["A"]["stopped_before"]
    assert rollout_state.todo(resumed)["canaries"] == ["a0"]
    rollout_state.record(path, "a0", "done")
    assert rollout_state.todo(rollout_state.read_state(path))["canaries"] == []
    assert len(rollout_state.read_state(path)["hosts"]["a0"]["attempts"]) == 2


def test_an_unknown_rollout_id_is_named(tmp_path):
    with pytest.raises(rollout_state.RolloutError, match="no such rollout"):
        rollout_state.open_rollout(str(tmp_path), targets(A=["a0"]), "all", "inv", "20261126T103000.123Z-1a2b3c")
    with pytest.raises(rollout_state.RolloutError, match="is not a rollout id"):
        rollout_state.open_rollout(str(tmp_path), targets(A=["a0"]), "all", "inv", "../../etc")


def result(control_id, status, waived=False):
    return {"control_id": control_id, "title": control_id, "status": status, "waived": waived}


@pytest.mark.parametrize("before,after,change", [
    ("failed", "passed", "fixed"), ("failed", "failed", "still_failing"), ("passed", "failed", "newly_failing"),
    (None, "failed", "newly_failing"), ("passed", "error", "not_judged"), ("not_reviewed", "passed", "not_judged"),
    ("passed", "passed", "unchanged"), ("failed", None, "unchanged"),
])
def test_before_after_classification(before, after, change):
    assert rollout_report.classify(before and result("C", before), after and result("C", after)) == change


def workstation(host, status):
    return {"kind": "workstation", "id": host, "results": [result("C", status)]}


def test_a_change_left_for_the_window_is_reported_pending_and_never_dropped(tmp_path):
    path, _state = rollout_state.open_rollout(str(tmp_path), targets(A=["a0", "a1", "a2"]), "all", "inv")
    rollout_state.record(path, "a0", "done", window_open=False, pending=["reboot after the Net iD update"])
    rollout_state.record(path, "a1", "done", window_open=True)
    before = {"subjects": [workstation(h, "failed") for h in ("a0", "a1", "a2")]}
    after = {"subjects": [workstation("a0", "failed"), workstation("a1", "passed"), workstation("a2", "failed")]}
    report = rollout_report.build(rollout_state.read_state(path), before, after)
    hosts = {h["host"]: h for h in report["clinics"][0]["hosts"]}
    assert hosts["a0"]["outcome"] == "pending" and "reboot after the Net iD update" in hosts["a0"]["reason"]
    assert hosts["a1"]["outcome"] == "done" and hosts["a1"]["counts"]["fixed"] == 1
    assert hosts["a2"]["outcome"] == "not_reached"
    assert report["totals"]["pending"] == 1 and report["totals"]["still_failing"] == 2
    files = dict(render_rollout.render(report))
    assert json.loads(files["rollout.json"]) == report
    assert "Pending (later)" in files["rollout.html"] and "reboot after the Net iD update" in files["rollout.html"]
    assert "default-src 'none'" in files["rollout.html"]
