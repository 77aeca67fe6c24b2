"""The real wizard widgets, offscreen: typing, paste, undo, fill, navigation, findings, tints, files."""
import shutil



from app import project, rules, userdata
from app.values import NA
from ui.qt import QApplication, QColor, QKeySequence, QMessageBox, Qt
from ui.qt import QTest
from ui.tablemodel import BLANK, ERROR, OK, TINT, StatusRole
from ui.findings import FindingRole
from ui.wizard import CoverPage, TablePage, TextPage
from uihelp import goto_table, type_into


def new(win):
    win.new_report()
    return win.state


def test_typing_in_the_grid_sets_value_total_and_moves_down(qtbot, win):
    state = new(win)
    page = goto_table(qtbot, win, "t3")
    grid = page.grid
    type_into(qtbot, grid, "t3.new.natural", "4")
    assert state.report.values["t3.new.natural"] == 4
    assert state.report.values["t3.new.total"] == 4
    assert grid.model().index_of("t3.new.total").data() == "4"
    assert grid.currentIndex() == grid.model().index_of("t3.carried_in.natural")  # Enter moved down
    type_into(qtbot, grid, "t3.new.commercial", "2", key=Qt.Key_Tab)
    assert state.report.values["t3.new.total"] == 6
    assert grid.currentIndex() == grid.model().index_of("t3.new.research")  # Tab moved right
    # typing replaces an existing value
    type_into(qtbot, grid, "t3.new.natural", "7")
    assert state.report.values["t3.new.natural"] == 7
    # a bad entry keeps the old value and says which cell (the editor stays open on it: Escape leaves it)
    grid.setCurrentIndex(grid.model().index_of("t3.new.natural"))
    QTest.keyClicks(grid, "x")
    QTest.keyClicks(QApplication.focusWidget(), "1")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key_Return)
    assert state.report.values["t3.new.natural"] == 7
    assert "自然人" in win.statusBar().currentMessage() and "x1" in win.statusBar().currentMessage()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key_Escape)
    qtbot.waitUntil(lambda: grid.state() != grid.State.EditingState)


def test_delete_clears_and_slash_marks_not_applicable(qtbot, win):
    state = new(win)
    grid = goto_table(qtbot, win, "t2").grid
    type_into(qtbot, grid, "t2.regulations.issued", "3")
    grid.setCurrentIndex(grid.model().index_of("t2.regulations.issued"))
    QTest.keyClick(grid, Qt.Key_Slash)
    assert state.report.values["t2.regulations.issued"] is NA
    assert grid.model().index_of("t2.regulations.issued").data() == "/"
    QTest.keyClick(grid, Qt.Key_Delete)
    assert "t2.regulations.issued" not in state.report.values


def test_paste_block_undo_redo_with_keyboard(qtbot, win):
    state = new(win)
    grid = goto_table(qtbot, win, "t3").grid
    grid.setCurrentIndex(grid.model().index_of("t3.new.natural"))
    QApplication.clipboard().setText("1\t2\t0\t0\t0\t0\r\n3\t0\t0\t0\t1\t0\r\n")
    QTest.keySequence(grid, QKeySequence.Paste)
    v = state.report.values
    assert (v["t3.new.total"], v["t3.carried_in.total"], v["t3.carried_in.legal"]) == (3, 4, 1)
    steps = state.undo.count()
    assert steps == 1  # the whole paste is one step
    QTest.keySequence(win, QKeySequence("Ctrl+Z"))
    assert "t3.new.natural" not in state.report.values and "t3.new.total" not in state.report.values
    QTest.keySequence(win, QKeySequence("Ctrl+Y"))
    assert state.report.values["t3.carried_in.total"] == 4


def test_refused_paste_changes_nothing(qtbot, win):
    state = new(win)
    grid = goto_table(qtbot, win, "t3").grid
    grid.setCurrentIndex(grid.model().index_of("t3.new.natural"))
    QApplication.clipboard().setText("1\t2\n3\t-4\n")
    QTest.keySequence(grid, QKeySequence.Paste)
    assert not any(c.startswith("t3.") for c in state.report.values)
    assert state.undo.count() == 0
    assert "-4" in win.statusBar().currentMessage()
    grid.setCurrentIndex(grid.model().index_of("t3.new.total"))
    grid.setCurrentIndex(grid.model().index(3, 8))  # 其他 column: a two-column block runs into 总计 then out
    QApplication.clipboard().setText("1\t2\t3\t4\n")
    QTest.keySequence(grid, QKeySequence.Paste)
    assert state.undo.count() == 0


