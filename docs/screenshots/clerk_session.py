"""A clerk's session with the real program under Xvfb, driven by real key and mouse events (xdotool), on the
common office screen: 1366×768 at 125 % scaling, under a window manager (openbox). Regenerates the README's
screenshots.

    python docs/screenshots/clerk_session.py [--shots docs/screenshots] [--display :55] [--keep-display]

Needs Xvfb and xdotool (Debian: xvfb xdotool) and a CJK font. Exits 0 when every step did what a clerk expects, 1
(with the step) when one did not.

The program runs in this process on the X server; a second thread plays the clerk: every key and click goes
through the window system (XTEST), never into Qt directly. The clerk thread only *reads* the program's state
(in the GUI thread) to find where to click and to check what happened:

 1. the start view → 从上年报告新建… (mouse) → the Qt file dialog, in Chinese → last year's report (typed path);
 2. the cover: 成文日期 typed; 一、总体情况: a paragraph typed;
 3. table 3: the first value typed (本年新收·自然人 5) is flagged at once (T3.BALANCE, 未填，按 0 计); a wrong
    figure in row 四: a click on its finding makes that cell current, in sight under the frozen header rows;
    a letter typed into a cell stays in the cell with the message beside it;
 4. 上年结转·自然人 changed against last year's report → 修正 in the findings panel (mouse) fixes it, no new error;
 5. table 4: 空白填 0 (mouse); page 六 (mouse); Ctrl+Z twice: each undo brings up its page with the cells
    selected and says what was undone; Ctrl+Y twice redoes;
 6. Ctrl+S → save dialog → typed path; Ctrl+O → the file opened again, same values;
 7. 检查与导出 (mouse) → 导出 Word (mouse) → 是 (Alt+Y) → typed path → a DOCX python-docx reads back; the notice
    offers 打开文档 / 打开所在文件夹 (closed with Esc).

Under openbox (when installed) the window is maximised by the window manager, as on a clerk's desktop.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "wuzhong-minzheng-2023.nianbao"
WIDTH, HEIGHT, SCALE = 1366, 768, 1.25
STEP_TIMEOUT = 15.0  # seconds any one step may take before the session fails


class SessionFailed(Exception):
    pass


def _active_window():
    from ui.qt import QApplication
    return QApplication.activeWindow()


def free_display(start: int | None = None) -> str:
    import random
    start = start or random.randrange(400, 800)  # (other X servers may be starting on this machine)
    for n in range(start, start + 40):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return f":{n}"
    raise SessionFailed("no free X display number")


def start_xvfb(display: str) -> subprocess.Popen:
    proc = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{WIDTH}x{HEIGHT}x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    n = display.lstrip(":")
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{n}").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SessionFailed("Xvfb did not start")
        time.sleep(0.05)
    env = dict(os.environ, DISPLAY=display)
    while subprocess.run(["xdotool", "getmouselocation"], env=env, capture_output=True, timeout=30).returncode:
        if proc.poll() is not None or time.monotonic() > deadline + 20:
            raise SessionFailed("Xvfb does not answer")
        time.sleep(0.1)  # the socket is there before the server takes connections
    return proc


def start_wm(display: str) -> subprocess.Popen | None:
    """openbox, as a clerk's desktop has a window manager: it places, decorates and maximises the windows."""
    if shutil.which("openbox") is None:
        return None
    env = dict(os.environ, DISPLAY=display)
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(["openbox", "--sm-disable"], env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 20
    while "window id" not in subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=env,
                                            capture_output=True, text=True, timeout=30).stdout:
        if proc.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            raise SessionFailed("openbox did not start: " + log.read().decode(errors="replace")[-1000:])
        time.sleep(0.1)
    return proc


