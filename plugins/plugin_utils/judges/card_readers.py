# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Card-reader verification (kortläsare): collected device and driver facts + the region's driver policy
-> one finding per reader that names the reader, its driver and exactly what is wrong.

Input, per reader (evidence section `card_readers`, schemas/evidence.schema.json): the PnP device of class
SmartCardReader (ClassGuid {50dd5230-ba8a-11d1-bf5d-0000f805f530}) with its ConfigManagerErrorCode, joined
with its Win32_PnPSignedDriver record (INF name, provider, version, signed). The policy is the region
setting `card_reader_driver_policy`; docs/card-readers.md describes both and every finding.

Plain Python, no Ansible: the check type `card_readers` (workstation_checks.py) calls verify_readers().
"""

import re

from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.registry import FAILED, NOT_REVIEWED, PASSED
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.expect import parse_version, pattern_found, version_at_least

# Device Manager error codes (CM_PROB_*) a reader is seen with; others are reported by number only.
PROBLEM_CODES = {
    1: "the device is not configured correctly",
    3: "the driver may be corrupted or the system is low on memory",
    10: "the device cannot start",
    12: "the device cannot find enough free resources",
    14: "the device needs a restart",
    18: "the drivers must be reinstalled",
    19: "the device's registry configuration is corrupted",
    21: "Windows is removing the device",
    22: "the device is disabled",
    24: "the device is not present or not all its drivers are installed",
    28: "no driver is installed",
    31: "the driver could not be loaded",
    37: "the driver returned a failure on initialisation",
    39: "the driver is corrupted or missing",
    43: "Windows stopped the device because it reported problems",
    45: "the device is not connected",
    48: "the driver is blocked from starting",
    52: "the driver's digital signature cannot be verified",
}

OK, PROBLEM, UNKNOWN = "ok", "problem", "unknown"


class PolicyError(ValueError):
    """The region's card_reader_driver_policy is malformed (reported as `error` for the control)."""


def validate_policy(policy):
    """Check the policy's shape; return it with defaults. Errors name the field of the setting."""
    where = "setting card_reader_driver_policy"
    if not isinstance(policy, dict):
        raise PolicyError("%s: must be a mapping with allowed_drivers, got %s" % (where, type(policy).__name__))
    unknown = set(policy) - {"require_signed", "allowed_drivers"}
    if unknown:
        raise PolicyError("%s: unknown field(s) %s" % (where, ", ".join(sorted(unknown))))
    require_signed = policy.get("require_signed", True)
    if not isinstance(require_signed, bool):
        raise PolicyError("%s: field 'require_signed' must be true or false" % where)
    rules = policy.get("allowed_drivers")
    if not isinstance(rules, list) or not rules:
        raise PolicyError("%s: field 'allowed_drivers' must be a non-empty list" % where)
    checked = []
    for index, rule in enumerate(rules):
        field = "%s: field 'allowed_drivers[%d]'" % (where, index)
        if not isinstance(rule, dict):
            raise PolicyError("%s must be a mapping" % field)
        extra = set(rule) - {"name", "inf_pattern", "provider_pattern", "min_version"}
        if extra:
            raise PolicyError("%s: unknown field(s) %s" % (field, ", ".join(sorted(extra))))
        if not (rule.get("inf_pattern") or rule.get("provider_pattern")):
            raise PolicyError("%s needs inf_pattern or provider_pattern" % field)
        for key in ("inf_pattern", "provider_pattern"):
            if rule.get(key) is not None:
                try:
                    re.compile(rule[key])
                except re.error as exc:
                    raise PolicyError("%s.%s: not a valid regular expression: %s" % (field, key, exc)) from None
        if rule.get("min_version") is not None and parse_version(rule["min_version"]) is None:
            raise PolicyError("%s.min_version: %r is not a version" % (field, rule["min_version"]))
        checked.append(dict(rule, name=rule.get("name") or "allowed_drivers[%d]" % index))
    return {"require_signed": require_signed, "allowed_drivers": checked}


def describe_driver(driver):
    """'HID Global 2.3.4.5 (oem12.inf)', verbatim from the evidence, for findings and messages."""
    if not driver:
        return "no driver"
    text = " ".join(str(part) for part in (driver.get("provider") or "unknown provider",
                                           driver.get("version") or "(no version)"))
    return "%s (%s)" % (text, driver.get("inf_name") or "no INF")


def _matching_rule(driver, policy):
    for rule in policy["allowed_drivers"]:
        if pattern_found(rule.get("inf_pattern"), driver.get("inf_name")) and \
                pattern_found(rule.get("provider_pattern"), driver.get("provider")):
            return rule
    return None


def verify_reader(reader, policy):
    """One finding: {reader, instance_id, driver, status ok|problem|unknown, problems, unknowns, rule}."""
    problems, unknowns = [], []
    code = reader.get("config_manager_error_code")
    if code is None:
        unknowns.append("the collector could not read the device state (ConfigManagerErrorCode)")
    elif code != 0:
        problems.append("device error code %d: %s" % (code, PROBLEM_CODES.get(code, "see Device Manager")))
    driver = reader.get("driver")
    rule = None
    if not driver:
        if code != 28:  # code 28 already says "no driver is installed"
            problems.append("no driver is installed for it")
    else:
        rule = _matching_rule(driver, policy)
        if rule is None:
            problems.append("driver %s is not on the region's approved list (setting card_reader_driver_policy)"
                            % describe_driver(driver))
        elif rule.get("min_version") is not None and not version_at_least(driver.get("version"), rule["min_version"]):
            problems.append("driver version %s is older than %s, the minimum for %s"
                            % (driver.get("version") or "(none)", rule["min_version"], rule["name"]))
        if policy["require_signed"]:
            if driver.get("signed") is False:
                problems.append("driver is not signed")
            elif driver.get("signed") is None:
                unknowns.append("the collector could not tell whether the driver is signed")
    status = PROBLEM if problems else (UNKNOWN if unknowns else OK)
    return {"reader": reader.get("name") or reader.get("instance_id") or "(unnamed reader)",
            "instance_id": reader.get("instance_id"), "driver": describe_driver(driver), "status": status,
            "problems": problems, "unknowns": unknowns, "rule": rule["name"] if rule else None}


def finding_text(finding):
    """"'<reader>' (driver <driver>): <what is wrong>" with names verbatim."""
    issues = finding["problems"] or finding["unknowns"] or ["OK"]
    return "'%s' (driver %s): %s" % (finding["reader"], finding["driver"], "; ".join(issues))


def verify_readers(readers, policy, min_readers=1):
    """All readers against the policy -> (status, message, findings).

    status is PASSED (enough readers, all OK), FAILED (too few readers or any reader with a problem)
    or NOT_REVIEWED (no problem, but some fact could not be read). Raises PolicyError on a bad policy.
    """
    policy = validate_policy(policy)
    present = [r for r in readers if r.get("present", True)]
    findings = [verify_reader(reader, policy) for reader in present]
    bad = [f for f in findings if f["status"] == PROBLEM]
    unsure = [f for f in findings if f["status"] == UNKNOWN]
    parts = []
    if len(present) < min_readers:
        parts.append("no smart-card reader is present" if not present else
                     "%d smart-card reader(s) present, %d required" % (len(present), min_readers))
    parts.extend(finding_text(f) for f in bad)
    if parts:
        return FAILED, "; ".join(parts), findings
    if unsure:
        return NOT_REVIEWED, "; ".join(finding_text(f) for f in unsure), findings
    return PASSED, "; ".join(finding_text(f) for f in findings) or "no reader required", findings
