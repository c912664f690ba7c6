"""Role contract tests: the REAL role webcert.fleet.webcert_workstation run by ansible-playbook under the pinned
ansible-core, on a local connection, with every Windows module it calls replaced by a recording stand-in.

These tests are NOT Windows and prove nothing about Windows: the stand-ins (tests/integration/role_contract/)
return what each module's documentation says it returns (changed, reboot_required, rc, values, services, ...),
record their arguments, and change a simulated PC (evidence as the collector returns it, plus files, packages,
clock offset and reboots). What runs for real is everything of the role that runs on the controller: the plan
(webcert_enforce_plan and the judges), Jinja, conditionals, loops, includes, registered results, the site-list
template and the reboot logic. The live scenarios molecule/windows and molecule/windows-enforce cover Windows.

How the stand-ins are found: ANSIBLE_COLLECTIONS_PATH holds first a copy of webcert.fleet made of links to
this checkout, with the PowerShell modules it calls replaced by Python stand-ins (a local connection prefers
.py), then a fake ansible.windows; sys.path is not scanned, so the real ansible.windows cannot be reached.
"""

import getpass
import hashlib
import json
import ntpath
import os
import re
import subprocess
import sys

import pytest

from ansible_cli import ansible_env, run_ansible

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CONTRACT = os.path.join(REPO, "tests", "integration", "role_contract")
FIXTURE = os.path.join(REPO, "tests", "fixtures", "evidence", "win10-22h2-compliant.json")
ROLE_TASKS = os.path.join(REPO, "roles", "webcert_workstation", "tasks")
# webcert.fleet's own Windows modules the role calls, directly or through webcert_enforce_plan.
FLEET_STANDINS = sorted(name[:-3] for name in os.listdir(os.path.join(CONTRACT, "fleet_modules")) if name.endswith(".py"))
SHARE_INSTALLER = "\\\\region-fs\\packages$\\iidsetup.exe"
NETID = {"name": "Net iD Enterprise", "version": "6.8.5.0", "publisher": "Pointsharp AB", "architecture": "x64",
         "key": "HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{8E0F7A54-3B1C-4D2A-9E6F-1A2B3C4D5E6F}"}
OPERATION = re.compile(r"WS-[A-Z0-9-]+: (?:set|remove|write|service|import|enable|install|upgrade|resynchronise) ")
# Everything the role may call that changes the PC (webcert_evidence and win_stat only read).
WRITERS = {"webcert.fleet.webcert_registry_policy", "webcert.fleet.webcert_service_policy", "ansible.windows.win_copy",
           "ansible.windows.win_template", "ansible.windows.win_certificate_store", "ansible.windows.win_package",
           "ansible.windows.win_optional_feature", "ansible.windows.win_command", "ansible.windows.win_reboot"}


@pytest.fixture(scope="module")
def collections(tmp_path_factory):
    """webcert.fleet as links to this checkout, except its Windows modules (stand-ins), then the fake
    ansible.windows."""
    root = tmp_path_factory.mktemp("collections")
    fleet = root / "ansible_collections" / "webcert" / "fleet"
    (fleet / "plugins" / "modules").mkdir(parents=True)
    for name in os.listdir(REPO):
        if name not in {".git", ".venv", ".collections", ".ansible", ".cache", "tests", "plugins", "reports"}:
            os.symlink(os.path.join(REPO, name), fleet / name)
    for name in os.listdir(os.path.join(REPO, "plugins")):
        if name != "modules":
            os.symlink(os.path.join(REPO, "plugins", name), fleet / "plugins" / name)
    for name in os.listdir(os.path.join(REPO, "plugins", "modules")):
        if os.path.splitext(name)[0] not in FLEET_STANDINS:
            os.symlink(os.path.join(REPO, "plugins", "modules", name), fleet / "plugins" / "modules" / name)
    for name in FLEET_STANDINS:
        os.symlink(os.path.join(CONTRACT, "fleet_modules", name + ".py"), fleet / "plugins" / "modules" / (name + ".py"))
    return "%s:%s" % (root, os.path.join(CONTRACT, "collections"))


