# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the action plugin plugins/action/webcert_audit_evidence_files.py does the work on the
# controller (as ansible-core documents its action-only debug module).

DOCUMENTATION = r"""
---
module: webcert_audit_evidence_files
short_description: Audit every workstation whose evidence is a file, in one task on the controller
description:
  - Runs once on the controller. For each host of O(hosts) that has C(webcert_evidence_file) (an offline
    clinic's drop folder, see the inventory plugin M(webcert.fleet.webcert_evidence_dir)), reads and judges
    the file exactly as M(webcert.fleet.webcert_audit_workstation) would, with the host's C(webcert_profile),
    C(webcert_settings), C(webcert_user_evidence_file), C(webcert_clinic) and C(webcert_care_unit_hsa_id).
  - A PC that is only a file needs no connection, so it costs no Ansible worker process of its own;
    C(playbooks/audit.yml) visits only the RV(live_hosts).
  - Never fails for a host's problem; unreadable or broken evidence, or evidence of another PC, gives that
    host a subject with status C(error) and the reason.
version_added: "0.1.0"
author:
  - webcert-fleet maintainers (@webcert-fleet)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: controller
    details: Runs on the Ansible controller only.
options:
  hosts:
    description: Inventory names of the workstations this run audits (after C(--limit)).
    type: list
    elements: str
    default: []
  as_of:
    description: The moment evidence files are dated against (the run's start), as for M(webcert.fleet.webcert_audit_workstation).
    type: str
notes:
  - Always returns C(changed=false).
seealso:
  - module: webcert.fleet.webcert_audit_workstation
  - module: webcert.fleet.webcert_write_report
"""

EXAMPLES = r"""
- name: Judge the workstations whose evidence is a file, on the controller
  webcert.fleet.webcert_audit_evidence_files:
    hosts: "{{ webcert_audited_hosts }}"
    as_of: "{{ webcert_audit_run.run.started_at }}"
  check_mode: true
  register: webcert_evidence_files_audit
"""

RETURN = r"""
subjects_file:
  description:
    - Path of a private file (JSON lines, one workstation subject per line) in the controller's temporary
      directory, for O(webcert.fleet.webcert_write_report#module:subjects_files), which reads and removes it.
  returned: success
  type: str
judged:
  description: How many workstations were judged from files.
  returned: success
  type: int
live_hosts:
  description:
    - The hosts of O(hosts) for the per-host play, in order; those without an evidence file, and those whose
      variables are not valid arguments of M(webcert.fleet.webcert_audit_workstation) (they fail there, naming them).
  returned: success
  type: list
  elements: str
msg:
  description: Why the catalogue could not be loaded.
  returned: failure
  type: str
"""
