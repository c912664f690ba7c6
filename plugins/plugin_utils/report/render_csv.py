# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""summary.csv: one row per subject (host or directory object) and control, for spreadsheets.

RFC 4180 (comma, double quotes, CRLF), UTF-8 with a byte order mark so Excel shows å, ä, ö right.
Evidence comes from workstations and the directory, so a cell could start like a spreadsheet formula
(=, +, -, @, tab, CR). Such cells, and cells starting with an apostrophe, get one leading apostrophe;
read_rows() removes exactly one again, so the file round-trips.

`expected` and `actual` can be any JSON value. Text is written as it is; a number, true/false, a list
or a mapping is written as JSON text (1, true, ["a"], {"min": "6.7"}); text that would itself read as
JSON (such as "1", "true" or "") is written as a JSON string ("1" in quotes), so read_rows() gives back
the same value and type. An empty cell means the value is absent (null).

`subject_key` (<kind>:<id>) is unique per subject: a care provider and its organisation share one
HSA-id. `effective_status` is the status the report counts (a failed result under a valid waiver is
`waived`), so a pivot on it gives the report's figures.
"""

import csv
import io
import json

from ansible_collections.webcert.fleet.plugins.plugin_utils.report.common import effective_status

COLUMNS = ("run_id", "subject_key", "kind", "subject_id", "subject_name", "clinic", "care_unit_hsa_id", "profile",
           "control_id", "title", "requirements", "impact", "effective_status", "status", "waived", "waiver_expires",
           "waiver_expired", "expected", "actual", "message", "evidence_source", "collected_at", "remediation")
VALUE_COLUMNS = ("expected", "actual")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def _is_json(text):
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _value_text(value):
    """A value of `expected`/`actual` as cell text that _text_value() reads back to the same value."""
    if value is None:
        return None
    if isinstance(value, str) and value and not _is_json(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _text_value(text):
    if text == "":
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _uncell(text):
    return text[1:] if text.startswith("'") else text


def rows(report):
    run_id = report["run"]["id"]
    for subject in report["subjects"]:
        for result in subject["results"]:
            waiver = result.get("waiver") or {}
            yield {"run_id": run_id, "subject_key": "%s:%s" % (subject["kind"], subject["id"]),
                   "kind": subject["kind"], "subject_id": subject["id"],
                   "subject_name": subject.get("name"), "clinic": subject.get("clinic"),
                   "care_unit_hsa_id": subject.get("care_unit_hsa_id"), "profile": subject.get("profile"),
                   "control_id": result["control_id"], "title": result["title"],
                   "requirements": ";".join(result["requirements"]), "impact": result["impact"],
                   "effective_status": effective_status(result), "status": result["status"], "waived": bool(result.get("waived")),
                   "waiver_expires": waiver.get("expires"), "waiver_expired": waiver.get("expired") if waiver else None,
                   "expected": result["expected"], "actual": result["actual"], "message": result["message"],
                   "evidence_source": result["evidence_source"], "collected_at": subject.get("collected_at"),
                   "remediation": result["remediation"]}


def render(report):
    yield "summary.csv", "".join(_pieces(report))


def render_streamed(report):
    """render(), with the text in pieces that report.py writes as they come (a region's summary.csv is
    some 50 MB: held whole, and then as UTF-8, it was the largest thing in memory)."""
    yield "summary.csv", _pieces(report)


PIECE_ROWS = 2000


def _pieces(report):
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for number, row in enumerate(rows(report), 1):
        writer.writerow([_cell(_value_text(row[column]) if column in VALUE_COLUMNS else row[column])
                         for column in COLUMNS])
        if number % PIECE_ROWS == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def read_rows(path):
    """The rows of a summary.csv as dicts, with the formula guard removed: text, except `expected` and
    `actual`, which are decoded to the values report.json holds (None for an empty cell)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [{key: _text_value(_uncell(value)) if key in VALUE_COLUMNS else _uncell(value)
                 for key, value in row.items()} for row in csv.DictReader(handle)]
