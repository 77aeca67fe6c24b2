"""Smaller things a clerk frowns at: typing and undoing back to the saved text leaves no "*"; an empty project
file is called empty (not a JSON error)."""
import shutil

import PySide6  # noqa: F401  (required: a missing PySide6 fails, never skips)
import pytest

from app import project
from conftest import FIXTURES
from ui.qt import QKeySequence, Qt, QTest

FIXTURE = FIXTURES / "wuzhong-minzheng-2023.nianbao"


def test_undoing_typed_text_back_to_the_saved_text_leaves_no_star(qtbot, win, tmp_path):
    p = tmp_path / "r.nianbao"
    shutil.copy(FIXTURE, p)
    assert win.open_path(p)
    assert not win.windowTitle().startswith("*")
    win.wizard.go("s1")
    editor = win.wizard.pages["s1"].editor
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    QTest.keyClick(editor, Qt.Key_End, Qt.ControlModifier)
    QTest.keyClicks(editor, "ABC")
    assert win.windowTitle().startswith("*") and win.state.dirty
    while editor.document().isUndoAvailable():
        QTest.keySequence(editor, QKeySequence.Undo)
    assert win.state.report.sections["s1"] == project.load(p).sections["s1"]
    assert not win.state.dirty and not win.windowTitle().startswith("*")
    # typed again after a save: the saved text is the new one
    QTest.keyClicks(editor, "D")
    assert win.save()
    QTest.keyClick(editor, Qt.Key_Backspace)
    assert win.windowTitle().startswith("*")  # differs from what was saved
    QTest.keyClicks(editor, "D")
    assert not win.windowTitle().startswith("*")


@pytest.mark.parametrize("content", [b"", b"  \n\r\n ", "\ufeff".encode("utf-8")])
def test_an_empty_project_file_is_called_empty(tmp_path, content):
    p = tmp_path / "空.nianbao"
    p.write_bytes(content)
    with pytest.raises(project.ProjectError) as e:
        project.load(p)
    assert "是空的" in str(e.value) and "JSON" not in str(e.value) and "空.nianbao" in str(e.value)


def test_an_empty_project_file_opened_in_the_window(qtbot, win, tmp_path):
    p = tmp_path / "空.nianbao"
    p.write_bytes(b"")
    assert win.open_path(p) is False
    box = win.last_message_box
    assert "是空的" in box.text() and "JSON" not in box.text()
    box.close()
