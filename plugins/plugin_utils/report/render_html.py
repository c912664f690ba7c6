# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""report.html: one self-contained page a clinic manager opens (no external assets, no network).

The page answers "what do I fix first" before "how compliant are we": at the top the fleet figures
(each a link to its filtered list), then "Fix first": the failing controls ranked by impact and by how
many PCs or persons they block (each with its remediation and a link to the affected subjects), the
clinics worst first, and the persons who will not be able to work in Webcert. The overview is rendered
here in Python, so it shows even with JavaScript off.

The per-subject detail is rendered lazily in the browser from a compact JSON block (controls and
repeated texts are stored once and referenced by index): only the rows in view are built, a finding's
detail only when opened. That keeps the page usable with 5,000 hosts. Filters (clinic, kind, status,
control, text) and the sort order are kept in the URL fragment, so a filtered view can be bookmarked or
sent: report.html#clinic=...&status=failed. Every link on the page into the list is such a fragment.

The style sheet and the script ship as files (report/assets/) and are inlined. The layout holds from a
400 px phone (tables become stacked cards, no sideways scroll) to a wide screen, and prints as a clean
document (summary, fix first, per clinic) with "Save as PDF".

A Content-Security-Policy in the page forbids every request (default-src 'none'); data goes in
through JSON with <, > and & escaped, and the script sets text with textContent only.
"""

import functools
import html
import json
import os
import re
import urllib.parse

from ansible_collections.webcert.fleet.plugins.plugin_utils.report.common import (EFFECTIVE_STATUSES, IMPACT_ORDER, KIND_LABELS,
                                                                                  care_unit_of, clinic_of,
                                                                                  compliance_percent, effective_status,
                                                                                  is_open_failure)
from ansible_collections.webcert.fleet.plugins.plugin_utils.results.model import count_statuses
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.waivers import scope_text
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.render_people import blocked_people, people_section

STATUS_LABELS = {"passed": "Passed", "failed": "Failed", "waived": "Waived", "error": "Error",
                 "not_reviewed": "Not reviewed", "not_applicable": "Not applicable"}
COLOURS = {"passed": "#2e7d32", "failed": "#c62828", "waived": "#5c6bc0", "error": "#ef6c00",
           "not_reviewed": "#8d8d8d", "not_applicable": "#d6d6d6"}
DRIFT_LABELS = {"new_failures": "New failures", "regressed": "Regressed", "waiver_expired": "Waiver expired",
                "resolved": "Resolved", "not_judged_before": "Failing, not judged before"}
MAX_DRIFT_ROWS = 200
# What "Fix first" shows before "show all", and how many clinics the chart draws before "show all".
TOP_CONTROLS, TOP_CLINICS, TOP_PERSONS, CHART_CLINICS = 10, 10, 20, 15
BLOCKING = ("high", "critical")  # an open failure of this impact stops the person or PC in Webcert
# The page's style sheet and script ship with the collection as files and are inlined into every page.
ASSETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "assets")


@functools.lru_cache(maxsize=None)
def asset(name):
    """The text of assets/<name>, read once per process."""
    with open(os.path.join(ASSETS, name), encoding="utf-8") as handle:
        return handle.read()


def esc(value):
    return html.escape("" if value is None else str(value), quote=True)


def _percent(value):
    return "n/a" if value is None else "%.0f %%" % value


def view(**filters):
    """A link to the subject list filtered as given: '#status=failed&control=WS-X' (what the script reads)."""
    return "#" + urllib.parse.urlencode({k: v for k, v in filters.items() if v is not None},
                                        quote_via=urllib.parse.quote)


# Error texts come from Ansible, the evidence reader, the LDAP client or a judge. A reader needs one
# sentence saying what happened and what to do; the raw text stays behind a disclosure.
_HUMAN_ERRORS = [
    (re.compile(r"unreachable|connection refused|timed? ?out|no route to host|name or service not known|"
                r"failed to connect|winrm|ntlm|kerberos|ssl: ", re.I),
     "The PC could not be reached: it may be switched off or off the network, or WinRM refused the "
     "connection. Run the audit again when it is on."),
    (re.compile(r"not valid JSON|truncated|corrupt|evidence file|no such file", re.I),
     "The PC's evidence file could not be read (missing, truncated or corrupt). Collect the evidence again."),
    (re.compile(r"could not find imported module|module_util|MODULE FAILURE|powershell", re.I),
     "The audit could not run its collector on the PC (Ansible reported a module error). Check that the PC "
     "is on and reachable, then run the audit again."),
    (re.compile(r"^HSA directory|ldap", re.I),
     "The HSA directory could not be read for this object. Check the directory connection and run again."),
    (re.compile(r"^inventory:", re.I),
     "The inventory entry for this object is incomplete or wrong. Correct the inventory and run again."),
    (re.compile(r"could not judge the evidence", re.I),
     "This control could not be judged from the evidence that was collected (unexpected evidence or a "
     "fault in webcert-fleet)."),
    (re.compile(r"failed before its evidence was judged", re.I),
     "The audit stopped on this PC before its evidence was judged. Run the audit again."),
]


def human_error(text):
    """One plain sentence for an error text (the raw text is shown beside it, behind a disclosure)."""
    for pattern, sentence in _HUMAN_ERRORS:
        if pattern.search(text or ""):
            return sentence
    return "The audit could not check this. The technical detail below says why."


def compact_data(report):
    """The subjects as arrays with interned texts: [kind, id, name, clinic, care unit, status, error,
    evidence, collected_at, results, error sentence]; a result is [control, status, waiver, expected,
    actual, message, evidence, judged status, warning, error sentence] where texts are indexes into
    `strings` (-1 = none) and evidence -1 means the subject's."""
    strings, string_index = [], {}
    waivers, waiver_index = [], {}

    def intern(value):
        if value is None:
            return -1
        text = value if isinstance(value, str) else json.dumps(value)
        found = string_index.get(text)
        if found is None:
            found = string_index[text] = len(strings)
            strings.append(text)
        return found

    def waiver_ref(waiver):
        if not waiver:
            return 0
        key = json.dumps(waiver, sort_keys=True, ensure_ascii=False)
        if key not in waiver_index:
            waiver_index[key] = len(waivers) + 1
            waivers.append([waiver.get("justification"), waiver.get("owner"), waiver.get("ticket"),
                            waiver.get("expires"), bool(waiver.get("expired"))])
        return waiver_index[key]

    controls = [[c["id"], c["title"], c["impact"], ", ".join(c["requirements"]), c["remediation"]]
                for c in report["catalogue"]["controls"]]
    control_index = {c[0]: i for i, c in enumerate(controls)}
    statuses = list(EFFECTIVE_STATUSES)
    subjects = []
    for subject in report["subjects"]:
        results = []
        for result in subject["results"]:
            if result["control_id"] not in control_index:
                control_index[result["control_id"]] = len(controls)
                controls.append([result["control_id"], result["title"], result["impact"],
                                 ", ".join(result["requirements"]), result["remediation"]])
            evidence = result["evidence_source"]
            error = result["status"] == "error" and result["message"] != subject.get("error")
            results.append([control_index[result["control_id"]], statuses.index(effective_status(result)),
                            waiver_ref(result.get("waiver")), intern(result["expected"]), intern(result["actual"]),
                            intern(result["message"]), -1 if evidence == subject.get("evidence_source") else intern(evidence),
                            statuses.index(result["status"]), intern(result.get("warning")),
                            intern(human_error(result["message"])) if error else -1])
        subjects.append([subject["kind"], subject["id"], subject.get("name") or subject["id"], clinic_of(subject),
                         care_unit_of(subject) or "", subject["status"], subject.get("error") or "",
                         subject.get("evidence_source") or "", subject.get("collected_at") or "", results,
                         human_error(subject["error"]) if subject.get("error") else ""])
    return {"statuses": statuses, "statusLabels": [STATUS_LABELS[s] for s in statuses],
            "kinds": KIND_LABELS, "controls": controls, "strings": strings, "waivers": waivers,
            "subjects": subjects}


