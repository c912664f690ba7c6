"""The pure HSA rules (plugins/module_utils/webcert/hsa_rules.py): formats, dates and Webcert's role rules."""

import datetime

import pytest

from webcert import hsa_rules as rules
from webcert.hsa_ldap import DirectoryError, attribute_map, equals_filter, parent_dns

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
    ("20231231000000Z", datetime.datetime(2023, 12, 31, tzinfo=UTC)),
    ("20231231120000.5Z", datetime.datetime(2023, 12, 31, 12, tzinfo=UTC)),
    ("20231231120000+0100", datetime.datetime(2023, 12, 31, 11, tzinfo=UTC)),
    ("202312311200Z", datetime.datetime(2023, 12, 31, 12, tzinfo=UTC)),
    ("20231231", datetime.datetime(2023, 12, 31, tzinfo=UTC)),
    ("2023-12-31", datetime.datetime(2023, 12, 31, tzinfo=UTC)),
    ("2011-12-09 00:00:00.0", datetime.datetime(2011, 12, 9, tzinfo=UTC)),
    ("2011-12-09 13:45", datetime.datetime(2011, 12, 9, 13, 45, tzinfo=UTC)),
    ("", None), (None, None)])
def test_dates_in_every_listed_format(text, expected):
    assert rules.parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/12/2020", "20231340", "2023-02-30", "yesterday", "2023123"])
def test_bad_dates_name_the_text(text):
    with pytest.raises(ValueError, match=text.replace("/", "/")):
        rules.parse_date(text)


@pytest.mark.parametrize("value, expected", [
    ("SE5591234561-P001", ("SE5591234561-P001", None, None)),
    ("SE5591234561-P002;20240101;20250101", ("SE5591234561-P002", datetime.datetime(2024, 1, 1, tzinfo=UTC),
                                             datetime.datetime(2025, 1, 1, tzinfo=UTC))),
    ("hsaP2;;2011-12-09 00:00:00.0", ("hsaP2", None, datetime.datetime(2011, 12, 9, tzinfo=UTC))),
    ("hsaP1;;", ("hsaP1", None, None)),
    ("x;20240101000000Z;", ("x", datetime.datetime(2024, 1, 1, tzinfo=UTC), None))])
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
