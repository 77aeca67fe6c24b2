"""The wizard as a clerk uses it — flags from the first value, fixes that fix, undo that shows what it
undoes, input errors at the cell, paste into computed cells. Real widgets (offscreen), real key events."""
from decimal import Decimal

import pytest


from app import rules
from app.model import new_report, next_year_report
from ui.findings import FindingRole
from ui.qt import QApplication, QColor, QKeySequence, Qt
from ui.qt import QTest
from ui.tablemodel import ERROR, StatusRole
from uihelp import goto_table, type_into as typed
from uihelp import type_into as _type_into


def type_into(qtbot, grid, cell, text, key=Qt.Key_Return):
    """Type and press ``key``, without waiting: the editor may stay open on a refused value."""
    _type_into(qtbot, grid, cell, text, key, wait=False)



def error_keys(state):
    return {(f.rule, tuple(f.cells)) for f in state.findings if f.severity == rules.ERROR}


# ----- 1. sum rules from the first value ------------------------------------------------------------------

def test_first_unbalanced_value_is_flagged_at_once(qtbot, win):
    win.new_report()
    state = win.state
    grid = goto_table(qtbot, win, "t3").grid
    m = grid.model()
    typed(qtbot, grid, "t3.new.natural", "5")
    bal = [f for f in state.findings if f.rule == "T3.BALANCE"]
    assert {f.message.split("：")[0] for f in bal} == {"自然人列", "总计列"}
    assert "未填，按 0 计" in bal[0].message
    assert m.index_of("t3.new.natural").data(StatusRole) == ERROR
    assert win.wizard.list.item(win.wizard.page_ids.index("t3")).data(Qt.UserRole + 1)[0] >= 2
    # the clerk goes on; the column balances again once the results are typed, before any 空白填0
    typed(qtbot, grid, "t3.granted.natural", "5")
    assert not [f for f in state.findings if f.rule == "T3.BALANCE"]
    assert [f for f in state.findings if f.rule == "CELL.VALUE" and "未填写" in f.message]


# ----- 3. a fix only when it fixes ----------------------------------------------------------------------

def test_fix_is_offered_only_when_it_fixes_and_never_on_a_computed_total(qtbot, win):
    last = new_report()
    for col in ("natural", "total"):
        last.values[f"t3.carried_out.{col}"] = 3
    win.set_report(next_year_report(last))
    state = win.state
    state.set_cells({"t3.carried_in.natural": 5})  # 上年结转 changed against last year's report
    items = {tuple(i.data(0, FindingRole).cells): i for i in win.findings.items()
             if i.data(0, FindingRole).rule == "YEAR.CARRY"}
    assert set(items) == {("t3.carried_in.natural",), ("t3.carried_in.total",)}
    assert win.findings.fix_button(items[("t3.carried_in.total",)]) is None  # the total is computed
    for i in win.findings.items():  # no button anywhere whose fix would leave or create an error
        f = i.data(0, FindingRole)
        if win.findings.fix_button(i) is not None:
            assert not set(f.fix) & state.computed
    before = error_keys(state)
    btn = win.findings.fix_button(items[("t3.carried_in.natural",)])
    assert btn is not None
    QTest.mouseClick(btn, Qt.LeftButton)
    qtbot.waitUntil(lambda: state.report.values["t3.carried_in.natural"] == 3)
    after = error_keys(state)
    assert not [k for k in after if k[0] == "YEAR.CARRY"]
    assert after <= before


def test_a_fix_that_would_create_a_new_error_is_refused(qapp):
    from ui.state import ReportState
    st = ReportState(new_report())
    st.set_cells({"t3.new.natural": 2, "t3.granted.natural": 2})
    fake = rules.Finding("X.TEST", rules.ERROR, ["t3.new.natural"], "test", fix={"t3.new.natural": 7})
    assert not st.fix_ok(fake)  # the finding is not real, and 7 would unbalance the column
    assert not st.apply_fix(fake)
    assert st.report.values["t3.new.natural"] == 2


# ----- 2. undo a clerk can follow -----------------------------------------------------------------------

def test_narrative_undo_goes_back_in_typing_steps(qtbot, win):
    win.new_report()
    win.wizard.go("s1")
    ed = win.wizard.pages["s1"].editor
    ed.setFocus()
    qtbot.waitUntil(ed.hasFocus)
    QApplication.clipboard().setText("本机关认真贯彻落实《条例》。\n全年主动公开信息。")
    QTest.keySequence(ed, QKeySequence.Paste)
    QTest.keyClicks(ed, "ABC")
    assert ed.toPlainText().endswith("信息。ABC")
    QTest.keySequence(ed, QKeySequence.Undo)
    assert ed.toPlainText() == "本机关认真贯彻落实《条例》。\n全年主动公开信息。"  # only the typing went
    assert win.state.report.sections["s1"] == ed.toPlainText()
    QTest.keyClicks(ed, "one two")
    QTest.keySequence(ed, QKeySequence.Undo)
    assert ed.toPlainText().endswith("信息。one ")  # a word at a time
    QTest.keySequence(ed, QKeySequence.Undo)
    QTest.keySequence(ed, QKeySequence.Undo)
    assert ed.toPlainText() == ""
    QTest.keySequence(ed, QKeySequence.Redo)
    assert ed.toPlainText().startswith("本机关")


