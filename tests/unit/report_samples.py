"""Report dicts for the renderer, history and gate tests, built with the real result model.

Every status, a waived and an expired-waiver result, and directory subjects (care unit, person)
beside workstations, so renderers are tested on every kind, not only workstations.
"""

import copy
import datetime
import types

from webcert.report import build_report
from webcert.results import fail_subject, make_result, make_subject
from webcert.waivers import apply_waivers

CONTROLS = [
    {"id": "WS-OS-SUPPORTED", "title": "Windows is a version Webcert is used on", "requirements": ["REQ-WS-1"],
     "scope": "workstation", "profiles": ["inera-classic"], "impact": "high", "enforceable": False,
     "remediation": "Upgrade to Windows 10 22H2 or Windows 11.", "check": {"type": "windows_version"},
     "source_file": "controls/workstation.yml"},
    {"id": "WS-NETID-VERSION", "title": "Net iD 6.7 or later is installed", "requirements": ["REQ-CARD-2", "REQ-WS-3"],
     "scope": "workstation", "profiles": ["inera-classic"], "impact": "critical", "enforceable": True,
     "remediation": "Install Net iD Enterprise 6.8.", "check": {"type": "installed_product"},
     "source_file": "controls/workstation.yml"},
    {"id": "WS-EDGE-SITELIST", "title": "Edge has an Enterprise Mode site list", "requirements": ["REQ-WS-2"],
     "scope": "workstation", "profiles": ["inera-classic"], "impact": "medium", "enforceable": True,
     "remediation": "Publish a site list.", "check": {"type": "registry_value"},
     "source_file": "controls/workstation.yml"},
    {"id": "WS-JS-ENABLED", "title": "JavaScript is allowed for Webcert", "requirements": ["REQ-WS-4"],
     "scope": "workstation", "profiles": ["inera-classic"], "impact": "low", "enforceable": True,
     "remediation": "Allow JavaScript.", "check": {"type": "registry_value"},
     "source_file": "controls/workstation.yml"},
    {"id": "HSA-UNIT-EMAIL", "title": "Care unit has an e-mail address", "requirements": ["REQ-HSA-UNIT-2"],
     "scope": "care_unit", "profiles": ["inera-classic"], "impact": "high", "enforceable": False,
     "remediation": "Add mail to the unit in HSA.", "check": {"type": "hsa_attribute"},
     "source_file": "controls/directory.yml"},
    {"id": "HSA-PERSON-COMMISSION", "title": "Person has a commission for Vård och behandling",
     "requirements": ["REQ-HSA-PERSON-1"], "scope": "person", "profiles": ["inera-classic"], "impact": "high",
     "enforceable": False, "remediation": "Register a commission (medarbetaruppdrag).",
     "check": {"type": "hsa_commission"}, "source_file": "controls/directory.yml"},
]
BY_ID = {c["id"]: c for c in CONTROLS}
RUN_ID = "20261126T100000.000Z-abc123"


def catalogue():
    return types.SimpleNamespace(profiles={"inera-classic": {"title": "Classic", "default": True}},
                                 requirements={"REQ-WS-1": "Windows 10"}, controls=CONTROLS)


def workstation(host, clinic, unit, statuses, evidence=True, **extra):
    subject = make_subject("workstation", host, clinic=clinic, care_unit_hsa_id=unit, profile="inera-classic",
                           **extra)
    if evidence:
        subject["evidence_source"] = "file:files/evidence/%s.json" % host
        subject["collected_at"] = "2026-11-24T07:42:10+01:00"
    for control_id, status in statuses.items():
        subject["results"].append(make_result(BY_ID[control_id], status, expected="6.7 or later",
                                              actual="6.2.1" if status == "failed" else "6.8",
                                              message="%s on %s" % (status, host),
                                              evidence_source=subject["evidence_source"]))
    return subject


def subjects():
    ws = ["WS-OS-SUPPORTED", "WS-NETID-VERSION", "WS-EDGE-SITELIST", "WS-JS-ENABLED"]
    down = make_subject("workstation", "vce-ws04", clinic="Vårdcentralen Exempel", care_unit_hsa_id="SE5591234561-1001",
                        profile="inera-classic")
    fail_subject(down, [BY_ID[c] for c in ws], "host unreachable: connection refused")
    unit = make_subject("care_unit", "SE5591234561-1002", name="Mottagning Öst", clinic="Mottagning Öst")
    unit["evidence_source"] = "ldap://hsa.example.invalid"
    unit["results"].append(make_result(BY_ID["HSA-UNIT-EMAIL"], "failed", expected="mail present", actual=None,
                                       message="mail is missing", evidence_source=unit["evidence_source"]))
    person = make_subject("person", "SE5591234561-2001", name="Anna Andersson", clinic="Mottagning Öst",
                          care_unit_hsa_id="SE5591234561-1002")
    person["results"].append(make_result(BY_ID["HSA-PERSON-COMMISSION"], "failed", expected="commission active",
                                         actual="expired 2026-10-01", message="commission expired"))
    return [
        workstation("vce-ws01", "Vårdcentralen Exempel", "SE5591234561-1001", dict.fromkeys(ws, "passed")),
        workstation("vce-ws02", "Vårdcentralen Exempel", "SE5591234561-1001",
                    {"WS-OS-SUPPORTED": "passed", "WS-NETID-VERSION": "failed", "WS-EDGE-SITELIST": "not_applicable",
                     "WS-JS-ENABLED": "not_reviewed"}),
        workstation("vce-ws03", "Vårdcentralen Exempel", "SE5591234561-1001",
                    {"WS-OS-SUPPORTED": "passed", "WS-NETID-VERSION": "passed", "WS-EDGE-SITELIST": "failed",
                     "WS-JS-ENABLED": "passed"}),
        down,
        workstation("mo-ws01", "Mottagning Öst", "SE5591234561-1002",
                    {"WS-OS-SUPPORTED": "failed", "WS-NETID-VERSION": "passed", "WS-EDGE-SITELIST": "failed",
                     "WS-JS-ENABLED": "passed"}, user_context="EXK\\anna.andersson"),
        unit,
        person,
    ]


WAIVERS = [
    {"control_id": "WS-EDGE-SITELIST", "scope": {"host": "vce-ws03"}, "justification": "Pushed by the clinic GPO.",
     "owner": "it@example.invalid", "ticket": "EXK-1042", "expires": "2027-03-31", "number": 1},
    {"control_id": "WS-EDGE-SITELIST", "scope": {"clinic": "Mottagning Öst"}, "justification": "Moved to 2024 flow.",
     "owner": "it@example.invalid", "ticket": "EXK-7", "expires": "2026-11-01", "number": 2},
]


def run(run_id=RUN_ID, inventory="inventories/example"):
    return {"id": run_id, "started_at": "2026-11-26T10:00:00+00:00", "finished_at": "2026-11-26T10:00:05+00:00",
            "inventory": inventory, "mode": "audit", "care_provider_hsa_id": "SE5591234561-1000"}


def sample_report(run_id=RUN_ID, inventory="inventories/example", subject_list=None, waivers=None,
                  today=datetime.date(2026, 11, 26)):
    subject_list = copy.deepcopy(subject_list if subject_list is not None else subjects())
    usage = apply_waivers(subject_list, copy.deepcopy(WAIVERS if waivers is None else waivers), today=today)
    return build_report(run(run_id, inventory), catalogue(), subject_list, usage)
