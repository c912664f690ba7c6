"""Connecting to HSA for real: LDAPS/StartTLS validation, bad credentials, dead, frozen and killed
servers, failover, and paged reads beyond the server's size limit. Every case runs against slapd."""

import json
import os
import signal
import time

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

import hsa_test_directory as hsa

from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.audit.directory import judge_directory
from ansible_collections.webcert.fleet.plugins.module_utils.hsa_ldap import HsaDirectory, ProviderReader, read_provider

CATALOGUE = load_catalogue()
PROVIDER = "SE5565594230-A000"
REGION = {"provider_hsa_id": PROVIDER, "provider_name": "Friskvården AB",
          "care_units": [{"hsa_id": "SE5565594230-A001", "clinic": "Vårdcentralen Frisk"}],
          "staff": [{"hsa_id": "SE5565594230-AP01", "role": "LAKARE", "care_unit_hsa_id": "SE5565594230-A001"},
                    {"hsa_id": "SE5565594230-AP99", "role": "LAKARE", "care_unit_hsa_id": "SE5565594230-A001"}],
          "registered_units": ["SE5565594230-A001"]}


def read(info, **overrides):
    return read_provider(hsa.options(info, **overrides), PROVIDER, ["SE5565594230-A001"],
                         ["SE5565594230-AP01", "SE5565594230-AP99"])


def judge(data):
    return {(s["kind"], s["id"]): s for s in judge_directory(CATALOGUE, {}, data, REGION, now=hsa.AS_OF)}


def closed_port():
    import socket  # pylint: disable=import-outside-toplevel
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def assert_all_error(subjects, text):
    for key, subject in subjects.items():
        assert subject["status"] == "error", key
        for res in subject["results"]:
            assert res["status"] == "error", (key, res["control_id"])
            assert text in res["message"], res["message"]


# --- TLS ---------------------------------------------------------------------------------------

def test_ldaps_with_the_generated_ca_is_validated_and_works(hsa_directory):
    data = read(hsa_directory)
    assert hsa_directory["uri"].startswith("ldaps://") and data["server"] == hsa_directory["uri"]
    assert data["errors"] == {}
    assert data["provider"]["attributes"]["hsa_id"] == [PROVIDER]


def test_ldaps_refuses_a_certificate_not_issued_by_the_trusted_ca(hsa_directory, hsa_directory_factory):
    other = hsa_directory_factory(tls=True)  # a second directory with its own, different CA
    for ca_file in (None, other["ca_file"]):
        data = read(hsa_directory, ca_file=ca_file)
        assert data["error_kinds"] == {"provider": "tls", "units": "tls", "persons": "tls"}
        assert "CERTIFICATE_VERIFY_FAILED" in data["errors"]["provider"]
        assert_all_error(judge(data), "TLS failed")


def test_certificate_validation_can_be_turned_off_explicitly(hsa_directory):
    data = read(hsa_directory, ca_file=None, validate_certs=False)
    assert data["errors"] == {}


def test_starttls_on_the_plain_port_validates_too(hsa_directory):
    data = read(hsa_directory, uri=[hsa_directory["plain_uri"]], start_tls=True)
    assert data["errors"] == {} and data["server"] == hsa_directory["plain_uri"]
    refused = read(hsa_directory, uri=[hsa_directory["plain_uri"]], start_tls=True, ca_file=None)
    assert refused["error_kinds"]["provider"] == "tls"


def test_missing_ca_file_is_a_clear_configuration_error(hsa_directory, tmp_path):
    data = read(hsa_directory, ca_file=str(tmp_path / "nope.pem"))
    assert data["error_kinds"]["provider"] == "config"
    assert "nope.pem (webcert_hsa_ca_file)" in data["errors"]["provider"]


# --- credentials and dead servers ------------------------------------------------------------------

def test_wrong_password_is_a_bind_refusal_that_never_shows_the_password(hsa_directory):
    secret = "Wr0ng-But-Secret-%d" % os.getpid()
    data = read(hsa_directory, bind_password=secret)
    assert data["error_kinds"]["provider"] == "bind_refused"
    assert "refused the bind as cn=webcert-audit,c=SE: invalid credentials" in data["errors"]["provider"]
    subjects = judge(data)
    assert_all_error(subjects, "invalid credentials")
    assert secret not in json.dumps(data) + json.dumps(list(subjects.values()))


def test_a_server_that_is_down_gives_errors_naming_it(hsa_directory):
    uri = "ldap://127.0.0.1:%d" % closed_port()
    data = read(hsa_directory, uri=[uri])
    assert data["error_kinds"]["provider"] == "down"
    assert_all_error(judge(data), uri)


def test_a_server_speaking_another_protocol_is_an_error(hsa_directory):
    # Plain LDAP sent to the LDAPS port: slapd's TLS layer answers with no LDAP at all.
    port = hsa_directory["uri"].rsplit(":", 1)[1]
    data = read(hsa_directory, uri=["ldap://127.0.0.1:%s" % port])
    assert data["errors"]["provider"] and data["provider"] is None
    assert all(s["status"] == "error" for s in judge(data).values())


def test_a_frozen_server_times_out_quickly(hsa_directory_factory):
    info = hsa_directory_factory(tls=True)
    os.kill(info["pid"], signal.SIGSTOP)
    try:
        started = time.monotonic()
        data = read(info, connect_timeout=1, search_timeout=1)
        elapsed = time.monotonic() - started
    finally:
        os.kill(info["pid"], signal.SIGCONT)
    assert elapsed < 10
    assert data["error_kinds"]["provider"] == "slow"
    assert_all_error(judge(data), "no answer within the timeout")


