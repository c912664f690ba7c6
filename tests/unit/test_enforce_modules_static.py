"""Static checks of enforce mode's PowerShell modules (no Windows here: nothing below runs PowerShell).

Syntax with tree-sitter-powershell, as for the collector; check mode is declared and every write sits behind
`-not $module.CheckMode`; the on-PC management-channel guard names the same keys and services as the
controller's (plugins/plugin_utils/catalogue/management_channel.py)."""

import os
import re

import pytest

from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.management_channel import (
    CHANNEL_KEYS, CHANNEL_SERVICES, CHANNEL_VALUES)
from test_collector_static import problems, read

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODULES = [os.path.join(REPO, "plugins", "modules", name + ".ps1")
           for name in ("webcert_registry_policy", "webcert_service_policy")]
WRITES = re.compile(r"\b(New-ItemProperty|Remove-ItemProperty|New-Item|Set-Service|Start-Service|Stop-Service)\b")


@pytest.fixture(scope="module")
def parser():
    tree_sitter = pytest.importorskip("tree_sitter", reason="tree-sitter is not installed (requirements-dev.txt)")
    grammar = pytest.importorskip("tree_sitter_powershell", reason="tree-sitter-powershell is not installed")
    return tree_sitter.Parser(tree_sitter.Language(grammar.language()))


@pytest.mark.parametrize("path", MODULES, ids=os.path.basename)
def test_module_parses_without_syntax_errors(parser, path):
    tree = parser.parse(read(path).encode("utf-8"))
    assert not problems(tree), "%s: %s" % (path, problems(tree))


@pytest.mark.parametrize("path", MODULES, ids=os.path.basename)
def test_module_supports_check_mode_and_writes_only_outside_it(path):
    text = read(path)
    assert "#AnsibleRequires -CSharpUtil Ansible.Basic" in text
    assert re.search(r"supports_check_mode\s*=\s*\$true", text)
    guarded = text.split("-not $module.CheckMode", 1)
    assert len(guarded) == 2, "no check-mode guard"
    assert WRITES.findall(text), "the check would be empty"
    assert not WRITES.search(guarded[0]), "a write before the check-mode guard"
    assert "$module.Diff.before" in text and "$module.Diff.after" in text


def test_registry_module_guards_the_same_keys_as_the_controller():
    block = re.search(r"\$channelKeys = @\((.*?)\)", read(MODULES[0]), re.DOTALL).group(1)
    assert set(re.findall(r"'([^']+)'", block)) == set(CHANNEL_KEYS)


def test_registry_module_guards_the_same_single_values_as_the_controller():
    """LocalAccountTokenFilterPolicy: the controller refuses it, so the PC must too (both sides, one list)."""
    text = read(MODULES[0])
    block = re.search(r"\$channelValues = @\((.*?)\n\)", text, re.DOTALL)
    assert block, "no $channelValues in the on-PC guard"
    pairs = set(re.findall(r"@\('([^']+)', '([^']+)'\)", block.group(1)))
    assert pairs == set(CHANNEL_VALUES)
    # ... and the guard loop uses it, comparing path and name (PowerShell's -eq ignores case, as Windows does).
    loop = re.search(r"foreach \(\$value in \$channelValues\) \{(.*?)\n    \}", text, re.DOTALL).group(1)
    assert "$value[0]" in loop and "$name -eq $value[1]" in loop and "FailJson" in loop


def test_service_module_guards_the_same_services_as_the_controller():
    block = re.search(r"\$channelServices = @\((.*?)\)", read(MODULES[1])).group(1)
    assert {name.casefold() for name in re.findall(r"'([^']+)'", block)} == set(CHANNEL_SERVICES)
