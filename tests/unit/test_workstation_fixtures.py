"""Every evidence fixture follows the schema, and the evaluator gives the expected status per control.

One fixture per realistic situation (tests/fixtures/evidence/). Controls not listed for a fixture must be
`passed`, so a judge that starts failing a compliant part is caught too.
"""

import copy
import glob
import json
import os

import pytest

from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import EvidenceError
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import load_evidence_file, validate_evidence
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.judge import judge_evidence

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "evidence")
ESU = {"windows10_esu": True}
N_A_MD = {"WS-CERTPROP-MD-DISABLED": "not_applicable"}
STANDALONE_CLOCK = {"WS-CLOCK-OFFSET": "not_reviewed"}
# Collected over WinRM: no user certificates, and the user's Edge policy (HKCU) may block JavaScript.
NO_USER = {"WS-USER-AUTH-CERT": "not_reviewed", "WS-EDGE-JAVASCRIPT": "not_reviewed"}
# inera-2024 checks the user's SITHS e-id certificate instead; Chrome's controls apply only where Chrome is
# installed (in no fixture); the login and signing hosts are region settings without a default.
NO_USER_2024 = {"WS-USER-EID-CERT": "not_reviewed", "WS-EDGE-JAVASCRIPT": "not_reviewed",
                "WS-CHROME-VERSION": "not_applicable", "WS-CHROME-JAVASCRIPT": "not_applicable",
                "WS-CHROME-SITHS-PROTOCOL": "not_applicable", "WS-NET-LOGIN": "not_reviewed",
                "WS-NET-SIGNING": "not_reviewed"}

# fixture -> (profile, settings, {control: status other than passed})
EXPECTED = {
    "win10-22h2-compliant": ("inera-classic", ESU, {**N_A_MD, **STANDALONE_CLOCK}),
    "win11-24h2-vendor-reader": ("inera-2024", {}, {**N_A_MD, **NO_USER_2024}),
    "reader-error-state": ("inera-classic", ESU, {**N_A_MD, **STANDALONE_CLOCK, "WS-CARD-READERS": "failed"}),
    "reader-driver-not-allowed": ("inera-2024", {}, {**N_A_MD, **NO_USER_2024, "WS-CARD-READERS": "failed"}),
    "no-reader": ("inera-classic", ESU, {**N_A_MD, **STANDALONE_CLOCK, "WS-CARD-READERS": "failed"}),
    "netid-6.6": ("inera-classic", ESU, {**N_A_MD, **STANDALONE_CLOCK, "WS-NETID-VERSION": "failed"}),
    "netid-missing": ("inera-classic", ESU, {**N_A_MD, **STANDALONE_CLOCK, "WS-NETID-VERSION": "failed"}),
    "ie-mode-missing": ("inera-classic", ESU, {**N_A_MD, **STANDALONE_CLOCK, "WS-EDGE-IEMODE": "failed",
                                               "WS-EDGE-SITELIST": "failed", "WS-IE11-FEATURE": "failed"}),
    "javascript-blocked": ("inera-classic", ESU, {**N_A_MD, **STANDALONE_CLOCK, "WS-IE-JAVASCRIPT": "failed",
                                                  "WS-EDGE-JAVASCRIPT": "failed"}),
    "expired-user-certificate": ("inera-classic", ESU, {**N_A_MD, **STANDALONE_CLOCK, "WS-USER-AUTH-CERT": "failed"}),
    "site-list-schema-v1": ("inera-classic", ESU, {**N_A_MD, **STANDALONE_CLOCK, "WS-EDGE-SITELIST": "failed"}),
    "unreadable-sections": ("inera-classic", ESU, {**N_A_MD, **STANDALONE_CLOCK, "WS-EDGE-SITELIST": "not_reviewed",
                                                   "WS-SCARD-SERVICE": "not_reviewed", "WS-SCDEVICEENUM-SERVICE": "not_reviewed",
                                                   "WS-CERTPROP-SERVICE": "not_reviewed", "WS-TIME-SERVICE": "not_reviewed"}),
    "siths-md-packaging": ("inera-2024", {}, {**NO_USER_2024, "WS-CERTPROP-SERVICE": "not_applicable",
                                              "WS-CERTPROP-MD-DISABLED": "failed"}),
    "clock-skew-tls-inspection": ("inera-2024", {}, {**N_A_MD, **NO_USER_2024, "WS-NET-ENDPOINTS": "failed",
                                                     "WS-TIME-SERVICE": "failed", "WS-CLOCK-OFFSET": "failed"}),
    # Windows 11 23H2 Enterprise left servicing on 2026-11-10; the evidence is from 2026-11-24.
    "win11-23h2-no-protocol-policy": ("inera-2024", {}, {**N_A_MD, **NO_USER_2024, "WS-SITHS-PROTOCOL": "failed",
                                                         "WS-OS-SUPPORTED": "failed"}),
    "win10-21h2-old-build": ("inera-classic", ESU, {**N_A_MD, **STANDALONE_CLOCK, "WS-OS-SUPPORTED": "failed"}),
    "unusual-names": ("inera-2024", {}, {**N_A_MD, **NO_USER_2024, "WS-CARD-READERS": "failed"}),
}


