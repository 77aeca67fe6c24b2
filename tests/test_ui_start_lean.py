"""The window comes up and draws its first frame without the Qt classes and modules that only later work needs, each
checked in a fresh process (what a process has built or imported before is exactly what is tested).

PySide6 builds a class's Python enums when the class is first looked up; for the ``Qt`` namespace that is 94 enums
(~15 ms of CPU, about a tenth of a bare PySide6 start). The window's first frame sets what it needs of them by name
through Qt's meta-object (``ui.qt.set_enum``) and uses the plain values of roles and text flags (``ui.qt``
constants, checked against Qt's own below).
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
import gc, json, sys
usual_gc = gc.get_threshold()
from PySide6 import QtCore
from ui.main import application, create_window
from ui.qt import QEvent, QObject, QTimer
from app import userdata

app = application([])
win = create_window(sys.argv[1:])
out = {"after_window": "Qt" in vars(QtCore), "gc_paused": gc.get_threshold() != usual_gc}


def recent():
    return [str(p) for p in userdata.recent_files()]


class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Paint and "at_first_frame" not in out:
            out["at_first_frame"] = "Qt" in vars(QtCore)
            out["recent_at_first_frame"] = recent()
            out["modules"] = [m for m in ("app.textutil",) if m in sys.modules]
            QTimer.singleShot(0, finish)
        return False


def finish(n=[0]):
    n[0] += 1
    if win.state is not None and win.state.pending and n[0] < 500:
        QTimer.singleShot(10, finish)  # until what waits for the first frame has run
        return
    out["recent_after"] = recent()
    out["gc_resumed"] = gc.get_threshold() == usual_gc
    out["page"] = win.wizard.current() if win.wizard is not None else None
    out["title"] = win.windowTitle()
    if win.state is not None:
        win.state._text_dirty = False
        win.state.undo.setClean()
    print("RESULT " + json.dumps(out), flush=True)
    app.quit()


painted = Painted()
(win.wizard or win).installEventFilter(painted)
QTimer.singleShot(5000, finish)
app.exec()
"""


def run_child(tmp_path, *args) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["NIANBAO_DATA_DIR"] = str(tmp_path / "data")
    out = subprocess.run([sys.executable, "-c", CHILD, *args], env=env, capture_output=True, text=True,
                         timeout=120, cwd=str(tmp_path))
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise AssertionError(out.stdout + out.stderr)


@pytest.mark.parametrize("args", [["report"], ["--demo"], []])
def test_window_draws_its_first_frame_with_only_what_it_needs(tmp_path, args):
    """A report file opened, the sample, or the start view (no file): no ``Qt`` namespace, no app.textutil, the
    recent-files list written after the frame, the cyclic collector's usual thresholds back after it."""
    import shutil
    if args == ["report"]:
        path = tmp_path / FIXTURE.name
        shutil.copyfile(FIXTURE, path)
        args = [str(path)]
    got = run_child(tmp_path, *args)
    assert "at_first_frame" in got, got  # the window was drawn
    assert got["page"] == ("cover" if args else None)
    assert got["after_window"] is False
    assert got["at_first_frame"] is False
    # the cyclic collector waits for many more allocations while the window comes up, and works as usual after
    assert got["gc_paused"] is True and got["gc_resumed"] is True
    # the cover shows the standard opening without app.textutil's patterns (compiled: ~3 % of start-up)
    assert got["modules"] == []
    # the file opened goes into the recent-files list (a file written and fsynced) right after the first frame
    assert got["recent_at_first_frame"] == []
    assert got["recent_after"] == ([str(Path(args[0]).resolve())] if args and args[0] != "--demo" else [])


def test_plain_values_are_qt_s_own():
    from PySide6.QtCore import Qt

    from ui import qt
    assert qt.USER_ROLE == Qt.UserRole.value
    assert qt.TOOLTIP_ROLE == Qt.ToolTipRole.value
    assert qt.ACCESSIBLE_TEXT_ROLE == Qt.AccessibleTextRole.value
    assert qt.ALIGN_LEFT == Qt.AlignLeft.value
    assert qt.ALIGN_RIGHT == Qt.AlignRight.value
    assert qt.ALIGN_TOP == Qt.AlignTop.value
    assert qt.TEXT_WORD_WRAP == Qt.TextWordWrap.value


def test_set_enum_sets_by_name_and_refuses_an_unknown_name(qapp):
    from PySide6.QtCore import Qt

    from ui.qt import QLabel, QSplitter, set_enum
    split = QSplitter()
    set_enum(split, "orientation", "Vertical")
    assert split.orientation() == Qt.Vertical
    label = QLabel()
    set_enum(label, "textInteractionFlags", "TextSelectableByMouse|TextSelectableByKeyboard")
    assert label.textInteractionFlags() == Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard
    with pytest.raises(ValueError):
        set_enum(split, "orientation", "Sideways")
    with pytest.raises(ValueError):
        set_enum(split, "no_such_property", "Vertical")
    assert split.orientation() == Qt.Vertical