def test_undo_of_a_change_elsewhere_shows_its_page_cells_and_says_what(qtbot, win):
    win.new_report()
    state = win.state
    grid2 = goto_table(qtbot, win, "t2").grid
    typed(qtbot, grid2, "t2.fees.amount", "1.5")
    win.wizard.go("t4")
    win.wizard.pages["t4"].fill_blanks()
    win.wizard.go("s6")  # the clerk has moved on to the last page
    ed = win.wizard.pages["s6"].editor
    ed.setFocus()
    qtbot.waitUntil(ed.hasFocus)
    edit_menu = next(a.menu() for a in win.menuBar().actions() if a.menu() and a.menu().title() == "&Edit")
    edit_menu.aboutToShow.emit()
    assert win.undo_action.text().startswith("&Undo Fill blanks with 0")
    QTest.keySequence(ed, QKeySequence.Undo)  # the editor has nothing to undo: the report's last step
    assert win.wizard.current() == "t4"
    assert "t4.review.upheld" not in state.report.values
    grid4 = win.wizard.pages["t4"].grid
    assert "t4.review.upheld" in grid4.selected_cells() and len(grid4.selected_cells()) > 10
    assert win.statusBar().currentMessage().startswith("Undone: Fill blanks with 0")
    assert win.undo_action.text().startswith("&Undo 表二「行政事业性收费·本年收费金额")
    QTest.keySequence(grid4, QKeySequence.Undo)  # from table 4, the fee on table 2: its page comes up
    assert win.wizard.current() == "t2"
    assert "t2.fees.amount" not in state.report.values
    assert grid2.selected_cells() == ["t2.fees.amount"]
    msg = win.statusBar().currentMessage()
    assert msg.startswith("Undone: 表二「行政事业性收费·本年收费金额") and msg.endswith("：blank → "
                                                                        "1.5")  # the step that was undone
    QTest.keySequence(grid2, QKeySequence("Ctrl+Y"))
    assert state.report.values["t2.fees.amount"] == Decimal("1.5")
    assert win.statusBar().currentMessage().startswith("Redone: 表二")
    # the cover: undo of a cover field brings up the cover with that field focused
    win.wizard.go("cover")
    state.set_meta("year", 2024)
    win.wizard.go("t3")
    win.wizard.pages["t3"].grid.setFocus()
    QTest.keySequence(win.wizard.pages["t3"].grid, QKeySequence.Undo)
    assert win.wizard.current() == "cover" and state.report.meta.year is None
    qtbot.waitUntil(win.wizard.pages["cover"].year.hasFocus)


# ----- 4. input errors at the cell --------------------------------------------------------------------------

@pytest.mark.parametrize("cell,text,why", [("t3.new.natural", "abc", "不是数字"), ("t3.new.natural", "-3", "负数"),
                                           ("t3.new.natural", "2.5", "整数"), ("t2.fees.amount", "1.2345678", "")])
def test_refused_input_stays_in_the_cell_with_its_message(qtbot, win, cell, text, why):
    win.new_report()
    state = win.state
    grid = goto_table(qtbot, win, cell[:2]).grid
    type_into(qtbot, grid, cell, text)  # Enter
    qtbot.wait(20)
    editor = QApplication.focusWidget()
    assert grid.state() == grid.State.EditingState  # the editor is still open on the cell
    assert grid.currentIndex() == grid.model().index_of(cell)  # the cursor did not move on
    assert editor.text() == text and editor.selectedText() == text
    assert grid.balloon.isVisible() and text in grid.balloon.text() and why in grid.balloon.text()
    # the message is at the cell: just below (or above) it, inside the grid
    rect = grid.visualRect(grid.model().index_of(cell))
    b = grid.balloon.geometry()
    assert abs(b.top() - rect.bottom()) <= 4 or abs(b.bottom() - rect.top()) <= 4
    assert cell not in state.report.values
    QTest.keyClick(editor, Qt.Key_Tab)  # Tab does not move on either
    assert grid.state() == grid.State.EditingState and grid.balloon.isVisible()
    QTest.keyClicks(editor, "1")  # typing replaces the selected text
    QTest.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: grid.state() != grid.State.EditingState)
    assert str(state.report.values[cell]) in ("1", "1.0000")
    assert not grid.balloon.isVisible()  # cleared by the good entry
    assert win.statusBar().currentMessage() == ""