def fixture_path(name):
    return os.path.join(FIXTURES, name + ".json")


def judge(name, profile, settings):
    catalogue = load_catalogue()
    evidence = load_evidence_file(fixture_path(name))
    return {r["control_id"]: r for r in judge_evidence(catalogue.for_profile(profile, "workstation", settings), evidence)}


def test_every_fixture_has_expectations():
    names = {os.path.basename(p)[:-5] for p in glob.glob(os.path.join(FIXTURES, "*.json"))}
    assert names == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_follows_the_schema_and_gives_the_expected_statuses(name):
    profile, settings, special = EXPECTED[name]
    results = judge(name, profile, settings)
    got = {cid: r["status"] for cid, r in results.items()}
    wanted = {cid: special.get(cid, "passed") for cid in got}
    assert set(special) <= set(got), "expectation names a control the profile does not have"
    assert got == wanted


def test_windows10_after_end_of_support_fails_without_esu():
    result = judge("win10-22h2-compliant", "inera-classic", {})["WS-OS-SUPPORTED"]
    assert result["status"] == "failed"
    assert "ended on 2025-10-14" in result["message"] and "windows10_esu" in result["message"]


def lifecycle_with(build, **ends):
    """The catalogue's windows_lifecycle with other end dates for one build (a region override)."""
    table = copy.deepcopy(load_catalogue().settings["windows_lifecycle"]["default"])
    for release in table["releases"]:
        if release["build"] == build:
            release["ends"].update(ends)
    return table


def test_windows10_before_end_of_support_passes_without_esu():
    results = judge("win10-22h2-compliant", "inera-classic",
                    {"windows_lifecycle": lifecycle_with(19045, home_pro="2027-06-01")})
    assert results["WS-OS-SUPPORTED"]["status"] == "passed"


def test_windows11_is_detected_by_build_not_product_name():
    with open(fixture_path("win11-24h2-vendor-reader"), encoding="utf-8") as handle:
        assert "Windows 10" in json.load(handle)["os"]["product_name"]
    result = judge("win11-24h2-vendor-reader", "inera-2024", {})["WS-OS-SUPPORTED"]
    assert result["actual"].startswith("Windows 11 24H2")


def test_windows11_release_past_its_editions_end_date_fails():
    result = judge("win11-23h2-no-protocol-policy", "inera-2024", {})["WS-OS-SUPPORTED"]
    assert result["status"] == "failed" and "ended on 2026-11-10" in result["message"]
    assert result["details"]["edition_group"] == "enterprise_education"
    # The region's table decides: with a later date the same PC is serviced (with a warning near the end).
    later = judge("win11-23h2-no-protocol-policy", "inera-2024",
                  {"windows_lifecycle": lifecycle_with(22631, enterprise_education="2027-01-12")})["WS-OS-SUPPORTED"]
    assert later["status"] == "passed" and later["details"]["warning"] is True


