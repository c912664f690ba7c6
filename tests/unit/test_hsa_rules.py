"""The pure HSA rules (plugins/module_utils/hsa_rules.py): formats, dates and Webcert's role rules."""

import datetime

import pytest

from ansible_collections.webcert.fleet.plugins.module_utils import hsa_rules as rules
from ansible_collections.webcert.fleet.plugins.module_utils.hsa_dn import parent_dns
from ansible_collections.webcert.fleet.plugins.module_utils.hsa_ldap import DirectoryError, attribute_map, equals_filter
from ansible_collections.webcert.fleet.plugins.module_utils.swedish_time import SwedishTime

UTC = datetime.timezone.utc


@pytest.mark.parametrize("value", ["SE5591234561-1000", "SE165565594230-WEBCERT01", "SE2321000016-A1b2",
                                   "SE5591234561-" + "x" * 19])
def test_well_formed_hsa_ids(value):
    assert rules.hsa_id_problem(value) is None


@pytest.mark.parametrize("value, why", [
    (None, "missing"), ("", "missing"), ("SE559123456-1000", "does not match"), ("SE5591234561-", "does not match"),
    ("SE5591234561-Å1", "does not match"), ("SE5591234561-a@b", "does not match"),
    ("SE5591234561-" + "x" * 20, "longer than 32"), ("*", "does not match"),
    ("SE5591234561-1)(|(hsaIdentity=*", "does not match"), ("SE5591234561-1\\2a", "does not match")])
def test_malformed_hsa_ids(value, why):
    assert why in rules.hsa_id_problem(value)


@pytest.mark.parametrize("digits", ["2321000016", "2321000131", "5565594230", "2321000156", "5591234561"])
def test_luhn_accepts_the_reference_examples(digits):
    assert rules.luhn_valid(digits)
    assert rules.org_no_problem(digits) == (None, False)


def test_org_no_with_hyphen_is_accepted():
    assert rules.org_no_problem("559123-4561") == (None, False)


@pytest.mark.parametrize("value, text, personal", [
    (None, "missing", False), ("  ", "missing", False), ("559123456", "not 10 digits", False),
    ("55912345AB", "not 10 digits", False), ("5591234562", "Luhn", False),
    ("8112189876", "personal identity number", True)])
def test_org_no_problems(value, text, personal):
    problem, is_personal = rules.org_no_problem(value)
    assert text in problem and is_personal is personal


@pytest.mark.parametrize("value, ok", [("a@b.se", True), ("vardcentralen@exempelkliniken.invalid", True),
                                       ("a@b", False), ("inte en adress", False), ("a@@b.se", False),
                                       ("a@b..se", False), ("", False)])
def test_email(value, ok):
    assert rules.email_valid(value) is ok


@pytest.mark.parametrize("value, text", [("1234567", None), ("1234567890", None), (None, "missing"),
                                         ("0000000", "placeholder"), ("12AB34", "does not match"),
                                         ("1234", "does not match")])
def test_workplace_code(value, text):
    problem = rules.workplace_code_problem(value)
    assert (problem is None) if text is None else (text in problem)


@pytest.mark.parametrize("value, ok", [("LK;30014;Barn- och ungdomshematologi och onkologi", True),
                                       ("Allmänmedicin", False), ("LK;;Allmänmedicin", False),
                                       ("LK;ABC;Allmänmedicin", False), ("LK;1500;Allm;x", False)])
def test_speciality(value, ok):
    assert (rules.speciality_problem(value) is None) is ok


