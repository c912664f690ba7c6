# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the action plugin plugins/action/webcert_write_report.py does the work on the controller
# (as ansible-core documents its action-only debug module).

DOCUMENTATION = r"""
---
module: webcert_write_report
short_description: Gather every subject of an audit run, apply waivers and write the run's reports
description:
  - Runs once on the controller at the end of an audit. Gathers the workstation subjects that
    M(webcert.fleet.webcert_audit_workstation) registered on each host of O(hosts), adds O(extra_subjects), applies the
    waivers, computes drift against the previous run of the same O(inventory) and evaluates the gate.
  - Every host in O(hosts) is in the report. A host without an audit result (it failed or was unreachable
    before the audit task) is a subject with status C(error) and the reason.
  - Writes C(<reports_dir>/<run id>/) (report.json, inspec/, report.html, junit.xml, summary.csv,
    fault-reports/, run.json), then points C(<reports_dir>/latest) at it. Runs are never overwritten.
  - A gate that did not pass does not fail this task; it returns RV(gate) and the playbook fails the run after
    the reports are written. A malformed gate is a failed gate, with the reports still written.
  - Fails the task for an invalid waiver file, an invalid report or a write error (naming it).
version_added: "0.1.0"
author:
  - webcert-fleet maintainers (@webcert-fleet)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details:
      - Writes the report files in check mode too; they are the audit's output, not managed state.
  diff_mode:
    support: none
  platform:
    platforms: controller
    details: Runs on the Ansible controller only.
options:
  run:
    description: The run returned by M(webcert.fleet.webcert_audit_start) (C(id), C(started_at)).
    type: dict
    required: true
  hosts:
    description: Inventory names of the audited workstations; each becomes a workstation subject.
    type: list
    elements: str
    default: []
  result_var:
    description: Host variable in which M(webcert.fleet.webcert_audit_workstation)'s result was registered.
    type: str
    default: webcert_workstation_audit
  extra_subjects:
    description: Further subjects for the report, for example RV(webcert.fleet.webcert_audit_directory#module:subjects).
    type: list
    elements: dict
    default: []
  subjects_files:
    description:
      - Subjects files (JSON lines) of RV(webcert.fleet.webcert_audit_evidence_files#module:subjects_file) and
        RV(webcert.fleet.webcert_audit_directory#module:subjects_file). A workstation subject in them stands for
        its host in O(hosts); every other subject follows O(extra_subjects). The files are removed afterwards.
    type: list
    elements: path
    default: []
  waivers_file:
    description:
      - Path of the waiver file (YAML); relative to the controller's working directory. Omitted means no waivers.
      - Waivers whose date has passed no longer apply; the results say so.
    type: str
  reports_dir:
    description: Directory for the runs; relative to the controller's working directory.
    type: str
    default: reports
  inventory:
    description:
      - The run's inventory sources, recorded in the run. Drift compares with the newest earlier run whose
        inventory is the same text.
    type: str
    default: ""
  care_provider_hsa_id:
    description: HSA-id of the region's care provider, recorded in the run.
    type: str
  settings:
    description:
      - The region's settings (C(webcert_settings)). Of them, C(report_file_mode) (mode of every file written,
        default C(0600)), C(reports_keep_runs) and C(reports_keep_days) (retention of older runs of the same
        O(inventory), deleted after this run is written; never the run drift compared against) apply here
        (C(controls/run.yml)).
    type: dict
    default: {}
  gate:
    description:
      - The gate (C(webcert_gate)), a mapping of rules or C(rule=value,...) text (docs/reports.md).
        The environment variable E(WEBCERT_GATE) wins when set. Omitted and unset means no gate.
    type: raw
notes:
  - Always returns C(changed=false).
  - docs/reports.md describes every output, drift and the gate.
seealso:
  - module: webcert.fleet.webcert_audit_start
  - module: webcert.fleet.webcert_audit_workstation
  - module: webcert.fleet.webcert_audit_directory
"""

