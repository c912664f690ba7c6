# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Where the inventory set a variable, and which clinic groups it has: for messages that name the group or
host file to fix. Controller-only (it reads Ansible's inventory behind hostvars)."""

from ansible.inventory.helpers import sort_groups
from ansible.vars.plugins import get_vars_from_inventory_sources

from ansible_collections.webcert.fleet.plugins.plugin_utils.audit.region import EXTRA_VARS

WORKSTATIONS = "webcert_workstations"


def _inventory(hostvars):
    # pylint: disable=protected-access  # HostVars keeps the inventory and variable manager privately
    return hostvars._variable_manager, hostvars._inventory


def origin(hostvars, host, name):
    """Where the inventory set `name` for `host`: extra vars, the host's own vars, or a group's vars.

    Uses the inventory behind hostvars; when that is not at hand, the host is named.
    """
    try:
        manager, inventory = _inventory(hostvars)
        if name in (manager.extra_vars or {}):
            return EXTRA_VARS
        entry = inventory.get_host(host)
        sources, loader = inventory._sources, manager._loader  # pylint: disable=protected-access
        if name in entry.vars or name in get_vars_from_inventory_sources(loader, sources, [entry], "task"):
            return "in host vars of %s" % host
        for group in reversed(sort_groups(entry.get_groups())):
            if name in group.vars or name in get_vars_from_inventory_sources(loader, sources, [group], "task"):
                return "in group vars of %s" % group.name
    except Exception:  # pylint: disable=broad-except
        pass
    return "of host %s" % host


def clinic_groups(hostvars):
    """{clinic group: [hosts]}: the child groups of webcert_workstations (each a clinic); {} when the
    inventory is not at hand."""
    try:
        inventory = _inventory(hostvars)[1]
        parent = inventory.groups.get(WORKSTATIONS)
    except Exception:  # pylint: disable=broad-except
        return {}
    if parent is None:
        return {}
    return {group.name: sorted(host.name for host in group.get_hosts()) for group in parent.child_groups}
