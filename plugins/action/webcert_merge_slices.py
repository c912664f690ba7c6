# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action plugin: merge the slices of one sliced audit job into one run (plugins/plugin_utils/report/slices.py).

Runs on the controller after every slice finished (on AWX: the next node of the workflow). Drift and the
gate are computed against the region's history in reports_dir, as for a run that was never sliced.
"""

import os

from ansible.plugins.action import ActionBase

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.gate import gate_outcome
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.history import drift_since_previous
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.write import validate_report, write_run
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.slices import merge, read_slices


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _VALID_ARGS = frozenset(("slices_dir", "reports_dir", "gate"))

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self._task.args
        if not args.get("slices_dir"):
            return dict(result, failed=True, msg="slices_dir is required: the directory the job's slices wrote their runs to")
        try:
            slices = read_slices(os.path.abspath(args["slices_dir"]))
            report = merge(slices)
            reports_dir = os.path.abspath(args.get("reports_dir") or "reports")
            report["drift"] = drift_since_previous(reports_dir, report)
            report["gate"] = gate_outcome(args.get("gate"), report, os.environ)
            validate_report(report)
            run_dir, outputs = write_run(report, reports_dir)
        except WebcertError as exc:
            return dict(result, failed=True, msg=str(exc))
        return dict(result, changed=False, report_dir=run_dir, report_json=os.path.join(run_dir, "report.json"),
                    report_html=os.path.join(run_dir, "report.html"), slices=report["run"]["slices"],
                    outputs=len(outputs), summary=report["summary"], gate=report["gate"])
