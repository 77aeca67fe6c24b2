"""Benchmark: ``nianbao check DIR`` over a folder of Word reports (the 政务公开办 in January), and 雷同 across organs.

Part 1 — the folder. Generates N DOCX reports in a temporary folder: N/2 organs × 2 consecutive years (so the
cross-year pairing runs), full narratives written apart from a vocabulary, and one organ in ten copying another's
section 一 (雷同 among them); half are Word files as offices make them (merged cells), half exported by this
program (our own DOCX, read back through its embedded part). Measures, as medians of R runs:
  floor          one process opening each file once with python-docx (``docx.Document(path)``)
  check, 1 job   the whole ``nianbao check DIR`` in-process with NIANBAO_JOBS=1: the files read one after the other
                 through the reading worker (app.sandbox), then pairing, every rule, 雷同
  check          the same with the default folder workers (one per core), each a reading worker itself
  the work       the same check in one process without any worker process (NIANBAO_WORKER=0, NIANBAO_JOBS=1): the
                 CPU the reading, the rules and 雷同 take, without the cost of the processes
and prints reports per second and each ratio to the floor (goal: check ≤ 0.67× the floor), with CPU time (this
process and its workers), which a shared machine disturbs less than the wall clock.

Part 2 — 雷同 across organs alone, on M reports (section texts only): the index (MinHash bands, exact check of
the candidates) against comparing every pair (``app.rules.similar_across_organs``, the former way) on the same
reports, as far as the pairwise way finishes within its budget.

Run: python bench/bench_check_folder.py [N] [M]        (defaults 300, 3000)
"""
import contextlib
import io
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from app import sandbox
from app.cli import main as cli_main
from fuzz.docs import docx_from_report
from reviewhelp import narrative, realistic_report

R = 3


