"""fault-reports/: what Inera support asks for (REQ-SUP-2), one text per failing workstation or person."""

import datetime
import re

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