def test_copy_gives_tab_separated_text(qtbot, win):
    win.open_path(project_path := _copy_fixture(win, "wuzhong-minzheng-2023"))
    grid = goto_table(qtbot, win, "t4").grid
    m = grid.model()
    grid.select_cells(["t4.review.upheld", "t4.review.total"])
    QTest.keySequence(grid, QKeySequence.Copy)
    text = QApplication.clipboard().text()
    row = text.strip("\r\n").split("\t")
    assert len(row) == 5
    assert row[0] == m.index_of("t4.review.upheld").data() and row[4] == m.index_of("t4.review.total").data()
    assert project_path.exists()


def _copy_fixture(win, name):
    import tempfile
    from pathlib import Path
    src = Path(__file__).parent / "fixtures" / f"{name}.nianbao"
    dst = Path(tempfile.mkdtemp()) / src.name
    shutil.copy(src, dst)
    return dst


def test_fill_blanks_is_one_step_and_clears_blank_marks(qtbot, win):
    state = new(win)
    page = goto_table(qtbot, win, "t3")
    m = page.model
    assert m.index_of("t3.new.natural").data(StatusRole) == BLANK
    QTest.mouseClick(page.fill, Qt.LeftButton)
    assert all(state.report.values.get(c) == 0 for c in state.fmt.cells_of("t3"))
    assert m.index_of("t3.new.natural").data(StatusRole) == OK
    assert state.undo.count() == 1
    state.undo.undo()
    assert not any(c.startswith("t3.") for c in state.report.values)


def test_navigation_side_list_and_buttons(qtbot, win):
    new(win)
    wz = win.wizard
    assert wz.current() == "cover" and isinstance(wz.pages["cover"], CoverPage) and wz.pages["cover"].isVisible()
    QTest.mouseClick(wz.next, Qt.LeftButton)
    assert wz.current() == "s1" and isinstance(wz.stack.currentWidget(), TextPage)
    wz.list.setCurrentRow(wz.page_ids.index("t4"))
    assert isinstance(wz.stack.currentWidget(), TablePage) and wz.current() == "t4"
    QTest.mouseClick(wz.back, Qt.LeftButton)
    assert wz.current() == "t3"
    wz.go("check")
    assert not wz.next.isEnabled()


