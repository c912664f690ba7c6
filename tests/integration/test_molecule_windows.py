"""Runs the live Windows scenario (molecule/windows) when a Windows workstation is given.

No Windows host exists in this project's CI: without WEBCERT_WINDOWS_HOST the test is skipped, and a skip
says nothing about Windows. With it, `molecule test -s windows` audits that host over PSRP.
"""

import os
import subprocess
import sys

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


@pytest.mark.skipif(not os.environ.get("WEBCERT_WINDOWS_HOST"),
                    reason="WEBCERT_WINDOWS_HOST is not set: no Windows workstation to audit live "
                           "(molecule/windows needs WEBCERT_WINDOWS_HOST, _USER and _PASSWORD)")
def test_live_audit_of_a_windows_workstation():
    env = dict(os.environ, ANSIBLE_HOME=os.path.join(REPO, ".ansible"), ANSIBLE_NOCOLOR="1")
    molecule = os.path.join(os.path.dirname(sys.executable), "molecule")
    run = subprocess.run([molecule, "test", "-s", "windows"], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=1800)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
