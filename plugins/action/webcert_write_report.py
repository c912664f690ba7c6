"""Action plugin: gather every subject of the run, apply waivers and write reports/<run id>/report.json.

Runs once on the controller. Every host in `hosts` appears in the report: a host that produced no audit
result (it failed or was unreachable before the audit task) is reported as `error` with the reason.
Writing report files is output, not managed state, so the task reports changed=false.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "module_utils"))

from ansible.plugins.action import ActionBase  # noqa: E402

from webcert.catalogue import load_catalogue  # noqa: E402
from webcert.errors import WebcertError  # noqa: E402
from webcert.report import build_report, now_iso, point_latest, write_report  # noqa: E402
from webcert.results import fail_subject, make_subject  # noqa: E402
from webcert.waivers import apply_waivers, load_waivers  # noqa: E402


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _VALID_ARGS = frozenset(("run", "hosts", "result_var", "extra_subjects", "waivers_file", "reports_dir",
                             "inventory", "care_provider_hsa_id"))

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self._task.args
        hostvars = (task_vars or {}).get("hostvars", {})
        try:
            catalogue = load_catalogue()
            subjects = [self._workstation(catalogue, hostvars, host, args.get("result_var", "webcert_workstation_audit"))
                        for host in args.get("hosts") or []]
            subjects.extend(args.get("extra_subjects") or [])
            waivers = load_waivers(args.get("waivers_file"), set(catalogue.by_id))
            usage = apply_waivers(subjects, waivers)
            run = dict(args["run"], finished_at=now_iso(), inventory=args.get("inventory") or "",
                       mode="audit", care_provider_hsa_id=args.get("care_provider_hsa_id"))
            report = build_report(run, catalogue, subjects, usage)
            reports_dir = os.path.abspath(args.get("reports_dir") or "reports")
            path = write_report(report, reports_dir)
            point_latest(reports_dir, run["id"])
        except WebcertError as exc:
            return dict(result, failed=True, msg=str(exc))
        return dict(result, changed=False, report_dir=os.path.dirname(path), report_json=path,
                    summary=report["summary"])

    @staticmethod
    def _workstation(catalogue, hostvars, host, result_var):
        found = hostvars.get(host, {}).get(result_var) if host in hostvars else None
        if isinstance(found, dict) and isinstance(found.get("subject"), dict):
            return found["subject"]
        variables = hostvars.get(host, {}) if host in hostvars else {}
        profile = variables.get("webcert_profile") or catalogue.default_profile
        subject = make_subject("workstation", host, clinic=variables.get("webcert_clinic"),
                               care_unit_hsa_id=variables.get("webcert_care_unit_hsa_id"), profile=profile)
        reason = "no audit result"
        if isinstance(found, dict) and (found.get("unreachable") or found.get("failed")):
            reason = "host %s: %s" % ("unreachable" if found.get("unreachable") else "failed", found.get("msg", ""))
        try:
            controls = catalogue.for_profile(profile, "workstation", variables.get("webcert_settings"))
        except WebcertError as exc:
            return fail_subject(subject, [], "%s; %s" % (reason, exc))
        return fail_subject(subject, controls, reason + " (the host failed before its evidence was judged)")
