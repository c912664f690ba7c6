"""The proof that enforce and audit cannot drift apart: for EVERY enforceable control of both profiles,
applying the operations enforce works out for non-compliant evidence gives evidence the audit judges
`passed`, and a second plan on that evidence changes nothing (idempotence).

Non-compliant evidence is made from realistic fixtures by breaking each applicable enforceable control the
way clinics break it; tests/unit/enforce_simulator.py applies the operations as the role's modules do.
"""

import copy
import json
import os
import subprocess

import pytest

import enforce_simulator
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.browser_policy import (
    BROWSER_POLICY_ROOTS, EDGE_POLICY, HKCU_POLICY_INTERNET_SETTINGS, HKLM_POLICY_INTERNET_SETTINGS)
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.base import Inputs
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.plan import enforcement_changes, enforcement_plan
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import load_evidence_file, lookup, validate_evidence
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.expect import pattern_found
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.judge import judge_control

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "evidence")
INSTALLED = {"WS-NETID-VERSION": ("Net iD Enterprise", "Pointsharp AB"),
             "WS-SITHS-EID-VERSION": ("SITHS eID för Windows", "Inera AB")}
# (fixture, profile): the MD fixture is the one where WS-CERTPROP-MD-DISABLED applies.
SCENARIOS = [("win10-22h2-compliant", "inera-classic"), ("win11-24h2-vendor-reader", "inera-2024"),
             ("siths-md-packaging", "inera-2024"), ("siths-md-packaging", "inera-classic")]


def _openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def _thumbprint(path):
    out = subprocess.run(["openssl", "x509", "-in", path, "-noout", "-fingerprint", "-sha1"], check=True,
                         capture_output=True, text=True).stdout
    return out.strip().split("=", 1)[1].replace(":", "").upper()


def _ca_files(directory):
    """A stand-in SITHS chain made here: a root and the person-issuing CAs it signed, named as the real ones."""
    root = os.path.join(str(directory), "root.pem")
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", root + ".key", "-out", root, "-days", "3650",
             "-subj", "/CN=SITHS e-id Root CA v2/O=Inera AB/C=SE")
    files = {_thumbprint(root): root}
    for index, name in enumerate(load_catalogue().settings["siths_person_issuing_ca_names"]["default"]):
        path = os.path.join(str(directory), "issuing-%d.pem" % index)
        _openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", path + ".key", "-out", path + ".csr",
                 "-subj", "/CN=%s/O=Inera AB/C=SE" % name)
        _openssl("x509", "-req", "-in", path + ".csr", "-CA", root, "-CAkey", root + ".key", "-CAcreateserial",
                 "-out", path, "-days", "3650")
        files[_thumbprint(path)] = path
    return _thumbprint(root), files


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    """A region that gives enforce every input: CA files (the root's thumbprint in its setting), installers,
    the signing origin for siths://, its own site-list entries and an NTP source."""
    directory = tmp_path_factory.mktemp("region")
    root, ca_files = _ca_files(directory)
    installer = directory / "setup.exe"
    installer.write_bytes(b"installer")
    settings = {"siths_root_ca_thumbprint": root, "windows10_esu": True,
                "siths_protocol_origins": ["https://sign.example.invalid"]}
    inputs = Inputs(certificate_files=ca_files, ntp_server="ntp.region.invalid,0x8",
                    installers={"WS-NETID-VERSION": {"file": str(installer), "sha256": "ab" * 32, "version": "6.8.5"},
                                "WS-SITHS-EID-VERSION": {"file": str(installer), "sha256": "cd" * 32,
                                                         "version": "2.1.9034"}},
                    # This region owns the site-list policy: enforce may point PCs away from the share at its own list.
                    site_list={"owns_policy": True,
                               "entries": [{"url": "journal.region.invalid", "compat_mode": "IE8Enterprise",
                                            "open_in": "IE11"}]})
    return settings, inputs


def _key(evidence, path):
    return enforce_simulator._key(evidence, path)  # pylint: disable=protected-access


