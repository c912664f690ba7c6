# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters that turn the control catalogue into enforce-mode work for roles/webcert_workstation."""


from ansible.errors import AnsibleFilterError

from ansible_collections.webcert.fleet.plugins.plugin_utils.enforcement import enforcement_plan, service_changes
from ansible_collections.webcert.fleet.plugins.plugin_utils.errors import WebcertError


def webcert_enforcement_plan(profile, settings=None, skip=None):
    """profile | webcert_enforcement_plan(settings, skip) -> {'registry', 'services', 'certificates'}."""
    try:
        return enforcement_plan(profile, settings or {}, skip or [])
    except WebcertError as exc:
        raise AnsibleFilterError(str(exc)) from None


def webcert_service_changes(planned, service_info_results):
    """planned services | webcert_service_changes(registered win_service_info loop results)."""
    observed = {}
    for result in service_info_results or []:
        for service in result.get("services") or []:
            observed[service["name"].casefold()] = service.get("start_mode")
    return service_changes(planned, observed)


class FilterModule:
    def filters(self):
        return {"webcert_enforcement_plan": webcert_enforcement_plan,
                "webcert_service_changes": webcert_service_changes}
