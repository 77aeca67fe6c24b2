"""The wizard by keyboard alone, offscreen: grid keys (arrows, Tab, Enter, F2, typing, Esc) and page navigation."""


from ui.qt import QApplication, QKeySequence, QLineEdit, QPlainTextEdit, Qt
from ui.qt import QTest


def focus(qtbot, widget):
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def current_cell(grid):
    ix = grid.currentIndex()
    return grid.model().cell_at(ix.row(), ix.column())


def editor_of(grid):
    w = QApplication.focusWidget()
    assert isinstance(w, QLineEdit) and grid.isAncestorOf(w), w
    return w


def test_grid_arrows_tab_enter_f2_typing_escape(qtbot, win):
    win.new_report()
    state = win.state
    win.wizard.go("t3", focus=True)
    grid = win.wizard.pages["t3"].grid
    qtbot.waitUntil(grid.hasFocus)
    assert current_cell(grid) == "t3.new.natural"
    # arrows move between value cells
    QTest.keyClick(grid, Qt.Key_Right)
    assert current_cell(grid) == "t3.new.commercial"
    QTest.keyClick(grid, Qt.Key_Down)
    assert current_cell(grid) == "t3.carried_in.commercial"
    QTest.keyClick(grid, Qt.Key_Left)
    assert current_cell(grid) == "t3.carried_in.natural"
    QTest.keyClick(grid, Qt.Key_Up)
    assert current_cell(grid) == "t3.new.natural"
    # typing replaces: the first key opens the editor with only that key in it
    QTest.keyClick(grid, Qt.Key_1)
    ed = editor_of(grid)
    assert ed.text() == "1"
    QTest.keyClicks(ed, "2")
    QTest.keyClick(ed, Qt.Key_Tab)  # Tab commits and moves right
    qtbot.waitUntil(lambda: grid.state() != grid.State.EditingState)
    assert state.report.values["t3.new.natural"] == 12
    assert current_cell(grid) == "t3.new.commercial"
    # Tab outside an editor moves right, Shift+Tab left
    QTest.keyClick(grid, Qt.Key_Tab)
    assert current_cell(grid) == "t3.new.research"
    QTest.keyClick(grid, Qt.Key_Backtab, Qt.ShiftModifier)
    assert current_cell(grid) == "t3.new.commercial"
    # Enter after that run of Tab presses goes to the next row, in the column where the run started (as Excel)
    QTest.keyClick(grid, Qt.Key_Return)
    assert current_cell(grid) == "t3.carried_in.natural"
    # F2 edits the current value (cursor at the end), Enter commits and moves down
    QTest.keyClick(grid, Qt.Key_Up)
    QTest.keyClick(grid, Qt.Key_Left)
    QTest.keyClick(grid, Qt.Key_F2)
    ed = editor_of(grid)
    assert ed.text() == "12" and ed.cursorPosition() == 2 and not ed.hasSelectedText()
    QTest.keyClicks(ed, "5")
    QTest.keyClick(ed, Qt.Key_Return)
    qtbot.waitUntil(lambda: grid.state() != grid.State.EditingState)
    assert state.report.values["t3.new.natural"] == 125
    assert state.report.values["t3.new.total"] == 125
    assert current_cell(grid) == "t3.carried_in.natural"
    # Esc cancels an edit: the value stays, no undo step
    QTest.keyClick(grid, Qt.Key_Up)
    steps = state.undo.count()
    QTest.keyClick(grid, Qt.Key_9)
    ed = editor_of(grid)
    assert ed.text() == "9"
    QTest.keyClick(ed, Qt.Key_Escape)
    qtbot.waitUntil(lambda: grid.state() != grid.State.EditingState)
    assert state.report.values["t3.new.natural"] == 125 and state.undo.count() == steps
    assert grid.model().index_of("t3.new.natural").data() == "125"
    assert grid.hasFocus() and current_cell(grid) == "t3.new.natural"
    # arrows skip read-only totals? No: totals can be visited (read-only), labels cannot
    QTest.keyClick(grid, Qt.Key_End)
    QTest.keyClick(grid, Qt.Key_F2)
    assert grid.state() != grid.State.EditingState  # a total is not editable


