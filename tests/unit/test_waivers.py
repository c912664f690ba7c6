"""Waivers: a malformed file is an error naming the file and the entry; an expired waiver stops applying
and is reported."""

import datetime
import textwrap

import pytest

from report_samples import BY_ID, subjects

from webcert.errors import WaiverError
from webcert.results import make_result, make_subject
from webcert.waivers import apply_waivers, load_waivers

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
    apply_waivers(every, [waiver("2027-01-01", {"host": "vce-ws04"})], today=datetime.date(2026, 11, 26))
    assert {s["id"] for s in every for r in s["results"] if r["waived"]} == {"vce-ws04"}  # error results too
