# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action plugin: the rollout's bookkeeping on the controller (playbooks/rollout.yml).

op=open plans or resumes the rollout; op=begin tells a PC's enforce step whether to run and whether its
clinic's maintenance window is open; op=record writes the step's outcome; op=audit records an audit
run; op=report writes rollout.json and rollout.html. Everything is in plugins/plugin_utils/rollout_*.py;
this only reads Ansible's variables. It writes files on the controller only, never touches the PC.
"""

import json
import os

from ansible.plugins.action import ActionBase

from ansible_collections.webcert.fleet.plugins.plugin_utils.rollout import render as render_rollout
from ansible_collections.webcert.fleet.plugins.plugin_utils.rollout import report as rollout_report
from ansible_collections.webcert.fleet.plugins.plugin_utils.rollout import state as rollout_state
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.rollout.maintenance_window import window_open
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.write import atomic_write

OPS = ("open", "begin", "record", "audit", "report")
CHECK_MODE_REFUSED = ("rollout.yml does not run in check mode: a rollout records what it enforced, and a dry run "
                      "would record PCs as enforced that were never touched. For what would change, per PC and "
                      "control: ansible-playbook playbooks/enforce.yml --check --diff with the same -i and --limit")


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _VALID_ARGS = frozenset(("op", "state_file", "hosts", "rollout_id", "rollouts_dir", "limit", "inventory",
                             "status", "message", "window_open", "pending", "batch", "max_fail_percentage",
                             "phase", "report_json", "run_id", "reports_dir"))

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args, task_vars = self._task.args, task_vars or {}
        op = args.get("op")
        if op not in OPS:
            return dict(result, failed=True, msg="op must be one of %s, not %r" % (", ".join(OPS), op))
        # Refused here as well as by the playbook: a state written in check mode could be resumed for real.
        if self._play_context.check_mode and op in ("open", "record"):
            return dict(result, failed=True, msg=CHECK_MODE_REFUSED)
        if op != "open" and not args.get("state_file"):
            return dict(result, failed=True, msg="op=%s needs state_file (the state_file op=open returned)" % op)
        try:
            return dict(result, changed=False, **getattr(self, "_" + op)(args, task_vars))
        except WebcertError as exc:
            return dict(result, failed=True, msg=str(exc))

    @staticmethod
    def _open(args, task_vars):
        hostvars = task_vars.get("hostvars", {})
        targets = []
        for host in args.get("hosts") or []:
            variables = hostvars[host] if host in hostvars else {}
            targets.append({"host": host, "clinic": variables.get("webcert_clinic"),
                            "care_unit_hsa_id": variables.get("webcert_care_unit_hsa_id"),
                            "wave": variables.get("webcert_wave", 1),
                            "maintenance_window": variables.get("webcert_maintenance_window"),
                            "canary": bool(variables.get("webcert_rollout_canary", False))})
        # A clinic's marked canary that --limit left out: the clinic gets another canary, and says so.
        targeted = {t["host"] for t in targets}
        clinics = {t["clinic"] for t in targets}
        marked_elsewhere = {}
        for host in sorted(task_vars.get("groups", {}).get("webcert_workstations", [])):
            variables = hostvars[host] if host in hostvars else {}
            if host not in targeted and variables.get("webcert_rollout_canary") and variables.get("webcert_clinic") in clinics:
                marked_elsewhere.setdefault(variables.get("webcert_clinic"), host)
        rollouts_dir = os.path.abspath(args.get("rollouts_dir") or os.path.join("reports", "rollouts"))
        path, state = rollout_state.open_rollout(rollouts_dir, targets, args.get("limit") or "all",
                                                 args.get("inventory") or "", args.get("rollout_id") or None,
                                                 reports_dir=args.get("reports_dir") or None,
                                                 marked_elsewhere=marked_elsewhere)
        plan = rollout_state.todo(state)
        notes = ["%s: %s" % (name, clinic["canary_note"]) for name, clinic in sorted(state["clinics"].items())
                 if clinic.get("canary_note")]
        return dict(plan, state_file=path, rollout_id=state["rollout_id"], rollout_dir=os.path.dirname(path),
                    resumed=bool(state["resumed_at"]), clinics=sorted(state["clinics"]), canary_notes=notes,
                    hosts=sorted(state["hosts"]))

    def _begin(self, args, task_vars):
        found = rollout_state.begin(args["state_file"], task_vars["inventory_hostname"])
        # Installs and reboots only inside the window; the enforce role reads webcert_maintenance_window_open.
        found["window_open"] = window_open(found.get("maintenance_window"))
        return found

    @staticmethod
    def _record(args, task_vars):
        if args.get("status") not in ("done", "failed"):
            return {"failed": True, "msg": "op=record: status must be done or failed"}
        stopped = rollout_state.record(args["state_file"], task_vars["inventory_hostname"], args["status"],
                                       message=str(args.get("message") or ""), window_open=args.get("window_open"),
                                       pending=args.get("pending") or [], batch=args.get("batch"),
                                       max_fail_percentage=args.get("max_fail_percentage"))
        return {"clinic_stopped": stopped}

    @staticmethod
    def _audit(args, task_vars):
        if args.get("phase") not in ("before", "after") or not args.get("report_json"):
            return {"failed": True, "msg": "op=audit needs phase (before or after) and report_json"}
        rollout_state.record_audit(args["state_file"], args["phase"], args["report_json"], args.get("run_id"))
        return {"phase": args["phase"], "run_id": args.get("run_id")}

    @staticmethod
    def _report(args, task_vars):
        state = rollout_state.read_state(args["state_file"])
        reports = []
        for phase in ("before", "after"):
            audit = state.get("audit_" + phase)
            if not audit:
                reports.append(None)
                continue
            try:
                with open(audit["report_json"], encoding="utf-8") as handle:
                    reports.append(json.load(handle))
            except (OSError, ValueError) as exc:
                raise WebcertError("the audit %s (%s) cannot be read: %s" % (phase, audit["report_json"], exc)) from None
        directory = os.path.dirname(args["state_file"])
        rollout = rollout_report.build(state, *reports, directory=directory)
        outputs = []
        for relative, text in render_rollout.render(rollout):
            atomic_write(os.path.join(directory, relative), text)
            outputs.append(relative)
        rollout_state.record_report(args["state_file"], outputs)
        html = os.path.join(directory, "rollout.html")
        return {"rollout_json": os.path.join(directory, "rollout.json"), "rollout_html": html,
                "totals": rollout["totals"], "summary": render_rollout.summary_lines(rollout, html),
                "next_command": rollout["outcome"]["next_command"],
                "stopped": {c["clinic"]: c["stopped"]["reason"] for c in rollout["clinics"] if c["stopped"]}}
