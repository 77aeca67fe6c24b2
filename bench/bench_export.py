"""Benchmark: Word (and PDF) export of a full report vs. LibreOffice converting the same DOCX to PDF.

    python bench/bench_export.py [--report PATH] [-n 15] [--soffice-runs 3]

Prints medians.  The floor it is compared against is measured in the same run on the same machine:
``soffice --headless --convert-to pdf`` of the exported DOCX (what a clerk would otherwise do to get a PDF),
with a private LibreOffice profile and one untimed warm-up run.  Also: the DOCX export in a fresh process
(``nianbao export``: Python start-up + imports + export), which is what the command line costs; those children
use compiled bytecode and a font cache as an installed program does, and alternate with LibreOffice's runs.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def median_time(fn, n: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def full_report(path: Path | None):
    """The given report, else the wuzhong fixture with every table cell filled (consistent totals)."""
    from app import project
    from app.rules import recompute
    if path:
        return project.load(path)
    report = project.load(ROOT / "tests" / "fixtures" / "wuzhong-minzheng-2023.nianbao")
    fmt = report.format
    computed = set()
    from app.rules import formulas
    computed = set(formulas(fmt))
    for i, cid in enumerate(sorted(fmt.cells)):
        if cid not in computed:
            report.values[cid] = (i % 7) if fmt.cells[cid].kind == "count" else report.values.get(cid)
    for cid, v in recompute(report).items():
        report.values[cid] = v
    return report


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--report", type=Path)
    ap.add_argument("-n", type=int, default=15)
    ap.add_argument("--soffice-runs", type=int, default=3)
    args = ap.parse_args()

    from app.export import export_report
    from app.export.docx import render_docx

    report = full_report(args.report)
    render_docx(report)  # warm imports and caches
    rows = []
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as tmp:
        tmp = Path(tmp)
        out = tmp / "report.docx"
        med, _ = median_time(lambda: export_report(report, out, force=True), args.n)
        rows.append(("DOCX export (docxtpl, in process)", med, args.n))
        size = out.stat().st_size

        try:
            from app.export import pdf  # noqa: F401
            pdf_out = tmp / "report.pdf"
            export_report(report, pdf_out, force=True)  # warm fonts
            med_pdf, _ = median_time(lambda: export_report(report, pdf_out, force=True), args.n)
            rows.append(("PDF export (reportlab, in process)", med_pdf, args.n))
        except ImportError:
            pass

        # fresh processes as an installed program runs them: compiled bytecode (pip compiles it at install; here
        # PYTHONPYCACHEPREFIX outside the checkout), the user's font cache in a folder of this run (its first
        # export, which fills it, is timed on its own), settings in a folder of this run
        env = dict(os.environ, NIANBAO_CACHE_DIR=str(tmp / "cache"), NIANBAO_DATA_DIR=str(tmp / "userdata"),
                   PYTHONPYCACHEPREFIX=str(Path(tempfile.gettempdir()) / "nianbao-bench-pycache"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        cli = [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())",
               "export", str(ROOT / "tests" / "fixtures" / "wuzhong-minzheng-2023.nianbao"), "-o",
               str(tmp / "cli.docx"), "--overwrite"]
        cli_pdf = cli[:-2] + [str(tmp / "cli.pdf"), "--overwrite"]
        # the same isolated as a clean venv would start it: no site start-up (-S; the project and the packages'
        # folders put on sys.path by hand, so none of their .pth files run) and no PYTHON* variables of this
        # shell (-I; the bytecode folder given as an option instead): without the .pth hooks this machine's
        # sandbox installs (they import certifi, importlib.resources, tempfile, zipfile …: ~20 ms of CPU in
        # every process here). A clean venv's own site start-up (~1–3 ms, no hooks) is not counted.
        import site
        paths = [str(ROOT)] + site.getsitepackages() + [site.getusersitepackages()]
        cli_pdf_nosite = [sys.executable, "-I", "-S", "-X", f"pycache_prefix={env['PYTHONPYCACHEPREFIX']}", "-c",
                          f"import sys; sys.path[:0] = {paths!r}; "
                          "from app.cli import main; sys.exit(main())"] + cli_pdf[3:]

        def run(cmd):
            return lambda: subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, env=env, timeout=300)

        # bytecode of every module an export loads, as pip writes it at install (not part of any timed run)
        subprocess.run([sys.executable, "-c", "import app.cli, app.export.cli, app.documents, app.export.pdf, "
                        "app.export.docx, app.fontcache, app.fonts, app.rules"], cwd=ROOT, check=True,
                       capture_output=True, env=env)
        first_pdf, _ = median_time(run(cli_pdf), 1)  # an empty font cache: the first PDF export after install
        run(cli)()  # untimed warm-up
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        lo_cmd = None
        if soffice:
            profile = (tmp / "lo-profile").as_uri()
            lo_cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                      "--outdir", str(tmp / "lo"), str(out)]
            subprocess.run(lo_cmd, check=True, capture_output=True, timeout=300)  # warm-up: creates the profile
        # alternating, so that a busy moment of the shared machine hits all three alike; the ratio is the median
        # of the ratios of each round
        runs = max(3, args.soffice_runs)
        t_docx, t_pdf, t_lo, t_nosite = [], [], [], []
        c_pdf, c_lo, c_nosite = [], [], []  # CPU time (user + system) of the process and all it waited for

        def cpu_of(fn):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            fn()
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

        for _ in range(runs):
            t_docx.append(median_time(run(cli), 1)[0])
            c_pdf.append(cpu_of(lambda: t_pdf.append(median_time(run(cli_pdf), 1)[0])))
            c_nosite.append(cpu_of(lambda: t_nosite.append(median_time(run(cli_pdf_nosite), 1)[0])))
            if lo_cmd:
                c_lo.append(cpu_of(lambda: t_lo.append(median_time(
                    lambda: subprocess.run(lo_cmd, check=True, capture_output=True, timeout=300), 1)[0])))
        rows.append(("nianbao export -o .docx (fresh process)", statistics.median(t_docx), runs))
        rows.append(("nianbao export -o .pdf (fresh process)", statistics.median(t_pdf), runs))
        rows.append(("  the same, first run (empty font cache)", first_pdf, 1))
        rows.append(("  the same, python -I -S (clean-venv start-up)", statistics.median(t_nosite), runs))
        if t_lo:
            med_lo = statistics.median(t_lo)
            rows.append(("floor: soffice --headless --convert-to pdf", med_lo, runs))
            pair = statistics.median(p / lo for p, lo in zip(t_pdf, t_lo))
            cpu_pair = statistics.median(p / lo for p, lo in zip(c_pdf, c_lo))
            nosite_pair = statistics.median(p / lo for p, lo in zip(t_nosite, t_lo))
            nosite_cpu = statistics.median(p / lo for p, lo in zip(c_nosite, c_lo))
        else:
            med_lo = pair = cpu_pair = nosite_pair = nosite_cpu = None

    print(f"report: {report.title()}  ({sum(v is not None for v in report.values.values())} cells filled, "
          f"DOCX {size / 1024:.0f} KiB)  machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(f"{'what':48} {'median':>10} {'runs':>5} {'vs soffice':>11}")
    for name, med, n in rows:
        ratio = f"{med / med_lo:.2f}×" if med_lo else "—"
        print(f"{name:48} {med * 1000:8.0f} ms {n:5d} {ratio:>11}")
    if pair is not None:
        print(f"fresh-process PDF export / soffice, median of the per-round ratios: wall {pair:.2f}×, "
              f"CPU {cpu_pair:.2f}× ({statistics.median(c_pdf) * 1000:.0f} ms vs "
              f"{statistics.median(c_lo) * 1000:.0f} ms)")
        print(f"  isolated, without this machine's site hooks (python -I -S): wall {nosite_pair:.2f}×, "
              f"CPU {nosite_cpu:.2f}× "
              f"({statistics.median(c_nosite) * 1000:.0f} ms)")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
