"""The workstation judges on small, hand-made evidence: one behaviour per test."""

import pytest

from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.judge import judge_control
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.browser_policy import (
    EDGE_POLICY, HKCU_POLICY_INTERNET_SETTINGS, HKLM_POLICY_INTERNET_SETTINGS, SiteListError, parse_site_list,
    url_pattern_matches, zone_entry_matches)

HOST = "webcert.intygstjanster.se"
EDGE_USER_POLICY = "HKCU:\\SOFTWARE\\Policies\\Microsoft\\Edge"


def run(check, evidence, applies_when=None):
    control = {"id": "WS-T", "title": "t", "requirements": ["REQ-WS-2"], "scope": "workstation", "impact": "high",
               "remediation": "r", "check": check}
    if applies_when:
        control["applies_when"] = applies_when
    evidence.setdefault("collector", {"user_context": None})
    evidence.setdefault("collected_at", "2026-11-24T07:42:10+01:00")
    return judge_control(control, evidence)


def key(**values):
    return {"exists": True, "values": {n: {"type": "REG_SZ" if isinstance(v, str) else "REG_DWORD", "data": v}
                                       for n, v in values.items()}}


def zone_registry(root, zonemap=None, zones=None, **top):
    registry = {root: key(**top), root + "\\ZoneMapKey": key(**(zonemap or {}))}
    for zone in range(5):
        registry["%s\\Zones\\%d" % (root, zone)] = key(**{"1400": zones[zone]}) if zones and zone in zones else \
            {"exists": False}
    return registry


# --- site list ---------------------------------------------------------------------------------

SITE = '<site-list version="3"><site url="%s"><compat-mode>IE11</compat-mode><open-in>%s</open-in></site></site-list>'


def site_list_evidence(content, error=None, policy="\\\\fs\\sites.xml"):
    return {"registry": {EDGE_POLICY: key(InternetExplorerIntegrationSiteList=policy) if policy else key()},
            "site_lists": {EDGE_POLICY + "\\InternetExplorerIntegrationSiteList":
                           {"location": policy, "content": content, "error": error}}}


SITE_CHECK = {"type": "ie_site_list", "policy_path": EDGE_POLICY, "policy_name": "InternetExplorerIntegrationSiteList",
              "host": HOST}


@pytest.mark.parametrize("content, status, text", [
    (SITE % (HOST, "IE11"), "passed", "opens in IE11"),
    (SITE % (HOST.upper() + ":443/path", "IE11"), "passed", "opens in IE11"),
    (SITE % (HOST, "MSEdge"), "failed", "opens in MSEdge"),
    ('<site-list version="1"><site url="%s"/></site-list>' % HOST, "failed", "opens in None"),
    (SITE % ("other.example.se", "IE11"), "failed", "does not list %s" % HOST),
    ('<rules version="1"><emie><domain>%s</domain></emie></rules>' % HOST, "failed", "schema v.1"),
    ("<site-list version=", "failed", "not valid XML"),
    ('<!DOCTYPE x [<!ENTITY a "b">]><site-list/>', "failed", "DTD"),
])
def test_site_list_content(content, status, text):
    result = run(SITE_CHECK, site_list_evidence(content))
    assert result["status"] == status and text in result["message"]


def test_site_list_not_configured_fails_and_unreadable_is_not_reviewed():
    assert run(SITE_CHECK, site_list_evidence(None, policy=None))["status"] == "failed"
    unreadable = run(SITE_CHECK, site_list_evidence(None, error="Access is denied"))
    assert unreadable["status"] == "not_reviewed" and "Access is denied" in unreadable["message"]


def test_parse_site_list_reads_open_in_and_redirect():
    version, sites = parse_site_list('\ufeff<site-list version="7"><site url="a"><open-in allow-redirect="true">IE11'
                                     '</open-in></site></site-list>')
    assert version == "7" and sites == [{"url": "a", "open_in": "IE11", "compat_mode": "default", "allow_redirect": True}]
    with pytest.raises(SiteListError):
        parse_site_list("<html/>")


# --- IE zones ----------------------------------------------------------------------------------

ZONE_CHECK = {"type": "ie_zone_javascript", "host": HOST}


@pytest.mark.parametrize("entry, score", [("https://%s" % HOST, True), (HOST, True), ("*.intygstjanster.se", True),
                                          ("http://%s" % HOST, False), ("*.other.se", False), ("intygstjanster.se", False)])
def test_zone_entries(entry, score):
    assert bool(zone_entry_matches(entry, HOST)) is score


