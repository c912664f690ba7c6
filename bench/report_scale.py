"""Benchmark: every report format at region scale (5,000 PCs, 10,000 persons; the real control catalogue,
synthetic results), at three sizes, against naive ways of doing the same in the same run.

  .venv/bin/python bench/report_scale.py [--hosts 5000] [--persons 10000] [--sizes 0.1,0.5,1] [--no-browser]

Per size and per run (the workstations' audit, the directory's audit): each format's write time (render
and write, as write_run does it) and size, and the cost per subject. Then report.html of both together
(5,000 PCs + 10,000 persons) in headless Chromium (bench/chromium.py, DevTools over a pipe): time to open
it and to filter it (in the page, around the filter's event). Naive ways compared at full size:
- report.html: every finding rendered server-side as HTML table rows with string concatenation, instead of
  a compact JSON block rendered lazily by the browser (also opened in Chromium);
- inspec/: per-host re-rendering of the shared parts (profile hash, control index) for every host;
- junit.xml: a DOM per test case (xml.dom.minidom) instead of streamed escaped text;
- drift: for each result a scan of the previous run's results, instead of an index (on 300 hosts;
  the naive way is quadratic).
Not a test: it prints figures, it does not assert them.
"""

import argparse
import html
import json
import os
import random
import sys
import tempfile
import time
import xml.dom.minidom

from ansible_collections.webcert.fleet.plugins.plugin_utils.report import render_html
from ansible_collections.webcert.fleet.plugins.plugin_utils.report import render_inspec
from ansible_collections.webcert.fleet.plugins.plugin_utils.report import render_junit
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.history import compute_drift
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.write import build_report, renderers, write_run
from ansible_collections.webcert.fleet.plugins.plugin_utils.results.model import make_result, make_subject

# The bench's own helpers, beside this script (its folder is on the path when it runs).
import chromium
import measure

STATUSES = ["passed"] * 14 + ["failed", "failed", "not_applicable", "not_reviewed", "error"]


def synthetic_report(hosts, run_id="20261126T120000.000Z-be0c00", seed=5, persons=0):
    rng = random.Random(seed)
    catalogue = load_catalogue()
    controls = [c for c in catalogue.controls if c["scope"] == "workstation"]
    subjects = []
    person_controls = [c for c in catalogue.controls if c["scope"] == "person"]
    for number in range(persons):
        unit = "SE2321000131-E%06d" % (1 + number % 200)
        subject = make_subject("person", "SE2321000131-P%06d" % number, "Person %05d" % number,
                               clinic="Enhet %03d" % (number % 200), care_unit_hsa_id=unit, profile="inera-classic")
        subject["evidence_source"] = "ldap:ldap://hsa.region.invalid"
        for control in person_controls:
            status = rng.choice(STATUSES)
            subject["results"].append(make_result(control, status, expected="a valid commission",
                                                  actual="%d commission(s)" % rng.randint(0, 3),
                                                  message="%s: %s" % (control["id"], status),
                                                  evidence_source=subject["evidence_source"]))
        subjects.append(subject)
    for number in range(hosts):
        clinic = "Vårdcentral %03d" % (number % 120)
        subject = make_subject("workstation", "pc%05d" % number, clinic=clinic,
                               care_unit_hsa_id="SE5591234561-%04d" % (1000 + number % 120), profile="inera-classic")
        subject["evidence_source"] = "file:evidence/pc%05d.json" % number
        subject["collected_at"] = "2026-11-26T07:00:00+01:00"
        for control in controls:
            status = rng.choice(STATUSES)
            subject["results"].append(make_result(control, status, expected="6.7 or later",
                                                  actual="6.%d.%d" % (rng.randint(0, 9), rng.randint(0, 9)),
                                                  message="%s: %s" % (control["id"], status),
                                                  evidence_source=subject["evidence_source"]))
        subjects.append(subject)
    run = {"id": run_id, "started_at": "2026-11-26T12:00:00+00:00", "finished_at": "2026-11-26T12:05:00+00:00",
           "inventory": "inventories/bench", "mode": "audit", "care_provider_hsa_id": "SE5591234561-1000"}
    report = build_report(run, catalogue, subjects, [], validate=False)
    report["drift"] = compute_drift(None, report, {"status": "first_run", "previous_run_id": None, "reason": "bench"})
    return report


