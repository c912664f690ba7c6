"""Judges of the directory (HSA) check types, and the directory audit that builds their subjects.

The evidence is what hsa_ldap.ProviderReader read for one care provider (entries with logical attribute
names, see hsa_ldap.ATTRIBUTES). judge_directory() turns it, with the inventory's view of the region,
into subjects: the care provider, each care unit, each person and the organisation, each with one
result per directory control of its scope. Rules are in hsa_rules.py; ../shared/reference/hsa.md is
the source.
"""

import datetime

from ansible_collections.webcert.fleet.plugins.module_utils import hsa_rules as rules
from ansible_collections.webcert.fleet.plugins.plugin_utils.checks import ERROR, FAILED, NOT_APPLICABLE, PASSED, Outcome, check_type, passed_if
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence import NotCollected
from ansible_collections.webcert.fleet.plugins.plugin_utils.judge import judge_evidence
from ansible_collections.webcert.fleet.plugins.plugin_utils.results import fail_subject, make_result, make_subject

DIRECTORY_SCOPES = ("care_provider", "care_unit", "person", "organisation")
NO_NEEDS = lambda check: {}  # noqa: E731  the directory is read whole, not per control


# --- evidence helpers --------------------------------------------------------------------------

def values(entry, name):
    return [v for v in (entry or {}).get("attributes", {}).get(name, []) if v.strip()]


def first(entry, name):
    found = values(entry, name)
    return found[0].strip() if found else None


def entry_of(evidence):
    """The subject's directory entry, or NotCollected saying why there is none to judge."""
    if evidence.get("lookup_skipped"):
        raise NotCollected(evidence["lookup_skipped"])
    if evidence.get("entry") is None:
        raise NotCollected("%s was not found in HSA (see the 'found' control)" % evidence["hsa_id"])
    return evidence["entry"]


def entry_name(entry):
    return first(entry, "unit_name") or first(entry, "organisation_name") or first(entry, "common_name")


def period(entry, end_inclusive=True):
    """(start, end) of an entry; a date HSA should not hold raises ValueError naming the attribute."""
    moments = []
    for name in ("start_date", "end_date"):
        try:
            moments.append(rules.parse_date(first(entry, name), end=name == "end_date", end_inclusive=end_inclusive))
        except ValueError as exc:
            raise ValueError("%s: %s" % (name, exc)) from None
    return moments[0], moments[1]


def now_of(evidence):
    return evidence.get("now") or datetime.datetime.now(datetime.timezone.utc)


def inclusive_of(evidence):
    """The setting hsa_end_date_inclusive: a date-only end date still counts its own day."""
    return evidence.get("end_date_inclusive", True)


def pattern_of(evidence):
    """The region's hsa_id_pattern (judge_directory resolves the setting once for every HSA-id)."""
    return evidence.get("hsa_id_pattern") or rules.DEFAULT_HSA_ID_PATTERN


def commission_problems(commission, purpose, now, pattern=rules.DEFAULT_HSA_ID_PATTERN, end_inclusive=True):
    """Why HSA or Webcert would not use this commission for login; [] when it is valid [hsa.md 0, 6]."""
    problems = []
    hsa_id = first(commission, "hsa_id")
    problem = rules.hsa_id_problem(hsa_id, pattern) if hsa_id else "no HSA-id"
    if problem:
        problems.append(problem)
    if not first(commission, "common_name"):
        problems.append("no name (cn)")
    purposes = values(commission, "commission_purpose")
    if not purposes:
        problems.append("no purpose (hsaCommissionPurpose)")
    elif not rules.is_care_purpose(purposes, purpose):
        problems.append("purpose %s is not %r" % (", ".join(repr(p) for p in purposes), purpose))
    try:
        start, end = period(commission, end_inclusive)
        if not rules.is_active(start, end, now):
            problems.append("not active (%s)" % rules.describe_period(start, end))
    except ValueError as exc:
        problems.append("bad date: %s" % exc)
    return problems


# --- generic checks ----------------------------------------------------------------------------

@check_type("hsa_id_format", needs=NO_NEEDS)
def judge_hsa_id_format(check, evidence):
    hsa_id = evidence.get("hsa_id")
    pattern = check.get("pattern") or rules.DEFAULT_HSA_ID_PATTERN
    problem = rules.hsa_id_problem(hsa_id, pattern)
    return passed_if(problem is None, "HSA-id matching %s" % pattern,
                     hsa_id, "HSA-id %s is well-formed" % hsa_id,
                     "%s; it was not looked up in HSA" % problem)


