"""Every module and action plugin of plugins/ is documented, and the documentation matches the code.

ansible-doc renders each one (a documentation-only .py in plugins/modules documents a PowerShell module or an
action plugin, as ansible-core does for debug); its options are exactly what the code accepts (an action
plugin's _VALID_ARGS, a Python module's argument_spec, a PowerShell module's $spec options); and every
EXAMPLES task parses and uses documented options only.
"""

import ast
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
NAMES = sorted(set(PYTHON_MODULES) | set(POWERSHELL_MODULES) | set(ACTION_PLUGINS))


@pytest.fixture(scope="module")
def docs():
    """ansible-doc -j for every name at once, with the repo's ansible.cfg (cwd) and its own ANSIBLE_HOME."""
    completed = run_ansible("ansible-doc", "-j", "-t", "module", *NAMES)
    assert completed.returncode == 0, "ansible-doc failed: %s" % completed.stderr
    return json.loads(completed.stdout)


def doc_of(docs, name):
    assert name in docs, "ansible-doc found no documentation for %s (plugins/modules/%s.py)" % (name, name)
    return docs[name]


def is_documentation_only(path):
    """True when the file holds nothing but DOCUMENTATION, EXAMPLES and RETURN (and a docstring)."""
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    for node in tree.body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # docstring
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        if isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) and t.id in DOC_VARIABLES for t in node.targets):
            continue
        return False
    return True


def valid_args(name):
    """The action plugin's _VALID_ARGS, from the real class (plugins/module_utils is on sys.path, see conftest)."""
    spec = importlib.util.spec_from_file_location("webcert_doc_test_action_" + name, os.path.join(ACTIONS, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return set(module.ActionModule._VALID_ARGS)


class SpecReader:
    """The top-level option names of a Python module's argument_spec, read with ast (the module itself imports
    ansible.module_utils.webcert, which exists only inside Ansible's module payload).

    Understands the forms our modules use: a dict literal or dict(...) call, a name bound to one, `.update(...)`
    of that name, and a spec imported from ansible.module_utils.webcert.<x> (read from webcert.<x>). Any other form
    fails the test, naming the line, instead of passing unread.
    """

    def __init__(self, path):
        self.path = path
        with open(path, encoding="utf-8") as handle:
            self.tree = ast.parse(handle.read(), path)
        self.imported = {alias.asname or alias.name: (node.module, alias.name) for node in ast.walk(self.tree)
                         if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ansible.module_utils.")
                         for alias in node.names}

    def keys(self):
        calls = [node for node in ast.walk(self.tree) if isinstance(node, ast.Call)
                 and getattr(node.func, "id", getattr(node.func, "attr", None)) == "AnsibleModule"]
        assert len(calls) == 1, "%s: expected one AnsibleModule(...) call, found %d" % (self.path, len(calls))
        spec = [k.value for k in calls[0].keywords if k.arg == "argument_spec"]
        assert spec, "%s:%d: AnsibleModule(...) without argument_spec=" % (self.path, calls[0].lineno)
        return self.evaluate(spec[0])

    def evaluate(self, node):
        if isinstance(node, ast.Dict):
            assert all(isinstance(k, ast.Constant) for k in node.keys), self.unsupported(node)
            return {k.value for k in node.keys}
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "dict":
            keys = set()
            for argument in node.args:
                keys |= self.evaluate(argument)
            for keyword in node.keywords:
                assert keyword.arg is not None, self.unsupported(keyword)
                keys.add(keyword.arg)
            return keys
        if isinstance(node, ast.Name) and node.id in self.imported:
            module, attribute = self.imported[node.id]
            shared = importlib.import_module(module.replace("ansible.module_utils.", "", 1))
            return set(getattr(shared, attribute))
        if isinstance(node, ast.Name):
            return self.variable(node.id)
        raise AssertionError(self.unsupported(node))

    def variable(self, name):
        """Keys of a local spec variable: its assignment plus every later name.update(...)."""
        keys = None
        for node in sorted(ast.walk(self.tree), key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0))):
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
                assert len(node.targets) == 1, self.unsupported(node)
                keys = self.evaluate(node.value)
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update"
                  and getattr(node.func.value, "id", None) == name):
                assert keys is not None, self.unsupported(node)
                keys |= self.evaluate(ast.Call(func=ast.Name(id="dict"), args=node.args, keywords=node.keywords))
        assert keys is not None, "%s: argument_spec variable %r is never assigned" % (self.path, name)
        return keys

    def unsupported(self, node):
        return "%s:%s: argument_spec form not understood by this test: %s" % (
            self.path, getattr(node, "lineno", "?"), ast.dump(node)[:120])


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
    path = os.path.join(MODULES, name + ".py")
    assert not is_documentation_only(path), "%s holds only documentation but has no action plugin or .ps1" % path
    return SpecReader(path).keys(), "plugins/modules/%s.py argument_spec" % name


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
            "webcert_hsa_provider", "webcert_evidence"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_ansible_doc_renders_the_documentation(docs, name):
    doc = doc_of(docs, name)["doc"]
    assert doc.get("short_description"), "%s: no short_description" % name
    assert isinstance(doc.get("options"), dict) and doc["options"], "%s: no options" % name
    assert (docs[name].get("examples") or "").strip(), "%s: empty EXAMPLES" % name
    assert docs[name].get("return"), "%s: empty RETURN" % name
    for option, spec in doc["options"].items():
        assert spec.get("description") and spec.get("type"), "%s: option %r lacks a description or type" % (name, option)


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
        for key in (name, "ansible.legacy." + name):
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
