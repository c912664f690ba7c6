"""Windows module calls checked against their real argument specs (ansible-doc -j).

ansible-lint validates arguments of Python modules only; ansible.windows, community.windows and our own
PowerShell modules (webcert_registry_policy, webcert_service_policy: specs from their .py doc stubs) are
PowerShell, so this test does it for them: every task that calls one uses only options the module has,
sets the required ones, and uses literal values from `choices`. Values enforcement produces at run time
(registry types, service start modes and states) are checked against the same choices, and each doc stub
against the spec its .ps1 declares.
"""

import glob
import json
import os
import re

import pytest
import yaml

from ansible_cli import run_ansible

from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.certificates import CERTIFICATE_STORES
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.plan import MODULE_FIELDS
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.registry import REGISTRY_TYPES
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.services import START_MODES

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WINDOWS_COLLECTIONS = ("ansible.windows.", "community.windows.", "webcert.fleet.webcert_registry_policy",
                       "webcert.fleet.webcert_service_policy")
OUR_POWERSHELL = ("webcert_registry_policy", "webcert_service_policy")
TASK_KEYWORDS = {"name", "loop", "loop_control", "register", "when", "check_mode", "changed_when", "failed_when",
                 "tags", "vars", "notify", "become", "become_user", "become_method", "ignore_errors",
                 "ignore_unreachable", "delegate_to", "no_log", "environment", "until", "retries", "delay",
                 "args", "block", "rescue", "always", "run_once", "throttle", "timeout", "diff", "any_errors_fatal"}


def task_files():
    patterns = ["roles/*/tasks/*.yml", "roles/*/handlers/*.yml", "playbooks/*.yml", "molecule/*/*.yml"]
    return sorted(path for pattern in patterns for path in glob.glob(os.path.join(REPO, pattern)))


def walk_tasks(node):
    if isinstance(node, list):
        for item in node:
            yield from walk_tasks(item)
    elif isinstance(node, dict):
        for key in ("tasks", "pre_tasks", "post_tasks", "handlers", "block", "rescue", "always"):
            if key in node:
                yield from walk_tasks(node[key])
        if not {"tasks", "block", "hosts", "import_playbook", "ansible.builtin.import_playbook"} & set(node):
            yield node


def windows_calls():
    calls = []
    for path in task_files():
        with open(path, encoding="utf-8") as handle:
            document = yaml.safe_load(handle)
        for task in walk_tasks(document):
            for key, args in task.items():
                if key.startswith(WINDOWS_COLLECTIONS):
                    calls.append((os.path.relpath(path, REPO), task.get("name"), key, args or {}))
    return calls


@pytest.fixture(scope="module")
def specs():
    modules = sorted({module for _unused, _unused, module, _unused in windows_calls()} |
                     {"ansible.windows.win_regedit", "ansible.windows.win_certificate_store"} |
                     {"webcert.fleet." + name for name in OUR_POWERSHELL})
    completed = run_ansible("ansible-doc", "-j", *modules)
    assert completed.returncode == 0, completed.stderr
    output = completed.stdout
    return {name: doc["doc"]["options"] for name, doc in json.loads(output).items()}


def test_there_are_windows_calls_to_check():
    assert len(windows_calls()) >= 5


@pytest.mark.parametrize("path, name, module, args", windows_calls(), ids=lambda v: v if isinstance(v, str) else "")
def test_windows_task_arguments_follow_the_module_spec(specs, path, name, module, args):
    options = specs[module]
    unknown = set(args) - set(options) - {alias for o in options.values() for alias in o.get("aliases", [])}
    assert not unknown, "%s: task %r: %s has no option(s) %s" % (path, name, module, sorted(unknown))
    for option, spec in options.items():
        if spec.get("required"):
            assert option in args, "%s: task %r: %s requires %r" % (path, name, module, option)
        value = args.get(option)
        if spec.get("choices") and isinstance(value, str) and "{{" not in value:
            assert value in spec["choices"], "%s: task %r: %s=%r not in %s" % (path, name, option, value, spec["choices"])


def test_runtime_values_fit_the_module_choices(specs):
    registry = specs["webcert.fleet.webcert_registry_policy"]["values"]["suboptions"]
    assert set(REGISTRY_TYPES.values()) <= set(registry["type"]["choices"])
    assert set(REGISTRY_TYPES.values()) <= set(specs["ansible.windows.win_regedit"]["type"]["choices"])
    assert set(registry) >= set(MODULE_FIELDS["registry"])
    services = specs["webcert.fleet.webcert_service_policy"]["services"]["suboptions"]
    assert set(START_MODES.values()) | {"auto"} <= set(services["start_mode"]["choices"])
    assert {"started", "stopped"} == set(services["state"]["choices"])
    assert set(services) >= set(MODULE_FIELDS["services"])
    assert {location for location, _name in CERTIFICATE_STORES.values()} == {"LocalMachine"}


def _ps_spec(text):
    """Option name -> (type, choices) of the suboptions a .ps1 module declares (`name = @{ type = '...'; ...}`)."""
    found = {}
    for name, body in re.findall(r"^\s+(\w+)\s*=\s*@\{ type = '(.*?)\}\s*$", text, re.MULTILINE):
        kind = body.split("'")[0]
        choices = re.search(r"choices = ((?:'[^']*',?\s*)+)", body)
        found[name] = (kind, sorted(re.findall(r"'([^']*)'", choices.group(1))) if choices else None)
    return found


@pytest.mark.parametrize("module", OUR_POWERSHELL)
def test_doc_stub_matches_the_powershell_spec(specs, module):
    with open(os.path.join(REPO, "plugins", "modules", module + ".ps1"), encoding="utf-8") as handle:
        declared = _ps_spec(handle.read())
    (top, option), = specs["webcert.fleet." + module].items()
    documented = {name: (sub["type"], sorted(sub.get("choices") or []) or None) for name, sub in option["suboptions"].items()}
    assert declared == documented, top