def _break(control, evidence):
    """Make one control non-compliant in the evidence, the way a clinic PC typically is."""
    check = control["check"]
    kind = check["type"]
    if kind == "registry_value":
        data = control["check"]["expect"].get("equals")
        _key(evidence, check["path"])["values"][check["name"]] = (
            {"type": "REG_DWORD", "data": data + 7} if isinstance(data, int) else {"type": "REG_SZ", "data": "wrong"})
    elif kind == "service":
        service = lookup(evidence["services"], check["name"])
        if "start_mode" in check:
            service["start_mode"] = "Manual" if check["start_mode"] == {"equals": "Disabled"} else "Disabled"
        if "state" in check:
            service.update(state="Stopped", start_mode="Disabled")
    elif kind == "certificate":
        wanted = {t.upper() for t in check.get("thumbprints") or [check.get("thumbprint")] if t}
        names = {n.casefold() for n in check.get("subject_common_names") or []}
        evidence["certificates"][check["store"]] = [
            c for c in evidence["certificates"].get(check["store"], []) if c["thumbprint"].upper() not in wanted
            and not any("cn=%s" % n in (c.get("subject") or "").casefold() for n in names)]
    elif kind == "optional_feature":
        lookup(evidence["optional_features"], check["name"])["state"] = "Disabled"
    elif kind == "ie_site_list":
        # The region's list at a share: Webcert in the wrong mode for the profile (classic wants IE11, 2024 not).
        wrong = "MSEdge" if check.get("expect", "ie11") == "ie11" else "IE11"
        _key(evidence, check["policy_path"])["values"][check["policy_name"]] = {
            "type": "REG_SZ", "data": "\\\\region-fs\\policy$\\sites.xml"}
        evidence.setdefault("site_lists", {})["%s\\%s" % (check["policy_path"], check["policy_name"])] = {
            "location": "\\\\region-fs\\policy$\\sites.xml", "error": None, "truncated": False,
            "content": '<site-list version="7"><site url="intranet.region.invalid"><open-in>MSEdge</open-in></site>'
                       '<site url="%s"><open-in>%s</open-in></site></site-list>' % (check["host"], wrong)}
    elif kind == "ie_zone_javascript":
        _key(evidence, HKLM_POLICY_INTERNET_SETTINGS + "\\ZoneMapKey")["values"] = {
            "https://%s" % check["host"]: {"type": "REG_SZ", "data": "4"}}
        _key(evidence, HKLM_POLICY_INTERNET_SETTINGS + "\\Zones\\4")["values"]["1400"] = {"type": "REG_DWORD", "data": 3}
    elif kind == "edge_javascript":
        machine = BROWSER_POLICY_ROOTS[check.get("browser", "edge")][0]
        _key(evidence, machine + "\\JavaScriptBlockedForUrls")["values"] = {
            "1": {"type": "REG_SZ", "data": "ads.region.invalid"},
            "2": {"type": "REG_SZ", "data": "[*.]%s" % check["host"].split(".", 1)[1]},
            "3": {"type": "REG_SZ", "data": "https://%s:443" % check["host"]}}
        _key(evidence, machine)["values"]["DefaultJavaScriptSetting"] = {"type": "REG_DWORD", "data": 2}
    elif kind == "edge_protocol_autolaunch":
        _key(evidence, BROWSER_POLICY_ROOTS[check.get("browser", "edge")][0])["values"]["AutoLaunchProtocolsFromOrigins"] = {
            "type": "REG_SZ", "data": '[{"protocol":"msteams","allowed_origins":["https://teams.example.invalid"]}]'}
    elif kind == "installed_product":
        for product in evidence["products"]:
            if pattern_found(check["name_pattern"], product["name"]):
                product["version"] = "1.0"
    elif kind == "clock":
        evidence["clock"] = {"utc_now": "2026-11-24T07:42:09.000Z", "time_zone": "W. Europe Standard Time",
                             "reference": {"source": "controller", "before": "2026-11-24T06:42:07.904Z",
                                           "after": "2026-11-24T06:42:11.230Z"}}
    else:
        raise AssertionError("no way to break check type %s: add one to this test" % kind)


def _scenario(fixture, profile, settings, catalogue):
    evidence = prepared_evidence(fixture)
    controls = catalogue.for_profile(profile, "workstation", settings)
    broken = copy.deepcopy(evidence)
    applicable = [c for c in controls if c["enforceable"] and judge_control(c, evidence)["status"] != "not_applicable"]
    for control in applicable:
        _break(control, broken)
    return controls, applicable, validate_evidence(broken, fixture)


def prepared_evidence(fixture):
    """A fixture as the logon collector sees it, with Chrome installed: every enforceable control can apply."""
    evidence = load_evidence_file(os.path.join(FIXTURES, fixture + ".json"))
    # Judged as the logon collector sees it: the user's context and the user's (empty) policy keys.
    evidence["collector"]["user_context"] = "EXK\\test.user"
    for machine, user in BROWSER_POLICY_ROOTS.values():
        for root in (machine, user):
            for path in (root, root + "\\JavaScriptBlockedForUrls", root + "\\JavaScriptAllowedForUrls"):
                evidence["registry"].setdefault(path, {"exists": False, "values": {}})
    for root in (HKLM_POLICY_INTERNET_SETTINGS, HKCU_POLICY_INTERNET_SETTINGS):
        for path in [root, root + "\\ZoneMapKey"] + ["%s\\Zones\\%d" % (root, zone) for zone in range(5)]:
            evidence["registry"].setdefault(path, {"exists": False, "values": {}})
    # Chrome is installed too, so its controls apply (it is optional in inera-2024).
    if not any("chrome" in p["name"].casefold() for p in evidence["products"]):
        evidence["products"].append({"name": "Google Chrome", "version": "131.0.6778.86", "publisher": "Google LLC",
                                     "architecture": "x64", "key": None})
    return evidence


