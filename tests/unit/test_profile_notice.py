"""A profile's notice (controls/profiles.yml) reaches report.json once per run, and the HTML report and the
terminal summary show it: inera-classic says that a classic pass does not mean a user can sign."""

import importlib.util
import os

from report_samples import sample_report, subjects

from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.render_html import render_html
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.write import profile_notices, validate_report

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SUMMARY = os.path.join(REPO, "plugins", "callback", "webcert_summary.py")
spec = importlib.util.spec_from_file_location("webcert_summary", SUMMARY)
webcert_summary = importlib.util.module_from_spec(spec)
spec.loader.exec_module(webcert_summary)


def test_classic_profile_notice_is_data_with_a_source():
    notice = load_catalogue().profiles["inera-classic"]["notice"]
    assert "2024-03-19" in notice["text"] and "Chrome or Edge" in notice["text"]
    assert "SITHS eID app" in notice["text"] and "2776563713" in notice["source"]


def test_notice_appears_once_for_a_run_on_the_classic_profile_only():
    catalogue = load_catalogue()
    classic = [{"profile": "inera-classic"}, {"profile": "inera-classic"}, {"profile": None}]
    notices = profile_notices(catalogue, classic)
    assert [n["profile"] for n in notices] == ["inera-classic"]
    assert profile_notices(catalogue, [{"profile": "inera-2024"}]) == []


def test_html_and_terminal_show_the_notice_once():
    notice = profile_notices(load_catalogue(), subjects())
    report = sample_report()
    report["notices"] = notice
    validate_report(report)
    html = render_html(report)
    assert html.count('id="notice-inera-classic"') == 1 and "2024-03-19" in html
    text = webcert_summary.format_summary({"table": [], "notices": notice, "report_dir": "/r/1", "latest": "/r/l"})
    assert text.count("NOTE (profile inera-classic)") == 1 and "2024-03-19" in text
