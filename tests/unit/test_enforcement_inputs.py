"""Enforce-mode inputs: the site list template against schema v.2, region entries, installers, CA files,
tag selection, and the management-channel guard (catalogue and inventory values)."""

import os
import shutil
import subprocess

import pytest
import yaml
from xml.etree import ElementTree

import enforce_simulator
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.browser_policy import parse_site_list
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.base import Inputs
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.plan import enforcement_plan
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.site_list import SITE_LIST_COMPAT_MODES, SITE_LIST_OPEN_IN, merge_site_list
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import CatalogueError, WebcertError

CATALOGUE = os.path.join(os.path.dirname(__file__), "..", "..", "controls")
WEBCERT = {"url": "webcert.intygstjanster.se", "compat_mode": "IE11", "open_in": "IE11", "allow_redirect": True}


def test_the_site_list_template_renders_schema_v2():
    sites = [WEBCERT, {"url": "idp.region.invalid", "compat_mode": "default", "open_in": "None", "allow_redirect": False},
             {"url": "[fe80::1]:8443/a&b", "compat_mode": "IE8Enterprise", "open_in": "MSEdge", "allow_redirect": False}]
    content = enforce_simulator.render_site_list({"version": 3, "sites": sites})
    root = ElementTree.fromstring(content.encode("utf-8"))
    assert root.tag == "site-list" and root.get("version") == "3"
    for site in root.iter("site"):
        assert "://" not in site.get("url") and "*" not in site.get("url")
        assert site.find("compat-mode").text in SITE_LIST_COMPAT_MODES
        open_in = site.find("open-in")
        assert open_in.text in SITE_LIST_OPEN_IN
        assert set(open_in.attrib) <= {"allow-redirect"} and not site.find("compat-mode").attrib
    # What the audit's parser reads back is exactly what was rendered (the & is escaped, not lost).
    assert parse_site_list(content) == ("3", sites)


def test_merge_keeps_foreign_entries_and_reports_a_conflicting_webcert_entry():
    existing = [{"url": "intranet.region.invalid", "compat_mode": "default", "open_in": "MSEdge", "allow_redirect": False},
                {"url": "webcert.intygstjanster.se", "compat_mode": "default", "open_in": "None", "allow_redirect": False},
                {"url": "webcert.intygstjanster.se/old", "compat_mode": "IE8", "open_in": "IE11", "allow_redirect": False}]
    merged, conflicts = merge_site_list(existing, [WEBCERT])
    assert merged == [existing[0], WEBCERT]
    assert len(conflicts) == 2 and "open-in None" in conflicts[0] and "/old" in conflicts[1]
    assert merge_site_list(merged, [WEBCERT]) == (merged, [])  # unchanged: no version bump follows


@pytest.mark.parametrize("entry, problem", [
    ({"url": "https://journal.invalid"}, "without protocol"),
    ({"url": "*.region.invalid"}, "wildcard"),
    ({"url": "journal.invalid", "open_in": "Chrome"}, "open_in 'Chrome'"),
    ({"url": "journal.invalid", "compat_mode": "IE12"}, "compat_mode 'IE12'"),
    ({"url": "journal.invalid", "colour": "red"}, "unknown field"),
    ({"url": "webcert.intygstjanster.se"}, "Webcert's own entry"),
])
def test_a_bad_region_site_list_entry_is_named(entry, problem):
    with pytest.raises(WebcertError, match=r"webcert_site_list: entries\[0\].*" + problem):
        enforcement_plan("inera-classic", inputs=Inputs(site_list={"entries": [entry]}))


@pytest.mark.parametrize("installer, problem", [
    ({"path": "\\\\fs\\netid.exe", "sha256": "xyz", "version": "6.8"}, "sha256 must be"),
    ({"path": "\\\\fs\\netid.exe", "file": "x", "sha256": "ab" * 32, "version": "6.8"}, "exactly one of"),
    ({"path": "\\\\fs\\netid.exe", "sha256": "ab" * 32, "version": "6.6"}, "older than the control's minimum 6.7"),
    ({"file": "missing.exe", "sha256": "ab" * 32, "version": "6.8"}, "does not exist on the controller"),
])
def test_a_bad_installer_is_named_before_anything_runs(installer, problem):
    with pytest.raises(WebcertError, match="webcert_card_client_installers: WS-NETID-VERSION: .*" + problem):
        enforcement_plan("inera-classic", inputs=Inputs(installers={"WS-NETID-VERSION": installer}))


