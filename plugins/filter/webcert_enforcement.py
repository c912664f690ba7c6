# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filter that turns the control catalogue into enforce-mode work for roles/webcert_workstation."""


from ansible.errors import AnsibleFilterError

from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.base import Inputs
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.plan import enforcement_plan
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.expect import parse_version, pattern_found, version_at_least


def webcert_enforcement_plan(profile, settings=None, skip=None, inputs=None):
    """profile | webcert_enforcement_plan(settings, skip, inputs) -> {family: [plan item, ...]}; no profile (None
    or empty) means the catalogue's default profile. `inputs` holds the role's site_list, installers,
    certificate_files, ntp_server and base_dir (relative paths). Fails naming the control or the input when the
    plan is invalid, for example when the management-channel guard rejects it."""
    try:
        catalogue = load_catalogue()
        return enforcement_plan(profile or catalogue.default_profile, settings or {}, skip or [], catalogue=catalogue,
                                inputs=Inputs(**(inputs or {})))
    except WebcertError as exc:
        raise AnsibleFilterError(str(exc)) from None


def webcert_installed_product(products, operation):
    """products | webcert_installed_product(card-client operation) -> {name, version, at_target}: the newest
    product matching the operation's name and publisher patterns, found as the audit finds it, and whether its
    version is at least the installer's (versions compared as the audit compares them)."""
    if not isinstance(products, list) or not isinstance(operation, dict):
        raise AnsibleFilterError("webcert_installed_product: expects the evidence's products (a list) and a "
                                 "card-client operation (a mapping)")
    found = [p for p in products if isinstance(p, dict) and pattern_found(operation.get("name_pattern"), p.get("name"))
             and pattern_found(operation.get("publisher_pattern"), p.get("publisher"))]
    newest = max(found, key=lambda p: parse_version(p.get("version")) or (), default=None)
    if newest is None:
        return {"name": None, "version": None, "at_target": False}
    return {"name": newest.get("name"), "version": newest.get("version"),
            "at_target": version_at_least(newest.get("version"), str(operation.get("version")))}


class FilterModule:
    def filters(self):
        return {"webcert_enforcement_plan": webcert_enforcement_plan,
                "webcert_installed_product": webcert_installed_product}
