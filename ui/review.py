"""The reviewing office's desk (审核台): one window over a folder of reports (``nianbao review DIR``).

Rows appear as files are read (a worker thread; the files themselves are read by several processes), with
progress and cancel; worst first; filterable by text and by status; unreadable files are rows with their reason;
organs of the roster without a report are rows too (未提交). A row opens the report read-only with its findings;
each finding can be 确认 or 排除 with a comment (``审核记录.json``, written at once). Buttons write the 整改通知 and
the 通报. The core is :mod:`app.review`; this module only asks and shows.

The reviewing office works in Chinese only: the texts are written here in Chinese (the clerk's window goes through
the Qt translation).
"""
from __future__ import annotations

import datetime as _dt
import html
from pathlib import Path

from app.review import (CONFIRMED, DISMISSED, READING_RULE_PREFIX, STATUS_OPEN, STATUS_PASSED, STATUS_RETURNED,
                        Decisions, Entry, Review, ReviewError, read_files, review_paths)
from app.rules import ERROR

from .qt import (QAbstractItemView, QAbstractTableModel, QBrush, QCheckBox, QColor, QComboBox, QDateEdit, QDialog,
                 QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                 QMainWindow, QMessageBox, QModelIndex, QProgressBar, QPushButton, QSplitter, QTableView,
                 QTableWidget, QTableWidgetItem, QTextBrowser, QThread, QTimer, QVBoxLayout, QWidget, Qt, Signal)

STATUS_MISSING = "未提交"
STATUS_UNREADABLE = "无法读取"
COLUMNS = ("状态", "机关", "年度", "错误", "提醒", "不按时", "雷同", "备注", "文件")
FILTERS = ("全部", "有错误", STATUS_OPEN, STATUS_RETURNED, STATUS_PASSED, STATUS_UNREADABLE, STATUS_MISSING,
           "重复", "名单外", "待核对", "未识别机关")


class Reader(QThread):
    """Reads and checks the folder's files off the GUI thread; ``entry`` for each file as it is done, ``done``
    with the finished :class:`Review` (cross-year pairing, 雷同, duplicates, roster) at the end."""
    entry = Signal(object)
    done = Signal(object)

    def __init__(self, review: Review, paths, jobs=None):
        super().__init__()
        self.review, self.paths, self.jobs = review, list(paths), jobs
        self.cancelled = False

    def run(self):
        # the entries are handed to the window (GUI thread) one by one; the pairing and 雷同 run here on a
        # review of their own, which the window takes over when it is done
        got = []
        for e in read_files(self.paths, self.jobs, cancelled=lambda: self.cancelled):
            got.append(e)
            self.entry.emit(e)
        done = Review(self.review.folder, sorted(got, key=lambda e: str(e.path)), self.review.roster,
                      self.review.decisions)
        done.finish()
        self.done.emit(done)


class Row:
    """One row of the desk: an entry of the review, or an organ of the roster without a report."""

    def __init__(self, entry: Entry | None = None, missing: str = ""):
        self.entry, self.missing = entry, missing


