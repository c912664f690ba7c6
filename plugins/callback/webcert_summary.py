# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Callback plugin: a compact per-clinic summary table at the end of every audit run.

An aggregate callback (it adds to the normal output, it does not replace it). It only speaks when the
run wrote reports (a webcert_write_report task returned), so other playbooks are untouched.
"""

DOCUMENTATION = r"""
name: webcert_summary
type: aggregate
short_description: Per-clinic summary of a webcert-fleet audit at the end of the run
description:
  - After a run in which C(webcert_write_report) wrote the reports, prints one line per clinic with the
    results counted once each (passed, failed, error, waived, not reviewed, not applicable), the drift
    against the previous run of the same inventory (new failures, regressed, waiver expired, resolved,
    failing but not judged before),
    the gate outcome and where the reports are.
  - Then every subject that was not fully judged, C(error) first and then C(not_reviewed), with the number of
    such results and a one-line reason (the first O(listed) of each, then how many more), so an unreachable PC,
    a broken evidence file or a wrong HSA password is never hidden behind C(failed=0).
  - Says plainly when the run had no HSA directory configured (every directory control is then not reviewed).
  - Prints nothing for playbooks that write no webcert reports.
  - In a rollout (C(playbooks/rollout.yml)) the run ends with one rollout summary instead of the audits'
    tables; each audit of the rollout gets one labelled line (before or after, its totals and report directory)
    and its list of subjects not fully judged.
options:
  listed:
    description: How many subjects of each status (error, not_reviewed) are listed by name.
    type: int
    default: 15
    ini:
      - section: webcert_summary
        key: listed
    env:
      - name: WEBCERT_SUMMARY_LISTED
requirements:
  - enable in ansible.cfg with C(callbacks_enabled = webcert_summary) in [defaults]