EXAMPLES = r"""
- name: Judge every subject, apply waivers and write the reports
  webcert.fleet.webcert_write_report:
    run: "{{ webcert_audit_run.run }}"
    hosts: "{{ groups['webcert_workstations'] | default([]) }}"
    result_var: webcert_workstation_audit
    extra_subjects: "{{ webcert_directory_audit.subjects | default([]) }}"
    waivers_file: "{{ webcert_waivers_file | default(omit) }}"
    reports_dir: "{{ playbook_dir }}/../reports"
    inventory: inventories/example
    care_provider_hsa_id: SE5591234561-1000
    gate: failed_impact=high,max_error=0
  register: webcert_report

- name: Fail the run when results cross the gate
  ansible.builtin.fail:
    msg: "Gate failed: {{ webcert_report.gate.reasons | join('; ') }}"
  when: not webcert_report.gate.passed
"""

RETURN = r"""
report_dir:
  description: Absolute path of the run's directory.
  returned: success
  type: str
  sample: /srv/webcert-fleet/reports/20261126T103000.123Z-1a2b3c
report_json:
  description: Path of report.json, the report every other format is rendered from.
  returned: success
  type: str
report_html:
  description: Path of report.html.
  returned: success
  type: str
outputs:
  description: Number of files written.
  returned: success
  type: int
latest:
  description: Path of the C(latest) link, which now points at this run.
  returned: success
  type: str
summary:
  description: The report's summary, C(subjects) (per kind total and error), C(results) (per status) and C(by_clinic).
  returned: success
  type: dict
table:
  description:
    - Per clinic, sorted by clinic; the summary callback prints it.
    - Each row has C(clinic), effective result counts (C(passed), C(failed), C(not_applicable), C(not_reviewed),
      C(error), C(waived); each result once, a waived result under C(waived) only) and drift counts
      (C(new_failures), C(resolved), C(regressed), C(waiver_expired), C(not_judged_before)).
  returned: success
  type: list
  elements: dict
notices:
  description:
    - Profile notices of the run (controls/profiles.yml), once each; the summary callback prints them.
    - Each has C(profile), C(text) and C(source).
  returned: success
  type: list
  elements: dict
drift:
  description: Drift against the previous run of the same inventory.
  returned: success
  type: dict
  contains:
    status:
      description: C(computed), C(first_run) or C(unavailable) (previous report unreadable).
      type: str
      sample: computed
    previous_run_id:
      description: The run compared with; null for a first run.
      type: str
    reason:
      description: Why drift is not computed; when it is, null or the unreadable runs (of unknown inventory) it skipped.
      type: str
    counts:
      description: new_failures, resolved, regressed, waiver_expired, not_judged_before (failing now, control not
        judged on that subject in the last 10 runs; the gate rule new_failures ignores it).
      type: dict
gate:
  description: The gate's outcome, as in report.json.
  returned: success
  type: dict
  contains:
    enabled:
      description: Whether any rule is set.
      type: bool
    source:
      description: C(WEBCERT_GATE), C(webcert_gate), or null without a gate.
      type: str
    rules:
      description: The rules applied.
      type: dict
    passed:
      description: False when a rule was crossed or the gate is malformed.
      type: bool
    reasons:
      description: Each crossed rule with its figures.
      type: list
      elements: str
    error:
      description: Why the gate setting is malformed.
      type: str
      returned: when the gate is malformed
pruned:
  description: Run ids of older runs deleted by the retention settings.
  returned: success
  type: list
  elements: str
report_warnings:
  description: The warnings of this task (waivers that match no result, old runs that could not be deleted).
  returned: success
  type: list
  elements: str
attention:
  description:
    - The subjects that were not fully judged, for the summary callback; each C({kind, id, clinic, status,
      count, reason}) where C(status) is C(error) or C(not_reviewed), C(count) the results with it and
      C(reason) a one-line reason. Errors first. Not capped (the callback shows the first few).
  returned: success
  type: list
  elements: dict
msg:
  description: What failed, naming the file or field.
  returned: failure
  type: str
"""
