"""junit.xml parses with a JUnit XML parser (junitparser), validates against the Jenkins xunit plugin's
JUnit schema (xmllint) and has one test case per subject and control."""

import re

import pytest
from junitparser import Error, Failure, JUnitXml, Skipped

from format_tools import xmllint
from report_samples import sample_report

from ansible_collections.webcert.fleet.plugins.plugin_utils.report import render_junit


@pytest.fixture()
def junit(tmp_path):
    report = sample_report()
    (path, text), = list(render_junit.render(report))
    assert path == "junit.xml"
    target = tmp_path / "junit.xml"
    target.write_text(text, encoding="utf-8")
    return report, JUnitXml.fromfile(str(target))


def outcome(case):
    kinds = {Failure: "failure", Error: "error", Skipped: "skipped"}
    found = [kinds[type(r)] for r in case.result if type(r) in kinds]
    return (found[0], case.result[0].type) if found else ("passed", None)


def test_one_suite_per_subject_and_one_case_per_control(junit):
    report, xml = junit
    suites = {suite.name: suite for suite in xml}
    # Beside one suite per subject, the readiness suite (a case per person and PC, test_readiness.py).
    assert set(suites) == {render_junit.suite_name(s) for s in report["subjects"]} | {"readiness"}
    assert {"vce-ws01", "care_unit SE5591234561-1002", "person SE5591234561-2001"} <= set(suites)
    for subject in report["subjects"]:
        assert len(list(suites[render_junit.suite_name(subject)])) == len(subject["results"])


def test_statuses_become_failure_error_and_skipped(junit):
    _unused, xml = junit
    cases = {(suite.name, case.name.split(" ")[0]): case for suite in xml for case in suite}
    assert outcome(cases[("vce-ws01", "WS-OS-SUPPORTED")]) == ("passed", None)
    assert outcome(cases[("vce-ws02", "WS-NETID-VERSION")]) == ("failure", "failed")
    assert outcome(cases[("vce-ws02", "WS-EDGE-SITELIST")]) == ("skipped", "not_applicable")
    assert outcome(cases[("vce-ws02", "WS-JS-ENABLED")]) == ("skipped", "not_reviewed")
    assert outcome(cases[("vce-ws04", "WS-OS-SUPPORTED")]) == ("error", "error")
    assert outcome(cases[("vce-ws03", "WS-EDGE-SITELIST")]) == ("skipped", "waived")
    # An expired waiver no longer applies: a plain failure again.
    assert outcome(cases[("mo-ws01", "WS-EDGE-SITELIST")]) == ("failure", "failed")
    assert outcome(cases[("person SE5591234561-2001", "HSA-PERSON-COMMISSION")]) == ("failure", "failed")


def test_suite_counts_match_the_cases(junit):
    _unused, xml = junit
    xml.update_statistics()
    total = sum(len(list(suite)) for suite in xml)
    assert xml.tests == total
    failures = sum(1 for suite in xml for case in suite if outcome(case)[0] == "failure")
    assert xml.failures == failures
    assert sum(1 for suite in xml if suite.name != "readiness" for case in suite if outcome(case)[0] == "failure") == 5


def test_control_characters_from_evidence_do_not_break_the_xml(tmp_path):
    report = sample_report()
    report["subjects"][1]["results"][1]["message"] = "bad \x00\x1b value </failure> & <x>"
    (_unused, text), = list(render_junit.render(report))
    target = tmp_path / "junit.xml"
    target.write_text(text, encoding="utf-8")
    xml = JUnitXml.fromfile(str(target))
    case = next(c for s in xml if s.name == "vce-ws02" for c in s if c.name.startswith("WS-NETID-VERSION"))
    assert case.result[0].message == "bad \ufffd\ufffd value </failure> & <x>"


def test_valid_against_the_jenkins_xunit_plugin_schema(tmp_path):
    report = sample_report()
    (_unused, text), = list(render_junit.render(report))
    target = tmp_path / "junit.xml"
    target.write_text(text, encoding="utf-8")
    result = xmllint(target)
    assert result.returncode == 0, result.stderr
    # The check can fail: the attribute we wrote before is rejected there.
    target.write_text(text.replace("<testsuites ", '<testsuites skipped="1" ', 1), encoding="utf-8")
    rejected = xmllint(target)
    assert rejected.returncode != 0 and "skipped" in rejected.stderr


def test_absent_values_read_as_words_not_python(junit):
    report, xml = junit
    case = next(c for s in xml if s.name == "care_unit SE5591234561-1002" for c in s)
    text = case.result[0].text
    assert "actual: (none)" in text and "None" not in text
    (_unused, raw), = list(render_junit.render(report))
    assert not re.search(r"\bNone\b|\['", raw)