def test_whole_wizard_by_keyboard(qtbot, win):
    """Ctrl+N, fill the cover, Ctrl+PgDown through every page, type in each, F6 to the page list and back."""
    focus(qtbot, win.start.buttons["new"])
    QTest.keySequence(win, QKeySequence.New)
    state, wz = win.state, win.wizard
    assert wz.current() == "cover"
    QTest.keySequence(win, QKeySequence("Ctrl+PgDown"))
    QTest.keySequence(win, QKeySequence("Ctrl+PgUp"))
    cover = wz.pages["cover"]
    qtbot.waitUntil(cover.organ.hasFocus)
    QTest.keyClicks(cover.organ, "Keyboard Bureau")
    QTest.keyClick(cover.organ, Qt.Key_Tab)
    assert cover.year.hasFocus()
    QTest.keyClicks(cover.year, "2025")
    QTest.keyClick(cover.year, Qt.Key_Tab)
    assert cover.date.hasFocus()
    assert state.report.meta.organ == "Keyboard Bureau" and state.report.meta.year == 2025
    QTest.keyClicks(cover.date, "2026-01-20")
    QTest.keyClick(cover.date, Qt.Key_Return)
    assert state.report.meta.date == "2026-01-20"
    visited = ["cover"]
    for _ in range(len(wz.page_ids) - 1):
        QTest.keySequence(win, QKeySequence("Ctrl+PgDown"))
        pid = wz.current()
        visited.append(pid)
        target = QApplication.focusWidget()
        assert target is wz.main_widget(pid), pid
        if isinstance(target, QPlainTextEdit):
            QTest.keyClicks(target, "text")
            assert state.report.sections[pid] == "text"
        elif pid.startswith("t"):
            cell = current_cell(target)
            QTest.keyClick(target, Qt.Key_3)
            QTest.keyClick(QApplication.focusWidget(), Qt.Key_Return)
            qtbot.waitUntil(lambda t=target: t.state() != t.State.EditingState)
            assert state.report.values[cell] == 3
    assert visited == wz.page_ids
    QTest.keySequence(win, QKeySequence("Ctrl+PgDown"))  # already on the last page: stays
    assert wz.current() == "check"
    # Alt+B / Alt+N (the buttons' mnemonics) also move
    QTest.keyClick(win, Qt.Key_B, Qt.AltModifier)
    qtbot.waitUntil(lambda: wz.current() == wz.page_ids[-2])  # (a mnemonic animates the click first)
    QTest.keyClick(win, Qt.Key_N, Qt.AltModifier)
    qtbot.waitUntil(lambda: wz.current() == "check")
    # F6 goes round the panes: page list (arrows there choose a page), page, findings
    QTest.keyClick(win, Qt.Key_F6)
    assert wz.list.hasFocus()
    QTest.keyClick(wz.list, Qt.Key_Home)
    assert wz.current() == "cover"
    QTest.keyClick(wz.list, Qt.Key_F6)
    assert QApplication.focusWidget() is wz.pages["cover"].organ
    QTest.keyClick(QApplication.focusWidget(), Qt.Key_F6)  # then the findings (shown below every page but 检查)
    assert win.findings.tree.hasFocus()
    QTest.keyClick(win.findings.tree, Qt.Key_F6)
    assert wz.list.hasFocus()
    # F1 says how to get around
    QTest.keyClick(win, Qt.Key_F1)
    assert "Ctrl+PgDown" in win.last_message_box.text() and "F6" in win.last_message_box.text()
    win.last_message_box.close()
    # the check page's findings are reachable: Enter on a finding jumps to its page
    wz.go("check", focus=True)
    tree = wz.pages["check"].panel.tree
    assert tree.hasFocus()
    QTest.keyClick(tree, Qt.Key_Down)
    item = tree.currentItem()
    assert item is not None
    QTest.keyClick(tree, Qt.Key_Return)
    assert wz.current() != "check"


def test_edit_menu_undo_follows_the_focused_field(qtbot, win):
    win.new_report()
    state, wz = win.state, win.wizard
    wz.go("t2", focus=True)
    grid = wz.pages["t2"].grid
    state.set_text("t2.regulations.issued", "4")
    wz.go("s6", focus=True)
    editor = wz.pages["s6"].editor
    qtbot.waitUntil(editor.hasFocus)
    QTest.keyClicks(editor, "abc")
    win.undo_action.trigger()  # the menu: undoes the typing in the editor, not the cell
    assert state.report.sections["s6"] == "" and state.report.values["t2.regulations.issued"] == 4
    win.redo_action.trigger()
    assert state.report.sections["s6"] == "abc"
    wz.go("t2", focus=True)
    qtbot.waitUntil(grid.hasFocus)
    win.undo_action.trigger()  # in the grid: the report's undo
    assert "t2.regulations.issued" not in state.report.values
