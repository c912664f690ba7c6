"""The webcert_register inventory plugin through real ansible-inventory / ansible-playbook runs, and the
example region described by its register (inventories/example-register). Its secrets are not in the
inventory (AWX syncs an inventory with no vault password): they come from the environment, or on a
controller from a vaulted file given as extra variables."""

import json
import os

from ansible_cli import REPO, ansible_env, run_ansible

REGION = os.path.join(REPO, "inventories", "example-register")
VAULT_PASSWORD = os.path.join(REGION, "files", "vault-password-TEST-ONLY.txt")
VAULTED_SECRETS = os.path.join(REGION, "files", "secrets.vault.yml")
SECRETS = ("example-winrm-password-TEST-ONLY", "example-hsa-bind-password-TEST-ONLY")


def listing(*args):
    done = run_ansible("ansible-inventory", *args, "--list")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def unsafe(value):
    return value.get("__ansible_unsafe", value) if isinstance(value, dict) else value


def clinics_of(inventory):
    variables = inventory["_meta"]["hostvars"]
    return {group: {host: (unsafe(variables[host]["webcert_clinic"]), unsafe(variables[host]["webcert_care_unit_hsa_id"]))
                    for host in inventory[group]["hosts"]}
            for group in inventory["webcert_workstations"]["children"]}


def test_the_register_builds_the_same_clinics_as_the_hand_written_example():
    by_hand = listing("-i", os.path.join(REPO, "inventories", "example"))
    from_register = listing("-i", REGION)  # no vault password: the inventory holds no secret
    assert clinics_of(from_register) == clinics_of(by_hand)
    variables = from_register["_meta"]["hostvars"]
    assert unsafe(variables["mo-ws04"]["ansible_connection"]) == "winrm"
    assert unsafe(variables["vce-ws01"]["webcert_maintenance_window"]).startswith("Mon-Fri 18:00-06:00")
    assert sorted(from_register["wave_2"]["hosts"]) == ["mo-ws01", "mo-ws02", "mo-ws03", "mo-ws04"]
    assert sorted(from_register["care_unit_se5591234561_1001"]["hosts"]) == ["vce-ws01", "vce-ws02", "vce-ws03", "vce-ws04"]
    assert unsafe(variables["mo-ws01"]["webcert_profile"]) == "inera-2024", "group_vars of a clinic group still apply"


def test_a_bad_register_stops_the_run_and_loads_nothing(tmp_path):
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "register.csv").write_text(
        "clinic,care_unit_hsa_id,hosts,connection\nKlinik A,SE5591234561-1001,ws1 ws2,psrp\nKlinik B,SE5591234561-1002,ws2,psrp\n")
    (tmp_path / "region.webcert_register.yml").write_text("plugin: webcert.fleet.webcert_register\npath: files/register.csv\n")
    done = run_ansible("ansible-playbook", "playbooks/audit.yml", "-i", tmp_path, "-e", "webcert_reports_dir=%s" % (tmp_path / "r"))
    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert "register.csv: line 3, column 'hosts': host ws2 is in two clinics" in output
    assert not (tmp_path / "r").exists(), "nothing was audited"


def test_the_vaulted_secrets_are_used_and_never_printed(tmp_path, hsa_directory_factory):
    """The HSA bind password comes from the vaulted extra-variables file (no environment variable): the directory
    is read with it, and even at -vvv it appears nowhere in the output."""
    directory = hsa_directory_factory(password=SECRETS[1])
    done = run_ansible("ansible-playbook", "playbooks/hsa.yml", "-i", REGION, "--vault-password-file", VAULT_PASSWORD,
                       "-e", "@" + VAULTED_SECRETS,
                       "-e", "webcert_reports_dir=%s" % tmp_path, "-e", "webcert_hsa_uri=%s" % directory["uri"],
                       "-e", "webcert_hsa_bind_dn=%s" % directory["bind_dn"], "-e", "webcert_hsa_base_dn=%s" % directory["base_dn"],
                       "-vvv")
    assert done.returncode == 0, done.stdout[-3000:]
    for secret in SECRETS:
        assert secret not in done.stdout and secret not in done.stderr
    with open(tmp_path / "latest" / "report.json", encoding="utf-8") as handle:
        report = json.load(handle)
    provider = next(s for s in report["subjects"] if s["kind"] == "care_provider")
    assert provider["status"] == "judged", provider.get("error")


def test_the_inventory_holds_no_vaulted_data():
    """AWX gives inventory updates no vault credential: nothing under the region may need one to load."""
    for folder, _dirs, files in os.walk(REGION):
        if os.path.relpath(folder, REGION).split(os.sep)[0] == "files":
            continue  # not inventory (ansible.cfg: ignore_patterns)
        for name in files:
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                assert "$ANSIBLE_VAULT" not in handle.read(), os.path.join(folder, name)


def test_the_secrets_come_from_the_environment_as_an_awx_credential_injects_them(hsa_directory_factory, tmp_path):
    """What the custom credential type of playbooks/awx-objects.yml injects: WEBCERT_HSA_BIND_PASSWORD."""
    directory = hsa_directory_factory(password=SECRETS[1])
    done = run_ansible("ansible-playbook", "playbooks/hsa.yml", "-i", REGION, "-e", "webcert_reports_dir=%s" % tmp_path,
                       "-e", "webcert_hsa_uri=%s" % directory["uri"], "-e", "webcert_hsa_bind_dn=%s" % directory["bind_dn"],
                       "-e", "webcert_hsa_base_dn=%s" % directory["base_dn"],
                       env=ansible_env(WEBCERT_HSA_BIND_PASSWORD=SECRETS[1]))
    assert done.returncode == 0, done.stdout[-3000:]
    with open(tmp_path / "latest" / "report.json", encoding="utf-8") as handle:
        report = json.load(handle)
    provider = next(s for s in report["subjects"] if s["kind"] == "care_provider")
    assert provider["status"] == "judged", provider.get("error")


def test_a_swedish_windows_1252_register_with_trailing_empty_cells_loads_through_the_plugin_options(tmp_path):
    """Issue 19: a register as Excel on a Swedish Windows exports it: its own headers (option columns),
    Windows-1252 (option encoding), empty cells after the last column."""
    (tmp_path / "register.csv").write_bytes((
        "Mottagning;Vårdenhetens HSA-id;Datorer;Anslutning;Våg;;\n"
        "Vårdcentralen Ängsö;SE5591234561-1001;vce-ws[01:02];psrp;1;;\n"
        "Mottagning Öst;SE5591234561-1002;mo-ws01;winrm;2;;\n").encode("cp1252"))
    (tmp_path / "region.webcert_register.yml").write_text(
        "plugin: webcert.fleet.webcert_register\npath: register.csv\nencoding: cp1252\n"
        "columns:\n  clinic: Mottagning\n  care_unit_hsa_id: Vårdenhetens HSA-id\n  hosts: Datorer\n"
        "  connection: Anslutning\n  wave: Våg\n", encoding="utf-8")
    inventory = listing("-i", str(tmp_path / "region.webcert_register.yml"))
    variables = inventory["_meta"]["hostvars"]
    assert sorted(inventory["clinic_vardcentralen_angso"]["hosts"]) == ["vce-ws01", "vce-ws02"]
    assert unsafe(variables["vce-ws02"]["webcert_clinic"]) == "Vårdcentralen Ängsö"
    assert unsafe(variables["mo-ws01"]["webcert_clinic"]) == "Mottagning Öst"
    assert unsafe(variables["mo-ws01"]["ansible_connection"]) == "winrm"
