"""Pseudo-localisation: every UI string 40 % longer (wide characters); nothing may be clipped at the default size.

A QTranslator subclass lengthens the text the interface would show (the Chinese translation, or the English
source), keeping mnemonics (&X) and placeholders (%1). Then the main window is built at its default size, every
page is shown, and each visible label, button and check box must show its whole text: buttons and one-line labels
at least as wide as their size hint, wrapped labels as tall as their text needs, and no widget cut off by the
window or by a parent (a scroll area may hide what is scrolled away, vertically).
"""
import ast
import math
import re
from pathlib import Path

import pytest


from app.fonts import bundled_font
from app.resources import resource
from ui.main import install_translation
from ui.qt import (QAbstractButton, QApplication, QFont, QFontDatabase, QFontMetrics, QHBoxLayout,
                   QLabel, QPushButton, QScrollArea, QTranslator, QWidget, Qt, tr)

ROOT = Path(__file__).resolve().parent.parent
PAD = "国"  # a wide character (one the bundled font has)


class PseudoTranslator(QTranslator):
    def __init__(self, base: QTranslator | None):
        super().__init__()
        self.base = base

    def translate(self, context, source, disambiguation=None, n=-1):
        text = (self.base.translate(context, source, disambiguation, n) if self.base is not None else "") or source
        visible = re.sub(r"&(?=\S)|%\d", "", text)
        return text + PAD * math.ceil(0.4 * len(visible))

    def isEmpty(self):
        return False


@pytest.fixture
def ui_font(qapp):
    """The measurement must not depend on the fonts a machine has: the interface is set to the bundled fonts,
    AR PL UMing CN (GB 2312 and Latin) at 9 pt with the bundled Droid Sans Fallback for what it lacks (✖);
    clipped() reports any shown character neither has (Qt would take it from an installed font)."""
    ids = [QFontDatabase.addApplicationFont(str(bundled_font(kind).path)) for kind in ("song", "hei")]
    assert min(ids) >= 0
    families = [QFontDatabase.applicationFontFamilies(i)[0] for i in ids]
    font = QFont()
    font.setFamilies(families)
    font.setPointSizeF(9.0)
    old = qapp.font()
    qapp.setFont(font)
    yield font
    qapp.setFont(old)
    for i in ids:
        QFontDatabase.removeApplicationFont(i)


# Symbols the interface shows that no bundled font has: drawn with an installed symbol font (the findings
# legend's ✖); the only part of the measurement that can still vary between machines.
SYSTEM_SYMBOLS = "✖"


def _has_glyph(families: list[str], ch: str) -> bool:
    for family in families:
        f = QFont(family)
        f.setStyleStrategy(QFont.NoFontMerging)  # this font only, no fallback to installed fonts
        if QFontMetrics(f).inFontUcs4(ord(ch)):
            return True
    return False


@pytest.fixture(params=["zh_CN", "en"])
def pseudo(qapp, ui_font, request):
    install_translation(qapp, "en")
    base = None
    if request.param == "zh_CN":
        base = QTranslator()
        assert base.load(str(resource("translations", "nianbao_zh_CN.qm")))
    t = PseudoTranslator(base)
    qapp.installTranslator(t)
    yield request.param
    qapp.removeTranslator(t)
    install_translation(qapp, "en")


def clipped(window) -> list[str]:
    """Descriptions of visible labels/buttons whose text is not shown whole."""
    problems = []
    for w in window.findChildren(QWidget):
        if not isinstance(w, (QLabel, QAbstractButton)) or not w.isVisible() or not w.text().strip():
            continue
        what = f"{type(w).__name__} {w.text()[:30]!r}"
        missing = sorted({ch for ch in w.text() if not ch.isspace() and ch not in SYSTEM_SYMBOLS
                          and not _has_glyph(w.font().families(), ch)})
        if missing:
            problems.append(f"{what}: {''.join(missing)!r} not in the fonts {w.font().families()}")
        if isinstance(w, QLabel) and re.search(r"&\w", w.text()) and w.buddy() is None \
                and w.textFormat() != Qt.RichText:
            problems.append(f"{what}: shows a literal & (a mnemonic without a buddy)")
        if isinstance(w, QLabel) and w.wordWrap():
            need = w.heightForWidth(w.width())
            if need > w.height():
                problems.append(f"{what}: needs {need} px of height, has {w.height()}")
        elif w.width() < w.sizeHint().width():
            problems.append(f"{what}: needs {w.sizeHint().width()} px of width, has {w.width()}")
        # cut off by the window or a parent (a scroll area may hide what is scrolled away vertically)
        shown = w.visibleRegion().boundingRect()
        scrolled = any(isinstance(a, QScrollArea) for a in _ancestors(w, window))
        if shown.width() < w.width() or (not scrolled and shown.height() < w.height()):
            problems.append(f"{what}: only {shown.width()}×{shown.height()} of {w.width()}×{w.height()} visible")
    return problems


