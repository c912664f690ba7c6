# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Judges of the workstation check types (evidence from the collector, schemas/evidence.schema.json).

Each @check_type also says what the collector must read (`needs`), so a new control of an existing type
is only catalogue data: the collector reads whatever the collection plan lists. docs/controls-workstation.md
describes every type; docs/collector.md the plan keys.
"""

import datetime

from ansible_collections.webcert.fleet.plugins.plugin_utils.judges import card_readers
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.browser_policy import (
    BROWSER_NAMES, BROWSER_POLICY_ROOTS, HKCU_POLICY_INTERNET_SETTINGS, HKLM_POLICY_INTERNET_SETTINGS, ZONE_NAMES,
    SiteListError, autolaunch_entries, autolaunch_entry_for, normalise_origin, parse_site_list, site_host,
    site_list_policies, url_pattern_matches, url_pattern_precedence, zone_entry_matches)
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.certificates import named, serial_number, unexpired
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.registry import FAILED, PASSED, Outcome, check_type, passed_if
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import NotCollected, section
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import key_values as _key_values
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import lookup as _lookup
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import registry_key as _registry_key
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import registry_value as _registry_value
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.expect import describe, matches, parse_version, pattern_found, version_at_least
from ansible_collections.webcert.fleet.plugins.module_utils.swedish_time import parse_timestamp

WINDOWS11_FIRST_BUILD = 22000


def _user_context(evidence):
    return (evidence.get("collector") or {}).get("user_context")


def _collected_on(evidence):
    return parse_timestamp(evidence["collected_at"])


# --- registry values ---------------------------------------------------------------------------

@check_type("registry_value", needs=lambda check: {"registry_keys": [check["path"]]})
def judge_registry_value(check, evidence):
    value = _registry_value(evidence, check["path"], check["name"])
    where = "%s\\%s" % (check["path"], check["name"])
    expected = describe(check["expect"])
    if value is None:
        ok = matches(check["expect"], None)
        return passed_if(ok, expected, None, "%s is not set, as allowed" % where, "%s is not set" % where)
    actual = value["data"]
    if check.get("value_type") and value["type"] != check["value_type"]:
        return Outcome(FAILED, "%s (%s)" % (expected, check["value_type"]), "%r (%s)" % (actual, value["type"]),
                       "%s has type %s, expected %s" % (where, value["type"], check["value_type"]))
    ok = matches(check["expect"], actual)
    return passed_if(ok, expected, actual, "%s = %r" % (where, actual), "%s = %r, expected %s" % (where, actual, expected))


# --- services ----------------------------------------------------------------------------------

@check_type("service", needs=lambda check: {"services": [check["name"]]})
def judge_service(check, evidence):
    service = _lookup(section(evidence, "services"), check["name"])
    if service is None:
        raise NotCollected("service %s was not collected" % check["name"])
    fields = [field for field in ("start_mode", "state") if field in check]
    expected = ", ".join("%s %s" % (field.replace("_", " "), describe(check[field])) for field in fields)
    if not service["exists"]:
        return Outcome(FAILED, expected, "not installed", "service %s does not exist" % check["name"])
    unread = [field for field in fields if service.get(field) is None]
    if unread:
        # The schema allows a field the collector could not read (null or absent): that is "could not
        # check", never a start mode or state to compare.
        raise NotCollected("service %s exists but its %s was not read" % (check["name"], " and ".join(
            field.replace("_", " ") for field in unread)))
    actual = ", ".join("%s %s" % (field.replace("_", " "), service.get(field)) for field in fields)
    ok = all(matches(check[field], service.get(field)) for field in fields)
    return passed_if(ok, expected, actual, "service %s: %s" % (check["name"], actual),
                     "service %s: %s, expected %s" % (check["name"], actual, expected))


# --- installed products ------------------------------------------------------------------------

def _product(check):
    """The product's name for people (the catalogue's `product`); a check written without one names its pattern."""
    return check.get("product") or "product matching /%s/" % check["name_pattern"]


@check_type("installed_product", needs=lambda check: {"product_patterns": [check["name_pattern"]]})
def judge_installed_product(check, evidence):
    products = section(evidence, "products")
    searched = evidence.get("product_patterns")
    # The collector keeps only uninstall entries matching the plan's patterns: a pattern it was not given
    # says nothing about what is installed. Evidence without the list (older collectors) is judged as is.
    if searched is not None and check["name_pattern"] not in searched:
        raise NotCollected("the collector did not search the uninstall entries for /%s/ (it searched %s); "
                           "collect with a plan made for these settings" % (
                               check["name_pattern"], ", ".join("/%s/" % p for p in searched) or "nothing"))
    found = [p for p in products if pattern_found(check["name_pattern"], p["name"])
             and pattern_found(check.get("publisher_pattern"), p.get("publisher"))]
    actual = "; ".join("%s %s" % (p["name"], p.get("version") or "(no version)") for p in found) or "not installed"
    if check.get("installed") is False:
        # Used in applies_when: "no such product is installed".
        return passed_if(not found, "not installed", actual, "no %s installed" % _product(check),
                         "installed: %s" % actual)
    minimum = check.get("min_version")
    expected = "installed" + (", version %s or later" % minimum if minimum else "")
    if not found:
        return Outcome(FAILED, expected, actual, "no %s installed" % _product(check))
    if not minimum or any(version_at_least(p.get("version"), minimum) for p in found):
        return Outcome(PASSED, expected, actual, "installed: %s" % actual)
    unreadable = [p for p in found if parse_version(p.get("version")) is None]
    if unreadable:
        raise NotCollected("%s is installed but its version (DisplayVersion %r) cannot be read, so it cannot be "
                           "compared with %s" % (unreadable[0]["name"], unreadable[0].get("version"), minimum))
    newest = max(found, key=lambda p: parse_version(p.get("version")))
    return Outcome(FAILED, expected, actual, "installed version %s is older than %s" % (newest.get("version"), minimum))


# --- certificates ------------------------------------------------------------------------------

@check_type("certificate", needs=lambda check: {"certificate_stores": [check["store"]]})
def judge_certificate(check, evidence):
    stores = section(evidence, "certificates")
    found_store = _lookup(stores, check["store"])
    if found_store is None:
        raise NotCollected("certificate store %s was not collected" % check["store"])
    if "subject_common_names" in check:
        return _judge_certificates_by_name(check, evidence, found_store)
    wanted = [t.upper() for t in (check["thumbprints"] if "thumbprints" in check else [check["thumbprint"]])]
    present = {c["thumbprint"].upper(): c for c in found_store}
    missing = [t for t in wanted if t not in present]
    expected = "%s in %s" % (", ".join(wanted), check["store"])
    if missing:
        return Outcome(FAILED, expected, "missing: %s" % ", ".join(missing),
                       "no certificate with thumbprint %s in %s" % (", ".join(missing), check["store"]))
    names = "; ".join(present[t].get("subject") or t for t in wanted)
    return Outcome(PASSED, expected, names, "present in %s: %s" % (check["store"], names))


def _judge_certificates_by_name(check, evidence, store):
    """Every CA named in subject_common_names is present (by subject CN, issued by issuer_common_name if given) and
    not expired when the evidence was collected: for issuing CAs whose thumbprints are not published."""
    issuer = check.get("issuer_common_name")
    now = _collected_on(evidence)
    missing, found = [], []
    for name in check["subject_common_names"]:
        matching = named(store, name, issuer)
        if unexpired(matching, now):
            found.append(name)
        else:
            missing.append(name + (" (only expired copies)" if matching else ""))
    expected = "%s in %s%s" % (", ".join(check["subject_common_names"]), check["store"],
                               " issued by %s" % issuer if issuer else "")
    if missing:
        return Outcome(FAILED, expected, "missing: %s" % ", ".join(missing), "no valid certificate named %s%s in %s"
                       % (", ".join(missing), " issued by %s" % issuer if issuer else "", check["store"]))
    return Outcome(PASSED, expected, "; ".join(found), "present in %s: %s" % (check["store"], "; ".join(found)))


# --- Windows version ---------------------------------------------------------------------------

def _lifecycle_tables(lifecycle):
    """(edition -> group, [release]) of the windows_lifecycle setting; ValueError naming what is wrong."""
    if not isinstance(lifecycle, dict) or not isinstance(lifecycle.get("editions"), dict) \
            or not isinstance(lifecycle.get("releases"), list):
        raise ValueError("setting windows_lifecycle must be a mapping with 'editions' (group -> EditionIDs) and "
                         "'releases' (a list)")
    groups = {}
    for group, editions in lifecycle["editions"].items():
        for edition in editions or []:
            groups[str(edition).casefold()] = group
    for number, release in enumerate(lifecycle["releases"], 1):
        if not isinstance(release, dict) or not isinstance(release.get("build"), int) \
                or not isinstance(release.get("ends"), dict):
            raise ValueError("setting windows_lifecycle: release #%d needs an integer 'build' and an 'ends' mapping "
                             "(edition group -> YYYY-MM-DD)" % number)
        for group, day in release["ends"].items():
            try:
                datetime.date.fromisoformat(str(day))
            except ValueError:
                raise ValueError("setting windows_lifecycle: release %s: ends.%s %r is not a date (YYYY-MM-DD)"
                                 % (release.get("name") or release["build"], group, day)) from None
            if group not in lifecycle["editions"]:
                raise ValueError("setting windows_lifecycle: release %s: ends.%s is not an edition group (%s)"
                                 % (release.get("name") or release["build"], group, ", ".join(lifecycle["editions"])))
    return groups, lifecycle["releases"]


@check_type("windows_version", needs=lambda check: {"os": True},
            audit_only="upgrading Windows is a project for the region, not a setting enforce can change")
def judge_windows_version(check, evidence):
    """Windows by build AND edition AND the day the evidence was collected (setting windows_lifecycle)."""
    os_info = section(evidence, "os")
    build = int(os_info["current_build"])
    edition = os_info.get("edition_id") or ""
    # ProductName still says "Windows 10" on Windows 11: the build number decides.
    name = "Windows 11" if build >= WINDOWS11_FIRST_BUILD else "Windows 10"
    actual = "%s %s %s (build %d.%s)" % (name, os_info.get("display_version") or "", edition, build, os_info.get("ubr"))
    if "max_build" in check:  # applies_when: "Windows 10 only" and the like
        return passed_if(build <= check["max_build"], "build %d or older" % check["max_build"], actual, actual,
                         "%s is newer than build %d" % (actual, check["max_build"]))
    groups, releases = _lifecycle_tables(check["lifecycle"])
    group = groups.get(edition.casefold())
    if group is None:
        raise NotCollected("EditionID %r is in no edition group of the lifecycle table (setting windows_lifecycle, "
                           "groups %s): add it to the group whose servicing dates apply" % (edition, ", ".join(
                               sorted(set(groups.values())))))
    day = _collected_on(evidence).date()
    release = next((r for r in releases if r["build"] == build), None)
    if release is None:
        newest = max((r["build"] for r in releases), default=0)
        if build > newest:
            return Outcome(PASSED, "a release still serviced for %s" % group, actual, "WARNING: %s is newer than every "
                           "release in the lifecycle table (setting windows_lifecycle); add its end dates" % actual,
                           {"warning": True, "edition_group": group, "release": None},
                           warning="build %d is not in the lifecycle table yet: its end of servicing is unknown" % build)
        return Outcome(FAILED, "a release still serviced for %s" % group, actual, "%s is not a serviced release: build "
                       "%d is not in the lifecycle table (setting windows_lifecycle)" % (actual, build))
    label = release.get("name") or "build %d" % build
    end = release["ends"].get(group)
    details = {"release": label, "edition_group": group, "end_of_servicing": end, "warning": False}
    if end is None:
        raise NotCollected("the lifecycle table has no end date for %s on edition group %s (EditionID %s): Microsoft "
                           "services no such combination, or the table lacks it (setting windows_lifecycle)"
                           % (label, group, edition))
    expected = "%s serviced for %s through %s" % (label, group, end)
    end_day = datetime.date.fromisoformat(str(end))
    if day > end_day and release.get("esu"):
        expected += ", or under Extended Security Updates"
        if not check.get("windows10_esu"):
            return Outcome(FAILED, expected, actual, "%s: servicing for %s ended on %s and the region has no Extended "
                           "Security Updates (setting windows10_esu: false)" % (actual, group, end), details)
        esu_end = check.get("windows10_esu_end")
        details["esu_end"] = esu_end
        if esu_end and day > datetime.date.fromisoformat(esu_end):
            return Outcome(FAILED, expected, actual, "%s: Extended Security Updates ended on %s (setting "
                           "windows10_esu_end)" % (actual, esu_end), details)
        end_day, end = (datetime.date.fromisoformat(esu_end), esu_end) if esu_end else (None, None)
        if end_day is None:
            return Outcome(PASSED, expected, actual, "%s: covered by Extended Security Updates (region setting "
                           "windows10_esu)" % actual, details,
                           warning="past end of servicing, kept only by Extended Security Updates")
    if day > end_day:
        return Outcome(FAILED, expected, actual, "%s: servicing for %s editions ended on %s (collected %s)"
                       % (actual, group, end, day), details)
    left = (end_day - day).days
    details["days_left"] = left
    under = " under Extended Security Updates" if end != release["ends"][group] else ""
    warning_days = check.get("warning_days", 90)
    if left <= warning_days:
        details["warning"] = True
        return Outcome(PASSED, expected, actual, "WARNING: %s is serviced%s only until %s (%d days after collection, "
                       "within the %d-day warning window): plan the upgrade" % (actual, under, end, left, warning_days),
                       details, warning="serviced%s only until %s (%d days): plan the upgrade" % (under, end, left))
    return Outcome(PASSED, expected, actual, "%s: serviced%s until %s (%d days)" % (actual, under, end, left), details)


# --- optional features -------------------------------------------------------------------------

@check_type("optional_feature", needs=lambda check: {"optional_features": [check["name"]]})
def judge_optional_feature(check, evidence):
    feature = _lookup(section(evidence, "optional_features"), check["name"])
    if feature is None:
        raise NotCollected("optional feature %s was not collected" % check["name"])
    state = feature["state"]
    expected = describe(check["state"])
    shown = state if state is not None else "not available on this Windows"
    return passed_if(matches(check["state"], state), expected, shown, "feature %s: %s" % (check["name"], shown),
                     "feature %s: %s, expected %s" % (check["name"], shown, expected))


# --- Enterprise Mode site list -----------------------------------------------------------------

def _site_list_needs(check):
    keys = [path for path, _unused in site_list_policies(check)]
    return {"registry_keys": list(dict.fromkeys(keys)),
            "site_lists": [{"path": path, "name": name} for path, name in site_list_policies(check)]}


@check_type("ie_site_list", needs=_site_list_needs)
def judge_ie_site_list(check, evidence):
    host = check["host"]
    want_ie = check.get("expect", "ie11") == "ie11"
    expected = ("site list (schema v.2) opens %s in IE11" if want_ie else "no site list forces %s into IE mode") % host
    cloud = check.get("cloud_policy_name")
    cloud_value = _registry_value(evidence, check["policy_path"], cloud) if cloud else None
    if cloud_value is not None and str(cloud_value["data"]).strip():
        # Assumed to take precedence over the file-based list [unverified]; either way its content is not on the PC.
        raise NotCollected("Edge uses the cloud site list %s (%s\\%s) from the Microsoft 365 admin center; its content "
                           "cannot be read from the workstation: check that list for %s there"
                           % (cloud_value["data"], check["policy_path"], cloud, host))
    policy = value = None
    for path, name in site_list_policies(check):
        found = _registry_value(evidence, path, name)
        if found is not None and str(found["data"]).strip():
            policy, value = "%s\\%s" % (path, name), found
            break
    if value is None:
        names = " or ".join("%s\\%s" % item for item in site_list_policies(check))
        if not want_ie:
            return Outcome(PASSED, expected, "no site list", "no Enterprise Mode site list is set (%s): Edge opens %s "
                           "natively" % (names, host))
        return Outcome(FAILED, expected, "no site list", "policy %s is not set: Edge has no Enterprise Mode site list"
                       % names)
    fetched = _lookup(section(evidence, "site_lists"), policy)
    if fetched is None:
        raise NotCollected("the site list named by %s was not fetched" % policy)
    location = fetched.get("location") or value["data"]
    if fetched.get("error"):
        raise NotCollected("the collector could not read the site list at %s: %s" % (location, fetched["error"]))
    if fetched.get("truncated") or fetched.get("content") is None:
        raise NotCollected("the site list at %s was too large or empty as collected" % location)
    try:
        version, sites = parse_site_list(fetched["content"])
    except SiteListError as exc:
        if not want_ie:
            raise NotCollected("%s: %s; whether it forces %s into IE mode cannot be told" % (location, exc, host)) from None
        return Outcome(FAILED, expected, "unusable site list", "%s: %s" % (location, exc))
    details = {"policy": policy, "location": location, "version": version, "sites": len(sites), "site": None}
    site = next((s for s in sites if site_host(s["url"]) == host.casefold()), None)
    if site is None:
        text = "the site list at %s (%s, version %s, %d sites) does not list %s" % (
            location, policy, version, len(sites), host)
        return Outcome(PASSED if not want_ie else FAILED, expected, "%s not listed" % host, text, details)
    details["site"] = site
    in_ie = site["open_in"].casefold() == "ie11"
    actual = "%s opens in %s (compat-mode %s)" % (site["url"], site["open_in"], site["compat_mode"])
    return Outcome(PASSED if in_ie == want_ie else FAILED, expected, actual,
                   "site list at %s (%s, version %s): %s%s" % (
                       location, policy, version, actual,
                       "" if want_ie or not in_ie else ": Inera's signing flow needs Chrome or Edge, not an IE-mode tab"),
                   details)


# --- IE security zones: active scripting -------------------------------------------------------

def _zone_keys(hive_root):
    return [hive_root, hive_root + "\\ZoneMapKey"] + ["%s\\Zones\\%d" % (hive_root, zone) for zone in ZONE_NAMES]


def _zone_assignment(evidence, root, host, required):
    """(specificity, zone, text) of the most specific ZoneMapKey entry under `root` matching host, or None."""
    entries = _key_values(_registry_key(evidence, root + "\\ZoneMapKey", required=required))
    best = None
    for entry, value in entries.items():
        score = zone_entry_matches(entry, host)
        if score and (best is None or score > best[0]):
            try:
                zone = int(str(value["data"]).strip())
            except ValueError:
                continue
            best = (score, zone, "%s\\ZoneMapKey '%s' = %s" % (root, entry, value["data"]))
    return best


def _zone_scripting(evidence, root, zone, required):
    """(where, data) of URL action 1400 set by policy under `root` for `zone`, or None."""
    value = _registry_value(evidence, "%s\\Zones\\%d" % (root, zone), "1400", required)
    if value is not None:
        return "%s\\Zones\\%d\\1400" % (root, zone), value["data"]
    return None


@check_type("ie_zone_javascript", needs=lambda check: {
    "registry_keys": _zone_keys(HKLM_POLICY_INTERNET_SETTINGS) + _zone_keys(HKCU_POLICY_INTERNET_SETTINGS)},
    user_context=True)
def judge_ie_zone_javascript(check, evidence):
    host = check["host"]
    machine_only_value = _registry_value(evidence, HKLM_POLICY_INTERNET_SETTINGS, "Security_HKLM_only")
    machine_only = machine_only_value is not None and str(machine_only_value["data"]) == "1"
    user = bool(_user_context(evidence)) and not machine_only
    roots = [HKLM_POLICY_INTERNET_SETTINGS] + ([HKCU_POLICY_INTERNET_SETTINGS] if user else [])
    # Which zone is Webcert in? Machine policy first (it wins over user policy), then user policy; in each the
    # most specific Site to Zone Assignment entry counts; unassigned = Internet.
    machine_zone = _zone_assignment(evidence, HKLM_POLICY_INTERNET_SETTINGS, host, required=True)
    user_zone = _zone_assignment(evidence, HKCU_POLICY_INTERNET_SETTINGS, host, required=True) if user else None
    _unused, zone, assigned_by = machine_zone or user_zone or (0, 3, "no Site to Zone Assignment entry (Internet zone)")
    zone_name = ZONE_NAMES.get(zone, "zone %d" % zone)
    settings = [found for found in (_zone_scripting(evidence, root, zone, required=True) for root in roots) if found]
    details = {"zone": zone, "zone_name": zone_name, "assigned_by": assigned_by,
               "policies": [{"value": where, "data": data} for where, data in settings]}
    expected = "active scripting (1400) = 0 (enable) in the zone of %s" % host
    if not user and not machine_only and not (machine_zone and settings):
        # User Configuration GPOs often assign the zone or set 1400; without the user's HKCU policy (WinRM,
        # SYSTEM) only machine policy that sets both is an answer.
        raise NotCollected("machine policy alone does not decide it (%s; %s) and the user's policy (HKCU) was not "
                           "read: collect in the user's context (logon script) or set Security_HKLM_only = 1"
                           % (assigned_by if machine_zone else "no machine Site to Zone Assignment entry for %s" % host,
                              "1400 in the %s zone: %s" % (zone_name, settings[0][1]) if settings
                              else "no machine policy for 1400 in the %s zone" % zone_name))
    blocking = [(where, data) for where, data in settings if str(data) != "0"]
    if blocking:
        words = {"1": "prompt", "3": "disable"}
        text = "; ".join("%s = %s (%s)" % (w, d, words.get(str(d), "not enable")) for w, d in blocking)
        return Outcome(FAILED, expected, text, "%s is in the %s zone (%s), where %s" % (host, zone_name, assigned_by, text),
                       details)
    if settings:
        return Outcome(PASSED, expected, "enabled by policy", "%s is in the %s zone (%s); active scripting enabled by "
                       "policy" % (host, zone_name, assigned_by), details)
    if zone == 4:
        return Outcome(FAILED, expected, "Restricted sites default (disabled)", "%s is in the Restricted sites zone (%s), "
                       "where active scripting is disabled by default" % (host, assigned_by), details)
    return Outcome(PASSED, expected, "zone default (enabled)", "%s is in the %s zone (%s); no policy disables active "
                   "scripting there" % (host, zone_name, assigned_by), details)


# --- Chromium (Edge, Chrome) JavaScript -------------------------------------------------------

JAVASCRIPT_LISTS = ("JavaScriptBlockedForUrls", "JavaScriptAllowedForUrls")


def _roots_of(check):
    return BROWSER_POLICY_ROOTS[check.get("browser", "edge")]


def _javascript_keys(check):
    return [key for root in _roots_of(check) for key in [root] + ["%s\\%s" % (root, name) for name in JAVASCRIPT_LISTS]]


class _BrowserPolicy:
    """A Chromium browser's policy as it applies: per policy the machine (HKLM) value wins, else the user's (HKCU,
    read only in a user context). A policy machine policy does not set, without the user's policy read, is
    unknown."""

    def __init__(self, evidence, roots):
        self.evidence = evidence
        self.machine, self.user_root = roots
        self.user = bool(_user_context(evidence))

    def _roots(self):
        # With a user context the collector reads the HKCU keys the plan lists: a missing one was not collected.
        return [self.machine] + ([self.user_root] if self.user else [])

    def value(self, name):
        """(where, data) of a value policy, None when not set, _Unknown when it may be set by user policy."""
        for root in self._roots():
            value = _registry_value(self.evidence, root, name)
            if value is not None:
                return "%s\\%s" % (root[:4], name), value["data"]
        if not self.user:
            raise _Unknown(name)
        return None

    def entries(self, name):
        """[(where, pattern)] of a list policy (subkey with values 1, 2, ...); _Unknown as for value()."""
        for root in self._roots():
            values = _key_values(_registry_key(self.evidence, "%s\\%s" % (root, name)))
            if values:
                return [("%s\\%s\\%s" % (root[:4], name, index), str(value["data"]))
                        for index, value in values.items()]
        if not self.user:
            raise _Unknown(name)
        return []


class _Unknown(Exception):
    """A browser policy machine policy leaves open and the user's policy was not read."""


