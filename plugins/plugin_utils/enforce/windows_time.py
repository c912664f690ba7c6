# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The time family: a clock resync when the clock is off (tasks/time.yml). Whether the clock is off is the clock
judge's own answer."""

from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.base import Enforcement, op, register
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import NotCollected
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.registry import PASSED, all_check_types


def build_clock(control, inputs):
    return {"control_id": control["id"], "check": control["check"]}


def change_clock(item, evidence, changes):
    try:
        outcome = all_check_types()["clock"].judge(item["check"], evidence)
    except NotCollected as reason:
        changes.note(item["control_id"], "left alone: %s" % reason)
        return
    if outcome.status != PASSED:
        changes.add("time", op(item, action="resync", before=outcome.actual))


register("clock", Enforcement("time", build_clock, change_clock))
