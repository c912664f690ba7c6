# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""History: find the previous run of the same inventory and compute drift against it.

Runs live in reports/<run id>/ (run ids sort by time). Each run also has a small run.json (run
metadata and summary), so finding the previous run of an inventory reads a few hundred bytes per run,
not every full report. Only finished runs count: an interrupted run is never renamed to its run id.

Drift is computed per (subject kind, subject id, control id), in five disjoint groups:
- regressed:         passed before, an open failure now (failed and not waived);
- waiver_expired:    waived before, an open failure now because the waiver expired;
- new_failures:      an open failure now that was neither passed, waived nor an open failure before
                     (a new host or control, or before not_applicable);
- resolved:          an open failure before, passed or not_applicable now;
- not_judged_before: an open failure now, but the control was never judged on that subject (only
                     error or not_reviewed) in the last LOOKBACK_RUNS runs of the inventory.
"Before" is the previous run, except where the previous result was error or not_reviewed (a PC
switched off for one night) or absent (a --limit run left the host out): then it is the last of the
earlier runs (up to LOOKBACK_RUNS in all) in
which the control was judged (passed, failed or not_applicable) on that subject, so a long-standing
failure is not reported as new. The gate rule new_failures ignores not_judged_before.
A previous report that cannot be read gives drift status "unavailable" with the reason; the run
itself still succeeds.
"""

import datetime
import json
import os
import re
import shutil

from ansible_collections.webcert.fleet.plugins.plugin_utils.report.common import clinic_of, effective_status, is_open_failure

RUN_ID = re.compile(r"^\d{8}T\d{6}(\.\d{3})?Z-[0-9a-f]{6}$")
DRIFT_KINDS = ("new_failures", "resolved", "regressed", "waiver_expired", "not_judged_before")
# How many runs of an inventory (the previous one included) drift looks through for the last judged result.
LOOKBACK_RUNS = 10
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


def _runs_of(reports_dir, inventory, before_run_id, unreadable):
    """(name, run directory) of finished runs of `inventory` older than `before_run_id`, newest first.
    A run whose inventory cannot be read is noted in `unreadable` and skipped."""
    for name in run_dirs(reports_dir):
        if before_run_id is not None and name >= before_run_id:
            continue
        run_dir = os.path.join(reports_dir, name)
        try:
            if _inventory_of(run_dir) != inventory:
                continue
        except PreviousRunError as exc:
            unreadable.append(str(exc))
            continue
        yield name, run_dir


def find_previous(reports_dir, inventory, current_run_id):
    """(previous report dict or None, drift status dict). Never raises for a bad previous run.

    A run whose run.json cannot be read may be of any inventory: it is skipped (and named in the
    reason), so a corrupt run of another region never blocks drift for this one. Drift is unavailable
    when the previous run of this inventory has an unreadable report, or when no readable run of this
    inventory exists but unreadable runs do."""
    unreadable = []
    for name, run_dir in _runs_of(reports_dir, inventory, current_run_id, unreadable):
        skipped = ("; skipped unreadable run(s): %s" % "; ".join(unreadable)) if unreadable else ""
        try:
            previous = _read_report(run_dir)
        except PreviousRunError as exc:
            return None, {"status": "unavailable", "previous_run_id": name, "reason": str(exc) + skipped}
        return previous, {"status": "computed", "previous_run_id": name, "reason": skipped[2:] or None}
    if unreadable:
        return None, {"status": "unavailable", "previous_run_id": None,
                      "reason": "no readable earlier run of inventory %r in %s; unreadable run(s), of unknown "
                                "inventory: %s" % (inventory, reports_dir, "; ".join(unreadable))}
    return None, {"status": "first_run", "previous_run_id": None,
                  "reason": "no earlier run of inventory %r in %s" % (inventory, reports_dir)}


def earlier_reports(reports_dir, inventory, previous_run_id, limit=None):
    """Lazily, the reports of the runs of `inventory` before `previous_run_id`, newest first: (run id,
    report) for at most LOOKBACK_RUNS - 1 runs (so with the previous run, LOOKBACK_RUNS in all).
    Unreadable runs are skipped. compute_drift only reads them when a failure follows an error or
    not_reviewed result."""
    if previous_run_id is None:
        return
    limit = LOOKBACK_RUNS - 1 if limit is None else limit
    for count, (name, run_dir) in enumerate(_runs_of(reports_dir, inventory, previous_run_id, [])):
        if count >= limit:
            return
        try:
            report = _read_report(run_dir)
        except PreviousRunError:
            continue
        yield name, report


def _read_report(run_dir):
    """A finished run's report.json, checked for just what drift needs (a full schema check would tie
    history to today's schema version)."""
    path = os.path.join(run_dir, "report.json")
    report = _read_json(path)
    try:
        for subject in report["subjects"]:
            for result in subject["results"]:
                (subject["kind"], subject["id"], result["control_id"], result["status"])
    except (KeyError, TypeError) as exc:
        raise PreviousRunError("%s: not a webcert-fleet report (missing %s)" % (path, exc)) from None
    return report