@check_type("hsa_entry_found", needs=NO_NEEDS)
def judge_hsa_entry_found(check, evidence):
    if evidence.get("lookup_skipped"):
        raise NotCollected(evidence["lookup_skipped"])
    entry = evidence.get("entry")
    if entry is None:
        return Outcome(FAILED, "an entry with hsaIdentity %s" % evidence["hsa_id"], None,
                       "%s was not found in HSA under %s" % (evidence["hsa_id"], evidence.get("base_dn", "the base DN")))
    if entry.get("problems"):
        return Outcome(ERROR, "a readable entry", entry["dn"], "the entry %s is malformed: %s"
                       % (entry["dn"], "; ".join(entry["problems"])))
    return Outcome(PASSED, "an entry with hsaIdentity %s" % evidence["hsa_id"], entry["dn"],
                   "found %s" % entry["dn"])


@check_type("hsa_entry_marked", needs=NO_NEEDS)
def judge_hsa_entry_marked(check, evidence):
    entry = entry_of(evidence)
    marker = check["marker"]
    words = {"provider": "a care provider (hsaHealthCareProvider)", "care_unit": "a care unit (hsaHealthCareUnit)"}
    if marker in entry.get("markers", []):
        return Outcome(PASSED, words[marker], "marked", "%s is marked as %s" % (entry["dn"], words[marker]))
    extra = ""
    if marker == "care_unit":
        owners = evidence.get("member_of") or []
        extra = ("; it is a sub-unit listed by care unit %s" % ", ".join(owners) if owners
                 else "; no care unit lists it as a member either (hsaHealthCareUnitMember)")
    return Outcome(FAILED, words[marker], "not marked", "%s is not marked as %s%s" % (entry["dn"], words[marker], extra))


@check_type("hsa_attribute", needs=NO_NEEDS)
def judge_hsa_attribute(check, evidence):
    entry = entry_of(evidence)
    rule = check.get("rule", "present")
    # One name, or several of which the first present counts (a provider's name is o or ou).
    names = check["attribute"] if isinstance(check["attribute"], list) else [check["attribute"]]
    found = next((values(entry, n) for n in names if values(entry, n)), [])
    label = check.get("label", " or ".join(names))
    if not found:
        return Outcome(FAILED, "%s present" % label, None, "%s has no %s" % (entry["dn"], label))
    if rule == "present":
        return Outcome(PASSED, "%s present" % label, found[0], "%s: %s" % (label, found[0]))
    if rule == "email":
        bad = [v for v in found if not rules.email_valid(v)]
        return passed_if(not bad, "a valid e-mail address", ", ".join(found), "%s: %s" % (label, found[0]),
                         "%s %s is not a valid e-mail address" % (label, ", ".join(repr(b) for b in bad)))
    if rule == "workplace_code":
        # Multi-valued in HSA; Webcert uses the first value, so that one must be usable [hsa.md 3b].
        problem = rules.workplace_code_problem(found[0], check.get("pattern") or rules.DEFAULT_WORKPLACE_CODE_PATTERN)
        return passed_if(problem is None, "numeric arbetsplatskod", ", ".join(found),
                         "%s: %s" % (label, found[0]), problem or "")
    raise ValueError("unknown attribute rule %r" % rule)


@check_type("hsa_active", needs=NO_NEEDS)
def judge_hsa_active(check, evidence):
    entry = entry_of(evidence)
    start, end = period(entry, inclusive_of(evidence))
    now = now_of(evidence)
    return passed_if(rules.is_active(start, end, now), "active now (startDate < now < endDate)",
                     rules.describe_period(start, end), "active (%s)" % rules.describe_period(start, end),
                     "not active on %s (%s): Webcert drops it at login" % (rules.swedish_day(now),
                                                                         rules.describe_period(start, end)))


# --- care provider -----------------------------------------------------------------------------

