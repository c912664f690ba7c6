"""playbooks/awx-objects.yml, the region's AWX objects as code: its syntax, and every task's arguments validated
the way the awx.awx modules validate them (ansible-core's ArgumentSpecValidator), with the argument specs taken
from the installed awx.awx modules' documentation (ansible-doc --json). Not run against a live AWX."""

import json
import os
import re

import jinja2
import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_cli import REPO, run_ansible

PLAYBOOK = os.path.join(REPO, "playbooks", "awx-objects.yml")
SAMPLES = {"int": 1, "bool": True, "dict": {}, "list": [], "float": 1.0}


def tasks():
    with open(PLAYBOOK, encoding="utf-8") as handle:
        [play] = yaml.safe_load(handle)
    return play["tasks"]


def for_awx(text):
    """What this playbook hands AWX for a {% raw %} value: the template AWX itself renders."""
    return jinja2.Environment().from_string(text).render()


def argument_spec(options):
    """An ansible-doc options dict -> the argument_spec a module gives AnsibleModule."""
    spec = {}
    for name, option in options.items():
        entry = {key: option[key] for key in ("type", "choices", "required", "default", "elements", "aliases", "no_log")
                 if key in option}
        if "suboptions" in option:
            entry["options"] = argument_spec(option["suboptions"])
        spec[name] = entry
    return spec


def concrete(value, spec, item):
    """The task's value with Jinja resolved as far as the test can: {{ item.x | default(d) }} from the loop item,
    any other template replaced by a sample of the documented type (its value is only known on AWX)."""
    if isinstance(value, str) and "{{" in value:
        found = re.fullmatch(r"\{\{ item\.(\w+)(?: \| default\((.+)\))? \}\}", value.strip())
        if found and item is not None:
            return concrete(item.get(found[1], yaml.safe_load(found[2]) if found[2] else None), spec, None)
        return SAMPLES.get((spec or {}).get("type"), value)
    if isinstance(value, dict):
        options = (spec or {}).get("options") or {}
        return {k: concrete(v, options.get(k), item) for k, v in value.items()}
    if isinstance(value, list):
        element = {"type": (spec or {}).get("elements"), "options": (spec or {}).get("options")}
        return [concrete(v, element, item) for v in value]
    return value


@pytest.fixture(scope="module")
def docs():
    modules = sorted({name for task in tasks() for name in task if name.startswith("awx.awx.")})
    done = run_ansible("ansible-doc", "--json", *modules)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_playbook_passes_the_syntax_check():
    done = run_ansible("ansible-playbook", "--syntax-check", PLAYBOOK)
    assert done.returncode == 0, done.stdout + done.stderr


def test_it_declares_every_object_the_runbook_names():
    names = [name for task in tasks() for name in task if "." in name and name != "ansible.builtin.assert"]
    assert set(names) >= {"awx.awx.project", "awx.awx.inventory", "awx.awx.inventory_source", "awx.awx.credential_type",
                          "awx.awx.credential", "awx.awx.job_template", "awx.awx.workflow_job_template",
                          "awx.awx.schedule", "awx.awx.execution_environment"}
    [templates] = [t for t in tasks() if "awx.awx.job_template" in t]
    playbooks = {item["playbook"] for item in templates["loop"]}
    assert playbooks == {"playbooks/audit.yml", "playbooks/enforce.yml", "playbooks/rollout.yml",
                         "playbooks/slice-label.yml", "playbooks/merge-slices.yml"}
    for playbook in playbooks:
        assert os.path.isfile(os.path.join(REPO, playbook)), playbook
    sliced = [i for i in templates["loop"] if "slices" in i]
    assert [i["playbook"] for i in sliced] == ["playbooks/audit.yml"], "only the audit is sliced, never the rollout"
    assert for_awx(sliced[0]["extra_vars"]["webcert_reports_dir"]) == "{{ webcert_slices_root }}/{{ webcert_run_label }}"


def test_every_task_matches_its_modules_argument_spec(docs):
    checked = 0
    for task in tasks():
        [module] = [name for name in task if name.startswith("awx.awx.")] or [None]
        if module is None:
            continue
        spec = argument_spec(docs[module]["doc"]["options"])
        for item in task.get("loop") or [None]:
            args = concrete(task[module], {"options": spec}, item)
            result = ArgumentSpecValidator(spec).validate(args)
            assert not result.error_messages, (task["name"], item and item.get("name"), result.error_messages)
            checked += 1
    assert checked >= 14


def test_the_validation_catches_a_wrong_argument(docs):
    """The check above can fail: a misspelt option and a value outside the choices are errors."""
    spec = argument_spec(docs["awx.awx.job_template"]["doc"]["options"])
    result = ArgumentSpecValidator(spec).validate({"name": "x", "job_slice_cont": 2, "job_type": "dry"})
    text = " ".join(result.error_messages)
    assert "job_slice_cont" in text and "job_type" in text
    spec = argument_spec(docs["awx.awx.workflow_job_template"]["doc"]["options"])
    result = ArgumentSpecValidator(spec).validate({"name": "x", "workflow_nodes": [{"identifer": "label"}]})
    assert "identifer" in " ".join(result.error_messages), "a node's options are checked too"


def test_secrets_reach_jobs_as_the_environment_variables_the_inventory_reads():
    [credential_type] = [t["awx.awx.credential_type"] for t in tasks() if "awx.awx.credential_type" in t]
    injected = set(credential_type["injectors"]["env"])
    fields = {field["id"] for field in credential_type["inputs"]["fields"]}
    for variable, value in credential_type["injectors"]["env"].items():
        assert re.fullmatch(r"\{\{ (\w+) \}\}", for_awx(value))[1] in fields, variable
    read = set()
    for folder, _dirs, files in os.walk(os.path.join(REPO, "inventories", "example-register", "group_vars")):
        for name in files:
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                read.update(re.findall(r"lookup\('ansible\.builtin\.env', '(WEBCERT_[A-Z_]+)'\)", handle.read()))
    secrets = {"WEBCERT_WINRM_USER", "WEBCERT_WINRM_PASSWORD", "WEBCERT_HSA_BIND_DN", "WEBCERT_HSA_BIND_PASSWORD"}
    assert secrets <= read and injected == secrets
    [credential] = [t for t in tasks() if "awx.awx.credential" in t]
    assert credential["no_log"] is True
