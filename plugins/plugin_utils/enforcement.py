# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What enforce mode does, derived from the same catalogue the audit judges.

Only controls marked `enforceable: true` are enforced, and only check types registered with an
Enforcement (@check_type(..., enforce=...)). Enforcement works in two steps, both on the controller:

1. enforcement_plan(): per control, the desired state (a plan item), from the catalogue, the region's
   settings and its inputs (site list entries, installers, CA files, NTP source). No host is contacted;
   bad input stops here, naming the control and the input.
2. enforcement_changes(): the plan item against the workstation's evidence (read by the same collector
   the audit uses) gives the exact operations, per module family: registry values to set or remove,
   service start modes and states, CA certificates to import, the site list to write, features to enable,
   card clients to install, a clock resync. The role applies each family in one module call (or one loop)
   and the audit afterwards proves the result.

The PowerShell modules only apply operations (each idempotent on its own); every decision is here, in Python
that the tests exercise: for every enforceable control of every profile, applying the operations to
non-compliant evidence gives evidence the audit judges `passed` (tests/unit/test_enforce_satisfies_audit.py).
"""

import json
import os
import re

from ansible_collections.webcert.fleet.plugins.plugin_utils.browser_policy import (
    BROWSER_POLICY_ROOTS, HKCU_POLICY_INTERNET_SETTINGS, HKLM_POLICY_INTERNET_SETTINGS, SiteListError, autolaunch_entries,
    autolaunch_entry_for, parse_site_list, site_host, site_list_policies, url_pattern_matches, url_pattern_precedence,
    zone_entry_matches)
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.certificates import named, unexpired
from ansible_collections.webcert.fleet.plugins.plugin_utils.checks import PASSED, all_check_types
from ansible_collections.webcert.fleet.plugins.plugin_utils.errors import CatalogueError, WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence import (
    NotCollected, key_values, lookup, registry_key, registry_value, section)
from ansible_collections.webcert.fleet.plugins.plugin_utils.expect import matches, parse_version, pattern_found, version_at_least
from ansible_collections.webcert.fleet.plugins.plugin_utils.management_channel import guard_control
from ansible_collections.webcert.fleet.plugins.module_utils.swedish_time import parse_timestamp

# Catalogue registry types -> the `type` our registry module (and ansible.windows.win_regedit) takes.
REGISTRY_TYPES = {"REG_SZ": "string", "REG_EXPAND_SZ": "expandstring", "REG_DWORD": "dword",
                  "REG_QWORD": "qword", "REG_MULTI_SZ": "multistring", "REG_BINARY": "binary"}
# ... and back: the module's `type` -> the type the collector reports (REG_SZ, ...).
COLLECTED_REGISTRY_TYPES = {module_type: collected for collected, module_type in REGISTRY_TYPES.items()}
# Catalogue certificate stores -> ansible.windows.win_certificate_store (store_location, store_name).
CERTIFICATE_STORES = {"LocalMachine\\Root": ("LocalMachine", "Root"),
                      "LocalMachine\\CA": ("LocalMachine", "CertificateAuthority"),
                      "LocalMachine\\My": ("LocalMachine", "My")}
# Start modes as the collector reports them (Get-Service) -> as our service module takes them.
START_MODES = {"automatic": "auto", "manual": "manual", "disabled": "disabled"}

# The plan families, in the order the role applies them: family -> the role task file that applies its
# operations (one module call per family). The site list file is written before the policy points to it.
FAMILIES = {"site_list": "roles/webcert_workstation/tasks/site_list.yml",
            "registry": "roles/webcert_workstation/tasks/registry.yml",
            "services": "roles/webcert_workstation/tasks/services.yml",
            "certificates": "roles/webcert_workstation/tasks/certificates.yml",
            "features": "roles/webcert_workstation/tasks/features.yml",
            "card_clients": "roles/webcert_workstation/tasks/card_clients.yml",
            "time": "roles/webcert_workstation/tasks/time.yml"}

# Enterprise Mode site list schema v.2 (windows-baseline.md section 1).
SITE_LIST_COMPAT_MODES = ("default", "IE8Enterprise", "IE7Enterprise", "IE5", "IE7", "IE8", "IE9", "IE10", "IE11")
SITE_LIST_OPEN_IN = ("IE11", "MSEdge", "None")
DEFAULT_SITE_LIST_LOCATION = "C:\\ProgramData\\webcert-fleet\\EnterpriseModeSiteList.xml"
W32TIME_POLICY = "HKLM:\\SOFTWARE\\Policies\\Microsoft\\W32Time\\Parameters"


class Enforcement:
    """How a check type is enforced.

    build(control, inputs) -> the plan item (desired state, JSON-ready) of `family`;
    change(item, evidence) -> (operations by family, notes): what to do on this workstation.
    """

    def __init__(self, family, build, change):
        if family not in FAMILIES:
            raise ValueError("unknown enforcement family %r (known: %s)" % (family, ", ".join(FAMILIES)))
        self.family = family
        self.build = build
        self.change = change

    @property
    def role_tasks(self):
        return FAMILIES[self.family]


class Inputs:
    """The region's enforcement inputs from the inventory (role variables), checked when the plan is built."""

    def __init__(self, site_list=None, installers=None, certificate_files=None, ntp_server=None, base_dir=None):
        self.site_list = site_list or {}
        self.installers = installers or {}
        self.certificate_files = {str(k).upper(): v for k, v in (certificate_files or {}).items()}
        self.ntp_server = ntp_server or None
        self.base_dir = base_dir or os.getcwd()

    def path(self, path):
        return path if os.path.isabs(path) else os.path.join(self.base_dir, path)


