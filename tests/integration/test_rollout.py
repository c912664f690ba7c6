"""Real ansible-playbook runs of playbooks/rollout.yml on a small region described by its register.

The PCs are reached with the local connection (the enforce role runs with every enforceable control
skipped: the orchestration is under test, not the Windows modules, which need a Windows host), except
a canary on 127.0.0.1 with a closed port, which cannot be reached. The audits read evidence files; the
rollout tells the inventory which audit it is (webcert_rollout_phase), so the PCs can show different
evidence before and after, as a PC whose collector ran again after enforcement does.
"""

import datetime
import json
import os
import signal
import subprocess
import time

import pytest

from ansible_cli import BIN, REPO, ansible_env, run_ansible
from ansible_collections.webcert.fleet.plugins.module_utils.swedish_time import SWEDEN
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue

FIXTURES = os.path.join(REPO, "tests", "fixtures", "evidence")
FAILING = "ie-mode-missing.json"
COMPLIANT = "win10-22h2-compliant.json"


def closed_window():
    """A window that is certainly closed now: it opens in two hours, for one hour (Swedish time)."""
    start = datetime.datetime.now(datetime.timezone.utc).astimezone(SWEDEN) + datetime.timedelta(hours=2)
    end = start + datetime.timedelta(hours=1)
    return "daily %02d:00-%02d:00" % (start.hour, end.hour) if start.hour != end.hour else "daily 00:00-00:30"


