"""The desk window (审核台) offscreen with real widgets: rows as files are read, progress and cancel, worst first,
filters, unreadable and missing rows, a report opened read-only, 确认/排除 with a comment, notices written."""
import json
import random
import time

import pytest

import PySide6  # noqa: F401  (required: a missing PySide6 fails, never skips)

from docx import Document

from app.review import DECISIONS_NAME
from fuzz.docs import docx_from_report
from reviewhelp import realistic_report, save
from ui.qt import QDialogButtonBox, Qt, QTest
from ui.review import DeskWindow, OutputDialog


def _folder(tmp_path):
    d = tmp_path / "年报"
    d.mkdir()
    rng = random.Random(9)
    t0 = time.time() - 1000
    save(realistic_report(rng, "淮安市民政局", 2024), d / "民政.nianbao", t0)
    edu = realistic_report(rng, "淮安市教育局", 2024)
    edu.values["t3.new.natural"] = edu.values["t3.new.natural"] + 1
    save(edu, d / "教育.nianbao", t0)
    late = realistic_report(rng, "淮安市水利局", 2024)
    late.meta.date = "2025-03-01"
    save(late, d / "水利.nianbao", t0)
    for i in range(6):
        save(realistic_report(rng, f"淮安市第{i}局", 2024), d / f"r{i}.nianbao", t0)
    (d / "坏文件.docx").write_bytes(b"PK\x03\x04broken")
    return d


def _rows(win):
    return [[win.model.data(win.model.index(r, c)) for c in range(win.model.columnCount())]
            for r in range(win.model.rowCount())]


@pytest.fixture
def desk(qtbot, tmp_path):
    d = _folder(tmp_path)
    win = DeskWindow(d, roster=["淮安市民政局", "淮安市教育局", "淮安市水利局", "淮安市卫生健康委员会"], jobs=2)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.finished, timeout=120_000)
    yield win
    win.close()


def test_rows_worst_first_unreadable_and_missing(desk, qtbot):
    rows = _rows(desk)
    assert desk.progress.value() == desk.progress.maximum() == 10
    assert rows[0][0] == "无法读取" and rows[0][8] == "坏文件.docx" and rows[0][7]  # with its reason
    assert rows[1][1] == "淮安市教育局" and int(rows[1][3]) >= 1  # the report with errors next
    assert rows[-1][0] == "未提交" and rows[-1][1] == "淮安市卫生健康委员会"
    late = next(r for r in rows if r[1] == "淮安市水利局")
    assert late[5] == "是"
    assert any("名单外" in r[7] for r in rows)
    assert "未提交 1 家" in desk.summary.text() and "无法读取 1 个" in desk.summary.text()


def test_filters(desk, qtbot):
    desk.filter_edit.insert("水利")  # (QTest types Latin-1 only; the Xvfb session types Chinese)
    assert [r[1] for r in _rows(desk)] == ["淮安市水利局"]
    desk.filter_edit.clear()
    desk.status_box.setCurrentText("无法读取")
    assert [r[8] for r in _rows(desk)] == ["坏文件.docx"]
    desk.status_box.setCurrentText("有错误")
    assert [r[1] for r in _rows(desk)] == ["淮安市教育局"]
    desk.status_box.setCurrentText("全部")
    assert len(_rows(desk)) == 11


def test_open_report_decide_and_counts_follow(desk, qtbot, tmp_path):
    row = next(i for i, r in enumerate(_rows(desk)) if r[1] == "淮安市教育局")
    dialog = desk.open_row(row)
    qtbot.waitUntil(dialog.isVisible)
    assert "淮安市教育局" in dialog.view.toPlainText() and "只读" in dialog.windowTitle()
    errors = [k for k, f in enumerate(dialog.entry.findings) if f.severity == "error"]
    for k in errors:
        dialog.findings.selectRow(k)
        dialog.comment.clear()
        dialog.comment.insert("已电话核实")
        QTest.mouseClick(dialog.dismiss_button, Qt.LeftButton)
    saved = json.loads((desk.folder / DECISIONS_NAME).read_text(encoding="utf-8"))["decisions"]
    assert len(saved) == len(errors) and {d["status"] for d in saved} == {"dismissed"}
    assert saved[0]["comment"] == "已电话核实"
    assert dialog.findings.item(errors[0], 3).text() == "已排除：已电话核实"
    qtbot.waitUntil(lambda: next(r for r in _rows(desk) if r[1] == "淮安市教育局")[3] == "0")
    # 确认 one: the report is 已退回
    warn = next((k for k, f in enumerate(dialog.entry.findings) if f.severity != "error"), None)
    if warn is not None:
        dialog.findings.selectRow(warn)
        QTest.mouseClick(dialog.confirm_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: next(r for r in _rows(desk) if r[1] == "淮安市教育局")[0] == "已退回")
    dialog.close()


