# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure rules about HSA data (no LDAP, no Ansible): formats, dates, commissions and Webcert's role rules.

Every rule cites ../shared/reference/hsa.md (sections in brackets). Values the reference marks [I]
(inferred) are defaults that the catalogue can override through settings (controls/directory.yml).
"""

import datetime
import functools
import re

from ansible_collections.webcert.fleet.plugins.module_utils.swedish_time import SWEDEN, swedish_day

# [7.1] 'SE' + 10-digit organisation number (optionally prefixed with 16) + '-' + letters/digits.
DEFAULT_HSA_ID_PATTERN = r"^SE(16)?\d{10}-[A-Za-z0-9]+$"
HSA_ID_MAX_LENGTH = 32
# [7.3] numeric, length varies in real data [I]; '0000000' is Webcert's "missing" placeholder.
DEFAULT_WORKPLACE_CODE_PATTERN = r"^\d{5,13}$"
WORKPLACE_CODE_PLACEHOLDER = "0000000"
# [7.4] förskrivarkod and gruppförskrivarkod: 7 digits; no check-digit rule is verified.
DEFAULT_PRESCRIBER_CODE_PATTERN = r"^\d{7}$"
# [5] KV Befattning codes are 6 digits.
TITLE_CODE_PATTERN = r"^\d{6}$"
# [7.5] an RFC 5322-lite address: one @, no spaces, a dot in the domain, no empty labels.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$"
# [6] compared case-insensitively by Webcert (GetUserAuthorizationInfoService).
CARE_AND_TREATMENT = "Vård och behandling"

UTC = datetime.timezone.utc


def matches(pattern, value):
    """True when the WHOLE value matches: re.match with '$' would let a trailing newline through, and a
    plain \\d any Unicode digit; such a value must never pass a format check or reach a filter."""
    return isinstance(value, str) and re.fullmatch(pattern, value, re.ASCII) is not None


# --- identifiers -------------------------------------------------------------------------------

def hsa_id_problem(value, pattern=DEFAULT_HSA_ID_PATTERN):
    """None when `value` is a well-formed HSA-id, else why not. Only well-formed ids reach a filter."""
    if not isinstance(value, str) or not value:
        return "HSA-id is missing"
    if len(value) > HSA_ID_MAX_LENGTH:
        return "HSA-id %r is longer than %d characters" % (value, HSA_ID_MAX_LENGTH)
    if not matches(pattern, value):
        return "HSA-id %r does not match %s" % (value, pattern)
    return None


def luhn_valid(digits):
    """Luhn check over all digits (the last one is the check digit)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        number = int(char)
        if position % 2 == 1:
            number *= 2
            if number > 9:
                number -= 9
        total += number
    return total % 10 == 0


def org_no_problem(value):
    """(problem, is_personal_number) for an organisationsnummer [7.2]; (None, False) when valid.

    A third digit below 2 means the number is a personal identity number (sole trader, enskild
    firma): that is a finding to review, reported as such, not a failure of the tool.
    """
    if value is None or not str(value).strip():
        return "orgNo is missing", False
    text = str(value)
    digits = text.replace("-", "") if matches(r"\d{6}-\d{4}", text) else text
    if not matches(r"\d{10}", digits):
        return "orgNo %r is not 10 digits" % text, False
    if not luhn_valid(digits):
        return "orgNo %r fails the Luhn check digit" % text, False
    if int(digits[2]) < 2:
        return ("orgNo %r has third digit %s (< 2): it is a personal identity number (personnummer), "
                "e.g. a sole trader, not an organisation number" % (text, digits[2])), True
    return None, False


def email_valid(value):
    return matches(EMAIL_PATTERN, value)


def workplace_code_problem(value, pattern=DEFAULT_WORKPLACE_CODE_PATTERN):
    """None when the arbetsplatskod (unitPrescriptionCode) is usable, else why not [7.3]."""
    if value is None or not value.strip():
        return "arbetsplatskod is missing"
    if value.strip() == WORKPLACE_CODE_PLACEHOLDER:
        return "arbetsplatskod is %s, Webcert's placeholder for a missing code" % WORKPLACE_CODE_PLACEHOLDER
    if not matches(pattern, value):
        return "arbetsplatskod %r does not match %s" % (value, pattern)
    return None


