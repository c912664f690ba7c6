# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The HSA connection options as the webcert_hsa_provider module validates them (Ansible argument_spec
form). They are documented once, in the doc fragment webcert.fleet.webcert_hsa, which the directory
action validates against directly; a module cannot import a doc fragment, so this spec sits beside it and
tests/unit/test_hsa_options.py checks that both name the same options with the same types and defaults.
"""

CONNECTION_OPTIONS = {
    "base_dn": {"type": "str", "default": "c=SE"},
    "bind_dn": {"type": "str"},
    "bind_password": {"type": "str", "no_log": True},
    "start_tls": {"type": "bool", "default": False},
    "validate_certs": {"type": "bool", "default": True},
    "ca_file": {"type": "path"},
    "connect_timeout": {"type": "int", "default": 5},
    "search_timeout": {"type": "int", "default": 30},
    "page_size": {"type": "int", "default": 500},
}


def connection_argument_spec():
    """A copy of the options' argument spec."""
    return {name: dict(option) for name, option in CONNECTION_OPTIONS.items()}
