"""schema.conforms() (the fast yes/no check of report.json) gives jsonschema's answer, for a valid report
and for every kind of defect the report schema can catch."""

import copy
import json
import os
import random

import pytest

from report_samples import sample_report

from ansible_collections.webcert.fleet.plugins.plugin_utils.base import schema
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.history import compute_drift
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.write import validate_report


def report():
    made = sample_report()
    made["drift"] = compute_drift(None, made, {"status": "first_run", "previous_run_id": None, "reason": "-"})
    return made


def _set(path, value):
    def change(document):
        *parents, last = path
        for part in parents:
            document = document[part]
        document[last] = value
    return change


def _delete(path):
    def change(document):
        *parents, last = path
        for part in parents:
            document = document[part]
        del document[last]
    return change


RESULT = ["subjects", 0, "results", 0]
CHANGES = {
    "unchanged": lambda document: None,
    "schema_version 2": _set(["schema_version"], 2),
    "schema_version true": _set(["schema_version"], True),
    "schema_version 1.0": _set(["schema_version"], 1.0),
    "run id pattern": _set(["run", "id"], "yesterday"),
    "run started_at not a date": _set(["run", "started_at"], "not a date"),
    "run mode": _set(["run", "mode"], "enforce"),
    "missing summary": _delete(["summary"]),
    "extra top-level field": _set(["extra"], 1),
    "subject kind": _set(["subjects", 0, "kind"], "printer"),
    "subject id empty": _set(["subjects", 0, "id"], ""),
    "subject id a number": _set(["subjects", 0, "id"], 7),
    "subject error a list": _set(["subjects", 0, "error"], []),
    "subject results not a list": _set(["subjects", 0, "results"], {}),
    "subject extra field": _set(["subjects", 0, "anything"], {"x": 1}),
    "result status": _set(RESULT + ["status"], "green"),
    "result waived a number": _set(RESULT + ["waived"], 1),
    "result expected a list": _set(RESULT + ["expected"], [1]),
    "result actual a float": _set(RESULT + ["actual"], 1.5),
    "result actual false": _set(RESULT + ["actual"], False),
    "result requirement pattern": _set(RESULT + ["requirements"], ["WS-1"]),
    "result missing message": _delete(RESULT + ["message"]),
    "result extra field": _set(RESULT + ["surprise"], "x"),
    "result details a string": _set(RESULT + ["details"], "x"),
    "summary count negative": _set(["summary", "results", "passed"], -1),
    "summary count a string": _set(["summary", "results", "passed"], "3"),
    "drift status": _set(["drift", "status"], "maybe"),
    "catalogue impact": _set(["catalogue", "controls", 0, "impact"], "huge"),
    "catalogue enforceable a string": _set(["catalogue", "controls", 0, "enforceable"], "yes"),
    "waivers not a list": _set(["waivers"], {}),
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_conforms_answers_as_jsonschema_does(name):
    document = copy.deepcopy(report())
    CHANGES[name](document)
    expected = not schema.schema_errors(document, "report.schema.json")
    assert schema.conforms(document, "report.schema.json") is expected
    if name == "unchanged":
        assert expected


def test_validate_report_still_names_the_field():
    document = report()
    document["subjects"][0]["results"][0]["status"] = "green"
    with pytest.raises(WebcertError, match=r"field 'subjects\[0\]\.results\[0\]\.status'"):
        validate_report(document)


def test_a_schema_with_an_unknown_keyword_is_left_to_jsonschema():
    with pytest.raises(schema._Unsupported):  # pylint: disable=protected-access
        schema._compile({"oneOf": [{"type": "string"}]}, {}, {})  # pylint: disable=protected-access


FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "evidence")
REPLACEMENTS = [None, True, 0, -1, 1.5, 70000, "", "x", "2026-13-45", [], ["x"], {}, {"x": 1}]


def _leaves(value, path=()):
    """Every path in a document (containers too), so a mutation can hit any field."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, path + (index,))


def _mutations(document, count, seed):
    """`count` copies of `document`, each with one field replaced by a value of another kind, deleted,
    or given an unknown sibling field."""
    rng = random.Random(seed)
    paths = [p for p in _leaves(document) if p]
    for _number in range(count):
        changed = copy.deepcopy(document)
        path = rng.choice(paths)
        parent = changed
        for part in path[:-1]:
            parent = parent[part]
        action = rng.random()
        if action < 0.1 and isinstance(parent, dict):
            del parent[path[-1]]
        elif action < 0.2 and isinstance(parent, dict):
            parent["unexpected_%d" % rng.randrange(100)] = 1
        else:
            parent[path[-1]] = copy.deepcopy(rng.choice(REPLACEMENTS))
        yield path, changed


@pytest.mark.parametrize("name", sorted(os.listdir(FIXTURES)))
def test_conforms_answers_as_jsonschema_does_for_evidence(name):
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as handle:
        document = json.load(handle)
    assert schema.conforms(document, "evidence.schema.json") is not schema.schema_errors(document,
                                                                                         "evidence.schema.json")
    disagreements = [path for path, changed in _mutations(document, 60, name)
                     if schema.conforms(changed, "evidence.schema.json")
                     is bool(schema.schema_errors(changed, "evidence.schema.json"))]
    assert not disagreements


def test_conforms_answers_as_jsonschema_does_for_random_report_defects():
    document = report()
    disagreements = [path for path, changed in _mutations(document, 300, "report")
                     if schema.conforms(changed, "report.schema.json")
                     is bool(schema.schema_errors(changed, "report.schema.json"))]
    assert not disagreements
