# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Judges of the directory (HSA) check types.

The evidence is what hsa_ldap.ProviderReader read for one care provider (entries with logical attribute
names, see hsa_ldap.ATTRIBUTES); directory_audit.judge_directory() builds the subjects (the care provider,
each care unit, each person and the organisation) and calls these judges, one result per directory
control of the subject's scope. Rules are in hsa_rules.py; ../shared/reference/hsa.md is
the source.
"""

import datetime

from ansible_collections.webcert.fleet.plugins.module_utils import hsa_rules as rules
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.registry import ERROR, FAILED, NOT_APPLICABLE, PASSED, Outcome, check_type, passed_if
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import NotCollected

DIRECTORY_SCOPES = ("care_provider", "care_unit", "person", "organisation")


def NO_NEEDS(check):  # pylint: disable=invalid-name,unused-argument
    """The directory is read whole, not per control: no check type needs anything of its own."""
    return {}


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
        outcome = Outcome(PASSED, "%s present" % label, found[0], "%s: %s" % (label, found[0]))
    elif rule == "email":
        bad = [v for v in found if not rules.email_valid(v)]
        outcome = passed_if(not bad, "a valid e-mail address", ", ".join(found), "%s: %s" % (label, found[0]),
                            "%s %s is not a valid e-mail address" % (label, ", ".join(repr(b) for b in bad)))
    elif rule == "workplace_code":
        # Every value must be usable: Webcert takes the first one HSA returns, and LDAP keeps no order.
        problems = [p for p in (rules.workplace_code_problem(v, check.get("pattern")
                                                             or rules.DEFAULT_WORKPLACE_CODE_PATTERN) for v in found) if p]
        outcome = passed_if(not problems, "numeric arbetsplatskod", ", ".join(found),
                            "%s: %s" % (label, ", ".join(found)), "; ".join(problems))
    else:
        raise ValueError("unknown attribute rule %r" % rule)
    return _note_several_values(outcome, check, label, found)


def _note_several_values(outcome, check, label, found):
    """Say so when an attribute Webcert reads as one value holds several: LDAP values have no order, so which
    one Webcert shows cannot be told from the directory. A note on the result, never a silent pass."""
    if len(found) < 2 or not check.get("single_value_read"):
        return outcome
    note = ("%s has %d values (%s); %s, and LDAP keeps no order, so which one Webcert uses cannot be told: keep "
            "one value" % (label, len(found), ", ".join(found), check["single_value_read"]))
    outcome.message = "%s. NOTE: %s" % (outcome.message, note)
    outcome.details = dict(outcome.details or {}, note=note, values=found)
    return outcome


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
    details = {"purpose": check["purpose"],
               "commissions": [{"commission": l["commission"]["dn"], "care_unit": l.get("unit_hsa_id"),
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
    """A licensed profession where Webcert's role rests on it; not applicable where Webcert makes the person a
    doctor by befattningskod alone (rule 2: AT/BT) or with a gruppförskrivarkod (rule 3: e.g. 203090 with
    9300005 for doctors from the EU/EES), as CommonAuthoritiesResolver.lookupUserRole does (sklintyg/webcert
    infra/.../security/authorities/CommonAuthoritiesResolver.java lines 181-221, authorities.yaml titleCodes)."""
    entry = entry_of(evidence)
    titles = values(entry, "licensed_profession")
    licensed = [t for t in titles if t.strip() in ("Läkare", "Tandläkare")]
    if licensed:
        return Outcome(PASSED, "hsaTitle Läkare or Tandläkare", ", ".join(titles), "licensed: %s" % licensed[0])
    role = person_role(entry)
    if role["role"] == rules.LAKARE and not role["rule"].startswith("1:"):
        return Outcome(NOT_APPLICABLE, None, role["role_type_name"],
                       "Webcert makes the person a doctor (%s) by rule %s, without a licensed profession: none is "
                       "needed for Webcert" % (role["role_type_name"], role["rule"]))
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
    """The format of hsaSosTitleCodeSpeciality, judged only when present.

    Webcert only copies specialities onto the user (HsaAttributeExtractor.extractSpecialiseringar,
    sklintyg/webcert infra/.../hsatk/util/HsaAttributeExtractor.java lines 35-45) and decides nothing on them;
    doctors in AT, BT or ST and general dentists have none. A missing speciality passes, saying so.
    """
    entry = entry_of(evidence)
    found = values(entry, "speciality")
    expected = "hsaSosTitleCodeSpeciality '<code>;<speciality code>;<text>' when present"
    if not found:
        return Outcome(PASSED, expected, None, "no speciality registered (hsaSosTitleCodeSpeciality): none is needed, "
                       "Webcert only shows specialities when HSA has them")
    problems = [p for p in (rules.speciality_problem(v) for v in found) if p]
    return passed_if(not problems, expected, ", ".join(found), "speciality: %s" % ", ".join(found), "; ".join(problems))


@check_type("hsa_person_title", needs=NO_NEEDS)
def judge_hsa_person_title(check, evidence):
    entry = entry_of(evidence)
    codes, names = values(entry, "title_code"), values(entry, "title_name")
    expected = "paTitleCode (6 digits) with paTitleName, as a pair"
    actual = "codes %s, names %s" % (", ".join(codes) or "none", ", ".join(names) or "none")
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


@check_type("declared_fact", needs=NO_NEEDS)
def judge_declared_fact(check, evidence):
    """A fact software cannot check (paperwork), as the region declares it in the inventory; the report shows it.
    Not declared is not_reviewed, never passed."""
    fact = (evidence.get("declared") or {}).get(check["fact"])
    variable = "webcert_%s" % check["fact"]
    if fact is None:
        raise NotCollected("not declared: the region states it in the inventory (%s: {signed: true, date: ..., "
                           "reference: ...}); software cannot check it" % variable)
    shown = "signed %s%s" % (fact.get("date") or "(no date)", ", reference %s" % fact["reference"]
                             if fact.get("reference") else "")
    if fact["signed"]:
        return Outcome(PASSED, "declared signed (%s)" % variable, shown, "declared in the inventory: %s %s"
                       % (check["label"], shown), {"declared": fact})
    return Outcome(FAILED, "declared signed (%s)" % variable, "not signed", "declared in the inventory: %s is not "
                   "signed yet" % check["label"], {"declared": fact})
