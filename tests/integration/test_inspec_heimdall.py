"""inspec/*.json read by MITRE's inspecjs (the library Heimdall reads InSpec JSON with), run by the
machine's Node.js: every file is read, and Heimdall's statuses give the figures report.json gives."""

import collections

from format_tools import HEIMDALL, heimdall_view, inspecjs
from report_samples import sample_report

from ansible_collections.webcert.fleet.plugins.plugin_utils.report import render_inspec
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.common import effective_status


def heimdall_counts(report, controls):
    seen = collections.Counter((c["status"], c["waived"]) for c in controls)
    expected = collections.Counter((HEIMDALL[effective_status(r)], effective_status(r) == "waived")
                                   for s in report["subjects"] for r in s["results"])
    return seen, expected


def test_heimdall_counts_what_the_report_counts(tmp_path):
    report = sample_report()
    for path, text in render_inspec.render(report):
        (tmp_path / path).parent.mkdir(exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    controls = heimdall_view((tmp_path / "inspec").glob("*.json"))
    assert len(controls) == sum(len(s["results"]) for s in report["subjects"])
    seen, expected = heimdall_counts(report, controls)
    assert seen == expected
    # The waived result is waived in Heimdall, not counted as failed.
    assert seen[("Failed", False)] == report["summary"]["results"]["failed"] == 5
    assert seen[("Not Applicable", True)] == report["summary"]["results"]["waived"] == 1
    assert seen[("Profile Error", False)] == report["summary"]["results"]["error"]


def test_a_file_inspecjs_cannot_read_is_reported(tmp_path):
    (tmp_path / "broken.json").write_text('{"profiles": "not a list"}', encoding="utf-8")
    result = inspecjs(tmp_path / "broken.json")
    assert result.returncode == 1 and "broken.json" in result.stderr
