"""Action plugin: audit the region's HSA directory (care provider, care units, persons, organisation).

Runs on the controller: reads the region from the inventory (provider, clinics' care units and staff
lists, units registered with Inera), runs the read-only module webcert_hsa_provider, and judges what it
read into subjects with one result per directory control. Never fails the play for a directory
problem: a directory that is down, slow, refuses the bind or answers garbage gives `error` results for
the affected subjects; a region without a directory gives `not_reviewed`. The bind password is passed
to the module only (no_log there) and never appears in what this plugin returns.
"""

import datetime
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "module_utils"))

from ansible.inventory.helpers import sort_groups  # noqa: E402
from ansible.plugins.action import ActionBase  # noqa: E402
from ansible.vars.plugins import get_vars_from_inventory_sources  # noqa: E402

from webcert.catalogue import load_catalogue  # noqa: E402
from webcert.directory_checks import error_subjects, judge_directory  # noqa: E402
from webcert.errors import WebcertError  # noqa: E402
from webcert.hsa_rules import WEBCERT_ROLES  # noqa: E402

MODULE = "webcert_hsa_provider"
CONNECTION = ("uri", "base_dn", "bind_dn", "bind_password", "start_tls", "validate_certs", "ca_file",
              "connect_timeout", "search_timeout", "page_size")


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _VALID_ARGS = frozenset(CONNECTION + ("provider_hsa_id", "provider_name", "hosts", "care_units", "staff",
                                          "registered_units", "settings", "profile", "as_of"))

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        args = self._task.args
        try:
            catalogue = load_catalogue()
            settings = args.get("settings") or {}
            values = catalogue.effective_settings(settings)
            now = self._as_of(args.get("as_of"))
        except (WebcertError, ValueError) as exc:
            return dict(result, failed=True, msg=str(exc))
        try:
            region = self._region(args, task_vars.get("hostvars", {}))
        except Exception as exc:  # pylint: disable=broad-except  # a bug here must not lose the workstations
            region = {"provider_hsa_id": "", "care_units": [], "staff": [], "registered_units": None,
                      "base_dn": "c=SE", "input_errors": [
                          {"scope": scope, "message": "reading the region from the inventory failed: %s: %s"
                           % (type(exc).__name__, exc)} for scope in ("care_provider", "organisation")]}
        uris = args.get("uri")
        # A list, or one string with URIs separated by commas or spaces (e.g. from an environment variable).
        uris = uris.replace(",", " ").split() if isinstance(uris, str) else [u for u in uris or [] if u]
        data = None
        if not uris:
            region["not_configured"] = "no HSA directory configured for the region (webcert_hsa_uri is empty)"
        else:
            data, warnings = self._read(args, uris, region, values, task_vars)
            if warnings:
                result["warnings"] = warnings
        try:
            subjects = judge_directory(catalogue, settings, data, region, args.get("profile"), now)
        except Exception as exc:  # pylint: disable=broad-except  # never fail the play: say so per subject
            subjects = error_subjects(catalogue, settings, region, args.get("profile"),
                                      "judging the directory failed: %s: %s" % (type(exc).__name__, exc))
        summary = {"server": (data or {}).get("server"), "searches": (data or {}).get("searches", 0),
                   "errors": (data or {}).get("errors", {}), "failover": (data or {}).get("failover", []),
                   "inventory_errors": [e["message"] for e in region.get("input_errors", [])]}
        return dict(result, changed=False, subjects=subjects, directory=summary)

    def _read(self, args, uris, region, values, task_vars):
        """What the webcert_hsa_provider module read; a module that broke gives errors for every scope."""
        module_args = {name: args[name] for name in CONNECTION if args.get(name) not in (None, "")}
        module_args.update(uri=uris, provider_hsa_id=region["provider_hsa_id"] or "",
                           care_unit_hsa_ids=[u["hsa_id"] for u in region["care_units"]],
                           person_hsa_ids=[p["hsa_id"] for p in region["staff"]],
                           attribute_names=values.get("hsa_attribute_names") or {},
                           hsa_id_pattern=values.get("hsa_id_pattern"))
        try:
            reply = self._execute_module(module_name=MODULE, module_args=module_args, task_vars=task_vars)
        except Exception as exc:  # pylint: disable=broad-except
            reply = {"failed": True, "msg": "%s: %s" % (type(exc).__name__, exc)}
        if reply.get("failed") or not isinstance(reply.get("directory"), dict):
            # The module itself broke (bad arguments, ldap3 missing): every directory subject says so.
            reason = "the %s module failed: %s" % (MODULE, reply.get("msg", "no message"))
            data = {"provider_hsa_id": region["provider_hsa_id"],
                    "errors": {s: reason for s in ("provider", "units", "persons")}}
        else:
            data = dict(reply["directory"])
        return data, list(reply.get("warnings") or [])

    @staticmethod
    def _as_of(text):
        """Judge as of a given date (reproducible audits, tests); default now."""
        if not text:
            return datetime.datetime.now(datetime.timezone.utc)
        try:
            moment = datetime.datetime.fromisoformat(str(text))
        except ValueError:
            raise ValueError("as_of: %r is not an ISO date (YYYY-MM-DD[THH:MM:SS])" % text) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)

    @staticmethod
    def _region(args, hostvars):
        """The region as the inventory sees it: clinics' care units and staff lists from the hosts' vars.

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
                      % (_origin(hostvars, host, "webcert_care_unit_hsa_id"), unit))
                unit = None
            if clinic is not None and not isinstance(clinic, str):
                error("organisation", "webcert_clinic %s: %r is not a string" % (_origin(hostvars, host, "webcert_clinic"),
                                                                               clinic))
                clinic = None
            if unit:
                care_units.append({"hsa_id": unit, "clinic": clinic})
            origin = _origin(hostvars, host, "webcert_hsa_staff")
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
        return {"provider_hsa_id": provider, "provider_name": args.get("provider_name"),
                "care_units": units, "staff": people, "base_dn": args.get("base_dn") or "c=SE",
                "registered_units": list(registered) if registered is not None else None, "input_errors": errors}


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


def _origin(hostvars, host, name):
    """Where the inventory set `name` for `host`: extra vars, the host's own vars, or a group's vars.

    Uses the inventory behind hostvars; when that is not at hand, the host is named.
    """
    try:
        # pylint: disable=protected-access  # HostVars keeps the inventory and variable manager privately
        manager, inventory = hostvars._variable_manager, hostvars._inventory
        if name in (manager.extra_vars or {}):
            return EXTRA_VARS
        entry = inventory.get_host(host)
        sources, loader = inventory._sources, manager._loader
        if name in entry.vars or name in get_vars_from_inventory_sources(loader, sources, [entry], "task"):
            return "in host vars of %s" % host
        for group in reversed(sort_groups(entry.get_groups())):
            if name in group.vars or name in get_vars_from_inventory_sources(loader, sources, [group], "task"):
                return "in group vars of %s" % group.name
    except Exception:  # pylint: disable=broad-except
        pass
    return "of host %s" % host
