"""Real ansible-playbook runs of playbooks/audit.yml on a temporary inventory built from the evidence
fixtures: unusual names come through verbatim, and bad evidence is `error` for that host only."""

import json
import os

import pytest
import yaml

from ansible_cli import ansible_env, run_ansible

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(REPO, "tests", "fixtures", "evidence")
READER = 'Läsare "Ω" <b>&amp;</b> 読み取り 🔐\nline2'
PRODUCT = 'SITHS eID för Windows "beta" <&> 🔐\nrad 2'


def write_host(inventory, host, fixture, mutate=None, raw=None, suffix=".json", variable="webcert_evidence_file"):
    with open(os.path.join(FIXTURES, fixture + ".json"), encoding="utf-8") as handle:
        evidence = json.load(handle)
    evidence["host"] = host
    if mutate:
        mutate(evidence)
    path = inventory / "files" / (host + suffix)
    path.write_text(raw if raw is not None else json.dumps(evidence, ensure_ascii=False), encoding="utf-8")
    return {variable: "files/%s%s" % (host, suffix)}


def with_user_file(inventory, host, fixture, mutate=None):
    variables = write_host(inventory, host, "win11-24h2-vendor-reader")
    variables.update(write_host(inventory, host, fixture, mutate, suffix=".user.json",
                                variable="webcert_user_evidence_file"))
    return variables


def named(host, dns_host_name=None):
    return lambda e: e.update(host=host, dns_host_name=dns_host_name)


@pytest.fixture(scope="module")
def audit(tmp_path_factory):
    inventory = tmp_path_factory.mktemp("inventory")
    (inventory / "files").mkdir()
    hosts = {
        "ws-odd": write_host(inventory, "ws-odd", "unusual-names"),
        "ws-good": write_host(inventory, "ws-good", "win11-24h2-vendor-reader"),
        "ws-v2": write_host(inventory, "ws-v2", "win11-24h2-vendor-reader", lambda e: e.update(schema_version=2)),
        "ws-type": write_host(inventory, "ws-type", "win11-24h2-vendor-reader",
                              lambda e: e["card_readers"][0].update(config_manager_error_code="zero")),
        "ws-cut": write_host(inventory, "ws-cut", "win11-24h2-vendor-reader", raw='{"schema_version": 1, "host": "ws-cut", '),
        # %COMPUTERNAME% is the NetBIOS name, at most 15 characters.
        "vce-reception-ws01.exk.example": write_host(inventory, "vce-reception-ws01", "win11-24h2-vendor-reader",
                                                     named("VCE-RECEPTION-W")),
        "ws-alias": write_host(inventory, "ws-alias", "win11-24h2-vendor-reader", named("PC0042", "ws-alias.exk.example")),
        "ws-copied": write_host(inventory, "ws-copied", "win11-24h2-vendor-reader", named("MO-WS01", "mo-ws01.exk.example")),
        "ws-user": with_user_file(inventory, "ws-user", "expired-user-certificate"),
        "ws-user-system": with_user_file(inventory, "ws-user-system", "expired-user-certificate",
                                         lambda e: e["collector"].update(user_context=None)),
    }
    tree = {"all": {"children": {"webcert_controller": {"hosts": {"localhost": {"ansible_connection": "local"}}},
                                 "webcert_workstations": {"hosts": hosts,
                                                          # The fixtures are a fixed snapshot: no age limit.
                                                          "vars": {"webcert_profile": "inera-2024",
                                                                   "webcert_settings": {"evidence_max_age_days": 0}}}}}}
    (inventory / "hosts.yml").write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    reports = tmp_path_factory.mktemp("reports")
    run = run_ansible("ansible-playbook", "playbooks/audit.yml", "-i", inventory / "hosts.yml",
                      "-e", "webcert_reports_dir=%s" % reports,
                      env=ansible_env(ANSIBLE_INVENTORY_IGNORE_REGEX="^files$"))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    with open(os.path.join(reports, "latest", "report.json"), encoding="utf-8") as handle:
        report = json.load(handle)
    return {s["id"]: s for s in report["subjects"] if s["kind"] == "workstation"}


def result(subject, control_id):
    return next(r for r in subject["results"] if r["control_id"] == control_id)


def test_unusual_reader_and_product_names_are_reported_verbatim(audit):
    odd = audit["ws-odd"]
    readers = result(odd, "WS-CARD-READERS")
    assert readers["status"] == "failed"
    assert readers["details"]["readers"][0]["reader"] == READER
    assert READER in readers["message"]
    assert PRODUCT in result(odd, "WS-SITHS-EID-VERSION")["actual"]


@pytest.mark.parametrize("host, field", [("ws-v2", "'schema_version'"),
                                         ("ws-type", "'card_readers[0].config_manager_error_code'"),
                                         ("ws-cut", "not valid JSON")])
def test_bad_evidence_is_error_for_that_host_naming_the_field(audit, host, field):
    subject = audit[host]
    assert subject["status"] == "error" and field in subject["error"] and "%s.json" % host in subject["error"]
    assert {r["status"] for r in subject["results"]} == {"error"}


def test_other_hosts_are_unaffected(audit):
    good = audit["ws-good"]
    assert good["status"] == "judged"
    assert result(good, "WS-CARD-READERS")["status"] == "passed"
    assert result(good, "WS-CLOCK-OFFSET")["status"] == "passed"
    assert {r["status"] for r in good["results"]} <= {"passed", "not_applicable", "not_reviewed"}


def test_netbios_and_dns_names_are_accepted_for_files_and_a_copied_file_is_not(audit):
    assert audit["vce-reception-ws01.exk.example"]["status"] == "judged"
    assert audit["ws-alias"]["status"] == "judged"
    copied = audit["ws-copied"]
    assert copied["status"] == "error" and "'MO-WS01' (mo-ws01.exk.example), not 'ws-copied'" in copied["error"]


def test_user_context_file_supplies_the_user_sections(audit):
    user = audit["ws-user"]
    assert user["status"] == "judged" and user["user_context"] == "EXK\\anna.andersson"
    assert user["user_evidence_source"].startswith("user file:") and user["user_evidence_source"].endswith("ws-user.user.json")
    auth = result(user, "WS-USER-EID-CERT")  # inera-2024 checks the SITHS e-id (LoA 2/3) certificate
    assert auth["status"] == "failed" and "expired" in auth["message"]
    assert auth["evidence_source"] == "%s + %s" % (user["evidence_source"], user["user_evidence_source"])
    # The user's (empty) HKCU Edge policy was read, so the Edge control is decided; machine sections stay.
    assert result(user, "WS-EDGE-JAVASCRIPT")["status"] == "passed"
    assert result(user, "WS-CARD-READERS")["status"] == "passed"
    assert result(audit["ws-good"], "WS-EDGE-JAVASCRIPT")["status"] == "not_reviewed"


def test_user_file_without_a_user_context_is_an_error_naming_it(audit):
    subject = audit["ws-user-system"]
    assert subject["status"] == "error" and "ws-user-system.user.json" in subject["error"]
    assert "no user_context" in subject["error"]