class DeskModel(QAbstractTableModel):
    def __init__(self, review: Review):
        super().__init__()
        self.review = review
        self.rows: list[Row] = []
        self.finished = False
        self.text_filter = ""
        self.status_filter = FILTERS[0]

    # -- what a row says
    def status(self, row: Row) -> str:
        if row.entry is None:
            return STATUS_MISSING
        if row.entry.report is None:
            return STATUS_UNREADABLE
        return self.review.status(row.entry)

    def values(self, row: Row) -> list:
        if row.entry is None:
            return [STATUS_MISSING, row.missing, "", "", "", "", "", "名单内，没有收到报告", ""]
        e = row.entry
        if e.report is None:
            return [STATUS_UNREADABLE, "", "", "", "", "", "", e.error, e.path.name]
        errors, warnings = self.review.counts(e)
        sim = ""
        if self.finished:
            best = max(e.similar_organs, e.similar_last_year)
            if best >= 0.5:
                whom = "其他单位" if e.similar_organs >= e.similar_last_year else "上年"
                sim = f"{round(best * 100)}%（{whom}）"
        notes = []
        if e.duplicate_of:
            notes.append("重复·较新版本" if e.newer else "重复·较早版本")
        if e.listed is False:
            notes.append("名单外")
        again = self.review.resubmission(e) if self.finished else None
        if again:
            notes.append(f"已改正 {again['fixed']} · 未改正 {again['unfixed']} · 新问题 {again['new']}"
                         + (f"（{again['not_compared']}）" if again["not_compared"] else ""))
        carried = sum(1 for f in e.findings if (self.review.decision(e, f) or {}).get("carried_from"))
        if carried:
            notes.append(f"沿用较早版本的排除 {carried} 处")
        held = len(self.review.held_findings(e))
        if held:
            notes.append(f"{held} 处待核对（可能是导入识别问题，确认后才写入整改通知）")
        if not e.organ:
            notes.append("未识别出机关名称：填写前不写整改通知、不列入通报排名")
        if not self.finished:
            notes.append("跨年度和雷同比对待全部读完后进行")
        organ = e.organ + "（审核人员填写）" if e.named_organ and e.organ == e.named_organ else e.organ
        return [self.status(row), organ or "（未识别出机关名称）", e.year or "", errors, warnings,
                "是" if self.review.late(e) else "", sim, "；".join(notes), e.path.name]

    def badness(self, row: Row):
        if row.entry is None:
            return (3, 0, 0, 0, 0, row.missing)  # listed after the reports: nothing to open
        e = row.entry
        if e.report is None:
            return (0, 0, 0, 0, 0, str(e.path))
        errors, warnings = self.review.counts(e)
        sim = max(e.similar_organs, e.similar_last_year)
        return (2, -errors, -int(self.review.late(e)), -int(sim >= 0.85), -warnings, str(e.path))

    def accepts(self, row: Row) -> bool:
        f = self.status_filter
        if f != FILTERS[0]:
            st = self.status(row)
            if f == "有错误":
                if row.entry is None or row.entry.report is None or not self.review.counts(row.entry)[0]:
                    return False
            elif f == "重复":
                if row.entry is None or not row.entry.duplicate_of:
                    return False
            elif f == "名单外":
                if row.entry is None or row.entry.listed is not False:
                    return False
            elif f == "待核对":  # findings that may be the reader's, waiting for the reviewer
                if row.entry is None or row.entry.report is None or not self.review.held_findings(row.entry):
                    return False
            elif f == "未识别机关":
                if row.entry is None or row.entry.report is None or row.entry.organ:
                    return False
            elif st != f:
                return False
        if self.text_filter:
            hay = " ".join(str(v) for v in self.values(row)) + (str(row.entry.path) if row.entry else "")
            return all(part in hay for part in self.text_filter.split())
        return True

    # -- the rows shown
    def rebuild(self) -> None:
        rows = [Row(e) for e in self.review.entries]
        if self.finished:
            rows += [Row(missing=m) for m in self.review.missing()]
        rows = [r for r in rows if self.accepts(r)]
        rows.sort(key=self.badness)
        self.beginResetModel()
        self.rows = rows
        self._cache = {}
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return COLUMNS[section]
        return None

    def _values(self, r: int) -> list:
        cached = self._cache.get(r)
        if cached is None:
            cached = self._cache[r] = self.values(self.rows[r])
        return cached

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.DisplayRole:
            v = self._values(index.row())[index.column()]
            return "" if v is None else str(v)
        if role == Qt.ToolTipRole:
            if row.entry is not None:
                return str(row.entry.path) + (f"\n{row.entry.error}" if row.entry.error else "")
            return None
        if role == Qt.BackgroundRole:
            st = self._values(index.row())[0]
            if st in (STATUS_UNREADABLE, STATUS_MISSING):
                return QBrush(QColor("#e4e4e4"))
            if index.column() == 3 and self._values(index.row())[3]:
                return QBrush(QColor("#f8cbad"))
            if st == STATUS_PASSED:
                return QBrush(QColor("#dff0d8"))
            return None
        if role == Qt.TextAlignmentRole and index.column() in (2, 3, 4, 5, 6):
            return int(Qt.AlignCenter)
        return None


