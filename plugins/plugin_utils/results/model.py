# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The result model: one result per control and subject; subjects carry their results.

A subject is whatever a control is judged on: a workstation, a care provider, a care unit, a person
or the organisation. Every report format is rendered from these dicts alone.
"""

# The audit statuses, defined once (the judges, the report schema and the renderers use these).
STATUSES = (PASSED, FAILED, NOT_APPLICABLE, NOT_REVIEWED, ERROR) = (
    "passed", "failed", "not_applicable", "not_reviewed", "error")


def make_result(control, status, expected=None, actual=None, message="", evidence_source=None, details=None,
                warning=None):
    """One result. `warning` (text) is kept only on a passed result, and only when there is one, so
    report.json stays as small as before for the results without."""
    if status not in STATUSES:
        raise ValueError("unknown status %r" % status)
    result = {
        "control_id": control["id"],
        "title": control["title"],
        "requirements": list(control["requirements"]),
        "scope": control["scope"],
        "impact": control["impact"],
        "status": status,
        "waived": False,
        "waiver": None,
        "expected": _plain(expected),
        "actual": _plain(actual),
        "message": message,
        "evidence_source": evidence_source,
        "remediation": control["remediation"],
        "details": details,
    }
    if warning and status == "passed":
        result["warning"] = warning
    return result


def _plain(value):
    """Results hold JSON scalars or text, so every renderer can show them as they are."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def make_subject(kind, subject_id, name=None, **context):
    """A subject with its context (clinic, care unit, profile, ...); status 'judged' until an error."""
    subject = {"kind": kind, "id": subject_id, "name": name or subject_id, "status": "judged", "error": None,
               "evidence_source": None, "collected_at": None, "results": []}
    subject.update(context)
    return subject


def fail_subject(subject, controls, message):
    """The whole subject could not be judged: every control gets `error` with the reason."""
    subject["status"] = "error"
    subject["error"] = message
    subject["results"] = [make_result(c, "error", message=message, evidence_source=subject.get("evidence_source"))
                          for c in controls]
    return subject


def count_statuses(results):
    """Each result counted once: a waived result under 'waived' only, every other under its status
    (report.json, the HTML, the gate and the terminal table all count this way)."""
    counts = dict.fromkeys(STATUSES, 0)
    counts["waived"] = 0
    for result in results:
        counts["waived" if result.get("waived") else result["status"]] += 1
    return counts