class Clerk:
    """The clerk's side: xdotool for input, reads of the program's state through ``gui`` (GUI thread)."""

    def __init__(self, display, gui, window, shots: Path | None, work: Path):
        self.display, self.gui, self.win, self.shots, self.work = display, gui, window, shots, work
        self.env = dict(os.environ, DISPLAY=display)
        self.log: list[str] = []

    # ----- input through the window system ------------------------------------------------------------
    def xdo(self, *args) -> None:
        subprocess.run(["xdotool", *map(str, args)], env=self.env, check=True, timeout=30,
                       stdout=subprocess.DEVNULL)
        time.sleep(0.05)

    def key(self, *keys) -> None:
        self.xdo("key", "--delay", 40, *keys)

    def type(self, text: str) -> None:
        # characters not on the keyboard map (Chinese) are typed by remapping a spare key for each one; the
        # program must see each remapping before the key, so those go slower
        self.xdo("type", "--delay", 25 if text.isascii() else 90, text)

    def click_at(self, point) -> None:
        x, y = point
        self.xdo("mousemove", "--sync", x, y)
        self.xdo("click", 1)

    def click(self, widget_fn, rect_fn=None) -> None:
        """Click the centre of a widget (or of a rect in it), found in the GUI thread. The clicked window gets the
        X input focus first (``xdotool windowfocus``: what the window manager's click-to-focus does, also when the
        script runs without one), then the click goes to the point."""
        def where():
            w = widget_fn()
            r = rect_fn(w) if rect_fn else w.rect()
            p = w.mapToGlobal(r.center())
            dpr = w.screen().devicePixelRatio()
            return round(p.x() * dpr), round(p.y() * dpr), int(w.window().winId())
        x, y, wid = self.gui(where)
        self._focus(wid)
        self.click_at((x, y))

    def file_dialog(self):
        """Wait for the Qt file dialog, then click into its file name field."""
        from ui.qt import QFileDialog, QLineEdit
        dialog = self.wait("a file dialog comes up", lambda: next(
            (w for w in self.win.findChildren(QFileDialog) if w.isVisible()), None))
        self.click(lambda: dialog.findChild(QLineEdit, "fileNameEdit"))
        return dialog

    def focus_window(self, widget) -> None:
        """Give a window the X input focus, as a window manager does when it comes up."""
        self._focus(self.gui(lambda: int(widget.window().winId())))

    def _focus(self, wid: int) -> None:
        """The window is activated through the window manager when there is one (then the X focus follows as the
        manager decides, so it is set once more), and given the X focus."""
        if getattr(self, "wm", False):
            self.xdo("windowactivate", "--sync", wid)
        self.xdo("windowfocus", "--sync", wid)
        deadline = time.monotonic() + STEP_TIMEOUT
        while self.gui(lambda: _active_window() is None) and time.monotonic() < deadline:
            time.sleep(0.05)  # until Qt has the focus event: keys typed before it would be lost

    # ----- waiting and checking -------------------------------------------------------------------------
    def wait(self, what: str, cond, timeout: float = STEP_TIMEOUT, seen=None):
        """Until cond() (read in the GUI thread) is true; ``seen`` says what there was instead."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.gui(cond)
            if value:
                self.log.append(f"ok: {what}")
                return value
            if time.monotonic() > deadline:
                raise SessionFailed(f"timed out: {what}" + (f" (seen: {self.gui(seen)!r})" if seen else ""))
            time.sleep(0.05)

    def shot(self, name: str) -> None:
        time.sleep(0.3)  # let the last repaint reach the X server
        self.gui(lambda: None)
        if self.shots is None:
            return
        out = self.shots / f"{name}.png"
        # the X server's root window as it is on the screen (dialogs, balloons and all), at the screen's pixels
        if not self.gui(lambda: self.win.screen().grabWindow(0).save(str(out), "PNG")):
            raise SessionFailed(f"could not write {out}")
        self.log.append(f"screenshot: {out.name}")

    # ----- the session ----------------------------------------------------------------------------------
    def run(self) -> None:
        from app import project, rules
        from ui.findings import FindingRole
        from ui.qt import QApplication, QLabel, QLineEdit, QMessageBox
        from ui.tablemodel import StatusRole
        win = self.win
        state = lambda: win.state
        wz = lambda: win.wizard

        def page_entry(pid):
            return lambda: wz().list, lambda lst: lst.visualItemRect(lst.item(wz().page_ids.index(pid)))

        self.wait("the start view is shown", lambda: win.isVisible() and win.start.isVisible())
        self.shot("start")

        # 1. new report from last year's, through the Qt file dialog (in Chinese)
        self.click(lambda: win.start.buttons["last"])
        dialog = self.file_dialog()
        labels = self.gui(lambda: {lab.text() for lab in dialog.findChildren(QLabel)})
        if "查找范围(&L)：" not in labels:
            raise SessionFailed(f"the file dialog is not in Chinese: {sorted(labels)}")
        self.shot("open-dialog")
        self.type(str(self.last_year))
        self.key("Return")
        self.wait("a new report from last year's is open", lambda: state() is not None
                  and state().report.previous is not None and state().report.meta.year == 2024,
                  seen=lambda: [(w.objectName(), w.text()) for w in dialog.findChildren(QLineEdit)])

        self.focus_window(win)

        # 2. cover and 一、总体情况
        self.wait("the cover is shown", lambda: wz().current() == "cover")
        self.click(lambda: wz().pages["cover"].date)
        self.type("2025年1月20日")
        self.key("Tab")
        self.wait("the date is taken", lambda: state().report.meta.date == "2025-01-20",
                  seen=lambda: (wz().pages["cover"].date.text(), state().report.meta.date))
        self.shot("cover")
        self.key("ctrl+Next")
        self.wait("page 一 is shown", lambda: wz().current() == "s1")
        self.type("2024年，本局认真贯彻落实《中华人民共和国政府信息公开条例》，")
        self.wait("the paragraph is in the report", lambda: "认真贯彻" in state().report.sections.get("s1", ""),
                  seen=lambda: (state().report.sections.get("s1", ""), str(QApplication.focusWidget())))
        self.shot("text-page")

        # 3. table 3: the first unbalanced value is flagged at once
        self.click(*page_entry("t3"))
        self.wait("table 3 is shown", lambda: wz().current() == "t3")
        self.click_cell("t3", "t3.new.natural")
        self.type("5")
        self.key("Return")
        self.wait("本年新收·自然人 is 5", lambda: state().report.values.get("t3.new.natural") == 5)
        flagged = self.wait("the mismatch is flagged at the first unbalanced value", lambda: [
            f for f in state().findings if f.rule == "T3.BALANCE" and "t3.new.natural" in f.cells])
        if "未填，按 0 计" not in flagged[0].message:
            raise SessionFailed(f"message does not say the blanks were counted as 0: {flagged[0].message}")
        self.wait("the cell shows its error mark", lambda: wz().pages["t3"].model.index_of("t3.new.natural")
                  .data(StatusRole) == "error")
        self.click_cell("t3", "t3.granted.natural")
        self.type("3")
        self.key("Return")
        self.wait("予以公开·自然人 is 3", lambda: state().report.values.get("t3.granted.natural") == 3)
        self.shot("table3")
        self.find_again_by_its_finding()
        # a letter in a count: refused at the cell, the editor stays open with the text selected
        self.click_cell("t3", "t3.partial.natural")
        self.type("2a")
        self.key("Return")
        self.wait("the refusal is shown at the cell", lambda: wz().pages["t3"].grid.balloon.isVisible()
                  and "2a" in wz().pages["t3"].grid.balloon.text())
        self.shot("input-error")
        self.type("2")  # the refused text is selected: typing replaces it
        self.key("Return")
        self.wait("the corrected entry is taken and the message goes", lambda: state().report.values.get(
            "t3.partial.natural") == 2 and not wz().pages["t3"].grid.balloon.isVisible())

        # 4. 上年结转 changed against last year's report: 修正 fixes it
        before = self.gui(lambda: {(f.rule, tuple(f.cells)) for f in state().findings
                                   if f.severity == rules.ERROR})
        last_value = self.gui(lambda: state().report.values.get("t3.carried_in.natural"))
        self.click_cell("t3", "t3.carried_in.natural")
        self.type(str((last_value or 0) + 2))
        self.key("Return")

        def carry_item():
            tree = win.findings.tree
            for i in range(tree.topLevelItemCount()):
                item = tree.topLevelItem(i)
                f = item.data(0, FindingRole)
                if f is not None and f.rule == "YEAR.CARRY" and f.cells == ["t3.carried_in.natural"]:
                    return item
            return None
        self.wait("the findings panel lists the changed carry-over", carry_item)
        if self.gui(lambda: [f for f in state().findings if f.rule == "YEAR.CARRY" and f.cells ==
                             ["t3.carried_in.total"] and state().fix_ok(f)]):
            raise SessionFailed("a fix is offered on the computed total")
        # scroll the findings list with the mouse wheel until its 修正 button is in sight
        def fix_in_sight():
            b = win.findings.fix_button(carry_item())
            return b is not None and b.isVisible() and b.visibleRegion().boundingRect().height() >= b.height()
        for _ in range(60):
            if self.gui(fix_in_sight):
                break
            x, y = self._tree_centre()
            self.xdo("mousemove", "--sync", x, y)
            self.xdo("click", 5)  # wheel down
        self.wait("the 修正 button is in sight", fix_in_sight)
        self.shot("fix")
        self.click(lambda: win.findings.fix_button(carry_item()))
        self.wait("修正 restored last year's figure", lambda: state().report.values.get("t3.carried_in.natural")
                  == (last_value or 0))
        after = self.gui(lambda: {(f.rule, tuple(f.cells)) for f in state().findings if f.severity == rules.ERROR})
        if after - before:
            raise SessionFailed(f"the fix created new errors: {sorted(after - before)}")

        # 5. undo across pages
        self.click(*page_entry("t4"))
        self.wait("table 4 is shown", lambda: wz().current() == "t4")
        self.click(lambda: wz().pages["t4"].fill)
        self.wait("table 4's blanks are 0", lambda: state().report.values.get("t4.review.upheld") == 0)
        self.shot("table4")
        self.click(*page_entry("s6"))
        self.wait("page 六 is shown", lambda: wz().current() == "s6")
        self.click(lambda: wz().pages["s6"].editor)
        self.key("ctrl+z")
        self.wait("Ctrl+Z on page 六 undid 空白填0 and showed table 4 with its cells selected", lambda:
                  wz().current() == "t4" and state().report.values.get("t4.review.upheld") is None
                  and "t4.review.upheld" in wz().pages["t4"].grid.selected_cells())
        msg = self.gui(lambda: win.statusBar().currentMessage())
        if not msg.startswith("已撤销：空白填 0"):
            raise SessionFailed(f"the status bar does not say what was undone: {msg!r}")
        self.key("ctrl+z")
        self.wait("the next Ctrl+Z brought up table 3 and undid the fix", lambda: wz().current() == "t3"
                  and state().report.values.get("t3.carried_in.natural") == (last_value or 0) + 2
                  and wz().pages["t3"].grid.selected_cells() == ["t3.carried_in.natural"])
        self.shot("undo")
        self.key("ctrl+y")
        self.key("ctrl+y")
        self.wait("Ctrl+Y twice redid both", lambda: state().report.values.get("t4.review.upheld") == 0
                  and state().report.values.get("t3.carried_in.natural") == (last_value or 0))

        # 6. save, open again
        saved = self.work / "wuzhong-2024.nianbao"
        self.key("ctrl+s")
        self.file_dialog()
        self.key("ctrl+a")
        self.type(str(saved))
        self.key("Return")
        self.wait("the report is saved", lambda: saved.exists() and not state().dirty)
        self.focus_window(win)  # the dialog has gone: the focus back to the main window, as a window manager does
        values = self.gui(lambda: dict(state().report.values))
        self.key("ctrl+o")
        self.file_dialog()
        self.type(str(saved))
        self.key("Return")
        self.wait("the saved report is open again with the same values", lambda: state().path == str(saved)
                  and state().report.values == values and state().report.sections.get("s1", "").startswith("2024年"))
        if project.load(saved).values != values:
            raise SessionFailed("the file on disk does not hold the values")

        # 7. export a Word document
        self.click(*page_entry("check"))
        self.wait("the check page is shown", lambda: wz().current() == "check")
        self.shot("check")
        self.click(lambda: wz().pages["check"].export_buttons[".docx"])
        box = self.wait("the question about the remaining errors comes up", lambda: next(
            (b for b in win.findChildren(QMessageBox) if b.isVisible()), None))
        self.focus_window(box)
        self.key("alt+y")
        self.file_dialog()
        out = self.work / "wuzhong-2024.docx"
        self.key("ctrl+a")
        self.type(str(out))
        self.key("Return")
        self.focus_window(win)
        def written():  # the status bar says so (for 10 s) and the notice names the file
            box = getattr(win, "export_box", None)
            try:
                shown = box is not None and box.isVisible() and str(out) in box.text()
            except RuntimeError:  # (a notice closed and deleted)
                shown = False
            return out.exists() and (shown or "已导出" in win.statusBar().currentMessage())
        self.wait("the Word document is written", written, timeout=4 * STEP_TIMEOUT,
                  seen=lambda: (out.exists(), win.statusBar().currentMessage()))
        notice = self.wait("the notice offers to open the document or its folder", lambda: (
            getattr(win, "export_box", None) is not None and win.export_box.isVisible() and win.export_box))
        labels = self.gui(lambda: [b.text() for b in notice.buttons()])
        if not {"打开文档(&O)", "打开所在文件夹(&F)"} <= set(labels):
            raise SessionFailed(f"the notice after export lacks its buttons: {labels}")
        self.shot("exported")
        self.focus_window(notice)
        self.key("Escape")
        def closed():
            try:
                return not notice.isVisible()
            except RuntimeError:  # (deleted on close)
                return True
        self.wait("the notice is closed", closed)
        import docx
        text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
        if "吴忠市民政局2024年政府信息公开工作年度报告" not in text.replace("\n", ""):
            raise SessionFailed("the exported document does not carry the title")
        self.log.append("ok: the exported document reads back")

    def find_again_by_its_finding(self) -> None:
        """A wrong figure far down table 3 (row 四, 结转下年度): a click on its finding brings it into sight, under
        the frozen header rows, as the current cell; then it is cleared again."""
        from ui.findings import FindingRole
        win = self.win
        state = lambda: win.state
        wz = lambda: win.wizard
        self.click_cell("t3", "t3.carried_out.natural")
        self.type("7")
        self.key("Return")
        self.wait("结转下年度·自然人 is 7", lambda: state().report.values.get("t3.carried_out.natural") == 7)
        self.gui(lambda: wz().pages["t3"].grid.verticalScrollBar().setValue(0))  # the clerk scrolled back up

        def balance_item():
            tree = win.findings.tree
            for i in range(tree.topLevelItemCount()):
                item = tree.topLevelItem(i)
                f = item.data(0, FindingRole)
                if f is not None and f.rule == "T3.BALANCE" and "t3.carried_out.natural" in f.cells:
                    return item
            return None
        self.wait("the findings list the unbalanced column", balance_item)

        def item_in_sight():
            tree = win.findings.tree
            r = tree.visualItemRect(balance_item())
            return r.top() >= 0 and r.bottom() <= tree.viewport().height()
        for _ in range(60):
            if self.gui(item_in_sight):
                break
            x, y = self._tree_centre()
            self.xdo("mousemove", "--sync", x, y)
            self.xdo("click", 5)  # wheel down
        self.click(lambda: win.findings.tree.viewport(),
                   lambda vp: win.findings.tree.visualItemRect(balance_item()))
        grid = lambda: wz().pages["t3"].grid

        def landed():
            g = grid()
            ix = g.currentIndex()
            r = g.visualRect(ix)
            return (g.model().cell_at(ix.row(), ix.column()) == "t3.carried_out.natural"
                    and r.top() >= g.frozen_height() and r.bottom() <= g.viewport().height()
                    and g.pane_top.isVisible())
        self.wait("a click on the finding made the changed cell current, in sight under the headers", landed)
        self.shot("finding-click")
        self.click_cell("t3", "t3.carried_out.natural")  # that cell alone (Delete clears every selected cell)
        self.key("Delete")
        self.wait("结转下年度·自然人 is blank again", lambda: state().report.values.get("t3.carried_out.natural")
                  is None)

    def click_cell(self, pid: str, cid: str) -> None:
        """Click a grid cell; first, as a clerk does, scroll it into sight with the mouse wheel (below the frozen
        header rows)."""
        grid = lambda: self.win.wizard.pages[pid].grid

        def offset():  # <0: above the part in sight, >0: below it, 0: in sight
            g = grid()
            r = g.visualRect(g.model().index_of(cid))
            if r.top() < g.frozen_height():
                return -1
            return 1 if r.bottom() > g.viewport().height() else 0
        for _ in range(80):
            way = self.gui(offset)
            if way == 0:
                break
            x, y = self._centre(lambda: grid().viewport())
            self.xdo("mousemove", "--sync", x, y)
            self.xdo("click", "--repeat", 3, "--delay", 30, 5 if way > 0 else 4)
        self.click(lambda: grid().viewport(), lambda vp: grid().visualRect(grid().model().index_of(cid)))

    def _centre(self, widget_fn):
        def where():
            w = widget_fn()
            p = w.mapToGlobal(w.rect().center())
            dpr = w.screen().devicePixelRatio()
            return round(p.x() * dpr), round(p.y() * dpr)
        return self.gui(where)

    def _tree_centre(self):
        def where():
            vp = self.win.findings.tree.viewport()
            p = vp.mapToGlobal(vp.rect().center())
            dpr = vp.screen().devicePixelRatio()
            return round(p.x() * dpr), round(p.y() * dpr)
        return self.gui(where)


def start_display(given: str | None):
    """(display, Xvfb, openbox): the display given, or a new Xvfb with openbox on it; another X server may take
    the same display number at the same moment, so a start that fails is tried on another number."""
    if given:
        return given, None, None
    for attempt in range(3):
        xvfb = wm = None
        try:
            display = free_display()
            xvfb = start_xvfb(display)
            wm = start_wm(display)
            return display, xvfb, wm
        except SessionFailed:
            for proc in (wm, xvfb):
                if proc is not None:
                    proc.kill()
            if attempt == 2:
                raise
    raise SessionFailed("no display")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shots", type=Path, default=None, help="folder for the screenshots (default: none)")
    ap.add_argument("--display", default=None, help="an X display to use (default: a new Xvfb)")
    args = ap.parse_args(argv)
    for tool in ("Xvfb", "xdotool"):
        if shutil.which(tool) is None and not (tool == "Xvfb" and args.display):
            print(f"needs {tool}", file=sys.stderr)
            return 2
    work = Path(tempfile.mkdtemp(prefix="nianbao-clerk-"))
    display, xvfb, wm = start_display(args.display)
    os.environ.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", QT_SCALE_FACTOR=str(SCALE),
                      NIANBAO_DATA_DIR=str(work / "userdata"), NIANBAO_LANG="zh_CN")
    os.environ.pop("QT_QPA_PLATFORMTHEME", None)
    sys.path.insert(0, str(ROOT))
    last_year = work / "wuzhong-2023.nianbao"  # (typed into the file dialog: ASCII types reliably)
    shutil.copy(FIXTURE, last_year)
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    result = {"ok": False}
    try:
        from ui.main import application, create_window
        from ui.qt import QObject, Signal
        app = application([])

        class Bridge(QObject):
            call = Signal(object)

        bridge = Bridge()
        bridge.call.connect(lambda job: job())

        def gui(fn):
            """Run fn in the GUI thread and return its result (the clerk thread only reads state this way)."""
            done, box = threading.Event(), {}

            def job():
                try:  # any failure is reported in the clerk's thread
                    box["value"] = fn()
                except Exception as e:  # noqa: BLE001
                    box["error"] = e
                done.set()
            bridge.call.emit(job)
            if not done.wait(STEP_TIMEOUT):
                raise SessionFailed("the program did not answer (GUI thread busy)")
            if "error" in box:
                raise box["error"]
            return box.get("value")

        win = create_window([])
        clerk = Clerk(display, gui, win, args.shots, work)
        clerk.last_year = last_year

        def play():
            try:
                clerk.wait("the window is mapped", lambda: win.isVisible())
                subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(os.getpid())],
                               env=clerk.env, timeout=30, stdout=subprocess.DEVNULL)
                if wm is not None:  # the clerk maximises the window; the window manager gives it the screen
                    gui(win.showMaximized)
                    clerk.wait("the window is maximised", lambda: win.width() >= round(WIDTH / SCALE) - 2)
                else:  # the laptop screen, whole
                    gui(lambda: (win.move(0, 0), win.resize(round(WIDTH / SCALE), round(HEIGHT / SCALE))))
                    clerk.wait("the window fills the screen", lambda: win.width() >= round(WIDTH / SCALE) - 2)
                clerk.wm = wm is not None
                clerk.run()
                result["ok"] = True
            except Exception as e:  # noqa: BLE001 (the step that failed, with what was seen so far)
                result["error"] = f"{type(e).__name__}: {e}"
                result["trace"] = traceback.format_exc()
            finally:
                def finish():
                    if win.state is not None:
                        win.state._text_dirty = False
                        win.state.undo.setClean()
                    for box in app.topLevelWidgets():
                        if box is not win and box.isVisible():
                            box.close()
                    win.close()
                    app.quit()
                bridge.call.emit(finish)

        threading.Thread(target=play, name="clerk", daemon=True).start()
        app.exec()
        win.shutdown()
        result["steps"] = clerk.log
    finally:
        for proc in (wm, xvfb):
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
