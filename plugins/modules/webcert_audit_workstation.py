# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the action plugin plugins/action/webcert_audit_workstation.py does the work
# (as ansible-core documents its action-only debug module).

DOCUMENTATION = r"""
---
module: webcert_audit_workstation
short_description: Audit one clinic workstation against the control catalogue, read-only
description:
  - Gets the workstation's evidence in one read-only call and judges it on the controller against the
    workstation controls of its profile, giving one result per control.
  - The evidence comes from the M(webcert.fleet.webcert_evidence) module, run on the host with the collection plan the
    controls need, or, for a host that cannot be reached, from the file O(evidence_file) (no connection is made).
  - Around a live call it adds the controller's time before and after (C(clock.reference)) to the evidence,
    so the clock control can compare the workstation's clock.
  - Never fails the host for an audit problem. An unknown profile or setting, an unreachable host, a failed
    collection, evidence that does not validate or evidence of another host gives a subject with status
    C(error) and the reason, so the report keeps the host.
version_added: "0.1.0"
author:
  - webcert-fleet maintainers (@webcert-fleet)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Changes nothing in either mode; C(playbooks/audit.yml) forces check mode for the play.
  diff_mode:
    support: none
  platform:
    platforms: windows
    details: Collects from Windows workstations (PowerShell 5.1 over WinRM or PSRP); judges on the controller.
options:
  profile:
    description:
      - Profile whose workstation controls are judged (C(controls/profiles.yml), inventory variable C(webcert_profile)).
      - Defaults to the catalogue's default profile (C(inera-classic)).
    type: str
  settings:
    description:
      - The region's settings (C(webcert_settings)), setting name to value, overriding the defaults of
        C(controls/settings.yml).
    type: dict
    default: {}
  evidence_file:
    description:
      - Read the evidence from this JSON file (C(schemas/evidence.schema.json)) instead of collecting it.
        A relative path is relative to the host's C(inventory_dir), else the controller's working directory.
      - Its C(host) (the Windows computer name, at most 15 characters) or C(dns_host_name) must match this
        host's inventory name, its first label, or the first 15 characters of that label (ignoring case), so
        a file copied from another PC is an error. Evidence collected live is not name-checked.
    type: str
  user_evidence_file:
    description:
      - Evidence file of the standalone collector's user-context run at logon (C(<host>.user.<SID>.json),
        C(webcert_user_evidence_file)). Its user sections (user certificates, HKCU registry keys) and
        C(user_context) are used with the machine evidence; results judged from them name both sources, and
        the subject gets C(user_evidence_source).
      - A file without a user context, or of another host, makes the host C(error).
    type: str
  clinic:
    description: Clinic of the workstation (C(webcert_clinic)), recorded on the subject for the reports.
    type: str
  care_unit_hsa_id:
    description: HSA-id of the clinic's care unit (C(webcert_care_unit_hsa_id)), recorded on the subject.
    type: str
  as_of:
    description:
      - The run's start (ISO 8601), which an evidence file's C(collected_at) is checked against; default now.
      - A file collected more than the setting C(evidence_clock_tolerance_minutes) after it makes the host
        C(error); one collected more than C(evidence_max_age_days) days before it is stale, and the controls it
        would judge are C(not_reviewed). Evidence collected live is not checked (the clock control compares
        the workstation's clock with the controller's).
    type: str
notes:
  - Always returns C(changed=false).
  - docs/collector.md describes the evidence and the collection plan.
seealso:
  - module: webcert.fleet.webcert_evidence
  - module: webcert.fleet.webcert_write_report
"""

EXAMPLES = r"""
- name: Collect and judge the evidence of the workstation
  webcert.fleet.webcert_audit_workstation:
    profile: "{{ webcert_profile | default(omit) }}"
    settings: "{{ webcert_settings | default({}) }}"
    clinic: "{{ webcert_clinic | default(omit) }}"
    care_unit_hsa_id: "{{ webcert_care_unit_hsa_id | default(omit) }}"
  check_mode: true
  register: webcert_workstation_audit
  ignore_unreachable: true

- name: Judge a workstation from its saved evidence file (offline host)
  webcert.fleet.webcert_audit_workstation:
    evidence_file: files/evidence/vce-ws01.json
    clinic: Vårdcentralen Exempel
    care_unit_hsa_id: SE5591234561-1001
  register: webcert_workstation_audit
"""

RETURN = r"""
subject:
  description:
    - The workstation as a report subject (C(results.make_subject)), with one result per workstation control of
      the profile; with status C(error) every result is C(error) with the reason (none for an unknown profile
      or setting).
  returned: always
  type: dict
  contains:
    kind:
      description: Always C(workstation).
      type: str
      sample: workstation
    id:
      description: Inventory name of the host.
      type: str
      sample: vce-ws01
    name:
      description: Same as RV(subject.id).
      type: str
    status:
      description: C(judged), or C(error) when the workstation could not be judged.
      type: str
      sample: judged
    error:
      description: Why the workstation could not be judged; null when judged.
      type: str
    profile:
      description: The profile judged.
      type: str
      sample: inera-classic
    clinic:
      description: O(clinic).
      type: str
    care_unit_hsa_id:
      description: O(care_unit_hsa_id).
      type: str
    evidence_source:
      description: C(file:<relative path>) or C(collector:<connection>); null when no evidence was read.
      type: str
      sample: "file:inventories/example/files/evidence/vce-ws01.json"
    collected_at:
      description: When the evidence was collected (the workstation's time); null when no evidence was read.
      type: str
    user_context:
      description: C(DOMAIN\user) of the signed-in user when collected at logon (standalone collector); null over WinRM.
      type: str
      returned: when the evidence was read
    results:
      description: One result per control (control_id, title, requirements, scope, impact, status, waived,
        waiver, expected, actual, message, evidence_source, remediation, details).
      type: list
      elements: dict
"""
