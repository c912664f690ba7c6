# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The registry family: registry policy values, IE zone JavaScript, Edge and Chrome JavaScript and the siths://
hand-off (tasks/registry.yml applies them in one webcert_registry_policy call). set_value() is the one way any
family writes a registry value."""

import json

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import CatalogueError
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.expect import matches
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.base import Enforcement, op, register
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import NotCollected, key_values, lookup, registry_key, registry_value
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.browser_policy import (
    BROWSER_POLICY_ROOTS, HKCU_POLICY_INTERNET_SETTINGS, HKLM_POLICY_INTERNET_SETTINGS, autolaunch_entries,
    autolaunch_entry_for, url_pattern_matches, url_pattern_precedence, zone_entry_matches)

# Catalogue registry types -> the `type` our registry module (and ansible.windows.win_regedit) takes.
REGISTRY_TYPES = {"REG_SZ": "string", "REG_EXPAND_SZ": "expandstring", "REG_DWORD": "dword",
                  "REG_QWORD": "qword", "REG_MULTI_SZ": "multistring", "REG_BINARY": "binary"}
# ... and back: the module's `type` -> the type the collector reports (REG_SZ, ...).
COLLECTED_REGISTRY_TYPES = {module_type: collected for collected, module_type in REGISTRY_TYPES.items()}


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


def set_value(changes, item, path, name, data, value_type, evidence, why=""):
    """Add a registry set operation unless the evidence shows the value already is `data` of that type."""
    try:
        current = registry_value(evidence, path, name)
    except NotCollected:
        current = None  # not read: set it; the module leaves a value that already matches alone
    if current is not None and current["type"] == COLLECTED_REGISTRY_TYPES[value_type] and matches({"equals": data}, current["data"]):
        return
    changes.add("registry", op(item, path=path, name=name, data=data, type=value_type, state="present",
                               before=current, why=why))


def change_registry_value(item, evidence, changes):
    set_value(changes, item, item["path"], item["name"], item["data"], item["type"], evidence)


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
        set_value(changes, item, zone_map, name, str(zone), "string", evidence)
    set_value(changes, item, "%s\\Zones\\%d" % (HKLM_POLICY_INTERNET_SETTINGS, zone), "1400", 0, "dword", evidence)
    user = registry_value(evidence, "%s\\Zones\\%d" % (HKCU_POLICY_INTERNET_SETTINGS, zone), "1400", required=False)
    if user is not None and str(user["data"]) != "0":
        changes.note(item["control_id"], "user policy (HKCU) sets 1400 = %s in zone %d: enforce sets machine policy "
                     "only; change the user GPO" % (user["data"], zone))


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
    removed = set()
    for index, value in blocked.items():
        if url_pattern_precedence(str(value["data"])) >= strongest:
            removed.add(index)
            changes.add("registry", op(item, path=machine + "\\JavaScriptBlockedForUrls", name=index, state="absent",
                                       before=value, why="blocks JavaScript for %s as specifically as an allow entry" % url))
    # The user's list applies where the machine has none, also once enforce has removed every machine entry.
    user_blocks = [] if set(machine_blocks) - removed else [
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
    changes.add("registry", op(item, path=machine + "\\JavaScriptAllowedForUrls", name=free, data=ours,
                               type="string", state="present", before=None,
                               why="JavaScript is blocked for %s by default or by a broader pattern" % url))


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
    set_value(changes, item, item["root"], "AutoLaunchProtocolsFromOrigins", data, "string", evidence)


register("registry_value", Enforcement("registry", build_registry_value, change_registry_value))
register("ie_zone_javascript", Enforcement("registry", build_ie_zone_javascript, change_ie_zone_javascript))
register("edge_javascript", Enforcement("registry", build_edge_javascript, change_edge_javascript))
register("edge_protocol_autolaunch", Enforcement("registry", build_edge_protocol_autolaunch, change_edge_protocol_autolaunch))