@check_type("hsa_org_no", needs=NO_NEEDS)
def judge_hsa_org_no(check, evidence):
    entry = entry_of(evidence)
    # As stored: a stray space or newline in orgNo is a defect, not something to tidy away.
    org_no = next(iter(values(entry, "org_no")), None)
    problem, personal = rules.org_no_problem(org_no)
    if problem is None:
        return Outcome(PASSED, "10 digits, Luhn, third digit >= 2", org_no, "orgNo %s is a valid organisation number" % org_no)
    return Outcome(FAILED, "10 digits, Luhn, third digit >= 2", org_no, problem,
                   {"personal_identity_number": personal})


# --- care unit ---------------------------------------------------------------------------------

@check_type("hsa_unit_provider", needs=NO_NEEDS)
def judge_hsa_unit_provider(check, evidence):
    entry = entry_of(evidence)
    pointer = first(entry, "responsible_provider")
    wanted = evidence["provider_hsa_id"]
    expected = "hsaResponsibleHealthCareProvider = %s" % wanted
    if not pointer:
        return Outcome(FAILED, expected, None, "the care unit does not point to a care provider; HSA drops its commissions")
    if pointer.casefold() != (wanted or "").casefold():
        return Outcome(FAILED, expected, pointer, "the care unit points to %s, not to the region's provider %s"
                       % (pointer, wanted))
    target = evidence.get("pointer_entry")
    if target is None or "provider" not in target.get("markers", []):
        where = "no entry" if target is None else "%s, which is not marked hsaHealthCareProvider" % target["dn"]
        return Outcome(FAILED, expected, pointer, "hsaResponsibleHealthCareProvider %s resolves to %s" % (pointer, where))
    return Outcome(PASSED, expected, pointer, "points to %s (%s)" % (pointer, target["dn"]))


@check_type("hsa_unit_commission", needs=NO_NEEDS)
def judge_hsa_unit_commission(check, evidence):
    entry_of(evidence)
    purpose, now = check["purpose"], now_of(evidence)
    findings = [{"commission": c["dn"], "problems": commission_problems(c, purpose, now, pattern_of(evidence),
                                                                         inclusive_of(evidence))}
                for c in evidence.get("commissions", [])]
    valid = [f["commission"] for f in findings if not f["problems"]]
    expected = "at least one valid commission with purpose %r" % purpose
    if valid:
        return Outcome(PASSED, expected, "%d valid" % len(valid), "valid commission: %s" % "; ".join(valid),
                       {"commissions": findings})
    if not findings:
        return Outcome(FAILED, expected, "none", "the care unit has no commission (medarbetaruppdrag) under it",
                       {"commissions": findings})
    return Outcome(FAILED, expected, "0 of %d valid" % len(findings), "no valid commission: " + "; ".join(
        "%s: %s" % (f["commission"], ", ".join(f["problems"])) for f in findings), {"commissions": findings})


@check_type("hsa_unit_members", needs=NO_NEEDS)
def judge_hsa_unit_members(check, evidence):
    entry = entry_of(evidence)
    members = evidence.get("members", [])
    if not members:
        return Outcome(NOT_APPLICABLE, "sub-units resolve to active units", None,
                       "the care unit lists no sub-units (hsaHealthCareUnitMember)")
    problems, now = [], now_of(evidence)
    for member in members:
        if member.get("problem"):
            problems.append(member["problem"])
        elif member["entry"] is None:
            problems.append("%s is not in HSA" % member["hsa_id"])
        else:
            target = member["entry"]
            try:
                start, end = period(target, inclusive_of(evidence))
                if not rules.is_active(start, end, now):
                    problems.append("%s is not active (%s)" % (member["hsa_id"], rules.describe_period(start, end)))
            except ValueError as exc:
                problems.append("%s: %s" % (member["hsa_id"], exc))
            if "care_unit" in target.get("markers", []):
                problems.append("%s is itself a care unit, not a sub-unit" % member["hsa_id"])
            pointer = first(target, "responsible_provider")
            if pointer and pointer.casefold() != (first(entry, "responsible_provider") or "").casefold():
                problems.append("%s belongs to provider %s" % (member["hsa_id"], pointer))
    ids = ", ".join(m["hsa_id"] for m in members)
    return passed_if(not problems, "every sub-unit resolves to an active unit", ids,
                     "sub-units connected: %s" % ids, "; ".join(problems))


# --- person ------------------------------------------------------------------------------------

