"""inspec/<host>.json: valid against InSpec's own exec-json schema, required keys at every level, and our
status mapping (error as InSpec writes an exception, waived as InSpec writes a waived control)."""

import json

import pytest

from format_tools import INSPEC_SCHEMAS, inspec_validator, schema_errors
from report_samples import sample_report

from ansible_collections.webcert.fleet.plugins.plugin_utils.report import render_inspec

# From inspec/inspec lib/inspec/schema/exec_json.rb (see docs/reports.md).
TOP = {"platform", "profiles", "statistics", "version"}
PROFILE = {"name", "sha256", "supports", "attributes", "groups", "controls"}
CONTROL = {"id", "title", "desc", "impact", "refs", "tags", "code", "source_location", "results"}
RESULT = {"code_desc", "run_time", "start_time", "status"}


def rendered():
    report = sample_report()
    return report, {path: json.loads(text) for path, text in render_inspec.render(report)}


def test_one_file_per_subject_named_by_host_or_kind_and_id():
    report, files = rendered()
    assert len(files) == len(report["subjects"])
    assert "inspec/vce-ws01.json" in files
    assert "inspec/care_unit-SE5591234561-1002.json" in files
    assert "inspec/person-SE5591234561-2001.json" in files


def test_required_keys_at_every_level():
    _unused, files = rendered()
    for path, document in files.items():
        assert TOP <= set(document), path
        assert isinstance(document["version"], str) and isinstance(document["platform"]["name"], str)
        for profile in document["profiles"]:
            assert PROFILE <= set(profile), path
            assert len(profile["sha256"]) == 64
            assert profile["groups"][0]["controls"] == [c["id"] for c in profile["controls"]]
            for control in profile["controls"]:
                assert CONTROL <= set(control), (path, control["id"])
                assert isinstance(control["impact"], float) and 0.0 <= control["impact"] <= 1.0
                assert {"ref", "line"} <= set(control["source_location"])
                for result in control["results"]:
                    assert RESULT <= set(result), (path, control["id"])
                    assert result["status"] in ("passed", "failed", "skipped")


@pytest.mark.parametrize("schema", INSPEC_SCHEMAS)
def test_every_file_validates_against_inspecs_own_schema(schema):
    validator = inspec_validator(schema)
    _unused, files = rendered()
    for path, document in files.items():
        assert schema_errors(validator, document) == [], path


def test_the_schema_check_can_fail():
    _unused, files = rendered()
    document = files["inspec/vce-ws04.json"]
    document["profiles"][0]["controls"][0]["results"][0]["status"] = "error"  # what we wrote before
    assert not inspec_validator().is_valid(document)


def test_each_profile_names_the_controls_it_holds():
    _unused, files = rendered()
    workstation, person = files["inspec/vce-ws01.json"]["profiles"][0], files["inspec/person-SE5591234561-2001.json"]["profiles"][0]
    assert workstation["name"] == "webcert-fleet-inera-classic-workstation"
    assert person["name"] == "webcert-fleet-directory-person"
    assert workstation["summary"] == "Controls in this file: WS-OS-SUPPORTED, WS-NETID-VERSION, WS-EDGE-SITELIST, WS-JS-ENABLED"
    assert person["summary"] == "Controls in this file: HSA-PERSON-COMMISSION"
    # Same controls, same hash; other controls, another hash.
    assert files["inspec/vce-ws02.json"]["profiles"][0]["sha256"] == workstation["sha256"] != person["sha256"]


def control(files, path, control_id):
    return next(c for c in files[path]["profiles"][0]["controls"] if c["id"] == control_id)


def test_statuses_map_to_inspec_and_keep_ours():
    _unused, files = rendered()
    failed = control(files, "inspec/vce-ws02.json", "WS-NETID-VERSION")
    assert failed["results"][0]["status"] == "failed" and failed["impact"] == 1.0  # critical
    assert failed["tags"]["requirements"] == ["REQ-CARD-2", "REQ-WS-3"]
    assert [r["ref"] for r in failed["refs"]] == ["REQ-CARD-2", "REQ-WS-3"]
    assert failed["results"][0]["message"] == "failed on vce-ws02"
    not_applicable = control(files, "inspec/vce-ws02.json", "WS-EDGE-SITELIST")
    assert not_applicable["impact"] == 0.0 and not_applicable["results"][0]["status"] == "skipped"
    not_reviewed = control(files, "inspec/vce-ws02.json", "WS-JS-ENABLED")
    assert not_reviewed["results"][0]["status"] == "skipped" and not_reviewed["status"] == "not_reviewed"
    assert not_reviewed["impact"] == 0.3
    # InSpec never writes a result status "error": a control that raised is failed with its exception.
    error = control(files, "inspec/vce-ws04.json", "WS-OS-SUPPORTED")
    assert error["results"][0]["status"] == "failed" and "unreachable" in error["results"][0]["message"]
    assert error["results"][0]["exception"] == "CouldNotCheck" and error["results"][0]["backtrace"]
    assert error["status"] == "error" and error["tags"]["webcert_status"] == "error"


def test_waiver_data_on_waived_and_expired_waivers():
    _unused, files = rendered()
    waived = control(files, "inspec/vce-ws03.json", "WS-EDGE-SITELIST")
    assert waived["waiver_data"]["justification"] == "Pushed by the clinic GPO."
    assert waived["waiver_data"]["expiration_date"] == "2027-03-31"
    # As InSpec writes a control skipped by its waiver, so Heimdall shows it as waived, not failed.
    assert waived["waiver_data"]["skipped_due_to_waiver"] is True and waived["waiver_data"]["run"] is False
    assert waived["results"][0]["status"] == "skipped"
    assert waived["results"][0]["skip_message"].startswith("Skipped control due to waiver condition: Pushed by")
    assert waived["tags"]["webcert_status"] == "failed"
    expired = control(files, "inspec/mo-ws01.json", "WS-EDGE-SITELIST")
    assert expired["waiver_data"]["message"] == "waiver expired"
    assert expired["waiver_data"]["skipped_due_to_waiver"] is False
    assert expired["results"][0]["status"] == "failed"


def test_a_waiver_on_an_error_result_is_shown_as_not_applied():
    from report_samples import WAIVERS
    waiver = dict(WAIVERS[0], scope={"host": "vce-ws04"})  # vce-ws04 is unreachable: every result error
    report = sample_report(waivers=[waiver])
    files = dict((path, json.loads(text)) for path, text in render_inspec.render(report))
    control = next(c for c in files["inspec/vce-ws04.json"]["profiles"][0]["controls"] if c["id"] == "WS-EDGE-SITELIST")
    assert control["status"] == "error"
    assert control["waiver_data"]["message"].startswith("waiver not applied")
