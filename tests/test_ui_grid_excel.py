"""The grids behave like a spreadsheet the clerk knows — frozen header rows and label columns (Excel's
freeze panes) with merged row labels kept in sight, a finding's click that lands on the cell the clerk changed,
Excel's Tab/Enter/arrow habits, a right-click menu, and reminder-only blanks drawn as reminders. Real key and
mouse events on real widgets (offscreen)."""

import PySide6  # noqa: F401  (required: a missing PySide6 fails, never skips)

from ui.qt import QApplication, QColor, QContextMenuEvent, QMenu, Qt, QTest
from uihelp import goto_table, type_into


def current_cell(grid):
    ix = grid.currentIndex()
    return grid.model().cell_at(ix.row(), ix.column())


def small(win, qtbot):
    win.resize(1093, 582)  # the 1366×768 laptop at 125 %
    qtbot.waitUntil(lambda: win.height() <= 582)


def ink(image, rect) -> int:
    """Dark pixels (text) in a rect of an image."""
    n = 0
    for y in range(max(rect.top(), 0), min(rect.bottom(), image.height() - 1) + 1, 2):
        for x in range(max(rect.left(), 0), min(rect.right(), image.width() - 1) + 1, 2):
            if QColor(image.pixel(x, y)).lightness() < 110:
                n += 1
    return n


# ----- freeze panes (finding 3) -------------------------------------------------------------------------

def test_table3_headers_and_labels_stay_in_sight_while_scrolling(qtbot, win):
    win.new_report()
    small(win, qtbot)
    grid = goto_table(qtbot, win, "t3").grid
    m = grid.model()
    grid.setCurrentIndex(m.index_of("t3.new.natural"))
    for _ in range(40):  # Down to row 四 (结转下年度), by the keyboard
        QTest.keyClick(grid, Qt.Key_Down)
        if current_cell(grid) == "t3.carried_out.natural":
            break
    assert current_cell(grid) == "t3.carried_out.natural"
    QApplication.processEvents()
    assert grid.verticalScrollBar().value() > 0  # the grid did scroll
    # the header rows are still at the top of the grid, the row labels at its left
    top, left = grid.pane_top, grid.pane_left
    assert top.isVisible() and left.isVisible()
    assert top.geometry().top() == grid.viewport().geometry().top() and top.height() == grid.frozen_height()
    assert top.verticalScrollBar().value() == 0
    assert left.verticalScrollBar().value() == grid.verticalScrollBar().value()
    # the cell the cursor is on is below the frozen header and right of the labels, whole
    r = grid.visualRect(m.index_of("t3.carried_out.natural"))
    assert r.top() >= grid.frozen_height() and r.left() >= grid.frozen_width()
    assert r.bottom() <= grid.viewport().height()
    # Up again to the first value row: it comes out from under the header, not hidden by it
    for _ in range(40):
        QTest.keyClick(grid, Qt.Key_Up)
        if current_cell(grid) == "t3.new.natural":
            break
    r = grid.visualRect(m.index_of("t3.new.natural"))
    assert r.top() >= grid.frozen_height()


def test_a_merged_row_label_stays_beside_its_rows(qtbot, win):
    win.new_report()
    small(win, qtbot)
    grid = goto_table(qtbot, win, "t3").grid
    m = grid.model()
    # scroll so that the first six rows of （三）不予公开 (rows 7–14), its middle among them, are under the header
    p = m.placed(7, 1)
    assert p.text.startswith("（三）") and p.rowspan == 8
    grid.verticalScrollBar().setValue(grid.rowViewportPosition(13) - grid.frozen_height()
                                      + grid.verticalScrollBar().value())
    QApplication.processEvents()
    left = grid.pane_left
    span = left.visualRect(m.index(7, 1))
    span = span.united(left.visualRect(m.index(14, 1)))
    sight = span.intersected(left.viewport().rect())
    sight.setTop(max(sight.top(), grid.frozen_height()))
    assert sight.height() > 0
    image = left.viewport().grab().toImage()
    assert ink(image, sight) > 20  # the label is drawn where its rows are in sight


