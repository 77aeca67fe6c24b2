"""The opening paragraph on the cover page, and what an import left out, as the clerk sees them (real widgets)."""
import sys


import PySide6  # noqa: F401  (required: a missing PySide6 fails, never skips)

from app.textutil import standard_opening
from conftest import ROOT
from ui.qt import QApplication, Qt, QTest
from ui.state import COVER

sys.path.insert(0, str(ROOT / "tests"))
from test_import_whole import OPENING, page_text


def cover(win):
    win.wizard.go(COVER)
    return win.wizard.pages[COVER]


def test_new_report_shows_the_standard_opening_editable(qtbot, win):
    win.new_report()
    page = cover(win)
    page.organ.setText("某某县民政局")
    page.year.setText("2024")
    page.year.editingFinished.emit()
    assert page.opening.toPlainText() == standard_opening("某某县民政局", 2024)
    assert win.state.report.meta.opening == ""  # standard: it follows organ and year
    page.organ.setText("某某县教育局")
    assert "某某县教育局" in page.opening.toPlainText()
    # the clerk writes the office's own opening: typed keys reach the report
    page.opening.setFocus()
    page.opening.selectAll()
    QTest.keyClicks(page.opening, "2024 report")  # keys (an input method commits Chinese text the same way)
    assert win.state.report.meta.opening == "2024 report"
    page.opening.insertPlainText("，本机关编制。")
    assert win.state.report.meta.opening == "2024 report，本机关编制。"
    assert page.opening_note.text()


def test_imported_report_shows_its_opening_and_what_was_left_out(qtbot, win, tmp_path):
    from app.documents import open_report
    src = tmp_path / "last.txt"
    src.write_text(page_text(open_report(ROOT / "tests/fixtures/wuzhong-minzheng-2023.nianbao")), encoding="utf-8")
    assert win.open_path(src)
    page = cover(win)
    assert page.opening.toPlainText() == OPENING
    assert win.state.report.meta.opening == OPENING
    shown = page.imported.text()
    assert page.imported.isVisibleTo(page)
    assert "页码 1 处" in shown and "落款" in shown


def test_date_in_chinese_numerals_is_taken(qtbot, win):
    win.new_report()
    page = cover(win)
    page.date.setFocus()
    page.date.insert("二〇二四年一月二十二日")  # as an input method commits it
    QTest.keyClick(page.date, Qt.Key_Tab)
    assert win.state.report.meta.date == "2024-01-22"
    assert QApplication.focusWidget() is not page.date


def test_a_saved_project_does_not_repeat_the_import_account(qtbot, win, tmp_path):
    from app import project
    from app.documents import open_report
    src = tmp_path / "last.txt"
    src.write_text(page_text(open_report(ROOT / "tests/fixtures/wuzhong-minzheng-2023.nianbao")), encoding="utf-8")
    report = open_report(src)
    project.save(report, tmp_path / "r.nianbao")
    assert project.load(tmp_path / "r.nianbao").extra["import_account"]["source_chars"] > 0  # the record is kept
    assert win.open_path(tmp_path / "r.nianbao")
    page = cover(win)
    assert not page.imported.isVisibleTo(page)
    assert page.opening.toPlainText() == OPENING
