# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""inspec/<host>.json: one file per subject in InSpec's exec JSON reporter format (Heimdall opens it).

Follows the required keys of inspec/inspec lib/inspec/schema/exec_json.rb at every level:
top (platform, profiles, statistics, version), profile (name, sha256, supports, attributes, groups,
controls), control (id, title, desc, impact, refs, tags, code, source_location, results) and result
(code_desc, run_time, start_time, status). Our five statuses map to InSpec's as:
passed -> passed; failed -> failed; error -> error (with `exception`); not_reviewed -> skipped;
not_applicable -> skipped with impact 0.0 (InSpec's and Heimdall's "not applicable").
The control also carries the "enhanced outcomes" `status` with our own status, and a waived result
carries `waiver_data` as InSpec writes it.
"""

import hashlib
import json

from ansible_collections.webcert.fleet.plugins.plugin_utils.version import TOOL_VERSION
from ansible_collections.webcert.fleet.plugins.plugin_utils.render_common import INSPEC_IMPACT, unique_stems

PROFILE_NAME = "webcert-fleet"


def profile_sha256(report):
    """A stable hash of the catalogue the run used: same controls -> same profile hash."""
    text = json.dumps(report["catalogue"]["controls"], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _result(result, start_time):
    status = result["status"]
    entry = {"code_desc": "%s: expected %s" % (result["title"], _show(result["expected"])),
             "run_time": 0.0, "start_time": start_time, "status": status}
    if status in ("not_reviewed", "not_applicable"):
        entry["status"] = "skipped"
        entry["skip_message"] = "%s: %s" % (status, result["message"] or "no reason recorded")
    elif status == "error":
        entry["exception"] = "webcert-fleet error"
        entry["message"] = result["message"]
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
        entry["waiver_data"] = {"justification": waiver.get("justification"), "run": True,
                                "skipped_due_to_waiver": False, "expiration_date": waiver.get("expires"),
                                "message": "waiver expired" if waiver.get("expired") else
                                "waived until %s by %s (%s)" % (waiver.get("expires"), waiver.get("owner"),
                                                                waiver.get("ticket") or "no ticket")
                                if result.get("waived") else
                                "waiver not applied: only a failed result is waived (this one is %s)" % result["status"]}
    return entry


def render_subject(report, subject, sha256=None):
    controls_by_id = {c["id"]: c for c in report["catalogue"]["controls"]}
    start_time = subject.get("collected_at") or report["run"]["started_at"]
    controls = [control_entry(r, controls_by_id, start_time) for r in subject["results"]]
    return {
        "platform": {"name": subject["kind"], "release": subject.get("profile") or "",
                     "target_id": subject["id"]},
        "profiles": [{
            "name": PROFILE_NAME,
            "title": "webcert-fleet %s (%s)" % (subject.get("profile") or "directory", subject["kind"]),
            "version": report["tool"]["version"],
            "sha256": sha256 or profile_sha256(report),
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
    sha256 = profile_sha256(report)
    for subject, stem in zip(report["subjects"], unique_stems(report["subjects"])):
        # Compact: at 5,000 hosts the indented form is slower to write (pure-Python encoder) and larger.
        yield "inspec/%s.json" % stem, json.dumps(render_subject(report, subject, sha256), ensure_ascii=False,
                                                  separators=(",", ":")) + "\n"
