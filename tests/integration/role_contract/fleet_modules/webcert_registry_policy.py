# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only stand-in of webcert.fleet.webcert_registry_policy (NOT Windows): applies the values to the
simulated PC's registry and returns `values` as the module's RETURN documents (one entry per value, in order,
with control_id, path, name, changed, before, after)."""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.contract_standin import (
    load_state, record, registry_key, save_state)

TYPES = {"string": "REG_SZ", "expandstring": "REG_EXPAND_SZ", "dword": "REG_DWORD", "qword": "REG_QWORD",
         "multistring": "REG_MULTI_SZ", "binary": "REG_BINARY"}
VALUE = dict(control_id=dict(type="str"), path=dict(type="str", required=True), name=dict(type="str", required=True),
             data=dict(type="raw"), type=dict(default="string", choices=list(TYPES)),
             state=dict(default="present", choices=["present", "absent"]))


def main():
    module = AnsibleModule(dict(values=dict(type="list", elements="dict", required=True, options=VALUE)),
                           supports_check_mode=True)
    record("webcert.fleet.webcert_registry_policy", module.params, module.check_mode)
    state = load_state()
    results = []
    for value in module.params["values"]:
        key = registry_key(state["evidence"], value["path"], create=value["state"] == "present")
        values = key["values"] if key else {}
        name = next((n for n in values if n.casefold() == value["name"].casefold()), None)
        before = values.get(name) if name else None
        after = {"type": TYPES[value["type"]], "data": value["data"]} if value["state"] == "present" else None
        changed = before != after
        if changed and not module.check_mode:
            values.pop(name, None)
            if after:
                values[value["name"]] = after
        results.append(dict(control_id=value["control_id"], path=value["path"], name=value["name"], changed=changed,
                            before=before, after=after))
    if not module.check_mode:
        save_state(state)
    module.exit_json(changed=any(r["changed"] for r in results), values=results)


if __name__ == "__main__":
    main()
