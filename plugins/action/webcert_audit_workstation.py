"""Action plugin: audit one workstation.

Gets the host's evidence in one read-only call (the webcert_evidence module over WinRM/PSRP, or the
file named by `evidence_file` for offline hosts) and judges it on the controller. Around a live call it
adds the controller's time to the evidence's clock section, so the clock control can compare. Never fails the
host: an unreachable host or broken evidence becomes a subject with status `error` and the reason,
so the report keeps it.
"""

import datetime
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "module_utils"))

from ansible.errors import AnsibleError  # noqa: E402
from ansible.plugins.action import ActionBase  # noqa: E402

from webcert.catalogue import load_catalogue  # noqa: E402
from webcert.checks import collection_plan  # noqa: E402
from webcert.errors import WebcertError  # noqa: E402
from webcert.evidence import load_evidence_file, validate_evidence  # noqa: E402
from webcert.judge import judge_evidence  # noqa: E402
from webcert.results import fail_subject, make_subject  # noqa: E402

COLLECTOR = "webcert_evidence"


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")


def short_name(name):
    return (name or "").split(".")[0].casefold()


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _VALID_ARGS = frozenset(("profile", "settings", "evidence_file", "clinic", "care_unit_hsa_id"))

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        args = self._task.args
        host = task_vars.get("inventory_hostname", "?")
        catalogue = load_catalogue()
        profile = args.get("profile") or catalogue.default_profile
        subject = make_subject("workstation", host, clinic=args.get("clinic"),
                               care_unit_hsa_id=args.get("care_unit_hsa_id"), profile=profile)
        try:
            controls = catalogue.for_profile(profile, "workstation", args.get("settings"))
        except WebcertError as exc:
            # Still list every control the host would have had, each as error with the reason.
            known = catalogue.for_profile(profile, "workstation") if profile in catalogue.profiles else []
            return dict(result, changed=False, subject=fail_subject(subject, known, str(exc)))
        try:
            evidence, source = self._evidence(args, task_vars, collection_plan(controls), host)
        except (WebcertError, AnsibleError) as exc:
            return dict(result, changed=False, subject=fail_subject(subject, controls, str(exc)))
        subject["evidence_source"] = source
        subject["collected_at"] = evidence["collected_at"]
        subject["user_context"] = evidence["collector"].get("user_context")
        subject["results"] = judge_evidence(controls, evidence, source)
        return dict(result, changed=False, subject=subject)

    def _evidence(self, args, task_vars, plan, host):
        path = args.get("evidence_file")
        if path:
            if not os.path.isabs(path):
                path = os.path.join(task_vars.get("inventory_dir") or os.getcwd(), path)
            evidence = load_evidence_file(path)
            source = "file:%s" % os.path.relpath(path)
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
        if short_name(evidence["host"]) != short_name(host):
            raise WebcertError("%s: evidence is of host %r, not %r" % (source, evidence["host"], host))
        return evidence, source