class DeskWindow(QMainWindow):
    """审核台."""
    decided = Signal()

    def __init__(self, folder, roster: list[str] | None = None, roster_path=None, jobs=None, paths=None):
        super().__init__()
        self.folder = Path(folder)
        self.roster_path = roster_path
        self.setWindowTitle(f"审核台 — {self.folder.name or self.folder}")
        self.decisions_problem = ""
        try:
            decisions = Decisions.load(self.folder)
        except ReviewError as e:  # shown; decisions cannot be recorded until the file is fixed or moved
            self.decisions_problem = str(e)
            decisions = Decisions(self.folder / "审核记录.json")
        self.review = Review(self.folder, roster=roster, decisions=decisions)
        self.model = DeskModel(self.review)
        self.office, self.date = "", _dt.date.today()
        self.reply_by: _dt.date | None = None  # the 整改期限 last written into notices
        self.dialogs: list[QDialog] = []

        central = QWidget()
        lay = QVBoxLayout(central)
        bar = QHBoxLayout()
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("筛选：机关名称、文件名、备注（空格分隔多个词）")
        self.filter_edit.setClearButtonEnabled(True)
        self.status_box = QComboBox()
        self.status_box.addItems(FILTERS)
        self.open_button = QPushButton("打开报告")
        self.roster_button = QPushButton("名单…")
        self.roster_button.setToolTip("应报送单位名单：文字文件（每行一个单位）或 Excel（第一列）")
        self.notice_button = QPushButton("整改通知…")
        self.bulletin_button = QPushButton("通报…")
        bar.addWidget(QLabel("筛选"))
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.status_box)
        bar.addWidget(self.open_button)
        bar.addWidget(self.roster_button)
        bar.addWidget(self.notice_button)
        bar.addWidget(self.bulletin_button)
        lay.addLayout(bar)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(False)
        self.table.verticalHeader().setVisible(False)
        head = self.table.horizontalHeader()
        head.setStretchLastSection(True)
        for col, width in enumerate((56, 200, 48, 44, 44, 52, 120, 300)):
            self.table.setColumnWidth(col, width)
        head.setSectionResizeMode(QHeaderView.Interactive)
        lay.addWidget(self.table, 1)
        foot = QHBoxLayout()
        self.summary = QLabel("")
        self.progress = QProgressBar()
        self.progress.setFormat("已读取 %v / %m")
        self.cancel_button = QPushButton("取消读取")
        foot.addWidget(self.summary, 1)
        foot.addWidget(self.progress)
        foot.addWidget(self.cancel_button)
        lay.addLayout(foot)
        self.setCentralWidget(central)
        if self.decisions_problem or self.review.decisions.note:
            self.statusBar().showMessage(self.decisions_problem or self.review.decisions.note)

        self.filter_edit.textChanged.connect(self._filter_changed)
        self.status_box.currentTextChanged.connect(self._filter_changed)
        # activated: a double click, or Enter on the current row (also connecting doubleClicked would open two)
        self.table.activated.connect(lambda idx: self.open_row(idx.row()))
        self.open_button.clicked.connect(self._open_selected)
        self.roster_button.clicked.connect(self._ask_roster)
        self.notice_button.clicked.connect(lambda: self.ask_output("notices"))
        self.bulletin_button.clicked.connect(lambda: self.ask_output("bulletin"))
        self.cancel_button.clicked.connect(self.cancel)
        self.decided.connect(self.refresh)

        self._pending_refresh = False
        self._timer = QTimer(self)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self._tick)
        self.paths = list(paths) if paths is not None else review_paths(self.folder)
        self.progress.setRange(0, max(1, len(self.paths)))
        self.progress.setValue(0)
        self.reader = Reader(self.review, self.paths, jobs)
        self.reader.entry.connect(self._entry_read)
        self.reader.done.connect(self._all_read)
        self._set_busy(True)
        self._timer.start()
        self.reader.start()
        _fit(self, 1100, 640)

    # -- reading
    def _entry_read(self, e: Entry) -> None:
        self.review.entries.append(e)
        self.progress.setValue(len(self.review.entries))
        self._pending_refresh = True

    def _tick(self) -> None:
        if self._pending_refresh:
            self._pending_refresh = False
            self.refresh()

    def _all_read(self, review: Review) -> None:
        self._timer.stop()
        self.review.entries = review.entries
        self.model.finished = True
        self._set_busy(False)
        if self.reader.cancelled:
            self.progress.setFormat(f"已取消：读取了 %v / {len(self.paths)} 个文件")
        self.refresh()

    def cancel(self) -> None:
        self.reader.cancelled = True
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("正在取消…")

    @property
    def finished(self) -> bool:
        return self.model.finished

    def _set_busy(self, busy: bool) -> None:
        self.cancel_button.setVisible(busy)
        self.cancel_button.setEnabled(busy)
        self.notice_button.setEnabled(not busy)
        self.roster_button.setEnabled(not busy)
        self.bulletin_button.setEnabled(not busy)

    # -- showing
    def _filter_changed(self, *_):
        self.model.text_filter = self.filter_edit.text().strip()
        self.model.status_filter = self.status_box.currentText()
        self.refresh()

    def refresh(self) -> None:
        selected = self.selected_row()
        keep = selected.entry.path if selected and selected.entry else None
        self.model.rebuild()
        if keep is not None:
            for r, row in enumerate(self.model.rows):
                if row.entry is not None and row.entry.path == keep:
                    self.table.selectRow(r)
                    break
        self._summarise()

    def _summarise(self) -> None:
        entries = self.review.entries
        readable = [e for e in entries if e.report is not None]
        with_errors = sum(1 for e in readable if self.review.counts(e)[0])
        parts = [f"报告 {len(readable)} 份", f"有错误 {with_errors} 份"]
        unreadable = len(entries) - len(readable)
        if unreadable:
            parts.append(f"无法读取 {unreadable} 个")
        unknown = sum(1 for e in readable if not e.organ)
        if unknown:
            parts.append(f"未识别机关 {unknown} 份")
        if self.finished and self.review.roster is not None:
            parts.append(f"未提交 {len(self.review.missing())} 家")
            parts.append(f"名单外 {len(self.review.unlisted())} 家")
        if self.finished:
            parts.append(f"重复 {len(self.review.duplicates())} 组")
        parts.append(f"显示 {len(self.model.rows)} 行")
        self.summary.setText(" · ".join(parts))

    def selected_row(self) -> Row | None:
        idx = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not idx:
            return None
        r = idx[0].row()
        return self.model.rows[r] if 0 <= r < len(self.model.rows) else None

    def _open_selected(self) -> None:
        idx = self.table.currentIndex()
        if idx.isValid():
            self.open_row(idx.row())

    def open_row(self, r: int):
        row = self.model.rows[r] if 0 <= r < len(self.model.rows) else None
        if row is None or row.entry is None:
            return None
        if row.entry.report is None:
            QMessageBox.information(self, "无法读取", f"“{row.entry.path.name}”无法读取：\n{row.entry.error}")
            return None
        dialog = ReportDialog(self, row.entry)
        self.dialogs = [d for d in self.dialogs if d.isVisible()] + [dialog]
        dialog.show()
        return dialog

    def _ask_roster(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "应报送单位名单", str(self.folder),
                                              "名单 (*.txt *.xlsx);;所有文件 (*)")
        if path:
            self.load_roster(path)

    def load_roster(self, path) -> bool:
        from app.review import read_roster
        try:
            names = read_roster(path)
        except ReviewError as e:
            QMessageBox.warning(self, "名单无法读取", str(e))
            return False
        self.review.roster = names
        self.roster_path = path
        if self.finished:
            self.review.mark_roster()
        self.statusBar().showMessage(f"名单：{Path(path).name}，{len(names)} 个单位")
        self.refresh()
        return True

    # -- notices and bulletin
    def ask_output(self, kind: str):
        dialog = OutputDialog(self, kind)
        self.dialogs = [d for d in self.dialogs if d.isVisible()] + [dialog]
        dialog.show()
        return dialog

    def write_output(self, kind: str, target: str, office: str, date: str, overwrite: bool = False,
                     reply_by: str = "") -> str:
        """Write the notices (into folder ``target``) or the bulletin (file ``target``); the message shown.
        ``reply_by`` (YYYY-MM-DD or ""): the date by which the notices ask for the corrected report."""
        from app.export.notices import withheld, write_bulletin, write_notices
        from app.outputs import OutputRefused, check_output
        self.office, self.date = office, _dt.date.fromisoformat(date)
        if kind == "notices":
            self.reply_by = _dt.date.fromisoformat(reply_by) if reply_by else None
            try:
                written = write_notices(self.review, target, office=office, date=date, overwrite=overwrite,
                                        reply_by=reply_by)
            except OutputRefused as e:
                raise ReviewError(str(e)) from None
            unknown = withheld(self.review)
            return f"已写入整改通知 {len(written)} 份：{target}" + (
                f"；{len(unknown)} 份报告未识别出机关名称，未写（在报告中填写机关名称后再写）" if unknown else "")
        if Path(target).suffix.lower() not in (".docx", ".xlsx"):
            raise ReviewError("通报应保存为 .docx（Word）或 .xlsx（Excel）。")
        try:
            check_output(target, [e.path for e in self.review.entries], overwrite)
        except OutputRefused as e:
            raise ReviewError(str(e)) from None
        write_bulletin(self.review, target, office=office, date=date)
        return f"已写入通报：{target}"

    def closeEvent(self, event):
        if self.reader.isRunning():
            self.reader.cancelled = True
            self.reader.wait(30000)
        for d in self.dialogs:
            d.close()
        super().closeEvent(event)


