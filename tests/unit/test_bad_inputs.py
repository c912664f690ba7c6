"""Issue 11: every bad input is named, every fault is scoped to its own subject, nothing is dropped without
a word. Unit-level cases (the playbook-level ones are in tests/integration/test_bad_inputs_playbook.py)."""

import codecs
import datetime
import json
import os
import stat

import pytest
import yaml

from ansible_collections.webcert.fleet.plugins.callback.webcert_summary import format_attention
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue import load as catalogue_module
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.audit.directory import judge_directory
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import (
    CatalogueError, EvidenceError, SettingsError, WaiverError, WebcertError, kind_of)
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import collection_time_problem, load_evidence_file
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.gate import GateError, parse_gate, select_gate
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.history import compute_drift, prune_runs
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.write import (
    attention, check_reports_dir, file_mode, validate_report, write_run)
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.waivers import load_waivers
from report_samples import sample_report, subjects

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EVIDENCE = os.path.join(REPO, "inventories", "example", "files", "evidence", "vce-ws01.json")
STARTED = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.timezone.utc)


# --- the gate -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [" , ", ",", " ", ",,, ,"])
def test_a_gate_with_no_rules_is_an_error_not_no_gate(text):
    with pytest.raises(GateError, match="has no rules"):
        select_gate(None, {"WEBCERT_GATE": text})
    with pytest.raises(GateError, match="webcert_gate: .* has no rules"):
        select_gate(text, {})


def test_an_empty_environment_gate_is_unset_and_the_inventory_gate_applies():
    assert select_gate("max_error=0", {"WEBCERT_GATE": ""}) == ({"max_error": 0}, "webcert_gate")


def test_a_rule_given_twice_is_an_error():
    with pytest.raises(GateError, match="'max_error' is given twice"):
        parse_gate("max_error=0,max_error=5", "WEBCERT_GATE")


def test_a_gate_of_the_wrong_kind_is_named_in_plain_words():
    with pytest.raises(GateError) as caught:
        parse_gate(["max_error=0"])
    assert "not a list" in str(caught.value) and "<class" not in str(caught.value)


# --- evidence files -------------------------------------------------------------------------------

def evidence_bytes():
    with open(EVIDENCE, encoding="utf-8") as handle:
        return handle.read()


