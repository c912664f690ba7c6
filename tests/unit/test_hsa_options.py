"""The HSA connection options are documented once (doc fragment webcert.fleet.webcert_hsa); the directory
action validates against that documentation, and the module's spec (plugins/module_utils/hsa_options.py,
which a module can import) agrees with it option by option."""

import json

import yaml

from ansible_collections.webcert.fleet.plugins.action import webcert_audit_directory
from ansible_collections.webcert.fleet.plugins.doc_fragments.webcert_hsa import ModuleDocFragment
from ansible_collections.webcert.fleet.plugins.module_utils.hsa_ldap import CONNECTION_ARGUMENT_SPEC
from ansible_collections.webcert.fleet.plugins.module_utils.hsa_options import CONNECTION_OPTIONS
from ansible_cli import run_ansible


def test_the_doc_fragment_documents_exactly_the_declared_options():
    documented = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    assert set(documented) == set(CONNECTION_OPTIONS)
    for name, option in CONNECTION_OPTIONS.items():
        assert documented[name]["type"] == option["type"] and documented[name].get("default") == option.get("default")


def test_module_and_action_validate_the_declared_options_alike():
    for name, option in CONNECTION_OPTIONS.items():
        for spec in (CONNECTION_ARGUMENT_SPEC, webcert_audit_directory.SPEC):
            assert spec[name]["type"] == option["type"], name
            assert spec[name].get("default") == option.get("default"), name
            assert spec[name].get("no_log", False) == option.get("no_log", False), name
    assert set(CONNECTION_OPTIONS) < set(webcert_audit_directory.CONNECTION), "the action passes every one on"


def test_ansible_doc_shows_the_shared_options_on_both_plugins_and_the_module_accepts_what_it_documents():
    result = run_ansible("ansible-doc", "-j", "webcert.fleet.webcert_hsa_provider", "webcert.fleet.webcert_audit_directory")
    assert result.returncode == 0, result.stderr
    docs = json.loads(result.stdout)
    provider = docs["webcert.fleet.webcert_hsa_provider"]["doc"]["options"]
    directory = docs["webcert.fleet.webcert_audit_directory"]["doc"]["options"]
    assert set(CONNECTION_OPTIONS) <= set(provider) and set(CONNECTION_OPTIONS) <= set(directory)
    for name in CONNECTION_ARGUMENT_SPEC:
        assert provider[name]["type"] == CONNECTION_ARGUMENT_SPEC[name]["type"], name
