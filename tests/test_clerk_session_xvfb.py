"""The clerk's session with real key and mouse events through an X server (Xvfb + xdotool) — new report
from last year's, the first unbalanced value flagged, a refused entry at the cell, 修正, undo across pages, save,
open again, export to Word. The script is docs/screenshots/clerk_session.py (it also makes the README's
screenshots); here it runs without screenshots. Slow (about a minute), bounded by timeouts at every step."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not (shutil.which("Xvfb") and shutil.which("xdotool")),
                                reason="needs Xvfb and xdotool")


def test_clerk_session_under_xvfb(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), NIANBAO_DATA_DIR=str(tmp_path / "data"))
    env.pop("QT_QPA_PLATFORM", None)  # the script runs on the X server it starts
    out = subprocess.run([sys.executable, str(ROOT / "docs" / "screenshots" / "clerk_session.py")], env=env,
                         capture_output=True, text=True, timeout=300, cwd=str(tmp_path))
    start = out.stdout.find("{")
    assert start >= 0, out.stderr[-3000:]
    result = json.loads(out.stdout[start:])
    assert result["ok"], (result.get("error"), result.get("steps"), result.get("trace"))
    assert out.returncode == 0
    steps = result["steps"]
    for what in ("the mismatch is flagged at the first unbalanced value", "the refusal is shown at the cell",
                 "修正 restored last year's figure",
                 "Ctrl+Z on page 六 undid 空白填0 and showed table 4 with its cells selected",
                 "the saved report is open again with the same values", "the exported document reads back"):
        assert f"ok: {what}" in steps
