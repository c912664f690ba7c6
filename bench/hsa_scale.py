"""Benchmark: the directory audit of a whole region, ours against the naive per-person way, at three sizes.

For each size (1/10, 1/2 and the full region: 200 care units, 10,000 persons, a third doctors; see
bench/region.py) a throwaway slapd (scripts/hsa-test-directory --log-operations) serves the generated
directory, and in the same run:
  - ours:  `ansible-playbook playbooks/hsa.yml` end to end (read, judge, write every report), with its
           wall time, peak memory (largest process and the whole process tree), the time of its judge-and-
           report task against the floor of reading and writing the same report.json once, and the LDAP
           search operations slapd logged;
  - naive: the same persons read the naive way, one search each for the person, their commissions, their
           care unit and the provider (40,000 searches for 10,000 persons), timed and counted the same way.
           Its end-to-end time is ours with our reading replaced by the naive reading (the judging and
           the reports are the same work either way); the naive reading alone is printed too.
Prints cost per person at each size (growth) and the ratios last. Not a test: it prints figures.

  python bench/hsa_scale.py [--persons 10000] [--units 200] [--sizes 0.1,0.5,1]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from ldap3.utils.conv import escape_filter_chars

from ansible_collections.webcert.fleet.plugins.module_utils.hsa_dn import parent_dns
from ansible_collections.webcert.fleet.plugins.module_utils.hsa_ldap import HsaDirectory, equals_filter

# The bench's own helpers, beside this script (its folder is on the path when it runs).
import measure
import region

SCRIPT = os.path.join(measure.REPO, "scripts", "hsa-test-directory")
REPORT_TASK = "Judge every subject, apply waivers and write report.json"
READ_TASK = "Read and judge the care provider, care units and persons in HSA"


def searches_logged(state):
    with open(os.path.join(state, "slapd.log"), encoding="utf-8", errors="replace") as handle:
        return sum(" SRCH base=" in line for line in handle)


def inventory(folder, info, facts):
    os.makedirs(os.path.join(folder, "group_vars"))
    with open(os.path.join(folder, "hosts.yml"), "w", encoding="utf-8") as handle:
        handle.write("all:\n  hosts:\n    localhost:\n      ansible_connection: local\n"
                     "  children:\n    webcert_workstations: {}\n")
    with open(os.path.join(folder, "group_vars", "all.yml"), "w", encoding="utf-8") as handle:
        json.dump({"webcert_care_provider_hsa_id": facts["provider"], "webcert_care_provider_name": facts["provider_name"],
                   "webcert_hsa_uri": info["uri"], "webcert_hsa_bind_dn": info["bind_dn"],
                   "webcert_hsa_bind_password": info["password"], "webcert_hsa_base_dn": info["base_dn"],
                   "webcert_hsa_registered_units": facts["registered_units"]}, handle)


def naive(info, facts):
    """Per person: the person, their commissions, their care unit, the provider; one search each."""
    directory = HsaDirectory({"uri": [info["uri"]], "base_dn": info["base_dn"], "bind_dn": info["bind_dn"],
                              "bind_password": info["password"], "page_size": 500, "search_timeout": 60})
    names = directory.names
    base = info["base_dn"]
    found = 0
    try:
        for hsa_id in facts["persons"]:
            found += len(directory.search(base, equals_filter(names["hsa_id"], hsa_id)))
            commissions = directory.search(base, "(&%s(%s=%s*))" % (
                equals_filter(names["object_class"], names["class_commission"]), names["commission_member"],
                escape_filter_chars(hsa_id)))
            unit = parent_dns(commissions[0]["dn"])[0] if commissions else base
            directory.search(unit, equals_filter(names["object_class"], names["class_care_unit"]))
            directory.search(base, equals_filter(names["hsa_id"], facts["provider"]))
    finally:
        directory.close()
    return found


def one_size(work, persons, units):
    folder = os.path.join(work, "p%d" % persons)
    os.makedirs(folder)
    ldif = os.path.join(folder, "region.ldif")
    facts = region.write_directory(ldif, persons, units)
    state = os.path.join(folder, "state")
    up = subprocess.run([sys.executable, SCRIPT, "--state", state, "up", "--ldif", ldif, "--log-operations"],
                        capture_output=True, text=True, check=True)
    info = json.loads(up.stdout)
    try:
        inventory(os.path.join(folder, "inventory"), info, facts)
        reports = os.path.join(folder, "reports")
        before = searches_logged(state)
        seconds, out, _err, largest, tree = measure.run_measured(
            [os.path.join(measure.BIN, "ansible-playbook"), "playbooks/hsa.yml", "-i", os.path.join(folder, "inventory"),
             "-e", "webcert_reports_dir=%s" % reports], env=measure.ansible_env())
        ours_searches = searches_logged(state) - before
        tasks = measure.task_times(out)
        run_dir = os.path.join(reports, "latest")
        with open(os.path.join(run_dir, "report.json"), encoding="utf-8") as handle:
            report = json.load(handle)
        subjects = len(report["subjects"])
        results = sum(len(s["results"]) for s in report["subjects"])
        del report
        floor = measure.floor_seconds(os.path.join(run_dir, "report.json"))
        sizes = measure.outputs(os.path.realpath(run_dir))

        before = searches_logged(state)
        started = time.perf_counter()
        found = naive(info, facts)
        naive_seconds = time.perf_counter() - started
        naive_searches = searches_logged(state) - before
    finally:
        subprocess.run([sys.executable, SCRIPT, "--state", state, "down"], capture_output=True, check=False)
    assert found == len(facts["persons"]), (found, len(facts["persons"]))
    return {"persons": persons, "units": units, "subjects": subjects, "results": results, "seconds": seconds,
            "largest": largest, "tree": tree, "searches": ours_searches, "report": tasks.get(REPORT_TASK, 0.0),
            "read": tasks.get(READ_TASK, 0.0), "floor": floor, "naive_seconds": naive_seconds,
            "naive_searches": naive_searches, "sizes": sizes}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=10000)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--sizes", default="0.1,0.5,1", help="fractions of the region to run, smallest first")
    args = parser.parse_args()
    print("Directory audit (playbooks/hsa.yml) vs the naive per-person reading; %s" % measure.load())
    rows = []
    with tempfile.TemporaryDirectory(prefix="webcert-bench-hsa-") as work:
        for fraction in [float(f) for f in args.sizes.split(",")]:
            rows.append(one_size(work, int(args.persons * fraction), max(1, int(args.units * fraction))))
            row = rows[-1]
            print("%6d persons %4d units: ours %6.1f s (%5.2f ms/person), %4d searches, largest process %4.0f MiB, "
                  "whole run %4.0f MiB PSS; judge+report %5.1f s = %4.1fx the floor (%.1f s); "
                  "naive %6.1f s (%5.2f ms/person), %6d searches"
                  % (row["persons"], row["units"], row["seconds"], row["seconds"] / row["persons"] * 1000,
                     row["searches"], row["largest"], row["tree"], row["report"], row["report"] / row["floor"],
                     row["floor"], row["naive_seconds"], row["naive_seconds"] / row["persons"] * 1000,
                     row["naive_searches"]))
            sys.stdout.flush()
    full = rows[-1]
    print()
    print("Report files of the largest run (%d subjects, %d results):" % (full["subjects"], full["results"]))
    for name, (size, files) in full["sizes"].items():
        print("  %-16s %10.1f MiB in %5d file(s)" % (name, size / 2 ** 20, files))
    print()
    print("Growth, ours: %s ms per person; naive: %s ms per person"
          % (" / ".join("%.2f" % (r["seconds"] / r["persons"] * 1000) for r in rows),
             " / ".join("%.2f" % (r["naive_seconds"] / r["persons"] * 1000) for r in rows)))
    print("Targets at %d persons: peak memory %.0f MiB (whole run, PSS; largest process %.0f MiB) < 500 MiB; "
          "judge+report %.1fx the floor <= 5x" % (full["persons"], full["tree"], full["largest"],
                                                  full["report"] / full["floor"]))
    naive_total = full["seconds"] - full["read"] + full["naive_seconds"]
    print("naive end to end %.1f s = ours %.1f s - our read-and-judge task %.1f s + naive reading %.1f s"
          % (naive_total, full["seconds"], full["read"], full["naive_seconds"]))
    print("ratio naive/ours: end to end %.1fx (target >= 20x; the naive reading alone %.1fx), "
          "LDAP searches %.0fx (target >= 50x)" % (naive_total / full["seconds"], full["naive_seconds"] / full["seconds"],
                                                   full["naive_searches"] / max(1, full["searches"])))


if __name__ == "__main__":
    main()
