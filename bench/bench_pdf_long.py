"""Benchmark: PDF export of long narratives (linear layout), against the floor of the same run.

    python bench/bench_pdf_long.py [-n 3]

Floor: the PDF export of the wuzhong fixture as it is (about 3 000 characters of text). Then the same report
with one 40 000-character paragraph, and with 150 000 characters in 30 paragraphs (near the export limit).
Prints medians and the ratio to the floor.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BASE = "本机关认真贯彻落实条例规定，2023年12月31日前共办理申请123件，"


def _long(n: int) -> str:
    return (BASE * (n // len(BASE) + 1))[:n]


def median(fn, n: int) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=3)
    args = ap.parse_args()
    from app import project
    from app.export.pdf import render_pdf

    def report(text=None):
        r = project.load(ROOT / "tests" / "fixtures" / "wuzhong-minzheng-2023.nianbao")
        if text is not None:
            r.sections["s1"] = text
        return r

    floor = report()
    render_pdf(floor)  # fonts, imports
    rows = [("floor: fixture PDF", median(lambda: render_pdf(floor), args.n))]
    one = report(_long(40_000))
    rows.append(("one 40 000-character paragraph", median(lambda: render_pdf(one), args.n)))
    many = report("\n".join(_long(5_000) for _ in range(30)))
    rows.append(("150 000 characters, 30 paragraphs", median(lambda: render_pdf(many), args.n)))
    print(f"{'what':40} {'median':>10} {'vs floor':>9}")
    for name, t in rows:
        print(f"{name:40} {t * 1000:8.0f} ms {t / rows[0][1]:8.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
