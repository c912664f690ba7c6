# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action plugin: audit every workstation whose evidence is a file, in one task on the controller.

A PC of an offline clinic is only a file in a drop folder: judging it needs no connection, so it should
not cost an Ansible worker process per host. For each of `hosts` that has webcert_evidence_file, this
judges the file exactly as webcert_audit_workstation would (the same code, workstation_audit.py, with
the same arguments validated the same way) and writes the subjects to a subjects file for
webcert_write_report. The other hosts are returned in `live_hosts` for the per-host play: those
without an evidence file (collected over WinRM/PSRP), and the few whose variables do not make valid
arguments, which fail there with the per-host action's own message.
"""

from ansible.plugins.action import ActionBase

from ansible_collections.webcert.fleet.plugins.modules import webcert_audit_workstation
from ansible_collections.webcert.fleet.plugins.modules.webcert_audit_evidence_files import DOCUMENTATION
from ansible_collections.webcert.fleet.plugins.plugin_utils.adapters.arguments import argument_spec, check_args, validate_args
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.subjects_file import write_subjects
from ansible_collections.webcert.fleet.plugins.plugin_utils.audit.workstation import audit_workstation

SPEC = argument_spec(DOCUMENTATION)
# What playbooks/audit.yml gives webcert_audit_workstation for a host, validated by the same spec.
WORKSTATION_SPEC = argument_spec(webcert_audit_workstation.DOCUMENTATION)
VARIABLES = {"webcert_profile": "profile", "webcert_settings": "settings", "webcert_evidence_file": "evidence_file",
             "webcert_user_evidence_file": "user_evidence_file", "webcert_clinic": "clinic",
             "webcert_care_unit_hsa_id": "care_unit_hsa_id"}


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _VALID_ARGS = frozenset(SPEC)

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = validate_args(self, SPEC)
        hostvars = (task_vars or {}).get("hostvars", {})
        try:
            catalogue = load_catalogue()
        except WebcertError as exc:
            return dict(result, failed=True, msg=str(exc))
        live, judged = [], []

        def subjects():  # one at a time into the file: 5,000 PCs' results never sit in memory together
            for host in args["hosts"]:
                host_args = self._arguments(hostvars, host, args.get("as_of"), task_vars or {})
                if host_args is None:
                    live.append(host)
                    continue
                judged.append(host)
                inventory_dir = host_args.pop("_inventory_dir")
                yield audit_workstation(catalogue, host, host_args, inventory_dir)

        path = write_subjects(subjects(), "workstations")
        return dict(result, changed=False, subjects_file=path, judged=len(judged), live_hosts=live)

    def _arguments(self, hostvars, host, as_of, task_vars):
        """The host's webcert_audit_workstation arguments, or None when it belongs on the per-host path."""
        try:
            given, inventory_dir = self._host_variables(hostvars, host, task_vars)
        except Exception:  # pylint: disable=broad-except  # a host var that cannot be templated: per host it says so
            return None
        if not given["evidence_file"]:
            return None
        given = {name: value for name, value in given.items() if value is not None}  # default(omit)
        given.setdefault("settings", {})
        given["as_of"] = as_of
        validated, problems = check_args(given, WORKSTATION_SPEC)
        if problems:
            return None
        validated["_inventory_dir"] = inventory_dir
        return validated

    def _host_variables(self, hostvars, host, task_vars):
        """The host's webcert_* variables as the per-host task would template them: its inventory variables
        with this play's variables (playbooks/rollout.yml sets webcert_rollout_phase on the audit it imports)."""
        # pylint: disable=protected-access  # HostVars keeps the inventory and variable manager privately
        manager, inventory = hostvars._variable_manager, hostvars._inventory
        variables = manager.get_vars(play=self._task.get_play(), host=inventory.get_host(host), task=self._task,
                                     _hosts=task_vars.get("ansible_play_hosts"),
                                     _hosts_all=task_vars.get("ansible_play_hosts_all"))
        templar = self._templar.copy_with_new_env(available_variables=variables)
        given = {argument: templar.template(variables[name]) if name in variables else None
                 for name, argument in VARIABLES.items()}
        return given, variables.get("inventory_dir")
