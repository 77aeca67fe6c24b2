"""Benchmark: re-checking a whole report after one edit (what the wizard does on every keystroke-commit).

Measures, in one run, medians over many repetitions of:
  floor        reading every one of the 200 cell values once (the least any full re-check must do)
  edit+check   set_text on one cell + recompute of dependent totals + check() of every rule
  check+prev   the same with last year's report given (cross-year and similarity rules active)
and prints them against the 16.7 ms budget of one frame at 60 Hz.
Run: python bench/bench_rules.py
"""
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import project
from app.resources import resource
from app.rules import check, recompute

N = 2000


def median_ms(fn, n=N):
    times = []
    for i in range(n):
        t = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main():
    report = project.load(resource("samples", "demo.nianbao"))
    previous = project.load(resource("samples", "demo.nianbao"))
    cells = list(report.format.cells)

    def floor(i):
        for c in cells:
            report.values.get(c)

    def edit_check(i):
        report.set_text("t3.new.natural", str(5 + i % 3))
        recompute(report, ["t3.new.natural"])
        check(report)

    def edit_check_prev(i):
        report.set_text("t3.new.natural", str(5 + i % 3))
        recompute(report, ["t3.new.natural"])
        check(report, previous)

    f = median_ms(floor)
    e = median_ms(edit_check)
    p = median_ms(edit_check_prev)
    print(f"floor (read 200 cells)        {f * 1000:8.1f} µs")
    print(f"edit + recompute + check      {e * 1000:8.1f} µs   ({e / f:.0f}× floor, {e / 16.7 * 100:.1f}% of a "
          "16.7 ms frame)")
    print(f"same, with last year's report {p * 1000:8.1f} µs   ({p / f:.0f}× floor, {p / 16.7 * 100:.1f}% of a frame)")


if __name__ == "__main__":
    main()
