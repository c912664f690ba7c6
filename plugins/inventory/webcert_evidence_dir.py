# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Inventory plugin: workstations from a folder of evidence files (offline clinics).

Clinics that cannot be reached over WinRM run scripts/Collect-WebcertEvidence.ps1 as a scheduled task,
which drops <COMPUTERNAME>.json on a share. This plugin turns that folder into workstation hosts,
each with webcert_evidence_file set, grouped into clinic groups by host-name patterns, so the audit
needs no hand-written host list.
"""

DOCUMENTATION = r"""
name: webcert_evidence_dir
short_description: Workstations from a folder of webcert-fleet evidence files
description:
  - Adds one host to the C(webcert_workstations) group per C(<name>.json) file in O(path), with the host
    variable C(webcert_evidence_file) pointing at that file, so C(playbooks/audit.yml) judges it offline.
  - Host names are the file names without C(.json), in lower case (the standalone collector names its file
    after C(%COMPUTERNAME%)).
  - Each host joins the first clinic group in O(clinics) whose patterns match its name; hosts that match no
    pattern join O(unassigned_group). Clinic variables (C(webcert_clinic), C(webcert_care_unit_hsa_id)) come
    from C(group_vars/<clinic group>.yml) as usual.
  - A C(<name>.user.<SID>.json) file (the collector's user-context run at logon, one per user; older
    collectors wrote C(<name>.user.json)) is no host of its own; the newest one of host C(<name>) sets its
    C(webcert_user_evidence_file), whose user certificates and HKCU policies it supplies.
  - The file contents are not read here; the audit validates each file and reports a broken one as C(error).
  - Two files whose names differ only in case, such as C(VCE-WS01.json) beside C(vce-ws01.json), stop the
    inventory with an error naming both, since one host cannot have two evidence files.
  - "The drop folder is writable from the clinic PCs, so a file in it is not trusted: a file named after the
    controller (C(localhost.json), C(127.0.0.1.json)), a name longer than Windows allows (15 characters for a
    computer name, NetBIOS; 253 for a DNS name, 63 per label), and, unless O(allow_links_outside), a link
    whose target is outside the folder are each skipped with one warning line naming the file and why.
    A FIFO, device or other file that is not a regular file becomes that PC's C(error) in the audit."
options:
  plugin:
    description: Marks this file as a configuration of this plugin.
    required: true
    choices: [webcert.fleet.webcert_evidence_dir, webcert_evidence_dir]
  path:
    description: The folder the standalone collector writes to (absolute, or relative to this file).
    type: str
    required: true
  clinics:
    description: Clinic group name -> list of shell-style host-name patterns (for example C(vce-*)).
    type: dict
    default: {}
  unassigned_group:
    description: Group (under C(webcert_workstations)) for hosts that match no clinic pattern.
    type: str
    default: clinic_unassigned
  allow_links_outside:
    description:
      - Also read files through links whose target is outside O(path), for regions whose drop share is built
        from links to each clinic's folder.
      - "Risk: anyone who can write to the drop folder can then make the audit read any JSON file the
        controller's user can read, and values of it may appear in a report's error text. Set it only when
        the folder is writable by the region's IT alone."
    type: bool
    default: false
"""

EXAMPLES = r"""
# inventories/<region>/offline.webcert_evidence.yml
plugin: webcert.fleet.webcert_evidence_dir
path: /srv/webcert-evidence
clinics:
  clinic_vardcentralen_exempel: ["vce-*"]
  clinic_mottagning_ost: ["mo-*"]