@pytest.mark.parametrize("text, expected", [
    # GeneralizedTime: the digits are Swedish wall-clock time whatever the zone says, as Webcert reads them
    # (TypeConverterHelper.toLocalDate drops the zone; OrganizationUtil.isActive compares LocalDateTime.now()).
    ("20231231000000Z", datetime.datetime(2023, 12, 30, 23, tzinfo=UTC)),
    ("20231231120000.5Z", datetime.datetime(2023, 12, 31, 11, tzinfo=UTC)),
    ("20231231120000+0100", datetime.datetime(2023, 12, 31, 11, tzinfo=UTC)),
    ("20231231120000-0500", datetime.datetime(2023, 12, 31, 11, tzinfo=UTC)),
    ("20250615120000Z", datetime.datetime(2025, 6, 15, 10, tzinfo=UTC)),
    ("202312311200Z", datetime.datetime(2023, 12, 31, 11, tzinfo=UTC)),
    # Without a zone: Swedish local time (CET in winter, CEST in summer).
    ("20231231", datetime.datetime(2023, 12, 30, 23, tzinfo=UTC)),
    ("2023-12-31", datetime.datetime(2023, 12, 30, 23, tzinfo=UTC)),
    ("20250615", datetime.datetime(2025, 6, 14, 22, tzinfo=UTC)),
    ("20231231120000", datetime.datetime(2023, 12, 31, 11, tzinfo=UTC)),
    ("2011-12-09 00:00:00.0", datetime.datetime(2011, 12, 8, 23, tzinfo=UTC)),
    ("2011-12-09 13:45", datetime.datetime(2011, 12, 9, 12, 45, tzinfo=UTC)),
    ("", None), (None, None)])
def test_dates_in_every_listed_format(text, expected):
    assert rules.parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/12/2020", "20231340", "2023-02-30", "yesterday", "2023123"])
def test_bad_dates_name_the_text(text):
    with pytest.raises(ValueError, match=text.replace("/", "/")):
        rules.parse_date(text)


@pytest.mark.parametrize("value, expected", [
    ("SE5591234561-P001", ("SE5591234561-P001", None, None)),
    # A date-only end date is valid through that Swedish day (hsa_end_date_inclusive, default true).
    ("SE5591234561-P002;20240101;20250101", ("SE5591234561-P002", datetime.datetime(2023, 12, 31, 23, tzinfo=UTC),
                                             datetime.datetime(2025, 1, 1, 22, 59, 59, 999999, tzinfo=UTC))),
    ("hsaP2;;2011-12-09 00:00:00.0", ("hsaP2", None, datetime.datetime(2011, 12, 8, 23, tzinfo=UTC))),
    ("hsaP1;;", ("hsaP1", None, None)),
    ("x;20240101000000Z;", ("x", datetime.datetime(2023, 12, 31, 23, tzinfo=UTC), None))])
def test_commission_member_values(value, expected):
    assert rules.parse_commission_member(value) == expected


def test_commission_member_with_too_many_parts():
    with pytest.raises(ValueError, match="more than three"):
        rules.parse_commission_member("a;20240101;20250101;x")


def test_is_active_is_webcerts_rule():
    now = datetime.datetime(2026, 6, 1, tzinfo=UTC)
    day = datetime.timedelta(days=1)
    assert rules.is_active(None, None, now)
    assert rules.is_active(now - day, None, now) and rules.is_active(None, now + day, now)
    assert not rules.is_active(now + day, None, now) and not rules.is_active(None, now - day, now)
    assert not rules.is_active(now, None, now)  # start < now, strictly


def test_care_purpose_ignores_case_only():
    assert rules.is_care_purpose(["VÅRD OCH BEHANDLING"]) and rules.is_care_purpose(["Statistik", "vård och behandling"])
    assert not rules.is_care_purpose(["Vård och behandling, utökad"]) and not rules.is_care_purpose([])


@pytest.mark.parametrize("titles, codes, prescribers, role, rule", [
    (["Läkare"], [], [], "LAKARE", "1:"),
    (["Tandläkare"], [], [], "TANDLAKARE", "1:"),
    (["Tandläkare", "Läkare"], [], [], "LAKARE", "1:"),          # Läkare is tested first
    (["Barnmorska"], ["204010"], [], "LAKARE", "2:"),              # title codes before nurses and midwives
    ([], ["203020"], [], "LAKARE", "2: befattningskod (paTitleCode) 203020"),
    ([], ["203090"], ["9300005"], "LAKARE", "3:"),
    ([], ["203090"], ["9400003"], "LAKARE", "3:"),
    ([], ["204090"], ["9100009"], "LAKARE", "3:"),
    ([], ["204090"], ["9200007"], "LAKARE", "3:"),
    ([], ["204090"], ["9300005"], "VARDADMINISTRATOR", "5:"),    # wrong pair
    ([], ["203090"], [], "VARDADMINISTRATOR", "5:"),
    (["Sjuksköterska", "Barnmorska"], [], [], "BARNMORSKA", "4:"),  # midwife before nurse
    (["Sjuksköterska"], [], [], "SJUKSKOTERSKA", "4:"),
    (["läkare"], [], [], "VARDADMINISTRATOR", "5:"),               # Webcert compares exactly
    ([], ["201010"], ["1234567"], "VARDADMINISTRATOR", "5:"),      # Överläkare without hsaTitle
    ([], [], [], "VARDADMINISTRATOR", "5:"),
])
def test_webcert_role_rules_in_webcerts_order(titles, codes, prescribers, role, rule):
    decided = rules.resolve_webcert_role(titles, codes, prescribers)
    assert decided["role"] == role
    assert decided["rule"].startswith(rule)