def speciality_problem(value):
    """None when hsaSosTitleCodeSpeciality is '<yrkesgruppkod>;<specialitetskod>;<klartext>' [3a]."""
    if not matches(r"[^\r\n]*", value):
        return "speciality %r contains a line break" % value
    parts = value.split(";")
    if len(parts) != 3 or not all(part.strip() for part in parts):
        return "speciality %r is not '<profession code>;<speciality code>;<text>'" % value
    if not matches(r"\d+", parts[1].strip()):
        return "speciality %r has a non-numeric speciality code" % value
    return None


# --- dates -------------------------------------------------------------------------------------

_DATE_ONLY = (
    (r"\d{8}", "%Y%m%d"),
    (r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d"),
)
_DATE_TIME = (
    # GeneralizedTime as HSA stores startDate/endDate [6], with or without a zone (Z or +-hhmm) and fraction.
    (r"\d{14}(\.\d+)?(Z|[+-]\d{4})?", "%Y%m%d%H%M%S"),
    (r"\d{12}(Z|[+-]\d{4})?", "%Y%m%d%H%M"),
    (r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?", None),
)


def parse_date(text, end=False, end_inclusive=True):
    """A date in one of the formats the reference lists [6] as an aware datetime in Swedish time; None if empty.

    Accepts GeneralizedTime (20231231000000Z, also with +hhmm or no zone), YYYYMMDD, YYYY-MM-DD and
    YYYY-MM-DD hh:mm[:ss[.f]]. The wall-clock digits are read as Swedish local time WHATEVER zone the value
    carries, because that is what Webcert does: intyg-proxy-service turns the xs:dateTime HSA sends into a
    LocalDateTime in the value's own zone and drops the zone (TypeConverterHelper.toLocalDate,
    sklintyg/intyg-proxy-service integration-common/.../TypeConverterHelper.java lines 31-35), and Webcert
    compares it with LocalDateTime.now() (sklintyg/webcert infra/.../organization/OrganizationUtil.java
    lines 30-47). So an endDate 20260601000000Z ends at midnight starting 2026-06-01 in Sweden, not at 02:00.
    That HSA hands the stored digits on unchanged is an assumption (its service is closed source).

    A date-only value is the start of that day in Sweden, except an END date with end_inclusive (setting
    hsa_end_date_inclusive): then the whole day is still valid. Date-only values occur only inside an
    hsaCommissionMember value, which Webcert never sees: HSA itself leaves out a membership outside its dates
    (docs/hsa.md "Dates"). Raises ValueError naming the text.
    """
    if text is None or not str(text).strip():
        return None
    return _parse_date(str(text).strip(), end, end_inclusive)


@functools.lru_cache(maxsize=65536)
def _parse_date(value, end, end_inclusive):
    """parse_date of a stripped text, cached: a region's audit parses the same membership dates many times."""
    try:
        for pattern, fmt in _DATE_ONLY:
            if re.fullmatch(pattern, value, re.ASCII):
                day = datetime.datetime.strptime(value, fmt).date()
                moment = datetime.time.max if end and end_inclusive else datetime.time.min
                return datetime.datetime.combine(day, moment, tzinfo=SWEDEN)
        for pattern, fmt in _DATE_TIME:
            if re.fullmatch(pattern, value, re.ASCII):
                if fmt is None:
                    parsed = datetime.datetime.fromisoformat(value.replace(" ", "T"))
                else:
                    digits = re.match(r"\d+", value).group(0)
                    parsed = datetime.datetime.strptime(digits, fmt)
                return parsed.replace(tzinfo=SWEDEN)
    except ValueError:
        pass
    raise ValueError("%r is not a date in a known format (GeneralizedTime, YYYYMMDD, YYYY-MM-DD[ hh:mm:ss])"
                     % value)


def is_active(start, end, now):
    """Webcert's OrganizationUtil.isActive [6]: start < now < end; a missing date is open-ended."""
    return (start is None or start < now) and (end is None or now < end)


def describe_period(start, end):
    def text(moment):
        return swedish_day(moment) if moment else "open"
    return "%s .. %s" % (text(start), text(end))


# --- commissions -------------------------------------------------------------------------------

def commission_member_id(value):
    """The person's HSA-id in an hsaCommissionMember value (the part before any ';') [6]."""
    return value.split(";")[0].strip()


def parse_commission_member(value, end_inclusive=True):
    """(hsa_id, start, end) of an hsaCommissionMember value: '<hsaId>' or '<hsaId>;<start>;<end>' [6].

    Either date may be empty. Raises ValueError for a date in an unknown format.
    """
    parts = value.split(";")
    hsa_id = commission_member_id(value)
    start = parse_date(parts[1]) if len(parts) > 1 else None
    end = parse_date(parts[2], end=True, end_inclusive=end_inclusive) if len(parts) > 2 else None
    if len(parts) > 3:
        raise ValueError("hsaCommissionMember %r has more than three ';'-separated parts" % value)
    return hsa_id, start, end


def is_care_purpose(purposes, wanted=CARE_AND_TREATMENT):
    """True when one of the purposes equals `wanted`, ignoring case (Webcert's equalsIgnoreCase)."""
    return any(p.strip().casefold() == wanted.casefold() for p in purposes or [])


# --- Webcert role ------------------------------------------------------------------------------

LAKARE, TANDLAKARE, SJUKSKOTERSKA, BARNMORSKA, VARDADMINISTRATOR = (
    "LAKARE", "TANDLAKARE", "SJUKSKOTERSKA", "BARNMORSKA", "VARDADMINISTRATOR")
WEBCERT_ROLES = (LAKARE, TANDLAKARE, SJUKSKOTERSKA, BARNMORSKA, VARDADMINISTRATOR)
# [5] step 2: AT and BT doctors are LAKARE on the befattningskod alone.
TITLE_CODES_DOCTOR = {"204010": "Läkare - AT", "203020": "Läkare - BT"}
# [5] step 3: (befattningskod, gruppförskrivarkod) pairs from authorities.yaml `titleCodes`.
TITLE_CODE_PRESCRIBER_PAIRS = {
    ("203090", "9300005"): "Läkare - inom EU",
    ("203090", "9400003"): "Läkare - utom EU",
    ("204090", "9100009"): "Läkare - Vikariat",
    ("204090", "9200007"): "Läkare - Student",
}
# [5] befattningskoder of doctors without a licence (ej legitimerad): no hsaTitle is expected.
UNLICENSED_DOCTOR_TITLE_CODES = ("204010", "204090")


def resolve_webcert_role(titles, title_codes, prescriber_codes):
    """The role Webcert gives at login, by CommonAuthoritiesResolver.lookupUserRole in its order [5].

    titles: hsaTitle values (legitimerad yrkesgrupp); title_codes: paTitleCode values (befattningskod);
    prescriber_codes: personalPrescriptionCode plus hsaGroupPrescriptionCode values.
    Returns {"role", "role_type_name", "rule"}: the first rule that matched decides. Like Webcert
    (Java List.contains), the profession names are compared exactly.
    """
    titles = [t.strip() for t in titles or []]
    title_codes = [c.strip() for c in title_codes or []]
    prescriber_codes = [c.strip() for c in prescriber_codes or []]
    if "Läkare" in titles:
        return _role(LAKARE, "Läkare", "1: legitimerad yrkesgrupp (hsaTitle) is 'Läkare'")
    if "Tandläkare" in titles:
        return _role(TANDLAKARE, "Tandläkare", "1: legitimerad yrkesgrupp (hsaTitle) is 'Tandläkare'")
    for code, name in TITLE_CODES_DOCTOR.items():
        if code in title_codes:
            return _role(LAKARE, name, "2: befattningskod (paTitleCode) %s" % code)
    for (code, prescriber), name in TITLE_CODE_PRESCRIBER_PAIRS.items():
        if code in title_codes and prescriber in prescriber_codes:
            return _role(LAKARE, name, "3: befattningskod %s with gruppförskrivarkod %s" % (code, prescriber))
    if "Barnmorska" in titles:
        return _role(BARNMORSKA, "Barnmorska", "4: legitimerad yrkesgrupp (hsaTitle) is 'Barnmorska'")
    if "Sjuksköterska" in titles:
        return _role(SJUKSKOTERSKA, "Sjuksköterska", "4: legitimerad yrkesgrupp (hsaTitle) is 'Sjuksköterska'")
    return _role(VARDADMINISTRATOR, "Vårdadministratör",
                 "5: no doctor, dentist, midwife or nurse rule matched; Webcert's default role")


def _role(role, role_type_name, rule):
    return {"role": role, "role_type_name": role_type_name, "rule": rule}
