"""rollout.html in a real headless Chromium: at a laptop's window size, the first screen (no scrolling) holds
the outcome, the next command and the clinics that need a person, and the links to the audits resolve to the
audit runs' report.html when the reports folder is copied elsewhere."""

import json
import re
import shutil

from chromium_tools import chromium
from ansible_collections.webcert.fleet.plugins.plugin_utils.rollout import render as render_rollout
from ansible_collections.webcert.fleet.plugins.plugin_utils.rollout import report as rollout_report
from ansible_collections.webcert.fleet.plugins.plugin_utils.rollout import state as rollout_state

# Appended to a copy of the page only, whose policy then allows this one inline script: where each part of
# the first screen ends, relative to the window's height, and where the audit links point.
PROBE = ("<script>window.addEventListener('load', function () { var out = {height: window.innerHeight};"
         "['outcome', 'next-command', 'needs-a-person', 'pending'].forEach(function (id) {"
         "var e = document.getElementById(id); out[id] = e ? e.getBoundingClientRect().bottom : null; });"
         "out.links = Array.prototype.map.call(document.querySelectorAll('.links a'), function (a) { return a.href; });"
         "document.body.setAttribute('data-probe', JSON.stringify(out)); });</script>")


def region_rollout(root):
    """A rollout of a region after a bad night: one clinic stopped by a long error, PCs pending, 40 PCs each."""
    rollouts = root / "reports" / "rollouts"
    chosen = [{"host": "%s%02d" % (prefix, n), "clinic": clinic, "care_unit_hsa_id": "SE5591234561-10%02d" % i,
               "wave": 1 + i % 2, "canary": False, "maintenance_window": "Mon-Fri 18:00-06:00"}
              for i, (clinic, prefix) in enumerate([("Vårdcentralen Norr", "vcn"), ("Mottagning Öst", "mo"),
                                                   ("Vårdcentralen Exempel", "vce"), ("Barnmottagningen", "bm")])
              for n in range(40)]
    path, state = rollout_state.open_rollout(str(rollouts), chosen, "localhost,wave_1,wave_2", "inventories/region-syd",
                                             reports_dir=str(root / "reports"))
    rollout_state.record(path, "mo00", "failed", "Wait until the PC answers: " + "timed out waiting for WinRM; " * 30)
    for target in chosen:
        if target["clinic"] != "Mottagning Öst":
            pending = ["WS-NETID-INSTALLED"] if target["host"].endswith(("01", "02")) else []
            rollout_state.record(path, target["host"], "done", window_open=not pending, pending=pending)
    for phase in ("before", "after"):
        run = root / "reports" / ("2026120%dT020000.000Z-abcdef" % (1 if phase == "before" else 2))
        run.mkdir(parents=True)
        (run / "report.json").write_text("{}")
        (run / "report.html").write_text("<!DOCTYPE html><title>audit %s</title>" % phase)
        rollout_state.record_audit(path, phase, str(run / "report.json"), run.name)
    directory = rollouts / state["rollout_id"]
    subjects = [{"kind": "workstation", "id": t["host"], "results": [
        {"control_id": "WS-EDGE-IEMODE", "title": "Edge IE mode", "status": "failed", "waived": False}]} for t in chosen]
    report = rollout_report.build(rollout_state.read_state(path), {"subjects": subjects}, {"subjects": subjects},
                                  directory=str(directory))
    for relative, text in render_rollout.render(report):
        (directory / relative).write_text(text, encoding="utf-8")
    return report, directory


def probe(tmp_path, page):
    copy = page.with_name("probe.html")
    text = page.read_text(encoding="utf-8").replace("default-src 'none';", "default-src 'none'; script-src 'unsafe-inline';")
    copy.write_text(text.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = chromium(tmp_path, "file://%s" % copy, "--dump-dom", "--window-size=1280,800").stdout
    found = re.search(r'data-probe="([^"]*)"', dom)
    assert found, dom[:2000]
    return json.loads(found[1].replace("&quot;", '"').replace("&amp;", "&"))


def test_the_first_screen_gives_the_outcome_the_next_command_and_who_needs_a_person(tmp_path):
    report, directory = region_rollout(tmp_path / "original")
    # The IT lead opens a copy of the reports folder (a share, a zip).
    copied = tmp_path / "copy"
    shutil.copytree(tmp_path / "original" / "reports", copied)
    page = copied / "rollouts" / directory.name / "rollout.html"
    shown = probe(tmp_path, page)
    assert report["outcome"]["status"] == "stopped" and report["needs_a_person"][0] == "Mottagning Öst"
    for part in ("outcome", "next-command", "needs-a-person"):
        assert shown[part] is not None and 0 < shown[part] <= shown["height"], (part, shown)
    assert len(shown["links"]) == 2
    for link, phase in zip(shown["links"], ("before", "after")):
        assert link.startswith("file://%s/" % copied), link
        target = link[len("file://"):]
        with open(target, encoding="utf-8") as handle:
            assert "<title>audit %s</title>" % phase in handle.read()
    text = page.read_text(encoding="utf-8")
    assert text.count("timed out waiting for WinRM; " * 30) == 1, "the long error appears once, in full"