def test_most_specific_zone_assignment_wins():
    registry = zone_registry(HKLM_POLICY_INTERNET_SETTINGS, {"*.intygstjanster.se": "4", HOST: "2"}, {2: 0})
    result = run(ZONE_CHECK, {"registry": registry})
    assert result["status"] == "passed" and result["details"]["zone"] == 2


def test_unassigned_host_is_in_the_internet_zone():
    registry = zone_registry(HKLM_POLICY_INTERNET_SETTINGS, zones={3: 3}, Security_HKLM_only=1)
    result = run(ZONE_CHECK, {"registry": registry})
    assert result["status"] == "failed" and result["details"]["zone_name"] == "Internet"
    assert "Zones\\3\\1400 = 3 (disable)" in result["message"]


def test_restricted_zone_default_disables_scripting():
    registry = zone_registry(HKLM_POLICY_INTERNET_SETTINGS, {HOST: "4"}, Security_HKLM_only=1)
    assert run(ZONE_CHECK, {"registry": registry})["status"] == "failed"


def test_user_policy_counts_only_with_user_context_and_not_when_machine_only():
    registry = zone_registry(HKLM_POLICY_INTERNET_SETTINGS, {HOST: "2"}, {2: 0})
    registry.update(zone_registry(HKCU_POLICY_INTERNET_SETTINGS, zones={2: 1}))
    assert run(ZONE_CHECK, {"registry": dict(registry)})["status"] == "passed"
    user = {"registry": dict(registry), "collector": {"user_context": "EXK\\anna"}}
    assert run(ZONE_CHECK, user)["status"] == "failed"
    registry[HKLM_POLICY_INTERNET_SETTINGS] = key(Security_HKLM_only=1)
    assert run(ZONE_CHECK, {"registry": registry, "collector": {"user_context": "EXK\\anna"}})["status"] == "passed"


def test_without_user_policy_machine_policy_must_decide_alone():
    # WinRM evidence: no user context, so HKCU policy (User Configuration GPO) was never read.
    no_entry = zone_registry(HKLM_POLICY_INTERNET_SETTINGS)
    result = run(ZONE_CHECK, {"registry": no_entry})
    assert result["status"] == "not_reviewed" and "HKCU" in result["message"]
    zone_only = zone_registry(HKLM_POLICY_INTERNET_SETTINGS, {HOST: "2"})
    assert run(ZONE_CHECK, {"registry": zone_only})["status"] == "not_reviewed"
    decided = zone_registry(HKLM_POLICY_INTERNET_SETTINGS, {"*.intygstjanster.se": "2"}, {2: 3})
    assert run(ZONE_CHECK, {"registry": decided})["status"] == "failed"


def test_user_policy_assigns_the_zone_unless_machine_policy_does():
    user = {"collector": {"user_context": "EXK\\anna"}}
    registry = zone_registry(HKLM_POLICY_INTERNET_SETTINGS)
    registry.update(zone_registry(HKCU_POLICY_INTERNET_SETTINGS, {HOST: "4"}))
    result = run(ZONE_CHECK, dict(user, registry=dict(registry)))
    assert result["status"] == "failed" and result["details"]["zone"] == 4
    registry.update(zone_registry(HKLM_POLICY_INTERNET_SETTINGS, {"*.intygstjanster.se": "2"}))
    result = run(ZONE_CHECK, dict(user, registry=dict(registry)))
    assert result["status"] == "passed" and result["details"]["zone"] == 2


def test_zone_keys_not_collected_is_not_reviewed():
    assert run(ZONE_CHECK, {"registry": {}})["status"] == "not_reviewed"


# --- Edge JavaScript ---------------------------------------------------------------------------

@pytest.mark.parametrize("pattern, matched", [
    ("[*.]intygstjanster.se", True), ("https://%s" % HOST, True), ("https://%s:443" % HOST, True), (HOST, True),
    ("*", True), ("http://%s" % HOST, False), ("https://%s:8443" % HOST, False), ("[*.]other.se", False),
    ("intygstjanster.se", False)])
def test_url_patterns(pattern, matched):
    assert url_pattern_matches(pattern, "https://%s/" % HOST) is matched


def listing(items):
    return key(**{str(i + 1): p for i, p in enumerate(items)}) if items else {"exists": False}


def edge_keys(root, default=None, blocked=(), allowed=()):
    top = {"DefaultJavaScriptSetting": default} if default is not None else {}
    return {root: key(**top), root + "\\JavaScriptBlockedForUrls": listing(blocked),
            root + "\\JavaScriptAllowedForUrls": listing(allowed)}


