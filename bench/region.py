"""Generate a region at scale for the benchmarks: an HSA directory (LDIF) and a folder of PC evidence files.

Directory: one care provider, `units` care units with one "Vård och behandling" commission each, and
`persons` persons (a third doctors), placed under their home unit. Some persons are members of
several units' commissions. Realistic defects, each in a few percent of the entries: a person without
surname, a doctor without prescriber code, an expired or malformed membership, a member that is not
in the directory, a unit without mail or with a placeholder workplace code, a unit not registered with
Inera. Workstations: `hosts` evidence files made from tests/fixtures/evidence with per-host variation
(host name, collection time, Net iD version), a few of them broken (not JSON, wrong host, no schema
version).

  python bench/region.py directory OUT.ldif [--persons 10000] [--units 200]
  python bench/region.py evidence OUT_DIR [--hosts 5000]

Deterministic: the same arguments give the same bytes.
"""

import argparse
import json
import os
import random

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
FIXTURES = os.path.join(REPO, "tests", "fixtures", "evidence")

PROVIDER = "SE2321000131-E000000000001"
PROVIDER_NAME = "Region Benchmark"
PROVIDER_DN = "o=%s,c=SE" % PROVIDER_NAME


def unit_id(number):
    return "SE2321000131-E%06d" % (number + 1)


def person_id(number):
    return "SE2321000131-P%06d" % (number + 1)


def unit_dn(number):
    return "ou=Enhet %03d,%s" % (number, PROVIDER_DN)


# Professions: (share, hsaTitle, paTitleCode, paTitleName, prescriber code, speciality)
PROFESSIONS = [
    (1 / 3, "Läkare", "201010", "Överläkare", True, "LK;1010;Allmänmedicin"),
    (1 / 3, "Sjuksköterska", "301010", "Sjuksköterska", False, None),
    (0.08, "Barnmorska", "302010", "Barnmorska", False, None),
    (0.04, "Tandläkare", "501010", "Tandläkare", True, "TL;1040;Ortodonti"),
    (0.2133, None, None, None, False, None),  # administrative staff (vårdadministratör)
]


def profession(rng, number):
    """Exactly a third of the persons are doctors (every third); the rest by share."""
    if number % 3 == 0:
        return PROFESSIONS[0]
    weights = [p[0] for p in PROFESSIONS[1:]]
    return rng.choices(PROFESSIONS[1:], weights=weights)[0]


def directory_ldif(persons=10000, units=200, seed=13):
    """The region as LDIF text, plus the facts a bench needs (ids, registered units)."""
    rng = random.Random(seed)
    out = ["dn: c=SE\nobjectClass: country\nc: SE\n",
           "dn: %s\nobjectClass: organization\nobjectClass: hsaOrganizationExtension\n"
           "objectClass: hsaHealthCareProvider\no: %s\nhsaIdentity: %s\norgNo: 2321000131\n"
           "startDate: 20100101000000Z\n" % (PROVIDER_DN, PROVIDER_NAME, PROVIDER)]
    members = [[] for _unit in range(units)]
    person_entries = []
    for number in range(persons):
        home = number % units
        title, code, name, prescriber, speciality = profession(rng, number)[1:]
        hsa_id = person_id(number)
        if rng.random() < 0.01:  # 1 %: no surname, so not even an inetOrgPerson
            lines = ["dn: uid=p%05d,%s" % (number, unit_dn(home)), "objectClass: account",
                     "objectClass: hsaPersonExtension", "uid: p%05d" % number]
        else:
            lines = ["dn: cn=Person %05d,%s" % (number, unit_dn(home)), "objectClass: inetOrgPerson",
                     "objectClass: hsaPersonExtension", "cn: Person %05d" % number, "givenName: Person",
                     "sn: Efternamn%d" % (number % 977)]
        lines.append("hsaIdentity: %s" % hsa_id)
        if title:
            lines.append("hsaTitle: %s" % title)
            lines.append("paTitleCode: %s\npaTitleName: %s" % (code, name))
        if prescriber and rng.random() > 0.03:  # 3 % of doctors and dentists: no prescriber code
            lines.append("personalPrescriptionCode: %07d" % (1000000 + number))
        if speciality:
            lines.append("hsaSosTitleCodeSpeciality: %s" % speciality)
        person_entries.append("\n".join(lines) + "\n")
        # Membership of the home unit's commission: usually open, some expired, a few malformed.
        roll = rng.random()
        if roll < 0.03:
            value = "%s;20200101;20250101" % hsa_id  # expired
        elif roll < 0.035:
            value = "%s;31/12/2020;" % hsa_id  # a date in no known form
        elif roll < 0.30:
            value = "%s;20200101;" % hsa_id
        else:
            value = hsa_id
        members[home].append(value)
        if rng.random() < 0.05:  # 5 %: also works at one or two other units
            for other in rng.sample(range(units), min(units, rng.choice((1, 2)))):
                if other != home:
                    members[other].append("%s;20240101;20271231" % hsa_id)
    for number in range(units):
        hsa_id = unit_id(number)
        lines = ["dn: %s" % unit_dn(number), "objectClass: organizationalUnit", "objectClass: hsaOrganizationExtension",
                 "objectClass: hsaHealthCareUnit", "ou: Enhet %03d" % number, "hsaIdentity: %s" % hsa_id,
                 "hsaResponsibleHealthCareProvider: %s" % PROVIDER, "startDate: 20150101000000Z"]
        if number % 37 != 5:  # a few units without mail
            lines.append("mail: enhet%03d@region.invalid" % number)
        lines.append("unitPrescriptionCode: %s" % ("0000000" if number % 53 == 7 else "%07d" % (4000000 + number)))
        out.append("\n".join(lines) + "\n")
        if number % 41 == 3:  # a member that is not in the directory
            members[number].append("%s;20240101;" % person_id(persons + number))
        out.append("dn: cn=Vård och behandling %03d,%s\nobjectClass: hsaCommission\ncn: Vård och behandling %03d\n"
                   "hsaIdentity: %s-VOB\nhsaCommissionPurpose: Vård och behandling\nstartDate: 20150101000000Z\n%s\n"
                   % (number, unit_dn(number), number, hsa_id,
                      "\n".join("hsaCommissionMember: %s" % m for m in members[number])))
    out.extend(person_entries)
    registered = [unit_id(n) for n in range(units) if n % 29 != 11]  # a few units not registered with Inera
    return "\n".join(out), {"provider": PROVIDER, "provider_name": PROVIDER_NAME, "registered_units": registered,
                            "persons": [person_id(n) for n in range(persons)],
                            "units": [unit_id(n) for n in range(units)]}


