# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only stand-in of ansible.windows.win_package (NOT Windows).

The simulated PC's `packages` say, per installer path, the exit code and the uninstall entry it leaves. As the
real module does: rc is returned (with failed false when expected), reboot_required is true for 3010 only (not for
1641), an exit code outside expected_return_code fails, and a package whose ProductCode is already registered is skipped
(changed false) - the MSI minor update that keeps its ProductCode.
"""

import ntpath

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.contract_standin import load_state, record, save_state


def main():
    module = AnsibleModule(dict(path=dict(type="str"), arguments=dict(type="raw"), product_id=dict(type="str"),
                                state=dict(default="present", choices=["present", "absent"]),
                                expected_return_code=dict(type="list", elements="int", default=[0, 3010]),
                                creates_path=dict(type="path"), creates_version=dict(type="str"),
                                log_path=dict(type="path"), chdir=dict(type="path")), supports_check_mode=True)
    record("ansible.windows.win_package", module.params, module.check_mode)
    state = load_state()
    # By path, or by file name for an installer copied to a temporary folder.
    path = module.params["path"] or ""
    package = state["packages"].get(path) or state["packages"].get(ntpath.basename(path))
    if package is None:
        module.fail_json(msg="the system cannot find the file %s" % module.params["path"])
    if package.get("already_installed"):
        module.exit_json(changed=False, reboot_required=False)
    if module.check_mode:
        module.exit_json(changed=True, reboot_required=False)
    rc = package.get("rc", 0)
    if rc not in module.params["expected_return_code"]:
        module.fail_json(msg="unexpected rc from install of %s: %d" % (module.params["path"], rc), rc=rc,
                         changed=True, reboot_required=False)
    product = package["installs"]
    evidence = state["evidence"]
    evidence["products"] = [p for p in evidence["products"] if p["name"] != product["name"]] + [product]
    if rc == 1641:
        # The installer restarted the PC itself: whoever was signed in is gone when it is back.
        state["reboots"] += 1
        state["signed_in_users"] = 0
    save_state(state)
    # The real module sets failed false for an expected non-zero rc; without it Ansible fails a result with rc != 0.
    module.exit_json(changed=True, rc=rc, reboot_required=rc == 3010, stdout="", stderr="", failed=False)


if __name__ == "__main__":
    main()
