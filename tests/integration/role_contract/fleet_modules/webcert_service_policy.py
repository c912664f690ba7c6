# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only stand-in of webcert.fleet.webcert_service_policy (NOT Windows): sets the simulated PC's services
and returns `services` as the module's RETURN documents."""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.contract_standin import find, load_state, record, save_state

MODES = {"auto": "Automatic", "manual": "Manual", "disabled": "Disabled"}
SERVICE = dict(control_id=dict(type="str"), name=dict(type="str", required=True),
               start_mode=dict(choices=list(MODES)), state=dict(choices=["started", "stopped"]))


def main():
    module = AnsibleModule(dict(services=dict(type="list", elements="dict", required=True, options=SERVICE)),
                           supports_check_mode=True)
    record("webcert.fleet.webcert_service_policy", module.params, module.check_mode)
    state = load_state()
    results = []
    for wanted in module.params["services"]:
        service = find(state["evidence"]["services"], wanted["name"])
        if service is None or not service.get("exists", True):
            results.append(dict(control_id=wanted["control_id"], name=wanted["name"], exists=False, changed=False,
                                before=None, after=None))
            continue
        before = {"start_mode": service["start_mode"], "state": service["state"]}
        after = dict(before)
        if wanted["start_mode"]:
            after["start_mode"] = MODES[wanted["start_mode"]]
        if wanted["state"]:
            after["state"] = "Running" if wanted["state"] == "started" else "Stopped"
        if not module.check_mode:
            service.update(after)
        results.append(dict(control_id=wanted["control_id"], name=wanted["name"], exists=True,
                            changed=after != before, before=before, after=after))
    if not module.check_mode:
        save_state(state)
    module.exit_json(changed=any(r["changed"] for r in results), services=results)


if __name__ == "__main__":
    main()
