"""fault-reports/: what Inera support asks for (REQ-SUP-2), one text per failing workstation or person."""

import datetime
import re

from hypothesis import given, settings, strategies as st

from report_samples import sample_report

from ansible_collections.webcert.fleet.plugins.plugin_utils.report import render_fault_reports


def files(report=None):
    return dict(render_fault_reports.render(report or sample_report()))


def test_one_report_per_failing_workstation_or_person_only():
    found = files()
    assert set(found) == {"fault-reports/vce-ws02.txt", "fault-reports/mo-ws01.txt",
                          "fault-reports/person-SE5591234561-2001.txt", "fault-reports/index.txt"}
    # vce-ws03's only failure is waived; vce-ws04 is an error (local problem); the care unit is no user.
    assert "vce-ws03" not in found["fault-reports/index.txt"]


def test_carries_hsa_ids_time_with_zone_controls_and_marked_fill_ins():
    text = files()["fault-reports/mo-ws01.txt"]
    assert "HSA-id vårdenhet (care unit):        SE5591234561-1002" in text
    assert "SE5591234561-1000" in text
    moment = re.search(r"Tidpunkt \(time, ISO 8601\):\s+(\S+)", text).group(1)
    assert datetime.datetime.fromisoformat(moment).utcoffset() == datetime.timedelta(hours=1)
    assert "Kontroll-id (control ids):           WS-OS-SUPPORTED, WS-EDGE-SITELIST" in text
    assert re.search(r"Intygs-ID \(certificate id\):\s+\[FYLL I / FILL IN:", text)
    # No person HSA-id is known on a shared PC: marked, with the signed-in user as a hint.
    assert re.search(r"HSA-id person:\s+\[FYLL I / FILL IN: .*EXK\\anna\.andersson", text)
    assert "OK  WS-NETID-VERSION" in text  # already checked locally


def test_person_report_uses_its_own_hsa_id():
    text = files()["fault-reports/person-SE5591234561-2001.txt"]
    assert re.search(r"HSA-id person:\s+SE5591234561-2001", text)
    assert "commission expired" in text


def test_time_without_zone_falls_back_to_the_run_start():
    report = sample_report()
    report["subjects"][1]["collected_at"] = "2026-11-24T07:42:10"
    text = files(report)["fault-reports/vce-ws02.txt"]
    assert "Tidpunkt (time, ISO 8601):           2026-11-26T10:00:00+00:00" in text


FORGED = "x\nHSA-id person:                       SE0000000000-EVIL\r\nIntygs-ID (certificate id):          forged\u2028y"


def _open_failure(subject):
    return next(r for r in subject["results"] if r["status"] == "failed" and not r.get("waived"))


def test_a_value_from_evidence_is_one_line_and_cannot_forge_a_field_line():
    """Issue 19: a PC's text (message, found value, signed-in user, id) with line breaks forges no line."""
    report = sample_report()
    subject = report["subjects"][1]  # vce-ws02
    failed = _open_failure(subject)
    failed.update(message=FORGED, actual=FORGED)
    subject["user_context"] = FORGED
    subject["evidence_source"] = "file:" + FORGED
    passed = next(r for r in subject["results"] if r["status"] == "passed")
    passed["actual"] = FORGED
    text = files(report)["fault-reports/vce-ws02.txt"]
    lines = text.split("\n")
    assert len([line for line in lines if line.startswith("HSA-id person:")]) == 1
    assert [line for line in lines if line.startswith("Intygs-ID")] == [
        "Intygs-ID (certificate id):          [FYLL I / FILL IN: the intygs-ID shown in Webcert when the error occurred]"]
    assert not any("SE0000000000-EVIL" in line and not line.startswith(" ") and "\u23ce" not in line for line in lines)
    assert "      message:  x\u23ceHSA-id person:" in text
    assert "\u2028" not in text and "\r" not in text


def test_a_person_whose_id_holds_a_line_break_is_one_line_in_the_index():
    report = sample_report()
    person = next(s for s in report["subjects"] if s["kind"] == "person" and any(
        r["status"] == "failed" and not r.get("waived") for r in s["results"]))
    person["id"] = "SE5591234561-2001\nIntygs-ID: forged"
    found = files(report)
    index = found["fault-reports/index.txt"].split("\n")
    assert not any(line.startswith("Intygs-ID") for line in index)
    assert any(line.endswith("person SE5591234561-2001\u23ceIntygs-ID: forged") for line in index)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60), st.text(max_size=60))
def test_any_text_from_evidence_adds_no_line_to_a_fault_report(message, actual, user):
    """Property: whatever a PC writes into a message, a found value or its user name, the fault report has
    exactly the lines it has for plain text."""
    def rendered(message, actual, user):
        report = sample_report()
        subject = report["subjects"][1]  # vce-ws02
        _open_failure(subject).update(message=message, actual=actual)
        subject["user_context"] = user
        return files(report)["fault-reports/vce-ws02.txt"]
    assert len(rendered(message, actual, user).split("\n")) == len(rendered("m", "a", "u").split("\n"))
