"""The window fits the screen under a window manager (Xvfb + openbox): on the common office laptop (1366×768 at
125 %) and on 1280×720 at 100 %, on every page, with and without findings, with the recovery banner shown — the
panels scroll, the window never grows past the screen; and the splitter between the page and the findings drags
(a real mouse drag through the X server, xdotool).

Each case runs the real program in a child process on an X server of that size with openbox managing its window.
"""
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not (shutil.which("Xvfb") and shutil.which("xdotool") and shutil.which("openbox")),
                                reason="needs Xvfb, openbox and xdotool")

CHILD = r"""
import json, os, subprocess, sys, time
sys.path.insert(0, sys.argv[1])
from ui.main import application, create_window
app = application([])
win = create_window([])
out = {"avail": list(app.primaryScreen().availableGeometry().getRect()), "pages": {}}

def settle(ms=200):
    t = time.monotonic()
    while time.monotonic() - t < ms / 1000:
        app.processEvents()

def inside(tag):
    a = app.primaryScreen().availableGeometry()
    f = win.frameGeometry()
    sb = win.statusBar()
    bottom = sb.mapToGlobal(sb.rect().bottomLeft()).y()
    out["pages"][tag] = {"frame": list(f.getRect()), "min_h": win.minimumSizeHint().height(),
                         "fits": a.contains(f) or (f.top() >= a.top() and f.bottom() <= a.bottom()
                                                   and f.left() >= a.left() and f.right() <= a.right()),
                         "status_in_sight": bottom <= a.bottom(), "banner": win.banner.isVisible()}

settle(600)
win.new_report()
settle()
inside("new")
for c, v in {"t3.new.natural": 5, "t3.new.commercial": 2, "t3.granted.natural": 3, "t3.partial.natural": 1,
             "t2.regulations.issued": 1, "t4.review.upheld": 3}.items():
    win.state.set_cells({c: v})
settle()
inside("findings")
for pid in win.wizard.page_ids:
    win.wizard.go(pid)
    settle()
    inside(pid)

# drag the separator between the page and the findings 60 px up with the mouse
win.wizard.go("t3")
settle(300)
dpr = win.screen().devicePixelRatio()
dock = win.dock
handle = win.wizard.vsplit.handle(1)  # the splitter's handle between the page and the findings
centre = handle.mapToGlobal(handle.rect().center())
x, y = centre.x(), centre.y()
before = dock.height()
env = dict(os.environ)
X, Y = round(x * dpr), round(y * dpr)
p = subprocess.Popen(["xdotool", "mousemove", "--sync", str(X), str(Y), "sleep", "0.3", "mousedown", "1",
                      "sleep", "0.2", "mousemove", "--sync", str(X), str(Y - 30), "sleep", "0.2",
                      "mousemove", "--sync", str(X), str(Y - round(60 * dpr)), "sleep", "0.3", "mouseup", "1"],
                     env=env)
deadline = time.monotonic() + 20
while p.poll() is None and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.01)
settle(400)
out["drag"] = {"before": before, "after": dock.height(), "fits": app.primaryScreen().availableGeometry().contains(
    win.frameGeometry())}
win.state._text_dirty = False
win.state.undo.setClean()
print("RESULT", json.dumps(out), flush=True)
win.close()
"""


def _start_xvfb(width: int, height: int):
    """An X server on a display number it chose itself (``-displayfd``: no race with other runs on this machine
    picking the same free-looking number), and that number, once it takes connections."""
    import select
    r, w = os.pipe()
    try:
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", f"{width}x{height}x24",
                                 "-nolisten", "tcp"], pass_fds=(w,), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        os.close(w)
        number = b""
        deadline = time.monotonic() + 20
        while not number.endswith(b"\n"):
            ready, _, _ = select.select([r], [], [], 0.2)
            if ready:
                chunk = os.read(r, 16)
                if not chunk:
                    break
                number += chunk
            elif xvfb.poll() is not None or time.monotonic() > deadline:
                break
        if not number.strip().isdigit():
            xvfb.kill()
            xvfb.wait()
            raise _NoDisplay("Xvfb did not start")
        return xvfb, ":" + number.strip().decode()
    finally:
        os.close(r)


def run_under_wm(tmp_path, width, height, scale, banner=False):
    """The child's result; an X server or window manager that fails to come up (another test run on this machine
    may take the same display number at the same moment) is tried again on another display."""
    for attempt in range(3):
        try:
            return _run_under_wm(tmp_path, width, height, scale, banner)
        except _NoDisplay:
            if attempt == 2:
                raise


class _NoDisplay(AssertionError):
    pass


def _run_under_wm(tmp_path, width, height, scale, banner):
    xvfb, display = _start_xvfb(width, height)
    wm = None
    try:
        deadline = time.monotonic() + 10
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", QT_SCALE_FACTOR=str(scale),
                   NIANBAO_DATA_DIR=str(tmp_path / "data"), NIANBAO_LANG="zh_CN", PYTHONPATH=str(ROOT))
        env.pop("QT_QPA_PLATFORMTHEME", None)
        while subprocess.run(["xprop", "-root"], env=env, capture_output=True, timeout=30).returncode != 0:
            if xvfb.poll() is not None or time.monotonic() > deadline + 20:
                raise _NoDisplay("Xvfb does not answer")
            time.sleep(0.1)  # the socket is there before the server takes connections
        wm_log = tmp_path / "openbox.log"
        with open(wm_log, "wb") as log:
            wm = subprocess.Popen(["openbox", "--sm-disable"], env=env, stdout=log, stderr=log)
        # openbox is managing the screen once it has set the root window's supporting-WM property
        deadline = time.monotonic() + 30
        while subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=env, capture_output=True,
                             text=True, timeout=30).stdout.find("window id") < 0:
            if wm.poll() is not None or time.monotonic() > deadline:
                raise _NoDisplay("openbox did not start: " + wm_log.read_text(errors="replace")[-2000:])
            time.sleep(0.1)
        if banner:  # a recovery copy left by a process that has ended: the banner is shown at start
            subprocess.run([sys.executable, "-c", "from app import userdata, model; userdata.write_recovery("
                            "userdata.recovery_bytes(model.new_report(), '/home/clerk/吴忠2024.nianbao'))"],
                           env=env, cwd=str(ROOT), check=True, timeout=60)
        res = subprocess.run([sys.executable, "-c", CHILD, str(ROOT)], env=env, capture_output=True, text=True,
                             timeout=180, cwd=str(tmp_path))
        line = next((ln for ln in res.stdout.splitlines() if ln.startswith("RESULT ")), None)
        assert line, res.stderr[-3000:]
        return json.loads(line[7:])
    finally:
        for proc in (wm, xvfb):
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()


@pytest.mark.parametrize("width,height,scale,banner", [(1366, 768, 1.25, False), (1280, 720, 1, False),
                                                       (1366, 768, 1.25, True)])
def test_window_fits_the_screen_on_every_page(tmp_path, width, height, scale, banner):
    res = run_under_wm(tmp_path, width, height, scale, banner)
    avail_h = res["avail"][3]
    assert set(res["pages"]) >= {"new", "findings", "cover", "s1", "t2", "t3", "t4", "s5", "s6", "check"}
    for tag, p in res["pages"].items():
        assert p["fits"], (tag, p, res["avail"])
        assert p["status_in_sight"], (tag, p)
        assert p["min_h"] <= avail_h, (tag, p, avail_h)
        assert p["banner"] == banner, (tag, p)
    # the separator between the page and the findings follows the mouse; the window still fits
    d = res["drag"]
    assert d["after"] >= d["before"] + 15, d
    assert d["fits"], d
