"""One version everywhere: galaxy.yml, the tool version in every report, the execution environment's image tag
and the collection tarball it installs, every plugin's version_added and the topmost CHANGELOG heading."""

import glob
import os
import re

import yaml

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.version import TOOL_VERSION

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def load(name):
    with open(os.path.join(REPO, name), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_one_version_everywhere():
    version = load("galaxy.yml")["version"]
    assert TOOL_VERSION == version
    ee = load("execution-environment.yml")
    assert ee["options"]["tags"] == ["webcert-fleet-ee:%s" % version]
    assert ee["additional_build_files"][0]["src"] == "webcert-fleet-%s.tar.gz" % version
    files = [c["name"] for c in ee["dependencies"]["galaxy"]["collections"] if c.get("type") == "file"]
    assert files == ["collections/webcert-fleet-%s.tar.gz" % version]
    added = {}
    for path in glob.glob(os.path.join(REPO, "plugins", "*", "*.py")):
        with open(path, encoding="utf-8") as handle:
            for found in re.findall(r'^\s*version_added:\s*"?([0-9.]+)"?', handle.read(), re.M):
                added.setdefault(found, []).append(os.path.relpath(path, REPO))
    assert set(added) == {version}, {v: sorted(set(p)) for v, p in added.items() if v != version}
    with open(os.path.join(REPO, "CHANGELOG.md"), encoding="utf-8") as handle:
        headings = [line for line in handle if line.startswith("## ")]
    assert headings[0].startswith("## %s" % version) or headings[0].startswith("## Unreleased"), headings[0]


def test_build_outputs_are_ignored_by_git_and_by_the_collection_build():
    with open(os.path.join(REPO, ".gitignore"), encoding="utf-8") as handle:
        ignored = handle.read().split()
    assert "/context/" in ignored and "/webcert-fleet-*.tar.gz" in ignored
    assert {"context", "*.tar.gz"} <= set(load("galaxy.yml")["build_ignore"])
