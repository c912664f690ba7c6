# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The state of a rollout: which clinics and PCs completed which step, so a stopped rollout can resume.

A rollout lives in <rollouts dir>/<rollout id>/ (state.json, and at the end rollout.json and rollout.html).
state.json is rewritten atomically under a lock after every step of every PC, so Ctrl-C, a killed
controller or a failed wave loses at most the step that was running. Resuming with the rollout id
skips what completed (the audit before, every PC enforced) and retries what did not (a failed canary,
a failed or unreached PC), then audits again.

Steps: audit_before -> canary (one PC per clinic) -> batch (the clinic's other PCs) -> audit_after -> report.
A clinic whose canary fails is stopped: its other PCs are not touched; other clinics go on. A clinic is
also stopped when, in one batch, more than max_fail_percentage of its PCs fail (Ansible's own
max_fail_percentage would end the whole playbook, and with it the audit after and the report).
"""

import contextlib
import fcntl
import json
import os

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.history import RUN_ID
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.write import atomic_write, make_dirs, new_run_id, now_iso, open_lock
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.common import NO_CLINIC

STATE_VERSION = 1


class RolloutError(WebcertError):
    """A rollout cannot be opened or resumed as asked."""


def state_path(rollouts_dir, rollout_id):
    if not RUN_ID.match(rollout_id or ""):
        raise RolloutError("webcert_rollout_id %r is not a rollout id (like 20261126T103000.123Z-1a2b3c)" % rollout_id)
    return os.path.join(rollouts_dir, rollout_id, "state.json")


@contextlib.contextmanager
def locked(path):
    """The state, read under an exclusive lock; what the block leaves in it is written back atomically."""
    read_state(path)  # an unknown rollout is named before a lock file is created for it
    with open_lock(path + ".lock") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        state = read_state(path)
        yield state
        _write_state(path, state)


def _write_state(path, state):
    atomic_write(path, json.dumps(state, indent=2, ensure_ascii=False) + "\n")


def read_state(path):
    try:
        with open(path, encoding="utf-8") as handle:
            state = json.load(handle)
    except FileNotFoundError:
        raise RolloutError("%s: no such rollout (the rollout id names a directory under the rollouts directory)"
                           % path) from None
    except (OSError, ValueError) as exc:
        raise RolloutError("%s: cannot read the rollout state: %s" % (path, exc)) from None
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
        raise RolloutError("%s: not a rollout state of version %d" % (path, STATE_VERSION))
    return state


def plan(targets, marked_elsewhere=None):
    """Clinics from the targeted PCs: [{host, clinic, care_unit_hsa_id, wave, maintenance_window, canary}] ->
    {clinic: {...,'canary', 'hosts', 'canary_note'}}. The canary is the PC marked canary
    (webcert_rollout_canary), else the first by name; every clinic gets exactly one. marked_elsewhere
    ({clinic: host}) names PCs marked canary that --limit left out: the clinic's note says who stands in."""
    clinics = {}
    for target in sorted(targets, key=lambda t: t["host"]):
        name = target.get("clinic") or NO_CLINIC
        clinic = clinics.setdefault(name, {"care_unit_hsa_id": target.get("care_unit_hsa_id"),
                                           "wave": int(target.get("wave") or 1),
                                           "maintenance_window": target.get("maintenance_window") or None,
                                           "canary": None, "hosts": [], "stopped": None, "canary_note": None})
        clinic["hosts"].append(target["host"])
        if target.get("canary"):
            if clinic["canary"] is not None:
                raise RolloutError("clinic %r has two canaries marked (webcert_rollout_canary): %s and %s"
                                   % (name, clinic["canary"], target["host"]))
            clinic["canary"] = target["host"]
    for name, clinic in clinics.items():
        excluded = (marked_elsewhere or {}).get(name)
        if clinic["canary"] is None and excluded:
            clinic["canary_note"] = ("the marked canary %s is not targeted (--limit); %s is the canary instead"
                                     % (excluded, clinic["hosts"][0]))
        clinic["canary"] = clinic["canary"] or clinic["hosts"][0]
    return clinics


def open_rollout(rollouts_dir, targets, limit, inventory, rollout_id=None, reports_dir=None, marked_elsewhere=None):
    """A new rollout (no id) or the one to resume; returns (state path, state). reports_dir is
    webcert_reports_dir as given (None when unset): the resume command the report shows repeats it."""
    if not targets:
        raise RolloutError("no workstation is targeted: --limit must name clinics, care units or waves "
                           "of the inventory (and localhost), e.g. --limit 'localhost,wave_1'")
    clinics = plan(targets, marked_elsewhere)
    if rollout_id is None:
        rollout_id = new_run_id()
        path = state_path(rollouts_dir, rollout_id)
        make_dirs(os.path.dirname(path))  # 0700, as every report directory: its file names carry host names
        state = {"version": STATE_VERSION, "rollout_id": rollout_id, "started_at": now_iso(), "limit": limit,
                 "inventory": inventory, "reports_dir": reports_dir, "resumed_at": [], "clinics": clinics,
                 "hosts": {host: {"clinic": name, "step": "canary" if host == clinic["canary"] else "batch",
                                  "enforce": None, "attempts": []}
                           for name, clinic in clinics.items() for host in clinic["hosts"]},
                 "audit_before": None, "audit_after": None, "report": None}
        _write_state(path, state)
        return path, state
    path = state_path(rollouts_dir, rollout_id)
    with locked(path) as state:
        recorded, now = set(state["hosts"]), {t["host"] for t in targets}
        if recorded != now:
            raise RolloutError(
                "rollout %s targeted %d PC(s) with --limit %r; this run targets %d (--limit %r). Resume with the "
                "same --limit and inventory (missing now: %s; new now: %s)"
                % (rollout_id, len(recorded), state["limit"], len(now), limit,
                   ", ".join(sorted(recorded - now)[:10]) or "none", ", ".join(sorted(now - recorded)[:10]) or "none"))
        state["resumed_at"].append(now_iso())
        # What did not complete is retried: a stopped clinic gets its canary (or failed PCs) tried again.
        for clinic in state["clinics"].values():
            if clinic["stopped"]:
                clinic.setdefault("stopped_before", []).append(clinic["stopped"])
                clinic["stopped"] = None
    return path, state


def _enforced(state, host):
    """Whether `host`'s last enforce in this rollout completed (its clinic's other PCs may follow)."""
    return (state["hosts"][host]["enforce"] or {}).get("status") == "done"


def _complete(state, host):
    """Enforced with nothing left for later: installs or a reboot that waited (maintenance window,
    webcert_reboot_allowed) make the PC part of the next run of the rollout again."""
    return _enforced(state, host) and not state["hosts"][host]["enforce"].get("pending")


def todo(state):
    """What this run still has to do: canaries and batch PCs not complete yet, and which audits."""
    canaries = [c["canary"] for _name, c in sorted(state["clinics"].items()) if not _complete(state, c["canary"])]
    # Batches fill wave by wave, clinic by clinic, so wave 1's PCs go first when several waves are targeted.
    batch = [host for _name, clinic in sorted(state["clinics"].items(), key=lambda item: (item[1]["wave"], item[0]))
             for host in clinic["hosts"] if host != clinic["canary"] and not _complete(state, host)]
    return {"canaries": canaries, "batch": batch, "audit_before": state["audit_before"] is None,
            "audit_after": state["audit_after"] is None}


def begin(path, host):
    """Whether `host` should be enforced now: skip when done, when its clinic is stopped, or (batch PCs) when
    the clinic's canary has not completed. Returns {'skip', 'reason', 'maintenance_window'}."""
    state = read_state(path)
    entry = state["hosts"].get(host)
    if entry is None:
        return {"skip": True, "reason": "%s is not part of rollout %s" % (host, state["rollout_id"])}
    clinic = state["clinics"][entry["clinic"]]
    window = clinic.get("maintenance_window")
    if _complete(state, host):
        return {"skip": True, "reason": "already enforced (%s)" % entry["enforce"]["at"], "maintenance_window": window}
    if clinic["stopped"]:
        return {"skip": True, "reason": "clinic %r is stopped: %s" % (entry["clinic"], clinic["stopped"]["reason"]),
                "maintenance_window": window}
    if entry["step"] == "batch" and not _enforced(state, clinic["canary"]):
        return {"skip": True, "reason": "the clinic's canary %s has not completed" % clinic["canary"],
                "maintenance_window": window}
    return {"skip": False, "reason": "", "maintenance_window": window}


def record(path, host, status, message="", window_open=None, pending=None, batch=None, max_fail_percentage=None):
    """Record the outcome of enforcing `host` (done or failed); a failed canary stops its clinic, and so do
    more than max_fail_percentage failed PCs of one clinic in one batch. Returns the clinic's stop, if any."""
    with locked(path) as state:
        entry = state["hosts"][host]
        # seq: the order in which PCs finished, across runs (timestamps have one-second resolution).
        state["sequence"] = state.get("sequence", 0) + 1
        outcome = {"status": status, "at": now_iso(), "seq": state["sequence"], "message": message,
                   "window_open": window_open, "pending": list(pending or [])}
        entry["enforce"] = outcome
        entry["attempts"].append(outcome)
        # A PC changed after the last audit: that audit no longer shows the result.
        state["audit_after"] = None
        state["report"] = None
        clinic = state["clinics"][entry["clinic"]]
        if status == "failed" and not clinic["stopped"]:
            if entry["step"] == "canary":
                clinic["stopped"] = {"reason": "canary %s failed: %s" % (host, message), "at": outcome["at"]}
            elif max_fail_percentage is not None and batch:
                mine = [h for h in batch if state["hosts"].get(h, {}).get("clinic") == entry["clinic"]]
                failed = [h for h in mine if (state["hosts"][h]["enforce"] or {}).get("status") == "failed"
                          and state["hosts"][h]["enforce"]["at"] >= _batch_start(state)]
                if mine and 100.0 * len(failed) / len(mine) > float(max_fail_percentage):
                    clinic["stopped"] = {"reason": "%d of %d PCs failed in one batch (more than %s %%): %s"
                                                   % (len(failed), len(mine), max_fail_percentage,
                                                      ", ".join(sorted(failed))), "at": outcome["at"]}
        return clinic["stopped"]


def _batch_start(state):
    """Failures of earlier runs do not count against this batch: only attempts since this run (re)started."""
    return (state["resumed_at"] or [state["started_at"]])[-1]


def record_audit(path, phase, report_json, run_id):
    with locked(path) as state:
        state["audit_" + phase] = {"run_id": run_id, "report_json": os.path.abspath(report_json), "at": now_iso()}


def record_report(path, outputs):
    with locked(path) as state:
        state["report"] = {"at": now_iso(), "outputs": outputs}
