"""The spreadsheet-like view of a table model: official merges, marks, keyboard and clipboard habits."""
from __future__ import annotations

import re

from .qt import (QAbstractItemDelegate, QAbstractItemView, QApplication, QColor, QEvent, QFontMetrics, QFrame,
                 QHeaderView, QItemSelection, QItemSelectionModel, QKeySequence, QLabel, QLineEdit, QPen, QPoint,
                 QRect, QSize, QStyledItemDelegate, Qt, QTableView, tr)
from .tablemodel import BLANK, ERROR, OK, WARNING, MarkRole

GLYPH = {ERROR: "✖", WARNING: "!", BLANK: ""}
MARK_COLOR = {ERROR: QColor(190, 20, 20), WARNING: QColor(170, 110, 0), BLANK: QColor(220, 140, 140)}
REVIEW_COLOR = QColor(30, 90, 200)


class CellDelegate(QStyledItemDelegate):
    """Default painting plus: error = solid red frame and ✖; warning = dashed amber frame and !;
    blank = dotted frame; imported value to check = blue corner triangle and ？. Shapes, not only colours."""

    def createEditor(self, parent, option, index):
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignCenter)
        editor.setFrame(False)
        return editor

    def eventFilter(self, editor, event):
        # Enter/Tab or leaving the cell with a value the cell cannot take: the editor stays open with the text
        # selected and the message at the cell (as Excel/WPS data validation does); nothing moves on
        t = event.type()
        leave = t == QEvent.FocusOut or (t == QEvent.KeyPress and event.key() in (
            Qt.Key_Return, Qt.Key_Enter, Qt.Key_Tab, Qt.Key_Backtab))
        if leave and isinstance(editor, QLineEdit) and self.parent().check_editor(editor):
            return True
        return super().eventFilter(editor, event)

    def paint(self, painter, option, index):
        super().paint(painter, option, index)
        mark = index.data(MarkRole)  # one lookup: most cells need no mark
        if mark is None:
            return
        st, review = mark
        painter.save()
        r = option.rect.adjusted(1, 1, -2, -2)
        fm = QFontMetrics(option.font)
        if st != OK:
            pen = QPen(MARK_COLOR[st])
            pen.setWidth(2 if st == ERROR else 1)
            pen.setStyle(Qt.SolidLine if st == ERROR else Qt.DashLine if st == WARNING else Qt.DotLine)
            painter.setPen(pen)
            painter.drawRect(r)
            if GLYPH[st]:
                f = option.font
                f.setBold(True)
                painter.setFont(f)
                painter.drawText(r.adjusted(0, 0, -2, 0), Qt.AlignRight | Qt.AlignTop, GLYPH[st])
        if review:
            s = max(6, fm.height() // 2)
            painter.setPen(Qt.NoPen)
            painter.setBrush(REVIEW_COLOR)
            from .qt import QPolygon
            painter.drawPolygon(QPolygon([QPoint(r.left(), r.top()), QPoint(r.left() + s, r.top()),
                                          QPoint(r.left(), r.top() + s)]))
            painter.setPen(REVIEW_COLOR)
            painter.drawText(r.adjusted(2, 0, 0, -1), Qt.AlignLeft | Qt.AlignBottom, "？")
        painter.restore()


class StickyLabelDelegate(QStyledItemDelegate):
    """Labels of a frozen pane: a merged label is drawn in the part of its span that is in sight, so a row label
    such as （三）不予公开 stays beside its rows while the rows above it scroll under the frozen header."""

    def __init__(self, pane):
        super().__init__(pane)
        self.pane = pane

    def paint(self, painter, option, index):
        if self.pane.sliver:  # a one-pixel strip at the pane's edge (a neighbouring cell's frame): background only
            brush = index.data(Qt.BackgroundRole)
            if brush is not None:
                painter.fillRect(option.rect, brush)
            return
        sight = self.pane.sight()
        if option.rect.intersects(sight) and not sight.contains(option.rect):
            option.rect = option.rect.intersected(sight)
            # the text from the top of the part in sight: a long label read from its start
            self._top = True
        else:
            self._top = False
        super().paint(painter, option, index)

    _top = False

    def initStyleOption(self, option, index):
        super().initStyleOption(option, index)
        if self._top:
            option.displayAlignment = (option.displayAlignment & ~Qt.AlignVertical_Mask) | Qt.AlignTop


class FrozenPane(QTableView):
    """The header rows and/or label columns of a grid, laid over its top or left edge so they stay in place while
    the values scroll (Excel's freeze panes). Same model and sizes as the grid; shows only its rows and columns;
    takes no focus and no selection; the wheel scrolls the grid."""

    def __init__(self, grid, rows: int | None, cols: int | None):
        super().__init__(grid)
        self.grid = grid
        self.rows, self.cols = rows, cols  # rows/columns shown (from the top/left); None: all, scrolling with the grid
        m = grid.model()
        self.setModel(m)
        self.setItemDelegate(StickyLabelDelegate(self))
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.setFrameShape(QFrame.NoFrame)
        self.setFocusPolicy(Qt.NoFocus)
        self.setSelectionMode(QAbstractItemView.NoSelection)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollPerPixel)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        for r, c, rs, cs in m.spans():
            if (rows is None or r < rows) and (cols is None or c < cols):
                self.setSpan(r, c, rs, cs)
        if rows is not None:
            for r in range(rows, m.rowCount()):
                self.setRowHidden(r, True)
        if cols is not None:
            for c in range(cols, m.columnCount()):
                self.setColumnHidden(c, True)
        self.setToolTipDuration(-1)

    def sight(self) -> QRect:
        """The part of this pane's viewport not covered by a pane above it (the frozen rows over the labels)."""
        r = self.viewport().rect()
        if self.rows is None and self.grid.frozen_rows:
            r.setTop(self.grid.frozen_height())
        return r

    sliver = False  # the area being painted is a strip at most two pixels wide or high

    def paintEvent(self, event):
        r = event.rect()
        self.sliver = r.width() <= 2 or r.height() <= 2
        super().paintEvent(event)
        self.sliver = False

    def scrollContentsBy(self, dx, dy):
        super().scrollContentsBy(dx, dy)
        self.viewport().update()  # a merged label is redrawn where its span is in sight (not only the new strip)

    def wheelEvent(self, event):
        QApplication.sendEvent(self.grid.viewport(), event)


