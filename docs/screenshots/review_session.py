"""A reviewer's session at the desk (审核台) under Xvfb with a window manager (openbox), driven by real key and
mouse events (xdotool), at 1366×768 and 125 % scaling. Regenerates the README's 审核台 screenshots.

    python docs/screenshots/review_session.py [--shots docs/screenshots]

Exits 0 when every step did what a reviewer expects, 1 (with the step) when one did not. Steps:
 1. ``审核台`` over a folder of 24 reports (Word and project files, one broken file, one duplicate) with a roster:
    rows appear while the files are read (progress), then worst first; the broken file is a row with its reason,
    the organ without a report a 未提交 row; typing 水利 into the filter leaves that organ's row;
 2. a double click on the row with errors opens the report read-only with its findings; a finding selected,
    a comment typed, 排除 clicked: 审核记录.json holds the decision, the row's error count drops;
 3. 整改通知… → the folder typed, the office typed → 写出: one Word file per organ with open findings,
    read back with python-docx; none for the report whose organ was not read (the dialog says so);
 4. that report (a published page read badly: its organ unknown, its findings 待核对) opened by a double click,
    填写机关名称… clicked, the roster's organ the dialog offers accepted with a click: 审核记录.json holds it and
    the row shows the organ as the reviewer named it.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(HERE)]

from clerk_session import HEIGHT, SCALE, STEP_TIMEOUT, WIDTH, Clerk, SessionFailed, free_display, start_xvfb  # noqa: E402


UNKNOWN_FILE, UNKNOWN_ORGAN = "shanghai-untitled-2025.md", "上海市人民政府办公厅"


def make_folder(work: Path) -> tuple[Path, Path]:
    from fuzz.docs import docx_from_report
    from reviewhelp import realistic_report, save
    d = work / "reports"
    d.mkdir()
    rng = random.Random(22)
    t0 = time.time() - 5000
    organs = ["民政局", "教育局", "水利局", "财政局", "公安局", "司法局", "人力资源和社会保障局", "自然资源和规划局",
              "生态环境局", "住房和城乡建设局", "交通运输局", "农业农村局", "商务局", "文化广电和旅游局",
              "卫生健康委员会", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局"]
    reports = {name: realistic_report(rng, f"淮安市{name}", 2024) for name in organs}
    reports["教育局"].values["t3.new.natural"] = reports["教育局"].values["t3.new.natural"] + 1
    reports["水利局"].meta.date = "2025-03-01"  # late
    reports["审计局"].sections["s1"] = reports["统计局"].sections["s1"]  # 雷同 across organs
    for k, name in enumerate(organs):
        if k % 2:
            os.utime(docx_from_report(reports[name], d / f"r{k:02d}.docx"), (t0, t0))
        else:
            save(reports[name], d / f"r{k:02d}.nianbao", t0)
    again = realistic_report(random.Random(5), "淮安市教育局", 2024)  # the corrected resubmission
    save(again, d / "r01-resubmitted.nianbao", t0 + 1000)
    (d / "broken.docx").write_bytes(b"PK\x03\x04 not a document")
    # a published report whose title does not name its organ: no organ read, its table doubts for the reviewer
    from reviewhelp import untitled_page
    os.utime(untitled_page(d / UNKNOWN_FILE), (t0, t0))
    roster = work / "roster.txt"
    roster.write_text("\n".join([*(f"淮安市{n}" for n in organs + ["档案馆"]), UNKNOWN_ORGAN]) + "\n",
                      encoding="utf-8")
    return d, roster


class Reviewer(Clerk):
    def run(self) -> None:
        from docx import Document

        from ui.qt import QDialogButtonBox, QLineEdit
        from ui.review import OutputDialog, ReportDialog
        win = self.win
        model = win.model
        # 1. rows while reading, then worst first
        self.wait("rows appear while the files are still being read",
                  lambda: model.rowCount() > 0 and not win.finished or self.seen_early[0], timeout=60)
        self.wait("every file read", lambda: win.finished, timeout=120)
        rows = self.gui(lambda: [[model.data(model.index(r, c)) for c in range(9)] for r in range(model.rowCount())])
        if rows[0][0] != "无法读取" or rows[0][8] != "broken.docx" or not rows[0][7]:
            raise SessionFailed(f"the unreadable file is not the first row with its reason: {rows[0]}")
        self.log.append("ok: the unreadable file is a row with its reason")
        errors = [int(r[3]) for r in rows if r[0] not in ("无法读取", "未提交")]
        if errors != sorted(errors, reverse=True) or not errors[0]:
            raise SessionFailed(f"the reports are not worst first: {errors}")
        unknown = next((r for r in rows if r[8] == UNKNOWN_FILE), None)
        if unknown is None or unknown[1] != "（未识别出机关名称）" or "不写整改通知" not in unknown[7]:
            raise SessionFailed(f"the report whose organ is unknown is not shown as such: {unknown}")
        if not any(r[1] == "淮安市教育局" and r[3] not in ("", "0") for r in rows):
            raise SessionFailed("the report with errors is missing")
        self.log.append("ok: worst first")
        if rows[-1][:2] != ["未提交", "淮安市档案馆"] or [UNKNOWN_ORGAN, "未提交"] not in [r[1::-1] for r in rows]:
            raise SessionFailed(f"no 未提交 rows: {rows[-2:]}")
        self.log.append("ok: the organ without a report is a 未提交 row")
        self.shot("review-desk")
        self.click(lambda: win.filter_edit)
        self.type("水利")
        self.wait("typing 水利 into the filter leaves one row",
                  lambda: model.rowCount() == 1 and model.data(model.index(0, 1)) == "淮安市水利局",
                  seen=lambda: model.rowCount())
        self.key("ctrl+a", "BackSpace")
        self.wait("the filter cleared", lambda: model.rowCount() == len(rows))
        # 2. a report opened read-only, a finding dismissed with a comment
        row = self.gui(lambda: next(r for r in range(model.rowCount()) if model.data(model.index(r, 1)) ==
                                    "淮安市教育局" and model.data(model.index(r, 3)) not in ("", "0")))
        x, y, wid = self.gui(lambda: self._cell_point(row, 1))
        self.xdo("mousemove", "--sync", x, y)
        self.xdo("click", "--repeat", 2, "--delay", 80, 1)
        dialog = self.wait("a double click opens the report", lambda: next(
            (d for d in win.dialogs if isinstance(d, ReportDialog) and d.isVisible()), None))
        time.sleep(0.5)
        opened = self.gui(lambda: sum(1 for d in win.dialogs if isinstance(d, ReportDialog) and d.isVisible()))
        if opened != 1:
            raise SessionFailed(f"a double click opened {opened} windows")
        self.focus_window(dialog)
        if "只读" not in self.gui(dialog.windowTitle):
            raise SessionFailed("the report is not shown read-only")
        first_error = self.gui(lambda: next(k for k, f in enumerate(dialog.entry.findings) if f.severity == "error"))
        before = self.gui(lambda: win.review.counts(dialog.entry)[0])
        self.click(lambda: dialog.findings.viewport(),
                   lambda w: dialog.findings.visualRect(dialog.findings.model().index(first_error, 2)))
        self.wait("the finding is selected", lambda: dialog.findings.currentRow() == first_error,
                  seen=lambda: dialog.findings.currentRow())
        self.click(lambda: dialog.comment)
        self.type("已电话核实")
        self.wait("the comment is typed", lambda: dialog.comment.text() == "已电话核实",
                  seen=lambda: dialog.comment.text())
        self.shot("review-report")
        self.click(lambda: dialog.dismiss_button)
        records = self.wait("排除 is written to 审核记录.json", lambda: self._records())
        if records[-1]["status"] != "dismissed" or records[-1]["comment"] != "已电话核实":
            raise SessionFailed(f"wrong record: {records[-1]}")
        self.wait("the row's error count drops",
                  lambda: win.review.counts(dialog.entry)[0] == before - 1)
        self.key("Escape")
        self.wait("the report closes", lambda: not dialog.isVisible())
        # 3. 整改通知 from the button
        self.focus_window(win)
        self.click(lambda: win.notice_button)
        out = self.wait("the notices dialog", lambda: next(
            (d for d in win.dialogs if isinstance(d, OutputDialog) and d.isVisible()), None))
        self.focus_window(out)
        notices = self.work / "notices"
        self.click(lambda: out.target)
        self.key("ctrl+a")
        self.type(str(notices))
        self.click(lambda: out.office)
        self.type("淮安市政务公开办")
        self.wait("the office is typed", lambda: out.office.text() == "淮安市政务公开办",
                  seen=lambda: out.office.text())
        self.shot("review-notices")
        self.click(lambda: out.buttons.button(QDialogButtonBox.Ok))
        self.wait("the notices are written", lambda: not out.isVisible() and notices.is_dir())
        files = sorted(notices.glob("*.docx"))
        if not files:
            raise SessionFailed("no notice written")
        doc = Document(files[0])
        paras = [p.text for p in doc.paragraphs if p.text.strip()]
        if not paras[1].endswith("：") or paras[-2] != "淮安市政务公开办":
            raise SessionFailed(f"notice reads back wrong: {paras[:2]} … {paras[-2:]}")
        if any(UNKNOWN_FILE.split(".")[0] in f.name or "未识别" in f.name for f in files):
            raise SessionFailed(f"a notice for the report whose organ is unknown: {[f.name for f in files]}")
        promised = self.gui(lambda: out.counts.text())
        if f"将写整改通知：{len(files)} 份" not in promised:
            raise SessionFailed(f"the dialog promised other than what was written ({len(files)}): {promised}")
        self.log.append(f"ok: {len(files)} notices written and read back")
        self.notices = files
        said = self.gui(lambda: win.statusBar().currentMessage())
        if "1 份报告未识别出机关名称，未写" not in said:
            raise SessionFailed(f"the desk does not say which report got no notice: {said}")
        self.log.append("ok: no notice for the report whose organ is unknown, and the desk says so")
        _ = QLineEdit  # (imported for the dialog's field type)
        # 4. the reviewer names the organ of the badly read report
        from ui.review import OrganDialog
        row = self.gui(lambda: next(r for r in range(model.rowCount()) if model.data(model.index(r, 8)) ==
                                    UNKNOWN_FILE))
        x, y, wid = self.gui(lambda: self._cell_point(row, 1))
        self.xdo("mousemove", "--sync", x, y)
        self.xdo("click", "--repeat", 2, "--delay", 80, 1)
        dialog = self.wait("a double click opens the badly read report", lambda: next(
            (d for d in win.dialogs if isinstance(d, ReportDialog) and d.isVisible()
             and d.entry.path.name == UNKNOWN_FILE), None))
        self.focus_window(dialog)
        verdicts = self.gui(lambda: [dialog.findings.item(k, 3).text() for k in range(dialog.findings.rowCount())])
        if not verdicts or not all(v.startswith("待核对") or "导入识别的说明" in v for v in verdicts):
            raise SessionFailed(f"the reading doubts are not shown as 待核对: {verdicts[:3]}")
        self.log.append("ok: the reading doubts are shown as 待核对")
        self.click(lambda: dialog.organ_button)
        organ = self.wait("填写机关名称… opens its dialog", lambda: next(
            (d for d in win.dialogs if isinstance(d, OrganDialog) and d.isVisible()), None))
        self.focus_window(organ)
        offered = self.gui(lambda: organ.box.currentText())
        if offered != UNKNOWN_ORGAN:
            raise SessionFailed(f"the roster's organ named in the file is not offered first: {offered}")
        self.shot("review-organ")
        self.click(lambda: organ.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok))
        self.wait("the organ is written to 审核记录.json", lambda: [d["organ"] for d in json.loads(
            (win.folder / "审核记录.json").read_text(encoding="utf-8")).get("organs", [])] == [UNKNOWN_ORGAN])
        self.wait("the row shows the organ as the reviewer named it", lambda: any(
            model.data(model.index(r, 1)) == UNKNOWN_ORGAN + "（审核人员填写）" for r in range(model.rowCount())))
        self.focus_window(dialog)
        self.key("Escape")
        self.wait("the named report closes", lambda: not dialog.isVisible())

    def _cell_point(self, row, col):
        t = self.win.table
        rect = t.visualRect(t.model().index(row, col))
        p = t.viewport().mapToGlobal(rect.center())
        dpr = t.screen().devicePixelRatio()
        return round(p.x() * dpr), round(p.y() * dpr), int(t.window().winId())

    def _records(self):
        path = self.win.folder / "审核记录.json"
        if not path.exists():
            return None
        return json.loads(path.read_text(encoding="utf-8"))["decisions"] or None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shots", type=Path, default=None)
    args = ap.parse_args(argv)
    for tool in ("Xvfb", "xdotool", "openbox"):
        if shutil.which(tool) is None:
            print(f"needs {tool}", file=sys.stderr)
            return 2
    work = Path(tempfile.mkdtemp(prefix="nianbao-review-"))
    display = free_display(75)
    xvfb = start_xvfb(display)
    wm = subprocess.Popen(["openbox", "--sm-disable"], env=dict(os.environ, DISPLAY=display),
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.environ.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", QT_SCALE_FACTOR=str(SCALE),
                      NIANBAO_DATA_DIR=str(work / "userdata"), NIANBAO_LANG="zh_CN")
    os.environ.pop("QT_QPA_PLATFORMTHEME", None)
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    result = {"ok": False}
    try:
        folder, roster_file = make_folder(work)
        from app.review import read_roster
        from ui.main import application
        from ui.qt import QObject, Signal
        from ui.review import DeskWindow
        app = application([])

        class Bridge(QObject):
            call = Signal(object)

        bridge = Bridge()
        bridge.call.connect(lambda job: job())

        def gui(fn):
            done, box = threading.Event(), {}

            def job():
                try:
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

        time.sleep(0.5)  # openbox up
        win = DeskWindow(folder, read_roster(roster_file), roster_file, jobs=2)
        seen_early = [False]
        win.reader.entry.connect(lambda e: seen_early.__setitem__(0, seen_early[0] or not win.finished))
        win.move(0, 0)
        win.resize(round(WIDTH / SCALE), round(HEIGHT / SCALE) - 40)
        win.show()
        reviewer = Reviewer(display, gui, win, args.shots, work)
        reviewer.seen_early = seen_early

        def play():
            try:
                reviewer.wait("the window is mapped", lambda: win.isVisible())
                subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(os.getpid())],
                               env=reviewer.env, timeout=30, stdout=subprocess.DEVNULL)
                reviewer.run()
                result["ok"] = True
            except Exception as e:  # noqa: BLE001
                result["error"] = f"{type(e).__name__}: {e}"
                result["trace"] = traceback.format_exc()
            finally:
                def finish():
                    for box in app.topLevelWidgets():
                        if box is not win and box.isVisible():
                            box.close()
                    win.close()
                    app.quit()
                bridge.call.emit(finish)

        threading.Thread(target=play, name="reviewer", daemon=True).start()
        app.exec()
        result["steps"] = reviewer.log
        if args.shots and result["ok"]:
            _render_notice(reviewer.notices[0], args.shots, work)
    finally:
        wm.terminate()
        xvfb.terminate()
        for p in (wm, xvfb):
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0 if result["ok"] else 1


def _render_notice(docx: Path, shots: Path, work: Path) -> None:
    """The first notice as LibreOffice prints it (first page, for the README)."""
    if not shutil.which("soffice"):
        return
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/lo", "--convert-to", "pdf",
                    "--outdir", str(work), str(docx)], timeout=180, capture_output=True)
    pdf = work / (docx.stem + ".pdf")
    if pdf.exists():
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(shots / "review-notice")], timeout=60)


if __name__ == "__main__":
    sys.exit(main())