def test_a_server_killed_mid_run_errors_only_what_was_not_read(hsa_directory_factory):
    info = hsa_directory_factory()
    directory = HsaDirectory(hsa.options(info))
    reader = ProviderReader(directory, PROVIDER, ["SE5565594230-A001"], ["SE5565594230-AP01"])
    reader.run_phase("provider", reader.read_provider)
    hsa.kill(info)
    reader.run_phase("units", reader.read_units)
    reader.finish()
    directory.close()
    data = reader.data
    assert data["provider"] is not None and "provider" not in data["errors"]
    assert data["error_kinds"]["units"] == "down"
    subjects = judge(data)
    provider = subjects[("care_provider", PROVIDER)]
    assert provider["status"] == "judged"
    assert {r["status"] for r in provider["results"]} == {"passed"}
    for key, subject in subjects.items():
        if key[0] != "care_provider":
            assert subject["status"] == "error", key
            assert "HSA directory:" in subject["error"]


# --- failover ------------------------------------------------------------------------------

def test_failover_to_the_second_uri_when_the_first_is_down(hsa_directory):
    dead = "ldap://127.0.0.1:%d" % closed_port()
    data = read(hsa_directory, uri=[dead, hsa_directory["uri"]])
    assert data["errors"] == {} and data["server"] == hsa_directory["uri"]
    assert len(data["failover"]) == 1 and dead in data["failover"][0]


def test_failover_mid_run_when_the_first_server_dies(hsa_directory_factory):
    # Two replicas of one directory: same data, same audit account.
    first = hsa_directory_factory()
    second = hsa_directory_factory(password=first["password"])
    directory = HsaDirectory(hsa.options(first, uri=[first["uri"], second["uri"]]))
    reader = ProviderReader(directory, PROVIDER, ["SE5565594230-A001"], ["SE5565594230-AP01"])
    reader.run_phase("provider", reader.read_provider)
    assert directory.uri == first["uri"]
    hsa.kill(first)
    reader.run_phase("units", reader.read_units)
    reader.run_phase("persons", reader.read_persons)
    reader.finish()
    directory.close()
    assert reader.data["errors"] == {}
    assert reader.data["server"] == second["uri"]
    assert len(reader.data["persons"]) == 10


def test_a_refused_bind_does_not_fail_over(hsa_directory_factory):
    first, second = hsa_directory_factory(), hsa_directory_factory()
    # The second server would accept its own password: a refusal on the first must stop the read.
    data = read_provider(hsa.options(first, uri=[first["uri"], second["uri"]], bind_password=second["password"]),
                         PROVIDER)
    assert data["error_kinds"]["provider"] == "bind_refused" and first["uri"] in data["errors"]["provider"]


# --- bounded, paged reads ---------------------------------------------------------------------

def big_provider_ldif(path, persons):
    lines = [open(hsa.REGION_LDIF, encoding="utf-8").read().split("# ---------------------------------------------"
                                                                  "------------------- provider B")[0]]
    members = []
    for n in range(persons):
        hsa_id = "SE5565594230-G%05d" % n
        members.append("hsaCommissionMember: %s" % hsa_id)
        lines.append("dn: cn=Person %d,ou=Personal,o=Friskvården AB,c=SE\nobjectClass: inetOrgPerson\n"
                     "objectClass: hsaPersonExtension\ncn: Person %d\nsn: Generated\nhsaIdentity: %s\n" % (n, n, hsa_id))
    lines.append("dn: cn=Stort uppdrag,ou=Vårdcentralen Frisk,o=Friskvården AB,c=SE\nobjectClass: hsaCommission\n"
                 "cn: Stort uppdrag\nhsaIdentity: SE5565594230-AU02\nhsaCommissionPurpose: Vård och behandling\n"
                 + "\n".join(members) + "\n")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_a_provider_beyond_the_size_limit_is_read_whole_with_few_paged_searches(hsa_directory_factory, tmp_path):
    info = hsa_directory_factory(ldif=big_provider_ldif(tmp_path / "big.ldif", 1200))
    data = read(info, page_size=500)
    assert data["errors"] == {}
    assert len(data["persons"]) == 1210  # slapd stops unpaged searches at 500 entries
    # 1 provider + 3 pages of the subtree + 1 for care units elsewhere + 1 lookup of the missing AP99
    assert data["searches"] == 6
    subjects = judge(data)
    assert sum(1 for kind, _unused in subjects if kind == "person") == 1211


def test_no_directory_configured_is_not_reviewed_never_passed():
    subjects = judge_directory(CATALOGUE, {}, None, dict(REGION, not_configured="no HSA directory configured"),
                               now=hsa.AS_OF)
    assert subjects
    for subject in subjects:
        assert {r["status"] for r in subject["results"]} == {"not_reviewed"}
        assert all("no HSA directory configured" in r["message"] for r in subject["results"])


@pytest.mark.parametrize("bad", [{"nosuch": "x"}, {"mail": "mail)(x=*"}])
def test_bad_attribute_renames_are_configuration_errors(hsa_directory, bad):
    data = read(hsa_directory, attribute_names=bad)
    assert data["error_kinds"]["provider"] == "config"
    assert "hsa_attribute_names" in data["errors"]["provider"]


def test_a_base_dn_that_does_not_exist_is_an_error_naming_it(hsa_directory):
    data = read(hsa_directory, base_dn="o=Finns Inte,c=SE")
    assert data["error_kinds"]["provider"] == "config"
    assert "search base 'o=Finns Inte,c=SE' does not exist" in data["errors"]["provider"]
