"""Benchmark: ``nianbao check DIR`` over a folder of Word reports (the 政务公开办 in January), and 雷同 across organs.

Part 1 — the folder. Generates N DOCX reports in a temporary folder: N/2 organs × 2 consecutive years (so the
cross-year pairing runs), full narratives written apart from a vocabulary, and one organ in ten copying another's
section 一 (雷同 among them); half are Word files as offices make them (merged cells), half exported by this
program (our own DOCX, read back through its embedded part). Measures, in R rounds of the four in turn, each
run in a process of its own started for it (modules imported before the clock starts), medians:
  floor          one process opening each file once with python-docx (``docx.Document(path)``)
  check, 1 job   the whole ``nianbao check DIR`` in-process with NIANBAO_JOBS=1: the files read one after the other
                 through the reading worker (app.sandbox), then pairing, every rule, 雷同
  check          the same with the default folder workers (one per core), each a reading worker itself
  the work       the same check in one process without any worker process (NIANBAO_WORKER=0, NIANBAO_JOBS=1): the
                 CPU the reading, the rules and 雷同 take, without the cost of the processes
and prints reports per second and each ratio to the floor (the median of the rounds' ratios to their own round's
floor; goal: check ≤ 0.67× the floor), with CPU time (this process and its workers), which a shared machine
disturbs less than the wall clock, and each round's ratio of the default check.

Part 2 — 雷同 across organs alone, on M reports (section texts only): the index (MinHash bands, exact check of
the candidates) against comparing every pair (``app.rules.similar_across_organs``, the former way) on the same
reports, as far as the pairwise way finishes within its budget.

Run: python bench/bench_check_folder.py [N] [M]        (defaults 300, 3000)
     python bench/bench_check_folder.py --folder DIR    (part 1 on the .docx files of DIR, which it leaves as they are)
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

R = 5  # rounds, each measuring the floor and the three ways of checking in turn


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
    """Drop what a run remembers of the texts it read (each section's statements and clauses' plans, the 雷同
    comparisons between years, the normalised labels, headings and table texts, the MinHash hashes of trigrams): an
    in-process run (bench_rules.py) then reads the folder as a fresh ``nianbao check`` does: without it a second
    run found every narrative's statements made already (about 1.5 ms a report less than a real run)."""
    from app import narrative, review, rules, similarity, textutil
    from app.importers import recognise
    from app.narrative import Grammar
    for memo in (Grammar._claims, rules._stripped, rules._similarity, similarity.copied_between, recognise.norm,
                 textutil.nfkc, recognise._heading_of, recognise._table_spec, rules._heading_key):
        memo.cache_clear()  # (the tables' specs keep each distinct text's class and label path)
    for g in narrative._GRAMMARS.values():
        g._plans.clear()  # each clause's plan, by its words
    review.forget_hashes()


def measure_apart(kind: str, folder: Path) -> dict:
    """One measured run in a process of its own (this script with ``--one KIND FOLDER``), as a real ``nianbao
    check`` runs: nothing remembered from another run's texts (the readers', the rules' and 雷同's memos), no heap
    left by the others. ``{"wall": s, "cpu": s (that process and its workers), "similar": 雷同 findings}``."""
    import json
    import subprocess
    out = subprocess.run([sys.executable, __file__, "--one", kind, str(folder)], capture_output=True, text=True,
                         check=True, timeout=600)
    return json.loads(out.stdout.strip().splitlines()[-1])


def one_run(kind: str, folder: Path) -> None:
    """``--one``: the modules imported and the format loaded first, as a program started; then one timed run of
    ``kind`` (floor, one, both, work) on the files of ``folder``, printed as JSON."""
    import json
    paths = sorted(folder.glob("*.docx"))
    if kind == "floor":
        from docx import Document

        def run():
            for p in paths:
                Document(str(p))
            return 0
    else:
        os.environ["NIANBAO_JOBS"] = {"one": "1", "both": "", "work": "1"}[kind]
        if kind == "work":
            os.environ["NIANBAO_WORKER"] = "0"
        from app import review, rules, similarity  # noqa: F401 — what a check imports, before the clock
        from app.formats import load_format
        from app.importers import docx, own_docx, recognise  # noqa: F401
        load_format()

        def run():
            with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.redirect_stderr(io.StringIO()):
                rc = cli_main(["check", str(folder)])
            # the reading worker (one process reads through it) ends here, so its CPU time is counted
            sandbox.shutdown()
            assert rc in (0, 1), (rc, out.getvalue()[-2000:])
            return out.getvalue().count("TEXT.SIMILAR_ORGANS")
    c0, t = _cpu(), time.perf_counter()
    similar = run()
    wall = time.perf_counter() - t
    print(json.dumps({"wall": wall, "cpu": _cpu() - c0, "similar": similar}))


