# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What enforce mode does, derived from the same catalogue the audit judges.

Only controls marked `enforceable: true` are enforced, and only check types registered with an
Enforcement (@check_type(..., enforce=...)): a builder that turns a control into a plan item, and the
plan family whose role task file applies it. The builders:
- registry_value: write `expect.equals`, or for `expect.in` the first allowed value that is not
  "absent" (e.g. `in: [null, 1]` writes 1, which satisfies the control);
- service: for `start_mode.equals` set that mode; for `start_mode.not_in` change the mode to Manual
  only when the current mode is one of the forbidden ones (never touch a compliant service);
- certificate: import the region's CA file for that thumbprint into the store.
"""

from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.checks import all_check_types
from ansible_collections.webcert.fleet.plugins.plugin_utils.errors import CatalogueError
from ansible_collections.webcert.fleet.plugins.plugin_utils.expect import matches

# Catalogue registry types -> ansible.windows.win_regedit `type`.
REGISTRY_TYPES = {"REG_SZ": "string", "REG_EXPAND_SZ": "expandstring", "REG_DWORD": "dword",
                  "REG_QWORD": "qword", "REG_MULTI_SZ": "multistring", "REG_BINARY": "binary"}
# Catalogue certificate stores -> ansible.windows.win_certificate_store (store_location, store_name).
CERTIFICATE_STORES = {"LocalMachine\\Root": ("LocalMachine", "Root"),
                      "LocalMachine\\CA": ("LocalMachine", "CertificateAuthority"),
                      "LocalMachine\\My": ("LocalMachine", "My")}


def _registry_item(control):
    check = control["check"]
    expect = check["expect"]
    if "equals" in expect:
        data = expect["equals"]
    elif "in" in expect and any(value is not None for value in expect["in"]):
        data = next(value for value in expect["in"] if value is not None)
    else:
        raise CatalogueError("control %s: enforceable registry_value needs expect 'equals' or 'in' with a value"
                             % control["id"])
    value_type = check.get("value_type") or ("REG_DWORD" if isinstance(data, int) else "REG_SZ")
    return {"control_id": control["id"], "path": check["path"], "name": check["name"], "data": data,
            "type": REGISTRY_TYPES[value_type]}


def _service_item(control):
    check = control["check"]
    if "start_mode" not in check:
        raise CatalogueError("control %s: enforceable service check needs 'start_mode'" % control["id"])
    return {"control_id": control["id"], "name": check["name"], "start_mode": check["start_mode"]}


def _certificate_item(control):
    check = control["check"]
    location, name = CERTIFICATE_STORES[check["store"]]
    return {"control_id": control["id"], "thumbprint": check["thumbprint"].upper(),
            "store_location": location, "store_name": name}


# The plan families, in the order the role applies them: family -> the role task file that applies its items.
FAMILIES = {"registry": "roles/webcert_workstation/tasks/registry.yml",
            "services": "roles/webcert_workstation/tasks/services.yml",
            "certificates": "roles/webcert_workstation/tasks/certificates.yml"}


class Enforcement:
    """How a check type is enforced: `build(control)` -> one plan item of `family`."""

    def __init__(self, family, build):
        if family not in FAMILIES:
            raise ValueError("unknown enforcement family %r (known: %s)" % (family, ", ".join(FAMILIES)))
        self.family = family
        self.build = build

    @property
    def role_tasks(self):
        return FAMILIES[self.family]


REGISTRY_VALUE = Enforcement("registry", _registry_item)
SERVICE = Enforcement("services", _service_item)
CERTIFICATE = Enforcement("certificates", _certificate_item)


def enforcement_of(check_type_name):
    """The Enforcement registered for a check type, or None when the type is audit-only."""
    registered = all_check_types().get(check_type_name)
    return registered.enforce if registered else None


def enforcement_plan(profile, settings=None, skip=(), catalogue=None):
    """{'registry': [...], 'services': [...], 'certificates': [...]} for one profile's workstations."""
    catalogue = catalogue or load_catalogue()
    plan = {family: [] for family in FAMILIES}
    for control in catalogue.for_profile(profile, "workstation", settings):
        if not control["enforceable"] or control["id"] in skip:
            continue
        enforcement = enforcement_of(control["check"]["type"])
        if enforcement is None:
            enforceable = sorted(name for name, registered in all_check_types().items() if registered.enforce)
            raise CatalogueError("control %s: enforceable: true, but check type %r cannot be enforced (only %s)"
                                 % (control["id"], control["check"]["type"], ", ".join(enforceable)))
        plan[enforcement.family].append(enforcement.build(control))
    return plan


def service_changes(planned, observed):
    """The start-mode changes to make, from planned service items and win_service_info results.

    `observed` maps service name -> current start mode ('auto', 'manual', 'disabled', ...
    as win_service_info reports it). A missing service is left alone: the audit reports it.
    """
    names = {"auto": "Automatic", "delayed": "Automatic", "manual": "Manual", "disabled": "Disabled"}
    changes = []
    for item in planned:
        current = observed.get(item["name"].casefold())
        if current is None:
            continue
        current_mode = names.get(str(current).casefold(), str(current))
        wanted = item["start_mode"]
        if matches(wanted, current_mode):
            continue
        target = wanted["equals"] if "equals" in wanted else "Manual"
        changes.append({"control_id": item["control_id"], "name": item["name"], "start_mode": target.lower()
                        .replace("automatic", "auto")})
    return changes
