"""Which host an evidence file is of, and how a logon run's user file joins the machine evidence."""

import pytest

from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import merge_user_evidence, names_match


@pytest.mark.parametrize("evidence, inventory_name, same", [
    ({"host": "VCE-WS01"}, "vce-ws01", True),
    ({"host": "VCE-WS01"}, "vce-ws01.exk.example", True),
    ({"host": "VARDCENTRAL-EXE"}, "vardcentral-exempel-ws01", True),   # %COMPUTERNAME% is cut to 15
    ({"host": "X", "dns_host_name": "ws7.exk.example"}, "ws7.exk.example", True),
    ({"host": "MO-WS01"}, "vce-ws01", False),                           # a file copied from another PC
    ({"host": "MO-WS01", "dns_host_name": "mo-ws01.exk.example"}, "10.1.2.3", False),
])
def test_names_match(evidence, inventory_name, same):
    assert names_match(evidence, inventory_name) is same


def test_user_file_supplies_only_the_user_sections():
    machine = {"collector": {"name": "c", "version": "1", "mode": "standalone", "user_context": None},
               "services": {"SCardSvr": {"exists": True}},
               "registry": {"HKLM:\\A": {"exists": True}, "HKCU:\\Stale": {"exists": True}},
               "section_errors": {"user_certificates": "no user"}}
    user = {"collector": {"name": "c", "version": "1", "mode": "standalone", "user_context": "EXK\\anna"},
            "services": {"SCardSvr": {"exists": False}},
            "registry": {"HKLM:\\A": {"exists": False}, "HKCU:\\B": {"exists": True}},
            "user_certificates": {"store": "CurrentUser\\My", "certificates": []}}
    merged = merge_user_evidence(machine, user)
    assert merged["collector"]["user_context"] == "EXK\\anna"
    assert merged["services"] == machine["services"], "machine sections come from the machine file"
    assert merged["registry"] == {"HKLM:\\A": {"exists": True}, "HKCU:\\B": {"exists": True}}
    assert merged["user_certificates"] == user["user_certificates"]
    assert "section_errors" not in merged