def timed(function, *args):
    start = time.perf_counter()
    value = function(*args)
    return time.perf_counter() - start, value


def consume(renderer, report):
    return sum(len(text) for _unused, text in renderer(report))


def naive_html(report):
    """Every finding as a table row in the page, built by concatenation."""
    page = "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><table>"
    for subject in report["subjects"]:
        page += "<tr><th colspan='6'>%s (%s)</th></tr>" % (html.escape(subject["id"]), html.escape(subject["clinic"]))
        for result in subject["results"]:
            page += "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>" % tuple(
                html.escape(str(result[key])) for key in ("control_id", "status", "expected", "actual", "message",
                                                          "remediation"))
    return page + "</table></body></html>"


def naive_inspec(report):
    return sum(len(json.dumps(render_inspec.render_subject(report, subject), ensure_ascii=False, separators=(",", ":")))
               for subject in report["subjects"])


def naive_junit(report):
    document = xml.dom.minidom.Document()
    root = document.createElement("testsuites")
    document.appendChild(root)
    for subject in report["subjects"]:
        suite = document.createElement("testsuite")
        suite.setAttribute("name", subject["id"])
        root.appendChild(suite)
        for result in subject["results"]:
            case = document.createElement("testcase")
            case.setAttribute("name", result["control_id"])
            if result["status"] == "failed":
                failure = document.createElement("failure")
                failure.setAttribute("message", result["message"])
                case.appendChild(failure)
            suite.appendChild(case)
    return len(document.toprettyxml())


def naive_drift(previous, report):
    changed = 0
    for subject in report["subjects"]:
        for result in subject["results"]:
            for old_subject in previous["subjects"]:
                for old in old_subject["results"]:
                    if old_subject["id"] == subject["id"] and old["control_id"] == result["control_id"]:
                        changed += old["status"] != result["status"]
    return changed


def line(name, ours, naive, unit="s"):
    print("%-34s ours %8.3f %s   naive %8.3f %s   naive/ours %6.1fx" % (name, ours, unit, naive, unit, naive / ours))


def per_format(report, directory):
    """{format: (seconds to render and write, bytes, files)}, each format written as write_run does."""
    figures = {}
    for number, (name, renderer) in enumerate(renderers()):
        target = os.path.join(directory, "f%d" % number)
        os.makedirs(target)
        seconds, (run_dir, written) = timed(write_run, report, target, [(name, renderer)])
        size = sum(os.path.getsize(os.path.join(run_dir, relative)) for relative in written)
        figures[name] = (seconds, size, len(written))
    return figures


FILTER = """(function () {
  var f = document.getElementById("f-status"), t = performance.now();
  f.value = "failed"; f.dispatchEvent(new Event("change"));
  var status = performance.now() - t;
  var g = document.getElementById("f-text"); t = performance.now();
  g.value = "0042"; g.dispatchEvent(new Event("input"));
  return [status, performance.now() - t, document.getElementById("match-count").textContent];
}())"""


# The naive page (one table row per finding) can keep Chromium busy for minutes: give up after this.
NAIVE_TIMEOUT = 60


