"""report.json counts every result once, like the HTML, the terminal table and JUnit."""

from report_samples import sample_report

from ansible_collections.webcert.fleet.plugins.plugin_utils.report.common import clinic_of
from ansible_collections.webcert.fleet.plugins.plugin_utils.results.model import count_statuses as effective_counts


def test_summary_counts_each_result_once_and_agrees_with_the_other_outputs():
    report = sample_report()
    every = [r for s in report["subjects"] for r in s["results"]]
    waived_failures = [r for r in every if r["waived"] and r["status"] == "failed"]
    assert waived_failures, "the sample must hold a waived failure"
    counts = report["summary"]["results"]
    assert sum(counts.values()) == len(every)
    assert counts == effective_counts(every)
    assert counts["failed"] == sum(1 for r in every if r["status"] == "failed" and not r["waived"])
    for clinic, figures in report["summary"]["by_clinic"].items():
        results = [r for s in report["subjects"] if clinic_of(s) == clinic for r in s["results"]]
        assert figures == effective_counts(results), clinic
