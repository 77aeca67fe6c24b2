"""Benchmark: the worst small inputs found so far, before and after, side by side with a floor.

For every case of ``tests/fuzz/worst.py`` and ``tests/fuzz/hostile_pdf.py`` it opens (or opens and checks) the file in
a fresh process and records
the seconds and the peak memory growth of that step (``worst.measure``), once with the code of ``--before REV``
(default: the commit this branch started from, extracted with ``git archive`` into a temporary folder) and
``--repeat`` times with the working tree. The floor is an ordinary report of the same kind measured the same way
in the same run. Old runs are stopped after ``--kill`` seconds and under a 3 GB address-space limit, so "killed"
means "more than that" and "MemoryError" means "would have taken more than 3 GB".

Run: python bench/bench_worst_cases.py [--before REV] [--repeat 3] [--kill 60] [CASE ...]
"""
from __future__ import annotations

import argparse
import io
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fuzz import hostile_pdf
from fuzz.worst import CASES, measure

# the worst small inputs, then hostile PDFs and a workbook (all opened: the import)
CASES = dict(CASES)
CASES.update({name: (suffix, make, "open") for name, (suffix, make) in hostile_pdf.CASES.items()})


def write_case(name: str, folder: Path) -> Path:
    suffix, make, _ = CASES[name]
    path = Path(folder) / f"{name}{suffix}"
    path.write_bytes(make())
    return path


def floors(folder: Path) -> dict[str, Path]:
    """An ordinary report of each kind."""
    from app.export.xlsx import render_xlsx
    from fuzz.docs import docx_from_report, html_from_report, random_report, text_from_report
    r = random_report(random.Random(7))
    out = {".nianbao": ROOT / "tests" / "fixtures" / "wuzhong-minzheng-2023.nianbao"}
    (folder / "floor.html").write_text(html_from_report(r), encoding="utf-8")
    out[".html"] = folder / "floor.html"
    (folder / "floor.txt").write_text(text_from_report(r, "tab"), encoding="utf-8")
    out[".txt"] = folder / "floor.txt"
    buf = io.BytesIO()
    docx_from_report(r, buf)
    (folder / "floor.docx").write_bytes(buf.getvalue())
    out[".docx"] = folder / "floor.docx"
    (folder / "floor.xlsx").write_bytes(render_xlsx(r))
    out[".xlsx"] = folder / "floor.xlsx"
    page = html_from_report(r).encode()
    (folder / "floor.mht").write_bytes(b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"B\"\r\n\r\n"
                                       b"--B\r\nContent-Type: text/html; charset=utf-8\r\n"
                                       b"Content-Transfer-Encoding: 8bit\r\n\r\n" + page + b"\r\n--B--\r\n")
    out[".mht"] = folder / "floor.mht"
    out[".pdf"] = ROOT / "tests" / "fixtures" / "pdf" / "wuzhong-minzheng-2023.pdf"  # a 6-page report (LibreOffice)
    return out


def median_run(path, op, repeat, **kw) -> dict:
    runs = [measure(path, op, **kw) for _ in range(repeat)]
    out = dict(runs[-1])
    out["seconds"] = statistics.median(r["seconds"] for r in runs)
    out["mb"] = statistics.median(r["mb"] for r in runs)
    return out


def show(r: dict) -> str:
    if r["outcome"] == "killed":
        return f"{'>' + format(r['seconds'], '.0f') + ' s':>8} {'?':>8}  killed"
    mb = "?" if r["mb"] != r["mb"] else f"{r['mb']:.0f}"
    return f"{r['seconds']:7.2f}s {mb:>6}MB  {r['outcome']}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("cases", nargs="*")
    ap.add_argument("--before", default=None, help="git revision of the old code (default: merge base with HEAD~N)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--kill", type=float, default=60)
    args = ap.parse_args()
    before = args.before or subprocess.run(
        ["git", "-C", str(ROOT), "log", "--format=%H", "-1", "--grep=Tests read only the repository"],
        capture_output=True, text=True).stdout.strip()
    names = args.cases or list(CASES)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        old = tmp / "old"
        old.mkdir()
        subprocess.run(f"git -C {ROOT} archive {before} | tar -x -C {old}", shell=True, check=True)
        floor_files = floors(tmp)
        print(f"before: {before[:10]}   after: working tree   (median of {args.repeat} for after and floor)")
        print(f"{'case':28} {'size':>9} | {'floor (same kind)':>28} | {'before':>28} | {'after':>28} | ratio t")
        floor_cache: dict[tuple, dict] = {}
        for name in names:
            suffix, _, op = CASES[name]
            path = write_case(name, tmp)
            key = (suffix, op)
            if key not in floor_cache:
                floor_cache[key] = median_run(floor_files[suffix], op, args.repeat)
            fl = floor_cache[key]
            b = measure(path, op, kill_after=args.kill, address_space_mb=3000, pythonpath=str(old))
            a = median_run(path, op, args.repeat)
            ratio = a["seconds"] / fl["seconds"] if fl["seconds"] > 0 else float("nan")
            print(f"{name:28} {path.stat().st_size:>9} | {show(fl):>28} | {show(b):>28} | {show(a):>28} | "
                  f"{ratio:5.1f}x floor", flush=True)


if __name__ == "__main__":
    main()
