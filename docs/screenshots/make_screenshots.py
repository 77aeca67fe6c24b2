"""Regenerate the wizard screenshots of the README (offscreen; needs a CJK font such as fonts-noto-cjk).

    python docs/screenshots/make_screenshots.py

Opens a copy of a test fixture with one arithmetic error, one stale year in the narrative and one imported value
marked for review, and grabs the start view and the main pages.
"""
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["NIANBAO_DATA_DIR"] = tempfile.mkdtemp(prefix="nianbao-shots-")
sys.path.insert(0, str(ROOT))

from app import project  # noqa: E402
from ui.main import application, create_window  # noqa: E402

KEEP = {"cover": "cover", "s1": "text-page", "t3": "table3", "t4": "table4", "check": "check"}


def main():
    app = application()
    r = project.load(ROOT / "tests" / "fixtures" / "wuzhong-minzheng-2023.nianbao")
    r.review["t3.new.legal"] = "原网页表格此列与表头错位，数值按位置推断"
    r.values["t3.granted.natural"] = 0  # the row and the column no longer add up
    r.sections["s1"] = r.sections["s1"].replace("2023", "2021", 1)
    path = Path(tempfile.mkdtemp()) / "吴忠市民政局2023年报.nianbao"
    project.save(r, path, backup=False)
    win = create_window([str(path)])
    win.resize(1400, 950)
    app.processEvents()
    for pid, name in KEEP.items():
        win.wizard.go(pid)
        app.processEvents()
        win.grab().save(str(OUT / f"{name}.png"))
    win.state._text_dirty = False
    win.state.undo.setClean()
    win.close()
    start = create_window([])
    start.resize(1000, 600)
    app.processEvents()
    start.grab().save(str(OUT / "start.png"))
    start.close()


if __name__ == "__main__":
    main()
