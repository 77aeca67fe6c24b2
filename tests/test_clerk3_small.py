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


def test_a_recovery_banner_of_another_file_says_so_and_restoring_it_asks(qtbot, win, tmp_path):
    import subprocess
    import sys

    from app import userdata
    from ui.qt import QMessageBox
    from uihelp import Answer, click
    here, other = tmp_path / "本报告.nianbao", tmp_path / "另一份.nianbao"
    shutil.copy(FIXTURE, here)
    shutil.copy(FIXTURE, other)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait(30)
    rec_report = project.load(other)
    rec_report.values["t3.new.natural"] = 41
    userdata.write_recovery(userdata.recovery_bytes(rec_report, other, pid=dead.pid), pid=dead.pid)
    try:
        assert win.open_path(here)
        b = win.banner
        assert b.isVisible()
        text = b.label.text()
        assert "另一份.nianbao" in text and "another report, not the one open here" in text, text
        # Restore: asked first, naming both; No keeps the report open here
        a = Answer(click(QMessageBox.No))
        b.restore.click()
        assert a.seen and "另一份.nianbao" in a.seen[0].text() and "本报告.nianbao" in a.seen[0].text()
        assert win.state.path == str(here)
        a = Answer(click(QMessageBox.Yes))
        b.restore.click()
        assert a.seen and win.state.report.values["t3.new.natural"] == 41
        assert win.state.path is not None and win.state.path.endswith("另一份.nianbao")
    finally:
        for r in userdata.find_recoveries():
            if r.pid == dead.pid:
                r.discard()


def _lines(text: str, font, width: int) -> list[str]:
    """The lines Qt lays ``text`` out in at ``width`` (as the delegate's word-wrapped drawText does)."""
    from ui.qt import QTextLayout, QTextOption
    layout = QTextLayout(text, font)
    opt = QTextOption()
    opt.setWrapMode(QTextOption.WordWrap)
    layout.setTextOption(opt)
    layout.beginLayout()
    out = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        out.append(text[line.textStart():line.textStart() + line.textLength()])
    layout.endLayout()
    return out


@pytest.mark.parametrize("width", [1093, 1366])
def test_page_list_titles_wrap_between_words(qtbot, win, width):
    from ui.qt import QRect
    win.new_report()
    win.resize(width, 582)
    qtbot.waitUntil(lambda: win.width() == width)
    lst = win.wizard.list
    d = lst.itemDelegate()
    room = d._title_rect(QRect(0, 0, lst.viewport().width(), 1000), lst.fontMetrics()).width()
    words = ("政府信息", "行政复议", "行政诉讼", "情况", "事项", "公开", "申请", "问题", "改进")
    wrapped = 0
    for row in range(lst.count()):
        title = lst.item(row).data(Qt.UserRole + 2)
        lines = [x.replace("\u2060", "") for x in _lines(d.title(lst.model().index(row, 0)), lst.font(), room)]
        assert "".join(lines) == title  # nothing added or lost (the joiners are not drawn)
        wrapped += len(lines) > 1
        cut = 0
        for line in lines[:-1]:
            cut += len(line)
            for w in words:
                for k in range(1, len(w)):
                    assert not (title[cut - k:cut] == w[:k] and title[cut:cut + len(w) - k] == w[k:]), (title, lines)
    assert wrapped  # the list is narrow enough here that some titles do wrap
