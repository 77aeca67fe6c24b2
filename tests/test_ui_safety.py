"""In the real window (offscreen): every report that opens can be saved; a failed save is a message, keeps the "*"
and writes the recovery copy; a second window on the same file is told and offered read-only or the other window; a
save notices that the file was changed on disk; "Save as" without the suffix asks before replacing an existing
file."""
import shutil
import sys
import time
from pathlib import Path

import pytest


from app import project, userdata
from ui.qt import QFileDialog, QMessageBox
from conftest import close_clean
from uihelp import Answer, click

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "wuzhong-minzheng-2023.nianbao"


def click_text(prefix):
    def act(box):
        assert isinstance(box, QMessageBox), box
        [b] = [b for b in box.buttons() if b.text().replace("&", "").startswith(prefix)]
        b.click()
    return act


def copy(tmp_path, name="吴忠.nianbao") -> Path:
    dst = tmp_path / name
    shutil.copy(FIXTURE, dst)
    return dst


@pytest.fixture
def second(qtbot):
    from ui.mainwindow import MainWindow
    w = MainWindow()
    w.show()
    qtbot.waitExposed(w)
    yield w
    close_clean(w)
    w.deleteLater()


def test_a_report_with_fractions_in_unknown_keys_saves_from_the_window(qtbot, win, tmp_path):
    p = tmp_path / "r.nianbao"
    p.write_text('{"format": "gov-2021", "meta": {"organ": "甲局", "year": 2023}, '
                 '"values": {"t2.fees.amount": 0.125}, "x_tool": {"w": 0.1, "e": 1E+400}}', encoding="utf-8")
    assert win.open_path(p)
    assert win.state.set_text("t4.review.upheld", "7")
    assert win.save() is True
    assert not win.windowTitle().startswith("*")
    text = p.read_text(encoding="utf-8")
    assert '"e": 1E+400' in text and project.load(p).values["t4.review.upheld"] == 7


def test_a_failed_save_is_a_message_keeps_the_star_and_writes_the_recovery_copy(qtbot, win, tmp_path):
    folder = tmp_path / "stick"
    folder.mkdir()
    p = copy(folder)
    assert win.open_path(p)
    assert win.state.set_text("t4.review.upheld", "7")
    shutil.rmtree(folder)  # the USB stick was pulled
    assert win.save() is False
    box = win.last_message_box
    assert box is not None and box.isVisible() and "无法保存" in box.text() and "已被移走" in box.text()
    assert win.windowTitle().startswith("*") and win.state.dirty
    win.writer.join()
    rec = userdata.recovery_path()
    assert rec.is_file()
    [found] = [r for r in userdata.find_recoveries() if r.file == rec] or [userdata.Recovery(rec, str(p), 0, 1)]
    assert found.load().values["t4.review.upheld"] == 7
    box.close()


def test_a_second_window_on_the_same_file_is_told_and_offered_read_only_or_the_other_window(qtbot, win, second,
                                                                                         tmp_path):
    p = copy(tmp_path)
    assert win.open_path(p)
    a = Answer(click(QMessageBox.Cancel))
    assert second.open_path(p) is False and second.state is None
    assert a.seen and "该文件已在另一个窗口中打开" in a.seen[0].text()
    labels = [b.text().replace("&", "") for b in a.seen[0].buttons()]
    assert "Open read-only" in labels and "Switch to that window" in labels
    second.activateWindow()
    a = Answer(click_text("Switch"))
    assert second.open_path(p) is False and a.seen and second.state is None
    qtbot.waitUntil(win.isActiveWindow)  # the window that has the file comes forward
    a = Answer(click_text("Open read-only"))
    assert second.open_path(p) is True and a.seen
    assert second.session.readonly and "read-only" in second.windowTitle()
    assert "Opened read-only" in second.statusBar().currentMessage()
    # the read-only window cannot save over the file the first one edits
    assert second.state.set_text("t4.review.corrected", "5")
    a = Answer(click(QMessageBox.Cancel))
    assert second.save() is False and a.seen and "该文件已在另一个窗口中打开" in a.seen[0].text()
    assert project.load(p).values.get("t4.review.corrected") != 5
    # the first window lets go of the file: the second opens it for editing without a question
    win.new_report()
    close_clean(second)
    assert second.open_path(p) is True and not second.session.readonly


