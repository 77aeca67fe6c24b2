"""Cover page and narrative pages with the real widgets, offscreen (Chinese interface where messages are checked)."""
import pytest


from app import project
from ui.main import install_translation
from ui.qt import QApplication, QInputMethodEvent, QKeySequence, Qt, QTextCursor
from ui.qt import QTest
from ui.wizard import parse_date, parse_year

FIXTURE = "wuzhong-minzheng-2023"


@pytest.fixture
def chinese(qapp):
    install_translation(qapp, "zh_CN")
    yield
    install_translation(qapp, "en")


def ime(widget, text):
    """Type text the way a Chinese input method delivers it (a commit string)."""
    ev = QInputMethodEvent()
    ev.setCommitString(text)
    QApplication.sendEvent(widget, ev)


def enter(qtbot, field, text):
    """Select the field's text, type over it and press Enter."""
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    field.selectAll()
    QTest.keyClicks(field, text) if text.isascii() else ime(field, text)
    QTest.keyClick(field, Qt.Key_Return)


def findings_of(state, cell):
    return [f.rule for f in state.findings if cell in f.cells]


def test_cover_edits_reach_the_model_title_and_findings(qtbot, win, fixture_path, chinese):
    win.open_path(fixture_path(FIXTURE))
    state = win.state
    cover = win.wizard.pages["cover"]
    assert cover.year.text() == "2023" and cover.date.text() == state.report.meta.date
    assert cover.title.text() == "吴忠市民政局2023年政府信息公开工作年度报告"
    # organ, typed through the input method: model, title, and the page count in the side list
    cover.organ.setFocus()
    cover.organ.selectAll()
    QTest.keyClick(cover.organ, Qt.Key_Delete)
    assert state.report.meta.organ == "" and "META.REQUIRED" in findings_of(state, "meta.organ")
    # not filled in yet: a dotted frame (as a blank cell), not the error style
    assert "缺少机关名称" in cover.organ.toolTip() and "dotted" in cover.organ.styleSheet()
    assert "solid" not in cover.organ.styleSheet()
    assert cover.title.text() == "（请填写机关名称和报告年度）"
    ime(cover.organ, "青铜峡市民政局")
    assert state.report.meta.organ == "青铜峡市民政局"
    assert cover.title.text() == "青铜峡市民政局2023年政府信息公开工作年度报告"
    assert not findings_of(state, "meta.organ") and cover.organ.toolTip() == ""
    # year: the stale-year warning of the narrative follows the year
    assert "TEXT.STALE_YEAR" not in [f.rule for f in state.findings]
    enter(qtbot, cover.year, "2024年")
    assert state.report.meta.year == 2024 and cover.year.text() == "2024"
    assert cover.title.text() == "青铜峡市民政局2024年政府信息公开工作年度报告"
    assert "TEXT.STALE_YEAR" in [f.rule for f in state.findings]
    assert "〔" in win.wizard.page_text("s1")  # the page list shows the new warning on 一、总体情况
    # date, typed the Chinese way, stored as ISO; a date before the report year is an error on the field
    enter(qtbot, cover.date, "2025年1月20日")
    assert state.report.meta.date == "2025-01-20" and cover.date.text() == "2025-01-20"
    enter(qtbot, cover.date, "2023/12/31")
    assert state.report.meta.date == "2023-12-31" and "META.REQUIRED" in findings_of(state, "meta.date")
    assert "早于报告年度" in cover.date.toolTip()
    # contact
    enter(qtbot, cover.contact, "0953-1234567")
    assert state.report.meta.contact == "0953-1234567"
    # the report's undo (focus outside the fields): one step per field, consecutive edits of a field merge
    win.wizard.list.setFocus()
    qtbot.waitUntil(win.wizard.list.hasFocus)
    win.undo_action.trigger()  # contact
    assert state.report.meta.contact == "" and cover.contact.text() == ""
    win.undo_action.trigger()  # both dates
    assert state.report.meta.date == project.load(fixture_path(FIXTURE)).meta.date
    win.undo_action.trigger()  # year
    assert state.report.meta.year == 2023 and cover.year.text() == "2023"
    assert cover.title.text() == "青铜峡市民政局2023年政府信息公开工作年度报告"
    assert "TEXT.STALE_YEAR" not in [f.rule for f in state.findings]


def test_bad_year_and_date_are_refused_with_a_message(qtbot, win, fixture_path, chinese):
    win.open_path(fixture_path(FIXTURE))
    state = win.state
    cover = win.wizard.pages["cover"]
    old_date = state.report.meta.date
    steps = state.undo.count()
    for bad in ("20x3", "123", "3024", "二〇二"):
        enter(qtbot, cover.year, bad)
        assert state.report.meta.year == 2023 and cover.year.text() == "2023"  # previous value kept and shown
        msg = cover.problem.text()
        assert cover.problem.isVisible() and "报告年度" in msg and bad in msg and "2023" in msg, msg
        assert win.statusBar().currentMessage() == msg
    for bad in ("2024-02-30", "2024-13-01", "明天", "16.01.2024"):
        enter(qtbot, cover.date, bad)
        assert state.report.meta.date == old_date and cover.date.text() == old_date
        msg = cover.problem.text()
        assert "成文日期" in msg and bad in msg and old_date in msg, msg
    assert state.undo.count() == steps and not state.dirty
    # a good value clears the message
    enter(qtbot, cover.year, "２０２３")
    assert not cover.problem.isVisible()
    # the calendar sets the date too
    from ui.qt import QDate
    cover.calendar.clicked.emit(QDate(2024, 2, 1))
    assert state.report.meta.date == "2024-02-01" and cover.date.text() == "2024-02-01"


