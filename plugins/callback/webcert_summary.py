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
  - Prints nothing for playbooks that write no webcert reports.
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


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "webcert_summary"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._outcomes = []

    def v2_runner_on_ok(self, result):
        task = getattr(result, "task", None) or result._task
        if not task.action.split(".")[-1] == "webcert_write_report":
            return
        values = getattr(result, "result", None)
        if values is None:
            values = result._result
        if isinstance(values, dict) and "table" in values:
            self._outcomes.append(values)

    def v2_playbook_on_stats(self, stats):
        for outcome in self._outcomes:
            self._display.display(format_summary(outcome))
