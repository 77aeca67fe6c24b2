"""The wizard: one page per part of the report, a side list with per-page counts, 上一步/下一步."""
from __future__ import annotations

import datetime as _dt

from .findings import FindingsPanel
from .grid import GridView
from .qt import (QDate, QDateEdit, QFont, QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                 QListWidgetItem, QPlainTextEdit, QPushButton, QScrollArea, QSignalBlocker, QSizePolicy,
                 QSpinBox, QSplitter, QStackedWidget, QTextCursor, QVBoxLayout, QWidget, Qt, Signal, tr)
from .state import CHECK, COVER
from .tablemodel import TableModel

YEAR_BLANK = 1989
DATE_BLANK = QDate(2000, 1, 1)


def heading_label(text: str) -> QLabel:
    lab = QLabel(text)
    f = lab.font()
    f.setPointSizeF(f.pointSizeF() * 1.35)
    f.setBold(True)
    lab.setFont(f)
    lab.setWordWrap(True)
    return lab


class CoverPage(QWidget):
    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.state = state
        m = state.report.meta
        self.organ = QLineEdit(m.organ)
        self.organ.setPlaceholderText(tr("e.g. 示例市民政局"))
        self.year = QSpinBox()
        self.year.setRange(YEAR_BLANK, 2100)
        self.year.setSpecialValueText(tr("(not set)"))
        self.year.setValue(m.year or YEAR_BLANK)
        self.year.setSuffix(tr(" (year)"))
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setMinimumDate(DATE_BLANK)
        self.date.setSpecialValueText(tr("(not set)"))
        self.contact = QLineEdit(m.contact)
        self.contact.setPlaceholderText(tr("address, postcode, telephone, e-mail (optional)"))
        self._show_date()
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextSelectableByMouse)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.addRow(tr("&Organ:"), self.organ)
        form.addRow(tr("Report &year:"), self.year)
        form.addRow(tr("&Date of issue:"), self.date)
        form.addRow(tr("&Contact:"), self.contact)
        form.addRow(tr("Title:"), self.title)
        self.previous = QLabel()
        self.previous.setWordWrap(True)
        holder = QWidget()
        holder.setLayout(form)
        holder.setMaximumWidth(self.fontMetrics().horizontalAdvance("国") * 48)
        lay = QVBoxLayout(self)
        lay.addWidget(heading_label(tr("Cover information")))
        lay.addWidget(holder)
        lay.addWidget(self.previous)
        lay.addStretch(1)
        self.organ.textEdited.connect(lambda t: state.set_meta("organ", t))
        self.contact.textEdited.connect(lambda t: state.set_meta("contact", t))
        self.year.valueChanged.connect(lambda v: state.set_meta("year", None if v == YEAR_BLANK else v))
        self.date.dateChanged.connect(self._date_changed)
        state.metaChanged.connect(self.refresh)
        state.checked.connect(self.show_findings)
        self.refresh()
        self.show_findings()

    def fields(self) -> dict:
        return {"meta.organ": self.organ, "meta.year": self.year, "meta.date": self.date,
                "meta.contact": self.contact}

    def show_findings(self, *_):
        """A field with a finding gets a solid (error) or dashed (warning) frame and the message as tooltip."""
        for cell, w in self.fields().items():
            found = self.state.by_cell.get(cell, [])
            if not found:
                w.setStyleSheet("")
                w.setToolTip("")
                continue
            error = any(f.severity == "error" for f in found)
            w.setStyleSheet(f"border: 2px {'solid #be1414' if error else 'dashed #aa6e00'};")
            w.setToolTip("\n".join(("✖ " if f.severity == "error" else "! ") + f.message for f in found))

    def _show_date(self):
        try:
            d = _dt.date.fromisoformat(self.state.report.meta.date.strip())
            self.date.setDate(QDate(d.year, d.month, d.day))
        except ValueError:
            self.date.setDate(DATE_BLANK)

    def _date_changed(self, qd):
        self.state.set_meta("date", "" if qd == DATE_BLANK else qd.toString("yyyy-MM-dd"))

    def refresh(self, *_):
        m = self.state.report.meta
        for w in (self.organ, self.contact, self.year, self.date):
            w.blockSignals(True)
        if self.organ.text() != m.organ:
            self.organ.setText(m.organ)
        if self.contact.text() != m.contact:
            self.contact.setText(m.contact)
        self.year.setValue(m.year or YEAR_BLANK)
        if self.date.date().toString("yyyy-MM-dd") != m.date and not (m.date == "" and self.date.date() == DATE_BLANK):
            self._show_date()
        for w in (self.organ, self.contact, self.year, self.date):
            w.blockSignals(False)
        self.title.setText(self.state.report.title() if m.organ and m.year else tr("(fill in organ and year)"))
        prev = self.state.report.previous
        self.previous.setText(tr("Last year's report is attached (%1); it is used for the cross-year checks.")
                              .replace("%1", prev.title()) if prev is not None else "")

    def focus_field(self, cell: str):
        w = self.fields().get(cell, self.organ)
        w.setFocus()


