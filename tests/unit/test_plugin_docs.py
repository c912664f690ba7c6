"""What ansible-test sanity cannot check on these machines: the documentation of PowerShell modules and of
action plugins against the code that accepts their options.

ansible-test's validate-modules reads a PowerShell module's argument spec by running pwsh, which cannot be
installed here (tests/sanity/ignore-2.19.txt skips it), and it checks an action plugin's documentation stub
(plugins/modules/<name>.py, as ansible-core does for debug) without looking at the action plugin. So: the
documented options are exactly what the code accepts (a PowerShell module's $spec options, an action plugin's
_VALID_ARGS), and every EXAMPLES task uses documented options only. Python modules are validate-modules' job.
"""

import glob
import importlib
import importlib.util
import json
import os
import re

import pytest
import yaml

from ansible_cli import run_ansible

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODULES = os.path.join(REPO, "plugins", "modules")
ACTIONS = os.path.join(REPO, "plugins", "action")
DOC_VARIABLES = {"DOCUMENTATION", "EXAMPLES", "RETURN"}
BLOCK_KEYS = ("block", "rescue", "always")


def stems(directory, extension):
    return {os.path.basename(path)[:-len(extension)] for path in glob.glob(os.path.join(directory, "*" + extension))}


PYTHON_MODULES = sorted(stems(MODULES, ".py"))
POWERSHELL_MODULES = sorted(stems(MODULES, ".ps1"))
ACTION_PLUGINS = sorted(stems(ACTIONS, ".py"))
NAMES = sorted(set(POWERSHELL_MODULES) | set(ACTION_PLUGINS))
COLLECTION = "webcert.fleet."


@pytest.fixture(scope="module")
def docs():
    """ansible-doc -j for every name at once, with the repo's ansible.cfg (cwd) and its own ANSIBLE_HOME."""
    completed = run_ansible("ansible-doc", "-j", "-t", "module", *(COLLECTION + name for name in NAMES))
    assert completed.returncode == 0, "ansible-doc failed: %s" % completed.stderr
    return {name[len(COLLECTION):]: doc for name, doc in json.loads(completed.stdout).items()}


def doc_of(docs, name):
    assert name in docs, "ansible-doc found no documentation for %s (plugins/modules/%s.py)" % (name, name)
    return docs[name]


def valid_args(name):
    """The action plugin's _VALID_ARGS, from the real class imported under the collection's name."""
    module = importlib.import_module("ansible_collections.webcert.fleet.plugins.action." + name)
    return set(module.ActionModule._VALID_ARGS)


def powershell_options(name):
    """Top-level option names of the $spec options = @{ ... } hashtable of a PowerShell module."""
    path = os.path.join(MODULES, name + ".ps1")
    with open(path, encoding="utf-8-sig") as handle:
        text = handle.read()
    start = re.search(r"\boptions\s*=\s*@\{", text)
    assert start, "%s: no 'options = @{' in the module spec" % path
    names, depth = set(), 1
    # Walk the braces from the one after 'options = @{'; a 'name = @{' opened at depth 1 is an option.
    for token in re.compile(r"(\w+)\s*=\s*@\{|[{}]").finditer(text, start.end()):
        if token.group(1) and depth == 1:
            names.add(token.group(1))
        depth += -1 if token.group(0) == "}" else 1
        if not depth:
            return names
    raise AssertionError("%s: unbalanced braces in the module spec" % path)


def code_options(name):
    """What the code accepts, and where that comes from."""
    if name in ACTION_PLUGINS:
        return valid_args(name), "plugins/action/%s.py _VALID_ARGS" % name
    if name in POWERSHELL_MODULES:
        return powershell_options(name), "plugins/modules/%s.ps1 options" % name
    raise AssertionError("%s: neither an action plugin nor a PowerShell module" % name)


def walk_tasks(node):
    if isinstance(node, list):
        for item in node:
            yield from walk_tasks(item)
    elif isinstance(node, dict):
        if any(key in node for key in BLOCK_KEYS):
            for key in BLOCK_KEYS:
                yield from walk_tasks(node.get(key) or [])
        else:
            yield node


def test_the_plugins_are_found():
    assert {"webcert_audit_start", "webcert_audit_workstation", "webcert_audit_directory", "webcert_write_report",
            "webcert_evidence"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_documented_options_are_what_the_code_accepts(docs, name):
    accepted, source = code_options(name)
    documented = set(doc_of(docs, name)["doc"].get("options") or {})
    assert documented == accepted, "%s: documented but not in %s: %s; in %s but not documented: %s" % (
        name, source, sorted(documented - accepted), source, sorted(accepted - documented))


@pytest.mark.parametrize("name", NAMES)
def test_examples_use_documented_options_only(docs, name):
    examples = yaml.safe_load(doc_of(docs, name)["examples"])
    assert isinstance(examples, list) and examples, "%s: EXAMPLES is not a list of tasks" % name
    options = docs[name]["doc"]["options"]
    known = set(options) | {alias for spec in options.values() for alias in spec.get("aliases", [])}
    calls = 0
    for task in walk_tasks(examples):
        for key in (COLLECTION + name,):
            if key not in task:
                continue
            calls += 1
            args = task[key]
            assert isinstance(args, dict), "%s: example task %r does not give its options as a mapping" % (
                name, task.get("name"))
            unknown = set(args) - known
            assert not unknown, "%s: example task %r uses undocumented option(s) %s" % (
                name, task.get("name"), sorted(unknown))
            missing = {option for option, spec in options.items() if spec.get("required")} - set(args)
            assert not missing, "%s: example task %r lacks required option(s) %s" % (
                name, task.get("name"), sorted(missing))
    assert calls, "%s: no example task calls %s" % (name, name)
