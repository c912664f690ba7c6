# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation of the PowerShell module webcert_registry_policy.ps1 beside this file.

DOCUMENTATION = r"""
---
module: webcert_registry_policy
short_description: Set and remove a list of registry policy values in one call
description:
  - Applies a list of registry values on a Windows workstation in one module call (one WinRM/PSRP round trip
    instead of one per value), and returns each value's state before and after.
  - A value already of the wanted type and data is left alone, so a second run reports no change.
  - Enforce mode (role C(webcert.fleet.webcert_workstation)) passes the operations that
    M(webcert.fleet.webcert_enforce_plan) worked out from the control catalogue.
  - Refuses any value below the keys that configure the management channel (WinRM, WSMAN, OpenSSH) or the
    accounts that may use it, as the controller's management-channel guard does.
version_added: "0.1.0"
author:
  - webcert-fleet maintainers (@webcert-fleet)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Reports what would change, changing nothing.
  diff_mode:
    support: full
    details: C(before) and C(after) hold every value that changes, keyed by C(<path>\<name>).
  platform:
    platforms: windows
options:
  values:
    description: The registry values to set or remove, applied in order.
    type: list
    elements: dict
    required: true
    suboptions:
      control_id:
        description: The control the value belongs to (returned with the result, for the report).
        type: str
      path:
        description: Registry key in PowerShell provider form, for example C(HKLM:\SOFTWARE\Policies\Microsoft\Edge).
        type: str
        required: true
      name:
        description: Value name.
        type: str
        required: true
      data:
        description: Data to write (with O(values[].state=present)).
        type: raw
      type:
        description: Registry type of the data.
        type: str
        default: string
        choices: [string, expandstring, dword, qword, multistring, binary]
      state:
        description: C(present) writes the value (creating the key), C(absent) removes it.
        type: str
        default: present
        choices: [present, absent]
seealso:
  - module: ansible.windows.win_regedit
  - module: webcert.fleet.webcert_enforce_plan
"""

EXAMPLES = r"""
- name: Open listed sites in IE mode and allow JavaScript for Webcert
  webcert.fleet.webcert_registry_policy:
    values:
      - path: HKLM:\SOFTWARE\Policies\Microsoft\Edge
        name: InternetExplorerIntegrationLevel
        data: 1
        type: dword
      - path: HKLM:\SOFTWARE\Policies\Microsoft\Edge\JavaScriptBlockedForUrls
        name: "1"
        state: absent
"""

RETURN = r"""
values:
  description: One entry per value, in order.
  returned: always
  type: list
  elements: dict
  contains:
    control_id:
      description: As given.
      type: str
    path:
      description: Registry key.
      type: str
    name:
      description: Value name.
      type: str
    changed:
      description: Whether the value was (or in check mode would be) written or removed.
      type: bool
    before:
      description: C(type) (REG_SZ, REG_DWORD, ...) and C(data) before; null when the value did not exist.
      type: dict
    after:
      description: C(type) and C(data) after; null when removed.
      type: dict
"""
