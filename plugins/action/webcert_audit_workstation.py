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

from ansible.errors import AnsibleError
from ansible.plugins.action import ActionBase

from ansible_collections.webcert.fleet.plugins.modules.webcert_audit_workstation import DOCUMENTATION
from ansible_collections.webcert.fleet.plugins.plugin_utils.adapters.arguments import argument_spec, validate_args
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import validate_evidence
from ansible_collections.webcert.fleet.plugins.plugin_utils.audit.workstation import audit_workstation

COLLECTOR = "webcert.fleet.webcert_evidence"


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")


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
        subject = audit_workstation(load_catalogue(), host, args, task_vars.get("inventory_dir"),
                                    collect=lambda plan: self._collect(plan, task_vars, host),
                                    expected_errors=(WebcertError, AnsibleError))
        return dict(result, changed=False, subject=subject)

    def _collect(self, plan, task_vars, host):
        """The live host's evidence: one call of the read-only collector module."""
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
        return evidence, "collector:%s" % task_vars.get("ansible_connection", "winrm")
