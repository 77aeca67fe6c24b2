"""What the clerk's screen says — a new report does not open with red frames and 错误 9, a blank with a
reminder is drawn as the legend says, the page list shows every page whole, export from the File menu with a way
to open the document, a report from last year's asks before closing, the status bar and F1 help. Real widgets,
real key and mouse events (offscreen)."""

import PySide6  # noqa: F401  (required: a missing PySide6 fails, never skips)

from app import project
from ui.qt import QApplication, QKeySequence, Qt, QTest
from ui.tablemodel import BLANK, ERROR, WARNING, StatusRole
from uihelp import goto_table, type_into


# ----- finding 9: a new report is not "wrong" before anything is typed -----------------------------------

def test_a_new_report_opens_without_errors_or_red_frames(qtbot, win):
    QTest.keySequence(win, QKeySequence.New)  # Ctrl+N
    qtbot.waitUntil(lambda: win.state is not None)
    state = win.state
    assert state.counts()[0] == 9  # the rules (and `nianbao check`) still count the blanks as errors
    text = win.counts.text()
    assert text.startswith("Errors 0 · Warnings 0") and "Not filled in 9" in text, text  # (tests run in English)
    assert all(win.wizard.list.item(i).data(Qt.UserRole + 1) == (0, 0) for i in range(win.wizard.list.count()))
    cover = win.wizard.pages["cover"]
    assert "solid" not in cover.organ.styleSheet() and "dotted" in cover.organ.styleSheet()
    page = goto_table(qtbot, win, "t3")
    m = page.model
    assert {m.index_of(c).data(StatusRole) for c in m.positions} == {BLANK}
    kinds = {it.text(0) for it in win.findings.items()}
    assert kinds == {"○ Not filled in"}, kinds
    # the first unbalanced value is an error at once
    type_into(qtbot, page.grid, "t3.new.natural", "5")
    assert m.index_of("t3.new.natural").data(StatusRole) == ERROR
    assert win.counts.text().startswith("Errors 2 ·"), win.counts.text()


# ----- finding 7: a blank cell with a reminder is drawn as a reminder ------------------------------------

def test_a_blank_cell_with_a_reminder_is_drawn_as_a_reminder(qtbot, win, fixture_path):
    win.new_from_last_year_path(fixture_path("wuzhong-minzheng-2023"))
    report = win.state.report
    demo = project.load(fixture_path("pingqiao-minzheng-2024"))
    win.state.set_cells({c: v for c, v in demo.values.items() if c.startswith("t2.")})
    grid = goto_table(qtbot, win, "t2").grid
    m = grid.model()
    cell = "t2.normative.issued"
    grid.setCurrentIndex(m.index_of(cell))
    QTest.keyClick(grid, Qt.Key_Delete)  # blank now
    assert report.values.get(cell) is None
    found = win.state.by_cell.get(cell, [])
    assert any(f.rule == "CELL.VALUE" for f in found)
    reminders = [f for f in found if f.severity != "error"]
    assert reminders, [f.rule for f in found]  # last year's count names it (YEAR.IN_FORCE)
    assert m.index_of(cell).data(StatusRole) == WARNING  # dashed, as the legend says; not the error style


# ----- finding 9: the page list ------------------------------------------------------------------------

def test_the_page_list_shows_every_page_whole_on_a_small_screen(qtbot, win):
    win.new_report()
    win.resize(1093, 582)  # 1366×768 at 125 %
    for c, v in {"t3.new.natural": 5, "t3.new.commercial": 2}.items():
        win.state.set_cells({c: v})
    qtbot.waitUntil(lambda: win.height() <= 582)
    QApplication.processEvents()
    lst = win.wizard.list
    lst.doItemsLayout()
    QApplication.processEvents()
    vp = lst.viewport().rect()
    titles = [lst.item(i).data(Qt.UserRole + 2) for i in range(lst.count())]
    assert "六、其他需要报告的事项" in titles and "Check and export" in titles
    for i in range(lst.count()):
        r = lst.visualItemRect(lst.item(i))
        assert r.top() >= vp.top() and r.bottom() <= vp.bottom(), (titles[i], r, vp)


