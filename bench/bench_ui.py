"""Benchmarks of the desktop wizard (a script, not a test): medians over repeated runs.

    python bench/bench_ui.py [--runs 7] [--edits 200] [--only start|edit]

1. edit → flag shown: a value committed into a grid cell (what the cell editor does on Enter) until the
   rules have run and the grid has repainted the cell with its error frame; alternately a value that breaks
   T3.BALANCE and one that restores it.  Same run, floor: the same commit and repaint on a plain
   QStandardItemModel grid of the same size, with no rules. Wall time and the UI thread's CPU time of each edit
   (the CPU time is what a loaded machine disturbs least; the wall time is what the clerk sees on an idle one).
2. start-up to an interactive wizard (process start → a report open on the wizard and the event loop idle),
   against the floor measured in the same run: a bare PySide6 process showing an empty QWizard.
   Each in separate subprocesses, alternating; wall time and CPU time of the child (CPU time is what a loaded
   machine disturbs least; the ratio is the median of the pairwise app/floor ratios). The children use compiled
   bytecode as an installed program does (PYTHONPYCACHEPREFIX, outside the checkout). Also the CPU time until
   the first frame is drawn, for the app with every finding in: the warning-only rules of the first report run just
   after its first frame (ui/state.py), so that line holds all the start-up work.
3. resident memory (RSS) of both processes at that moment.

Runs offscreen unless QT_QPA_PLATFORM is set, e.g. xcb under Xvfb with a window manager:
    xvfb-run -a -s "-screen 0 1366x768x24" sh -c 'openbox & sleep 1; QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR=1.25 \
        python bench/bench_ui.py --only edit'

"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_SOURCE = ROOT / "tests" / "fixtures" / "wuzhong-minzheng-2023.nianbao"


def _working_copy() -> Path:
    """The report the benchmarks open, copied to a temporary folder: opening a report locks it (a ``.~….lock``
    file beside it), and a child stopped early must not leave one in the checkout's fixtures."""
    import atexit
    import shutil
    import tempfile
    folder = tempfile.mkdtemp(prefix="nianbao-bench-ui-")
    atexit.register(shutil.rmtree, folder, True)
    target = Path(folder) / _SOURCE.name
    shutil.copyfile(_SOURCE, target)
    return target


FIXTURE = _working_copy()

