# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Can this person work in Webcert on this PC? One verdict per person and workstation, joined from the judged
subjects alone.

The two halves already exist in a run: a workstation audited with the signed-in user's evidence carries the
user's SITHS certificates, whose SERIALNUMBER is the person's HSA-id (the user_certificate judge lists them in
its details), and the directory audit judged that person (commissions per care unit, predicted Webcert role,
licence, prescriber code). The join is by HSA-id, never by name, and reads no directory: every index is built
once, so it costs O(persons + PCs + results), never a search per pair.

A verdict is `not_ready` when anything blocks (an open failure of impact high or critical on the PC, on the
user's certificates, or in HSA for this PC's care unit), else `unknown` when something that could block was not
read (error, not reviewed; the item says why), else `ready`. Lower-impact failures, waived failures and passed
results with a warning are shown as warnings, never as blockers.
"""

from ansible_collections.webcert.fleet.plugins.plugin_utils.results.model import ERROR, FAILED, NOT_REVIEWED, PASSED

VERDICTS = (READY, NOT_READY, UNKNOWN) = ("ready", "not_ready", "unknown")
BLOCKING = ("high", "critical")  # as report.html's "will not be able to work in Webcert"
# The sides a reason comes from: the PC, the user's certificates on that PC, the HSA directory.
SIDES = (PC, CERTIFICATES, HSA) = ("pc", "certificates", "hsa")
USER_CERTIFICATE = "user_certificate"
PERSON_COMMISSION, PERSON_ROLE, ENTRY_FOUND = "hsa_person_commission", "hsa_person_webcert_role", "hsa_entry_found"


def reason(side, subject, result, message=None):
    """One line of a verdict, naming its control and the subject whose result it is (the link to it)."""
    return {"side": side, "control_id": result["control_id"] if result else None,
            "subject_kind": subject["kind"] if subject else None, "subject_id": subject["id"] if subject else None,
            "message": " ".join(str(message if message is not None else result["message"]).split())}


class Reasons:
    """Blockers, warnings and what could not be read, for one verdict."""

    def __init__(self):
        self.blockers, self.warnings, self.unknown = [], [], []

    def add(self, other):
        self.blockers += other.blockers
        self.warnings += other.warnings
        self.unknown += other.unknown
        return self

    def result(self, side, subject, result):
        """Sort one judged result into blocker, warning or unknown (or nothing when it passed plainly)."""
        status, high = result["status"], result["impact"] in BLOCKING
        if result.get("waived"):
            self.warnings.append(reason(side, subject, result, "waived (an accepted exception): %s" % result["message"]))
        elif status == FAILED:
            (self.blockers if high else self.warnings).append(reason(side, subject, result))
        elif status in (ERROR, NOT_REVIEWED) and high:
            self.unknown.append(reason(side, subject, result))
        elif status == PASSED and result.get("warning"):
            self.warnings.append(reason(side, subject, result, result["warning"]))
        return self

    def verdict(self):
        return NOT_READY if self.blockers else UNKNOWN if self.unknown else READY

    def as_dict(self):
        return {"verdict": self.verdict(), "blockers": self.blockers, "warnings": self.warnings,
                "unknown": self.unknown}


def _key(text):
    return (text or "").casefold()


def subject_reasons(side, subject, skip=()):
    """Every result of a subject, but those of the check types in `skip`; a subject in error is unknown."""
    found = Reasons()
    if subject["status"] == "error":
        found.unknown.append(reason(side, subject, None, "%s %s could not be judged: %s"
                                    % (subject["kind"].replace("_", " "), subject["id"], subject.get("error"))))
        return found
    for result in subject["results"]:
        if result["control_id"] not in skip:
            found.result(side, subject, result)
    return found


class Index:
    """The judged subjects of a run, indexed once by what the join looks up."""

    def __init__(self, subjects, controls):
        self.check_type = {c["id"]: c["check_type"] for c in controls}
        self.persons, self.units, self.workstations, self.provider = {}, {}, [], None
        for subject in subjects:
            kind = subject["kind"]
            if kind == "person":
                self.persons.setdefault(_key(subject["id"]), subject)
            elif kind == "care_unit":
                self.units.setdefault(_key(subject["id"]), subject)
            elif kind == "workstation":
                self.workstations.append(subject)
            elif kind == "care_provider" and self.provider is None:
                self.provider = subject
        self.user_controls = {i for i, t in self.check_type.items() if t == USER_CERTIFICATE}
        self._unit_reasons = {}

    def of_type(self, subject, check_type):
        return [r for r in subject["results"] if self.check_type.get(r["control_id"]) == check_type]

    def directory_read(self):
        """Whether the provider's directory was read (its entry found): only then does "not a person of the
        provider" hold."""
        provider = self.provider
        return bool(provider and provider["status"] == "judged" and
                    any(r["status"] == PASSED for r in self.of_type(provider, ENTRY_FOUND)))

    def unit_reasons(self, unit_id):
        """The care unit's and the provider's own findings: they stop everyone on the unit. Worked out once per unit."""
        key = _key(unit_id)
        if key not in self._unit_reasons:
            found = Reasons()
            unit = self.units.get(key)
            if unit is not None:
                found.add(subject_reasons(HSA, unit))
            elif unit_id:
                found.unknown.append(reason(HSA, None, None, "care unit %s was not part of the directory audit" % unit_id))
            if self.provider is not None:
                found.add(subject_reasons(HSA, self.provider))
            self._unit_reasons[key] = found
        return self._unit_reasons[key]


