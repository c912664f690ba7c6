# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the action plugin plugins/action/webcert_rollout.py does the work on the controller.

DOCUMENTATION = r"""
---
module: webcert_rollout
short_description: Keep a rollout's state so it can stop a clinic, resume and report before -> after
description:
  - The bookkeeping of C(playbooks/rollout.yml), on the controller. It never touches a workstation.
  - "O(op=open) plans a rollout of O(hosts) (one canary PC per clinic: the PC with C(webcert_rollout_canary=true),
    else the first by name, and then RV(canary_notes) says so), creating C(<rollouts_dir>/<rollout id>/state.json);
    given O(rollout_id) it loads that rollout instead, checks that the same PCs are targeted and returns only what
    did not complete (PCs with installs or a reboot left pending are tried again)."
  - O(op=begin) (per PC) says whether to enforce now, and whether the clinic's maintenance window
    (C(webcert_maintenance_window)) is open.
  - O(op=record) (per PC) records C(done) or C(failed). A failed canary stops its clinic; so do more than
    O(max_fail_percentage) failed PCs of one clinic in one batch (O(batch)). Other clinics go on.
  - O(op=audit) records an audit run (before or after); O(op=report) writes C(rollout.json) and C(rollout.html)
    from the state and the two audits' C(report.json).
  - C(state.json) is rewritten atomically under a lock after every step, so an interrupted rollout loses at most
    the step that was running.
  - In check mode O(op=open) and O(op=record) fail, because a dry run must never be recorded as enforced, nor
    resumed as a real rollout (use C(playbooks/enforce.yml --check --diff) to see what would change).
version_added: "0.1.0"
author:
  - webcert-fleet maintainers (@webcert-fleet)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: none
    details: O(op=open) and O(op=record) refuse check mode; the other ops only read or write report files.
  diff_mode:
    support: none
  platform:
    platforms: controller
    details: Runs on the Ansible controller only.
options:
  op:
    description: What to do.
    type: str
    required: true
    choices: [open, begin, record, audit, report]
  state_file:
    description: The rollout's state file, as O(op=open) returned it. Required for every op but C(open).
    type: path
  hosts:
    description: With O(op=open), the targeted workstations (inventory names).
    type: list
    elements: str
  rollout_id:
    description: With O(op=open), the rollout to resume.
    type: str
  rollouts_dir:
    description: With O(op=open), where rollouts are kept.
    type: path
    default: reports/rollouts
  limit:
    description: With O(op=open), the run's C(--limit), recorded so a resume can be checked against it.
    type: str
  inventory:
    description: With O(op=open), the run's inventory sources, recorded.
    type: str
  reports_dir:
    description: With O(op=open), C(webcert_reports_dir) when it was set, recorded so the report's resume command
      repeats it.
    type: str
  status:
    description: With O(op=record), the outcome of enforcing this PC.
    type: str
    choices: [done, failed]
  message:
    description: With O(op=record), why it failed.
    type: str
  window_open:
    description: With O(op=record), whether the maintenance window was open.
    type: bool
  pending:
    description: With O(op=record), what the enforce role left for later (installs waiting for the maintenance
      window, a reboot held back by C(webcert_reboot_allowed) or a signed-in user).
    type: list
    elements: str
  batch:
    description: With O(op=record), the PCs of the current batch (C(ansible_play_batch)).
    type: list
    elements: str
  max_fail_percentage:
    description: With O(op=record), a clinic stops when more than this share of its PCs in one batch failed.
    type: float
  phase:
    description: With O(op=audit), which audit.
    type: str
    choices: [before, after]
  report_json:
    description: With O(op=audit), the audit run's report.json.
    type: path
  run_id:
    description: With O(op=audit), the audit run's id.
    type: str
seealso:
  - module: webcert.fleet.webcert_write_report
"""

EXAMPLES = r"""
- name: Plan the rollout of the targeted clinics
  webcert.fleet.webcert_rollout:
    op: open
    hosts: "{{ groups['webcert_workstations'] }}"
    limit: "{{ ansible_limit | default('all') }}"
  register: webcert_rollout

- name: Write the before -> after report
  webcert.fleet.webcert_rollout:
    op: report
    state_file: "{{ webcert_rollout.state_file }}"
"""

RETURN = r"""
state_file:
  description: (open) The rollout's state file.
  returned: op=open
  type: str
rollout_id:
  description: (open) The rollout id; give it as C(webcert_rollout_id) to resume.
  returned: op=open
  type: str
canaries:
  description: (open) Canary PCs still to enforce.
  returned: op=open
  type: list
  elements: str
batch:
  description: (open) Other PCs still to enforce, wave by wave and clinic by clinic.
  returned: op=open
  type: list
  elements: str
audit_before:
  description: (open) Whether the audit before is still to run.
  returned: op=open
  type: bool
hosts:
  description: (open) Every PC of the rollout (its audits judge these PCs' care units and staff only).
  returned: op=open
  type: list
  elements: str
canary_notes:
  description: (open) Per clinic whose marked canary is not targeted, which PC is the canary instead.
  returned: op=open
  type: list
  elements: str
skip:
  description: (begin) Whether to leave this PC alone now; RV(reason) says why.
  returned: op=begin
  type: bool
reason:
  description: (begin) Why the PC is left alone (empty when it is not).
  returned: op=begin
  type: str
window_open:
  description: (begin) Whether the clinic's maintenance window is open now (no window means open).
  returned: op=begin
  type: bool
clinic_stopped:
  description: (record) The clinic's stop (C(reason), C(at)) if it is stopped, else null.
  returned: op=record
  type: dict
phase:
  description: (audit) The audit recorded, before or after (the webcert_summary callback labels it).
  returned: op=audit
  type: str
rollout_html:
  description: (report) Path of rollout.html.
  returned: op=report
  type: str
totals:
  description: (report) PCs per outcome and controls per change over the whole rollout.
  returned: op=report
  type: dict
summary:
  description: (report) The rollout summary for the terminal (outcome, one line per clinic, next command).
  returned: op=report
  type: list
  elements: str
next_command:
  description: (report) The command to run next (the exact resume command), or empty when nothing is left.
  returned: op=report
  type: str
"""