def test_year_and_date_parsing():
    assert parse_year(" 2023年度 ") == 2023 and parse_year("") is None
    assert parse_year("二〇二三年") == 2023 and parse_year("２０２３ 年度") == 2023 and parse_year("2023\u3000") == 2023
    assert parse_date("2024.1.6") == "2024-01-06" and parse_date("20240116") == "2024-01-16"
    assert parse_date("2024 年 1 月 16 日") == "2024-01-16" and parse_date(" ") == ""
    for bad in ("1989", "2101", "23", "2023-2024", "二〇二", "二〇二三四", "²⁰²³"):
        with pytest.raises(ValueError):
            parse_year(bad)
    for bad in ("2024-1", "1900-01-01", "2024-02-30"):
        with pytest.raises(ValueError):
            parse_date(bad)


@pytest.mark.parametrize("sid", ["s1", "s5", "s6"])
def test_narrative_page_typing_count_undo_heading_guidance(qtbot, win, sid):
    win.new_report()
    state = win.state
    win.wizard.go(sid, focus=True)
    page = win.wizard.pages[sid]
    ed = page.editor
    qtbot.waitUntil(ed.hasFocus)
    sec = state.fmt.section(sid)
    # the official guidance and notes of the format are shown beside the editor
    assert page.guidance.text() == sec["guidance"] and page.guidance.isVisible()
    shown = [lab.text() for lab in page.findChildren(type(page.count)) if lab.isVisible()]
    for note in sec.get("notes", []):
        assert "• " + note in shown
    assert [b.text() for b in page.insert_buttons] == sec["subheadings"]
    # typing updates the report and the character count (spaces and line breaks are not counted)
    ime(ed, "本年度工作")
    QTest.keyClicks(ed, " ok")
    assert state.report.sections[sid] == "本年度工作 ok"
    assert page.count.text() == "Characters: 7"
    assert state.dirty and win.windowTitle().startswith("*")
    # the insert-heading helper: in the middle of a line the heading starts a line of its own, at the cursor
    cur = ed.textCursor()
    cur.setPosition(5)  # after 本年度工作
    ed.setTextCursor(cur)
    first, second = sec["subheadings"][:2]
    QTest.mouseClick(page.insert_buttons[1], Qt.LeftButton)
    assert state.report.sections[sid] == f"本年度工作\n{second}\n ok"
    assert ed.hasFocus() and ed.textCursor().block().text() == " ok"  # typing goes on under the heading
    ed.moveCursor(QTextCursor.Start)
    QTest.mouseClick(page.insert_buttons[0], Qt.LeftButton)
    assert state.report.sections[sid].startswith(f"{first}\n本年度工作\n{second}")
    n = len(f"{first}本年度工作{second}ok")
    assert page.count.text() == f"Characters: {n}"
    # undo (Ctrl+Z in the editor): one heading insert is one step; the report and the count follow
    QTest.keySequence(ed, QKeySequence.Undo)
    assert state.report.sections[sid] == f"本年度工作\n{second}\n ok"
    QTest.keySequence(ed, QKeySequence.Undo)
    assert state.report.sections[sid] == "本年度工作 ok" and page.count.text() == "Characters: 7"
    QTest.keySequence(ed, QKeySequence.Redo)
    assert state.report.sections[sid] == f"本年度工作\n{second}\n ok"
    # the section's required-text finding follows the text
    ed.selectAll()
    QTest.keyClick(ed, Qt.Key_Delete)
    assert state.report.sections[sid] == "" and page.count.text() == "Characters: 0"
    assert any(f.cells == [sid] and f.rule == "META.REQUIRED" for f in state.findings)


def test_narrative_guidance_in_chinese_interface(qtbot, win, chinese):
    win.new_report()
    win.wizard.go("s6")
    page = win.wizard.pages["s6"]
    assert "信息处理费" in page.guidance.text()
    assert page.count.text() == "字数：0"


def test_typed_year_and_cell_are_saved_without_leaving_the_field(qtbot, win, tmp_path, fixture_path):
    """Ctrl+S (or closing) while still in the year field or in a cell editor keeps what was typed."""
    import shutil
    path = tmp_path / "r.nianbao"
    shutil.copy(fixture_path(FIXTURE), path)
    win.open_path(path)
    cover = win.wizard.pages["cover"]
    cover.year.setFocus()
    qtbot.waitUntil(cover.year.hasFocus)
    cover.year.selectAll()
    QTest.keyClicks(cover.year, "2024")
    assert win.state.report.meta.year == 2023  # not entered yet
    QTest.keySequence(cover.year, QKeySequence.Save)
    assert project.load(path).meta.year == 2024
    win.wizard.go("t4", focus=True)
    grid = win.wizard.pages["t4"].grid
    qtbot.waitUntil(grid.hasFocus)
    QTest.keyClick(grid, Qt.Key_8)
    assert grid.state() == grid.State.EditingState
    QTest.keySequence(QApplication.focusWidget(), QKeySequence.Save)
    assert project.load(path).values["t4.review.upheld"] == 8 and not win.state.dirty


def test_the_cover_says_when_the_attached_report_is_not_used(win, fixture_path):
    """Last year's report attached, then the clerk changes the year: the cover no longer says it is used for the
    cross-year checks (YEAR.PREVIOUS says why among the findings)."""
    from app import project
    win.open_path(fixture_path(FIXTURE))
    cover = win.wizard.pages["cover"]
    last = project.load(fixture_path(FIXTURE))
    last.meta.year = win.state.report.meta.year - 1
    win.state.report.previous = last
    cover.refresh()
    assert "it is used for the cross-year checks" in cover.previous.text()
    last.meta.year = win.state.report.meta.year  # the same year: not last year's report
    cover.refresh()
    assert "do not use it" in cover.previous.text() and "it is used" not in cover.previous.text()