@pytest.mark.parametrize("fixture, profile", SCENARIOS)
def test_enforcing_non_compliant_evidence_makes_the_audit_pass(region, fixture, profile):
    settings, inputs = region
    catalogue = load_catalogue()
    controls, applicable, broken = _scenario(fixture, profile, settings, catalogue)
    before = {c["id"]: judge_control(c, broken)["status"] for c in applicable}
    assert set(before.values()) == {"failed"}, before  # really non-compliant, or the proof proves nothing

    plan = enforcement_plan(profile, settings, catalogue=catalogue, inputs=inputs)
    changes = enforcement_changes(plan, controls, broken)
    after = validate_evidence(enforce_simulator.apply(changes.operations, broken, INSTALLED), "after enforce")
    results = {c["id"]: judge_control(c, after) for c in applicable}
    assert {cid: r["message"] for cid, r in results.items() if r["status"] != "passed"} == {}

    again = enforcement_changes(plan, controls, after)
    assert {family: ops for family, ops in again.operations.items() if ops} == {}


@pytest.mark.parametrize("profile", ["inera-classic", "inera-2024"])
def test_the_proof_covers_every_enforceable_control_of_the_profile(region, profile):
    settings = region[0]
    catalogue = load_catalogue()
    covered = set()
    for fixture, scenario_profile in SCENARIOS:
        if scenario_profile == profile:
            covered |= {c["id"] for c in _scenario(fixture, profile, settings, catalogue)[1]}
    enforceable = {c["id"] for c in catalogue.for_profile(profile, "workstation") if c["enforceable"]}
    assert enforceable - covered == set()


def test_foreign_entries_of_the_region_survive_enforcement(region):
    settings, inputs = region
    catalogue = load_catalogue()
    controls, _applicable, broken = _scenario("win10-22h2-compliant", "inera-classic", settings, catalogue)
    changes = enforcement_changes(enforcement_plan("inera-classic", settings, catalogue=catalogue, inputs=inputs),
                                  controls, broken)
    after = enforce_simulator.apply(changes.operations, broken, INSTALLED)
    site_list = next(iter(after["site_lists"].values()))["content"]
    assert "intranet.region.invalid" in site_list and "journal.region.invalid" in site_list
    assert 'version="8"' in site_list  # the region's list was version 7 and changed
    # Only the block as specific as an allow entry goes; the broader ones lose to the allow entry by precedence.
    blocked = after["registry"][EDGE_POLICY + "\\JavaScriptBlockedForUrls"]["values"]
    assert [v["data"] for v in blocked.values()] == ["ads.region.invalid", "[*.]intygstjanster.se"]
    allowed = after["registry"][EDGE_POLICY + "\\JavaScriptAllowedForUrls"]["values"]
    assert [v["data"] for v in allowed.values()] == ["https://webcert.intygstjanster.se:443"]
    notes = " ".join(n["note"] for n in changes.notes)
    assert "replaced the entry for webcert.intygstjanster.se (open-in MSEdge" in notes


def test_other_protocols_keep_their_auto_launch_entries(region):
    settings, inputs = region
    catalogue = load_catalogue()
    controls, _applicable, broken = _scenario("win11-24h2-vendor-reader", "inera-2024", settings, catalogue)
    changes = enforcement_changes(enforcement_plan("inera-2024", settings, catalogue=catalogue, inputs=inputs),
                                  controls, broken)
    after = enforce_simulator.apply(changes.operations, broken, INSTALLED)
    entries = json.loads(after["registry"][EDGE_POLICY]["values"]["AutoLaunchProtocolsFromOrigins"]["data"])
    assert entries == [{"protocol": "msteams", "allowed_origins": ["https://teams.example.invalid"]},
                       {"protocol": "siths", "allowed_origins": ["https://sign.example.invalid"]}]


@pytest.mark.parametrize("fixture, profile", [("win10-22h2-compliant", "inera-classic")])
def test_the_regions_own_site_list_is_never_re_pointed(region, fixture, profile):
    """Edge uses the region's list on a share, which lacks a right Webcert entry: without owns_policy enforce writes
    nothing to the PC, says which <site> entry to add there, and hands the merged list to the report."""
    settings, inputs = region
    catalogue = load_catalogue()
    controls, _applicable, broken = _scenario(fixture, profile, settings, catalogue)
    region_inputs = Inputs(site_list={"entries": inputs.site_list["entries"]}, certificate_files={})
    changes = enforcement_changes(enforcement_plan(profile, settings, catalogue=catalogue, inputs=region_inputs,
                                                   only=["WS-EDGE-SITELIST"]), controls, broken)
    assert {family: ops for family, ops in changes.operations.items() if ops} == {}
    note = " ".join(n["note"] for n in changes.notes if n["control_id"] == "WS-EDGE-SITELIST")
    assert "region's site list at \\\\region-fs\\policy$\\sites.xml" in note
    assert ('<site url="webcert.intygstjanster.se"><compat-mode>IE11</compat-mode><open-in allow-redirect="true">'
            'IE11</open-in></site>') in note
    [published] = changes.region_site_lists
    assert published["location"] == "\\\\region-fs\\policy$\\sites.xml" and published["version"] == 8
    # The region's other entries are kept; Webcert's wrong entry is replaced by ours; the inventory's own extra
    # entries are not pushed into the region's list.
    assert [(s["url"], s["open_in"]) for s in published["sites"]] == [
        ("intranet.region.invalid", "MSEdge"), ("webcert.intygstjanster.se", "IE11")]
