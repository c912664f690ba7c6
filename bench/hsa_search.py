"""Benchmark: verify a generated care provider with N persons the bounded way and the naive way.

Starts a throwaway slapd (scripts/hsa-test-directory) with one provider, two care units, one commission
per unit and N persons, then reads the provider in the same run
  - bounded: ProviderReader, a handful of paged subtree searches (what the audit does);
  - naive:   one search per person for the entry plus one per person for its commissions
             ((&(objectClass=hsaCommission)(hsaCommissionMember=<id>*)), as the VGR code does).
Prints both times, the number of searches, and the ratio. Not a test: numbers depend on the machine.
  python bench/hsa_search.py [--persons 2000] [--rounds 3]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

from ldap3.utils.conv import escape_filter_chars

from ansible_collections.webcert.fleet.plugins.module_utils.hsa_ldap import HsaDirectory, ProviderReader, equals_filter

PROVIDER = "SE5565594230-A000"
UNITS = ("SE5565594230-A001", "SE5565594230-A002")


def ldif(persons):
    parts = ["dn: c=SE\nobjectClass: country\nc: SE\n",
             "dn: o=Bench AB,c=SE\nobjectClass: organization\nobjectClass: hsaOrganizationExtension\n"
             "objectClass: hsaHealthCareProvider\no: Bench AB\nhsaIdentity: %s\norgNo: 5565594230\n" % PROVIDER,
             "dn: ou=Personal,o=Bench AB,c=SE\nobjectClass: organizationalUnit\nou: Personal\n"]
    members = {unit: [] for unit in UNITS}
    for n in range(persons):
        hsa_id = "SE5565594230-P%05d" % n
        members[UNITS[n % 2]].append("hsaCommissionMember: %s;20240101;20991231" % hsa_id)
        parts.append("dn: cn=Person %d,ou=Personal,o=Bench AB,c=SE\nobjectClass: inetOrgPerson\n"
                     "objectClass: hsaPersonExtension\ncn: Person %d\nsn: Bench\nhsaIdentity: %s\nhsaTitle: Läkare\n"
                     "personalPrescriptionCode: 1234567\n" % (n, n, hsa_id))
    for index, unit in enumerate(UNITS):
        name = "Enhet %d" % index
        parts.append("dn: ou=%s,o=Bench AB,c=SE\nobjectClass: organizationalUnit\nobjectClass: hsaOrganizationExtension\n"
                     "objectClass: hsaHealthCareUnit\nou: %s\nhsaIdentity: %s\nhsaResponsibleHealthCareProvider: %s\n"
                     "mail: enhet%d@bench.invalid\nunitPrescriptionCode: 123456%d\n" % (name, name, unit, PROVIDER, index, index))
        parts.append("dn: cn=VoB %s,ou=%s,o=Bench AB,c=SE\nobjectClass: hsaCommission\ncn: VoB %s\nhsaIdentity: %s-U\n"
                     "hsaCommissionPurpose: Vård och behandling\n%s\n" % (name, name, name, unit, "\n".join(members[unit])))
    return "\n".join(parts)


def bounded(options, person_ids):
    directory = HsaDirectory(options)
    try:
        data = ProviderReader(directory, PROVIDER, UNITS, person_ids).read()
    finally:
        directory.close()
    assert not data["errors"], data["errors"]
    return len(data["persons"]), data["searches"]


def naive(options, person_ids):
    directory = HsaDirectory(options)
    names = directory.names
    try:
        found = 0
        for hsa_id in person_ids:
            found += len(directory.search(options["base_dn"], equals_filter(names["hsa_id"], hsa_id)))
            directory.search(options["base_dn"], "(&%s(%s=%s*))" % (
                equals_filter(names["object_class"], names["class_commission"]), names["commission_member"],
                escape_filter_chars(hsa_id)))
    finally:
        directory.close()
    return found, directory.requests


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3, help="take the best of this many runs of each way")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "bench.ldif")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(ldif(args.persons))
        state = os.path.join(work, "state")
        script = os.path.join(REPO, "scripts", "hsa-test-directory")
        up = subprocess.run([sys.executable, script, "--state", state, "up", "--ldif", path], capture_output=True,
                            text=True, check=True)
        info = json.loads(up.stdout)
        options = {"uri": [info["uri"]], "base_dn": info["base_dn"], "bind_dn": info["bind_dn"],
                   "bind_password": info["password"], "page_size": 500, "search_timeout": 60}
        person_ids = ["SE5565594230-P%05d" % n for n in range(args.persons)]
        try:
            times = {}
            for name, way in (("bounded", bounded), ("naive", naive)):
                best = None
                for _unused in range(args.rounds):
                    started = time.perf_counter()
                    found, searches = way(options, person_ids)
                    elapsed = time.perf_counter() - started
                    best = elapsed if best is None else min(best, elapsed)
                assert found == args.persons, (name, found)
                times[name] = best
                print("%-8s %6d persons  %5d searches  %8.3f s" % (name, found, searches, best))
            print("ratio    naive / bounded = %.1fx" % (times["naive"] / times["bounded"]))
        finally:
            subprocess.run([sys.executable, script, "--state", state, "down"], capture_output=True, check=False)


if __name__ == "__main__":
    main()