@check_type("edge_javascript", needs=lambda check: {"registry_keys": _javascript_keys(check)}, user_context=True)
def judge_edge_javascript(check, evidence):
    """JavaScript for Webcert in Edge or Chrome (check.browser), with Chromium's precedence: of the
    JavaScriptAllowedForUrls and JavaScriptBlockedForUrls patterns that match, the most specific decides
    (browser_policy.url_pattern_precedence); the same pattern in both lists blocks, as Chromium's policy provider
    reads the allowed list before the blocked one (content_settings_policy_provider.cc, kManagedJavaScriptAllowedForUrls
    then kManagedJavaScriptBlockedForUrls); with no match DefaultJavaScriptSetting decides (2 = block)."""
    browser = BROWSER_NAMES[check.get("browser", "edge")]
    url = "https://%s/" % check["host"]
    expected = "JavaScript allowed for %s in %s" % (url, browser)
    policy = _BrowserPolicy(evidence, _roots_of(check))
    try:
        lists = (("allow", "JavaScriptAllowedForUrls"), ("block", "JavaScriptBlockedForUrls"))
        matching = [(url_pattern_precedence(p), verdict, w, p) for verdict, name in lists
                    for w, p in policy.entries(name) if url_pattern_matches(p, url)]
        if matching:
            # Highest precedence first; on a tie "block" (read last by Chromium) wins.
            _unused, verdict, where, pattern = max(matching, key=lambda m: (m[0], m[1] == "block"))
            others = ", ".join("%s = '%s'" % (m[2], m[3]) for m in matching if m[2] != where)
            also = " (more specific than %s)" % others if others else ""
            if verdict == "block":
                return Outcome(FAILED, expected, "blocked by %s = '%s'" % (where, pattern), "%s blocks JavaScript for %s: "
                               "%s = '%s'%s" % (browser, url, where, pattern, also))
            return Outcome(PASSED, expected, "allowed by %s = '%s'" % (where, pattern), "%s runs JavaScript for %s: "
                           "%s = '%s'%s" % (browser, url, where, pattern, also))
        default = policy.value("DefaultJavaScriptSetting")
        if default is not None and str(default[1]) == "2":
            return Outcome(FAILED, expected, "%s = 2 (block)" % default[0], "%s blocks JavaScript by default (%s = 2) and "
                           "no JavaScriptAllowedForUrls entry matches %s" % (browser, default[0], url))
    except _Unknown as unknown:
        raise NotCollected("machine policy (HKLM) does not set the %s policy %s and the user's policy (HKCU) was "
                           "not read: collect in the user's context (logon script)" % (browser, unknown)) from None
    shown = "%s = %s" % default if default is not None else "no JavaScript policy"
    return Outcome(PASSED, expected, shown, "%s runs JavaScript for %s (%s)" % (browser, url, shown))