def _thumbprint(path):
    out = subprocess.run(["openssl", "x509", "-in", str(path), "-noout", "-fingerprint", "-sha1"], check=True,
                         capture_output=True, text=True).stdout
    return out.strip().split("=", 1)[1].replace(":", "").upper()


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    """Region inputs that give every family work on the PC below: a root CA file the PC lacks, an NTP source,
    the region's own site-list entry and a Net iD installer (on the controller)."""
    directory = tmp_path_factory.mktemp("region")
    root = directory / "root.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(root) + ".key", "-out",
                    str(root), "-days", "3650", "-subj", "/CN=SITHS e-id Root CA v2/O=Inera AB/C=SE"],
                   check=True, capture_output=True)
    installer = directory / "iidsetup.exe"
    installer.write_bytes(b"MZ stand-in installer bytes")
    thumbprint = _thumbprint(root)
    return {"installer": str(installer), "installer_bytes": installer.read_bytes(),
            "sha256": hashlib.sha256(installer.read_bytes()).hexdigest(), "hostvars": {
                "webcert_profile": "inera-classic",
                "webcert_settings": {"siths_root_ca_thumbprint": thumbprint},
                "webcert_workstation_certificate_files": {thumbprint: str(root)},
                "webcert_ntp_server": "ntp.region.invalid,0x8",
                # The region owns the site-list policy: enforce may point the PC at its own list.
                "webcert_site_list": {"owns_policy": True,
                                      "entries": [{"url": "journal.region.invalid", "compat_mode": "IE8Enterprise",
                                                   "open_in": "IE11"}]},
                "webcert_card_client_installers": {"WS-NETID-VERSION": {
                    "file": str(installer), "sha256": hashlib.sha256(installer.read_bytes()).hexdigest(),
                    "version": "6.8.5"}},
                "webcert_reboot_allowed": True}}


def pc_state(region, **changes):
    """A PC that needs every family: IE11 feature off, smart-card service and Windows Time disabled (Windows Time
    gets the region's NTP source with its fix), Net iD missing, clock 8 minutes slow, no Edge site list policy, the
    region's root CA not trusted. Enforce writes only what the audit fails, so each is broken here."""
    with open(FIXTURE, encoding="utf-8") as handle:
        evidence = json.load(handle)
    evidence["optional_features"]["Internet-Explorer-Optional-amd64"]["state"] = "Disabled"
    evidence["services"]["SCardSvr"]["start_mode"] = "Disabled"
    evidence["services"]["W32Time"].update(start_mode="Disabled", state="Stopped")
    edge = evidence["registry"]["HKLM:\\SOFTWARE\\Policies\\Microsoft\\Edge"]["values"]
    edge.pop("InternetExplorerIntegrationSiteList", None)
    evidence["products"] = [p for p in evidence["products"] if p["name"] != NETID["name"]]
    state = {"evidence": evidence, "files": {}, "clock_offset_seconds": -480, "reboots": 0, "signed_in_users": 0,
             "powershell_output": {"explorer.exe": "signed_in_users"}, "feature_reboot_required": True,
             "packages": {"iidsetup.exe": {"rc": 0, "installs": NETID}}}
    state.update(changes)
    return state


class Run:
    """One ansible-playbook run of role_contract/site.yml and what the stand-ins saw."""

    def __init__(self, proc, directory):
        self.proc, self.out = proc, proc.stdout + proc.stderr
        with open(directory / "state.json", encoding="utf-8") as handle:
            self.state = json.load(handle)
        calls = directory / "calls.jsonl"
        self.calls = [json.loads(line) for line in calls.read_text(encoding="utf-8").splitlines()] if calls.exists() else []
        outputs = directory / "outputs.json"
        self.outputs = json.loads(outputs.read_text(encoding="utf-8")) if outputs.exists() else None

    def of(self, module):
        return [call["args"] for call in self.calls if call["module"] == module]

    def writers(self):
        return [call for call in self.calls if call["module"] in WRITERS]

    def ok(self):
        assert self.proc.returncode == 0, self.out[-4000:]
        return self


