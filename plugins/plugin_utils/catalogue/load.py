# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The control catalogue: every control defined once, in controls/*.yml.

load_catalogue() reads and validates every file (schemas/catalogue.schema.json plus cross-checks) and
stops with a CatalogueError naming the file, the control and the field. Catalogue.for_profile() gives
the controls a subject audits, with {setting: name} references resolved for its region.
"""

import copy
import datetime
import glob
import hashlib
import json
import os
import re
import tempfile

import yaml

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import CatalogueError, SettingsError, kind_of
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.expect import parse_version
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.management_channel import guard_control
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.schema import COLLECTION_ROOT, field_path, load_schema, schema_errors

DEFAULT_CATALOGUE_DIR = os.path.join(COLLECTION_ROOT, "controls")
SCOPES = ("workstation", "care_provider", "care_unit", "person", "organisation")


class Catalogue:
    def __init__(self, controls, profiles, settings, requirements, not_checkable=None):
        self.controls = controls          # list of control dicts, in file order
        self.profiles = profiles          # name -> profile dict
        self.settings = settings          # name -> setting dict (default, description, ...)
        self.requirements = requirements  # REQ id -> text
        self.not_checkable = not_checkable or {}  # REQ id -> why software cannot check it
        self.by_id = {control["id"]: control for control in controls}

    def coverage(self):
        """REQ id -> {"controls": [ids], "not_checkable": reason or None}, in requirements order."""
        return {req: {"controls": [c["id"] for c in self.controls if req in c["requirements"]],
                      "not_checkable": self.not_checkable.get(req)} for req in self.requirements}

    @property
    def default_profile(self):
        return next(name for name, profile in self.profiles.items() if profile.get("default"))

    def effective_settings(self, overrides=None):
        """Defaults merged with a region's `webcert_settings`; an unknown name or a bad value is an error."""
        values = {name: setting["default"] for name, setting in self.settings.items()}
        if overrides is not None and not isinstance(overrides, dict):
            raise SettingsError("webcert_settings: must be a mapping of setting name -> value, not %s"
                                % kind_of(overrides))
        for name, value in (overrides or {}).items():
            if name not in values:
                raise SettingsError("webcert_settings: unknown setting %r (known: %s)"
                                    % (name, ", ".join(sorted(values))))
            problem, value = setting_problem(self.settings[name], value)
            if problem:
                raise SettingsError("webcert_settings: %s: %r %s" % (name, value, problem))
            values[name] = value
        return values

    def for_profile(self, profile, scope=None, settings=None):
        """Controls of one profile (and scope), with settings resolved. Raises on an unknown profile."""
        if profile not in self.profiles:
            raise CatalogueError("unknown profile %r (known: %s)" % (profile, ", ".join(sorted(self.profiles))))
        values = self.effective_settings(settings)
        return [resolve_settings(control, values) for control in self.controls
                if profile in control["profiles"] and (scope is None or control["scope"] == scope)]


def setting_type(setting):
    """The declared type, or the one the default implies (regex, date and version must be declared)."""
    if "type" in setting:
        return setting["type"]
    default = setting["default"]
    for python_type, name in ((bool, "boolean"), (int, "integer"), (float, "number"), (list, "list"),
                              (dict, "mapping")):
        if isinstance(default, python_type):
            return name
    return "string"


def check_setting_value(kind, value):
    """(problem or None, normalised value). Dates become ISO text, as YAML may give a date object."""
    if kind == "date":
        if isinstance(value, datetime.date):
            return None, value.isoformat()
        try:
            datetime.date.fromisoformat(str(value))
        except ValueError:
            return "is not a date (YYYY-MM-DD)", value
        return None, str(value)
    if kind == "regex":
        if not isinstance(value, str):
            return "is not a regular expression (text)", value
        try:
            re.compile(value)
        except re.error as exc:
            return "is not a valid regular expression: %s" % exc, value
        return None, value
    if kind == "version":
        return (None, str(value)) if parse_version(value) else ("is not a version such as 6.7", value)
    wanted = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "list": list,
              "mapping": dict}[kind]
    if not isinstance(value, wanted) or (kind in ("integer", "number") and isinstance(value, bool)):
        return "is not of type %s" % kind, value
    return None, value