def write_directory(path, persons=10000, units=200):
    text, facts = directory_ldif(persons, units)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return facts


def fixtures():
    """Every evidence fixture (name, document) that is a whole evidence document."""
    found = []
    for name in sorted(os.listdir(FIXTURES)):
        with open(os.path.join(FIXTURES, name), encoding="utf-8") as handle:
            found.append((name[:-len(".json")], json.load(handle)))
    return found


def write_evidence(folder, hosts=5000, seed=13):
    """<host>.json for `hosts` PCs, from the fixtures with variation; about 0.2 % are broken. Returns the
    host names of the broken files."""
    rng = random.Random(seed)
    os.makedirs(folder, exist_ok=True)
    templates = fixtures()
    broken = []
    for number in range(hosts):
        host = "pc%05d" % number
        name, template = templates[number % len(templates)]
        path = os.path.join(folder, host + ".json")
        if number % 500 == 250:  # broken: truncated JSON, evidence of another PC, no schema version
            broken.append(host)
            kind = (number // 500) % 3
            if kind == 0:
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(json.dumps(template)[:200])
                continue
            evidence = json.loads(json.dumps(template))
            if kind == 1:
                evidence["host"] = "pc%05d" % (number + 1)
            else:
                del evidence["schema_version"]
        else:
            evidence = json.loads(json.dumps(template))
            evidence["host"] = host
        evidence.pop("dns_host_name", None)
        evidence["collected_at"] = "2026-11-%02dT%02d:%02d:00+01:00" % (20 + number % 5, 7 + number % 10,
                                                                        rng.randrange(60))
        for product in evidence.get("products") or []:
            if isinstance(product, dict) and "Net iD" in str(product.get("name", "")) and rng.random() < 0.1:
                product["version"] = "6.%d.0.%d" % (rng.choice((6, 7, 8)), rng.randrange(40))
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(evidence, handle, ensure_ascii=False)
    return broken


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    directory = sub.add_parser("directory")
    directory.add_argument("out")
    directory.add_argument("--persons", type=int, default=10000)
    directory.add_argument("--units", type=int, default=200)
    evidence = sub.add_parser("evidence")
    evidence.add_argument("out")
    evidence.add_argument("--hosts", type=int, default=5000)
    args = parser.parse_args()
    if args.what == "directory":
        facts = write_directory(args.out, args.persons, args.units)
        print("%s: provider %s, %d care units, %d persons"
              % (args.out, facts["provider"], len(facts["units"]), len(facts["persons"])))
    else:
        broken = write_evidence(args.out, args.hosts)
        print("%s: %d evidence files (%d broken: %s)" % (args.out, args.hosts, len(broken), ", ".join(broken)))


if __name__ == "__main__":
    main()