class GridView(QTableView):
    """A table grid. Arrows/Tab/Enter move, typing replaces, F2 edits, Delete clears, / marks 不适用,
    Ctrl+C / Ctrl+V copy and paste tab-separated blocks (a bad block is refused as a whole)."""

    # widths of the label columns in characters, per table (long table-3 labels wrap)
    # (narrow enough that every value column of table 3 and table 4 fits a 1366×768 screen at 125 % scaling)
    LABEL_CHARS = {"t2": [14], "t3": [2.6, 7, 13.4]}  # (the first holds 三、 on a line)
    VALUE_CHARS = {"t2": 8, "t3": 4.5, "t4": 2.5}  # headers wrap four (社会公益/组织) or two (结果/维持) a line

    def __init__(self, model, parent=None):
        super().__init__(parent)
        self.setModel(model)
        self.table_id = model.table_id
        self.setItemDelegate(CellDelegate(self))
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.setWordWrap(True)
        self.setTabKeyNavigation(True)
        self.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.AnyKeyPressed | QAbstractItemView.EditKeyPressed
                             | QAbstractItemView.DoubleClicked)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollPerPixel)
        for r, c, rs, cs in model.spans():
            self.setSpan(r, c, rs, cs)
        # freeze panes: the header rows, and the label columns left of the first value column, stay in sight
        lay = model.layout
        self.frozen_rows = lay.header_rows
        self.frozen_cols = min((p.col for p in lay.cells if p.cell_id), default=0) if lay.header_rows else 0
        self.panes = []
        self.pane_top = FrozenPane(self, self.frozen_rows, None) if self.frozen_rows else None
        self.pane_left = FrozenPane(self, None, self.frozen_cols) if self.frozen_cols else None
        self.pane_corner = FrozenPane(self, self.frozen_rows, self.frozen_cols) \
            if self.frozen_rows and self.frozen_cols else None
        for pane in (self.pane_top, self.pane_left, self.pane_corner):
            if pane is not None:
                self.panes.append(pane)
        if self.pane_top is not None:
            self.horizontalScrollBar().valueChanged.connect(self.pane_top.horizontalScrollBar().setValue)
        if self.pane_left is not None:
            self.verticalScrollBar().valueChanged.connect(self.pane_left.verticalScrollBar().setValue)
        self.balloon = QLabel(self)  # refused input, shown at its cell (above the frozen panes)
        self.balloon.setWordWrap(True)
        self.balloon.setObjectName("inputProblem")
        self.balloon.setStyleSheet("QLabel#inputProblem { background: #fff8dc; color: #7a0c0c; "
                                   "border: 1px solid #be1414; padding: 0.2em 0.4em; }")
        self.balloon.hide()
        self.balloon_cell = None
        model.state.inputProblem.connect(self._input_problem)
        model.state.undo.indexChanged.connect(self._undo_moved)
        self.fit()
        first = next(iter(model.positions))
        self.setCurrentIndex(model.index_of(first))

    # ----- sizes from the font, never fixed pixels ------------------------------------------------------
    def fit(self) -> None:
        m = self.model()
        fm = QFontMetrics(self.font())
        ch = fm.horizontalAdvance("国")
        pad = ch // 2
        label_cols = self.LABEL_CHARS.get(self.table_id, [])
        n_label = len(label_cols) if m.layout.header_rows or self.table_id == "t3" else len(label_cols)
        for c in range(m.columnCount()):
            chars = label_cols[c] if c < n_label else self.VALUE_CHARS.get(self.table_id, 5)
            self.setColumnWidth(c, int(chars * ch) + pad)
        # row heights: wrap every cell's text in the width of its span
        heights = [fm.height() + ch // 2] * m.rowCount()
        opt = Qt.TextWordWrap
        for p in sorted(m.layout.cells, key=lambda p: p.rowspan):
            if not p.text:
                continue
            # the text's room inside the item's margins (conservative: a header wraps rather than being elided)
            width = sum(self.columnWidth(c) for c in range(p.col, p.col + p.colspan)) - ch
            font = self.font()
            if p.role in ("header", "block"):
                font.setBold(True)
            need = QFontMetrics(font).boundingRect(QRect(0, 0, max(width, ch), 100000), opt, p.text).height() + ch // 2
            have = sum(heights[p.row:p.row + p.rowspan])
            if need > have:
                heights[p.row + p.rowspan - 1] += need - have
        for r, h in enumerate(heights):
            self.setRowHeight(r, h)
        for pane in getattr(self, "panes", ()):
            for c in range(m.columnCount()):
                pane.setColumnWidth(c, self.columnWidth(c))
            for r, h in enumerate(heights):
                pane.setRowHeight(r, h)
        self._place_frozen()

    # ----- freeze panes -----------------------------------------------------------------------------------
    def frozen_height(self) -> int:
        return sum(self.rowHeight(r) for r in range(self.frozen_rows))

    def frozen_width(self) -> int:
        return sum(self.columnWidth(c) for c in range(self.frozen_cols))

    def minimum_height(self) -> int:
        """The frozen header rows and two rows of values: the grid scrolls below that, the window stays small."""
        m = self.model()
        body = sorted(self.rowHeight(r) for r in range(self.frozen_rows, m.rowCount()))
        row = body[len(body) // 2] if body else 0  # a typical row (a few labels wrap to two or three lines)
        return min(self.frozen_height() + 2 * row + 2 * self.frameWidth() + 4, self.sizeHint().height())

    def _place_frozen(self) -> None:
        if not getattr(self, "panes", None) or not hasattr(self, "balloon"):
            return
        vp = self.viewport().geometry()
        h, w = min(self.frozen_height(), vp.height()), min(self.frozen_width(), vp.width())
        if self.pane_top is not None:
            self.pane_top.setGeometry(vp.x(), vp.y(), vp.width(), h)
            self.pane_top.horizontalScrollBar().setValue(self.horizontalScrollBar().value())
        if self.pane_left is not None:
            self.pane_left.setGeometry(vp.x(), vp.y(), w, vp.height())
            self.pane_left.verticalScrollBar().setValue(self.verticalScrollBar().value())
        if self.pane_corner is not None:
            self.pane_corner.setGeometry(vp.x(), vp.y(), w, h)
        for pane in self.panes:
            pane.raise_()
        self.balloon.raise_()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._place_frozen()

    def updateGeometries(self):
        super().updateGeometries()
        self._place_frozen()

    def scrollTo(self, index, hint=QAbstractItemView.EnsureVisible):
        """As QTableView's, and a value cell is never left under the frozen header rows or label columns."""
        super().scrollTo(index, hint)
        if not index.isValid() or not getattr(self, "panes", None):
            return
        r = self.visualRect(index)
        if index.row() >= self.frozen_rows and r.top() < self.frozen_height():
            sb = self.verticalScrollBar()
            sb.setValue(sb.value() - (self.frozen_height() - r.top()))
        if index.column() >= self.frozen_cols and r.left() < self.frozen_width():
            sb = self.horizontalScrollBar()
            sb.setValue(sb.value() - (self.frozen_width() - r.left()))

    reserve_scrollbar = True  # room for a vertical scroll bar (tables taller than the page)

    def sizeHint(self):
        m = self.model()
        sb = self.style().pixelMetric(self.style().PixelMetric.PM_ScrollBarExtent) if self.reserve_scrollbar else 0
        w = sum(self.columnWidth(c) for c in range(m.columnCount())) + 2 * self.frameWidth() + sb + 4
        h = sum(self.rowHeight(r) for r in range(m.rowCount())) + 2 * self.frameWidth() + 4
        return QSize(w, min(h, 100000))

    # ----- refused input at the cell ----------------------------------------------------------------------
    def check_editor(self, editor) -> bool:
        """True when the open editor holds text its cell refuses: message at the cell, text selected."""
        ix = self.currentIndex()
        m = self.model()
        cid = m.cell_at(ix.row(), ix.column()) if ix.isValid() else None
        if cid is None or cid in m.computed:
            return False
        from app.values import ValueError_
        from .state import parse_cell
        try:
            parse_cell(m.state.fmt, cid, editor.text())
        except ValueError_ as e:
            m.state.refuse(cid, str(e))
            editor.selectAll()
            return True
        return False

    def _input_problem(self, cell: str, text: str) -> None:
        if not cell or cell not in self.model().positions:
            self.balloon.hide()
            self.balloon_cell = None
            return
        self.show_balloon(cell, text)

    def show_balloon(self, cell: str, text: str) -> None:
        self.balloon_cell = cell
        self.balloon.setText(text)
        ch = self.fontMetrics().horizontalAdvance("国")
        width = min(ch * 16, max(self.viewport().width() - ch, ch * 8))  # two or three columns, not the table
        self.balloon.setFixedWidth(width)
        self.balloon.adjustSize()
        self.scrollTo(self.model().index_of(cell))
        self._place_balloon()
        self.balloon.show()
        self.balloon.raise_()

    def _place_balloon(self) -> None:
        if self.balloon_cell is None:
            return
        rect = self.visualRect(self.model().index_of(self.balloon_cell))
        vp = self.viewport().rect()
        x = min(max(0, rect.left()), max(0, vp.width() - self.balloon.width()))
        y = rect.bottom() + 2
        if y + self.balloon.height() > vp.height():
            y = max(0, rect.top() - self.balloon.height() - 2)
        self.balloon.move(self.viewport().mapTo(self, QPoint(x, y)))

    def scrollContentsBy(self, dx, dy):
        super().scrollContentsBy(dx, dy)
        if self.balloon_cell is not None:  # the note goes with its cell, and out of sight with it
            self._place_balloon()
            r = self.visualRect(self.model().index_of(self.balloon_cell))
            body = self.viewport().rect().adjusted(self.frozen_width(), self.frozen_height(), 0, 0)
            self.balloon.setVisible(body.intersects(r))

    def _undo_moved(self, *_):
        """An undo or redo (Ctrl+Z after a paste) takes back what a note at a cell was about: it goes."""
        if self.balloon_cell is not None and self.state() != QAbstractItemView.EditingState:
            self.model().state.input_ok()

    # ----- selection helpers ---------------------------------------------------------------------------
    def selected_cells(self) -> list[str]:
        m = self.model()
        out = []
        idxs = self.selectionModel().selectedIndexes() or [self.currentIndex()]
        for ix in idxs:
            cid = m.cell_at(ix.row(), ix.column()) if ix.isValid() else None
            if cid and cid not in out:
                out.append(cid)
        return out

    def select_cells(self, cells, current: str | None = None) -> None:
        """Select the cells; ``current`` (else the first) becomes the current cell, scrolled into sight below the
        frozen headers."""
        m = self.model()
        sel = QItemSelection()
        first = None
        for c in cells:
            if c in m.positions:
                ix = m.index_of(c)
                sel.select(ix, ix)
                first = first or ix
        if first is None:
            return
        if current in m.positions:
            first = m.index_of(current)
        self._tab_origin = None
        self.setCurrentIndex(first)
        self.selectionModel().select(sel, QItemSelectionModel.ClearAndSelect)
        self.scrollTo(first)
        self.setFocus()

    def _bounds(self):
        idxs = self.selectionModel().selectedIndexes()
        if not idxs:
            ix = self.currentIndex()
            return ix.row(), ix.column(), ix.row(), ix.column()
        rows = [i.row() for i in idxs]
        cols = [i.column() for i in idxs]
        return min(rows), min(cols), max(rows), max(cols)

    # ----- actions -------------------------------------------------------------------------------------
    def copy(self) -> str:
        text = self.model().block_text(*self._bounds())
        QApplication.clipboard().setText(text)
        return text

    def paste(self, text: str | None = None) -> bool:
        """Paste a tab-separated block at the selection's top-left cell. Rows copied with their labels (from last
        year's Word or text table: "一、本年新收…\t5\t0…") give their numbers; the labels left out are said."""
        if text is None:
            text = QApplication.clipboard().text()
        top, left, _, _ = self._bounds()
        m = self.model()
        text, labels = strip_row_labels(text, m.columnCount() - left)
        if labels and m.cell_at(top, left) is None:  # pasted on the label column, where the copied block starts
            left = next((c for c in range(left, m.columnCount()) if m.cell_at(top, c) is not None), left)
        try:
            values = m.parse_block(text, top, left)
        except ValueError as e:
            m.state.message.emit(str(e))
            return False
        if values:
            m.state.set_cells(values, tr("Paste"))
            m.state.input_ok()
        said = tr("Pasted %1 values.").replace("%1", str(len(values)))
        if labels:
            shown = "、".join(f"“{x}”" for x in labels[:2]) + (tr(" and %1 more").replace("%1", str(len(labels) - 2))
                                                             if len(labels) > 2 else "")
            said += " " + tr("Row labels left out (only numbers are pasted): %1.").replace("%1", shown)
        if m.skipped:
            self._report_skipped(m.skipped, said)
        else:
            m.state.message.emit(said)  # replaces what an earlier paste said
        return True

    def _report_skipped(self, skipped, said: str = "") -> None:
        """Pasted values that fell on computed totals: say they were not pasted, flag those that disagree. The
        status bar says it in full (at most two totals named); the note at the cell is short."""
        from app.values import ValueError_, display
        from .state import parse_cell
        m = self.model()
        st = m.state
        n = len(skipped)
        names = "、".join(f"{st.fmt.cells[c].name}（{raw}）" for c, raw in skipped[:2])
        if n > 2:
            names += tr(" and %1 more").replace("%1", str(n - 2))
        text = tr("Totals are filled in automatically; not pasted: %1.").replace("%1", names)
        disagree = []
        for c, raw in skipped:
            now = st.report.values.get(c)
            try:
                pasted = parse_cell(st.fmt, c, raw)
            except ValueError_:
                pasted = None
            if pasted != now:
                disagree.append((c, raw, now))
        short = tr("%1 totals not pasted: they are filled in automatically.").replace("%1", str(n))
        if disagree:
            c, raw, now = disagree[0]
            text += " " + tr("The pasted total %1 of %2 does not agree with the sum of its parts (%3); "
                             "check the figures.").replace("%1", raw).replace("%2", st.fmt.cells[c].name)\
                .replace("%3", display(now) or tr("blank"))
            if len(disagree) > 1:
                text += " " + tr("%1 more pasted totals disagree.").replace("%1", str(len(disagree) - 1))
            short += " " + tr("The pasted total %1 here differs from the sum (%2).").replace("%1", raw)\
                .replace("%2", display(now) or tr("blank"))
        st.refuse(disagree[0][0] if disagree else skipped[0][0], short)  # the note at the cell (Esc: away)
        st.message.emit((said + " " if said else "") + text)  # the whole of it in the status bar

    def clear_selected(self) -> None:
        st = self.model().state
        cells = [c for c in self.selected_cells() if st.is_editable(c)]
        st.set_cells({c: None for c in cells}, tr("Clear"))

    def mark_na(self) -> None:
        from app.values import NA
        st = self.model().state
        cells = [c for c in self.selected_cells() if st.is_editable(c)]
        st.set_cells({c: NA for c in cells}, tr("Mark not applicable"))

    # ----- keyboard ------------------------------------------------------------------------------------
    # As in Excel/WPS: Enter moves down (Shift+Enter up), and after a row typed with Tab, Enter goes to the next
    # row's cell in the column where the Tab run started; at the bottom of a column Enter goes on at the top of the
    # next one. Arrows, Tab and Enter land only on value cells (labels and header rows are skipped alike).
    _tab_origin: int | None = None  # the column where the current run of Tab presses started

    def keyPressEvent(self, event):
        if self.state() != QAbstractItemView.EditingState:
            if event.matches(QKeySequence.Copy):
                self.copy()
                return
            if event.matches(QKeySequence.Paste):
                self.paste()
                return
            if event.key() in (Qt.Key_Delete, Qt.Key_Backspace):
                self.clear_selected()
                return
            if self._refuse_on_total(event):
                return
            if event.text() == "/" and not event.modifiers() & (Qt.ControlModifier | Qt.AltModifier):
                self.mark_na()
                return
            if event.key() in (Qt.Key_Return, Qt.Key_Enter):
                self._enter(up=bool(event.modifiers() & Qt.ShiftModifier))
                return
            if event.key() == Qt.Key_Escape and self.balloon.isVisible():
                self.model().state.input_ok()  # Esc puts a message at the cell away
                return
            if event.key() in (Qt.Key_Up, Qt.Key_Down, Qt.Key_Left, Qt.Key_Right, Qt.Key_Home, Qt.Key_End,
                               Qt.Key_PageUp, Qt.Key_PageDown):
                self._tab_origin = None
        super().keyPressEvent(event)

    def _refuse_on_total(self, event) -> bool:
        """A character typed on a computed total (reached with the arrows or the mouse) is refused in sight, at the
        cell and in the status bar, never dropped without a word."""
        text = event.text()
        if not text or not text.isprintable() or text.isspace() \
                or event.modifiers() & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier):
            return False
        ix = self.currentIndex()
        m = self.model()
        cid = m.cell_at(ix.row(), ix.column()) if ix.isValid() else None
        if cid is None or cid not in m.computed:
            return False
        m.state.refuse(cid, tr("This total is filled in automatically from the cells it adds up; type those "
                               "instead (Tab passes over totals)."))
        return True

    def mousePressEvent(self, event):
        self._tab_origin = None
        super().mousePressEvent(event)

    # ----- right-click menu ----------------------------------------------------------------------------
    def contextMenuEvent(self, event):
        """Copy, paste, clear, not applicable, undo/redo — the keys' actions, for a clerk who looks for them with
        the mouse. A right-click outside the selection first selects the cell under the mouse."""
        from .qt import QMenu
        ix = self.indexAt(event.pos())
        m = self.model()
        if ix.isValid() and m.cell_at(ix.row(), ix.column()) and not self.selectionModel().isSelected(ix):
            self.setCurrentIndex(ix)
        st = m.state
        editable = [c for c in self.selected_cells() if st.is_editable(c)]
        menu = QMenu(self)
        menu.setAttribute(Qt.WA_DeleteOnClose)

        def add(text, shortcut, slot, enabled=True):
            a = menu.addAction(text)
            a.setShortcut(QKeySequence(shortcut))
            a.setShortcutVisibleInContextMenu(True)
            a.triggered.connect(slot)
            a.setEnabled(enabled)
            return a
        self.menu_actions = {
            "copy": add(tr("&Copy"), QKeySequence.Copy, self.copy),
            "paste": add(tr("&Paste"), QKeySequence.Paste, lambda: self.paste(),
                         bool(QApplication.clipboard().text())),
            "clear": add(tr("C&lear"), "Delete", self.clear_selected, bool(editable)),
            "na": add(tr("Mark &not applicable (/)"), "/", self.mark_na, bool(editable)),
        }
        menu.addSeparator()
        window = self.window()
        undo = getattr(window, "undo", None) or st.undo.undo  # the window's: it shows the change it undoes
        redo = getattr(window, "redo", None) or st.undo.redo
        self.menu_actions["undo"] = add(tr("&Undo") + (" " + st.undo.undoText() if st.undo.canUndo() else ""),
                                        QKeySequence.Undo, undo, st.undo.canUndo())
        self.menu_actions["redo"] = add(tr("&Redo"), "Ctrl+Y", redo, st.undo.canRedo())
        self.context_menu = menu
        menu.popup(event.globalPos())

    def _value_at(self, r: int, c: int) -> bool:
        return self.model().cell_at(r, c) is not None

    def _value_cover(self, r: int, c: int):
        """The value cell at or covering (r, c) — a merged value cell (表二's 行政许可 spans three columns) — as
        (row, col) of its top-left, or None."""
        p = self.model().placed(r, c)
        return (p.row, p.col) if p is not None and p.cell_id else None

    def _enter(self, up: bool = False) -> None:
        """Enter: down to the next value cell (Shift: up); after a Tab run, the next row at the run's first column;
        at the end of a column, the top of the next column (the bottom of the previous one going up)."""
        m = self.model()
        ix = self.currentIndex()
        r, c = ix.row(), ix.column()
        # from a cell one types into, Enter passes over computed totals as Tab does (Excel's protected cells);
        # from a total (reached with the arrows) it goes on through the totals
        skip = m.computed if m.cell_at(r, c) not in m.computed else frozenset()

        def typable(rr, cc):
            return self._value_at(rr, cc) and m.cell_at(rr, cc) not in skip
        origin, self._tab_origin = self._tab_origin, None
        if origin is not None and not up:
            below = [rr for rr in range(r + 1, m.rowCount()) if typable(rr, origin)]
            target = (below[0] if below else r, origin)
            if typable(*target):
                self.setCurrentIndex(m.index(*target))
                return
        rows = range(r + 1, m.rowCount()) if not up else range(r - 1, -1, -1)
        for rr in rows:
            at = self._value_cover(rr, c)
            if at is not None and at != (r, c) and m.cell_at(*at) not in skip:
                self.setCurrentIndex(m.index(*at))
                return
        # end of the column: on in the next (previous) column that has value cells
        cols = range(c + 1, m.columnCount()) if not up else range(c - 1, -1, -1)
        for cc in cols:
            found = [rr for rr in range(m.rowCount()) if typable(rr, cc)]
            if found:
                self.setCurrentIndex(m.index(found[0] if not up else found[-1], cc))
                return

    def _tab(self, back: bool = False):
        """The next value cell one types into, in reading order (Shift+Tab: the previous one): computed totals are
        passed over as Excel passes over protected cells. Remembers where a Tab run started."""
        m = self.model()
        ix = self.currentIndex()
        if self._tab_origin is None and not back:
            self._tab_origin = ix.column()
        step = -1 if back else 1
        n = m.columnCount()
        pos = ix.row() * n + ix.column()
        for k in range(1, m.rowCount() * n):
            p = pos + step * k
            if not 0 <= p < m.rowCount() * n:
                break
            r, c = divmod(p, n)
            if self._value_at(r, c) and m.cell_at(r, c) not in m.computed:  # over totals, as over protected cells
                if r != ix.row():
                    self._tab_origin = None if back else c  # a new row: the run starts again here
                return m.index(r, c)
        return ix

    def edit(self, index, trigger=None, event=None):
        if trigger is None:  # edit(index): the slot
            return super().edit(index)
        started = super().edit(index, trigger, event)
        if started and trigger == QAbstractItemView.EditKeyPressed:
            # F2 edits the value as it is, cursor at the end (as in Excel/WPS); typing a key replaces it
            editor = self.indexWidget(index) or QApplication.focusWidget()
            if isinstance(editor, QLineEdit):
                editor.deselect()
                editor.end(False)
        return started

    def commit_editor(self) -> None:
        """Commit and close the open cell editor (as Enter would, without moving)."""
        editor = QApplication.focusWidget()
        if editor is not None and self.isAncestorOf(editor) and editor is not self.viewport():
            self.commitData(editor)
            super().closeEditor(editor, QAbstractItemDelegate.NoHint)

    def closeEditor(self, editor, hint):
        if hint == QAbstractItemDelegate.SubmitModelCache:  # Enter in the editor: commit and move as Enter does
            super().closeEditor(editor, QAbstractItemDelegate.NoHint)
            self._enter()
            return
        if hint in (QAbstractItemDelegate.EditNextItem, QAbstractItemDelegate.EditPreviousItem):
            super().closeEditor(editor, QAbstractItemDelegate.NoHint)
            self.setCurrentIndex(self._tab(back=hint == QAbstractItemDelegate.EditPreviousItem))
            return
        if hint == QAbstractItemDelegate.RevertModelCache:  # Escape: the refused text is dropped, so is its message
            self.model().state.input_ok()
        super().closeEditor(editor, hint)

    def moveCursor(self, action, modifiers):
        A = QAbstractItemView
        if action in (A.MoveNext, A.MovePrevious):  # Tab / Shift+Tab outside the editor
            return self._tab(back=action == A.MovePrevious)
        steps = {A.MoveUp: (-1, 0), A.MoveDown: (1, 0), A.MoveLeft: (0, -1), A.MoveRight: (0, 1)}
        if action in steps:  # arrows: the next value cell that way, over labels and header rows
            m = self.model()
            ix = self.currentIndex()
            dr, dc = steps[action]
            here = (ix.row(), ix.column())
            r, c = ix.row() + dr, ix.column() + dc
            while 0 <= r < m.rowCount() and 0 <= c < m.columnCount():
                at = self._value_cover(r, c)
                if at is not None and at != here:
                    return m.index(*at)
                r, c = r + dr, c + dc
            return ix
        return super().moveCursor(action, modifiers)


_LABELISH = re.compile(r"[\u3400-\u9fffA-Za-z]")


def strip_row_labels(text: str, width: int) -> tuple[str, list[str]]:
    """A block copied from a table with its row labels: the leading fields of each line that are words, not
    values ("一、本年新收政府信息公开申请数量", "（一）予以公开"), taken off; returns the rest and the labels taken.
    In a block that had labels, a line's leading empty fields are taken off too while it is wider than ``width``
    (the columns from where it is pasted): the empty cell a merged label (三、本年度办理结果) leaves in the rows
    under its first. A line's values are kept in their columns; "/" and 不适用 are values."""
    from app.values import parse_value
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cuts, labels = [], []
    for line in lines:
        fields = line.split("\t")
        k = 0
        while k < len(fields) - 1 and _LABELISH.search(fields[k]) and not _is_value(fields[k], parse_value):
            k += 1
        labels += [f.strip() for f in fields[:k] if f.strip()]
        cuts.append((fields, k))
    out = []
    for fields, k in cuts:
        while labels and k < len(fields) - 1 and len(fields) - k > width and (
                not fields[k].strip() or (_LABELISH.search(fields[k]) and not _is_value(fields[k], parse_value))):
            if fields[k].strip():
                labels.append(fields[k].strip())
            k += 1
        out.append("\t".join(fields[k:]))
    return "\n".join(out), labels


def _is_value(raw: str, parse_value) -> bool:
    try:
        parse_value(raw, "count")
    except ValueError:
        return False
    return True
