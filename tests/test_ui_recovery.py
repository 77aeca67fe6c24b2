"""Never lose work: a running instance is killed (SIGKILL) after an edit; the next start offers the edit."""
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest


from app import project, userdata
from conftest import close_clean

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import sys
sys.path.insert(0, sys.argv[1])
from ui.main import application, create_window
from ui.qt import QApplication, QLineEdit, QTimer, Qt, QTest

app = application([])
win = create_window([sys.argv[2]])
win.activateWindow()
win.wizard.go("t3")
grid = win.wizard.pages["t3"].grid

def type_cell(cell, text):
    grid.setFocus()
    grid.setCurrentIndex(grid.model().index_of(cell))
    QTest.keyClicks(grid, text[0])
    editor = grid.viewport().findChild(QLineEdit)  # the cell editor the first key opened
    QTest.keyClicks(editor, text[1:])
    QTest.keyClick(editor, Qt.Key_Return)

def first():
    type_cell("t3.new.natural", "41")
    print("EDIT1", flush=True)
    poll.start()

def second():
    if win.writer.written == 0:
        return
    poll.stop()
    type_cell("t3.new.commercial", "7")
    print("EDIT2", flush=True)

poll = QTimer()
poll.setInterval(20)
poll.timeout.connect(second)
QTimer.singleShot(0, first)
app.exec()
"""


class LineReader:
    """The child's stdout lines, read by a thread: ``next(timeout)`` cannot block past its deadline (a plain
    ``readline()`` waits for ever when the child stops printing without exiting)."""

    def __init__(self, stream):
        self.lines: queue.Queue = queue.Queue()
        self.thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self.thread.start()

    def _pump(self, stream):
        for line in stream:
            self.lines.put(line.strip())
        self.lines.put(None)  # end of output

    def next(self, proc, deadline: float) -> str:
        try:
            line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise AssertionError("the child printed nothing before the deadline") from None
        if line is None:
            proc.wait(10)
            raise AssertionError(f"child ended early: {proc.stderr.read()}")
        return line


def test_the_line_reader_gives_up_at_its_deadline():
    """A child that stays alive without printing: the read fails at the deadline instead of hanging."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; print('one', flush=True); time.sleep(60)"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        reader = LineReader(proc.stdout)
        assert reader.next(proc, time.monotonic() + 30) == "one"
        start = time.monotonic()
        with pytest.raises(AssertionError, match="nothing before the deadline"):
            reader.next(proc, start + 0.5)
        assert time.monotonic() - start < 5
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX only")
def test_recovery_after_sigkill(qtbot, tmp_path, fixture_path):
    path = tmp_path / "report.nianbao"
    shutil.copy(fixture_path("wuzhong-minzheng-2023"), path)
    before = project.load(path).values.get("t3.new.natural")
    assert before != 41
    env = dict(os.environ, NIANBAO_AUTOSAVE_MS="500", QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(ROOT), str(path)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        reader = LineReader(proc.stdout)
        assert reader.next(proc, deadline) == "EDIT1"
        assert reader.next(proc, deadline) == "EDIT2"  # the first edit's recovery copy is on disk by now
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert project.load(path).values.get("t3.new.natural") == before  # never saved

    # the next start offers the recovered report
    from ui.mainwindow import MainWindow
    from ui.qt import QTest, Qt
    win = MainWindow()
    try:
        win.show()
        qtbot.waitExposed(win)
        assert win.banner.isVisible()
        assert "report.nianbao" in win.banner.label.text()
        QTest.mouseClick(win.banner.restore, Qt.LeftButton)
        assert win.state is not None
        assert win.state.report.values["t3.new.natural"] == 41
        assert win.state.path == str(path) and win.state.dirty
        assert not win.banner.isVisible() and userdata.find_recoveries() == []
        # saving the restored report and closing cleanly leaves no recovery copy
        assert win.save_to(path)
        assert project.load(path).values["t3.new.natural"] == 41
    finally:
        close_clean(win)  # after a failed assertion the restored report is unsaved: no question may open
    assert not list(userdata.data_dir().glob("recovery-*.json"))


def test_autosave_writes_off_the_ui_thread_and_clean_exit_removes_it(qtbot, fixture_path, tmp_path):
    from ui.mainwindow import MainWindow
    path = tmp_path / "r.nianbao"
    shutil.copy(fixture_path("pingqiao-minzheng-2024"), path)
    win = MainWindow()
    try:
        win.autosave.setInterval(50)
        win.open_path(path)
        assert not userdata.recovery_path().exists()
        win.state.set_meta("organ", "改过的名称")
        assert win.autosave.isActive()
        qtbot.waitUntil(lambda: win.writer.written >= 1, timeout=5000)
        win.writer.join()
        rec = userdata.recovery_path()
        assert rec.is_file()
        import json
        assert json.loads(rec.read_text(encoding="utf-8"))["report"]["meta"]["organ"] == "改过的名称"
    finally:
        close_clean(win)
    assert not rec.exists()


def _until_ended(proc, deadline: float) -> None:
    """Wait until a killed child has ended without reaping it: it stays a zombie (its parent is this test)."""
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{proc.pid}/stat", "rb") as fh:
                if fh.read().rsplit(b")", 1)[1].split()[0] == b"Z":
                    return
        except FileNotFoundError:
            return
        time.sleep(0.02)
    raise AssertionError("the killed child did not end")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a killed child not yet reaped is read in /proc")
def test_recovery_is_offered_when_its_file_is_opened_from_the_recent_list_after_a_kill(qtbot, tmp_path, fixture_path):
    """The window is already open when the other instance is killed (its banner found nothing then); the killed
    process is not yet reaped. Opening the file from the recent list offers the recovery copy of that file."""
    from ui.mainwindow import MainWindow
    from ui.qt import QTest, Qt
    path = tmp_path / "report.nianbao"
    shutil.copy(fixture_path("wuzhong-minzheng-2023"), path)
    userdata.add_recent(path)
    win = MainWindow()
    proc = None
    try:
        win.show()
        qtbot.waitExposed(win)
        assert not win.banner.isVisible()
        env = dict(os.environ, NIANBAO_AUTOSAVE_MS="500", QT_QPA_PLATFORM="offscreen")
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(ROOT), str(path)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        reader = LineReader(proc.stdout)
        assert reader.next(proc, deadline) == "EDIT1"
        assert reader.next(proc, deadline) == "EDIT2"
        proc.send_signal(signal.SIGKILL)
        _until_ended(proc, deadline)  # dead, not reaped: its lock file and recovery copy stay behind
        assert userdata.recovery_path(proc.pid) is not None
        recent = win.start.recent
        item = recent.item(0)
        assert item.data(Qt.UserRole) == str(path.resolve())
        recent.itemActivated.emit(item)  # opened from the recent list (no "already open" question)
        assert win.state is not None and win.state.report.values.get("t3.new.natural") != 41
        assert not win.session.readonly
        assert win.banner.isVisible() and "report.nianbao" in win.banner.label.text()
        QTest.mouseClick(win.banner.restore, Qt.LeftButton)
        assert win.state.report.values["t3.new.natural"] == 41 and win.state.dirty
        assert win.state.path == str(path.resolve()) or Path(win.state.path).resolve() == path.resolve()
        assert win.save_to(win.state.path)  # the file as it is now is what the restored edit replaces: no question
        assert project.load(path).values["t3.new.natural"] == 41
    finally:
        if proc is not None:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        close_clean(win)
    assert not list(userdata.data_dir().glob("recovery-*.json"))


def test_the_recovery_offer_warns_when_the_file_was_saved_after_the_copy(qtbot, tmp_path, fixture_path):
    from ui.mainwindow import MainWindow
    path = tmp_path / "report.nianbao"
    shutil.copy(fixture_path("wuzhong-minzheng-2023"), path)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait(30)
    report = project.load(path)
    report.values["t3.new.natural"] = 41
    userdata.write_recovery(userdata.recovery_bytes(report, path, pid=dead.pid), pid=dead.pid)
    win = MainWindow()
    try:
        win.show()
        qtbot.waitExposed(win)
        assert win.open_path(path)
        assert win.banner.isVisible() and "Careful" not in win.banner.label.text()
        later = time.time() + 120  # another window saved the file after the copy was written
        os.utime(path, (later, later))
        assert win.open_path(path)
        assert win.banner.isVisible() and "saved later" in win.banner.label.text()
    finally:
        close_clean(win)


def test_the_recovery_offer_names_a_report_that_was_never_saved(qtbot, fixture_path):
    """A killed window's report that never had a file: the banner says which report it is (organ and year as
    the copy holds them), not just "an unsaved report", so the clerk knows what is being restored."""
    from ui.mainwindow import MainWindow
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait(30)
    report = project.load(fixture_path("wuzhong-minzheng-2023"))
    userdata.write_recovery(userdata.recovery_bytes(report, None, pid=dead.pid), pid=dead.pid)
    [rec] = [r for r in userdata.find_recoveries() if r.pid == dead.pid]
    assert rec.title == report.known_title()
    win = MainWindow()
    try:
        win.show()
        qtbot.waitExposed(win)
        assert win.banner.isVisible()
        assert report.known_title() in win.banner.label.text()
    finally:
        rec.discard()
        close_clean(win)