def test_two_windows_saving_one_file_do_not_lose_an_update_silently(qtbot, win, second, tmp_path):
    p = copy(tmp_path)
    assert win.open_path(p)
    Answer(click_text("Open read-only"))
    assert second.open_path(p) and second.session.readonly
    assert win.state.set_text("t4.review.upheld", "7")
    assert second.state.set_text("t4.review.corrected", "5")
    assert win.save() is True  # the window that edits the file saves
    win.new_report()  # and lets go of it
    # the read-only window saves now: it takes the file, and is asked since it read an older version
    a = Answer(click(QMessageBox.Cancel))
    assert second.save() is False and a.seen
    assert "changed on disk" in a.seen[0].text()
    assert project.load(p).values["t4.review.upheld"] == 7
    # reload: the file's content (with the other window's value) replaces the edit
    Answer(click_text("Reload"))
    assert second.save() is True
    assert second.state.report.values["t4.review.upheld"] == 7 and not second.state.dirty
    assert not second.session.readonly
    # another program writes the file; overwrite, when the clerk means it
    assert second.state.set_text("t4.review.upheld", "8")
    project.save(project.load(FIXTURE), p)
    Answer(click_text("Overwrite"))
    assert second.save() is True
    assert project.load(p).values["t4.review.upheld"] == 8
    # and saving again without changes elsewhere asks nothing
    assert second.state.set_text("t4.review.upheld", "9")
    assert second.save() is True


def test_save_as_without_the_suffix_asks_before_replacing_the_file(qtbot, win, tmp_path):
    existing = copy(tmp_path, "old.nianbao")
    before = existing.read_bytes()
    win.new_report()
    win.state.set_meta("organ", "新局")

    def save_dialog(dlg):
        assert isinstance(dlg, QFileDialog), dlg
        dlg.selectFile(str(tmp_path / "old"))
        dlg.accept()
        Answer(click(QMessageBox.No))
    a = Answer(save_dialog)
    assert win.save_as() is False and a.seen
    assert existing.read_bytes() == before


def test_save_as_never_replaces_a_file_of_another_kind(qtbot, win, tmp_path):
    other = tmp_path / "data.nianbao"
    other.write_bytes(b"PK\x03\x04 a workbook renamed")
    win.new_report()
    assert win.save_to(str(other)) is False
    assert "不会被替换" in win.last_message_box.text()
    assert other.read_bytes() == b"PK\x03\x04 a workbook renamed"
    win.last_message_box.close()


def test_export_without_the_suffix_asks_before_replacing_and_never_replaces_another_kind(qtbot, win, tmp_path):
    from ui.export import export_dialog
    assert win.open_path(copy(tmp_path))
    old = tmp_path / "old.docx"
    old.write_bytes(b"PK\x03\x04 the published original")

    def save_dialog(name, then):
        def act(dlg):
            assert isinstance(dlg, QFileDialog), dlg
            dlg.selectFile(str(tmp_path / name))
            Answer(then)  # before accept(): the dialog's own "replace?" question runs inside accept()
            dlg.accept()
        return act
    a = Answer(save_dialog("old", click(QMessageBox.No)))
    assert export_dialog(win, ".docx") is False and a.seen
    assert old.read_bytes() == b"PK\x03\x04 the published original"
    fake = tmp_path / "fake.pdf"  # a project file under a PDF name
    fake.write_bytes(FIXTURE.read_bytes())
    a = Answer(save_dialog("fake.pdf", click(QMessageBox.Yes)))  # the dialog's own "replace?" question
    assert export_dialog(win, ".pdf") is False and a.seen
    assert fake.read_bytes() == FIXTURE.read_bytes() and "不会被替换" in win.last_message_box.text()
    win.last_message_box.close()


