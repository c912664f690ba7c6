"""schema.conforms() (the fast yes/no check of report.json) gives jsonschema's answer, for a valid report
and for every kind of defect the report schema can catch."""

import copy

import pytest

from report_samples import sample_report

from ansible_collections.webcert.fleet.plugins.plugin_utils import schema
from ansible_collections.webcert.fleet.plugins.plugin_utils.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.history import compute_drift
from ansible_collections.webcert.fleet.plugins.plugin_utils.report import validate_report


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