def test_flags_tints_counts_findings_panel_and_fix(qtbot, win):
    path = _copy_fixture(win, "wuzhong-minzheng-2023")
    win.open_path(path)
    state = win.state
    assert rules.counts(state.findings)[0] == 0
    page = goto_table(qtbot, win, "t4")
    grid, m = page.grid, page.model
    # make 总计 of 行政复议 disagree (as an imported report would) by setting it on purpose
    state.set_cells({"t4.review.total": 9})
    e, w = state.counts()
    assert e == 1
    assert win.counts.text() == f"Errors 1 · Warnings {w}"  # (tests run untranslated)
    assert wz_count(win, "t4") == (1, 0)
    assert "✖1" in win.wizard.page_text("t4")
    grid.setCurrentIndex(m.index_of("t4.suit_direct.upheld"))  # the tinted cell is not the selected one
    ix = m.index_of("t4.review.corrected")
    assert ix.data(StatusRole) == ERROR
    assert "总计" in ix.data(Qt.ToolTipRole)
    # the tint is really painted
    grid.viewport().repaint()
    img = grid.viewport().grab().toImage()
    rect = grid.visualRect(ix)
    px = QColor(img.pixel(rect.center().x() - rect.width() // 4, rect.center().y()))
    assert px.red() > 240 and px.green() < 225 and abs(px.green() - TINT[ERROR].green()) < 12
    # findings panel: one line, click jumps to the page and selects the cells
    win.wizard.go("cover")
    items = win.findings.items()
    assert len(items) == e + w
    item = next(i for i in items if "总计" in i.text(3))
    rect = win.findings.tree.visualItemRect(item)
    QTest.mouseClick(win.findings.tree.viewport(), Qt.LeftButton, pos=rect.center())
    assert win.wizard.current() == "t4"
    selected = set(grid.selected_cells())
    assert {"t4.review.upheld", "t4.review.total"} <= selected
    # no one-click fix on a computed total; undoing the wrong total clears the error
    assert win.findings.fix_button(item) is None
    state.undo.undo()
    qtbot.waitUntil(lambda: state.counts()[0] == 0)
    assert state.report.values["t4.review.total"] == sum(
        state.report.values[f"t4.review.{c}"] for c in ("upheld", "corrected", "other", "pending"))
    assert wz_count(win, "t4") == (0, 0)
    assert "✖" not in win.wizard.page_text("t4")


def wz_count(win, pid):
    return win.wizard.list.item(win.wizard.page_ids.index(pid)).data(Qt.UserRole + 1)


def test_cover_and_text_findings_jump(qtbot, win):
    state = new(win)
    cover = win.wizard.pages["cover"]
    QTest.keyClicks(cover.organ, "Test Bureau")  # (QTest cannot type CJK)
    assert state.report.meta.organ == "Test Bureau"
    f = next(f for f in state.findings if f.cells == ["meta.date"])
    win.show_finding(f)
    assert win.wizard.current() == "cover"
    f = next(f for f in state.findings if f.cells == ["s5"])
    win.show_finding(f)
    assert win.wizard.current() == "s5"
    page = win.wizard.pages["s5"]
    QTest.mouseClick(page.insert_buttons[0], Qt.LeftButton)
    QTest.keyClicks(page.editor, "none")
    assert state.report.sections["s5"].startswith(state.fmt.section("s5")["subheadings"][0] + "\nnone")
    # no longer missing; one word is still empty of substance (TEXT.S5_SUBSTANCE)
    assert [f.rule for f in state.findings if f.cells == ["s5"]] == ["TEXT.S5_SUBSTANCE"]
    assert page.count.text().endswith(str(len(state.report.sections["s5"].replace("\n", ""))))


def test_review_marks_are_shown(qtbot, win):
    path = _copy_fixture(win, "pingqiao-minzheng-2024")
    report = project.load(path)
    report.review["t3.new.natural"] = "原表格此处有改动痕迹"
    project.save(report, path)
    win.open_path(path)
    page = goto_table(qtbot, win, "t3")
    ix = page.model.index_of("t3.new.natural")
    assert "原表格此处有改动痕迹" in ix.data(Qt.ToolTipRole)
    assert any(f.rule == "IMPORT.REVIEW" for f in win.state.findings)
    page.grid.viewport().repaint()
    img = page.grid.viewport().grab().toImage()
    r = page.grid.visualRect(ix)
    px = QColor(img.pixel(r.left() + 3, r.top() + 3))  # the blue corner mark
    assert px.blue() > 150 and px.red() < 120


def test_open_failure_shows_the_reason_and_changes_nothing(qtbot, win, tmp_path):
    path = _copy_fixture(win, "weihui-minzheng-2022")
    win.open_path(path)
    before = win.state
    bad = tmp_path / "broken.nianbao"
    bad.write_text("{broken", encoding="utf-8")
    assert not win.open_path(bad)
    box = win.last_message_box
    assert box is not None and "broken.nianbao" in box.text() and "损坏" in box.text()
    assert win.state is before and win.state.path == str(path)
    box.close()
    assert not win.open_path(tmp_path / "report.xyz")
    assert "无法打开" in win.last_message_box.text()
    win.last_message_box.close()


def test_save_as_and_recent_files(qtbot, win, tmp_path, monkeypatch):
    state = new(win)
    state.set_meta("organ", "保存测试局")
    assert state.dirty and win.windowTitle().startswith("*")
    target = tmp_path / "saved.nianbao"
    assert win.save_to(target)
    assert not state.dirty and not win.windowTitle().startswith("*")
    assert project.load(target).meta.organ == "保存测试局"
    assert userdata.recent_files()[0] == target.resolve()
    assert win.start.recent.item(0).data(Qt.UserRole) == str(target.resolve())


def test_new_from_last_year(qtbot, win):
    path = _copy_fixture(win, "wuzhong-minzheng-2023")
    last = project.load(path)
    assert win.new_from_last_year_path(path)
    r = win.state.report
    assert r.meta.year == last.meta.year + 1 and r.meta.organ == last.meta.organ
    assert r.values["t3.carried_in.natural"] == last.values["t3.carried_out.natural"]
    assert r.previous is not None and win.state.path is None
    assert "wuzhong" not in win.windowTitle()


def test_demo_is_opened_untitled(qtbot, win):
    win.open_demo()
    assert win.state.path is None and win.state.report.meta.organ


def test_f1_help_is_about_the_current_page(qtbot, win):
    state = new(win)
    win.wizard.go("s6")
    QTest.keyClick(win, Qt.Key_F1)
    box = win.last_message_box
    assert isinstance(box, QMessageBox) and "信息处理费" in box.text()
    box.close()
    assert state is win.state


def test_check_page_list_catches_up_with_edits_made_while_it_was_hidden(qtbot, win, fixture_path):
    assert win.open_path(fixture_path("wuzhong-minzheng-2023"))
    panel = win.wizard.pages["check"].panel
    page = goto_table(qtbot, win, "t3")
    before = win.findings.tree.topLevelItemCount()
    type_into(qtbot, page.grid, "t3.granted.natural", "999")
    # the dock (visible) lists the new error at once
    assert win.findings.tree.topLevelItemCount() == before + 2  # the row and the column no longer add up
    win.wizard.go("check")
    qtbot.waitUntil(panel.isVisible)
    tree = panel.tree  # read the widget itself, not through items(), which would bring it up to date
    rules_listed = [tree.topLevelItem(i).data(0, FindingRole) for i in range(tree.topLevelItemCount())]
    assert tree.topLevelItemCount() == len(win.state.findings) == before + 2
    assert sum(f.rule.startswith("T3.") for f in rules_listed if f is not None) >= 2
