"""Round trips to each Windows host, counted from the playbooks themselves (no Windows host exists here).

Walks playbooks/audit.yml and playbooks/enforce.yml's role webcert.fleet.webcert_workstation (with its
included task files) and counts the calls that reach a workstation: a task whose module runs on the host
counts once (once per item in a loop: Ansible runs a module per item); a controller task (debug,
set_fact, assert, fail, run_once, delegated to localhost) counts nothing; a webcert action plugin counts
the remote modules it calls (the _execute_module calls in its source).

On a compliant PC the role's plan finds nothing to change: every task file the role includes only when
the plan has changes for its family (`when: ... changes.<family> ...`, or a reboot that is required)
is skipped. For each family the script also counts what its task file costs when that family does need
changes. Compared with the naive way of per-rule roles: one call per control to read it (audit), one to
read and one to set each enforceable control (enforce). Prints the ratio last.

  python bench/round_trips.py
"""

import os
import re
import sys

import yaml

from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TASKS = os.path.join(REPO, "roles", "webcert_workstation", "tasks")
CONTROLLER = {"ansible.builtin.debug", "ansible.builtin.set_fact", "ansible.builtin.assert", "ansible.builtin.fail",
              "ansible.builtin.meta"}
INCLUDES = {"ansible.builtin.include_tasks", "ansible.builtin.import_tasks"}
KEYWORDS = {"name", "when", "loop", "loop_control", "register", "check_mode", "changed_when", "failed_when",
            "run_once", "delegate_to", "ignore_unreachable", "ignore_errors", "vars", "tags", "block", "always",
            "rescue", "no_log", "become", "notify", "until", "retries", "delay", "args"}
# A task file that runs only when the plan has something to change (or a change asks for a reboot).
ONLY_WITH_CHANGES = re.compile(r"changes\.|reboot_required")


def module_of(task):
    names = [k for k in task if k not in KEYWORDS]
    return names[0] if names else None


def remote_calls_of_action(module):
    """A webcert action plugin's remote module calls (each _execute_module in its source); None if it is
    not one (then the module itself runs on the host)."""
    path = os.path.join(REPO, "plugins", "action", module.split(".")[-1] + ".py")
    if not module.startswith("webcert.fleet.") or not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return len(re.findall(r"self\._execute_module\(", handle.read()))


def included_file(task, module):
    spec = task[module]
    return spec["file"] if isinstance(spec, dict) else spec


def load(folder, name):
    with open(os.path.join(folder, name), encoding="utf-8") as handle:
        return yaml.safe_load(handle) or []


def calls(tasks, folder, compliant):
    """(fixed calls, per-item calls) of a task list; included files are walked in place, skipped on a
    compliant PC when they run only for changes."""
    fixed = per_item = 0
    for task in tasks or []:
        if "block" in task:
            inner = [calls(task.get(part), folder, compliant) for part in ("block", "rescue", "always")]
            fixed += sum(i[0] for i in inner)
            per_item += sum(i[1] for i in inner)
            continue
        module = module_of(task)
        if compliant and ONLY_WITH_CHANGES.search(str(task.get("when", ""))):
            continue
        if module in INCLUDES:
            inner_fixed, inner_items = calls(load(folder, included_file(task, module)), folder, compliant)
            if "loop" in task:
                per_item += inner_fixed + inner_items
            else:
                fixed += inner_fixed
                per_item += inner_items
            continue
        if module in CONTROLLER or task.get("run_once") or task.get("delegate_to") == "localhost":
            continue
        remote = remote_calls_of_action(module)
        remote = 1 if remote is None else remote
        if "loop" in task:
            per_item += remote
        else:
            fixed += remote
    return fixed, per_item


def families():
    """Family -> its task file, from the role's main.yml includes that run only for changes."""
    found = {}
    for task in load(TASKS, "main.yml"):
        module = module_of(task)
        if module in INCLUDES and ONLY_WITH_CHANGES.search(str(task.get("when", ""))):
            found[included_file(task, module)[:-len(".yml")]] = included_file(task, module)
    return found


def audit_round_trips():
    with open(os.path.join(REPO, "playbooks", "audit.yml"), encoding="utf-8") as handle:
        plays = yaml.safe_load(handle)
    return sum(calls(play.get("tasks"), os.path.join(REPO, "playbooks"), False)[0]
               for play in plays if "webcert_workstations" in str(play.get("hosts")))


def main():
    catalogue = load_catalogue()
    audit = audit_round_trips()
    compliant = calls(load(TASKS, "main.yml"), TASKS, True)[0]
    print("Round trips per Windows host, counted from the playbooks")
    print("  audit: %d module call(s) per PC (the one read-only collector call)" % audit)
    print("  enforce on a compliant PC: %d call(s) in all (reading the PC's state for the plan)" % compliant)
    print("  enforce, per family with something to change:")
    for family, name in families().items():
        fixed, per_item = calls(load(TASKS, name), TASKS, False)
        print("    %-14s %s" % (family, ", ".join(part for part in (
            "%d call(s)" % fixed if fixed else "", "%d per item to change" % per_item if per_item else "")
            if part) or "no remote call"))
    worst = None
    for profile in sorted(catalogue.profiles):
        controls = catalogue.for_profile(profile, "workstation")
        enforceable = [c for c in controls if c.get("enforceable")]
        print("  %-14s naive: audit %d calls (one per control), enforce %d on a compliant PC (read each of %d "
              "enforceable controls; setting none)" % (profile, len(controls), len(enforceable), len(enforceable)))
        ratio = (len(controls) / max(1, audit), len(enforceable) / max(1, compliant))
        worst = ratio if worst is None else (min(worst[0], ratio[0]), min(worst[1], ratio[1]))
    print("ratio naive/ours (round trips per PC, lowest over the profiles): audit %.0fx, enforce on a compliant "
          "PC %.0fx" % worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