# --- protocol auto-launch (siths://) in Edge or Chrome ---------------------------------------

@check_type("edge_protocol_autolaunch", needs=lambda check: {"registry_keys": [_roots_of(check)[0]]})
def judge_edge_protocol_autolaunch(check, evidence):
    browser = BROWSER_NAMES[check.get("browser", "edge")]
    root = _roots_of(check)[0]
    protocol = check["protocol"]
    origins = check.get("origins") or []
    expected = "%s:// allowed to launch%s" % (protocol, " from " + ", ".join(origins) if origins else "")
    value = _registry_value(evidence, root, "AutoLaunchProtocolsFromOrigins")
    if value is None:
        return Outcome(FAILED, expected, "not set", "%s policy AutoLaunchProtocolsFromOrigins is not set: %s asks "
                       "before every launch of %s://" % (browser, browser, protocol))
    try:
        entries = autolaunch_entries(value["data"])
    except ValueError as exc:
        return Outcome(FAILED, expected, "invalid", "AutoLaunchProtocolsFromOrigins is not a JSON list, %s ignores "
                       "it: %s" % (browser, exc))
    mine = [entry for entry in entries if autolaunch_entry_for(entry, protocol)]
    not_lists = [entry["allowed_origins"] for entry in mine if not isinstance(entry.get("allowed_origins") or [], list)]
    if not_lists:
        return Outcome(FAILED, expected, "invalid", "AutoLaunchProtocolsFromOrigins: allowed_origins of protocol %s is "
                       "%r, not a list of origins; %s ignores it" % (protocol, not_lists[0], browser))
    allowed = [str(origin) for entry in mine for origin in entry.get("allowed_origins") or []]
    if not allowed:
        return Outcome(FAILED, expected, "no %s entry" % protocol, "AutoLaunchProtocolsFromOrigins has no entry with "
                       "allowed origins for protocol %s" % protocol)
    normalised = {normalise_origin(o) for o in allowed}
    missing = [o for o in origins if normalise_origin(o) not in normalised and "*" not in normalised]
    actual = "allowed from %s" % ", ".join(allowed)
    return passed_if(not missing, expected, actual, "%s:// %s (%s)" % (protocol, actual, browser),
                     "%s:// is not allowed from %s (%s)" % (protocol, ", ".join(missing), actual))


