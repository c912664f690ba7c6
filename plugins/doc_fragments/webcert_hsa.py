# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Documentation shared by the plugins that read HSA (webcert_hsa_provider, webcert_audit_directory)."""


class ModuleDocFragment:
    # The connection options both plugins accept in the same way (plugins/module_utils/hsa_ldap.py).
    DOCUMENTATION = r"""
options:
  base_dn:
    description: Search base; HSA's root is C(c=SE).
    type: str
    default: c=SE
  bind_dn:
    description: DN of a read-only account to bind as (anonymous when omitted).
    type: str
  bind_password:
    description: Password of O(bind_dn). Never logged, returned or written to a report.
    type: str
  start_tls:
    description: Upgrade C(ldap://) connections with StartTLS before binding.
    type: bool
    default: false
  validate_certs:
    description: Validate the server certificate and its name. Turn off only for a throwaway test directory.
    type: bool
    default: true
  connect_timeout:
    description: Seconds to wait for a TCP/TLS connection per server.
    type: int
    default: 5
  search_timeout:
    description: Seconds to wait for each answer (also the server-side time limit of each search).
    type: int
    default: 30
  page_size:
    description: Entries per page of a paged search (RFC 2696).
    type: int
    default: 500
"""