def test_a_string_missing_from_the_translation_is_shown_in_english_not_empty(qapp):
    from ui.main import install_translation
    from ui.qt import tr
    try:
        assert install_translation(qapp, "zh_CN") == "zh_CN"
        assert tr("Check and export") == "检查与导出"
        assert tr("A string no catalogue has") == "A string no catalogue has"
    finally:
        install_translation(qapp, "en")


# ----- finding 6: the note after pasting over totals ------------------------------------------------------

def test_the_paste_note_is_short_goes_with_esc_scrolling_and_undo(qtbot, win):
    win.open_demo()
    grid = goto_table(qtbot, win, "t3").grid
    m = grid.model()
    grid.select_cells(["t3.new.natural", "t3.carried_out.total"])
    from ui.qt import QItemSelection, QItemSelectionModel
    sel = QItemSelection(m.index_of("t3.new.natural"), m.index_of("t3.carried_out.total"))
    grid.selectionModel().select(sel, QItemSelectionModel.ClearAndSelect)
    QTest.keySequence(grid, QKeySequence.Copy)  # the whole table, totals included, as copied from Excel
    block = QApplication.clipboard().text()
    win.new_report()
    grid = goto_table(qtbot, win, "t3").grid
    m = grid.model()
    win.resize(1093, 582)
    qtbot.waitUntil(lambda: win.height() <= 582)
    grid.setCurrentIndex(m.index_of("t3.new.natural"))
    QApplication.clipboard().setText(block)
    QTest.keySequence(grid, QKeySequence.Paste)
    assert len(m.skipped) >= 21
    assert win.state.report.values["t3.new.natural"] is not None  # the values were pasted
    full = win.statusBar().currentMessage()
    assert "not pasted" in full and "more" in full and full.count("（") <= 3  # two totals named, then a count
    b = grid.balloon
    assert b.isVisible() and len(b.text()) <= 120, b.text()
    col = grid.columnWidth(m.positions["t3.new.natural"][1])
    assert b.width() <= 4 * col  # not over most of the columns
    assert b.height() <= b.sizeHint().height() + 2 and b.geometry().bottom() <= grid.height()  # not cut off
    # Esc puts it away
    QTest.keyClick(grid, Qt.Key_Escape)
    assert not b.isVisible()
    # paste again: scrolling its cell out of sight takes it along; Ctrl+Z (undoing the paste) removes it
    win.state.undo.undo()
    grid.setFocus()
    grid.setCurrentIndex(m.index_of("t3.new.natural"))
    QTest.keySequence(grid, QKeySequence.Paste)
    assert b.isVisible()
    cell = grid.balloon_cell
    grid.verticalScrollBar().setValue(grid.verticalScrollBar().maximum() if m.positions[cell][0] < 10 else 0)
    QApplication.processEvents()
    r = grid.visualRect(m.index_of(cell))
    if r.bottom() < grid.frozen_height() or r.top() > grid.viewport().height():
        assert not b.isVisible()
    grid.verticalScrollBar().setValue(0)
    QTest.keySequence(win, QKeySequence.Undo)
    qtbot.waitUntil(lambda: win.state.report.values.get("t3.new.natural") is None)
    assert not b.isVisible()


# ----- finding 10: export from the File menu, and then open the document or its folder ------------------------

class Opened:
    """Receives what the program asks the system to open (QDesktopServices' handler for file: addresses), so the
    test sees the request without a file manager or Word starting."""

    def __init__(self):
        from ui.qt import QObject, Slot, QUrl

        class Receiver(QObject):
            def __init__(self, seen):
                super().__init__()
                self.seen = seen

            @Slot(QUrl)
            def open(self, url):
                self.seen.append(url.toLocalFile())
        self.urls: list[str] = []
        self.receiver = Receiver(self.urls)

    def __enter__(self):
        from ui.qt import QDesktopServices
        QDesktopServices.setUrlHandler("file", self.receiver, "open")
        return self

    def __exit__(self, *exc):
        from ui.qt import QDesktopServices
        QDesktopServices.unsetUrlHandler("file")


