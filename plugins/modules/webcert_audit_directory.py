# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the action plugin plugins/action/webcert_audit_directory.py does the work on the controller
# (as ansible-core documents its action-only debug module).

DOCUMENTATION = r"""
---
module: webcert_audit_directory
short_description: Audit the region's HSA directory data (care provider, care units, persons), read-only
description:
  - Gathers the region from the inventory (care provider, each clinic's care unit and staff list, the care units
    registered with Inera), reads the provider from Katalogtjänst HSA with M(webcert.fleet.webcert_hsa_provider) (run on the
    controller) and judges what was read into subjects, each with one result per directory control of its scope
    (C(controls/directory.yml)).
  - Never fails for a directory problem. A directory that is down, slow, refuses the bind or answers garbage
    gives C(error) results for the affected subjects; an empty O(uri) gives C(not_reviewed) results.
  - Fails the task only for an unknown setting name in O(settings), an unknown O(profile) or a malformed O(as_of).
  - O(bind_password) goes to the module only (C(no_log) there) and never appears in what this returns.
version_added: "0.1.0"
author:
  - webcert-fleet maintainers (@webcert-fleet)
extends_documentation_fragment:
  - webcert.fleet.webcert_hsa
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Never writes to the directory, in either mode.
  diff_mode:
    support: none
  platform:
    platforms: controller
    details: Runs on the Ansible controller; needs ldap3 there.
options:
  uri:
    description:
      - HSA server URIs (C(ldaps://host:636), C(ldap://host:389)), tried in order (failover). A list, or one
        string with URIs separated by commas or spaces.
      - Empty or omitted means no directory is configured; every directory control is then C(not_reviewed).
    type: raw
  provider_hsa_id:
    description: HSA-id of the region's care provider (vårdgivare) (C(webcert_care_provider_hsa_id)).
    type: str
    default: ""
  provider_name:
    description: Name of the care provider, used for the provider and organisation subjects when HSA gives none.
    type: str
  hosts:
    description:
      - Inventory hosts whose variables name the clinics' care units (C(webcert_care_unit_hsa_id),
        C(webcert_clinic)) and staff (C(webcert_hsa_staff)). Each care unit, and each person per care unit,
        counts once.
    type: list
    elements: str
    default: []
  care_units:
    description: Care units to audit besides those of O(hosts), each C({hsa_id, clinic}).
    type: list
    elements: dict
    default: []
  staff:
    description:
      - Persons to audit besides those of O(hosts), each C({hsa_id, name, role, care_unit_hsa_id, clinic}).
      - C(role) is the Webcert role the clinic expects (LAKARE, TANDLAKARE, SJUKSKOTERSKA, BARNMORSKA,
        VARDADMINISTRATOR).
    type: list
    elements: dict
    default: []
  registered_units:
    description:
      - HSA-ids of the care units registered with Inera (C(webcert_hsa_registered_units)).
      - Omitted means unknown; control ORG-UNITS-REGISTERED is then C(not_reviewed).
    type: list
    elements: str
  inera_agreement:
    description:
      - The provider's agreement with Inera for Webcert Fristående (C(webcert_inera_agreement)), a declared fact
        the report shows (control ORG-INERA-AGREEMENT, REQ-ORG-1); software cannot check paperwork.
      - C(signed) (boolean, required), C(date) (YYYY-MM-DD) and C(reference) (e.g. Inera's case number).
      - Omitted means not declared; the control is then C(not_reviewed).
    type: dict
  settings:
    description:
      - The region's settings (C(webcert_settings)), overriding the defaults of C(controls/settings.yml).
        C(hsa_attribute_names) and C(hsa_id_pattern) are also passed to the module.
    type: dict
    default: {}
  profile:
    description: Profile whose directory controls are judged; defaults to the catalogue's default profile.
    type: str
  as_of:
    description:
      - Judge dates (commissions, start and end dates) as of this ISO date or time (C(YYYY-MM-DD[THH:MM:SS])),
        UTC when no offset is given, to re-run an audit reproducibly. Default now.
    type: str
  subjects_to_file:
    description:
      - Write the subjects to a private file in the controller's temporary directory and return its path in
        RV(subjects_file) instead of returning RV(subjects); give that path to
        O(webcert.fleet.webcert_write_report#module:subjects_files), which reads and removes it.
      - A region's 10,000 persons cost more as a registered variable than judging them (docs/performance.md).
    type: bool
    default: false
notes:
  - Always returns C(changed=false). Warnings of the module (plain C(ldap://) bind, O(validate_certs) off) are
    passed on.
  - docs/hsa.md explains the directory audit, the controls and the inventory variables.
seealso:
  - module: webcert.fleet.webcert_hsa_provider
  - module: webcert.fleet.webcert_write_report
"""

