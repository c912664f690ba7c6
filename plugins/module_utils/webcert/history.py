"""History: find the previous run of the same inventory and compute drift against it.

Runs live in reports/<run id>/ (run ids sort by time). Each run also has a small run.json (run
metadata and summary), so finding the previous run of an inventory reads a few hundred bytes per run,
not every full report. Only finished runs count: an interrupted run is never renamed to its run id.

Drift is computed per (subject kind, subject id, control id), in four disjoint groups:
- regressed:      passed before, an open failure now (failed and not waived);
- waiver_expired: waived before, an open failure now because the waiver expired;
- new_failures:   an open failure now that was neither passed, waived nor an open failure before
                  (a new host or control, or before not_applicable, not_reviewed or error);
- resolved:       an open failure before, passed or not_applicable now.
A previous report that cannot be read gives drift status "unavailable" with the reason; the run
itself still succeeds.
"""

import json
import os
import re

from .render_common import clinic_of, is_open_failure

RUN_ID = re.compile(r"^\d{8}T\d{6}(\.\d{3})?Z-[0-9a-f]{6}$")
DRIFT_KINDS = ("new_failures", "resolved", "regressed", "waiver_expired")
# Lists in report.json are capped so a mass change cannot blow up the file; counts stay exact.
MAX_LISTED = 2000


class PreviousRunError(Exception):
    """The previous run exists but its files cannot be used."""


def run_dirs(reports_dir):
    """Finished runs, newest first."""
    try:
        names = os.listdir(reports_dir)
    except FileNotFoundError:
        return []
    return sorted((n for n in names if RUN_ID.match(n) and os.path.isdir(os.path.join(reports_dir, n))),
                  reverse=True)


def _read_json(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as exc:
        raise PreviousRunError("%s: cannot read: %s" % (path, exc.strerror)) from None
    except ValueError as exc:
        raise PreviousRunError("%s: not valid JSON (truncated or corrupt?): %s" % (path, exc)) from None


def _inventory_of(run_dir):
    """The inventory a finished run audited, from run.json (or report.json for a run without one)."""
    meta = os.path.join(run_dir, "run.json")
    source = meta if os.path.exists(meta) else os.path.join(run_dir, "report.json")
    document = _read_json(source)
    run = document.get("run") if isinstance(document, dict) else None
    if not isinstance(run, dict) or not isinstance(run.get("inventory"), str):
        raise PreviousRunError("%s: has no run.inventory" % source)
    return run["inventory"]


def find_previous(reports_dir, inventory, current_run_id):
    """(previous report dict or None, drift status dict). Never raises for a bad previous run."""
    for name in run_dirs(reports_dir):
        if name >= current_run_id:
            continue
        run_dir = os.path.join(reports_dir, name)
        try:
            if _inventory_of(run_dir) != inventory:
                continue
            previous = _read_json(os.path.join(run_dir, "report.json"))
            _check_shape(previous, os.path.join(run_dir, "report.json"))
        except PreviousRunError as exc:
            return None, {"status": "unavailable", "previous_run_id": name, "reason": str(exc)}
        return previous, {"status": "computed", "previous_run_id": name, "reason": None}
    return None, {"status": "first_run", "previous_run_id": None,
                  "reason": "no earlier run of inventory %r in %s" % (inventory, reports_dir)}


def _check_shape(report, path):
    """Just what drift needs; a full schema check would tie history to today's schema version."""
    try:
        for subject in report["subjects"]:
            for result in subject["results"]:
                (subject["kind"], subject["id"], result["control_id"], result["status"])
    except (KeyError, TypeError) as exc:
        raise PreviousRunError("%s: not a webcert-fleet report (missing %s)" % (path, exc)) from None


def _index(report):
    return {(s["kind"], s["id"], r["control_id"]): (s, r) for s in report["subjects"] for r in s["results"]}


def _classify(before, now):
    if not is_open_failure(now):
        if before is not None and is_open_failure(before) and now["status"] in ("passed", "not_applicable"):
            return "resolved"
        return None
    if before is None:
        return "new_failures"
    if is_open_failure(before):
        return None
    if before["status"] == "passed":
        return "regressed"
    if before.get("waived") and (now.get("waiver") or {}).get("expired"):
        return "waiver_expired"
    return "new_failures"


def _label(result):
    if result is None:
        return "absent"
    return "waived" if result.get("waived") else result["status"]


def compute_drift(previous, report, status):
    """Drift of `report` against `previous` (a report dict or None), with `status` from find_previous."""
    drift = dict(status)
    drift["counts"] = {kind: 0 for kind in DRIFT_KINDS}
    drift["by_clinic"] = {}
    for kind in DRIFT_KINDS:
        drift[kind] = []
    if previous is None:
        return drift
    before_index = _index(previous)
    for subject in report["subjects"]:
        for result in subject["results"]:
            key = (subject["kind"], subject["id"], result["control_id"])
            before = before_index.get(key, (None, None))[1]
            kind = _classify(before, result)
            if kind is None:
                continue
            _count(drift, kind, clinic_of(subject))
            if len(drift[kind]) < MAX_LISTED:
                drift[kind].append({"kind": subject["kind"], "subject_id": subject["id"],
                                    "clinic": subject.get("clinic"), "control_id": result["control_id"],
                                    "impact": result["impact"], "before": _label(before), "now": _label(result)})
    return drift


def _count(drift, kind, clinic):
    drift["counts"][kind] += 1
    per_clinic = drift["by_clinic"].setdefault(clinic, {k: 0 for k in DRIFT_KINDS})
    per_clinic[kind] += 1


def run_meta(report):
    """What run.json holds: enough to find a run's inventory and show its headline figures."""
    return {"schema_version": report["schema_version"], "run": report["run"], "summary": report["summary"],
            "drift": {k: report["drift"].get(k) for k in ("status", "previous_run_id", "counts")}
            if report.get("drift") else None,
            "gate": report.get("gate")}