def edge(default=None, blocked=(), allowed=(), root=EDGE_POLICY, user="EXK\\anna", user_default=None,
         blocked_by_user=()):
    """Edge policy evidence under `root`; with a user context the other hive is collected too (user_default,
    blocked_by_user: its policies)."""
    registry = edge_keys(root, default, blocked, allowed)
    if user:
        registry.update(edge_keys(EDGE_USER_POLICY if root == EDGE_POLICY else EDGE_POLICY, user_default,
                                  blocked_by_user))
    return {"registry": registry, "collector": {"user_context": user}}


@pytest.mark.parametrize("evidence, status", [
    (edge(), "passed"), (edge(1), "passed"), (edge(2), "failed"), (edge(2, allowed=["[*.]intygstjanster.se"]), "passed"),
    (edge(1, blocked=["https://%s" % HOST]), "failed"), (edge(None, blocked=["[*.]other.se"]), "passed")])
def test_edge_javascript(evidence, status):
    assert run({"type": "edge_javascript", "host": HOST}, evidence)["status"] == status


EDGE_JS = {"type": "edge_javascript", "host": HOST}


@pytest.mark.parametrize("evidence, status", [
    (edge(root=EDGE_USER_POLICY, blocked=["[*.]intygstjanster.se"]), "failed"),
    (edge(root=EDGE_USER_POLICY, default=2), "failed"),
    # Machine policy wins over the user's, policy by policy (lists are not merged).
    (edge(1, user_default=2), "passed"),
    (edge(blocked=["[*.]other.se"], blocked_by_user=[HOST]), "passed"),
    (edge(2, allowed=[HOST], user_default=1), "passed")])
def test_edge_javascript_user_policy_applies_below_machine_policy(evidence, status):
    assert run(EDGE_JS, evidence)["status"] == status


def test_edge_javascript_without_user_policy_machine_policy_must_decide_alone():
    assert run(EDGE_JS, edge(1, user=None))["status"] == "not_reviewed"
    assert run(EDGE_JS, edge(user=None))["status"] == "not_reviewed"
    # A machine block alone no longer decides: with Chromium's precedence a more specific JavaScriptAllowedForUrls
    # entry in the user's policy (not read) could still allow Webcert. Machine policy setting both lists decides.
    assert run(EDGE_JS, edge(1, blocked=[HOST], user=None))["status"] == "not_reviewed"
    assert run(EDGE_JS, edge(1, blocked=[HOST], allowed=["[*.]other.se"], user=None))["status"] == "failed"
    assert run(EDGE_JS, edge(1, blocked=["[*.]other.se"], user=None))["status"] == "not_reviewed"
    assert run(EDGE_JS, edge(1, blocked=["[*.]other.se"], allowed=["[*.]other.se"], user=None))["status"] == "passed"


@pytest.mark.parametrize("blocked, allowed, status", [
    # The most specific matching pattern decides, whichever list it is in.
    (["[*.]intygstjanster.se"], ["https://%s" % HOST], "passed"),
    (["https://%s" % HOST], ["[*.]intygstjanster.se"], "failed"),
    (["[*.]se"], ["[*.]intygstjanster.se"], "passed"),
    (["*"], ["[*.]intygstjanster.se"], "passed"),
    # The same pattern in both lists: Chromium reads the blocked list last, so it blocks.
    (["[*.]intygstjanster.se"], ["[*.]intygstjanster.se"], "failed"),
    # A port makes a pattern more specific than the same host without one.
    (["https://%s:443" % HOST], ["https://%s" % HOST], "failed"),
])
def test_edge_javascript_follows_chromiums_pattern_precedence(blocked, allowed, status):
    result = run(EDGE_JS, edge(1, blocked=blocked, allowed=allowed))
    assert result["status"] == status, result["message"]


def test_chrome_javascript_reads_chromes_own_policy_key():
    chrome = "HKLM:\\SOFTWARE\\Policies\\Google\\Chrome"
    check = dict(EDGE_JS, browser="chrome")
    evidence = edge(2, blocked=["[*.]other.se"], allowed=["[*.]other.se"], root=chrome, user=None)
    evidence["registry"].update(edge_keys(EDGE_POLICY, 1))  # Edge's own policy says nothing about Chrome
    result = run(check, evidence)
    assert result["status"] == "failed" and "Chrome blocks JavaScript by default" in result["message"]


def test_edge_javascript_user_keys_missing_in_user_evidence_is_not_reviewed():
    evidence = edge(user=None)
    evidence["collector"]["user_context"] = "EXK\\anna"
    assert run(EDGE_JS, evidence)["status"] == "not_reviewed"


# --- siths:// auto-launch ----------------------------------------------------------------------

