# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action plugin: start an audit run on the controller.

Loads and validates the catalogue, the region settings, every workstation's settings, profile and HSA-ids,
the waiver file, the gate and the reports folder before any host is touched, so a bad input stops the run
at once with an error naming it (and the group or host that set it). Inventory shapes that are legal but
probably not meant (a host in two clinics, a clinic without a care unit, no workstations at all) are
warnings. Returns the run id and start time.
"""

import os

from ansible.plugins.action import ActionBase

from ansible_collections.webcert.fleet.plugins.modules.webcert_audit_start import DOCUMENTATION
from ansible_collections.webcert.fleet.plugins.plugin_utils.adapters.arguments import argument_spec, validate_args
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WaiverError, WebcertError, kind_of, plain
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.gate import select_gate
from ansible_collections.webcert.fleet.plugins.plugin_utils.adapters.inventory_vars import clinic_groups, origin
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.write import check_reports_dir, file_mode, new_run_id, now_iso
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.waivers import load_waivers

# Validated by type against the documentation of the action (plugins/modules/webcert_audit_start.py).
SPEC = argument_spec(DOCUMENTATION)
WAIVERS_VAR = "webcert_waivers_file"


def _unknown_profile(catalogue, profile):
    return "webcert_profile: unknown profile %r in the inventory (known: %s)" % (
        profile, ", ".join(sorted(catalogue.profiles)))


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _VALID_ARGS = frozenset(SPEC)

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        args = validate_args(self, SPEC)
        hostvars = task_vars.get("hostvars", {})
        warnings = []
        try:
            catalogue = load_catalogue()
            values = catalogue.effective_settings(args.get("settings") or {})
            file_mode(values["report_file_mode"])
            # Clinic or host level webcert_settings too: a bad value stops the run before any host.
            self._check_hosts(catalogue, args, hostvars, warnings)
            self._hsa_id("webcert_care_provider_hsa_id", args.get("care_provider_hsa_id"), "the region")
            waivers = load_waivers(self._waivers_file(args, task_vars), set(catalogue.by_id))
            select_gate(args.get("gate"), os.environ)  # GateError is a WebcertError
            if args.get("reports_dir"):
                check_reports_dir(os.path.abspath(args["reports_dir"]))
        except WebcertError as exc:
            return dict(result, failed=True, msg=str(exc))
        if warnings:
            result["warnings"] = warnings
        return dict(result, changed=False, run={"id": new_run_id(), "started_at": now_iso()},
                    controls=len(catalogue.controls), waivers=len(waivers), start_warnings=warnings)

    def _waivers_file(self, args, task_vars):
        """The waiver file; a webcert_waivers_file that is set but resolves to nothing is an error, never
        "no waivers" (waived results would come back failed, and the run exit 0)."""
        path = args.get("waivers_file")
        if path is not None or WAIVERS_VAR not in task_vars:
            return path
        # The playbook's default(omit) hides a variable whose template fails (say {{ inventory_dir }} for a
        # controller that no inventory file lists): resolve it here to say why.
        try:
            resolved = self._templar.template(task_vars[WAIVERS_VAR])
        except Exception as exc:  # pylint: disable=broad-except  # any templating error: name it
            raise WaiverError("%s is set (%r) but does not resolve on the controller: %s. In an inventory built only "
                              "by a plugin, localhost has no inventory_dir: use an absolute path or "
                              "{{ playbook_dir }}" % (WAIVERS_VAR, str(task_vars[WAIVERS_VAR]),
                                                      str(exc).splitlines()[0])) from None
        return "" if resolved is None else resolved

    @staticmethod
    def _hsa_id(name, value, where):
        """An HSA-id from the inventory must be text: a number (or a list) is caught here, not after judging."""
        if value is not None and not isinstance(value, str):
            raise WebcertError("%s %s: %r is %s, not an HSA-id (text such as SE5591234561-1001; quote it in YAML)"
                               % (name, where, value, kind_of(value)))

    def _check_hosts(self, catalogue, args, hostvars, warnings):
        """Every workstation's settings, profile and care unit HSA-id, naming where each was set; clinic
        groups that are probably not meant as they are become warnings."""
        hosts = args.get("hosts")
        if hosts is None:
            return
        if not hosts:
            warnings.append("the inventory has no hosts in group webcert_workstations: no workstation is audited, "
                            "and no clinic's care unit or staff list is read from HSA")
        checked = set()
        for host in hosts:
            try:
                variables = hostvars[host]
                settings = plain(variables.get("webcert_settings"))
                unit = plain(variables.get("webcert_care_unit_hsa_id"))
                profile = plain(variables.get("webcert_profile"))
            except Exception as exc:  # pylint: disable=broad-except  # a variable whose template fails
                raise WebcertError("host %s: its variables cannot be resolved: %s" % (host, str(exc).splitlines()[0]))
            if settings is not None and ("settings", repr(settings)) not in checked:
                checked.add(("settings", repr(settings)))
                try:
                    catalogue.effective_settings(settings)
                except WebcertError as exc:
                    raise WebcertError("%s (set %s)" % (exc, origin(hostvars, host, "webcert_settings"))) from None
            if profile is not None and profile not in catalogue.profiles:
                raise WebcertError("%s (set %s)" % (_unknown_profile(catalogue, profile),
                                                    origin(hostvars, host, "webcert_profile")))
            if unit is not None and not isinstance(unit, str):
                where = "(set %s)" % origin(hostvars, host, "webcert_care_unit_hsa_id")
                self._hsa_id("webcert_care_unit_hsa_id", unit, where)
        clinics = clinic_groups(hostvars)
        seen = {}
        for group, members in sorted(clinics.items()):
            for host in members:
                seen.setdefault(host, []).append(group)
            if members and not any(hostvars[h].get("webcert_care_unit_hsa_id") for h in members):
                warnings.append("clinic group %s has no webcert_care_unit_hsa_id: its care unit is not audited in HSA "
                                "and its workstations carry no care unit" % group)
        for host, groups in sorted(seen.items()):
            if len(groups) > 1:
                clinic = hostvars[host].get("webcert_clinic")
                # Said in words: "under clinic None" tells a person nothing.
                under = "under clinic %r" % clinic if clinic else "with no clinic name (webcert_clinic is not set)"
                warnings.append("host %s is in %d clinic groups (%s): it is reported once, %s; take it "
                                "out of all but one" % (host, len(groups), ", ".join(groups), under))
