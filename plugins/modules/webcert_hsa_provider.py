#!/usr/bin/python
# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ansible module: read one care provider's HSA data (read-only)."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: webcert_hsa_provider
short_description: Read a care provider, its care units, commissions and persons from HSA over LDAP
description:
  - Reads one care provider (vårdgivare) from Katalogtjänst HSA with a small, bounded number of paged
    subtree searches (never one search per person) and returns the entries with logical attribute
    names, ready to be judged by the directory controls (controls/directory.yml).
  - Read-only; never changes the directory. Always returns C(changed=false), also in check mode.
  - Connection problems do not fail the task; they are returned per scope in RV(directory.errors), so an
    audit can report them as C(error) results for the affected subjects only.
  - HSA-ids are checked for format before use; every value in a filter is escaped (RFC 4515).
  - HSA attribute names can be renamed with O(attribute_names); the defaults are in
    plugins/module_utils/hsa_ldap.py (ATTRIBUTES).
version_added: "0.1.0"
author: webcert-fleet maintainers (@webcert-fleet)
extends_documentation_fragment:
  - webcert.fleet.webcert_hsa
options:
  uri:
    description:
      - One or more server URIs, C(ldaps://host:636) or C(ldap://host:389). Tried in order (failover);
        a server that dies during a search is replaced by the next one.
    type: list
    elements: str
    required: true
  attribute_names:
    description: "Renames of attribute or object class names, logical name to LDAP name (e.g. C(mail: epost))."
    type: dict
    default: {}
  provider_hsa_id:
    description: HSA-id of the care provider.
    type: str
    required: true
  care_unit_hsa_ids:
    description: Care units the inventory names; read even when they are outside the provider's subtree.
    type: list
    elements: str
    default: []
  person_hsa_ids:
    description: Persons the clinics expect; read even when they are not members of any commission.
    type: list
    elements: str
    default: []
  hsa_id_pattern:
    description: Regular expression an HSA-id must match before it is used in a search.
    type: str
    default: '^SE(16)?\d{10}-[A-Za-z0-9]+$'
  max_attribute_values:
    description:
      - Most values kept of one attribute of one entry. An entry with more keeps the first ones and lists the
        attribute in its C(truncated), so the audit reports the subjects it concerns as C(error).
    type: int
    default: 10000
requirements:
  - ldap3 (on the host that runs the module, normally the controller)
notes:
  - Supports check mode; the module never writes.
  - docs/hsa.md in webcert-fleet explains the directory audit, the attribute map and the role rules.
"""

EXAMPLES = r"""
- name: Read the region's care provider from HSA
  webcert.fleet.webcert_hsa_provider:
    uri:
      - ldaps://hsa1.region.example:636
      - ldaps://hsa2.region.example:636
    base_dn: c=SE
    bind_dn: cn=webcert-audit,o=Region,c=SE
    bind_password: "{{ webcert_hsa_bind_password }}"
    ca_file: /etc/ssl/certs/region-ldap-ca.pem
    provider_hsa_id: SE5591234561-1000
    care_unit_hsa_ids: [SE5591234561-1001, SE5591234561-1002]
  register: hsa
"""

RETURN = r"""
directory:
  description: What was read. Entries are dicts with C(dn), C(classes), C(markers) (logical class names),
    C(attributes) (logical name to list of values), C(problems) (values that could not be decoded) and, when an
    attribute had more values than O(max_attribute_values), C(truncated).
  returned: always
  type: dict
  contains:
    provider:
      description: The provider's entry, or null when not found.
      type: dict
    units:
      description: Units (care units, sub-units, providers referenced by units) read.
      type: list
      elements: dict
    commissions:
      description: Commissions (medarbetaruppdrag) under the provider and its care units.
      type: list
      elements: dict
    persons:
      description: Persons in the provider's subtree, commission members and expected staff found.
      type: list
      elements: dict
    errors:
      description: Scope (provider, units, persons) to the reason it could not be read; empty when all was read.
      type: dict
    searches:
      description: Search requests sent (pages included).
      type: int
    server:
      description: URI of the server that answered.
      type: str
    failover:
      description: Servers that failed before one answered.
      type: list
      elements: str
  sample:
    provider: {dn: "o=Exempelkliniken AB,c=SE", markers: [provider, organisation], attributes: {hsa_id: [SE5591234561-1000]}}
    errors: {}
    searches: 4
    server: ldaps://127.0.0.1:6360
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.webcert.fleet.plugins.module_utils.hsa_ldap import CONNECTION_ARGUMENT_SPEC, read_provider
from ansible_collections.webcert.fleet.plugins.module_utils.hsa_rules import DEFAULT_HSA_ID_PATTERN


def main():
    argument_spec = dict(CONNECTION_ARGUMENT_SPEC)
    argument_spec.update(
        provider_hsa_id=dict(type="str", required=True),
        care_unit_hsa_ids=dict(type="list", elements="str", default=[]),
        person_hsa_ids=dict(type="list", elements="str", default=[]),
        hsa_id_pattern=dict(type="str", default=DEFAULT_HSA_ID_PATTERN),
        max_attribute_values=dict(type="int", default=10000),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    options = {name: params[name] for name in CONNECTION_ARGUMENT_SPEC}
    options["max_attribute_values"] = params["max_attribute_values"]
    if any(u.lower().startswith("ldap://") for u in params["uri"]) and not params["start_tls"] and params["bind_password"]:
        module.warn("the bind password travels unencrypted over ldap:// without start_tls")
    if not params["validate_certs"]:
        module.warn("validate_certs is off: the HSA server's certificate is not checked")
    data = read_provider(options, params["provider_hsa_id"], params["care_unit_hsa_ids"], params["person_hsa_ids"],
                         params["hsa_id_pattern"])
    module.exit_json(changed=False, directory=data)


if __name__ == "__main__":
    main()
