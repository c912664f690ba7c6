# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only stand-in of ansible.windows.win_copy (NOT Windows): the controller file's bytes become the
simulated PC's file at dest (the real module is an action plugin that transfers src)."""

import hashlib
import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.contract_standin import load_state, record, save_state


def main():
    module = AnsibleModule(dict(src=dict(type="str"), dest=dict(type="str", required=True), content=dict(type="str"),
                                remote_src=dict(type="bool", default=False), force=dict(type="bool", default=True),
                                backup=dict(type="bool", default=False)), supports_check_mode=True)
    record("ansible.windows.win_copy", module.params, module.check_mode)
    src = module.params["src"]
    if not src or not os.path.isabs(src) or not os.path.isfile(src):
        module.fail_json(msg="could not find src=%s" % src)
    with open(src, "rb") as handle:
        data = handle.read()
    if not module.check_mode:
        state = load_state()
        state["files"][module.params["dest"]] = data.decode("latin-1")
        save_state(state)
    module.exit_json(changed=True, dest=module.params["dest"], checksum=hashlib.sha1(data).hexdigest(),
                     size=len(data), src=src)


if __name__ == "__main__":
    main()