def setting_problem(setting, value):
    """(problem or None, normalised value) of a value for `setting`: its type, and its minimum if any."""
    problem, value = check_setting_value(setting_type(setting), value)
    if problem is None and "minimum" in setting and value < setting["minimum"]:
        problem = "is less than %s, the smallest value accepted" % setting["minimum"]
    return problem, value


def resolve_settings(value, settings):
    """Replace every {setting: name} inside a control with the setting's value (returns a copy)."""
    if isinstance(value, dict):
        if set(value) == {"setting"}:
            return copy.deepcopy(settings[value["setting"]])
        return {key: resolve_settings(item, settings) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve_settings(item, settings) for item in value]
    return value


def _setting_refs(value):
    if isinstance(value, dict):
        if set(value) == {"setting"}:
            yield value["setting"]
        else:
            for item in value.values():
                yield from _setting_refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _setting_refs(item)


def _read_yaml(path):
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except yaml.YAMLError as exc:
        raise CatalogueError("%s: not valid YAML: %s" % (path, exc)) from None
    except OSError as exc:
        raise CatalogueError("%s: cannot read: %s" % (path, exc.strerror)) from None
    if not isinstance(data, dict):
        raise CatalogueError("%s: expected a mapping with 'controls', 'profiles', 'settings' or "
                             "'requirements' at the top level" % path)
    return data


def _describe(path, data, error):
    """'<file>: control <id>: field <path>: <message>' for a schema error."""
    location = list(error.absolute_path)
    where = "field '%s'" % field_path(location)
    if len(location) >= 2 and location[0] == "controls" and isinstance(location[1], int):
        control = data["controls"][location[1]]
        control_id = control.get("id") if isinstance(control, dict) else None
        inner = field_path(location[2:]) if len(location) > 2 else "(the control itself)"
        return "%s: control %s: field '%s': %s" % (
            path, control_id or "#%d (no id)" % (location[1] + 1), inner, error.message)
    return "%s: %s: %s" % (path, where, error.message)


# A validated catalogue is cached as JSON, keyed by a digest of everything validation depends on (the
# catalogue files, the schemas and this package's code): parsing YAML and validating the schemas takes
# ~90 ms, and every audited host loads the catalogue in its own worker process (bench/audit_scale.py).
# Every stage's code counts: the judges' registry decides which check types a catalogue may use.
PLUGIN_UTILS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE_DIR = os.environ.get("WEBCERT_CACHE_DIR") or os.path.join(COLLECTION_ROOT, ".cache", "catalogue")


def _digest(files):
    inputs = files + sorted(glob.glob(os.path.join(COLLECTION_ROOT, "schemas", "*.json"))) + \
        sorted(glob.glob(os.path.join(PLUGIN_UTILS, "**", "*.py"), recursive=True))
    digest = hashlib.sha256()
    for path in inputs:
        with open(path, "rb") as handle:
            digest.update(path.encode() + b"\0" + handle.read() + b"\0")
    return digest.hexdigest()


