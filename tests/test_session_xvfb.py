"""Two real instances of the program on one report, under an X server with a window manager (Xvfb + openbox,
1366x768 at 125 %), driven by real keys (xdotool): the second is told 报告已经打开 and opens the report read-only
(its title says （只读）); the first is killed with SIGKILL and not reaped; Ctrl+S in the second then takes the file
(the killed one's lock is stale) and saves it; Ctrl+Q closes it and leaves no lock file."""
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app import project

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "wuzhong-minzheng-2023.nianbao"

pytestmark = pytest.mark.skipif(not (shutil.which("Xvfb") and shutil.which("xdotool") and shutil.which("openbox")
                                     and sys.platform.startswith("linux")),
                                reason="needs Xvfb, openbox and xdotool (Linux)")


def free_display() -> str:
    for n in range(140, 200):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return f":{n}"
    raise AssertionError("no free X display number")


def names(env, pid) -> list[str]:
    """The titles of the visible windows of process ``pid``."""
    out = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(pid)], env=env, capture_output=True,
                         text=True, timeout=30).stdout.split()
    titles = []
    for wid in out:
        r = subprocess.run(["xdotool", "getwindowname", wid], env=env, capture_output=True, text=True, timeout=30)
        titles.append(r.stdout.strip())
    return titles


def window(env, pid, part: str, timeout: float = 60) -> str:
    """The id of the visible window of ``pid`` whose title contains ``part`` (waits for it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        out = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(pid)], env=env,
                             capture_output=True, text=True, timeout=30).stdout.split()
        for wid in out:
            r = subprocess.run(["xdotool", "getwindowname", wid], env=env, capture_output=True, text=True,
                               timeout=30)
            if part in r.stdout:
                return wid
        time.sleep(0.2)
    raise AssertionError(f"no window “{part}” of process {pid}: {names(env, pid)}")


def key(env, wid: str, keys: str) -> None:
    subprocess.run(["xdotool", "windowactivate", "--sync", wid], env=env, timeout=30)
    subprocess.run(["xdotool", "key", "--clearmodifiers", keys], env=env, check=True, timeout=30)


def test_two_instances_one_writer_read_only_then_the_killed_ones_lock_is_stale(tmp_path):
    report = tmp_path / "吴忠.nianbao"
    shutil.copy(FIXTURE, report)
    lock = report.with_name(f".~{report.name}.lock")
    display = free_display()
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", QT_SCALE_FACTOR="1.25",
               NIANBAO_DATA_DIR=str(tmp_path / "data"), NIANBAO_LANG="zh_CN", PYTHONPATH=str(ROOT))
    procs = []

    def start(*args, **kw):
        p = subprocess.Popen(list(args), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
        procs.append(p)
        return p

    try:
        xvfb = start("Xvfb", display, "-screen", "0", "1366x768x24", "-nolisten", "tcp")
        deadline = time.monotonic() + 20
        while not Path(f"/tmp/.X11-unix/X{display[1:]}").exists():
            assert xvfb.poll() is None and time.monotonic() < deadline, "Xvfb did not start"
            time.sleep(0.05)
        start("openbox")
        first = start(sys.executable, "-m", "ui", str(report), cwd=str(ROOT))
        window(env, first.pid, "吴忠.nianbao — 年报助手")
        assert lock.is_file()
        second = start(sys.executable, "-m", "ui", str(report), cwd=str(ROOT))
        dialog = window(env, second.pid, "报告已经打开")
        key(env, dialog, "alt+r")  # 只读打开(&R)
        main = window(env, second.pid, "（只读）")
        assert project.load(report).meta.organ  # the file is untouched
        first.send_signal(signal.SIGKILL)  # the instance that edits the file crashes; not reaped (a zombie)
        deadline = time.monotonic() + 30
        while open(f"/proc/{first.pid}/stat", "rb").read().rsplit(b")", 1)[1].split()[0] != b"Z":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert lock.is_file()  # the killed instance's lock stays behind
        before = report.stat().st_mtime_ns
        key(env, main, "ctrl+s")  # the read-only window saves: it takes the file (the lock is stale)
        window(env, second.pid, "吴忠.nianbao — 年报助手")
        deadline = time.monotonic() + 30
        while "（只读）" in " ".join(names(env, second.pid)) or report.stat().st_mtime_ns == before:
            assert time.monotonic() < deadline, names(env, second.pid)
            time.sleep(0.1)
        assert f"{second.pid}\n" in lock.read_text(encoding="utf-8")
        key(env, main, "ctrl+q")
        second.wait(30)
        assert second.returncode == 0, second.stderr.read()[-2000:]
        assert not lock.exists()
        assert not [f for f in os.listdir(tmp_path) if f.endswith(".tmp")]
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.kill()
            p.wait(30)