def browser(path, filters=True, again=3, timeout=120):
    """(seconds to open in a fresh Chromium, best of `again` re-opens, ms to filter by status, ms to filter by
    text)."""
    browser_ = chromium.Chromium()
    try:
        first = browser_.open("file://%s" % path, timeout)
        again = min([browser_.open("file://%s" % path, timeout) for _time in range(again)] or [first])
        by_status, by_text, count = browser_.evaluate(FILTER) if filters else (0, 0, "")
    finally:
        browser_.close()
    return first, again, by_status, by_text, count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=5000)
    parser.add_argument("--persons", type=int, default=10000)
    parser.add_argument("--sizes", default="0.1,0.5,1", help="fractions of the region, smallest first")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    options = parser.parse_args()
    print("Report formats at scale; %s" % measure.load())
    growth = {"workstations": [], "persons": []}
    for fraction in [float(f) for f in options.sizes.split(",")]:
        runs = (("workstations", synthetic_report(int(options.hosts * fraction))),
                ("persons", synthetic_report(0, persons=int(options.persons * fraction))))
        for label, report in runs:
            subjects = len(report["subjects"])
            with tempfile.TemporaryDirectory() as directory:
                figures = per_format(report, directory)
            total = sum(f[0] for f in figures.values())
            growth[label].append((subjects, total))
            print("%6d %-12s (%7d results): %s; all %.2f s = %.2f ms/subject"
                  % (subjects, label, sum(len(s["results"]) for s in report["subjects"]),
                     ", ".join("%s %.2f s %.1f MiB%s" % (name, f[0], f[1] / 2 ** 20,
                                                         " (%d files)" % f[2] if f[2] > 1 else "")
                               for name, f in figures.items()),
                     total, total / subjects * 1000))
            sys.stdout.flush()
    for label, rows in growth.items():
        per_subject = " / ".join("%.2f" % (t / n * 1000) for n, t in rows)
        print("Growth, %s: %s ms per subject at %s subjects" % (label, per_subject,
                                                                " / ".join(str(n) for n, _seconds in rows)))
    print()
    report = synthetic_report(options.hosts, persons=options.persons)
    ours, page = timed(render_html.render_html, report)
    naive, naive_page = timed(naive_html, report)
    line("report.html render (PCs+persons)", ours, naive)
    sizes = (len(page.encode()) / 1024, len(naive_page.encode()) / 1024, len(naive_page) / len(page))
    print("%-34s ours %8.1f kB  naive %8.1f kB  naive/ours %6.1fx" % (("report.html size",) + sizes))
    workstations = synthetic_report(options.hosts)
    line("inspec/ (per-host re-rendering)", timed(consume, render_inspec.render, workstations)[0],
         timed(naive_inspec, workstations)[0])
    line("junit.xml (DOM per test case)", timed(consume, render_junit.render, workstations)[0],
         timed(naive_junit, workstations)[0])
    small_previous = synthetic_report(300, "20261125T120000.000Z-be0c00", seed=6)
    small = synthetic_report(300, seed=5)
    status = {"status": "computed", "previous_run_id": small_previous["run"]["id"], "reason": None}
    line("drift, 300 hosts (scan vs index)", timed(compute_drift, small_previous, small, status)[0],
         timed(naive_drift, small_previous, small)[0])
    if not options.no_browser:
        with tempfile.TemporaryDirectory() as directory:
            ours_path, naive_path = os.path.join(directory, "ours.html"), os.path.join(directory, "naive.html")
            with open(ours_path, "w", encoding="utf-8") as handle:
                handle.write(page)
            with open(naive_path, "w", encoding="utf-8") as handle:
                handle.write(naive_page)
            first, again, by_status, by_text, count = browser(ours_path)
            print("Chromium, report.html of %d PCs + %d persons: opens in %.2f s (fresh browser; %.2f s again), "
                  "filters in %.0f ms by status and %.0f ms by text (%s); target < 2 s and < 100 ms"
                  % (options.hosts, options.persons, first, again, by_status, by_text, count))
            try:
                naive_first = browser(naive_path, filters=False, again=0, timeout=NAIVE_TIMEOUT)[0]
                line("Chromium open (naive: all rows)", first, naive_first)
            except RuntimeError:
                print("%-34s ours %8.3f s    naive: not loaded within %d s    naive/ours > %.0fx"
                      % ("Chromium open (naive: all rows)", first, NAIVE_TIMEOUT, NAIVE_TIMEOUT / first))


if __name__ == "__main__":
    main()
