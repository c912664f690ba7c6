"""Real ansible-playbook runs of playbooks/audit.yml on a temporary inventory built from the evidence
fixtures: unusual names come through verbatim, and bad evidence is `error` for that host only."""

import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(REPO, "tests", "fixtures", "evidence")
READER = 'Läsare "Ω" <b>&amp;</b> 読み取り 🔐\nline2'
PRODUCT = 'SITHS eID för Windows "beta" <&> 🔐\nrad 2'


def write_host(inventory, host, fixture, mutate=None, raw=None):
    with open(os.path.join(FIXTURES, fixture + ".json"), encoding="utf-8") as handle:
        evidence = json.load(handle)
    evidence["host"] = host
    if mutate:
        mutate(evidence)
    path = inventory / "files" / ("%s.json" % host)
    path.write_text(raw if raw is not None else json.dumps(evidence, ensure_ascii=False), encoding="utf-8")
    return {"webcert_evidence_file": "files/%s.json" % host}


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
    }
    tree = {"all": {"children": {"webcert_controller": {"hosts": {"localhost": {"ansible_connection": "local"}}},
                                 "webcert_workstations": {"hosts": hosts,
                                                          "vars": {"webcert_profile": "inera-2024"}}}}}
    (inventory / "hosts.yml").write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    reports = tmp_path_factory.mktemp("reports")
    env = dict(os.environ, ANSIBLE_HOME=os.path.join(REPO, ".ansible"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_INVENTORY_IGNORE_REGEX="^files$")
    playbook = shutil.which("ansible-playbook", path=os.path.dirname(sys.executable)) or "ansible-playbook"
    run = subprocess.run([playbook, os.path.join(REPO, "playbooks", "audit.yml"), "-i", str(inventory / "hosts.yml"),
                          "-e", "webcert_reports_dir=%s" % reports], cwd=REPO, env=env, capture_output=True,
                         text=True, timeout=300)
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
