"""Waivers: a malformed file is an error naming the file and the entry; an expired waiver stops applying
and is reported."""

import datetime
import textwrap

import pytest

from report_samples import BY_ID, subjects

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WaiverError
from ansible_collections.webcert.fleet.plugins.plugin_utils.results.model import make_result, make_subject
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.waivers import apply_waivers, load_waivers

KNOWN = {"WS-OS-SUPPORTED", "WS-EDGE-SITELIST"}
GOOD = """\
waivers:
  - control_id: WS-OS-SUPPORTED
    scope: all
    justification: Windows 11 rollout planned for Q1.
    owner: it@example.invalid
    expires: 2027-01-01
"""


def waiver_file(tmp_path, text):
    path = tmp_path / "waivers.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def test_a_good_file_loads_with_dates_as_text(tmp_path):
    waivers = load_waivers(waiver_file(tmp_path, GOOD), KNOWN)
    assert waivers[0]["expires"] == "2027-01-01" and waivers[0]["number"] == 1


@pytest.mark.parametrize("entry, words", [
    ("owner: x\n    expires: 2027-01-01", "entry 2 (control WS-EDGE-SITELIST) field 'waivers[1]': 'justification' is a required"),
    ("justification: too short\n    owner: x\n    expires: 2027-01-01", "entry 2 (control WS-EDGE-SITELIST) field 'waivers[1].justification'"),
    ("justification: A long enough reason.\n    owner: x\n    expires: 2027-02-30", "entry 2 (control WS-EDGE-SITELIST) field 'waivers[1].expires'"),
    ("justification: A long enough reason.\n    owner: x\n    expires: 2027-01-01\n    rnu: false", "entry 2 (control WS-EDGE-SITELIST)"),
])
def test_malformed_entry_names_file_and_entry(tmp_path, entry, words):
    text = GOOD + "  - control_id: WS-EDGE-SITELIST\n    scope: {host: vce-ws03}\n    " + entry + "\n"
    path = waiver_file(tmp_path, text)
    with pytest.raises(WaiverError) as error:
        load_waivers(path, KNOWN)
    assert str(error.value).startswith(path + ":") and words in str(error.value)


def test_unknown_control_and_bad_yaml_and_missing_file_name_the_file(tmp_path):
    path = waiver_file(tmp_path, GOOD.replace("WS-OS-SUPPORTED", "WS-NOT-THERE"))
    with pytest.raises(WaiverError, match=r"waivers.yml: entry 1: field 'control_id': unknown control 'WS-NOT-THERE'"):
        load_waivers(path, KNOWN)
    path = waiver_file(tmp_path, "waivers: [\n")
    with pytest.raises(WaiverError, match=r"waivers.yml: not valid YAML"):
        load_waivers(path, KNOWN)
    with pytest.raises(WaiverError, match=r"nowhere.yml: cannot read waiver file"):
        load_waivers(str(tmp_path / "nowhere.yml"), KNOWN)


def waiver(expires, scope="all"):
    return {"control_id": "WS-OS-SUPPORTED", "scope": scope, "justification": "Windows 11 rollout in Q1.",
            "owner": "it@example.invalid", "ticket": "T-1", "expires": expires, "number": 1}


def failing_host():
    subject = make_subject("workstation", "ws1", clinic="C")
    subject["results"].append(make_result(BY_ID["WS-OS-SUPPORTED"], "failed", message="build 17763"))
    return subject


def test_a_valid_waiver_waives_a_failure():
    subject = failing_host()
    usage = apply_waivers([subject], [waiver("2026-11-27")], today=datetime.date(2026, 11, 26))
    assert subject["results"][0]["waived"] is True and usage[0]["expired"] is False
    assert usage[0]["matched_results"] == 1


@pytest.mark.parametrize("today", [datetime.date(2026, 11, 26), datetime.date(2026, 12, 1)])
def test_an_expired_waiver_stops_applying_and_is_reported(today):
    # It expires at 00:00 on its date: on that very day it no longer applies.
    subject = failing_host()
    usage = apply_waivers([subject], [waiver("2026-11-26")], today=today)
    result = subject["results"][0]
    assert result["waived"] is False and result["status"] == "failed"
    assert result["waiver"]["expired"] is True
    assert usage == [dict(usage[0], control_id="WS-OS-SUPPORTED", expired=True, matched_results=1)]


def test_waiver_scopes_host_and_clinic():
    every = subjects()
    apply_waivers(every, [waiver("2027-01-01", {"clinic": "Mottagning Öst"})], today=datetime.date(2026, 11, 26))
    waived = {s["id"] for s in every for r in s["results"] if r["waived"]}
    assert waived == {"mo-ws01"}
    every = subjects()
    apply_waivers(every, [waiver("2027-01-01", {"host": "mo-ws01"})], today=datetime.date(2026, 11, 26))
    assert {s["id"] for s in every for r in s["results"] if r["waived"]} == {"mo-ws01"}


@pytest.mark.parametrize("status", ["error", "not_reviewed", "passed", "not_applicable"])
def test_a_waiver_waives_only_failures_and_is_recorded_on_other_results(status):
    # An unreachable host's control must show why it could not be checked, not "waived".
    subject = failing_host()
    subject["results"][0]["status"] = status
    usage = apply_waivers([subject], [waiver("2027-01-01")], today=datetime.date(2026, 11, 26))
    result = subject["results"][0]
    assert result["waived"] is False and result["status"] == status
    assert result["waiver"]["ticket"] == "T-1" and result["waiver"]["expired"] is False
    assert usage[0]["matched_results"] == 1


@pytest.mark.parametrize("started_at, expired", [
    ("2026-11-25T23:30:00+00:00", True),   # 00:30 on 26 November in Sweden (CET)
    ("2026-11-25T22:59:59Z", False),       # 23:59:59 on 25 November in Sweden
    ("2026-06-25T22:30:00+00:00", True),   # 00:30 on 26 June in Sweden (CEST)
    ("2026-11-26T02:00:00-05:00", True),   # the same run seen from a controller in New York
])
def test_today_is_the_swedish_calendar_day_of_the_run_start(started_at, expired):
    subject = failing_host()
    expires = "2026-06-26" if "-06-" in started_at else "2026-11-26"
    usage = apply_waivers([subject], [waiver(expires)], started_at=started_at)
    assert usage[0]["expired"] is expired and subject["results"][0]["waived"] is (not expired)


@pytest.mark.parametrize("started_at", [None, "2026-11-26T10:00:00", "yesterday"])
def test_a_run_without_a_usable_start_cannot_apply_waivers(started_at):
    with pytest.raises(WaiverError, match=r"run start \(run.started_at\)"):
        apply_waivers([failing_host()], [waiver("2027-01-01")], started_at=started_at)
