# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action plugin: work out what enforce mode changes on one workstation, changing nothing.

Builds the enforcement plan of the host's profile from the catalogue (with the region's settings and
inputs), reads the workstation's current state with the audit's own collector (one read-only call, or
the host's evidence file when `evidence_file` is given: then no connection is made), judges it, and
returns the exact operations per module family, the notes (what is left alone and why), the audit-only
controls with their reasons, and the status of every control before. The role applies the operations.
"""

import datetime
import os

from ansible.errors import AnsibleError
from ansible.plugins.action import ActionBase

from ansible_collections.webcert.fleet.plugins.modules.webcert_enforce_plan import DOCUMENTATION
from ansible_collections.webcert.fleet.plugins.plugin_utils.adapters.arguments import argument_spec, validate_args
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.registry import collection_plan
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.base import FAMILIES, Changes, Inputs
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.plan import (
    audit_only, change_lines, enforcement_changes, enforcement_plan, module_operations, note_lines, selection,
    summary_by_family, summary_lines)
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import load_evidence_file, names_match, validate_evidence
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.judge import judge_evidence
from ansible_collections.webcert.fleet.plugins.plugin_utils.audit.workstation import evidence_path

COLLECTOR = "webcert.fleet.webcert_evidence"


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")


def _nothing(profile):
    """The result fields of a plan that could not be worked out (nothing to change, nothing to say but why)."""
    return dict(profile=profile, evidence_source=None, plan={}, changes={family: [] for family in FAMILIES},
                apply={}, notes=[], summary=[], change_lines=[], note_lines=[], by_family={}, before={},
                failing_audit_only=[], region_site_lists=[], planned=[], audit_only=[], count=0)


# Validated by type against the documentation of the action (plugins/modules/webcert_enforce_plan.py).
SPEC = argument_spec(DOCUMENTATION)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _VALID_ARGS = frozenset(SPEC)

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        args = validate_args(self, SPEC)
        host = task_vars.get("inventory_hostname", "?")
        try:
            catalogue = load_catalogue()
            profile = args.get("profile") or catalogue.default_profile
            settings = args.get("settings") or {}
            inputs = Inputs(site_list=args.get("site_list"), installers=args.get("installers"),
                            certificate_files=args.get("certificate_files"), ntp_server=args.get("ntp_server"),
                            base_dir=task_vars.get("inventory_dir"))
            skip = list(args.get("skip") or []) + selection(args.get("skip_tags"))
            plan = enforcement_plan(profile, settings, skip=skip, catalogue=catalogue, inputs=inputs,
                                    only=selection(args.get("run_tags")))
            controls = catalogue.for_profile(profile, "workstation", settings)
            planned = {item["control_id"] for items in plan.values() for item in items}
            # Nothing selected (every control skipped, or tags that pick none): nothing to read either.
            evidence, source = self._evidence(args, task_vars, collection_plan(controls), host) if planned \
                else (None, None)
        except WebcertError as exc:
            if args.get("evidence_file") and planned:
                # A PC known only from a broken file: its preview says why, and the audit reports it as error;
                # it never stops the run.
                return dict(result, changed=False, evidence_error="%s: %s" % (host, exc), **_nothing(profile))
            return dict(result, failed=True, msg="%s: %s" % (host, exc))
        except AnsibleError as exc:
            return dict(result, failed=True, msg="%s: %s" % (host, exc))
        changes = enforcement_changes(plan, controls, evidence) if planned else Changes()
        judged = judge_evidence(controls, evidence, source) if planned else []
        only_audit = audit_only(profile, settings, catalogue)
        reasons = {entry["control_id"]: entry["reason"] for entry in only_audit}
        return dict(result, changed=False, profile=profile, evidence_source=source, plan=plan,
                    changes=changes.operations, apply=module_operations(changes), notes=changes.notes,
                    summary=summary_lines(changes), change_lines=change_lines(changes), note_lines=note_lines(changes),
                    by_family=summary_by_family(changes), before={r["control_id"]: r["status"] for r in judged},
                    failing_audit_only=[{"control_id": r["control_id"], "title": r["title"], "message": r["message"],
                                         "reason": reasons[r["control_id"]]}
                                        for r in judged if r["status"] == "failed" and r["control_id"] in reasons],
                    region_site_lists=changes.region_site_lists, evidence_error=None,
                    planned=sorted(planned), audit_only=only_audit,
                    count=sum(len(ops) for ops in changes.operations.values()))

    def _evidence(self, args, task_vars, plan, host):
        if args.get("evidence_file"):
            path = evidence_path(args["evidence_file"], task_vars.get("inventory_dir"))
            evidence = load_evidence_file(path)
            if not names_match(evidence, host):
                raise WebcertError("%s: evidence is of host %r, not %r" % (path, evidence["host"], host))
            return evidence, "file:%s" % os.path.relpath(path)
        before = now_utc()
        reply = self._execute_module(module_name=COLLECTOR, module_args={"plan": plan}, task_vars=task_vars)
        after = now_utc()
        if reply.get("failed") or reply.get("unreachable"):
            raise WebcertError("reading the current state failed: %s" % reply.get("msg", "no message"))
        evidence = reply.get("evidence")
        if isinstance(evidence, dict) and isinstance(evidence.get("clock"), dict):
            evidence["clock"]["reference"] = {"source": "controller", "before": before, "after": after}
        return validate_evidence(evidence, "%s (collector reply)" % host), "collector:%s" % task_vars.get(
            "ansible_connection", "winrm")
