"""What the enforce role's module calls do to a workstation, as evidence: the model the proof test applies.

Each family's operations are applied the way the role applies them (webcert_registry_policy,
webcert_service_policy, win_certificate_store, win_template of the role's site-list template,
win_optional_feature, win_package, w32tm /resync). The result is new evidence for the real judges.
"""

import copy
import datetime
import os

import jinja2

from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import lookup
from ansible_collections.webcert.fleet.plugins.module_utils.swedish_time import parse_timestamp

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TEMPLATE = os.path.join(REPO, "roles", "webcert_workstation", "templates", "EnterpriseModeSiteList.xml.j2")
REG_TYPES = {"string": "REG_SZ", "expandstring": "REG_EXPAND_SZ", "dword": "REG_DWORD", "qword": "REG_QWORD",
             "multistring": "REG_MULTI_SZ", "binary": "REG_BINARY"}
START_MODES = {"auto": "Automatic", "manual": "Manual", "disabled": "Disabled"}


def render_site_list(operation):
    """The role's template, rendered as ansible.windows.win_template renders it (Jinja2, trim_blocks)."""
    with open(TEMPLATE, encoding="utf-8") as handle:
        template = jinja2.Environment(trim_blocks=True, undefined=jinja2.StrictUndefined).from_string(handle.read())
    return template.render(webcert_workstation__site_list=operation)


def _key(evidence, path):
    registry = evidence.setdefault("registry", {})
    for name, key in registry.items():
        if name.casefold() == path.casefold():
            if not key["exists"]:
                key.update(exists=True, values={})
            return key
    registry[path] = {"exists": True, "values": {}}
    return registry[path]


def apply(operations, evidence, installed_names):
    """Evidence after the operations; `installed_names` maps a control id to the (DisplayName, Publisher) its
    installer registers."""
    after = copy.deepcopy(evidence)
    for op in operations["site_list"]:
        after.setdefault("site_lists", {})[op["policy"]] = {"location": op["dest"], "content": render_site_list(op),
                                                            "error": None, "truncated": False}
    for op in operations["registry"]:
        values = _key(after, op["path"])["values"]
        for name in [n for n in values if n.casefold() == op["name"].casefold()]:
            del values[name]
        if op["state"] == "present":
            values[op["name"]] = {"type": REG_TYPES[op["type"]], "data": op["data"]}
    for op in operations["services"]:
        service = lookup(after["services"], op["name"])
        if op.get("start_mode"):
            service["start_mode"] = START_MODES[op["start_mode"]]
        if op.get("state"):
            service["state"] = "Running" if op["state"] == "started" else "Stopped"
    for op in operations["certificates"]:
        store = "%s\\%s" % (op["store_location"], {"CertificateAuthority": "CA"}.get(op["store_name"], op["store_name"]))
        after["certificates"].setdefault(store, []).append({"thumbprint": op["thumbprint"], "subject": op["subject"],
                                                            "issuer": op["issuer"], "not_after": op["not_after"]})
    for op in operations["features"]:
        lookup(after["optional_features"], op["name"])["state"] = "Enabled"
    for op in operations["card_clients"]:
        name, publisher = installed_names[op["control_id"]]
        after["products"] = [p for p in after["products"] if p["name"] != name]
        after["products"].append({"name": name, "version": op["version"], "publisher": publisher,
                                  "architecture": "x64", "key": None})
    for op in operations["time"]:
        reference = after["clock"]["reference"]
        middle = parse_timestamp(reference["before"]) + (
            parse_timestamp(reference["after"]) - parse_timestamp(reference["before"])) / 2
        after["clock"]["utc_now"] = middle.astimezone(datetime.timezone.utc).isoformat(timespec="milliseconds")
        after["clock"]["read_after_ms"] = 0
    return after
