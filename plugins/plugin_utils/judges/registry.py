# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The registry of check types: everything about each `check.type` in the catalogue, in one place.

Every fact about a check type is given once, where it is registered with @check_type:
- needs(check): what the collector must read for it (merged into one collection plan per host);
- judge(check, evidence): an Outcome. It raises NotCollected when the evidence lacks what it needs,
  which the judge turns into not_reviewed, never into passed or failed;
- user_context: whether the judge reads the signed-in user's context (HKCU policy, the user's
  certificates), so a user-context evidence file is merged in for it;
- audit_only: for a type enforce mode cannot set, why it leaves it to the audit (the enforce run prints it).
How a type is enforced is not here: enforce/<family>.py registers itself for the types it sets
(enforce/base.py), so the judges import nothing from enforcement.
scripts/control-index prints these facts per control (docs/controls.md).
To add a control of an existing type, edit only controls/*.yml. The judges live by family:
workstation_checks.py (collector evidence), directory_checks.py (HSA entries); all_check_types()
imports them so they register.
"""

# The audit statuses are the result model's (results/model.py); judges name them from here too.
from ansible_collections.webcert.fleet.plugins.plugin_utils.results.model import (  # noqa: F401  pylint: disable=unused-import
    ERROR, FAILED, NOT_APPLICABLE, NOT_REVIEWED, PASSED, STATUSES)


class Outcome:
    """What a judge found. `details` holds structured extras for reports (JSON-ready dict or None);
    `warning` is a short text on a passed result that will not stay passed for long (a certificate that
    expires soon, Windows 10 kept only by Extended Security Updates)."""

    def __init__(self, status, expected, actual, message, details=None, warning=None):
        self.status = status
        self.expected = expected
        self.actual = actual
        self.message = message
        self.details = details
        self.warning = warning


def passed_if(ok, expected, actual, message_ok, message_failed):
    return Outcome(PASSED if ok else FAILED, expected, actual, message_ok if ok else message_failed)


class CheckType:
    """One registered check type (see the module docstring for what each fact means)."""

    def __init__(self, name, needs, judge, user_context=False, audit_only=None):
        self.name = name
        self.needs = needs
        self.judge = judge
        self.user_context = user_context
        self.audit_only = audit_only


CHECKS = {}


def check_type(name, needs, user_context=False, audit_only=None):
    """Register the decorated judge function for check type `name` with the facts that go with it:
    `needs(check)` returns the collection plan part; `user_context`, `audit_only` as in the module
    docstring."""
    def register(judge):
        CHECKS[name] = CheckType(name, needs, judge, user_context, audit_only)
        return judge
    return register


def all_check_types():
    """Import every family of judges (they register on import) and return the registry."""
    # Imported here, not at the top: the family modules import this one to register.
    from ansible_collections.webcert.fleet.plugins.plugin_utils.judges import directory as directory_checks  # noqa: F401  pylint: disable=import-outside-toplevel
    from ansible_collections.webcert.fleet.plugins.plugin_utils.judges import workstation as workstation_checks  # noqa: F401  pylint: disable=import-outside-toplevel
    return CHECKS


def collection_plan(controls):
    """Merge what every control's check (and applies_when) needs into one plan for the collector."""
    all_check_types()
    plan = {}
    for control in controls:
        for check in (control["check"], control.get("applies_when")):
            if check is None or check["type"] not in CHECKS:
                continue
            for key, value in CHECKS[check["type"]].needs(check).items():
                if value is True:
                    plan[key] = True
                else:
                    plan.setdefault(key, [])
                    plan[key].extend(v for v in value if v not in plan[key])
    return plan


def user_context_types():
    """Names of the check types whose judges read the signed-in user's context."""
    return {name for name, registered in all_check_types().items() if registered.user_context}
