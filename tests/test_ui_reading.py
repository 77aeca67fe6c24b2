"""The window reads a published report in the worker process: it keeps answering while a slow file is read, the
progress dialog's 取消 stops the read at once (nothing changes, no error box), and a hostile PDF ends in the
window's Chinese message instead of a window that never answers again."""
import time

import pytest

import PySide6  # noqa: F401  (required: a missing PySide6 fails, never skips)

from app import sandbox
from fuzz.hostile_pdf import dense_pages, mediabox_self
from ui.qt import QApplication, QProgressDialog, QTimer


@pytest.fixture(autouse=True)
def _fresh_worker():
    yield
    sandbox.shutdown()


def test_the_window_answers_while_reading_and_cancel_stops_it(qtbot, win, tmp_path):
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(dense_pages(99))
    before = win.state
    fired = []
    timer = QTimer()
    timer.timeout.connect(lambda: fired.append(time.monotonic()))
    timer.start(100)  # the event loop runs during the read: this fires

    def press_cancel():
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
        if dialogs:
            dialogs[0].cancel()
        else:
            QTimer.singleShot(100, press_cancel)
    QTimer.singleShot(1200, press_cancel)
    t = time.monotonic()
    assert win.open_path(slow) is False
    took = time.monotonic() - t
    timer.stop()
    assert took < 6, took  # the read would take 8 s and more
    assert len(fired) >= 5  # the window kept answering
    assert win.state is before
    assert getattr(win, "last_message_box", None) is None or not win.last_message_box.isVisible()


def test_a_hostile_pdf_ends_in_the_windows_message(qtbot, win, tmp_path):
    p = tmp_path / "loop.pdf"
    p.write_bytes(mediabox_self())
    t = time.monotonic()
    assert win.open_path(p) is False
    assert time.monotonic() - t < 15
    box = win.last_message_box
    assert "循环引用" in box.text() and "loop.pdf" in box.text()
    box.close()


def test_the_program_started_with_a_hostile_pdf_shows_its_window(tmp_path):
    """``nianbao loop.pdf`` (a double-click): the window comes up, with the message, instead of never."""
    import os
    import subprocess
    import sys

    from conftest import ROOT
    p = tmp_path / "loop.pdf"
    p.write_bytes(mediabox_self())
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NIANBAO_QUIT_AFTER_START="1")
    r = subprocess.run([sys.executable, "-m", "app.cli", str(p)], cwd=ROOT, env=env, capture_output=True,
                       text=True, encoding="utf-8", timeout=60)
    assert "window shown" in r.stdout and "visible=True" in r.stdout, (r.stdout, r.stderr)
