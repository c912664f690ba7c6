# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only stand-in of ansible.windows.win_command (NOT Windows; no check mode, like the real module).
w32tm /resync brings the simulated PC's clock offset to 0."""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.contract_standin import load_state, record, save_state


def main():
    module = AnsibleModule(dict(_raw_params=dict(type="str"), cmd=dict(type="str"), argv=dict(type="list", elements="str"),
                                chdir=dict(type="path"), creates=dict(type="path"), removes=dict(type="path")),
                           supports_check_mode=False)
    record("ansible.windows.win_command", module.params, module.check_mode)
    argv = [a.lower() for a in module.params["argv"] or (module.params["_raw_params"] or "").split()]
    state = load_state()
    if argv[:1] == ["w32tm.exe"] and "/resync" in argv:
        if state.get("resync_failures", 0) != 0:
            # As w32tm does right after /config /update (no time data yet), or always (-1) for an offset beyond
            # the phase-correction limits; the real module fails on a non-zero rc.
            state["resync_failures"] -= 1 if state["resync_failures"] > 0 else 0
            save_state(state)
            module.fail_json(msg="non-zero return code", rc=0x800705B4 & 0x7FFFFFFF, changed=True,
                             stdout="The computer did not resync because no time data was available.\r\n")
        state["clock_offset_seconds"] = 0
        save_state(state)
    module.exit_json(changed=True, rc=0, stdout="The command completed successfully.\r\n", stderr="",
                     cmd=" ".join(module.params["argv"] or []))


if __name__ == "__main__":
    main()
