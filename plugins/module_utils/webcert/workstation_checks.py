"""Judges of the workstation check types (evidence from the collector, schemas/evidence.schema.json)."""

import re

from .checks import FAILED, PASSED, Outcome, check_type, passed_if
from .evidence import NotCollected, section
from .expect import describe, matches, parse_version, version_at_least


# --- registry values ---------------------------------------------------------------------------

def _registry_value(evidence, path, name):
    """(exists, type, data) of one registry value. Key paths compare case-insensitively, as in Windows."""
    keys = section(evidence, "registry")
    key = next((v for k, v in keys.items() if k.casefold() == path.casefold()), None)
    if key is None:
        raise NotCollected("registry key %s was not collected" % path)
    values = key.get("values") or {}
    value = next((v for n, v in values.items() if n.casefold() == name.casefold()), None)
    if not key["exists"] or value is None:
        return None
    return value


@check_type("registry_value", needs=lambda check: {"registry_keys": [check["path"]]})
def judge_registry_value(check, evidence):
    value = _registry_value(evidence, check["path"], check["name"])
    where = "%s\\%s" % (check["path"], check["name"])
    expected = describe(check["expect"])
    if value is None:
        ok = matches(check["expect"], None)
        return passed_if(ok, expected, None, "%s is not set, as allowed" % where, "%s is not set" % where)
    actual = value["data"]
    if check.get("value_type") and value["type"] != check["value_type"]:
        return Outcome(FAILED, "%s (%s)" % (expected, check["value_type"]), "%r (%s)" % (actual, value["type"]),
                       "%s has type %s, expected %s" % (where, value["type"], check["value_type"]))
    ok = matches(check["expect"], actual)
    return passed_if(ok, expected, actual, "%s = %r" % (where, actual), "%s = %r, expected %s" % (where, actual, expected))


# --- services ----------------------------------------------------------------------------------

@check_type("service", needs=lambda check: {"services": [check["name"]]})
def judge_service(check, evidence):
    services = section(evidence, "services")
    service = next((v for k, v in services.items() if k.casefold() == check["name"].casefold()), None)
    if service is None:
        raise NotCollected("service %s was not collected" % check["name"])
    expected = ", ".join("%s %s" % (field.replace("_", " "), describe(check[field]))
                         for field in ("start_mode", "state") if field in check)
    if not service["exists"]:
        return Outcome(FAILED, expected, "not installed", "service %s does not exist" % check["name"])
    actual = ", ".join("%s %s" % (field.replace("_", " "), service.get(field))
                       for field in ("start_mode", "state") if field in check)
    ok = all(matches(check[field], service.get(field)) for field in ("start_mode", "state") if field in check)
    return passed_if(ok, expected, actual, "service %s: %s" % (check["name"], actual),
                     "service %s: %s, expected %s" % (check["name"], actual, expected))


# --- installed products ------------------------------------------------------------------------

@check_type("installed_product", needs=lambda check: {"product_patterns": [check["name_pattern"]]})
def judge_installed_product(check, evidence):
    products = section(evidence, "products")
    found = [p for p in products if re.search(check["name_pattern"], p["name"] or "", re.IGNORECASE)
             and (not check.get("publisher_pattern")
                  or re.search(check["publisher_pattern"], p.get("publisher") or "", re.IGNORECASE))]
    minimum = check.get("min_version")
    expected = "installed" + (", version %s or later" % minimum if minimum else "")
    if not found:
        return Outcome(FAILED, expected, "not installed", "no installed product matches /%s/" % check["name_pattern"])
    actual = "; ".join("%s %s" % (p["name"], p.get("version") or "(no version)") for p in found)
    if not minimum:
        return Outcome(PASSED, expected, actual, "installed: %s" % actual)
    newest = max(found, key=lambda p: parse_version(p.get("version")) or ())
    ok = version_at_least(newest.get("version"), minimum)
    return passed_if(ok, expected, actual, "installed: %s" % actual,
                     "installed version %s is older than %s" % (newest.get("version"), minimum))


# --- certificates ------------------------------------------------------------------------------

@check_type("certificate", needs=lambda check: {"certificate_stores": [check["store"]]})
def judge_certificate(check, evidence):
    stores = section(evidence, "certificates")
    if check["store"] not in stores:
        raise NotCollected("certificate store %s was not collected" % check["store"])
    wanted = check["thumbprint"].upper()
    found = next((c for c in stores[check["store"]] if c["thumbprint"].upper() == wanted), None)
    expected = "%s in %s" % (wanted, check["store"])
    if found is None:
        return Outcome(FAILED, expected, "absent", "no certificate with thumbprint %s in %s" % (wanted, check["store"]))
    return Outcome(PASSED, expected, found.get("subject") or wanted, "present in %s" % check["store"])


# --- Windows version ---------------------------------------------------------------------------

@check_type("windows_version", needs=lambda check: {"os": True})
def judge_windows_version(check, evidence):
    os_info = section(evidence, "os")
    build = int(os_info["current_build"])
    # ProductName still says "Windows 10" on Windows 11: the build number decides.
    name = "Windows 11" if build >= 22000 else "Windows 10"
    actual = "%s %s (build %d.%s)" % (name, os_info.get("display_version") or "", build, os_info.get("ubr"))
    return passed_if(build >= check["min_build"], "build %d or later" % check["min_build"], actual,
                     actual, "%s is older than build %d" % (actual, check["min_build"]))