def test_set_shortcuts_as_qt_would(qapp):
    from ui.qt import QAction, QKeySequence, set_shortcuts
    a = QAction(None)
    set_shortcuts(a, QKeySequence.Save)
    assert a.shortcuts() == [QKeySequence(QKeySequence.Save)] and a.shortcut() == QKeySequence("Ctrl+S")
    set_shortcuts(a, "Ctrl+Y", "Ctrl+Shift+Z")
    assert a.shortcuts() == [QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")]
    set_shortcuts(a, "Ctrl+PgDown")
    assert a.shortcuts() == [QKeySequence("Ctrl+PgDown")]


SCAN_CHILD = r"""
import inspect, json, sys, types
scanned = []
getsource = inspect.getsource


def counted(obj):  # (PySide6's feature check reads a module's source through inspect.getsource)
    if isinstance(obj, types.ModuleType):
        scanned.append(obj.__name__)
    return getsource(obj)


inspect.getsource = counted
from ui.main import application, create_window
from ui.qt import QTimer
app = application([])
win = create_window(sys.argv[1:])


def finish():
    win.state._text_dirty = False
    print("RESULT " + json.dumps({"scanned": scanned}), flush=True)
    app.quit()


QTimer.singleShot(0, finish)
app.exec()
"""


def test_pyside_reads_no_source_of_ours_to_look_for_features(tmp_path):
    """PySide6 would read the source of each module named by an import after it (for ``from __feature__``):
    ui.qt tells it the answers it would find, for our modules and those imported before PySide6."""
    import shutil
    path = tmp_path / FIXTURE.name
    shutil.copyfile(FIXTURE, path)
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", NIANBAO_DATA_DIR=str(tmp_path / "d"))
    out = subprocess.run([sys.executable, "-c", SCAN_CHILD, str(path)], env=env, capture_output=True, text=True,
                         timeout=120, cwd=str(tmp_path))
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")]
    assert lines, out.stdout + out.stderr
    scanned = json.loads(lines[0][len("RESULT "):])["scanned"]
    assert [n for n in scanned if n.split(".")[0] in ("ui", "app")] == []
    assert not {"typing", "datetime", "threading", "pathlib", "json"} & set(scanned), scanned


def test_page_list_is_not_laid_out_before_the_window_is_shown(qapp, tmp_path, monkeypatch):
    """The counts of a list not shown yet are kept for its first paint: asking for an entry's place then would lay
    every entry out once more before the window is up."""
    import shutil

    from ui import wizard
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / FIXTURE.name
    shutil.copyfile(FIXTURE, path)
    measured = []
    size_hint = wizard.PageListDelegate.sizeHint
    monkeypatch.setattr(wizard.PageListDelegate, "sizeHint",
                        lambda self, option, index: measured.append(index.row()) or size_hint(self, option, index))
    from ui.mainwindow import MainWindow
    win = MainWindow()
    try:
        win.open_path(str(path))
        assert measured == []
        items = [win.wizard.list.item(i) for i in range(win.wizard.list.count())]
        assert all(wizard.CountsRole in item.live for item in items)  # the counts are there for the first paint
        win.show()
        qapp.processEvents()
        assert measured  # laid out when shown
        win.wizard.list.viewport().repaint()
        measured.clear()
        win.wizard.update_counts()  # nothing changed: nothing asked
        assert measured == []
    finally:
        win.state._text_dirty = False
        win.state.undo.setClean()
        win.close()


def test_the_desk_puts_the_collector_s_usual_thresholds_back_once_up(tmp_path):
    """``nianbao review DIR`` comes through ui.main too (which raises the collector's thresholds while the program
    starts): once its window is up the collector works as usual."""
    folder = tmp_path / "reports"
    folder.mkdir()
    code = ("import gc, sys\nusual = gc.get_threshold()\nfrom ui.main import run_desk\n"
            "paused = gc.get_threshold() != usual\nrun_desk(sys.argv[1], None, None)\n"
            "print('RESULT', paused, gc.get_threshold() == usual, flush=True)\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", NIANBAO_DATA_DIR=str(tmp_path / "d"),
               NIANBAO_QUIT_AFTER_START="1")
    out = subprocess.run([sys.executable, "-c", code, str(folder)], env=env, capture_output=True, text=True,
                         timeout=120, cwd=str(tmp_path))
    assert "RESULT True True" in out.stdout, out.stdout + out.stderr
