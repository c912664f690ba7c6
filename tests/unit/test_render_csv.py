"""summary.csv round-trips: every row reads back to the values of report.json, formula guard included."""

import collections

import report_samples
from report_samples import sample_report

from ansible_collections.webcert.fleet.plugins.plugin_utils.report import render_csv
from ansible_collections.webcert.fleet.plugins.plugin_utils.results.model import make_result, make_subject


def write(tmp_path, report):
    (path, text), = list(render_csv.render(report))
    target = tmp_path / path
    target.write_text(text, encoding="utf-8")
    return target


def test_one_row_per_subject_and_control_that_reads_back(tmp_path):
    report = sample_report()
    rows = render_csv.read_rows(write(tmp_path, report))
    expected = list(render_csv.rows(report))
    assert len(rows) == sum(len(s["results"]) for s in report["subjects"]) == len(expected)
    assert list(rows[0]) == list(render_csv.COLUMNS)
    for got, want in zip(rows, expected):
        for column in render_csv.COLUMNS:
            value = want[column]
            if column in render_csv.VALUE_COLUMNS:
                assert got[column] == value, (column, got, want)
                continue
            text = "" if value is None else ("true" if value is True else "false" if value is False else str(value))
            assert got[column] == text, (column, got, want)


VALUES = [1, 2.5, True, None, {"min": "6.7", "builds": [19045, 22631]}, ["a", 1], "1", "", "true", "null",
          '"quoted"', "[not json", "-3", -3, "6.8", "Net iD 6.8 (x64)"]


def test_expected_and_actual_of_any_type_read_back_as_the_same_value(tmp_path):
    report = sample_report()
    results = [r for s in report["subjects"] for r in s["results"]]
    for result, value in zip(results, VALUES):
        result["actual"] = value
        result["expected"] = value
    target = write(tmp_path, report)
    raw = target.read_text(encoding="utf-8-sig")
    assert "{'min'" not in raw and "True" not in raw, "no Python repr in the file"
    assert '{""min"": ""6.7""' in raw, "a mapping is written as JSON text"
    rows = render_csv.read_rows(target)
    assert [r["actual"] for r in rows[:len(VALUES)]] == VALUES
    assert [type(r["actual"]) for r in rows[:len(VALUES)]] == [type(v) for v in VALUES]
    assert [r["expected"] for r in rows[:len(VALUES)]] == VALUES


def test_kinds_and_swedish_text_survive(tmp_path):
    report = sample_report()
    rows = render_csv.read_rows(write(tmp_path, report))
    assert {r["kind"] for r in rows} == {"workstation", "care_unit", "person"}
    assert "Vårdcentralen Exempel" in {r["clinic"] for r in rows}
    assert (tmp_path / "summary.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_formula_like_and_quoted_values_are_guarded_and_round_trip(tmp_path):
    report = sample_report()
    tricky = ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "'quoted", 'comma, "quote"\nnewline']
    for result, value in zip(report["subjects"][0]["results"], tricky[:4]):
        result["actual"] = value
    report["subjects"][1]["results"][0]["message"] = tricky[4]
    report["subjects"][1]["results"][1]["message"] = tricky[5]
    target = write(tmp_path, report)
    raw = target.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in raw and ",'+1," in raw and "''quoted" in raw
    rows = render_csv.read_rows(target)
    assert [r["actual"] for r in rows[:4]] == tricky[:4]
    assert rows[4]["message"] == tricky[4] and rows[5]["message"] == tricky[5]


def test_a_pivot_on_effective_status_gives_the_reports_figures(tmp_path):
    report = sample_report()
    rows = render_csv.read_rows(write(tmp_path, report))
    pivot = collections.Counter(r["effective_status"] for r in rows)
    assert {s: pivot[s] for s in report["summary"]["results"]} == report["summary"]["results"]
    assert pivot["waived"] == 1 and pivot["failed"] == 5
    # The plain status column counts the waived result as failed: that is why the column is there.
    assert collections.Counter(r["status"] for r in rows)["failed"] == 6


def test_subject_key_is_unique_when_a_provider_and_its_organisation_share_an_hsa_id(tmp_path):
    subjects = report_samples.subjects()
    for kind in ("care_provider", "organisation"):
        subject = make_subject(kind, "SE5591234561-1000", name="Exempelregionen")
        subject["results"].append(make_result(report_samples.BY_ID["HSA-UNIT-EMAIL"], "passed", message="ok"))
        subjects.append(subject)
    rows = render_csv.read_rows(write(tmp_path, sample_report(subject_list=subjects)))
    keys = {(r["subject_key"], r["control_id"]) for r in rows}
    assert len(keys) == len(rows)
    assert {"care_provider:SE5591234561-1000", "organisation:SE5591234561-1000"} <= {r["subject_key"] for r in rows}


def test_the_streamed_summary_is_the_same_text_in_pieces(monkeypatch):
    report = sample_report()
    monkeypatch.setattr(render_csv, "PIECE_ROWS", 2)  # several pieces even for the small sample
    (path, pieces), = list(render_csv.render_streamed(report))
    pieces = list(pieces)
    (_unused, whole), = list(render_csv.render(report))
    assert path == "summary.csv" and len(pieces) > 2 and "".join(pieces) == whole
