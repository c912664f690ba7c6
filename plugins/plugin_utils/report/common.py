# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Small helpers every renderer shares: effective status, impact order, safe file names.

Renderers take the report dict (report.json) alone and yield (relative path, text) pairs;
report.write_run writes each pair atomically.
"""

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.file_names import subject_stem
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.registry import ERROR, FAILED, NOT_APPLICABLE, NOT_REVIEWED, PASSED

IMPACT_ORDER = ("low", "medium", "high", "critical")
# InSpec scores impact 0.0-1.0; Heimdall reads <0.4 low, <0.7 medium, <0.9 high, else critical.
INSPEC_IMPACT = {"low": 0.3, "medium": 0.5, "high": 0.7, "critical": 1.0}
NO_CLINIC = "(no clinic)"
KIND_LABELS = {
    "workstation": "Workstation",
    "care_provider": "Care provider (vårdgivare)",
    "care_unit": "Care unit (vårdenhet)",
    "person": "Person",
    "organisation": "Organisation",
}


def effective_status(result):
    """The status a reader acts on: a waived (failed) result shows as 'waived'."""
    return "waived" if result.get("waived") else result["status"]


def is_open_failure(result):
    """Failed and not covered by a valid waiver: what gating, drift and fault reports count."""
    return result["status"] == "failed" and not result.get("waived")


def impact_at_least(impact, threshold):
    return IMPACT_ORDER.index(impact) >= IMPACT_ORDER.index(threshold)


def clinic_of(subject):
    return subject.get("clinic") or NO_CLINIC


def care_unit_of(subject):
    """The care unit a subject belongs to; a care unit subject is its own."""
    if subject["kind"] == "care_unit":
        return subject["id"]
    return subject.get("care_unit_hsa_id")


def subject_file_stem(subject):
    """Workstations keep their host name (inspec/<host>.json); directory objects get their kind as prefix.
    Both through base.file_names.subject_stem: bounded, and never one of the tool's own file names."""
    if subject["kind"] == "workstation":
        return subject_stem(subject["id"])
    return "%s-%s" % (subject["kind"], subject_stem(subject["id"]))


def unique_stems(subjects):
    """File stems per subject, made unique if two ids sanitise to the same name."""
    seen, stems = {}, []
    for subject in subjects:
        stem = subject_file_stem(subject)
        count = seen.get(stem.lower(), 0)
        seen[stem.lower()] = count + 1
        stems.append(stem if count == 0 else "%s~%d" % (stem, count + 1))
    return stems


WAIVED = "waived"  # an overlay on a failed result with a valid waiver, not a status a judge gives
# The order renderers show effective statuses in (counts come from results.count_statuses).
EFFECTIVE_STATUSES = (PASSED, FAILED, WAIVED, ERROR, NOT_REVIEWED, NOT_APPLICABLE)


def compliance_percent(counts):
    """Passed share of the applicable results (all but not_applicable); None when nothing applies."""
    applicable = sum(counts.values()) - counts["not_applicable"]
    return None if applicable == 0 else 100.0 * counts["passed"] / applicable
