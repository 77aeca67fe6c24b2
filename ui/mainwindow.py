"""Main window: start view, the wizard, menus, files, autosave of a recovery copy, findings dock."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from app import project, userdata
from app.session import Conflict, Locked, RecoveryWriter, Session, lock_path  # noqa: F401 (lock_path for callers)
from app.outputs import OutputRefused, check_output
from app.documents import OpenError, supported_suffixes
from app.model import new_report, next_year_report
from app.resources import resource

from .findings import FindingsPanel
# (QMessageBox, QFileDialog, QCommandLinkButton and QEvent are imported where used: PySide6 builds a class's enums
# when the class is first looked up, a few ms each that the window does not need to come up)
from .qt import (QAction, QApplication, QDockWidget, QFrame, QHBoxLayout, QKeySequence, QLabel, QLineEdit,
                 QListWidget, QListWidgetItem, QMainWindow, QPlainTextEdit, QPushButton, QSize,
                 QStackedWidget, QTimer, QVBoxLayout, QWidget, tr)
from .qt import USER_ROLE, set_shortcuts  # (no ``Qt``: see ui/qt.py)
from .state import ReportState
from .wizard import CoverPage, TablePage, TextPage, Wizard, heading_label

if TYPE_CHECKING:
    from .qt import QMessageBox

AUTOSAVE_MS = int(os.environ.get("NIANBAO_AUTOSAVE_MS", "3000"))
COMPLETE_MS = 300  # the rules held back at start-up run at the latest this long after the first report opens


def _qt():
    """The ``Qt`` namespace, looked up when first needed (not for the window to come up, see ui/qt.py)."""
    from .qt import Qt
    return Qt


def _can(field, what: str) -> bool:
    """Whether a QLineEdit / QPlainTextEdit has something to undo (what="Undo") or redo (what="Redo")."""
    if isinstance(field, QLineEdit):
        return getattr(field, f"is{what}Available")()
    return getattr(field.document(), f"is{what}Available")()


class StartView(QWidget):
    """What the program shows before a report is open: the four ways to start, and the recent files."""

    def __init__(self, window, parent=None):
        from .qt import QCommandLinkButton
        super().__init__(parent)
        self.window = window
        ch = self.fontMetrics().horizontalAdvance("国")
        self.buttons = {}
        actions = QVBoxLayout()
        actions.setSpacing(ch // 2)
        for key, text, what, slot in (
                ("new", tr("&New report"), tr("Start from a blank report and fill it in part by part."),
                 window.new_report),
                ("open", tr("&Open a report…"), tr("Open a report file (.nianbao), or import a published report: "
                                                  "Word, web page, text, Excel or PDF."), window.open_dialog),
                ("last", tr("New from &last year's report…"), tr("Organ, year and the requests carried over are "
                                                                 "filled in; last year's figures are used for the "
                                                                 "checks."), window.new_from_last_year),
                ("demo", tr("Open the &sample report"), tr("A completed report to look at and try things on."),
                 window.open_demo)):
            b = QCommandLinkButton(text, what)
            b.clicked.connect(slot)
            actions.addWidget(b)
            self.buttons[key] = b
        actions.addStretch(1)
        left = QWidget()
        left.setLayout(actions)
        left.setMaximumWidth(ch * 34)
        self.recent = QListWidget()
        self.recent.itemActivated.connect(lambda item: window.open_path(item.data(USER_ROLE)))
        self.recent.setFrameShape(QFrame.NoFrame)
        self.no_recent = QLabel(tr("No report has been opened yet."))
        self.no_recent.setWordWrap(True)
        recent_title = QLabel(tr("Recent files (Enter or double-click to open):"))
        recent_title.setWordWrap(True)
        bold = recent_title.font()
        bold.setBold(True)
        recent_title.setFont(bold)
        drop = QLabel(tr("You can also drop a report file (.nianbao, Word, web page, text, Excel, PDF) on "
                         "this window."))
        drop.setWordWrap(True)
        drop.setEnabled(False)  # a quieter grey
        right = QVBoxLayout()
        right.addWidget(recent_title)
        right.addWidget(self.recent, 1)
        right.addWidget(self.no_recent)
        right.addStretch(0)
        right.addWidget(drop)
        columns = QHBoxLayout()
        columns.setSpacing(ch * 2)
        columns.addWidget(left, 2)
        columns.addLayout(right, 3)
        intro = QLabel(tr("Write the annual report part by part; the tables check themselves as you type."))
        intro.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(ch * 2, ch, ch * 2, ch)
        lay.addWidget(heading_label(tr("Government information disclosure annual report")))
        lay.addWidget(intro)
        lay.addSpacing(ch)
        lay.addLayout(columns, 1)
        self.refresh()

    def refresh(self):
        self.recent.clear()
        for p in userdata.recent_files():
            item = QListWidgetItem(f"{p.name}    —    {p.parent}")
            item.setData(USER_ROLE, str(p))
            item.setToolTip(str(p))
            self.recent.addItem(item)
        has = self.recent.count() > 0
        self.recent.setVisible(has)
        self.no_recent.setVisible(not has)


class RecoveryBanner(QFrame):
    """Shown at the top when a previous run ended without closing cleanly."""

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window = window
        self.setFrameShape(QFrame.StyledPanel)
        self.setStyleSheet("RecoveryBanner { background: #fff3cd; }")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.restore = QPushButton(tr("&Restore"))
        self.discard = QPushButton(tr("Discard"))
        lay = QHBoxLayout(self)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.restore)
        lay.addWidget(self.discard)
        self.restore.clicked.connect(self._restore)
        self.discard.clicked.connect(self._discard)
        self.items: list = []
        self.refresh()

    def refresh(self, opened=None):
        """Look again for recovery copies of instances that have ended (one killed a moment ago included); the one
        of the file just ``opened``, if any, is offered first, naming that file."""
        from app.session import recovery_for
        self.items = userdata.find_recoveries()
        mine = recovery_for(opened) if opened is not None else None
        if mine is not None:
            self.items = [mine] + [r for r in self.items if r.file != mine.file]
        if not self.items:
            self.hide()
            return
        rec = self.items[0]
        import time
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(rec.saved_at))
        if rec.path:
            name = Path(rec.path).name
        elif rec.title:
            name = tr("the unsaved report “%1”").replace("%1", rec.title)
        else:
            name = tr("an unsaved report")
        if mine is not None:
            text = tr("“%1” has changes from %2 that were never saved: the window editing it ended without closing "
                      "normally. Restore them from the recovery copy?")
            try:
                saved = os.path.getmtime(opened)
            except OSError:
                saved = 0.0
            if saved > rec.saved_at:  # restoring would replace a version saved after the copy was written
                from app.textutil import join_sentences
                text = join_sentences([text, tr("Careful: the file itself was saved later, at %3.").replace(
                    "%3", time.strftime("%Y-%m-%d %H:%M", time.localtime(saved)))])
        elif self._other(rec):  # a report is open here, and the copy is of another one: said so
            text = tr("The program was not closed normally last time. A recovery copy of %1 from %2 was found; "
                      "it is another report, not the one open here.")
        else:
            text = tr("The program was not closed normally last time. A recovery copy of %1 from %2 was found.")
        self.label.setText(text.replace("%1", name).replace("%2", when))
        self.restore.setText(tr("&Restore it") if self._other(rec) else tr("&Restore"))
        self.show()

    def _other(self, rec) -> bool:
        """A report is open in the window and the recovery copy is not of its file."""
        state = getattr(self.window, "state", None)
        if state is None:
            return False
        return not (rec.path and state.path and os.path.abspath(rec.path) == os.path.abspath(state.path))

    def _restore(self):
        rec = self.items[0]
        if self._other(rec) and not self._replace_ok(rec):
            return
        if self.window.restore(rec):
            rec.discard()
        self.refresh()

    def _replace_ok(self, rec) -> bool:
        """Restoring another report's copy replaces the report open here: asked first, naming both."""
        from .qt import QMessageBox
        state = self.window.state
        here = Path(state.path).name if state.path else (state.report.known_title() or tr("the unsaved report"))
        there = Path(rec.path).name if rec.path else (rec.title or tr("an unsaved report"))
        box = QMessageBox(QMessageBox.Question, tr("Restore another report?"),
                          tr("Restoring “%1” closes the report open here (“%2”) and shows the recovered one "
                             "instead. Restore it?").replace("%1", there).replace("%2", here),
                          QMessageBox.Yes | QMessageBox.No, self.window)
        box.setDefaultButton(QMessageBox.No)
        self.window.last_message_box = box
        return box.exec() == QMessageBox.Yes

    def _discard(self):
        self.items[0].discard()
        self.refresh()


