# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only stand-in of ansible.windows.win_tempfile (NOT Windows): returns a path, as documented."""

import uuid

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.contract_standin import record


def main():
    module = AnsibleModule(dict(path=dict(type="path"), state=dict(default="file", choices=["file", "directory"]),
                                prefix=dict(default="ansible."), suffix=dict(default="")), supports_check_mode=True)
    record("ansible.windows.win_tempfile", module.params, module.check_mode)
    name = module.params["prefix"] + uuid.uuid4().hex[:8] + module.params["suffix"]
    path = "C:\\Users\\ansible\\AppData\\Local\\Temp\\" + name
    module.exit_json(changed=True, path=path, state=module.params["state"])


if __name__ == "__main__":
    main()