@pytest.mark.parametrize("edition, status", [("Professional", "failed"), ("Enterprise", "passed")])
def test_windows11_24h2_is_judged_by_edition_with_the_catalogue_defaults(tmp_path, edition, status):
    # 24H2 left servicing for Home and Pro on 2026-10-13; Enterprise and Education until 2027-10-12.
    evidence = good()
    evidence["os"].update(current_build="26100", display_version="24H2", edition_id=edition)
    path = tmp_path / "w11.json"
    path.write_text(json.dumps(evidence), encoding="utf-8")
    controls = load_catalogue().for_profile("inera-classic", "workstation", {})
    results = {r["control_id"]: r for r in judge_evidence(controls, load_evidence_file(str(path)))}
    assert results["WS-OS-SUPPORTED"]["status"] == status, results["WS-OS-SUPPORTED"]["message"]


def test_reader_findings_name_reader_driver_and_problem():
    result = judge("reader-driver-not-allowed", "inera-2024", {})["WS-CARD-READERS"]
    readers = {f["reader"]: f for f in result["details"]["readers"]}
    hid = readers["HID Global OMNIKEY 3x21 Smart Card Reader 0"]
    assert hid["driver"] == "HID Global 1.2.0.3 (oem7.inf)" and hid["problems"] == ["driver is not signed"]
    acs = readers["ACS ACR39U ICC Reader 0"]
    assert "not on the region's approved list" in acs["problems"][0]
    assert "ACS ACR39U ICC Reader 0" in result["message"] and "oem31.inf" in result["message"]


def test_minimum_driver_version_comes_from_the_policy():
    policy = {"allowed_drivers": [{"name": "HID", "provider_pattern": "^HID Global", "min_version": "2.10"}]}
    result = judge("win11-24h2-vendor-reader", "inera-2024", {"card_reader_driver_policy": policy})["WS-CARD-READERS"]
    assert result["status"] == "failed"
    assert "driver version 2.3.4.5 is older than 2.10, the minimum for HID" in result["message"]


def test_user_certificate_warning_is_a_passed_result_with_a_warning():
    result = judge("expired-user-certificate", "inera-classic", ESU)["WS-USER-SIGN-CERT"]
    assert result["status"] == "passed" and result["message"].startswith("WARNING:")
    assert result["details"]["warning"] is True and result["details"]["days_to_expiry"] == 15


def test_user_certificate_warning_window_is_a_setting():
    result = judge("expired-user-certificate", "inera-classic", dict(ESU, user_certificate_warning_days=7))
    assert result["WS-USER-SIGN-CERT"]["details"]["warning"] is False


def test_unusual_names_are_reported_verbatim():
    results = judge("unusual-names", "inera-2024", {})
    name = 'Läsare "Ω" <b>&amp;</b> 読み取り 🔐\nline2'
    assert results["WS-CARD-READERS"]["details"]["readers"][0]["reader"] == name
    assert name in results["WS-CARD-READERS"]["message"]
    assert 'SITHS eID för Windows "beta" <&> 🔐\nrad 2' in results["WS-SITHS-EID-VERSION"]["actual"]


# --- bad evidence: error naming the field, never passed or failed ------------------------------

def good():
    with open(fixture_path("win10-22h2-compliant"), encoding="utf-8") as handle:
        return json.load(handle)


@pytest.mark.parametrize("mutate, field", [
    (lambda e: e.update(schema_version=2), "schema_version"),
    (lambda e: e.pop("collected_at"), "collected_at"),
    (lambda e: e["card_readers"][0].pop("config_manager_error_code"), "card_readers[0]"),
    (lambda e: e["card_readers"][0].update(config_manager_error_code="0"), "card_readers[0].config_manager_error_code"),
    (lambda e: e["network"]["endpoints"][0].update(tcp="yes"), "network.endpoints[0].tcp"),
    (lambda e: e["clock"].update(utc_now="yesterday"), "clock.utc_now"),
    (lambda e: e["user_certificates"]["certificates"][0].update(not_after=None), "user_certificates.certificates[0].not_after"),
    (lambda e: e["optional_features"]["Internet-Explorer-Optional-amd64"].update(state="On"),
     "optional_features.Internet-Explorer-Optional-amd64.state"),
    (lambda e: e.update(readers=[]), "(top level)"),
])
def test_bad_evidence_names_the_field(mutate, field):
    evidence = good()
    mutate(evidence)
    with pytest.raises(EvidenceError) as error:
        validate_evidence(evidence, "ws-classic.json")
    assert "ws-classic.json" in str(error.value) and "'%s'" % field in str(error.value)


