# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""rollout.json and rollout.html: the rollout's before -> after report, rendered from rollout_report.build().

One self-contained page (no scripts, no external assets, every request forbidden by its
Content-Security-Policy) for the IT lead the morning after. The first screen: the outcome in one line,
the next command to run, the clinics that need a person (worst first), links to the two audits' reports
and the pending work with the next window opening. Then totals, and per clinic in wave order a table of
its PCs with the enforce outcome, the attempts, and the controls fixed, still failing and newly failing.
Times are Swedish local time with the zone shown.
"""

import json

from ansible_collections.webcert.fleet.plugins.module_utils.swedish_time import SWEDEN, parse_timestamp
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.render_html import esc
from ansible_collections.webcert.fleet.plugins.plugin_utils.rollout.report import CHANGES, OUTCOMES

LABELS = {"fixed": "Fixed", "still_failing": "Still failing", "newly_failing": "Newly failing",
          "not_judged": "Not judged", "unchanged": "Unchanged", "done": "Enforced", "pending": "Pending (later)",
          "failed": "Enforce failed", "not_reached": "Not reached"}
MAX_CHANGES_SHOWN = 50
SHORT = 160  # characters of an error shown before the disclosure


def swedish_clock(text):
    """An ISO 8601 timestamp as people in a Swedish clinic read it: 2026-12-04 09:30 CET."""
    if not text:
        return "never"
    try:
        return parse_timestamp(text).astimezone(SWEDEN).strftime("%Y-%m-%d %H:%M %Z")
    except ValueError:
        return str(text)


def short(text, limit=SHORT):
    """Shortened to `limit` characters; the whole text only in rollout.json and the disclosure."""
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def _disclosed(text):
    """A long text once: shortened, with the full text behind a disclosure."""
    text = str(text or "")
    if len(text) <= SHORT:
        return esc(text)
    return '<details><summary>%s</summary><pre class="full">%s</pre></details>' % (esc(short(text)), esc(text))


def _cards(counts, keys):
    return '<div class="cards">%s</div>' % "".join(
        '<div class="card k-%s"><div class="big">%d</div>%s</div>' % (key, counts[key], esc(LABELS[key])) for key in keys)


def _attempts(host):
    """Every enforce attempt of the PC across the runs of the rollout, oldest first."""
    if len(host["attempts"]) < 2:
        return ""
    return '<ol class="attempts">%s</ol>' % "".join(
        '<li class="k-%s">%s %s%s</li>' % ("done" if a["status"] == "done" else "failed", esc(a["status"]),
                                           esc(swedish_clock(a["at"])),
                                           (": " + esc(short(a["message"], 80))) if a.get("message") else "")
        for a in host["attempts"])


def _host_row(host):
    changes = [c for c in host["changes"] if c["change"] != "not_judged"]
    items = "".join('<li class="k-%s">%s <code>%s</code> %s: %s &rarr; %s</li>'
                    % (c["change"], esc(LABELS[c["change"]]), esc(c["control_id"]), esc(c["title"]),
                       esc(c["before"] or "absent"), esc(c["after"] or "absent"))
                    for c in changes[:MAX_CHANGES_SHOWN])
    if len(changes) > MAX_CHANGES_SHOWN:
        items += "<li>... and %d more in rollout.json</li>" % (len(changes) - MAX_CHANGES_SHOWN)
    counts = host["counts"]
    not_judged = ('<div class="muted">%s</div>' % " ".join("<code>%s</code>" % esc(c) for c in host["not_judged"])
                  if host["not_judged"] else "")
    return ('<tr><td><code>%s</code>%s</td><td class="k-%s">%s<div class="muted reason">%s</div>%s</td>'
            '<td class="num">%d</td><td class="num">%d</td><td class="num">%d</td><td class="num">%d%s</td><td><ul>%s</ul></td></tr>'
            % (esc(host["host"]), " (canary)" if host["step"] == "canary" else "", host["outcome"],
               # The error in full once, where it happened; elsewhere (PCs of a stopped clinic) shortened.
               esc(LABELS[host["outcome"]]), _disclosed(host["reason"]) if host["outcome"] == "failed"
               else esc(short(host["reason"])), _attempts(host), counts["fixed"],
               counts["still_failing"], counts["newly_failing"], counts["not_judged"], not_judged, items))


def _why(clinic):
    counts, why = clinic["counts"], []
    if clinic["stopped"]:
        why.append("stopped: " + short(clinic["stopped"]["reason"], 100))
    for key in ("failed", "not_reached", "pending"):
        if counts[key]:
            why.append("%d %s" % (counts[key], LABELS[key].lower()))
    if counts["newly_failing"]:
        why.append("%d control(s) newly failing" % counts["newly_failing"])
    return "; ".join(why)


def _window_text(window, spans):
    if not window:
        return "no window: the next run"
    text = swedish_clock(window["next_opening"]) + " (window " + spans + ")"
    return ("open now: resume the rollout now; after that " + text) if window["open_now"] else text


def _first_screen(rollout):
    outcome = rollout["outcome"]
    body = ['<p class="outcome o-%s" id="outcome">%s</p>' % (esc(outcome["status"]), esc(outcome["text"]))]
    if outcome["next_command"]:
        body.append('<p class="next">Next command (resumes the rollout: what is done is not repeated):</p>'
                    '<pre id="next-command">%s</pre>' % esc(outcome["next_command"]))
    else:
        body.append('<p class="next" id="next-command">Nothing left to do.</p>')
    clinics = {c["clinic"]: c for c in rollout["clinics"]}
    if rollout["needs_a_person"]:
        body.append('<h2>Clinics that need a person</h2><ol id="needs-a-person">%s</ol>' % "".join(
            '<li><a href="#clinic-%d">%s</a> <span class="muted">wave %d</span>: %s</li>'
            % (rollout["clinics"].index(clinics[name]), esc(name), clinics[name]["wave"], esc(_why(clinics[name])))
            for name in rollout["needs_a_person"]))
    links = []
    for phase, label in (("audit_before", "Audit before"), ("audit_after", "Audit after")):
        audit = rollout.get(phase)
        links.append('%s: %s' % (label, '<a href="%s">%s</a> (run %s, %s)' % (
            esc(audit["report_html"]), esc(audit["report_html"]), esc(audit.get("run_id") or ""),
            esc(swedish_clock(audit.get("at")))) if audit else "not run"))
    body.append('<p class="links">%s</p>' % "<br>".join(links))
    pending = [(c, h) for c in rollout["clinics"] for h in c["hosts"] if h["outcome"] == "pending"]
    if pending:
        body.append('<h2>Pending work</h2><table id="pending"><tr><th>PC</th><th>Clinic</th><th>Left for later</th>'
                    '<th>Next window opens</th></tr>%s</table>' % "".join(
                        '<tr><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td></tr>'
                        % (esc(h["host"]), esc(c["clinic"]), esc("; ".join(h["pending"])),
                           esc(_window_text(h["next_window"], c["maintenance_window"])))
                        for c, h in pending))
    return body


def render_html(rollout):
    meta = rollout["rollout"]
    body = ["<h1>Webcert rollout %s</h1>" % esc(meta["rollout_id"])]
    body += _first_screen(rollout)
    body.append('<p class="meta">Started %s, targeted with --limit <code>%s</code>%s.</p>'
                % (esc(swedish_clock(meta["started_at"])), esc(meta["limit"]),
                   "; resumed %s" % ", ".join(esc(swedish_clock(at)) for at in meta["resumed_at"])
                   if meta["resumed_at"] else ""))
    body += ["<h2>PCs</h2>", _cards(rollout["totals"], OUTCOMES),
             "<h2>Controls on those PCs, before &rarr; after</h2>", _cards(rollout["totals"], CHANGES[:4])]
    for number, clinic in enumerate(rollout["clinics"]):
        stopped = clinic["stopped"]
        body.append('<h2 id="clinic-%d">%s <span class="muted">%s, wave %d%s</span></h2>'
                    % (number, esc(clinic["clinic"]), esc(clinic["care_unit_hsa_id"]), clinic["wave"],
                       ", window " + esc(clinic["maintenance_window"]) if clinic["maintenance_window"] else ""))
        if clinic.get("canary_note"):
            body.append('<p class="note">Canary: %s</p>' % esc(clinic["canary_note"]))
        if stopped:
            body.append('<p class="stopped">Stopped: %s (%s)</p>' % (esc(short(stopped["reason"])),
                                                                     esc(swedish_clock(stopped["at"]))))
        for earlier in clinic.get("stopped_before", []):
            body.append('<p class="muted">Stopped earlier, then resumed: %s (%s)</p>'
                        % (esc(short(earlier["reason"], 100)), esc(swedish_clock(earlier["at"]))))
        body.append(_cards(clinic["counts"], OUTCOMES))
        body.append("<table><tr><th>PC</th><th>Enforce</th><th>Fixed</th><th>Still failing</th><th>Newly failing</th>"
                    "<th>Not judged</th><th>Changes</th></tr>%s</table>" % "".join(_host_row(h) for h in clinic["hosts"]))
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            "<title>Webcert rollout %s</title><style>%s</style></head><body>%s</body></html>\n"
            % (esc(meta["rollout_id"]), STYLE, "\n".join(body)))


def summary_lines(rollout, html_path):
    """The rollout summary for the terminal: outcome, one line per clinic (wave order), the next command."""
    lines = ["Rollout %s: %s" % (rollout["rollout"]["rollout_id"], rollout["outcome"]["text"])]
    for clinic in rollout["clinics"]:
        counts = clinic["counts"]
        lines.append("  wave %d, %s: %d enforced, %d pending, %d failed, %d not reached; controls fixed %d, still "
                     "failing %d, newly failing %d%s"
                     % (clinic["wave"], clinic["clinic"], counts["done"], counts["pending"], counts["failed"],
                        counts["not_reached"], counts["fixed"], counts["still_failing"], counts["newly_failing"],
                        "; STOPPED: " + short(clinic["stopped"]["reason"], 100) if clinic["stopped"] else ""))
        if clinic.get("canary_note"):
            lines.append("    canary: " + clinic["canary_note"])
    command = rollout["outcome"]["next_command"]
    lines.append("Next: " + command if command else "Next: nothing left to do.")
    lines.append("Report: " + html_path)
    return lines


def render(rollout):
    """(relative path, text) pairs, as the audit's renderers yield them."""
    yield "rollout.json", json.dumps(rollout, indent=2, ensure_ascii=False) + "\n"
    yield "rollout.html", render_html(rollout)


STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2329;margin:0 auto;
max-width:1200px;padding:16px 24px;background:#fafbfc}
h1{font-size:24px;margin:8px 0 4px}h2{font-size:18px;margin:28px 0 10px;border-bottom:2px solid #dde3ea;
padding-bottom:4px}.meta,.muted{color:#5b6670;font-weight:400}code{font-family:ui-monospace,Consolas,monospace;font-size:12.5px}
table{border-collapse:collapse;width:100%;background:#fff;margin:8px 0}
th,td{border-bottom:1px solid #e6eaee;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f0f3f6;font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums}ul{margin:0;padding-left:16px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
.card{background:#fff;border:1px solid #dde3ea;border-left:5px solid #8da2b5;border-radius:6px;padding:8px 14px;
min-width:110px}.big{font-size:26px;font-weight:700}
.k-fixed,.k-done{border-left-color:#2e7d32;color:#1b5e20}.k-still_failing,.k-failed{border-left-color:#c62828;color:#b71c1c}
.k-newly_failing{border-left-color:#c62828;color:#b71c1c;font-weight:600}.k-not_reached,.k-pending{border-left-color:#ef6c00;color:#c25400}
.card{color:inherit}.stopped{background:#ffebee;border:1px solid #c62828;padding:6px 10px;border-radius:6px}
.outcome{font-size:18px;font-weight:600;padding:10px 14px;border-radius:6px;margin:10px 0;border:1px solid #c25400;
background:#fff3e0}.o-finished{border-color:#2e7d32;background:#e8f5e9}.o-stopped{border-color:#c62828;background:#ffebee}
pre{background:#1d2329;color:#fafbfc;padding:8px 12px;border-radius:6px;white-space:pre-wrap;word-break:break-all}
pre.full{background:#f0f3f6;color:#1d2329}.attempts{margin:4px 0 0;padding-left:18px;font-size:12.5px}
.note{background:#e3f2fd;border:1px solid #1565c0;padding:6px 10px;border-radius:6px}
"""
