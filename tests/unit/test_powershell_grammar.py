"""Every PowerShell file of the repository parsed by a real grammar (tree-sitter-powershell's wasm, through
web-tree-sitter, pinned in tests/js/package-lock.json) and refused where Windows PowerShell 5.1 could not run it.

Nothing here runs PowerShell. tests/js/powershell-grammar.js does the work; these tests run it on every .ps1/.psm1
and on planted files, one per PowerShell 7 construct, which it must refuse naming the construct.
"""

import os
import shutil
import subprocess

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
JS = os.path.join(REPO, "tests", "js")
SKIP_DIRS = {".git", ".venv", "node_modules", ".collections", ".ansible", ".cache", "reports"}
# One planted file per construct PowerShell 5.1 lacks, and the words the check must say about it.
PLANTED = {
    "null_coalescing": ("$a = $null\n$b = $a ?? 'fallback'\n", "'??'"),
    "null_coalescing_assignment": ("$a = $null\n$a ??= 5\n", "'??='"),
    "null_conditional_member": ("$a = 'x'\n$n = ${a}?.Length\n", "'?.'"),
    "null_conditional_index": ("$a = @(1)\n$n = ${a}?[0]\n", "'?[]'"),
    "ternary": ("$a = 1\n$b = ($a -gt 0) ? 'yes' : 'no'\n", "ternary"),
    "foreach_parallel": ("1..3 | ForEach-Object -Parallel { $_ * 2 } -ThrottleLimit 2\n", "ForEach-Object -Parallel"),
    "foreach_parallel_abbreviated": ("1..3 | % -Par { $_ }\n", "ForEach-Object -Parallel"),
    "chain_and": ("Get-Item C:\\Windows && Write-Output 'ok'\n", "'&&'"),
    "chain_or": ("Get-Item C:\\Missing || Write-Output 'missing'\n", "'||'"),
}


def powershell_files():
    found = []
    for root, dirs, files in os.walk(REPO):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        found += [os.path.join(root, f) for f in files if f.endswith((".ps1", ".psm1"))]
    return sorted(found)


def grammar_check(*paths):
    if not shutil.which("node"):
        pytest.fail("Node.js is required for this test: install the Debian packages 'nodejs' and 'npm'")
    for package in ("web-tree-sitter", "tree-sitter-powershell"):
        if not os.path.isdir(os.path.join(JS, "node_modules", package)):
            pytest.fail("%s is not installed: run `make js-deps` (npm ci in tests/js)" % package)
    return subprocess.run(["node", os.path.join(JS, "powershell-grammar.js"), *map(str, paths)], capture_output=True,
                          text=True, timeout=300, check=False)


def test_every_powershell_file_parses_and_runs_on_powershell_5_1():
    files = powershell_files()
    names = {os.path.relpath(f, REPO) for f in files}
    assert {"plugins/module_utils/WebcertEvidence.psm1", "plugins/modules/webcert_evidence.ps1",
            "plugins/modules/webcert_registry_policy.ps1", "plugins/modules/webcert_service_policy.ps1",
            "scripts/Collect-WebcertEvidence.ps1"} <= names
    run = grammar_check(*files)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "%d file(s) parsed, 0 problem(s)" % len(files) in run.stdout


@pytest.mark.parametrize("construct", sorted(PLANTED))
def test_a_planted_powershell_7_construct_is_refused(tmp_path, construct):
    source, words = PLANTED[construct]
    planted = tmp_path / ("%s.ps1" % construct)
    planted.write_text(source, encoding="utf-8")
    run = grammar_check(planted)
    assert run.returncode == 1, run.stdout + run.stderr
    problems = [line for line in run.stdout.splitlines() if line.startswith(str(planted) + ":")]
    assert problems and all(words in line for line in problems), run.stdout


def test_strings_and_comments_are_not_taken_for_operators(tmp_path):
    """'??' in a comment or a string, '?' as the Where-Object alias, and a literal '&&' argument are all fine."""
    planted = tmp_path / "fine.ps1"
    planted.write_text("# a ?? b, x ? y : z\n$m = 'a ?? b && c'\nGet-Service | ? { $_.Status -eq 'Running' }\n"
                       "cmd.exe /c 'echo 1 && echo 2'\n", encoding="utf-8")
    run = grammar_check(planted)
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_syntax_error_is_refused(tmp_path):
    planted = tmp_path / "broken.ps1"
    planted.write_text("function Get-X {\n    if ($true) {\n", encoding="utf-8")
    run = grammar_check(planted)
    assert run.returncode == 1 and "broken.ps1:" in run.stdout, run.stdout


def test_powershell_inline_in_the_role_parses_and_runs_on_powershell_5_1(tmp_path):
    """The win_powershell scripts written in the role's YAML run on the PCs' Windows PowerShell 5.1 too."""
    import yaml  # pylint: disable=import-outside-toplevel  # PyYAML comes with ansible-core

    scripts = []
    tasks = os.path.join(REPO, "roles", "webcert_workstation", "tasks")
    for name in sorted(os.listdir(tasks)):
        with open(os.path.join(tasks, name), encoding="utf-8") as handle:
            for task in yaml.safe_load(handle) or []:
                for inner in [task] + task.get("block", []) + task.get("always", []):
                    script = (inner.get("ansible.windows.win_powershell") or {}).get("script")
                    if script:
                        scripts.append(tmp_path / ("%s-%d.ps1" % (name, len(scripts))))
                        scripts[-1].write_text(script, encoding="utf-8")
    assert scripts, "the role has no inline PowerShell: this test checks nothing"
    run = grammar_check(*scripts)
    assert run.returncode == 0, run.stdout + run.stderr
