# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only stand-in of ansible.windows.win_stat (NOT Windows): stat of a file of the simulated PC (or of a
share it can read), with the checksum the real module returns (lower-case hex)."""

import hashlib

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.contract_standin import load_state, record


def main():
    module = AnsibleModule(dict(path=dict(type="str", required=True, aliases=["dest", "name"]),
                                get_checksum=dict(type="bool", default=True), get_size=dict(type="bool", default=True),
                                checksum_algorithm=dict(default="sha1", choices=["md5", "sha1", "sha256", "sha384",
                                                                                 "sha512"]),
                                follow=dict(type="bool", default=False)), supports_check_mode=True)
    record("ansible.windows.win_stat", module.params, module.check_mode)
    files = load_state()["files"]
    path = module.params["path"]
    if path not in files:
        module.exit_json(changed=False, stat=dict(exists=False))
    data = files[path].encode("latin-1")
    stat = dict(exists=True, isdir=False, path=path, size=len(data))
    if module.params["get_checksum"]:
        stat["checksum"] = hashlib.new(module.params["checksum_algorithm"], data).hexdigest()
    module.exit_json(changed=False, stat=stat)


if __name__ == "__main__":
    main()