def make_folder(folder: Path, n: int) -> list[Path]:
    from app.export.docx import render_docx
    own = [render_docx]
    rng = random.Random(2024)
    paths = []
    texts = {}
    for i in range(n):
        organ, year = f"第{i // 2:03d}县民政局", 2023 + i % 2
        r = realistic_report(random.Random(i), organ, year)
        if i % 20 == 19 and i >= 40:  # one organ in ten copies another's section 一 (内容雷同)
            r.sections["s1"] = texts[i - 39]
        texts[i] = r.sections["s1"]
        out = folder / f"{organ}-{year}.docx"
        if i % 4 < 2:  # half written in Word by offices, half exported by this program (our own DOCX)
            docx_from_report(r, out, variant=rng.choice(["standard", "split"]))
        else:
            out.write_bytes(own[0](r))
        paths.append(out)
    return paths


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the worker processes)."""
    import resource
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def forget_texts() -> None:
    """Drop what a run remembers of the texts it read (each section's statements, the 雷同 comparisons between
    years, the normalised labels, the MinHash hashes of trigrams): every run then reads the folder as a fresh
    ``nianbao check`` does. Without it the second and third runs in this process found every narrative's
    statements made already (about 1.5 ms a report less than a real run), while the folder workers, forked afresh,
    did not."""
    from app import review, rules, similarity, textutil
    from app.importers import recognise
    from app.narrative import Grammar
    for memo in (Grammar._claims, rules._stripped, rules._similarity, similarity.copied_between, recognise.norm,
                 textutil.nfkc):
        memo.cache_clear()
    review.forget_hashes()


def median_s(fn) -> float:
    """Median wall seconds of R runs; ``median_s.cpu``: the median CPU seconds (this process and its workers), which
    a machine shared with other work disturbs less than the wall clock."""
    times, cpus = [], []
    for _ in range(R):
        c = _cpu()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
        cpus.append(_cpu() - c)
    median_s.cpu = statistics.median(cpus)
    return statistics.median(times)


def folder_part(n: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    try:
        t = time.perf_counter()
        paths = make_folder(folder, n)
        size = sum(p.stat().st_size for p in paths) / len(paths) / 1024
        print(f"generated {n} DOCX reports ({size:.0f} KB each) in {time.perf_counter() - t:.1f} s")
        from docx import Document

        def floor():
            for p in paths:
                Document(str(p))

        def check(jobs, worker=True):
            def run():
                old = os.environ.get("NIANBAO_JOBS")
                old_worker = os.environ.get("NIANBAO_WORKER")
                os.environ["NIANBAO_JOBS"] = str(jobs) if jobs else ""
                if not worker:
                    os.environ["NIANBAO_WORKER"] = "0"
                forget_texts()
                try:
                    with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.redirect_stderr(io.StringIO()):
                        rc = cli_main(["check", str(folder)])
                    # the reading worker (one process reads through it) ends here, so its CPU time is counted
                    sandbox.shutdown()
                finally:
                    if old is None:
                        os.environ.pop("NIANBAO_JOBS", None)
                    else:
                        os.environ["NIANBAO_JOBS"] = old
                    if old_worker is None:
                        os.environ.pop("NIANBAO_WORKER", None)
                    else:
                        os.environ["NIANBAO_WORKER"] = old_worker
                assert rc in (0, 1), (rc, out.getvalue()[-2000:])
                run.similar = out.getvalue().count("TEXT.SIMILAR_ORGANS")
            return run

        f = median_s(floor)
        fc = median_s.cpu
        one = check(1)
        c1 = median_s(one)
        c1c = median_s.cpu
        both = check(None)
        c = median_s(both)
        cc = median_s.cpu
        work = median_s(check(1, worker=False))
        wc = median_s.cpu
        print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"floor: python-docx opens each file once   {n / f:7.1f} reports/s  ({f / n * 1000:6.1f} ms each; "
              f"CPU {fc / n * 1000:6.1f} ms)")
        print(f"nianbao check DIR, 1 process            {n / c1:7.1f} reports/s  ({c1 / n * 1000:6.1f} ms each, "
              f"{c1 / f:.2f}× floor; CPU {c1c / n * 1000:6.1f} ms, {c1c / fc:.2f}×)")
        print(f"nianbao check DIR, {os.cpu_count()} worker processes   {n / c:7.1f} reports/s  "
              f"({c / n * 1000:6.1f} ms each, {c / f:.2f}× floor; goal ≤ 0.67×; CPU {cc / n * 1000:6.1f} ms, "
              f"{cc / fc:.2f}×)")
        print(f"the work alone (one process, no worker)  {n / work:7.1f} reports/s  ({work / n * 1000:6.1f} ms each, "
              f"{work / f:.2f}× floor; CPU {wc / n * 1000:6.1f} ms, {wc / fc:.2f}×)")
        print(f"  (雷同 findings across organs: {both.similar})")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def similar_part(m: int, budget_s: float = 120.0) -> None:
    from app.model import Report
    from app.organs import organ_key
    from app.review import similar_organs
    from app.rules import similar_across_organs
    from app.formats import load_format
    rng = random.Random(7)
    reports = []
    for i in range(m):
        r = Report()
        r.meta.organ, r.meta.year = f"第{i}县民政局", 2024
        for sid, k in (("s1", 14), ("s5", 6), ("s6", 4)):
            r.sections[sid] = narrative(rng, k)
        if i % 10 == 9:  # a copy of another organ's section 一, a few words changed
            t = reports[i - 7].sections["s1"]
            r.sections["s1"] = t[:30] + "依法依规" + t[34:]
        reports.append(r)
    t = time.process_time()
    found, _ = similar_organs(reports)
    idx = time.process_time() - t
    print(f"雷同 across organs, {m} reports: index {idx:6.1f} s CPU ({len(found)} reports with findings)")
    fmt = load_format()
    for k in (250, 500, 1000, 2000, m):
        if k > m:
            break
        sub = reports[:k]
        t = time.process_time()
        f2, _ = similar_organs(sub)
        ti = time.process_time() - t
        t = time.process_time()
        f1 = similar_across_organs(fmt, sub, organ_key)
        tp = time.process_time() - t
        same = sorted((i, [x.cells for x in v]) for i, v in f1.items()) == \
            sorted((i, [x.cells for x in v]) for i, v in f2.items())
        print(f"  {k:5d} reports: index {ti:6.2f} s, every pair {tp:6.2f} s ({tp / max(ti, 1e-9):.1f}×); "
              f"same findings: {same}")
        if tp > budget_s / 4:
            break


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    m = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    if n:
        folder_part(n)
    if m:
        similar_part(m)


if __name__ == "__main__":
    main()
