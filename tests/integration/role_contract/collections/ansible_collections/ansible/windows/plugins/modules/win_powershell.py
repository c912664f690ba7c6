# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only stand-in of ansible.windows.win_powershell (NOT Windows): it cannot run the script; it returns
in `output` what the simulated PC's `powershell_output` says that script prints (keyed by a word of it)."""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.contract_standin import load_state, record


def main():
    module = AnsibleModule(dict(script=dict(type="str"), path=dict(type="str"), parameters=dict(type="dict"),
                                arguments=dict(type="list", elements="str"), chdir=dict(type="str"),
                                error_action=dict(default="continue",
                                                  choices=["silently_continue", "continue", "stop"])),
                           supports_check_mode=True)
    record("ansible.windows.win_powershell", module.params, module.check_mode)
    state = load_state()
    for word, output in state["powershell_output"].items():
        if word in (module.params["script"] or ""):
            value = state[output] if isinstance(output, str) else output
            module.exit_json(changed=False, output=[value], error=[], host_out="", host_err="", result={},
                             verbose=[], warning=[], debug=[], information=[])
    module.fail_json(msg="the stand-in knows no output for this script", script=module.params["script"])


if __name__ == "__main__":
    main()
