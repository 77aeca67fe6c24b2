"""Export buttons of the check page call the real exporters; the files are read back."""
import shutil



import app.export  # noqa: F401  (part of the program: if it cannot be imported, that is a failure, not a skip)
from ui.export import export_to


def test_check_page_has_export_buttons(win, fixture_path, tmp_path):
    path = tmp_path / "r.nianbao"
    shutil.copy(fixture_path("wuzhong-minzheng-2023"), path)
    win.open_path(path)
    page = win.wizard.pages["check"]
    assert set(page.export_buttons) == {".docx", ".pdf", ".xlsx"}


def test_export_word_and_excel_read_back(win, fixture_path, tmp_path):
    import docx
    import openpyxl
    src = tmp_path / "r.nianbao"
    shutil.copy(fixture_path("wuzhong-minzheng-2023"), src)
    win.open_path(src)
    report = win.state.report
    out = tmp_path / "out.docx"
    assert export_to(win, out)
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert report.meta.organ in text
    assert str(out) in win.statusBar().currentMessage()
    xl = tmp_path / "out.xlsx"
    assert export_to(win, xl)
    wb = openpyxl.load_workbook(xl)
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert any("本年新收政府信息公开申请数量" in c for c in cells)


def test_export_with_errors_is_refused_unless_confirmed(win, fixture_path, tmp_path):
    src = tmp_path / "r.nianbao"
    shutil.copy(fixture_path("wuzhong-minzheng-2023"), src)
    win.open_path(src)
    win.state.set_cells({"t4.review.total": 99})
    assert win.state.counts()[0] == 1
    out = tmp_path / "draft.docx"
    assert not export_to(win, out)
    assert not out.exists()
    assert "错误" in win.last_message_box.text()
    win.last_message_box.close()
    assert export_to(win, out, force=True)  # what the clerk's "export anyway" does
    assert out.stat().st_size > 0


def test_the_export_question_reads_in_order_total_then_part_then_question(win, qapp):
    """On a report with blanks: the total first, then how many of them are blanks, then the question — one
    Chinese paragraph, no stray space between its sentences."""
    from uihelp import Answer, click

    from ui.export import confirm_errors
    from ui.main import install_translation
    from ui.qt import QMessageBox
    win.new_report()
    assert install_translation(qapp, "zh_CN") == "zh_CN"
    try:
        answer = Answer(click(QMessageBox.No))
        assert confirm_errors(win) is False
    finally:
        install_translation(qapp, "en")
    text = answer.seen[0].text()
    e, _ = win.state.counts()
    _, _, t = win.state.screen_counts()
    assert t and text.startswith(f"报告还有 {e} 处错误"), text
    assert text.index("其中") < text.index("仍要导出"), text
    assert "。 " not in text and "） " not in text, text
