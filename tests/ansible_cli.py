"""Running the real Ansible command-line tools from tests: the repo's ansible.cfg (cwd), its own
ANSIBLE_HOME, the virtualenv's Python, no colours, and no WEBCERT_* variables inherited from the shell
(a developer's WEBCERT_GATE or WEBCERT_HSA_URI must not change what a test sees)."""

import os
import subprocess
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BIN = os.path.dirname(sys.executable)


def ansible_env(**extra):
    env = {name: value for name, value in os.environ.items() if not name.startswith("WEBCERT_")}
    env.update(ANSIBLE_HOME=os.path.join(REPO, ".ansible"), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0",
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    env.update(extra)
    return env


def run_ansible(tool, *args, env=None, timeout=300):
    """Run ansible-playbook, ansible-doc, ... from the virtualenv in the repository root."""
    return subprocess.run([os.path.join(BIN, tool), *map(str, args)], cwd=REPO, env=env or ansible_env(),
                          capture_output=True, text=True, timeout=timeout, check=False)
