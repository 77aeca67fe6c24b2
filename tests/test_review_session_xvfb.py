"""The reviewer's session at the desk with real key and mouse events through an X server with a window manager
(Xvfb + openbox + xdotool) at 1366×768, 125 %: rows as files are read, worst first, the filter typed (item 1);
a report opened by a double click, a finding dismissed with a typed comment (item 2); 整改通知 written from the
button and read back (item 5). The script is docs/screenshots/review_session.py (it also makes the README's
screenshots); here it runs without screenshots, bounded by timeouts at every step."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not all(shutil.which(t) for t in ("Xvfb", "xdotool", "openbox")),
                                reason="needs Xvfb, xdotool and openbox")


def test_review_session_under_xvfb(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), NIANBAO_DATA_DIR=str(tmp_path / "data"))
    env.pop("QT_QPA_PLATFORM", None)
    out = subprocess.run([sys.executable, str(ROOT / "docs" / "screenshots" / "review_session.py")], env=env,
                         capture_output=True, text=True, timeout=400, cwd=str(tmp_path))
    start = out.stdout.find("{")
    assert start >= 0, out.stderr[-3000:]
    result = json.loads(out.stdout[start:])
    assert result["ok"], (result.get("error"), result.get("steps"), result.get("trace"))
    steps = result["steps"]
    for what in ("rows appear while the files are still being read", "the unreadable file is a row with its reason",
                 "worst first", "the organ without a report is a 未提交 row",
                 "typing 水利 into the filter leaves one row", "a double click opens the report",
                 "排除 is written to 审核记录.json", "the row's error count drops", "the notices are written",
                 "no notice for the report whose organ is unknown, and the desk says so",
                 "the reading doubts are shown as 待核对", "the organ is written to 审核记录.json",
                 "the row shows the organ as the reviewer named it"):
        assert f"ok: {what}" in steps
    assert any(s.startswith("ok: ") and "notices written and read back" in s for s in steps)
