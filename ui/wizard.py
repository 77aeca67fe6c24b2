"""The wizard: one page per part of the report, a side list with per-page counts, 上一步/下一步."""
from __future__ import annotations

import datetime as _dt

from .findings import FindingsPanel
from .qt import (QColor, QDate, QKeySequence, QPalette, QRect, QSize,
                 QStyledItemDelegate, QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                 QListWidgetItem, QMenu, QPlainTextEdit, QPushButton, QScrollArea, QSignalBlocker,
                 QSplitter, QStackedWidget, QToolButton, QVBoxLayout, QWidget,
                 Signal, tr)
# (``Qt`` is imported where used: the first frame needs none of its 94 enums, see ui/qt.py)
from .qt import (ACCESSIBLE_TEXT_ROLE, ALIGN_LEFT, ALIGN_RIGHT, ALIGN_TOP, TEXT_WORD_WRAP, TOOLTIP_ROLE, USER_ROLE,
                 set_enum)
from .state import CHECK, COVER

YEAR_MIN, YEAR_MAX = 1990, 2100


def parse_year(text: str) -> int | None:
    """``2023``, ``２０２３``, ``2023年度``, ``二〇二三年`` → 2023 (:func:`app.textutil.parse_year`); blank → None;
    anything else, or a year outside the cover's range → ValueError."""
    from app.textutil import parse_year as written_year
    year = written_year(text)
    if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
        raise ValueError(text)
    return year


def parse_date(text: str) -> str:
    """``2024-01-16``, ``2024/1/16``, ``2024.1.16``, ``2024年1月16日``, ``20240116``, ``二〇二四年一月十六日`` → ISO
    (:func:`app.textutil.parse_date`); blank → ""; anything else, or a year outside the cover's range → ValueError."""
    from app.textutil import parse_date as written_date
    t = text.strip()
    if not t:
        return ""
    iso = written_date(t, compact=True)
    if iso is None or not YEAR_MIN <= int(iso[:4]) <= YEAR_MAX:
        raise ValueError(text)
    return iso


def heading_label(text: str) -> QLabel:
    lab = QLabel(text)
    f = lab.font()
    f.setPointSizeF(f.pointSizeF() * 1.35)
    f.setBold(True)
    lab.setFont(f)
    lab.setWordWrap(True)
    return lab


