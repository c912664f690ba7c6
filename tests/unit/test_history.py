"""History: the previous run of the same inventory, the five drift groups, the look-back past unjudged runs, and a corrupt previous report."""

import copy
import datetime
import json
import os

import pytest

from report_samples import WAIVERS, sample_report, subjects

from ansible_collections.webcert.fleet.plugins.plugin_utils.report.history import LOOKBACK_RUNS, compute_drift, earlier_reports, find_previous
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.write import write_run

FIRST, SECOND, THIRD = "20261124T080000.000Z-aaaaaa", "20261125T080000.000Z-bbbbbb", "20261126T080000.000Z-cccccc"


def finish(report, reports_dir):
    previous, status = find_previous(str(reports_dir), report["run"]["inventory"], report["run"]["id"])
    earlier = earlier_reports(str(reports_dir), report["run"]["inventory"], status["previous_run_id"])
    report["drift"] = compute_drift(previous, report, status, earlier)
    return report


def set_status(subject_list, host, control_id, status):
    for subject in subject_list:
        for result in subject["results"]:
            if subject["id"] == host and result["control_id"] == control_id:
                result["status"] = status


def test_first_run_has_no_drift(tmp_path):
    report = finish(sample_report(FIRST), tmp_path)
    assert report["drift"]["status"] == "first_run" and report["drift"]["counts"]["new_failures"] == 0


def test_five_drift_groups_are_disjoint_and_exact(tmp_path):
    before = subjects()
    set_status(before, "vce-ws01", "WS-NETID-VERSION", "passed")  # will regress
    set_status(before, "vce-ws02", "WS-NETID-VERSION", "failed")  # will be resolved
    set_status(before, "mo-ws01", "WS-OS-SUPPORTED", "not_applicable")  # now failed: a new failure
    set_status(before, "vce-ws02", "WS-OS-SUPPORTED", "not_reviewed")  # now failed, never judged before
    write_run(finish(sample_report(FIRST, subject_list=before, today=datetime.date(2026, 10, 1)), tmp_path), str(tmp_path))
    now = subjects()
    set_status(now, "vce-ws01", "WS-NETID-VERSION", "failed")
    set_status(now, "vce-ws02", "WS-NETID-VERSION", "passed")
    set_status(now, "vce-ws02", "WS-OS-SUPPORTED", "failed")
    report = finish(sample_report(SECOND, subject_list=now), tmp_path)
    drift = report["drift"]
    assert drift["status"] == "computed" and drift["previous_run_id"] == FIRST
    pairs = {k: sorted((i["subject_id"], i["control_id"]) for i in drift[k]) for k in drift["counts"]}
    assert pairs["regressed"] == [("vce-ws01", "WS-NETID-VERSION")]
    assert pairs["resolved"] == [("vce-ws02", "WS-NETID-VERSION")]
    assert pairs["new_failures"] == [("mo-ws01", "WS-OS-SUPPORTED")]
    assert pairs["not_judged_before"] == [("vce-ws02", "WS-OS-SUPPORTED")]
    # The clinic waiver (expires 2026-11-01) was valid on 2026-10-01 and has expired now.
    assert pairs["waiver_expired"] == [("mo-ws01", "WS-EDGE-SITELIST")]
    assert drift["by_clinic"]["Mottagning Öst"]["waiver_expired"] == 1
    assert drift["by_clinic"]["Vårdcentralen Exempel"]["regressed"] == 1


def test_a_new_host_failing_is_a_new_failure(tmp_path):
    before = [s for s in subjects() if s["id"] != "vce-ws02"]
    write_run(finish(sample_report(FIRST, subject_list=before), tmp_path), str(tmp_path))
    drift = finish(sample_report(SECOND), tmp_path)["drift"]
    assert [(i["subject_id"], i["before"]) for i in drift["new_failures"]] == [("vce-ws02", "absent")]


def test_previous_run_is_the_newest_of_the_same_inventory(tmp_path):
    write_run(finish(sample_report(FIRST), tmp_path), str(tmp_path))
    write_run(finish(sample_report(SECOND, inventory="inventories/other"), tmp_path), str(tmp_path))
    # An interrupted run is never renamed to its run id, so it is not a candidate.
    os.makedirs(tmp_path / (".incomplete-" + "20261125T090000.000Z-dddddd"))
    drift = finish(sample_report(THIRD), tmp_path)["drift"]
    assert drift["previous_run_id"] == FIRST


