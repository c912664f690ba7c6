# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What enforce mode does, derived from the same catalogue the audit judges.

Only controls marked `enforceable: true` are enforced, and only check types registered with an
Enforcement (each enforce/<family>.py registers its check types in enforce/base.py). It works in two steps, both on the controller:

1. enforcement_plan(): per control, the desired state (a plan item), from the catalogue, the region's
   settings and its inputs (site list entries, installers, CA files, NTP source). No host is contacted;
   bad input stops here, naming the control and the input.
2. enforcement_changes(): the plan item against the workstation's evidence (read by the same collector
   the audit uses) gives the exact operations, per module family: registry values to set or remove,
   service start modes and states, CA certificates to import, the site list to write, features to enable,
   card clients to install, a clock resync. The role applies each family in one module call (or one loop)
   and the audit afterwards proves the result.

The PowerShell modules only apply operations (each idempotent on its own); every decision is here, in Python
that the tests exercise: for every enforceable control of every profile, applying the operations to
non-compliant evidence gives evidence the audit judges `passed` (tests/unit/test_enforce_satisfies_audit.py).
"""

import json
import re

# Each family registers the check types it enforces when it is imported.
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce import (  # noqa: F401  pylint: disable=unused-import
    card_clients, certificates, features, registry, services, site_list, windows_time)
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.base import ENFORCEMENTS, FAMILIES, Changes, Inputs
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import CatalogueError
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.management_channel import guard_control
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import NotCollected
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.judge import judge_control
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.registry import FAILED, NOT_APPLICABLE, PASSED, all_check_types


# Tags that select nothing by themselves (ansible_run_tags is ['all'] without --tags).
GENERIC_TAGS = ("all", "always", "never", "tagged", "untagged")


def selection(tags):
    """Run tags -> control ids and family names: 'webcert_registry' selects the family registry."""
    picked = []
    for tag in tags or []:
        tag = str(tag)
        if tag in GENERIC_TAGS:
            continue
        picked.append(tag[len("webcert_"):] if tag.startswith("webcert_") and tag[len("webcert_"):] in FAMILIES else tag)
    return picked


def check_tags(run_tags, skip_tags, catalogue=None):
    """Refuse --tags/--skip-tags that name neither a workstation control id nor a family, before any host is touched
    (a typo would otherwise select nothing and end in 'nothing to change')."""
    catalogue = catalogue or load_catalogue()
    ids = sorted(c["id"] for c in catalogue.controls if c["scope"] == "workstation")
    families = ["webcert_%s" % family for family in FAMILIES]
    known = set(ids) | set(families) | set(GENERIC_TAGS)
    for option, tags in (("--tags", run_tags), ("--skip-tags", skip_tags)):
        unknown = [str(tag) for tag in tags or [] if str(tag) not in known]
        if unknown:
            raise CatalogueError("%s %s: not a control id or a family. Families: %s. Control ids: %s" % (
                option, ", ".join(unknown), ", ".join(families), ", ".join(ids)))


def enforcement_of(check_type_name):
    """The Enforcement registered for a check type, or None when the type is audit-only."""
    return ENFORCEMENTS.get(check_type_name)


def selected(control, only=(), skip=()):
    """Is the control picked by `only` (control ids or family names; empty = all) and not by `skip`?"""
    enforcement = enforcement_of(control["check"]["type"])
    names = {control["id"], enforcement.family if enforcement else None}
    return (not only or bool(names & set(only))) and not names & set(skip)


def enforcement_plan(profile, settings=None, skip=(), catalogue=None, inputs=None, only=()):
    """{family: [plan item, ...]} for one profile's workstations, each item naming its control_id."""
    catalogue = catalogue or load_catalogue()
    inputs = inputs or Inputs()
    unknown = [cid for cid in skip if re.match(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$", str(cid)) and cid not in catalogue.by_id]
    if unknown:
        raise CatalogueError("webcert_workstation_skip_controls: unknown control id(s) %s" % ", ".join(unknown))
    plan = {family: [] for family in FAMILIES}
    for control in catalogue.for_profile(profile, "workstation", settings):
        if not control["enforceable"]:
            continue
        enforcement = enforcement_of(control["check"]["type"])
        if enforcement is None:
            enforceable = sorted(ENFORCEMENTS)
            raise CatalogueError("control %s: enforceable: true, but check type %r cannot be enforced (only %s)"
                                 % (control["id"], control["check"]["type"], ", ".join(enforceable)))
        guard_control(control, "the catalogue with this inventory's webcert_settings")
        if not selected(control, only, skip):
            continue
        plan[enforcement.family].append(enforcement.build(control, inputs))
    return plan


def audit_only(profile, settings=None, catalogue=None):
    """[{control_id, title, reason}] for the controls of a profile enforce leaves to the audit."""
    catalogue = catalogue or load_catalogue()
    found = []
    for control in catalogue.for_profile(profile, "workstation", settings):
        if control["enforceable"]:
            continue
        registered = all_check_types()[control["check"]["type"]]
        reason = (control.get("enforce") or {}).get("audit_only") or registered.audit_only or \
            "marked enforceable: false in the catalogue"
        found.append({"control_id": control["id"], "title": control["title"], "reason": reason})
    return found


def enforcement_changes(plan, controls, evidence):
    """The operations that bring this workstation's evidence to the plan: a Changes (operations, notes).

    Whether to write is the audit's judge's decision alone, on the evidence just read, so enforce and audit cannot
    disagree on what is compliant: passed or not_applicable -> nothing (noted); not_reviewed or error -> nothing,
    noted with the reason; only failed reaches the family's change function, which decides what to write.
    `controls` are the profile's resolved controls.
    """
    by_id = {control["id"]: control for control in controls}
    changes = Changes()
    for family in FAMILIES:
        for item in plan[family]:
            control = by_id[item["control_id"]]
            judged = judge_control(control, evidence)
            if judged["status"] == PASSED:
                changes.note(control["id"], "already compliant", kind="compliant")
                continue
            if judged["status"] == NOT_APPLICABLE:
                changes.note(control["id"], judged["message"], kind="not_applicable")
                continue
            if judged["status"] != FAILED:
                changes.note(control["id"], "left alone: %s" % judged["message"],
                             kind="not_judged")
                continue
            try:
                enforcement_of(control["check"]["type"]).change(item, evidence, changes)
            except NotCollected as reason:
                changes.note(control["id"], "left alone: its current state was not read (%s)" % reason,
                             kind="not_judged")
                continue
            if not changes.count(control["id"]):
                # The judge and the change function disagree: say so rather than report it as done.
                changes.note(control["id"], "fails (%s), but enforce found nothing to write: left to the audit"
                             % judged["message"])
    return changes


def describe_operation(family, op):
    """One line for the plan output: what the operation changes."""
    if family == "registry":
        where = "%s\\%s" % (op["path"], op["name"])
        if op["state"] == "absent":
            return "remove %s (= %r)" % (where, (op.get("before") or {}).get("data"))
        before = op.get("before")
        return "set %s = %r (%s)%s" % (where, op["data"], op["type"],
                                       ", was %r" % before["data"] if before else ", was not set")
    if family == "services":
        parts = ["start mode %s" % op["start_mode"]] if op.get("start_mode") else []
        parts += ["state %s" % op["state"]] if op.get("state") else []
        before = op["before"]
        return "service %s: %s (was %s, %s)" % (op["name"], ", ".join(parts), before["start_mode"], before["state"])
    if family == "certificates":
        return "import %s into %s\\%s" % (op["thumbprint"], op["store_location"], op["store_name"])
    if family == "features":
        return "enable Windows feature %s (was %s)" % (op["name"], op.get("before"))
    if family == "site_list":
        return "write the site list (version %s, %d sites) to %s%s" % (
            op["version"], len(op["sites"]), op["dest"], " on the controller" if op["on_controller"] else "")
    if family == "card_clients":
        was = ", was %s" % op["before"] if op["before"] else ""
        source = op["file"] or op["path"]
        return "%s to %s from %s (sha256 %s...)%s" % (op["action"], op["version"], source, op["sha256"][:12], was)
    if family == "time":
        return "resynchronise the clock (w32tm /resync; offset %s)" % op["before"]
    return json.dumps(op)


def summary_by_family(changes):
    """{family: [one line per operation]}."""
    return {family: ["%s: %s" % (op["control_id"], describe_operation(family, op)) for op in ops]
            for family, ops in changes.operations.items()}


def change_lines(changes):
    """One line per operation, in the order the role applies them."""
    return ["%s: %s" % (op["control_id"], describe_operation(family, op))
            for family in FAMILIES for op in changes.operations[family]]


def note_lines(changes):
    """The notes for people: every control left alone with its reason, then the compliant ones in one line."""
    lines = ["%s: %s" % (note["control_id"], note["note"]) for note in changes.notes if note["kind"] != "compliant"]
    compliant = [note["control_id"] for note in changes.notes if note["kind"] == "compliant"]
    if compliant:
        lines.append("already compliant: %s" % ", ".join(compliant))
    return lines


def summary_lines(changes):
    return change_lines(changes) + note_lines(changes)


# What each module takes of an operation (the rest, such as `before`, is for the plan output and the report).
MODULE_FIELDS = {"registry": ("control_id", "path", "name", "data", "type", "state"),
                 "services": ("control_id", "name", "start_mode", "state")}


def module_operations(changes):
    """The operations of the registry and service families as their modules take them."""
    return {family: [{key: op[key] for key in fields if op.get(key) is not None} for op in changes.operations[family]]
            for family, fields in MODULE_FIELDS.items()}
