# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The region as the inventory describes it, for the directory audit: the clinics' care units, the staff
they expect in HSA, the care units registered with Inera. Inventory input is checked entry by entry, so a
malformed entry costs the subjects it concerns, never the audit.
"""

import datetime

from ansible_collections.webcert.fleet.plugins.module_utils.hsa_rules import WEBCERT_ROLES

EXTRA_VARS = "from extra vars (-e)"
STAFF_FIELDS = ("name", "role", "care_unit_hsa_id", "clinic")
STAFF_SHAPE = "a mapping with hsa_id and optional %s" % ", ".join(STAFF_FIELDS)


def _entries(listed, where, error, scope, **about):
    """(index, entry) of an inventory list; a value that is not a list is one input error."""
    if listed is None:
        return []
    if not isinstance(listed, list):
        error(scope, "%s: %r is not a list" % (where, listed), **about)
        return []
    return list(enumerate(listed))


def _kind(value):
    """A plain word for a value's type (Ansible hands over its own str and list subclasses)."""
    for python_type, word in ((str, "a string"), (bool, "a boolean"), (int, "a number"), (float, "a number"),
                              (list, "a list"), (dict, "a mapping")):
        if isinstance(value, python_type):
            return word
    return "a %s" % type(value).__name__


def _unit_problem(unit):
    if not isinstance(unit, dict):
        return "%r is %s, not a mapping with hsa_id and optional clinic" % (str(unit), _kind(unit))
    if not isinstance(unit.get("hsa_id"), str) or not unit["hsa_id"]:
        return "hsa_id %r is not an HSA-id string" % (unit.get("hsa_id"),)
    if unit.get("clinic") is not None and not isinstance(unit["clinic"], str):
        return "clinic %r is not a string" % (unit["clinic"],)
    return None


def _add_person(staff, person, where, unit, clinic, error, concerns=None):
    """Add a staff entry; a malformed one becomes an input error for the persons it concerns."""
    if not isinstance(person, dict):
        error("person", "%s: %r is %s, not %s" % (where, str(person), _kind(person), STAFF_SHAPE),
              care_unit_hsa_id=concerns)
        return
    hsa_id = person.get("hsa_id")
    if not isinstance(hsa_id, str) or not hsa_id:
        error("person", "%s: hsa_id %r is not an HSA-id string (%s)" % (where, hsa_id, STAFF_SHAPE),
              care_unit_hsa_id=concerns)
        return
    bad = ["%s %r is not a string" % (k, person[k]) for k in STAFF_FIELDS if person.get(k) is not None
           and not isinstance(person[k], str)]
    if isinstance(person.get("role"), str) and person["role"].upper() not in WEBCERT_ROLES:
        bad.append("role %r is not one of %s" % (person["role"], ", ".join(WEBCERT_ROLES)))
    own_unit = person.get("care_unit_hsa_id") if isinstance(person.get("care_unit_hsa_id"), str) else None
    entry = {"hsa_id": hsa_id, "care_unit_hsa_id": own_unit or unit,
             "clinic": person.get("clinic") if isinstance(person.get("clinic"), str) else clinic}
    if bad:
        # The person is still audited; every result says the clinic's list could not be read for them.
        error("person", "%s (%s): %s" % (where, hsa_id, "; ".join(bad)), hsa_id=hsa_id)
    else:
        entry.update(name=person.get("name"), role=person.get("role"))
    staff.append(entry)