"""


import fnmatch
import os
import re

from ansible import constants
from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin
from ansible.utils.display import Display

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.host_names import host_name_problem

display = Display()
# Names that are the controller itself: a PC's file must never be audited (or enforced) as it.
CONTROLLER_NAMES = frozenset(name.lower() for name in constants.LOCALHOST) | {"localhost.localdomain"}


def _host_of(name):
    """vce-ws01.json / VCE-WS01.user.json / vce-ws01.user.<SID>.json -> vce-ws01."""
    match = USER_FILE.match(name)
    return match.group(1).lower() if match else name.lower()[:-len(".json")]


def refusal(folder, name, allow_links_outside):
    """Why the file `name` in `folder` is no PC's evidence, or None when it may be audited."""
    host = _host_of(name)
    if host in CONTROLLER_NAMES:
        return "it is named after the controller (%s), not a PC" % host
    problem = host_name_problem(host)
    if problem:
        return problem
    path = os.path.join(folder, name)
    if os.path.islink(path) and not allow_links_outside:
        target = os.path.realpath(path)
        if os.path.commonpath([target, os.path.realpath(folder)]) != os.path.realpath(folder):
            return ("it is a link to %s, outside the folder (option allow_links_outside reads such links)"
                    % target)
    return None


# A user-context evidence file: <host>.user.json or <host>.user.<SID>.json (a computer name has no dot).
USER_FILE = re.compile(r"^([^.]+)\.user(?:\.[^.]+)?\.json$", re.IGNORECASE)


class InventoryModule(BaseInventoryPlugin):
    NAME = "webcert.fleet.webcert_evidence_dir"

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(("webcert_evidence.yml", "webcert_evidence.yaml"))

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        folder = os.path.expanduser(self.get_option("path"))
        if not os.path.isabs(folder):
            folder = os.path.join(os.path.dirname(os.path.abspath(path)), folder)
        if not os.path.isdir(folder):
            raise AnsibleParserError("%s: option 'path': %s is not a folder" % (path, folder))
        clinics = self.get_option("clinics") or {}
        for group, patterns in clinics.items():
            if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
                raise AnsibleParserError("%s: option 'clinics': %r must map to a list of host-name patterns"
                                         % (path, group))
        unassigned = self.get_option("unassigned_group")
        allow_links_outside = self.get_option("allow_links_outside")

        self.inventory.add_group("webcert_workstations")
        names = []
        for name in sorted(os.listdir(folder)):
            if not name.lower().endswith(".json") or name.startswith("."):
                continue  # the collector writes <name>.json.<pid>.tmp first: skip half-written files
            why = refusal(folder, name, allow_links_outside)
            if why:
                # One bad file costs only itself: the rest of the region is audited.
                display.warning("%s: skipped %s: %s" % (path, os.path.join(folder, name), why))
                continue
            names.append(name)
        # The logon (user-context) run writes <name>.user.<SID>.json (one per user; older collectors
        # <name>.user.json) beside the machine run's <name>.json; the newest one is the host's.
        user_files = {}
        for name in names:
            match = USER_FILE.match(name)
            if match:
                user_files.setdefault(match.group(1).lower(), []).append(name)
        user_files = {host: max(found, key=lambda n: (os.path.getmtime(os.path.join(folder, n)), n))
                      for host, found in user_files.items()}
        files = {}
        for name in names:
            key = name.lower()
            if key in files:
                # VCE-WS01.json beside vce-ws01.json: one host, two files; which one is current is not ours to guess.
                raise AnsibleParserError("%s: %s holds both %s and %s, two evidence files for host %s (names differ "
                                         "only in case); remove the older one" % (path, folder, files[key], name,
                                                                                  key[:-len(".json")]))
            files[key] = name
        for name in files.values():  # the evidence files, in name order, each host's once
            if USER_FILE.match(name):
                continue
            host = name[:-len(".json")].lower()
            group = next((g for g, patterns in clinics.items()
                          if any(fnmatch.fnmatchcase(host, p.lower()) for p in patterns)), unassigned)
            self.inventory.add_group(group)
            self.inventory.add_child("webcert_workstations", group)
            self.inventory.add_host(host, group=group)
            self.inventory.set_variable(host, "webcert_evidence_file", os.path.join(folder, name))
            if host in user_files:
                self.inventory.set_variable(host, "webcert_user_evidence_file", os.path.join(folder, user_files[host]))
