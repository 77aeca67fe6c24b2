"""PDF and Excel export speed (a benchmark, not a test): ``python bench/bench_pdf.py [--runs N]``.

Prints medians for a full report (the wuzhong 2023 fixture) and, measured in the same run:
* a floor: reportlab building a one-page PDF with one paragraph in the same (already registered) fonts, i.e. the
  fixed cost of reportlab and font subsetting;
* when LibreOffice is installed, what a user would otherwise do: ``soffice --headless --convert-to pdf`` on the
  Word export of the same report.
Bundled fonts are used (``NIANBAO_FONT_DIRS=""``) so the figures do not depend on the machine's fonts.
"""
from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NIANBAO_FONT_DIRS", "")


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--soffice-runs", type=int, default=3)
    args = ap.parse_args()

    from app import project
    from app.export import pdf as P
    from app.export import xlsx as X
    from app.importers import own_xlsx as ox

    report = project.load(ROOT / "tests" / "fixtures" / "wuzhong-minzheng-2023.nianbao")
    fonts = P._Fonts()

    def floor():
        from reportlab.platypus import SimpleDocTemplate
        buf = io.BytesIO()
        doc = SimpleDocTemplate(buf, invariant=1)
        para = P._paragraph_class()(fonts.markup(report.title(), fonts.names["body"]), P._styles(fonts)["body"])
        doc.build([para])

    t_first = time.perf_counter()
    P.render_pdf(report)
    first = (time.perf_counter() - t_first) * 1000
    rows = [("floor: one-page PDF, one paragraph (reportlab + font subsetting)", median_ms(floor, args.runs))]
    rows.append(("render_pdf: full report (7 pages)", median_ms(lambda: P.render_pdf(report), args.runs)))
    rows.append(("render_xlsx: the three tables", median_ms(lambda: X.render_xlsx(report), args.runs)))
    with tempfile.TemporaryDirectory() as tmp:
        xpath = Path(tmp) / "r.xlsx"
        X.write_xlsx(report, xpath)
        rows.append(("read_xlsx: import that workbook", median_ms(lambda: ox.read_xlsx(xpath), args.runs)))
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice:
            try:
                from app.export.docx import render_docx
                docx = Path(tmp) / "r.docx"
                docx.write_bytes(render_docx(report))
                rows.append(("render_docx (for comparison)", median_ms(lambda: render_docx(report), args.runs)))

                def convert():
                    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(docx)],
                                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)

                rows.append(("soffice --convert-to pdf on the DOCX", median_ms(convert, args.soffice_runs)))
            except Exception as e:  # noqa: BLE001 - a benchmark reports what it could not measure
                print(f"(soffice comparison skipped: {e})")
    base = rows[0][1]
    print(f"first render_pdf in a fresh process (font loading included): {first:.0f} ms")
    print(f"{'what':<66} {'median':>10} {'vs floor':>9}")
    for what, ms in rows:
        print(f"{what:<66} {ms:>8.1f} ms {ms / base:>8.1f}×")


if __name__ == "__main__":
    main()
