"""Measure: the cost of reading our own DOCX back (``open_report`` of an exported report), this code against the
code of another revision (default ``main``, via ``git archive``), beside the floor of opening the same file once
with python-docx, all in the same run.

    python bench/bench_own_docx.py [--rev main] [-n 15]

Each code version exports the three fixtures with its own template and reads them back in one child process
(imports warmed up by a first read); medians of ``n`` reads per file. The floor is ``docx.Document(path)`` of the
same file, timed in the same child.
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
    ap.add_argument("-n", type=int, default=15)
    args = ap.parse_args()
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