# ----- 5. paste into computed cells -----------------------------------------------------------------------

def test_paste_over_a_total_says_what_it_skipped_and_flags_a_disagreeing_total(qtbot, win):
    win.new_report()
    state = win.state
    grid = goto_table(qtbot, win, "t3").grid
    m = grid.model()
    grid.setCurrentIndex(m.index_of("t3.new.other_org"))
    QApplication.clipboard().setText("7\t5\r\n")  # 其他 and 总计
    QTest.keySequence(grid, QKeySequence.Paste)
    assert state.report.values["t3.new.other_org"] == 7 and state.report.values["t3.new.total"] == 7
    msg = win.statusBar().currentMessage()
    assert "not pasted" in msg and "（5）" in msg and "does not agree" in msg and "(7)" in msg
    assert grid.balloon.isVisible() and grid.balloon_cell == "t3.new.total"
    # a total that agrees is only reported as skipped
    grid.select_cells(["t3.carried_in.other_org"])
    QApplication.clipboard().setText("2\t2\r\n")
    QTest.keySequence(grid, QKeySequence.Paste)
    msg = win.statusBar().currentMessage()
    assert "not pasted" in msg and "does not agree" not in msg
    assert state.report.values["t3.carried_in.total"] == 2


# ----- 6. tidy ------------------------------------------------------------------------------------------

def _entry_rects(win):
    lst = win.wizard.list
    win.wizard.list.doItemsLayout()
    QApplication.processEvents()
    return [lst.visualItemRect(lst.item(i)) for i in range(lst.count())]


