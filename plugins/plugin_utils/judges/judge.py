# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The judge: controls + evidence -> one result per control. Waivers are applied later (waivers.py).

Rules: a control whose evidence was not collected is not_reviewed; a control whose applies_when does
not hold is not_applicable; a judge function that breaks on odd evidence gives `error` for that control
only. "Could not check" is never passed or failed.
"""

from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.registry import ERROR, NOT_APPLICABLE, NOT_REVIEWED, PASSED, all_check_types
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import NotCollected
from ansible_collections.webcert.fleet.plugins.plugin_utils.results.model import make_result


def judge_control(control, evidence, evidence_source=None):
    try:
        condition = control.get("applies_when")
        if condition is not None:
            outcome = _run(condition, evidence)
            if outcome.status != PASSED:
                return make_result(control, NOT_APPLICABLE, message="does not apply: %s" % outcome.message,
                                   evidence_source=evidence_source)
        outcome = _run(control["check"], evidence)
        return make_result(control, outcome.status, outcome.expected, outcome.actual, outcome.message,
                           evidence_source, outcome.details, outcome.warning)
    except NotCollected as reason:
        return make_result(control, NOT_REVIEWED, message="not reviewed: %s" % reason,
                           evidence_source=evidence_source)
    except Exception as exc:  # pylint: disable=broad-except  # a broken judge costs one result, not the host
        return make_result(control, ERROR, message="could not judge the evidence: %s: %s"
                           % (type(exc).__name__, exc), evidence_source=evidence_source)


def _run(check, evidence):
    checks = all_check_types()
    if check["type"] not in checks:
        raise ValueError("no judge for check type %r" % check["type"])
    return checks[check["type"]].judge(check, evidence)


def judge_evidence(controls, evidence, evidence_source=None):
    return [judge_control(control, evidence, evidence_source) for control in controls]
