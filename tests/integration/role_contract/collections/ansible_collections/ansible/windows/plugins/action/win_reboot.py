# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only stand-in of the ansible.windows.win_reboot action (NOT Windows): records the reboot and, outside
check mode, counts it on the simulated PC (signed-in users are gone afterwards). In check mode it returns what
the real action returns there: changed and rebooted, without rebooting."""

import json
import os

from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        directory = os.environ["WEBCERT_CONTRACT_DIR"]
        with open(os.path.join(directory, "calls.jsonl"), "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"module": "ansible.windows.win_reboot", "check_mode": self._task.check_mode,
                                     "args": dict(self._task.args)}) + "\n")
        if not self._task.check_mode:
            with open(os.path.join(directory, "state.json"), encoding="utf-8") as handle:
                state = json.load(handle)
            state["reboots"] += 1
            state["signed_in_users"] = 0
            with open(os.path.join(directory, "state.json"), "w", encoding="utf-8") as handle:
                json.dump(state, handle, indent=1, sort_keys=True)
        return dict(result, changed=True, rebooted=True, elapsed=0)
