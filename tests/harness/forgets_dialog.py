"""Targets for tests/test_harness.py (not collected by a normal run: the file name does not start with ``test_``).

Each misbehaves on purpose; the harness test runs it in a child pytest and checks the run ends with a clear failure.
"""
import time


def test_forgets_a_modal_dialog(qtbot):
    from ui.qt import QMessageBox
    box = QMessageBox(QMessageBox.Question, "忘记回答的对话框", "没有人回答这个问题")
    box.exec()  # nothing answers it


def test_sleeps_forever():
    while True:
        time.sleep(0.5)
