"""The common office laptop — 1366×768 at 125 % scaling (QT_SCALE_FACTOR=1.25, a 40-pixel task bar)
— shows every value column of every table without horizontal scrolling, and the grid keeps most of the height.

Runs the real program in a child process (the scale factor must be set before Qt starts) on the offscreen
platform with a screen of that size."""
import json
import os
import subprocess
import sys
from pathlib import Path



ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys
from ui.main import application, create_window
app = application([])
win = create_window([])
win.new_report()
for c, v in {"t3.new.natural": 5, "t3.new.commercial": 2, "t3.granted.natural": 3, "t3.partial.natural": 1}.items():
    win.state.set_cells({c: v})  # findings in the dock: the worst case for the grid's height
out = {"screen": [app.primaryScreen().availableGeometry().width(), app.primaryScreen().availableGeometry().height()]}
for mode in ("default", "maximised"):
    if mode == "maximised":
        win.showMaximized()
    for _ in range(3):
        app.processEvents()
    res = {"window": [win.width(), win.height()]}
    for tid in ("t2", "t3", "t4"):
        win.wizard.go(tid)
        app.processEvents()
        g = win.wizard.pages[tid].grid
        m = g.model()
        last = m.columnCount() - 1
        vp = g.viewport()
        rows = [r for r in range(m.rowCount())
                if g.rowViewportPosition(r) >= 0 and g.rowViewportPosition(r) + g.rowHeight(r) <= vp.height()]
        res[tid] = {"right": g.columnViewportPosition(last) + g.columnWidth(last), "viewport_w": vp.width(),
                    "hscroll": g.horizontalScrollBar().maximum(), "rows_visible": len(rows), "rows": m.rowCount(),
                    "grid_h": vp.height(), "window_h": win.height()}
    tree = win.findings.tree
    tree.doItemsLayout()
    res["findings_rows_in_sight"] = sum(
        1 for i in range(tree.topLevelItemCount())
        if tree.viewport().mapTo(win.dock, tree.visualItemRect(tree.topLevelItem(i)).bottomLeft()).y()
        <= win.dock.height())
    out[mode] = res
if len(sys.argv) > 1:
    win.grab().save(sys.argv[1])
win.state._text_dirty = False
win.state.undo.setClean()
print("RESULT", json.dumps(out))
"""


def run_at(tmp_path, width, height, scale):
    cfg = tmp_path / "screen.json"
    cfg.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": width, "height": height,
                                            "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={cfg}", QT_SCALE_FACTOR=str(scale),
               NIANBAO_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "shot.png")], env=env, capture_output=True,
                         text=True, timeout=120, cwd=str(ROOT))
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")), None)
    assert line, out.stderr[-3000:]
    return json.loads(line[7:])


def test_every_value_column_fits_1366x768_at_125_percent(tmp_path):
    res = run_at(tmp_path, 1366, 768 - 40, 1.25)  # a Windows task bar of 40 pixels
    assert res["screen"] == [1093, 582]  # logical pixels: the screen as the program sees it
    for mode in ("default", "maximised"):
        r = res[mode]
        for tid in ("t2", "t3", "t4"):
            t = r[tid]
            assert t["right"] <= t["viewport_w"], (mode, tid, t)  # the rightmost column (总计) is in the viewport
            assert t["hscroll"] == 0, (mode, tid, t)
        # the grid keeps the height it has: the findings dock (three rows) does not squeeze it below a third
        assert r["t3"]["grid_h"] >= r["t3"]["window_h"] // 3, (mode, r["t3"])
        assert r["t3"]["rows_visible"] >= 7, (mode, r["t3"])
        assert r["t4"]["rows_visible"] == r["t4"]["rows"]  # table 4 whole
        assert r["findings_rows_in_sight"] >= 3, (mode, r)