@pytest.mark.parametrize("content", [
    '{"format": "gov-2021", "x": Infinity}',
    '{"format": "gov-2021", "values": {"t3.new.natural": NaN}}',
    '{"format": "gov-2021", "meta": {"year": "²"}}',
    '{"format": "gov-2021", "x": ' + "[" * 100000 + "]" * 100000 + "}",
    '{"format": "gov-2021", "meta": {"organ": "\\ud800"}}',
    '{"format": "gov-2021", "schema": ' + "9" * 5000 + "}",
], ids=lambda v: v[:30] + "…")
def test_opening_a_hostile_project_file_is_a_dialog_not_a_crash(qtbot, win, tmp_path, content):
    p = tmp_path / "r.nianbao"
    p.write_text(content, encoding="utf-8")
    assert win.open_path(p) is False and win.state is None
    box = win.last_message_box
    assert box.isVisible() and "r.nianbao" in box.text()
    box.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a zombie process is looked at in /proc")
def test_a_lock_held_by_another_process_warns_and_a_crashed_ones_does_not(qtbot, win, tmp_path):
    import subprocess

    from ui.mainwindow import lock_path
    p = copy(tmp_path)
    code = ("import sys, time\nfrom PySide6.QtCore import QLockFile\n"
            "l = QLockFile(sys.argv[1]); l.setStaleLockTime(0)\n"
            "print(l.tryLock(0), flush=True); time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(lock_path(p))], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "True"
        a = Answer(click(QMessageBox.Cancel))
        assert win.open_path(p) is False and a.seen
        assert str(holder.pid) in a.seen[0].text() and "该文件已在另一个窗口中打开" in a.seen[0].text()
        holder.kill()  # the other instance crashes: its lock file stays behind
        while open(f"/proc/{holder.pid}/stat", "rb").read().rsplit(b")", 1)[1].split()[0] != b"Z":
            time.sleep(0.02)  # ended, not yet reaped by its parent (this test)
        assert lock_path(p).exists()
        assert win.open_path(p) is True  # a lock whose process is gone is stale: no question
    finally:
        holder.kill()
        holder.wait()
    win.close()
    assert not lock_path(p).exists()


def test_an_unwritable_settings_file_does_not_fail_opening_or_saving(qtbot, win, tmp_path):
    (userdata.data_dir() / "settings.json").mkdir()  # the recent-files list cannot be written
    p = copy(tmp_path)
    assert win.open_path(p) is True
    assert win.state.set_text("t4.review.upheld", "7")
    assert win.save() is True and not win.windowTitle().startswith("*")
    assert project.load(p).values["t4.review.upheld"] == 7


def test_a_failed_save_says_so_when_the_recovery_copy_cannot_be_written_either(qtbot, win, tmp_path, monkeypatch):
    p = copy(tmp_path)
    assert win.open_path(p)
    assert win.state.set_text("t4.review.upheld", "7")
    (tmp_path / "stuck").mkdir()
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "stuck" / "file"))
    (tmp_path / "stuck" / "file").write_text("not a folder", encoding="utf-8")  # the data folder is a file
    assert win.save_to(str(tmp_path / "nowhere" / "r.nianbao")) is False
    text = win.last_message_box.text()
    assert "无法保存" in text and "recovery copy could not be written" in text
    win.last_message_box.close()


