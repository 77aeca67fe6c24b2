"""One Qt table model per statistical table, built from the format's printed layout (``fmt.layout``).

The model knows nothing about views: it maps grid positions to the layout's placed cells (labels, headers,
value cells), reads values from the :class:`ui.state.ReportState` and writes typed text back through it
(so every edit is an undo step and re-runs the rules). Tests drive it without any view.
"""
from __future__ import annotations

from app import rules
from app.values import display

from .qt import QAbstractTableModel, QBrush, QColor, QFont, QModelIndex, Qt, tr

# status of a value cell, for the delegate (glyph + border) and for tests
OK, ERROR, WARNING, BLANK = "ok", "error", "warning", "blank"
StatusRole = Qt.UserRole + 1
CellIdRole = Qt.UserRole + 2
ReviewRole = Qt.UserRole + 3
RoleRole = Qt.UserRole + 4  # layout role: corner|header|label|block|value
ComputedRole = Qt.UserRole + 5

TINT = {
    ERROR: QColor(255, 205, 205),
    BLANK: QColor(255, 240, 240),
    WARNING: QColor(255, 236, 179),
}
COMPUTED_BG = QColor(226, 232, 240)
HEADER_BG = QColor(240, 240, 236)
BLOCK_BG = QColor(228, 234, 222)