# --- card readers ------------------------------------------------------------------------------

@check_type("card_readers", needs=lambda check: {"card_readers": True},
            audit_only="card readers are hardware: attach one, or fix its driver by hand (docs/card-readers.md)")
def judge_card_readers(check, evidence):
    readers = section(evidence, "card_readers")
    minimum = check.get("min_readers", 1)
    status, message, findings = card_readers.verify_readers(readers, check["driver_policy"], minimum)
    expected = "at least %d working reader(s) with approved, signed drivers" % minimum
    actual = "%d reader(s), %d with problems" % (len(findings), sum(f["status"] == "problem" for f in findings))
    return Outcome(status, expected, actual, message, {"readers": findings})


# --- network reachability ----------------------------------------------------------------------

def _endpoint_plan(check):
    return {"endpoints": [{"host": e["host"], "port": e["port"], "tls": bool(check.get("tls", True))}
                          for e in check["endpoints"]]}


@check_type("endpoint_reachable", needs=_endpoint_plan,
            audit_only="reachability depends on the network (firewall, proxy, TLS inspection), not on the PC")
def judge_endpoint_reachable(check, evidence):
    if not check["endpoints"]:
        # Login and signing hosts are region settings with no published default: an empty list is a gap to
        # fill, not a pass.
        raise NotCollected("no endpoints are configured for this control: set the region setting its remediation "
                           "names to the hosts of your Inera environment")
    measured = section(evidence, "network")["endpoints"]
    tls = check.get("tls", True)
    findings, problems = [], []
    for endpoint in check["endpoints"]:
        label = "%s %s:%d" % (endpoint.get("role") or "endpoint", endpoint["host"], endpoint["port"])
        result = next((m for m in measured if m["host"].casefold() == endpoint["host"].casefold()
                       and m["port"] == endpoint["port"]), None)
        if result is None:
            raise NotCollected("reachability of %s was not measured" % label)
        if not result["tcp"]:
            problem = "TCP failed: %s" % (result.get("error") or "no reason given")
        elif tls and result.get("tls") is not True:
            problem = "TLS failed: %s" % (result.get("error") or "no reason given")
        else:
            problem = None
        findings.append({"endpoint": label, "ok": problem is None, "problem": problem,
                         "tls_protocol": result.get("tls_protocol"), "elapsed_ms": result.get("elapsed_ms")})
        if problem:
            problems.append("%s: %s" % (label, problem))
    expected = "TCP%s to %s" % (" and TLS" if tls else "", ", ".join(f["endpoint"] for f in findings))
    if problems:
        return Outcome(FAILED, expected, "; ".join(problems), "not reachable from the workstation: %s"
                       % "; ".join(problems), {"endpoints": findings})
    return Outcome(PASSED, expected, "all reachable", "reachable from the workstation: %s"
                   % ", ".join(f["endpoint"] for f in findings), {"endpoints": findings})