def make_region(root, clinics, evidence, unreachable=(), slow=()):
    """clinics: [(clinic, HSA-id, [hosts], window, wave)]; evidence: {host: (before fixture, after fixture)}."""
    (root / "files" / "evidence" / "before").mkdir(parents=True)
    (root / "files" / "evidence" / "after").mkdir(parents=True)
    (root / "host_vars").mkdir()
    (root / "group_vars").mkdir()
    rows = ["clinic;care_unit_hsa_id;hosts;connection;maintenance_window;wave"]
    rows += ["%s;%s;%s;psrp;%s;%d" % (name, hsa_id, " ".join(hosts), window or "", wave)
             for name, hsa_id, hosts, window, wave in clinics]
    (root / "files" / "register.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (root / "region.webcert_register.yml").write_text("plugin: webcert.fleet.webcert_register\npath: files/register.csv\n")
    (root / "controller.yml").write_text("webcert_controller:\n  hosts:\n    localhost:\n      ansible_connection: local\n")
    skip = sorted(c["id"] for c in load_catalogue().controls if c["enforceable"])
    (root / "group_vars" / "webcert_workstations.yml").write_text(json.dumps({"webcert_workstation_skip_controls": skip}))
    # The fixtures are a fixed snapshot (collected 2026-11-24): judge them whatever their age.
    (root / "group_vars" / "all.yml").write_text(json.dumps({"webcert_settings": {"evidence_max_age_days": 0}}))
    for host, fixtures in evidence.items():
        for phase, fixture in zip(("before", "after"), fixtures):
            with open(os.path.join(FIXTURES, fixture), encoding="utf-8") as handle:
                document = json.load(handle)
            document["host"] = host.upper()
            document.pop("dns_host_name", None)
            (root / "files" / "evidence" / phase / (host + ".json")).write_text(json.dumps(document))
        variables = {"webcert_evidence_file": "files/evidence/{{ webcert_rollout_phase | default('before') }}/%s.json" % host}
        if host in unreachable or host in slow:
            # psrp (from the register) to a closed port: refused at once, retried until the timeout.
            variables.update(ansible_host="127.0.0.1", ansible_port=1, ansible_psrp_protocol="http",
                             webcert_rollout_connect_timeout=60 if host in slow else 3)
        else:
            variables.update(ansible_connection="local")
        (root / "host_vars" / (host + ".yml")).write_text(json.dumps(variables))
    return root


def rollout(region, reports, *extra):
    return run_ansible("ansible-playbook", "playbooks/rollout.yml", "-i", region,
                       "-e", "webcert_reports_dir=%s" % reports, *extra)


def only_rollout(reports):
    (name,) = os.listdir(reports / "rollouts")
    directory = reports / "rollouts" / name
    with open(directory / "state.json", encoding="utf-8") as handle:
        state = json.load(handle)
    return name, directory, state


def audit_runs(reports):
    return sorted(n for n in os.listdir(reports) if n[0].isdigit())


@pytest.fixture(scope="module")
def canary_run(tmp_path_factory):
    """Two clinics in wave 1 (Klinik B's canary cannot be reached), one in wave 2 with a closed window."""
    root = tmp_path_factory.mktemp("canary")
    region = make_region(root / "region", [
        ("Klinik A", "SE5591234561-2001", ["a1", "a2", "a3"], None, 1),
        ("Klinik B", "SE5591234561-2002", ["b1", "b2"], None, 1),
        ("Klinik C", "SE5591234561-2003", ["c1", "c2"], closed_window(), 2),
    ], {"a1": (FAILING, COMPLIANT), "a2": (COMPLIANT, "netid-missing.json"), "a3": (COMPLIANT, COMPLIANT),
        "b1": (FAILING, FAILING), "b2": (FAILING, FAILING), "c1": (FAILING, FAILING), "c2": (COMPLIANT, COMPLIANT)},
        unreachable=("b1",))
    reports = root / "reports"
    # One PC per batch, so the order of the batches is the order PCs were enforced in.
    done = rollout(region, reports, "-e", json.dumps({"webcert_rollout_serial": [1]}))
    _name, directory, state = only_rollout(reports)
    with open(directory / "rollout.json", encoding="utf-8") as handle:
        report = json.load(handle)
    return {"done": done, "state": state, "report": report, "directory": directory, "reports": reports}


def test_a_failed_canary_stops_its_own_clinic_and_no_other(canary_run):
    state, done = canary_run["state"], canary_run["done"]
    assert done.returncode != 0, "a stopped clinic must make the rollout fail so someone looks at it"
    assert "stopped clinics: Klinik B" in done.stdout and "webcert_rollout_id=" in done.stdout
    assert state["hosts"]["b1"]["enforce"]["status"] == "failed"
    assert "127.0.0.1" in state["hosts"]["b1"]["enforce"]["message"]
    assert state["clinics"]["Klinik B"]["stopped"]["reason"].startswith("canary b1 failed")
    assert state["hosts"]["b2"]["enforce"] is None, "the stopped clinic's other PC must not be touched"
    for host in ("a1", "a2", "a3", "c1", "c2"):
        assert state["hosts"][host]["enforce"]["status"] == "done", host
    assert state["clinics"]["Klinik A"]["stopped"] is None and state["clinics"]["Klinik C"]["stopped"] is None


def test_canaries_go_first_then_batches_wave_by_wave(canary_run):
    hosts = canary_run["state"]["hosts"]
    order = sorted((h for h in hosts if hosts[h]["enforce"]), key=lambda h: hosts[h]["enforce"]["seq"])
    canaries = {"a1", "b1", "c1"}
    assert set(order[:3]) == canaries, order
    assert order[3:] == ["a2", "a3", "c2"], "batches: wave 1 (Klinik A) before wave 2 (Klinik C), one PC each"
    assert {h for h in hosts if hosts[h]["step"] == "canary"} == canaries


def test_the_report_shows_before_and_after_per_clinic_and_host(canary_run):
    report = canary_run["report"]
    clinics = {c["clinic"]: c for c in report["clinics"]}
    hosts = {h["host"]: h for c in report["clinics"] for h in c["hosts"]}
    assert hosts["a1"]["outcome"] == "done" and hosts["a1"]["counts"]["fixed"] > 0
    fixed = [c for c in hosts["a1"]["changes"] if c["change"] == "fixed"]
    assert len(fixed) == hosts["a1"]["counts"]["fixed"]
    assert all(c["before"] == "failed" and c["after"] in ("passed", "not_applicable") for c in fixed), fixed
    assert hosts["a2"]["counts"]["newly_failing"] > 0, "a2's evidence after lost Net iD"
    assert hosts["b1"]["outcome"] == "failed" and hosts["b1"]["counts"]["still_failing"] > 0
    assert hosts["b2"]["outcome"] == "not_reached" and hosts["b2"]["reason"].startswith("clinic stopped")
    assert all(h["audited_before"] and h["audited_after"] for h in hosts.values()), \
        "every targeted PC is audited before and after, even the unreachable canary"
    assert clinics["Klinik B"]["counts"]["not_reached"] == 1 and clinics["Klinik A"]["counts"]["done"] == 3
    assert report["totals"]["fixed"] == sum(h["counts"]["fixed"] for h in hosts.values())
    page = (canary_run["directory"] / "rollout.html").read_text(encoding="utf-8")
    assert "Klinik B" in page and "Stopped: canary b1 failed" in page and "Newly failing" in page
    assert len(audit_runs(canary_run["reports"])) == 2


def test_the_maintenance_window_decision_is_recorded_per_pc(canary_run):
    hosts = canary_run["state"]["hosts"]
    assert hosts["c1"]["enforce"]["window_open"] is False, "Klinik C's window is closed now"
    assert hosts["a1"]["enforce"]["window_open"] is True, "no window means always open"
    report_hosts = {h["host"]: h for c in canary_run["report"]["clinics"] for h in c["hosts"]}
    assert report_hosts["c1"]["window_open"] is False


def test_a_limit_targets_one_wave_only(tmp_path):
    region = make_region(tmp_path / "region", [
        ("Klinik A", "SE5591234561-2001", ["a1"], None, 1),
        ("Klinik C", "SE5591234561-2003", ["c1", "c2"], None, 2),
    ], {"a1": (FAILING, FAILING), "c1": (FAILING, COMPLIANT), "c2": (COMPLIANT, COMPLIANT)})
    reports = tmp_path / "reports"
    done = rollout(region, reports, "--limit", "localhost,wave_2")
    assert done.returncode == 0, done.stdout[-3000:]
    directory, state = only_rollout(reports)[1:]
    assert sorted(state["hosts"]) == ["c1", "c2"]
    with open(reports / "latest" / "report.json", encoding="utf-8") as handle:
        subjects = json.load(handle)["subjects"]
    assert {s["id"] for s in subjects if s["kind"] == "workstation"} == {"c1", "c2"}
    # The wave's clinic and its care unit only: Klinik A's unit is not in wave 2's audits.
    assert {s["id"] for s in subjects if s["kind"] == "care_unit"} == {"SE5591234561-2003"}, \
        sorted({(s["kind"], s["id"]) for s in subjects})


def test_an_interrupted_rollout_resumes_without_repeating_completed_steps(tmp_path):
    region = make_region(tmp_path / "region", [
        ("Klinik A", "SE5591234561-2001", ["a1", "a2", "a3"], None, 1),
    ], {"a1": (FAILING, COMPLIANT), "a2": (FAILING, COMPLIANT), "a3": (FAILING, COMPLIANT)}, slow=("a3",))
    reports = tmp_path / "reports"
    command = [os.path.join(BIN, "ansible-playbook"), "playbooks/rollout.yml", "-i", str(region),
               "-e", "webcert_reports_dir=%s" % reports, "-e", json.dumps({"webcert_rollout_serial": [1]})]
    log = open(tmp_path / "first.log", "w", encoding="utf-8")
    first = subprocess.Popen(command, cwd=REPO, env=ansible_env(), stdout=log, stderr=subprocess.STDOUT)
    try:
        # Interrupt (Ctrl-C) while a3 waits for its connection: a1 (canary) and a2 are done by then.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                state = only_rollout(reports)[2]
            except (FileNotFoundError, ValueError):
                state = None
            if state and (state["hosts"]["a2"]["enforce"] or {}).get("status") == "done":
                break
            assert first.poll() is None, (tmp_path / "first.log").read_text()
            time.sleep(0.2)
        else:
            pytest.fail("a2 was not enforced within two minutes:\n" + (tmp_path / "first.log").read_text())
        time.sleep(2)
        first.send_signal(signal.SIGINT)
        first.wait(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
        log.close()
    assert first.returncode != 0
    rollout_id, directory, state = only_rollout(reports)
    assert state["hosts"]["a3"]["enforce"] is None and state["audit_after"] is None
    assert not (directory / "rollout.json").exists()
    before_run = state["audit_before"]["run_id"]
    assert audit_runs(reports) == [before_run]

    # The PC is back (reachable now); resume with the rollout id.
    (region / "host_vars" / "a3.yml").write_text(json.dumps({
        "ansible_connection": "local",
        "webcert_evidence_file": "files/evidence/{{ webcert_rollout_phase | default('before') }}/a3.json"}))
    resumed = rollout(region, reports, "-e", "webcert_rollout_id=%s" % rollout_id,
                      "-e", json.dumps({"webcert_rollout_serial": [1]}))
    assert resumed.returncode == 0, resumed.stdout[-4000:]
    state = only_rollout(reports)[2]
    assert [len(state["hosts"][h]["attempts"]) for h in ("a1", "a2", "a3")] == [1, 1, 1], \
        "completed PCs are not enforced again"
    assert "(resumed): 1 clinic(s), 0 canary PC(s) and 1 other PC(s) to enforce" in resumed.stdout
    assert state["audit_before"]["run_id"] == before_run, "the audit before is not repeated"
    runs = audit_runs(reports)
    assert len(runs) == 2 and state["audit_after"]["run_id"] == runs[1]
    assert len(state["resumed_at"]) == 1
    with open(directory / "rollout.json", encoding="utf-8") as handle:
        report = json.load(handle)
    assert report["totals"]["done"] == 3 and report["totals"]["fixed"] > 0


def test_resuming_with_another_limit_is_refused(canary_run):
    rollout_id = canary_run["state"]["rollout_id"]
    region = canary_run["directory"].parent.parent.parent / "region"
    refused = rollout(region, canary_run["reports"], "-e", "webcert_rollout_id=%s" % rollout_id,
                      "--limit", "localhost,clinic_klinik_a")
    assert refused.returncode != 0
    assert "Resume with the same --limit" in refused.stdout and "missing now: b1, b2, c1, c2" in refused.stdout


def small_region(root):
    return make_region(root / "region", [("Klinik A", "SE5591234561-2001", ["a1", "a2"], None, 1)],
                       {"a1": (FAILING, COMPLIANT), "a2": (FAILING, COMPLIANT)})


@pytest.mark.parametrize("options,said", [
    (["--check"], "rollout.yml does not run in check mode"),
    (["--tags", "webcert_registry"], "rollout.yml does not take --tags or --skip-tags (webcert_registry)"),
    (["--skip-tags", "webcert_time"], "rollout.yml does not take --tags or --skip-tags (webcert_time)"),
])
def test_a_dry_run_or_a_tagged_rollout_is_refused_and_records_nothing(tmp_path, options, said):
    """Before: --check recorded every PC as done (and a resume then enforced nothing); --tags ran nothing, exit 0."""
    reports = tmp_path / "reports"
    refused = rollout(small_region(tmp_path), reports, *options)
    assert refused.returncode != 0, refused.stdout[-3000:]
    assert said in " ".join(refused.stdout.split()), refused.stdout[-3000:]
    assert not (reports / "rollouts").exists() or not os.listdir(reports / "rollouts"), "nothing is recorded"
    assert not reports.exists() or not audit_runs(reports), "no audit ran"


def test_a_limit_without_the_controller_is_refused_with_the_audits_message(tmp_path):
    """Before: 'HostVarsVars has no attribute webcert_rollout'."""
    refused = rollout(small_region(tmp_path), tmp_path / "reports", "--limit", "clinic_klinik_a")
    assert refused.returncode != 0
    text = " ".join(refused.stdout.split())
    assert "The rollout needs the controller (localhost)" in text and "--limit 'localhost,clinic_klinik_a'" in text
    assert "HostVarsVars" not in refused.stdout


def test_a_marked_canary_left_out_by_limit_is_replaced_and_said(tmp_path):
    region = small_region(tmp_path)
    variables = json.loads((region / "host_vars" / "a1.yml").read_text())
    (region / "host_vars" / "a1.yml").write_text(json.dumps(dict(variables, webcert_rollout_canary=True)))
    done = rollout(region, tmp_path / "reports", "--limit", "localhost,a2")
    assert done.returncode == 0, done.stdout[-3000:]
    assert "Klinik A: the marked canary a1 is not targeted (--limit); a2 is the canary instead" in done.stdout
    directory = only_rollout(tmp_path / "reports")[1]
    assert "the marked canary a1 is not targeted" in (directory / "rollout.html").read_text(encoding="utf-8")


def test_the_terminal_ends_with_one_rollout_summary_and_the_next_command(canary_run):
    """Before: the run ended with two unlabelled audit tables."""
    out = canary_run["done"].stdout
    rollout_id = canary_run["state"]["rollout_id"]
    ending = out[out.index("PLAY RECAP"):]
    assert "WEBCERT AUDIT SUMMARY" not in out, "no audit tables in a rollout's ending"
    assert out.count("WEBCERT ROLLOUT SUMMARY") == 1
    summary = ending[ending.index("WEBCERT ROLLOUT SUMMARY"):].splitlines()
    assert summary[1] == "Rollout %s: Not finished: stopped in 1 clinic(s): Klinik B; 2 PC(s) not enforced " \
        "(1 failed, 1 not reached)" % rollout_id
    assert any(line.startswith("  wave 1, Klinik B: 0 enforced, 0 pending, 1 failed, 1 not reached") for line in summary)
    assert [line.split(",")[1].split(":")[0].strip() for line in summary if line.startswith("  wave")] == \
        ["Klinik A", "Klinik B", "Klinik C"], "clinics in wave order"
    reports = canary_run["reports"]
    # The inventory as the run named it, relative to the repository (where the command runs).
    region = os.path.relpath(canary_run["directory"].parent.parent.parent / "region", REPO)
    assert "Next: ansible-playbook playbooks/rollout.yml -i %s -e webcert_rollout_id=%s -e webcert_reports_dir=%s" % (
        region, rollout_id, reports) in summary
    assert ending.index("Audit before the rollout:") < ending.index("Audit after the rollout:") < \
        ending.index("WEBCERT ROLLOUT SUMMARY")
