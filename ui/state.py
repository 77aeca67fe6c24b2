"""The open report as the UI sees it: the core Report, its file path, one undo stack, the latest findings.

Every change of a cell or of the cover data goes through :class:`ReportState` (as an undo command), which
refills the computed totals (``app.rules.recompute``), runs the rules (``app.rules.check``, ~1 ms)
synchronously and tells the views through signals — all within the same event-loop turn as the edit.

The first report the program opens (while the narrative grammar is not made: making it compiles ~50 ms of
patterns) is checked at once without the rule types that only ever warn (``held_back``: the narrative rules and
the other checks of the text and the dates; the format says which rules are errors): every error is flagged at
once, the warnings come when the main window runs :meth:`ReportState.complete` once it has been drawn, or with the
first change if that comes sooner. Whatever needs every finding (the check page, the export's question) calls
``complete()`` first. Until then ``findings`` lacks only those warnings (``pending``).
"""
from __future__ import annotations

from app import rules
from app.model import Report
from app.values import ValueError_, parse_value

from .qt import QObject, QUndoCommand, QUndoStack, Signal, tr

COVER, CHECK = "cover", "check"


def meta_name(field: str) -> str:
    return {"organ": tr("Organ"), "year": tr("Year"), "date": tr("Date of issue"), "contact": tr("Contact"),
            "opening": tr("Opening paragraph")}.get(
        field, field)


def page_of(fmt, cell: str) -> str:
    """Wizard page that shows a cell id (``meta.*`` → cover, ``s1`` → s1, ``t3.new.natural`` → t3)."""
    if cell.startswith("meta."):
        return COVER
    if cell in fmt.text_sections:
        return cell
    d = fmt.cells.get(cell)
    return d.table if d else CHECK


def finding_page(fmt, finding) -> str:
    return page_of(fmt, finding.cells[0]) if finding.cells else CHECK


class CellsCommand(QUndoCommand):
    """Set some cells; totals that depend on them are refilled. Undo restores every touched cell exactly."""

    def __init__(self, state: "ReportState", changes: dict, text: str):
        super().__init__(text)
        self.state = state
        self.changes = dict(changes)
        self.before: dict | None = None

    def redo(self):
        report = self.state.report
        before = {c: report.values.get(c) for c in self.changes}
        for c, v in self.changes.items():
            report.set(c, v)
        sources = [c for c in self.changes if c not in self.state.computed]
        deps = rules.dependents(report.format)
        for c in sources:
            for t in deps.get(c, ()):
                before.setdefault(t, report.values.get(t))
        rules.recompute(report, sources)
        for c, v in self.changes.items():  # a total set on purpose (a fix, a paste of totals) stays as set
            if c in self.state.computed:
                report.set(c, v)
        if self.before is None:
            self.before = before
        self.state._changed(set(self.before))

    def undo(self):
        report = self.state.report
        for c, v in self.before.items():
            report.set(c, v)
        self.state._changed(set(self.before))


def command_cells(cmd) -> list[str]:
    """The cells (or ``meta.<field>``) an undo step changes, in the order they were given."""
    if isinstance(cmd, CellsCommand):
        return list(cmd.changes)
    if isinstance(cmd, MetaCommand):
        return [f"meta.{cmd.field}"]
    return []


class MetaCommand(QUndoCommand):
    """Change one cover field (organ, year, date, contact). Consecutive typing in one field merges."""

    ID = 1001

    def __init__(self, state: "ReportState", field: str, value, text: str):
        super().__init__(text)
        self.state, self.field, self.new = state, field, value
        self.old = getattr(state.report.meta, field)

    def id(self):
        return self.ID

    def mergeWith(self, other):
        if isinstance(other, MetaCommand) and other.field == self.field:
            self.new = other.new
            return True
        return False

    def redo(self):
        setattr(self.state.report.meta, self.field, self.new)
        self.state._meta_changed(self.field)

    def undo(self):
        setattr(self.state.report.meta, self.field, self.old)
        self.state._meta_changed(self.field)


