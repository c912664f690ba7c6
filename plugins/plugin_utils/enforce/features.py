# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The features family: Windows optional features to enable, such as IE11 where Edge's IE mode needs it (tasks/features.yml)."""

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import CatalogueError
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.base import Enforcement, op, register
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import lookup, section


def build_optional_feature(control, inputs):
    check = control["check"]
    if check["state"] != {"equals": "Enabled"}:
        raise CatalogueError("control %s: enforce can only enable an optional feature (state equals Enabled)"
                             % control["id"])
    return {"control_id": control["id"], "name": check["name"]}


def change_optional_feature(item, evidence, changes):
    feature = lookup(section(evidence, "optional_features"), item["name"])
    state = (feature or {}).get("state")
    if feature is not None and state is None:
        changes.note(item["control_id"], "feature %s does not exist on this Windows" % item["name"])
    elif state != "Enabled":
        changes.add("features", op(item, name=item["name"], before=state))


register("optional_feature", Enforcement("features", build_optional_feature, change_optional_feature))