class TextPage(QWidget):
    """A narrative section: plain-text editor, guidance from the format beside it, character count."""

    def __init__(self, state, sid: str, parent=None):
        super().__init__(parent)
        self.state, self.sid = state, sid
        sec = state.fmt.section(sid)
        self.editor = QPlainTextEdit()
        self.editor.setPlainText(state.report.sections.get(sid, ""))
        self.editor.setTabChangesFocus(True)
        self.count = QLabel()
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.editor, 1)
        ll.addWidget(self.count)
        guide = QWidget()
        gl = QVBoxLayout(guide)
        title = QLabel(tr("What this part must cover"))
        f = title.font()
        f.setBold(True)
        title.setFont(f)
        gl.addWidget(title)
        self.guidance = QLabel(sec.get("guidance", ""))
        self.guidance.setWordWrap(True)
        gl.addWidget(self.guidance)
        self.insert_buttons = []
        if sec.get("subheadings"):
            gl.addWidget(QLabel(tr("Insert a heading at the cursor:")))
            for sub in sec["subheadings"]:
                b = QPushButton(sub)
                b.setToolTip(tr("Insert “%1” as a new line at the cursor").replace("%1", sub))
                b.setStyleSheet("text-align: left; padding: 0.2em 0.6em;")
                b.clicked.connect(lambda _=False, s=sub: self.insert_heading(s))
                gl.addWidget(b)
                self.insert_buttons.append(b)
        for note in sec.get("notes", []):
            lab = QLabel("• " + note)
            lab.setWordWrap(True)
            gl.addWidget(lab)
        gl.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(guide)
        scroll.setFrameShape(QFrame.NoFrame)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(left)
        split.addWidget(scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.addWidget(heading_label(sec["heading"]))
        lay.addWidget(split, 1)
        self.editor.textChanged.connect(self._changed)
        self._update_count()

    def _changed(self):
        self.state.set_section(self.sid, self.editor.toPlainText())
        self._update_count()

    def _update_count(self):
        text = self.editor.toPlainText()
        n = sum(1 for ch in text if not ch.isspace())
        self.count.setText(tr("Characters: %1").replace("%1", str(n)))

    def insert_heading(self, heading: str):
        cur = self.editor.textCursor()
        block = cur.block().text()
        if cur.positionInBlock() > 0 or (block and cur.positionInBlock() == 0 and False):
            cur.movePosition(QTextCursor.EndOfBlock)
            cur.insertText("\n")
        cur.insertText(heading + "\n")
        self.editor.setTextCursor(cur)
        self.editor.setFocus()


class TablePage(QWidget):
    def __init__(self, state, tid: str, parent=None):
        super().__init__(parent)
        self.state, self.tid = state, tid
        sec = state.fmt.section(tid)
        self.model = TableModel(state, tid, self)
        self.grid = GridView(self.model)
        self.fill = QPushButton(tr("Fill blanks with &0"))
        self.fill.setToolTip(tr("Every empty input cell of this table becomes 0 (one undo step)."))
        self.fill.clicked.connect(self.fill_blanks)
        bar = QHBoxLayout()
        hint = QLabel(tr("Type to replace · F2 edit · Enter/Tab move · Delete clears · / = not applicable · "
                         "Ctrl+C/Ctrl+V blocks from Excel/WPS"))
        hint.setWordWrap(True)
        bar.addWidget(hint, 1)
        bar.addWidget(self.fill)
        legend = QLabel(tr("✖ error (solid frame) · ! warning (dashed frame) · dotted frame: not filled in · "
                           "blue corner ？: imported value to check · grey: total filled in automatically"))
        legend.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(heading_label(sec["heading"]))
        lay.addLayout(bar)
        hint = self.grid.sizeHint()
        self.grid.setMaximumSize(hint)
        self.grid.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Maximum)
        if hint.height() < self.grid.fontMetrics().height() * 30:
            self.grid.setMinimumHeight(hint.height())  # small tables: never a scroll bar
        lay.addWidget(self.grid, 1)
        lay.addWidget(legend)
        lay.addStretch(0 if tid == "t3" else 1)

    def fill_blanks(self):
        n = self.state.fill_blanks(self.tid)
        self.state.message.emit(tr("%1 empty cells set to 0.").replace("%1", str(n)) if n
                                else tr("No empty cells in this table."))


