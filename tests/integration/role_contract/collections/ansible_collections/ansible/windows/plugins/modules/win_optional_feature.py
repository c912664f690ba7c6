# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only stand-in of ansible.windows.win_optional_feature (NOT Windows): enables the feature on the
simulated PC and returns reboot_required as the state says Windows would."""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.contract_standin import find, load_state, record, save_state


def main():
    module = AnsibleModule(dict(name=dict(type="list", elements="str", required=True),
                                state=dict(default="present", choices=["present", "absent"]),
                                include_parent=dict(type="bool", default=False), source=dict(type="str")),
                           supports_check_mode=True)
    record("ansible.windows.win_optional_feature", module.params, module.check_mode)
    state = load_state()
    changed = False
    for name in module.params["name"]:
        feature = find(state["evidence"]["optional_features"], name)
        if feature is None:
            module.fail_json(msg="Failed to find feature '%s'" % name)
        if feature["state"] != "Enabled":
            changed = True
            if not module.check_mode:
                feature["state"] = "Enabled"
    if not module.check_mode:
        save_state(state)
    module.exit_json(changed=changed, reboot_required=changed and not module.check_mode
                     and state.get("feature_reboot_required", True))


if __name__ == "__main__":
    main()
