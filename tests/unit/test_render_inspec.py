"""inspec/<host>.json: the required keys of InSpec's exec JSON schema at every level, and our status mapping."""

import json

from report_samples import sample_report

from ansible_collections.webcert.fleet.plugins.plugin_utils import render_inspec

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
                    assert result["status"] in ("passed", "failed", "skipped", "error")


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
    error = control(files, "inspec/vce-ws04.json", "WS-OS-SUPPORTED")
    assert error["results"][0]["status"] == "error" and "unreachable" in error["results"][0]["message"]


def test_waiver_data_on_waived_and_expired_waivers():
    _unused, files = rendered()
    waived = control(files, "inspec/vce-ws03.json", "WS-EDGE-SITELIST")
    assert waived["waiver_data"]["justification"] == "Pushed by the clinic GPO."
    assert waived["waiver_data"]["expiration_date"] == "2027-03-31"
    expired = control(files, "inspec/mo-ws01.json", "WS-EDGE-SITELIST")
    assert expired["waiver_data"]["message"] == "waiver expired"
    assert expired["results"][0]["status"] == "failed"


def test_a_waiver_on_an_error_result_is_shown_as_not_applied():
    from report_samples import WAIVERS
    waiver = dict(WAIVERS[0], scope={"host": "vce-ws04"})  # vce-ws04 is unreachable: every result error
    report = sample_report(waivers=[waiver])
    files = dict((path, json.loads(text)) for path, text in render_inspec.render(report))
    control = next(c for c in files["inspec/vce-ws04.json"]["profiles"][0]["controls"] if c["id"] == "WS-EDGE-SITELIST")
    assert control["status"] == "error"
    assert control["waiver_data"]["message"].startswith("waiver not applied")
