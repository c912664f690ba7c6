"""summary.csv round-trips: every row reads back to the values of report.json, formula guard included."""

from report_samples import sample_report

from ansible_collections.webcert.fleet.plugins.plugin_utils import render_csv


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