def person_reasons(index, hsa_id, unit_id, clinic, whose="this PC's"):
    """The HSA side for one person on one care unit (the PC's clinic's): found, a valid commission on this very
    unit, the role this clinic expects, licence and prescriber code, and the unit's and provider's findings."""
    found = Reasons()
    person = index.persons.get(_key(hsa_id))
    if person is None:
        if index.directory_read():
            found.blockers.append(reason(HSA, None, None, "%s is not a person of the audited care provider: no "
                                         "commission on any of its care units lists the HSA-id (no other provider's "
                                         "directory is searched)" % hsa_id))
        else:
            found.unknown.append(reason(HSA, None, None, "%s could not be looked up: the care provider's directory "
                                        "was not read in this run" % hsa_id))
        return found.add(index.unit_reasons(unit_id)) if unit_id else found
    if not unit_id:
        found.unknown.append(reason(HSA, None, None, "the PC has no care unit (webcert_care_unit_hsa_id) in the "
                                    "inventory, so the commission it needs cannot be named"))
    skip = {r["control_id"] for r in index.of_type(person, PERSON_COMMISSION) + index.of_type(person, PERSON_ROLE)}
    found.add(subject_reasons(HSA, person, skip))
    if person["status"] == "judged":
        for result in index.of_type(person, PERSON_COMMISSION):
            _commission_on_unit(found, person, result, unit_id, clinic, whose)
        listed = {_key(u.get("care_unit_hsa_id")): u.get("role") for u in person.get("expected_care_units") or []}
        for result in index.of_type(person, PERSON_ROLE):
            _role_for_unit(found, person, result, listed.get(_key(unit_id)))
    if unit_id:
        found.add(index.unit_reasons(unit_id))
    return found


def _commission_on_unit(found, person, result, unit_id, clinic, whose):
    details = result.get("details") or {}
    if result["status"] in (ERROR, NOT_REVIEWED) or "commissions" not in details:
        found.result(HSA, person, result)
        return
    if not unit_id:
        return
    purpose = details.get("purpose") or "Vård och behandling"
    links = details["commissions"]
    here = [c for c in links if _key(c.get("care_unit")) == _key(unit_id)]
    if any(not c["problems"] for c in here):
        return
    where = "care unit %s%s" % (unit_id, " (%s)" % clinic if clinic else "")
    text = "no valid %r commission on %s, %s care unit" % (purpose, where, whose)
    if here:
        text += ": " + "; ".join("%s: %s" % (c["commission"], ", ".join(c["problems"])) for c in here)
    elsewhere = sorted({c.get("care_unit") or "(no care unit)" for c in links if not c["problems"]}, key=_key)
    text += ("; the person does have a valid commission on %s" % ", ".join(elsewhere) if elsewhere
             else "; the person has no valid commission on any care unit of the provider")
    found.blockers.append(reason(HSA, person, result, text))


