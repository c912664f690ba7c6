"""execution-environment.yml: ansible-builder (v3) writes its build context, with exactly the versions the
repository pins (requirements.txt, the collections the pinned ansible package ships) and the collection
webcert.fleet itself; and an AWX inventory update of the example register region, run the way AWX runs it
(ansible-inventory --list --export from the project checkout, ANSIBLE_COLLECTIONS_PATHS as AWX sets it, no
vault password), finds webcert.fleet.webcert_register where the image puts it."""

import json
import os
import re
import shutil

import pytest
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


def galaxy_version():
    with open(os.path.join(REPO, "galaxy.yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)["version"]


def clean_env(**extra):
    """No PYTHONPATH (it would show the checkout's .collections), no ANSIBLE_* from the test run."""
    env = {k: v for k, v in ansible_env().items() if not k.startswith("ANSIBLE_COLLECTIONS") and k != "PYTHONPATH"}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def build_context(tmp_path_factory):
    """The built collection tarball and ansible-builder's build context beside it, as the runbook makes them."""
    work = tmp_path_factory.mktemp("ee")
    shutil.copy(os.path.join(REPO, "execution-environment.yml"), work)
    env = clean_env(ANSIBLE_CONFIG=str(work / "none.cfg"))
    built = subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path", str(work), REPO],
                           cwd=work, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert built.returncode == 0, built.stderr
    done = subprocess.run([os.path.join(BIN, "ansible-builder"), "create", "-f", "execution-environment.yml",
                           "-c", "context"], cwd=work, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return work


def test_ansible_builder_creates_the_build_context_with_the_pinned_versions(build_context):
    context = build_context / "context"
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
        if collection.get("type") != "file":
            assert collection["version"] == "==%s" % installed_collection(collection["name"]), collection
    assert {c["name"] for c in collections} >= {"ansible.windows"}
    [own] = [c["name"] for c in collections if c.get("type") == "file"]
    assert own == "collections/webcert-fleet-%s.tar.gz" % galaxy_version()
    # The galaxy step runs ansible-galaxy in /build, where the context's _build/ is copied: the path resolves there.
    assert "WORKDIR /build" in dockerfile and (context / "_build" / own).is_file()


@pytest.fixture(scope="module")
def image_collections(build_context, tmp_path_factory):
    """/usr/share/ansible/collections of the image: the build's galaxy step for webcert.fleet, run here (the Windows
    collections come from Galaxy in the real build; here from the ansible package, as everywhere offline)."""
    root = tmp_path_factory.mktemp("image")
    build = build_context / "context" / "_build"
    with open(build / "requirements.yml", encoding="utf-8") as handle:
        own = [c for c in yaml.safe_load(handle)["collections"] if c.get("type") == "file"]
    (build / "own-requirements.yml").write_text(yaml.safe_dump({"collections": own}))
    target = root / "usr" / "share" / "ansible" / "collections"
    done = subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--force", "--no-deps", "-r",
                           "own-requirements.yml", "--collections-path", str(target)], cwd=build,
                          env=clean_env(ANSIBLE_CONFIG=str(root / "none.cfg")), capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (target / "ansible_collections" / "webcert" / "fleet" / "MANIFEST.json").is_file(), done.stdout
    return root, target


def awx_inventory_update(root, image_path, tmp_path):
    """ansible-inventory as AWX runs an inventory update from the project (awx/main/tasks/jobs.py,
    RunInventoryUpdate): cwd the project checkout, the collections path = the job's requirements_collections, then
    the defaults, then the controller's own; no vault password. AWX writes the older name
    ANSIBLE_COLLECTIONS_PATHS, which ansible-core 2.19 no longer reads; the current name is set too, as AWX
    releases for current ansible-core do, so the project's ansible.cfg cannot put the checkout's link first."""
    # The source path playbooks/awx-objects.yml gives: the register file (its directory's group_vars apply;
    # the directory's controller.yml, which adds localhost, does not).
    source = os.path.join(REPO, "inventories", "example-register", "region.webcert_register.yml")
    paths = [str(root / "runner" / "requirements_collections"), str(root / "home" / ".ansible" / "collections"),
             str(image_path), "/usr/share/automation-controller/collections"]
    output = tmp_path / "output.json"
    env = clean_env(ANSIBLE_COLLECTIONS_PATHS=":".join(paths), ANSIBLE_COLLECTIONS_PATH=":".join(paths),
                    HOME=str(root / "home"))
    env.pop("ANSIBLE_CONFIG", None)
    done = subprocess.run([os.path.join(BIN, "ansible-inventory"), "--list", "--export", "-i", source, "--output",
                           str(output), "--playbook-dir", os.path.dirname(source)], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    return done, output


def test_an_awx_inventory_update_lists_the_register_region_with_no_vault_secret(image_collections, tmp_path):
    root, image_path = image_collections
    done, output = awx_inventory_update(root, image_path, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    with open(output, encoding="utf-8") as handle:
        inventory = json.load(handle)
    assert sorted(inventory["wave_2"]["hosts"]) == ["mo-ws01", "mo-ws02", "mo-ws03", "mo-ws04"]
    assert "vce-ws01" in inventory["clinic_vardcentralen_exempel"]["hosts"]
    assert inventory["clinic_mottagning_ost"]["vars"]["webcert_profile"] == "inera-2024", "group_vars apply"
    hosts = {h for group in inventory.values() if isinstance(group, dict) for h in group.get("hosts", [])}
    assert "localhost" not in hosts, "AWX would slice localhost like a PC"
    assert "vault" not in (done.stdout + done.stderr).lower()


def test_without_the_collection_in_the_image_the_inventory_update_fails(tmp_path):
    """The checkout's .collections link is not on AWX's path: the collection must come from the image."""
    done, _output = awx_inventory_update(tmp_path, tmp_path / "empty", tmp_path)
    assert done.returncode != 0
    assert "webcert.fleet.webcert_register" in done.stdout + done.stderr
