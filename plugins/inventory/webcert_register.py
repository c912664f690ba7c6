# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Inventory plugin: a region's clinics and PCs from the register regional IT keeps (CSV or YAML).

The parsing and validation live in plugins/plugin_utils/rollout/register.py; this plugin turns the validated
register into groups. It adds nothing until every row has been validated, so a bad register stops the
run (ansible.cfg sets any_unparsed_is_failed) instead of auditing or enforcing fewer PCs.
"""

DOCUMENTATION = r"""
name: webcert_register
short_description: Clinics and workstations from the region's register (CSV or YAML)
description:
  - Reads the region register named by O(path) and adds every PC to its clinic group under
    C(webcert_workstations), exactly as a hand-written region inventory does. The clinic group is
    C(clinic_) plus the clinic name in lower-case ASCII (C(Vårdcentralen Exempel) -> C(clinic_vardcentralen_exempel))
    and carries C(webcert_clinic), C(webcert_care_unit_hsa_id), C(webcert_wave) and, when the register gives one,
    C(webcert_maintenance_window).
  - For targeting, every PC is also in C(wave_<n>) and in C(care_unit_<HSA-id in lower case, - as _>)
    (for example C(care_unit_se5591234561_1001)), so C(--limit 'localhost,wave_1') picks a wave.
  - Each PC gets C(ansible_connection) from the register's connection kind (C(psrp), C(winrm), or C(ssh) with
    C(ansible_shell_type=powershell)). How to authenticate stays in C(group_vars) (vault or environment).
  - "CSV: UTF-8 with or without a byte-order mark, C(;) or C(,) between cells (found from the header row),
    one header row (empty header cells after the last column, as Excel writes them, are ignored when their
    column is empty in every row). Columns (header case and spaces do not matter; O(columns) maps other headers): C(clinic), C(care_unit_hsa_id), C(hosts),
    C(connection), optional C(maintenance_window) and C(wave) (default 1). C(hosts) holds one or more names
    separated by spaces or commas; C(name[01:40]) is a range. A clinic may take several rows; they must agree
    on care unit, window and wave."
  - "YAML: a mapping with a list C(clinics), one mapping per clinic with the same keys (C(hosts) may be a list)."
  - "Every row is validated first: a bad HSA-id, a duplicate host, a host in two clinics, an unknown column,
    an empty clinic (or any other empty required cell), an unknown connection kind, an unreadable window or wave,
    a host name longer than Windows allows (15 characters for a computer name, NetBIOS; 253 for a DNS name,
    63 per label) is an error naming the file, the line and the column, and nothing of the register is loaded."
  - "Maintenance windows are spans in Swedish local time separated by C(|), for example
    C(Mon-Fri 18:00-06:00 | Sat,Sun 08:00-16:00); a span ending before it starts runs past midnight."
options:
  plugin:
    description: Marks this file as a configuration of this plugin.
    required: true
    choices: [webcert.fleet.webcert_register, webcert_register]
  path:
    description: The register file (C(.csv), C(.yml) or C(.yaml)), absolute or relative to this file.
    type: str
    required: true
  columns:
    description:
      - "CSV: our column name -> the header of that column in the region's file, for registers kept in Swedish,
        for example C(care_unit_hsa_id: Vårdenhetens HSA-id). Columns not named here keep their own header.
        A required column whose mapped header the file lacks is named with the header that was tried."
    type: dict
    default: {}
  encoding:
    description:
      - The text encoding of a register that is not UTF-8, for regions whose export cannot be saved as
        C(CSV UTF-8), for example C(cp1252) (Excel's "CSV" on a Swedish Windows). Default UTF-8, with or
        without a byte-order mark.
    type: str
"""

EXAMPLES = r"""
# inventories/<region>/region.webcert_register.yml
plugin: webcert.fleet.webcert_register
path: files/register.csv

# files/register.csv, as a spreadsheet exports it:
#   Clinic;Care unit HSA-id;Hosts;Connection;Maintenance window;Wave
#   Vårdcentralen Exempel;SE5591234561-1001;vce-ws[01:04];psrp;Mon-Fri 18:00-06:00;1
#   Mottagning Öst;SE5591234561-1002;mo-ws01 mo-ws02 mo-ws03 mo-ws04;psrp;;2

# A register kept in Swedish, exported from Excel as "CSV" (Windows-1252), adds to the file above:
#   encoding: cp1252
#   columns:
#     clinic: Mottagning
#     care_unit_hsa_id: Vårdenhetens HSA-id
#     hosts: Datorer
#     connection: Anslutning
#     maintenance_window: Servicefönster
#     wave: Våg
"""

import os

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.rollout.register import CONNECTION_VARS, group_name, load_register


class InventoryModule(BaseInventoryPlugin):
    NAME = "webcert.fleet.webcert_register"

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(("webcert_register.yml", "webcert_register.yaml"))

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        register_path = os.path.expanduser(self.get_option("path"))
        if not os.path.isabs(register_path):
            register_path = os.path.join(os.path.dirname(os.path.abspath(path)), register_path)
        try:
            register = load_register(register_path, columns=self.get_option("columns"),
                                     encoding=self.get_option("encoding"))
        except WebcertError as exc:
            raise AnsibleParserError(str(exc)) from None

        # Only now, with every row valid, is anything added.
        self.inventory.add_group("webcert_workstations")
        for group, clinic in sorted(register["clinics"].items(), key=lambda item: (item[1]["wave"], item[0])):
            self.inventory.add_group(group)
            self.inventory.add_child("webcert_workstations", group)
            self.inventory.set_variable(group, "webcert_clinic", clinic["clinic"])
            self.inventory.set_variable(group, "webcert_care_unit_hsa_id", clinic["care_unit_hsa_id"])
            self.inventory.set_variable(group, "webcert_wave", clinic["wave"])
            if clinic["maintenance_window"]:
                self.inventory.set_variable(group, "webcert_maintenance_window", clinic["maintenance_window"])
            wave_group = self.inventory.add_group("wave_%d" % clinic["wave"])
            unit_group = self.inventory.add_group(group_name("care_unit_", clinic["care_unit_hsa_id"]))
            for host in clinic["hosts"]:
                self.inventory.add_host(host, group=group)
                self.inventory.add_host(host, group=wave_group)
                self.inventory.add_host(host, group=unit_group)
                for name, value in CONNECTION_VARS[clinic["connection"][host]].items():
                    self.inventory.set_variable(host, name, value)
