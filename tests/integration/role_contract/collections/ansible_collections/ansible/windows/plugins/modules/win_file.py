# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only stand-in of ansible.windows.win_file (NOT Windows): directories are recorded, state=absent
removes the simulated PC's files at or under the path."""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.contract_standin import load_state, record, save_state


def main():
    module = AnsibleModule(dict(path=dict(type="str", required=True, aliases=["dest", "name"]),
                                state=dict(choices=["absent", "directory", "file", "touch"])), supports_check_mode=True)
    record("ansible.windows.win_file", module.params, module.check_mode)
    changed = False
    if module.params["state"] == "absent":
        state = load_state()
        path = module.params["path"]
        gone = [name for name in state["files"] if name == path or name.startswith(path.rstrip("\\") + "\\")]
        changed = bool(gone)
        if not module.check_mode:
            for name in gone:
                del state["files"][name]
            save_state(state)
    module.exit_json(changed=changed)


if __name__ == "__main__":
    main()