@pytest.fixture
def run_role(collections, tmp_path):
    """run_role(state, hostvars, *extra args) -> Run; the state persists across calls in one test (a second run
    sees the PC the first one left)."""
    directory = tmp_path / "pc"
    directory.mkdir()

    def run(state, hostvars, *extra):
        if state is not None:
            (directory / "state.json").write_text(json.dumps(state), encoding="utf-8")
        for name in ("calls.jsonl", "outputs.json"):
            if (directory / name).exists():
                (directory / name).unlink()
        host = dict(hostvars, ansible_connection="local", ansible_python_interpreter=sys.executable)
        inventory = tmp_path / "inventory.json"
        inventory.write_text(json.dumps({"webcert_workstations": {"hosts": {"ws-classic": host}}}), encoding="utf-8")
        env = ansible_env(ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false",
                          WEBCERT_CONTRACT_DIR=str(directory), ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"))
        env.pop("PYTHONPATH", None)
        proc = run_ansible("ansible-playbook", os.path.join(CONTRACT, "site.yml"), "-i", inventory, *extra, env=env)
        return Run(proc, directory)

    return run


def with_vars(region, **changes):
    return dict(region["hostvars"], **changes)


def test_the_stand_ins_shadow_every_windows_module_the_role_names():
    """A module the role calls without a stand-in would make these tests fail to resolve it, but say so plainly."""
    named = set()
    for name in os.listdir(ROLE_TASKS):
        with open(os.path.join(ROLE_TASKS, name), encoding="utf-8") as handle:
            for line in handle:
                stripped = line.strip()
                if stripped.startswith(("ansible.windows.", "webcert.fleet.")) and stripped.endswith(":"):
                    named.add(stripped[:-1])
    fake = os.path.join(CONTRACT, "collections", "ansible_collections", "ansible", "windows", "plugins")
    shadowed = {"ansible.windows." + os.path.splitext(n)[0] for d in ("modules", "action")
                for n in os.listdir(os.path.join(fake, d)) if n.endswith(".py")}
    shadowed |= {"webcert.fleet." + n for n in FLEET_STANDINS} | {"webcert.fleet.webcert_enforce_plan"}
    assert named and named <= shadowed, named - shadowed


def test_apply_mode_runs_every_task_file_and_a_second_run_changes_nothing(run_role, region):
    first = run_role(pc_state(region), with_vars(region)).ok()
    included = {os.path.basename(line.split("included: ", 1)[1].split(" for ", 1)[0])
                for line in first.out.splitlines() if line.startswith("included: ") and ".yml for " in line}
    assert included | {"main.yml"} == set(os.listdir(ROLE_TASKS))
    registry = {(v["path"].rsplit("\\", 1)[-1], v["name"]): v["data"] for v in first.of("webcert.fleet.webcert_registry_policy")[0]["values"]}
    assert registry[("Parameters", "NtpServer")] == "ntp.region.invalid,0x8"
    assert first.of("webcert.fleet.webcert_service_policy")[0]["services"] == [
        {"control_id": "WS-SCARD-SERVICE", "name": "SCardSvr", "start_mode": "manual", "state": None},
        {"control_id": "WS-TIME-SERVICE", "name": "W32Time", "start_mode": "auto", "state": "started"}]
    (template,) = first.of("ansible.windows.win_template")
    assert template["dest"] == "C:\\ProgramData\\webcert-fleet\\EnterpriseModeSiteList.xml"
    assert 'url="journal.region.invalid"' in template["content"].replace("<site url=", 'url=') or \
        "journal.region.invalid" in template["content"]
    assert "\r\n" in template["content"]
    assert [c["store_name"] for c in first.of("ansible.windows.win_certificate_store")] == ["Root"]
    assert first.of("ansible.windows.win_optional_feature")[0]["name"] == ["Internet-Explorer-Optional-amd64"]
    (copy,) = first.of("ansible.windows.win_copy")[-1:]
    (package,) = first.of("ansible.windows.win_package")
    assert ntpath.basename(package["path"]) == "iidsetup.exe" and package["path"] == copy["dest"]
    assert [c["argv"] for c in first.of("ansible.windows.win_command")] == [
        ["w32tm.exe", "/config", "/update"], ["w32tm.exe", "/resync", "/rediscover"]]
    assert len(first.of("ansible.windows.win_reboot")) == 1 and first.state["reboots"] == 1
    # The temporary copies are gone from the PC again.
    assert all(not name.startswith("C:\\Users\\ansible\\AppData\\Local\\Temp") for name in first.state["files"])
    assert first.outputs["enforcement"]["check_mode"] is False and first.outputs["enforcement"]["reboot_pending"] is False

    second = run_role(None, with_vars(region)).ok()
    assert second.writers() == [], second.writers()
    # What is left are notes (a control that does not apply), never an operation.
    assert [line for line in second.outputs["enforcement"]["changes"] if OPERATION.match(line)] == []
    assert [line for line in first.outputs["enforcement"]["changes"] if OPERATION.match(line)]
    assert "changed=0" in second.out


def test_check_mode_plans_every_family_and_changes_nothing(run_role, region):
    state = pc_state(region)
    run = run_role(state, with_vars(region), "--check", "--diff").ok()
    assert run.state == json.loads(json.dumps(state))
    allowed = {"webcert.fleet.webcert_registry_policy", "webcert.fleet.webcert_service_policy",
               "ansible.windows.win_template", "ansible.windows.win_optional_feature", "ansible.windows.win_reboot"}
    assert {c["module"] for c in run.writers()} <= allowed
    assert all(c["check_mode"] for c in run.writers())
    assert "would install to 6.8.5" in run.out and "would import" in run.out
    assert run.outputs["enforcement"]["check_mode"] is True
    assert any("WS-CLOCK-OFFSET" in line for line in run.outputs["enforcement"]["changes"])


def test_an_installer_from_a_share_is_checked_and_run_where_it_is(run_role, region):
    installers = {"WS-NETID-VERSION": {"path": SHARE_INSTALLER, "sha256": region["sha256"], "version": "6.8.5"}}
    state = pc_state(region, files={SHARE_INSTALLER: region["installer_bytes"].decode("latin-1")},
                     packages={SHARE_INSTALLER: {"rc": 0, "installs": NETID}})
    run = run_role(state, with_vars(region, webcert_card_client_installers=installers)).ok()
    assert [c for c in run.of("ansible.windows.win_copy") if c["src"].endswith(".exe")] == []
    assert [t for t in run.of("ansible.windows.win_tempfile") if t["state"] == "directory"] == []
    assert [s["path"] for s in run.of("ansible.windows.win_stat")] == [SHARE_INSTALLER]
    assert [p["path"] for p in run.of("ansible.windows.win_package")] == [SHARE_INSTALLER]
    assert run.outputs["share_become"] is False  # no share account given: the WinRM session reads it


def test_a_share_account_is_used_for_the_share_only(run_role, region):
    """With webcert_share_become_user the hash and the install of a UNC installer ask for runas new_credentials
    (the double hop). runas itself is Windows-only: on this local connection it changes nothing, and the account
    is this test's own user (another one would make Ansible hand its temporary files over with chown), so this
    checks the decision and that the tasks still run with become set, not Windows."""
    installers = {"WS-NETID-VERSION": {"path": SHARE_INSTALLER, "sha256": region["sha256"], "version": "6.8.5"}}
    state = pc_state(region, files={SHARE_INSTALLER: region["installer_bytes"].decode("latin-1")},
                     packages={SHARE_INSTALLER: {"rc": 0, "installs": NETID}})
    account = dict(webcert_share_become_user=getpass.getuser(), webcert_share_become_password="secret")
    run = run_role(state, with_vars(region, webcert_card_client_installers=installers, **account)).ok()
    assert run.outputs["share_become"] is True
    assert [p["path"] for p in run.of("ansible.windows.win_package")] == [SHARE_INSTALLER]
    # An installer copied from the controller never uses it.
    copied = run_role(pc_state(region), with_vars(region, **account)).ok()
    assert copied.outputs["share_become"] is False


def test_an_installer_with_another_hash_is_never_run(run_role, region):
    installers = {"WS-NETID-VERSION": dict(region["hostvars"]["webcert_card_client_installers"]["WS-NETID-VERSION"],
                                           sha256="AB" * 32)}
    run = run_role(pc_state(region), with_vars(region, webcert_card_client_installers=installers))
    assert run.proc.returncode != 0
    assert "WS-NETID-VERSION" in run.out and "nothing was installed" in run.out
    assert run.of("ansible.windows.win_package") == []
    # The always: branch still removes the temporary folder.
    assert run.of("ansible.windows.win_file")[-1]["state"] == "absent"


def test_no_reboot_where_the_region_does_not_allow_it(run_role, region):
    run = run_role(pc_state(region), with_vars(region, webcert_reboot_allowed=False)).ok()
    assert run.of("ansible.windows.win_reboot") == [] and run.of("ansible.windows.win_powershell") == []
    assert run.outputs["enforcement"]["reboot_pending"] is True
    assert "not allowed here (webcert_reboot_allowed: false)" in run.out


def test_no_reboot_while_a_user_is_signed_in_unless_allowed(run_role, region):
    run = run_role(pc_state(region, signed_in_users=1), with_vars(region)).ok()
    assert run.of("ansible.windows.win_reboot") == [] and len(run.of("ansible.windows.win_powershell")) == 1
    assert run.outputs["enforcement"]["reboot_pending"] is True and "a user is signed in" in run.out

    allowed = run_role(pc_state(region, signed_in_users=1), with_vars(region, webcert_reboot_with_user_signed_in=True)).ok()
    assert len(allowed.of("ansible.windows.win_reboot")) == 1
    assert allowed.outputs["enforcement"]["reboot_pending"] is False


def test_a_closed_maintenance_window_leaves_installs_and_reboots_pending(run_role, region):
    run = run_role(pc_state(region), with_vars(region, webcert_maintenance_window_open=False)).ok()
    for module in ("ansible.windows.win_package", "ansible.windows.win_optional_feature", "ansible.windows.win_reboot"):
        assert run.of(module) == [], module
    assert run.of("webcert.fleet.webcert_registry_policy") and run.of("webcert.fleet.webcert_service_policy")
    pending = " ".join(run.outputs["pending"])
    assert "WS-IE11-FEATURE" in pending and "WS-NETID-VERSION" in pending


def test_a_site_list_the_pc_could_not_fetch_is_never_replaced_by_ours_alone(run_role, region, tmp_path):
    """The region publishes its list on a share the PC could not read over WinRM (double hop): publishing a list
    of Webcert's entries alone would drop every other site of the region."""
    share = "\\\\exk-fs01\\policy$\\sites.xml"
    state = pc_state(region)
    state["evidence"]["registry"]["HKLM:\\SOFTWARE\\Policies\\Microsoft\\Edge"]["values"][
        "InternetExplorerIntegrationSiteList"] = {"type": "REG_SZ", "data": share}
    state["evidence"]["site_lists"]["HKLM:\\SOFTWARE\\Policies\\Microsoft\\Edge\\InternetExplorerIntegrationSiteList"] = {
        "location": share, "content": None, "error": "Access to the path is denied.", "truncated": False}
    published = tmp_path / "published" / "sites.xml"
    published.parent.mkdir()
    site_list = dict(region["hostvars"]["webcert_site_list"], location=share, publish_path=str(published))
    run = run_role(state, with_vars(region, webcert_site_list=site_list)).ok()
    assert not published.exists()
    assert run.of("ansible.windows.win_template") == []
    assert not [v for v in run.of("webcert.fleet.webcert_registry_policy")[0]["values"]
                if v["control_id"] == "WS-EDGE-SITELIST"]
    # The audit cannot judge a list it could not read, so enforce, which asks the judge first, leaves it alone.
    assert "WS-EDGE-SITELIST: left alone: not reviewed: the collector could not read the site list at" in run.out
    assert "Access to the path is denied." in run.out


def test_an_installer_that_restarts_the_pc_itself_is_waited_for_and_not_rebooted_again(run_role, region):
    """Exit code 1641: the installer started the restart. The role waits for the PC (wait_for_connection, here
    on the local connection) and does not reboot a second time for the feature enabled before it."""
    state = pc_state(region, packages={"iidsetup.exe": {"rc": 1641, "installs": NETID}})
    run = run_role(state, with_vars(region, webcert_workstation_installer_restart_delay=0,
                                    webcert_workstation_installer_restart_timeout=30)).ok()
    assert re.search(r"TASK \[webcert\.fleet\.webcert_workstation : Wait for the PC the installer is restarting "
                     r"\(exit code 1641\)\] \*+\nok: \[ws-classic\]", run.out), run.out[-3000:]
    assert run.of("ansible.windows.win_reboot") == [] and run.state["reboots"] == 1
    assert run.outputs["enforcement"]["reboot_pending"] is False


def test_a_3010_install_still_reboots_and_0_waits_for_nothing(run_role, region):
    run = run_role(pc_state(region, feature_reboot_required=False,
                            packages={"iidsetup.exe": {"rc": 3010, "installs": NETID}}), with_vars(region)).ok()
    assert len(run.of("ansible.windows.win_reboot")) == 1
    assert re.search(r"Wait for the PC the installer is restarting \(exit code 1641\)\] \*+\nskipping", run.out)


def test_an_install_that_leaves_the_old_version_fails_the_host(run_role, region):
    """win_package skips an MSI minor update that keeps its ProductCode (changed false): the PC stays at the old
    version, which the role must not report as done (the next run would install again)."""
    old = dict(NETID, version="6.6.0.3")
    state = pc_state(region, packages={"iidsetup.exe": {"already_installed": True, "installs": NETID}})
    state["evidence"]["products"].append(old)
    run = run_role(state, with_vars(region))
    assert run.proc.returncode != 0
    assert "WS-NETID-VERSION: after running" in run.out and "the PC has Net iD Enterprise 6.6.0.3, not version 6.8.5" in run.out
    assert run.of("webcert.fleet.webcert_evidence")[-1] == {"plan": ["product_patterns"]}


def test_a_per_user_install_that_the_audit_cannot_see_fails_instead_of_reinstalling_each_run(run_role, region):
    """The installer put the product in the installing user's HKCU only: HKLM (all WinRM reads) has none."""
    state = pc_state(region, packages={"iidsetup.exe": {"rc": 0, "installs": dict(NETID, name="(per-user entry)")}})
    run = run_role(state, with_vars(region))
    assert run.proc.returncode != 0 and "no matching product in HKLM" in run.out


def test_a_resync_that_fails_right_after_the_config_update_is_retried(run_role, region):
    run = run_role(pc_state(region, resync_failures=1), with_vars(region, webcert_workstation_resync_delay=0)).ok()
    assert [c["argv"][1] for c in run.of("ansible.windows.win_command")] == ["/config", "/resync", "/resync"]
    assert run.state["clock_offset_seconds"] == 0


def test_a_clock_windows_time_will_not_correct_fails_the_host_saying_why(run_role, region):
    run = run_role(pc_state(region, resync_failures=-1), with_vars(region, webcert_workstation_resync_delay=0))
    assert run.proc.returncode != 0
    assert len(run.of("ansible.windows.win_command")) == 1 + 4  # /config /update, then /resync and 3 retries
    assert "WS-CLOCK-OFFSET: w32tm /resync failed" in run.out and "MaxPosPhaseCorrection" in run.out
