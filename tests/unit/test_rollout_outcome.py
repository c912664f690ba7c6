"""What the rollout tells people (plugins/plugin_utils/rollout/report.py, render.py, maintenance_window.py):
the outcome, the next command, the clinics that need a person, pending work with the next window, the
attempt history across a resume, and a stand-in canary."""

import datetime
import html
import re
import shlex

from hypothesis import given, settings, strategies as st

from ansible_collections.webcert.fleet.plugins.module_utils.swedish_time import SWEDEN
from ansible_collections.webcert.fleet.plugins.plugin_utils.rollout import render as render_rollout
from ansible_collections.webcert.fleet.plugins.plugin_utils.rollout import report as rollout_report
from ansible_collections.webcert.fleet.plugins.plugin_utils.rollout import state as rollout_state
from ansible_collections.webcert.fleet.plugins.plugin_utils.rollout.maintenance_window import next_opening, window_open


def targets(waves=None, **clinics):
    return [{"host": host, "clinic": clinic, "care_unit_hsa_id": "SE5591234561-1001",
             "wave": (waves or {}).get(clinic, 1), "canary": False,
             "maintenance_window": "Mon-Fri 18:00-06:00" if clinic == "Windowed" else None}
            for clinic, hosts in clinics.items() for host in hosts]


def result(status):
    return {"control_id": "C", "title": "C", "status": status, "waived": False}


def audits(hosts, before, after):
    return ({"subjects": [{"kind": "workstation", "id": h, "results": [result(before)]} for h in hosts]},
            {"subjects": [{"kind": "workstation", "id": h, "results": [result(after)]} for h in hosts]})


def first_screen(page):
    """The page up to the totals (what the IT lead reads first)."""
    return page[:page.index("<h2>PCs</h2>")]


def test_a_stopped_rollout_says_so_first_and_gives_the_exact_resume_command(tmp_path):
    chosen = targets(waves={"Late": 2, "Broken": 1}, Late=["l0", "l1"], Broken=["b0", "b1"], Fine=["f0"])
    path, state = rollout_state.open_rollout(str(tmp_path), chosen, "localhost,wave_1:wave_2", "inventories/x y",
                                             reports_dir="/srv/webcert reports")
    rollout_state.record(path, "b0", "failed", "Wait until the PC answers: " + "x" * 400)
    for host in ("f0", "l0", "l1"):
        rollout_state.record(path, host, "done")
    report = rollout_report.build(rollout_state.read_state(path), *audits(["b0", "b1", "f0", "l0", "l1"], "failed", "passed"),
                                  directory=str(tmp_path))
    command = report["outcome"]["next_command"]
    assert shlex.split(command) == ["ansible-playbook", "playbooks/rollout.yml", "-i", "inventories/x y",
                                    "--limit", "localhost,wave_1:wave_2", "-e", "webcert_rollout_id=" + state["rollout_id"],
                                    "-e", "webcert_reports_dir=/srv/webcert reports"]
    assert report["outcome"]["status"] == "stopped" and report["needs_a_person"] == ["Broken"]
    assert [c["clinic"] for c in report["clinics"]] == ["Broken", "Fine", "Late"], "wave order, then name"
    page = render_rollout.render_html(report)
    screen = html.unescape(first_screen(page))
    assert "Not finished: stopped in 1 clinic(s): Broken" in screen and command in screen
    assert re.search(r"Broken</a> <span class=\"muted\">wave 1</span>: stopped: canary b0 failed", screen)
    # The 400-character error appears once in full (behind a disclosure), shortened elsewhere.
    assert page.count("x" * 400) == 1 and "<details>" in page
    lines = render_rollout.summary_lines(report, "/r/rollout.html")
    assert lines[0].startswith("Rollout %s: Not finished" % state["rollout_id"])
    assert lines[-2] == "Next: " + command and sum("STOPPED" in line for line in lines) == 1


def test_a_finished_rollout_has_no_next_command_and_links_the_audits_relatively(tmp_path):
    path, _state = rollout_state.open_rollout(str(tmp_path / "rollouts"), targets(A=["a0"]), "all", "inv")
    rollout_state.record(path, "a0", "done")
    for phase in ("before", "after"):
        run = tmp_path / ("2026120%sT000000.000Z-aaaaaa" % ("1" if phase == "before" else "2"))
        run.mkdir()
        (run / "report.json").write_text("{}")
        rollout_state.record_audit(path, phase, str(run / "report.json"), run.name)
    state = rollout_state.read_state(path)
    report = rollout_report.build(state, *audits(["a0"], "failed", "passed"), directory=str(tmp_path / "rollouts" / state["rollout_id"]))
    assert report["outcome"] == {"status": "finished", "text": "Finished: every targeted PC enforced (1)", "next_command": ""}
    assert report["audit_before"]["report_html"] == "../../20261201T000000.000Z-aaaaaa/report.html"
    page = render_rollout.render_html(report)
    assert 'href="../../20261202T000000.000Z-aaaaaa/report.html"' in first_screen(page)
    assert "Nothing left to do." in first_screen(page) and report["needs_a_person"] == []