class MainWindow(QMainWindow):
    def __init__(self):
        super().__init__()
        self.state: ReportState | None = None
        self.wizard: Wizard | None = None
        self.session: Session | None = None  # the report's file: lock, fingerprint, saving (app/session.py)
        self.writer = RecoveryWriter()
        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.write_recovery)
        self.last_message_box: QMessageBox | None = None
        self._after_frame: list = []  # run once the report's first frame is drawn (``_first_frame_done``)
        self.setAcceptDrops(True)
        self.setWindowTitle(tr("Annual report assistant"))

        self.views = QStackedWidget()
        self._start: StartView | None = None  # built when first shown (never when a file is opened at start-up)
        self.banner = RecoveryBanner(self)
        central = QWidget()
        cl = QVBoxLayout(central)
        cl.setContentsMargins(4, 4, 4, 4)
        cl.addWidget(self.banner)
        cl.addWidget(self.views, 1)
        self.setCentralWidget(central)

        self.findings = FindingsPanel(None, {}, summary=False)  # the dock's title says it (a line more for the grid)
        self.findings.activated.connect(self.show_finding)
        # the findings panel goes under the page, beside the page list (``_place_findings``): until a report is open
        # it waits in a hidden holder
        self._dock_holder = QWidget(central)
        self._dock_holder.hide()
        self.dock = QDockWidget(tr("Findings"), self._dock_holder)
        self.dock.setObjectName("findings")
        self.dock.setWidget(self.findings)
        self.dock.setFeatures(QDockWidget.DockWidgetClosable)
        self.dock.hide()

        from .statusbar import StatusBar
        self.setStatusBar(StatusBar(self))  # its message never runs over the counts
        self.counts = QLabel()
        self.statusBar().addPermanentWidget(self.counts)
        self._make_actions()
        self.resize(self.default_size())
        self.restore_settings()

    @property
    def start(self) -> StartView:
        """The start view (new, open, last year's, sample; recent files): what the window shows without a report."""
        if self._start is None:
            self._start = StartView(self)
            self.views.insertWidget(0, self._start)  # (the wizard stays the current view if there is one)
        return self._start

    def setVisible(self, visible: bool) -> None:
        # before the window is shown, so that it is laid out with the start view in it
        if visible and self.state is None:
            self.start  # noqa: B018 — built now, shown as the only view
        super().setVisible(visible)

    def _refresh_start(self) -> None:
        if self._start is not None:
            self._start.refresh()

    # ----- window geometry, state and pane sizes, remembered between runs (QSettings, in the user data folder)
    def settings(self):
        """The window settings file, or None when the user data folder cannot be made (then the window size is
        simply not remembered; nothing else is affected)."""
        from .qt import QSettings
        try:
            folder = userdata.data_dir()
        except OSError:
            return None
        return QSettings(str(folder / "window.ini"), QSettings.IniFormat)

    def restore_settings(self) -> None:
        s = self.settings()
        if s is None:
            self._saved_panes = {}
            return
        geometry = s.value("window/geometry")
        if geometry:
            self.restoreGeometry(geometry)
        self._saved_panes = {k: s.value(f"panes/{k}") for k in ("findings_height", "side_width", "side_collapsed")}

    def save_settings(self) -> None:
        s = self.settings()
        if s is None:
            return
        s.setValue("window/geometry", self.saveGeometry())
        if self.wizard is not None:
            if self.dock.isVisible():
                s.setValue("panes/findings_height", self.dock.height())
            s.setValue("panes/side_collapsed", int(self.wizard.list_delegate.collapsed))
            if not self.wizard.list_delegate.collapsed:
                s.setValue("panes/side_width", self.wizard.split.sizes()[0])
        s.sync()

    def _saved(self, key):
        try:
            return int(self._saved_panes.get(key))
        except (TypeError, ValueError):
            return None

    def default_size(self):
        """Room for table 3 and the findings where the screen allows, never larger than 92 % of the screen."""
        fm = self.fontMetrics()
        want_w, want_h = fm.horizontalAdvance("国") * 100, fm.height() * 58
        screen = self.screen()
        if screen is not None:
            avail = screen.availableGeometry()
            want_w, want_h = min(want_w, int(avail.width() * 0.92)), min(want_h, int(avail.height() * 0.92))
        hint = self.minimumSizeHint()
        return QSize(max(want_w, hint.width()), max(want_h, hint.height()))

    # ----- menus and shortcuts ------------------------------------------------------------------------
    def _make_actions(self):
        mb = self.menuBar()
        file = mb.addMenu(tr("&File"))
        self.actions = {}

        def act(menu, key, text, slot, shortcut=None):
            a = QAction(self)  # (not QAction(text, self): choosing among its overloads loads QIcon, ~3 ms of enums)
            a.setText(text)
            if shortcut is not None:
                set_shortcuts(a, shortcut)
            a.triggered.connect(slot)
            menu.addAction(a)
            self.actions[key] = a
            return a

        act(file, "new", tr("&New report"), self.new_report, QKeySequence.New)
        act(file, "open", tr("&Open / import…"), self.open_dialog, QKeySequence.Open)
        act(file, "last", tr("New from &last year's report…"), self.new_from_last_year)
        self.recent_menu = file.addMenu(tr("&Recent files"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file.addSeparator()
        act(file, "save", tr("&Save"), self.save, QKeySequence.Save)
        act(file, "saveas", tr("Save &as…"), self.save_as, QKeySequence.SaveAs)
        self._export_actions(file, act)
        file.addSeparator()
        act(file, "quit", tr("&Quit"), self.close, QKeySequence.Quit)
        edit = mb.addMenu(tr("&Edit"))
        self.undo_action = QAction(self)
        self.undo_action.setText(tr("&Undo"))
        set_shortcuts(self.undo_action, QKeySequence.Undo)
        self.undo_action.triggered.connect(lambda: self.state and self.state.undo.undo())
        self.redo_action = QAction(self)
        self.redo_action.setText(tr("&Redo"))
        set_shortcuts(self.redo_action, "Ctrl+Y", "Ctrl+Shift+Z")
        self.redo_action.triggered.connect(lambda: self.state and self.state.undo.redo())
        self.undo_action.triggered.disconnect()
        self.undo_action.triggered.connect(self.undo)
        self.redo_action.triggered.disconnect()
        self.redo_action.triggered.connect(self.redo)
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        edit.aboutToShow.connect(self._update_undo_text)
        QApplication.instance().focusChanged.connect(self._update_undo_text)
        edit.addSeparator()
        act(edit, "fill", tr("Fill blanks of this table with &0"), self.fill_blanks)
        view = mb.addMenu(tr("&View"))
        act(view, "next", tr("&Next page"), lambda: self.wizard and self.wizard.step(1),
            "Ctrl+PgDown")
        act(view, "back", tr("&Previous page"), lambda: self.wizard and self.wizard.step(-1),
            "Ctrl+PgUp")
        act(view, "pane", tr("Next pane: page list, page, findings"), self.next_pane, "F6")
        view.addSeparator()
        view.addAction(self.dock.toggleViewAction())
        helpm = mb.addMenu(tr("&Help"))
        act(helpm, "help", tr("Help on this &page"), self.show_help, QKeySequence.HelpContents)
        act(helpm, "about", tr("&About"), self.about)
        from . import rulepack_menu  # Settings › Rule pack (local rule packs), before Help
        rulepack_menu.install(self)
        self._update_actions()

    def _export_actions(self, file, act) -> None:
        """File › 导出 Word (Ctrl+E) / PDF (Ctrl+Shift+E) / Excel: the same as the check page's buttons."""
        file.addSeparator()
        for key, text, suffix, shortcut in (("export_docx", tr("&Export Word document…"), ".docx", "Ctrl+E"),
                                            ("export_pdf", tr("Export P&DF…"), ".pdf", "Ctrl+Shift+E"),
                                            ("export_xlsx", tr("Export E&xcel…"), ".xlsx", None)):
            act(file, key, text, lambda _=False, s=suffix: self.export(s),
                shortcut)

    def export(self, suffix: str) -> bool:
        if self.state is None:
            return False
        from .export import export_dialog  # (the exporters are loaded when first used)
        self.wizard.commit_pending()
        return export_dialog(self, suffix)

    def _text_field(self):
        """The text field being typed in (narrative editor, cover field, grid cell editor), if any."""
        fw = QApplication.focusWidget()
        if isinstance(fw, (QPlainTextEdit, QLineEdit)) and self.isAncestorOf(fw) and not fw.isReadOnly():
            return fw
        return None

    def undo(self):
        """Edit › Undo: in a text field its own undo (as Ctrl+Z there), otherwise the report's undo stack, shown:
        the page of the change comes up with its cells selected and the status bar says what was undone."""
        field = self._text_field()
        if field is not None and _can(field, "Undo"):
            field.undo()
        elif self.state is not None:
            self._step(redo=False)

    def redo(self):
        field = self._text_field()
        if field is not None and _can(field, "Redo"):
            field.redo()
        elif self.state is not None:
            self._step(redo=True)

    def _step(self, redo: bool) -> None:
        from .state import command_cells
        stack = self.state.undo
        i = stack.index() if redo else stack.index() - 1
        if not 0 <= i < stack.count():
            self.show_message(tr("Nothing to redo.") if redo else tr("Nothing to undo."), 5000)
            return
        cmd = stack.command(i)
        text = cmd.text()
        stack.redo() if redo else stack.undo()
        self.show_change(command_cells(cmd))
        self.show_message((tr("Redone: %1") if redo else tr("Undone: %1")).replace("%1", text))

    def show_change(self, cells) -> None:
        """Bring up the page of changed cells and select them (undo/redo of a change made elsewhere)."""
        if self.wizard is None or not cells:
            return
        from .state import page_of
        pid = page_of(self.state.fmt, cells[0])
        self.wizard.go(pid)
        page = self.wizard.pages[pid]
        if isinstance(page, TablePage):
            page.grid.select_cells([c for c in cells if c in page.model.positions])
        elif isinstance(page, CoverPage):
            page.focus_field(cells[0])

    def _update_undo_text(self, *_):
        """Edit menu: 撤销 <what> / 重做 <what> — the focused text field's typing, or the report's next step."""
        try:
            self.undo_action.text()
        except RuntimeError:  # (an application-wide focus signal reaching a window being deleted)
            return

        def short(text):
            return text if len(text) <= 40 else text[:39] + "…"
        field = self._text_field()
        for action, what, plain, with_text in ((self.undo_action, "Undo", tr("&Undo"), tr("&Undo %1")),
                                               (self.redo_action, "Redo", tr("&Redo"), tr("&Redo %1"))):
            if field is not None and _can(field, what):
                action.setText(with_text.replace("%1", tr("typing")))
            elif self.state is not None and (self.state.undo.canUndo() if what == "Undo"
                                             else self.state.undo.canRedo()):
                text = self.state.undo.undoText() if what == "Undo" else self.state.undo.redoText()
                action.setText(with_text.replace("%1", short(text)))
            else:
                action.setText(plain)

    def _fill_recent(self):
        self.recent_menu.clear()
        for p in userdata.recent_files():
            a = self.recent_menu.addAction(str(p))
            a.triggered.connect(lambda _=False, p=p: self.confirm_discard() and self.open_path(p))
        if not self.recent_menu.actions():
            self.recent_menu.addAction(tr("(none)")).setEnabled(False)

    def _update_actions(self, *_):
        has = self.state is not None
        for key in ("save", "saveas", "fill", "next", "back", "pane", "export_docx", "export_pdf", "export_xlsx"):
            self.actions[key].setEnabled(has)
        # enabled with any report open: the focused text field may have its own undo history
        self.undo_action.setEnabled(has)
        self.redo_action.setEnabled(has)

    # ----- report lifecycle ---------------------------------------------------------------------------
    def set_report(self, report, path=None, dirty: bool = False, session: Session | None = None) -> None:
        """Show ``report``; ``session``: its file (opened through app/session.py), else a report of no file."""
        if session is None:
            session = Session(report, path, client=self)
        if self.session is not None and self.session is not session:
            self.session.close()  # (a lock the new session took over stays held)
        self.session = session
        if self.wizard is not None:
            self.views.removeWidget(self.wizard)
            self.wizard.deleteLater()
        if self.state is not None:
            self.state.deleteLater()
        self.autosave.stop()
        self.state = state = ReportState(report, path, self)
        if dirty:
            state.mark_unsaved()
        state.checked.connect(self._update_counts)
        state.message.connect(self.show_message)
        state.inputProblem.connect(self._input_problem)
        state.dirtyChanged.connect(self._update_title)
        state.pathChanged.connect(self._update_title)
        state.changed.connect(self.autosave.start)
        state.undo.canUndoChanged.connect(self._update_actions)
        state.undo.canRedoChanged.connect(self._update_actions)
        state.undo.indexChanged.connect(self._update_undo_text)
        self.wizard = Wizard(state)
        self._place_findings()
        self._drops_watched = False
        self._after_first_frame(state)
        side = self._saved("side_width")
        if side:
            self.wizard.split.setSizes([side, max(self.wizard.split.width() - side, side)])
        if self._saved("side_collapsed"):
            self.wizard.set_collapsed(True)
        self.wizard.pages.hooks.append(self._page_built)
        self.wizard.pageChanged.connect(self._page_changed)
        self.views.addWidget(self.wizard)
        self.views.setCurrentWidget(self.wizard)
        self.findings.page_titles = self.wizard.titles
        self.findings.set_state(state)
        if not self.dock.isVisible():
            self.dock.show()
        self._update_counts()
        self._update_title()
        self._update_actions()
        if dirty:
            self.autosave.start()

    def _place_findings(self) -> None:
        """The findings panel moves into the new report's wizard, under its pages (a splitter between them), so the
        page list beside them keeps the window's whole height. The status bar's message about the previous report
        (已撤销…, 已导出到…) goes."""
        self.wizard.set_bottom(self.dock)
        self.statusBar().clearMessage()

    def _after_first_frame(self, state) -> None:
        """What the first frame of a report does not need runs right after the wizard has been drawn (at the
        latest after COMPLETE_MS, for a window that is not drawn): the rules that only warn, held back at the
        program's first report (ui/state.py: the clerk sees the report and its errors ~60 ms sooner, the warnings a
        moment later), and the watch for files dropped on the wizard's fields (an event filter on each field that
        takes drops, which would otherwise also run for every event of the first show)."""
        timer = QTimer(self.wizard)  # (goes with the wizard when another report is opened)
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: self._first_frame_done(state))
        timer.start(COMPLETE_MS)
        self.wizard.drawn.connect(lambda: timer.start(0))  # right after that paint has reached the screen

    _drops_watched = False

    def _first_frame_done(self, state) -> None:
        if state is not self.state or self._drops_watched:
            return
        self._watch_drops(self.wizard)  # the wizard and its first page; pages built later are watched when built
        self._drops_watched = True
        self._run_after_frame()
        state.complete()

    def when_drawn(self, job) -> None:
        """Run ``job`` right after the report's first frame, with what else waits for it (or when the window closes
        before)."""
        self._after_frame.append(job)

    def _run_after_frame(self) -> None:
        """What waits for the report's first frame besides the rules (the recent-files list, written to disk)."""
        waiting, self._after_frame[:] = list(self._after_frame), []
        for job in waiting:
            job()

    def _page_changed(self, pid):
        # the check page shows the findings itself; the dock would repeat them
        self.dock.setVisible(pid != "check")

    def _page_built(self, pid, page) -> None:
        """A wizard page was just built (pages are built when first shown; the first page before this hook is set:
        it is watched for drops with the wizard after the first frame)."""
        self._watch_drops(page)
        if pid == "check":
            page.panel.activated.connect(self.show_finding)
            self._add_export_buttons(page)

    def _add_export_buttons(self, page):
        try:
            from .export import add_export_buttons
        except ImportError:
            return
        add_export_buttons(self, page)

    def _update_counts(self, *_):
        if self.state is None:
            self.counts.setText("")
            return
        e, w, t = self.state.screen_counts()
        has = bool(e or w or t)
        if getattr(self, "_dock_sized_for", None) is not self.state:
            # size the dock for the findings once per opened report; not while typing, where the grid would
            # jump under the cursor (and be repainted whole) each time the last error goes or the first comes;
            # once more when the warnings held back at start-up have come (a moment after the first frame)
            if not self.state.pending:
                self._dock_sized_for = self.state
            summary = self.fontMetrics().height() * 3 // 2  # the dock's title
            saved = self._saved("findings_height")  # as the clerk left it last time
            if saved:
                height = min(saved, int(self.height() * 0.6))
            else:  # never more than 30 % of the window (the grid keeps its height), never fewer than three rows
                height = min(summary + (self.findings.rows_height(min(e + w + t, 6)) if has else 0),
                             int(self.height() * 0.3))
            if has:
                height = max(height, summary + self.findings.rows_height(3))
            self.wizard.set_bottom_height(height)
        from .findings import counts_text, summary_text
        self.counts.setText(counts_text(e, w, t))
        self.dock.setWindowTitle(tr("Findings") + " — " + summary_text(e, w, t))

    def _update_title(self, *_):
        app_name = tr("Annual report assistant")
        if self.state is None:
            self.setWindowTitle(app_name)
            return
        name = Path(self.state.path).name if self.state.path else tr("Untitled")
        if self.session is not None and self.session.readonly:
            name += tr(" (read-only)")
        self.setWindowTitle(f"{'*' if self.state.dirty else ''}{name} — {app_name}")

    def _input_problem(self, cell: str, text: str) -> None:
        # the next good entry clears the message of a refused one (it would otherwise stay for 15 s)
        if not cell and self.statusBar().currentMessage() == self._problem_shown:
            self.statusBar().clearMessage()
        self._problem_shown = text

    _problem_shown = ""

    def show_message(self, text: str, timeout: int = 15000) -> None:
        self.statusBar().showMessage(text, timeout)

    def show_error(self, title: str, text: str) -> QMessageBox:
        """A window-modal message that does not block the caller (tests read and close it)."""
        from .qt import QMessageBox  # (resolved when first needed: ~13 ms of start-up)
        box = QMessageBox(QMessageBox.Warning, title, text, QMessageBox.Ok, self)
        box.setAttribute(_qt().WA_DeleteOnClose)
        box.open()
        self.last_message_box = box
        self.show_message(text)
        return box

    def confirm_discard(self) -> bool:
        """Unsaved changes: ask to save them. Returns False when the clerk cancels."""
        from .qt import QMessageBox
        if self.wizard is not None:
            self.wizard.commit_pending()
        if self.state is None or not self.state.dirty:
            return True
        box = QMessageBox(QMessageBox.Question, tr("Unsaved changes"),
                          tr("The report has changes that are not saved. Save them?"),
                          QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, self)
        box.setDefaultButton(QMessageBox.Save)
        answer = box.exec()
        if answer == QMessageBox.Save:
            return self.save()
        return answer == QMessageBox.Discard

    def new_report(self):
        if self.confirm_discard():
            self.set_report(new_report())

    def open_demo(self):
        if self.confirm_discard():
            self.open_path(resource("samples", "demo.nianbao"), untitled=True)

    def _filter(self) -> str:
        sufs = " ".join(f"*{s}" for s in supported_suffixes())
        return tr("Reports (%1)").replace("%1", sufs) + ";;" + tr("All files (*)")

    def open_dialog(self):
        from .filedialog import get_open_file_name
        if not self.confirm_discard():
            return
        path, _ = get_open_file_name(self, tr("Open a report"), self._folder(), self._filter())
        if path:
            self.open_path(path)

    def _folder(self) -> str:
        """Where file dialogs start: the folder of the open report (or of the file it was imported from), else
        of the most recent file, else home."""
        if self.state is not None:
            folder = Path(self.state.path).parent if self.state.path else getattr(self.state, "origin_folder", None)
            if folder is not None and folder.is_dir():
                return str(folder)
        recent = userdata.recent_files()
        return str(recent[0].parent) if recent else str(Path.home())

    def open_path(self, path, untitled: bool = False) -> bool:
        """Open any supported file; on failure show the reason and change nothing."""
        path = Path(path)
        is_project = path.suffix.lower() in (project.SUFFIX, ".json") and not untitled
        try:
            if is_project:
                session = self._open_session(path)
                if session is None:
                    return False
            else:
                from .reading import read_report  # in the worker process, with a cancel button
                session = Session.new(read_report(self, path), client=self)
        except (OpenError, project.ProjectError) as e:
            if not isinstance(e, sandbox_cancelled()):
                self.show_error(tr("Cannot open the file"), str(e))
            return False
        refilled = project.recomputed_text(session.report) if is_project else ""
        # totals refilled as the file was read: the file still holds the old ones (saving corrects them), so said
        self.set_report(session.report, str(path) if is_project else None, dirty=bool(refilled), session=session)
        if refilled:
            self.show_error(tr("Totals corrected"), refilled)
        if is_project:
            self._after_frame.append(lambda: self._add_recent(path))  # (a file write, fsynced: after the frame)
            self._refresh_start()
            self.banner.refresh(path)  # a recovery copy of this file, left by a window that has ended since
            if session.unwritable:  # a read-only file or folder: said now, not at the first save
                self.offer_save_as(tr("Opened read-only"), session.unwritable + tr(
                    " It is opened read-only: you can read and edit it, and Save as keeps your changes in another "
                    "file."), close=True)
            elif session.readonly:
                self.show_message(tr("Opened read-only: another window is editing this file. Save as keeps your "
                                     "changes in another file."))
        else:
            if not untitled:  # an imported file: Save as starts beside it (not for the built-in sample)
                self.state.origin_folder = path.resolve().parent
            self.show_message(tr("Opened %1 as a new report; saving asks where to put it.").replace("%1", path.name))
        return True

    def new_from_last_year(self):
        from .filedialog import get_open_file_name
        if not self.confirm_discard():
            return
        path, _ = get_open_file_name(self, tr("Open last year's report"), self._folder(), self._filter())
        if path:
            self.new_from_last_year_path(path)

    def new_from_last_year_path(self, path) -> bool:
        try:
            from .reading import read_report  # in the worker process, with a cancel button
            last = read_report(self, path)
        except OpenError as e:
            if not isinstance(e, sandbox_cancelled()):
                self.show_error(tr("Cannot open the file"), str(e))
            return False
        report = next_year_report(last)
        self.set_report(report, dirty=True)  # content saved nowhere yet: closing asks
        self.state.origin_folder = Path(path).resolve().parent  # Save as starts beside last year's file
        missing = [what for what, known in ((tr("the organ"), report.meta.organ), (tr("the year"), report.meta.year))
                   if not known]
        if missing:  # a badly read file: said at once, the cover shows what the reading left out
            self.show_error(tr("Last year's report was not fully read"),
                            tr("%1 could not be read from “%2”; fill them in on the cover page. What the reading "
                               "left out is listed there.").replace("%1", tr(" and ").join(missing))
                            .replace("%2", Path(path).name))
        return True

    def restore(self, rec) -> bool:
        try:
            rec.load()  # a copy that cannot be read is said before anything is asked
        except project.ProjectError as e:
            self.show_error(tr("Cannot restore"), str(e))
            return False
        if not self.confirm_discard():
            return False
        try:
            session = Session.restore(rec, client=self, previous=self.session)
        except project.ProjectError as e:
            self.show_error(tr("Cannot restore"), str(e))
            return False
        self.set_report(session.report, rec.path, dirty=True, session=session)
        self.show_message(tr("Recovered report restored. Save it to keep it."))
        return True

    def save(self) -> bool:
        if self.state is None:
            return False
        self.wizard.commit_pending()
        if not self.state.path:
            return self.save_as()
        return self.save_to(self.state.path)

    def save_as(self) -> bool:
        from .filedialog import get_save_file_name
        if self.state is None:
            return False
        self.wizard.commit_pending()
        suggested = self.suggested_path()
        path, _ = get_save_file_name(self, tr("Save the report"), suggested,
                                              tr("Report project (*.nianbao)"))
        if not path:
            return False
        if not path.lower().endswith(project.SUFFIX):
            path += project.SUFFIX
            # the dialog asked about the name without the suffix: ask about the file that would be replaced
            if os.path.exists(path) and not self.confirm_replace(path):
                return False
        return self.save_to(path)

    def suggested_path(self) -> str:
        """Where Save as starts: the report's file, else its title (only when organ and year are both known: never
        "年政府信息公开工作年度报告") in the folder of the file it came from."""
        if self.state.path:
            return self.state.path
        return str(Path(self._folder()) / ((self.state.report.known_title() or tr("report")) + project.SUFFIX))

    def offer_save_as(self, title: str, text: str, close: bool = False) -> QMessageBox:
        """A file that cannot be written: say why and offer Save as (window-modal, not blocking the caller, as
        :meth:`show_error`); its Save as button runs Save as."""
        from .qt import QMessageBox, Qt
        box = QMessageBox(QMessageBox.Warning, title, text, parent=self)
        box.setAttribute(Qt.WA_DeleteOnClose)
        save_as = box.addButton(tr("Save &as…"), QMessageBox.AcceptRole)
        box.addButton(QMessageBox.Close if close else QMessageBox.Cancel)  # (close: a notice, nothing to cancel)
        box.setDefaultButton(save_as)
        save_as.clicked.connect(self.save_as, Qt.QueuedConnection)  # after the box has closed
        box.open()
        self.last_message_box = box
        self.show_message(text)
        return box

    def confirm_replace(self, path) -> bool:
        from .qt import QMessageBox
        box = QMessageBox(QMessageBox.Question, tr("Replace the file?"),
                          tr("“%1” already exists. Replace it?").replace("%1", Path(path).name),
                          QMessageBox.Yes | QMessageBox.No, self)
        box.setDefaultButton(QMessageBox.No)
        return box.exec() == QMessageBox.Yes

    def changed_on_disk(self, path) -> str:
        """The file changed on disk since it was loaded or saved here: "reload", "overwrite", "saveas" or ""."""
        from .qt import QMessageBox
        box = QMessageBox(QMessageBox.Warning, tr("The file was changed elsewhere"),
                          tr("“%1” was changed on disk (by another window or program) after it was opened here. "
                             "Saving now would replace those changes.").replace("%1", Path(path).name), parent=self)
        reload_ = box.addButton(tr("&Reload (discard my changes)"), QMessageBox.DestructiveRole)
        overwrite = box.addButton(tr("&Overwrite"), QMessageBox.AcceptRole)
        save_as = box.addButton(tr("Save &as…"), QMessageBox.ActionRole)
        box.addButton(QMessageBox.Cancel)
        box.setDefaultButton(save_as)
        box.exec()
        choice = {id(reload_): "reload", id(overwrite): "overwrite", id(save_as): "saveas"}
        return choice.get(id(box.clickedButton()), "")

    def save_to(self, path, overwrite: bool = False) -> bool:
        """Save through the session: it asks nothing itself; what it refuses is asked here (changed on disk:
        reload, overwrite or save as; edited in another window: save as or switch to it)."""
        if self.session is None:
            self.session = Session(self.state.report, self.state.path, client=self)
        if self.state.path is None or os.path.abspath(str(path)) != os.path.abspath(self.state.path):
            try:
                check_output(path, overwrite=True)  # never a file of another kind, a folder or a pipe
            except OutputRefused as e:
                self.show_error(tr("Cannot save"), str(e))
                return False
        try:
            self.session.save(self.state.report, path, overwrite=overwrite)
        except Conflict:
            answer = self.changed_on_disk(path)
            if answer == "reload":
                return self.open_path(self.session.path)
            if answer == "saveas":
                return self.save_as()
            return answer == "overwrite" and self.save_to(path, overwrite=True)
        except Locked as e:
            answer = self.already_open(e, saving=True)
            if answer == "saveas":
                return self.save_as()
            if answer == "switch":
                self._switch_to(e.client)
            return False
        except project.ProjectError as e:
            # the changes are kept in the recovery copy at once (the title keeps its "*"); if even that fails, say so;
            # Save as is offered (another folder or drive may take the file)
            self.offer_save_as(tr("Cannot save"), str(e) + self._write_recovery_now())
            return False
        self.state.mark_saved(str(self.session.path))
        self._update_title()  # (no longer read-only once saved)
        self._add_recent(path)
        self._refresh_start()
        self.autosave.stop()
        self.writer.join()
        userdata.remove_recovery()
        self.show_message(tr("Saved to %1").replace("%1", str(path)), 5000)
        return True

    # ----- autosave -------------------------------------------------------------------------------------
    def write_recovery(self) -> None:
        if self.state is None or not self.state.dirty:
            return
        try:
            data = userdata.recovery_bytes(self.state.report, self.state.path)
        except (TypeError, ValueError, RecursionError) as e:  # not expected: never fail silently
            self.show_message(tr("The recovery copy could not be written: %1").replace("%1", str(e)))
            return
        self.writer.submit(data)

    def _write_recovery_now(self) -> str:
        """Write the recovery copy on this thread; "" or a line saying why it could not be written."""
        self.autosave.stop()
        self.writer.join()
        try:
            userdata.write_recovery(userdata.recovery_bytes(self.state.report, self.state.path))
        except (OSError, ValueError, TypeError, RecursionError) as e:
            why = project.os_error_text(e) if isinstance(e, OSError) else str(e)
            return "\n\n" + tr("The recovery copy could not be written either: %1").replace("%1", why)
        return ""

    # ----- two instances on one file ------------------------------------------------------------------
    def _open_session(self, path: Path) -> Session | None:
        """Open project file ``path`` for editing here, or read-only when it is being edited in another window and
        the clerk chooses so; None when the clerk cancels (or switches to that window). ProjectError: unreadable."""
        try:
            return Session.open(path, client=self, previous=self.session)
        except Locked as e:
            answer = self.already_open(e)
            if answer == "switch":
                self._switch_to(e.client)
            if answer != "readonly":
                return None
        return Session.open(path, readonly=True, client=self)

    def already_open(self, e: Locked, saving: bool = False) -> str:
        """The file is being edited in another window (of this process or another): "readonly" (when opening),
        "saveas" (when saving), "switch" (a window of this process) or "" (cancel)."""
        from .qt import QMessageBox
        box = QMessageBox(QMessageBox.Warning, tr("The report is already open"), str(e), parent=self)
        first = box.addButton(tr("Save &as…") if saving else tr("Open &read-only"), QMessageBox.AcceptRole)
        switch = None
        if isinstance(e.client, QWidget) and e.client is not self:
            switch = box.addButton(tr("&Switch to that window"), QMessageBox.ActionRole)
        box.addButton(QMessageBox.Cancel)
        box.setDefaultButton(switch or first)
        self.last_message_box = box
        box.exec()
        clicked = box.clickedButton()
        if clicked is first:
            return "saveas" if saving else "readonly"
        return "switch" if switch is not None and clicked is switch else ""

    @staticmethod
    def _switch_to(window) -> None:
        if isinstance(window, QWidget):
            if window.isMinimized():
                window.showNormal()
            window.raise_()
            window.activateWindow()

    def _add_recent(self, path) -> None:
        """The recent-files list is a convenience: a full or read-only settings folder must not fail an open/save."""
        try:
            userdata.add_recent(path)
        except OSError:
            pass

    def shutdown(self) -> None:
        """Clean exit: no recovery copy is left behind."""
        self._run_after_frame()  # (a window closed before its first frame still records its file as recent)
        self.autosave.stop()
        self.writer.join()
        userdata.remove_recovery()
        if self.session is not None:
            self.session.close()

    def closeEvent(self, event):
        if not self.confirm_discard():
            event.ignore()
            return
        self.save_settings()
        self.shutdown()
        event.accept()

    # ----- navigation, help ---------------------------------------------------------------------------
    def show_finding(self, finding) -> None:
        if self.wizard is not None:
            self.wizard.show_finding(finding)

    def fill_blanks(self):
        if self.wizard is None:
            return
        page = self.wizard.pages[self.wizard.current()]
        if isinstance(page, TablePage):
            page.fill_blanks()
        else:
            self.show_message(tr("Go to a table page first (二, 三 or 四)."))

    def next_pane(self) -> None:
        """F6: the keyboard focus goes round the page list, the page and the findings panel (when shown)."""
        if self.wizard is None:
            return
        panes = [self.wizard.list, self.wizard.stack]
        if self.dock.isVisible():
            panes.append(self.findings.tree)
        fw = QApplication.focusWidget()
        at = next((i for i, p in enumerate(panes) if fw is not None and (fw is p or p.isAncestorOf(fw))), -1)
        target = panes[(at + 1) % len(panes)]
        if target is self.wizard.stack:
            self.wizard.focus_page()
        else:
            target.setFocus()  # (Qt.OtherFocusReason)

    def help_text(self) -> str:
        """F1: what to do on the page shown (from the format's guidance, each point once), then the keys."""
        keys = tr("Keyboard: Ctrl+PgDown / Ctrl+PgUp go to the next / previous page; F6 moves between the page list, "
                  "the page and the findings; Alt with an underlined letter presses that button.")
        return self._page_help() + "\n\n" + keys

    def _page_help(self) -> str:
        if self.wizard is None:
            return tr("Start a new report, open one, or start from last year's report. "
                      "Files of these kinds can be opened or dropped on the window: %1")\
                .replace("%1", " ".join(supported_suffixes()))
        pid = self.wizard.current()
        page = self.wizard.pages[pid]
        marks = tr("In the findings below the page, a click goes to the cells. ✖ errors must be corrected before "
                   "sign-off; ! warnings may be right (check each); ○ marks what is not filled in yet.")
        if isinstance(page, CoverPage):
            return "\n\n".join([tr("Fill in the organ, the report year (the statistics year) and the date of issue. "
                                    "The title of the report is made from them."),
                                 tr("The date may be typed as 2025-01-20 or 2025年1月20日, or picked from the "
                                    "calendar."), marks])
        if isinstance(page, TextPage):
            sec = self.state.fmt.section(pid)
            subs = list(sec.get("subheadings", []))
            notes = list(sec.get("notes", []))
            parts = [sec["heading"]]
            guide = sec.get("guidance", "")
            items = []
            for sub in subs:  # a note about a sub-heading goes with it: each is said once
                about = [n for n in notes if n.startswith(sub)]
                for n in about:
                    notes.remove(n)
                items.append(sub + "".join("：" + n[len(sub):].lstrip("，、：: ") for n in about))
            if guide or items:
                parts.append(guide + ("\n" + "\n".join("  " + x for x in items) if items else ""))
            parts += ["• " + n for n in notes]
            if subs:
                parts.append(tr("The buttons beside the text insert these sub-headings at the cursor."))
            parts.append(tr("Numbers written in the text are compared with the tables; a difference is listed "
                            "as a warning."))
            return "\n\n".join(p for p in parts if p)
        if isinstance(page, TablePage):
            return "\n\n".join([
                tr("Type the figures of the year; a blank cell is not 0: use “Fill blanks with 0” when nothing "
                   "happened, / when a row does not apply. Totals (grey) are filled in automatically; the checks "
                   "run as you type."),
                tr("Table keys: type a number to replace the cell, F2 to edit it, Enter moves down (after Tab "
                   "across a row: to the next row's first column), Tab moves right, Delete clears. Ctrl+C / Ctrl+V "
                   "copy and paste blocks to and from Excel or WPS; a block with a bad value is refused as a whole. "
                   "The right mouse button opens a menu. Ctrl+Z undoes, Ctrl+Y redoes."),
                marks])
        return "\n\n".join([tr("Every finding of the checks is listed here. Click one to go to its cells; “Fix” "
                                "applies the obvious correction. Errors must be corrected before sign-off; "
                                "warnings may be right."),
                             tr("Export the Word document for sign-off with the button below or File › Export "
                                "(Ctrl+E); PDF and Excel are there too.")])

    def show_help(self):
        from .qt import QMessageBox
        box = QMessageBox(QMessageBox.Information, tr("Help"), self.help_text(), QMessageBox.Ok, self)
        box.setAttribute(_qt().WA_DeleteOnClose)
        box.open()
        self.last_message_box = box

    def about(self):
        from .qt import QMessageBox
        from app import __version__
        box = QMessageBox(QMessageBox.Information, tr("About"),
                          tr("Annual report assistant %1. Works offline; never uses the network.")
                          .replace("%1", __version__), QMessageBox.Ok, self)
        box.setAttribute(_qt().WA_DeleteOnClose)
        box.open()

    # ----- drag and drop ----------------------------------------------------------------------------------
    # A report file dropped anywhere on the window opens it, also over the text fields (which would otherwise
    # insert the file's address as text): an event filter on every widget that takes drops sees the drag first.
    def _watch_drops(self, root) -> None:
        for w in root.findChildren(QWidget):
            if w.acceptDrops():
                w.installEventFilter(self)

    def _dropped(self, event):
        md = event.mimeData()
        if md is None or not md.hasUrls():
            return None
        sufs = set(supported_suffixes())
        for url in md.urls():
            if url.isLocalFile():
                p = Path(url.toLocalFile())
                if p.suffix.lower() in sufs:
                    return p
        return None

    def eventFilter(self, obj, event):
        from .qt import QEvent
        t = event.type()
        if t in (QEvent.DragEnter, QEvent.DragMove, QEvent.Drop) and obj is not self \
                and isinstance(obj, QWidget) and obj.window() is self:
            if self._dropped(event) is not None:
                self.dropEvent(event) if t == QEvent.Drop else event.acceptProposedAction()
                return True
        return super().eventFilter(obj, event)

    def dragEnterEvent(self, event):
        if self._dropped(event):
            event.acceptProposedAction()

    def dragMoveEvent(self, event):
        if self._dropped(event):
            event.acceptProposedAction()

    def dropEvent(self, event):
        p = self._dropped(event)
        if p is None:
            return
        event.acceptProposedAction()
        # opened after the drop has finished: the file manager is not kept waiting while "save changes?" asks
        QTimer.singleShot(0, lambda: self.confirm_discard() and self.open_path(p))


def sandbox_cancelled():
    """The exception of a read the clerk cancelled (nothing to report: they know)."""
    from app.sandbox import Cancelled
    return Cancelled
