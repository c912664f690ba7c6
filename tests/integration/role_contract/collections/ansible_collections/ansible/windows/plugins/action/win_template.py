# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only stand-in of the ansible.windows.win_template action (NOT Windows): renders the role's template on
the controller the way the real action does under ansible-core 2.19 (trusted template, trim_blocks, CRLF) and
writes the result as the simulated PC's file at dest instead of transferring it."""

import json
import os

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase
from ansible.template import trust_as_template


def _state_path():
    return os.path.join(os.environ["WEBCERT_CONTRACT_DIR"], "state.json")


class ActionModule(ActionBase):
    TRANSFERS_FILES = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        src, dest = self._task.args.get("src"), self._task.args.get("dest")
        if not src or not dest:
            raise AnsibleActionFail("src and dest are required")
        source = self._find_needle("templates", src)
        data = trust_as_template(self._loader.get_text_file_contents(source))
        templar = self._templar.copy_with_new_env(searchpath=[os.path.dirname(source)], available_variables=task_vars)
        content = templar.template(data, preserve_trailing_newlines=True, escape_backslashes=False,
                                   overrides=dict(trim_blocks=True, lstrip_blocks=False, newline_sequence="\r\n"))
        with open(os.path.join(os.environ["WEBCERT_CONTRACT_DIR"], "calls.jsonl"), "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"module": "ansible.windows.win_template", "check_mode": self._task.check_mode,
                                     "args": {"src": src, "dest": dest, "content": content}}) + "\n")
        with open(_state_path(), encoding="utf-8") as handle:
            state = json.load(handle)
        changed = state["files"].get(dest) != content
        if changed and not self._task.check_mode:
            state["files"][dest] = content
            with open(_state_path(), "w", encoding="utf-8") as handle:
                json.dump(state, handle, indent=1, sort_keys=True)
        return dict(result, changed=changed, dest=dest)