def person_commissions(evidence, purpose):
    """[(link, problems)] for the person's memberships, problems [] when the link counts for login."""
    now, found = now_of(evidence), []
    for link in evidence.get("commissions", []):
        problems = list(commission_problems(link["commission"], purpose, now, pattern_of(evidence),
                                            inclusive_of(evidence)))
        if link.get("member_problem"):
            problems.append(link["member_problem"])
        elif not rules.is_active(link["member_start"], link["member_end"], now):
            problems.append("membership not active (%s)" % rules.describe_period(link["member_start"], link["member_end"]))
        unit = link.get("unit_entry")
        if unit is None:
            problems.append("not under a care unit of the provider")
        else:
            try:
                start, end = period(unit, inclusive_of(evidence))
                if not rules.is_active(start, end, now):
                    problems.append("care unit %s not active" % link["unit_hsa_id"])
            except ValueError as exc:
                problems.append("care unit date: %s" % exc)
        found.append((link, problems))
    return found


def _on(link, unit_id):
    return (link.get("unit_hsa_id") or "").casefold() == unit_id.casefold()


def _describe_link(link):
    return "%s (%s)" % (link["commission"]["dn"], rules.describe_period(link["member_start"], link["member_end"]))


@check_type("hsa_person_commission", needs=NO_NEEDS)
def judge_hsa_person_commission(check, evidence):
    """A valid commission on every care unit the clinics list the person for (else on any care unit)."""
    entry_of(evidence)
    links = person_commissions(evidence, check["purpose"])
    units = evidence.get("expected_units") or []
    expected = "member of a valid %r commission on %s" % (check["purpose"], ", ".join(units) or "a care unit of the provider")
    details = {"commissions": [{"commission": l["commission"]["dn"], "care_unit": l.get("unit_hsa_id"),
                                "problems": p} for l, p in links]}
    valid = [l for l, p in links if not p]
    missing = [u for u in units if not any(_on(l, u) for l in valid)]
    if valid and not missing:
        return Outcome(PASSED, expected, "%d valid" % len(valid), "valid: %s" % "; ".join(_describe_link(l) for l in valid),
                       details)
    if not links:
        return Outcome(FAILED, expected, "none", "the person is not a member (hsaCommissionMember) of any commission "
                       "of the provider", details)
    reasons = ["%s: %s" % (l["commission"]["dn"], ", ".join(p)) for l, p in links if p]
    lacking = "no valid commission on care unit %s" % ", ".join(missing) if missing else "no valid commission"
    return Outcome(FAILED, expected, "%d of %d valid" % (len(valid), len(links)),
                   "%s%s" % (lacking, ": " + "; ".join(reasons) if reasons else ""), details)


@check_type("hsa_person_commission_expiry", needs=NO_NEEDS)
def judge_hsa_person_commission_expiry(check, evidence):
    entry_of(evidence)
    days = check["warning_days"]
    if not isinstance(days, int) or isinstance(days, bool):
        raise TypeError("warning_days must be a whole number of days, got %r" % (days,))
    limit = now_of(evidence) + datetime.timedelta(days=days)
    valid = [l for l, p in person_commissions(evidence, check["purpose"]) if not p]
    if not valid:
        return Outcome(NOT_APPLICABLE, None, None, "no valid commission to expire")
    soon = []
    for link in valid:
        inclusive = inclusive_of(evidence)
        ends = [e for e in (link["member_end"], period(link["commission"], inclusive)[1],
                            period(link["unit_entry"], inclusive)[1] if link.get("unit_entry") else None) if e]
        if ends and min(ends) <= limit:
            soon.append("%s ends %s" % (link["commission"]["dn"], rules.swedish_day(min(ends))))
    return passed_if(not soon, "no valid commission ends within %d days" % days, "; ".join(soon) or "none",
                     "no valid commission ends within %d days" % days,
                     "ends within %d days: %s" % (days, "; ".join(soon)))


def unlicensed_doctor_codes(entry):
    """The person's befattningskoder of a doctor without a licence yet (ej legitimerad) [5]."""
    return [c for c in values(entry, "title_code") if c.strip() in rules.UNLICENSED_DOCTOR_TITLE_CODES]


def person_role(entry):
    prescribers = values(entry, "prescriber_code") + values(entry, "group_prescriber_code")
    return rules.resolve_webcert_role(values(entry, "licensed_profession"), values(entry, "title_code"), prescribers)