def read_region(args, hostvars, origin_of):
    """The region as the inventory sees it: clinics' care units and staff lists from the hosts' vars.

    `hostvars` maps host -> its variables; `origin_of(host, name)` says where the inventory set a variable
    (EXTRA_VARS for -e), for messages.

    Inventory input is checked entry by entry: a malformed entry is left out and becomes an input
    error (naming the variable, where it was set and the entry index) for the subjects it affects.
    """
    errors, seen_errors = [], set()

    def error(scope, message, **about):
        if (scope, message) not in seen_errors:
            seen_errors.add((scope, message))
            errors.append(dict(about, scope=scope, message=message))

    care_units, staff = [], []
    for index, unit in _entries(args.get("care_units"), "care_units", error, "organisation"):
        problem = _unit_problem(unit)
        if problem:
            error("organisation", "care_units entry %d: %s" % (index, problem))
        else:
            care_units.append({"hsa_id": unit["hsa_id"], "clinic": unit.get("clinic")})
    for index, person in _entries(args.get("staff"), "staff", error, "person"):
        _add_person(staff, person, "staff entry %d" % index, None, None, error)
    hosts = args.get("hosts") or []
    if not isinstance(hosts, list):
        error("organisation", "hosts: %r is not a list of inventory host names" % (hosts,))
        hosts = []
    for host in hosts:
        variables = hostvars.get(host, {}) if host in hostvars else {}
        unit = variables.get("webcert_care_unit_hsa_id")
        clinic = variables.get("webcert_clinic")
        if unit is not None and not isinstance(unit, str):
            error("organisation", "webcert_care_unit_hsa_id %s: %r is not a string (an HSA-id)"
                  % (origin_of(host, "webcert_care_unit_hsa_id"), unit))
            unit = None
        if clinic is not None and not isinstance(clinic, str):
            error("organisation", "webcert_clinic %s: %r is not a string" % (origin_of(host, "webcert_clinic"),
                                                                             clinic))
            clinic = None
        if unit:
            care_units.append({"hsa_id": unit, "clinic": clinic})
        origin = origin_of(host, "webcert_hsa_staff")
        where = "webcert_hsa_staff %s" % origin
        # A list given with -e replaces every clinic's list: its errors concern all persons.
        concerns = None if origin == EXTRA_VARS else unit
        listed = variables.get("webcert_hsa_staff")
        for index, person in _entries(listed, where, error, "person", care_unit_hsa_id=concerns):
            _add_person(staff, person, "%s, entry %d" % (where, index), unit, clinic, error, concerns)
    # Every PC of a clinic carries the clinic's group vars: keep each unit, and each person per unit, once.
    units, people, seen = [], [], set()
    for unit in care_units:
        key = ("unit", unit["hsa_id"].casefold())
        if unit["hsa_id"] and key not in seen:
            seen.add(key)
            units.append(unit)
    for person in staff:
        key = ("person", person["hsa_id"].casefold(), (person.get("care_unit_hsa_id") or "").casefold())
        if key not in seen:
            seen.add(key)
            people.append(person)
    provider = args.get("provider_hsa_id") or ""
    if not isinstance(provider, str):
        for scope in ("care_provider", "organisation"):
            error(scope, "webcert_care_provider_hsa_id: %r is not a string (an HSA-id)" % (provider,))
        provider = ""
    registered = args.get("registered_units")
    if registered is not None and (not isinstance(registered, list)
                                   or not all(isinstance(r, str) for r in registered)):
        error("organisation", "webcert_hsa_registered_units: %r is not a list of HSA-ids" % (registered,))
        registered = None
    agreement = _inera_agreement(args.get("inera_agreement"), error)
    return {"provider_hsa_id": provider, "provider_name": args.get("provider_name"),
            "care_units": units, "staff": people, "base_dn": args.get("base_dn") or "c=SE",
            "registered_units": list(registered) if registered is not None else None,
            "declared": {"inera_agreement": agreement}, "input_errors": errors}


def _inera_agreement(value, error):
    """webcert_inera_agreement {signed, date, reference} (REQ-ORG-1, a declared fact), or None with an error."""
    if value is None:
        return None
    where = "webcert_inera_agreement"
    if not isinstance(value, dict) or not isinstance(value.get("signed"), bool):
        error("organisation", "%s: %r must be a mapping with signed: true or false (and date, reference)"
              % (where, value))
        return None
    unknown = sorted(set(value) - {"signed", "date", "reference"})
    if unknown:
        error("organisation", "%s: unknown field(s) %s (known: signed, date, reference)" % (where, ", ".join(unknown)))
        return None
    date = value.get("date")
    if date is not None:
        try:
            date = datetime.date.fromisoformat(str(date)).isoformat()
        except ValueError:
            error("organisation", "%s: date %r is not a date (YYYY-MM-DD)" % (where, date))
            return None
    reference = value.get("reference")
    if reference is not None and not isinstance(reference, str):
        error("organisation", "%s: reference %r is not text" % (where, reference))
        return None
    return {"signed": value["signed"], "date": date, "reference": reference}
