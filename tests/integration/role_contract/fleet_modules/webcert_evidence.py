# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only stand-in of webcert.fleet.webcert_evidence (NOT Windows, NOT the collector): returns the
simulated PC's evidence. Like the collector it reads each site-list policy value of the plan and the file it
names (when the PC has that file), and reads the clock now (plus the PC's offset)."""

import copy
import datetime

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.contract_standin import (
    load_state, record, registry_key)


def main():
    module = AnsibleModule(dict(plan=dict(type="dict", required=True)), supports_check_mode=True)
    record("webcert.fleet.webcert_evidence", {"plan": sorted(module.params["plan"])}, module.check_mode)
    state = load_state()
    evidence = copy.deepcopy(state["evidence"])
    for policy in module.params["plan"].get("site_lists", []):
        key = registry_key(evidence, policy["path"])
        value = (key or {}).get("values", {}).get(policy["name"])
        location = value["data"] if value else None
        # The collector reads a file: URL at its local path ([Uri]::LocalPath).
        local = location[len("file:///"):].replace("/", "\\") if location and location.startswith("file:///") else location
        if local in state["files"]:
            evidence.setdefault("site_lists", {})["%s\\%s" % (policy["path"], policy["name"])] = {
                "location": location, "content": state["files"][local], "error": None, "truncated": False}
    now = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=state["clock_offset_seconds"])
    evidence["clock"]["utc_now"] = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    evidence["collected_at"] = now.astimezone().isoformat(timespec="seconds")
    module.exit_json(changed=False, evidence=evidence)


if __name__ == "__main__":
    main()
