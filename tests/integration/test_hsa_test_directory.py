"""scripts/hsa-test-directory itself: up prints what a client needs, down really stops slapd."""

import os
import subprocess
import sys

import hsa_test_directory as hsa
from ldap3 import Connection, Server

SCRIPT = hsa.SCRIPT


def script(state, *args):
    return subprocess.run([sys.executable, SCRIPT, "--state", str(state), *args], capture_output=True, text=True,
                          timeout=60, check=False)


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid, encoding="ascii") as stat:
            return not stat.read().split(") ")[-1].startswith("Z")
    except OSError:
        return False


def test_up_prints_connection_data_and_down_waits_for_slapd_to_exit(tmp_path):
    state = tmp_path / "state"
    info = hsa.start(hsa.REGION_LDIF, state, tls=True)
    try:
        assert set(info) >= {"uri", "base_dn", "bind_dn", "password", "ca_file"}
        assert info["uri"].startswith("ldaps://127.0.0.1:") and os.path.isfile(info["ca_file"])
        assert alive(info["pid"])
        again = script(state, "up", "--ldif", hsa.REGION_LDIF)
        assert again.returncode == 1 and "already up" in again.stderr
        # The audit account reads; anonymous users see nothing.
        plain = Server(info["plain_uri"])
        with Connection(plain, info["bind_dn"], info["password"], auto_bind=True) as conn:
            assert conn.search("c=SE", "(hsaIdentity=SE5565594230-A000)") and len(conn.entries) == 1
        with Connection(plain, auto_bind=True) as anonymous:
            anonymous.search("c=SE", "(objectClass=*)")
            assert anonymous.entries == []
    finally:
        down = script(state, "down")
    assert down.returncode == 0
    assert not alive(info["pid"])  # down returned only after slapd had exited
    assert not state.exists()


def test_up_with_a_missing_ldif_names_it(tmp_path):
    done = script(tmp_path / "state", "up", "--ldif", str(tmp_path / "missing.ldif"))
    assert done.returncode == 1 and "missing.ldif not found" in done.stderr


def test_up_with_an_ldif_that_breaks_the_schema_names_the_problem(tmp_path):
    bad = tmp_path / "bad.ldif"
    bad.write_text("dn: c=SE\nobjectClass: country\nc: SE\n\ndn: cn=x,c=SE\nobjectClass: hsaCommission\n"
                   "hsaCommissionPurpose: Vård och behandling\nnoSuchAttribute: 1\n", encoding="utf-8")
    done = script(tmp_path / "state", "up", "--ldif", str(bad))
    assert done.returncode == 1 and "loading" in done.stderr and "noSuchAttribute" in done.stderr
