"""Benchmark: re-checking a whole report after one edit (what the wizard does on every keystroke-commit).

Measures, in one run, medians over many repetitions of:
  floor        reading every one of the 200 cell values once (the least any full re-check must do)
  edit+check   set_text on one cell + recompute of dependent totals + check() of every rule
  check+prev   the same with last year's report given (cross-year and similarity rules active)
and prints them against the 16.7 ms budget of one frame at 60 Hz.

Then the rules of a folder check: ``check()`` of each report of a folder of Word reports (``nianbao check DIR``'s
rules, in-process), with last year's report where the folder has it (paired by file name, 机关-2024.docx with
机关-2023.docx), and the sum rules alone (what the importer runs); the grammar's and the 雷同 memos cleared before
each round, as bench_check_folder.py does, since each run reads fresh texts. CPU time (time.process_time) per
report, median of 7 rounds. The folder: DIR if given, else N reports generated as bench_check_folder.py makes them.
Run: python bench/bench_rules.py [DIR | N]        (default: 40 generated reports)
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


def folder_rules(folder: Path, rounds: int = 7) -> None:
    """CPU per report of check() over the reports of a folder, with and without last year, and of the sums alone."""
    import os
    import re
    os.environ["NIANBAO_WORKER"] = "0"  # read in this process: only the rules are timed
    sys.path[:0] = [str(Path(__file__).resolve().parent)]
    from bench_check_folder import forget_texts

    from app.documents import open_report
    reports = {p.name: open_report(p) for p in sorted(folder.iterdir()) if p.suffix in (".docx", ".nianbao")}
    pairs = []
    for name, r in reports.items():
        m = re.match(r"(.*)-(\d{4})(\.\w+)$", name)
        prev = reports.get(f"{m.group(1)}-{int(m.group(2)) - 1}{m.group(3)}") if m else None
        pairs.append((r, prev))
    check(*pairs[0])  # the grammar made, as a worker has it after its first report

    def per_report(fn) -> float:
        times = []
        for _ in range(rounds):
            forget_texts()
            t = time.process_time()
            for r, prev in pairs:
                fn(r, prev)
            times.append((time.process_time() - t) / len(pairs))
        return statistics.median(times) * 1000

    full = per_report(lambda r, prev: check(r, prev))
    sums = per_report(lambda r, prev: check(r, kinds=frozenset({"sum"})))
    paired = sum(p is not None for _, p in pairs)
    print(f"check() of {len(pairs)} reports ({paired} with last year's) {full:8.3f} ms CPU per report")
    print(f"the sum rules alone (the importer's)       {sums:8.3f} ms CPU per report")


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
    arg = sys.argv[1] if len(sys.argv) > 1 else "40"
    if arg.isdigit():
        import tempfile
        sys.path[:0] = [str(Path(__file__).resolve().parent)]
        from bench_check_folder import make_folder
        with tempfile.TemporaryDirectory() as tmp:
            make_folder(Path(tmp), int(arg))
            folder_rules(Path(tmp))
    else:
        folder_rules(Path(arg))
