"""The findings panel: every finding of the rules with its page, cells and message; click to jump; fix."""
from __future__ import annotations

from app import rules

from .qt import (QHBoxLayout, QHeaderView, QLabel, QRect, QSize, QStyledItemDelegate, QStyleOptionViewItem,
                 QToolButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QTimer, QWidget, Signal, tr)
from .qt import TEXT_WORD_WRAP, USER_ROLE, QColor, set_enum  # (no ``Qt``: see ui/qt.py)
from .state import finding_page

FindingRole = USER_ROLE + 10
_GREY, _RED, _YELLOW = QColor(128, 128, 128), QColor(128, 0, 0), QColor(128, 128, 0)  # Qt.darkGray, darkRed, darkYellow


def cells_text(fmt, cells, limit: int = 2) -> str:
    names = []
    for c in cells:
        if c in fmt.cells:
            names.append(fmt.cells[c].name)
        elif c in fmt.text_sections:
            names.append(fmt.section(c)["heading"])
        elif c.startswith("meta."):
            names.append({"meta.organ": tr("Organ"), "meta.year": tr("Year"), "meta.date": tr("Date of issue"),
                          "meta.contact": tr("Contact")}.get(c, c))
    if len(names) > limit:
        return "、".join(names[:limit]) + tr(" and %1 more").replace("%1", str(len(names) - limit))
    return "、".join(names)


def summary_text(e: int, w: int, t: int) -> str:
    """错误 N · 提醒 M（· 未填 K）— click a line…, or that there is nothing to do."""
    if not (e or w or t):
        return tr("No errors and no warnings.")
    text = tr("Errors: %1 · Warnings: %2").replace("%1", str(e)).replace("%2", str(w))
    if t:
        text += " · " + tr("Not filled in: %1").replace("%1", str(t))
    return text + tr(" — click a line to go to the cells.")


def counts_text(e: int, w: int, t: int) -> str:
    """The status bar's counts: 错误 N · 提醒 M（· 未填 K）."""
    text = tr("Errors %1 · Warnings %2").replace("%1", str(e)).replace("%2", str(w))
    return text + (" · " + tr("Not filled in %1").replace("%1", str(t)) if t else "")


class WrapDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped text in the column's current width (QTreeView alone keeps one line), and at
    least as tall as a Fix button, so every row has the same rhythm."""

    def __init__(self, tree):
        super().__init__(tree)
        self.tree = tree
        self.min_height = QToolButton().sizeHint().height()
        self._heights: dict = {}

    def sizeHint(self, option, index):
        base = super().sizeHint(option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        key = (opt.text, self.tree.header().sectionSize(index.column()), opt.font.key())
        need = self._heights.get(key)
        if need is None:  # measuring wrapped text is the costly part; rows are re-measured on every relayout
            pad = opt.fontMetrics.horizontalAdvance("国")
            width = max(key[1] - pad, pad)
            text = opt.fontMetrics.boundingRect(QRect(0, 0, width, 100000), TEXT_WORD_WRAP, opt.text)
            need = max(text.height() + pad // 2, self.min_height)
            if len(self._heights) > 2000:
                self._heights.clear()
            self._heights[key] = need
        return QSize(base.width(), max(base.height(), need))


class FindingsPanel(QWidget):
    """List of findings. ``activated(finding)`` when one is clicked or Enter is pressed on it."""

    activated = Signal(object)

    def __init__(self, state, page_titles: dict, parent=None, summary: bool = True):
        """``summary=False``: the counts are said elsewhere (the dock's title, the check page's text)."""
        super().__init__(parent)
        self.state = None
        self._rows_kept = None
        self._shown, self._stale = None, True
        self.page_titles = page_titles
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = self._make_tree()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.summary)
        lay.addWidget(self.tree)
        self.summary.setVisible(summary)
        self.set_state(state)

    def _make_tree(self):
        tree = QTreeWidget()
        tree.setColumnCount(5)
        tree.setHeaderLabels([tr("Kind"), tr("Page"), tr("Cells"), tr("Message"), ""])
        tree.setRootIsDecorated(False)
        tree.setAlternatingRowColors(True)
        tree.setWordWrap(True)
        tree.setUniformRowHeights(False)
        tree.setItemDelegate(WrapDelegate(tree))
        h = tree.header()
        h.setStretchLastSection(False)
        for c in (0, 4):
            h.setSectionResizeMode(c, QHeaderView.ResizeToContents)
        ch = self.fontMetrics().horizontalAdvance("国")
        for c, chars in ((1, 8), (2, 16)):
            h.setSectionResizeMode(c, QHeaderView.Interactive)
            h.resizeSection(c, ch * chars)
        h.setSectionResizeMode(3, QHeaderView.Stretch)
        set_enum(tree, "textElideMode", "ElideNone")  # long messages wrap onto more lines rather than being cut
        h.sectionResized.connect(lambda *_: tree.doItemsLayout())  # re-wrap the messages
        tree.itemClicked.connect(lambda item, col: self._activate(item))
        tree.itemActivated.connect(lambda item, col: self._activate(item))
        return tree

    def set_state(self, state) -> None:
        if self.state is not None:
            try:
                self.state.checked.disconnect(self.refresh)
            except (RuntimeError, TypeError):
                pass
        self.state = state
        self._shown, self._stale = None, True
        if state is not None:
            state.checked.connect(self.refresh)
        self.refresh()

    def _activate(self, item):
        f = item.data(0, FindingRole)
        if f is not None:
            self.activated.emit(f)

    def _key(self):
        return tuple((f.rule, f.severity, tuple(f.cells), f.message, tuple((f.fix or {}).items()))
                     for f in self.state.findings)

    def showEvent(self, event):
        super().showEvent(event)
        if self._stale:
            self._rebuild()

    def refresh(self, *_):
        if self.state is not None and not self.isVisible() and self.window().isVisible():
            self._stale = True  # a hidden panel (e.g. the check page's while on a table) catches up when shown
            return
        self._rebuild()

    def _rebuild(self):
        if self.state is not None:
            key = self._key()
            if key == self._shown and not self._stale:
                return  # same findings as listed: keep the list (and its scroll position) as it is
            self._shown = key
        self._stale = False
        self.tree.clear()
        if self.state is None:
            self._shown = None
            self.summary.setText("")
            return
        fmt = self.state.fmt
        e, w, t = self.state.screen_counts()
        if not self.summary.isHidden() and self.tree.isHidden() == bool(self.state.findings):
            self.tree.setVisible(bool(self.state.findings))  # nothing to list: only the one-line summary
        # (where the summary is said elsewhere — the dock's title, the check page — the list stays, empty: hiding
        # and showing it as the last finding goes and the first comes re-lays out the whole window at each edit)

        if not self.state.findings:
            self.summary.setText(tr("No errors and no warnings."))
        else:
            self.summary.setText(summary_text(e, w, t))
        todo = self.state.is_todo
        # errors, then warnings, then what is not filled in yet
        order = sorted(self.state.findings, key=lambda f: 2 if todo(f) else int(f.severity != rules.ERROR))
        for f in order:
            is_todo = todo(f)
            is_error = f.severity == rules.ERROR and not is_todo
            kind = ("○ " + tr("Not filled in")) if is_todo else ("✖ " + tr("Error")) if is_error \
                else ("⚠ " + tr("Warning"))
            page = self.page_titles.get(finding_page(fmt, f), "")
            item = QTreeWidgetItem([kind, page if len(page) <= 8 else page[:7] + "…",  # (the tooltip has it whole)
                                    cells_text(fmt, f.cells, limit=1), f.message, ""])
            item.setData(0, FindingRole, f)
            item.setToolTip(3, f.message)
            item.setToolTip(2, cells_text(fmt, f.cells, limit=40))
            item.setToolTip(1, page)
            item.setForeground(0, _GREY if is_todo else _RED if is_error else _YELLOW)
            self.tree.addTopLevelItem(item)
            if self.state.fix_ok(f):
                btn = QToolButton()
                btn.setText(tr("Fix"))
                values = "、".join(f"{fmt.cells[c].name}={v}" for c, v in f.fix.items() if c in fmt.cells)
                btn.setToolTip(tr("Set %1").replace("%1", values))
                # applied on the next turn: the fix rebuilds this list, which deletes the button itself
                btn.clicked.connect(lambda _=False, f=f: QTimer.singleShot(0, lambda: self.state.apply_fix(f)))
                holder = QWidget()
                hl = QHBoxLayout(holder)
                hl.setContentsMargins(2, 0, 2, 0)
                hl.addWidget(btn)
                self.tree.setItemWidget(item, 4, holder)
        if self.state.findings and self.tree.isVisible() and self._rows_kept is not self.state:
            self._rows_kept = self.state  # once per report: the list's height then never changes while typing
            self._keep_three_rows()

    def _keep_three_rows(self) -> None:
        """With findings, never fewer than three rows in sight: the list's minimum height (which the dock
        honours) covers its first three rows as laid out; it only grows, so typing does not move the grid."""
        tree = self.tree
        tree.doItemsLayout()
        n = min(3, tree.topLevelItemCount())
        rows = sum(tree.visualItemRect(tree.topLevelItem(i)).height() for i in range(n))
        need = tree.header().sizeHint().height() + rows + 2 * tree.frameWidth()
        screen = self.screen()
        if screen is not None:  # long messages wrap: never more than 2/7 of the screen (the list scrolls)
            need = min(need, screen.availableGeometry().height() * 2 // 7)
        if need > tree.minimumHeight():
            tree.setMinimumHeight(need)

    def rows_height(self, rows: int) -> int:
        """Height of the list with its header and ``rows`` rows of two wrapped lines each."""
        fm = self.tree.fontMetrics()
        row = max(self.tree.itemDelegate().min_height, 2 * fm.height() + fm.horizontalAdvance("国") // 2)
        return self.tree.header().sizeHint().height() + rows * row + 2 * self.tree.frameWidth()

    def items(self) -> list:
        if self._stale:
            self._rebuild()
        return [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]

    def fix_button(self, item):
        holder = self.tree.itemWidget(item, 4)
        return holder.findChild(QToolButton) if holder is not None else None
