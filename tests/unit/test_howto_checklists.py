"""docs/architecture.md's "How to add a control" and "How to add a check type", backed by tests: every control
and every workstation check type is checked against the steps, and a miss names the step."""

import inspect
import json
import os
import re

import pytest

from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue, resolve_settings
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.registry import all_check_types
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.base import FAMILIES
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.plan import enforcement_of
from test_collector_static import plan_sections

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def read(*parts):
    with open(os.path.join(REPO, *parts), encoding="utf-8") as handle:
        return handle.read()


def checklist(title):
    """The numbered steps under a heading of docs/architecture.md."""
    section = read("docs", "architecture.md").split("## " + title, 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^(\d+)\. ", section, re.MULTILINE)


CHECK_TYPE_STEPS = {
    1: "register the judge with @check_type",
    2: "schema check_<name> in schemas/checks-workstation.schema.json",
    3: "needs only plan keys the collector reads",
    4: "user_context=True when the judge reads the user context",
    5: "an Enforcement registered in enforce/<family>.py (family task file included by the role) or audit_only=",
    6: "enforced types: the proof can break it and the simulator applies its family",
    7: "described in docs/controls-workstation.md",
    8: "used by a control",
}
CONTROL_STEPS = {1: "requirements and check type known", 2: "unverified settings have a source",
                 3: "enforceable only with an Enforcement", 5: "docs/controls.md regenerated"}


def test_the_documented_checklists_are_the_tested_ones():
    assert [int(n) for n in checklist("How to add a check type")] == sorted(CHECK_TYPE_STEPS)
    assert [int(n) for n in checklist("How to add a control")] == [1, 2, 3, 4, 5]


def workstation_types():
    schema = read("schemas", "checks-workstation.schema.json")
    used = {c["check"]["type"] for c in load_catalogue().controls if c["scope"] == "workstation"}
    return sorted(set(re.findall(r'"const": "(\w+)"', schema)) | used)


def missed_steps(name):
    """The steps of "How to add a check type" check type `name` misses."""
    registered = all_check_types().get(name)
    if registered is None:
        return [1]
    missed = []
    schema = json.loads(read("schemas", "checks-workstation.schema.json"))
    if "check_%s" % name not in schema.get("$defs", {}):
        missed.append(2)
    catalogue = load_catalogue()
    defaults = catalogue.effective_settings()
    users = [c for c in catalogue.controls if name in (c["check"]["type"], (c.get("applies_when") or {}).get("type"))]
    for control in users:
        check = control["check"] if control["check"]["type"] == name else control["applies_when"]
        if not set(registered.needs(resolve_settings(check, defaults))) <= set(plan_sections()):
            missed.append(3)
            break
    if "_user_context(" in inspect.getsource(registered.judge) and not registered.user_context:
        missed.append(4)
    role_main = read("roles", "webcert_workstation", "tasks", "main.yml")
    enforcement = enforcement_of(name)
    if bool(enforcement) == bool(registered.audit_only):
        missed.append(5)
    elif enforcement and (not os.path.exists(os.path.join(REPO, FAMILIES[enforcement.family]))
                          or os.path.basename(FAMILIES[enforcement.family]) not in role_main):
        missed.append(5)
    if enforcement and ('kind == "%s"' % name not in read("tests", "unit", "test_enforce_satisfies_audit.py")
                        or 'operations["%s"]' % enforcement.family
                        not in read("tests", "unit", "enforce_simulator.py")):
        missed.append(6)
    if "`%s`" % name not in read("docs", "controls-workstation.md"):
        missed.append(7)
    if not users:
        missed.append(8)
    return missed


@pytest.mark.parametrize("name", workstation_types())
def test_every_workstation_check_type_follows_the_checklist(name):
    missed = missed_steps(name)
    assert not missed, "check type %s misses step(s) of docs/architecture.md 'How to add a check type': %s" % (
        name, "; ".join("%d. %s" % (step, CHECK_TYPE_STEPS[step]) for step in missed))


def test_a_check_type_missing_a_step_is_named(monkeypatch):
    # The checklist test can fail: register a type that has a judge but no enforcement decision and no schema.
    from ansible_collections.webcert.fleet.plugins.plugin_utils.judges import registry as checks  # pylint: disable=import-outside-toplevel
    monkeypatch.setitem(checks.CHECKS, "gadget", checks.CheckType("gadget", lambda check: {}, lambda c, e: None))
    assert missed_steps("gadget") == [2, 5, 7, 8]


@pytest.mark.parametrize("control", [c["id"] for c in load_catalogue().controls])
def test_every_control_follows_the_checklist(control):
    catalogue = load_catalogue()
    found = catalogue.by_id[control]
    missed = []
    if not set(found["requirements"]) <= set(catalogue.requirements) or found["check"]["type"] not in all_check_types():
        missed.append(1)
    refs = re.findall(r"'setting': '(\w+)'", str(found))
    if any(catalogue.settings[r].get("unverified") and not catalogue.settings[r].get("source") for r in refs):
        missed.append(2)
    if found["enforceable"] and enforcement_of(found["check"]["type"]) is None:
        missed.append(3)
    if "### %s:" % control not in read("docs", "controls.md"):
        missed.append(5)
    assert not missed, "control %s misses step(s) of 'How to add a control': %s" % (
        control, "; ".join("%d. %s" % (step, CONTROL_STEPS[step]) for step in missed))
