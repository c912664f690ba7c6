"""The region as the inventory describes it, checked entry by entry (plain Python, no Ansible)."""

from ansible_collections.webcert.fleet.plugins.plugin_utils.audit.region import EXTRA_VARS, read_region

CLINIC = {"webcert_care_unit_hsa_id": "SE5591234561-1001", "webcert_clinic": "Vårdcentralen Exempel",
          "webcert_hsa_staff": [{"hsa_id": "SE5591234561-P001", "name": "Anna", "role": "LAKARE"}]}


def group_origin(host, name):
    return "in group vars of clinic_a"


def test_every_pc_of_a_clinic_gives_its_unit_and_staff_once():
    region = read_region({"hosts": ["ws1", "ws2"], "provider_hsa_id": "SE5591234561-1000"},
                         {"ws1": CLINIC, "ws2": CLINIC}, group_origin)
    assert region["care_units"] == [{"hsa_id": "SE5591234561-1001", "clinic": "Vårdcentralen Exempel"}]
    assert [(p["hsa_id"], p["care_unit_hsa_id"], p["role"]) for p in region["staff"]] == [
        ("SE5591234561-P001", "SE5591234561-1001", "LAKARE")]
    assert region["input_errors"] == []


def test_a_malformed_staff_entry_is_named_and_costs_only_its_clinic():
    bad = dict(CLINIC, webcert_hsa_staff=["SE5591234561-P001", {"hsa_id": "SE5591234561-P002", "role": "DOKTOR"}])
    region = read_region({"hosts": ["ws1"]}, {"ws1": bad}, group_origin)
    messages = [e["message"] for e in region["input_errors"]]
    assert any("webcert_hsa_staff in group vars of clinic_a, entry 0" in m and "not a mapping" in m for m in messages)
    assert any("entry 1 (SE5591234561-P002): role 'DOKTOR' is not one of" in m for m in messages)
    assert [e.get("care_unit_hsa_id") for e in region["input_errors"] if "entry 0" in e["message"]] == ["SE5591234561-1001"]
    assert [p["hsa_id"] for p in region["staff"]] == ["SE5591234561-P002"], "the person is still audited"


def test_a_staff_list_from_extra_vars_concerns_every_person():
    region = read_region({"hosts": ["ws1"]}, {"ws1": dict(CLINIC, webcert_hsa_staff="P001")},
                         lambda host, name: EXTRA_VARS)
    [error] = region["input_errors"]
    assert error["scope"] == "person" and error["care_unit_hsa_id"] is None
    assert "webcert_hsa_staff from extra vars (-e): 'P001' is not a list" in error["message"]


def test_bad_provider_and_registered_units_are_named():
    region = read_region({"provider_hsa_id": 5, "registered_units": "SE5591234561-1001"}, {}, group_origin)
    messages = [e["message"] for e in region["input_errors"]]
    assert "webcert_care_provider_hsa_id: 5 is not a string (an HSA-id)" in messages
    assert any(m.startswith("webcert_hsa_registered_units:") for m in messages)
    assert region["provider_hsa_id"] == "" and region["registered_units"] is None


def test_inera_agreement_is_a_declared_fact_checked_for_shape():
    good = read_region({"inera_agreement": {"signed": True, "date": "2024-02-12", "reference": "X-1"}}, {},
                       lambda host, name: "")
    assert good["declared"]["inera_agreement"] == {"signed": True, "date": "2024-02-12", "reference": "X-1"}
    assert good["input_errors"] == []
    bad = read_region({"inera_agreement": {"signed": "yes"}}, {}, lambda host, name: "")
    assert bad["declared"]["inera_agreement"] is None
    assert "webcert_inera_agreement" in bad["input_errors"][0]["message"]
    assert read_region({}, {}, lambda host, name: "")["declared"]["inera_agreement"] is None
