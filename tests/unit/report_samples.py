"""Report dicts for the renderer, history and gate tests, built with the real result model.

Every status, a waived and an expired-waiver result, a passed result with a warning, and directory
subjects (care unit, person)
beside workstations, so renderers are tested on every kind, not only workstations.
"""

import copy
import datetime
import types

from ansible_collections.webcert.fleet.plugins.plugin_utils.report.write import build_report
from ansible_collections.webcert.fleet.plugins.plugin_utils.results.model import fail_subject, make_result, make_subject
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.waivers import apply_waivers


def _control(control_id, title, requirements, scope, impact, enforceable, remediation, check_type):
    """A control as the catalogue loads it, in profile inera-classic."""
    family = "workstation" if scope == "workstation" else "directory"
    return {"id": control_id, "title": title, "requirements": requirements, "scope": scope,
            "profiles": ["inera-classic"], "impact": impact, "enforceable": enforceable, "remediation": remediation,
            "check": {"type": check_type}, "source_file": "controls/%s.yml" % family}


CONTROLS = [
    _control("WS-OS-SUPPORTED", "Windows is a version Webcert is used on", ["REQ-WS-1"], "workstation", "high",
             False, "Upgrade to Windows 10 22H2 or Windows 11.", "windows_version"),
    _control("WS-NETID-VERSION", "Net iD 6.7 or later is installed", ["REQ-CARD-2", "REQ-WS-3"], "workstation",
             "critical", True, "Install Net iD Enterprise 6.8.", "installed_product"),
    _control("WS-EDGE-SITELIST", "Edge has an Enterprise Mode site list", ["REQ-WS-2"], "workstation", "medium",
             True, "Publish a site list.", "registry_value"),
    _control("WS-JS-ENABLED", "JavaScript is allowed for Webcert", ["REQ-WS-4"], "workstation", "low", True,
             "Allow JavaScript.", "registry_value"),
    _control("HSA-UNIT-EMAIL", "Care unit has an e-mail address", ["REQ-HSA-UNIT-2"], "care_unit", "high", False,
             "Add mail to the unit in HSA.", "hsa_attribute"),
    _control("HSA-PERSON-COMMISSION", "Person has a commission for Vård och behandling", ["REQ-HSA-PERSON-1"],
             "person", "high", False, "Register a commission (medarbetaruppdrag).", "hsa_commission"),
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
    near_end = workstation("vce-ws01", "Vårdcentralen Exempel", "SE5591234561-1001", dict.fromkeys(ws, "passed"))
    near_end["results"][0] = make_result(BY_ID["WS-OS-SUPPORTED"], "passed", expected="build 19045 or later",
                                         actual="Windows 10 22H2", message="covered by Extended Security Updates",
                                         evidence_source=near_end["evidence_source"],
                                         warning="Windows 10 is past end of support and kept only by Extended "
                                                 "Security Updates until 2028-10-10")
    return [
        near_end,
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
