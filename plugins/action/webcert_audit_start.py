# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action plugin: start an audit run on the controller.

Loads and validates the catalogue, the region settings, the waiver file and the gate before any host
is touched,
so a bad input stops the run at once with an error naming it. Returns the run id and start time.
"""

import os


from ansible.plugins.action import ActionBase

from ansible_collections.webcert.fleet.plugins.modules.webcert_audit_start import DOCUMENTATION
from ansible_collections.webcert.fleet.plugins.plugin_utils.arguments import argument_spec, validate_args
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.gate import select_gate
from ansible_collections.webcert.fleet.plugins.plugin_utils.report import new_run_id, now_iso
from ansible_collections.webcert.fleet.plugins.plugin_utils.waivers import load_waivers


# Validated by type against the documentation of the action (plugins/modules/webcert_audit_start.py).
SPEC = argument_spec(DOCUMENTATION)

class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _VALID_ARGS = frozenset(SPEC)

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = validate_args(self, SPEC)
        try:
            catalogue = load_catalogue()
            catalogue.effective_settings(args.get("settings") or {})
            # Clinic or host level webcert_settings too: a bad value stops the run before any host.
            for settings in args.get("host_settings") or []:
                catalogue.effective_settings(settings)
            for profile in args.get("profiles") or []:
                if profile not in catalogue.profiles:
                    raise WebcertError("webcert_profile: unknown profile %r in the inventory (known: %s)"
                                       % (profile, ", ".join(sorted(catalogue.profiles))))
            waivers = load_waivers(args.get("waivers_file"), set(catalogue.by_id))
            select_gate(args.get("gate"), os.environ)  # GateError is a WebcertError
        except WebcertError as exc:
            return dict(result, failed=True, msg=str(exc))
        return dict(result, changed=False, run={"id": new_run_id(), "started_at": now_iso()},
                    controls=len(catalogue.controls), waivers=len(waivers))
