# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""JSON Schema validation with error messages that name the file and the field."""

import glob
import json
import os
import re

try:
    import jsonschema
    import referencing
except ImportError:  # pragma: no cover - reported clearly at first use
    jsonschema = referencing = None

# plugins/plugin_utils/base -> the collection root (the repository root in a checkout), which ships controls/ and schemas/
COLLECTION_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SCHEMA_DIR = os.path.join(COLLECTION_ROOT, "schemas")

_cache = {}


def load_schema(name):
    if name not in _cache:
        with open(os.path.join(SCHEMA_DIR, name), encoding="utf-8") as handle:
            _cache[name] = json.load(handle)
    return _cache[name]


def _registry():
    """All schemas/*.json by their $id, so one schema can $ref another (catalogue -> check families)."""
    if "__registry__" not in _cache:
        resources = []
        for path in sorted(glob.glob(os.path.join(SCHEMA_DIR, "*.json"))):
            schema = load_schema(os.path.basename(path))
            resources.append((schema["$id"], referencing.Resource.from_contents(schema)))
        _cache["__registry__"] = referencing.Registry().with_resources(resources)
    return _cache["__registry__"]


def field_path(path):
    """['controls', 3, 'check', 'type'] -> 'controls[3].check.type'."""
    text = ""
    for part in path:
        text += "[%d]" % part if isinstance(part, int) else (".%s" % part if text else str(part))
    return text or "(top level)"


def schema_errors(document, schema_name):
    """All validation errors, most specific first, as jsonschema ValidationError objects."""
    if jsonschema is None:
        raise RuntimeError("the Python package 'jsonschema' is required (pip install -r requirements.txt)")
    schema = load_schema(schema_name)
    validator_cls = jsonschema.validators.validator_for(schema)
    validator = validator_cls(schema, registry=_registry(), format_checker=validator_cls.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(document), key=lambda e: (-len(e.absolute_path), str(e.absolute_path)))
    return [_most_specific(error) for error in errors]


def _most_specific(error):
    """anyOf/oneOf/if-then errors hide the useful message in their context; dig it out."""
    while error.context:
        error = max(error.context, key=lambda e: len(e.absolute_path))
    return error


# --- A fast yes/no check for big documents -----------------------------------------------------------
# jsonschema walks a region's report.json (10,000 persons, 100,000 results) in about 10 s. conforms()
# answers the same question for the keywords our report and evidence schemas use, compiled once into plain Python
# checks; a schema with any other keyword is handed to jsonschema whole. Callers still use schema_errors()
# for the message when the answer is no. tests/unit/test_schema_conforms.py holds both to the same answers.

_ANNOTATIONS = frozenset(("$schema", "$id", "$defs", "title", "description", "$comment", "examples", "default"))
_CHECKED = frozenset(("type", "enum", "const", "required", "properties", "additionalProperties", "items", "$ref",
                      "pattern", "minLength", "minimum", "maximum", "format", "anyOf", "propertyNames"))


class _Unsupported(Exception):
    pass


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "number": _is_number,
    "integer": lambda v: _is_number(v) and (isinstance(v, int) or v.is_integer()),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _equal(one, two):
    """JSON equality as jsonschema has it: true is not 1, 1 is 1.0."""
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(_equal(a, b) for a, b in zip(one, two))
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(_equal(one[k], two[k]) for k in one)
    return one == two


def _compile(node, root, compiled):
    """A function instance -> bool for one schema node; _Unsupported for keywords it does not know."""
    if node is True or node == {}:
        return lambda value: True
    if node is False:
        return lambda value: False
    unknown = set(node) - _CHECKED - _ANNOTATIONS
    if unknown:
        raise _Unsupported(sorted(unknown))
    checks = []
    if "$ref" in node:
        reference = node["$ref"]
        if not reference.startswith("#/$defs/") or "/" in reference[len("#/$defs/"):]:
            raise _Unsupported(reference)
        name = reference[len("#/$defs/"):]
        if name not in compiled:
            compiled[name] = None  # placeholder: a definition may refer to itself
            compiled[name] = _compile(root["$defs"][name], root, compiled)
        checks.append(lambda value, name=name: compiled[name](value))
    if "type" in node:
        types = [_TYPES[t] for t in ([node["type"]] if isinstance(node["type"], str) else node["type"])]
        checks.append(lambda value: any(check(value) for check in types))
    if "enum" in node:
        choices = node["enum"]
        if all(isinstance(c, str) for c in choices):
            strings = frozenset(choices)
            checks.append(lambda value: isinstance(value, str) and value in strings)
        else:
            checks.append(lambda value: any(_equal(value, c) for c in choices))
    if "const" in node:
        constant = node["const"]
        checks.append(lambda value: _equal(value, constant))
    if "pattern" in node:
        pattern = re.compile(node["pattern"])
        checks.append(lambda value: not isinstance(value, str) or pattern.search(value) is not None)
    if "minLength" in node:
        shortest = node["minLength"]
        checks.append(lambda value: not isinstance(value, str) or len(value) >= shortest)
    if "minimum" in node:
        least = node["minimum"]
        checks.append(lambda value: not _is_number(value) or value >= least)
    if "maximum" in node:
        most = node["maximum"]
        checks.append(lambda value: not _is_number(value) or value <= most)
    if "anyOf" in node:
        choices = [_compile(choice, root, compiled) for choice in node["anyOf"]]
        checks.append(lambda value: any(choice(value) for choice in choices))
    if "propertyNames" in node:
        name_check = _compile(node["propertyNames"], root, compiled)
        checks.append(lambda value: not isinstance(value, dict) or all(name_check(key) for key in value))
    if "format" in node:
        name = node["format"]
        checker = jsonschema.validators.validator_for(root).FORMAT_CHECKER
        checks.append(lambda value: checker.conforms(value, name))
    if "required" in node:
        required = tuple(node["required"])
        checks.append(lambda value: not isinstance(value, dict) or all(k in value for k in required))
    properties = {k: _compile(v, root, compiled) for k, v in (node.get("properties") or {}).items()}
    extra = node.get("additionalProperties", True)
    extra_check = None if extra is True else _compile(extra, root, compiled)
    if properties or extra_check is not None:
        def check_object(value):
            if not isinstance(value, dict):
                return True
            for key, item in value.items():
                check = properties.get(key)
                if check is None:
                    check = extra_check
                if check is not None and not check(item):
                    return False
            return True
        checks.append(check_object)
    if "items" in node:
        item_check = _compile(node["items"], root, compiled)
        checks.append(lambda value: not isinstance(value, list) or all(item_check(item) for item in value))
    if len(checks) == 1:
        return checks[0]
    return lambda value: all(check(value) for check in checks)


def conforms(document, schema_name):
    """True when `document` follows schemas/<schema_name>, as schema_errors() would find (no errors)."""
    key = "__conforms__" + schema_name
    if key not in _cache:
        schema = load_schema(schema_name)
        try:
            _cache[key] = _compile(schema, schema, {})
        except _Unsupported:
            _cache[key] = lambda value: not schema_errors(value, schema_name)
    return _cache[key](document)