def test_a_file_edited_by_another_process_opens_read_only_and_its_save_is_asked(qtbot, win, tmp_path):
    import subprocess
    p = copy(tmp_path)
    root = str(Path(__file__).resolve().parent.parent)
    code = ("import sys; sys.path.insert(0, sys.argv[1])\nfrom app.session import Session\n"
            "s = Session.open(sys.argv[2]); print('ready', flush=True); sys.stdin.readline()")
    other = subprocess.Popen([sys.executable, "-c", code, root, str(p)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "ready"
        a = Answer(click_text("Open read-only"))
        assert win.open_path(p) is True and a.seen
        labels = [b.text().replace("&", "") for b in a.seen[0].buttons()]
        assert not any(label.startswith("Switch") for label in labels)  # another process's window: not from here
        assert f"进程 {other.pid}" in a.seen[0].text()
        assert win.session.readonly and "read-only" in win.windowTitle()
        assert win.state.set_text("t4.review.upheld", "7")
        a = Answer(click(QMessageBox.Cancel))
        assert win.save() is False and a.seen and "该文件已在另一个窗口中打开" in a.seen[0].text()
        assert project.load(p).values.get("t4.review.upheld") != 7
    finally:
        other.stdin.close()
        other.wait(30)
    # the other process has closed the file: saving now takes it, nothing changed on disk, no question
    assert win.save() is True and not win.session.readonly
    assert project.load(p).values["t4.review.upheld"] == 7


def test_a_stale_lock_whose_pid_now_belongs_to_another_python_process_does_not_block(qtbot, win, tmp_path):
    """The lock of a crashed instance (QLockFile's format: pid, program, host) whose pid a later python3.11 process
    now has: the window opens the file for editing without asking."""
    import os
    import subprocess

    from app import liveness
    from ui.mainwindow import lock_path
    p = copy(tmp_path)
    other = subprocess.Popen([sys.executable, "-c", "import time; print('up', flush=True); time.sleep(60)"],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "up"
        program = os.path.basename(os.path.realpath(sys.executable))
        lock_path(p).write_bytes(f"{other.pid}\n{program}\n{liveness.hostname()}\n\n\n".encode())
        an_hour_ago = time.time() - 3600  # the crashed instance wrote it before that process started
        os.utime(lock_path(p), (an_hour_ago, an_hour_ago))
        assert win.open_path(p) is True and win.last_message_box is None
        assert not win.session.readonly and f"{os.getpid()}\n" in lock_path(p).read_text(encoding="utf-8")
    finally:
        other.kill()
        other.wait()


def test_opening_from_the_recent_files_menu_asks_before_dropping_unsaved_changes(qtbot, win, tmp_path):
    p, q = copy(tmp_path), copy(tmp_path, "另一个.nianbao")
    userdata.add_recent(q)
    assert win.open_path(p)
    assert win.state.set_text("t4.review.upheld", "7")
    win._fill_recent()
    [action] = [a for a in win.recent_menu.actions() if a.text() == str(q.resolve())]
    a = Answer(click(QMessageBox.Cancel))
    action.trigger()
    assert a.seen and win.state.path == str(p) and win.state.dirty


def test_an_older_version_of_the_program_sees_the_lock_held_and_then_stale(qtbot, tmp_path):
    """Older versions lock with QLockFile (same file name): they must see this version's lock as held while its
    process runs and as stale once it was killed."""
    import subprocess

    from ui.mainwindow import lock_path
    from ui.qt import QLockFile
    p = copy(tmp_path)
    root = str(Path(__file__).resolve().parent.parent)
    code = ("import sys; sys.path.insert(0, sys.argv[1])\nfrom app.session import Session\n"
            "s = Session.open(sys.argv[2]); print('ready', flush=True); sys.stdin.readline()")
    holder = subprocess.Popen([sys.executable, "-c", code, root, str(p)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        old = QLockFile(str(lock_path(p)))
        old.setStaleLockTime(0)
        assert old.tryLock(0) is False and old.error() == QLockFile.LockFailedError
    finally:
        holder.kill()
        holder.wait()
    assert old.tryLock(0) is True
    old.unlock()
