# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""report.html: one self-contained page a clinic manager opens (no external assets, no network).

The overview (fleet figures, gate, drift, compliance per clinic as inline SVG, care units, controls,
waivers) is rendered here in Python, so it shows even with JavaScript off. The per-subject detail is
rendered lazily in the browser from a compact JSON block (controls and repeated texts are stored once
and referenced by index): only the rows in view are built, a finding's detail only when opened. That
keeps the page usable with 5,000 hosts. Filters (clinic, kind, status, control, text) are kept in the
URL fragment, so a filtered view can be bookmarked or sent: report.html#clinic=...&status=failed.

A Content-Security-Policy in the page forbids every request (default-src 'none'); data goes in
through JSON with <, > and & escaped, and the script sets text with textContent only.
"""

import functools
import html
import json
import os

from ansible_collections.webcert.fleet.plugins.plugin_utils.render_common import (EFFECTIVE_STATUSES, KIND_LABELS, care_unit_of, clinic_of, compliance_percent,
                                                                                  effective_status, is_open_failure)
from ansible_collections.webcert.fleet.plugins.plugin_utils.results import count_statuses

STATUS_LABELS = {"passed": "Passed", "failed": "Failed", "waived": "Waived", "error": "Error",
                 "not_reviewed": "Not reviewed", "not_applicable": "Not applicable"}
COLOURS = {"passed": "#2e7d32", "failed": "#c62828", "waived": "#5c6bc0", "error": "#ef6c00",
           "not_reviewed": "#8d8d8d", "not_applicable": "#d6d6d6"}
DRIFT_LABELS = {"new_failures": "New failures", "regressed": "Regressed", "waiver_expired": "Waiver expired",
                "resolved": "Resolved", "not_judged_before": "Failing, not judged before"}
MAX_DRIFT_ROWS = 200
# The page's style sheet and script ship with the collection as files and are inlined into every page.
ASSETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "report_assets")


@functools.lru_cache(maxsize=None)
def asset(name):
    """The text of report_assets/<name>, read once per process."""
    with open(os.path.join(ASSETS, name), encoding="utf-8") as handle:
        return handle.read()


def esc(value):
    return html.escape("" if value is None else str(value), quote=True)


def _percent(value):
    return "n/a" if value is None else "%.0f %%" % value


def compact_data(report):
    """The subjects as arrays with interned texts: [kind, id, name, clinic, care unit, status, error,
    evidence, collected_at, results]; a result is [control, status, waiver, expected, actual, message,
    evidence] where texts are indexes into `strings` (-1 = none) and evidence -1 means the subject's."""
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
            results.append([control_index[result["control_id"]], statuses.index(effective_status(result)),
                            waiver_ref(result.get("waiver")), intern(result["expected"]), intern(result["actual"]),
                            intern(result["message"]), -1 if evidence == subject.get("evidence_source") else intern(evidence),
                            statuses.index(result["status"])])
        subjects.append([subject["kind"], subject["id"], subject.get("name") or subject["id"], clinic_of(subject),
                         care_unit_of(subject) or "", subject["status"], subject.get("error") or "",
                         subject.get("evidence_source") or "", subject.get("collected_at") or "", results])
    return {"statuses": statuses, "statusLabels": [STATUS_LABELS[s] for s in statuses],
            "kinds": KIND_LABELS, "controls": controls, "strings": strings, "waivers": waivers,
            "subjects": subjects}


