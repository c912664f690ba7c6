# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filter that turns the control catalogue into enforce-mode work for roles/webcert_workstation."""


from ansible.errors import AnsibleFilterError

from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.base import Inputs
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.plan import enforcement_plan
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError


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


class FilterModule:
    def filters(self):
        return {"webcert_enforcement_plan": webcert_enforcement_plan}
