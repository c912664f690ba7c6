# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The rollout's before -> after report, built from the rollout state and the two audit runs' report.json.

Per workstation control (directory subjects are not enforced, so not compared):
- fixed:          an open failure before; passed or not applicable after;
- still_failing:  an open failure before and after;
- newly_failing:  not an open failure before (passed, not applicable, waived or absent); an open failure after;
- not_judged:     before or after the control could not be judged (error, not reviewed), so nothing is claimed;
- unchanged:      everything else (passed both times, ...).
Per PC, the enforce outcome from the state: done, pending (done, but installs or reboots wait for the
maintenance window), failed, or not_reached (never enforced: the clinic stopped, the run was interrupted,
the PC was not reachable); per clinic the sums and whether it stopped and why.
"""

import os
import shlex

from ansible_collections.webcert.fleet.plugins.plugin_utils.report.history import JUDGED
from ansible_collections.webcert.fleet.plugins.plugin_utils.rollout.maintenance_window import (
    WindowError, next_opening, window_open)
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.common import effective_status, is_open_failure

CHANGES = ("fixed", "still_failing", "newly_failing", "not_judged", "unchanged")
OUTCOMES = ("done", "pending", "failed", "not_reached")


def _workstations(report):
    return {s["id"]: s for s in (report or {}).get("subjects", []) if s["kind"] == "workstation"}


def classify(before, after):
    """One result before (or None) and after (or None) -> one of CHANGES."""
    if (before is not None and before["status"] not in JUDGED) or (after is not None and after["status"] not in JUDGED):
        return "not_judged"
    was = before is not None and is_open_failure(before)
    now = after is not None and is_open_failure(after)
    if was and now:
        return "still_failing"
    if was:
        return "fixed" if after is not None and after["status"] in ("passed", "not_applicable") else "unchanged"
    if now:
        return "newly_failing"
    return "unchanged"


def outcome(entry):
    """done / pending / failed / not_reached from a PC's state entry, with the reason."""
    enforce = entry.get("enforce")
    if not enforce:
        return "not_reached", "never enforced in this rollout"
    if enforce["status"] == "failed":
        return "failed", enforce.get("message") or "failed"
    if enforce.get("pending"):
        return "pending", "left for later: " + "; ".join(enforce["pending"])
    return "done", ""


def resume_command(state):
    """The exact command that resumes this rollout: same inventory, --limit and reports directory."""
    words = ["ansible-playbook", "playbooks/rollout.yml"]
    for source in filter(None, (state.get("inventory") or "").split(",")):
        words += ["-i", source]
    if state.get("limit") and state["limit"] != "all":
        words += ["--limit", state["limit"]]
    words += ["-e", "webcert_rollout_id=" + state["rollout_id"]]
    if state.get("reports_dir"):
        words += ["-e", "webcert_reports_dir=" + state["reports_dir"]]
    return " ".join(shlex.quote(word) for word in words)


def _next_window(clinic, now):
    """{'open_now', 'next_opening'} of the clinic's window when the report is written, or None without one."""
    try:
        opening = next_opening(clinic.get("maintenance_window"), now)
        if opening is None:
            return None
        return {"open_now": window_open(clinic["maintenance_window"], now),
                "next_opening": opening.isoformat(timespec="minutes")}
    except WindowError:
        return None


def _audit_link(audit, directory):
    """The audit run's report.html relative to the rollout's directory (works when both are copied together)."""
    if not audit or not audit.get("report_json"):
        return None
    page = os.path.join(os.path.dirname(audit["report_json"]), "report.html")
    return dict(audit, report_html=os.path.relpath(page, directory) if directory else page)


def _attention(clinic):
    """How badly a clinic needs a person (higher first), or None when it needs nobody."""
    counts = clinic["counts"]
    score = (bool(clinic["stopped"]), counts["failed"] + counts["not_reached"], counts["newly_failing"],
             counts["pending"], counts["still_failing"])
    return score if any(score[:4]) else None