# --- clock -------------------------------------------------------------------------------------

@check_type("clock", needs=lambda check: {"clock": True})
def judge_clock(check, evidence):
    clock = section(evidence, "clock")
    reference = clock.get("reference")
    if not reference:
        raise NotCollected("the evidence has no controller time to compare the workstation's clock with "
                           "(standalone collection); audit the PC live to check its clock")
    workstation = parse_timestamp(clock["utc_now"])
    before, after = parse_timestamp(reference["before"]), parse_timestamp(reference["after"])
    # The workstation read its clock at some moment between the controller's two readings, and at least
    # read_after_ms after the collection started (which is after `before`). Its true offset lies between the
    # distance to that window and the distance to the window's far end: pass or fail only when both agree.
    earliest = min(before + datetime.timedelta(milliseconds=clock.get("read_after_ms") or 0), after)
    if workstation < earliest:
        nearest = (workstation - earliest).total_seconds()
    elif workstation > after:
        nearest = (workstation - after).total_seconds()
    else:
        nearest = 0.0
    farthest = max(abs((workstation - earliest).total_seconds()), abs((workstation - after).total_seconds()))
    limit = check["max_offset_seconds"]
    window = (after - earliest).total_seconds()
    actual = "%+.1f s" % nearest
    text = "clock %s from the controller's, give or take the %.1f s the workstation may have read it within" % (
        actual, window)
    details = {"offset_at_least_seconds": abs(nearest), "offset_at_most_seconds": farthest, "window_seconds": window}
    expected = "within %s s of the controller" % limit
    if farthest <= limit:
        return Outcome(PASSED, expected, actual, text, details)
    if abs(nearest) > limit:
        return Outcome(FAILED, expected, actual, "%s: more than %s s" % (text, limit), details)
    raise NotCollected("%s: the offset lies between %.1f and %.1f s, so whether it is within %s s cannot be told; "
                       "audit again over a faster connection" % (text, abs(nearest), farthest, limit))


