"""Files in the real window, offscreen: closing with unsaved changes (the real question box), File › Open of a
published report, drag and drop of a file with a real QDropEvent, and the import's review marks in the grid."""
import shutil
from pathlib import Path



from app import project
from ui.qt import (QApplication, QColor, QDragEnterEvent, QDropEvent, QFileDialog, QMessageBox, QMimeData,
                   QPointF, Qt, QUrl)
from ui.tablemodel import ReviewRole
from uihelp import Answer, click

PUBLISHED = Path(__file__).resolve().parent / "fixtures" / "published"
FIXTURE = "wuzhong-minzheng-2023"


def project_copy(tmp_path, fixture_path):
    dst = tmp_path / "吴忠.nianbao"
    shutil.copy(fixture_path(FIXTURE), dst)
    return dst


def edit(win, cell="t4.review.upheld", text="7"):
    assert win.state.set_text(cell, text)
    assert win.state.dirty and win.windowTitle().startswith("*")


def test_close_with_unsaved_changes_cancel_save_discard(qtbot, win, tmp_path, fixture_path):
    path = project_copy(tmp_path, fixture_path)
    win.open_path(path)
    edit(win)
    # cancel: the window stays open with the edit
    a = Answer(click(QMessageBox.Cancel))
    assert win.close() is False
    box = a.seen[0]
    assert box.windowTitle() == "Unsaved changes" and "not saved" in box.text()
    assert {box.buttonRole(b) for b in box.buttons()} == {QMessageBox.AcceptRole, QMessageBox.DestructiveRole,
                                                          QMessageBox.RejectRole}
    assert win.isVisible() and win.state.report.values["t4.review.upheld"] == 7 and win.state.dirty
    assert project.load(path).values["t4.review.upheld"] != 7
    # save: the file holds the edit (read back), the window closes
    a = Answer(click(QMessageBox.Save))
    assert win.close() is True
    assert a.seen and not win.isVisible()
    assert project.load(path).values["t4.review.upheld"] == 7
    assert Path(str(path) + ".bak").exists()
    # discard: reopen, edit, close without saving
    win.show()
    win.open_path(path)
    edit(win, text="9")
    a = Answer(click(QMessageBox.Discard))
    assert win.close() is True and not win.isVisible() and a.seen
    assert project.load(path).values["t4.review.upheld"] == 7


def test_close_untitled_report_save_asks_where(qtbot, win, tmp_path):
    win.new_report()
    win.state.set_meta("organ", "Close Test Bureau")
    target = tmp_path / "closing.nianbao"

    def save_dialog(dlg):
        assert isinstance(dlg, QFileDialog), dlg
        dlg.selectFile(str(target))
        dlg.accept()

    def act(box):
        click(QMessageBox.Save)(box)
        Answer(save_dialog)
    Answer(act)
    assert win.close() is True
    assert project.load(target).meta.organ == "Close Test Bureau"


def test_close_without_changes_asks_nothing(qtbot, win, fixture_path, tmp_path):
    win.open_path(project_copy(tmp_path, fixture_path))
    assert win.close() is True and QApplication.activeModalWidget() is None


def test_file_open_imports_a_published_text_report(qtbot, win):
    src = PUBLISHED / "pingqiao-minzheng-2024.txt"

    def choose(dlg):
        assert isinstance(dlg, QFileDialog), dlg
        dlg.selectFile(str(src))
        dlg.accept()
    Answer(choose)
    win.actions["open"].trigger()  # File › Open / import…
    state = win.state
    assert state is not None and state.path is None  # an import is a new, untitled report
    assert state.report.meta.organ == "平桥区民政局" and state.report.meta.year == 2024
    assert src.name in win.statusBar().currentMessage()
    # the importer's review mark (the organ completed from the text) is shown on the cover field and listed
    cover = win.wizard.pages["cover"]
    assert "平桥区民政局" in cover.organ.toolTip() and "dashed" in cover.organ.styleSheet()
    assert any(f.rule == "IMPORT.REVIEW" and f.cells == ["meta.organ"] for f in state.findings)
    assert state.report.values["t3.new.total"] == project.load(
        Path(__file__).parent / "fixtures" / "pingqiao-minzheng-2024.nianbao").values["t3.new.total"]


