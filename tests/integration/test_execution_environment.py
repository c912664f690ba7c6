"""execution-environment.yml: ansible-builder (v3) writes its build context, with exactly the versions the
repository pins (requirements.txt, the collections the pinned ansible package ships)."""

import json
import os
import re
import shutil

import yaml

from ansible_cli import BIN, REPO, ansible_env
import subprocess

import ansible_collections


def pins(path):
    found = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            match = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line.strip())
            if match:
                found[match[1].lower()] = match[2]
    return found


def installed_collection(name):
    namespace, collection = name.split(".")
    for root in ansible_collections.__path__:
        manifest = os.path.join(root, namespace, collection, "MANIFEST.json")
        if os.path.exists(manifest):
            with open(manifest, encoding="utf-8") as handle:
                return json.load(handle)["collection_info"]["version"]
    return None


def test_ansible_builder_creates_the_build_context_with_the_pinned_versions(tmp_path):
    shutil.copy(os.path.join(REPO, "execution-environment.yml"), tmp_path)
    done = subprocess.run([os.path.join(BIN, "ansible-builder"), "create", "-f", "execution-environment.yml",
                           "-c", "context"], cwd=tmp_path, env=ansible_env(), capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    context = tmp_path / "context"
    dockerfile = (context / "Dockerfile").read_text()
    assert "ansible-core==2.19.14" in dockerfile and "ansible-runner==2.4.3" in dockerfile
    runtime = pins(os.path.join(REPO, "requirements.txt"))
    built = pins(context / "_build" / "requirements.txt")
    assert built and all(runtime[name] == version for name, version in built.items()), (built, runtime)
    assert set(runtime) - set(built) == {"ansible", "ansible-core"}, "the rest of the runtime is in the image"
    assert runtime["ansible-core"] in dockerfile
    with open(context / "_build" / "requirements.yml", encoding="utf-8") as handle:
        collections = yaml.safe_load(handle)["collections"]
    for collection in collections:
        assert collection["version"] == "==%s" % installed_collection(collection["name"]), collection
    assert {c["name"] for c in collections} >= {"ansible.windows"}
