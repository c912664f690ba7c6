# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""fault-reports/: a ready-to-send text per failing user or workstation, for Inera support (REQ-SUP-2).

Inera asks for: certificate id (intygs-ID), HSA-id of the person and of the care unit, the error
message, and when it happened (date and time). The audit cannot know the intygs-ID (it belongs to the
certificate the user was working on), nor always the person on a shared workstation: such fields are
left as a clearly marked [FYLL I / FILL IN] line. The time is the evidence collection time, in ISO 8601
with time zone. "Already checked locally" lists what the audit checked and found (REQ-SUP-1: local
support first).

Only open failures (failed, not waived) of workstations and persons produce a fault report: an `error`
(host unreachable, evidence unreadable) is a local problem, not something to send to Inera.
"""

import datetime
import re

from ansible_collections.webcert.fleet.plugins.plugin_utils.report.common import KIND_LABELS, effective_status, is_open_failure, unique_stems

FILL_IN = "[FYLL I / FILL IN: %s]"
# Every way text can start a new line; a value from evidence or the directory must never forge a line
# such as "HSA-id person:" or "Intygs-ID" in a text Inera acts on.
_LINE_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
NEWLINE_MARK = "⏎"  # the return symbol: visible, and no line break
FAULT_KINDS = ("workstation", "person")


def one_line(value):
    """`value` as text on one line: each line break shown as NEWLINE_MARK."""
    return _LINE_BREAK.sub(NEWLINE_MARK, str(value))


def _when(subject, report):
    """ISO 8601 with time zone: the collection time if it has one, else the run's start."""
    for candidate in (subject.get("collected_at"), report["run"]["started_at"]):
        try:
            moment = datetime.datetime.fromisoformat(candidate)
        except (TypeError, ValueError):
            continue
        if moment.tzinfo is not None:
            return moment.isoformat(timespec="seconds")
    return FILL_IN % "date and time with time zone"


def _person(subject):
    if subject["kind"] == "person":
        return one_line(subject["id"])
    for key in ("person_hsa_id", "user_hsa_id"):
        if subject.get(key):
            return one_line(subject[key])
    who = " (signed-in Windows user: %s)" % one_line(subject["user_context"]) if subject.get("user_context") else ""
    return FILL_IN % ("HSA-id of the user who saw the error%s" % who)


def _care_units(subject):
    units = subject.get("care_unit_hsa_ids") or ([subject["care_unit_hsa_id"]] if subject.get("care_unit_hsa_id") else [])
    return one_line(", ".join(units)) if units else FILL_IN % "HSA-id of the care unit (vårdenhet) the user logged in to"


def _value(value):
    return "(nothing found)" if value is None else one_line(value)


def render_subject(report, subject):
    failures = [r for r in subject["results"] if is_open_failure(r)]
    checked_ok = [r for r in subject["results"] if r["status"] == "passed"]
    other = [r for r in subject["results"] if not is_open_failure(r) and r["status"] != "passed"]
    lines = [
        "Felanmälan till Inera support: Webcert (fault report to Inera support)",
        "=" * 70,
        "Intygs-ID (certificate id):          " + FILL_IN % "the intygs-ID shown in Webcert when the error occurred",
        "HSA-id person:                       " + _person(subject),
        "HSA-id vårdenhet (care unit):        " + _care_units(subject),
        "HSA-id vårdgivare (care provider):   " + (one_line(report["run"].get("care_provider_hsa_id") or "") or FILL_IN % "care provider HSA-id"),
        "Tidpunkt (time, ISO 8601):           " + _when(subject, report),
        "%-37s%s" % ("%s:" % KIND_LABELS.get(subject["kind"], subject["kind"]), one_line(subject["id"])),
        "Kontroll-id (control ids):           " + one_line(", ".join(r["control_id"] for r in failures)),
        "",
        "Felmeddelande (error):",
    ]
    for result in failures:
        lines += ["  - %s %s [%s]" % (result["control_id"], result["title"], ", ".join(result["requirements"])),
                  "      found:    %s" % _value(result["actual"]),
                  "      expected: %s" % _value(result["expected"]),
                  "      message:  %s" % one_line(result["message"] or "")]
    lines += ["", "Felmeddelande som användaren såg (error message the user saw):",
              "  " + FILL_IN % "the exact error text from Webcert or Net iD, if any", "",
              "Redan kontrollerat lokalt (already checked by local support):",
              "  Audit run %s (webcert-fleet %s), evidence %s."
              % (report["run"]["id"], report["tool"]["version"], _value(subject.get("evidence_source") or "(none)"))]
    lines += ["  - OK  %s %s: %s" % (r["control_id"], r["title"], _value(r["actual"])) for r in checked_ok]
    lines += ["  - %s  %s %s: %s" % (effective_status(r).upper(), r["control_id"], r["title"], one_line(r["message"] or ""))
              for r in other]
    lines += ["  Suggested remedies (from the control catalogue; note which were done):"]
    lines += ["  - %s: %s" % (r["control_id"], r["remediation"]) for r in failures]
    lines += ["  Other steps local support took: " + FILL_IN % "e.g. card tested in another reader, PIN checked", ""]
    return "\n".join(lines)


def render(report):
    """Yields fault-reports/<stem>.txt per failing workstation or person, and fault-reports/index.txt."""
    written = []
    for subject, stem in zip(report["subjects"], unique_stems(report["subjects"])):
        if subject["kind"] not in FAULT_KINDS or not any(is_open_failure(r) for r in subject["results"]):
            continue
        path = "fault-reports/%s.txt" % stem
        written.append("%s  %s %s" % (path.split("/", 1)[1], subject["kind"], one_line(subject["id"])))
        yield path, render_subject(report, subject)
    index = ["Fault reports of audit run %s: one per workstation or person with an open failure." % report["run"]["id"],
             "Fill in every [FYLL I / FILL IN] line before sending to Inera support.", ""]
    yield "fault-reports/index.txt", "\n".join(index + (written or ["(none: no open failures)"])) + "\n"