def test_a_ca_file_with_another_thumbprint_is_refused(tmp_path):
    other = tmp_path / "other.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(tmp_path / "key"),
                    "-out", str(other), "-days", "1", "-subj", "/CN=Not the SITHS root"], check=True, capture_output=True)
    thumbprint = load_catalogue().settings["siths_root_ca_thumbprint"]["default"]
    with pytest.raises(WebcertError, match="has thumbprint .* not the one it is listed under .*WS-SITHS-ROOT-CA"):
        enforcement_plan("inera-classic", inputs=Inputs(certificate_files={thumbprint: str(other)}))


def test_an_unreadable_ca_file_is_named(tmp_path):
    broken = tmp_path / "broken.cer"
    broken.write_bytes(b"not a certificate")
    with pytest.raises(WebcertError, match="broken.cer: not a readable certificate"):
        enforcement_plan("inera-classic", inputs=Inputs(certificate_files={"AB" * 20: str(broken)}))


def test_tags_select_controls_and_families():
    only_site_list = enforcement_plan("inera-classic", only=["WS-EDGE-SITELIST"])
    assert [i["control_id"] for items in only_site_list.values() for i in items] == ["WS-EDGE-SITELIST"]
    services = enforcement_plan("inera-classic", only=["services"], skip=["WS-TIME-SERVICE"])
    assert {i["control_id"] for i in services["services"]} == {
        "WS-SCARD-SERVICE", "WS-SCDEVICEENUM-SERVICE", "WS-CERTPROP-SERVICE", "WS-CERTPROP-MD-DISABLED"}
    assert not any(items for family, items in services.items() if family != "services")


def _catalogue_with(tmp_path, control):
    for name in os.listdir(CATALOGUE):
        shutil.copy(os.path.join(CATALOGUE, name), tmp_path / name)
    with open(tmp_path / "workstation.yml", encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    data["controls"].append(control)
    with open(tmp_path / "workstation.yml", "w", encoding="utf-8") as handle:
        yaml.safe_dump(data, handle)
    return tmp_path


def _control(check, **extra):
    return dict({"id": "WS-CHANNEL", "title": "t", "requirements": ["REQ-WS-1"], "source": "a test", "scope": "workstation",
                 "profiles": ["inera-classic"], "impact": "low", "check": check, "enforceable": True,
                 "remediation": "r"}, **extra)


@pytest.mark.parametrize("check", [
    {"type": "service", "name": "WinRM", "start_mode": {"equals": "Disabled"}},
    {"type": "service", "name": "sshd", "state": {"equals": "Stopped"}},
    {"type": "registry_value", "path": "HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service",
     "name": "AllowAutoConfig", "expect": {"equals": 0}},
    {"type": "registry_value", "path": "HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System",
     "name": "LocalAccountTokenFilterPolicy", "expect": {"equals": 0}},
])
def test_the_guard_rejects_a_catalogue_control_that_would_cut_the_channel(tmp_path, check):
    with pytest.raises(CatalogueError, match="control WS-CHANNEL .*management-channel guard"):
        load_catalogue(str(_catalogue_with(tmp_path, _control(check))), cache=False)


def test_the_guard_rejects_an_inventory_setting_that_would_cut_the_channel(tmp_path):
    control = _control({"type": "service", "name": "WinRM", "start_mode": {"equals": {"setting": "channel_test_mode"}}})
    directory = _catalogue_with(tmp_path, control)
    with open(directory / "settings.yml", "a", encoding="utf-8") as handle:
        handle.write("  channel_test_mode:\n    default: Automatic\n    description: a test start mode\n")
    catalogue = load_catalogue(str(directory), cache=False)  # harmless with the default
    with pytest.raises(CatalogueError, match="control WS-CHANNEL .*channel Ansible uses"):
        enforcement_plan("inera-classic", {"channel_test_mode": "Disabled"}, catalogue=catalogue)