def exported_docx_edited_in_word(tmp_path, load_fixture):
    """A report exported by the program whose table a colleague then changed in Word (read back with a mark)."""
    import docx
    from app.export import export_report
    r = load_fixture(FIXTURE)
    out = tmp_path / "报告.docx"
    export_report(r, out)
    doc = docx.Document(str(out))
    p = next(p for p in r.format.layout("t4").cells if p.cell_id == "t4.review.upheld")
    cell = doc.tables[-1].cell(p.row, p.col)
    assert cell.text == "0"
    cell.paragraphs[0].runs[0].text = "6"
    doc.save(str(out))
    return out


def drag_and_drop(target, path: Path) -> tuple[bool, bool]:
    """A real drag-enter + drop of a file URL on ``target``; returns (enter accepted, drop accepted)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    pos = target.rect().center()
    enter = QDragEnterEvent(pos, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False, False
    drop = QDropEvent(QPointF(pos), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(target, drop)
    return True, drop.isAccepted()


def test_drop_a_word_report_shows_its_review_marks_in_the_grid(qtbot, win, tmp_path, load_fixture):
    docx_path = exported_docx_edited_in_word(tmp_path, load_fixture)
    assert win.state is None
    # dropped on the start view's list (a child of the window: the event goes up to the window)
    assert drag_and_drop(win.start.recent.viewport(), docx_path) == (True, True)
    qtbot.waitUntil(lambda: win.state is not None)  # opened once the drop has finished
    state = win.state
    assert state is not None and state.path is None and state.report.meta.organ == "吴忠市民政局"
    assert state.report.values["t4.review.upheld"] == 6
    why = state.report.review["t4.review.upheld"]
    assert "导出后在 Word 中被修改" in why
    win.wizard.go("t4")
    page = win.wizard.pages["t4"]
    ix = page.model.index_of("t4.review.upheld")
    assert ix.data(ReviewRole) == why and "？" in ix.data(Qt.ToolTipRole) and why in ix.data(Qt.ToolTipRole)
    # the delegate paints the blue corner on the marked cell and not on its neighbour
    page.grid.viewport().repaint()
    img = page.grid.viewport().grab().toImage()

    def corner(index):
        r = page.grid.visualRect(index)
        return QColor(img.pixel(r.left() + 3, r.top() + 3))
    px = corner(ix)
    assert px.blue() > 150 and px.red() < 120
    neighbour = page.model.index_of("t4.review.corrected")
    assert neighbour.data(ReviewRole) is None and corner(neighbour).red() > 200
    # the findings: the mark as a warning, and the total that no longer adds up as an error
    assert any(f.rule == "IMPORT.REVIEW" and f.cells == ["t4.review.upheld"] for f in state.findings)
    assert any(f.severity == "error" and "t4.review.total" in f.cells for f in state.findings)
    assert "✖1" in win.wizard.page_text("t4") and "!1" in win.wizard.page_text("t4")


def test_drop_while_a_changed_report_is_open_asks_first(qtbot, win, tmp_path, fixture_path):
    win.open_path(project_copy(tmp_path, fixture_path))
    edit(win)
    before = win.state
    win.wizard.go("s1")
    editor = win.wizard.pages["s1"].editor  # a text field: the file opens, its address is not typed in
    text = before.report.sections["s1"]
    a = Answer(click(QMessageBox.Cancel))
    assert drag_and_drop(editor.viewport(), PUBLISHED / "weihui-minzheng-2022.txt") == (True, True)
    qtbot.waitUntil(lambda: bool(a.seen))
    assert win.state is before and before.report.values["t4.review.upheld"] == 7
    assert before.report.sections["s1"] == text == editor.toPlainText()
    a = Answer(click(QMessageBox.Discard))
    win.wizard.go("cover")
    assert drag_and_drop(win.wizard.pages["cover"].organ, PUBLISHED / "weihui-minzheng-2022.txt") == (True, True)
    qtbot.waitUntil(lambda: win.state is not before)
    assert a.seen and win.state.report.meta.organ == "卫辉市民政局"


def test_drop_of_an_unsupported_file_is_not_accepted(qtbot, win, tmp_path):
    other = tmp_path / "photo.png"
    other.write_bytes(b"\x89PNG\r\n\x1a\n")
    assert drag_and_drop(win.start, other) == (False, False)
    assert win.state is None