@pytest.mark.parametrize("data, origins, status", [
    ('[{"protocol": "siths", "allowed_origins": ["https://a.se"]}]', [], "passed"),
    ('[{"protocol": "SITHS", "allowed_origins": ["https://a.se"]}]', ["https://a.se"], "passed"),
    ('[{"protocol": "siths", "allowed_origins": ["https://a.se"]}]', ["https://b.se"], "failed"),
    ('[{"protocol": "msteams", "allowed_origins": ["*"]}]', [], "failed"),
    ('{"protocol": "siths"', [], "failed"),
    (None, [], "failed")])
def test_protocol_autolaunch(data, origins, status):
    registry = {EDGE_POLICY: key(AutoLaunchProtocolsFromOrigins=data) if data else key()}
    check = {"type": "edge_protocol_autolaunch", "protocol": "siths", "origins": origins}
    assert run(check, {"registry": registry})["status"] == status


# --- network and clock -------------------------------------------------------------------------

ENDPOINTS = {"type": "endpoint_reachable", "tls": True, "endpoints": [{"role": "webcert", "host": HOST, "port": 443}]}


def measured(**fields):
    endpoint = {"host": HOST, "port": 443, "tcp": True, "tls": True, "error": None}
    endpoint.update(fields)
    return {"network": {"endpoints": [endpoint]}}


@pytest.mark.parametrize("evidence, status, text", [
    (measured(), "passed", "reachable"), (measured(tcp=False, tls=None, error="timed out"), "failed", "TCP failed: timed out"),
    (measured(tls=False, error="chain"), "failed", "TLS failed: chain"),
    ({"network": {"endpoints": []}}, "not_reviewed", "was not measured")])
def test_endpoints(evidence, status, text):
    result = run(ENDPOINTS, evidence)
    assert result["status"] == status and text in result["message"]


def test_plan_asks_for_every_endpoint_with_tls():
    from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.registry import collection_plan
    plan = collection_plan([{"check": ENDPOINTS}])
    assert plan == {"endpoints": [{"host": HOST, "port": 443, "tls": True}]}


def clock(now, before="2026-11-24T06:00:00Z", after="2026-11-24T06:00:04Z"):
    return {"clock": {"utc_now": now, "reference": {"source": "controller", "before": before, "after": after}}}


@pytest.mark.parametrize("evidence, status", [
    (clock("2026-11-24T06:00:02Z"), "passed"), (clock("2026-11-24T06:04:59Z"), "passed"),
    (clock("2026-11-24T06:05:05Z"), "failed"), (clock("2026-11-24T05:54:59Z"), "failed"),
    # Between 299 and 303 s off: the 4 s window cannot tell whether it is within 300 s.
    (clock("2026-11-24T06:05:03Z"), "not_reviewed"),
    ({"clock": {"utc_now": "2026-11-24T06:00:02Z"}}, "not_reviewed")])
def test_clock_offset(evidence, status):
    assert run({"type": "clock", "max_offset_seconds": 300}, evidence)["status"] == status


# --- certificates, products, user certificates --------------------------------------------------

def test_certificate_list_names_each_missing_thumbprint():
    stores = {"LocalMachine\\CA": [{"thumbprint": "A" * 40}]}
    result = run({"type": "certificate", "store": "LocalMachine\\CA", "thumbprints": ["a" * 40, "B" * 40]},
                 {"certificates": stores})
    assert result["status"] == "failed" and result["message"].endswith("%s in LocalMachine\\CA" % ("B" * 40))


def test_product_not_installed_condition_for_applies_when():
    check = {"type": "service", "name": "CertPropSvc", "start_mode": {"equals": "Disabled"}}
    md = {"type": "installed_product", "name_pattern": "MD$", "installed": False}
    evidence = {"products": [{"name": "SITHS eID MD", "version": "2"}],
                "services": {"CertPropSvc": {"exists": True, "start_mode": "Manual"}}}
    assert run(check, evidence, applies_when=md)["status"] == "not_applicable"
    evidence["products"] = []
    assert run(check, evidence, applies_when=md)["status"] == "failed"


def cert(not_after, usage, issuer="CN=SITHS e-id Person HSA-id 3 CA v1"):
    return {"thumbprint": "C" * 40, "issuer": issuer, "not_after": not_after, "key_usage": usage, "subject": "CN=A"}


USER = {"type": "user_certificate", "purpose": "authentication", "issuer_pattern": "SITHS", "warning_days": 30}


def test_user_certificates_without_user_context_are_not_reviewed_even_if_present():
    evidence = {"user_certificates": {"store": "CurrentUser\\My", "certificates": []}}
    assert run(USER, evidence)["status"] == "not_reviewed"


