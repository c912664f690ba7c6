"""report.html, statically: self-contained, figures present, data safe inside <script>, compact data complete."""

import html.parser
import json
import re

from report_samples import sample_report

from ansible_collections.webcert.fleet.plugins.plugin_utils import render_html
from ansible_collections.webcert.fleet.plugins.plugin_utils.history import compute_drift


class Collector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls, self.tags, self.scripts, self._in_data = [], [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "action", "srcset", "poster", "data") and value:
                self.urls.append(value)
        self._in_data = tag == "script" and ("id", "report-data") in attrs

    def handle_data(self, data):
        if self._in_data:
            self.scripts.append(data)

    def handle_endtag(self, tag):
        self._in_data = False


def page(report=None):
    report = report or sample_report()
    report.setdefault("drift", compute_drift(None, report, {"status": "first_run", "previous_run_id": None,
                                                            "reason": "no earlier run"}))
    return report, render_html.render_html(report)


def test_self_contained_no_external_assets():
    _unused, text = page()
    parser = Collector()
    parser.feed(text)
    assert parser.urls == []
    assert not {"link", "img", "iframe", "object", "embed"} & set(parser.tags)
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//", text, re.I)
    assert "@import" not in text and "url(" not in text
    assert "default-src 'none'" in text


def test_fleet_figures_chart_and_care_units():
    report, text = page()
    assert '<div class="big" id="fig-subjects">7</div>' in text
    assert '<div class="big" id="fig-failed">5</div>' in text  # open failures; the waived one is not counted
    assert '<div class="big" id="fig-waived">1</div>' in text
    assert text.count("<svg") == 1 and "Mottagning Öst" in text
    assert "SE5591234561-1002" in text  # care unit detail
    assert "EXPIRED" in text  # the expired waiver is reported


def test_hostile_text_cannot_leave_the_json_block():
    report = sample_report()
    report["subjects"][0]["results"][0]["actual"] = "</script><script>alert(1)</script><!--"
    report["subjects"][0]["id"] = "<b>ws</b>"
    _unused, text = page(report)
    parser = Collector()
    parser.feed(text)
    assert len(parser.scripts) == 1
    data = json.loads(parser.scripts[0])
    assert "</script><script>alert(1)</script><!--" in data["strings"]
    assert "<b>ws</b>" not in text.split('id="report-data"', maxsplit=1)[0]


def test_compact_data_holds_every_result():
    report = sample_report()
    data = render_html.compact_data(report)
    assert [s[1] for s in data["subjects"]] == [s["id"] for s in report["subjects"]]
    for packed, subject in zip(data["subjects"], report["subjects"]):
        assert len(packed[9]) == len(subject["results"])
        for row, result in zip(packed[9], subject["results"]):
            assert data["controls"][row[0]][0] == result["control_id"]
            assert data["statuses"][row[1]] == ("waived" if result["waived"] else result["status"])
            assert data["strings"][row[5]] == result["message"]


def test_drift_unavailable_is_shown():
    report = sample_report()
    report["drift"] = compute_drift(None, report, {"status": "unavailable", "previous_run_id": "x",
                                                   "reason": "reports/x/report.json: not valid JSON"})
    _unused, text = page(report)
    assert "Drift: unavailable" in text and "not valid JSON" in text


def test_drift_shows_failures_not_judged_before_and_the_run_looked_back_to():
    report = sample_report()
    report["drift"] = compute_drift(None, report, {"status": "computed", "previous_run_id": "p", "reason": None})
    first, second = report["subjects"][0]["results"][:2]
    report["drift"]["counts"]["not_judged_before"] = 1
    report["drift"]["not_judged_before"].append({"kind": "workstation", "subject_id": "mo-ws01", "clinic": "C",
                                                 "control_id": first["control_id"], "impact": "high",
                                                 "before": "error", "now": "failed"})
    report["drift"]["counts"]["regressed"] = 1
    report["drift"]["regressed"].append({"kind": "workstation", "subject_id": "vce-ws02", "clinic": "C",
                                         "control_id": second["control_id"], "impact": "high", "before": "passed",
                                         "now": "failed", "looked_back": {"run_id": "r-older", "previous": "error"}})
    _unused, text = page(report)
    assert "Failing, not judged before" in text
    assert "passed in run r-older (error in the previous run)" in text
