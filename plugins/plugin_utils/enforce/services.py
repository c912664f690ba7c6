# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The services family: start modes and states of Windows services, and Windows Time's NTP source (tasks/services.yml)."""

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import CatalogueError
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.expect import matches
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.base import Enforcement, op, register
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.registry import set_value
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import lookup, section

# Start modes as the collector reports them (Get-Service) -> as our service module takes them.
START_MODES = {"automatic": "auto", "manual": "manual", "disabled": "disabled"}
W32TIME_POLICY = "HKLM:\\SOFTWARE\\Policies\\Microsoft\\W32Time\\Parameters"


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
            set_value(changes, item, W32TIME_POLICY, name, data, "string", evidence, why="region NTP source")


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
        changes.add("services", op(item, name=item["name"], start_mode=start_mode, state=state,
                                   before={"start_mode": current_mode, "state": current_state}))


register("service", Enforcement("services", build_service, change_service))
