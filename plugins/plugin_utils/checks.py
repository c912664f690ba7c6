# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The registry of check types: how each `check.type` in the catalogue is collected and judged.

A check type has two halves, registered together with @check_type:
- needs(check): what the collector must read for it (merged into one collection plan per host);
- judge(check, evidence): an Outcome. It raises NotCollected when the evidence lacks what it needs,
  which the judge turns into not_reviewed, never into passed or failed.
To add a control of an existing type, edit only controls/*.yml. The judges live by family:
workstation_checks.py (collector evidence), directory_checks.py (HSA entries); all_check_types()
imports them so they register.
"""

PASSED, FAILED, NOT_APPLICABLE, NOT_REVIEWED, ERROR = (
    "passed", "failed", "not_applicable", "not_reviewed", "error")


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


CHECKS = {}


def check_type(name, needs):
    """Register judge function for check type `name`; `needs(check)` returns the collection plan part."""
    def register(judge):
        CHECKS[name] = (needs, judge)
        return judge
    return register


def all_check_types():
    """Import every family of judges (they register on import) and return the registry."""
    # Imported here, not at the top: the family modules import this one to register.
    from ansible_collections.webcert.fleet.plugins.plugin_utils import directory_checks  # noqa: F401  pylint: disable=import-outside-toplevel
    from ansible_collections.webcert.fleet.plugins.plugin_utils import workstation_checks  # noqa: F401  pylint: disable=import-outside-toplevel
    return CHECKS


def collection_plan(controls):
    """Merge what every control's check (and applies_when) needs into one plan for the collector."""
    all_check_types()
    plan = {}
    for control in controls:
        for check in (control["check"], control.get("applies_when")):
            if check is None or check["type"] not in CHECKS:
                continue
            needs, _unused = CHECKS[check["type"]]
            for key, value in needs(check).items():
                if value is True:
                    plan[key] = True
                else:
                    plan.setdefault(key, [])
                    plan[key].extend(v for v in value if v not in plan[key])
    return plan