def test_notices_from_the_button(desk, qtbot, tmp_path):
    QTest.mouseClick(desk.notice_button, Qt.LeftButton)
    dialog = next(d for d in desk.dialogs if isinstance(d, OutputDialog))
    out = tmp_path / "通知"
    dialog.target.setText(str(out))
    dialog.office.insert("淮安市政务公开办")
    QTest.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    names = sorted(p.name for p in out.iterdir())
    assert "整改通知-淮安市教育局2024年度.docx" in names and "整改通知-淮安市水利局2024年度.docx" in names
    paras = [p.text for p in Document(out / "整改通知-淮安市教育局2024年度.docx").paragraphs if p.text.strip()]
    assert paras[1] == "淮安市教育局：" and paras[-2] == "淮安市政务公开办"
    assert "已写入整改通知" in desk.statusBar().currentMessage()


def test_cancel_keeps_what_was_read(qtbot, tmp_path):
    d = tmp_path / "many"
    d.mkdir()
    for i in range(40):
        docx_from_report(realistic_report(random.Random(i), f"第{i}县民政局", 2024), d / f"r{i:02d}.docx")
    win = DeskWindow(d, jobs=1)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: len(win.review.entries) >= 1, timeout=60_000)
    QTest.mouseClick(win.cancel_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: win.finished, timeout=60_000)
    n = len(win.review.entries)
    assert 1 <= n < 40 and win.model.rowCount() == n
    assert "已取消" in win.progress.format()
    assert not win.cancel_button.isVisible() and win.notice_button.isEnabled()
    win.close()


def test_roster_loaded_from_the_window(qtbot, tmp_path):
    d = _folder(tmp_path)
    win = DeskWindow(d, jobs=1)
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.finished, timeout=120_000)
    assert not any(r[0] == "未提交" for r in _rows(win))
    roster = tmp_path / "名单.txt"
    roster.write_text("淮安市民政局\n淮安市档案馆\n", encoding="utf-8")
    assert win.load_roster(roster)
    rows = _rows(win)
    assert rows[-1][:2] == ["未提交", "淮安市档案馆"]
    assert sum(1 for r in rows if "名单外" in r[7]) == 8  # every other readable report
    win.close()


def test_bulletin_from_the_button(desk, qtbot, tmp_path):
    from openpyxl import load_workbook
    QTest.mouseClick(desk.bulletin_button, Qt.LeftButton)
    dialog = next(d for d in desk.dialogs if isinstance(d, OutputDialog) and d.kind == "bulletin")
    dialog.target.setText(str(tmp_path / "通报.txt"))
    QTest.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert ".docx" in dialog.message.text() and dialog.isVisible()  # refused, said why, still open
    dialog.target.setText(str(tmp_path / "通报.xlsx"))
    QTest.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    wb = load_workbook(tmp_path / "通报.xlsx")
    missing = [list(r) for r in wb["未按时与未提交"].iter_rows(values_only=True)]
    assert ["未提交", "淮安市卫生健康委员会"] in missing and ["未按时发布", "淮安市水利局"] in missing
    assert not dialog.isVisible() and "已写入通报" in desk.statusBar().currentMessage()


def test_a_broken_decisions_file_is_shown_and_left_alone(qtbot, tmp_path):
    d = _folder(tmp_path)
    (d / DECISIONS_NAME).write_text("{坏的", encoding="utf-8")
    win = DeskWindow(d, jobs=1)
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.finished, timeout=120_000)
    assert "审核记录" in win.statusBar().currentMessage()
    row = next(i for i, r in enumerate(_rows(win)) if r[1] == "淮安市教育局")
    dialog = win.open_row(row)
    assert not dialog.dismiss_button.isEnabled() and "审核记录" in dialog.note.text()
    dialog.close()
    win.close()
    assert (d / DECISIONS_NAME).read_text(encoding="utf-8") == "{坏的"
