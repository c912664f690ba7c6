"""The collection as users install it: `ansible-galaxy collection build` makes a tarball, it installs into a
clean collections path, and the example region's audit runs from there, with no repository checkout in play
(another working directory, no ansible.cfg, no .collections link, no PYTHONPATH)."""

import glob
import json
import os
import shutil
import subprocess
import sys

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.dirname(sys.executable)
INSTALLED = ("ansible_collections", "webcert", "fleet")


def run(tool, *args, cwd, env):
    return subprocess.run([os.path.join(BIN, tool), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600, check=False)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(collections path, environment) with the built tarball installed and nothing of the checkout visible."""
    work = tmp_path_factory.mktemp("tarball")
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("WEBCERT_", "ANSIBLE_")) and name != "PYTHONPATH"}
    env.update(ANSIBLE_HOME=str(work / "ansible-home"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_CONFIG=str(work / "none.cfg"))
    built = run("ansible-galaxy", "collection", "build", "--output-path", str(work), REPO, cwd=work, env=env)
    assert built.returncode == 0, built.stderr
    [tarball] = glob.glob(str(work / "webcert-fleet-*.tar.gz"))
    collections = work / "collections"
    # --no-deps: ansible.windows comes from the ansible package here, as on every machine without Galaxy.
    done = run("ansible-galaxy", "collection", "install", "--no-deps", "-p", str(collections), tarball, cwd=work,
               env=env)
    assert done.returncode == 0, done.stderr
    env.update(ANSIBLE_COLLECTIONS_PATH=str(collections),
               # What a region's own ansible.cfg sets (the repository's ansible.cfg does the same).
               ANSIBLE_INVENTORY_IGNORE_REGEX="^files$",
               ANSIBLE_CALLBACKS_ENABLED="webcert.fleet.webcert_summary")
    return work, collections, env


def test_the_tarball_ships_catalogue_schemas_and_example_but_not_the_checkout_link(installed):
    _unused, collections, _env = installed
    root = collections.joinpath(*INSTALLED)
    for shipped in ("controls/profiles.yml", "schemas/catalogue.schema.json", "roles/webcert_workstation/tasks/main.yml",
                    "playbooks/audit.yml", "inventories/example/hosts.yml", "MANIFEST.json"):
        assert root.joinpath(shipped).is_file(), shipped
    assert not root.joinpath(".collections").exists()


def test_only_the_installed_copy_is_visible(installed):
    work, collections, env = installed
    listed = run("ansible-galaxy", "collection", "list", "webcert.fleet", "--format", "json", cwd=work, env=env)
    assert listed.returncode == 0, listed.stderr
    found = json.loads(listed.stdout)
    assert list(found) == [str(collections / "ansible_collections")], found


def test_the_example_audit_runs_from_the_installed_collection(installed):
    work, collections, env = installed
    root = collections.joinpath(*INSTALLED)
    reports = work / "reports"  # the default: reports/ in the working directory, not in the installed collection
    audit = run("ansible-playbook", "webcert.fleet.audit", "-i", str(root / "inventories" / "example"), cwd=work,
                env=env)
    assert audit.returncode == 0, audit.stdout[-3000:] + audit.stderr[-3000:]
    report = json.loads((reports / "latest" / "report.json").read_text(encoding="utf-8"))
    assert not root.joinpath("reports").exists()
    workstations = {s["id"] for s in report["subjects"] if s["kind"] == "workstation"}
    assert workstations == {"mo-ws01", "mo-ws02", "mo-ws03", "mo-ws04", "vce-ws01", "vce-ws02", "vce-ws03", "vce-ws04"}
    statuses = {r["status"] for s in report["subjects"] for r in s["results"]}
    assert {"passed", "failed"} <= statuses
    # The per-clinic summary comes from the installed callback plugin.
    assert "webcert" in audit.stdout.lower() and "clinic" in audit.stdout.lower()


def readme_install_commands():
    """The shell block of README.md that builds, installs and runs the collection, exactly as written."""
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as handle:
        text = handle.read()
    blocks = [block.split("```", 1)[0] for block in text.split("```sh\n")[1:]]
    [block] = [b for b in blocks if "ansible-galaxy collection build" in b]
    return block


def test_the_readme_commands_work_as_written_from_the_checkout_root(tmp_path):
    """Issue 19: run from the checkout root, the README's install once said "Nothing to do. All requested
    collections are already installed" (the checkout's .collections link counts as installed) and the
    audit that followed failed. A copy of the checkout, and HOME a private folder for ~/collections."""
    checkout = tmp_path / "checkout"
    shutil.copytree(REPO, checkout, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", ".ansible", "reports", "node_modules", "*.tar.gz", ".pytest_cache", "__pycache__", "output"))
    home = tmp_path / "home"
    home.mkdir()
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("WEBCERT_", "ANSIBLE_")) and name not in ("PYTHONPATH", "HOME")}
    env.update(HOME=str(home), PATH=BIN + os.pathsep + env.get("PATH", ""), ANSIBLE_NOCOLOR="1",
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    for attempt in (1, 2):  # a second time too: a rebuilt tarball beside the first must not stop it
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", readme_install_commands()], cwd=checkout, env=env,
                              capture_output=True, text=True, timeout=600, check=False)
        assert done.returncode == 0, (attempt, done.stdout[-3000:], done.stderr[-3000:])
        assert "Nothing to do" not in done.stdout + done.stderr
    assert home.joinpath("collections", *INSTALLED, "MANIFEST.json").is_file()
    report = json.loads((checkout / "reports" / "latest" / "report.json").read_text(encoding="utf-8"))
    assert len([s for s in report["subjects"] if s["kind"] == "workstation"]) == 8