def test_role_type_names_follow_authorities_yaml():
    assert rules.resolve_webcert_role([], ["204010"], [])["role_type_name"] == "Läkare - AT"
    assert rules.resolve_webcert_role([], ["204090"], ["9200007"])["role_type_name"] == "Läkare - Student"


# --- hsa_ldap helpers without a server ----------------------------------------------------------

@pytest.mark.parametrize("value, escaped", [("*", "\\2a"), ("a)(b", "a\\29\\28b"), ("a\\b", "a\\5cb"),
                                            ("a\x00b", "a\\00b")])
def test_filter_values_are_escaped(value, escaped):
    assert equals_filter("hsaIdentity", value) == "(hsaIdentity=%s)" % escaped


def test_attribute_map_overrides_and_rejects_unknown_names():
    assert attribute_map({"mail": "epost"})["mail"] == "epost"
    assert attribute_map()["licensed_profession"] == "hsaTitle"
    with pytest.raises(DirectoryError, match="unknown name 'nope'"):
        attribute_map({"nope": "x"})
    with pytest.raises(DirectoryError, match="not an LDAP attribute name"):
        attribute_map({"mail": "mail)(x=*"})


def test_parent_dns_walk_up_to_the_root():
    assert parent_dns("cn=Uppdrag,ou=Vårdcentralen Exempel,o=Exempelkliniken AB,c=SE") == [
        "ou=Vårdcentralen Exempel,o=Exempelkliniken AB,c=SE", "o=Exempelkliniken AB,c=SE", "c=SE"]


# --- a trailing newline (or a non-ASCII digit) never passes a format check ---------------------

@pytest.mark.parametrize("check, value", [
    (lambda v: rules.hsa_id_problem(v) is None, "SE5591234561-1000"),
    (lambda v: rules.hsa_id_problem(v, r"^TSTNMT\d{10}-[A-Za-z0-9]+$") is None, "TSTNMT2321000156-U001"),
    (lambda v: rules.workplace_code_problem(v) is None, "1234567"),
    (lambda v: rules.org_no_problem(v) == (None, False), "5591234561"),
    (lambda v: rules.org_no_problem(v) == (None, False), "559123-4561"),
    (lambda v: rules.speciality_problem(v) is None, "LK;30014;Allmänmedicin"),
    (lambda v: rules.matches(rules.DEFAULT_PRESCRIBER_CODE_PATTERN, v), "1234567"),
    (lambda v: rules.matches(rules.TITLE_CODE_PATTERN, v), "201011"),
])
@pytest.mark.parametrize("spoil", [lambda v: v + "\n", lambda v: v.replace("1", "\u0661", 1)],
                         ids=["trailing-newline", "arabic-indic-digit"])
def test_pattern_checks_match_the_whole_value(check, value, spoil):
    assert check(value)
    assert spoil(value) != value and not check(spoil(value))


def test_an_email_address_with_a_trailing_newline_is_invalid():
    assert rules.email_valid("vardcentralen@exempelkliniken.invalid")
    assert not rules.email_valid("vardcentralen@exempelkliniken.invalid\n")


# --- Swedish days ------------------------------------------------------------------------------

def member_active(value, now, inclusive=True):
    _unused, start, end = rules.parse_commission_member(value, end_inclusive=inclusive)
    return rules.is_active(start, end, now)