def _read_cache(path):
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        return Catalogue(data["controls"], data["profiles"], data["settings"], data["requirements"],
                         data["not_checkable"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # absent or damaged: validate from the files again


def _write_cache(path, catalogue):
    try:
        text = json.dumps({"controls": catalogue.controls, "profiles": catalogue.profiles,
                           "settings": catalogue.settings, "requirements": catalogue.requirements,
                           "not_checkable": catalogue.not_checkable})
        os.makedirs(os.path.dirname(path), exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
        for old in glob.glob(os.path.join(os.path.dirname(path), "catalogue-*.json")):
            if old != path:
                os.unlink(old)  # an earlier state of the catalogue or the code
    except (OSError, TypeError, ValueError):
        pass  # a read-only checkout or an unusual value: the catalogue is simply validated each time


def load_catalogue(directory=DEFAULT_CATALOGUE_DIR, cache=True):
    """Load and validate every controls/*.yml. Raises CatalogueError naming file, control and field."""
    files = sorted(glob.glob(os.path.join(directory, "*.yml")))
    if not files:
        raise CatalogueError("%s: no catalogue files (*.yml) found" % directory)
    cache_path = os.path.join(CACHE_DIR, "catalogue-%s.json" % _digest(files)) if cache else None
    cached = _read_cache(cache_path) if cache_path else None
    if cached is not None:
        return cached
    catalogue = _validated_catalogue(files)
    if cache_path:
        _write_cache(cache_path, catalogue)
    return catalogue


def _validated_catalogue(files):
    controls, profiles, settings, requirements = [], {}, {}, {}
    origin = {}
    for path in files:
        data = _read_yaml(path)
        errors = schema_errors(data, "catalogue.schema.json")
        if errors:
            raise CatalogueError(_describe(path, data, errors[0]))
        for section, target in (("profiles", profiles), ("settings", settings), ("requirements", requirements)):
            for name, value in (data.get(section) or {}).items():
                if name in target:
                    raise CatalogueError("%s: %s %r is already defined in %s" % (path, section[:-1], name,
                                                                                 origin[(section, name)]))
                target[name] = value
                origin[(section, name)] = path
        for control in data.get("controls") or []:
            if control["id"] in origin:
                raise CatalogueError("%s: control %s: field 'id': duplicate, already defined in %s"
                                     % (path, control["id"], origin[control["id"]]))
            origin[control["id"]] = path
            controls.append(dict(control, source_file=os.path.relpath(path, COLLECTION_ROOT)))
    not_checkable = {req: value["not_checkable"] for req, value in requirements.items() if isinstance(value, dict)}
    requirements = {req: value["text"] if isinstance(value, dict) else value for req, value in requirements.items()}
    _cross_check(controls, profiles, settings, requirements, origin)
    return Catalogue(controls, profiles, settings, requirements, not_checkable)


def _cross_check(controls, profiles, settings, requirements, origin):
    for name, setting in settings.items():
        problem, setting["default"] = setting_problem(setting, setting["default"])
        if problem:
            raise CatalogueError("%s: setting %s: field 'default': %r %s" % (origin[("settings", name)], name,
                                                                             setting["default"], problem))
    defaults = [name for name, profile in profiles.items() if profile.get("default")]
    if len(defaults) != 1:
        raise CatalogueError("controls/: exactly one profile must have 'default: true' (found %s)"
                             % (", ".join(defaults) or "none"))
    check_types = schema_check_types()
    for control in controls:
        where = "%s: control %s" % (origin[control["id"]], control["id"])
        for field in ("check", "applies_when"):
            if field in control and control[field]["type"] not in check_types:
                raise CatalogueError("%s: field '%s.type': unknown check type %r (known: %s)" % (
                    where, field, control[field]["type"], ", ".join(sorted(check_types))))
        for profile in control["profiles"]:
            if profile not in profiles:
                raise CatalogueError("%s: field 'profiles': unknown profile %r" % (where, profile))
        for req in control["requirements"]:
            if req not in requirements:
                raise CatalogueError("%s: field 'requirements': unknown requirement %r" % (where, req))
        for name in _setting_refs(control):
            if name not in settings:
                raise CatalogueError("%s: field 'check': unknown setting %r" % (where, name))
        guard_control(resolve_settings(control, {name: s["default"] for name, s in settings.items()}),
                      origin[control["id"]])
        for field, pattern in _patterns(control):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise CatalogueError("%s: field '%s': %r is not a valid regular expression: %s"
                                     % (where, field, pattern, exc)) from None


def schema_check_types():
    """The check types a control may name: one if/then per type in schemas/checks-*.schema.json. Read from the
    schemas, not from the judges, so the catalogue imports nothing above it; the judges register exactly these
    names (tests/unit/test_howto_checklists.py holds the two equal)."""
    return {rule["if"]["properties"]["type"]["const"]
            for name in ("checks-workstation.schema.json", "checks-directory.schema.json")
            for rule in load_schema(name)["allOf"]}


def _patterns(value, path=""):
    """(field path, text) of every regular expression written in a control: an expect `matches`, and every
    field named `pattern` or `*_pattern` (settings are compiled where they are checked)."""
    if isinstance(value, dict):
        for key, item in value.items():
            field = "%s.%s" % (path, key) if path else key
            if isinstance(item, str) and (key in ("matches", "pattern") or key.endswith("_pattern")):
                yield field, item
            else:
                yield from _patterns(item, field)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _patterns(item, "%s[%d]" % (path, index))
