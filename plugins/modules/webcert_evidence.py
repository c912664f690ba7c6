# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation of the PowerShell module webcert_evidence.ps1 (as ansible.windows documents its modules).

DOCUMENTATION = r"""
---
module: webcert_evidence
short_description: Collect the evidence of a clinic workstation for the Webcert audit, read-only
description:
  - Reads, in one call, everything the webcert-fleet audit needs to judge a Windows clinic workstation
    (Webcert with a SITHS card) and returns it as one evidence document that follows
    C(schemas/evidence.schema.json), schema version 1.
  - What it reads is given by O(plan), the collection plan the controller builds from the control
    catalogue (C(checks.collection_plan)); a new control of an existing check type needs no change here.
  - Read-only. It reads registry keys, services, uninstall entries, LocalMachine certificate stores,
    optional features, smart-card reader devices and drivers, the Enterprise Mode site list file, the
    clock, and opens TCP and TLS connections to the endpoints in the plan. It changes nothing.
  - A part that cannot be read (for example services without admin rights) is left out and named in
    C(section_errors) with the reason; the rest is still returned.
  - Over WinRM the session is never a clinician's, so C(collector.user_context) is null and the user's
    certificates are not collected. Run C(scripts/Collect-WebcertEvidence.ps1) at logon for those.
  - Normally called by the action plugin C(webcert_audit_workstation), which also adds the controller's
    time around the call for the clock control.
version_added: "0.1.0"
options:
  plan:
    description:
      - The collection plan. Keys, all optional
      - C(os) (true), C(registry_keys) (list of C(HKLM:\...)/C(HKCU:\...) key paths),
        C(services) (service short names), C(product_patterns) (regular expressions on the uninstall
        DisplayName), C(certificate_stores) (C(LocalMachine\Root), ...), C(optional_features) (feature
        names), C(site_lists) (list of C({path, name}) policy values naming a site list),
        C(card_readers) (true), C(endpoints) (list of C({host, port, tls})), C(clock) (true),
        C(user_certificates) (true).
      - Unknown keys give a warning and are not collected.
    type: dict
    required: true
notes:
  - Supports check mode; it never changes anything, in either mode.
  - Needs Windows PowerShell 5.1. Reading services may need local admin rights.
  - docs/collector.md describes every plan key and evidence section.
  - scripts/Collect-WebcertEvidence.ps1 runs the same collection without Ansible or WinRM.
author:
  - webcert-fleet maintainers (@webcert-fleet)
"""

EXAMPLES = r"""
- name: Collect the evidence the catalogue needs for this workstation
  webcert.fleet.webcert_evidence:
    plan:
      os: true
      services: [SCardSvr, ScDeviceEnum, CertPropSvc, W32Time]
      registry_keys:
        - HKLM:\SOFTWARE\Policies\Microsoft\Edge
      card_readers: true
      endpoints:
        - {host: webcert.intygstjanster.se, port: 443, tls: true}
      clock: true
  register: webcert_evidence_reply
"""

RETURN = r"""
evidence:
  description:
    - The evidence document (schemas/evidence.schema.json, schema_version 1). Sections not asked for by
      the plan are absent; sections that could not be read are named in C(section_errors).
  returned: success
  type: dict
  contains:
    schema_version:
      description: Always 1.
      type: int
      sample: 1
    host:
      description: The computer name.
      type: str
      sample: VCE-WS01
    collected_at:
      description: Local time of collection, ISO 8601 with offset.
      type: str
      sample: "2026-11-24T07:42:10+01:00"
    collector:
      description: name, version, mode (ansible or standalone) and user_context (null over WinRM).
      type: dict
    section_errors:
      description: Section name -> why it could not be read.
      type: dict
      returned: when a section failed
    os:
      description: CurrentBuild, UBR, DisplayVersion, EditionID, ProductName and the WMI caption.
      type: dict
    registry:
      description: Key path -> exists and every value with its type and data.
      type: dict
    services:
      description: Service name -> exists, start_mode, state.
      type: dict
    products:
      description: Uninstall entries whose DisplayName matched a plan pattern.
      type: list
    certificates:
      description: Store -> certificates (thumbprint, subject, issuer, not_after).
      type: dict
    optional_features:
      description: Feature name -> state.
      type: dict
    site_lists:
      description: Policy value -> location, content (raw XML), error, truncated.
      type: dict
    card_readers:
      description: Smart-card readers with error code and driver facts.
      type: list
    network:
      description: endpoints, each with tcp, tls, tls_protocol, certificate_subject, error, elapsed_ms.
      type: dict
    clock:
      description: utc_now and time_zone of the workstation.
      type: dict
"""