def test_truncated_fixture_file_names_the_file(tmp_path):
    with open(fixture_path("win10-22h2-compliant"), encoding="utf-8") as handle:
        text = handle.read()
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(EvidenceError, match="cut.json: not valid JSON"):
        load_evidence_file(str(path))


def test_the_fixtures_are_not_changed_by_judging():
    before = good()
    judge("win10-22h2-compliant", "inera-classic", ESU)
    assert good() == copy.deepcopy(before)


def test_windows10_ltsc_2021_passes_with_the_catalogue_defaults(tmp_path):
    evidence = good()
    evidence["os"].update(current_build="19044", display_version="21H2", edition_id="IoTEnterpriseS")
    path = tmp_path / "ltsc.json"
    path.write_text(json.dumps(evidence), encoding="utf-8")
    controls = load_catalogue().for_profile("inera-classic", "workstation", {})
    results = {r["control_id"]: r for r in judge_evidence(controls, load_evidence_file(str(path)))}
    result = results["WS-OS-SUPPORTED"]
    assert result["status"] == "passed" and "until 2032-01-13" in result["message"]  # IoT Enterprise LTSC 2021


def test_windows10_esu_end_is_a_setting():
    results = judge("win10-22h2-compliant", "inera-classic", dict(ESU, windows10_esu_end="2026-01-01"))
    assert results["WS-OS-SUPPORTED"]["status"] == "failed" and "2026-01-01" in results["WS-OS-SUPPORTED"]["message"]


def test_inera_2024_with_chrome_installed_judges_chromes_own_policies(tmp_path):
    evidence = good()
    evidence["products"].append({"name": "Google Chrome", "version": "84.0.4147.89", "publisher": "Google LLC",
                                 "architecture": "x64", "key": None})
    chrome = "HKLM:\\SOFTWARE\\Policies\\Google\\Chrome"
    evidence["registry"][chrome] = {"exists": True, "values": {"DefaultJavaScriptSetting": {"type": "REG_DWORD",
                                                                                            "data": 2}}}
    user_chrome = "HKCU:\\SOFTWARE\\Policies\\Google\\Chrome"
    evidence["registry"][user_chrome] = {"exists": False}
    for name in ("JavaScriptBlockedForUrls", "JavaScriptAllowedForUrls"):
        evidence["registry"][chrome + "\\" + name] = {"exists": False}
        evidence["registry"][user_chrome + "\\" + name] = {"exists": False}
    path = tmp_path / "chrome.json"
    path.write_text(json.dumps(evidence), encoding="utf-8")
    controls = load_catalogue().for_profile("inera-2024", "workstation", {})
    results = {r["control_id"]: r for r in judge_evidence(controls, load_evidence_file(str(path)))}
    assert results["WS-CHROME-VERSION"]["status"] == "failed" and "older than 85" in results["WS-CHROME-VERSION"]["message"]
    assert results["WS-CHROME-JAVASCRIPT"]["status"] == "failed"
    assert results["WS-CHROME-SITHS-PROTOCOL"]["status"] == "failed"
    assert results["WS-NETID-VERSION"]["status"] == "passed"  # Net iD Enterprise is needed for login in 2024 too
    assert results["WS-NET-LOGIN"]["status"] == "not_reviewed" and "region setting" in results["WS-NET-LOGIN"]["message"]


def test_inera_2024_login_and_signing_endpoints_are_region_settings(tmp_path):
    evidence = good()
    evidence["network"]["endpoints"].append({"host": "idp.region.invalid", "port": 443, "tcp": False, "tls": None,
                                             "error": "timed out", "tls_protocol": None, "elapsed_ms": 5000})
    path = tmp_path / "net.json"
    path.write_text(json.dumps(evidence), encoding="utf-8")
    settings = {"webcert_login_endpoints": [{"role": "login", "host": "idp.region.invalid", "port": 443}]}
    controls = load_catalogue().for_profile("inera-2024", "workstation", settings)
    results = {r["control_id"]: r for r in judge_evidence(controls, load_evidence_file(str(path)))}
    assert results["WS-NET-LOGIN"]["status"] == "failed" and "idp.region.invalid" in results["WS-NET-LOGIN"]["message"]
