# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""JSON Schema validation with error messages that name the file and the field."""

import glob
import json
import os

try:
    import jsonschema
    import referencing
except ImportError:  # pragma: no cover - reported clearly at first use
    jsonschema = referencing = None

# plugins/plugin_utils -> the collection root (the repository root in a checkout), which ships controls/ and schemas/
COLLECTION_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
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
