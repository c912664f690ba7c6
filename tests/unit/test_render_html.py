"""report.html, statically: self-contained, figures present, data safe inside <script>, compact data complete."""

import html.parser
import json
import re

import report_samples
from report_samples import sample_report, workstation

from ansible_collections.webcert.fleet.plugins.plugin_utils.report import render_html
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.history import compute_drift


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
    # Links only within the page (fragments that filter the list), never to a file or a host.
    assert parser.urls and all(url.startswith("#") for url in parser.urls)
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


def test_fix_first_ranks_failing_controls_by_impact_then_by_how_many_they_block():
    subjects = report_samples.subjects()
    for n in range(2):  # two more PCs on an unsupported Windows: that high control now blocks 3 PCs
        subjects.append(workstation("vce-ws1%d" % n, "Vårdcentralen Exempel", "SE5591234561-1001",
                                    {"WS-OS-SUPPORTED": "failed"}))
    report, text = page(sample_report(subject_list=subjects))
    ranked = [(control["id"], total) for control, _unused, total in render_html.blocking_controls(report)]
    assert ranked == [("WS-NETID-VERSION", 1), ("WS-OS-SUPPORTED", 3), ("HSA-PERSON-COMMISSION", 1),
                      ("HSA-UNIT-EMAIL", 1), ("WS-EDGE-SITELIST", 1)]  # the waived failure is not there
    fix_first = text.split('<section id="fix-first">')[1].split("</section>")[0]
    assert fix_first.index("WS-NETID-VERSION") < fix_first.index("WS-OS-SUPPORTED") < fix_first.index("HSA-UNIT-EMAIL")
    assert '<a class="go" href="#status=failed&amp;control=WS-OS-SUPPORTED">Show the 3 affected</a>' in fix_first
    assert "3 workstations" in fix_first and "Upgrade to Windows 10 22H2 or Windows 11." in fix_first
    assert text.index('id="fix-first"') < text.index('id="drift-section"') < text.index('id="clinic-section"')


def test_fix_first_names_the_persons_who_cannot_work_and_the_hosts_not_checked():
    _unused, text = page()
    persons = text.split('id="fix-persons"')[1].split("</table>")[0]
    assert "Anna Andersson" in persons and "SE5591234561-2001" in persons and "commission expired" in persons
    assert 'href="#text=SE5591234561-2001"' in persons
    assert 'Could not be checked: 1 workstation. <a class="go" href="#status=error">' in text


def test_clinics_worst_first_and_a_readable_chart_at_region_scale():
    many = [workstation("pc%04d" % n, "Clinic %03d" % (n % 120), "SE5591234561-%04d" % (n % 120),
                        {"WS-OS-SUPPORTED": "failed" if n % 120 < (n // 120) % 7 else "passed",
                         "WS-JS-ENABLED": "passed"}) for n in range(1200)]
    report, text = page(sample_report(subject_list=many, waivers=[]))
    ranked = render_html.clinics_worst_first(report)
    percents = [render_html.compliance_percent(row[1]) for row in ranked]
    assert percents == sorted(percents) and percents[0] < percents[-1]
    chart = text.split('id="chart"')[1].split("</svg>")[0]
    assert chart.count('text-anchor="end"') == render_html.CHART_CLINICS == 15
    assert "Show all 120 clinics in the chart" in text
    clinic_rows = text.split('<tbody id="clinics">')[1].split("</tbody>")[0]
    assert clinic_rows.count("<tr>") == 120 and clinic_rows.index(ranked[0][0]) < clinic_rows.index(ranked[-1][0])


def test_cards_link_to_their_lists_and_warnings_are_counted():
    _unused, text = page()
    assert '<a class="card s-failed" href="#status=failed"><div class="big" id="fig-failed">5</div>' in text
    assert '<a class="card s-warning" href="#status=warning"><div class="big" id="fig-warnings">1</div>' in text


def test_errors_read_as_a_sentence_with_the_raw_text_kept():
    report = sample_report()
    data = render_html.compact_data(report)
    down = next(s for s in data["subjects"] if s[1] == "vce-ws04")
    assert down[6] == "host unreachable: connection refused"
    assert down[10].startswith("The PC could not be reached")
    assert render_html.human_error("could not judge the evidence: KeyError: 'os'").startswith("This control could not")
    assert render_html.human_error("something nobody foresaw").startswith("The audit could not check this")


def test_a_profile_notice_is_shown_first():
    report = sample_report()
    report["notices"] = [{"profile": "inera-classic", "text": "Inera retires the IE mode flow.", "source": "controls/profiles.yml"}]
    _unused, text = page(report)
    assert text.count('id="notice-inera-classic"') == 1
    assert text.index('id="notice-inera-classic"') < text.index('id="fix-first"')
