# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The readiness verdicts (report.json's `readiness`, readiness/join.py) as readiness.csv and as fault reports
per person and PC (fault-reports/readiness/), so a ticket to Inera support names both.

readiness.csv: one row per person and PC, then one row per person a clinic lists but never seen on its PCs
(workstation empty, pcs_ready of pcs_total filled in). The CSV rules of summary.csv hold: UTF-8 with a byte
order mark, CRLF, and a cell that could start a spreadsheet formula gets one leading apostrophe.
Reasons are joined with " | " in one cell, each as "<side> <control>: <message>".
"""

import csv
import io

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.file_names import subject_stem
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.render_csv import _cell

COLUMNS = ("run_id", "clinic", "care_unit_hsa_id", "workstation", "person_hsa_id", "person_name", "user_context",
           "profile", "role", "predicted_role", "verdict", "blockers", "warnings", "unknown", "pcs_ready", "pcs_total")
SIDE_LABELS = {"pc": "PC", "certificates": "certificate", "hsa": "HSA"}
VERDICT_WORDS = {"ready": "klar (ready)", "not_ready": "inte klar (not ready)", "unknown": "okänt (unknown)"}


def reason_text(item):
    """'PC WS-EDGE-IEMODE: ...' : the side, the control (when there is one) and the message."""
    control = " %s" % item["control_id"] if item.get("control_id") else ""
    return "%s%s: %s" % (SIDE_LABELS.get(item["side"], item["side"]), control, item["message"])


def rows(report):
    readiness = report.get("readiness") or {"pairs": [], "expected": []}
    run_id = report["run"]["id"]
    for item in readiness["pairs"] + readiness["expected"]:
        row = {column: item.get(column) for column in COLUMNS}
        row["run_id"] = run_id
        for name in ("blockers", "warnings", "unknown"):
            row[name] = " | ".join(reason_text(r) for r in item[name])
        yield row


def render_csv(report):
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows(report):
        writer.writerow([_cell(row[column]) for column in COLUMNS])
    yield "readiness.csv", out.getvalue()


def fault_report(report, pair):
    """A ready-to-send text for one person on one PC that is not ready: both named, every blocking reason."""
    lines = [
        "Felanmälan till Inera support: Webcert, person och dator (fault report: person and PC)",
        "=" * 70,
        "Intygs-ID (certificate id):          [FYLL I / FILL IN: the intygs-ID shown in Webcert when the error occurred]",
        "HSA-id person:                       %s%s" % (
            pair["person_hsa_id"] or "[FYLL I / FILL IN: the user's HSA-id]",
            " (%s)" % pair["person_name"] if pair.get("person_name") else ""),
        "Dator (PC):                          %s%s" % (pair["workstation"], " (signed-in Windows user %s)"
                                                       % pair["user_context"] if pair.get("user_context") else ""),
        "HSA-id vårdenhet (care unit):        %s%s" % (pair.get("care_unit_hsa_id") or "(none in the inventory)",
                                                       " (%s)" % pair["clinic"] if pair.get("clinic") else ""),
        "HSA-id vårdgivare (care provider):   %s" % (report["run"].get("care_provider_hsa_id") or "(none)"),
        "Profil (baseline profile):           %s" % (pair.get("profile") or "(none)"),
        "Bedömning (verdict):                 %s" % VERDICT_WORDS[pair["verdict"]],
        "",
        "Hinder (blocking reasons):",
    ]
    lines += ["  - %s" % reason_text(r) for r in pair["blockers"]] or ["  (none)"]
    if pair["unknown"]:
        lines += ["", "Kunde inte läsas (could not be read):"] + ["  - %s" % reason_text(r) for r in pair["unknown"]]
    if pair["warnings"]:
        lines += ["", "Varningar (warnings, not blocking):"] + ["  - %s" % reason_text(r) for r in pair["warnings"]]
    if pair.get("notice"):
        lines += ["", "Notera (profile notice): %s" % pair["notice"]]
    lines += ["", "Audit run %s (webcert-fleet %s)." % (report["run"]["id"], report["tool"]["version"]), ""]
    return "\n".join(lines)


def render_fault_reports(report):
    """fault-reports/readiness/<PC>--<HSA-id>.txt per person and PC that is not ready, and an index.txt."""
    readiness = report.get("readiness") or {"pairs": []}
    written, stems = [], set()
    for pair in readiness["pairs"]:
        if pair["verdict"] != "not_ready":
            continue
        # Each half bounded, so the pair's name fits a file system with room for the tool's prefixes and suffixes.
        stem = "%s--%s" % (subject_stem(pair["workstation"], 60), subject_stem(pair["person_hsa_id"] or "unknown-person", 60))
        base, number = stem, 1
        while stem.casefold() in stems:  # two pairs whose names sanitise alike keep a file each
            number += 1
            stem = "%s~%d" % (base, number)
        stems.add(stem.casefold())
        written.append("%s.txt  %s on %s" % (stem, pair["person_hsa_id"] or "(unknown person)", pair["workstation"]))
        yield "fault-reports/readiness/%s.txt" % stem, fault_report(report, pair)
    index = ["Fault reports of audit run %s: one per person and PC that is not ready for Webcert."
             % report["run"]["id"], "Fill in every [FYLL I / FILL IN] line before sending to Inera support.", ""]
    yield "fault-reports/readiness/index.txt", "\n".join(index + (written or ["(none: no person is blocked on a PC)"])) + "\n"


def render(report):
    yield from render_csv(report)
    yield from render_fault_reports(report)
