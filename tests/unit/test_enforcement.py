"""Enforce mode is derived from the same catalogue the audit judges."""

import pytest

from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.plan import enforcement_changes, enforcement_plan
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import CatalogueError
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.expect import matches


@pytest.mark.parametrize("profile", ["inera-classic", "inera-2024"])
def test_plan_covers_exactly_the_enforceable_controls(profile):
    catalogue = load_catalogue()
    plan = enforcement_plan(profile, catalogue=catalogue)
    planned = [item["control_id"] for items in plan.values() for item in items]
    enforceable = [c["id"] for c in catalogue.for_profile(profile, "workstation") if c["enforceable"]]
    assert sorted(planned) == sorted(enforceable)
    assert len(planned) == len(set(planned))


@pytest.mark.parametrize("profile", ["inera-classic", "inera-2024"])
def test_enforced_registry_values_satisfy_their_own_control(profile):
    """What enforce writes must make the audit pass: the two engines cannot drift apart."""
    catalogue = load_catalogue()
    controls = {c["id"]: c for c in catalogue.for_profile(profile, "workstation")}
    # Controls of type registry_value; the browser policies in the registry family are proven on evidence in
    # test_enforce_satisfies_audit.py, with every other family.
    for item in enforcement_plan(profile, catalogue=catalogue)["registry"]:
        if controls[item["control_id"]]["check"]["type"] != "registry_value":
            continue
        assert matches(controls[item["control_id"]]["check"]["expect"], item["data"]), item


def test_skip_and_settings_are_honoured():
    catalogue = load_catalogue()
    full = enforcement_plan("inera-classic", catalogue=catalogue)
    first = full["registry"][0]["control_id"]
    skipped = enforcement_plan("inera-classic", skip=[first], catalogue=catalogue)
    assert first not in [i["control_id"] for i in skipped["registry"]]


def test_a_control_that_cannot_be_enforced_is_rejected():
    catalogue = load_catalogue()
    control = next(c for c in catalogue.controls if c["check"]["type"] == "card_readers")
    control["enforceable"] = True
    with pytest.raises(CatalogueError, match="cannot be enforced"):
        enforcement_plan(control["profiles"][0], catalogue=catalogue)


def test_service_changes_touch_only_non_compliant_services():
    controls = [{"id": cid, "title": cid, "requirements": [], "scope": "workstation", "impact": "high",
                 "remediation": "", "enforceable": True, "check": {"type": "service", "name": name, "start_mode": mode}}
                for cid, name, mode in (("WS-A", "SCardSvr", {"not_in": ["Disabled"]}),
                                        ("WS-B", "CertPropSvc", {"equals": "Disabled"}),
                                        ("WS-C", "ScDeviceEnum", {"not_in": ["Disabled"]}),
                                        ("WS-D", "Missing", {"not_in": ["Disabled"]}))]
    plan = {"services": [{"control_id": c["id"], "name": c["check"]["name"], "start_mode": c["check"]["start_mode"]}
                         for c in controls]}
    plan.update({family: [] for family in ("site_list", "registry", "certificates", "features", "card_clients", "time")})
    evidence = {"services": {"SCardSvr": {"exists": True, "start_mode": "Disabled", "state": "Stopped"},
                             "CertPropSvc": {"exists": True, "start_mode": "Manual", "state": "Running"},
                             "ScDeviceEnum": {"exists": True, "start_mode": "Automatic", "state": "Running"}}}
    changes = enforcement_changes(plan, controls, evidence)
    assert [(op["control_id"], op["name"], op["start_mode"]) for op in changes.operations["services"]] == [
        ("WS-A", "SCardSvr", "manual"), ("WS-B", "CertPropSvc", "disabled")]
    # The judge passes WS-C: nothing written, noted as compliant; WS-D's service was not read: said, not touched.
    assert [(note["control_id"], note["kind"]) for note in changes.notes] == [("WS-C", "compliant"), ("WS-D", "not_judged")]


@pytest.mark.parametrize("mode, wanted_mode", [("Manual", "auto"), ("Disabled", "auto"), ("Automatic", None)])
def test_windows_time_that_must_run_is_set_to_start_automatically(mode, wanted_mode):
    """W32Time is trigger-started on workgroup PCs (Manual): started by enforce it stops again by itself, and the
    control flips between runs. Set to start automatically, it keeps running (the control's remediation)."""
    catalogue = load_catalogue()
    controls = [c for c in catalogue.for_profile("inera-classic", "workstation", {}) if c["id"] == "WS-TIME-SERVICE"]
    plan = enforcement_plan("inera-classic", {}, catalogue=catalogue, only=["WS-TIME-SERVICE"])
    evidence = {"services": {"W32Time": {"exists": True, "start_mode": mode, "state": "Stopped"}}}
    (operation,) = enforcement_changes(plan, controls, evidence).operations["services"]
    assert (operation["start_mode"], operation["state"]) == (wanted_mode, "started")