@pytest.mark.parametrize("certificates, status", [
    ([cert("2027-06-01T00:00:00Z", ["DigitalSignature"])], "passed"),
    ([cert("2026-11-01T00:00:00Z", ["DigitalSignature"])], "failed"),
    ([cert("2026-11-01T00:00:00Z", ["DigitalSignature"]), cert("2028-01-01T00:00:00Z", ["DigitalSignature"])], "passed"),
    ([cert("2028-01-01T00:00:00Z", ["NonRepudiation"])], "failed"),
    ([cert("2028-01-01T00:00:00Z", ["DigitalSignature"], issuer="CN=Other CA")], "failed")])
def test_user_authentication_certificate(certificates, status):
    evidence = {"collector": {"user_context": "EXK\\anna"},
                "user_certificates": {"store": "CurrentUser\\My", "certificates": certificates}}
    assert run(USER, evidence)["status"] == status


def test_a_certificate_that_expires_soon_passes_with_a_warning():
    soon = {"collector": {"user_context": "EXK\\anna"}, "user_certificates": {
        "store": "CurrentUser\\My", "certificates": [cert("2026-12-09T00:00:00Z", ["DigitalSignature"])]}}
    result = run(USER, soon)
    assert result["status"] == "passed" and result["warning"] == "authentication certificate expires in 14 days (2026-12-09)"
    later = {"collector": {"user_context": "EXK\\anna"}, "user_certificates": {
        "store": "CurrentUser\\My", "certificates": [cert("2027-06-01T00:00:00Z", ["DigitalSignature"])]}}
    assert "warning" not in run(USER, later)


# --- optional features and Windows -------------------------------------------------------------

def test_optional_feature_absent_on_this_windows():
    result = run({"type": "optional_feature", "name": "Internet-Explorer-Optional-amd64", "state": {"equals": "Enabled"}},
                 {"optional_features": {"internet-explorer-optional-amd64": {"state": None}}})
    assert result["status"] == "failed" and "not available" in result["message"]


def test_windows10_only_condition():
    windows11 = {"os": {"current_build": "22631"}}
    assert run({"type": "windows_version", "max_build": 21999}, windows11)["status"] == "failed"
    assert run({"type": "windows_version", "max_build": 21999}, {"os": {"current_build": "19045"}})["status"] == "passed"


# --- services: a field the check needs that was not read is not_reviewed ---------------------------

@pytest.mark.parametrize("check, service", [
    ({"type": "service", "name": "SCardSvr", "start_mode": {"not_in": ["Disabled"]}}, {"exists": True, "start_mode": None}),
    ({"type": "service", "name": "W32Time", "state": {"equals": "Running"}}, {"exists": True}),
    ({"type": "service", "name": "W32Time", "state": {"equals": "Running"}}, {"exists": True, "state": None}),
])
def test_service_field_not_read_is_not_reviewed(check, service):
    result = run(check, {"services": {check["name"]: service}})
    assert result["status"] == "not_reviewed" and check["name"] in result["message"]


def test_service_missing_still_fails():
    check = {"type": "service", "name": "SCardSvr", "start_mode": {"not_in": ["Disabled"]}}
    result = run(check, {"services": {"SCardSvr": {"exists": False, "start_mode": None, "state": None}}})
    assert result["status"] == "failed"


# --- siths:// origins are compared as origins ------------------------------------------------------

@pytest.mark.parametrize("allowed, wanted", [("https://a.se/", "https://a.se"), ("HTTPS://A.SE", "https://a.se/"),
                                             ("https://a.se", "https://A.se")])
def test_protocol_origins_are_normalised(allowed, wanted):
    data = '[{"protocol": "siths", "allowed_origins": ["%s"]}]' % allowed
    check = {"type": "edge_protocol_autolaunch", "protocol": "siths", "origins": [wanted]}
    assert run(check, {"registry": {EDGE_POLICY: key(AutoLaunchProtocolsFromOrigins=data)}})["status"] == "passed"


def test_protocol_allowed_origins_as_a_string_is_a_finding():
    data = '[{"protocol": "siths", "allowed_origins": "https://a.se"}]'
    check = {"type": "edge_protocol_autolaunch", "protocol": "siths", "origins": ["https://a.se"]}
    result = run(check, {"registry": {EDGE_POLICY: key(AutoLaunchProtocolsFromOrigins=data)}})
    assert result["status"] == "failed" and "allowed_origins" in result["message"] and "list" in result["message"]


# --- installed products: "not searched" is not "not installed" -----------------------------------

NETID = {"type": "installed_product", "name_pattern": "^Pointsharp Net iD", "min_version": "6.7"}


