"""Benchmark: the offline audit of a region's workstations, ours against the naive way, at three sizes.

For each size (1/10, 1/2 and the full 5,000 PCs) bench/region.py writes the evidence files (from
tests/fixtures/evidence, with variation, a few broken) into a drop folder read by the inventory plugin
webcert_evidence_dir, and `ansible-playbook playbooks/audit.yml` audits them offline: wall time, cost per
PC, peak memory (largest process and the whole process tree), and the time of its tasks.

The naive way, in the same run: one task per control per host, as per-rule roles do (a generated
playbook; bench/naive_plugins/action/naive_judge_control.py reads the host's file and judges one
control with the same judges). At the naive cost per task it is run on a sample of the full region
(--naive-hosts, with --limit) and compared per PC; it writes no report, so the ratio understates ours.
Not a test: it prints figures.

  python bench/audit_scale.py [--hosts 5000] [--sizes 0.1,0.5,1] [--naive-hosts 100]
"""

import argparse
import json
import os
import sys
import tempfile

import yaml

from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue

# The bench's own helpers, beside this script (its folder is on the path when it runs).
import measure
import region

HERE = os.path.dirname(os.path.abspath(__file__))

BATCH_TASK = "Judge the workstations whose evidence is a file, on the controller"
REPORT_TASK = "Judge every subject, apply waivers and write report.json"


def make_region(folder, hosts):
    broken = region.write_evidence(os.path.join(folder, "files", "evidence"), hosts)
    with open(os.path.join(folder, "offline.webcert_evidence.yml"), "w", encoding="utf-8") as handle:
        handle.write("plugin: webcert.fleet.webcert_evidence_dir\npath: files/evidence\n")
    # The fixtures are a fixed snapshot: judge them whatever their age.
    os.makedirs(os.path.join(folder, "group_vars"))
    with open(os.path.join(folder, "group_vars", "all.yml"), "w", encoding="utf-8") as handle:
        handle.write("webcert_settings: {evidence_max_age_days: 0}\n")
    return broken


def naive_playbook(path):
    """One task per workstation control, each judging that control from the host's file."""
    catalogue = load_catalogue()
    controls = catalogue.for_profile(catalogue.default_profile, "workstation")
    tasks = [{"name": "Check %s" % c["id"], "naive_judge_control": {
        "control": c["id"], "evidence_file": "{{ webcert_evidence_file }}"}, "register": "naive_%d" % n}
        for n, c in enumerate(controls)]
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump([{"name": "Naive audit: one task per control per host", "hosts": "webcert_workstations",
                         "gather_facts": False, "check_mode": True, "tasks": tasks}], handle, sort_keys=False)
    return len(controls)


def ours(folder, hosts):
    reports = folder + "-reports"  # beside the inventory folder, never in it
    seconds, out, _err, largest, tree = measure.run_measured(
        [os.path.join(measure.BIN, "ansible-playbook"), "playbooks/audit.yml", "-i", folder,
         "-e", "webcert_reports_dir=%s" % reports], env=measure.ansible_env())
    tasks = measure.task_times(out)
    run_dir = os.path.realpath(os.path.join(reports, "latest"))
    with open(os.path.join(run_dir, "report.json"), encoding="utf-8") as handle:
        report = json.load(handle)
    workstations = [s for s in report["subjects"] if s["kind"] == "workstation"]
    assert len(workstations) == hosts, (len(workstations), hosts)
    errors = sum(s["status"] == "error" for s in workstations)
    results = sum(len(s["results"]) for s in report["subjects"])
    del report
    return {"hosts": hosts, "seconds": seconds, "largest": largest, "tree": tree, "errors": errors,
            "results": results, "batch": tasks.get(BATCH_TASK, 0.0), "report": tasks.get(REPORT_TASK, 0.0),
            "floor": measure.floor_seconds(os.path.join(run_dir, "report.json")), "sizes": measure.outputs(run_dir)}


def naive(folder, sample, work):
    playbook = os.path.join(work, "naive.yml")
    controls = naive_playbook(playbook)
    limit = ",".join("pc%05d" % n for n in range(sample))
    env = measure.ansible_env(ANSIBLE_ACTION_PLUGINS=os.path.join(HERE, "naive_plugins", "action"))
    seconds = measure.run_measured(
        [os.path.join(measure.BIN, "ansible-playbook"), playbook, "-i", folder, "--limit", limit], env=env)[0]
    return seconds, controls


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=5000)
    parser.add_argument("--sizes", default="0.1,0.5,1", help="fractions of the region to run, smallest first")
    parser.add_argument("--naive-hosts", type=int, default=100, help="sample of PCs the naive way audits")
    args = parser.parse_args()
    print("Offline workstation audit (playbooks/audit.yml) vs one task per control per host; %s" % measure.load())
    rows = []
    with tempfile.TemporaryDirectory(prefix="webcert-bench-audit-") as work:
        folder = None
        for fraction in [float(f) for f in args.sizes.split(",")]:
            hosts = int(args.hosts * fraction)
            folder = os.path.join(work, "pcs%d" % hosts)
            broken = make_region(folder, hosts)
            row = ours(folder, hosts)
            rows.append(row)
            print("%5d PCs (%d broken files -> %d error subjects): %6.1f s = %5.1f ms/PC; controller batch %5.1f s, "
                  "judge+report %5.1f s = %.1fx the floor (%.1f s); largest process %4.0f MiB, whole run %4.0f MiB PSS"
                  % (hosts, len(broken), row["errors"], row["seconds"], row["seconds"] / hosts * 1000, row["batch"],
                     row["report"], row["report"] / row["floor"], row["floor"], row["largest"], row["tree"]))
            sys.stdout.flush()
        sample = min(args.naive_hosts, rows[-1]["hosts"])
        naive_seconds, controls = naive(folder, sample, work)
    full = rows[-1]
    print()
    print("Report files of the largest run (%d PCs, %d results):" % (full["hosts"], full["results"]))
    for name, (size, files) in full["sizes"].items():
        print("  %-16s %10.1f MiB in %5d file(s)" % (name, size / 2 ** 20, files))
    per_pc_naive = naive_seconds / sample
    print()
    print("naive: %d PCs x %d controls = %d tasks in %.1f s = %.1f ms/PC (no report written)"
          % (sample, controls, sample * controls, naive_seconds, per_pc_naive * 1000))
    per_pc = " / ".join("%.1f" % (r["seconds"] / r["hosts"] * 1000) for r in rows)
    print("Growth, ours: %s ms per PC at %s PCs" % (per_pc, " / ".join(str(r["hosts"]) for r in rows)))
    print("ratio naive/ours (cost per PC, %d PCs): %.1fx (target >= 10x)"
          % (full["hosts"], per_pc_naive / (full["seconds"] / full["hosts"])))


if __name__ == "__main__":
    main()
