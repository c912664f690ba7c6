# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The directory audit: the provider's directory data plus the region's inventory -> subjects, each judged
against the directory controls of its scope (the judges are in directory_checks.py)."""

import datetime

from ansible_collections.webcert.fleet.plugins.module_utils import hsa_rules as rules
from ansible_collections.webcert.fleet.plugins.module_utils.hsa_dn import dn_key, parent_dns
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.directory import (
    DIRECTORY_SCOPES, entry_name, first, person_role, values)
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.judge import judge_evidence
from ansible_collections.webcert.fleet.plugins.plugin_utils.results.model import fail_subject, make_result, make_subject


class DirectoryView:
    """Indexes of one provider's directory data: entries by HSA-id and by DN, a commission's care unit."""

    def __init__(self, data):
        self.dn_key, self.parent_dns = dn_key, parent_dns
        self.data = data
        self.provider = data.get("provider")
        everything = ([self.provider] if self.provider else []) + data.get("units", []) + data.get("persons", []) + \
            data.get("others", [])
        self.by_id, self.by_dn = {}, {}
        for entry in everything + data.get("commissions", []):
            self.by_dn[dn_key(entry["dn"])] = entry
        # HSA-id (casefolded) -> DNs of every entry carrying it, when more than one does: HSA-ids are unique,
        # so the subject is an error naming every entry rather than judged on whichever came first.
        seen = {}
        for entry in everything:
            hsa_id = first(entry, "hsa_id")
            if hsa_id:
                self.by_id.setdefault(hsa_id.casefold(), entry)
                seen.setdefault(hsa_id.casefold(), []).append(entry["dn"])
        self.duplicates = {key: dns for key, dns in seen.items() if len(dns) > 1}
        self.provider_dn = dn_key(self.provider["dn"]) if self.provider else None
        # Person HSA-id (casefolded) -> [(commission, hsaCommissionMember value)], in directory order:
        # indexed once, so finding each person's memberships does not scan every commission again.
        self._unit_of, self._under = {}, None
        self.members = {}
        for commission in data.get("commissions", []):
            for value in values(commission, "commission_member"):
                self.members.setdefault(rules.commission_member_id(value).casefold(), []).append((commission, value))

    def get(self, hsa_id):
        return self.by_id.get((hsa_id or "").casefold())

    def under_provider(self, entry):
        return self.provider_dn is not None and self.provider_dn in [self.dn_key(p) for p in self.parent_dns(entry["dn"])]

    def care_units(self):
        """Care units of the provider: marked hsaHealthCareUnit, and inside its tree or pointing at it."""
        wanted = (self.data.get("provider_hsa_id") or "").casefold()
        return [u for u in self.data.get("units", []) if "care_unit" in u.get("markers", [])
                and (self.under_provider(u) or (first(u, "responsible_provider") or "").casefold() == wanted)]

    def care_unit_of(self, commission):
        """The commission's care unit comes from its DN: the nearest ancestor marked as a care unit."""
        key = self.dn_key(commission["dn"])
        if key not in self._unit_of:  # worked out once per commission: every member asks again
            ancestors = (self.by_dn.get(self.dn_key(parent)) for parent in self.parent_dns(commission["dn"]))
            self._unit_of[key] = next((entry for entry in ancestors
                                       if entry is not None and "care_unit" in entry.get("markers", [])), None)
        return self._unit_of[key]

    def commissions_under(self, unit):
        if self._under is None:  # each unit's commissions, in directory order, indexed once
            self._under = {}
            for commission in self.data.get("commissions", []):
                self._under.setdefault(id(self.care_unit_of(commission)), []).append(commission)
        return list(self._under.get(id(unit), []))

    def member_of(self, hsa_id):
        return [first(u, "hsa_id") for u in self.data.get("units", [])
                if hsa_id.casefold() in [m.casefold() for m in values(u, "unit_members")]]

    def memberships(self, person_hsa_id, end_inclusive=True):
        """[link] for each commission that lists the person, with the member value's own dates."""
        links = []
        for commission, value in self.members.get(person_hsa_id.casefold(), []):
            link = {"commission": commission, "member_value": value, "member_start": None, "member_end": None,
                    "member_problem": None}
            try:
                _unused, link["member_start"], link["member_end"] = rules.parse_commission_member(value, end_inclusive)
            except ValueError as exc:
                link["member_problem"] = "membership value: %s" % exc
            unit = self.care_unit_of(commission)
            link["unit_entry"] = unit
            link["unit_hsa_id"] = first(unit, "hsa_id") if unit else None
            links.append(link)
        return links


