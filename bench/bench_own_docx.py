"""Measure: the cost of reading our own DOCX back (``open_report`` of an exported report), this code against the
code of another revision (default ``main``, via ``git archive``), beside the floor of opening the same file once
with python-docx, all in the same run.

    python bench/bench_own_docx.py [--rev main] [-n 15]
    python bench/bench_own_docx.py --folder DIR [--rev main] [-n 7]

Each code version exports the three fixtures with its own template and reads them back in one child process
(imports warmed up by a first read); medians of ``n`` reads per file. The floor is ``docx.Document(path)`` of the
same file, timed in the same child.

``--folder``: CPU time (``time.process_time``, in process, no worker) of ``open_report`` on each of our own DOCX in
DIR (those the own reader recognises; the benchmark folder of ``bench_check_folder.py`` has 100 of them), one pass
over them all per round, ``n`` rounds alternating between the two code versions (each in its own child process);
medians of the per-file mean; and the same for the ZIP guard (``open_zip``) over every DOCX of the folder.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ["wuzhong-minzheng-2023", "pingqiao-minzheng-2024", "weihui-minzheng-2022"]

CHILD = r"""
import json, statistics, sys, time
from pathlib import Path
from app import project
from app.documents import open_report
from app.export import export_report
import docx
out, n, fixtures, folder = {}, int(sys.argv[1]), sys.argv[2].split(","), Path(sys.argv[3])
for name in fixtures:
    path = export_report(project.load(f"tests/fixtures/{name}.nianbao"), folder / f"{name}.docx", force=True)
    open_report(path); docx.Document(str(path))  # imports, first-use work
    reads, floors = [], []
    for _ in range(n):
        path.touch()  # a changed file: no cached result of the previous read
        t = time.perf_counter(); open_report(path); reads.append(time.perf_counter() - t)
        t = time.perf_counter(); docx.Document(str(path)); floors.append(time.perf_counter() - t)
    with __import__("zipfile").ZipFile(path) as z:
        size = sum(i.file_size for i in z.infolist() if i.filename.startswith("word/styles"))
    out[name] = {"read": statistics.median(reads), "floor": statistics.median(floors), "styles": size}
print(json.dumps(out))
"""


FOLDER_CHILD = r"""
import json, os, sys, time, zipfile
os.environ["NIANBAO_WORKER"] = "0"
from pathlib import Path
from app.documents import open_report
from app.importers.own_docx import read_own_zip
from app.safezip import open_zip
files = sorted(Path(sys.argv[1]).glob("*.docx"))
own = []
for f in files:
    with zipfile.ZipFile(f) as z:
        if read_own_zip(z, f) is not None:
            own.append(f)
for f in files:
    open_report(f)  # imports, first-use work
t = time.process_time()
for f in own:
    open_report(f)
read = (time.process_time() - t) / max(1, len(own))
t = time.process_time()
for f in files:
    open_zip(f, "Word", ("[Content_Types].xml",)).close()
guard = (time.process_time() - t) / max(1, len(files))
print(json.dumps({"read": read, "guard": guard, "own": len(own), "files": len(files)}))
"""


def run_folder(code_root: Path, folder: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(code_root))
    res = subprocess.run([sys.executable, "-c", FOLDER_CHILD, str(folder)], cwd=code_root, env=env,
                         capture_output=True, text=True, timeout=1200)
    if res.returncode:
        raise SystemExit(res.stderr[-3000:])
    return json.loads(res.stdout.strip().splitlines()[-1])


def main_folder(folder: Path, rev: str, n: int) -> int:
    import statistics
    with tempfile.TemporaryDirectory(prefix="nianbao-owndocx-") as tmp:
        old = Path(tmp)
        archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        runs: dict[str, list] = {"old": [], "this": []}
        for _ in range(n):
            runs["old"].append(run_folder(old, folder))
            runs["this"].append(run_folder(ROOT, folder))
    load = os.getloadavg()[0]
    med = {k: {m: statistics.median(r[m] for r in v) for m in ("read", "guard")} for k, v in runs.items()}
    first = runs["this"][0]
    print(f"{folder}: {first['own']} of our own DOCX among {first['files']}; CPU ms per file, medians of {n} "
          f"alternating runs (load average {load:.1f})")
    print(f"{'':34} {rev:>10} {'this':>10} {'ratio':>7}")
    for m, label in (("read", "open_report, our own DOCX"), ("guard", "ZIP guard (open_zip), every DOCX")):
        print(f"{label:34} {1000 * med['old'][m]:>10.2f} {1000 * med['this'][m]:>10.2f} "
              f"{med['this'][m] / med['old'][m]:>6.2f}×")
    return 0


def run(code_root: Path, n: int, folder: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(code_root))
    res = subprocess.run([sys.executable, "-c", CHILD, str(n), ",".join(FIXTURES), str(folder)], cwd=code_root,
                         env=env, capture_output=True, text=True, timeout=1200)
    if res.returncode:
        raise SystemExit(res.stderr[-3000:])
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rev", default="main")
    ap.add_argument("-n", type=int, default=None)
    ap.add_argument("--folder", type=Path, default=None, help="CPU time of reading the own DOCX in this folder")
    args = ap.parse_args()
    if args.folder is not None:
        return main_folder(args.folder, args.rev, args.n or 7)
    args.n = args.n or 15
    with tempfile.TemporaryDirectory(prefix="nianbao-owndocx-") as tmp:
        tmp = Path(tmp)
        old = tmp / "old"
        old.mkdir()
        archive = subprocess.run(["git", "archive", args.rev], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        (tmp / "a").mkdir()
        (tmp / "b").mkdir()
        before = run(old, args.n, tmp / "a")
        after = run(ROOT, args.n, tmp / "b")
    print(f"{'report':26} {'styles parts':>14} {'read (' + args.rev + ')':>14} {'read (this)':>12} "
          f"{'floor: Document()':>18} {'ratio ' + args.rev:>11} {'ratio this':>11}")
    for name in FIXTURES:
        b, a = before[name], after[name]
        print(f"{name:26} {b['styles'] // 1024:>5} → {a['styles'] // 1024:<4}KB {1000 * b['read']:>11.1f} ms "
              f"{1000 * a['read']:>9.1f} ms {1000 * b['floor']:>6.1f} → {1000 * a['floor']:.1f} ms "
              f"{b['read'] / b['floor']:>10.2f}× {a['read'] / a['floor']:>10.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
