# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The HSA connection options, declared once: the argument spec of webcert_hsa_provider (via
hsa_ldap.CONNECTION_ARGUMENT_SPEC), the validated arguments of the webcert_audit_directory action and the
doc fragment webcert.fleet.webcert_hsa (which both plugins' documentation extends) all come from here.
"""

# name -> the option as ansible-doc documents it, plus no_log where the value is secret.
CONNECTION_OPTIONS = {
    "base_dn": {"description": "Search base; HSA's root is C(c=SE).", "type": "str", "default": "c=SE"},
    "bind_dn": {"description": "DN of a read-only account to bind as (anonymous when omitted).", "type": "str"},
    "bind_password": {"description": "Password of O(bind_dn). Never logged, returned or written to a report.",
                      "type": "str", "no_log": True},
    "start_tls": {"description": "Upgrade C(ldap://) connections with StartTLS before binding.", "type": "bool",
                  "default": False},
    "validate_certs": {"description": "Validate the server certificate and its name. Turn off only for a throwaway "
                                      "test directory.", "type": "bool", "default": True},
    "ca_file": {"description": "PEM file of the CA(s) that issued the server certificate (else the system store).",
                "type": "path"},
    "connect_timeout": {"description": "Seconds to wait for a TCP/TLS connection per server.", "type": "int",
                        "default": 5},
    "search_timeout": {"description": "Seconds to wait for each answer (also the server-side time limit of each "
                                      "search).", "type": "int", "default": 30},
    "page_size": {"description": "Entries per page of a paged search (RFC 2696).", "type": "int", "default": 500},
}
# Keys of an option that belong in an argument spec (the rest is documentation).
SPEC_KEYS = ("type", "default", "no_log", "elements")


def connection_argument_spec():
    """The options in Ansible argument_spec form."""
    return {name: {key: option[key] for key in SPEC_KEYS if key in option}
            for name, option in CONNECTION_OPTIONS.items()}


def connection_documentation():
    """The options in ansible-doc form (no_log is not a documentation key)."""
    return {name: {key: value for key, value in option.items() if key != "no_log"}
            for name, option in CONNECTION_OPTIONS.items()}
