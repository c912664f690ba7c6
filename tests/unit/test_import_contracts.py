"""The one-way flow of plugins/plugin_utils/ (catalogue -> evidence -> judges -> results -> report; judges ->
enforce), declared in .importlinter and checked by import-linter: it holds for the code as it is, and a planted
back-arrow or an Ansible import in a stage breaks it, naming the arrow."""

import os
import shutil
import subprocess
import sys

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LINT_IMPORTS = os.path.join(os.path.dirname(sys.executable), "lint-imports")
PACKAGE = "ansible_collections.webcert.fleet.plugins.plugin_utils"


def lint_imports(collections_path):
    env = dict(os.environ, PYTHONPATH=collections_path)
    return subprocess.run([LINT_IMPORTS, "--no-cache", "--no-logo", os.path.join(REPO, ".importlinter")],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False)


def planted_copy(tmp_path, module, line):
    """A copy of the collection's plugin code with `line` added to plugin_utils/<module>.py."""
    plugins = tmp_path / "ansible_collections" / "webcert" / "fleet" / "plugins"
    for package in ("plugin_utils", "module_utils"):
        shutil.copytree(os.path.join(REPO, "plugins", package), plugins / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    target = plugins / "plugin_utils" / (module.replace(".", "/") + ".py")
    target.write_text(target.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")
    return str(tmp_path)


def test_the_code_keeps_every_contract():
    result = lint_imports(os.path.join(REPO, ".collections"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


@pytest.mark.parametrize("module, line, arrow", [
    # The circle issue 17 removed: the judges registered the enforcement objects.
    ("judges.workstation", "from %s.enforce.plan import enforcement_of  # noqa" % PACKAGE,
     "judges is not allowed to import %s.enforce" % PACKAGE),
    # The catalogue asking the judges for the check types it may name.
    ("catalogue.load", "from %s.judges.registry import all_check_types  # noqa" % PACKAGE,
     "catalogue is not allowed to import %s.judges" % PACKAGE),
    # Two packages on one layer import neither each other.
    ("report.write", "from %s.enforce.base import FAMILIES  # noqa" % PACKAGE,
     "report is not allowed to import %s.enforce" % PACKAGE),
])
def test_a_back_arrow_is_refused_and_named(tmp_path, module, line, arrow):
    result = lint_imports(planted_copy(tmp_path, module, line))
    assert result.returncode != 0
    assert arrow in " ".join(result.stdout.split()), result.stdout


def test_a_stage_that_imports_ansible_is_refused(tmp_path):
    result = lint_imports(planted_copy(tmp_path, "results.model", "from ansible.errors import AnsibleError  # noqa"))
    assert result.returncode != 0
    assert "plugin_utils.results.model -> ansible (l." in " ".join(result.stdout.split()), result.stdout


def test_the_package_map_in_the_docs_is_drawn_from_the_contracts():
    result = subprocess.run([sys.executable, os.path.join(REPO, "scripts", "package-map"), "--check"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr + " (run scripts/package-map and commit docs/architecture.md)"