class CoverPage(QWidget):
    """机关名称, 报告年度, 成文日期, 联系方式. Organ and contact go into the report as they are typed; year and date
    when the field is left (Enter, Tab, a click elsewhere): a value that is not a year or a date is refused with a
    message naming the field, and the field shows the previous value again."""

    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.state = state
        m = state.report.meta
        self.organ = QLineEdit(m.organ)
        self.organ.setPlaceholderText(tr("e.g. 示例市民政局"))
        self.year = QLineEdit()
        self.year.setPlaceholderText(tr("e.g. 2024"))
        self.date = QLineEdit()
        self.date.setPlaceholderText(tr("e.g. 2025-01-20 or 2025年1月20日"))
        self.calendar_button = QToolButton()
        self.calendar_button.setText(tr("Calendar…"))
        self.calendar_button.setToolTip(tr("Pick the date of issue from a calendar"))
        self.calendar_button.setPopupMode(QToolButton.InstantPopup)
        self._calendar_menu = QMenu(self.calendar_button)  # the calendar is put in when first opened
        self._calendar_menu.aboutToShow.connect(self._calendar_shown)
        self.calendar_button.setMenu(self._calendar_menu)
        self._calendar = None
        date_row = QHBoxLayout()
        date_row.setContentsMargins(0, 0, 0, 0)
        date_row.addWidget(self.date, 1)
        date_row.addWidget(self.calendar_button)
        self.contact = QLineEdit(m.contact)
        self.contact.setPlaceholderText(tr("address, postcode, telephone, e-mail (optional)"))
        # the opening paragraph: the office's own wording, or the format's standard one (shown, and editable)
        self.opening = QPlainTextEdit()
        self.opening.setTabChangesFocus(True)
        self.opening.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)
        self.opening_note = QLabel()
        self.opening_note.setWordWrap(True)
        self.imported = QLabel()  # what the import of last year's report left out, joined and moved
        self.imported.setWordWrap(True)
        set_enum(self.imported, "textInteractionFlags", "TextSelectableByMouse")
        self.title = QLabel()
        self.title.setWordWrap(True)
        set_enum(self.title, "textInteractionFlags", "TextSelectableByMouse")
        self.problem = QLabel()  # the last refused entry
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #be1414;")
        self.problem.hide()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.WrapLongRows)
        form.addRow(tr("&Organ:"), self.organ)
        form.addRow(tr("Report &year:"), self.year)
        date_label = QLabel(tr("&Date of issue:"))  # a row holding a layout gets no buddy by itself
        date_label.setBuddy(self.date)
        form.addRow(date_label, date_row)
        form.addRow(tr("&Contact:"), self.contact)
        form.addRow(tr("Title:"), self.title)
        form.addRow(tr("Openin&g:"), self.opening)
        form.addRow("", self.opening_note)
        self.previous = QLabel()
        self.previous.setWordWrap(True)
        holder = QWidget()
        holder.setLayout(form)
        holder.setMaximumWidth(self.fontMetrics().horizontalAdvance("国") * 48)
        lay = QVBoxLayout(self)
        lay.addWidget(heading_label(tr("Cover information")))
        lay.addWidget(holder)
        lay.addWidget(self.problem)
        lay.addWidget(self.imported)
        lay.addWidget(self.previous)
        lay.addStretch(1)
        # textChanged, not textEdited: the line edits' own undo (Ctrl+Z in the field) must reach the report too
        self.organ.textChanged.connect(lambda t: state.set_meta("organ", t))
        self.contact.textChanged.connect(lambda t: state.set_meta("contact", t))
        self.opening.textChanged.connect(self._opening_edited)
        self.year.editingFinished.connect(self._year_entered)
        self.date.editingFinished.connect(self._date_entered)
        state.metaChanged.connect(self.refresh)
        state.checked.connect(self.show_findings)
        self.refresh()
        self.show_findings()

    def fields(self) -> dict:
        return {"meta.organ": self.organ, "meta.year": self.year, "meta.date": self.date,
                "meta.contact": self.contact, "meta.opening": self.opening}

    def _standard_opening(self) -> str:
        from app.opening import standard_opening  # (not app.textutil: its patterns are not needed to show the cover)
        m = self.state.report.meta
        return standard_opening(m.organ, m.year)

    def _opening_edited(self):
        """The opening as typed; the standard wording (or an empty field) is stored as "" so that it follows the
        organ and the year."""
        from app.textutil import same_text
        text = self.opening.toPlainText()
        if not text.strip() or same_text(text, self._standard_opening()):
            text = ""
        self.state.set_meta("opening", text)
        self._opening_note()

    def _opening_note(self):
        own = bool(self.state.report.meta.opening)
        self.opening_note.setText(tr("The office's own opening, printed as written.") if own else
                                  tr("The format's standard opening; it follows the organ and year. Edit it to "
                                     "write your own."))

    def show_findings(self, *_):
        """A field with a finding gets a solid (error) or dashed (warning) frame and the message as tooltip."""
        for cell, w in self.fields().items():
            found = self.state.by_cell.get(cell, [])
            if not found:
                w.setStyleSheet("")
                w.setToolTip("")
                continue
            todo = self.state.is_todo
            error = any(f.severity == "error" and not todo(f) for f in found)
            warning = any(f.severity != "error" for f in found)
            style = "2px solid #be1414" if error else "1px dashed #aa6e00" if warning else "1px dotted #c08080"
            w.setStyleSheet(f"border: {style};")  # (dotted: not filled in yet, as a blank cell)
            w.setToolTip("\n".join(("○ " if todo(f) else "✖ " if f.severity == "error" else "! ") + f.message
                                    for f in found))

    # ----- year and date: checked when the field is left ---------------------------------------------------
    def _refuse(self, field: QLineEdit, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()
        self.state.message.emit(text)
        self.refresh()  # the field shows the value the report still holds

    def commit(self) -> None:
        """Take what is typed in the year and date fields (e.g. before saving with Ctrl+S while still in one)."""
        m = self.state.report.meta
        if self.year.text() != (str(m.year) if m.year else ""):
            self._year_entered()
        if self.date.text() != m.date:
            self._date_entered()

    def _year_entered(self):
        text = self.year.text()
        old = self.state.report.meta.year
        try:
            value = parse_year(text)
        except ValueError:
            self._refuse(self.year, tr("Report year: “%1” is not a year from %2 to %3; the previous value (%4) is "
                                       "kept.").replace("%1", text.strip()).replace("%2", str(YEAR_MIN))
                         .replace("%3", str(YEAR_MAX)).replace("%4", str(old) if old else tr("blank")))
            return
        self.problem.hide()
        self.state.set_meta("year", value)
        self.refresh()

    def _date_entered(self):
        text = self.date.text()
        old = self.state.report.meta.date
        try:
            value = parse_date(text)
        except ValueError:
            self._refuse(self.date, tr("Date of issue: “%1” is not a valid date (write e.g. 2025-01-20 or "
                                       "2025年1月20日); the previous value (%2) is kept.")
                         .replace("%1", text.strip()).replace("%2", old or tr("blank")))
            return
        self.problem.hide()
        self.state.set_meta("date", value)
        self.refresh()

    @property
    def calendar(self):
        """The date picker in the calendar button's menu, made when first needed (~3 ms at start-up otherwise)."""
        if self._calendar is None:
            from .qt import QCalendarWidget, QWidgetAction
            menu = self._calendar_menu
            self._calendar = QCalendarWidget()
            wa = QWidgetAction(menu)
            wa.setDefaultWidget(self._calendar)
            menu.addAction(wa)
            self._calendar.activated.connect(lambda qd: (menu.close(), self._pick_date(qd)))
            self._calendar.clicked.connect(lambda qd: (menu.close(), self._pick_date(qd)))
        return self._calendar

    def _calendar_shown(self):
        try:
            d = _dt.date.fromisoformat(self.state.report.meta.date.strip())
            self.calendar.setSelectedDate(QDate(d.year, d.month, d.day))
        except ValueError:
            self.calendar.setSelectedDate(QDate.currentDate())
        self.calendar.setFocus()

    def _pick_date(self, qd):
        self.problem.hide()
        self.state.set_meta("date", qd.toString("yyyy-MM-dd"))
        self.date.setFocus()

    def refresh(self, *_):
        m = self.state.report.meta
        shown = {self.organ: m.organ, self.contact: m.contact, self.year: str(m.year) if m.year else "",
                 self.date: m.date}
        for w, text in shown.items():
            if w.text() != text:
                with QSignalBlocker(w):
                    w.setText(text)
        self.title.setText(self.state.report.title() if m.organ and m.year else tr("(fill in organ and year)"))
        opening = m.opening or self._standard_opening()
        if self.opening.toPlainText() != opening and not (not m.opening and self.opening.hasFocus()
                                                          and not self.opening.toPlainText().strip()):
            with QSignalBlocker(self.opening):
                self.opening.setPlainText(opening)
        self._opening_note()
        # shown right after an import only (a saved project keeps the record in the file, not on its cover)
        account = None
        prev = self.state.report.previous
        # the document just read: this report itself, or last year's that a report was started from (文件 → 从上年
        # 报告新建: its reading is told as opening it would tell it)
        read = self.state.report if "import_account" in self.state.report.extra else \
            prev if prev is not None and getattr(prev, "import_account", None) is not None else None
        if getattr(self.state, "path", None) is None and read is not None:
            from app.importers.account import Account  # (only then: the importers are not loaded at start-up)
            account = Account.of(read)
        notes = [n for n in read.extra.get("import_notes", []) if isinstance(n, str)] if account else []
        summary = (account.summary() or tr("nothing left out.")) if account else ""
        self.imported.setText((tr("Imported from last year's report: %1").replace("%1", summary) +
                               "".join("\n· " + n for n in notes[:8])) if (summary or notes) else "")
        self.imported.setVisible(bool(summary or notes))
        named = (prev.known_title() or tr("its organ and year were not recognised")) if prev is not None else ""
        from app.rules import previous_for_checks
        used = prev is not None and previous_for_checks(self.state.report.format, self.state.report, prev)[0]
        self.previous.setText("" if prev is None else (
            tr("Last year's report is attached (%1); it is used for the cross-year checks.") if used else
            tr("Last year's report is attached (%1), but it is not of the year before this report's, so the "
               "cross-year checks do not use it (see the findings).")).replace("%1", named))
        self.previous.setVisible(prev is not None)

    def focus_field(self, cell: str):
        w = self.fields().get(cell, self.organ)
        w.setFocus()


class NarrativeEdit(QPlainTextEdit):
    """Plain-text editor whose undo goes back in typing steps, as in any editor: a paste, each typed word or
    phrase (a space, punctuation, Enter or a pause ends a step), each input-method commit is one step. Qt alone
    merges every contiguous insertion, so one Ctrl+Z after pasting a paragraph and typing "ABC" emptied it."""

    PAUSE_S = 1.0
    BREAKS = set(" \t，。、；：！？,.;:!?（）()“”\"'")

    def __init__(self, *args):
        super().__init__(*args)
        self._last_key = 0.0
        self._after_break = True

    def _new_step(self) -> None:
        # QTextDocument merges an insertion into the previous undo step only while the document is "modified"
        self.document().setModified(False)

    def keyPressEvent(self, event):
        import time

        from .qt import Qt
        text = event.text()
        now = time.monotonic()
        if text and text.isprintable() or event.key() in (Qt.Key_Return, Qt.Key_Enter):
            if self._after_break or now - self._last_key > self.PAUSE_S \
                    or event.key() in (Qt.Key_Return, Qt.Key_Enter):
                self._new_step()
            self._after_break = text in self.BREAKS or event.key() in (Qt.Key_Return, Qt.Key_Enter)
            self._last_key = now
        else:
            self._after_break = True  # moving, deleting, shortcuts: the next typing starts a new step
        super().keyPressEvent(event)

    def event(self, event):
        # Ctrl+Z / Ctrl+Y with nothing left to undo/redo here go to the window: the report's undo history
        from .qt import QEvent  # (not at import: PySide6 builds QEvent's enums then, ~4 ms of start-up)
        if event.type() == QEvent.ShortcutOverride:
            doc = self.document()
            if (event.matches(QKeySequence.Undo) and not doc.isUndoAvailable()) or (
                    (event.matches(QKeySequence.Redo) or event.keyCombination().toCombined()
                     == QKeySequence("Ctrl+Y")[0].toCombined()) and not doc.isRedoAvailable()):
                event.ignore()
                return False
        return super().event(event)

    def insertFromMimeData(self, source):
        self._new_step()
        super().insertFromMimeData(source)
        self._new_step()
        self._after_break = True

    def inputMethodEvent(self, event):
        if event.commitString():
            self._new_step()
            self._after_break = True
        super().inputMethodEvent(event)


class TextPage(QWidget):
    """A narrative section: plain-text editor, guidance from the format beside it, character count."""

    def __init__(self, state, sid: str, parent=None):
        super().__init__(parent)
        self.state, self.sid = state, sid
        sec = state.fmt.section(sid)
        self.editor = NarrativeEdit()
        # the margin first: setting it is an undo step of the document, which setPlainText then clears
        self.editor.document().setDocumentMargin(self.editor.fontMetrics().horizontalAdvance("国") * 0.6)
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
        # only ever scrolled vertically: the pane is as wide as its widest heading button
        set_enum(scroll, "horizontalScrollBarPolicy", "ScrollBarAlwaysOff")
        sb = scroll.style().pixelMetric(scroll.style().PixelMetric.PM_ScrollBarExtent)
        scroll.setMinimumWidth(guide.minimumSizeHint().width() + sb)
        split = QSplitter()  # (horizontal)
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
        """Insert the heading as a line of its own at the cursor (one undo step of the editor)."""
        cur = self.editor.textCursor()
        self.editor._new_step()
        cur.beginEditBlock()
        if cur.hasSelection():
            cur.removeSelectedText()
        if cur.positionInBlock() > 0:  # in the middle of a line: the heading starts a new paragraph
            cur.insertText("\n")
        cur.insertText(heading + "\n")  # the text goes on under the heading
        cur.endEditBlock()
        self.editor._new_step()
        self.editor._after_break = True
        self.editor.setTextCursor(cur)
        self.editor.setFocus()


class TablePage(QWidget):
    def __init__(self, state, tid: str, parent=None):
        super().__init__(parent)
        self.state, self.tid = state, tid
        sec = state.fmt.section(tid)
        from .grid import GridView  # (imported with the first table page: not needed for the window to come up)
        from .qt import QSizePolicy, Qt
        from .tablemodel import TableModel
        self.model = TableModel(state, tid, self)
        self.grid = GridView(self.model)
        self.fill = QPushButton(tr("Fill blanks with &0"))
        self.fill.setToolTip(tr("Every empty input cell of this table becomes 0 (one undo step)."))
        self.fill.clicked.connect(self.fill_blanks)
        bar = QHBoxLayout()  # the heading and the button share a line: the grid keeps the height
        bar.addWidget(heading_label(sec["heading"]), 1)
        bar.addWidget(self.fill, 0, Qt.AlignBottom)
        legend = QLabel(tr("✖ error (solid frame) · ! warning (dashed frame) · dotted frame: not filled in · "
                           "blue corner ？: imported value to check · grey: total filled in automatically")
                        + "\n" + tr("Type to replace · F2 edit · Enter/Tab move · Delete clears · / = not applicable · "
                                     "Ctrl+C/Ctrl+V blocks from Excel/WPS · right-click for a menu · F1 help"))
        legend.setWordWrap(True)
        self.legend = legend
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        hint = self.grid.sizeHint()
        # as tall as the table where the window has room, else it scrolls under its frozen header rows: the page
        # never asks the window to be taller than a small screen
        self.grid.setMinimumHeight(self.grid.minimum_height())
        self.grid.setMaximumSize(hint)
        self.grid.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Maximum)
        lay.addWidget(self.grid, 1)
        lay.addWidget(legend)
        lay.setSpacing(self.fontMetrics().height() // 3)
        lay.setContentsMargins(0, lay.spacing(), 0, 0)  # (the wizard around it has margins of its own)
        lay.addStretch(0)  # (the grid takes the height up to its own; only what is left goes below the legend)

    def fill_blanks(self):
        n = self.state.fill_blanks(self.tid)
        self.state.message.emit(tr("%1 empty cells set to 0.").replace("%1", str(n)) if n
                                else tr("No empty cells in this table."))


class CheckPage(QWidget):
    def __init__(self, state, titles: dict, parent=None):
        super().__init__(parent)
        self.state = state
        state.complete()  # every finding is listed here, also the warnings still held back at start-up
        self.panel = FindingsPanel(state, titles, summary=False)  # the page says it once, above the list
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
        e, w, t = self.state.screen_counts()
        if t:
            text = tr("%1 items are not filled in yet (listed below; blank cells have a dotted frame). ")\
                .replace("%1", str(t))
        else:
            text = ""
        self.summary.setText(text + self._errors_text(e, w))

    def _errors_text(self, e: int, w: int) -> str:
        if e:
            text = tr("The report still has %1 errors and %2 warnings. Correct the errors before the report is "
                      "signed off.").replace("%1", str(e)).replace("%2", str(w))
        elif w:
            text = tr("No errors. %1 warnings: check each one; they may be right.").replace("%1", str(w))
        else:
            text = tr("No errors and no warnings.")
        return text


def last_changed(state, cells) -> str | None:
    """Of these cells, the one the clerk changed last (by the undo history: typed, pasted, filled, fixed), or None."""
    from .state import command_cells
    wanted = set(cells)
    stack = state.undo
    for i in range(stack.index() - 1, -1, -1):
        for c in reversed(command_cells(stack.command(i))):
            if c in wanted:
                return c
    return None


TitleRole = USER_ROLE + 2  # a page list entry's title (its text also holds the counts, for screen readers)
CountsRole = USER_ROLE + 1  # (errors, warnings) of the page


class PageItem(QListWidgetItem):
    """A page list entry whose counts, read-out text and tooltip change without a model change (``live``)."""

    def __init__(self, text):
        super().__init__(text)
        self.live = {CountsRole: (0, 0)}

    def data(self, role):
        value = self.live.get(role)
        return value if value is not None else super().data(role)


# words of the sections' headings that a wrapped line never splits ("行|政复议", "诉讼情|况", "的|事项" otherwise:
# Qt may break Chinese text between any two characters); longest first
_WORDS = sorted(("政府信息", "行政复议", "行政诉讼", "主要问题", "公开", "情况", "事项", "申请", "处理", "收到",
                 "主动", "其他", "需要", "报告", "存在", "改进", "总体", "工作", "年度", "检查", "导出", "封面",
                 "信息"), key=len, reverse=True)
_JOIN = "\u2060"  # WORD JOINER: no line break here, nothing drawn


def keep_words(title: str) -> str:
    """``title`` with a WORD JOINER inside each known word, so the page list wraps between words, never inside
    one; "一、" stays with what follows. Unknown text wraps as before."""
    out, i = [], 0
    while i < len(title):
        w = next((w for w in _WORDS if title.startswith(w, i)), None)
        if w is None:
            out.append(title[i])
            i += 1
            continue
        out.append(_JOIN.join(w))
        i += len(w)
    text = "".join(out)
    return text.replace("、", "、" + _JOIN, 1) if len(title) > 2 and title[1:2] == "、" else text


class PageListDelegate(QStyledItemDelegate):
    """Page list entries: the title wraps in the room left of a counts column that is always reserved, so the
    counts are always visible and an entry's height never changes when counts come and go. Collapsed, an
    entry shows its short name (一, 二, …) and the counts only."""

    def __init__(self, view, short: dict):
        super().__init__(view)
        self.view = view
        self.short = short
        self.collapsed = False
        self._metrics_cache: dict = {}
        self._sizes: dict = {}  # (title, width, font) -> size: the list re-measures every entry on any change

    def _metrics(self, fm):
        key = fm.height(), fm.averageCharWidth()
        m = self._metrics_cache.get(key)
        if m is None:
            ch = fm.horizontalAdvance("国")
            m = self._metrics_cache[key] = (ch, fm.horizontalAdvance("✖99 !99") + ch // 2)
        return m

    def title(self, index) -> str:
        pid = index.data(USER_ROLE)
        return self.short.get(pid, "") if self.collapsed else keep_words(index.data(TitleRole) or "")

    def _title_rect(self, rect, fm):
        ch, badge = self._metrics(fm)
        return rect.adjusted(ch // 2, ch // 4, -badge - ch // 2, -ch // 4)

    def sizeHint(self, option, index):
        fm = option.fontMetrics
        width = self.view.viewport().width()
        title = self.title(index)
        key = (title, width, fm.height())
        size = self._sizes.get(key)
        if size is None:
            ch, badge = self._metrics(fm)
            room = self._title_rect(QRect(0, 0, width, 100000), fm)
            h = fm.boundingRect(QRect(0, 0, max(room.width(), ch), 100000), TEXT_WORD_WRAP, title)
            size = self._sizes[key] = QSize(width, h.height() + ch // 2)
            if len(self._sizes) > 500:
                self._sizes.clear()
        return size

    def paint(self, painter, option, index):
        # drawn by hand rather than through QStyle (touching QStyle's enums costs ~30 ms at start-up)
        selected = self.view.selectionModel().isSelected(index)
        painter.save()
        if selected:
            painter.fillRect(option.rect, option.palette.highlight())
        fm = option.fontMetrics
        ch, badge = self._metrics(fm)
        text_color = option.palette.color(QPalette.HighlightedText if selected else QPalette.Text)
        painter.setPen(text_color)
        painter.drawText(self._title_rect(option.rect, fm), TEXT_WORD_WRAP | ALIGN_LEFT | ALIGN_TOP,
                         self.title(index))
        e, w = index.data(CountsRole) or (0, 0)
        x = option.rect.right() - ch // 2
        y = option.rect.top() + ch // 4
        for text, color in ((f"!{w}", QColor(150, 95, 0)) if w else (None, None),
                            (f"✖{e}", QColor(180, 20, 20)) if e else (None, None)):
            if not text:
                continue
            width = fm.horizontalAdvance(text)
            painter.setPen(text_color if selected else color)
            painter.drawText(QRect(x - width, y, width, fm.height()), ALIGN_RIGHT | ALIGN_TOP, text)
            x -= width + ch // 3
        painter.restore()


class Pages:
    """The wizard's pages by id, each built on first access (``pages["t3"]``); ``built`` holds those that exist.
    ``built_hook(pid, page)`` runs once per page (the main window hooks up export buttons, drops, …)."""

    def __init__(self, wizard):
        self.wizard = wizard
        self.built: dict[str, QWidget] = {}
        self.hooks: list = []

    def __getitem__(self, pid: str) -> QWidget:
        page = self.built.get(pid)
        if page is None:
            if pid not in self.wizard.page_ids:
                raise KeyError(pid)
            page = self.built[pid] = self.wizard.build_page(pid)
            for hook in self.hooks:
                hook(pid, page)
        return page

    def __contains__(self, pid) -> bool:
        return pid in self.wizard.page_ids

    def __iter__(self):
        return iter(self.wizard.page_ids)

    def __len__(self) -> int:
        return len(self.wizard.page_ids)

    def keys(self):
        return list(self.wizard.page_ids)

    def values(self):
        return [self[pid] for pid in self.wizard.page_ids]

    def items(self):
        return [(pid, self[pid]) for pid in self.wizard.page_ids]


class Wizard(QWidget):
    """Side list of pages (with counts) + the pages + 上一步/下一步."""

    pageChanged = Signal(str)
    drawn = Signal()  # once, after its first paint (the main window runs what the first frame did not need)
    _drawn = False

    def paintEvent(self, event):  # (not an event filter until the first paint: it would see every event of the
        # first show, each making PySide6 load that event's class, ~2 ms; the wizard itself is seldom painted again)
        super().paintEvent(event)
        if not self._drawn:
            self._drawn = True
            self.drawn.emit()

    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.state = state
        fmt = state.fmt
        self.page_ids = [COVER] + [s["id"] for s in fmt.sections] + [CHECK]
        self.titles = {COVER: tr("Cover information"), CHECK: tr("Check and export")}
        for s in fmt.sections:
            self.titles[s["id"]] = s["heading"]
        self.list = QListWidget()
        # a viewport made here, so viewport() returns a known object: PySide6 asked for an unknown QWidget* loads
        # every widget class of QtWidgets to find its type (~15 ms of start-up)
        self.list.setViewport(QWidget())
        self.list.setWordWrap(True)
        self.list.setSpacing(max(1, self.list.fontMetrics().height() // 8))
        set_enum(self.list, "horizontalScrollBarPolicy", "ScrollBarAlwaysOff")  # titles wrap instead
        self.list.setResizeMode(QListWidget.Adjust)  # entries re-wrapped when the list is resized
        short = {COVER: tr("Cover"), CHECK: tr("Check")}
        for sec in fmt.sections:
            short[sec["id"]] = sec["heading"].split("、")[0]
        self.list_delegate = PageListDelegate(self.list, short)
        self.list.setItemDelegate(self.list_delegate)
        self.collapse = QToolButton()
        self.collapse.setAutoRaise(True)
        self.collapse.clicked.connect(lambda: self.set_collapsed(not self.list_delegate.collapsed))
        self.back = QToolButton()  # (a push button's minimum width would not fit the collapsed list)
        self.next = QToolButton()
        self.back.clicked.connect(lambda: self.go(self.list.currentRow() - 1))
        self.next.clicked.connect(lambda: self.go(self.list.currentRow() + 1))
        # 上一步/下一步 under the page list (where the eye is when choosing a page): the page keeps that line
        # (one above the other: side by side they would make the list wider than it needs to be)
        from .qt import QSizePolicy
        for b in (self.back, self.next):
            b.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        nav = QHBoxLayout()
        nav.setContentsMargins(0, 0, 0, 0)
        nav.setSpacing(2)
        nav.addWidget(self.next, 1)
        nav.addWidget(self.collapse)
        side = QWidget()
        sl = QVBoxLayout(side)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.setSpacing(2)
        sl.addWidget(self.list, 1)
        sl.addWidget(self.back)
        sl.addLayout(nav)
        self.side = side
        self.stack = QStackedWidget()
        self.pages = Pages(self)  # each page is built when first shown or asked for (start-up)
        self._holders: dict[str, QWidget] = {}
        for pid in self.page_ids:
            holder = QWidget()
            self._holders[pid] = holder
            self.stack.addWidget(holder)
            item = PageItem(self.titles[pid])
            item.setData(USER_ROLE, pid)
            item.setData(TitleRole, self.titles[pid])
            self.list.addItem(item)
        # the page over the findings (``set_bottom``), beside the page list, which keeps the whole height
        self.vsplit = QSplitter()
        set_enum(self.vsplit, "orientation", "Vertical")
        self.vsplit.addWidget(self.stack)
        self.vsplit.setChildrenCollapsible(False)
        self.vsplit.setStretchFactor(0, 1)
        split = QSplitter()  # (horizontal)
        split.addWidget(side)
        split.addWidget(self.vsplit)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        self.split = split
        fm = self.list.fontMetrics()
        split.setSizes([fm.horizontalAdvance("国") * 15, fm.horizontalAdvance("国") * 60])
        self.set_collapsed(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)
        self.list.currentRowChanged.connect(self._row_changed)
        state.checked.connect(self.update_counts)
        self.list.setCurrentRow(0)
        self.update_counts()

    def set_bottom(self, widget) -> None:
        """Put a panel (the findings) under the pages, with a splitter the clerk drags between them."""
        self.vsplit.addWidget(widget)
        self.vsplit.setStretchFactor(self.vsplit.indexOf(widget), 0)
        self.vsplit.setCollapsible(self.vsplit.indexOf(widget), False)

    def set_bottom_height(self, height: int) -> None:
        total = sum(self.vsplit.sizes()) or self.vsplit.height()
        height = max(0, min(height, total - self.vsplit.widget(0).minimumSizeHint().height()))
        self.vsplit.setSizes([total - height, height])

    def set_collapsed(self, collapsed: bool) -> None:
        """The page list shows titles, or (collapsed) only short names and counts, leaving the page more room."""
        self.list_delegate.collapsed = collapsed
        self.collapse.setText("»" if collapsed else "«")
        self.back.setText("<" if collapsed else tr("< &Back"))
        self.next.setText(">" if collapsed else tr("&Next >"))
        for b, what in ((self.back, tr("Previous page (Ctrl+PgUp)")), (self.next, tr("Next page (Ctrl+PgDown)"))):
            b.setToolTip(what)
        self.collapse.setToolTip(tr("Show the page titles") if collapsed
                                 else tr("Collapse the page list to short names and counts"))
        fm = self.list.fontMetrics()
        ch = fm.horizontalAdvance("国")
        if collapsed:
            width = ch * 2 + fm.horizontalAdvance("✖99 !99") + ch * 2 + self.list.frameWidth() * 2
            self.side.setMaximumWidth(width)
            self.split.setSizes([width, self.split.width() - width])
        else:
            self.side.setMaximumWidth(16777215)
            if self.split.sizes()[0] < ch * 15:
                self.split.setSizes([ch * 15, max(self.split.width() - ch * 15, ch * 60)])
        if self.list.isVisible():  # (laid out when first shown otherwise)
            self.list.doItemsLayout()

    def build_page(self, pid: str) -> QWidget:
        state, fmt = self.state, self.state.fmt
        if pid == COVER:
            page = CoverPage(state)
        elif pid == CHECK:
            page = CheckPage(state, self.titles)
        elif pid in fmt.text_sections:
            page = TextPage(state, pid)
        else:
            page = TablePage(state, pid)
        shown = page
        if pid == COVER:  # a form: on a small screen (the recovery banner shown, findings below) it scrolls
            shown = QScrollArea()
            shown.setWidgetResizable(True)
            shown.setFrameShape(QFrame.NoFrame)
            shown.setWidget(page)
        holder = self._holders.pop(pid)  # the page takes its placeholder's place in the stack
        current = self.stack.currentWidget() is holder
        self.stack.insertWidget(self.stack.indexOf(holder), shown)
        self.stack.removeWidget(holder)
        holder.deleteLater()
        if current:
            self.stack.setCurrentWidget(shown)
        return page

    def _row_changed(self, row):
        if row < 0:
            return
        self.pages[self.page_ids[row]]  # built on first show
        self.stack.setCurrentIndex(row)
        self.back.setEnabled(row > 0)
        self.next.setEnabled(row < len(self.page_ids) - 1)
        self.pageChanged.emit(self.page_ids[row])

    def go(self, target, focus: bool = False) -> None:
        """Show a page (id or row); ``focus``: put the keyboard focus on its main field (keyboard navigation)."""
        row = self.page_ids.index(target) if isinstance(target, str) else target
        if 0 <= row < len(self.page_ids):
            self.list.setCurrentRow(row)
            if focus:
                self.focus_page()

    def step(self, delta: int) -> None:
        """Next/previous page from the keyboard (Ctrl+PgDown / Ctrl+PgUp): the page's main field gets the focus."""
        self.go(self.list.currentRow() + delta, focus=True)

    def main_widget(self, pid: str | None = None) -> QWidget:
        page = self.pages[pid or self.current()]
        if isinstance(page, CoverPage):
            return page.organ
        if isinstance(page, TextPage):
            return page.editor
        if isinstance(page, TablePage):
            return page.grid
        return page.panel.tree

    def focus_page(self) -> None:
        self.main_widget().setFocus()  # (Qt.OtherFocusReason)

    def current(self) -> str:
        return self.page_ids[self.stack.currentIndex()]

    def page_text(self, pid: str) -> str:
        """An entry of the page list as read out: title and counts (〔✖1 !2〕)."""
        item = self.list.item(self.page_ids.index(pid))
        return item.data(ACCESSIBLE_TEXT_ROLE) or item.text()

    def update_counts(self, *_):
        for i, pid in enumerate(self.page_ids):
            e, w = self.state.page_counts.get(pid, (0, 0))
            item = self.list.item(i)
            parts = []
            if e:
                parts.append(f"✖{e}")
            if w:
                parts.append(f"!{w}")
            text = self.titles[pid] + (f"  〔{' '.join(parts)}〕" if parts else "")
            if item.live.get(ACCESSIBLE_TEXT_ROLE) != text:
                # the delegate paints title and counts; the entry's text stays the title and the counts are not
                # set as item data (either would lay the whole list out again): only the entry is repainted
                item.live = {ACCESSIBLE_TEXT_ROLE: text, CountsRole: (e, w),
                             TOOLTIP_ROLE: self.titles[pid] + "\n" + tr("%1 errors, %2 warnings on this page")
                             .replace("%1", str(e)).replace("%2", str(w))}
                if self.list.isVisible():  # (a list not shown yet is drawn whole when shown: asking now for the
                    # entry's place would lay every entry out once more before the window is up)
                    self.list.update(self.list.indexFromItem(item))

    def commit_pending(self) -> None:
        """What is being typed but not yet entered goes into the report: the cover's year and date, and a grid
        cell being edited. Called before saving and before asking whether to save."""
        if COVER in self.pages.built:
            self.pages[COVER].commit()
        for page in list(self.pages.built.values()):
            if isinstance(page, TablePage) and page.grid.state() == page.grid.State.EditingState:
                page.grid.commit_editor()

    def show_finding(self, finding) -> None:
        from .state import finding_page
        pid = finding_page(self.state.fmt, finding)
        self.go(pid)
        page = self.pages[pid]
        if isinstance(page, TablePage):
            cells = [c for c in finding.cells if c in page.model.positions]
            page.grid.select_cells(cells, current=last_changed(self.state, cells))
        elif isinstance(page, CoverPage):
            page.focus_field(finding.cells[0])
        elif isinstance(page, TextPage):
            page.editor.setFocus()
