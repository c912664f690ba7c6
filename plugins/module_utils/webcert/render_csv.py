"""summary.csv: one row per subject (host or directory object) and control, for spreadsheets.

RFC 4180 (comma, double quotes, CRLF), UTF-8 with a byte order mark so Excel shows å, ä, ö right.
Evidence comes from workstations and the directory, so a cell could start like a spreadsheet formula
(=, +, -, @, tab, CR). Such cells, and cells starting with an apostrophe, get one leading apostrophe;
read_rows() removes exactly one again, so the file round-trips.
"""

import csv
import io

COLUMNS = ("run_id", "kind", "subject_id", "subject_name", "clinic", "care_unit_hsa_id", "profile",
           "control_id", "title", "requirements", "impact", "status", "waived", "waiver_expires",
           "waiver_expired", "expected", "actual", "message", "evidence_source", "collected_at", "remediation")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


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
            yield {"run_id": run_id, "kind": subject["kind"], "subject_id": subject["id"],
                   "subject_name": subject.get("name"), "clinic": subject.get("clinic"),
                   "care_unit_hsa_id": subject.get("care_unit_hsa_id"), "profile": subject.get("profile"),
                   "control_id": result["control_id"], "title": result["title"],
                   "requirements": ";".join(result["requirements"]), "impact": result["impact"],
                   "status": result["status"], "waived": bool(result.get("waived")),
                   "waiver_expires": waiver.get("expires"), "waiver_expired": waiver.get("expired") if waiver else None,
                   "expected": result["expected"], "actual": result["actual"], "message": result["message"],
                   "evidence_source": result["evidence_source"], "collected_at": subject.get("collected_at"),
                   "remediation": result["remediation"]}


def render(report):
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows(report):
        writer.writerow([_cell(row[column]) for column in COLUMNS])
    yield "summary.csv", out.getvalue()


def read_rows(path):
    """The rows of a summary.csv as dicts of text, with the formula guard removed."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [{key: _uncell(value) for key, value in row.items()} for row in csv.DictReader(handle)]