def _outcome(clinics, totals, state):
    stopped = [c["clinic"] for c in clinics if c["stopped"]]
    unfinished = totals["failed"] + totals["not_reached"]
    parts = []
    if stopped:
        status = "stopped"
        parts.append("stopped in %d clinic(s): %s" % (len(stopped), ", ".join(stopped)))
    elif unfinished:
        status = "unfinished"
    elif totals["pending"]:
        status = "pending"
    else:
        status = "finished"
    if unfinished:
        parts.append("%d PC(s) not enforced (%d failed, %d not reached)"
                     % (unfinished, totals["failed"], totals["not_reached"]))
    if totals["pending"]:
        parts.append("%d PC(s) with work left for later (maintenance window or reboot)" % totals["pending"])
    text = ("Finished: every targeted PC enforced (%d)" % totals["done"] if status == "finished"
            else "Not finished: " + "; ".join(parts))
    command = "" if status == "finished" else resume_command(state)
    return {"status": status, "text": text, "next_command": command}


def build(state, before_report, after_report, directory=None, now=None):
    """The rollout report (a dict, written as rollout.json) from the state and both audits' reports.
    directory: the rollout's directory (links to the audits are relative to it); now: for the next windows."""
    before, after = _workstations(before_report), _workstations(after_report)
    clinics = []
    totals = dict.fromkeys(CHANGES, 0)
    totals.update(dict.fromkeys(OUTCOMES, 0))
    # Clinics in wave order, as the rollout went through them.
    for name, clinic in sorted(state["clinics"].items(), key=lambda item: (item[1]["wave"], item[0])):
        hosts, counts = [], dict.fromkeys(CHANGES, 0)
        counts.update(dict.fromkeys(OUTCOMES, 0))
        for host in clinic["hosts"]:
            entry = state["hosts"][host]
            result, reason = outcome(entry)
            if result == "not_reached" and clinic.get("stopped"):
                reason = "clinic stopped: " + clinic["stopped"]["reason"]
            old = {r["control_id"]: r for r in before.get(host, {}).get("results", [])}
            new = {r["control_id"]: r for r in after.get(host, {}).get("results", [])}
            host_counts, changes = dict.fromkeys(CHANGES, 0), []
            for control_id in list(old) + [c for c in new if c not in old]:
                change = classify(old.get(control_id), new.get(control_id))
                host_counts[change] += 1
                if change != "unchanged":
                    changes.append({"control_id": control_id, "change": change,
                                    "title": (new.get(control_id) or old.get(control_id))["title"],
                                    "before": _status(old.get(control_id)), "after": _status(new.get(control_id))})
            for change, number in host_counts.items():
                counts[change] += number
            counts[result] += 1
            pending = ((entry.get("enforce") or {}).get("pending") or []) if result == "pending" else []
            hosts.append({"host": host, "step": entry["step"], "outcome": result, "reason": reason,
                          "window_open": (entry.get("enforce") or {}).get("window_open"),
                          "attempts": [{key: attempt.get(key) for key in ("status", "at", "message", "pending")}
                                       for attempt in entry.get("attempts", [])],
                          "pending": pending, "next_window": _next_window(clinic, now) if pending else None,
                          "not_judged": [c["control_id"] for c in changes if c["change"] == "not_judged"],
                          "audited_before": host in before, "audited_after": host in after,
                          "counts": host_counts, "changes": changes})
        for key, number in counts.items():
            totals[key] += number
        clinics.append({"clinic": name, "care_unit_hsa_id": clinic.get("care_unit_hsa_id"), "wave": clinic["wave"],
                        "maintenance_window": clinic.get("maintenance_window"), "canary": clinic["canary"],
                        "canary_note": clinic.get("canary_note"), "stopped": clinic.get("stopped"),
                        "stopped_before": clinic.get("stopped_before", []), "counts": counts, "hosts": hosts})
    attention = sorted((c for c in clinics if _attention(c)), key=_attention, reverse=True)
    return {"schema_version": 1, "rollout": {key: state.get(key) for key in
                                             ("rollout_id", "started_at", "limit", "inventory", "reports_dir",
                                              "resumed_at")},
            "outcome": _outcome(clinics, totals, state),
            "needs_a_person": [c["clinic"] for c in attention],
            "audit_before": _audit_link(state.get("audit_before"), directory),
            "audit_after": _audit_link(state.get("audit_after"), directory),
            "totals": totals, "clinics": clinics}


def _status(result):
    return None if result is None else effective_status(result)
