"""Helpers the GUI tests share: answering modal dialogs, going to a table, typing into a grid cell."""
from ui.qt import QApplication, QMessageBox, Qt, QTest, QTimer


class Answer:
    """Waits (on the event loop) for the next modal dialog and answers it like a clerk would."""

    def __init__(self, act):
        self.act, self.seen = act, []
        QTimer.singleShot(0, self._poll)

    def _poll(self):
        w = QApplication.activeModalWidget()
        if w is None:
            QTimer.singleShot(10, self._poll)
            return
        self.seen.append(w)
        self.act(w)


def click(button):
    def act(box):
        assert isinstance(box, QMessageBox), box
        box.button(button).click()
    return act


def goto_table(qtbot, win, tid):
    win.wizard.go(tid)
    page = win.wizard.pages[tid]
    page.grid.setFocus()
    qtbot.waitUntil(page.grid.hasFocus)
    return page


def type_into(qtbot, grid, cell, text, key=Qt.Key_Return, wait=True):
    """Type ``text`` into ``cell`` and press ``key``; with ``wait``, until the editor has closed (a refused value
    keeps it open: pass ``wait=False`` to look at that)."""
    grid.setCurrentIndex(grid.model().index_of(cell))
    QTest.keyClicks(grid, text[0])  # typing opens the editor and replaces the cell
    editor = QApplication.focusWidget()
    assert editor is not grid
    QTest.keyClicks(editor, text[1:])
    QTest.keyClick(editor, key)
    if wait:  # the delegate commits on the next event-loop turn
        qtbot.waitUntil(lambda: grid.state() != grid.State.EditingState)