def _script_json(data):
    """JSON safe inside <script>: no '</script>', no '<!--', no HTML entities."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _chart(per_clinic):
    """Stacked horizontal bars per clinic, one segment per effective status; labels are text."""
    bar_x, bar_width, row_height = 230, 520, 30
    height = 40 + row_height * len(per_clinic)
    parts = ['<svg role="img" aria-labelledby="chart-title" '
             'viewBox="0 0 880 %d" width="880" height="%d" class="chart">' % (height, height),
             '<title id="chart-title">Results per clinic by status</title>']
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
            parts.append('<rect x="%.1f" y="%d" width="%.1f" height="20" fill="%s"><title>%s: %s %d</title></rect>'
                         % (x, y, width, COLOURS[status], esc(clinic), esc(STATUS_LABELS[status]), counts[status]))
            x += width
        parts.append('<text x="%d" y="%d" class="label">%s compliant</text>'
                     % (bar_x + bar_width + 8, y + 15, _percent(compliance_percent(counts))))
    parts.append("</svg>")
    return "".join(parts)


def _counts_cells(counts):
    return "".join('<td class="num s-%s%s">%d</td>' % (s, "" if counts[s] else " zero", counts[s]) for s in EFFECTIVE_STATUSES)


def _counts_head():
    return "".join('<th class="num">%s</th>' % esc(STATUS_LABELS[s]) for s in EFFECTIVE_STATUSES)


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
            rows.append("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s → %s</td></tr>" % (
                esc(label), esc(item["subject_id"]), esc(item.get("clinic")), esc(item["control_id"]),
                esc(item["impact"]), esc(_before(item)), esc(item["now"])))
    total = sum(drift["counts"].values())
    more = ('<p class="muted">Showing %d of %d changes; report.json lists them all.</p>' % (len(rows), total)
            if total > len(rows) else "")
    table = ("<details%s><summary>Changes since run %s (%d)</summary><table><thead><tr><th>Change</th><th>Subject</th>"
             "<th>Clinic</th><th>Control</th><th>Impact</th><th>Before → now</th></tr></thead><tbody>%s</tbody></table>%s"
             "</details>" % (" open" if 0 < total <= 30 else "", esc(drift["previous_run_id"]), total, "".join(rows), more))
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
        rows.append("<tr><td>%s</td><td>%s</td><td>%s</td>%s<td class=\"num\">%s</td></tr>"
                    % (esc(unit), esc(", ".join(sorted(entry["clinics"]))), esc(kinds), _counts_cells(counts),
                       _percent(compliance_percent(counts))))
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
        rows.append("<tr><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td>%s</tr>" % (
            esc(control["id"]), esc(control["title"]), esc(", ".join(control["requirements"])), esc(control["impact"]),
            _counts_cells(counts)))
    return "".join(rows)


def _waiver_rows(report):
    rows = []
    for waiver in report["waivers"]:
        scope = waiver.get("scope")
        scope_text = scope if isinstance(scope, str) else ", ".join("%s %s" % kv for kv in (scope or {}).items())
        state = '<span class="s-failed">EXPIRED – no longer applies</span>' if waiver["expired"] else "valid"
        rows.append("<tr%s><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                    "<td class=\"num\">%d</td></tr>" % (
                        ' class="expired"' if waiver["expired"] else "", esc(waiver["control_id"]), esc(scope_text),
                        esc(waiver.get("justification")), esc(waiver.get("owner")), esc(waiver.get("ticket")),
                        esc(waiver.get("expires")), state, waiver["matched_results"]))
    return "".join(rows)


def _notices(notices):
    """Profile notices (report.json notices), each once, above the summary."""
    return "".join('<p class="notice" id="notice-%s"><strong>Profile %s:</strong> %s <span class="muted">(source: %s)'
                   "</span></p>" % (esc(n["profile"]), esc(n["profile"]), esc(n["text"]), esc(n["source"]))
                   for n in notices or [])


def render_html(report):
    run, summary = report["run"], report["summary"]
    fleet = summary["results"]
    per_clinic = sorted(summary["by_clinic"].items())
    subjects_text = esc(", ".join(_kind_count(k, v["total"]) for k, v in sorted(summary["subjects"].items())))
    open_high = sum(1 for s in report["subjects"] for r in s["results"]
                    if is_open_failure(r) and r["impact"] in ("high", "critical"))
    cards = ['<div class="card"><div class="big" id="fig-compliance">%s</div>compliant</div>'
             % _percent(compliance_percent(fleet)),
             '<div class="card"><div class="big" id="fig-subjects">%d</div>%s</div>' % (len(report["subjects"]), subjects_text)]
    cards += ['<div class="card s-%s"><div class="big" id="fig-%s">%d</div>%s</div>'
              % (s, s, fleet[s], esc(STATUS_LABELS[s])) for s in EFFECTIVE_STATUSES]
    cards.append('<div class="card s-failed"><div class="big" id="fig-open-high">%d</div>open failures of impact '
                 'high or critical</div>' % open_high)
    body = [
        "<header><h1>Webcert readiness audit</h1>",
        '<p class="meta">Run <code id="run-id">%s</code> · inventory <code>%s</code> · care provider %s · '
        "started %s · finished %s · webcert-fleet %s</p></header>" % (
            esc(run["id"]), esc(run["inventory"]), esc(run.get("care_provider_hsa_id") or "–"), esc(run["started_at"]),
            esc(run["finished_at"]), esc(report["tool"]["version"])),
        _notices(report.get("notices")),
        "<section><h2>Fleet summary</h2>%s<div class=\"cards\" id=\"fleet\">%s</div>"
        '<p class="muted">Compliant = passed ÷ applicable results (all but not applicable). Waived = an accepted '
        "exception with a valid waiver; an expired waiver no longer applies.</p></section>"
        % (_gate_section(report.get("gate")), "".join(cards)),
        "<section><h2>Drift since the previous run</h2>%s</section>" % _drift_section(report.get("drift")),
        "<section><h2>Compliance per clinic</h2>%s<table><thead><tr><th>Clinic</th>%s<th class=\"num\">Compliant</th>"
        "</tr></thead><tbody id=\"clinics\">%s</tbody></table></section>" % (
            _chart(per_clinic), _counts_head(),
            "".join('<tr><td>%s</td>%s<td class="num">%s</td></tr>' % (esc(c), _counts_cells(n), _percent(compliance_percent(n)))
                    for c, n in per_clinic)),
        "<section><h2>Care units (vårdenheter)</h2><table><thead><tr><th>Care unit HSA-id</th><th>Clinic</th>"
        "<th>Subjects</th>%s<th class=\"num\">Compliant</th></tr></thead><tbody id=\"care-units\">%s</tbody></table>"
        "</section>" % (_counts_head(), _care_unit_rows(report)),
        "<section><h2>Waivers</h2>%s</section>" % (
            "<table><thead><tr><th>Control</th><th>Scope</th><th>Justification</th><th>Owner</th><th>Ticket</th>"
            "<th>Expires</th><th>State</th><th class=\"num\">Results</th></tr></thead><tbody id=\"waivers\">%s</tbody>"
            "</table>" % _waiver_rows(report) if report["waivers"] else '<p class="muted">No waivers.</p>'),
        '<section><h2>Hosts and directory objects</h2><form id="filters" onsubmit="return false">'
        '<label>Clinic <select id="f-clinic"><option value="">all</option></select></label>'
        '<label>Kind <select id="f-kind"><option value="">all</option></select></label>'
        '<label>Status <select id="f-status"><option value="">any</option><option value="problem">any problem</option>'
        "</select></label>"
        '<label>Control <select id="f-control"><option value="">any</option></select></label>'
        '<label>Search <input id="f-text" type="search" placeholder="host or HSA-id"></label></form>'
        '<p id="match-count" class="muted">Enable JavaScript to browse the per-host detail.</p>'
        '<div class="scroll"><table class="subjects"><thead><tr><th></th><th>Subject</th><th>Kind</th><th>Clinic</th><th>Care unit</th>'
        '%s</tr></thead><tbody id="subject-rows"></tbody></table></div><button id="more" type="button" hidden>Show more'
        "</button></section>" % _counts_head(),
        "<section><h2>Controls</h2><details><summary>Results per control (%d controls)</summary><table><thead><tr>"
        "<th>Control</th><th>Title</th><th>Requirements</th><th>Impact</th>%s</tr></thead><tbody>%s</tbody></table>"
        "</details></section>" % (len(report["catalogue"]["controls"]), _counts_head(), _control_rows(report)),
        '<script type="application/json" id="report-data">%s</script>' % _script_json(compact_data(report)),
        "<script>\n%s</script>" % asset("report.js"),
    ]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
            "script-src 'unsafe-inline'; img-src data:\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<title>Webcert audit %s</title><style>\n%s</style></head><body>%s</body></html>\n"
            % (esc(run["id"]), asset("report.css"), "\n".join(body)))


def render(report):
    yield "report.html", render_html(report)

