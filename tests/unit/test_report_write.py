"""Writing a run: every output, atomically, never over an earlier run; reports/latest only after all files."""

import json
import os

import pytest

from report_samples import sample_report

from ansible_collections.webcert.fleet.plugins.plugin_utils.report import write as report_module
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.history import compute_drift
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.write import renderers, validate_report, write_run

FIRST, SECOND = "20261124T080000.000Z-aaaaaa", "20261125T080000.000Z-bbbbbb"


def ready(run_id):
    report = sample_report(run_id)
    report["drift"] = compute_drift(None, report, {"status": "first_run", "previous_run_id": None, "reason": "-"})
    validate_report(report)
    return report


def all_files(directory):
    return sorted(os.path.relpath(os.path.join(root, name), directory)
                  for root, _unused, names in os.walk(directory) for name in names)


def test_every_output_is_written_and_latest_points_at_the_run(tmp_path):
    run_dir, written = write_run(ready(FIRST), str(tmp_path))
    assert run_dir == str(tmp_path / FIRST)
    files = all_files(run_dir)
    assert files == sorted(written)
    for name in ("report.json", "report.html", "junit.xml", "summary.csv", "run.json", "fault-reports/index.txt",
                 "inspec/vce-ws01.json", "inspec/person-SE5591234561-2001.json"):
        assert name in files
    assert os.readlink(tmp_path / "latest") == FIRST
    with open(os.path.join(run_dir, "report.json"), encoding="utf-8") as handle:
        validate_report(json.load(handle))


def test_an_earlier_run_is_never_overwritten(tmp_path):
    write_run(ready(FIRST), str(tmp_path))
    before = (tmp_path / FIRST / "report.json").read_bytes()
    with pytest.raises(WebcertError, match="never overwritten"):
        write_run(ready(FIRST), str(tmp_path))
    assert (tmp_path / FIRST / "report.json").read_bytes() == before


def exploding_html(report):
    yield "report.html", "<!DOCTYPE html><p>first part"
    raise RuntimeError("disk full")


def test_a_renderer_failing_mid_run_leaves_no_half_file_and_latest_unchanged(tmp_path):
    write_run(ready(FIRST), str(tmp_path))
    outputs = [(name, exploding_html if name == "junit.xml" else function) for name, function in renderers()]
    with pytest.raises(WebcertError) as error:
        write_run(ready(SECOND), str(tmp_path), outputs)
    message = str(error.value)
    assert "writing junit.xml failed: RuntimeError: disk full" in message and ".incomplete-" + SECOND in message
    assert os.readlink(tmp_path / "latest") == FIRST
    assert not (tmp_path / SECOND).exists()
    staging = tmp_path / (".incomplete-" + SECOND)
    files = all_files(staging)
    assert not [f for f in files if ".tmp-" in f]
    # What was gathered is kept, complete: report.json is whole and valid.
    with open(staging / "report.json", encoding="utf-8") as handle:
        validate_report(json.load(handle))
    assert "junit.xml" not in files and "summary.csv" not in files


def test_an_interrupt_during_a_file_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    # The third file is interrupted after its bytes are written, before it gets its name.
    real_replace = os.replace
    calls = {"n": 0}

    def interrupted_replace(source, target):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real_replace(source, target)

    monkeypatch.setattr(report_module.os, "replace", interrupted_replace)
    with pytest.raises(KeyboardInterrupt):
        write_run(ready(FIRST), str(tmp_path))
    assert not (tmp_path / "latest").exists() and not (tmp_path / FIRST).exists()
    staging = tmp_path / (".incomplete-" + FIRST)
    assert len(all_files(staging)) == 2 and not [f for f in all_files(staging) if ".tmp-" in f]


def test_a_renderer_cannot_write_outside_the_run(tmp_path):
    def escaping(report):
        yield "../outside.txt", "x"
    with pytest.raises(WebcertError, match="not a plain relative path"):
        write_run(ready(FIRST), str(tmp_path), [("evil", escaping)])
    assert not (tmp_path / "outside.txt").exists()


def test_latest_stays_on_the_newer_run_when_two_audits_finish_in_the_opposite_order(tmp_path):
    # Two audits at once: the one that started later (SECOND) finishes first.
    write_run(ready(SECOND), str(tmp_path))
    assert os.readlink(tmp_path / "latest") == SECOND
    run_dir, _unused = write_run(ready(FIRST), str(tmp_path))
    assert os.path.isfile(os.path.join(run_dir, "report.json")), "the older run is still kept"
    assert os.readlink(tmp_path / "latest") == SECOND
    third = "20261126T080000.000Z-cccccc"
    write_run(ready(third), str(tmp_path))
    assert os.readlink(tmp_path / "latest") == third


def test_report_json_is_written_a_subject_at_a_time_with_the_same_bytes(tmp_path):
    # The whole-document json.dumps is what report.json was before it was streamed (and what readers expect).
    report = ready(FIRST)
    whole = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    assert "".join(report_module.report_json_pieces(report)) == whole
    run_dir = write_run(report, str(tmp_path))[0]
    assert (tmp_path / FIRST / "report.json").read_bytes() == whole.encode("utf-8")
    empty = dict(report, subjects=[])
    assert "".join(report_module.report_json_pieces(empty)) == json.dumps(empty, indent=2, ensure_ascii=False) + "\n"
    assert os.path.isdir(run_dir)


def test_every_file_on_disk_is_what_its_renderer_gave(tmp_path):
    report = ready(FIRST)
    run_dir, written = write_run(report, str(tmp_path))
    expected = {}
    for _name, renderer in renderers():
        for relative, text in renderer(report):
            expected[relative] = text if isinstance(text, str) else "".join(text)
    assert sorted(expected) == sorted(written)
    for relative, text in expected.items():
        with open(os.path.join(run_dir, relative), "rb") as handle:
            on_disk = handle.read()
        assert on_disk == text.encode("utf-8"), relative
    assert oct(os.stat(os.path.join(run_dir, "report.json")).st_mode & 0o777) == "0o600"