def _role_for_unit(found, person, result, wanted):
    details = result.get("details") or {}
    role = details.get("role")
    if result["status"] in (ERROR, NOT_REVIEWED) or not role:
        found.result(HSA, person, result)
        return
    wanted = wanted or details.get("expected")
    if wanted and _key(wanted) != _key(role):
        found.blockers.append(reason(HSA, person, result, "the clinic lists the person as %s, but Webcert will give %s "
                                     "(rule %s)" % (wanted, role, details.get("rule"))))


def certificate_reasons(index, workstation, hsa_id):
    """The signed-in user's SITHS certificates on this PC (authentication, signing), for this person."""
    found = Reasons()
    who = _person_name(index, hsa_id) or hsa_id
    for result in workstation["results"]:
        if result["control_id"] not in index.user_controls:
            continue
        holder = (result.get("details") or {}).get("hsa_id")
        if hsa_id and holder and _key(holder) != _key(hsa_id) and result["status"] != FAILED:
            found.blockers.append(reason(CERTIFICATES, workstation, result, "the certificate the PC would use is "
                                         "%s's, not %s's: %s" % (holder, hsa_id, result["message"])))
        elif who and result["status"] == PASSED and result.get("warning") and not result.get("waived"):
            # "Bertil Berg's signing certificate expires in 5 days (2026-12-09)"
            found.warnings.append(reason(CERTIFICATES, workstation, result, "%s's %s" % (who, result["warning"])))
        elif result["status"] == FAILED and not result.get("waived"):
            # Whatever the control's impact in the catalogue: without a valid authentication certificate the
            # person cannot log in, without a signing one they cannot sign.
            found.blockers.append(reason(CERTIFICATES, workstation, result))
        else:
            found.result(CERTIFICATES, workstation, result)
    return found


def pc_reasons(index, workstation):
    """The PC's own findings (card client, reader, IE mode and site list, JavaScript, CA trust, ...): the same for
    everyone who signs in there, as the workstation's profile (inera-classic or inera-2024) judged them."""
    return subject_reasons(PC, workstation, skip=index.user_controls)


def signed_in_persons(index, workstation):
    """The HSA-ids of the SITHS certificates found in the signed-in user's store, in order."""
    seen = {}
    for result in workstation["results"]:
        if result["control_id"] in index.user_controls:
            for hsa_id in (result.get("details") or {}).get("hsa_ids") or []:
                seen.setdefault(_key(hsa_id), hsa_id)
    return list(seen.values())


def _person_name(index, hsa_id):
    person = index.persons.get(_key(hsa_id))
    return person.get("name") if person else None


def _notice(notices, profile):
    return next((n["text"] for n in notices if n["profile"] == profile), None)


def _count(verdicts):
    counts = dict.fromkeys(VERDICTS, 0)
    for verdict in verdicts:
        counts[verdict["verdict"]] += 1
    return counts


