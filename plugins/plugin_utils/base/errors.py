# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Errors that name the input they come from, so an operator can fix it, and plain words for values in
such messages (never Ansible's internal type names such as _AnsibleTaggedList)."""


# Plain words for Python's type names, in messages about values.
TYPE_WORDS = {"bool": "a boolean", "str": "text", "int": "a number", "float": "a number", "list": "a list",
              "dict": "a mapping", "NoneType": "nothing"}


def kind_of(value):
    """A plain word for a value's type: Ansible hands over its own str, list and dict subclasses."""
    for python_type, name in ((bool, "bool"), (str, "str"), (int, "int"), (float, "float"), ((list, tuple), "list"),
                              (dict, "dict")):
        if isinstance(value, python_type):
            return TYPE_WORDS[name]
    return "nothing" if value is None else "a %s" % type(value).__name__


def plain(value):
    """`value` as plain Python types (str, list, dict, ...), so messages and checks never see Ansible's
    tagged subclasses."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, dict):
        return {plain(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


class WebcertError(Exception):
    """Base class for input errors of webcert-fleet."""


class CatalogueError(WebcertError):
    """The control catalogue (controls/*.yml) is invalid."""


class EvidenceError(WebcertError):
    """An evidence document is unreadable or does not follow schemas/evidence.schema.json."""


class WaiverError(WebcertError):
    """The waiver file is invalid."""


class SettingsError(WebcertError):
    """A region setting is unknown or has the wrong type."""