def test_page_list_shows_titles_and_counts_without_jumping(qtbot, win):
    CountsRole = Qt.UserRole + 1
    win.open_demo()
    state = win.state
    lst = win.wizard.list
    before = _entry_rects(win)
    assert all(r.right() <= lst.viewport().width() for r in before)  # no entry wider than the list (no elision)
    state.set_cells({"t3.new.natural": 99, "t2.regulations.issued": None})  # counts come on 二 and 三
    after = _entry_rects(win)
    assert after == before  # nothing moved under the mouse
    t3 = lst.item(win.wizard.page_ids.index("t3"))
    assert t3.data(CountsRole)[0] >= 1 and "✖" in win.wizard.page_text("t3")
    # the delegate really paints the count at the right of the entry, whatever the title's length
    img = lst.viewport().grab().toImage()
    rect = lst.visualItemRect(t3)
    red = [x for x in range(rect.right() - rect.width() // 4, rect.right())
           for y in range(rect.top(), rect.top() + lst.fontMetrics().height())
           if (lambda c: c.red() > 150 and c.green() < 90)(QColor(img.pixel(x, y)))]
    assert red, "no red count painted at the right of 三、"
    # collapsed: short names and counts, a much narrower list; expanded again: as before
    full = win.wizard.side.width()
    QTest.mouseClick(win.wizard.collapse, Qt.LeftButton)
    qtbot.waitUntil(lambda: win.wizard.side.width() < full * 0.6)
    assert win.wizard.list_delegate.title(lst.model().index(win.wizard.page_ids.index("t3"), 0)) == "三"
    QTest.mouseClick(win.wizard.collapse, Qt.LeftButton)
    qtbot.waitUntil(lambda: win.wizard.side.width() >= full * 0.9)


def test_qt_dialogs_are_chinese_with_chinese_dates(qapp):
    from ui.main import install_translation
    from ui.qt import QDate, QFileDialog, QLabel, QLocale
    try:
        install_translation(qapp, "zh_CN")
        d = QFileDialog(None, "x")
        d.setOption(QFileDialog.DontUseNativeDialog)  # the platform's own dialog is used where there is one
        labels = {lab.text() for lab in d.findChildren(QLabel)}
        assert {"查找范围(&L)：", "文件类型(&T)："} <= labels, labels
        assert QLocale().name() == "zh_CN"
        assert QLocale().toString(QDate(2025, 1, 20), QLocale.LongFormat).startswith("2025年1月20日")
        d.deleteLater()
    finally:
        install_translation(qapp, "en")


def test_window_geometry_and_pane_sizes_are_remembered(qtbot):
    from ui.mainwindow import MainWindow
    w = MainWindow()
    w.show()
    qtbot.waitExposed(w)
    w.open_demo()
    w.resize(777, 690)
    w.state.set_cells({"t3.new.natural": 99})  # findings
    qtbot.waitUntil(lambda: w.wizard.vsplit.height() > 400)  # laid out in the new size
    w.wizard.set_bottom_height(300)  # the clerk drags the splitter above the findings
    qtbot.waitUntil(lambda: abs(w.dock.height() - 300) < 8)
    w.state._text_dirty = False
    w.state.undo.setClean()
    w.close()
    w2 = MainWindow()
    try:
        w2.show()
        qtbot.waitExposed(w2)
        assert (w2.width(), w2.height()) == (777, 690)
        w2.open_demo()
        w2.state.set_cells({"t3.new.natural": 99})
        qtbot.waitUntil(lambda: abs(w2.dock.height() - 300) < 12)
        w2.wizard.set_collapsed(True)  # the page list's state too
    finally:
        if w2.state is not None:
            w2.state._text_dirty = False
            w2.state.undo.setClean()
        w2.close()
    w3 = MainWindow()
    w3.open_demo()
    assert w3.wizard.list_delegate.collapsed
    w3.state._text_dirty = False
    w3.close()


def test_findings_panel_shows_three_rows_when_findings_come(qtbot, win):
    win.open_demo()  # no findings: the dock is small
    assert not win.state.findings
    grid = goto_table(qtbot, win, "t3").grid
    typed(qtbot, grid, "t3.new.natural", "99")
    tree = win.findings.tree
    qtbot.waitUntil(lambda: tree.isVisible() and tree.topLevelItemCount() >= 3)
    shown = [tree.topLevelItem(i) for i in range(3)]

    def three_rows_in_sight():
        bottom = tree.viewport().mapTo(win.dock, tree.visualItemRect(shown[2]).bottomLeft()).y()
        return bottom <= win.dock.height()
    qtbot.waitUntil(three_rows_in_sight, timeout=3000)


def test_no_findings_is_said_once_on_the_check_page(qtbot, win):
    from ui.qt import QLabel
    win.open_demo()
    win.wizard.go("check")
    page = win.wizard.pages["check"]
    qtbot.waitUntil(page.isVisible)
    said = [lab for lab in page.findChildren(QLabel) if lab.isVisible() and lab.text() == "No errors and no warnings."]
    assert len(said) == 1
    win.state.set_cells({"t3.new.natural": 99})  # findings come: the page lists them
    qtbot.waitUntil(lambda: page.panel.tree.isVisible() and page.panel.tree.topLevelItemCount() >= 2)
    assert not [lab for lab in page.findChildren(QLabel) if lab.isVisible() and lab.text() == "No errors and "
                                                                                              "no warnings."]


# ----- 8. pages built when first shown -----------------------------------------------------------------

def test_pages_are_built_when_first_needed(qtbot, win):
    from ui.wizard import TablePage
    win.open_demo()
    wz = win.wizard
    assert set(wz.pages.built) == {"cover"}
    f = rules.Finding("T", rules.ERROR, ["t4.review.upheld"], "x")
    win.show_finding(f)  # a jump to a page not built yet
    assert wz.current() == "t4" and isinstance(wz.stack.currentWidget(), TablePage)
    assert wz.pages["t4"].grid.selected_cells() == ["t4.review.upheld"]
    assert set(wz.pages.built) == {"cover", "t4"}
    wz.go("check")
    assert set(wz.pages["check"].export_buttons) == {".docx", ".pdf", ".xlsx"}  # hooked up when built


def test_a_fix_is_judged_as_with_every_rule_run(qapp):
    """An error's fix is tried with the rules that can give errors only (faster while typing): for every finding
    with a fix, in reports with errors of each kind, the answer is the one a check with every rule gives."""
    import dataclasses

    from ui.state import ReportState

    def full_answer(st, finding):
        trial = dataclasses.replace(st.report, values=dict(st.report.values))
        for c, v in finding.fix.items():
            trial.set(c, v)
        rules.recompute(trial, list(finding.fix))
        after = rules.check(trial)
        if (finding.rule, tuple(finding.cells)) in {(f.rule, tuple(f.cells)) for f in after}:
            return False
        before = {(f.rule, tuple(f.cells)) for f in st.findings if f.severity == rules.ERROR}
        return all((f.rule, tuple(f.cells)) in before for f in after if f.severity == rules.ERROR)

    last = new_report()
    for col, n in (("natural", 3), ("commercial", 2), ("total", 5)):
        last.values[f"t3.carried_out.{col}"] = n
    seen = 0
    for cells in ({"t3.carried_in.natural": 5}, {"t3.carried_in.natural": 5, "t3.carried_in.commercial": 1},
                  {"t3.new.natural": 2, "t3.granted.natural": 1},
                  {"t3.new.natural": 4, "t3.carried_in.commercial": 7, "t3.granted.natural": 9}):
        st = ReportState(next_year_report(last))
        st.set_cells(cells)
        for f in st.findings:
            if f.fix and not set(f.fix) & st.computed:
                seen += 1
                assert st.fix_ok(f) == full_answer(st, f), f
    assert seen >= 3
