"""文件 → 从上年报告新建 from a file whose organ and year could not be read: the clerk is told at once, the cover
lists what the reading left out (as opening the file does), nothing reads "年政府信息公开工作年度报告" or
"统计期限为年1月1日", and Save as proposes no such name. A loaded file's totals that were refilled are said."""
import json
import sys
from pathlib import Path

import PySide6  # noqa: F401  (required: a missing PySide6 fails, never skips)

from app import project
from app.document import standard_opening as printed_opening
from app.model import new_report
from app.textutil import standard_opening
from conftest import ROOT
from ui.state import COVER

sys.path.insert(0, str(ROOT / "tests"))
from test_import_whole import page_text


def badly_read(tmp_path) -> Path:
    """Last year's report as text without its title, organ or year (a scan's text, a page saved without its head)."""
    from app.documents import open_report
    text = page_text(open_report(ROOT / "tests/fixtures/wuzhong-minzheng-2023.nianbao"))
    lines = [ln for ln in text.splitlines() if not any(w in ln for w in ("吴忠", "台儿庄", "2023", "2024"))]
    src = tmp_path / "上年.txt"
    src.write_text("\n".join(lines), encoding="utf-8")
    return src


def test_new_from_a_badly_read_report_says_so(qtbot, win, tmp_path):
    src = badly_read(tmp_path)
    assert win.new_from_last_year_path(src)
    r = win.state.report
    assert not r.meta.organ and r.meta.year is None
    box = win.last_message_box
    assert box.isVisible() and "organ" in box.text() and "year" in box.text() and "上年.txt" in box.text()
    box.close()
    win.wizard.go(COVER)
    page = win.wizard.pages[COVER]
    assert page.imported.isVisibleTo(page)
    shown = page.imported.text()
    assert "页码" in shown and "没有找到" in shown, shown  # the summary and the notes, as opening it shows them
    assert "年政府信息公开工作年度报告" not in page.previous.text()
    assert "not recognised" in page.previous.text()
    opening = page.opening.toPlainText()
    assert "为年1月1日" not in opening and "本年度1月1日" in opening
    assert not Path(win.suggested_path()).name.startswith("年")
    assert Path(win.suggested_path()).parent == src.parent


def test_an_unknown_year_never_prints_as_nothing():
    for opening in (standard_opening("", None), printed_opening("某局", None)):
        assert "为年1月1日" not in opening and "本年度1月1日至12月31日" in opening
    assert "2024年1月1日" in printed_opening("某局", 2024)


def test_opening_a_file_whose_totals_were_refilled_says_so(qtbot, win, tmp_path):
    r = new_report()
    r.meta.organ, r.meta.year = "示例市民政局", 2025
    r.values["t3.carried_in.natural"] = 1
    data = project.report_to_dict(r)
    data["values"]["t3.carried_in.total"] = 4
    p = tmp_path / "a.nianbao"
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert win.open_path(p)
    assert win.state.report.values["t3.carried_in.total"] == 1
    assert win.state.dirty  # the file still holds 4: saving corrects it, closing asks
    box = win.last_message_box
    assert box.isVisible() and "原为“4”，现为“1”" in box.text()
    box.close()
