# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the action plugin plugins/action/webcert_enforce_plan.py does the work
# (as ansible-core documents its action-only debug module).

DOCUMENTATION = r"""
---
module: webcert_enforce_plan
short_description: Work out what enforce mode changes on one clinic workstation, changing nothing
description:
  - Builds the enforcement plan of the host's profile from the control catalogue, the region's settings and
    its enforcement inputs (site list entries, card-client installers, CA files, NTP source). Bad input fails
    the task naming the control and the input, before anything is changed.
  - Reads the workstation's current state with the audit's collector (M(webcert.fleet.webcert_evidence), one read-only
    call) or, with O(evidence_file), from the host's evidence file without connecting.
  - When nothing is selected (every control skipped, or tags that pick none) the workstation is not read.
  - Returns the exact operations per module family (C(changes); C(apply) holds the registry and service
    operations as M(webcert.fleet.webcert_registry_policy) and M(webcert.fleet.webcert_service_policy) take them), a line per change
    (C(summary)), notes on what is left alone and why, the audit-only controls with their reasons, and the
    audit status of every control before enforcing.
  - The role C(webcert.fleet.webcert_workstation) applies the operations; C(playbooks/enforce.yml) audits
    the hosts afterwards.
version_added: "0.1.0"
author:
  - webcert-fleet maintainers (@webcert-fleet)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Changes nothing in either mode.
  diff_mode:
    support: none
  platform:
    platforms: windows
    details: Reads Windows workstations (PowerShell 5.1 over WinRM, PSRP or SSH); plans on the controller.
options:
  profile:
    description: Profile of the host (C(webcert_profile)); defaults to the catalogue's default profile.
    type: str
  settings:
    description: The region's settings (C(webcert_settings)), overriding C(controls/settings.yml).
    type: dict
    default: {}
  skip:
    description: Control ids not to enforce (C(webcert_workstation_skip_controls)).
    type: list
    elements: str
    default: []
  run_tags:
    description:
      - The run's tags (C(ansible_run_tags)). Control ids and family tags (C(webcert_registry),
        C(webcert_services), C(webcert_site_list), C(webcert_certificates), C(webcert_features),
        C(webcert_card_clients), C(webcert_time)) select what is enforced; C(all) selects everything.
    type: list
    elements: str
    default: [all]
  skip_tags:
    description: The run's skipped tags (C(ansible_skip_tags)); control ids and family tags are left out.
    type: list
    elements: str
    default: []
  site_list:
    description:
      - C(webcert_site_list). C(location) is where the Enterprise Mode site list lives (default
        C(C:\ProgramData\webcert-fleet\EnterpriseModeSiteList.xml) on the PC; a UNC path or https URL is the
        region's published list).
      - C(entries) are the region's own sites (C(url) without protocol, C(compat_mode), C(open_in),
        C(allow_redirect)); C(publish_path) is a controller path to write a published list to.
    type: dict
    default: {}
  installers:
    description:
      - C(webcert_card_client_installers), by control id (C(WS-NETID-VERSION), C(WS-SITHS-EID-VERSION)), each with
        C(file) (on the controller) or C(path) (on the PC or a share), C(sha256), C(version), optional
        C(arguments) and C(packaging) (C(md) or C(standard)).
    type: dict
    default: {}
  certificate_files:
    description: CA certificate files on the controller by SHA-1 thumbprint; each file's thumbprint is checked.
    type: dict
    default: {}
  ntp_server:
    description: The region's NTP source for the Windows Time service (W32Time NtpServer syntax), if any.
    type: str
  evidence_file:
    description:
      - Plan from this evidence file instead of reading the host (no connection). A relative path is relative
        to the host's C(inventory_dir).
    type: str
notes:
  - Always returns C(changed=false).
seealso:
  - module: webcert.fleet.webcert_registry_policy
  - module: webcert.fleet.webcert_service_policy
  - module: webcert.fleet.webcert_audit_workstation
"""

EXAMPLES = r"""
- name: Work out what to enforce on this workstation
  webcert.fleet.webcert_enforce_plan:
    profile: "{{ webcert_profile | default(omit) }}"
    settings: "{{ webcert_settings | default({}) }}"
    run_tags: "{{ ansible_run_tags }}"
  register: plan
"""

RETURN = r"""
plan:
  description: The plan items by family, each with its control_id (the desired state, from the catalogue).
  returned: success
  type: dict
changes:
  description: The operations that bring this workstation to the plan, by family.
  returned: success
  type: dict
apply:
  description: The registry and service operations in the form the modules take them.
  returned: success
  type: dict
summary:
  description: One line per operation and per note, each starting with the control id.
  returned: success
  type: list
  elements: str
by_family:
  description: The lines of C(summary) for the operations, by family.
  returned: success
  type: dict
change_lines:
  description: One line per operation, starting with the control id.
  returned: success
  type: list
  elements: str
note_lines:
  description: >-
    One line per control enforce leaves alone here, with why (not applicable, not read, no installer, the region's
    own site list), then the controls the judge already passes, in one line.
  returned: success
  type: list
  elements: str
failing_audit_only:
  description: >-
    The audit-only controls (Windows version, card readers, user certificates, ...) that fail on this workstation
    (control_id, title, message, reason enforce leaves them to the audit).
  returned: success
  type: list
  elements: dict
region_site_lists:
  description: >-
    Where Edge uses the region's own site list and it lacks Webcert (the policy is never re-pointed unless
    C(webcert_site_list.owns_policy)): control_id, location, version, sites of the merged list and the <site> entry
    to add there, for the region to publish.
  returned: success
  type: list
  elements: dict
evidence_error:
  description: >-
    Only with O(evidence_file): why the file could not be used (the workstation is then left alone and its audit
    reports it as error); null otherwise.
  returned: success
  type: str
notes:
  description: >-
    What is left alone and why (control_id, note, kind: compliant, not_applicable, not_judged or left_alone).
  returned: success
  type: list
  elements: dict
before:
  description: Audit status of every control of the profile before enforcing (control id -> status).
  returned: success
  type: dict
audit_only:
  description: Controls enforce leaves to the audit (control_id, title, reason).
  returned: success
  type: list
  elements: dict
count:
  description: Number of operations.
  returned: success
  type: int
"""
