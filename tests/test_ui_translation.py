"""The Chinese interface comes from the compiled Qt translation (another language = another .qm)."""
import xml.etree.ElementTree as ET

import pytest


from app.resources import resource
from conftest import close_clean
from ui.main import install_translation
from ui.qt import QCoreApplication, QTranslator, tr


@pytest.fixture
def chinese(qapp):
    assert install_translation(qapp, "zh_CN") == "zh_CN"
    yield
    install_translation(qapp, "en")


def test_chinese_qm_loads_and_labels_appear(chinese, qtbot):
    from ui.mainwindow import MainWindow
    assert tr("Check and export") == "检查与导出"
    win = MainWindow()
    try:
        titles = [a.text() for a in win.menuBar().actions()]
        assert "文件(&F)" in titles and "帮助(&H)" in titles
        win.new_report()
        assert win.counts.text().startswith("错误 ") and " · 提醒 " in win.counts.text()
        wz = win.wizard
        assert wz.titles["cover"] == "封面信息" and wz.titles["check"] == "检查与导出"
        assert wz.next.text() == "下一步(&N) >"
        # format labels come from the format data, not from the translation
        assert wz.titles["t3"] == "三、收到和处理政府信息公开申请情况"
    finally:
        close_clean(win)


def test_english_when_no_translation(qapp):
    install_translation(qapp, "en")
    assert tr("Check and export") == "Check and export"


def test_every_source_string_is_translated_in_the_compiled_file(qapp):
    ts = ET.parse(resource("translations", "nianbao_zh_CN.ts"))
    t = QTranslator()
    assert t.load(str(resource("translations", "nianbao_zh_CN.qm")))
    n = 0
    for msg in ts.iter("message"):
        tr_el = msg.find("translation")
        assert tr_el.get("type") != "unfinished", msg.find("source").text
        assert t.translate("", msg.find("source").text) == tr_el.text
        n += 1
    assert n > 100
    assert QCoreApplication.translate("", "no such source string") == "no such source string"


def test_every_tr_string_of_the_ui_is_in_the_translation_file():
    """A new tr("…") in ui/ without `pyside6-lupdate` + fill_zh_CN.py would appear in English to the clerk."""
    import ast
    from pathlib import Path
    sources = {m.find("source").text for m in ET.parse(resource("translations", "nianbao_zh_CN.ts")).iter("message")}
    missing, seen = [], 0
    for py in sorted((Path(__file__).resolve().parent.parent / "ui").glob("*.py")):
        for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr" \
                    and node.args and isinstance(node.args[0], ast.Constant):
                seen += 1
                if node.args[0].value not in sources:
                    missing.append(f"{py.name}:{node.lineno}: {node.args[0].value}")
    assert seen > 100  # the ui sources were found and read (an empty folder would pass)
    assert not missing, "\n".join(missing)
