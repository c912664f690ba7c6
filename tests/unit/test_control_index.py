"""docs/controls.md (where each control is defined, judged, enforced and tested) stays current."""

import os
import subprocess
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def test_control_index_is_current():
    result = subprocess.run([sys.executable, os.path.join(REPO, "scripts", "control-index"), "--check"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr + " (run scripts/control-index and commit docs/controls.md)"
