"""Enforce mode is derived from the same catalogue the audit judges."""

import pytest

from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforcement import enforcement_plan, service_changes
from ansible_collections.webcert.fleet.plugins.plugin_utils.errors import CatalogueError
from ansible_collections.webcert.fleet.plugins.plugin_utils.expect import matches


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
    for item in enforcement_plan(profile, catalogue=catalogue)["registry"]:
        assert matches(controls[item["control_id"]]["check"]["expect"], item["data"]), item


def test_skip_and_settings_are_honoured():
    catalogue = load_catalogue()
    full = enforcement_plan("inera-classic", catalogue=catalogue)
    first = full["registry"][0]["control_id"]
    skipped = enforcement_plan("inera-classic", skip=[first], catalogue=catalogue)
    assert first not in [i["control_id"] for i in skipped["registry"]]


def test_a_control_that_cannot_be_enforced_is_rejected():
    catalogue = load_catalogue()
    control = next(c for c in catalogue.controls if c["check"]["type"] == "installed_product")
    control["enforceable"] = True
    with pytest.raises(CatalogueError, match="cannot be enforced"):
        enforcement_plan(control["profiles"][0], catalogue=catalogue)


def test_service_changes_touch_only_non_compliant_services():
    planned = [{"control_id": "WS-A", "name": "SCardSvr", "start_mode": {"not_in": ["Disabled"]}},
               {"control_id": "WS-B", "name": "CertPropSvc", "start_mode": {"equals": "Disabled"}},
               {"control_id": "WS-C", "name": "ScDeviceEnum", "start_mode": {"not_in": ["Disabled"]}},
               {"control_id": "WS-D", "name": "Missing", "start_mode": {"not_in": ["Disabled"]}}]
    observed = {"scardsvr": "disabled", "certpropsvc": "manual", "scdeviceenum": "auto"}
    assert service_changes(planned, observed) == [
        {"control_id": "WS-A", "name": "SCardSvr", "start_mode": "manual"},
        {"control_id": "WS-B", "name": "CertPropSvc", "start_mode": "disabled"},
    ]