def test_product_pattern_the_collector_did_not_search_is_not_reviewed():
    evidence = {"product_patterns": ["^Net iD"], "products": []}
    result = run(NETID, evidence)
    assert result["status"] == "not_reviewed" and "^Pointsharp Net iD" in result["message"]


def test_product_condition_on_a_pattern_not_searched_is_not_decided():
    check = {"type": "service", "name": "CertPropSvc", "start_mode": {"not_in": ["Disabled"]}}
    md = {"type": "installed_product", "name_pattern": "MD$", "installed": False}
    evidence = {"product_patterns": ["^SITHS eID"], "products": [],
                "services": {"CertPropSvc": {"exists": True, "start_mode": "Manual"}}}
    assert run(check, evidence, applies_when=md)["status"] == "not_reviewed"


def test_product_pattern_searched_and_not_found_fails():
    assert run(NETID, {"product_patterns": ["^Pointsharp Net iD"], "products": []})["status"] == "failed"
    # Evidence from a collector that did not record its patterns: judged as before (documented).
    assert run(NETID, {"products": []})["status"] == "failed"


@pytest.mark.parametrize("version", [None, "", "unknown"])
def test_product_without_a_readable_version_is_not_reviewed(version):
    evidence = {"products": [{"name": "Pointsharp Net iD Enterprise", "version": version}]}
    result = run(NETID, evidence)
    assert result["status"] == "not_reviewed" and "version" in result["message"]


def test_product_with_one_good_version_among_unreadable_ones_passes():
    evidence = {"products": [{"name": "Pointsharp Net iD Enterprise", "version": None},
                             {"name": "Pointsharp Net iD Enterprise", "version": "6.8.1"}]}
    assert run(NETID, evidence)["status"] == "passed"


# --- Windows lifecycle: build AND edition AND date ----------------------------------------------------------

LIFECYCLE = {
    "editions": {"home_pro": ["Core", "Professional"], "enterprise_education": ["Enterprise", "Education"],
                 "ltsc": ["EnterpriseS"], "iot_ltsc": ["IoTEnterpriseS"]},
    "releases": [
        {"name": "Windows 10 21H2 / LTSC 2021", "build": 19044,
         "ends": {"home_pro": "2023-06-13", "enterprise_education": "2024-06-11", "ltsc": "2027-01-12",
                  "iot_ltsc": "2032-01-13"}},
        {"name": "Windows 10 22H2", "build": 19045, "ends": {"home_pro": "2025-10-14", "enterprise_education": "2025-10-14"},
         "esu": True},
        {"name": "Windows 11 23H2", "build": 22631, "ends": {"home_pro": "2025-11-11", "enterprise_education": "2026-11-10"}},
        {"name": "Windows 11 24H2", "build": 26100, "ends": {"home_pro": "2026-10-13", "enterprise_education": "2027-10-12"}},
    ]}
WINDOWS = {"type": "windows_version", "lifecycle": LIFECYCLE, "warning_days": 90, "windows10_esu": False,
           "windows10_esu_end": "2028-10-10"}


def windows(build, edition, collected_at="2026-11-24T07:42:10+01:00", **check):
    evidence = {"os": {"current_build": str(build), "ubr": 5011, "display_version": "23H2", "edition_id": edition},
                "collected_at": collected_at}
    return run(dict(WINDOWS, **check), evidence)


@pytest.mark.parametrize("build, edition, status, text", [
    # The same release, different editions: 23H2 left servicing for Pro in 2025, for Enterprise on 2026-11-10.
    (22631, "Professional", "failed", "servicing for home_pro editions ended on 2025-11-11"),
    (22631, "Enterprise", "failed", "servicing for enterprise_education editions ended on 2026-11-10"),
    (26100, "Professional", "failed", "ended on 2026-10-13"),
    (26100, "Enterprise", "passed", "serviced until 2027-10-12"),
    (26100, "enterprise", "passed", "serviced until 2027-10-12"),   # EditionID compared ignoring case
    (19044, "Enterprise", "failed", "ended on 2024-06-11"),         # Windows 10 21H2 is not LTSC on Enterprise
    (19044, "EnterpriseS", "warning", "only until 2027-01-12"),      # LTSC 2021: 49 days left
    (19044, "IoTEnterpriseS", "passed", "serviced until 2032-01-13"),  # IoT LTSC: its own, later date
])
def test_windows_lifecycle_by_build_edition_and_date(build, edition, status, text):
    result = windows(build, edition)
    assert (("warning" if (result["details"] or {}).get("warning") else result["status"]) == status), result["message"]
    assert text in result["message"]