EXAMPLES = r"""
- name: Read and judge the care provider, care units and persons in HSA
  webcert.fleet.webcert_audit_directory:
    uri: "{{ webcert_hsa_uri | default('') }}"
    base_dn: c=SE
    bind_dn: "{{ webcert_hsa_bind_dn | default(omit) }}"
    bind_password: "{{ webcert_hsa_bind_password | default(omit) }}"
    ca_file: /etc/ssl/certs/region-ldap-ca.pem
    provider_hsa_id: SE5591234561-1000
    provider_name: Exempelkliniken AB
    hosts: "{{ groups['webcert_workstations'] | default([]) }}"
    registered_units: [SE5591234561-1001, SE5591234561-1002]
    settings: "{{ webcert_settings | default({}) }}"
  check_mode: true
  register: webcert_directory_audit

- name: Re-judge one care unit and one doctor as of a fixed date, without an inventory of clinics
  webcert.fleet.webcert_audit_directory:
    uri: ldaps://hsa1.region.example:636 ldaps://hsa2.region.example:636
    provider_hsa_id: SE5591234561-1000
    care_units:
      - {hsa_id: SE5591234561-1001, clinic: Vårdcentralen Exempel}
    staff:
      - {hsa_id: SE5591234561-2001, name: Anna Andersson, role: LAKARE, care_unit_hsa_id: SE5591234561-1001}
    as_of: "2026-11-24"
  register: webcert_directory_audit
"""

RETURN = r"""
subjects:
  description:
    - The directory subjects, each with one result per directory control of its scope, for
      O(webcert.fleet.webcert_write_report#module:extra_subjects).
    - The care provider, every care unit (the inventory's first, then those HSA has for the provider), every
      person (staff lists, persons in the provider's subtree, commission members) and the organisation.
      Persons found in HSA also carry C(webcert_role) and C(webcert_role_rule).
  returned: success, unless O(subjects_to_file)
  type: list
  elements: dict
subjects_file:
  description: Path of the subjects file (JSON lines, one subject per line), with O(subjects_to_file).
  returned: success, with O(subjects_to_file)
  type: str
subject_count:
  description: How many subjects the subjects file holds.
  returned: success, with O(subjects_to_file)
  type: int
directory:
  description: What the read did (none of the read data).
  returned: success
  type: dict
  contains:
    server:
      description: URI of the server that answered; null when none did or none is configured.
      type: str
      sample: ldaps://hsa1.region.example:636
    searches:
      description: Search requests sent (pages included).
      type: int
      sample: 4
    errors:
      description: Scope (provider, units, persons) to the reason it could not be read; empty when all was read.
      type: dict
      sample: {}
    failover:
      description: Servers that failed before one answered.
      type: list
      elements: str
      sample: []
    configured:
      description: False when no directory was configured (O(uri) empty); every directory control is then C(not_reviewed).
      type: bool
      sample: true
    inventory_errors:
      description: >-
        Malformed inventory input (staff lists, care units, registered units), each naming the variable, where
        it was set and the entry index; the subjects it concerns carry it as an C(error).
      type: list
      elements: str
      sample: ["webcert_hsa_staff from extra vars (-e), entry 0: 'SE5591234561-P001' is a string, not a mapping with hsa_id ..."]
msg:
  description: Which setting, profile or O(as_of) value is invalid.
  returned: failure
  type: str
"""
