"""The window's status bar: a message (已撤销…, 已粘贴…, a refused entry) is drawn only in the space left of the
permanent widgets (the error/warning counts), cut with "…" when it is longer; the whole of it is the tooltip and
stays ``currentMessage()``. (QStatusBar draws a long message on over the counts.)"""
from __future__ import annotations

from .qt import QRect, QStatusBar  # (no ``Qt`` at import: see ui/qt.py)

GAP = 12  # px between the message and the counts


class StatusBar(QStatusBar):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._permanent = []
        self.messageChanged.connect(self.setToolTip)

    def addPermanentWidget(self, widget, stretch: int = 0) -> None:
        self._permanent.append(widget)
        super().addPermanentWidget(widget, stretch)

    def message_rect(self) -> QRect:
        right = self.width() - GAP
        for w in self._permanent:
            if w.isVisible():
                right = min(right, w.x() - GAP)
        return QRect(6, 0, max(0, right - 6), self.height())

    def paintEvent(self, event):
        msg = self.currentMessage()
        if not msg:
            super().paintEvent(event)
            return
        from .qt import QPainter, QStyle, QStyleOption, Qt  # (when a message is first shown: enums cost start-up)
        p = QPainter(self)
        opt = QStyleOption()
        opt.initFrom(self)
        self.style().drawPrimitive(QStyle.PE_PanelStatusBar, opt, p, self)
        rect = self.message_rect()
        p.setPen(self.palette().windowText().color())
        shown = self.fontMetrics().elidedText(msg.replace("\n", " "), Qt.ElideRight, rect.width())
        p.drawText(rect, Qt.AlignLeading | Qt.AlignVCenter | Qt.TextSingleLine, shown)
        p.end()
