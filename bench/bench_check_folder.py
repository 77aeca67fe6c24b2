"""Benchmark: ``nianbao check`` over a folder of a few hundred Word reports (the 政务公开办 in January).

Generates N DOCX reports in a temporary folder (150 organs × 2 consecutive years, so the cross-year pairing
runs too; the tables use merged cells as offices print them), then measures, as medians of R runs:
  floor          opening each file with python-docx (``docx.Document(path)``) — the least a DOCX reader does
  import         ``open_report`` on each file (ZIP guards, hardened XML parse, recognition, provenance)
  check          the whole ``nianbao check FOLDER`` command in-process (import + pairing + every rule + output)
  check --xlsx   the same, also writing the summary workbook
and prints reports per second and the ratio to the floor.
Run: python bench/bench_check_folder.py [N]
"""
import contextlib
import io
import random
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from app.cli import main as cli_main
from app.documents import open_report
from fuzz.docs import docx_from_report, random_report

R = 3


def make_folder(folder: Path, n: int) -> list[Path]:
    """n reports: a few python-docx originals, cloned with other organ names (rewriting the body XML)."""
    bases = []
    for k, (variant, year) in enumerate([("standard", 2023), ("standard", 2024), ("split", 2023), ("split", 2024)]):
        r = random_report(random.Random(k), organ="样本县民政局", year=year)
        p = docx_from_report(r, folder / f"_base{k}.docx", variant=variant)
        with zipfile.ZipFile(p) as z:
            bases.append((year, {i.filename: z.read(i.filename) for i in z.infolist()}))
        p.unlink()
    paths = []
    for i in range(n):
        year, parts = bases[i % len(bases)]
        organ = f"第{i // 2:03d}县民政局"
        out = folder / f"{organ}-{year}.docx"
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts.items():
                if name == "word/document.xml":
                    data = data.replace("样本县民政局".encode(), organ.encode())
                z.writestr(name, data)
        paths.append(out)
    return paths


def median_s(fn) -> float:
    times = []
    for _ in range(R):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    folder = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    try:
        t = time.perf_counter()
        paths = make_folder(folder, n)
        print(f"generated {n} DOCX reports in {time.perf_counter() - t:.1f} s ({folder})")
        from docx import Document

        def floor():
            for p in paths:
                Document(str(p))

        def importing():
            for p in paths:
                open_report(p)

        def check(*extra):
            def run():
                with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                    rc = cli_main(["check", str(folder), *extra])
                assert rc in (0, 1), rc
            return run

        f = median_s(floor)
        i = median_s(importing)
        c = median_s(check())
        x = median_s(check("--xlsx", str(folder / "summary.xlsx")))
        print(f"floor: python-docx open   {n / f:7.1f} reports/s  ({f / n * 1000:6.1f} ms each)")
        print(f"import (open_report)      {n / i:7.1f} reports/s  ({i / n * 1000:6.1f} ms each, {i / f:.2f}× floor)")
        print(f"nianbao check FOLDER      {n / c:7.1f} reports/s  ({c / n * 1000:6.1f} ms each, {c / f:.2f}× floor)")
        print(f"nianbao check --xlsx      {n / x:7.1f} reports/s  ({x / n * 1000:6.1f} ms each, {x / f:.2f}× floor)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
