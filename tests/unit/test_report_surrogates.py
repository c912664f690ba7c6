"""A lone surrogate (broken UTF-16 from a PC's registry, written by ConvertTo-Json as valid JSON) never
loses a report: evidence is cleaned when loaded, and every output is written even if one slips through."""

import json
import os
import xml.etree.ElementTree as ET

import pytest

from report_samples import sample_report

from ansible_collections.webcert.fleet.plugins.plugin_utils.report import render_junit
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import load_evidence_file, replace_lone_surrogates, validate_evidence
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.history import compute_drift
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.write import renderers, validate_report, write_run

FIRST, SECOND = "20261124T080000.000Z-aaaaaa", "20261125T080000.000Z-bbbbbb"
BROKEN = "Microsoft Usbccid \ud800 Smartcard Reader"
SHOWN = "Microsoft Usbccid \ufffd Smartcard Reader"


def ready(run_id):
    report = sample_report(run_id)
    report["drift"] = compute_drift(None, report, {"status": "first_run", "previous_run_id": None, "reason": "-"})
    validate_report(report)
    return report


def test_text_clean_up_replaces_only_lone_surrogates():
    assert replace_lone_surrogates(BROKEN) == SHOWN
    assert replace_lone_surrogates("a\udfffb\ud83d") == "a\ufffdb\ufffd"
    assert replace_lone_surrogates("Vårdcentralen 😀") == "Vårdcentralen 😀"
    assert replace_lone_surrogates("\ud83d\ude00") == "😀", "a split but whole pair is joined, not lost"
    document = {"card_readers": [{"name": BROKEN, "present": True, "n": 1}], "k\udc80": [None, BROKEN]}
    assert replace_lone_surrogates(document) == {"card_readers": [{"name": SHOWN, "present": True, "n": 1}],
                                                 "k\ufffd": [None, SHOWN]}


def test_evidence_is_cleaned_when_loaded_from_a_file(tmp_path):
    evidence = json.loads(open(os.path.join(os.path.dirname(__file__), "..", "..", "inventories", "example",
                                            "files", "evidence", "vce-ws01.json"), encoding="utf-8").read())
    evidence["card_readers"][0]["name"] = BROKEN
    path = tmp_path / "vce-ws01.json"
    path.write_text(json.dumps(evidence), encoding="utf-8")  # ensure_ascii: "\ud800" as an escape, valid JSON
    assert "\\ud800" in path.read_text(encoding="utf-8")
    loaded = load_evidence_file(str(path))
    assert loaded["card_readers"][0]["name"] == SHOWN
    # A collector reply validated directly is cleaned the same way.
    evidence["card_readers"][0]["name"] = BROKEN
    assert validate_evidence(evidence, "vce-ws01 (collector reply)")["card_readers"][0]["name"] == SHOWN


def test_every_output_is_written_even_if_a_surrogate_reaches_the_report(tmp_path):
    report = ready(FIRST)
    report["subjects"][0]["results"][0]["message"] = BROKEN
    report["subjects"][0]["results"][0]["actual"] = {"reader": BROKEN}
    run_dir, written = write_run(report, str(tmp_path))
    assert {"report.json", "report.html", "junit.xml", "summary.csv", "run.json"} <= set(written)
    for relative in written:
        with open(os.path.join(run_dir, relative), "rb") as handle:
            handle.read().decode("utf-8")  # strict: every file is valid UTF-8
    with open(os.path.join(run_dir, "report.json"), encoding="utf-8") as handle:
        assert json.load(handle)["subjects"][0]["results"][0]["message"] == SHOWN
    ET.parse(os.path.join(run_dir, "junit.xml"))


def test_junit_replaces_surrogates():
    report = ready(FIRST)
    report["subjects"][1]["results"][1]["message"] = BROKEN
    (_unused, text), = list(render_junit.render(report))
    assert "\ud800" not in text and SHOWN in text
    ET.fromstring(text.encode("utf-8"))


def exploding(report):
    """A renderer (a generator, like the real ones) whose first write fails."""
    if report is not None:
        raise RuntimeError("disk full")
    yield  # pragma: no cover


@pytest.mark.parametrize("earlier", [False, True])
def test_an_incomplete_run_says_truly_where_latest_points(tmp_path, earlier):
    if earlier:
        write_run(ready(FIRST), str(tmp_path))
    outputs = [(name, exploding if name == "junit.xml" else function) for name, function in renderers()]
    with pytest.raises(WebcertError) as error:
        write_run(ready(SECOND), str(tmp_path), outputs)
    message = str(error.value)
    if earlier:
        assert "latest still points at run %s" % FIRST in message
    else:
        assert "latest still points at" not in message and "no %s/latest yet" % tmp_path in message
