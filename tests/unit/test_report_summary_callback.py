"""The webcert_summary callback's table: one line per clinic, totals, drift and gate lines."""

import importlib.util
import os

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
spec = importlib.util.spec_from_file_location("webcert_summary", os.path.join(REPO, "plugins", "callback",
                                                                              "webcert_summary.py"))
webcert_summary = importlib.util.module_from_spec(spec)
spec.loader.exec_module(webcert_summary)

ROW = dict.fromkeys(("passed", "failed", "error", "waived", "not_reviewed", "not_applicable", "new_failures",
                     "regressed", "waiver_expired", "resolved", "not_judged_before"), 0)


def test_table_has_a_line_per_clinic_and_totals():
    table = [dict(ROW, clinic="Mottagning Öst", passed=11, failed=3, regressed=1, not_judged_before=2),
             dict(ROW, clinic="Vårdcentralen Exempel", passed=20, failed=3, waived=1, error=8)]
    lines = webcert_summary.format_table(table)
    assert lines[0].split() == ["Clinic", "Passed", "Failed", "Error", "Waived", "NotRev", "N/A", "New", "Regr",
                                "WvExp", "Resolv", "NoJdg"]
    assert lines[2].split()[-11:] == ["11", "3", "0", "0", "0", "0", "0", "1", "0", "0", "2"]
    assert lines[-1].split() == ["Total", "31", "6", "8", "1", "0", "0", "0", "1", "0", "0", "2"]


def test_summary_names_unavailable_drift_and_failed_gate():
    text = webcert_summary.format_summary({
        "table": [dict(ROW, clinic="C")], "report_dir": "/r/1", "latest": "/r/latest",
        "drift": {"status": "unavailable", "reason": "/r/0/report.json: not valid JSON"},
        "gate": {"enabled": True, "passed": False, "reasons": ["max_error=0: 4 result(s)"]}})
    assert "Drift: UNAVAILABLE: /r/0/report.json: not valid JSON" in text
    assert "Gate: FAILED: max_error=0: 4 result(s)" in text and "Reports: /r/1" in text