@pytest.mark.parametrize("damage", ["truncate", "garbage", "not_a_report", "missing"])
def test_corrupt_previous_report_gives_unavailable_drift_naming_the_file(tmp_path, damage):
    run_dir, _unused = write_run(finish(sample_report(FIRST), tmp_path), str(tmp_path))
    path = os.path.join(run_dir, "report.json")
    text = open(path, encoding="utf-8").read()
    if damage == "truncate":
        open(path, "w", encoding="utf-8").write(text[: len(text) // 2])
    elif damage == "garbage":
        open(path, "wb").write(b"\x00\xff not json")
    elif damage == "not_a_report":
        open(path, "w", encoding="utf-8").write(json.dumps({"subjects": [{"kind": "workstation"}]}))
    else:
        os.unlink(path)
    report = finish(sample_report(SECOND), tmp_path)
    drift = report["drift"]
    assert drift["status"] == "unavailable" and drift["previous_run_id"] == FIRST
    assert path in drift["reason"]
    # The run still writes all its outputs.
    second_dir, written = write_run(report, str(tmp_path))
    assert "report.html" in written and os.readlink(tmp_path / "latest") == SECOND


def test_drift_lists_are_capped_but_counts_exact(tmp_path, monkeypatch):
    from ansible_collections.webcert.fleet.plugins.plugin_utils.report import history  # pylint: disable=import-outside-toplevel
    monkeypatch.setattr(history, "MAX_LISTED", 2)
    before = copy.deepcopy(subjects())
    for subject in before:
        for result in subject["results"]:
            result["status"] = "passed"
    write_run(finish(sample_report(FIRST, subject_list=before, waivers=[]), tmp_path), str(tmp_path))
    drift = finish(sample_report(SECOND, waivers=WAIVERS[:1]), tmp_path)["drift"]
    assert drift["counts"]["regressed"] == 5 and len(drift["regressed"]) == 2


def run_id(day, hour):
    return "202611%02dT%02d0000.000Z-%06x" % (day, hour, day * 100 + hour)


def write(subject_list, name, reports_dir, inventory="inventories/example"):
    return write_run(finish(sample_report(name, inventory=inventory, subject_list=subject_list), reports_dir),
                     str(reports_dir))


def unreachable(subject_list, host):
    for subject in subject_list:
        if subject["id"] == host:
            for result in subject["results"]:
                result["status"] = "error"


def test_failures_after_one_unreachable_run_are_judged_against_the_last_judged_run(tmp_path):
    # A PC switched off for one nightly run: its long-standing failures are not new when it is back.
    write(subjects(), run_id(20, 1), tmp_path)
    off = subjects()
    unreachable(off, "mo-ws01")
    unreachable(off, "vce-ws02")
    write(off, run_id(21, 1), tmp_path)
    now = subjects()
    set_status(now, "vce-ws02", "WS-OS-SUPPORTED", "failed")  # passed in the last judged run: regressed
    drift = finish(sample_report(run_id(22, 1), subject_list=now), tmp_path)["drift"]
    pairs = {k: sorted((i["subject_id"], i["control_id"]) for i in drift[k]) for k in drift["counts"]}
    assert pairs["new_failures"] == [] and pairs["not_judged_before"] == []
    assert pairs["regressed"] == [("vce-ws02", "WS-OS-SUPPORTED")]
    item = drift["regressed"][0]
    assert item["before"] == "passed" and item["looked_back"] == {"run_id": run_id(20, 1), "previous": "error"}


def test_a_failure_never_judged_before_is_its_own_group_and_does_not_gate(tmp_path):
    from ansible_collections.webcert.fleet.plugins.plugin_utils.report.gate import evaluate
    off = subjects()
    unreachable(off, "mo-ws01")
    write(off, run_id(20, 1), tmp_path)
    report = finish(sample_report(run_id(21, 1)), tmp_path)
    drift = report["drift"]
    assert drift["counts"]["new_failures"] == 0
    assert sorted(i["control_id"] for i in drift["not_judged_before"]) == ["WS-EDGE-SITELIST", "WS-OS-SUPPORTED"]
    assert drift["by_clinic"]["Mottagning Öst"]["not_judged_before"] == 2
    assert evaluate({"new_failures": True}, report)["passed"] is True


def test_the_look_back_is_bounded(tmp_path):
    write(subjects(), run_id(1, 1), tmp_path)  # judged, but too long ago
    off = subjects()
    unreachable(off, "mo-ws01")
    for number in range(LOOKBACK_RUNS):
        write(off, run_id(2, number), tmp_path)
    drift = finish(sample_report(run_id(3, 1)), tmp_path)["drift"]
    assert drift["counts"]["not_judged_before"] == 2 and drift["counts"]["new_failures"] == 0


def test_a_corrupt_run_json_of_another_inventory_does_not_block_drift(tmp_path):
    write(subjects(), FIRST, tmp_path)
    other_dir, _unused = write(subjects(), SECOND, tmp_path, inventory="inventories/other")
    open(os.path.join(other_dir, "run.json"), "w", encoding="utf-8").write("{ truncated")
    drift = finish(sample_report(THIRD), tmp_path)["drift"]
    assert drift["status"] == "computed" and drift["previous_run_id"] == FIRST
    assert os.path.join(other_dir, "run.json") in drift["reason"]


def test_only_unreadable_runs_give_unavailable_naming_them(tmp_path):
    run_dir, _unused = write(subjects(), FIRST, tmp_path, inventory="inventories/other")
    open(os.path.join(run_dir, "run.json"), "w", encoding="utf-8").write("{ truncated")
    drift = finish(sample_report(THIRD), tmp_path)["drift"]
    assert drift["status"] == "unavailable" and os.path.join(run_dir, "run.json") in drift["reason"]


def test_failures_of_a_host_left_out_of_the_previous_run_are_not_new(tmp_path):
    # A --limit run reports only the limited hosts: the others are absent from it, not new afterwards.
    write(subjects(), run_id(20, 1), tmp_path)
    write([s for s in subjects() if s["id"] == "vce-ws01"], run_id(21, 1), tmp_path)
    drift = finish(sample_report(run_id(22, 1)), tmp_path)["drift"]
    assert drift["counts"]["new_failures"] == 0 and drift["counts"]["not_judged_before"] == 0
    # A host absent from every earlier run is a new host: its failures are new.
    newcomer = subjects()
    for subject in newcomer:
        if subject["id"] == "mo-ws01":
            subject["id"] = "mo-ws09"
    drift = finish(sample_report(run_id(22, 2), subject_list=newcomer), tmp_path)["drift"]
    assert sorted((i["subject_id"], i["before"]) for i in drift["new_failures"]) == [
        ("mo-ws09", "absent"), ("mo-ws09", "absent")]
