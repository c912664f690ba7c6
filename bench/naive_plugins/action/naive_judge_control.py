"""Benchmark only (bench/audit_scale.py): the naive audit's task, one control of one host per task, as
per-rule roles do. Reads the host's evidence file and judges the one control with the same judges the
audit uses, so the difference measured is the per-task cost, not the judging."""

from ansible.plugins.action import ActionBase

from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import load_evidence_file
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.judge import judge_evidence


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        control = load_catalogue().by_id[self._task.args["control"]]
        try:
            evidence = load_evidence_file(self._task.args["evidence_file"])
        except WebcertError as exc:
            return dict(result, changed=False, status="error", message=str(exc))
        judged = judge_evidence([control], evidence, "file")[0]
        return dict(result, changed=False, status=judged["status"], message=judged["message"])
