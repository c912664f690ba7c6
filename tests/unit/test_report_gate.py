"""Gating: rules from webcert_gate or WEBCERT_GATE, threshold crossing, waived results never gate."""

import pytest

from report_samples import sample_report

from ansible_collections.webcert.fleet.plugins.plugin_utils.report.gate import GateError, evaluate, parse_gate, select_gate
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.history import compute_drift


def test_failed_impact_counts_open_failures_at_or_above_the_threshold():
    report = sample_report()
    critical = evaluate(parse_gate({"failed_impact": "critical"}), report)
    assert not critical["passed"] and "1 open failure(s)" in critical["reasons"][0]  # vce-ws02 Net iD
    high = evaluate(parse_gate("failed_impact=high"), report)
    assert "4 open failure(s)" in high["reasons"][0]


def test_waived_results_never_cross_the_gate():
    report = sample_report()
    for subject in report["subjects"]:
        for result in subject["results"]:
            if result["status"] in ("failed", "error"):
                result["waived"] = True
    gate = evaluate(parse_gate({"failed_impact": "low", "max_error": 0, "max_failed": 0}), report)
    assert gate["passed"] and gate["reasons"] == []


def test_count_rules_and_no_gate():
    report = sample_report()
    assert evaluate(parse_gate("max_error=4,max_failed=5,max_not_reviewed=1"), report)["passed"]
    crossed = evaluate(parse_gate("max_error=3"), report)
    assert crossed["reasons"] == ["max_error=3: 4 result(s)"]
    assert evaluate(parse_gate(None), report) == {"enabled": False, "source": None, "rules": {}, "passed": True,
                                                  "reasons": []}


def test_new_failures_rule_uses_drift():
    report = sample_report()
    report["drift"] = compute_drift(None, report, {"status": "computed", "previous_run_id": "p", "reason": None})
    report["drift"]["counts"]["regressed"] = 2
    assert "2 new failure(s)" in evaluate(parse_gate({"new_failures": True}), report)["reasons"][0]


def test_environment_wins_over_inventory():
    rules, source = select_gate({"failed_impact": "critical"}, {"WEBCERT_GATE": "max_error=0"})
    assert rules == {"max_error": 0} and source == "WEBCERT_GATE"
    rules, source = select_gate({"failed_impact": "critical"}, {})
    assert rules == {"failed_impact": "critical"} and source == "webcert_gate"


@pytest.mark.parametrize("setting, words", [
    ({"fail_on": "high"}, "unknown rule 'fail_on'"),
    ({"failed_impact": "severe"}, "'severe' is not one of"),
    ("max_error=-1", "not a whole number"),
    ("max_error=two", "not a whole number"),
    ("failed_impact", "is not rule=value"),
    ({"new_failures": "maybe"}, "not true or false"),
    (["failed_impact"], "must be a mapping"),
])
def test_malformed_gate_names_the_setting_and_rule(setting, words):
    with pytest.raises(GateError) as error:
        parse_gate(setting)
    assert str(error.value).startswith("webcert_gate: ") and words in str(error.value)
