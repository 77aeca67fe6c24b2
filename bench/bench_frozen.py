"""Benchmark: the frozen program (installer/nianbao.spec) — folder size and start-up time.

    python bench/bench_frozen.py [--frozen DIST/nianbao] [-n 9]

Without --frozen it builds the Linux program first (installer/build_linux.sh into a temporary folder) and
reports how long the build took. Then, as medians of n runs (one untimed warm-up each), in the same run:
  check     ``nianbao check FIXTURE``: frozen program vs ``python -m app.cli check FIXTURE`` from source
  version   ``nianbao --version`` (start-up and exit, nothing else) frozen vs from source
  gui       ``nianbao --demo`` to the window shown (offscreen, NIANBAO_QUIT_AFTER_START=1 quits right after
            the window is shown and the event loop runs): frozen vs from source
The "from source" figures are the floor: the same code, same machine, same moment, without the bundle.
Sizes: the whole folder (files, not symlinks), and its biggest parts.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = sorted((ROOT / "tests" / "fixtures").glob("*.nianbao"))[0]


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def timed(cmd, env, n: int, ok=(0, 1)) -> float:
    subprocess.run(cmd, env=env, capture_output=True, cwd=tempfile.gettempdir())  # warm-up (page cache)
    times = []
    for _ in range(n):
        t = time.perf_counter()
        r = subprocess.run(cmd, env=env, capture_output=True, cwd=tempfile.gettempdir())
        times.append(time.perf_counter() - t)
        if r.returncode not in ok:
            raise SystemExit(f"{cmd} failed ({r.returncode}):\n{r.stdout.decode()}\n{r.stderr.decode()}")
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--frozen", help="an existing frozen folder (dist/nianbao)")
    ap.add_argument("-n", type=int, default=9)
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="nianbao-bench-")
    if args.frozen:
        frozen = Path(args.frozen)
    else:
        t = time.perf_counter()
        subprocess.run(["bash", str(ROOT / "installer" / "build_linux.sh"), "--dist", f"{tmp.name}/dist",
                        "--work", f"{tmp.name}/work"], check=True, capture_output=True)
        print(f"build (PyInstaller, one folder)         {time.perf_counter() - t:8.1f} s")
        frozen = Path(tmp.name) / "dist" / "nianbao"
    exe = str(frozen / "nianbao")

    total = folder_size(frozen)
    files = sum(1 for p in frozen.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"frozen folder                           {total / 2**20:8.1f} MiB in {files} files")
    internal = frozen / "_internal"
    parts = sorted(((folder_size(p) if p.is_dir() else p.stat().st_size, p.name)
                    for p in internal.iterdir() if not p.is_symlink()), reverse=True)[:6]
    for size, name in parts:
        print(f"  {name:38s}{size / 2**20:8.1f} MiB")

    userdata = Path(tmp.name) / "userdata"
    env = {"PATH": "/usr/bin:/bin", "HOME": tmp.name, "LANG": "C.UTF-8", "NIANBAO_DATA_DIR": str(userdata),
           "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": tmp.name}
    src_env = {**env, "PYTHONPATH": str(ROOT)}
    py = [sys.executable, "-m", "app.cli"]
    gui_env = {**env, "NIANBAO_QUIT_AFTER_START": "1"}
    gui_src_env = {**src_env, "NIANBAO_QUIT_AFTER_START": "1"}

    print(f"\nmedians of {args.n} runs            frozen     from source (floor)   ratio")
    rows = [("version", [exe, "--version"], py + ["--version"], env, src_env),
            ("check FIXTURE", [exe, "check", str(FIXTURE)], py + ["check", str(FIXTURE)], env, src_env)]
    main_py = (ROOT / "ui" / "main.py")
    if main_py.is_file() and "NIANBAO_QUIT_AFTER_START" in main_py.read_text(encoding="utf-8"):
        rows.append(("GUI --demo to shown", [exe, "--demo"], py + ["--demo"], gui_env, gui_src_env))
    else:
        print("(GUI start-up not measured: ui/main.py has no NIANBAO_QUIT_AFTER_START hook)")
    for name, fcmd, scmd, fenv, senv in rows:
        f = timed(fcmd, fenv, args.n, ok=(0, 1) if "check" in name else (0,))
        s = timed(scmd, senv, args.n, ok=(0, 1) if "check" in name else (0,))
        print(f"{name:28s}{f * 1000:9.0f} ms  {s * 1000:9.0f} ms            {f / s:5.2f}")


if __name__ == "__main__":
    main()