# --- user certificates -------------------------------------------------------------------------

def _purpose_of(certificate):
    usages = {u.casefold() for u in certificate.get("key_usage") or []}
    if "nonrepudiation" in usages:
        return "signing"
    if "digitalsignature" in usages:
        return "authentication"
    return None


@check_type("user_certificate", needs=lambda check: {"user_certificates": True}, user_context=True,
            audit_only="the certificates are on the user's SITHS card: renewed in SITHS eID Portal, not on the PC")
def judge_user_certificate(check, evidence):
    if not _user_context(evidence):
        raise NotCollected("the evidence was collected without a signed-in user's context; run the standalone "
                           "collector at logon to check the user's certificates")
    store = section(evidence, "user_certificates")
    purpose = check["purpose"]
    pattern = check.get("issuer_pattern") or "SITHS"
    candidates = [c for c in store["certificates"]
                  if pattern_found(pattern, c.get("issuer")) and _purpose_of(c) == purpose]
    expected = "a valid SITHS %s certificate" % purpose
    # The HSA-ids (SERIALNUMBER) of every SITHS certificate in the store, whatever its purpose: who was signed
    # in, for the readiness join (readiness/join.py) with the directory audit.
    holders = sorted({h for h in (serial_number(c.get("subject")) for c in store["certificates"]
                                  if pattern_found(pattern, c.get("issuer"))) if h}, key=str.casefold)
    if not candidates:
        return Outcome(FAILED, expected, "none", "no SITHS %s certificate (issuer /%s/) in %s of %s; the card's "
                       "certificates appear there once the card has been inserted"
                       % (purpose, pattern, store["store"], _user_context(evidence)), {"hsa_ids": holders})
    now = _collected_on(evidence)
    newest = max(candidates, key=lambda c: parse_timestamp(c["not_after"]))
    expires = parse_timestamp(newest["not_after"])
    days = (expires - now).days if expires >= now else -((now - expires).days + 1)
    details = {"subject": newest.get("subject"), "thumbprint": newest["thumbprint"], "not_after": newest["not_after"],
               "days_to_expiry": days, "warning": False, "hsa_id": serial_number(newest.get("subject")),
               "hsa_ids": holders}
    who = "%s certificate %s" % (purpose, newest.get("subject") or newest["thumbprint"])
    if expires <= now:
        return Outcome(FAILED, expected, "expired %s" % newest["not_after"], "%s expired on %s (%d days before "
                       "collection)" % (who, newest["not_after"], -days), details)
    warning_days = check.get("warning_days", 30)
    if days < warning_days:
        details["warning"] = True
        return Outcome(PASSED, expected, "expires in %d days" % days, "WARNING: %s expires in %d days (on %s), within "
                       "the %d-day warning window; renew it now" % (who, days, newest["not_after"], warning_days), details,
                       warning="%s certificate expires in %d days (%s)" % (purpose, days, newest["not_after"][:10]))
    return Outcome(PASSED, expected, "valid %d more days" % days, "%s valid until %s (%d days)"
                   % (who, newest["not_after"], days), details)
