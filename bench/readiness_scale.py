"""Benchmark: what the readiness join (plugin_utils/readiness/) adds to a region's run.

  .venv/bin/python bench/readiness_scale.py [--hosts 5000] [--persons 10000] [--signed-in 300]

A synthetic region built with the real catalogue and result model: `persons` person subjects with the details
the real judges give (commissions per care unit, the predicted role, each clinic's listing), `hosts` workstations
of which `signed-in` carry a signed-in user's SITHS certificates (user_certificate results with the holders'
HSA-ids). It times the report's part of a run (build_report and writing every output, as write_run does) and, in
it, the readiness part: the join, readiness.csv and its fault reports, the People view, the JUnit suite.
The audit of the PCs and the directory comes on top of this in a real run, so the share printed is an upper bound.
Not a test: it prints figures, it does not assert them.
"""

import argparse
import random
import tempfile
import time

from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.readiness.join import build_readiness
from ansible_collections.webcert.fleet.plugins.plugin_utils.report import render_junit, render_readiness
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.history import compute_drift
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.render_people import people_section
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.write import build_report, write_run
from ansible_collections.webcert.fleet.plugins.plugin_utils.results.model import make_result, make_subject

STATUSES = ["passed"] * 14 + ["failed", "failed", "not_applicable", "not_reviewed", "error"]
UNITS = 120


def region(hosts, persons, signed_in, seed=7):
    rng = random.Random(seed)
    catalogue = load_catalogue()
    subjects = []
    units = ["SE5591234561-%04d" % (1001 + n) for n in range(UNITS)]
    for unit in units:
        subject = make_subject("care_unit", unit, clinic="Vårdcentral %s" % unit[-4:], care_unit_hsa_id=unit,
                               profile="inera-classic")
        subject["results"] = [make_result(c, rng.choice(STATUSES), message="%s" % c["id"])
                              for c in catalogue.controls if c["scope"] == "care_unit"]
        subjects.append(subject)
    for number in range(persons):
        unit = units[number % UNITS]
        person = make_subject("person", "SE5591234561-P%06d" % number, "Person %05d" % number,
                              clinic="Vårdcentral %s" % unit[-4:], care_unit_hsa_id=unit, profile="inera-classic",
                              expected_role="LAKARE", expected_care_units=[
                                  {"care_unit_hsa_id": unit, "clinic": "Vårdcentral %s" % unit[-4:], "role": "LAKARE"}])
        person["webcert_role"] = rng.choice(["LAKARE", "SJUKSKOTERSKA"])
        for control in (c for c in catalogue.controls if c["scope"] == "person"):
            details = None
            if control["check"]["type"] == "hsa_person_commission":
                details = {"purpose": "Vård och behandling", "commissions": [
                    {"commission": "cn=VoB,ou=%s" % u, "care_unit": u, "problems": [] if rng.random() < 0.9 else ["x"]}
                    for u in rng.sample(units, 2)]}
            elif control["check"]["type"] == "hsa_person_webcert_role":
                details = {"role": person["webcert_role"], "rule": "1", "expected": "LAKARE"}
            person["results"].append(make_result(control, rng.choice(STATUSES), message=control["id"], details=details))
        subjects.append(person)
    controls = [c for c in catalogue.controls if c["scope"] == "workstation" and "inera-classic" in c["profiles"]]
    for number in range(hosts):
        unit = units[number % UNITS]
        workstation = make_subject("workstation", "pc%05d" % number, clinic="Vårdcentral %s" % unit[-4:],
                                   care_unit_hsa_id=unit, profile="inera-classic")
        user = number < signed_in
        workstation["user_context"] = "REGION\\user%05d" % number if user else None
        holder = "SE5591234561-P%06d" % rng.randrange(persons)
        for control in controls:
            details = None
            if control["check"]["type"] == "user_certificate" and user:
                details = {"hsa_id": holder, "hsa_ids": [holder], "days_to_expiry": 200, "warning": False}
            workstation["results"].append(make_result(control, rng.choice(STATUSES), message=control["id"],
                                                      details=details))
        subjects.append(workstation)
    return catalogue, subjects


def best_of(times, function, *args):
    """(wall seconds, CPU seconds of this process, value), the fastest of `times` runs."""
    found = []
    for _unused in range(times):
        start, cpu = time.perf_counter(), time.process_time()
        value = function(*args)
        found.append((time.perf_counter() - start, time.process_time() - cpu))
    wall, cpu = min(found)
    return wall, cpu, value


def whole_run(catalogue, subjects):
    run = {"id": "20261126T120000.000Z-be0c01", "started_at": "2026-11-26T12:00:00+00:00",
           "finished_at": "2026-11-26T12:05:00+00:00", "inventory": "inventories/bench", "mode": "audit",
           "care_provider_hsa_id": "SE5591234561-1000"}
    report = build_report(run, catalogue, subjects, [], validate=False)
    report["drift"] = compute_drift(None, report, {"status": "first_run", "previous_run_id": None, "reason": "bench"})
    with tempfile.TemporaryDirectory() as directory:
        write_run(report, directory)
    return report


def readiness_part(report, catalogue_controls):
    readiness = build_readiness(report["subjects"], catalogue_controls, report["notices"])
    report = dict(report, readiness=readiness)
    for _unused in render_readiness.render(report):
        pass
    people_section(report)
    render_junit.readiness_suite(report)
    return readiness


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=5000)
    parser.add_argument("--persons", type=int, default=10000)
    parser.add_argument("--signed-in", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    catalogue, subjects = region(args.hosts, args.persons, args.signed_in)
    run_seconds, run_cpu, report = best_of(1, whole_run, catalogue, subjects)
    part_seconds, part_cpu, readiness = best_of(args.repeat, readiness_part, report, report["catalogue"]["controls"])
    print("region: %d PCs (%d with a signed-in user), %d persons, %d care units" % (
        args.hosts, args.signed_in, args.persons, UNITS))
    print("verdicts: %d person x PC, %d listed but never seen" % (len(readiness["pairs"]), len(readiness["expected"])))
    print("report part of the run (build_report + every output written): %.2f s wall, %.2f s CPU"
          % (run_seconds, run_cpu))
    print("readiness in it (join, readiness.csv, fault reports, People view, JUnit suite): %.3f s wall, %.3f s CPU "
          "= %.1f %% of the report part's wall time, %.1f %% of its CPU time"
          % (part_seconds, part_cpu, 100.0 * part_seconds / run_seconds, 100.0 * part_cpu / run_cpu))


if __name__ == "__main__":
    main()