# ----- a finding's click (finding 4) ------------------------------------------------------------------

def test_a_findings_click_selects_its_cells_and_shows_the_one_changed_last(qtbot, win):
    win.new_report()
    small(win, qtbot)
    state = win.state
    grid = goto_table(qtbot, win, "t3").grid
    m = grid.model()
    type_into(qtbot, grid, "t3.new.natural", "5")
    type_into(qtbot, grid, "t3.granted.natural", "5")
    type_into(qtbot, grid, "t3.carried_out.natural", "3")  # the clerk's mistake, in row 四
    grid.setCurrentIndex(m.index_of("t3.new.natural"))
    grid.verticalScrollBar().setValue(0)
    finding = next(f for f in state.findings if f.rule == "T3.BALANCE" and "t3.carried_out.natural" in f.cells)
    tree = win.findings.tree
    item = next(it for it in win.findings.items() if it.data(0, Qt.UserRole + 10) is finding)
    tree.scrollToItem(item)
    QTest.mouseClick(tree.viewport(), Qt.LeftButton, Qt.NoModifier, tree.visualItemRect(item).center())
    qtbot.waitUntil(lambda: current_cell(grid) == "t3.carried_out.natural")
    assert set(grid.selected_cells()) == {c for c in finding.cells if c in m.positions}
    r = grid.visualRect(m.index_of("t3.carried_out.natural"))
    assert grid.frozen_height() <= r.top() and r.bottom() <= grid.viewport().height()
    assert grid.pane_top.isVisible()  # with the headers in sight
    assert grid.hasFocus()


def test_a_findings_click_without_a_change_makes_the_first_cell_current(qtbot, win):
    win.new_report()
    state = win.state
    state.set_cells({"t3.new.natural": 3})  # a change, but not of the finding's cells
    finding = next(f for f in state.findings if f.rule == "CELL.VALUE" and f.cells[0].startswith("t4."))
    win.show_finding(finding)
    grid = win.wizard.pages["t4"].grid
    assert current_cell(grid) == finding.cells[0]


# ----- Excel's keys (finding 8) -----------------------------------------------------------------------------

def _type(qtbot, grid, text, key):
    QTest.keyClicks(grid, text[0])
    editor = QApplication.focusWidget()
    assert editor is not grid
    QTest.keyClicks(editor, text[1:])
    QTest.keyClick(editor, key)
    qtbot.waitUntil(lambda: grid.state() != grid.State.EditingState)


def test_a_row_typed_with_tab_then_enter_goes_to_the_next_rows_first_column(qtbot, win):
    win.new_report()
    grid = goto_table(qtbot, win, "t3").grid
    grid.setCurrentIndex(grid.model().index_of("t3.new.natural"))
    _type(qtbot, grid, "1", Qt.Key_Tab)
    _type(qtbot, grid, "2", Qt.Key_Tab)
    _type(qtbot, grid, "3", Qt.Key_Return)
    v = win.state.report.values
    assert (v["t3.new.natural"], v["t3.new.commercial"], v["t3.new.research"]) == (1, 2, 3)
    assert current_cell(grid) == "t3.carried_in.natural"
    # outside the editor too: Tab, Tab, Enter
    QTest.keyClick(grid, Qt.Key_Tab)
    QTest.keyClick(grid, Qt.Key_Tab)
    QTest.keyClick(grid, Qt.Key_Return)
    assert current_cell(grid) == "t3.granted.natural"
    # an arrow ends the Tab run: Enter goes straight down again
    QTest.keyClick(grid, Qt.Key_Tab)
    QTest.keyClick(grid, Qt.Key_Right)
    QTest.keyClick(grid, Qt.Key_Return)
    assert current_cell(grid) == "t3.partial.research"