def test_export_from_the_file_menu_by_ctrl_e_then_open_the_document_or_folder(qtbot, win, fixture_path, tmp_path):
    import shutil
    from uihelp import Answer
    from ui.qt import QFileDialog, QMessageBox
    src = tmp_path / "r.nianbao"
    shutil.copy(fixture_path("wuzhong-minzheng-2023"), src)
    win.open_path(src)
    assert win.state.counts()[0] == 0
    file_menu = win.menuBar().actions()[0].menu()
    assert win.actions["export_docx"] in file_menu.actions()
    assert win.actions["export_docx"].shortcut() == QKeySequence("Ctrl+E")
    out = tmp_path / "导出.docx"

    def choose(dlg):
        assert isinstance(dlg, QFileDialog), dlg
        dlg.selectFile(str(out))
        dlg.accept()
    a = Answer(choose)
    QTest.keySequence(win, QKeySequence("Ctrl+E"))
    qtbot.waitUntil(lambda: out.exists())
    assert a.seen
    box = win.export_box
    qtbot.waitUntil(box.isVisible)
    assert str(out) in box.text()
    buttons = {b.text(): b for b in box.buttons()}
    assert {"&Open the document", "Open the &folder"} <= set(buttons), set(buttons)
    with Opened() as opened:
        buttons["&Open the document"].click()
        assert opened.urls == [str(out)]
        assert not box.isVisible()  # the notice closes with the choice
        from ui.export import exported
        box = exported(win, out)
        next(b for b in box.buttons() if b.text() == "Open the &folder").click()
        assert opened.urls[-1] == str(tmp_path)
    assert isinstance(box, QMessageBox)


# ----- finding 11: a report made from last year's asks before closing ---------------------------------------

def test_a_report_from_last_years_asks_before_closing(qtbot, win, fixture_path):
    from uihelp import Answer, click
    from ui.qt import QMessageBox
    win.new_from_last_year_path(fixture_path("wuzhong-minzheng-2023"))
    assert win.state.report.previous is not None and win.state.path is None
    assert win.windowTitle().startswith("*")
    a = Answer(click(QMessageBox.Discard))
    assert win.close() is True
    assert a.seen  # the clerk was asked


# ----- finding 12: status bar, F1, the file dialog --------------------------------------------------------

def test_ctrl_n_clears_the_status_bar_of_the_previous_report(qtbot, win):
    win.new_report()
    grid = goto_table(qtbot, win, "t3").grid
    type_into(qtbot, grid, "t3.new.natural", "5")
    QTest.keySequence(win, QKeySequence.Undo)
    assert win.statusBar().currentMessage().startswith("Undone")
    QTest.keySequence(win, QKeySequence.New)
    assert win.statusBar().currentMessage() == ""


def test_f1_help_says_each_point_once_and_more_than_keys(qtbot, win):
    win.new_report()
    win.wizard.go("s1")
    win.wizard.focus_page()
    QTest.keyClick(win.wizard.pages["s1"].editor, Qt.Key_F1)
    qtbot.waitUntil(lambda: win.last_message_box is not None and win.last_message_box.isVisible())
    text = win.last_message_box.text()
    win.last_message_box.close()
    for sub in win.state.fmt.section("s1")["subheadings"]:
        assert text.count(sub) == 1, (sub, text)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    assert len(lines) == len(set(lines))
    win.wizard.go("t3")
    assert "blank cell is not 0" in win.help_text() and "right mouse button" in win.help_text()


def test_the_file_dialog_says_size_as_大小_and_shows_type_names_whole(qtbot, win, qapp):
    from uihelp import Answer
    from ui.main import install_translation
    from ui.qt import QFileDialog, QHeaderView, QTreeView
    seen = {}

    def look(dlg):
        assert isinstance(dlg, QFileDialog), dlg
        tree = dlg.findChild(QTreeView, "treeView")
        model = tree.model()
        seen["labels"] = [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())]
        seen["modes"] = [tree.header().sectionResizeMode(c) for c in range(1, model.columnCount())]
        dlg.reject()
    try:
        install_translation(qapp, "zh_CN")
        Answer(look)
        win.actions["open"].trigger()
    finally:
        install_translation(qapp, "en")
    assert "大小" in seen["labels"] and "体积" not in seen["labels"], seen
    assert all(m == QHeaderView.ResizeToContents for m in seen["modes"]), seen