def _ancestors(w, stop):
    p = w.parentWidget()
    while p is not None and p is not stop:
        yield p
        p = p.parentWidget()


def test_nothing_is_clipped_with_40_percent_longer_texts(qtbot, pseudo):
    from ui.mainwindow import MainWindow
    assert tr("Check and export").endswith(PAD)
    win = MainWindow()  # its own default size
    win.show()
    qtbot.waitExposed(win)
    try:
        QApplication.processEvents()
        problems = [f"start: {p}" for p in clipped(win)]
        win.open_demo()
        for pid in win.wizard.page_ids:
            win.wizard.go(pid)
            QApplication.processEvents()
            problems += [f"{pid}: {p}" for p in clipped(win)]
        assert not problems, "\n".join(problems)
        # and the window still fits a 1366×768 screen (with a task bar)
        hint = win.minimumSizeHint()
        assert hint.width() <= 1366 and hint.height() <= 728, hint
    finally:
        if win.state is not None:
            win.state._text_dirty = False
            win.state.undo.setClean()
        win.close()


FIXED_SIZE_CALLS = {"setPixelSize", "setFixedWidth", "setFixedHeight", "setFixedSize"}


def _number(node) -> bool:
    if isinstance(node, ast.UnaryOp):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool)


def fixed_sizes(source: str, filename: str = "<ui>") -> list[str]:
    """Places in Python source that size text or widgets in literal pixels: setPixelSize(..), a literal first
    argument of setFixedWidth/Height/Size, QFont(family, N), a style sheet with font-size: Npx."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name == "setPixelSize" or (name in FIXED_SIZE_CALLS and node.args and _number(node.args[0])):
                found.append(f"{filename}:{node.lineno}: {name}(…)")
            elif name == "QFont" and len(node.args) >= 2 and _number(node.args[1]):
                found.append(f"{filename}:{node.lineno}: QFont(…, {node.args[1].value})")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and re.search(r"font-size\s*:\s*[0-9.]+\s*px", node.value):
            found.append(f"{filename}:{node.lineno}: {node.value[:40]!r}")
    return found


def test_no_fixed_pixel_sizes_for_text_in_the_ui():
    """High-DPI: font sizes are relative (points scaled from the default), never pixels; no literal widget sizes."""
    files = sorted((ROOT / "ui").rglob("*.py"))
    assert len(files) >= 8  # the ui package is there (an empty glob would pass)
    found = [f for p in files for f in fixed_sizes(p.read_text(encoding="utf-8"), p.name)]
    assert found == [], "\n".join(found)


def test_the_fixed_size_lint_finds_each_kind():
    planted = (
        "f.setPixelSize(12)\n"
        "w.setFixedWidth(200)\n"
        "w.setFixedSize(  80, 20)\n"
        "f = QFont('SimSun', 12)\n"
        "w.setStyleSheet('QLabel { font-size: 14px }')\n"
        # allowed: sizes derived from the font, point sizes relative to the default
        "w.setFixedWidth(fm.horizontalAdvance('国') * 4)\n"
        "f.setPointSizeF(f.pointSizeF() * 1.2)\n"
        "f = QFont(w.font())\n"
    )
    found = fixed_sizes(planted)
    assert [int(f.split(":")[1]) for f in found] == [1, 2, 3, 4, 5], found


def test_the_clipping_check_finds_clipped_texts(qtbot):
    """The check itself: a squeezed button, a label cut by its parent and a stray & are reported."""
    box = QWidget()
    qtbot.addWidget(box)
    lay = QHBoxLayout(box)
    squeezed = QPushButton("a rather long button text")
    squeezed.setMaximumWidth(squeezed.fontMetrics().horizontalAdvance("a rather"))
    lay.addWidget(squeezed)
    stray = QLabel("&Date:")
    lay.addWidget(stray)
    holder = QWidget()
    holder.setFixedSize(30, 30)  # (a test widget, not ui/)
    cut = QLabel("a label wider than its parent", holder)
    cut.adjustSize()
    lay.addWidget(holder)
    box.show()
    qtbot.waitExposed(box)
    found = "\n".join(clipped(box))
    assert "a rather long" in found and "literal &" in found and "a label wider" in found, found
