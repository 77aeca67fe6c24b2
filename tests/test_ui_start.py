"""Start-up does what the first frame needs and the rest right after it, in a fresh process each (what
a process has built before — the narrative grammar, imported modules — is exactly what is tested):

- the report opened at start is checked at once without the rules that only ever warn (the narrative grammar
  alone compiles ~50 ms of patterns): every error is flagged at once, the warnings arrive right after the window
  has been drawn, and the check page and the export have every finding before they use them;
- the table grid code, the start view (a file was opened), the export libraries are not loaded for the window
  to come up.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "wuzhong-minzheng-2023.nianbao"

CHILD = r"""
import json, sys
from ui.main import application, create_window
from ui.qt import QEvent, QObject, QTimer
from app import rules

WATCH = ("app.narrative", "ui.grid", "ui.tablemodel", "ui.export", "app.export", "reportlab", "openpyxl", "docx",
         "docxtpl", "pypdf")
app = application([])
win = create_window([sys.argv[1]])
mode = sys.argv[2]
out = {}


def snapshot():
    st = win.state
    # (getattr: the same child runs on a program without the held-back narrative rules or the lazy start view)
    return {"pending": getattr(st, "pending", False), "rules": sorted({f.rule for f in st.findings}),
            "counts": list(st.counts()), "modules": [m for m in WATCH if m in sys.modules],
            "start_view": win.__dict__.get("_start", "start" in win.__dict__) not in (None, False),
            "built": sorted(win.wizard.pages.built)}


def finish():
    out["full"] = sorted({f.rule for f in rules.check(win.state.report)})
    win.state._text_dirty = False
    win.state.undo.setClean()  # (closing asks nothing)
    print("RESULT " + json.dumps(out), flush=True)
    app.quit()


out["start"] = snapshot()
if mode == "check-page":
    win.wizard.go("check")
    out["after"] = snapshot()
    out["check_page_summary"] = win.wizard.pages["check"].summary.text()
    QTimer.singleShot(0, finish)
elif mode == "edit":
    win.state.set_meta("contact", "0951-1234567")  # a change before the window was ever drawn
    out["after"] = snapshot()
    QTimer.singleShot(0, finish)
elif mode == "export":
    from ui.export import confirm_errors
    out["confirmed"] = confirm_errors(win)  # no errors: no question asked
    out["after"] = snapshot()
    QTimer.singleShot(0, finish)
else:
    class Painted(QObject):
        seen = False

        def eventFilter(self, obj, event):
            if event.type() == QEvent.Paint:
                self.seen = True
            return False
    painted = Painted()
    win.wizard.installEventFilter(painted)
    win.state.checked.connect(lambda *_: out.setdefault("painted_before_narrative", painted.seen))

    def poll(n=[0]):
        n[0] += 1
        if getattr(win.state, "pending", False) and n[0] < 500:
            QTimer.singleShot(10, poll)
            return
        out["after"] = snapshot()
        # the findings dock, sized for the findings known at start, is sized again for the complete ones
        app.processEvents()
        out["dock_rows_fit"] = win.dock.height() >= win.findings.rows_height(3)
        out["dock"] = [win.dock.height(), win.findings.rows_height(3), win.height()]
        win.wizard.go("t3")
        out["after_t3"] = snapshot()
        finish()
    QTimer.singleShot(0, poll)
app.exec()
"""


def run_child(tmp_path, report_path, mode: str) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["NIANBAO_DATA_DIR"] = str(tmp_path / "data")
    out = subprocess.run([sys.executable, "-c", CHILD, str(report_path), mode], env=env, capture_output=True,
                         text=True, timeout=120, cwd=str(tmp_path))
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise AssertionError(out.stdout + out.stderr)


def make_report(tmp_path, arithmetic_error: bool) -> Path:
    """The fixture with its narrative stating another count than table 3 (a TEXT.NUMBERS warning), dated after
    the deadline (META.DEADLINE, a warning) and, if asked, an unbalanced table 3 (T3.BALANCE errors)."""
    from app import project, rules
    r = project.load(FIXTURE)
    assert "办理申请 1 件" in r.sections["s1"]
    r.sections["s1"] = r.sections["s1"].replace("办理申请 1 件", "办理申请 3 件")
    r.meta.date = "2024-03-01"
    if arithmetic_error:
        r.set("t3.new.natural", r.values["t3.new.natural"] + 5)
        rules.recompute(r, ["t3.new.natural"])
    path = tmp_path / "report.nianbao"
    project.save(r, path)
    return path


def test_start_flags_errors_at_once_and_the_warnings_after_the_first_frame(tmp_path):
    path = make_report(tmp_path, arithmetic_error=True)
    got = run_child(tmp_path, path, "loop")
    start, after = got["start"], got["after"]
    assert got["full"] == ["META.DEADLINE", "T3.BALANCE", "TEXT.NUMBERS"]
    # the window comes up with the arithmetic flagged, the rules that only warn held back (no grammar made)
    assert start["pending"] is True
    assert start["rules"] == ["T3.BALANCE"]
    assert "app.narrative" not in start["modules"]
    # right after the first frame: every finding
    assert got["painted_before_narrative"] is True
    assert after["pending"] is False
    assert after["rules"] == got["full"]
    assert after["counts"] == [start["counts"][0], start["counts"][1] + 2]


def test_start_loads_no_grid_start_view_or_export_code(tmp_path):
    got = run_child(tmp_path, make_report(tmp_path, arithmetic_error=False), "loop")
    assert got["start"]["rules"] == [] and got["after"]["rules"] == ["META.DEADLINE", "TEXT.NUMBERS"]
    assert got["dock_rows_fit"], got["dock"]  # three rows of findings shown although there were none at the first frame
    for snap in (got["start"], got["after"]):
        assert snap["built"] == ["cover"]
        assert not snap["start_view"]  # a file was opened: the start view is never shown
        assert [m for m in snap["modules"] if m != "app.narrative"] == []
    # the grid code comes with the first table page
    assert {"ui.grid", "ui.tablemodel"} <= set(got["after_t3"]["modules"])
    assert not {"ui.export", "app.export", "reportlab", "openpyxl", "docx"} & set(got["after_t3"]["modules"])


@pytest.mark.parametrize("mode", ["check-page", "export", "edit"])
def test_check_page_export_and_edits_have_every_finding_at_once(tmp_path, mode):
    """Going to the check page (or exporting, which goes there), or changing the report, before the window was
    ever drawn: every rule has run."""
    got = run_child(tmp_path, make_report(tmp_path, arithmetic_error=False), mode)
    assert got["start"]["pending"] is True and got["start"]["rules"] == []
    assert got["after"]["pending"] is False
    assert got["after"]["rules"] == got["full"] == ["META.DEADLINE", "TEXT.NUMBERS"]
    if mode == "check-page":
        assert "2" in got["check_page_summary"]  # the page says there are two warnings
    elif mode == "export":
        assert got["confirmed"] is True