def test_windows_release_ends_after_its_last_day_of_servicing():
    # Microsoft's end date is the Patch Tuesday that still brings the last update: on it the PC is serviced.
    assert windows(22631, "Enterprise", collected_at="2026-11-10T18:00:00+01:00")["status"] == "passed"
    assert windows(22631, "Enterprise", collected_at="2026-11-11T07:00:00+01:00")["status"] == "failed"


def test_windows_release_near_its_end_passes_with_a_warning():
    result = windows(22631, "Enterprise", collected_at="2026-09-01T08:00:00+02:00")
    assert result["status"] == "passed" and result["details"]["warning"] is True
    assert "WARNING" in result["message"] and result["details"]["days_left"] == 70
    # The result carries the warning the reports count and mark.
    assert result["warning"] == "serviced only until 2026-11-10 (70 days): plan the upgrade"
    quiet = windows(22631, "Enterprise", collected_at="2026-09-01T08:00:00+02:00", warning_days=30)
    assert quiet["details"]["warning"] is False and "warning" not in quiet


def test_windows10_22h2_only_under_esu_and_until_esu_ends():
    assert windows(19045, "Professional")["status"] == "failed"
    covered = windows(19045, "Professional", windows10_esu=True)
    assert covered["status"] == "passed" and "under Extended Security Updates until 2028-10-10" in covered["message"]
    ended = windows(19045, "Enterprise", collected_at="2028-10-11T09:00:00+02:00", windows10_esu=True)
    assert ended["status"] == "failed" and "2028-10-10" in ended["message"]
    # ESU is for Windows 10 22H2 only: it never rescues a Windows 11 release past its end.
    assert windows(22631, "Professional", windows10_esu=True)["status"] == "failed"


def test_unknown_edition_or_combination_is_not_reviewed_never_guessed():
    unknown = windows(26100, "ServerRdsh")
    assert unknown["status"] == "not_reviewed" and "ServerRdsh" in unknown["message"]
    assert windows(22631, "EnterpriseS")["status"] == "not_reviewed"  # no LTSC of 23H2 in the table


def test_unlisted_builds_newer_pass_with_a_warning_and_older_fail():
    newer = windows(26200, "Professional")
    assert newer["status"] == "passed" and newer["details"]["warning"] is True and "add its end dates" in newer["message"]
    assert windows(18363, "Professional")["status"] == "failed"


def test_a_broken_lifecycle_table_is_an_error_naming_the_setting():
    broken = dict(LIFECYCLE, releases=[{"name": "x", "build": 26100, "ends": {"home_pro": "someday"}}])
    result = windows(26100, "Professional", lifecycle=broken)
    assert result["status"] == "error" and "windows_lifecycle" in result["message"] and "someday" in result["message"]


def test_clock_window_never_hides_an_offset_larger_than_the_limit():
    # A 40 s collection with a 30 s limit: a clock 35 s fast of `before` lies inside the window but may be
    # 35 s off; the read_after_ms the collector records narrows the window from the start.
    slow = clock("2026-11-24T06:00:35Z", before="2026-11-24T06:00:00Z", after="2026-11-24T06:00:40Z")
    assert run({"type": "clock", "max_offset_seconds": 30}, slow)["status"] == "not_reviewed"
    slow["clock"]["read_after_ms"] = 20000
    result = run({"type": "clock", "max_offset_seconds": 30}, slow)
    assert result["status"] == "passed" and result["details"]["offset_at_most_seconds"] == 15


# --- card client name and the CAs that issue person certificates ----------------------------------

@pytest.mark.parametrize("name, installed", [("Net iD Enterprise", True), ("Net iD Enterprise 6.8 (x64)", True),
                                             ("Net iD Client", False), ("Net iD Access", False)])
def test_the_catalogues_net_id_pattern_matches_net_id_enterprise_only(name, installed):
    from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
    pattern = load_catalogue().settings["netid_name_pattern"]["default"]
    check = {"type": "installed_product", "name_pattern": pattern, "min_version": "6.7"}
    result = run(check, {"products": [{"name": name, "version": "6.8.1.2", "publisher": "Pointsharp AB"}]})
    assert (result["status"] == "passed") is installed, result["message"]


PERSON_CAS = ["SITHS e-id Person HSA-id 3 CA v1", "SITHS e-id Person HSA-id 2 CA v1"]
ROOT = "CN=SITHS e-id Root CA v2, O=Inera AB, C=SE"


def ca(name, issuer=ROOT, not_after="2049-09-15T00:00:00Z", thumbprint="AB" * 20):
    return {"thumbprint": thumbprint, "subject": "CN=%s, O=Inera AB, C=SE" % name, "issuer": issuer,
            "not_after": not_after}