@check_type("hsa_person_webcert_role", needs=NO_NEEDS)
def judge_hsa_person_webcert_role(check, evidence):
    entry = entry_of(evidence)
    role = person_role(entry)
    wanted = (evidence.get("expected_role") or "").upper() or None
    details = dict(role, expected=wanted)
    actual = "%s (rule %s)" % (role["role"], role["rule"])
    if wanted is None:
        return Outcome(PASSED, "any role (the clinic lists none)", actual, "will get %s by rule %s" % (role["role"], role["rule"]),
                       details)
    if wanted == role["role"]:
        return Outcome(PASSED, wanted, actual, "will get %s as the clinic expects, by rule %s" % (wanted, role["rule"]),
                       details)
    return Outcome(FAILED, wanted, actual, "the clinic lists the person as %s, but Webcert will give %s (rule %s)"
                   % (wanted, role["role"], role["rule"]), details)


@check_type("hsa_person_prescriber_role", needs=NO_NEEDS)
def judge_hsa_person_prescriber_role(check, evidence):
    """For applies_when: the person is (or the clinic says they are) a doctor or dentist."""
    entry = entry_of(evidence)
    roles = (rules.LAKARE, rules.TANDLAKARE)
    role = person_role(entry)["role"]
    wanted = (evidence.get("expected_role") or "").upper()
    ok = role in roles or wanted in roles
    return passed_if(ok, "LAKARE or TANDLAKARE", role, "a doctor or dentist (%s)" % (wanted or role),
                     "neither a doctor nor a dentist (Webcert role %s)" % role)


@check_type("hsa_person_licence", needs=NO_NEEDS)
def judge_hsa_person_licence(check, evidence):
    entry = entry_of(evidence)
    titles = values(entry, "licensed_profession")
    licensed = [t for t in titles if t.strip() in ("Läkare", "Tandläkare")]
    if licensed:
        return Outcome(PASSED, "hsaTitle Läkare or Tandläkare", ", ".join(titles), "licensed: %s" % licensed[0])
    codes = unlicensed_doctor_codes(entry)
    if codes:
        return Outcome(NOT_APPLICABLE, None, ", ".join(codes), "a doctor without a licence yet (befattningskod %s, "
                       "ej legitimerad): no licensed profession is expected" % codes[0])
    return Outcome(FAILED, "hsaTitle Läkare or Tandläkare", ", ".join(titles) or None,
                   "no licensed profession (hsaTitle) Läkare or Tandläkare%s"
                   % (" (has %s)" % ", ".join(titles) if titles else ""))


@check_type("hsa_person_prescriber_code", needs=NO_NEEDS)
def judge_hsa_person_prescriber_code(check, evidence):
    entry = entry_of(evidence)
    pattern = check.get("pattern") or rules.DEFAULT_PRESCRIBER_CODE_PATTERN
    codes = [("förskrivarkod", c) for c in values(entry, "prescriber_code")] + \
            [("gruppförskrivarkod", c) for c in values(entry, "group_prescriber_code")]
    expected = "a förskrivarkod or gruppförskrivarkod matching %s" % pattern
    if not codes:
        return Outcome(FAILED, expected, None, "no förskrivarkod (personalPrescriptionCode) or gruppförskrivarkod "
                       "(hsaGroupPrescriptionCode)")
    bad = ["%s %r" % (k, c) for k, c in codes if not rules.matches(pattern, c)]
    shown = ", ".join("%s %s" % (k, c) for k, c in codes)
    return passed_if(not bad, expected, shown, shown, "malformed: %s" % ", ".join(bad))


@check_type("hsa_person_speciality", needs=NO_NEEDS)
def judge_hsa_person_speciality(check, evidence):
    entry = entry_of(evidence)
    found = values(entry, "speciality")
    expected = "hsaSosTitleCodeSpeciality '<code>;<speciality code>;<text>'"
    if not found:
        codes = unlicensed_doctor_codes(entry)
        if codes:
            return Outcome(NOT_APPLICABLE, None, None, "a doctor in training (befattningskod %s) has no speciality yet" % codes[0])
        return Outcome(FAILED, expected, None, "no speciality (hsaSosTitleCodeSpeciality)")
    problems = [p for p in (rules.speciality_problem(v) for v in found) if p]
    return passed_if(not problems, expected, ", ".join(found), "speciality: %s" % ", ".join(found), "; ".join(problems))