def build_readiness(subjects, controls, notices=()):
    """The report's readiness section: {pairs, expected, by_clinic}.

    pairs: one verdict per person seen signed in on a PC (their SITHS certificates' HSA-id) and that PC.
    expected: one verdict per person a clinic lists (webcert_hsa_staff) but who was never seen on one of its PCs,
    with the HSA side in full and how many of the clinic's PCs are ready for anyone (pcs_ready of pcs_total).
    """
    index = Index(subjects, controls)
    pairs, seen, pcs = [], set(), {}
    for workstation in index.workstations:
        unit_id, clinic = workstation.get("care_unit_hsa_id"), workstation.get("clinic")
        pc = pc_reasons(index, workstation)
        pcs.setdefault(_key(unit_id), []).append(pc.verdict() == READY)
        if not workstation.get("user_context"):
            continue  # no signed-in user's evidence: nobody to join (the PC still counts for its clinic)
        common = {"workstation": workstation["id"], "clinic": clinic, "care_unit_hsa_id": unit_id,
                  "profile": workstation.get("profile"), "user_context": workstation.get("user_context"),
                  "notice": _notice(notices, workstation.get("profile"))}
        holders = signed_in_persons(index, workstation)
        if not holders:
            found = Reasons().add(pc)
            found.add(certificate_reasons(index, workstation, None))
            found.unknown.append(reason(CERTIFICATES, workstation, None, "the signed-in user %s has no SITHS "
                                        "certificate on this PC, so the person's HSA-id cannot be read"
                                        % workstation.get("user_context")))
            pairs.append(dict(common, person_hsa_id=None, person_name=None, **found.as_dict()))
            continue
        for hsa_id in holders:
            found = Reasons().add(pc).add(certificate_reasons(index, workstation, hsa_id))
            found.add(person_reasons(index, hsa_id, unit_id, clinic))
            seen.add((_key(hsa_id), _key(unit_id)))
            pairs.append(dict(common, person_hsa_id=hsa_id, person_name=_person_name(index, hsa_id), **found.as_dict()))
    expected = []
    for person in index.persons.values():
        for listed in person.get("expected_care_units") or []:
            unit_id = listed.get("care_unit_hsa_id")
            if (_key(person["id"]), _key(unit_id)) in seen:
                continue
            found = person_reasons(index, person["id"], unit_id, listed.get("clinic"), "the clinic's")
            ready_pcs = pcs.get(_key(unit_id), [])
            expected.append(dict(person_hsa_id=person["id"], person_name=person.get("name"),
                                 clinic=listed.get("clinic"), care_unit_hsa_id=unit_id, role=listed.get("role"),
                                 predicted_role=person.get("webcert_role"), pcs_total=len(ready_pcs),
                                 pcs_ready=sum(ready_pcs), **found.as_dict()))
    for pair in pairs:
        person = index.persons.get(_key(pair["person_hsa_id"])) or {}
        listed = {_key(u.get("care_unit_hsa_id")): u.get("role") for u in person.get("expected_care_units") or []}
        pair["role"] = listed.get(_key(pair["care_unit_hsa_id"]))
        pair["predicted_role"] = person.get("webcert_role")
    # In an order of their own, not the subjects': a run and the merge of its slices give the same section.
    pairs.sort(key=lambda p: (_key(p["clinic"]), _key(p["workstation"]), _key(p["person_hsa_id"])))
    expected.sort(key=lambda e: (_key(e["clinic"]), _key(e["care_unit_hsa_id"]), _key(e["person_hsa_id"])))
    by_clinic = {}
    for item in pairs + expected:
        by_clinic.setdefault(item.get("clinic") or "(no clinic)", {"pairs": [], "expected": []})[
            "expected" if "pcs_total" in item else "pairs"].append(item)
    return {"pairs": pairs, "expected": expected,
            "by_clinic": {clinic: {"pairs": _count(lists["pairs"]), "expected": _count(lists["expected"])}
                          for clinic, lists in sorted(by_clinic.items())}}


def verdict_for(subjects, controls, notices, workstation_id, hsa_id=None):
    """The verdicts for one PC (scripts/webcert-readiness): its signed-in persons', or, given `hsa_id`, that
    person's on this PC, whose certificates were then not seen there (unknown, unless seen)."""
    readiness = build_readiness(subjects, controls, notices)
    pairs = [p for p in readiness["pairs"] if _key(p["workstation"]) == _key(workstation_id)]
    if hsa_id is None:
        return pairs
    mine = [p for p in pairs if _key(p["person_hsa_id"]) == _key(hsa_id)]
    if mine:
        return mine
    index = Index(subjects, controls)
    workstation = next((w for w in index.workstations if _key(w["id"]) == _key(workstation_id)), None)
    if workstation is None:
        return []
    unit_id, clinic = workstation.get("care_unit_hsa_id"), workstation.get("clinic")
    found = Reasons().add(pc_reasons(index, workstation)).add(person_reasons(index, hsa_id, unit_id, clinic))
    found.unknown.append(reason(CERTIFICATES, workstation, None, "%s's SITHS certificates were not seen on this PC "
                                "(their own logon evidence would show them)" % hsa_id))
    person = index.persons.get(_key(hsa_id)) or {}
    listed = {_key(u.get("care_unit_hsa_id")): u.get("role") for u in person.get("expected_care_units") or []}
    return [dict(workstation=workstation["id"], clinic=clinic, care_unit_hsa_id=unit_id,
                 profile=workstation.get("profile"), user_context=None, notice=_notice(notices, workstation.get("profile")),
                 person_hsa_id=hsa_id, person_name=person.get("name"), role=listed.get(_key(unit_id)),
                 predicted_role=person.get("webcert_role"), **found.as_dict())]