def folder_part(n: int, given: Path | None = None) -> None:
    """Part 1 on N generated reports, or on the DOCX files of ``given`` (a folder of one's own: left as it is)."""
    folder = given or Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    try:
        if given is None:
            t = time.perf_counter()
            paths = make_folder(folder, n)
            print(f"generated {n} DOCX reports ({_size_kb(paths):.0f} KB each) in {time.perf_counter() - t:.1f} s")
        else:
            paths = sorted(folder.glob("*.docx"))
            n = len(paths)
            if not n:
                raise SystemExit(f"{folder}: no .docx file")
            print(f"{n} DOCX reports of {folder} ({_size_kb(paths):.0f} KB each)")
        # the four measured in turn, round after round (a machine whose speed drifts during the run disturbs
        # each alike); each ratio is the median of the rounds' own ratios to the floor of the same round
        names = ("floor", "one", "both", "work")
        wall: dict[str, list[float]] = {k: [] for k in names}
        cpu: dict[str, list[float]] = {k: [] for k in names}
        similar = 0
        for _ in range(R):
            for k in names:
                got = measure_apart(k, folder)
                wall[k].append(got["wall"])
                cpu[k].append(got["cpu"])
                similar = got.get("similar", similar)
        med = {k: statistics.median(wall[k]) for k in names}
        medc = {k: statistics.median(cpu[k]) for k in names}
        ratio = {k: statistics.median(w / f for w, f in zip(wall[k], wall["floor"])) for k in names}
        ratioc = {k: statistics.median(w / f for w, f in zip(cpu[k], cpu["floor"])) for k in names}
        f, fc = med["floor"], medc["floor"]
        c1, c1c, c, cc, work, wc = med["one"], medc["one"], med["both"], medc["both"], med["work"], medc["work"]
        print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"floor: python-docx opens each file once   {n / f:7.1f} reports/s  ({f / n * 1000:6.1f} ms each; "
              f"CPU {fc / n * 1000:6.1f} ms)")
        print(f"nianbao check DIR, 1 process            {n / c1:7.1f} reports/s  ({c1 / n * 1000:6.1f} ms each, "
              f"{ratio['one']:.2f}× floor; CPU {c1c / n * 1000:6.1f} ms, {ratioc['one']:.2f}×)")
        print(f"nianbao check DIR, {os.cpu_count()} worker processes   {n / c:7.1f} reports/s  "
              f"({c / n * 1000:6.1f} ms each, {ratio['both']:.2f}× floor; goal ≤ 0.67×; CPU {cc / n * 1000:6.1f} ms, "
              f"{ratioc['both']:.2f}×)")
        print(f"the work alone (one process, no worker)  {n / work:7.1f} reports/s  ({work / n * 1000:6.1f} ms each, "
              f"{ratio['work']:.2f}× floor; CPU {wc / n * 1000:6.1f} ms, {ratioc['work']:.2f}×)")
        rounds = " ".join(f"{w / f:.2f}" for w, f in zip(wall["both"], wall["floor"]))
        print(f"  each round, default check / floor: {rounds}")
        print(f"  (雷同 findings across organs: {similar})")
    finally:
        if given is None:
            shutil.rmtree(folder, ignore_errors=True)


def _size_kb(paths) -> float:
    return sum(p.stat().st_size for p in paths) / len(paths) / 1024


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
    if sys.argv[1:2] == ["--one"]:
        one_run(sys.argv[2], Path(sys.argv[3]))
        return
    if sys.argv[1:2] == ["--folder"]:
        folder_part(0, Path(sys.argv[2]))
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    m = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    if n:
        folder_part(n)
    if m:
        similar_part(m)


if __name__ == "__main__":
    main()