def _keyed(report):
    """(subject, result, key) for every result; drift matches results across runs by key."""
    for subject in report["subjects"]:
        for result in subject["results"]:
            yield subject, result, (subject["kind"], subject["id"], result["control_id"])


JUDGED = ("passed", "failed", "not_applicable")


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
    if before["status"] not in JUDGED:
        return "not_judged_before"
    return "new_failures"


def _label(result):
    return "absent" if result is None else effective_status(result)


def _look_back(pending, earlier):
    """For each key in `pending` (keys absent from the previous run or error or not_reviewed in it), the last judged
    result in the earlier reports: {key: (run id, result)}. Stops reading once every key is found."""
    found = {}
    for run_id, report in earlier:
        for _unused, result, key in _keyed(report):
            if key in pending and key not in found and result["status"] in JUDGED:
                found[key] = (run_id, result)
        if len(found) == len(pending):
            break
    return found


def compute_drift(previous, report, status, earlier=()):
    """Drift of `report` against `previous` (a report dict or None), with `status` from find_previous.

    `earlier`: (run id, report) of older runs of the same inventory, newest first (earlier_reports()).
    An open failure whose previous result was error or not_reviewed, or that was absent from the previous
    run (a --limit run), is judged against the last run in which that control was judged on that
    subject; if none is found it is "not_judged_before" (or a new failure when it was absent throughout:
    a new host or control)."""
    drift = dict(status)
    drift["counts"] = {kind: 0 for kind in DRIFT_KINDS}
    drift["by_clinic"] = {}
    for kind in DRIFT_KINDS:
        drift[kind] = []
    if previous is None:
        return drift
    before_index = {key: result for _unused, result, key in _keyed(previous)}
    pending = {key for _unused, result, key in _keyed(report) if is_open_failure(result)
               and (key not in before_index or before_index[key]["status"] not in JUDGED)}
    judged = _look_back(pending, earlier) if pending else {}
    for subject, result, key in _keyed(report):
        before = before_index.get(key)
        looked_back = None
        if key in judged:
            looked_back = {"run_id": judged[key][0], "previous": _label(before)}
            before = judged[key][1]
        kind = _classify(before, result)
        if kind is None:
            continue
        _count(drift, kind, clinic_of(subject))
        if len(drift[kind]) < MAX_LISTED:
            item = {"kind": subject["kind"], "subject_id": subject["id"], "clinic": subject.get("clinic"),
                    "control_id": result["control_id"], "impact": result["impact"], "before": _label(before),
                    "now": _label(result)}
            if looked_back:
                item["looked_back"] = looked_back
            drift[kind].append(item)
    return drift


def drift_since_previous(reports_dir, report):
    """compute_drift of `report` against the previous run of its inventory in `reports_dir` (find_previous),
    with the earlier runs to look back through (earlier_reports)."""
    inventory = report["run"]["inventory"]
    previous, status = find_previous(reports_dir, inventory, report["run"]["id"])
    return compute_drift(previous, report, status, earlier_reports(reports_dir, inventory, status["previous_run_id"]))


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


def _started(name):
    """A run id's start (UTC) from its name: 20261126T103000.123Z-1a2b3c."""
    return datetime.datetime.strptime(name[:15], "%Y%m%dT%H%M%S").replace(tzinfo=datetime.timezone.utc)


def prune_runs(reports_dir, inventory, keep_runs, keep_days, keep, now=None):
    """Delete finished runs of `inventory` beyond the newest `keep_runs` (0: no limit) or started more than
    `keep_days` days before `now` (0: no limit). Runs named in `keep` (this run, the run drift compared
    against) and runs of other inventories, or of an unreadable one, are never deleted. Returns the deleted
    run ids; a run that cannot be deleted is left for next time (the error is returned beside)."""
    if not keep_runs and not keep_days:
        return [], []
    now = now or datetime.datetime.now(datetime.timezone.utc)
    deleted, problems = [], []
    for position, (name, run_dir) in enumerate(_runs_of(reports_dir, inventory, None, [])):
        too_many = keep_runs and position >= keep_runs
        too_old = keep_days and now - _started(name) > datetime.timedelta(days=keep_days)
        if name in keep or not (too_many or too_old):
            continue
        try:
            shutil.rmtree(run_dir)
            deleted.append(name)
        except OSError as exc:
            problems.append("%s: %s" % (run_dir, exc.strerror))
    return deleted, problems