def _error_for(data, scope):
    errors = (data or {}).get("errors") or {}
    return errors.get(scope)


def _affects(problem, subject, scope, units=()):
    """Whether an inventory input error concerns a subject: same scope, and the same HSA-id or one of its
    care units when the error names one (a malformed staff entry of a clinic concerns the persons on the
    clinic's care unit: listed there, or a member of a commission there)."""
    if problem["scope"] != scope:
        return False
    if problem.get("hsa_id") and (subject.get("id") or "").casefold() != problem["hsa_id"].casefold():
        return False
    unit = problem.get("care_unit_hsa_id")
    return not unit or unit.casefold() in [(u or "").casefold() for u in units]


def error_subjects(catalogue, settings, region, profile, message):
    """The directory subjects when judging itself broke: every control `error` with the reason, so the
    report still lists the provider, the inventory's care units and staff, and the organisation."""
    profile = profile or catalogue.default_profile
    provider_id = region.get("provider_hsa_id") or "(none)"
    wanted = [("care_provider", provider_id, {})]
    wanted += [("care_unit", u["hsa_id"], {"clinic": u.get("clinic"), "care_unit_hsa_id": u["hsa_id"]})
               for u in region.get("care_units") or []]
    people = {}
    for person in region.get("staff") or []:
        known = people.setdefault(person["hsa_id"].casefold(), ("person", person["hsa_id"], {
            "clinic": person.get("clinic"), "care_unit_hsa_id": person.get("care_unit_hsa_id"),
            "expected_role": person.get("role"), "expected_care_units": []}))
        if person.get("care_unit_hsa_id"):
            known[2]["expected_care_units"].append({"care_unit_hsa_id": person["care_unit_hsa_id"],
                                                    "clinic": person.get("clinic"),
                                                    "role": (person.get("role") or "").upper() or None})
    wanted += list(people.values()) + [("organisation", provider_id, {})]
    subjects = []
    for kind, subject_id, context in wanted:
        try:
            controls = catalogue.for_profile(profile, kind, settings)
        except Exception:  # pylint: disable=broad-except  # the subject still says why it was not judged
            controls = []
        subjects.append(fail_subject(make_subject(kind, subject_id, profile=profile, **context), controls, message))
    return subjects


