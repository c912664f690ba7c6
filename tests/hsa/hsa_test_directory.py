"""Start and stop throwaway slapd directories for the HSA tests through scripts/hsa-test-directory.

Real slapd (Debian package), real ldap3; nothing is mocked. Used by tests/integration/conftest.py.
"""

import datetime
import json
import os
import signal
import subprocess
import sys
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPT = os.path.join(REPO, "scripts", "hsa-test-directory")
HSA_DIR = os.path.dirname(os.path.abspath(__file__))
REGION_LDIF = os.path.join(HSA_DIR, "region.ldif")
# The fixtures' dates are written against this moment.
AS_OF = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)


def start(ldif, state, tls=False, password=None):
    command = [sys.executable, SCRIPT, "--state", str(state), "up", "--ldif", str(ldif)] + (["--tls"] if tls else [])
    command += ["--password", password] if password else []
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        raise RuntimeError("hsa-test-directory up failed: %s" % done.stderr)
    return json.loads(done.stdout)


def stop(state):
    subprocess.run([sys.executable, SCRIPT, "--state", str(state), "down"], capture_output=True, text=True,
                   timeout=60, check=False)


def kill(info):
    """SIGKILL the server and wait until it is gone (a crash, not a clean shutdown)."""
    os.kill(info["pid"], signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with open("/proc/%d/stat" % info["pid"], encoding="ascii") as stat:
                if stat.read().split(") ")[-1].startswith("Z"):
                    return
        except OSError:
            return
        time.sleep(0.05)


def options(info, **overrides):
    """Connection options (CONNECTION_ARGUMENT_SPEC names) for a started directory."""
    values = {"uri": [info["uri"]], "base_dn": info["base_dn"], "bind_dn": info["bind_dn"],
              "bind_password": info["password"], "ca_file": info.get("ca_file"), "validate_certs": True,
              "start_tls": False, "connect_timeout": 3, "search_timeout": 5, "page_size": 500,
              "attribute_names": {}}
    values.update(overrides)
    return values