class CheckPage(QWidget):
    def __init__(self, state, titles: dict, parent=None):
        super().__init__(parent)
        self.state = state
        self.panel = FindingsPanel(state, titles)
        self.buttons = QHBoxLayout()
        lay = QVBoxLayout(self)
        lay.addWidget(heading_label(tr("Check and export")))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        lay.addWidget(self.panel, 1)
        lay.addLayout(self.buttons)
        state.checked.connect(self.refresh)
        self.refresh()

    def refresh(self, *_):
        e, w = self.state.counts()
        if e:
            text = tr("The report still has %1 errors and %2 warnings. Correct the errors before the report is "
                      "signed off.").replace("%1", str(e)).replace("%2", str(w))
        elif w:
            text = tr("No errors. %1 warnings: check each one; they may be right.").replace("%1", str(w))
        else:
            text = tr("No errors and no warnings.")
        self.summary.setText(text)


class Wizard(QWidget):
    """Side list of pages (with counts) + the pages + 上一步/下一步."""

    pageChanged = Signal(str)

    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.state = state
        fmt = state.fmt
        self.page_ids = [COVER] + [s["id"] for s in fmt.sections] + [CHECK]
        self.titles = {COVER: tr("Cover information"), CHECK: tr("Check and export")}
        for s in fmt.sections:
            self.titles[s["id"]] = s["heading"]
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        for pid in self.page_ids:
            if pid == COVER:
                page = CoverPage(state)
            elif pid == CHECK:
                page = CheckPage(state, self.titles)
            elif pid in fmt.text_sections:
                page = TextPage(state, pid)
            else:
                page = TablePage(state, pid)
            self.pages[pid] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(self.titles[pid])
            item.setData(Qt.UserRole, pid)
            self.list.addItem(item)
        self.back = QPushButton(tr("< &Back"))
        self.next = QPushButton(tr("&Next >"))
        self.back.clicked.connect(lambda: self.go(self.list.currentRow() - 1))
        self.next.clicked.connect(lambda: self.go(self.list.currentRow() + 1))
        nav = QHBoxLayout()
        nav.addStretch(1)
        nav.addWidget(self.back)
        nav.addWidget(self.next)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.stack, 1)
        rl.addLayout(nav)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(self.list)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        fm = self.list.fontMetrics()
        split.setSizes([fm.horizontalAdvance("国") * 17, fm.horizontalAdvance("国") * 60])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)
        self.list.currentRowChanged.connect(self._row_changed)
        state.checked.connect(self.update_counts)
        self.list.setCurrentRow(0)
        self.update_counts()

    def _row_changed(self, row):
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        self.back.setEnabled(row > 0)
        self.next.setEnabled(row < len(self.page_ids) - 1)
        self.pageChanged.emit(self.page_ids[row])

    def go(self, target) -> None:
        row = self.page_ids.index(target) if isinstance(target, str) else target
        if 0 <= row < len(self.page_ids):
            self.list.setCurrentRow(row)

    def current(self) -> str:
        return self.page_ids[self.stack.currentIndex()]

    def page_text(self, pid: str) -> str:
        return self.list.item(self.page_ids.index(pid)).text()

    def update_counts(self, *_):
        for i, pid in enumerate(self.page_ids):
            e, w = self.state.page_counts.get(pid, (0, 0))
            item = self.list.item(i)
            parts = []
            if e:
                parts.append(f"✖{e}")
            if w:
                parts.append(f"!{w}")
            item.setText(self.titles[pid] + (f"  〔{' '.join(parts)}〕" if parts else ""))
            item.setToolTip(tr("%1 errors, %2 warnings on this page").replace("%1", str(e)).replace("%2", str(w)))
            item.setForeground(Qt.darkRed if e else Qt.darkYellow if w else self.list.palette().text())
            item.setData(Qt.UserRole + 1, (e, w))

    def show_finding(self, finding) -> None:
        from .state import finding_page
        pid = finding_page(self.state.fmt, finding)
        self.go(pid)
        page = self.pages[pid]
        if isinstance(page, TablePage):
            page.grid.select_cells([c for c in finding.cells if c in page.model.positions])
        elif isinstance(page, CoverPage):
            page.focus_field(finding.cells[0])
        elif isinstance(page, TextPage):
            page.editor.setFocus()