def judge_directory(catalogue, settings, data, region, profile=None, now=None, source=None):
    """Subjects of one provider's directory audit.

    data: ProviderReader data, or None when no directory is configured (region['not_configured'] says why).
    region: {provider_hsa_id, provider_name, care_units: [{hsa_id, clinic}], staff: [{hsa_id, name, role,
    care_unit_hsa_id, clinic}], registered_units: [hsa_id] or None}.
    """
    profile = profile or catalogue.default_profile
    now = now or datetime.datetime.now(datetime.timezone.utc)
    values_ = catalogue.effective_settings(settings)
    pattern = values_.get("hsa_id_pattern") or rules.DEFAULT_HSA_ID_PATTERN
    inclusive = values_.get("hsa_end_date_inclusive", True)
    controls = {scope: catalogue.for_profile(profile, scope, settings) for scope in DIRECTORY_SCOPES}
    source = source or ("ldap:%s" % data.get("server") if data and data.get("server") else "ldap")
    collected_at = (data or {}).get("read_at")
    provider_id = region.get("provider_hsa_id") or ""
    clinics = {u["hsa_id"].casefold(): u.get("clinic") for u in region.get("care_units", []) if u.get("hsa_id")}

    def subject(kind, subject_id, name, **context):
        made = make_subject(kind, subject_id, name, profile=profile, **context)
        made["evidence_source"], made["collected_at"] = source, collected_at
        return made

    input_errors = region.get("input_errors") or []
    used = set()

    def inventory_problems(made, scope, evidence):
        """Messages of the region's input errors that concern this subject (see _affects)."""
        units = [made.get("care_unit_hsa_id")] + list(evidence.get("expected_units") or []) + [
            link.get("unit_hsa_id") for link in evidence.get("commissions") or [] if scope == "person"]
        found = []
        for index, problem in enumerate(input_errors):
            if _affects(problem, made, scope, units):
                used.add(index)
                found.append(problem["message"])
        return found

    def judged(made, evidence, scope):
        problems = inventory_problems(made, scope, evidence)
        if scope == "organisation":
            # An input error that concerns no subject of its own (a staff entry without an HSA-id, on a
            # clinic whose persons are not in HSA) is still reported: on the region's organisation.
            problems += [p["message"] for i, p in enumerate(input_errors)
                         if i not in used and p["message"] not in problems]
        if problems:
            return fail_subject(made, controls[scope], "inventory: %s" % "; ".join(problems))
        if data is None:
            reason = region.get("not_configured") or "no HSA directory configured (webcert_hsa_uri)"
            made["results"] = [make_result(c, "not_reviewed", message="not reviewed: %s" % reason,
                                           evidence_source=None) for c in controls[scope]]
            made["evidence_source"] = None
            return made
        # What could not be read is an error, never a finding: a unit's commissions come from the units
        # phase, so persons depend on it too; a person read with the tree survives a later failure.
        error = _error_for(data, "provider") or (
            _error_for(data, "units") if scope != "care_provider" else None)
        if not error and scope == "person" and evidence.get("entry") is None and not evidence.get("lookup_skipped"):
            error = _error_for(data, "persons")
        duplicates = view.duplicates.get((evidence.get("hsa_id") or "").casefold()) if scope != "organisation" else None
        truncated = (evidence.get("entry") or {}).get("truncated")
        if not error and truncated:
            error = "entry %s: %s; not judged" % (evidence["entry"]["dn"], "; ".join(truncated))
        if not error and duplicates:
            error = "%d entries carry hsaIdentity %s (%s); HSA-ids are unique, so which one is meant cannot be told" \
                % (len(duplicates), evidence["hsa_id"], "; ".join(duplicates))
        if error:
            return fail_subject(made, controls[scope], "HSA directory: %s" % error)
        evidence = dict(evidence, now=now, base_dn=region.get("base_dn"), hsa_id_pattern=pattern,
                        end_date_inclusive=inclusive)
        made["results"] = judge_evidence(controls[scope], evidence, source)
        return made

    view = DirectoryView(data or {})
    subjects = []

    # Care provider.
    provider_problem = rules.hsa_id_problem(provider_id, pattern)
    entry = view.provider if data else None
    provider = subject("care_provider", provider_id or "(none)", entry_name(entry) or region.get("provider_name"))
    subjects.append(judged(provider, {"hsa_id": provider_id, "entry": entry,
                                      "lookup_skipped": provider_problem and "%s; not looked up" % provider_problem},
                           "care_provider"))

    # Care units: the inventory's first, then those HSA has for the provider.
    unit_ids = [u["hsa_id"] for u in region.get("care_units", []) if u.get("hsa_id")]
    for unit in view.care_units():
        hsa_id = first(unit, "hsa_id") or unit["dn"]
        if hsa_id.casefold() not in [u.casefold() for u in unit_ids]:
            unit_ids.append(hsa_id)
    units_in_hsa = {}
    for hsa_id in unit_ids:
        problem = rules.hsa_id_problem(hsa_id, pattern)
        entry = None if problem else view.get(hsa_id)
        if entry is None and not problem and data:
            entry = next((u for u in data.get("units", []) if u["dn"] == hsa_id), None)  # a unit without HSA-id
        members = []
        for member in values(entry, "unit_members"):
            member_problem = rules.hsa_id_problem(member, pattern)
            members.append({"hsa_id": member, "entry": None if member_problem else view.get(member),
                            "problem": member_problem})
        pointer = first(entry, "responsible_provider")
        evidence = {"hsa_id": hsa_id, "entry": entry, "provider_hsa_id": provider_id,
                    "pointer_entry": view.get(pointer) if pointer else None,
                    "commissions": view.commissions_under(entry) if entry else [],
                    "members": members, "member_of": view.member_of(hsa_id),
                    "lookup_skipped": problem and "%s; not looked up" % problem}
        if entry is not None and "care_unit" in entry.get("markers", []):
            units_in_hsa[hsa_id] = entry_name(entry) or hsa_id
        name = entry_name(entry) or clinics.get(hsa_id.casefold()) or hsa_id
        subjects.append(judged(subject("care_unit", hsa_id, name, clinic=clinics.get(hsa_id.casefold()),
                                       care_unit_hsa_id=hsa_id, care_provider_hsa_id=provider_id), evidence, "care_unit"))

    # Persons: the clinics' staff lists, everyone in the provider's tree, every commission member.
    people = {}
    for person in region.get("staff", []):
        if not person.get("hsa_id"):
            continue
        known = people.setdefault(person["hsa_id"].casefold(), dict(person, expected_units=[], listed=[]))
        unit = person.get("care_unit_hsa_id")
        if unit and unit.casefold() not in [u.casefold() for u in known["expected_units"]]:
            known["expected_units"].append(unit)
            # Each clinic's own listing (unit, clinic, role): the readiness join judges a person per clinic.
            known["listed"].append({"care_unit_hsa_id": unit, "clinic": person.get("clinic") or clinics.get(
                unit.casefold()), "role": (person.get("role") or "").upper() or None})
        known["role"] = known.get("role") or person.get("role")
    for entry in (data or {}).get("persons", []):
        hsa_id = first(entry, "hsa_id")
        if hsa_id and (view.under_provider(entry) or hsa_id.casefold() in people):
            people.setdefault(hsa_id.casefold(), {"hsa_id": hsa_id})
    for unit in view.care_units():
        for commission in view.commissions_under(unit):
            for member in values(commission, "commission_member"):
                hsa_id = rules.commission_member_id(member)
                if hsa_id:
                    people.setdefault(hsa_id.casefold(), {"hsa_id": hsa_id})
    for person in people.values():
        hsa_id = person["hsa_id"]
        problem = rules.hsa_id_problem(hsa_id, pattern)
        entry = None if problem else view.get(hsa_id)
        links = [] if problem else view.memberships(hsa_id, inclusive)
        units = person.get("expected_units") or []
        unit_id = units[0] if units else next((l["unit_hsa_id"] for l in links if l["unit_hsa_id"]), None)
        made = subject("person", hsa_id, person.get("name") or (first(entry, "common_name") if entry else None),
                       clinic=person.get("clinic") or clinics.get((unit_id or "").casefold()), care_unit_hsa_id=unit_id,
                       expected_role=person.get("role"), expected_care_units=person.get("listed") or [])
        evidence = {"hsa_id": hsa_id, "entry": entry, "expected_role": person.get("role"),
                    "expected_units": units, "commissions": links,
                    "lookup_skipped": problem and "%s; not looked up" % problem}
        made = judged(made, evidence, "person")
        if entry is not None:
            role = person_role(entry)
            made["webcert_role"], made["webcert_role_rule"] = role["role"], role["rule"]
        subjects.append(made)

    # Organisation: care units in HSA and in the inventory versus those registered with Inera.
    units = dict(units_in_hsa)
    for unit in region.get("care_units", []):
        # A malformed HSA-id cannot be registered anywhere; HSA-UNIT-HSA-ID reports it.
        if unit.get("hsa_id") and not rules.hsa_id_problem(unit["hsa_id"], pattern):
            units.setdefault(unit["hsa_id"], unit.get("clinic") or unit["hsa_id"])
    organisation = subject("organisation", provider_id or "(none)", "%s (organisation)" % (
        region.get("provider_name") or provider_id), care_provider_hsa_id=provider_id)
    subjects.append(judged(organisation, {"hsa_id": provider_id, "units": units,
                                          "registered": region.get("registered_units"),
                                          "declared": region.get("declared") or {}}, "organisation"))
    return subjects
