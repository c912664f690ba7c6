# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation of the PowerShell module webcert_service_policy.ps1 beside this file.

DOCUMENTATION = r"""
---
module: webcert_service_policy
short_description: Set the start mode and state of a list of Windows services in one call
description:
  - Applies start modes and states to a list of services on a Windows workstation in one module call, and
    returns each service's start mode and state before and after.
  - A service already as wanted is left alone, so a second run reports no change. A service that does not
    exist is reported (C(exists=false)) with a warning, and left to the audit.
  - Enforce mode (role C(webcert.fleet.webcert_workstation)) passes the operations that
    M(webcert.fleet.webcert_enforce_plan) worked out from the control catalogue.
  - Refuses to change C(WinRM) or C(sshd), the management channel Ansible uses.
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
    details: C(before) and C(after) hold C(start_mode) and C(state) of every service that changes.
  platform:
    platforms: windows
options:
  services:
    description: The services to set, applied in order.
    type: list
    elements: dict
    required: true
    suboptions:
      control_id:
        description: The control the service belongs to (returned with the result, for the report).
        type: str
      name:
        description: Service short name, for example C(SCardSvr).
        type: str
        required: true
      start_mode:
        description: Start mode to set; omitted leaves it as it is.
        type: str
        choices: [auto, manual, disabled]
      state:
        description: C(started) starts the service, C(stopped) stops it; omitted leaves it as it is.
        type: str
        choices: [started, stopped]
seealso:
  - module: ansible.windows.win_service
  - module: webcert.fleet.webcert_enforce_plan
"""

EXAMPLES = r"""
- name: Smart-card services not disabled, Windows Time running
  webcert.fleet.webcert_service_policy:
    services:
      - name: SCardSvr
        start_mode: manual
      - name: W32Time
        start_mode: auto
        state: started
"""

RETURN = r"""
services:
  description: One entry per service, in order.
  returned: always
  type: list
  elements: dict
  contains:
    control_id:
      description: As given.
      type: str
    name:
      description: Service short name.
      type: str
    exists:
      description: Whether the service exists.
      type: bool
    changed:
      description: Whether the service was (or in check mode would be) changed.
      type: bool
    before:
      description: C(start_mode) (Automatic, Manual, Disabled) and C(state) (Running, Stopped, ...) before.
      type: dict
    after:
      description: C(start_mode) and C(state) after.
      type: dict
"""
