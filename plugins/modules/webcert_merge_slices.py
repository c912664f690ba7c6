# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the action plugin plugins/action/webcert_merge_slices.py does the work on the controller.

DOCUMENTATION = r"""
---
module: webcert_merge_slices
short_description: Merge the slices of one sliced audit job into one run with every report
description:
  - Reads every finished audit run in O(slices_dir) (one per slice of an AWX sliced job, or per C(--limit) part of
    a region) and writes one run to O(reports_dir) with every report format, as if the region had been audited in
    one run.
  - Every workstation appears once; a workstation in two slices is an error. The directory subjects (care provider,
    care units, persons) are judged by every slice and taken once; slices that judged different directory
    subjects, used another catalogue, tool version, inventory or waiver file are an error naming the runs.
  - Drift is computed against the previous run of the same inventory in O(reports_dir); the gate is evaluated as in
    M(webcert.fleet.webcert_write_report), and returned, not failed here.
version_added: "0.1.0"
author:
  - webcert-fleet maintainers (@webcert-fleet)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Writes the merged run in check mode too; reports are output, not managed state.
  diff_mode:
    support: none
  platform:
    platforms: controller
    details: Runs on the Ansible controller only.
options:
  slices_dir:
    description: Directory the slices wrote their runs to (their C(webcert_reports_dir)).
    type: path
    required: true
  reports_dir:
    description: Directory for the merged run (the region's usual reports directory, so drift finds its history).
    type: path
    default: reports
  gate:
    description: The gate (C(webcert_gate)); the environment variable E(WEBCERT_GATE) wins when set.
    type: raw
seealso:
  - module: webcert.fleet.webcert_write_report
"""

EXAMPLES = r"""
- name: Merge the slices of this job into one run
  webcert.fleet.webcert_merge_slices:
    slices_dir: /srv/webcert/slices/4711
    reports_dir: /srv/webcert/reports
  register: webcert_merged
"""

RETURN = r"""
report_dir:
  description: The merged run's directory.
  returned: success
  type: str
report_json:
  description: Path of the merged report.json.
  returned: success
  type: str
report_html:
  description: Path of the merged report.html.
  returned: success
  type: str
slices:
  description: Run ids of the merged slices, oldest first.
  returned: success
  type: list
  elements: str
outputs:
  description: Number of files written.
  returned: success
  type: int
summary:
  description: The merged report's summary.
  returned: success
  type: dict
gate:
  description: The gate's verdict on the merged report.
  returned: success
  type: dict
"""