class Changes:
    """Operations by family plus notes (what enforce leaves alone, and why), for one workstation."""

    def __init__(self):
        self.operations = {family: [] for family in FAMILIES}
        self.notes = []

    def add(self, family, operation):
        self.operations[family].append(operation)

    def note(self, control_id, text):
        self.notes.append({"control_id": control_id, "note": text})


def _op(control, **fields):
    return dict(control_id=control["control_id"], **fields)


# --- registry values ---------------------------------------------------------------------------

def _registry_data(control):
    expect = control["check"]["expect"]
    if "equals" in expect:
        return expect["equals"]
    if "in" in expect and any(value is not None for value in expect["in"]):
        return next(value for value in expect["in"] if value is not None)
    raise CatalogueError("control %s: enforceable registry_value needs expect 'equals' or 'in' with a value"
                         % control["id"])


def build_registry_value(control, inputs):
    check = control["check"]
    data = _registry_data(control)
    value_type = check.get("value_type") or ("REG_DWORD" if isinstance(data, int) else "REG_SZ")
    return {"control_id": control["id"], "path": check["path"], "name": check["name"], "data": data,
            "type": REGISTRY_TYPES[value_type]}


def _set_value(changes, item, path, name, data, value_type, evidence, why=""):
    """Add a registry set operation unless the evidence shows the value already is `data` of that type."""
    try:
        current = registry_value(evidence, path, name)
    except NotCollected:
        current = None  # not read: set it; the module leaves a value that already matches alone
    if current is not None and current["type"] == COLLECTED_REGISTRY_TYPES[value_type] and matches({"equals": data}, current["data"]):
        return
    changes.add("registry", _op(item, path=path, name=name, data=data, type=value_type, state="present",
                                before=current, why=why))


def change_registry_value(item, evidence, changes):
    _set_value(changes, item, item["path"], item["name"], item["data"], item["type"], evidence)


# --- services ----------------------------------------------------------------------------------

def build_service(control, inputs):
    check = control["check"]
    if "start_mode" not in check and "state" not in check:
        raise CatalogueError("control %s: enforceable service check needs 'start_mode' or 'state'" % control["id"])
    item = {"control_id": control["id"], "name": check["name"]}
    for field in ("start_mode", "state"):
        if field in check:
            item[field] = check[field]
    if "state" in check and check["state"] not in ({"equals": "Running"}, {"equals": "Stopped"}):
        raise CatalogueError("control %s: enforceable service state must be equals Running or Stopped" % control["id"])
    if check["name"].casefold() == "w32time":
        item["ntp_server"] = inputs.ntp_server  # Windows Time also gets the region's NTP source, when one is given
    return item


def change_service(item, evidence, changes):
    _change_service_mode(item, evidence, changes)
    if item.get("ntp_server"):
        for name, data in (("NtpServer", item["ntp_server"]), ("Type", "NTP")):
            _set_value(changes, item, W32TIME_POLICY, name, data, "string", evidence, why="region NTP source")


def _change_service_mode(item, evidence, changes):
    service = lookup(section(evidence, "services"), item["name"])
    if service is None or not service["exists"]:
        changes.note(item["control_id"], "service %s does not exist on the workstation; enforce does not install "
                     "services" % item["name"])
        return
    current_mode, current_state = service.get("start_mode"), service.get("state")
    start_mode = state = None
    if "start_mode" in item and not matches(item["start_mode"], current_mode):
        # For "not Disabled" the least change that satisfies it: Manual (trigger-started services stay so).
        start_mode = START_MODES[str(item["start_mode"].get("equals", "Manual")).casefold()]
    if "state" in item and not matches(item["state"], current_state):
        state = "started" if item["state"]["equals"] == "Running" else "stopped"
        if state == "started" and str(start_mode or current_mode).casefold() in ("disabled", "none"):
            start_mode = "auto"  # a disabled service cannot start
        elif state == "started" and item["name"].casefold() == "w32time" and str(current_mode).casefold() == "manual":
            start_mode = "auto"  # trigger-started (workgroup PCs) it stops again by itself: the control would flip
    if start_mode or state:
        changes.add("services", _op(item, name=item["name"], start_mode=start_mode, state=state,
                                    before={"start_mode": current_mode, "state": current_state}))


# --- certificates ------------------------------------------------------------------------------

