#!/usr/bin/env python3
"""Round trips to each Windows host, counted from the playbooks themselves (no Windows host exists here).

Walks playbooks/audit.yml and playbooks/enforce.yml (with the role webcert.fleet.webcert_workstation and
its included task files), and counts per workstation the calls that reach the host: a task whose
module runs on the host counts once, or once per loop item (Ansible runs a module per item); a task
on the controller (debug, set_fact, assert, include_tasks, run_once) counts nothing; a webcert action
plugin counts the remote modules it calls (its _execute_module calls). Loops over the enforcement plan
are sized from the plan itself (plugin_utils/enforcement.py) for each profile, on a compliant PC:
nothing to import, no service to change. Compared with the naive way of per-rule roles: one call per
control to read it (audit), and one to read and one to set it (enforce). Prints the ratio last.

  python bench/round_trips.py
"""

import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforcement import enforcement_plan

CONTROLLER = {"ansible.builtin.debug", "ansible.builtin.set_fact", "ansible.builtin.assert", "ansible.builtin.fail",
              "ansible.builtin.include_tasks", "ansible.builtin.import_tasks", "ansible.builtin.meta"}
KEYWORDS = {"name", "when", "loop", "loop_control", "register", "check_mode", "changed_when", "failed_when",
            "run_once", "delegate_to", "ignore_unreachable", "ignore_errors", "vars", "tags", "block", "always",
            "rescue", "no_log", "become", "notify", "until", "retries", "delay"}
# On a compliant PC nothing is missing: the loops over what to change run no item.
EMPTY_ON_COMPLIANT = ("rejectattr('exists')", "webcert_service_changes")


def module_of(task):
    names = [k for k in task if k not in KEYWORDS]
    return names[0] if names else None


def remote_calls_of_action(module):
    """A webcert action plugin's remote module calls (each _execute_module in its source)."""
    path = os.path.join(REPO, "plugins", "action", module.split(".")[-1] + ".py")
    if not module.startswith("webcert.fleet.") or not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return len(re.findall(r"self\._execute_module\(", handle.read()))


def loop_length(task, plan):
    loop = str(task.get("loop", ""))
    if any(marker in loop for marker in EMPTY_ON_COMPLIANT):
        return 0
    for section in ("registry", "services", "certificates"):
        if "plan.%s" % section in loop:
            return len(plan[section])
    raise ValueError("cannot size the loop %r" % loop)


def walk(tasks, folder, plan, family, counts):
    """Add each task's round trips to counts[family]; include_tasks files are walked in place."""
    for task in tasks or []:
        for part in ("block", "always"):
            walk(task.get(part), folder, plan, family, counts)
        if "block" in task:
            continue
        module = module_of(task)
        if module == "ansible.builtin.include_tasks":
            included = task[module]
            with open(os.path.join(folder, included), encoding="utf-8") as handle:
                sub = yaml.safe_load(handle)
            section = {"registry.yml": "registry", "services.yml": "services",
                       "certificates.yml": "certificates", "certificate.yml": "certificates"}.get(included, family)
            inner = {}
            walk(sub, folder, plan, section, inner)
            times = loop_length(task, plan) if "loop" in task else 1  # an included file runs once per item
            for name, calls in inner.items():
                counts[name] = counts.get(name, 0) + calls * times
            continue
        if module in CONTROLLER or task.get("run_once") or task.get("delegate_to") == "localhost":
            continue
        calls = remote_calls_of_action(module)
        calls = 1 if calls is None else calls
        if "loop" in task:
            calls *= loop_length(task, plan)
        counts[family] = counts.get(family, 0) + calls


def audit_round_trips():
    with open(os.path.join(REPO, "playbooks", "audit.yml"), encoding="utf-8") as handle:
        plays = yaml.safe_load(handle)
    counts = {}
    for play in plays:
        if "webcert_workstations" in str(play.get("hosts")):
            walk(play.get("tasks"), os.path.join(REPO, "playbooks"), None, "audit", counts)
    return counts.get("audit", 0)


def enforce_round_trips(plan):
    folder = os.path.join(REPO, "roles", "webcert_workstation", "tasks")
    with open(os.path.join(folder, "main.yml"), encoding="utf-8") as handle:
        main = yaml.safe_load(handle)
    counts = {}
    walk(main, folder, plan, "plan", counts)
    return counts


def main():
    catalogue = load_catalogue()
    audit = audit_round_trips()
    print("Round trips per Windows host, counted from the playbooks (a compliant PC)")
    worst = None
    for profile in sorted(catalogue.profiles):
        controls = catalogue.for_profile(profile, "workstation")
        plan = enforcement_plan(profile, catalogue=catalogue)
        enforce = enforce_round_trips(plan)
        enforceable = sum(len(plan[s]) for s in ("registry", "services", "certificates"))
        families = {s: len(plan[s]) for s in ("registry", "services", "certificates") if plan[s]}
        print("  %-14s audit: ours %d module call(s), naive %d (one per control: %d controls)"
              % (profile, audit, len(controls), len(controls)))
        print("  %-14s enforce: ours %d call(s) for %d enforceable controls, by family %s; target <= 1 per family "
              "(%d); naive %d (read and set each)"
              % ("", sum(enforce.values()), enforceable,
                 ", ".join("%s %d (%d controls)" % (f, enforce.get(f, 0), n) for f, n in families.items()),
                 len(families), 2 * enforceable))
        ratio = (len(controls) / audit, 2 * enforceable / max(1, sum(enforce.values())))
        worst = ratio if worst is None else (min(worst[0], ratio[0]), min(worst[1], ratio[1]))
    print("ratio naive/ours (round trips per PC, lowest over the profiles): audit %.0fx, enforce %.1fx" % worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
