# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""report.html's "People" view: can each person work in Webcert on their PC, per clinic (report.json's
readiness section). Rendered in Python so it reads without JavaScript; a small script (assets/people.js)
filters the rows by clinic, verdict and text. Every reason links to the failing result in the subject list
(#text=<subject>&control=<control>).
"""

import html
import urllib.parse

VERDICT_LABELS = {"ready": "Ready", "not_ready": "Not ready", "unknown": "Unknown"}
SIDE_LABELS = {"pc": "PC", "certificates": "Certificate", "hsa": "HSA"}
PRESCRIBERS = ("LAKARE", "TANDLAKARE")
ROLE_WORDS = {"LAKARE": "doctors", "TANDLAKARE": "dentists"}


def esc(value):
    return html.escape("" if value is None else str(value), quote=True)


def _link(item):
    """The reason as a list item, linked to its result in the subject list when it names one."""
    text = "%s: %s" % (SIDE_LABELS.get(item["side"], item["side"]), item["message"])
    if item.get("subject_id") and item.get("control_id"):
        target = "#" + urllib.parse.urlencode({"text": item["subject_id"], "control": item["control_id"]},
                                              quote_via=urllib.parse.quote)
        return '<li><a href="%s"><code>%s</code></a> %s</li>' % (esc(target), esc(item["control_id"]), esc(text))
    return "<li>%s</li>" % esc(text)


def _reasons(entry):
    parts = []
    for key, label, cls in (("blockers", "Blocks", "s-failed"), ("unknown", "Could not be read", "s-error"),
                            ("warnings", "Warnings", "s-warning")):
        if entry[key]:
            items = "".join(_link(i) for i in entry[key])
            parts.append('<div class="%s">%s (%d)<ul>%s</ul></div>' % (cls, label, len(entry[key]), items))
    return "".join(parts) or '<span class="muted">nothing blocks</span>'


def _who(entry):
    name = entry.get("person_name") or ""
    if not entry.get("person_hsa_id"):
        return "unknown person (Windows user %s)" % esc(entry.get("user_context"))
    return "%s <code>%s</code>" % (esc(name), esc(entry["person_hsa_id"]))


def _role(entry):
    listed, predicted = entry.get("role"), entry.get("predicted_role")
    if listed and predicted and listed != predicted:
        return "%s (HSA gives %s)" % (esc(listed), esc(predicted))
    return esc(listed or predicted or "–")


def _row(entry, clinic):
    if "pcs_total" in entry:
        where = "not seen on a PC; %d of %d of the clinic's PCs ready" % (entry["pcs_ready"], entry["pcs_total"])
    else:
        where = "<code>%s</code>" % esc(entry["workstation"])
    search = " ".join(str(entry.get(k) or "") for k in ("person_hsa_id", "person_name", "workstation", "role")).lower()
    return ('<tr class="person-row" data-clinic="%s" data-verdict="%s" data-text="%s"><td data-label="Person">%s</td>'
            '<td data-label="Role">%s</td><td data-label="PC">%s</td>'
            '<td data-label="Verdict"><strong class="v-%s">%s</strong></td><td data-label="Why" class="wrap">%s</td></tr>'
            % (esc(clinic), esc(entry["verdict"]), esc(search), _who(entry), _role(entry), where, esc(entry["verdict"]),
               VERDICT_LABELS[entry["verdict"]], _reasons(entry)))


def can_work_today(entries):
    """A person can work at the clinic today when one of their PCs there is ready for them, or (never seen) the
    HSA side is ready and at least one of the clinic's PCs is."""
    return any(e["verdict"] == "ready" and ("pcs_total" not in e or e["pcs_ready"] > 0) for e in entries)


def headline(entries):
    """'1 of 2 doctors cannot sign today; 2 of 5 persons cannot work in Webcert today' for one clinic."""
    persons = {}
    for entry in entries:
        persons.setdefault(entry.get("person_hsa_id") or entry.get("user_context"), []).append(entry)
    lines = []
    for role in PRESCRIBERS:
        group = [e for e in persons.values() if any((x.get("role") or x.get("predicted_role")) == role for x in e)]
        if group:
            blocked = sum(not can_work_today(e) for e in group)
            lines.append("%d of %d %s cannot sign today" % (blocked, len(group), ROLE_WORDS[role]))
    blocked = sum(not can_work_today(e) for e in persons.values())
    lines.append("%d of %d persons cannot work in Webcert today" % (blocked, len(persons)))
    return "; ".join(lines)


def blocked_people(report):
    """(persons who cannot work in Webcert today, persons judged), counted per clinic as the People view does."""
    readiness = report.get("readiness") or {"pairs": [], "expected": []}
    persons = {}
    for entry in readiness["pairs"] + readiness["expected"]:
        persons.setdefault((entry.get("clinic"), entry.get("person_hsa_id") or entry.get("user_context")), []).append(entry)
    return sum(not can_work_today(e) for e in persons.values()), len(persons)


def people_section(report):
    readiness = report.get("readiness")
    if not readiness or not (readiness["pairs"] or readiness["expected"]):
        return ('<section id="people"><h2>People</h2><p class="muted">No person was seen signed in on a PC and no '
                "clinic lists staff (webcert_hsa_staff): nothing to join.</p></section>")
    clinics = {}
    for entry in readiness["pairs"] + readiness["expected"]:
        clinics.setdefault(entry.get("clinic") or "(no clinic)", []).append(entry)
    order = {"not_ready": 0, "unknown": 1, "ready": 2}
    blocks = []
    for clinic in sorted(clinics, key=str.casefold):
        entries = sorted(clinics[clinic], key=lambda e: (order[e["verdict"]], "pcs_total" in e,
                                                         (e.get("person_name") or e.get("person_hsa_id") or "").casefold()))
        blocks.append('<div class="people-clinic" data-clinic="%s"><h3>%s</h3><p class="people-headline">%s</p>'
                      '<table class="stack people"><thead><tr><th>Person</th><th>Role</th><th>PC</th><th>Verdict</th>'
                      "<th>Why</th></tr></thead><tbody>%s</tbody></table></div>"
                      % (esc(clinic), esc(clinic), esc(headline(entries)), "".join(_row(e, clinic) for e in entries)))
    options = "".join('<option value="%s">%s</option>' % (esc(c), esc(c)) for c in sorted(clinics, key=str.casefold))
    return ('<section id="people"><h2>People: can they work in Webcert on their PC?</h2>'
            '<p class="muted">One verdict per person seen signed in on a PC (joined by the HSA-id of their SITHS '
            "certificate, never by name) and per person a clinic lists but who was never seen on its PCs. Blocks = "
            "an open failure of impact high or critical on the PC, the person's certificates or in HSA for the "
            "clinic's care unit.</p>"
            '<form id="people-filters" onsubmit="return false"><label>Clinic <select id="p-clinic"><option value="">all'
            '</option>%s</select></label><label>Verdict <select id="p-verdict"><option value="">any</option>'
            '<option value="not_ready">Not ready</option><option value="unknown">Unknown</option>'
            '<option value="ready">Ready</option></select></label><label>Search <input id="p-text" type="search" '
            'placeholder="name, HSA-id or PC"></label></form>%s</section>' % (options, "".join(blocks)))
