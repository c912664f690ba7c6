# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Documentation shared by the plugins that read HSA (webcert_hsa_provider, webcert_audit_directory).

The HSA connection options are documented here, once; the directory action validates its arguments
against this documentation (plugins/plugin_utils/adapters/arguments.py). The module cannot import a doc fragment
(only module_utils travel with it), so its argument spec is module_utils/hsa_options.py, and
tests/unit/test_hsa_options.py checks that the two agree option by option.
"""


class ModuleDocFragment:
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
  ca_file:
    description: PEM file of the CA(s) that issued the server certificate (else the system store).
    type: path
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