class ReportState(QObject):
    cellsChanged = Signal(object)  # set of cell ids whose value changed (edits and refilled totals)
    metaChanged = Signal(str)  # meta field name
    sectionChanged = Signal(str)  # section id (not emitted back to the editor that made the change)
    checked = Signal(object)  # list[Finding] after every change
    dirtyChanged = Signal(bool)
    pathChanged = Signal(object)
    message = Signal(str)  # a one-line message for the status bar (e.g. refused input)
    inputProblem = Signal(str, str)  # (cell, message) of refused input at a cell; ("", "") after a good entry
    changed = Signal()  # anything changed (drives the autosave)

    def __init__(self, report: Report, path=None, parent=None):
        super().__init__(parent)
        self.report = report
        self.path = path
        self.fmt = report.format
        self.computed = frozenset(rules.formulas(self.fmt))
        self.undo = QUndoStack(self)
        self.undo.cleanChanged.connect(self._clean_changed)
        # narrative text (its editors keep their own undo): the sections as last saved, and those that differ now,
        # so that typing back (or undoing back) to the saved text is no change
        self._saved_text = dict(report.sections)
        self._text_changed: set[str] = set()
        self._unsaved = False  # changes no file has though nothing was edited here (mark_unsaved)
        self.findings: list = []
        self.by_cell: dict[str, list] = {}
        self.page_counts: dict[str, tuple[int, int]] = {}  # (errors, warnings) per page, 未填 aside
        self.todo: set[int] = set()  # ids of the findings that only say something is not filled in (is_todo)
        self.problem = ""  # the message of the last refused input, until a good entry
        self._version = 0  # bumped by every change (caches keyed on the report's content use it)
        self._fix_cache: dict = {}
        self._fix_cache_version = -1
        self.held_back: tuple[str, ...] = () if rules.narrative_ready(self.fmt) else rules.warning_only_kinds(self.fmt)
        self.run_check(emit=False)

    # ----- state --------------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self._unsaved or bool(self._text_changed) or not self.undo.isClean()

    @property
    def _text_dirty(self) -> bool:
        """Changes outside the undo stack (narrative text, a restored copy); set False to take them as saved."""
        return self._unsaved or bool(self._text_changed)

    @_text_dirty.setter
    def _text_dirty(self, value: bool) -> None:
        if value:
            self._unsaved = True
        else:
            self._unsaved = False
            self._text_changed.clear()
            self._saved_text = dict(self.report.sections)

    def _clean_changed(self, clean) -> None:
        try:
            self.dirtyChanged.emit(self.dirty)
        except RuntimeError:  # the stack is being deleted with its owner
            pass

    def mark_saved(self, path) -> None:
        self.path = path
        self._saved_text = dict(self.report.sections)
        self._text_changed.clear()
        self._unsaved = False
        self.undo.setClean()
        self.pathChanged.emit(path)
        self.dirtyChanged.emit(False)

    def mark_unsaved(self) -> None:
        """The report holds changes no file has (a restored recovery copy), though nothing was edited here."""
        self._unsaved = True
        self.dirtyChanged.emit(True)

    def is_editable(self, cell: str) -> bool:
        return cell in self.fmt.cells and cell not in self.computed

    # ----- edits --------------------------------------------------------------------------------
    def describe(self, changes: dict) -> str:
        """What a change does, for the undo history, the Edit menu and the status bar: one cell with its old and
        new value (表二「…收费金额…」：空 → 1.5), or the first cell and how many more."""
        from app.values import display
        cells = list(changes)
        name = self.fmt.cells[cells[0]].name if cells[0] in self.fmt.cells else cells[0]
        if len(cells) == 1:
            old = display(self.report.values.get(cells[0])) or tr("blank")
            new = display(changes[cells[0]]) or tr("blank")
            return f"{name}：{old} → {new}"
        return name + tr(" and %1 more").replace("%1", str(len(cells) - 1))

    def set_cells(self, changes: dict, text: str | None = None) -> bool:
        """Set values (already parsed) as one undo step; unchanged cells are dropped. ``text`` names the action
        (空白填0, 粘贴, …); the step's description adds which cells change."""
        changes = {c: v for c, v in changes.items() if self.report.values.get(c) != v}
        if not changes:
            return False
        what = self.describe(changes)
        self.undo.push(CellsCommand(self, changes, f"{text} {what}" if text else what))
        return True

    def set_text(self, cell: str, text: str) -> bool:
        """Parse typed text into a cell. Bad input: message naming the cell, old value kept, returns False."""
        d = self.fmt.cells[cell]
        try:
            value = parse_value(text, d.kind, d.name)
        except ValueError_ as e:
            self.refuse(cell, str(e))
            return False
        self.set_cells({cell: value})
        self.input_ok()
        return True

    def refuse(self, cell: str, text: str) -> None:
        """Refused input: the message goes to the cell (balloon) and the status bar until the next good entry."""
        self.problem = text
        self.inputProblem.emit(cell, text)
        self.message.emit(text)

    def input_ok(self) -> None:
        if self.problem:
            self.problem = ""
            self.inputProblem.emit("", "")

    def fill_blanks(self, table_id: str) -> int:
        """Set every blank input cell of a table to 0 as one undo step; returns how many were filled."""
        blanks = {c: 0 for c in self.fmt.cells_of(table_id)
                  if c not in self.computed and self.report.values.get(c) is None}
        if blanks:
            self.set_cells(blanks, tr("Fill blanks with 0"))
        return len(blanks)

    def set_meta(self, field: str, value) -> None:
        if getattr(self.report.meta, field) == value:
            return
        self.undo.push(MetaCommand(self, field, value, tr("Edit cover") + " " + meta_name(field)))

    def set_section(self, sid: str, text: str, source=None) -> None:
        """Narrative text (its editor keeps its own undo history)."""
        if self.report.sections.get(sid, "") == text:
            return
        self.report.sections[sid] = text
        was = self.dirty
        if text == self._saved_text.get(sid, ""):
            self._text_changed.discard(sid)
        else:
            self._text_changed.add(sid)
        self.sectionChanged.emit(sid)
        if self.dirty != was:
            self.dirtyChanged.emit(self.dirty)
        self._after_change()

    def fix_ok(self, finding) -> bool:
        """Whether the finding's one-click fix really fixes: never a computed total; tried on a copy of the report
        (totals refilled, every rule run), the finding must be gone and no new error may appear."""
        fix = finding.fix
        if not fix or any(c in self.computed or c not in self.fmt.cells for c in fix):
            return False
        key = (finding.rule, tuple(finding.cells), tuple(fix.items()))
        if self._fix_cache_version != self._version:
            self._fix_cache, self._fix_cache_version = {}, self._version
        ok = self._fix_cache.get(key)
        if ok is None:
            ok = self._fix_cache[key] = self._try_fix(finding)
        return ok

    def _try_fix(self, finding) -> bool:
        import dataclasses
        report = self.report
        trial = dataclasses.replace(report, values=dict(report.values))
        for c, v in finding.fix.items():
            trial.set(c, v)
        rules.recompute(trial, list(finding.fix))
        # an error's fix needs only the rules that can give errors (its own among them); a warning's, all of them
        after = self._check(trial, rules.ERROR if finding.severity == rules.ERROR else None)
        same = {(f.rule, tuple(f.cells)) for f in after}
        if (finding.rule, tuple(finding.cells)) in same:
            return False
        before = {(f.rule, tuple(f.cells)) for f in self.findings if f.severity == rules.ERROR}
        return all((f.rule, tuple(f.cells)) in before for f in after if f.severity == rules.ERROR)

    def apply_fix(self, finding) -> bool:
        if not self.fix_ok(finding):
            return False
        return self.set_cells(dict(finding.fix), tr("Fix"))

    # ----- internal ------------------------------------------------------------------------------
    def _changed(self, cells: set) -> None:
        self.cellsChanged.emit(cells)
        self._after_change()

    def _meta_changed(self, field: str) -> None:
        self.metaChanged.emit(field)
        self._after_change()

    def _after_change(self) -> None:
        self.held_back = ()  # a change made before the first frame (a script, a test): every rule from now on
        self.run_check()
        self.changed.emit()

    @property
    def pending(self) -> bool:
        """Whether rules are still held back (see the module's doc): ``findings`` lacks their warnings."""
        return bool(self.held_back)

    def _check(self, report, severity: str | None = None) -> list:
        if self.held_back:
            with rules.held_back(*self.held_back):
                return rules.check(report, severity=severity)
        return rules.check(report, severity=severity)

    def complete(self) -> bool:
        """Run the rules held back (see the module's doc): afterwards ``findings`` holds every rule's findings.
        Returns whether they had to run now (then ``checked`` was emitted)."""
        if not self.held_back:
            return False
        self.held_back = ()
        self.run_check()
        return True

    def run_check(self, emit: bool = True) -> list:
        self._version += 1
        self.findings = self._check(self.report)
        by_cell: dict[str, list] = {}
        pages: dict[str, list[int]] = {}
        todo = set()
        for f in self.findings:
            for c in f.cells:
                by_cell.setdefault(c, []).append(f)
            if is_todo(self.report, f):
                todo.add(id(f))  # said as 未填, not as an error, while the report is being written
                continue
            counts = pages.setdefault(finding_page(self.fmt, f), [0, 0])
            counts[0 if f.severity == rules.ERROR else 1] += 1
        self.by_cell = by_cell
        self.todo = todo
        self.page_counts = {p: (e, w) for p, (e, w) in pages.items()}
        if emit:
            self.checked.emit(self.findings)
        return self.findings

    def counts(self) -> tuple[int, int]:
        """Errors and warnings as the rules (and ``nianbao check``) count them: blanks are errors."""
        return rules.counts(self.findings)

    def screen_counts(self) -> tuple[int, int, int]:
        """Errors, warnings and things not filled in yet, as the window says them while the report is written."""
        e = sum(1 for f in self.findings if f.severity == rules.ERROR and id(f) not in self.todo)
        w = sum(1 for f in self.findings if f.severity != rules.ERROR)
        return e, w, len(self.todo)

    def is_todo(self, finding) -> bool:
        return id(finding) in self.todo


def is_todo(report, finding) -> bool:
    """A finding that only says something is not filled in yet — blank cells (``CELL.VALUE`` on blanks), a missing
    organ, year, date or narrative part (``META.REQUIRED``). The rules count these as errors, since a report with
    blanks must not be signed off (``nianbao check`` and the export's question keep that); while the clerk writes,
    the window says them as 未填 (dotted frames, their own count), so that a new report does not open with red
    frames and 错误 9 before anything is typed."""
    if finding.rule == "META.REQUIRED":
        return True
    if finding.rule == "CELL.VALUE":
        values = report.values
        return all(values.get(c) is None for c in finding.cells)
    return False


def parse_cell(fmt, cell: str, text: str):
    d = fmt.cells[cell]
    return parse_value(text, d.kind, d.name)
