"""Benchmark: the frozen program (installer/nianbao.spec) — folder size and start-up time.

    python bench/bench_frozen.py [--frozen DIST/nianbao] [--frozen OTHER/nianbao …] [-n 9]

Without --frozen it builds the Linux program first (installer/build_linux.sh into a temporary folder, with this
interpreter) and reports how long the build took. Several --frozen folders (e.g. an older build and a newer one)
are measured side by side. Then, as medians of n runs (one untimed warm-up each), interleaved (every round runs
each program once, so a busy machine slows all alike), in the same run:
  check     ``nianbao check FIXTURE``: frozen program vs ``python -m app.cli check FIXTURE`` from source
  version   ``nianbao --version`` (start-up and exit, nothing else) frozen vs from source
  gui       ``nianbao --demo`` to the window shown (offscreen, NIANBAO_QUIT_AFTER_START=1 quits right after
            the window is shown and the event loop runs): frozen vs from source
The "from source" figures are the floor: the same code, same machine, same moment, without the bundle.
Sizes: the whole folder (files, not symlinks), and its biggest parts.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "weihui-minzheng-2022.nianbao"


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def timed(cmds, n: int, ok=(0, 1)) -> list[float]:
    """Medians of n interleaved runs of each (cmd, env) in cmds, after one untimed warm-up each."""
    for cmd, env in cmds:
        subprocess.run(cmd, env=env, capture_output=True, cwd=tempfile.gettempdir())  # warm-up (page cache)
    times = [[] for _ in cmds]
    for _ in range(n):
        for (cmd, env), out in zip(cmds, times):
            t = time.perf_counter()
            r = subprocess.run(cmd, env=env, capture_output=True, cwd=tempfile.gettempdir())
            out.append(time.perf_counter() - t)
            if r.returncode not in ok:
                raise SystemExit(f"{cmd} failed ({r.returncode}):\n{r.stdout.decode()}\n{r.stderr.decode()}")
    return [statistics.median(t) for t in times]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--frozen", action="append", help="an existing frozen folder (dist/nianbao); repeatable")
    ap.add_argument("-n", type=int, default=9)
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="nianbao-bench-")
    if args.frozen:
        frozen = [Path(f) for f in args.frozen]
    else:
        t = time.perf_counter()
        subprocess.run(["bash", str(ROOT / "installer" / "build_linux.sh"), "--dist", f"{tmp.name}/dist",
                        "--work", f"{tmp.name}/work"], check=True, capture_output=True,
                       env={**os.environ, "PYTHON": sys.executable})
        print(f"build (PyInstaller, one folder)         {time.perf_counter() - t:8.1f} s")
        frozen = [Path(tmp.name) / "dist" / "nianbao"]

    for i, folder in enumerate(frozen):
        total = folder_size(folder)
        files = sum(1 for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
        print(f"[{i}] {folder}: {total / 2**20:.1f} MiB in {files} files")
        internal = folder / "_internal"
        parts = sorted(((folder_size(p) if p.is_dir() else p.stat().st_size, p.name)
                        for p in internal.iterdir() if not p.is_symlink()), reverse=True)[:6]
        for size, name in parts:
            print(f"      {name:38s}{size / 2**20:8.1f} MiB")

    userdata = Path(tmp.name) / "userdata"
    env = {"PATH": "/usr/bin:/bin", "HOME": tmp.name, "LANG": "C.UTF-8", "NIANBAO_DATA_DIR": str(userdata),
           "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": tmp.name}
    src_env = {**env, "PYTHONPATH": str(ROOT)}
    py = [sys.executable, "-m", "app.cli"]
    gui_env = {**env, "NIANBAO_QUIT_AFTER_START": "1"}
    gui_src_env = {**src_env, "NIANBAO_QUIT_AFTER_START": "1"}

    heads = "".join(f"{f'[{i}] frozen':>12s}" for i in range(len(frozen)))
    ratios = "".join(f"{f'[{i}]/floor':>11s}" for i in range(len(frozen)))
    print(f"\nmedians of {args.n} runs          {heads}{'from source (floor)':>21s}{ratios}")
    rows = [("version", ["--version"], env, src_env, (0,)),
            ("check FIXTURE", ["check", str(FIXTURE)], env, src_env, (0, 1)),
            ("GUI --demo to shown", ["--demo"], gui_env, gui_src_env, (0,))]
    for name, argv, fenv, senv, ok in rows:
        cmds = [([str(f / "nianbao"), *argv], fenv) for f in frozen] + [(py + argv, senv)]
        *f_times, s = timed(cmds, args.n, ok=ok)
        cells = "".join(f"{t * 1000:9.0f} ms" for t in f_times)
        print(f"{name:30s}{cells}{s * 1000:18.0f} ms   " + "".join(f"{t / s:11.2f}" for t in f_times))


if __name__ == "__main__":
    main()