@pytest.mark.parametrize("encoding, bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_utf16_evidence_with_a_byte_order_mark_is_read(tmp_path, encoding, bom):
    path = tmp_path / "vce-ws01.json"
    path.write_bytes(bom + evidence_bytes().encode(encoding))
    assert load_evidence_file(str(path))["host"].lower() == "vce-ws01"


def test_utf16_evidence_without_a_byte_order_mark_is_named_as_utf16(tmp_path):
    path = tmp_path / "vce-ws01.json"
    path.write_bytes(evidence_bytes().encode("utf-16-le"))
    with pytest.raises(EvidenceError, match="UTF-16 text without a byte-order mark"):
        load_evidence_file(str(path))


def test_evidence_in_a_windows_code_page_is_named_as_not_utf8(tmp_path):
    path = tmp_path / "vce-ws01.json"
    path.write_bytes(evidence_bytes().replace("Microsoft", "Micr\u00f6soft").encode("cp1252"))
    with pytest.raises(EvidenceError, match=r"not UTF-8 text \(byte 0xf6 at offset \d+"):
        load_evidence_file(str(path))


def test_an_empty_evidence_file_is_named_as_empty(tmp_path):
    path = tmp_path / "vce-ws01.json"
    path.write_bytes(b"\n")
    with pytest.raises(EvidenceError, match="evidence file is empty"):
        load_evidence_file(str(path))


def test_an_evidence_file_over_the_size_cap_is_not_read(tmp_path):
    path = tmp_path / "vce-ws01.json"
    path.write_text(evidence_bytes() + " " * 5000, encoding="utf-8")
    with pytest.raises(EvidenceError, match=r"more than evidence_max_file_bytes \(4000\); not read"):
        load_evidence_file(str(path), max_bytes=4000)
    assert load_evidence_file(str(path), max_bytes=10 ** 6)["schema_version"] == 1


def test_a_folder_where_the_evidence_file_belongs_is_named(tmp_path):
    with pytest.raises(EvidenceError, match="evidence file is a folder, not a regular file"):
        load_evidence_file(str(tmp_path))


def test_evidence_that_is_a_json_list_is_named_in_plain_words(tmp_path):
    path = tmp_path / "vce-ws01.json"
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(EvidenceError, match="must be a JSON object, not a list"):
        load_evidence_file(str(path))


def evidence_at(collected_at):
    return {"collected_at": collected_at}


def test_evidence_from_the_future_is_an_error_beyond_the_clock_tolerance():
    kind, message = collection_time_problem(evidence_at("2026-12-01T13:30:00+01:00"), "f.json", STARTED, 10, 7)
    assert kind == "error" and "f.json: collected_at 2026-12-01T13:30:00+01:00 is 30 minutes after" in message
    assert collection_time_problem(evidence_at("2026-12-01T13:05:00+01:00"), "f.json", STARTED, 10, 7) is None


def test_old_evidence_is_stale_and_a_zero_age_limit_turns_the_check_off():
    kind, message = collection_time_problem(evidence_at("2026-11-20T08:00:00+01:00"), "f.json", STARTED, 10, 7)
    assert kind == "stale" and "stale evidence" in message and "evidence_max_age_days is 7" in message
    assert collection_time_problem(evidence_at("2020-01-01T08:00:00+01:00"), "f.json", STARTED, 10, 0) is None


def test_a_collection_time_without_offset_is_an_error():
    kind, message = collection_time_problem(evidence_at("2026-12-01T08:00:00"), "f.json", STARTED, 10, 7)
    assert kind == "error" and "no time zone offset" in message


# --- waivers, catalogue, settings -----------------------------------------------------------------

@pytest.mark.parametrize("path", ["", "  "])
def test_a_waiver_file_that_is_set_but_empty_is_an_error(path):
    with pytest.raises(WaiverError, match="webcert_waivers_file is set but empty"):
        load_waivers(path)
    assert load_waivers(None) == []


def catalogue_copy(tmp_path, edit):
    folder = tmp_path / "controls"
    folder.mkdir()
    for name in os.listdir(os.path.join(REPO, "controls")):
        with open(os.path.join(REPO, "controls", name), encoding="utf-8") as handle:
            text = handle.read()
        (folder / name).write_text(edit(name, text), encoding="utf-8")
    return str(folder)


def test_a_catalogue_regex_that_does_not_compile_is_named_with_control_and_file(tmp_path):
    def edit(name, text):
        if name != "workstation.yml":
            return text
        data = yaml.safe_load(text)
        control = next(c for c in data["controls"] if "name_pattern" in c["check"])
        control["check"]["name_pattern"] = "Net iD (Client"
        return yaml.safe_dump(data, allow_unicode=True)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(catalogue_copy(tmp_path, edit), cache=False)
    assert "workstation.yml: control " in str(caught.value)
    assert "field 'check.name_pattern': 'Net iD (Client' is not a valid regular expression" in str(caught.value)


def test_an_expect_matches_that_does_not_compile_is_named(tmp_path):
    def edit(name, text):
        if name != "workstation.yml":
            return text
        data = yaml.safe_load(text)
        control = next(c for c in data["controls"] if "expect" in c["check"])
        control["check"]["expect"] = {"matches": "[unclosed"}
        return yaml.safe_dump(data, allow_unicode=True)
    with pytest.raises(CatalogueError, match=r"field 'check.expect.matches': '\[unclosed' is not a valid regular"):
        load_catalogue(catalogue_copy(tmp_path, edit), cache=False)


@pytest.mark.parametrize("name, value, words", [
    ("evidence_max_age_days", -1, "is less than 0"),
    ("evidence_max_file_bytes", 0, "is less than 1"),
    ("reports_keep_runs", True, "is not of type integer"),
    ("evidence_clock_tolerance_minutes", "10", "is not of type integer"),
])
def test_run_settings_are_checked_like_every_setting(name, value, words):
    with pytest.raises(SettingsError, match=words):
        load_catalogue().effective_settings({name: value})


def test_settings_that_are_not_a_mapping_are_named_in_plain_words():
    with pytest.raises(SettingsError) as caught:
        load_catalogue().effective_settings(["windows10_esu"])
    assert "not a list" in str(caught.value) and "<class" not in str(caught.value)


@pytest.mark.parametrize("text", ["0700", "0644x", "0400", "", "0755"])
def test_a_report_file_mode_that_is_no_sensible_mode_is_an_error(text):
    with pytest.raises(SettingsError, match="report_file_mode"):
        file_mode(text)


# --- the reports folder ---------------------------------------------------------------------------

def test_a_reports_folder_that_is_a_file_is_named(tmp_path):
    (tmp_path / "reports").write_text("oops")
    with pytest.raises(WebcertError, match="is a file, not a folder"):
        check_reports_dir(str(tmp_path / "reports"))
    with pytest.raises(WebcertError, match="is a file, not a folder"):
        check_reports_dir(str(tmp_path / "reports" / "region"))


@pytest.mark.parametrize("make", [os.mkdir, lambda p: open(p, "w", encoding="utf-8").close()], ids=["folder", "file"])
def test_a_latest_that_is_not_a_link_is_named(tmp_path, make):
    make(str(tmp_path / "latest"))
    with pytest.raises(WebcertError, match="'latest' is a real"):
        check_reports_dir(str(tmp_path))


def test_a_reports_folder_that_does_not_exist_yet_is_fine(tmp_path):
    check_reports_dir(str(tmp_path / "new" / "reports"))


def ready(report):
    report["drift"] = compute_drift(None, report, {"status": "first_run", "previous_run_id": None, "reason": "-"})
    return report


def test_report_files_are_0600_unless_the_setting_says_otherwise(tmp_path):
    run_dir, written = write_run(ready(sample_report()), str(tmp_path / "a"))
    assert {stat.S_IMODE(os.stat(os.path.join(run_dir, f)).st_mode) for f in written} == {0o600}
    run_dir, written = write_run(ready(sample_report()), str(tmp_path / "b"), mode=file_mode("0640"))
    assert {stat.S_IMODE(os.stat(os.path.join(run_dir, f)).st_mode) for f in written} == {0o640}


def test_control_characters_from_the_directory_reach_no_output(tmp_path):
    subject_list = subjects()
    subject_list[0]["name"] = "Anna\x00Andersson\x1b[31m"
    subject_list[0]["results"][0]["message"] = "value\x00with NUL\x07"
    report = ready(sample_report(subject_list=subject_list))
    validate_report(report)
    run_dir, written = write_run(report, str(tmp_path))
    for name in written:
        with open(os.path.join(run_dir, name), "rb") as handle:
            data = handle.read()
        assert b"\x00" not in data and b"\x1b" not in data and b"\x07" not in data, name
    with open(os.path.join(run_dir, "summary.csv"), encoding="utf-8") as handle:
        assert "value\\x00with NUL\\x07" in handle.read()


# --- retention ------------------------------------------------------------------------------------

def make_runs(folder, names, inventory="inventories/example"):
    for name in names:
        os.makedirs(os.path.join(folder, name))
        with open(os.path.join(folder, name, "run.json"), "w", encoding="utf-8") as handle:
            json.dump({"run": {"inventory": inventory}}, handle)


RUNS = ["202611%02dT080000.000Z-%06x" % (day, day) for day in range(1, 11)]


def test_retention_keeps_the_newest_runs_and_never_the_run_drift_compared_against(tmp_path):
    make_runs(str(tmp_path), RUNS)
    make_runs(str(tmp_path), ["20261101T090000.000Z-ffffff"], inventory="inventories/other")
    deleted, problems = prune_runs(str(tmp_path), "inventories/example", 3, 0, {RUNS[9], RUNS[0]})
    assert problems == [] and sorted(deleted) == RUNS[1:7]
    assert sorted(os.listdir(tmp_path)) == sorted([RUNS[0]] + RUNS[7:] + ["20261101T090000.000Z-ffffff"])


def test_retention_by_days_and_no_limit_by_default_values(tmp_path):
    make_runs(str(tmp_path), RUNS)
    now = datetime.datetime(2026, 11, 10, 9, 0, tzinfo=datetime.timezone.utc)
    assert prune_runs(str(tmp_path), "inventories/example", 0, 0, set(), now) == ([], [])
    deleted = prune_runs(str(tmp_path), "inventories/example", 0, 3, set(), now)[0]
    assert sorted(deleted) == RUNS[:7], "started more than 3 days before now"


# --- the directory --------------------------------------------------------------------------------

def person(dn, hsa_id, name):
    return {"dn": dn, "classes": ["person"], "markers": ["person"], "problems": [],
            "attributes": {"hsa_id": [hsa_id], "common_name": [name]}}


def directory_subjects(persons, **extra):
    data = {"provider_hsa_id": "SE5591234561-1000", "provider": None, "units": [], "commissions": [],
            "persons": persons, "errors": {}, "searches": 1, "server": "ldaps://127.0.0.1:6360"}
    region = {"provider_hsa_id": "SE5591234561-1000", "care_units": [], "registered_units": None,
              "staff": [{"hsa_id": "SE5591234561-P001", "name": "Anna", "role": "LAKARE"},
                        {"hsa_id": "SE5591234561-P002", "name": "Bertil", "role": "LAKARE"}]}
    return {s["id"]: s for s in judge_directory(load_catalogue(), {}, data, region, **extra) if s["kind"] == "person"}


def test_two_person_entries_with_one_hsa_identity_are_both_named_and_not_judged():
    found = directory_subjects([person("cn=Anna A,o=X,c=SE", "SE5591234561-P001", "Anna A"),
                                person("cn=Anna B,o=X,c=SE", "SE5591234561-P001", "Anna B"),
                                person("cn=Bertil,o=X,c=SE", "SE5591234561-P002", "Bertil")])
    anna = found["SE5591234561-P001"]
    assert anna["status"] == "error"
    assert "2 entries carry hsaIdentity SE5591234561-P001" in anna["error"]
    assert "cn=Anna A,o=X,c=SE" in anna["error"] and "cn=Anna B,o=X,c=SE" in anna["error"]
    assert found["SE5591234561-P002"]["status"] == "judged", "the fault costs only its own subject"


def test_an_entry_with_too_many_values_of_one_attribute_is_an_error_naming_it():
    big = person("cn=Anna,o=X,c=SE", "SE5591234561-P001", "Anna")
    big["truncated"] = ["attribute hsaTitle has 50000 values, more than hsa_max_attribute_values (10000)"]
    found = directory_subjects([big, person("cn=Bertil,o=X,c=SE", "SE5591234561-P002", "Bertil")])
    assert found["SE5591234561-P001"]["status"] == "error"
    assert "entry cn=Anna,o=X,c=SE: attribute hsaTitle has 50000 values" in found["SE5591234561-P001"]["error"]
    assert found["SE5591234561-P002"]["status"] == "judged"


# --- the terminal summary -------------------------------------------------------------------------

def test_the_summary_names_each_subject_not_judged_first_n_then_a_count():
    items = attention(sample_report())
    assert items and items[0]["status"] == "error" and all(i["reason"] for i in items)
    assert [i["status"] for i in items] == sorted((i["status"] for i in items), key=("error", "not_reviewed").index)
    many = [{"kind": "workstation", "id": "ws%02d" % number, "clinic": "Mottagning Öst", "status": "error", "count": 3,
             "reason": "host unreachable: connection refused"} for number in range(20)]
    lines = format_attention(many, listed=5, directory={"configured": False})
    assert lines[0].startswith("HSA directory: NOT CONFIGURED")
    assert lines[1] == "ERROR (could not be judged): 20 subject(s)"
    assert lines[2] == "  workstation ws00 (Mottagning Öst): 3 result(s): host unreachable: connection refused"
    assert lines[7:] == ["  ... and 15 more (report.html and summary.csv list every one)"]
    assert not format_attention([], directory={"configured": True})


def test_plain_words_for_ansible_values():
    class _AnsibleTaggedList(list):  # the shape of Ansible 2.19's tagged values
        pass
    assert kind_of(_AnsibleTaggedList([1])) == "a list" and kind_of(7) == "a number" and kind_of(True) == "a boolean"


def test_the_catalogue_module_keeps_its_cache_out_of_the_way():
    assert catalogue_module.CACHE_DIR  # the regex tests above validate without the cache (cache=False)