def test_pending_work_is_listed_with_the_next_window_in_swedish_time_and_retried_on_resume(tmp_path):
    path, state = rollout_state.open_rollout(str(tmp_path), targets(Windowed=["w0", "w1"]), "all", "inv")
    rollout_state.record(path, "w0", "done", window_open=False, pending=["WS-NETID-INSTALLED"])
    rollout_state.record(path, "w1", "done", window_open=True,
                         pending=["reboot: not allowed here (webcert_reboot_allowed: false)"])
    # A Saturday at noon: the Mon-Fri 18:00-06:00 window next opens on Monday at 18:00 (CET in December).
    now = datetime.datetime(2026, 12, 5, 12, 0, tzinfo=SWEDEN)
    report = rollout_report.build(rollout_state.read_state(path), *audits(["w0", "w1"], "failed", "failed"), now=now)
    hosts = {h["host"]: h for h in report["clinics"][0]["hosts"]}
    assert hosts["w0"]["next_window"] == {"open_now": False, "next_opening": "2026-12-07T18:00+01:00"}
    assert hosts["w1"]["outcome"] == "pending" and "webcert_reboot_allowed" in hosts["w1"]["reason"]
    assert report["outcome"]["status"] == "pending" and report["outcome"]["next_command"]
    screen = first_screen(render_rollout.render_html(report))
    assert 'id="pending"' in screen and "2026-12-07 18:00 CET" in screen and "webcert_reboot_allowed: false" in screen
    # Pending work is part of the next run: the canary w0 is tried again, w1 too.
    _path, resumed = rollout_state.open_rollout(str(tmp_path), targets(Windowed=["w0", "w1"]), "all", "inv",
                                                state["rollout_id"])
    assert rollout_state.todo(resumed)["canaries"] == ["w0"] and rollout_state.todo(resumed)["batch"] == ["w1"]
    assert not rollout_state.begin(path, "w1")["skip"], "the canary is enforced (with work left): w1 may go"
    # On a Friday evening the window is open: the report says to resume now.
    friday = datetime.datetime(2026, 12, 4, 19, 30, tzinfo=SWEDEN)
    report = rollout_report.build(rollout_state.read_state(path), *audits(["w0", "w1"], "failed", "failed"), now=friday)
    assert report["clinics"][0]["hosts"][0]["next_window"]["open_now"] is True
    assert "open now: resume the rollout now" in first_screen(render_rollout.render_html(report))


def test_the_attempt_history_survives_a_resume(tmp_path):
    path, state = rollout_state.open_rollout(str(tmp_path), targets(A=["a0"]), "all", "inv")
    rollout_state.record(path, "a0", "failed", "no answer from a0")
    rollout_state.open_rollout(str(tmp_path), targets(A=["a0"]), "all", "inv", state["rollout_id"])
    rollout_state.record(path, "a0", "done")
    report = rollout_report.build(rollout_state.read_state(path), *audits(["a0"], "failed", "passed"))
    host = report["clinics"][0]["hosts"][0]
    assert [a["status"] for a in host["attempts"]] == ["failed", "done"]
    page = render_rollout.render_html(report)
    assert re.search(r'<ol class="attempts"><li class="k-failed">failed [^<]*: no answer from a0</li><li class="k-done">done', page)
    assert "Stopped earlier, then resumed: canary a0 failed: no answer from a0" in page


def test_a_canary_left_out_by_limit_is_replaced_and_the_report_says_so(tmp_path):
    path, _state = rollout_state.open_rollout(str(tmp_path), targets(A=["a1", "a2"]), "localhost,a1,a2", "inv",
                                              marked_elsewhere={"A": "a0"})
    state = rollout_state.read_state(path)
    assert state["clinics"]["A"]["canary"] == "a1"
    assert state["clinics"]["A"]["canary_note"] == "the marked canary a0 is not targeted (--limit); a1 is the canary instead"
    report = rollout_report.build(state, None, None)
    assert "Canary: the marked canary a0 is not targeted" in render_rollout.render_html(report)
    assert any("canary: the marked canary a0" in line for line in render_rollout.summary_lines(report, "x"))


def test_the_report_shows_times_in_swedish_local_time_with_the_zone():
    assert render_rollout.swedish_clock("2026-07-01T08:00:00+00:00") == "2026-07-01 10:00 CEST"
    assert render_rollout.swedish_clock("2026-12-01T08:00:00Z") == "2026-12-01 09:00 CET"


WINDOWS = st.builds(
    lambda days, start, length: "%s %02d:%02d-%02d:%02d" % (days, start // 60, start % 60,
                                                            ((start + length) % 1440) // 60, (start + length) % 60),
    st.sampled_from(["daily", "Mon-Fri", "Sat,Sun", "Fri-Mon", "Wed"]),
    st.integers(0, 1439), st.integers(1, 1439))
MOMENTS = st.datetimes(min_value=datetime.datetime(2026, 1, 1), max_value=datetime.datetime(2028, 12, 31),
                       timezones=st.just(datetime.timezone.utc))


@settings(max_examples=300, deadline=None)
@given(WINDOWS, MOMENTS)
def test_the_next_window_opening_is_in_the_future_within_a_week_and_open(window, now):
    opening = next_opening(window, now)
    assert opening is not None and now < opening <= now + datetime.timedelta(days=8)
    assert window_open(window, opening), (window, now, opening)
    # A window closed now stays closed until that opening: no earlier opening was skipped.
    before = opening - datetime.timedelta(minutes=1)
    if not window_open(window, now) and before >= now:
        assert not window_open(window, before), (window, now, opening)