def certificate_info(path):
    """{thumbprint (SHA-1, upper-case hex), subject, issuer, subject_cn, issuer_cn, not_after} of a PEM or DER
    certificate file, as the collector reports a certificate."""
    from cryptography import x509  # pylint: disable=import-outside-toplevel  # controller only, with ansible-core
    from cryptography.hazmat.primitives import hashes  # pylint: disable=import-outside-toplevel
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        certificate = x509.load_pem_x509_certificate(data) if b"-----BEGIN CERTIFICATE-----" in data \
            else x509.load_der_x509_certificate(data)
    except ValueError as exc:
        raise WebcertError("%s: not a readable certificate (PEM or DER): %s" % (path, exc)) from None

    def common_name(name):
        found = name.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
        return str(found[0].value) if found else None
    return {"thumbprint": certificate.fingerprint(hashes.SHA1()).hex().upper(),  # nosec - a thumbprint, as Windows shows it
            "subject": certificate.subject.rfc4514_string(), "issuer": certificate.issuer.rfc4514_string(),
            "subject_cn": common_name(certificate.subject), "issuer_cn": common_name(certificate.issuer),
            "not_after": certificate.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ")}


def _certificate_files(inputs, control):
    """{thumbprint: info + path} of every file the region gives, each checked against the thumbprint it is under."""
    files = {}
    for thumbprint, path in inputs.certificate_files.items():
        path = inputs.path(path)
        try:
            info = certificate_info(path)
        except OSError as exc:
            raise WebcertError("webcert_workstation_certificate_files: %s: %s: %s" % (thumbprint, path, exc.strerror)) \
                from None
        if info["thumbprint"] != thumbprint:
            raise WebcertError("webcert_workstation_certificate_files: %s: %s has thumbprint %s, not the one it is "
                               "listed under (control %s)" % (thumbprint, path, info["thumbprint"], control["id"]))
        files[thumbprint] = dict(info, path=path)
    return files


def build_certificate(control, inputs):
    check = control["check"]
    location, name = CERTIFICATE_STORES[check["store"]]
    item = {"control_id": control["id"], "store": check["store"], "store_location": location, "store_name": name,
            "files": _certificate_files(inputs, control)}
    if "subject_common_names" in check:
        # CAs named by subject CN (their thumbprints are not published): the region's files say which is which.
        item.update(names=list(check["subject_common_names"]), issuer_cn=check.get("issuer_common_name"))
    else:
        item["thumbprints"] = [t.upper() for t in (check["thumbprints"] if "thumbprints" in check
                                                   else [check["thumbprint"]])]
    return item


def _import(changes, item, info):
    changes.add("certificates", _op(item, thumbprint=info["thumbprint"], file=info["path"], subject=info["subject"],
                                    issuer=info["issuer"], not_after=info["not_after"],
                                    store_location=item["store_location"], store_name=item["store_name"]))


def change_certificate(item, evidence, changes):
    store = lookup(section(evidence, "certificates"), item["store"])
    if store is None:
        raise NotCollected("certificate store %s was not collected" % item["store"])
    present = {c["thumbprint"].upper() for c in store}
    for thumbprint in item.get("thumbprints", []):
        if thumbprint in present:
            continue
        if thumbprint not in item["files"]:
            changes.note(item["control_id"], "no file for %s in webcert_workstation_certificate_files: left to the "
                         "audit" % thumbprint)
            continue
        _import(changes, item, item["files"][thumbprint])
    collected = parse_timestamp(evidence["collected_at"])
    for name in item.get("names", []):
        if unexpired(named(store, name, item["issuer_cn"]), collected):
            continue
        files = [f for f in item["files"].values() if (f["subject_cn"] or "").casefold() == name.casefold()
                 and (not item["issuer_cn"] or (f["issuer_cn"] or "").casefold() == item["issuer_cn"].casefold())]
        if not files:
            changes.note(item["control_id"], "no file for %s in webcert_workstation_certificate_files: left to the "
                         "audit" % name)
            continue
        _import(changes, item, max(files, key=lambda f: f["not_after"]))


# --- optional features -------------------------------------------------------------------------

def build_optional_feature(control, inputs):
    check = control["check"]
    if check["state"] != {"equals": "Enabled"}:
        raise CatalogueError("control %s: enforce can only enable an optional feature (state equals Enabled)"
                             % control["id"])
    return {"control_id": control["id"], "name": check["name"]}


def change_optional_feature(item, evidence, changes):
    feature = lookup(section(evidence, "optional_features"), item["name"])
    state = (feature or {}).get("state")
    if feature is not None and state is None:
        changes.note(item["control_id"], "feature %s does not exist on this Windows" % item["name"])
    elif state != "Enabled":
        changes.add("features", _op(item, name=item["name"], before=state))


# --- Enterprise Mode site list -----------------------------------------------------------------

def _site_list_entry(entry, where):
    """A region site-list entry, validated against schema v.2, normalised to {url, compat_mode, open_in,
    allow_redirect}."""
    if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
        raise WebcertError("%s: each entry needs a 'url' (host[:port][/path])" % where)
    unknown = set(entry) - {"url", "compat_mode", "open_in", "allow_redirect"}
    if unknown:
        raise WebcertError("%s: unknown field(s) %s (known: url, compat_mode, open_in, allow_redirect)"
                           % (where, ", ".join(sorted(unknown))))
    url = entry["url"].strip()
    if not url or "://" in url or "*" in url or "?" in url or re.search(r"\s", url):
        raise WebcertError("%s: url %r: schema v.2 wants host[:port][/path] without protocol, wildcard or query"
                           % (where, entry["url"]))
    compat = entry.get("compat_mode", "default")
    open_in = entry.get("open_in", "None")
    if compat not in SITE_LIST_COMPAT_MODES:
        raise WebcertError("%s: compat_mode %r is not one of %s" % (where, compat, ", ".join(SITE_LIST_COMPAT_MODES)))
    if open_in not in SITE_LIST_OPEN_IN:
        raise WebcertError("%s: open_in %r is not one of %s" % (where, open_in, ", ".join(SITE_LIST_OPEN_IN)))
    if not isinstance(entry.get("allow_redirect", False), bool):
        raise WebcertError("%s: allow_redirect must be true or false" % where)
    return {"url": url, "compat_mode": compat, "open_in": open_in, "allow_redirect": entry.get("allow_redirect", False)}


def site_list_policy_value(location):
    """The policy value Edge reads: a local path as a file:/// URL; a UNC path or an https URL as is."""
    if re.match(r"^[A-Za-z]:\\", location):
        return "file:///" + location.replace("\\", "/")
    return location


def build_ie_site_list(control, inputs):
    check = control["check"]
    where = "webcert_site_list"
    options = inputs.site_list
    if not isinstance(options, dict):
        raise WebcertError("%s: must be a mapping (location, entries, publish_path)" % where)
    unknown = set(options) - {"location", "entries", "publish_path"}
    if unknown:
        raise WebcertError("%s: unknown field(s) %s (known: location, entries, publish_path)"
                           % (where, ", ".join(sorted(unknown))))
    location = options.get("location") or DEFAULT_SITE_LIST_LOCATION
    if not re.match(r"^([A-Za-z]:\\|\\\\|https://)", location):
        raise WebcertError("%s: location %r must be a local path (C:\\...), a UNC path (\\\\server\\share\\...) or "
                           "an https URL" % (where, location))
    want_ie = check.get("expect", "ie11") == "ie11"
    # Classic: Webcert opens in IE11 mode. 2024: Webcert must not be forced into IE mode, so its entry opens in Edge.
    ours = [{"url": check["host"], "compat_mode": "IE11" if want_ie else "default",
             "open_in": "IE11" if want_ie else "MSEdge", "allow_redirect": want_ie}]
    for index, entry in enumerate(options.get("entries") or []):
        entry = _site_list_entry(entry, "%s: entries[%d]" % (where, index))
        if site_host(entry["url"]) == site_host(check["host"]):
            raise WebcertError("%s: entries[%d]: %s is Webcert's own entry, which enforce writes itself"
                               % (where, index, entry["url"]))
        ours.append(entry)
    return {"control_id": control["id"], "want_ie": want_ie, "policies": site_list_policies(check),
            "cloud_policy": [check["policy_path"], check["cloud_policy_name"]] if check.get("cloud_policy_name") else None,
            "policy_path": check["policy_path"], "policy_name": check["policy_name"],
            "host": check["host"], "location": location, "policy_value": site_list_policy_value(location),
            "local": bool(re.match(r"^[A-Za-z]:\\", location)), "publish_path": options.get("publish_path"),
            "location_given": bool(options.get("location")), "entries": ours}


# The problem of a site list the PC could not fetch (as opposed to one it fetched and could not parse).
UNREAD = "could not be read"


def _existing_site_list(item, evidence):
    """(policy value, version, sites, problem) of the list Edge uses now: the first file-based site list policy
    that is set (Edge's own, then the legacy IE one), as the audit reads it."""
    for path, name in item["policies"]:
        value = registry_value(evidence, path, name, required=False)
        if value is None or not str(value["data"]).strip():
            continue
        fetched = lookup(section(evidence, "site_lists"), "%s\\%s" % (path, name)) or {}
        if fetched.get("error") or fetched.get("content") is None:
            return value, None, [], "the site list at %s %s (%s): a new one is written" % (
                value["data"], UNREAD, fetched.get("error") or "not fetched")
        try:
            version, sites = parse_site_list(fetched["content"])
        except SiteListError as exc:
            return value, None, [], "the site list at %s is unusable (%s): a new one is written" % (value["data"], exc)
        return value, version, sites, None
    return None, None, [], None


def merge_site_list(existing, ours):
    """Our entries merged into an existing list: foreign entries are kept in place; an entry for the same URL
    is replaced where it stood (the first one for Webcert's host, so the first match is ours). Returns
    (sites, conflicts) with a text per entry we changed."""
    merged, conflicts, placed = [], [], set()
    keyed = {site_host(e["url"]) if i == 0 else e["url"].casefold(): e for i, e in enumerate(ours)}
    webcert = site_host(ours[0]["url"])
    for site in existing:
        key = site_host(site["url"]) if site_host(site["url"]) == webcert else site["url"].casefold()
        if key == webcert and webcert in placed:
            conflicts.append("removed a second entry for %s (%s opens in %s), which would never match first"
                             % (webcert, site["url"], site["open_in"]))
            continue
        mine = keyed.get(key)
        if mine is None:
            merged.append(site)
            continue
        if key in placed:
            continue
        placed.add(key)
        if site != mine:
            conflicts.append("replaced the entry for %s (open-in %s, compat-mode %s) with Webcert's (open-in %s, "
                             "compat-mode %s)" % (site["url"], site["open_in"], site["compat_mode"], mine["open_in"],
                                                  mine["compat_mode"]))
        merged.append(mine)
    merged.extend(e for key, e in keyed.items() if key not in placed)
    return merged, conflicts


def change_ie_site_list(item, evidence, changes):
    if item["cloud_policy"]:
        cloud = registry_value(evidence, item["cloud_policy"][0], item["cloud_policy"][1], required=False)
        if cloud is not None and str(cloud["data"]).strip():
            changes.note(item["control_id"], "Edge uses the cloud site list %s: change Webcert's entry there (enforce "
                         "cannot write it)" % cloud["data"])
            return
    current, version, existing, problem = _existing_site_list(item, evidence)
    at_location = current is not None and str(current["data"]).strip().casefold() == item["policy_value"].casefold()
    if problem and UNREAD in problem and not (item["local"] and at_location):
        # Unless it is our own local file: a list the PC could not fetch (double hop, TLS, proxy: docs/winrm.md)
        # may hold the region's other entries, and writing or publishing ours alone would drop them.
        changes.note(item["control_id"], problem.replace("a new one is written", "left alone: a new one would drop "
                                                         "its entries (docs/winrm.md)"))
        return
    webcert = next((s for s in existing if site_host(s["url"]) == site_host(item["host"])), None)
    if not item["want_ie"] and (webcert is None or webcert["open_in"].casefold() != "ie11") and not problem:
        return  # nothing forces Webcert into IE mode: leave the region's list (or none) alone
    if problem:
        changes.note(item["control_id"], problem)
    sites, conflicts = merge_site_list(existing, item["entries"])
    # A list that already has our entries stays where it is, unless the region named the location to use.
    settled = sites == existing and (at_location or (current is not None and not item["location_given"]))
    if not settled:
        try:
            new_version = int(version) + (0 if sites == existing else 1)
        except (TypeError, ValueError):
            new_version = 1
        if item["local"] or item["publish_path"]:
            changes.add("site_list", _op(item, dest=item["location"] if item["local"] else item["publish_path"],
                                         policy="%s\\%s" % (item["policy_path"], item["policy_name"]),
                                         on_controller=not item["local"], version=new_version, sites=sites,
                                         conflicts=conflicts, before_version=version))
        else:
            changes.note(item["control_id"], "the region publishes the site list at %s: enforce sets the policy "
                         "only; the list must open %s in %s" % (item["location"], item["host"], item["entries"][0]["open_in"]))
        _set_value(changes, item, item["policy_path"], item["policy_name"], item["policy_value"], "string", evidence)
    for conflict in conflicts:
        changes.note(item["control_id"], conflict)


# --- IE zone: active scripting -----------------------------------------------------------------

def build_ie_zone_javascript(control, inputs):
    zone = control.get("enforce", {}).get("zone", 2)
    if zone not in (1, 2):
        raise CatalogueError("control %s: enforce.zone must be 1 (Local intranet) or 2 (Trusted sites)" % control["id"])
    return {"control_id": control["id"], "host": control["check"]["host"], "zone": zone}


def change_ie_zone_javascript(item, evidence, changes):
    host, zone = item["host"], item["zone"]
    zone_map = HKLM_POLICY_INTERNET_SETTINGS + "\\ZoneMapKey"
    entries = key_values(registry_key(evidence, zone_map, required=False))
    exact = [name for name in entries if zone_entry_matches(name, host) >= 1000]
    for name in exact or ["https://%s" % host]:
        # Every exact machine entry for the host gets our zone, so whichever one Windows reads first agrees.
        _set_value(changes, item, zone_map, name, str(zone), "string", evidence)
    _set_value(changes, item, "%s\\Zones\\%d" % (HKLM_POLICY_INTERNET_SETTINGS, zone), "1400", 0, "dword", evidence)
    user = registry_value(evidence, "%s\\Zones\\%d" % (HKCU_POLICY_INTERNET_SETTINGS, zone), "1400", required=False)
    if user is not None and str(user["data"]) != "0":
        changes.note(item["control_id"], "user policy (HKCU) sets 1400 = %s in zone %d: enforce sets machine policy "
                     "only; change the user GPO" % (user["data"], zone))


# --- Edge JavaScript ---------------------------------------------------------------------------

def build_edge_javascript(control, inputs):
    browser = control["check"].get("browser", "edge")
    return {"control_id": control["id"], "host": control["check"]["host"], "browser": browser,
            "roots": list(BROWSER_POLICY_ROOTS[browser])}


def _policy_list(evidence, root, name):
    return key_values(registry_key(evidence, "%s\\%s" % (root, name), required=False))


def change_edge_javascript(item, evidence, changes):
    """Allow JavaScript for Webcert with the most specific pattern there is (scheme, exact host, port), which wins
    over every broader block by Chromium's precedence; remove only the machine block entries that are as specific."""
    url = "https://%s/" % item["host"]
    machine, user = item["roots"]
    ours = "https://%s:443" % item["host"]
    strongest = url_pattern_precedence(ours)
    machine_blocks = _policy_list(evidence, machine, "JavaScriptBlockedForUrls")
    blocked = {index: value for index, value in machine_blocks.items() if url_pattern_matches(str(value["data"]), url)}
    for index, value in blocked.items():
        if url_pattern_precedence(str(value["data"])) >= strongest:
            changes.add("registry", _op(item, path=machine + "\\JavaScriptBlockedForUrls", name=index, state="absent",
                                        before=value, why="blocks JavaScript for %s as specifically as an allow entry" % url))
    user_blocks = [] if machine_blocks else [
        v for v in _policy_list(evidence, user, "JavaScriptBlockedForUrls").values()
        if url_pattern_matches(str(v["data"]), url)]
    if any(url_pattern_precedence(str(v["data"])) >= strongest for v in user_blocks):
        changes.note(item["control_id"], "user policy (HKCU) JavaScriptBlockedForUrls blocks %s as specifically as any "
                     "allow entry: enforce sets machine policy only; change the user GPO" % url)
    default = registry_value(evidence, machine, "DefaultJavaScriptSetting", required=False) or \
        registry_value(evidence, user, "DefaultJavaScriptSetting", required=False)
    if not blocked and not user_blocks and (default is None or str(default["data"]) != "2"):
        return  # nothing blocks Webcert
    allowed = _policy_list(evidence, machine, "JavaScriptAllowedForUrls")
    if any(url_pattern_matches(str(v["data"]), url) and url_pattern_precedence(str(v["data"])) >= strongest
           for v in allowed.values()):
        return
    free = next(str(n) for n in range(1, len(allowed) + 2) if lookup(allowed, str(n)) is None)
    changes.add("registry", _op(item, path=machine + "\\JavaScriptAllowedForUrls", name=free, data=ours,
                                type="string", state="present", before=None,
                                why="JavaScript is blocked for %s by default or by a broader pattern" % url))


# --- protocol auto-launch ----------------------------------------------------------------------

def build_edge_protocol_autolaunch(control, inputs):
    check = control["check"]
    return {"control_id": control["id"], "protocol": check["protocol"], "origins": list(check.get("origins") or []),
            "root": BROWSER_POLICY_ROOTS[check.get("browser", "edge")][0]}


def change_edge_protocol_autolaunch(item, evidence, changes):
    if not item["origins"]:
        changes.note(item["control_id"], "setting siths_protocol_origins is empty (Inera does not publish the signing "
                     "origin): set it so enforce can allow %s:// from it" % item["protocol"])
        return
    current = registry_value(evidence, item["root"], "AutoLaunchProtocolsFromOrigins", required=False)
    try:
        entries = autolaunch_entries(current["data"]) if current else []
    except ValueError as exc:
        changes.note(item["control_id"], "AutoLaunchProtocolsFromOrigins was not a JSON list (%s): replaced" % exc)
        entries = []
    mine = [e for e in entries if autolaunch_entry_for(e, item["protocol"])]
    others = [e for e in entries if not autolaunch_entry_for(e, item["protocol"])]
    origins = [o for e in mine if isinstance(e.get("allowed_origins"), list) for o in e["allowed_origins"]]
    wanted = origins + [o for o in item["origins"] if o not in origins]
    if origins == wanted and len(mine) == 1:
        return
    data = json.dumps(others + [{"protocol": item["protocol"], "allowed_origins": wanted}], separators=(",", ":"))
    _set_value(changes, item, item["root"], "AutoLaunchProtocolsFromOrigins", data, "string", evidence)


# --- card client (installed product) -----------------------------------------------------------

def build_installed_product(control, inputs):
    check = control["check"]
    options = control.get("enforce") or {}
    installer = inputs.installers.get(control["id"])
    item = {"control_id": control["id"], "name_pattern": check["name_pattern"],
            "publisher_pattern": check.get("publisher_pattern"), "min_version": check.get("min_version"),
            "installer": None}
    if installer is None:
        return item
    where = "webcert_card_client_installers: %s" % control["id"]
    if not isinstance(installer, dict):
        raise WebcertError("%s: must be a mapping (file or path, sha256, version)" % where)
    unknown = set(installer) - {"file", "path", "sha256", "version", "arguments", "packaging"}
    if unknown:
        raise WebcertError("%s: unknown field(s) %s" % (where, ", ".join(sorted(unknown))))
    if bool(installer.get("file")) == bool(installer.get("path")):
        raise WebcertError("%s: give exactly one of 'file' (on the controller) and 'path' (a path or share the PC "
                           "reads)" % where)
    if not re.match(r"^[0-9A-Fa-f]{64}$", str(installer.get("sha256") or "")):
        raise WebcertError("%s: sha256 must be the installer's SHA-256 (64 hex digits)" % where)
    version = str(installer.get("version") or "")
    if parse_version(version) is None:
        raise WebcertError("%s: version %r is not a version such as 6.8.2" % (where, installer.get("version")))
    if item["min_version"] and not version_at_least(version, item["min_version"]):
        raise WebcertError("%s: the installer's version %s is older than the control's minimum %s"
                           % (where, version, item["min_version"]))
    if installer.get("packaging") not in (None, "md", "standard"):
        raise WebcertError("%s: packaging must be md or standard" % where)
    source = installer.get("file")
    if source:
        source = inputs.path(source)
        if not os.path.isfile(source):
            raise WebcertError("%s: file %s does not exist on the controller" % (where, source))
    item["installer"] = {"file": source, "path": installer.get("path"), "sha256": installer["sha256"].upper(),
                         "version": version, "packaging": installer.get("packaging"),
                         "arguments": installer.get("arguments", options.get("installer_arguments", "")),
                         "md_pattern": options.get("md_name_pattern")}
    return item


def change_installed_product(item, evidence, changes):
    found = [p for p in section(evidence, "products") if pattern_found(item["name_pattern"], p["name"])
             and pattern_found(item["publisher_pattern"], p.get("publisher"))]
    new_enough = [p for p in found if version_at_least(p.get("version"), item["min_version"])]
    if found and (not item["min_version"] or new_enough):
        return
    installer = item["installer"]
    if installer is None:
        changes.note(item["control_id"], "no installer for it in webcert_card_client_installers: left to the audit")
        return
    newest = max((p.get("version") for p in found if parse_version(p.get("version"))), key=parse_version, default=None)
    if newest and version_at_least(newest, installer["version"]):
        changes.note(item["control_id"], "installed %s is not older than the installer's %s: never downgrade"
                     % (newest, installer["version"]))
        return
    if installer["packaging"] and installer["md_pattern"]:
        md_installed = [p["name"] for p in found if pattern_found(installer["md_pattern"], p["name"])]
        if found and bool(md_installed) != (installer["packaging"] == "md"):
            changes.note(item["control_id"], "the installed packaging (%s) differs from the installer's (%s): Inera's "
                         "rule is uninstall, reboot, install; uninstall it first (enforce does not switch packaging)"
                         % ("; ".join(p["name"] for p in found), installer["packaging"]))
            return
    # The patterns go along so the role can read the version after the install the way the audit does.
    changes.add("card_clients", _op(item, action="upgrade" if found else "install", before=newest,
                                    name_pattern=item["name_pattern"], publisher_pattern=item["publisher_pattern"],
                                    **installer))


# --- clock -------------------------------------------------------------------------------------

def build_clock(control, inputs):
    return {"control_id": control["id"], "check": control["check"]}


def change_clock(item, evidence, changes):
    try:
        outcome = all_check_types()["clock"].judge(item["check"], evidence)
    except NotCollected as reason:
        changes.note(item["control_id"], "left alone: %s" % reason)
        return
    if outcome.status != PASSED:
        changes.add("time", _op(item, action="resync", before=outcome.actual))


REGISTRY_VALUE = Enforcement("registry", build_registry_value, change_registry_value)
SERVICE = Enforcement("services", build_service, change_service)
CERTIFICATE = Enforcement("certificates", build_certificate, change_certificate)
OPTIONAL_FEATURE = Enforcement("features", build_optional_feature, change_optional_feature)
IE_SITE_LIST = Enforcement("site_list", build_ie_site_list, change_ie_site_list)
IE_ZONE_JAVASCRIPT = Enforcement("registry", build_ie_zone_javascript, change_ie_zone_javascript)
EDGE_JAVASCRIPT = Enforcement("registry", build_edge_javascript, change_edge_javascript)
EDGE_PROTOCOL_AUTOLAUNCH = Enforcement("registry", build_edge_protocol_autolaunch, change_edge_protocol_autolaunch)
INSTALLED_PRODUCT = Enforcement("card_clients", build_installed_product, change_installed_product)
CLOCK = Enforcement("time", build_clock, change_clock)


def enforcement_of(check_type_name):
    """The Enforcement registered for a check type, or None when the type is audit-only."""
    registered = all_check_types().get(check_type_name)
    return registered.enforce if registered else None


def selected(control, only=(), skip=()):
    """Is the control picked by `only` (control ids or family names; empty = all) and not by `skip`?"""
    enforcement = enforcement_of(control["check"]["type"])
    names = {control["id"], enforcement.family if enforcement else None}
    return (not only or bool(names & set(only))) and not names & set(skip)


def enforcement_plan(profile, settings=None, skip=(), catalogue=None, inputs=None, only=()):
    """{family: [plan item, ...]} for one profile's workstations, each item naming its control_id."""
    catalogue = catalogue or load_catalogue()
    inputs = inputs or Inputs()
    unknown = [cid for cid in skip if re.match(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$", str(cid)) and cid not in catalogue.by_id]
    if unknown:
        raise CatalogueError("webcert_workstation_skip_controls: unknown control id(s) %s" % ", ".join(unknown))
    plan = {family: [] for family in FAMILIES}
    for control in catalogue.for_profile(profile, "workstation", settings):
        if not control["enforceable"]:
            continue
        enforcement = enforcement_of(control["check"]["type"])
        if enforcement is None:
            enforceable = sorted(name for name, registered in all_check_types().items() if registered.enforce)
            raise CatalogueError("control %s: enforceable: true, but check type %r cannot be enforced (only %s)"
                                 % (control["id"], control["check"]["type"], ", ".join(enforceable)))
        guard_control(control, "the catalogue with this inventory's webcert_settings")
        if not selected(control, only, skip):
            continue
        plan[enforcement.family].append(enforcement.build(control, inputs))
    return plan


def audit_only(profile, settings=None, catalogue=None):
    """[{control_id, title, reason}] for the controls of a profile enforce leaves to the audit."""
    catalogue = catalogue or load_catalogue()
    found = []
    for control in catalogue.for_profile(profile, "workstation", settings):
        if control["enforceable"]:
            continue
        registered = all_check_types()[control["check"]["type"]]
        reason = (control.get("enforce") or {}).get("audit_only") or registered.audit_only or \
            "marked enforceable: false in the catalogue"
        found.append({"control_id": control["id"], "title": control["title"], "reason": reason})
    return found


def enforcement_changes(plan, controls, evidence):
    """The operations that bring this workstation's evidence to the plan: a Changes (operations, notes).

    `controls` are the profile's resolved controls (for applies_when). A control whose applies_when does not
    hold is left alone; one whose current state could not be read is noted and left alone.
    """
    from ansible_collections.webcert.fleet.plugins.plugin_utils.judge import judge_control  # pylint: disable=import-outside-toplevel
    by_id = {control["id"]: control for control in controls}
    changes = Changes()
    for family in FAMILIES:
        for item in plan[family]:
            control = by_id[item["control_id"]]
            if control.get("applies_when") is not None:
                judged = judge_control(control, evidence)
                if judged["status"] == "not_applicable":
                    changes.note(control["id"], judged["message"])
                    continue
            try:
                enforcement_of(control["check"]["type"]).change(item, evidence, changes)
            except NotCollected as reason:
                changes.note(control["id"], "left alone: its current state was not read (%s)" % reason)
    return changes


def describe_operation(family, op):
    """One line for the plan output: what the operation changes."""
    if family == "registry":
        where = "%s\\%s" % (op["path"], op["name"])
        if op["state"] == "absent":
            return "remove %s (= %r)" % (where, (op.get("before") or {}).get("data"))
        before = op.get("before")
        return "set %s = %r (%s)%s" % (where, op["data"], op["type"],
                                       ", was %r" % before["data"] if before else ", was not set")
    if family == "services":
        parts = ["start mode %s" % op["start_mode"]] if op.get("start_mode") else []
        parts += ["state %s" % op["state"]] if op.get("state") else []
        before = op["before"]
        return "service %s: %s (was %s, %s)" % (op["name"], ", ".join(parts), before["start_mode"], before["state"])
    if family == "certificates":
        return "import %s into %s\\%s" % (op["thumbprint"], op["store_location"], op["store_name"])
    if family == "features":
        return "enable Windows feature %s (was %s)" % (op["name"], op.get("before"))
    if family == "site_list":
        return "write the site list (version %s, %d sites) to %s%s" % (
            op["version"], len(op["sites"]), op["dest"], " on the controller" if op["on_controller"] else "")
    if family == "card_clients":
        was = ", was %s" % op["before"] if op["before"] else ""
        source = op["file"] or op["path"]
        return "%s to %s from %s (sha256 %s...)%s" % (op["action"], op["version"], source, op["sha256"][:12], was)
    if family == "time":
        return "resynchronise the clock (w32tm /resync; offset %s)" % op["before"]
    return json.dumps(op)


def summary_by_family(changes):
    """{family: [one line per operation]}."""
    return {family: ["%s: %s" % (op["control_id"], describe_operation(family, op)) for op in ops]
            for family, ops in changes.operations.items()}


def summary_lines(changes):
    lines = ["%s: %s" % (op["control_id"], describe_operation(family, op))
             for family in FAMILIES for op in changes.operations[family]]
    lines += ["%s: %s" % (note["control_id"], note["note"]) for note in changes.notes]
    return lines


# What each module takes of an operation (the rest, such as `before`, is for the plan output and the report).
MODULE_FIELDS = {"registry": ("control_id", "path", "name", "data", "type", "state"),
                 "services": ("control_id", "name", "start_mode", "state")}


def module_operations(changes):
    """The operations of the registry and service families as their modules take them."""
    return {family: [{key: op[key] for key in fields if op.get(key) is not None} for op in changes.operations[family]]
            for family, fields in MODULE_FIELDS.items()}