@pytest.mark.parametrize("store, status, text", [
    ([ca(PERSON_CAS[0]), ca(PERSON_CAS[1])], "passed", "Person HSA-id 3 CA v1"),
    # The Function CA issues server and function certificates, not the users' card certificates.
    ([ca("SITHS e-id Function CA v1"), ca(PERSON_CAS[0])], "failed", "Person HSA-id 2 CA v1"),
    ([ca(PERSON_CAS[0]), ca(PERSON_CAS[1], issuer="CN=Some Other Root, O=X")], "failed", "issued by SITHS e-id Root"),
    ([ca(PERSON_CAS[0]), ca(PERSON_CAS[1], not_after="2026-01-01T00:00:00Z")], "failed", "only expired copies"),
])
def test_person_issuing_cas_are_matched_by_name_issuer_and_validity(store, status, text):
    check = {"type": "certificate", "store": "LocalMachine\\CA", "subject_common_names": PERSON_CAS,
             "issuer_common_name": "SITHS e-id Root CA v2"}
    result = run(check, {"certificates": {"LocalMachine\\CA": store}})
    assert result["status"] == status and text in result["message"], result["message"]


# --- site list: cloud list, legacy IE policy, "not forced into IE mode" -----------------------------------

IE_POLICY = "HKLM:\\SOFTWARE\\Policies\\Microsoft\\Internet Explorer\\Main\\EnterpriseMode"
FULL_SITE_CHECK = dict(SITE_CHECK, cloud_policy_name="InternetExplorerIntegrationCloudSiteList",
                       legacy_policy={"path": IE_POLICY, "name": "SiteList"})


def site_lists(edge=None, cloud=None, legacy=None, edge_content=None, legacy_content=None):
    edge_values = {}
    if edge:
        edge_values["InternetExplorerIntegrationSiteList"] = edge
    if cloud:
        edge_values["InternetExplorerIntegrationCloudSiteList"] = cloud
    evidence = {"registry": {EDGE_POLICY: key(**edge_values),
                             IE_POLICY: key(SiteList=legacy) if legacy else {"exists": False}},
                "site_lists": {}}
    if edge:
        evidence["site_lists"][EDGE_POLICY + "\\InternetExplorerIntegrationSiteList"] = {
            "location": edge, "content": edge_content, "error": None}
    if legacy:
        evidence["site_lists"][IE_POLICY + "\\SiteList"] = {"location": legacy, "content": legacy_content, "error": None}
    return evidence


def test_the_legacy_ie_site_list_policy_counts_when_edges_own_is_not_set():
    result = run(FULL_SITE_CHECK, site_lists(legacy="\\\\fs\\ie.xml", legacy_content=SITE % (HOST, "IE11")))
    assert result["status"] == "passed" and "EnterpriseMode\\SiteList" in result["message"]


def test_edges_site_list_policy_overrides_the_legacy_ie_policy():
    result = run(FULL_SITE_CHECK, site_lists(edge="\\\\fs\\edge.xml", edge_content=SITE % ("other.se", "IE11"),
                                             legacy="\\\\fs\\ie.xml", legacy_content=SITE % (HOST, "IE11")))
    assert result["status"] == "failed" and "edge.xml" in result["message"]


def test_a_cloud_site_list_is_not_reviewed_as_its_content_is_not_on_the_pc():
    result = run(FULL_SITE_CHECK, site_lists(cloud="7a2e5d1c-cloud-list", edge="\\\\fs\\edge.xml",
                                             edge_content=SITE % (HOST, "IE11")))
    assert result["status"] == "not_reviewed" and "Microsoft 365 admin center" in result["message"]


NOT_IE = dict(FULL_SITE_CHECK, expect="not_ie11")


@pytest.mark.parametrize("evidence, status, text", [
    (site_lists(), "passed", "opens webcert.intygstjanster.se natively"),
    (site_lists(edge="\\\\fs\\edge.xml", edge_content=SITE % ("other.se", "IE11")), "passed", "does not list"),
    (site_lists(edge="\\\\fs\\edge.xml", edge_content=SITE % (HOST, "IE11")), "failed", "not an IE-mode tab"),
    (site_lists(legacy="\\\\fs\\ie.xml", legacy_content=SITE % (HOST, "IE11")), "failed", "opens in IE11"),
    (site_lists(edge="\\\\fs\\edge.xml", edge_content=SITE % (HOST, "MSEdge")), "passed", "opens in MSEdge"),
    (site_lists(edge="\\\\fs\\edge.xml", edge_content="<rules/>"), "not_reviewed", "cannot be told"),
])
def test_webcert_not_forced_into_ie_mode(evidence, status, text):
    result = run(NOT_IE, evidence)
    assert result["status"] == status and text in result["message"], result["message"]
