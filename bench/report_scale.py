"""Benchmark: render every report format for a fleet of 5,000 workstations (the real control catalogue,
synthetic results), each against a naive way of doing the same in the same run, and print ratios.

  .venv/bin/python bench/report_scale.py [--hosts 5000] [--browser]

Naive ways compared:
- report.html: every host's findings rendered server-side as HTML table rows (one DOM row per result)
  with string concatenation, instead of a compact JSON block rendered lazily by the browser;
  with --browser both pages are also loaded in headless Chromium and timed.
- inspec/: per-host re-rendering of the shared parts (profile hash, control index) for every host.
- junit.xml: a DOM per test case (xml.dom.minidom) instead of streamed escaped text.
- drift: for each result a scan of the previous run's results, instead of an index (on 300 hosts;
  the naive way is quadratic).
Not a test: it prints figures, it does not assert them.
"""

import argparse
import html
import json
import os
import random
import subprocess
import tempfile
import time
import xml.dom.minidom

HERE = os.path.dirname(os.path.abspath(__file__))

from ansible_collections.webcert.fleet.plugins.plugin_utils import render_html
from ansible_collections.webcert.fleet.plugins.plugin_utils import render_inspec
from ansible_collections.webcert.fleet.plugins.plugin_utils import render_junit
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.history import compute_drift
from ansible_collections.webcert.fleet.plugins.plugin_utils.report import build_report, renderers, write_run
from ansible_collections.webcert.fleet.plugins.plugin_utils.results import make_result, make_subject

STATUSES = ["passed"] * 14 + ["failed", "failed", "not_applicable", "not_reviewed", "error"]


def synthetic_report(hosts, run_id="20261126T120000.000Z-be0c00", seed=5):
    rng = random.Random(seed)
    catalogue = load_catalogue()
    controls = [c for c in catalogue.controls if c["scope"] == "workstation"]
    subjects = []
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


def browser_seconds(path, workdir):
    command = ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
               "--disable-background-networking", "--disable-component-update", "--disable-quic",
               "--user-data-dir=%s" % os.path.join(workdir, "profile"), "--host-resolver-rules=MAP * ~NOTFOUND",
               "--dump-dom", "file://%s" % path]
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, timeout=600, check=True)
    return time.perf_counter() - start


def line(name, ours, naive, unit="s"):
    print("%-34s ours %8.3f %s   naive %8.3f %s   naive/ours %6.1fx" % (name, ours, unit, naive, unit, naive / ours))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=5000)
    parser.add_argument("--browser", action="store_true", help="also time loading both HTML pages in Chromium")
    options = parser.parse_args()
    seconds, report = timed(synthetic_report, options.hosts)
    results = sum(len(s["results"]) for s in report["subjects"])
    print("Synthetic fleet: %d hosts, %d results (built in %.2f s)" % (options.hosts, results, seconds))
    print()
    for name, renderer in renderers():
        seconds, size = timed(consume, renderer, report)
        print("%-16s %8.3f s   %10.1f kB" % (name, seconds, size / 1024))
    with tempfile.TemporaryDirectory() as directory:
        seconds, _unused = timed(write_run, report, directory)
        print("%-16s %8.3f s   (all outputs, written atomically)" % ("write_run", seconds))
    print()
    ours, page = timed(render_html.render_html, report)
    naive, naive_page = timed(naive_html, report)
    line("report.html render", ours, naive)
    print("%-34s ours %8.1f kB  naive %8.1f kB  naive/ours %6.1fx" % ("report.html size", len(page.encode()) / 1024,
                                                                      len(naive_page.encode()) / 1024,
                                                                      len(naive_page) / len(page)))
    line("inspec/ (per-host re-rendering)", timed(consume, render_inspec.render, report)[0],
         timed(naive_inspec, report)[0])
    line("junit.xml (DOM per test case)", timed(consume, render_junit.render, report)[0], timed(naive_junit, report)[0])
    small_previous = synthetic_report(300, "20261125T120000.000Z-be0c00", seed=6)
    small = synthetic_report(300, seed=5)
    status = {"status": "computed", "previous_run_id": small_previous["run"]["id"], "reason": None}
    line("drift, 300 hosts (scan vs index)", timed(compute_drift, small_previous, small, status)[0],
         timed(naive_drift, small_previous, small)[0])
    if options.browser:
        with tempfile.TemporaryDirectory() as directory:
            ours_path, naive_path = os.path.join(directory, "ours.html"), os.path.join(directory, "naive.html")
            with open(ours_path, "w", encoding="utf-8") as handle:
                handle.write(page)
            with open(naive_path, "w", encoding="utf-8") as handle:
                handle.write(naive_page)
            browser_seconds(ours_path, directory)  # warm-up: profile creation
            line("Chromium load + script (dump-dom)", browser_seconds(ours_path, directory),
                 browser_seconds(naive_path, directory))


if __name__ == "__main__":
    main()
