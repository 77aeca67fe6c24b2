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
MarkRole = Qt.UserRole + 6  # (status, review reason) of a value cell that needs a mark painted, else None

TINT = {
    ERROR: QColor(255, 205, 205),
    BLANK: QColor(255, 240, 240),
    WARNING: QColor(255, 236, 179),
}
COMPUTED_BG = QColor(226, 232, 240)
_UNFLAGGED = (OK, (), None)  # the signature of a cell without findings or review mark
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
        self._cache: dict[tuple[int, int], dict] = {}
        self.skipped: list = []  # totals a paste fell on (see parse_block)
        self._sigs = {cid: self._signature(cid) for cid in self.positions}
        self._flagged = {cid for cid, sig in self._sigs.items() if sig != _UNFLAGGED}
        self._make_flags()
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
        """ERROR (solid frame) only for a real error; a blank that is not filled in yet is BLANK (dotted), also
        when a warning names it, which then makes it WARNING (dashed), as the legend says."""
        found = [f for f in self.state.by_cell.get(cell_id, ()) if f.rule != "IMPORT.REVIEW"]
        if not found:
            return OK
        todo = self.state.is_todo
        if any(f.severity == rules.ERROR and not todo(f) for f in found):
            return ERROR
        if any(f.severity != rules.ERROR for f in found):
            return WARNING
        return BLANK

    def tooltip(self, cell_id: str) -> str:
        d = self.state.fmt.cells[cell_id]
        lines = [d.name]
        if cell_id in self.computed:
            lines.append(tr("Filled in automatically: the sum of its parts."))
        for f in self.state.by_cell.get(cell_id, ()):
            if f.rule == "IMPORT.REVIEW":
                continue
            mark = ("○ " + tr("Not filled in") if self.state.is_todo(f) else "✖ " + tr("Error")) \
                if f.severity == rules.ERROR else "⚠ " + tr("Warning")
            lines.append(f"{mark}：{f.message}")
        why = self.state.report.review.get(cell_id)
        if why:
            lines.append("？" + tr("Imported value to check: %1").replace("%1", why))
        src = self.state.report.sources.get(cell_id)
        if src:
            lines.append(tr("Source: %1").replace("%1", src))
        return "\n".join(lines)

    # ----- Qt model API ------------------------------------------------------------------------------
    # data() runs for every role of every painted cell, so each cell's roles are computed once into a dict
    # (labels: once; value cells: again only after their value or the findings changed).
    def _label_roles(self, p) -> dict:
        roles = {int(Qt.DisplayRole): p.text, int(Qt.EditRole): p.text, RoleRole: p.role, CellIdRole: None,
                 int(Qt.BackgroundRole): QBrush(BLOCK_BG if p.role == "block" else HEADER_BG
                                                if p.role in ("header", "corner") else QColor(250, 250, 248)),
                 int(Qt.TextAlignmentRole): int(Qt.AlignCenter) if p.role in ("header", "corner", "block")
                 or p.rowspan > 2 else int(Qt.AlignLeft | Qt.AlignVCenter)}
        if p.role in ("header", "block"):
            f = QFont()
            f.setBold(True)
            roles[int(Qt.FontRole)] = f
        return roles

    def _value_roles(self, cid: str) -> dict:
        value = self.state.report.values.get(cid)
        text = display(value)
        st = self.status(cid)
        computed = cid in self.computed
        roles = {int(Qt.DisplayRole): text, int(Qt.EditRole): text, RoleRole: "value", CellIdRole: cid,
                 StatusRole: st, ReviewRole: self.state.report.review.get(cid), ComputedRole: computed,
                 int(Qt.ToolTipRole): self.tooltip(cid), int(Qt.TextAlignmentRole): int(Qt.AlignCenter),
                 int(Qt.AccessibleTextRole): f"{self.state.fmt.cells[cid].name} {text}"}
        review = roles[ReviewRole]
        roles[MarkRole] = (st, review) if st != OK or review else None
        if st != OK:
            roles[int(Qt.BackgroundRole)] = QBrush(TINT[st])
        elif computed:
            roles[int(Qt.BackgroundRole)] = QBrush(COMPUTED_BG)
        if computed:
            f = QFont()
            f.setBold(True)
            roles[int(Qt.FontRole)] = f
        return roles

    def _roles(self, row: int, col: int) -> dict | None:
        key = (row, col)
        roles = self._cache.get(key)
        if roles is None:
            p = self.anchor.get(key)
            if p is None:
                return None
            roles = self._value_roles(p.cell_id) if p.cell_id else self._label_roles(p)
            self._cache[key] = roles
        return roles

    def data(self, index, role=Qt.DisplayRole):
        roles = self._roles(index.row(), index.column())
        return None if roles is None else roles.get(role)

    def flags(self, index):
        return self._flags.get((index.row(), index.column()), self._no_flags)

    def _make_flags(self) -> None:
        self._no_flags = Qt.ItemIsEnabled
        self._flags = {}
        for p in self.layout.cells:
            if p.cell_id is None:
                continue
            f = Qt.ItemIsEnabled | Qt.ItemIsSelectable
            if p.cell_id not in self.computed:
                f |= Qt.ItemIsEditable
            self._flags[(p.row, p.col)] = f

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
                self._cache.pop(self.positions[c], None)
                ix = self.index_of(c)
                self.dataChanged.emit(ix, ix)

    def _signature(self, cid: str):
        return (self.status(cid), tuple(f.message for f in self.state.by_cell.get(cid, ())),
                self.state.report.review.get(cid))

    def _on_checked(self, findings):
        # repaint only the cells whose flags, messages or review mark changed; only cells flagged before or named
        # by a finding or a review mark now can have changed (the others stay unflagged)
        state = self.state
        candidates = self._flagged.union(*(c for c in (state.by_cell, state.report.review)))
        flagged = set()
        for cid in candidates:
            pos = self.positions.get(cid)
            if pos is None:
                continue
            sig = self._signature(cid)
            if sig != _UNFLAGGED:
                flagged.add(cid)
            if self._sigs.get(cid) != sig:
                self._sigs[cid] = sig
                self._cache.pop(pos, None)
                ix = self.index(*pos)
                self.dataChanged.emit(ix, ix)
        self._flagged = flagged

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
                    row.append(str(self.data(self.index(r, c), Qt.DisplayRole)).replace("\t", " ").replace("\n", " "))
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
        self.skipped = []  # (computed cell, pasted text): totals are filled in, never pasted
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
                    if raw.strip():
                        self.skipped.append((p.cell_id, raw.strip()))
                    continue
                d = self.state.fmt.cells[p.cell_id]
                try:
                    out[p.cell_id] = parse_value(raw, d.kind, d.name)
                except ValueError_ as e:
                    raise ValueError(str(e) + tr(" Nothing was pasted.")) from None
        return out