class TableModel(QAbstractTableModel):
    def __init__(self, state, table_id: str, parent=None):
        super().__init__(parent)
        self.state = state
        self.table_id = table_id
        self.layout = state.fmt.layout(table_id)
        self.anchor: dict[tuple[int, int], object] = {}  # (row, col) -> Placed, for every covered position
        for p in self.layout.cells:
            for r in range(p.row, p.row + p.rowspan):
                for c in range(p.col, p.col + p.colspan):
                    self.anchor[(r, c)] = p
        self.positions = {p.cell_id: (p.row, p.col) for p in self.layout.cells if p.cell_id}
        self.computed = state.computed
        state.cellsChanged.connect(self._on_cells)
        state.checked.connect(self._on_checked)

    # ----- structure ---------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else self.layout.rows

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else self.layout.cols

    def spans(self):
        """(row, col, rowspan, colspan) of every merged cell, for QTableView.setSpan."""
        return [(p.row, p.col, p.rowspan, p.colspan) for p in self.layout.cells if p.rowspan > 1 or p.colspan > 1]

    def placed(self, row: int, col: int):
        return self.anchor.get((row, col))

    def cell_at(self, row: int, col: int) -> str | None:
        p = self.anchor.get((row, col))
        return p.cell_id if p is not None and p.row == row and p.col == col else None

    def index_of(self, cell_id: str) -> QModelIndex:
        r, c = self.positions[cell_id]
        return self.index(r, c)

    # ----- per-cell state ----------------------------------------------------------------------------
    def status(self, cell_id: str) -> str:
        found = [f for f in self.state.by_cell.get(cell_id, ()) if f.rule != "IMPORT.REVIEW"]
        if any(f.severity == rules.ERROR for f in found):
            if self.state.report.values.get(cell_id) is None and all(f.rule == "CELL.VALUE" for f in found):
                return BLANK
            return ERROR
        if found:
            return WARNING
        return OK

    def tooltip(self, cell_id: str) -> str:
        d = self.state.fmt.cells[cell_id]
        lines = [d.name]
        if cell_id in self.computed:
            lines.append(tr("Filled in automatically: the sum of its parts."))
        for f in self.state.by_cell.get(cell_id, ()):
            if f.rule == "IMPORT.REVIEW":
                continue
            mark = "✖ " + tr("Error") if f.severity == rules.ERROR else "⚠ " + tr("Warning")
            lines.append(f"{mark}：{f.message}")
        why = self.state.report.review.get(cell_id)
        if why:
            lines.append("？" + tr("Imported value to check: %1").replace("%1", why))
        src = self.state.report.sources.get(cell_id)
        if src:
            lines.append(tr("Source: %1").replace("%1", src))
        return "\n".join(lines)

    # ----- Qt model API ------------------------------------------------------------------------------
    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        p = self.anchor.get((index.row(), index.column()))
        if p is None:
            return None
        cid = p.cell_id
        if role in (Qt.DisplayRole, Qt.EditRole):
            return display(self.state.report.values.get(cid)) if cid else p.text
        if role == CellIdRole:
            return cid
        if role == RoleRole:
            return p.role
        if cid is None:
            if role == Qt.BackgroundRole:
                return QBrush(BLOCK_BG if p.role == "block" else HEADER_BG if p.role in ("header", "corner") else
                              QColor(250, 250, 248))
            if role == Qt.TextAlignmentRole:
                if p.role in ("header", "corner", "block") or p.rowspan > 2:
                    return int(Qt.AlignCenter)
                return int(Qt.AlignLeft | Qt.AlignVCenter)
            if role == Qt.FontRole and p.role in ("header", "block"):
                f = QFont()
                f.setBold(True)
                return f
            return None
        if role == StatusRole:
            return self.status(cid)
        if role == ReviewRole:
            return self.state.report.review.get(cid)
        if role == ComputedRole:
            return cid in self.computed
        if role == Qt.ToolTipRole:
            return self.tooltip(cid)
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignCenter)
        if role == Qt.BackgroundRole:
            st = self.status(cid)
            if st != OK:
                return QBrush(TINT[st])
            if cid in self.computed:
                return QBrush(COMPUTED_BG)
            return None
        if role == Qt.FontRole and cid in self.computed:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.AccessibleTextRole:
            return f"{self.state.fmt.cells[cid].name} {display(self.state.report.values.get(cid))}"
        return None

    def flags(self, index):
        cid = self.cell_at(index.row(), index.column())
        if cid is None:
            return Qt.ItemIsEnabled
        if cid in self.computed:
            return Qt.ItemIsEnabled | Qt.ItemIsSelectable
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsEditable

    def setData(self, index, value, role=Qt.EditRole):
        if role != Qt.EditRole:
            return False
        cid = self.cell_at(index.row(), index.column())
        if cid is None or cid in self.computed:
            return False
        return self.state.set_text(cid, "" if value is None else str(value))

    # ----- updates -------------------------------------------------------------------------------------
    def _on_cells(self, cells):
        for c in cells:
            if c in self.positions:
                ix = self.index_of(c)
                self.dataChanged.emit(ix, ix)

    def _on_checked(self, findings):
        # tints and tooltips may change anywhere in the table: one signal for the whole value area
        self.dataChanged.emit(self.index(0, 0), self.index(self.layout.rows - 1, self.layout.cols - 1))

    # ----- blocks (copy / paste) ---------------------------------------------------------------------
    def block_text(self, top: int, left: int, bottom: int, right: int) -> str:
        """Tab-separated text of a rectangle (values and labels as shown), for the clipboard."""
        rows = []
        for r in range(top, bottom + 1):
            row = []
            for c in range(left, right + 1):
                p = self.anchor.get((r, c))
                if p is None or (p.row, p.col) != (r, c):
                    row.append("")
                else:
                    row.append(str(self.data(self.index(r, c))).replace("\t", " ").replace("\n", " "))
            rows.append("\t".join(row))
        return "\r\n".join(rows) + "\r\n"

    def parse_block(self, text: str, top: int, left: int) -> dict:
        """Values of a pasted tab-separated block placed at (top, left); all-or-nothing.

        Returns {cell: value}. Raises ``ValueError`` with a Chinese message naming the first problem when the
        block does not fit on input cells or holds a bad value. Totals in the block are skipped (they are
        filled in automatically).
        """
        from app.values import ValueError_, parse_value
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        while lines and lines[-1] == "":
            lines.pop()
        if not lines:
            raise ValueError(tr("The clipboard holds nothing to paste."))
        out = {}
        for i, line in enumerate(lines):
            for j, raw in enumerate(line.split("\t")):
                r, c = top + i, left + j
                p = self.anchor.get((r, c))
                if r >= self.layout.rows or c >= self.layout.cols:
                    raise ValueError(tr("The pasted block (%1 rows × %2 columns) does not fit in the table here; "
                                        "nothing was pasted.").replace("%1", str(len(lines)))
                                     .replace("%2", str(max(len(x.split("\t")) for x in lines))))
                if p is None or p.cell_id is None or (p.row, p.col) != (r, c):
                    if raw.strip() == "" and p is not None and p.cell_id is not None:
                        continue  # the empty remainder of a merged value cell, as spreadsheets copy it
                    label = p.text if p is not None else ""
                    raise ValueError(tr("The pasted block would cover the label “%1”; nothing was pasted. "
                                        "Select the top-left value cell of the block first.").replace("%1", label))
                if p.cell_id in self.computed:
                    continue
                d = self.state.fmt.cells[p.cell_id]
                try:
                    out[p.cell_id] = parse_value(raw, d.kind, d.name)
                except ValueError_ as e:
                    raise ValueError(str(e) + tr(" Nothing was pasted.")) from None
        return out
