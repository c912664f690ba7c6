# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared by the test-only stand-ins of the Windows modules the webcert_workstation role calls.

NOT Windows: a stand-in records its arguments to calls.jsonl and changes a simulated PC (state.json, evidence
as the collector returns it plus files, packages and clock offset), both in $WEBCERT_CONTRACT_DIR, so the
role's Jinja, conditionals, loops and reboot logic run for real under the pinned ansible-core.
"""

import fcntl
import json
import os


def _path(name):
    return os.path.join(os.environ["WEBCERT_CONTRACT_DIR"], name)


def record(module, params, check_mode):
    """Append one call: module name, its arguments as given and whether it ran in check mode."""
    line = json.dumps({"module": module, "args": params, "check_mode": bool(check_mode)}, sort_keys=True, default=str)
    with open(_path("calls.jsonl"), "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write(line + "\n")


def load_state():
    with open(_path("state.json"), encoding="utf-8") as handle:
        return json.load(handle)


def save_state(state):
    with open(_path("state.json") + ".tmp", "w", encoding="utf-8") as handle:
        json.dump(state, handle, indent=1, sort_keys=True)
    os.replace(_path("state.json") + ".tmp", _path("state.json"))


def registry_key(evidence, path, create=False):
    """The evidence's key, matched as Windows matches key paths (case-insensitively)."""
    registry = evidence.setdefault("registry", {})
    for name, key in registry.items():
        if name.casefold() == path.casefold():
            if create and not key.get("exists"):
                key.update(exists=True, values={})
            return key
    if not create:
        return None
    registry[path] = {"exists": True, "values": {}}
    return registry[path]


def find(mapping, name):
    """Case-insensitive lookup of a service or feature name."""
    for key, value in mapping.items():
        if key.casefold() == name.casefold():
            return value
    return None
