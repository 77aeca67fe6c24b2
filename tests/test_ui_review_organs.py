"""The desk window (offscreen, real widgets) for what a reviewer must settle before a notice goes out: a report
whose organ was not read (named from the roster, recorded, then noticed), the program's reading doubts shown as
待核对 and kept out of the notice until confirmed, a dismissal carried over to a later version, the 整改期限."""
import json
import os
import time

import pytest

import PySide6  # noqa: F401  (required: a missing PySide6 fails, never skips)

from docx import Document

from app import project
from app.review import DECISIONS_NAME
from conftest import ROOT
from reviewhelp import untitled_page
from ui.qt import QDialogButtonBox, Qt, QTest
from ui.review import DeskWindow, OrganDialog, OutputDialog

UNTITLED = "shanghai-untitled-2025.md"  # a real page whose title does not name its organ (reviewhelp)
ORGAN = "上海市人民政府办公厅"


def _rows(win):
    return [[win.model.data(win.model.index(r, c)) for c in range(win.model.columnCount())]
            for r in range(win.model.rowCount())]


@pytest.fixture
def desk(qtbot, tmp_path):
    d = tmp_path / "年报"
    d.mkdir()
    untitled_page(d / UNTITLED)
    r = project.load(ROOT / "tests" / "fixtures" / "wuzhong-minzheng-2023.nianbao")
    r.meta.date = "2024-02-20"  # late
    project.save(r, d / "吴忠-初报.nianbao")
    r.meta.contact = "电话：0953-1234567"
    project.save(r, d / "吴忠-重报.nianbao")
    t0 = time.time() - 1000
    os.utime(d / "吴忠-初报.nianbao", (t0, t0))
    for bak in d.glob("*.bak"):
        bak.unlink()
    win = DeskWindow(d, roster=["吴忠市民政局", "上海市教育委员会", ORGAN], jobs=1)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.finished, timeout=120_000)
    yield win
    for dlg in win.dialogs:
        dlg.close()
    win.close()


def _open(desk, qtbot, file_name):
    row = next(i for i, r in enumerate(_rows(desk)) if r[8] == file_name)
    dialog = desk.open_row(row)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_unknown_organ_named_from_the_roster_then_noticed(desk, qtbot, tmp_path):
    row = next(r for r in _rows(desk) if r[8] == UNTITLED)
    assert row[1] == "（未识别出机关名称）" and "不写整改通知" in row[7] and "待核对" in row[7]
    assert "名单外" not in row[7]  # not known to be off the roster while its organ is unknown
    assert "未识别机关 1 份" in desk.summary.text()
    desk.status_box.setCurrentText("未识别机关")
    assert [r[8] for r in _rows(desk)] == [UNTITLED]
    desk.status_box.setCurrentText("待核对")
    assert [r[8] for r in _rows(desk)] == [UNTITLED]
    desk.status_box.setCurrentText("全部")

    QTest.mouseClick(desk.notice_button, Qt.LeftButton)
    out = next(d for d in desk.dialogs if isinstance(d, OutputDialog))
    assert "1 份报告未识别出机关名称" in out.counts.text()
    out.close()

    dialog = _open(desk, qtbot, UNTITLED)
    assert dialog.organ_button.isVisible() and "未识别出机关名称" in dialog.organ_note.text()
    verdicts = [dialog.findings.item(k, 3).text() for k in range(dialog.findings.rowCount())]
    assert all(v.startswith("待核对") or "导入识别的说明" in v for v in verdicts), verdicts

    QTest.mouseClick(dialog.organ_button, Qt.LeftButton)
    organ = next(d for d in desk.dialogs if isinstance(d, OrganDialog))
    # the roster's organs without a report offered; the one the file's text names first
    assert organ.box.itemText(0) == ORGAN and organ.box.currentText() == ORGAN
    QTest.mouseClick(organ.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok), Qt.LeftButton)
    saved = json.loads((desk.folder / DECISIONS_NAME).read_text(encoding="utf-8"))
    assert [d["organ"] for d in saved["organs"]] == [ORGAN]
    assert ORGAN in dialog.organ_note.text()
    assert f"机关：（未识别出）（审核人员填写：{ORGAN}）" in dialog.view.toPlainText()
    qtbot.waitUntil(lambda: any(r[1] == ORGAN + "（审核人员填写）" for r in _rows(desk)))
    assert desk.review.missing() == ["上海市教育委员会"]

    # the reviewer checks the original: there is no 成文日期 — confirmed, so that one goes into the notice
    k = next(k for k, f in enumerate(dialog.entry.findings) if f.cells == ["meta.date"])
    dialog.findings.selectRow(k)
    dialog.comment.insert("yuanwen wu riqi")
    QTest.mouseClick(dialog.confirm_button, Qt.LeftButton)
    assert dialog.findings.item(k, 3).text().startswith("已确认")

    QTest.mouseClick(desk.notice_button, Qt.LeftButton)
    out = [d for d in desk.dialogs if isinstance(d, OutputDialog)][-1]
    target = tmp_path / "通知"
    out.target.setText(str(target))
    out.reply.setChecked(True)
    out.reply_by.setDate(out.date.date().addDays(14))
    due = out.reply_by.date()
    QTest.mouseClick(out.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    name = f"整改通知-{ORGAN}2025年度.docx"
    assert name in [p.name for p in target.iterdir()]
    text = "\n".join(p.text for p in Document(target / name).paragraphs)
    assert f"{ORGAN}：" in text and "存在以下1处问题" in text and "导入" not in text
    assert f"{due.year()}年{due.month()}月{due.day()}日前" in text
    assert "已写入整改通知" in desk.statusBar().currentMessage()


def test_dismissal_shown_as_carried_over(desk, qtbot):
    first = _open(desk, qtbot, "吴忠-初报.nianbao")
    k = next(k for k, f in enumerate(first.entry.findings) if f.rule == "META.DEADLINE")
    first.findings.selectRow(k)
    first.comment.insert("yanqi pizhun")
    QTest.mouseClick(first.dismiss_button, Qt.LeftButton)
    first.close()
    qtbot.waitUntil(lambda: next(r for r in _rows(desk) if r[8] == "吴忠-重报.nianbao")[5] == "")
    later = _open(desk, qtbot, "吴忠-重报.nianbao")
    k = next(k for k, f in enumerate(later.entry.findings) if f.rule == "META.DEADLINE")
    assert later.findings.item(k, 3).text() == "已排除（沿用较早版本“吴忠-初报.nianbao”的审核意见）：yanqi pizhun"
    row = next(r for r in _rows(desk) if r[8] == "吴忠-重报.nianbao")
    assert row[0] == "已通过" and "已改正 0 · 未改正 0 · 新问题 0" in row[7] and "沿用较早版本的排除 1 处" in row[7]
    later.findings.selectRow(k)
    QTest.mouseClick(later.undo_button, Qt.LeftButton)  # nothing of its own to withdraw: said, nothing changed
    assert "沿用较早版本" in later.note.text() and later.findings.item(k, 3).text().startswith("已排除（沿用")
    QTest.mouseClick(later.confirm_button, Qt.LeftButton)  # the reviewer's own decision on this version wins
    assert later.findings.item(k, 3).text().startswith("已确认")
    qtbot.waitUntil(lambda: next(r for r in _rows(desk) if r[8] == "吴忠-重报.nianbao")[0] == "已退回")
