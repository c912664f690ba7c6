# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""rollout.json and rollout.html: the rollout's before -> after report, rendered from rollout_report.build().

One self-contained page (no scripts, no external assets, every request forbidden by its
Content-Security-Policy): totals, then per clinic (wave, canary, stopped or not) a table of its PCs with
the enforce outcome and the controls fixed, still failing and newly failing.
"""

import json

from ansible_collections.webcert.fleet.plugins.plugin_utils.report.render_html import esc
from ansible_collections.webcert.fleet.plugins.plugin_utils.rollout.report import CHANGES, OUTCOMES

LABELS = {"fixed": "Fixed", "still_failing": "Still failing", "newly_failing": "Newly failing",
          "not_judged": "Not judged", "unchanged": "Unchanged", "done": "Enforced", "pending": "Pending (window)",
          "failed": "Enforce failed", "not_reached": "Not reached"}
MAX_CHANGES_SHOWN = 50


def _cards(counts, keys):
    return '<div class="cards">%s</div>' % "".join(
        '<div class="card k-%s"><div class="big">%d</div>%s</div>' % (key, counts[key], esc(LABELS[key])) for key in keys)


def _host_row(host):
    changes = [c for c in host["changes"] if c["change"] != "not_judged"]
    items = "".join('<li class="k-%s">%s <code>%s</code> %s: %s &rarr; %s</li>'
                    % (c["change"], esc(LABELS[c["change"]]), esc(c["control_id"]), esc(c["title"]),
                       esc(c["before"] or "absent"), esc(c["after"] or "absent"))
                    for c in changes[:MAX_CHANGES_SHOWN])
    if len(changes) > MAX_CHANGES_SHOWN:
        items += "<li>... and %d more in rollout.json</li>" % (len(changes) - MAX_CHANGES_SHOWN)
    counts = host["counts"]
    return ('<tr><td><code>%s</code>%s</td><td class="k-%s">%s<div class="muted">%s</div></td>'
            '<td class="num">%d</td><td class="num">%d</td><td class="num">%d</td><td class="num">%d</td><td><ul>%s</ul></td></tr>'
            % (esc(host["host"]), " (canary)" if host["step"] == "canary" else "", host["outcome"],
               esc(LABELS[host["outcome"]]), esc(host["reason"]), counts["fixed"], counts["still_failing"],
               counts["newly_failing"], counts["not_judged"], items))


def render_html(rollout):
    meta = rollout["rollout"]
    body = ["<h1>Webcert rollout %s</h1>" % esc(meta["rollout_id"]),
            '<p class="meta">Started %s, targeted with --limit <code>%s</code>%s. Before: audit run %s; after: audit run %s.</p>'
            % (esc(meta["started_at"]), esc(meta["limit"]),
               "; resumed %d time(s)" % len(meta["resumed_at"]) if meta["resumed_at"] else "",
               esc((rollout["audit_before"] or {}).get("run_id", "none")),
               esc((rollout["audit_after"] or {}).get("run_id", "none"))),
            "<h2>PCs</h2>", _cards(rollout["totals"], OUTCOMES),
            "<h2>Controls on those PCs, before &rarr; after</h2>", _cards(rollout["totals"], CHANGES[:4])]
    for clinic in rollout["clinics"]:
        stopped = clinic["stopped"]
        body.append('<h2>%s <span class="muted">%s, wave %d%s</span></h2>'
                    % (esc(clinic["clinic"]), esc(clinic["care_unit_hsa_id"]), clinic["wave"],
                       ", window " + esc(clinic["maintenance_window"]) if clinic["maintenance_window"] else ""))
        if stopped:
            body.append('<p class="stopped">Stopped: %s (%s)</p>' % (esc(stopped["reason"]), esc(stopped["at"])))
        body.append(_cards(clinic["counts"], OUTCOMES))
        body.append("<table><tr><th>PC</th><th>Enforce</th><th>Fixed</th><th>Still failing</th><th>Newly failing</th>"
                    "<th>Not judged</th><th>Changes</th></tr>%s</table>" % "".join(_host_row(h) for h in clinic["hosts"]))
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            "<title>Webcert rollout %s</title><style>%s</style></head><body>%s</body></html>\n"
            % (esc(meta["rollout_id"]), STYLE, "\n".join(body)))


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
"""