def test_enter_at_the_end_of_table4s_row_goes_back_to_its_first_column(qtbot, win):
    win.new_report()
    grid = goto_table(qtbot, win, "t4").grid
    m = grid.model()
    grid.setCurrentIndex(m.index_of("t4.review.upheld"))
    for text in ("1", "0", "0"):
        _type(qtbot, grid, text, Qt.Key_Tab)
    _type(qtbot, grid, "0", Qt.Key_Return)  # 尚未审结, then Enter: the row's first column (the only row)
    assert win.state.report.values["t4.review.pending"] == 0
    assert current_cell(grid) == "t4.review.upheld"
    # Enter at the bottom of a column without a Tab run: on at the top of the next column
    QTest.keyClick(grid, Qt.Key_Return)
    assert current_cell(grid) == "t4.review.corrected"


def test_down_and_enter_skip_header_rows_alike(qtbot, win):
    win.new_report()
    grid = goto_table(qtbot, win, "t2").grid
    m = grid.model()
    for cell in ("t2.normative.issued", "t2.normative.repealed"):
        grid.setCurrentIndex(m.index_of(cell))
        QTest.keyClick(grid, Qt.Key_Down)
        down = current_cell(grid)
        grid.setCurrentIndex(m.index_of(cell))
        QTest.keyClick(grid, Qt.Key_Return)
        assert current_cell(grid) == down and down is not None, (cell, down)
    # Up from the first value of a block skips its header rows back to the block above
    below = m.cell_at(6, 1)
    grid.setCurrentIndex(m.index(6, 1))
    QTest.keyClick(grid, Qt.Key_Up)
    assert current_cell(grid) == "t2.normative.issued", below


def right_click(grid, pos):
    """A right click as the window system delivers it: the press, the release, then the context-menu event."""
    vp = grid.viewport()
    QTest.mousePress(vp, Qt.RightButton, Qt.NoModifier, pos)
    QTest.mouseRelease(vp, Qt.RightButton, Qt.NoModifier, pos)
    QApplication.sendEvent(vp, QContextMenuEvent(QContextMenuEvent.Mouse, pos, vp.mapToGlobal(pos)))


def test_right_click_menu_copies_pastes_clears_and_undoes(qtbot, win):
    win.new_report()
    state = win.state
    grid = goto_table(qtbot, win, "t3").grid
    m = grid.model()
    state.set_cells({"t3.new.natural": 4})
    rect = grid.visualRect(m.index_of("t3.new.natural"))
    right_click(grid, rect.center())
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    texts = [a.text() for a in menu.actions() if a.text()]
    assert any("Copy" in t for t in texts) and any("Paste" in t for t in texts) and any("lear" in t for t in texts)
    assert any("Undo" in t for t in texts)
    assert current_cell(grid) == "t3.new.natural"  # the cell under the mouse
    grid.menu_actions["copy"].trigger()
    menu.close()
    assert QApplication.clipboard().text().strip() == "4"
    # paste it into another cell, by the menu
    rect = grid.visualRect(m.index_of("t3.new.commercial"))
    right_click(grid, rect.center())
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    assert current_cell(grid) == "t3.new.commercial"
    grid.menu_actions["paste"].trigger()
    QApplication.activePopupWidget() and QApplication.activePopupWidget().close()
    assert state.report.values["t3.new.commercial"] == 4
    # clear it, then undo the clearing
    right_click(grid, rect.center())
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    grid.menu_actions["clear"].trigger()
    QApplication.activePopupWidget() and QApplication.activePopupWidget().close()
    assert state.report.values.get("t3.new.commercial") is None
    right_click(grid, rect.center())
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    grid.menu_actions["undo"].trigger()
    QApplication.activePopupWidget() and QApplication.activePopupWidget().close()
    assert state.report.values["t3.new.commercial"] == 4
