"""Runs the live Windows scenarios when a Windows workstation is given.

No Windows host exists in this project's CI: without WEBCERT_WINDOWS_HOST these tests are skipped, and a
skip says nothing about Windows. With it, `molecule test -s windows` audits that host over PSRP, and
`molecule test -s windows-enforce` runs check, converge, idempotence and an audit of what it enforced.
"""

import os
import subprocess
import sys

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


@pytest.mark.skipif(not os.environ.get("WEBCERT_WINDOWS_HOST"),
                    reason="WEBCERT_WINDOWS_HOST is not set: no Windows workstation to test live "
                           "(molecule/windows needs WEBCERT_WINDOWS_HOST, _USER and _PASSWORD)")
@pytest.mark.parametrize("scenario", ["windows", "windows-enforce"])
def test_live_scenario_on_a_windows_workstation(scenario):
    env = dict(os.environ, ANSIBLE_HOME=os.path.join(REPO, ".ansible"), ANSIBLE_NOCOLOR="1")
    molecule = os.path.join(os.path.dirname(sys.executable), "molecule")
    run = subprocess.run([molecule, "test", "-s", scenario], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=1800, check=False)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
