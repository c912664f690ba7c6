# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""inspec/<host>.json: one file per subject in InSpec's exec JSON reporter format (Heimdall opens it).

Every file validates against InSpec's own exec-json schema (`inspec schema exec-json`, kept in
tests/fixtures/formats/). A result status is one of InSpec's three: passed, failed, skipped. Ours map as:
passed -> passed; failed -> failed; error -> failed with `exception` and `backtrace`, as InSpec writes a
control that raised (Heimdall shows it as "Profile Error", not as a failure); not_reviewed -> skipped;
not_applicable -> skipped with impact 0.0 (InSpec's and Heimdall's "not applicable"); waived (a failed
result under a valid waiver) -> written as InSpec writes a control skipped by a waiver (`waiver_data`
with skipped_due_to_waiver true, a skipped result "Skipped control due to waiver condition: ..."), so
Heimdall shows it as waived with its justification. An expired waiver, or one on a result it cannot
waive, is in `waiver_data` with skipped_due_to_waiver false and the result as it is.
The control also carries the "enhanced outcomes" `status` with our own status.

Each file's profile names what it holds: the catalogue profile and the subject kind in its name, the
control ids in its summary, and a sha256 of exactly those controls (files holding the same controls
share the hash, as InSpec's profiles do).
"""

import hashlib
import json

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.version import TOOL_VERSION
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.common import INSPEC_IMPACT, unique_stems

PROFILE_NAME = "webcert-fleet"


def profile_sha256(controls):
    """A stable hash of catalogue controls (dicts of report.json's catalogue): same controls -> same hash."""
    text = json.dumps(controls, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _result(result, start_time):
    status = result["status"]
    entry = {"code_desc": "%s: expected %s" % (result["title"], _show(result["expected"])),
             "run_time": 0.0, "start_time": start_time, "status": status}
    if result.get("waived"):
        waiver = result["waiver"] or {}
        entry["status"] = "skipped"
        entry["skip_message"] = "Skipped control due to waiver condition: %s (owner %s, %s, until %s; found: %s)" % (
            waiver.get("justification"), waiver.get("owner"), waiver.get("ticket") or "no ticket",
            waiver.get("expires"), result["message"] or "failed")
    elif status in ("not_reviewed", "not_applicable"):
        entry["status"] = "skipped"
        entry["skip_message"] = "%s: %s" % (status, result["message"] or "no reason recorded")
    elif status == "error":
        # InSpec writes a control that raised as failed with its exception; the backtrace is what tells
        # Heimdall it could not be checked (not that it failed).
        entry["status"] = "failed"
        entry["exception"] = "CouldNotCheck"
        entry["message"] = result["message"]
        entry["backtrace"] = ["webcert-fleet: %s" % (result["evidence_source"] or "no evidence was collected")]
    else:
        entry["message"] = result["message"]
    if result["evidence_source"]:
        entry["resource_id"] = result["evidence_source"]
    return entry


def _show(value):
    return "(nothing)" if value is None else str(value)


def control_entry(result, controls_by_id, start_time):
    control = controls_by_id.get(result["control_id"], {})
    impact = 0.0 if result["status"] == "not_applicable" else INSPEC_IMPACT[result["impact"]]
    entry = {
        "id": result["control_id"],
        "title": result["title"],
        "desc": result["title"],
        "descriptions": [{"label": "default", "data": result["title"]},
                         {"label": "check", "data": "Expected: %s. Actual: %s." % (_show(result["expected"]),
                                                                                   _show(result["actual"]))},
                         {"label": "fix", "data": result["remediation"]}],
        "impact": impact,
        "refs": [{"ref": requirement} for requirement in result["requirements"]],
        "tags": {"requirements": list(result["requirements"]), "severity": result["impact"],
                 "scope": result["scope"], "check_type": control.get("check_type"),
                 "webcert_status": result["status"], "expected": result["expected"], "actual": result["actual"]},
        # Controls are catalogue data, not code; point at the catalogue entry instead.
        "code": "# control %s is data in %s (check type %s)" % (result["control_id"], control.get("source_file") or "controls/",
                                                                control.get("check_type")),
        "source_location": {"ref": control.get("source_file") or "controls/", "line": 0},
        "status": result["status"],
        "results": [_result(result, start_time)],
    }
    waiver = result.get("waiver")
    if waiver:
        waived = bool(result.get("waived"))
        # As InSpec: a waiver that skips the control has run false and skipped_due_to_waiver true.
        entry["waiver_data"] = {"justification": waiver.get("justification"), "run": not waived,
                                "skipped_due_to_waiver": waived, "expiration_date": waiver.get("expires"),
                                "message": "" if waived else "waiver expired" if waiver.get("expired") else
                                "waiver not applied: only a failed result is waived (this one is %s)" % result["status"]}
    return entry


class _Profiles:
    """The profile hash per set of controls, computed once per set (5,000 hosts share a few sets)."""

    def __init__(self, report):
        self.controls_by_id = {c["id"]: c for c in report["catalogue"]["controls"]}
        self.hashes = {}

    def sha256(self, control_ids):
        if control_ids not in self.hashes:
            self.hashes[control_ids] = profile_sha256([self.controls_by_id.get(i, {"id": i}) for i in control_ids])
        return self.hashes[control_ids]


def render_subject(report, subject, profiles=None):
    profiles = profiles or _Profiles(report)
    start_time = subject.get("collected_at") or report["run"]["started_at"]
    controls = [control_entry(r, profiles.controls_by_id, start_time) for r in subject["results"]]
    control_ids = tuple(c["id"] for c in controls)
    catalogue_profile = subject.get("profile") or "directory"
    return {
        "platform": {"name": subject["kind"], "release": subject.get("profile") or "",
                     "target_id": subject["id"]},
        "profiles": [{
            "name": "%s-%s-%s" % (PROFILE_NAME, catalogue_profile, subject["kind"]),
            "title": "webcert-fleet %s: %s controls (%d)" % (catalogue_profile, subject["kind"], len(controls)),
            "summary": "Controls in this file: %s" % (", ".join(control_ids) or "none"),
            "version": report["tool"]["version"],
            "sha256": profiles.sha256(control_ids),
            "supports": [],
            "attributes": [],
            "groups": [{"id": "controls/", "title": "webcert-fleet control catalogue",
                        "controls": [c["id"] for c in controls]}],
            "controls": controls,
            "status": "loaded",
        }],
        "statistics": {"duration": 0.0},
        "version": TOOL_VERSION,
        "passthrough": {"run_id": report["run"]["id"], "clinic": subject.get("clinic"),
                        "care_unit_hsa_id": subject.get("care_unit_hsa_id"),
                        "evidence_source": subject.get("evidence_source"), "subject_error": subject.get("error")},
    }


def render(report):
    """Yields ('inspec/<stem>.json', text) per subject."""
    profiles = _Profiles(report)
    for subject, stem in zip(report["subjects"], unique_stems(report["subjects"])):
        # Compact: at 5,000 hosts the indented form is slower to write (pure-Python encoder) and larger.
        yield "inspec/%s.json" % stem, json.dumps(render_subject(report, subject, profiles), ensure_ascii=False,
                                                  separators=(",", ":")) + "\n"
