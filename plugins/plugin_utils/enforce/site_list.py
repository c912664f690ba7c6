# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The site list family: the Enterprise Mode site list (schema v.2) that opens Webcert in Edge's IE mode, merged with
the region's entries, and the policy that points Edge at it (tasks/site_list.yml)."""

import re
from xml.sax.saxutils import escape

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.base import Enforcement, op, register
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.registry import set_value
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import lookup, registry_value, section
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.browser_policy import SiteListError, parse_site_list, site_host, site_list_policies

# Enterprise Mode site list schema v.2 (windows-baseline.md section 1).
SITE_LIST_COMPAT_MODES = ("default", "IE8Enterprise", "IE7Enterprise", "IE5", "IE7", "IE8", "IE9", "IE10", "IE11")
SITE_LIST_OPEN_IN = ("IE11", "MSEdge", "None")
# The problem of a site list the PC could not fetch (as opposed to one it fetched and could not parse).
UNREAD = "could not be read"
DEFAULT_SITE_LIST_LOCATION = "C:\\ProgramData\\webcert-fleet\\EnterpriseModeSiteList.xml"


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
    unknown = set(options) - {"location", "entries", "publish_path", "owns_policy"}
    if unknown:
        raise WebcertError("%s: unknown field(s) %s (known: location, entries, publish_path, owns_policy)"
                           % (where, ", ".join(sorted(unknown))))
    if not isinstance(options.get("owns_policy", False), bool):
        raise WebcertError("%s: owns_policy must be true or false" % where)
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
            "location_given": bool(options.get("location")), "entries": ours,
            # The region's own site list is never re-pointed unless the inventory says it owns the policy.
            "owns_policy": options.get("owns_policy", False)}


def _existing_site_list(item, evidence):
    """(policy value, version, sites, problem: why the list cannot be used, or None) of the list Edge uses now: the first file-based site list policy
    that is set (Edge's own, then the legacy IE one), as the audit reads it."""
    for path, name in item["policies"]:
        value = registry_value(evidence, path, name, required=False)
        if value is None or not str(value["data"]).strip():
            continue
        fetched = lookup(section(evidence, "site_lists"), "%s\\%s" % (path, name)) or {}
        if fetched.get("error") or fetched.get("content") is None:
            return value, None, [], "%s (%s)" % (UNREAD, fetched.get("error") or "not fetched")
        try:
            version, sites = parse_site_list(fetched["content"])
        except SiteListError as exc:
            return value, None, [], "is unusable (%s)" % exc
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


def _points_at_ours(item, evidence, current):
    """Does the site-list policy Edge uses point at the list this inventory manages (Edge's own policy, our
    location)? Anything else (a share, a URL, the legacy IE policy) is the region's list."""
    own = registry_value(evidence, item["policy_path"], item["policy_name"], required=False)
    return own is not None and current is not None and own["data"] == current["data"] and \
        str(current["data"]).strip().casefold() == item["policy_value"].casefold()


def site_xml(site):
    """One <site> element of schema v.2, as the region would add it to its own list."""
    return '<site url="%s"><compat-mode>%s</compat-mode><open-in%s>%s</open-in></site>' % (
        escape(site["url"], {'"': "&quot;"}), escape(site["compat_mode"]),
        ' allow-redirect="true"' if site["allow_redirect"] else "", escape(site["open_in"]))


def _next_version(version, changed):
    """A list's version after enforce: one up when its sites change; 1 for a list without a readable version."""
    try:
        return int(version) + (1 if changed else 0)
    except (TypeError, ValueError):
        return 1


def _region_list(item, evidence, changes, current, version, existing, problem):
    """The region's own list lacks Webcert (or has it wrong): never re-point the policy away from it. Say what to
    add there, and hand the merged list to the report for the region to publish."""
    where = current["data"]
    if problem:
        changes.note(item["control_id"], "Edge uses the region's site list at %s, which %s: enforce leaves the "
                     "policy pointing at it; fix the list there" % (where, problem))
        return
    ours = item["entries"][0]
    sites, conflicts = merge_site_list(existing, [ours])
    changes.note(item["control_id"], "Edge uses the region's site list at %s, which does not open %s in %s: add this "
                 "entry there: %s (the merged list is in the run's reports, site-lists/; set webcert_site_list."
                 "owns_policy to let enforce point the PC at its own list instead)" % (
                     where, item["host"], ours["open_in"], site_xml(ours)))
    changes.region_site_lists.append({"control_id": item["control_id"], "location": str(where),
                                      "version": _next_version(version, changed=True), "sites": sites, "entry": site_xml(ours),
                                      "conflicts": conflicts})


def change_ie_site_list(item, evidence, changes):
    if item["cloud_policy"]:
        cloud = registry_value(evidence, item["cloud_policy"][0], item["cloud_policy"][1], required=False)
        if cloud is not None and str(cloud["data"]).strip():
            changes.note(item["control_id"], "Edge uses the cloud site list %s: change Webcert's entry there (enforce "
                         "cannot write it)" % cloud["data"])
            return
    current, version, existing, problem = _existing_site_list(item, evidence)
    webcert = next((s for s in existing if site_host(s["url"]) == site_host(item["host"])), None)
    if not item["want_ie"] and (webcert is None or webcert["open_in"].casefold() != "ie11") and not problem:
        return  # nothing forces Webcert into IE mode: leave the region's list (or none) alone
    if current is not None and not item["owns_policy"] and not _points_at_ours(item, evidence, current):
        _region_list(item, evidence, changes, current, version, existing, problem)
        return
    at_location = current is not None and str(current["data"]).strip().casefold() == item["policy_value"].casefold()
    if problem and problem.startswith(UNREAD) and not (item["local"] and at_location):
        # Unless it is our own local file: a list the PC could not fetch (double hop, TLS, proxy: docs/winrm.md)
        # may hold the region's other entries, and writing or publishing ours alone would drop them.
        changes.note(item["control_id"], "the site list at %s %s: left alone: a new one would drop its entries "
                     "(docs/winrm.md)" % (current["data"], problem))
        return
    if problem:
        changes.note(item["control_id"], "the site list at %s %s: a new one is written" % (current["data"], problem))
    sites, conflicts = merge_site_list(existing, item["entries"])
    # A list that already has our entries stays where it is, unless the region named the location to use.
    settled = sites == existing and (at_location or (current is not None and not item["location_given"]))
    if not settled:
        new_version = _next_version(version, changed=sites != existing)
        if item["local"] or item["publish_path"]:
            changes.add("site_list", op(item, dest=item["location"] if item["local"] else item["publish_path"],
                                        policy="%s\\%s" % (item["policy_path"], item["policy_name"]),
                                        on_controller=not item["local"], version=new_version, sites=sites,
                                        conflicts=conflicts, before_version=version))
        else:
            changes.note(item["control_id"], "the region publishes the site list at %s: enforce sets the policy "
                         "only; the list must open %s in %s" % (item["location"], item["host"], item["entries"][0]["open_in"]))
        set_value(changes, item, item["policy_path"], item["policy_name"], item["policy_value"], "string", evidence)
    for conflict in conflicts:
        changes.note(item["control_id"], conflict)


register("ie_site_list", Enforcement("site_list", build_ie_site_list, change_ie_site_list))
