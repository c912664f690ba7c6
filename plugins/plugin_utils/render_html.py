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

import html
import json

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
        "<script>%s</script>" % SCRIPT,
    ]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
            "script-src 'unsafe-inline'; img-src data:\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<title>Webcert audit %s</title><style>%s</style></head><body>%s</body></html>\n"
            % (esc(run["id"]), STYLE, "\n".join(body)))


def render(report):
    yield "report.html", render_html(report)


STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2329;margin:0 auto;
max-width:1200px;padding:16px 24px;background:#fafbfc}
h1{font-size:24px;margin:8px 0 4px}h2{font-size:18px;margin:28px 0 10px;border-bottom:2px solid #dde3ea;
padding-bottom:4px}.meta,.muted{color:#5b6670}code{font-family:ui-monospace,Consolas,monospace;font-size:12.5px}
table{border-collapse:collapse;width:100%;background:#fff;margin:8px 0}
th,td{border-bottom:1px solid #e6eaee;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f0f3f6;font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
.card{background:#fff;border:1px solid #dde3ea;border-left:5px solid #8da2b5;border-radius:6px;padding:8px 14px;
min-width:110px}.big{font-size:26px;font-weight:700}
.card.s-passed{border-left-color:#2e7d32}.card.s-failed{border-left-color:#c62828}.card.s-waived{border-left-color:#5c6bc0}
.card.s-error{border-left-color:#ef6c00}.card.s-not_reviewed{border-left-color:#8d8d8d}
.card.drift-new_failures,.card.drift-regressed,.card.drift-waiver_expired{border-left-color:#c62828}
.card.drift-resolved{border-left-color:#2e7d32}
td.s-failed,span.s-failed{color:#b71c1c;font-weight:600}td.s-error{color:#c25400}td.s-passed{color:#1b5e20}
.gate{padding:8px 12px;border-radius:6px}.gate.ok{background:#e8f5e9}.gate.bad{background:#ffebee;border:1px solid #c62828}
.drift-unavailable{background:#fff3e0;padding:6px 10px;border-radius:6px}
tr.expired td{background:#fff5f5}.chart{max-width:100%;height:auto;background:#fff;border:1px solid #e6eaee}
.chart .label{font-size:13px;fill:#1d2329}.chart .legend{font-size:11px;fill:#1d2329}
#filters{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0}#filters label{display:flex;flex-direction:column;
font-size:12px;color:#5b6670}select,input{font:inherit;padding:3px 6px;min-width:150px}
.subjects>tbody>tr>td{white-space:nowrap}.subjects>tbody>tr>td.wrap,.subjects>tbody>tr.detail>td{white-space:normal}
.waiver-note{max-width:260px;font-size:12px}.subject-error{max-width:320px;font-size:12px;font-weight:400}
.scroll{overflow-x:auto}.notice{background:#fff8e1;border:1px solid #f0c36d;border-radius:6px;padding:8px 12px}
button.toggle{border:1px solid #c3ccd5;background:#fff;border-radius:4px;cursor:pointer;width:26px}
tr.detail>td{background:#f6f8fa;padding:8px 12px 12px 40px}tr.detail table{font-size:13px;table-layout:fixed}
tr.detail td{overflow-wrap:anywhere}tr.detail th:nth-child(1){width:130px}tr.detail th:nth-child(2){width:190px}
tr.detail th:nth-child(3){width:64px}
.badge{display:inline-block;padding:1px 7px;border-radius:10px;color:#fff;font-size:12px;white-space:nowrap}
.b-passed{background:#2e7d32}.b-failed{background:#c62828}.b-waived{background:#5c6bc0}.b-error{background:#ef6c00}
.b-not_reviewed{background:#8d8d8d}.b-not_applicable{background:#b0b0b0}
#more{margin:8px 0;padding:6px 14px}
td.zero{color:#9aa4ad;font-weight:400}
@media print{#filters,#more,button.toggle{display:none}}
"""

# The browser part: filters and lazily built rows. Texts go in with textContent only.
SCRIPT = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var S = data.statuses, PAGE = 100, shown = 0, matches = [];
  var el = function (id) { return document.getElementById(id); };
  var f = {clinic: el("f-clinic"), kind: el("f-kind"), status: el("f-status"), control: el("f-control"), text: el("f-text")};
  function str(i) { return i < 0 ? "" : data.strings[i]; }
  function node(tag, text, cls) {
    var n = document.createElement(tag);
    if (text !== undefined && text !== null) { n.textContent = text; }
    if (cls) { n.className = cls; }
    return n;
  }
  function addOptions(select, values, labels) {
    values.forEach(function (v, i) { var o = node("option", labels ? labels[i] : v); o.value = v; select.appendChild(o); });
  }
  var clinics = {}, kinds = {};
  data.subjects.forEach(function (s) { clinics[s[3]] = 1; kinds[s[0]] = 1; });
  addOptions(f.clinic, Object.keys(clinics).sort());
  var kindList = Object.keys(kinds).sort();
  addOptions(f.kind, kindList, kindList.map(function (k) { return data.kinds[k] || k; }));
  addOptions(f.status, S, data.statusLabels);
  addOptions(f.control, data.controls.map(function (c) { return c[0]; }),
             data.controls.map(function (c) { return c[0] + " – " + c[1]; }));
  // Counts per subject once, so filtering 5,000 hosts is a loop over small arrays.
  var counts = data.subjects.map(function (s) {
    var c = S.map(function () { return 0; });
    s[9].forEach(function (r) { c[r[1]] += 1; });
    return c;
  });
  function readHash() {
    var params = new URLSearchParams(location.hash.slice(1));
    Object.keys(f).forEach(function (k) { if (params.has(k)) { f[k].value = params.get(k); } });
  }
  function writeHash() {
    var params = new URLSearchParams();
    Object.keys(f).forEach(function (k) { if (f[k].value) { params.set(k, f[k].value); } });
    history.replaceState(null, "", "#" + params.toString());
  }
  function resultMatches(r, status, control) {
    if (control !== "" && data.controls[r[0]][0] !== control) { return false; }
    if (status === "") { return true; }
    if (status === "problem") { return S[r[1]] !== "passed" && S[r[1]] !== "not_applicable"; }
    return S[r[1]] === status;
  }
  function filter() {
    var clinic = f.clinic.value, kind = f.kind.value, status = f.status.value, control = f.control.value;
    var text = f.text.value.trim().toLowerCase();
    matches = [];
    data.subjects.forEach(function (s, i) {
      if (clinic && s[3] !== clinic) { return; }
      if (kind && s[0] !== kind) { return; }
      if (text && (s[1] + " " + s[2] + " " + s[4]).toLowerCase().indexOf(text) < 0) { return; }
      if ((status || control) && !s[9].some(function (r) { return resultMatches(r, status, control); })) { return; }
      matches.push(i);
    });
    el("subject-rows").textContent = "";
    shown = 0;
    more();
    writeHash();
  }
  function more() {
    var body = el("subject-rows"), end = Math.min(matches.length, shown + PAGE);
    for (var k = shown; k < end; k += 1) { body.appendChild(row(matches[k])); }
    shown = end;
    el("match-count").textContent = matches.length + " of " + data.subjects.length + " subjects match" +
      (shown < matches.length ? " (showing " + shown + ")" : "");
    el("match-count").setAttribute("data-matches", String(matches.length));
    el("more").hidden = shown >= matches.length;
  }
  function row(i) {
    var s = data.subjects[i], tr = node("tr"), button = node("button", "+", "toggle");
    tr.setAttribute("data-subject", s[1]);
    button.type = "button";
    button.setAttribute("aria-label", "Show findings of " + s[1]);
    button.addEventListener("click", function () { toggle(tr, i, button); });
    var first = node("td"); first.appendChild(button); tr.appendChild(first);
    var name = node("td", s[1]);
    if (s[5] === "error") { name.appendChild(node("div", s[6], "s-failed subject-error")); name.className = "wrap"; }
    tr.appendChild(name);
    tr.appendChild(node("td", (data.kinds[s[0]] || s[0]).split(" (")[0], "wrap"));
    tr.appendChild(node("td", s[3], "wrap"));
    tr.appendChild(node("td", s[4]));
    counts[i].forEach(function (n, j) { tr.appendChild(node("td", String(n), "num s-" + S[j] + (n ? "" : " zero"))); });
    return tr;
  }
  var ORDER = ["failed", "error", "not_reviewed", "waived", "not_applicable", "passed"];
  function toggle(tr, i, button) {
    var next = tr.nextSibling;
    if (next && next.className === "detail") { next.parentNode.removeChild(next); button.textContent = "+"; return; }
    button.textContent = "−";
    var s = data.subjects[i], detail = node("tr", null, "detail"), cell = node("td");
    cell.colSpan = 5 + S.length;
    var info = "Evidence: " + (s[7] || "none") + (s[8] ? " · collected " + s[8] : "");
    cell.appendChild(node("p", info, "muted"));
    var table = node("table"), head = node("tr");
    ["Status", "Control", "Impact", "Expected", "Actual", "Message", "Remediation"].forEach(function (h) {
      head.appendChild(node("th", h));
    });
    table.appendChild(head);
    s[9].slice().sort(function (a, b) { return ORDER.indexOf(S[a[1]]) - ORDER.indexOf(S[b[1]]); }).forEach(function (r) {
      var c = data.controls[r[0]], line = node("tr"), status = node("td");
      status.appendChild(node("span", data.statusLabels[r[1]] + (S[r[1]] === "waived" ? " (" + S[r[7]] + ")" : ""),
                                 "badge b-" + S[r[1]]));
      if (r[2]) {
        var w = data.waivers[r[2] - 1];
        status.appendChild(node("div", (w[4] ? "Expired waiver " : "Waiver ") + (w[2] || "") + " until " + w[3] +
          " (" + w[1] + "): " + w[0], "muted waiver-note"));
      }
      line.appendChild(status);
      var control = node("td", c[0], null); control.appendChild(node("div", c[1] + " [" + c[3] + "]", "muted"));
      line.appendChild(control);
      line.appendChild(node("td", c[2]));
      line.appendChild(node("td", str(r[3]), "wrap"));
      line.appendChild(node("td", str(r[4]), "wrap"));
      var message = node("td", str(r[5]), "wrap");
      if (r[6] >= 0) { message.appendChild(node("div", "Evidence: " + str(r[6]), "muted")); }
      line.appendChild(message);
      line.appendChild(node("td", S[r[1]] === "passed" || S[r[1]] === "not_applicable" ? "" : c[4], "wrap"));
      table.appendChild(line);
    });
    cell.appendChild(table);
    detail.appendChild(cell);
    tr.parentNode.insertBefore(detail, tr.nextSibling);
  }
  Object.keys(f).forEach(function (k) { f[k].addEventListener(k === "text" ? "input" : "change", filter); });
  el("more").addEventListener("click", more);
  window.addEventListener("hashchange", function () { readHash(); filter(); });
  readHash();
  filter();
}());
"""
