# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""junit.xml: one test suite per subject (host or directory object), one test case per control.

Suites are named by host name, or "<kind> <HSA-id>" for directory objects.

passed -> test case without child; failed -> <failure>; error -> <error>;
not_applicable -> <skipped type="not_applicable">;
not_reviewed -> <skipped type="not_reviewed"> (could not be determined: neither pass nor fail; use the
gate rule max_not_reviewed to make CI fail on it);
waived -> <skipped type="waived"> with justification, owner and expiry (an accepted exception does not
fail CI, like an InSpec waiver with run: true). An expired waiver no longer applies: the result is a
plain <failure> again.

Valid against the JUnit schema the Jenkins xunit plugin validates with (junit-10.xsd, kept in
tests/fixtures/formats/): <testsuites> carries name, tests, failures, errors and time only (that schema
rejects `skipped` there; each <testsuite> has its own). Texts show an absent value as "(none)", never
Python's None.
"""

import re
from xml.sax.saxutils import escape, quoteattr

from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import replace_lone_surrogates

# XML 1.0 cannot carry most control characters nor lone surrogates; evidence read from a PC might
# contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value):
    return _NOT_XML.sub("\ufffd", replace_lone_surrogates("" if value is None else str(value)))


def _show(value):
    """A value for a reader: text as it is, an absent value as "(none)", true/false in lower case."""
    if value is None or value == "":
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _attr(value):
    return quoteattr(_text(value))


def _detail(result):
    lines = ["control: %s (%s)" % (result["control_id"], result["title"]),
             "requirements: %s" % (", ".join(result["requirements"]) or "(none)"),
             "impact: %s" % result["impact"],
             "expected: %s" % _show(result["expected"]),
             "actual: %s" % _show(result["actual"]),
             "evidence: %s" % _show(result["evidence_source"]),
             "remediation: %s" % _show(result["remediation"])]
    waiver = result.get("waiver")
    if waiver:
        lines.append("waiver: %s, owner %s, ticket %s, expires %s%s" % (
            _show(waiver.get("justification")), _show(waiver.get("owner")), _show(waiver.get("ticket")),
            _show(waiver.get("expires")), " (EXPIRED, no longer applies)" if waiver.get("expired") else ""))
    return escape(_text("\n".join(lines)))


def _case(result, classname):
    head = "    <testcase name=%s classname=%s time=\"0\"" % (_attr("%s %s" % (result["control_id"], result["title"])),
                                                              _attr(classname))
    status = result["status"]
    if status == "passed":
        return head + " />\n", None
    message = _attr(result["message"] or status)
    if result.get("waived"):
        waiver = result["waiver"] or {}
        child = "<skipped type=\"waived\" message=%s />" % _attr(
            "waived (%s): %s; owner %s; expires %s" % (status, _show(waiver.get("justification")),
                                                       _show(waiver.get("owner")), _show(waiver.get("expires"))))
        kind = "skipped"
    elif status == "failed":
        child = "<failure type=\"failed\" message=%s>%s</failure>" % (message, _detail(result))
        kind = "failures"
    elif status == "error":
        child = "<error type=\"error\" message=%s>%s</error>" % (message, _detail(result))
        kind = "errors"
    else:
        child = "<skipped type=%s message=%s />" % (_attr(status), message)
        kind = "skipped"
    return "%s>\n      %s\n    </testcase>\n" % (head, child), kind


def suite_name(subject):
    """The host name for a workstation; kind and HSA-id for a directory object (a care provider and its
    organisation share one HSA-id)."""
    return subject["id"] if subject["kind"] == "workstation" else "%s %s" % (subject["kind"], subject["id"])


def render(report):
    suites, totals = [], {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    timestamp = report["run"]["started_at"]
    for subject in report["subjects"]:
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        classname = "webcert.%s.%s" % (subject["kind"], subject["id"])
        cases = []
        for result in subject["results"]:
            text, kind = _case(result, classname)
            cases.append(text)
            counts["tests"] += 1
            if kind:
                counts[kind] += 1
        for key in totals:
            totals[key] += counts[key]
        properties = "".join("      <property name=%s value=%s />\n" % (_attr(k), _attr(v)) for k, v in (
            ("kind", subject["kind"]), ("clinic", subject.get("clinic")),
            ("care_unit_hsa_id", subject.get("care_unit_hsa_id")), ("profile", subject.get("profile")),
            ("evidence_source", subject.get("evidence_source"))) if v)
        suites.append("  <testsuite name=%s tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"0\""
                      " timestamp=%s>\n    <properties>\n%s    </properties>\n%s  </testsuite>\n"
                      % (_attr(suite_name(subject)), counts["tests"], counts["failures"], counts["errors"],
                         counts["skipped"], _attr(timestamp), properties, "".join(cases)))
    readiness, counts = readiness_suite(report)
    if readiness:
        suites.append(readiness)
        for key in totals:
            totals[key] += counts[key]
    head = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=%s tests=\"%d\" failures=\"%d\" errors=\"%d\""
            " time=\"0\">\n"
            % (_attr("webcert-fleet audit %s" % report["run"]["id"]), totals["tests"], totals["failures"], totals["errors"]))
    yield "junit.xml", head + "".join(suites) + "</testsuites>\n"


def _reasons(items):
    return "\n".join("%s %s: %s" % (i["side"], i["control_id"] or "", i["message"]) for i in items)


def readiness_suite(report):
    """The "readiness" suite: a test case per person and PC (report.json's readiness pairs). not_ready ->
    <failure> listing the blocking reasons; unknown -> <skipped type="unknown"> saying what could not be read."""
    pairs = (report.get("readiness") or {}).get("pairs") or []
    if not pairs:
        return None, None
    counts = {"tests": len(pairs), "failures": 0, "errors": 0, "skipped": 0}
    cases = []
    for pair in pairs:
        person = pair["person_hsa_id"] or "(unknown person: %s)" % pair.get("user_context")
        head = "    <testcase name=%s classname=%s time=\"0\"" % (
            _attr("%s on %s" % (person, pair["workstation"])),
            _attr("webcert.readiness.%s" % (pair.get("care_unit_hsa_id") or "no-care-unit")))
        if pair["verdict"] == "ready":
            cases.append(head + " />\n")
            continue
        if pair["verdict"] == "not_ready":
            counts["failures"] += 1
            child = "<failure type=\"not_ready\" message=%s>%s</failure>" % (
                _attr("%d blocking reason(s): %s" % (len(pair["blockers"]), pair["blockers"][0]["message"])),
                escape(_text(_reasons(pair["blockers"] + pair["unknown"] + pair["warnings"]))))
        else:
            counts["skipped"] += 1
            child = "<skipped type=\"unknown\" message=%s />" % _attr(
                "could not be read: " + "; ".join(i["message"] for i in pair["unknown"]))
        cases.append("%s>\n      %s\n    </testcase>\n" % (head, child))
    suite = ("  <testsuite name=\"readiness\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\" time=\"0\""
             " timestamp=%s>\n    <properties>\n      <property name=\"kind\" value=\"readiness\" />\n    </properties>\n"
             "%s  </testsuite>\n" % (counts["tests"], counts["failures"], counts["skipped"],
                                     _attr(report["run"]["started_at"]), "".join(cases)))
    return suite, counts
