"""A report in a read-only folder, or itself read-only, opens with a clear 只读 notice and Save as offered (as a
file another window edits does), and a save that fails offers Save as. Real files made read-only on disk: the
permissions, and for root (whom permissions do not stop) the immutable attribute (chattr +i)."""
import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import PySide6  # noqa: F401  (required: a missing PySide6 fails, never skips)

from app import project
from app.session import Session
from conftest import FIXTURES
from ui.qt import QApplication, QFileDialog, QMessageBox
from uihelp import Answer

FIXTURE = FIXTURES / "wuzhong-minzheng-2023.nianbao"


@contextmanager
def read_only(path: Path):
    """``path`` (a file or a folder) read-only for this process, whoever runs the tests."""
    mode = path.stat().st_mode
    path.chmod(0o555 if path.is_dir() else 0o444)
    immutable = os.geteuid() == 0 and subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0
    try:
        probe = path / ".probe" if path.is_dir() else path
        try:
            with open(probe, "a" if not path.is_dir() else "x"):
                pass
        except OSError:
            pass
        else:
            raise AssertionError(f"could not make {path} read-only here")
        yield path
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(mode)


def copy(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    dst = folder / "吴忠.nianbao"
    shutil.copy(FIXTURE, dst)
    return dst


def test_session_knows_a_read_only_file_and_a_read_only_folder(tmp_path):
    p = copy(tmp_path / "a")
    s = Session.open(p)
    assert s.unwritable == "" and not s.readonly
    s.close()
    with read_only(p):
        s = Session.open(p)
        assert s.readonly and "只读" in s.unwritable and "吴忠.nianbao" in s.unwritable
        s.close()
    q = copy(tmp_path / "b")
    with read_only(q.parent):
        s = Session.open(q)
        assert s.readonly and "文件夹是只读的" in s.unwritable
        s.close()
        assert sorted(x.name for x in q.parent.iterdir()) == ["吴忠.nianbao"]  # the probe left nothing


def test_a_read_only_folder_is_said_at_open_and_save_as_offered(qtbot, win, tmp_path):
    p = copy(tmp_path / "share")
    with read_only(p.parent):
        assert win.open_path(p)
        box = win.last_message_box
        assert isinstance(box, QMessageBox) and box.isVisible()
        assert "只读" in box.text() and "read-only" in win.windowTitle()
        labels = [b.text().replace("&", "") for b in box.buttons()]
        assert "Save as…" in labels
        # the clerk edits anyway; saving there fails with Save as offered again, nothing lost
        box.close()
        assert win.state.set_text("t4.review.upheld", "7")
        assert win.save() is False
        box = win.last_message_box
        assert box.isVisible() and "Save as…" in [b.text().replace("&", "") for b in box.buttons()]
        # Save as (the dialog answered with a file elsewhere) keeps the edit
        target = tmp_path / "mine" / "吴忠.nianbao"
        target.parent.mkdir()
        def answer(dialog):  # the file dialog (Qt's own here), answered as a clerk types a name and presses Save
            assert isinstance(dialog, QFileDialog), dialog
            seen.append(dialog.directory().absolutePath())
            dialog.selectFile(str(target))
            dialog.accept()
        seen = []
        [save_as] = [b for b in box.buttons() if b.text().replace("&", "") == "Save as…"]
        save_as.click()  # the box closes; Save as runs next
        Answer(answer)
        qtbot.waitUntil(lambda: target.exists())
        assert Path(seen[0]) == p.parent  # the dialog started where the report is
    assert project.load(target).values["t4.review.upheld"] == 7
    assert win.state.path == str(target) and not win.state.dirty
    QApplication.processEvents()


def test_a_read_only_file_is_said_at_open(qtbot, win, tmp_path):
    p = copy(tmp_path / "c")
    with read_only(p):
        assert win.open_path(p)
        box = win.last_message_box
        assert box.isVisible() and "只读文件" in box.text()
        box.close()
        before = p.read_bytes()
        assert win.state.set_text("t4.review.upheld", "7")
        assert win.save() is False  # never replaced, though its folder would let a rename do it
        assert p.read_bytes() == before
        box = win.last_message_box
        assert "只读文件" in box.text() and "Save as…" in [b.text().replace("&", "") for b in box.buttons()]
        box.close()
