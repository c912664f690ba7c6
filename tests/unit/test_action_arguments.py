"""Action plugins validate their arguments by type, against a spec derived from their ansible-doc
documentation (plugins/plugin_utils/adapters/arguments.py)."""

import json
from types import SimpleNamespace

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.webcert.fleet.plugins.action import (
    webcert_audit_directory, webcert_audit_start, webcert_audit_workstation, webcert_write_report)
from ansible_collections.webcert.fleet.plugins.plugin_utils.adapters.arguments import validate_args
from ansible_cli import run_ansible

ACTIONS = {"webcert_audit_directory": webcert_audit_directory, "webcert_audit_start": webcert_audit_start,
           "webcert_audit_workstation": webcert_audit_workstation, "webcert_write_report": webcert_write_report}


def validated(name, **args):
    action = SimpleNamespace(_task=SimpleNamespace(args=args, action="webcert.fleet.%s" % name))
    return validate_args(action, ACTIONS[name].SPEC)


def test_one_host_name_is_one_host_not_one_per_letter():
    assert validated("webcert_audit_directory", hosts="abc")["hosts"] == ["abc"]


@pytest.mark.parametrize("name, args, words", [
    ("webcert_audit_directory", {"hosts": {"a": 1}}, "argument 'hosts'"),
    ("webcert_audit_directory", {"settings": ["windows10_esu"]}, "argument 'settings'"),
    ("webcert_audit_workstation", {"clinic": ["Mottagning Öst"]}, "argument 'clinic': a list where text belongs"),
    ("webcert_audit_workstation", {"care_unit_hsa_id": {"id": 1}}, "argument 'care_unit_hsa_id': a mapping"),
    ("webcert_audit_start", {"profiles": [["inera-classic"]], "waivers_file": ["w.yml"]}, "argument 'waivers_file'"),
    ("webcert_audit_start", {"gates": "max_error=0"}, "gates"),
    ("webcert_write_report", {"hosts": []}, "run"),
], ids=["mapping as hosts", "list as settings", "list as clinic", "mapping as HSA-id", "list as file",
        "misspelt argument", "missing run"])
def test_bad_arguments_are_named_without_python_type_names(name, args, words):
    with pytest.raises(AnsibleActionFail) as caught:
        validated(name, **args)
    message = str(caught.value)
    assert words in message and "webcert.fleet.%s" % name in message
    assert "<class" not in message and "Tagged" not in message


def test_defaults_come_from_the_documentation():
    args = validated("webcert_write_report", run={"id": "x", "started_at": "y"})
    assert args["result_var"] == "webcert_workstation_audit" and args["reports_dir"] == "reports"
    assert validated("webcert_audit_directory")["base_dn"] == "c=SE"


def test_each_action_accepts_what_ansible_doc_documents_with_the_same_types():
    result = run_ansible("ansible-doc", "-j", *("webcert.fleet.%s" % name for name in ACTIONS))
    assert result.returncode == 0, result.stderr
    docs = json.loads(result.stdout)
    for name, plugin in ACTIONS.items():
        options = docs["webcert.fleet.%s" % name]["doc"]["options"]
        assert set(plugin.SPEC) == set(options), name
        for option, entry in plugin.SPEC.items():
            assert entry["type"] == options[option].get("type", "str"), (name, option)
            assert entry.get("default") == options[option].get("default"), (name, option)
