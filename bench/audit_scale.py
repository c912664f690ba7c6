"""How the audit scales with the number of workstations, and what the catalogue cache saves.

Every audited host loads the control catalogue in its own Ansible worker process. Loading means
parsing controls/*.yml and validating it against the JSON schemas; the validated catalogue is cached
(plugins/module_utils/webcert/catalogue.py). This compares, in the same run:
  1. load_catalogue() from the cache vs validating the files each time (the naive way);
  2. a real `ansible-playbook playbooks/audit.yml` over N offline workstations (a drop folder read by
     the webcert_evidence_dir inventory plugin) with the cache vs with the cache made unwritable.

  .venv/bin/python bench/audit_scale.py [--hosts 200] [--forks 8]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue import load_catalogue

EXAMPLE = os.path.join(REPO, "inventories", "example", "files", "evidence")


def time_loads(count, cache):
    started = time.perf_counter()
    for _unused in range(count):
        load_catalogue(cache=cache)
    return (time.perf_counter() - started) / count


def make_region(folder, hosts):
    drop = os.path.join(folder, "files", "evidence")
    os.makedirs(drop)
    templates = ["vce-ws01", "vce-ws02", "vce-ws03", "mo-ws01", "mo-ws02", "mo-ws03"]
    for number in range(hosts):
        with open(os.path.join(EXAMPLE, templates[number % len(templates)] + ".json"), encoding="utf-8") as handle:
            evidence = json.load(handle)
        evidence["host"] = "ws%05d" % number
        evidence.pop("dns_host_name", None)
        with open(os.path.join(drop, "ws%05d.json" % number), "w", encoding="utf-8") as handle:
            json.dump(evidence, handle)
    with open(os.path.join(folder, "offline.webcert_evidence.yml"), "w", encoding="utf-8") as handle:
        handle.write("plugin: webcert_evidence_dir\npath: files/evidence\n")
    # The example's evidence is a fixed snapshot: judge it whatever its age.
    os.makedirs(os.path.join(folder, "group_vars"))
    with open(os.path.join(folder, "group_vars", "all.yml"), "w", encoding="utf-8") as handle:
        handle.write("webcert_settings: {evidence_max_age_days: 0}\n")


def audit(region, reports, forks, cache_dir):
    env = dict(os.environ, ANSIBLE_HOME=os.path.join(REPO, ".ansible"), ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_FORKS=str(forks), WEBCERT_CACHE_DIR=cache_dir)
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "playbooks/audit.yml",
               "-i", region, "-e", "webcert_reports_dir=%s" % reports]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit("audit failed:\n" + result.stdout[-3000:] + result.stderr[-3000:])
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hosts", type=int, default=200)
    parser.add_argument("--forks", type=int, default=8)
    args = parser.parse_args()

    load_catalogue()  # warm the cache
    cached, naive = time_loads(50, True), time_loads(10, False)
    print("load_catalogue      cached %7.1f ms   validated %7.1f ms   ratio %5.1fx" % (cached * 1000, naive * 1000, naive / cached))

    work = tempfile.mkdtemp(prefix="webcert-bench-")
    try:
        region = os.path.join(work, "region")
        make_region(region, args.hosts)
        with_cache = audit(region, os.path.join(work, "r1"), args.forks, os.path.join(work, "cache"))
        # A cache directory under a regular file cannot be created: every host validates the catalogue.
        open(os.path.join(work, "blocker"), "w").close()
        without_cache = audit(region, os.path.join(work, "r2"), args.forks, os.path.join(work, "blocker", "cache"))
        print("audit of %d hosts   cached %7.1f s    validated %7.1f s    ratio %5.2fx   (forks %d, %.0f ms/host cached)"
              % (args.hosts, with_cache, without_cache, without_cache / with_cache, args.forks,
                 with_cache / args.hosts * 1000))
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
