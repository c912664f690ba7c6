"""The card-reader verification component (plugins/plugin_utils/judges/card_readers.py)."""

import pytest

from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.card_readers import PolicyError, validate_policy, verify_reader, verify_readers

POLICY = {"require_signed": True, "allowed_drivers": [
    {"name": "inbox CCID", "inf_pattern": r"^wudfusbcciddriver\.inf$", "provider_pattern": "^Microsoft$"},
    {"name": "OMNIKEY", "provider_pattern": "^HID Global", "min_version": "2.1"},
]}


def reader(name="Reader 0", code=0, **driver):
    facts = {"inf_name": "wudfusbcciddriver.inf", "provider": "Microsoft", "version": "10.0.19041.1", "signed": True}
    facts.update(driver)
    return {"name": name, "instance_id": "USB\\VID_1\\%s" % name, "config_manager_error_code": code,
            "driver": None if driver.get("none") else facts}


def test_working_inbox_reader_is_ok():
    status, message, findings = verify_readers([reader()], POLICY)
    assert status == "passed" and findings[0]["status"] == "ok" and findings[0]["rule"] == "inbox CCID"
    assert message == "'Reader 0' (driver Microsoft 10.0.19041.1 (wudfusbcciddriver.inf)): OK"


def test_no_reader_fails_and_min_readers_counts_present_ones():
    assert verify_readers([], POLICY)[:2] == ("failed", "no smart-card reader is present")
    absent = dict(reader(), present=False)
    assert verify_readers([absent], POLICY)[0] == "failed"
    assert verify_readers([reader()], POLICY, min_readers=2)[1] == "1 smart-card reader(s) present, 2 required"
    assert verify_readers([], POLICY, min_readers=0)[0] == "passed"


@pytest.mark.parametrize("code, text", [(22, "device error code 22: the device is disabled"),
                                        (10, "device error code 10: the device cannot start"),
                                        (99, "device error code 99: see Device Manager")])
def test_error_state_is_named_with_its_code(code, text):
    finding = verify_reader(reader(code=code), validate_policy(POLICY))
    assert finding["status"] == "problem" and finding["problems"] == [text]


def test_missing_driver_is_said_once():
    assert verify_reader(reader(code=28, none=True), validate_policy(POLICY))["problems"] == [
        "device error code 28: no driver is installed"]
    assert verify_reader(reader(none=True), validate_policy(POLICY))["problems"] == ["no driver is installed for it"]


def test_vendor_driver_version_compared_as_version():
    policy = validate_policy(POLICY)
    ok = verify_reader(reader(provider="HID Global", inf_name="oem12.inf", version="2.10.0"), policy)
    assert ok["status"] == "ok"  # 2.10 > 2.1 as versions, though not as strings
    old = verify_reader(reader(provider="HID Global", inf_name="oem12.inf", version="2.0.9"), policy)
    assert old["problems"] == ["driver version 2.0.9 is older than 2.1, the minimum for OMNIKEY"]


def test_unapproved_and_unsigned_driver_give_every_problem():
    finding = verify_reader(reader(provider="Acme", inf_name="oem3.inf", version="1.0", signed=False),
                            validate_policy(POLICY))
    assert finding["problems"] == ["driver Acme 1.0 (oem3.inf) is not on the region's approved list "
                                   "(setting card_reader_driver_policy)", "driver is not signed"]


def test_unknown_facts_are_not_reviewed_never_passed_or_failed():
    status, message, _unused = verify_readers([reader(code=None, signed=None)], POLICY)
    assert status == "not_reviewed"
    assert "could not read the device state" in message and "signed" in message
    # ... but a real problem on another reader still fails
    assert verify_readers([reader(code=None), reader("B", code=22)], POLICY)[0] == "failed"


def test_signature_not_required_when_policy_says_so():
    policy = dict(POLICY, require_signed=False)
    assert verify_readers([reader(signed=False)], policy)[0] == "passed"


@pytest.mark.parametrize("policy, text", [
    ([], "must be a mapping"),
    ({"allowed_drivers": []}, "'allowed_drivers' must be a non-empty list"),
    ({"allowed_drivers": [{"name": "x"}]}, "needs inf_pattern or provider_pattern"),
    ({"allowed_drivers": [{"provider_pattern": "("}]}, "provider_pattern: not a valid regular expression"),
    ({"allowed_drivers": [{"provider_pattern": "x", "min_version": "new"}]}, "min_version: 'new' is not a version"),
    ({"allowed_drivers": [{"provider_pattern": "x", "vendor": "y"}]}, "unknown field(s) vendor"),
    ({"require_signed": "yes", "allowed_drivers": [{"provider_pattern": "x"}]}, "'require_signed' must be true or false"),
])
def test_bad_policy_is_an_error_naming_the_setting_and_field(policy, text):
    with pytest.raises(PolicyError) as error:
        validate_policy(policy)
    assert "setting card_reader_driver_policy" in str(error.value) and text in str(error.value)


def test_bad_policy_makes_the_control_error_not_failed():
    from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.judge import judge_control
    control = {"id": "WS-CARD-READERS", "title": "t", "requirements": ["REQ-CARD-2"], "scope": "workstation",
               "impact": "high", "remediation": "r",
               "check": {"type": "card_readers", "driver_policy": {"allowed_drivers": "all"}}}
    result = judge_control(control, {"card_readers": [reader()], "collector": {}})
    assert result["status"] == "error" and "card_reader_driver_policy" in result["message"]


def test_names_are_kept_verbatim():
    name = 'Läsare "1" <&> 🔐\n2'
    _unused, message, findings = verify_readers([reader(name=name, code=43)], POLICY)
    assert findings[0]["reader"] == name and message.startswith("'%s'" % name)