@check_type("hsa_person_title", needs=NO_NEEDS)
def judge_hsa_person_title(check, evidence):
    entry = entry_of(evidence)
    codes, names = values(entry, "title_code"), values(entry, "title_name")
    expected = "paTitleCode (6 digits) with paTitleName, as a pair"
    actual = "codes %s, names %s" % (codes or "none", names or "none")
    if not codes and not names:
        return Outcome(FAILED, expected, None, "no befattningskod (paTitleCode) and no befattning (paTitleName)")
    if not codes or not names or len(codes) != len(names):
        return Outcome(FAILED, expected, actual, "paTitleCode and paTitleName do not come as a pair (%d codes, %d "
                       "names): HSA drops the befattning" % (len(codes), len(names)))
    bad = [c for c in codes if not rules.matches(rules.TITLE_CODE_PATTERN, c)]
    return passed_if(not bad, expected, actual, "befattning %s" % ", ".join("%s %s" % p for p in zip(codes, names)),
                     "befattningskod %s is not 6 digits" % ", ".join(repr(b) for b in bad))


# --- organisation ------------------------------------------------------------------------------

@check_type("hsa_units_registered", needs=NO_NEEDS)
def judge_hsa_units_registered(check, evidence):
    registered = evidence.get("registered")
    if registered is None:
        raise NotCollected("the region has not listed its care units registered with Inera "
                           "(webcert_hsa_registered_units)")
    known = {r.casefold() for r in registered}
    units = evidence.get("units", {})
    missing = sorted(u for u in units if u.casefold() not in known)
    expected = "every care unit registered with Inera"
    if missing:
        return Outcome(FAILED, expected, ", ".join(missing), "not registered in Inera's ordering portal: %s" % "; ".join(
            "%s (%s)" % (u, units[u]) for u in missing), {"unregistered": missing})
    return Outcome(PASSED, expected, "%d registered" % len(units), "all %d care units are registered" % len(units))


# --- the directory audit: data + inventory -> subjects ----------------------------------------------

class DirectoryView:
    """Indexes of one provider's directory data: entries by HSA-id and by DN, a commission's care unit."""

    def __init__(self, data):
        from ansible_collections.webcert.fleet.plugins.module_utils.hsa_ldap import dn_key, parent_dns  # pylint: disable=import-outside-toplevel
        self.dn_key, self.parent_dns = dn_key, parent_dns
        self.data = data
        self.provider = data.get("provider")
        everything = ([self.provider] if self.provider else []) + data.get("units", []) + data.get("persons", []) + \
            data.get("others", [])
        self.by_id, self.by_dn = {}, {}
        for entry in everything + data.get("commissions", []):
            self.by_dn[dn_key(entry["dn"])] = entry
        for entry in everything:
            hsa_id = first(entry, "hsa_id")
            if hsa_id:
                self.by_id.setdefault(hsa_id.casefold(), entry)
        self.provider_dn = dn_key(self.provider["dn"]) if self.provider else None
        # Person HSA-id (casefolded) -> [(commission, hsaCommissionMember value)], in directory order:
        # indexed once, so finding each person's memberships does not scan every commission again.
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
        for parent in self.parent_dns(commission["dn"]):
            entry = self.by_dn.get(self.dn_key(parent))
            if entry is not None and "care_unit" in entry.get("markers", []):
                return entry
        return None

    def commissions_under(self, unit):
        return [c for c in self.data.get("commissions", []) if self.care_unit_of(c) is unit]

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
                _, link["member_start"], link["member_end"] = rules.parse_commission_member(value, end_inclusive)
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
        people.setdefault(person["hsa_id"].casefold(), ("person", person["hsa_id"], {
            "clinic": person.get("clinic"), "care_unit_hsa_id": person.get("care_unit_hsa_id"),
            "expected_role": person.get("role")}))
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
        known = people.setdefault(person["hsa_id"].casefold(), dict(person, expected_units=[]))
        unit = person.get("care_unit_hsa_id")
        if unit and unit.casefold() not in [u.casefold() for u in known["expected_units"]]:
            known["expected_units"].append(unit)
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
                       expected_role=person.get("role"))
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
                                          "registered": region.get("registered_units")}, "organisation"))
    return subjects
