"""The judge: every status, from controls and evidence alone (no Ansible)."""

import json

import pytest

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import EvidenceError
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import load_evidence_file, validate_evidence
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.judge import judge_control, judge_evidence
from ansible_collections.webcert.fleet.plugins.plugin_utils.results.model import fail_subject, make_subject

EDGE = "HKLM:\\SOFTWARE\\Policies\\Microsoft\\Edge"


def control(check, applies_when=None, control_id="TEST-ONE"):
    result = {"id": control_id, "title": "t", "requirements": ["REQ-WS-2"], "scope": "workstation",
              "profiles": ["inera-classic"], "impact": "high", "check": check, "enforceable": False,
              "remediation": "fix it"}
    if applies_when:
        result["applies_when"] = applies_when
    return result


def evidence(**sections):
    document = {"schema_version": 1, "host": "ws01", "collected_at": "2026-11-24T07:42:10+01:00",
                "collector": {"name": "webcert_evidence", "version": "0.1.0", "mode": "standalone"}}
    document.update(sections)
    return validate_evidence(document, "test")


IE_LEVEL = {"type": "registry_value", "path": EDGE, "name": "InternetExplorerIntegrationLevel",
            "value_type": "REG_DWORD", "expect": {"equals": 1}}


def edge(values, exists=True):
    return {"registry": {EDGE: {"exists": exists, "values": values}}}


def test_passed_when_value_matches():
    result = judge_control(control(IE_LEVEL), evidence(**edge({"InternetExplorerIntegrationLevel": {"type": "REG_DWORD", "data": 1}})))
    assert result["status"] == "passed"
    assert result["actual"] == 1


def test_key_path_and_value_name_compare_case_insensitively():
    document = evidence(registry={EDGE.upper(): {"exists": True, "values": {
        "internetexplorerintegrationlevel": {"type": "REG_DWORD", "data": 1}}}})
    assert judge_control(control(IE_LEVEL), document)["status"] == "passed"


def test_failed_with_expected_and_actual():
    result = judge_control(control(IE_LEVEL), evidence(**edge({"InternetExplorerIntegrationLevel": {"type": "REG_DWORD", "data": 0}})))
    assert result["status"] == "failed"
    assert (result["expected"], result["actual"]) == ("1", 0)
    assert "expected 1" in result["message"]


def test_failed_when_the_registry_type_is_wrong():
    result = judge_control(control(IE_LEVEL), evidence(**edge({"InternetExplorerIntegrationLevel": {"type": "REG_SZ", "data": "1"}})))
    assert result["status"] == "failed"
    assert "type REG_SZ" in result["message"]


def test_absent_value_fails_unless_absence_is_allowed():
    assert judge_control(control(IE_LEVEL), evidence(**edge({}, exists=False)))["status"] == "failed"
    allowed = dict(IE_LEVEL, expect={"in": [None, 1]}, value_type=None)
    del allowed["value_type"]
    assert judge_control(control(allowed), evidence(**edge({}, exists=False)))["status"] == "passed"


def test_not_reviewed_when_the_key_was_not_collected():
    result = judge_control(control(IE_LEVEL), evidence(registry={}))
    assert result["status"] == "not_reviewed"
    assert EDGE in result["message"]


def test_not_reviewed_when_the_section_is_missing_or_failed():
    assert judge_control(control(IE_LEVEL), evidence())["status"] == "not_reviewed"
    document = evidence(section_errors={"registry": "access denied"})
    result = judge_control(control(IE_LEVEL), document)
    assert result["status"] == "not_reviewed"
    assert "access denied" in result["message"]


def test_not_applicable_when_applies_when_does_not_hold():
    condition = {"type": "installed_product", "name_pattern": "^SITHS eID.*MD"}
    result = judge_control(control(IE_LEVEL, applies_when=condition), evidence(products=[], **edge({})))
    assert result["status"] == "not_applicable"
    both = evidence(products=[{"name": "SITHS eID MD", "version": "2.1"}],
                    **edge({"InternetExplorerIntegrationLevel": {"type": "REG_DWORD", "data": 1}}))
    assert judge_control(control(IE_LEVEL, applies_when=condition), both)["status"] == "passed"


def test_error_for_this_control_only_when_a_judge_breaks():
    broken = control({"type": "no_such_type"}, control_id="TEST-BROKEN")
    good = control(IE_LEVEL, control_id="TEST-GOOD")
    results = judge_evidence([broken, good], evidence(**edge({"InternetExplorerIntegrationLevel": {"type": "REG_DWORD", "data": 1}})))
    assert [r["status"] for r in results] == ["error", "passed"]
    assert "no judge for check type 'no_such_type'" in results[0]["message"]


