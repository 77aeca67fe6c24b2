"""Pseudo-localisation: every UI string 40 % longer (wide characters); nothing may be clipped at the default size.

A QTranslator subclass lengthens the text the interface would show (the Chinese translation, or the English
source), keeping mnemonics (&X) and placeholders (%1). Then the main window is built at its default size, every
page is shown, and each visible label, button and check box must show its whole text: buttons and one-line labels
at least as wide as their size hint, wrapped labels as tall as their text needs, and no widget cut off by the
window or by a parent (a scroll area may hide what is scrolled away, vertically).
"""
import math
import re
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from app.resources import resource  # noqa: E402
from ui.main import install_translation  # noqa: E402
from ui.qt import (QAbstractButton, QApplication, QHBoxLayout, QLabel, QPushButton, QScrollArea,  # noqa: E402
                   QTranslator, QWidget, Qt, tr)

ROOT = Path(__file__).resolve().parent.parent
PAD = "龘"  # a wide character


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


@pytest.fixture(params=["zh_CN", "en"])
def pseudo(qapp, request):
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


def test_no_fixed_pixel_sizes_for_text_in_the_ui():
    """High-DPI: font sizes are relative (points scaled from the default), never pixels."""
    out = subprocess.run(["grep", "-rnE", r"setPixelSize|font-size\s*:\s*[0-9.]+px|QFont\([^)]*,\s*[0-9]+",
                          str(ROOT / "ui")], capture_output=True, text=True).stdout
    assert out == "", out
    out = subprocess.run(["grep", "-rnE", r"setFixed(Width|Height|Size)\(\s*[0-9]", str(ROOT / "ui")],
                         capture_output=True, text=True).stdout
    assert out == "", out


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
