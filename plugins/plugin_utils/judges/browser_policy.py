# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Parsers of browser policy formats, apart from judging: the Enterprise Mode site list (schema v.2) and the
policies that name it, IE's Site to Zone Assignment entries, Chromium URL patterns and protocol-launch origins.

Plain functions on text, shared by the workstation judges (workstation_checks.py) and enforcement.
"""

import json
import re
from xml.etree import ElementTree

HKLM_POLICY_INTERNET_SETTINGS = "HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\CurrentVersion\\Internet Settings"
HKCU_POLICY_INTERNET_SETTINGS = "HKCU:\\SOFTWARE\\Policies\\Microsoft\\Windows\\CurrentVersion\\Internet Settings"
EDGE_POLICY = "HKLM:\\SOFTWARE\\Policies\\Microsoft\\Edge"
EDGE_USER_POLICY = "HKCU:\\SOFTWARE\\Policies\\Microsoft\\Edge"
# Chromium browsers' mandatory policy keys: machine (HKLM) and user (HKCU). Chrome reads the same policy names
# as Edge (JavaScript lists, DefaultJavaScriptSetting, AutoLaunchProtocolsFromOrigins) from its own key.
BROWSER_POLICY_ROOTS = {
    "edge": (EDGE_POLICY, EDGE_USER_POLICY),
    "chrome": ("HKLM:\\SOFTWARE\\Policies\\Google\\Chrome", "HKCU:\\SOFTWARE\\Policies\\Google\\Chrome"),
}
BROWSER_NAMES = {"edge": "Edge", "chrome": "Chrome"}
ZONE_NAMES = {0: "My Computer", 1: "Local intranet", 2: "Trusted sites", 3: "Internet", 4: "Restricted sites"}


class SiteListError(ValueError):
    """The site list cannot be used by IE mode (not XML, wrong schema)."""


def parse_site_list(content):
    """Enterprise Mode site list XML -> (version, [{url, open_in, compat_mode, allow_redirect}]).

    Raises SiteListError for text Edge could not use: not XML, a DTD, or a v.1 (<rules>) list.
    """
    if re.search(r"<!(DOCTYPE|ENTITY)", content, re.IGNORECASE):
        raise SiteListError("the site list contains a DTD, which site lists never need; refusing to parse it")
    try:
        root = ElementTree.fromstring(content.lstrip("\ufeff"))
    except ElementTree.ParseError as exc:
        raise SiteListError("the site list is not valid XML: %s" % exc) from None
    if root.tag == "rules":
        raise SiteListError("the site list uses schema v.1 (<rules>), which IE mode does not support")
    if root.tag != "site-list":
        raise SiteListError("the site list's root element is <%s>, expected <site-list> (schema v.2)" % root.tag)
    sites = []
    for site in root.iter("site"):
        open_in = site.find("open-in")
        compat = site.find("compat-mode")
        sites.append({"url": (site.get("url") or "").strip(),
                      "open_in": (open_in.text or "").strip() if open_in is not None else "None",
                      "compat_mode": (compat.text or "").strip() if compat is not None else "default",
                      "allow_redirect": open_in is not None and open_in.get("allow-redirect") == "true"})
    return root.get("version"), sites


def site_list_policies(check):
    """[(path, name)] of an ie_site_list check's file-based site list policies in the order Edge honours them: its
    own policy, then the legacy IE policy (Edge's site list policy overrides IE's, and only one list is processed:
    windows-baseline.md section 1, edge-ie-mode-policies.md)."""
    policies = [(check["policy_path"], check["policy_name"])]
    if check.get("legacy_policy"):
        policies.append((check["legacy_policy"]["path"], check["legacy_policy"]["name"]))
    return policies


def site_host(url):
    """'webcert.example.se:443/path' (no scheme in v.2, tolerated anyway) -> 'webcert.example.se'."""
    url = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip(), flags=re.IGNORECASE)
    return re.split(r"[:/]", url, maxsplit=1)[0].casefold()


def zone_entry_matches(entry, host):
    """Specificity (>0) of a Site to Zone Assignment entry for https://<host>/, or 0 when it does not match."""
    scheme, _unused, rest = entry.strip().rpartition("://")
    if scheme and scheme.casefold() not in ("https", "*"):
        return 0
    pattern = re.split(r"[:/]", rest, maxsplit=1)[0].casefold()
    host = host.casefold()
    if pattern == host:
        return 1000 + len(pattern)
    if pattern.startswith("*.") and host.endswith(pattern[1:]):
        return len(pattern)
    return 0


def url_pattern_matches(pattern, url):
    """Does an Edge/Chromium URL pattern ('[*.]example.se', 'https://host:443', '*') match `url`?"""
    match = re.match(r"^(?P<scheme>[a-z]+)://(?P<host>[^/:]+)(?::(?P<port>\d+))?", url, re.IGNORECASE)
    scheme, host = match.group("scheme").casefold(), match.group("host").casefold()
    port = int(match.group("port") or (443 if scheme == "https" else 80))
    text = pattern.strip()
    if text == "*":
        return True
    want_scheme, _unused, rest = text.rpartition("://")
    if want_scheme and want_scheme not in ("*", scheme):
        return False
    hostport = rest.split("/", 1)[0]
    subdomains = hostport.startswith("[*.]")  # '[*.]example.se' also matches every subdomain
    want_host, _unused, want_port = hostport[4 if subdomains else 0:].partition(":")
    if want_port and want_port != "*" and int(want_port) != port:
        return False
    want_host = want_host.casefold()
    if subdomains:
        return host == want_host or host.endswith("." + want_host)
    return want_host in ("*", host)


def url_pattern_precedence(pattern):
    """How specific a Chromium URL pattern is, as a sortable tuple: when several content-setting patterns match
    a site, the most specific one decides (chrome.contentSettings "Pattern precedence"; Chromium's
    ContentSettingsPattern::Compare compares the host first, then scheme, then port). Host: an exact host beats
    '[*.]domain', a longer domain beats a shorter one, '*' is weakest."""
    text = pattern.strip()
    if text == "*":
        return (0, 0, 0, 0)
    scheme, _unused, rest = text.rpartition("://")
    hostport = rest.split("/", 1)[0]
    subdomains = hostport.startswith("[*.]")
    host, _unused, port = hostport[4 if subdomains else 0:].partition(":")
    host_rank = 0 if host in ("", "*") else 1 if subdomains else 2
    return (host_rank, len([label for label in host.split(".") if label and label != "*"]),
            int(bool(scheme) and scheme != "*"), int(bool(port) and port != "*"))


def normalise_origin(origin):
    """'HTTPS://Sign.Example.se/' -> 'https://sign.example.se': scheme and host compare case-insensitively and an
    origin has no path, so a trailing slash means the same origin."""
    text = str(origin).strip()
    scheme, separator, rest = text.partition("://")
    if not separator:
        return text.rstrip("/").casefold()
    return "%s://%s" % (scheme.casefold(), rest.rstrip("/").casefold())


def autolaunch_entries(data):
    """The AutoLaunchProtocolsFromOrigins policy value (JSON text) -> its entries. ValueError when it is not a JSON
    list: the browser ignores such a value."""
    entries = json.loads(str(data))
    if not isinstance(entries, list):
        raise ValueError("not a JSON list")
    return entries


def autolaunch_entry_for(entry, protocol):
    """Is this AutoLaunchProtocolsFromOrigins entry the one for `protocol` (compared case-insensitively)?"""
    return isinstance(entry, dict) and str(entry.get("protocol", "")).casefold() == protocol.casefold()
