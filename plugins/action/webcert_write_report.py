# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action plugin: gather every subject of the run, apply waivers and write every report of the run.

Runs once on the controller. Every host in `hosts` appears in the report: a host that produced no audit
result (it failed or was unreachable before the audit task) is reported as `error` with the reason.
It computes drift against the previous run of the same inventory, evaluates the gate (`gate` argument
from `webcert_gate`, or the WEBCERT_GATE environment variable), writes reports/<run id>/ (report.json,
inspec/, report.html, junit.xml, summary.csv, fault-reports/, run.json) and then moves reports/latest.
It returns `gate`; the playbook fails the run after writing when the gate did not pass.
Writing report files is output, not managed state, so the task reports changed=false.
"""

import os


from ansible.plugins.action import ActionBase

from ansible_collections.webcert.fleet.plugins.modules.webcert_write_report import DOCUMENTATION
from ansible_collections.webcert.fleet.plugins.plugin_utils.adapters.arguments import argument_spec, validate_args
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.gate import gate_outcome
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.history import drift_since_previous, prune_runs
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.write import (
    attention, build_report, file_mode, now_iso, validate_report, write_run)
from ansible_collections.webcert.fleet.plugins.plugin_utils.results.model import fail_subject, make_subject
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.subjects_file import read_subjects
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.waivers import apply_waivers, load_waivers, scope_text


# Validated by type against the documentation of the action (plugins/modules/webcert_write_report.py).
SPEC = argument_spec(DOCUMENTATION)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _VALID_ARGS = frozenset(SPEC)

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = validate_args(self, SPEC)
        hostvars = (task_vars or {}).get("hostvars", {})
        if not isinstance(args.get("run"), dict) or not {"id", "started_at"} <= set(args["run"]):
            return dict(result, failed=True, msg="argument 'run' is required: the run that webcert_audit_start "
                        "opened (its registered result's .run, with id and started_at)")
        files = args.get("subjects_files") or []
        try:
            catalogue = load_catalogue()
            values = catalogue.effective_settings(args.get("settings") or {})
            mode = file_mode(values["report_file_mode"])
            subjects = self._subjects(catalogue, hostvars, args, files)
            waivers = load_waivers(args.get("waivers_file"), set(catalogue.by_id))
            usage = apply_waivers(subjects, waivers, started_at=args["run"]["started_at"])
            warnings = ["waiver %d (control %s, scope %s) in %s matches no result of this run: a mistyped host or "
                        "clinic?" % (w["number"], w["control_id"], scope_text(w["scope"]), args.get("waivers_file"))
                        for w, used in zip(waivers, usage) if not used["matched_results"]]
            run = dict(args["run"], finished_at=now_iso(), inventory=args.get("inventory") or "",
                       mode="audit", care_provider_hsa_id=args.get("care_provider_hsa_id"))
            reports_dir = os.path.abspath(args.get("reports_dir") or "reports")
            report = build_report(run, catalogue, subjects, usage, validate=False)
            report["drift"] = drift_since_previous(reports_dir, report)
            report["gate"] = gate_outcome(args.get("gate"), report, os.environ)
            validate_report(report)
            run_dir, outputs = write_run(report, reports_dir, mode=mode)
        except WebcertError as exc:
            return dict(result, failed=True, msg=str(exc))
        finally:
            for path in files:  # scratch of this run (subjects_file.py); what they held is in the report now
                if os.path.exists(path):
                    os.unlink(path)
        # Retention: only after the run is complete, never the run drift compared against.
        pruned, problems = prune_runs(reports_dir, run["inventory"], values["reports_keep_runs"],
                                      values["reports_keep_days"], {run["id"], report["drift"]["previous_run_id"]})
        warnings += ["old run not deleted: %s" % problem for problem in problems]
        if warnings:
            result["warnings"] = warnings
        return dict(result, changed=False, report_dir=run_dir, report_json=os.path.join(run_dir, "report.json"),
                    report_html=os.path.join(run_dir, "report.html"), outputs=len(outputs),
                    latest=os.path.join(reports_dir, "latest"), summary=report["summary"],
                    notices=report.get("notices") or [],
                    table=self._table(report), drift={k: report["drift"][k] for k in ("status", "previous_run_id",
                                                                                      "reason", "counts")},
                    gate=report["gate"], pruned=pruned, report_warnings=warnings, attention=attention(report))

    @staticmethod
    def _table(report):
        """Per clinic: the summary's counts (each result once) and drift counts, for the summary callback."""
        drift = report["drift"]["by_clinic"]
        return [dict(counts, clinic=clinic, **drift.get(clinic, dict.fromkeys(report["drift"]["counts"], 0)))
                for clinic, counts in sorted(report["summary"]["by_clinic"].items())]

    def _subjects(self, catalogue, hostvars, args, files):
        """Every subject in report order: the workstations in `hosts` order (each from a subjects file or
        from its host's registered result), then extra_subjects, then the rest of the subjects files."""
        from_files = [subject for path in files for subject in read_subjects(path)]
        hosts = args.get("hosts") or []
        wanted = set(hosts)
        judged = {s.get("id"): s for s in from_files if s.get("kind") == "workstation" and s.get("id") in wanted}
        result_var = args.get("result_var", "webcert_workstation_audit")
        subjects = [judged[host] if host in judged else self._workstation(catalogue, hostvars, host, result_var)
                    for host in hosts]
        subjects.extend(args.get("extra_subjects") or [])
        used = {id(s) for s in judged.values()}
        subjects.extend(s for s in from_files if id(s) not in used)
        return subjects

    @staticmethod
    def _workstation(catalogue, hostvars, host, result_var):
        subject = ActionModule._audited_workstation(catalogue, hostvars, host, result_var)
        # After enforce mode (playbooks/enforce.yml): what it found and changed, beside the results after.
        enforcement = hostvars.get(host, {}).get("webcert_workstation_enforcement") if host in hostvars else None
        if isinstance(enforcement, dict):
            subject = dict(subject, enforcement=enforcement)
        return subject

    @staticmethod
    def _audited_workstation(catalogue, hostvars, host, result_var):
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
        elif variables.get("webcert_workstation_enforce_error"):
            # Enforce failed on it (playbooks/enforce.yml), so the closing audit never reached it.
            reason = "enforce failed: %s" % variables["webcert_workstation_enforce_error"]
        try:
            controls = catalogue.for_profile(profile, "workstation", variables.get("webcert_settings"))
        except WebcertError as exc:
            return fail_subject(subject, [], "%s; %s" % (reason, exc))
        return fail_subject(subject, controls, reason + " (the host failed before its evidence was judged)")