@pytest.mark.parametrize("installed, status", [
    ("6.10.0.1", "passed"),   # 6.10 > 6.7: compared as versions, not strings
    ("6.7", "passed"),
    ("6.6.0.31", "failed"),
    (None, "not_reviewed"),  # a product without a version: the version could not be checked
])
def test_installed_product_versions(installed, status):
    check = {"type": "installed_product", "name_pattern": "^Net iD", "min_version": "6.7"}
    assert judge_control(control(check), evidence(products=[{"name": "Net iD Enterprise", "version": installed}]))["status"] == status


def test_missing_product_fails_and_names_the_pattern():
    check = {"type": "installed_product", "name_pattern": "^Net iD", "min_version": "6.7"}
    result = judge_control(control(check), evidence(products=[{"name": "Other", "version": "9"}]))
    assert result["status"] == "failed" and "^Net iD" in result["message"]


def test_service_and_certificate_checks():
    service = {"type": "service", "name": "SCardSvr", "start_mode": {"not_in": ["Disabled"]}}
    running = evidence(services={"SCardSvr": {"exists": True, "start_mode": "Manual", "state": "Running"}})
    disabled = evidence(services={"SCardSvr": {"exists": True, "start_mode": "Disabled", "state": "Stopped"}})
    missing = evidence(services={"SCardSvr": {"exists": False}})
    assert [judge_control(control(service), e)["status"] for e in (running, disabled, missing)] == ["passed", "failed", "failed"]
    thumbprint = "3C6927CD0668774D497B0E370BB9DC7B7558C235"
    certificate = {"type": "certificate", "store": "LocalMachine\\Root", "thumbprint": thumbprint}
    present = evidence(certificates={"LocalMachine\\Root": [{"thumbprint": thumbprint.lower()}]})
    absent = evidence(certificates={"LocalMachine\\Root": []})
    uncollected = evidence(certificates={})
    assert [judge_control(control(certificate), e)["status"] for e in (present, absent, uncollected)] == [
        "passed", "failed", "not_reviewed"]


@pytest.mark.parametrize("mutate, field", [
    (lambda d: d.pop("host"), "'host' is a required property"),
    (lambda d: d.update(schema_version=2), "field 'schema_version': 2 is not supported"),
    (lambda d: d["os"].update(current_build=19045), "field 'os.current_build'"),
    (lambda d: d.update(collected_at="yesterday"), "field 'collected_at'"),
    (lambda d: d["services"]["SCardSvr"].update(start_mode="Sometimes"), "field 'services.SCardSvr.start_mode'"),
])
def test_invalid_evidence_names_the_field(mutate, field):
    document = {"schema_version": 1, "host": "ws01", "collected_at": "2026-11-24T07:42:10+01:00",
                "collector": {"name": "webcert_evidence", "version": "0.1.0", "mode": "standalone"},
                "os": {"current_build": "19045"},
                "services": {"SCardSvr": {"exists": True, "start_mode": "Manual", "state": "Running"}}}
    mutate(document)
    with pytest.raises(EvidenceError, match=field.replace(".", r"\.").replace("(", r"\(")):
        validate_evidence(document, "ws01.json")


def test_truncated_and_unreadable_files_name_the_file(tmp_path):
    path = tmp_path / "ws01.json"
    path.write_text('{"schema_version": 1, "host": "ws0')
    with pytest.raises(EvidenceError, match=r"ws01\.json: not valid JSON"):
        load_evidence_file(str(path))
    with pytest.raises(EvidenceError, match=r"missing\.json: cannot read"):
        load_evidence_file(str(tmp_path / "missing.json"))


def test_evidence_with_byte_order_mark_loads(tmp_path):
    # Windows PowerShell 5.1 writes UTF-8 with a BOM.
    document = {"schema_version": 1, "host": "ws01", "collected_at": "2026-11-24T07:42:10+01:00",
                "collector": {"name": "webcert_evidence", "version": "0.1.0", "mode": "standalone"}}
    path = tmp_path / "ws01.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(document).encode())
    assert load_evidence_file(str(path))["host"] == "ws01"


def test_failed_subject_keeps_every_control_with_error():
    subject = fail_subject(make_subject("workstation", "ws01"), [control(IE_LEVEL, control_id="TEST-A"),
                                                                 control(IE_LEVEL, control_id="TEST-B")], "boom")
    assert subject["status"] == "error" and subject["error"] == "boom"
    assert [(r["control_id"], r["status"]) for r in subject["results"]] == [("TEST-A", "error"), ("TEST-B", "error")]


def test_any_exception_in_a_judge_is_an_error_for_that_control_only():
    broken = control({"type": "installed_product", "name_pattern": "Net iD ("}, control_id="TEST-BROKEN")
    good = control(IE_LEVEL, control_id="TEST-GOOD")
    document = evidence(products=[{"name": "Net iD", "version": "6.8"}],
                        **edge({"InternetExplorerIntegrationLevel": {"type": "REG_DWORD", "data": 1}}))
    results = judge_evidence([broken, good], document)
    assert [r["status"] for r in results] == ["error", "passed"]
    assert "error" in results[0]["message"] and "TEST" not in results[0]["message"]