class OutputDialog(QDialog):
    """Where to write the 整改通知 (a folder) or the 通报 (a file), and the reviewing office and date."""

    def __init__(self, desk: DeskWindow, kind: str):
        super().__init__(desk)
        self.desk, self.kind = desk, kind
        notices = kind == "notices"
        self.setWindowTitle("写整改通知" if notices else "写通报")
        form = QFormLayout(self)
        self.target = QLineEdit(str(desk.folder / ("整改通知" if notices else "通报.docx")))
        browse = QPushButton("浏览…")
        row = QHBoxLayout()
        row.addWidget(self.target, 1)
        row.addWidget(browse)
        form.addRow("保存到文件夹" if notices else "通报文件（.docx 或 .xlsx）", row)
        self.office = QLineEdit(desk.office)
        self.office.setPlaceholderText("例如：某某市人民政府办公室")
        form.addRow("审核单位（落款）", self.office)
        self.date = QDateEdit(desk.date)
        self.date.setDisplayFormat("yyyy年M月d日")
        self.date.setCalendarPopup(True)
        form.addRow("日期", self.date)
        self.reply = QCheckBox("要求在此日期前重新报送")
        self.reply_by = QDateEdit(desk.reply_by or desk.date + _dt.timedelta(days=10))
        self.reply_by.setDisplayFormat("yyyy年M月d日")
        self.reply_by.setCalendarPopup(True)
        self.reply.setChecked(bool(desk.reply_by))
        self.reply_by.setEnabled(bool(desk.reply_by))
        self.reply.toggled.connect(self.reply_by.setEnabled)
        reply_row = QHBoxLayout()
        reply_row.addWidget(self.reply)
        reply_row.addWidget(self.reply_by, 1)
        if notices:
            form.addRow("整改期限", reply_row)
        else:
            self.reply.hide()
            self.reply_by.hide()
        from app.export.notices import noticed, withheld
        review = desk.review
        count, unknown = len(noticed(review)), len(withheld(review))
        # lines broken here: a word-wrapped label in a form layout is given too little height and is cut off
        text = (f"将写整改通知：{count} 份（已排除的问题、待核对的导入识别问题不写入）"
                + (f"\n另有 {unknown} 份报告未识别出机关名称：请先在报告中填写机关名称" if unknown else "")
                if notices else
                "通报列出各类问题的数量、未按时和未提交的单位及排名\n"
                "（已排除的问题、待核对的导入识别问题不计入；未识别出机关名称的报告另列，不排名）。")
        self.counts = QLabel(text)
        form.addRow(self.counts)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("写出")
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        form.addRow(self.buttons)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        form.addRow(self.message)
        self.buttons.accepted.connect(self.write)
        self.buttons.rejected.connect(self.reject)
        browse.clicked.connect(self.browse)
        self.resize(620, 0)

    def browse(self):
        if self.kind == "notices":
            path = QFileDialog.getExistingDirectory(self, "整改通知保存到", self.target.text())
        else:
            path, _ = QFileDialog.getSaveFileName(self, "通报保存为", self.target.text(),
                                                  "Word 文档 (*.docx);;Excel 工作簿 (*.xlsx)")
        if path:
            self.target.setText(path)

    def write(self, overwrite: bool = False):
        target = self.target.text().strip()
        if not target:
            self.message.setText("请给出保存位置。")
            return
        date = self.date.date().toString("yyyy-MM-dd")
        reply_by = self.reply_by.date().toString("yyyy-MM-dd") if self.reply.isChecked() else ""
        try:
            text = self.desk.write_output(self.kind, target, self.office.text().strip(), date, overwrite,
                                          reply_by=reply_by)
        except ReviewError as e:
            if "已存在" in str(e) and not overwrite:
                answer = QMessageBox.question(self, "文件已存在", f"{e}\n\n替换已有的文件吗？",
                                              QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
                if answer == QMessageBox.Yes:
                    self.write(overwrite=True)
                return
            self.message.setText(str(e))
            return
        except OSError as e:
            from app.cli import os_reason
            self.message.setText(f"无法写入：{os_reason(e)}")
            return
        self.desk.statusBar().showMessage(text)
        self.accept()


class ReportDialog(QDialog):
    """One report, read-only, with its findings; each finding 确认 or 排除 with a comment."""

    def __init__(self, desk: DeskWindow, entry: Entry):
        super().__init__(desk)
        self.desk, self.entry, self.review = desk, entry, desk.review
        report = entry.report
        self.setWindowTitle(f"{report.known_title() or entry.path.name} — {entry.path.name}（只读）")
        lay = QVBoxLayout(self)
        split = QSplitter(Qt.Horizontal)
        self.view = QTextBrowser()
        self.view.setOpenLinks(False)
        self.view.setHtml(self._report_html())
        split.addWidget(self.view)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.findings = QTableWidget(0, 4)
        self.findings.setHorizontalHeaderLabels(["级别", "位置", "问题", "审核意见"])
        self.findings.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.findings.setSelectionMode(QAbstractItemView.SingleSelection)
        self.findings.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.findings.setWordWrap(True)
        self.findings.verticalHeader().setVisible(False)
        self.findings.horizontalHeader().setStretchLastSection(True)
        for col, w in enumerate((40, 120, 250)):
            self.findings.setColumnWidth(col, w)
        rl.addWidget(self.findings, 1)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText("审核意见（可不填），例如：已电话核实，数据无误")
        rl.addWidget(self.comment)
        buttons = QHBoxLayout()
        self.confirm_button = QPushButton("确认（需整改）")
        self.dismiss_button = QPushButton("排除（不是问题）")
        self.undo_button = QPushButton("撤销审核意见")
        for b in (self.confirm_button, self.dismiss_button, self.undo_button):
            buttons.addWidget(b)
        rl.addLayout(buttons)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        rl.addWidget(self.note)
        organ_row = QHBoxLayout()
        self.organ_note = QLabel("")
        self.organ_note.setWordWrap(True)
        self.organ_button = QPushButton("填写机关名称…")
        self.organ_button.setToolTip("这份报告的机关名称未能从文件中读出：核对原文后填写（记入审核记录），"
                                     "填写后才能写整改通知、列入通报排名")
        organ_row.addWidget(self.organ_note, 1)
        organ_row.addWidget(self.organ_button)
        rl.addLayout(organ_row)
        self.organ_button.clicked.connect(self.ask_organ)
        split.addWidget(right)
        split.setSizes([440, 640])
        lay.addWidget(split, 1)
        close = QDialogButtonBox(QDialogButtonBox.Close)
        close.button(QDialogButtonBox.Close).setText("关闭")
        close.rejected.connect(self.close)
        lay.addWidget(close)
        self.confirm_button.clicked.connect(lambda: self.decide(CONFIRMED))
        self.dismiss_button.clicked.connect(lambda: self.decide(DISMISSED))
        self.undo_button.clicked.connect(lambda: self.decide(None))
        self.findings.itemSelectionChanged.connect(self._selected)
        if desk.decisions_problem:
            for b in (self.confirm_button, self.dismiss_button, self.undo_button, self.organ_button):
                b.setEnabled(False)
            self.note.setText(desk.decisions_problem)
        self.fill()
        _fit(self, 1150, 640)

    def _report_html(self) -> str:
        r = self.entry.report
        fmt = r.format
        flagged = {c for f in self.entry.findings for c in f.cells}
        esc = html.escape
        out = [f"<h3 style='text-align:center'>{esc(r.known_title() or self.entry.path.name)}</h3>",
               f"<p>机关：{esc(r.meta.organ) or '（未识别出）'}"
               + (f"（审核人员填写：{esc(self.entry.named_organ)}）" if self.entry.named_organ else "")
               + f"　年度：{esc(str(r.meta.year or ''))}　成文日期：{esc(r.meta.date)}"
               f"<br>联系方式：{esc(r.meta.contact)}<br>文件：{esc(str(self.entry.path))}</p>"]
        # the office's own opening paragraph, as it is printed above 一、总体情况
        out += [f"<p>{esc(line)}</p>" for line in (r.meta.opening or "").splitlines() if line.strip()]
        for sid in [s["id"] for s in fmt.sections]:
            head = fmt.section(sid).get("heading", sid)
            out.append(f"<a name='{sid}'></a><h4>{esc(head)}</h4>")
            if sid in fmt.table_ids:
                out.append("<table border='1' cellspacing='0' cellpadding='2'>")
                for cid in fmt.cells_of(sid):
                    c = fmt.cells[cid]
                    from app.values import display
                    v = display(r.values.get(cid))
                    style = " style='background:#f8cbad'" if cid in flagged else ""
                    label = "·".join(x for x in (*c.row_labels, *c.col_labels) if x)
                    out.append(f"<tr{style}><td><a name='{cid}'></a>{esc(label)}</td>"
                               f"<td align='right'>{esc(v) or '（空白）'}</td></tr>")
                out.append("</table>")
            else:
                text = r.sections.get(sid, "") or "（空白）"
                style = " style='background:#fff2cc'" if sid in flagged else ""
                out.append("".join(f"<p{style}>{esc(line)}</p>" for line in text.splitlines() if line.strip()))
        return "".join(out)

    def fill(self) -> None:
        from app.export.notices import cell_label, page_of
        fmt = self.entry.report.format
        keep = self.findings.currentRow()
        held = {id(f): why for f, why in self.review.held_findings(self.entry) if not f.rule.startswith(
            READING_RULE_PREFIX)}
        self.findings.setRowCount(len(self.entry.findings))
        for k, f in enumerate(self.entry.findings):
            where = "、".join(x for x in ((page_of(fmt, f.cells[0]), cell_label(fmt, f.cells[0]))
                                         if f.cells else ()) if x) or "全文"
            d = self.review.decision(self.entry, f)
            verdict = ""
            if d:
                verdict = ("已确认" if d["status"] == CONFIRMED else "已排除") \
                    + (f"（沿用较早版本“{d['carried_from']}”的审核意见）" if d.get("carried_from") else "") \
                    + (f"：{d['comment']}" if d["comment"] else "")
            elif id(f) in held:
                verdict = f"待核对：{held[id(f)]}；确认后才写入整改通知"
            if f.rule.startswith(READING_RULE_PREFIX) and not (d and d["status"] == DISMISSED):
                verdict = (verdict + "；" if verdict else "") + "导入识别的说明，不写入整改通知"
            items = ["错误" if f.severity == ERROR else "提醒", where, f.message, verdict]
            for col, text in enumerate(items):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if d and d["status"] == DISMISSED:
                    item.setForeground(QBrush(QColor("#888888")))
                elif col == 0 and f.severity == ERROR:
                    item.setForeground(QBrush(QColor("#b00000")))
                self.findings.setItem(k, col, item)
        self.findings.resizeRowsToContents()
        if 0 <= keep < len(self.entry.findings):
            self.findings.selectRow(keep)
        self._organ_state()
        errors, warnings = self.review.counts(self.entry)
        name = self.entry.report.known_title() or self.entry.path.name
        self.setWindowTitle(f"{name} — {self.entry.path.name}（只读）"
                            f" — 错误 {errors} · 提醒 {warnings} · {self.review.status(self.entry)}")

    def _organ_state(self) -> None:
        e = self.entry
        read = bool(e.report.meta.organ)
        self.organ_button.setVisible(not read)
        if read:
            self.organ_note.setText("")
        elif e.named_organ:
            self.organ_note.setText(f"机关名称（审核人员填写）：{e.named_organ}")
            self.organ_button.setText("修改机关名称…")
        else:
            self.organ_note.setText("未识别出机关名称：填写前不写整改通知、不列入通报排名。")

    def ask_organ(self) -> None:
        dialog = OrganDialog(self, self.review.organ_choices(self.entry), self.entry.named_organ)
        self.desk.dialogs.append(dialog)
        dialog.accepted.connect(lambda: self.name_organ(dialog.organ()))
        dialog.show()

    def name_organ(self, organ: str) -> None:
        try:
            self.review.name_organ(self.entry, organ)
        except (ReviewError, OSError) as e:
            from app.cli import os_reason
            self.note.setText(f"机关名称未保存：{e if isinstance(e, ReviewError) else os_reason(e)}")
            return
        self.note.setText(f"机关名称已记入审核记录：{organ}" if organ else "已撤销填写的机关名称。")
        self.view.setHtml(self._report_html())
        self.fill()
        self.desk.decided.emit()

    def current(self):
        r = self.findings.currentRow()
        return self.entry.findings[r] if 0 <= r < len(self.entry.findings) else None

    def _selected(self) -> None:
        f = self.current()
        if f is None:
            return
        d = self.review.decision(self.entry, f)
        self.comment.setText(d["comment"] if d else "")
        if f.cells:
            self.view.scrollToAnchor(f.cells[0] if f.cells[0] in self.entry.report.format.cells
                                     else f.cells[0].split(".", 1)[0])

    def decide(self, status) -> None:
        f = self.current()
        if f is None:
            self.note.setText("请先在列表中选中一个问题。")
            return
        before = self.review.decision(self.entry, f)
        if status is None and before is not None and before.get("carried_from"):
            self.note.setText(f"这条是沿用较早版本“{before['carried_from']}”的排除意见，本版本没有自己的审核意见可撤销；"
                              "如认为需要整改，请点“确认”。")
            return
        try:
            self.review.decide(self.entry, f, status, self.comment.text().strip())
        except (ReviewError, OSError) as e:
            from app.cli import os_reason
            self.note.setText(f"审核意见未保存：{e if isinstance(e, ReviewError) else os_reason(e)}")
            return
        self.note.setText({CONFIRMED: "已确认，记入审核记录。", DISMISSED: "已排除：不再计入数量、整改通知和通报。",
                           None: "已撤销审核意见。"}[status])
        self.fill()
        nxt = self.findings.currentRow() + 1
        if status is not None and nxt < self.findings.rowCount():
            self.findings.selectRow(nxt)
        self.desk.decided.emit()


class OrganDialog(QDialog):
    """The organ of a report whose organ was not read, as the reviewer names it (the roster's organs offered)."""

    def __init__(self, parent, choices: list[str], current: str = ""):
        super().__init__(parent)
        self.setWindowTitle("填写机关名称")
        form = QFormLayout(self)
        form.addRow(QLabel("这份报告的机关名称未能从文件中读出。请核对原文后填写；记入审核记录，"
                           "整改通知和通报使用这个名称。"))
        self.box = QComboBox()
        self.box.setEditable(True)
        self.box.addItems(choices)
        self.box.setCurrentText(current or (choices[0] if choices else ""))
        self.box.lineEdit().setPlaceholderText("例如：某某市人民政府办公室")
        form.addRow("机关名称", self.box)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("确定")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(520, 0)

    def organ(self) -> str:
        return " ".join(self.box.currentText().split())


def _fit(window, width: int, height: int) -> None:
    """The size asked for, or the screen's available area when that is smaller (1366×768 at 125 %)."""
    screen = window.screen() if hasattr(window, "screen") else None
    if screen is not None:
        area = screen.availableGeometry()
        width, height = min(width, area.width() - 24), min(height, area.height() - 48)
    window.resize(width, height)


def run_desk(folder, roster=None, roster_path=None) -> int:
    from .main import application, resume_gc
    app = application([])
    win = DeskWindow(folder, roster, roster_path)
    win.show()
    QTimer.singleShot(0, resume_gc)  # (the collector's usual thresholds once the desk is up: see ui/main.py)
    import os
    if os.environ.get("NIANBAO_QUIT_AFTER_START"):
        QTimer.singleShot(0, app.quit)
    rc = app.exec()
    if win.reader.isRunning():
        win.reader.cancelled = True
        win.reader.wait(30000)
    return rc


__all__ = ["DeskWindow", "ReportDialog", "OutputDialog", "OrganDialog", "run_desk"]
