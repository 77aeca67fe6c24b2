"""Typing and pasting into the grids as a clerk does from last year's Word table: Tab passes over computed totals
(as Excel passes over protected cells), a key typed on a total is refused in sight, rows copied with their labels
give their numbers (and the labels left out are said), and the status-bar line stays clear of the counts and is
replaced by the next paste. Real key events on real widgets (offscreen)."""

import PySide6  # noqa: F401  (required: a missing PySide6 fails, never skips)

from ui.qt import QApplication, QImage, QKeySequence, Qt, QTest
from uihelp import goto_table

COLS = ("natural", "commercial", "research", "social", "legal", "other_org")


def current_cell(grid):
    ix = grid.currentIndex()
    return grid.model().cell_at(ix.row(), ix.column())


def click_cell(grid, index):
    """A real mouse click on the cell (scrolled into sight first), as the clerk picks where to paste."""
    grid.scrollTo(index)
    QApplication.processEvents()
    QTest.mouseClick(grid.viewport(), Qt.LeftButton, Qt.NoModifier, grid.visualRect(index).center())
    assert grid.currentIndex().row() == index.row()


def test_tab_passes_over_totals_and_no_typed_digit_is_lost(qtbot, win):
    win.new_report()
    grid = goto_table(qtbot, win, "t3").grid
    m = grid.model()
    grid.setCurrentIndex(m.index_of("t3.new.natural"))
    typed = "1234567890123"  # 13 digits, each followed by Tab, over two rows and a bit
    for d in typed:
        QTest.keyClicks(grid, d)  # opens the editor with the digit
        editor = QApplication.focusWidget()
        assert editor is not grid, f"typing {d} on {current_cell(grid)} opened no editor"
        QTest.keyClick(editor, Qt.Key_Tab)
        qtbot.waitUntil(lambda: grid.state() != grid.State.EditingState)
        assert current_cell(grid) not in m.computed, current_cell(grid)
    values = win.state.report.values
    got = [values.get(f"t3.new.{c}") for c in COLS] + [values.get(f"t3.carried_in.{c}") for c in COLS] \
        + [values.get("t3.granted.natural")]
    assert got == [int(d) for d in typed]
    assert values["t3.new.total"] == sum(int(d) for d in typed[:6])  # the total filled itself


def test_shift_tab_passes_over_totals_too(qtbot, win):
    win.new_report()
    grid = goto_table(qtbot, win, "t3").grid
    m = grid.model()
    grid.setCurrentIndex(m.index_of("t3.carried_in.natural"))
    QTest.keyClick(grid, Qt.Key_Backtab)
    assert current_cell(grid) == "t3.new.other_org"


def test_a_digit_typed_on_a_total_is_refused_in_sight(qtbot, win):
    win.new_report()
    grid = goto_table(qtbot, win, "t3").grid
    m = grid.model()
    grid.setCurrentIndex(m.index_of("t3.new.total"))
    QTest.keyClicks(grid, "5")
    assert "t3.new.total" not in win.state.report.values
    assert grid.balloon.isVisible() and grid.balloon_cell == "t3.new.total"
    assert "automatically" in grid.balloon.text()
    assert "automatically" in win.statusBar().currentMessage()
    QTest.keyClick(grid, Qt.Key_Escape)
    assert not grid.balloon.isVisible()


WORD_ROWS = ("一、本年新收政府信息公开申请数量\t5\t0\t0\t1\t0\t0\t6\n"
             "二、上年结转政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n")


def test_rows_copied_with_their_labels_give_their_numbers(qtbot, win):
    win.new_report()
    grid = goto_table(qtbot, win, "t3").grid
    m = grid.model()
    grid.setCurrentIndex(m.index_of("t3.new.natural"))
    QApplication.clipboard().setText(WORD_ROWS)
    QTest.keySequence(grid, QKeySequence.Paste)
    v = win.state.report.values
    assert [v.get(f"t3.new.{c}") for c in COLS] == [5, 0, 0, 1, 0, 0]
    assert [v.get(f"t3.carried_in.{c}") for c in COLS] == [1, 0, 0, 0, 0, 0]
    assert v["t3.new.total"] == 6 and v["t3.carried_in.total"] == 1
    msg = win.statusBar().currentMessage()
    assert "labels" in msg and "一、本年新收政府信息公开申请数量" in msg, msg  # what was left out is said