@pytest.mark.parametrize("now, inclusive, active", [
    # End date 2024-12-31 (date only): valid through 2024-12-31 in Sweden, i.e. until 23:00 UTC.
    (datetime.datetime(2024, 12, 31, 12, tzinfo=UTC), True, True),
    (datetime.datetime(2024, 12, 31, 22, 30, tzinfo=UTC), True, True),
    (datetime.datetime(2024, 12, 31, 23, 0, 1, tzinfo=UTC), True, False),
    # Not inclusive: it ends as 2024-12-31 begins in Sweden (2024-12-30 23:00 UTC).
    (datetime.datetime(2024, 12, 30, 22, 30, tzinfo=UTC), False, True),
    (datetime.datetime(2024, 12, 31, 12, tzinfo=UTC), False, False),
])
def test_a_date_only_end_date_is_a_swedish_day(now, inclusive, active):
    assert member_active("SE5591234561-P002;20240101;20241231", now, inclusive) is active


def test_a_date_only_end_date_does_not_expire_at_one_in_the_night_swedish_time():
    # 20250101 used to expire at 00:00 UTC, which is 01:00 in Sweden.
    assert member_active("SE5591234561-P002;;20250101", datetime.datetime(2025, 1, 1, 0, 30, tzinfo=UTC))
    assert not member_active("SE5591234561-P002;;20250101", datetime.datetime(2024, 12, 31, 23, 30, tzinfo=UTC),
                             inclusive=False)


def test_a_start_date_begins_at_swedish_midnight_in_summer_too():
    _unused, start, _unused = rules.parse_commission_member("x;20250615;")
    assert start == datetime.datetime(2025, 6, 14, 22, tzinfo=UTC)


@pytest.mark.parametrize("inclusive", [True, False])
def test_generalized_time_is_swedish_wall_clock_time_whatever_the_setting(inclusive):
    # Webcert drops the zone of the xs:dateTime and compares with LocalDateTime.now() in Sweden: an end of
    # 20241231000000Z ends as 2024-12-31 begins in Sweden (23:00 UTC the day before), not at 01:00.
    _unused, _unused, end = rules.parse_commission_member("x;;20241231000000Z", end_inclusive=inclusive)
    assert end == datetime.datetime(2024, 12, 30, 23, tzinfo=UTC)
    assert rules.parse_date("20241231000000Z", end=True, end_inclusive=inclusive) == end
    assert rules.parse_date("20241231000000+0100", end=True, end_inclusive=inclusive) == end


@pytest.mark.parametrize("now, active", [
    # An endDate of today 00:00 (GeneralizedTime): Webcert's toDate.isAfter(now) is false all day.
    (datetime.datetime(2026, 5, 31, 21, 59, tzinfo=UTC), True),   # 23:59 on 2026-05-31 in Sweden (CEST)
    (datetime.datetime(2026, 5, 31, 22, 0, 1, tzinfo=UTC), False),  # 00:00:01 on 2026-06-01 in Sweden
    (datetime.datetime(2026, 6, 1, 0, 30, tzinfo=UTC), False),     # 02:30 in Sweden: the old UTC reading said active
])
def test_an_end_date_of_today_matches_webcerts_is_active(now, active):
    end = rules.parse_date("20260601000000Z", end=True)
    assert rules.is_active(None, end, now) is active


def test_periods_are_described_in_swedish_days():
    start = rules.parse_date("20240101")
    end = rules.parse_date("20241231", end=True)
    assert rules.describe_period(start, end) == "2024-01-01 .. 2024-12-31"
    assert rules.swedish_day(datetime.datetime(2024, 12, 31, 23, 30, tzinfo=UTC)) == "2025-01-01"


def test_the_fallback_without_a_tz_database_agrees_with_zoneinfo():
    zoneinfo = pytest.importorskip("zoneinfo")
    real, fallback = zoneinfo.ZoneInfo("Europe/Stockholm"), SwedishTime()
    moment = datetime.datetime(2023, 1, 1, tzinfo=UTC)
    while moment < datetime.datetime(2027, 1, 1, tzinfo=UTC):
        # UTC -> Swedish wall time, and a Swedish wall-clock hour -> its UTC offset.
        assert moment.astimezone(fallback).replace(tzinfo=None) == moment.astimezone(real).replace(tzinfo=None), moment
        wall = moment.replace(tzinfo=None)
        if not (wall.month in (3, 10) and wall.day > 24 and 2 <= wall.hour < 3):  # the gap and the repeated hour
            assert wall.replace(tzinfo=fallback).utcoffset() == wall.replace(tzinfo=real).utcoffset(), wall
        moment += datetime.timedelta(minutes=30)
