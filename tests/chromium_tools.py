"""Debian's Chromium for the report tests: rendering a report to a page, and running headless Chromium on it
with a fresh profile and no network (tests/integration/test_html_*.py)."""

import os
import subprocess

import pytest

from ansible_collections.webcert.fleet.plugins.plugin_utils.report.history import compute_drift
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.render_html import render_html

CHROMIUM = "/usr/bin/chromium"


def require_chromium():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail("Chromium is required for this test: install the Debian package 'chromium'")


def chromium(tmp_path, url, *action):
    """Run headless Chromium on `url` with the given action (--dump-dom, --screenshot=..., --print-to-pdf=...)."""
    require_chromium()
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
               "--disable-background-networking", "--disable-component-update", "--disable-quic",
               "--user-data-dir=%s" % (tmp_path / "profile"),
               # Any host name resolves nowhere: a request that tried to leave could not succeed.
               "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=5000", *action, url]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def write_page(tmp_path, report, name="report.html", extra=""):
    """report.html of `report` (a first run's drift added when it has none), `extra` inserted before </body>."""
    report.setdefault("drift", compute_drift(None, report, {"status": "first_run", "previous_run_id": None,
                                                            "reason": "no earlier run"}))
    path = tmp_path / name
    path.write_text(render_html(report).replace("</body>", extra + "</body>"), encoding="utf-8")
    return path
