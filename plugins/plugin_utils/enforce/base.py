# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What every enforcement family shares: the families and their role task files, the Enforcement of a check
type, the region's inputs, the changes for one workstation, and the registry of which check type each family
enforces. Families register themselves here (enforce/<family>.py), so the judges never import enforcement."""

import os

# The plan families, in the order the role applies them: family -> the role task file that applies its
# operations (one module call per family). The site list file is written before the policy points to it.
FAMILIES = {"site_list": "roles/webcert_workstation/tasks/site_list.yml",
            "registry": "roles/webcert_workstation/tasks/registry.yml",
            "services": "roles/webcert_workstation/tasks/services.yml",
            "certificates": "roles/webcert_workstation/tasks/certificates.yml",
            "features": "roles/webcert_workstation/tasks/features.yml",
            "card_clients": "roles/webcert_workstation/tasks/card_clients.yml",
            "time": "roles/webcert_workstation/tasks/time.yml"}

# check type name -> its Enforcement; filled by the family modules as they are imported (plan.py imports them all).
ENFORCEMENTS = {}


class Enforcement:
    """How a check type is enforced.

    build(control, inputs) -> the plan item (desired state, JSON-ready) of `family`;
    change(item, evidence) -> (operations by family, notes): what to do on this workstation.
    """

    def __init__(self, family, build, change):
        if family not in FAMILIES:
            raise ValueError("unknown enforcement family %r (known: %s)" % (family, ", ".join(FAMILIES)))
        self.family = family
        self.build = build
        self.change = change

    @property
    def role_tasks(self):
        return FAMILIES[self.family]


class Inputs:
    """The region's enforcement inputs from the inventory (role variables), checked when the plan is built."""

    def __init__(self, site_list=None, installers=None, certificate_files=None, ntp_server=None, base_dir=None):
        self.site_list = site_list or {}
        self.installers = installers or {}
        self.certificate_files = {str(k).upper(): v for k, v in (certificate_files or {}).items()}
        self.ntp_server = ntp_server or None
        self.base_dir = base_dir or os.getcwd()

    def path(self, path):
        return path if os.path.isabs(path) else os.path.join(self.base_dir, path)


class Changes:
    """Operations by family plus notes (what enforce leaves alone, and why), for one workstation."""

    def __init__(self):
        self.operations = {family: [] for family in FAMILIES}
        self.notes = []
        # Merged site lists for the region to publish, where Edge uses the region's own list (never re-pointed).
        self.region_site_lists = []

    def add(self, family, operation):
        self.operations[family].append(operation)

    def note(self, control_id, text, kind="left_alone"):
        """A control enforce does not change here, and why. `kind` sorts the notes for people: compliant (the
        judge passes it), not_applicable, not_judged (its state could not be read or judged), left_alone (it
        fails, but enforce lacks what it needs or must not write it: the text says what to do)."""
        self.notes.append({"control_id": control_id, "note": text, "kind": kind})

    def count(self, control_id):
        """Operations and notes this workstation has for one control so far."""
        return sum(op["control_id"] == control_id for ops in self.operations.values() for op in ops) + \
            sum(note["control_id"] == control_id for note in self.notes)


def op(control, **fields):
    return dict(control_id=control["control_id"], **fields)


def register(check_type_name, enforcement):
    """Declare that `enforcement` enforces check type `check_type_name` (a name the judges registered)."""
    ENFORCEMENTS[check_type_name] = enforcement
    return enforcement