def test_rows_with_labels_pasted_on_the_label_column_too(qtbot, win):
    """Pasted with the label cell selected (where the copied block starts): the same numbers land."""
    win.new_report()
    grid = goto_table(qtbot, win, "t3").grid
    m = grid.model()
    r, c = m.positions["t3.new.natural"]
    click_cell(grid, m.index(r, c - 1))
    assert m.cell_at(r, grid.currentIndex().column()) is None  # a label cell is current
    QApplication.clipboard().setText(WORD_ROWS)
    QTest.keySequence(grid, QKeySequence.Paste)
    v = win.state.report.values
    assert [v.get(f"t3.new.{c}") for c in COLS] == [5, 0, 0, 1, 0, 0]


def test_a_later_paste_replaces_the_message_of_a_refused_one(qtbot, win):
    win.new_report()
    grid = goto_table(qtbot, win, "t3").grid
    m = grid.model()
    grid.setCurrentIndex(m.index_of("t3.new.natural"))
    QApplication.clipboard().setText("5\tabc\n")
    QTest.keySequence(grid, QKeySequence.Paste)
    refused = win.statusBar().currentMessage()
    assert "Nothing was pasted" in refused or "nothing was pasted" in refused, refused
    QApplication.clipboard().setText("5\t1\n")
    QTest.keySequence(grid, QKeySequence.Paste)
    assert win.state.report.values["t3.new.commercial"] == 1
    assert win.statusBar().currentMessage() != refused
    assert "othing was pasted" not in win.statusBar().currentMessage()


def _counts_pixels(win) -> QImage:
    sb = win.statusBar()
    img = sb.grab().toImage()
    g = win.counts.geometry()
    return img.copy(g.adjusted(-4, 0, 0, 0))


def test_a_long_status_message_never_covers_the_counts(qtbot, win):
    win.new_report()
    win.resize(1093, 582)
    qtbot.waitUntil(lambda: win.width() <= 1093)
    QApplication.processEvents()
    win.statusBar().clearMessage()
    QApplication.processEvents()
    before = _counts_pixels(win)
    long = "合计是自动计算的，未粘贴：" + "表三总计列「一、本年新收政府信息公开申请数量」（5）、" * 6 + "请核对数字。"
    win.show_message(long)
    QApplication.processEvents()
    assert win.statusBar().currentMessage() == long  # the whole of it is kept (and shown as the tooltip)
    assert _counts_pixels(win) == before  # the counts and the gap before them are not painted over


def test_rows_under_a_merged_label_keep_their_columns(qtbot, win):
    """Word copies a merged row label (三、本年度办理结果) into its first row only: the rows under it start with an
    empty field, which is the label's, not the first value's."""
    win.new_report()
    grid = goto_table(qtbot, win, "t3").grid
    m = grid.model()
    click_cell(grid, m.index_of("t3.granted.natural"))
    assert current_cell(grid) == "t3.granted.natural"
    QApplication.clipboard().setText("三、本年度办理结果\t（一）予以公开\t3\t0\t0\t0\t0\t2\t5\n"
                                     "\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t1\t0\t0\t0\t0\t0\t1\n")
    QTest.keySequence(grid, QKeySequence.Paste)
    v = win.state.report.values
    assert [v.get(f"t3.granted.{c}") for c in COLS] == [3, 0, 0, 0, 0, 2], win.statusBar().currentMessage()
    assert [v.get(f"t3.partial.{c}") for c in COLS] == [1, 0, 0, 0, 0, 0]


def test_enter_down_a_column_passes_over_its_totals(qtbot, win):
    """Typing a column with Enter (as a clerk copies last year's column): （七）总计 is passed over, every number
    lands in a cell one types into."""
    win.new_report()
    grid = goto_table(qtbot, win, "t3").grid
    m = grid.model()
    click_cell(grid, m.index_of("t3.new.natural"))
    seen = []
    for _ in range(30):
        QTest.keyClick(grid, Qt.Key_Return)
        seen.append(current_cell(grid))
        if current_cell(grid).endswith(".commercial"):
            break
    assert "t3.carried_out.natural" in seen
    assert not [c for c in seen if c in m.computed], seen
