"""The real tools the report formats are checked with: InSpec's own exec-json schema, the Jenkins xunit
plugin's JUnit schema (xmllint), and MITRE's inspecjs (what Heimdall reads InSpec JSON with) run by the
machine's Node.js. The schemas are test data in tests/fixtures/formats/ (sources in its README.md)."""

import json
import os
import shutil
import subprocess

import jsonschema
import pytest

TESTS = os.path.dirname(os.path.abspath(__file__))
FORMATS = os.path.join(TESTS, "fixtures", "formats")
JS = os.path.join(TESTS, "js")
JUNIT_XSD = os.path.join(FORMATS, "xunit-plugin-junit-10.xsd")
INSPEC_SCHEMAS = ("inspec-exec-json.schema.json", "inspec-exec-json-enhanced-outcomes.schema.json")
# Our effective status -> the control status Heimdall shows (a waived control is "Not Applicable" with
# its waived flag set).
HEIMDALL = {"passed": "Passed", "failed": "Failed", "error": "Profile Error", "not_reviewed": "Not Reviewed",
            "not_applicable": "Not Applicable", "waived": "Not Applicable"}


def inspec_validator(name=INSPEC_SCHEMAS[0]):
    """InSpec's schema is JSON Schema draft 4, as `inspec schema exec-json` prints it."""
    with open(os.path.join(FORMATS, name), encoding="utf-8") as handle:
        return jsonschema.Draft4Validator(json.load(handle))


def schema_errors(validator, document):
    return ["%s: %s" % ("/".join(map(str, e.absolute_path)), e.message) for e in validator.iter_errors(document)]


def xmllint(path, schema=JUNIT_XSD):
    """libxml2's xmllint validating `path` against `schema`: the completed process."""
    if not shutil.which("xmllint"):
        pytest.fail("xmllint is required for this test: install the Debian package 'libxml2-utils'")
    return subprocess.run(["xmllint", "--noout", "--schema", schema, str(path)], capture_output=True, text=True,
                          timeout=120, check=False)


def inspecjs(*paths):
    """tests/js/inspec-statuses.js on the files: the completed process (one JSON line per control)."""
    if not shutil.which("node"):
        pytest.fail("Node.js is required for this test: install the Debian packages 'nodejs' and 'npm'")
    if not os.path.isdir(os.path.join(JS, "node_modules", "inspecjs")):
        pytest.fail("inspecjs is not installed: run `make js-deps` (npm ci in tests/js)")
    return subprocess.run(["node", os.path.join(JS, "inspec-statuses.js"), *map(str, paths)], capture_output=True,
                          text=True, timeout=300, check=False)


def heimdall_view(paths):
    """Per control of the files, what Heimdall shows: dicts with file, profile, control, status, waived."""
    result = inspecjs(*sorted(paths))
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]