def _script_json(data):
    """JSON safe inside <script>: no '</script>', no '<!--', no HTML entities."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _chart(per_clinic, title, chart_id):
    """Stacked horizontal bars per clinic, one segment per effective status; labels are text."""
    bar_x, bar_width, row_height = 230, 520, 30
    height = 40 + row_height * len(per_clinic)
    parts = ['<svg role="img" aria-labelledby="%s-title" id="%s" '
             'viewBox="0 0 880 %d" width="880" height="%d" class="chart">' % (chart_id, chart_id, height, height),
             '<title id="%s-title">%s</title>' % (chart_id, esc(title))]
    legend_x = bar_x
    for status in EFFECTIVE_STATUSES:
        parts.append('<rect x="%d" y="6" width="12" height="12" fill="%s"/><text x="%d" y="16" class="legend">%s</text>'
                     % (legend_x, COLOURS[status], legend_x + 16, esc(STATUS_LABELS[status])))
        legend_x += 22 + 7 * len(STATUS_LABELS[status])
    for row, (clinic, counts) in enumerate(per_clinic):
        y = 30 + row * row_height
        total = sum(counts.values()) or 1
        parts.append('<text x="%d" y="%d" class="label" text-anchor="end">%s</text>'
                     % (bar_x - 8, y + 15, esc(clinic if len(clinic) <= 32 else clinic[:31] + "…")))
        x = float(bar_x)
        for status in EFFECTIVE_STATUSES:
            if not counts[status]:
                continue
            width = bar_width * counts[status] / total
            parts.append('<rect class="bar" x="%.1f" y="%d" width="%.1f" height="20" fill="%s"><title>%s: %s %d</title></rect>'
                         % (x, y, width, COLOURS[status], esc(clinic), esc(STATUS_LABELS[status]), counts[status]))
            x += width
        parts.append('<text x="%d" y="%d" class="label">%s compliant</text>'
                     % (bar_x + bar_width + 8, y + 15, _percent(compliance_percent(counts))))
    parts.append("</svg>")
    return "".join(parts)


def _counts_cells(counts):
    return "".join('<td class="num s-%s%s" data-label="%s">%d</td>'
                   % (s, "" if counts[s] else " zero", esc(STATUS_LABELS[s]), counts[s]) for s in EFFECTIVE_STATUSES)


def _counts_head():
    return "".join('<th class="num">%s</th>' % esc(STATUS_LABELS[s]) for s in EFFECTIVE_STATUSES)


def _cell(label, content, cls=None):
    """A table cell that names its column (data-label): narrow screens show it as 'label: value'."""
    return '<td%s data-label="%s">%s</td>' % (' class="%s"' % cls if cls else "", esc(label), content)


def _gate_section(gate):
    if not gate or not gate.get("enabled"):
        return '<p class="muted">Gate: not set (the run never fails on results; see docs/reports.md).</p>'
    rules = ", ".join("%s=%s" % (k, v) for k, v in gate["rules"].items())
    if gate["passed"]:
        return '<p class="gate ok" id="gate">Gate passed (%s; from %s)</p>' % (esc(rules), esc(gate.get("source")))
    items = "".join("<li>%s</li>" % esc(r) for r in gate["reasons"])
    return '<div class="gate bad" id="gate"><strong>Gate failed</strong> (%s; from %s)<ul>%s</ul></div>' % (
        esc(rules), esc(gate.get("source")), items)


def _before(item):
    """'passed', or 'passed in run X (error in the previous run)' when drift looked further back."""
    looked_back = item.get("looked_back")
    if not looked_back:
        return item["before"]
    return "%s in run %s (%s in the previous run)" % (item["before"], looked_back["run_id"], looked_back["previous"])


def _drift_section(drift):
    if not drift:
        return '<p class="muted">Drift: not computed.</p>'
    if drift["status"] != "computed":
        what = "first run of this inventory" if drift["status"] == "first_run" else "unavailable"
        return '<p class="drift-%s" id="drift-status">Drift: %s. %s</p>' % (esc(drift["status"]), esc(what),
                                                                            esc(drift.get("reason")))
    cards = "".join('<div class="card drift-%s"><div class="big">%d</div>%s</div>'
                    % (k, drift["counts"][k], esc(label)) for k, label in DRIFT_LABELS.items())
    rows = []
    for kind, label in DRIFT_LABELS.items():
        for item in drift[kind]:
            if len(rows) >= MAX_DRIFT_ROWS:
                break
            rows.append("<tr>%s%s%s%s%s%s</tr>" % (
                _cell("Change", esc(label)), _cell("Subject", esc(item["subject_id"])),
                _cell("Clinic", esc(item.get("clinic"))), _cell("Control", esc(item["control_id"])),
                _cell("Impact", esc(item["impact"])), _cell("Before → now", "%s → %s" % (esc(_before(item)), esc(item["now"])))))
    total = sum(drift["counts"].values())
    more = ('<p class="muted">Showing %d of %d changes; report.json lists them all.</p>' % (len(rows), total)
            if total > len(rows) else "")
    table = ("<details%s><summary>Changes since run %s (%d)</summary><table class=\"stack\"><thead><tr><th>Change</th>"
             "<th>Subject</th><th>Clinic</th><th>Control</th><th>Impact</th><th>Before → now</th></tr></thead><tbody>%s"
             "</tbody></table>%s</details>"
             % (" open" if 0 < total <= 30 else "", esc(drift["previous_run_id"]), total, "".join(rows), more))
    return '<div class="cards" id="drift">%s</div>%s' % (cards, table)


def _kind_count(kind, number):
    """'3 workstations', '1 care unit'."""
    label = KIND_LABELS.get(kind, kind).split(" (")[0].lower()
    return "%d %s%s" % (number, label, "" if number == 1 else "s")


def _care_unit_rows(report):
    units = {}
    for subject in report["subjects"]:
        unit = care_unit_of(subject) or "(no care unit)"
        entry = units.setdefault(unit, {"clinics": set(), "kinds": {}, "results": []})
        entry["clinics"].add(clinic_of(subject))
        entry["kinds"][subject["kind"]] = entry["kinds"].get(subject["kind"], 0) + 1
        entry["results"].extend(subject["results"])
    rows = []
    for unit in sorted(units):
        entry = units[unit]
        counts = count_statuses(entry["results"])
        kinds = ", ".join(_kind_count(k, n) for k, n in sorted(entry["kinds"].items()))
        rows.append("<tr>%s%s%s%s%s</tr>" % (
            _cell("Care unit", esc(unit)), _cell("Clinic", esc(", ".join(sorted(entry["clinics"])))),
            _cell("Subjects", esc(kinds)), _counts_cells(counts),
            _cell("Compliant", _percent(compliance_percent(counts)), "num")))
    return "".join(rows)


def _control_rows(report):
    per_control = {}
    for subject in report["subjects"]:
        for result in subject["results"]:
            per_control.setdefault(result["control_id"], []).append(result)
    rows = []
    for control in report["catalogue"]["controls"]:
        results = per_control.get(control["id"], [])
        if not results:
            continue
        counts = count_statuses(results)
        rows.append("<tr>%s%s%s%s%s</tr>" % (
            _cell("Control", "<code>%s</code>" % esc(control["id"])), _cell("Title", esc(control["title"])),
            _cell("Requirements", esc(", ".join(control["requirements"]))), _cell("Impact", esc(control["impact"])),
            _counts_cells(counts)))
    return "".join(rows)


def _waiver_rows(report):
    rows = []
    for waiver in report["waivers"]:
        state = '<span class="s-failed">EXPIRED – no longer applies</span>' if waiver["expired"] else "valid"
        rows.append("<tr%s>%s%s%s%s%s%s%s%s</tr>" % (
            ' class="expired"' if waiver["expired"] else "", _cell("Control", "<code>%s</code>" % esc(waiver["control_id"])),
            _cell("Scope", esc(scope_text(waiver.get("scope")))), _cell("Justification", esc(waiver.get("justification"))),
            _cell("Owner", esc(waiver.get("owner"))), _cell("Ticket", esc(waiver.get("ticket"))),
            _cell("Expires", esc(waiver.get("expires"))), _cell("State", state),
            _cell("Results", "%d" % waiver["matched_results"], "num")))
    return "".join(rows)


def _impact_rank(impact):
    return IMPACT_ORDER.index(impact) if impact in IMPACT_ORDER else -1


def blocking_controls(report):
    """The controls with open failures, most blocking first: impact (critical, high, ...), then how many
    subjects fail them. Each: (control dict, {kind: subjects}, total)."""
    controls = {c["id"]: c for c in report["catalogue"]["controls"]}
    per_control = {}
    for subject in report["subjects"]:
        for result in subject["results"]:
            if is_open_failure(result):
                kinds = per_control.setdefault(result["control_id"], {})
                kinds[subject["kind"]] = kinds.get(subject["kind"], 0) + 1
                controls.setdefault(result["control_id"], {"id": result["control_id"], "title": result["title"],
                                                           "impact": result["impact"],
                                                           "remediation": result["remediation"]})
    ranked = [(controls[cid], kinds, sum(kinds.values())) for cid, kinds in per_control.items()]
    ranked.sort(key=lambda item: (-_impact_rank(item[0]["impact"]), -item[2], item[0]["id"]))
    return ranked


def clinics_worst_first(report):
    """(clinic, counts, subjects with an open failure, subjects) per clinic, worst first: lowest
    compliance, then most open failures; a clinic where nothing applies comes last."""
    subjects, failing = {}, {}
    for subject in report["subjects"]:
        clinic = clinic_of(subject)
        subjects[clinic] = subjects.get(clinic, 0) + 1
        if any(is_open_failure(r) for r in subject["results"]):
            failing[clinic] = failing.get(clinic, 0) + 1
    rows = [(clinic, counts, failing.get(clinic, 0), subjects.get(clinic, 0))
            for clinic, counts in report["summary"]["by_clinic"].items()]

    def badness(row):
        percent = compliance_percent(row[1])
        return (percent is None, percent if percent is not None else 0.0, -row[1]["failed"], row[0])
    return sorted(rows, key=badness)


def blocked_persons(report):
    """Persons with an open failure of impact high or critical: they will not be able to work in Webcert.
    (subject, [results]) with the most failures first, then by name."""
    persons = []
    for subject in report["subjects"]:
        if subject["kind"] != "person":
            continue
        blocking = [r for r in subject["results"] if is_open_failure(r) and r["impact"] in BLOCKING]
        if blocking:
            persons.append((subject, blocking))
    persons.sort(key=lambda item: (-len(item[1]), (item[0].get("name") or item[0]["id"]).casefold()))
    return persons


def _rest(rows, shown, what, table_head):
    """The rows after the first `shown`, behind a "show all" disclosure."""
    if len(rows) <= shown:
        return ""
    return ('<details class="rest"><summary>Show all %d %s</summary><table class="stack">%s<tbody>%s</tbody></table>'
            "</details>" % (len(rows), what, table_head, "".join(rows[shown:])))


def _fix_first(report, ranked):
    """`ranked`: clinics_worst_first(report), which the per-clinic section shows too."""
    parts = []
    controls = blocking_controls(report)
    head = ("<thead><tr><th>Control</th><th>Impact</th><th>Blocks</th><th>What to do</th><th></th></tr></thead>")
    rows = []
    for control, kinds, total in controls:
        blocks = ", ".join(_kind_count(k, n) for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
        rows.append('<tr class="impact-%s">%s%s%s%s%s</tr>' % (
            esc(control["impact"]),
            _cell("Control", "<code>%s</code> %s" % (esc(control["id"]), esc(control["title"]))),
            _cell("Impact", '<span class="impact">%s</span>' % esc(control["impact"])),
            _cell("Blocks", esc(blocks), "blocks"), _cell("What to do", esc(control.get("remediation")), "wrap"),
            _cell("", '<a class="go" href="%s">Show the %d affected</a>'
                  % (esc(view(status="failed", control=control["id"])), total))))
    if rows:
        parts.append('<h3>Failing controls, most blocking first</h3><table class="stack" id="fix-controls">%s<tbody>%s'
                     "</tbody></table>%s" % (head, "".join(rows[:TOP_CONTROLS]), _rest(rows, TOP_CONTROLS, "failing controls", head)))
    else:
        parts.append('<p class="ok-note" id="fix-controls">No open failures: nothing blocks a PC or a person.</p>')
    errors = [s for s in report["subjects"] if any(r["status"] == "error" for r in s["results"])]
    if errors:
        kinds = {}
        for subject in errors:
            kinds[subject["kind"]] = kinds.get(subject["kind"], 0) + 1
        parts.append('<p class="could-not" id="fix-errors">Could not be checked: %s. <a class="go" href="%s">Show them</a>'
                     "</p>" % (esc(", ".join(_kind_count(k, n) for k, n in sorted(kinds.items()))), esc(view(status="error"))))

    persons = blocked_persons(report)
    if persons:
        head = "<thead><tr><th>Person</th><th>HSA-id</th><th>Clinic</th><th>Why</th></tr></thead>"
        rows = []
        for subject, results in persons:
            why = "; ".join("%s: %s" % (r["title"], r["message"]) for r in results)
            rows.append("<tr>%s%s%s%s</tr>" % (
                _cell("Person", '<a href="%s">%s</a>' % (esc(view(text=subject["id"])), esc(subject.get("name") or subject["id"]))),
                _cell("HSA-id", "<code>%s</code>" % esc(subject["id"])), _cell("Clinic", esc(clinic_of(subject))),
                _cell("Why", esc(why), "wrap")))
        parts.append('<h3>Persons who will not be able to work in Webcert (%d)</h3><table class="stack" id="fix-persons">'
                     "%s<tbody>%s</tbody></table>%s" % (len(persons), head, "".join(rows[:TOP_PERSONS]),
                                                        _rest(rows, TOP_PERSONS, "persons", head)))

    clinics = [c for c in ranked if c[1]["failed"] or c[1]["error"]]
    if clinics:
        head = ("<thead><tr><th>Clinic</th><th class=\"num\">Compliant</th><th class=\"num\">Open failures</th>"
                "<th class=\"num\">Subjects failing</th><th class=\"num\">Errors</th></tr></thead>")
        rows = ["<tr>%s%s%s%s%s</tr>" % (
            _cell("Clinic", '<a href="%s">%s</a>' % (esc(view(clinic=clinic, status="problem")), esc(clinic))),
            _cell("Compliant", _percent(compliance_percent(counts)), "num"),
            _cell("Open failures", "%d" % counts["failed"], "num"),
            _cell("Subjects failing", "%d of %d" % (failing, total), "num"),
            _cell("Errors", "%d" % counts["error"], "num")) for clinic, counts, failing, total in clinics]
        parts.append('<h3>Clinics, worst first</h3><table class="stack" id="fix-clinics">%s<tbody>%s</tbody></table>%s'
                     % (head, "".join(rows[:TOP_CLINICS]), _rest(rows, TOP_CLINICS, "clinics with problems", head)))
    return '<section id="fix-first"><h2>Fix first</h2>%s</section>' % "".join(parts)


def _cards(report):
    fleet = report["summary"]["results"]
    subjects_text = esc(", ".join(_kind_count(k, v["total"]) for k, v in sorted(report["summary"]["subjects"].items())))
    open_high = sum(1 for s in report["subjects"] for r in s["results"] if is_open_failure(r) and r["impact"] in BLOCKING)
    warnings = sum(1 for s in report["subjects"] for r in s["results"] if r.get("warning") and r["status"] == "passed")
    cards = ['<div class="card"><div class="big" id="fig-compliance">%s</div>compliant</div>'
             % _percent(compliance_percent(fleet)),
             '<a class="card" href="%s"><div class="big" id="fig-subjects">%d</div>%s</a>'
             % (esc(view(status="")), len(report["subjects"]), subjects_text)]
    cards += ['<a class="card s-%s" href="%s"><div class="big" id="fig-%s">%d</div>%s</a>'
              % (s, esc(view(status=s)), s, fleet[s], esc(STATUS_LABELS[s])) for s in EFFECTIVE_STATUSES]
    cards.append('<a class="card s-failed" href="#fix-first"><div class="big" id="fig-open-high">%d</div>open failures of '
                 'impact high or critical</a>' % open_high)
    cards.append('<a class="card s-warning" href="%s"><div class="big" id="fig-warnings">%d</div>warnings: passed, but not '
                 'for long</a>' % (esc(view(status="warning")), warnings))
    blocked, judged = blocked_people(report)
    if judged:  # the People view, one click away from the top
        cards.append('<a class="card s-failed" href="#people"><div class="big" id="fig-people-blocked">%d of %d</div>'
                     'persons cannot work in Webcert today</a>' % (blocked, judged))
    return '<div class="cards" id="fleet">%s</div>' % "".join(cards)


def _notices(report):
    """Profile notices (report.json notices), each once, above everything else."""
    return "".join('<p class="notice" id="notice-%s"><strong>Profile %s:</strong> %s <span class="muted">(source: %s)'
                   "</span></p>" % (esc(n["profile"]), esc(n["profile"]), esc(n["text"]), esc(n["source"]))
                   for n in report.get("notices") or [])


def _clinic_section(ranked):
    per_clinic = [(row[0], row[1]) for row in ranked]
    chart = _chart(per_clinic[:CHART_CLINICS], "Results per clinic by status, worst first", "chart")
    if len(per_clinic) > CHART_CLINICS:
        chart += ('<details class="rest chart-rest"><summary>Show all %d clinics in the chart</summary>%s</details>'
                  % (len(per_clinic), _chart(per_clinic[CHART_CLINICS:], "The other clinics, worst first", "chart-rest")))
    rows = "".join("<tr>%s%s%s</tr>" % (
        _cell("Clinic", '<a href="%s">%s</a>' % (esc(view(clinic=clinic)), esc(clinic))), _counts_cells(counts),
        _cell("Compliant", _percent(compliance_percent(counts)), "num")) for clinic, counts in per_clinic)
    return ('<section id="clinic-section"><h2>Compliance per clinic, worst first</h2><div class="chart-box">%s</div>'
            '<table class="stack"><thead><tr><th>Clinic</th>%s<th class="num">Compliant</th></tr></thead>'
            '<tbody id="clinics">%s</tbody></table></section>' % (chart, _counts_head(), rows))


def render_html(report):
    run = report["run"]
    ranked = clinics_worst_first(report)
    body = [
        "<header><h1>Webcert readiness audit</h1>",
        '<p class="meta">Run <code id="run-id">%s</code> · inventory <code>%s</code> · care provider %s · '
        "started %s · finished %s · webcert-fleet %s</p></header>" % (
            esc(run["id"]), esc(run["inventory"]), esc(run.get("care_provider_hsa_id") or "–"), esc(run["started_at"]),
            esc(run["finished_at"]), esc(report["tool"]["version"])),
        _notices(report),
        "<section id=\"summary\"><h2>Fleet summary</h2>%s%s"
        '<p class="muted">Compliant = passed ÷ applicable results (all but not applicable). Waived = an accepted '
        "exception with a valid waiver; an expired waiver no longer applies. Each figure opens its list.</p></section>"
        % (_gate_section(report.get("gate")), _cards(report)),
        _fix_first(report, ranked),
        # Right after "Fix first" (which stays on the first screen): who cannot work in Webcert today, and why.
        people_section(report),
        '<section id="drift-section"><h2>Drift since the previous run</h2>%s</section>' % _drift_section(report.get("drift")),
        _clinic_section(ranked),
        '<section id="subjects"><h2>Hosts and directory objects</h2><form id="filters" onsubmit="return false">'
        '<label>Clinic <select id="f-clinic"><option value="">all</option></select></label>'
        '<label>Kind <select id="f-kind"><option value="">all</option></select></label>'
        '<label>Status <select id="f-status"><option value="">any</option><option value="problem">any problem</option>'
        '<option value="warning">passed with a warning</option></select></label>'
        '<label>Control <select id="f-control"><option value="">any</option></select></label>'
        '<label>Search <input id="f-text" type="search" placeholder="name, host or HSA-id"></label></form>'
        '<p id="match-count" class="muted">Enable JavaScript to browse the per-host detail.</p>'
        '<table class="subjects"><thead><tr><th class="toggle-head"></th>'
        '<th><button type="button" class="sort" data-sort="subject">Subject</button></th>'
        '<th><button type="button" class="sort" data-sort="kind">Kind</button></th>'
        '<th><button type="button" class="sort" data-sort="clinic">Clinic</button></th>'
        '<th><button type="button" class="sort" data-sort="unit">Care unit</button></th>%s'
        '<th class="num"><button type="button" class="sort" data-sort="warnings">Warnings</button></th>'
        '</tr></thead><tbody id="subject-rows"></tbody></table><button id="more" type="button" hidden>Show more'
        "</button></section>" % "".join('<th class="num"><button type="button" class="sort" data-sort="%s">%s</button></th>'
                                        % (s, esc(STATUS_LABELS[s])) for s in EFFECTIVE_STATUSES),
        "<section id=\"care-unit-section\"><h2>Care units (vårdenheter)</h2><table class=\"stack\"><thead><tr>"
        "<th>Care unit HSA-id</th><th>Clinic</th><th>Subjects</th>%s<th class=\"num\">Compliant</th></tr></thead>"
        "<tbody id=\"care-units\">%s</tbody></table></section>" % (_counts_head(), _care_unit_rows(report)),
        "<section id=\"waiver-section\"><h2>Waivers</h2>%s</section>" % (
            "<table class=\"stack\"><thead><tr><th>Control</th><th>Scope</th><th>Justification</th><th>Owner</th>"
            "<th>Ticket</th><th>Expires</th><th>State</th><th class=\"num\">Results</th></tr></thead>"
            "<tbody id=\"waivers\">%s</tbody></table>" % _waiver_rows(report)
            if report["waivers"] else '<p class="muted">No waivers.</p>'),
        "<section id=\"control-section\"><h2>Controls</h2><details><summary>Results per control (%d controls)</summary>"
        "<table class=\"stack\"><thead><tr><th>Control</th><th>Title</th><th>Requirements</th><th>Impact</th>%s</tr>"
        "</thead><tbody>%s</tbody></table></details></section>" % (
            len(report["catalogue"]["controls"]), _counts_head(), _control_rows(report)),
        '<script type="application/json" id="report-data">%s</script>' % _script_json(compact_data(report)),
        "<script>\n%s</script>" % asset("report.js"),
        "<script>\n%s</script>" % asset("people.js"),
    ]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
            "script-src 'unsafe-inline'; img-src data:\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<title>Webcert audit %s</title><style>\n%s</style></head><body>%s</body></html>\n"
            % (esc(run["id"]), asset("report.css"), "\n".join(body)))


def render(report):
    yield "report.html", render_html(report)