"""

from ansible.plugins.callback import CallbackBase

COLUMNS = (("passed", "Passed"), ("failed", "Failed"), ("error", "Error"), ("waived", "Waived"),
           ("not_reviewed", "NotRev"), ("not_applicable", "N/A"), ("new_failures", "New"),
           ("regressed", "Regr"), ("waiver_expired", "WvExp"), ("resolved", "Resolv"), ("not_judged_before", "NoJdg"))


def format_table(table):
    """Rows of {clinic, counts...} -> fixed-width lines with a total row."""
    width = max([len("Clinic"), len("Total")] + [len(row["clinic"]) for row in table])
    header = "%-*s " % (width, "Clinic") + " ".join("%6s" % label for _unused, label in COLUMNS)
    lines = [header, "-" * len(header)]
    totals = dict.fromkeys((key for key, _unused in COLUMNS), 0)
    for row in table:
        lines.append("%-*s " % (width, row["clinic"]) + " ".join("%6d" % row.get(key, 0) for key, _unused in COLUMNS))
        for key in totals:
            totals[key] += row.get(key, 0)
    lines.append("-" * len(header))
    lines.append("%-*s " % (width, "Total") + " ".join("%6d" % totals[key] for key, _unused in COLUMNS))
    return lines


def format_summary(outcome):
    lines = ["", "WEBCERT AUDIT SUMMARY (each result counted once; waived = accepted with a valid waiver)"]
    lines += format_table(outcome.get("table") or [])
    for notice in outcome.get("notices") or []:
        lines.append("NOTE (profile %s): %s (source: %s)" % (notice["profile"], notice["text"], notice["source"]))
    drift = outcome.get("drift") or {}
    if drift.get("status") == "computed":
        lines.append("Drift: against run %s (New = new failures, Regr = passed before, WvExp = waiver expired, "
                     "NoJdg = failing, not judged in the last runs)" % drift.get("previous_run_id"))
    elif drift.get("status") == "unavailable":
        lines.append("Drift: UNAVAILABLE: %s" % drift.get("reason"))
    else:
        lines.append("Drift: first run of this inventory")
    gate = outcome.get("gate") or {}
    if not gate.get("enabled"):
        lines.append("Gate: not set")
    elif gate.get("passed"):
        lines.append("Gate: passed (%s)" % ", ".join("%s=%s" % kv for kv in (gate.get("rules") or {}).items()))
    else:
        lines.append("Gate: FAILED: %s" % "; ".join(gate.get("reasons") or []))
    lines.append("Reports: %s (also %s)" % (outcome.get("report_dir"), outcome.get("latest")))
    return "\n".join(lines)


def format_audit_line(phase, outcome):
    """One labelled line for an audit run of a rollout: its totals over the clinics it judged."""
    totals = {"passed": 0, "failed": 0, "error": 0, "not_reviewed": 0}
    for row in outcome.get("table") or []:
        for key in totals:
            totals[key] += row.get(key, 0)
    return ("Audit %s the rollout: %d passed, %d failed, %d error, %d not reviewed; reports %s"
            % (phase or "of", totals["passed"], totals["failed"], totals["error"], totals["not_reviewed"],
               outcome.get("report_dir")))


def format_rollout(summary):
    return "\n".join(["", "WEBCERT ROLLOUT SUMMARY"] + list(summary))


def format_attention(items, listed=15, directory=None):
    """Lines naming each subject in error or not_reviewed with its reason: the first `listed` of each
    status, then a count; and a plain line when no HSA directory was configured."""
    lines = []
    if directory is not None and not directory.get("configured", True):
        lines.append("HSA directory: NOT CONFIGURED (webcert_hsa_uri is empty): every directory control is "
                     "not_reviewed; set webcert_hsa_uri to audit care provider, care units and staff (docs/hsa.md)")
    for status, title in (("error", "ERROR (could not be judged)"), ("not_reviewed", "NOT REVIEWED")):
        hits = [item for item in items if item["status"] == status]
        if not hits:
            continue
        lines.append("%s: %d subject(s)" % (title, len(hits)))
        for item in hits[:listed]:
            reason = item.get("reason") or "no reason given"
            lines.append("  %s %s%s: %d result(s): %s" % (
                item["kind"], item["id"], " (%s)" % item["clinic"] if item.get("clinic") else "", item["count"],
                reason if len(reason) <= 200 else reason[:197] + "..."))
        if len(hits) > listed:
            lines.append("  ... and %d more (report.html and summary.csv list every one)" % (len(hits) - listed))
    return lines


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "webcert_summary"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._outcomes = []
        self._directory = None  # the directory read of the run being reported, if any
        self._phases = {}  # index in _outcomes -> before / after, when a rollout recorded the audit
        self._rollout = None  # the rollout summary lines, when the run was a rollout

    def v2_runner_on_ok(self, result):
        task = getattr(result, "task", None) or result._task
        action = task.action.split(".")[-1]
        if action not in ("webcert_write_report", "webcert_audit_directory", "webcert_rollout"):
            return
        values = getattr(result, "result", None)
        if values is None:
            values = result._result
        if not isinstance(values, dict):
            return
        if action == "webcert_rollout":
            # op=audit names the phase of the audit just written; op=report carries the rollout summary.
            if values.get("phase") and self._outcomes:
                self._phases[len(self._outcomes) - 1] = values["phase"]
            if values.get("summary"):
                self._rollout = values["summary"]
        elif action == "webcert_audit_directory" and isinstance(values.get("directory"), dict):
            self._directory = values["directory"]
        elif "table" in values:
            self._outcomes.append((values, self._directory))
            self._directory = None

    def v2_playbook_on_stats(self, stats):
        try:
            listed = int(self.get_option("listed"))
        except (KeyError, TypeError, ValueError):
            listed = 15
        if self._rollout is not None:
            # A rollout: one labelled line per audit, then the rollout summary last (what to do next).
            for number, (outcome, directory) in enumerate(self._outcomes):
                lines = [format_audit_line(self._phases.get(number), outcome)]
                lines += format_attention(outcome.get("attention") or [], listed, directory)
                self._display.display("\n".join(lines))
            self._display.display(format_rollout(self._rollout))
            return
        for outcome, directory in self._outcomes:
            lines = [format_summary(outcome)] + format_attention(outcome.get("attention") or [], listed, directory)
            self._display.display("\n".join(lines))
