# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the action plugin plugins/action/webcert_audit_start.py does the work on the controller
# (as ansible-core documents its action-only debug module).

DOCUMENTATION = r"""
---
module: webcert_audit_start
short_description: Validate the audit's inputs and open an audit run, on the controller
description:
  - Loads and validates the control catalogue (C(controls/*.yml)), the region's settings, each workstation's
    profile and settings, the waiver file and the gate before any host is touched, and returns a new run id and start time.
  - A bad input fails the task with a message naming the file, setting, profile or rule.
  - Action plugin only; it runs on the controller and connects to no host. First play of C(playbooks/audit.yml).
version_added: "0.1.0"
author:
  - webcert-fleet maintainers (@webcert-fleet)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Reads files only; the same in check mode.
  diff_mode:
    support: none
  platform:
    platforms: controller
    details: Runs on the Ansible controller only.
options:
  settings:
    description:
      - The region's settings (inventory variable C(webcert_settings)), setting name to value, overriding the
        defaults of C(controls/settings.yml). An unknown setting name fails the task.
    type: dict
    default: {}
  hosts:
    description:
      - Inventory names of the workstations (C(groups['webcert_workstations'])). For each, its C(webcert_settings),
        C(webcert_profile) and C(webcert_care_unit_hsa_id) are checked; an error names the group or host that set
        the value.
      - Warnings, not errors, for an empty list (no workstations), a host in two clinic groups (children of
        C(webcert_workstations)) and a clinic group without a C(webcert_care_unit_hsa_id).
      - Omitted means the hosts are not checked.
    type: list
    elements: str
  care_provider_hsa_id:
    description: HSA-id of the region's care provider (C(webcert_care_provider_hsa_id)); must be text.
    type: raw
  reports_dir:
    description:
      - The folder the run will be written to. Checked now so that a file in its place, a C(latest) that is a
        real folder rather than a link, or a folder the controller cannot write fails before any host is touched.
    type: str
  waivers_file:
    description:
      - Path of the waiver file (YAML, C(schemas/waivers.schema.json)) to validate. A relative path is relative
        to the controller's working directory.
      - Omitted means no waivers. Empty text, an unreadable or malformed file, an unknown control or a bad date
        fails the task, naming the file and the entry.
      - When omitted while the controller has C(webcert_waivers_file) set (the playbooks pass it with
        C(default(omit)), which hides a template that fails), the variable is resolved here and a failure is
        an error naming it; a configured waiver file never silently becomes "no waivers".
    type: str
  gate:
    description:
      - The gate (inventory variable C(webcert_gate)) to validate, a mapping of rules or C(rule=value,...) text
        (rules failed_impact, max_failed, max_error, max_not_reviewed, new_failures; docs/reports.md).
      - When the environment variable E(WEBCERT_GATE) is set, it is validated instead, as it wins over O(gate).
      - A malformed gate fails the task.
    type: raw
notes:
  - Always returns C(changed=false).
seealso:
  - module: webcert.fleet.webcert_write_report
"""

EXAMPLES = r"""
- name: Validate catalogue, settings and waivers before touching any host
  webcert.fleet.webcert_audit_start:
    settings: "{{ webcert_settings | default({}) }}"
    waivers_file: "{{ inventory_dir }}/files/waivers.yml"
    hosts: "{{ groups['webcert_workstations'] | default([]) }}"
    gate:
      failed_impact: high
      max_error: 0
  register: webcert_audit_run
"""

RETURN = r"""
run:
  description: The new run, to pass to M(webcert.fleet.webcert_write_report) as its O(webcert.fleet.webcert_write_report#module:run).
  returned: success
  type: dict
  contains:
    id:
      description: Run id, sortable by time (UTC, milliseconds) and unique (random suffix).
      type: str
      sample: 20261126T103000.123Z-1a2b3c
    started_at:
      description: Start time, the controller's local time, ISO 8601 with offset.
      type: str
      sample: "2026-11-26T11:30:00+01:00"
controls:
  description: Number of controls in the catalogue (all profiles and scopes).
  returned: success
  type: int
  sample: 48
waivers:
  description: Number of waivers in O(waivers_file).
  returned: success
  type: int
  sample: 2
msg:
  description: Why an input is invalid, naming it.
  returned: failure
  type: str
  sample: "webcert_settings: unknown setting 'clock_skew' (known: ...) (set in group vars of clinic_mottagning_ost)"
start_warnings:
  description: The warnings of this task (also shown as Ansible warnings), for the summary callback.
  returned: success
  type: list
  elements: str
"""
