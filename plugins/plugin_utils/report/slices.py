# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Merge the slices of one sliced audit job (AWX job slicing) into one run.

Each slice audits part of the region's PCs and writes its own finished run into the job's slices
directory. The merge reads every finished run there and assembles one report.json from their subjects:
every workstation once (a PC in two slices is an error), the directory subjects once (every slice
judges the whole directory; they are taken from the slice that finished last, and the other slices
must list the same subjects), waiver usage counted again over the merged subjects. Drift and gate are then computed as for any run,
against the region's own history in the reports directory, and every format is rendered as usual.
"""

import json
import os

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.history import run_dirs
from ansible_collections.webcert.fleet.plugins.plugin_utils.readiness.join import build_readiness
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.write import new_run_id, summarise
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.waivers import waiver_in_scope


class SliceError(WebcertError):
    """The slices cannot be merged into one run."""


def read_slices(slices_dir):
    """The finished runs in `slices_dir`, oldest first, as report dicts."""
    names = sorted(run_dirs(slices_dir))
    if not names:
        raise SliceError("%s: no finished slice runs (each slice writes reports/<run id>/ there; set "
                         "webcert_reports_dir of the sliced job to this directory)" % slices_dir)
    reports = []
    for name in names:
        path = os.path.join(slices_dir, name, "report.json")
        try:
            with open(path, encoding="utf-8") as handle:
                reports.append(json.load(handle))
        except (OSError, ValueError) as exc:
            raise SliceError("%s: cannot read the slice's report: %s" % (path, exc)) from None
    return reports


def merge(reports):
    """One report (without drift and gate) from the slices' reports."""
    first = reports[0]
    for report in reports[1:]:
        for key in ("schema_version", "tool", "catalogue"):
            if report[key] != first[key]:
                raise SliceError("run %s and run %s differ in %s: the slices of one job must run the same "
                                 "version and catalogue" % (first["run"]["id"], report["run"]["id"], key))
        if report["run"]["inventory"] != first["run"]["inventory"]:
            raise SliceError("run %s audited inventory %r, run %s %r: not slices of one job"
                             % (first["run"]["id"], first["run"]["inventory"], report["run"]["id"],
                                report["run"]["inventory"]))
    workstations, owner = [], {}
    for report in reports:
        for subject in report["subjects"]:
            if subject["kind"] != "workstation":
                continue
            if subject["id"] in owner:
                raise SliceError("workstation %s is in run %s and run %s: slices must not overlap"
                                 % (subject["id"], owner[subject["id"]], report["run"]["id"]))
            owner[subject["id"]] = report["run"]["id"]
            workstations.append(subject)
    last = max(reports, key=lambda r: r["run"]["finished_at"])
    directory = [s for s in last["subjects"] if s["kind"] != "workstation"]
    keys = sorted((s["kind"], s["id"]) for s in directory)
    for report in reports:
        if sorted((s["kind"], s["id"]) for s in report["subjects"] if s["kind"] != "workstation") != keys:
            raise SliceError("run %s judged other directory subjects than run %s; were the slices run against "
                             "the same directory?" % (report["run"]["id"], last["run"]["id"]))
    identity = [{k: v for k, v in w.items() if k != "matched_results"} for w in first["waivers"]]
    for report in reports[1:]:
        if [{k: v for k, v in w.items() if k != "matched_results"} for w in report["waivers"]] != identity:
            raise SliceError("run %s used another waiver file than run %s" % (report["run"]["id"], first["run"]["id"]))
    subjects = sorted(workstations, key=lambda s: s["id"]) + directory
    # Counted again over the merged subjects: every slice counted the directory's results too.
    waivers = [dict(w, matched_results=sum(1 for s in subjects if waiver_in_scope(w, s)
                                           for r in s["results"] if r["control_id"] == w["control_id"]))
               for w in identity]
    run = dict(first["run"], id=new_run_id(), started_at=min(r["run"]["started_at"] for r in reports),
               finished_at=max(r["run"]["finished_at"] for r in reports),
               slices=[r["run"]["id"] for r in reports])
    # Each slice's notices (one per profile), for the readiness verdicts joined again over the merged subjects:
    # a person seen in one slice is listed by a clinic whose other PCs are in another.
    notices = list({n["profile"]: n for r in reports for n in r.get("notices") or []}.values())
    return {"schema_version": first["schema_version"], "tool": first["tool"], "run": run,
            "catalogue": first["catalogue"], "subjects": subjects, "summary": summarise(subjects), "waivers": waivers,
            "readiness": build_readiness(subjects, first["catalogue"]["controls"], notices)}
