# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action plugin: audit one workstation.

Gets the host's evidence in one read-only call (the webcert_evidence module over WinRM/PSRP, or the
file named by `evidence_file` for offline hosts) and judges it on the controller. Around a live call it
adds the controller's time to the evidence's clock section, so the clock control can compare. Never fails the
host: an unreachable host or broken evidence becomes a subject with status `error` and the reason,
so the report keeps it.
"""

import datetime
import os


from ansible.errors import AnsibleError
from ansible.plugins.action import ActionBase

from ansible_collections.webcert.fleet.plugins.modules.webcert_audit_workstation import DOCUMENTATION
from ansible_collections.webcert.fleet.plugins.plugin_utils.arguments import argument_spec, validate_args
from ansible_collections.webcert.fleet.plugins.module_utils.swedish_time import parse_timestamp
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.checks import collection_plan, user_context_types
from ansible_collections.webcert.fleet.plugins.plugin_utils.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence import (
    collection_time_problem, load_evidence_file, merge_user_evidence, names_match, validate_evidence)
from ansible_collections.webcert.fleet.plugins.plugin_utils.judge import judge_evidence
from ansible_collections.webcert.fleet.plugins.plugin_utils.results import fail_subject, make_subject

COLLECTOR = "webcert.fleet.webcert_evidence"


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")


def as_of(text):
    """The moment evidence files are dated against: the run's start, default now."""
    if not text:
        return datetime.datetime.now(datetime.timezone.utc)
    try:
        moment = parse_timestamp(text)
    except ValueError:
        raise WebcertError("as_of: %r is not an ISO 8601 time" % (text,)) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


# Validated by type against the documentation of the action (plugins/modules/webcert_audit_workstation.py).
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
        catalogue = load_catalogue()
        profile = args.get("profile") or catalogue.default_profile
        subject = make_subject("workstation", host, clinic=args.get("clinic"),
                               care_unit_hsa_id=args.get("care_unit_hsa_id"), profile=profile)
        try:
            controls = catalogue.for_profile(profile, "workstation", args.get("settings"))
            values = catalogue.effective_settings(args.get("settings"))
            started = as_of(args.get("as_of"))
        except WebcertError as exc:
            # Still list every control the host would have had, each as error with the reason.
            known = catalogue.for_profile(profile, "workstation") if profile in catalogue.profiles else []
            return dict(result, changed=False, subject=fail_subject(subject, known, str(exc)))
        if args.get("evidence_file"):  # named even when the file turns out to be unreadable
            subject["evidence_source"] = "file:%s" % os.path.relpath(self._path(args["evidence_file"], task_vars))
        try:
            evidence, source = self._evidence(args, task_vars, collection_plan(controls), host, values)
        except (WebcertError, AnsibleError) as exc:
            return dict(result, changed=False, subject=fail_subject(subject, controls, str(exc)))
        except Exception as exc:  # pylint: disable=broad-except  # a PC that never answers costs only this PC
            return dict(result, changed=False, subject=fail_subject(
                subject, controls, "evidence collection failed on %s: %s: %s" % (host, type(exc).__name__, exc)))
        stale = []
        if args.get("evidence_file"):
            problem = self._timing(evidence, source, started, values)
            if problem and problem[0] == "error":
                return dict(result, changed=False, subject=fail_subject(subject, controls, problem[1]))
            stale += [(None, problem[1])] if problem else []
        user_source = None
        if args.get("user_evidence_file"):
            try:
                user_evidence, user_source = self._user_evidence(args["user_evidence_file"], task_vars, host, values)
            except WebcertError as exc:
                return dict(result, changed=False, subject=fail_subject(subject, controls, str(exc)))
            problem = self._timing(user_evidence, user_source, started, values)
            if problem and problem[0] == "error":
                return dict(result, changed=False, subject=fail_subject(subject, controls, problem[1]))
            stale += [(user_context_types(), problem[1])] if problem else []
            evidence = merge_user_evidence(evidence, user_evidence)
            subject["user_evidence_source"] = user_source
        subject["evidence_source"] = source
        subject["collected_at"] = evidence["collected_at"]
        subject["user_context"] = evidence["collector"].get("user_context")
        subject["results"] = judge_evidence(controls, evidence, source)
        for check_types, message in stale:
            # Old evidence is never passed (nor failed): the controls it would judge are not_reviewed.
            kinds = {c["id"]: c["check"]["type"] for c in controls}
            for judged in subject["results"]:
                if check_types is None or kinds[judged["control_id"]] in check_types:
                    judged.update(status="not_reviewed", message=message, expected=None, actual=None, details=None)
        if user_source:
            # Judged (also) from the user-context file: say so on each such result.
            user_controls = {c["id"] for c in controls if c["check"]["type"] in user_context_types()}
            for judged in subject["results"]:
                if judged["control_id"] in user_controls:
                    judged["evidence_source"] = "%s + %s" % (source, user_source)
        return dict(result, changed=False, subject=subject)

    @staticmethod
    def _timing(evidence, source, started, values):
        return collection_time_problem(evidence, source, started, values["evidence_clock_tolerance_minutes"],
                                       values["evidence_max_age_days"])

    def _user_evidence(self, path, task_vars, host, values):
        """The user-context evidence file (standalone run at logon), validated and of this host."""
        path = self._path(path, task_vars)
        evidence = load_evidence_file(path, values["evidence_max_file_bytes"])
        source = "user file:%s" % os.path.relpath(path)
        if not evidence["collector"].get("user_context"):
            raise WebcertError("%s: user_evidence_file has no user_context (collected as SYSTEM, over WinRM or with "
                               "-NoUserContext); it cannot stand for the signed-in user" % path)
        if not names_match(evidence, host):
            raise WebcertError("%s: evidence is of host %r, not %r" % (source, evidence["host"], host))
        return evidence, source

    @staticmethod
    def _path(path, task_vars):
        if not os.path.isabs(path):
            path = os.path.join(task_vars.get("inventory_dir") or os.getcwd(), path)
        return path

    def _evidence(self, args, task_vars, plan, host, values):
        path = args.get("evidence_file")
        if path:
            path = self._path(path, task_vars)
            evidence = load_evidence_file(path, values["evidence_max_file_bytes"])
            source = "file:%s" % os.path.relpath(path)
            # A file could be copied from another PC: its host must be this one. (A live collection is of the
            # host Ansible connected to, whatever name the inventory gives it: an IP, an alias.)
            if not names_match(evidence, host):
                raise WebcertError("%s: evidence is of host %r%s, not %r" % (
                    source, evidence["host"], " (%s)" % evidence["dns_host_name"] if evidence.get("dns_host_name")
                    else "", host))
        else:
            before = now_utc()
            reply = self._execute_module(module_name=COLLECTOR, module_args={"plan": plan}, task_vars=task_vars)
            after = now_utc()
            if reply.get("failed") or reply.get("unreachable"):
                raise WebcertError("evidence collection failed on %s: %s" % (host, reply.get("msg", "no message")))
            evidence = reply.get("evidence")
            if isinstance(evidence, dict) and isinstance(evidence.get("clock"), dict):
                # The workstation read its clock between these two controller readings (clock control).
                evidence["clock"]["reference"] = {"source": "controller", "before": before, "after": after}
            evidence = validate_evidence(evidence, "%s (collector reply)" % host)
            source = "collector:%s" % task_vars.get("ansible_connection", "winrm")
        return evidence, source