RSS = r"""
def rss_mb():
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

# After READY both children also wait for their window's first paint ("DRAWN": CPU time when the first frame is
# drawn); the app child then also for the warning-only rules it holds back until then (ui/state.py), so DRAWN is
# the whole start-up work including what runs just after the window is up.
DRAWN = r"""
from PySide6.QtCore import QObject, QEvent
class Drawn(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Paint and not getattr(self, "seen", False):
            self.seen = True
            QTimer.singleShot(0, drawn)
        return False
def drawn():
    if not done():
        QTimer.singleShot(1, drawn)
        return
    print("DRAWN", time.process_time(), flush=True)
    app.quit()
QTimer.singleShot(5000, app.quit)
"""

APP_CHILD = RSS + r"""
import sys, time
sys.path.insert(0, sys.argv[1])
from ui.main import application, create_window
from ui.qt import QTimer
app = application([])
win = create_window([sys.argv[2]])
def ready():
    print("READY", time.time(), rss_mb(), time.process_time(), flush=True)
def done():
    return not win.state.pending
""" + DRAWN + r"""
watch = Drawn()
win.wizard.installEventFilter(watch)
QTimer.singleShot(0, ready)
app.exec()
win.state._text_dirty = False
"""

FLOOR_CHILD = RSS + r"""
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWizard
app = QApplication([])
w = QWizard()
w.show()
def ready():
    print("READY", time.time(), rss_mb(), time.process_time(), flush=True)
def done():
    return True
""" + DRAWN + r"""
watch = Drawn()
w.installEventFilter(watch)
QTimer.singleShot(0, ready)
app.exec()
"""


def run_child(code: str, *args) -> tuple[float, float, float, float]:
    """(wall seconds from spawn to ready, RSS MB, CPU seconds of the child until ready, CPU seconds until the
    first frame is drawn and every finding is in)"""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("NIANBAO_DATA_DIR", str(Path(os.environ.get("TMPDIR", "/tmp")) / "nianbao-bench-data"))
    # as installed: compiled bytecode is used (kept out of the checkout); without it every start compiles our
    # sources again, which the floor never pays
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(os.environ.get("TMPDIR", "/tmp")) / "nianbao-bench-pycache"))
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True,
                         timeout=120)
    got = {line.split()[0]: line.split()[1:] for line in out.stdout.splitlines() if line.startswith(("READY", "DRAWN"))}
    if "READY" not in got or "DRAWN" not in got:
        raise RuntimeError(out.stdout + out.stderr)
    t, rss, cpu = got["READY"]
    return float(t) - t0, float(rss), float(cpu), float(got["DRAWN"][0])


def bench_startup(runs: int) -> dict:
    app_t, app_m, app_c, app_d, floor_t, floor_m, floor_c, floor_d = [], [], [], [], [], [], [], []
    run_child(FLOOR_CHILD)  # warm the file cache once for both
    run_child(APP_CHILD, str(ROOT), str(FIXTURE))
    for _ in range(runs):
        t, m, c, d = run_child(FLOOR_CHILD)
        floor_t.append(t)
        floor_m.append(m)
        floor_c.append(c)
        floor_d.append(d)
        t, m, c, d = run_child(APP_CHILD, str(ROOT), str(FIXTURE))
        app_t.append(t)
        app_m.append(m)
        app_c.append(c)
        app_d.append(d)
    ratios = sorted(a / f for a, f in zip(app_c, floor_c))  # pairwise, so a busy moment hits both
    return {"app_s": statistics.median(app_t), "floor_s": statistics.median(floor_t),
            "app_cpu_s": statistics.median(app_c), "floor_cpu_s": statistics.median(floor_c),
            "cpu_ratio": statistics.median(ratios),
            "app_drawn_s": statistics.median(app_d), "floor_drawn_s": statistics.median(floor_d),
            "drawn_ratio": statistics.median(a / f for a, f in zip(app_d, floor_d)),
            "app_mb": statistics.median(app_m), "floor_mb": statistics.median(floor_m)}


def bench_edit(edits: int) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("NIANBAO_DATA_DIR", str(Path(os.environ.get("TMPDIR", "/tmp")) / "nianbao-bench-data"))
    sys.path.insert(0, str(ROOT))
    from ui.main import application, create_window
    from ui.qt import QStandardItemModel, QTableView, QTest
    from ui.tablemodel import ERROR, OK, StatusRole

    app = application([])
    win = create_window([str(FIXTURE)])
    win.resize(1400, 950)
    win.wizard.go("t3")
    # on a real display (xcb) a window is drawn once the window system has mapped it: until then repaint() draws
    # nothing, which would time nothing
    assert QTest.qWaitForWindowExposed(win, 10000), "the window was never shown"
    app.processEvents()
    win.state.complete()  # every rule runs from here on (the warning-only ones wait for the first frame at start-up)
    grid = win.wizard.pages["t3"].grid
    model = grid.model()
    cell = "t3.carried_out.natural"
    ix = model.index_of(cell)
    good = model.data(ix)
    bad = str(int(good) + 5)
    times, cpu, full = [], [], []
    for i in range(edits):
        text, expect = (bad, ERROR) if i % 2 == 0 else (good, OK)
        t0, c0 = time.perf_counter(), time.thread_time()
        model.setData(ix, text)  # what the delegate's commit does
        app.processEvents()  # the update requests of the changed cells are handled
        grid.viewport().repaint(grid.visualRect(ix))  # and the edited cell is certainly painted with its flag
        t1, c1 = time.perf_counter(), time.thread_time()
        assert model.data(ix, StatusRole) == expect
        times.append(t1 - t0)
        cpu.append(c1 - c0)  # the CPU time of the UI thread: what a loaded machine disturbs least
        t0 = time.perf_counter()
        grid.viewport().repaint()  # worst case: the whole visible grid painted again
        full.append(time.perf_counter() - t0)
    # floor: a plain model/view of the same size, same commit + repaint, no rules
    plain = QStandardItemModel(model.rowCount(), model.columnCount())
    for r in range(model.rowCount()):  # the same texts, so the floor paints as many glyphs
        for c in range(model.columnCount()):
            plain.setData(plain.index(r, c), model.data(model.index(r, c)))
    view = QTableView()
    view.setModel(plain)
    view.resize(grid.size())
    view.show()
    assert QTest.qWaitForWindowExposed(view, 10000), "the plain view was never shown"
    app.processEvents()
    pix = plain.index(ix.row(), ix.column())
    floor, floor_full = [], []
    for i in range(edits):
        t0 = time.perf_counter()
        plain.setData(pix, bad if i % 2 == 0 else good)
        app.processEvents()
        view.viewport().repaint(view.visualRect(pix))
        floor.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        view.viewport().repaint()  # the same forced whole-grid paint on the plain view
        floor_full.append(time.perf_counter() - t0)
    win.state._text_dirty = False
    win.state.undo.setClean()
    win.close()
    times.sort()
    cpu.sort()
    return {"edit_ms": statistics.median(times) * 1000, "edit_p95_ms": times[int(len(times) * 0.95)] * 1000,
            "edit_cpu_ms": statistics.median(cpu) * 1000, "edit_cpu_p95_ms": cpu[int(len(cpu) * 0.95)] * 1000,
            "platform": app.platformName(),
            "edit_floor_ms": statistics.median(floor) * 1000, "full_repaint_ms": statistics.median(full) * 1000,
            "full_repaint_floor_ms": statistics.median(floor_full) * 1000}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--edits", type=int, default=200)
    ap.add_argument("--only", choices=["start", "edit"], help="run one of the two parts")
    args = ap.parse_args()
    if args.only != "edit":
        report_startup(bench_startup(args.runs), args.runs)
    if args.only != "start":
        report_edit(bench_edit(args.edits), args.edits)
    return 0


def report_startup(s: dict, runs: int) -> None:
    print(f"start-up to an interactive wizard (report open): median {s['app_s'] * 1000:.0f} ms "
          f"vs bare PySide6 + empty QWizard {s['floor_s'] * 1000:.0f} ms (floor) over {runs} runs")
    print(f"  CPU time: median {s['app_cpu_s'] * 1000:.0f} ms vs floor {s['floor_cpu_s'] * 1000:.0f} ms, "
          f"median of pairwise ratios {s['cpu_ratio']:.2f}x")
    print(f"  CPU time until the first frame is drawn and every finding is in (the warning-only rules run just after "
          f"that frame): median {s['app_drawn_s'] * 1000:.0f} ms vs floor's first frame "
          f"{s['floor_drawn_s'] * 1000:.0f} ms, "
          f"median of pairwise ratios {s['drawn_ratio']:.2f}x")
    print(f"resident memory at that moment: {s['app_mb']:.0f} MB vs floor {s['floor_mb']:.0f} MB")


def report_edit(e: dict, edits: int) -> None:
    print(f"edit in grid -> rules -> cell repainted with its flag: median {e['edit_ms']:.2f} ms "
          f"(p95 {e['edit_p95_ms']:.2f} ms) vs plain QStandardItemModel view commit+repaint "
          f"{e['edit_floor_ms']:.3f} ms "
          f"over {edits} edits ({e['platform']})")
    print(f"  CPU time of the UI thread per edit: median {e['edit_cpu_ms']:.2f} ms, p95 {e['edit_cpu_p95_ms']:.2f} ms "
          f"(a 60 Hz frame is 16.7 ms)")
    print("full repaint of the visible table-3 grid (worst case, e.g. scrolling): median "
          f"{e['full_repaint_ms']:.1f} ms "
          f"vs the plain view of the same size {e['full_repaint_floor_ms']:.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
