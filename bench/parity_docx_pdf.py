"""Measure: are the DOCX (rendered by LibreOffice) and our PDF the same document?

    python bench/parity_docx_pdf.py [--lengths 0,6,12,18]

LibreOffice renders the exported DOCX with the very fonts our PDF embeds: a private fontconfig file (in a
temporary folder) registers the bundled fonts under the 公文 names (仿宋_GB2312, 楷体_GB2312, 黑体,
方正小标宋简体, 宋体 → the bundled 宋/楷/黑 fonts). Both PDFs are read back with pdfplumber; body lines (lines of
the narrative, not tables or page numbers) are compared as a sequence. Prints, per document: page counts and the
share of our PDF's body lines that LibreOffice broke identically. Run on every fixture and on narrative lengths
(extra lines in 一、总体情况) that move table 3 down the page.
"""
from __future__ import annotations

import argparse
import difflib
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BODY_MIN_PT = 15  # body text is 3号 (16 pt), the title 2号; tables are 五号, page numbers 4号 (14 pt)
FIXTURES = ["wuzhong-minzheng-2023", "pingqiao-minzheng-2024", "weihui-minzheng-2022"]


def fontconfig(folder: Path) -> Path:
    from app.fonts import BUNDLED, STANDARD_NAMES, _BUNDLED_FOR_ROLE
    fonts = ROOT / "resources" / "fonts"
    aliases = []
    for role, std in STANDARD_NAMES.items():
        family = BUNDLED[_BUNDLED_FOR_ROLE[role]][0]
        aliases.append(f'<match target="pattern"><test name="family" qual="any"><string>{std}</string></test>'
                       f'<edit name="family" mode="assign" binding="strong"><string>{family}</string></edit></match>')
    conf = folder / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f'<include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>{fonts}</dir>'
                    f'<cachedir>{folder / "cache"}</cachedir>{"".join(aliases)}</fontconfig>', encoding="utf-8")
    return conf


def body_text(report) -> str:
    """Everything printed as running text (title, opening, narrative, contact, closing), without spaces."""
    from app.document import build
    doc = build(report)
    parts = [doc.title, doc.opening, doc.closing.organ, doc.closing.date, doc.contact]
    parts += [s.heading for s in doc.sections]
    for s in doc.sections:
        parts += [p.plain for p in s.paragraphs]
    return "\n".join("".join(p.split()) for p in parts)


def lines_of(pdf: bytes, body: str) -> tuple[int, list[str]]:
    """Page count and the body lines: lines of running text (3号 body and 2号 title, read with pdfplumber by
    position); table cells (五号) and page numbers (4号) are left out, even where a cell's text also occurs in
    the narrative."""
    import pdfplumber
    out = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            rows: list[list] = []  # characters on one baseline (fonts differ in ascent, not in baseline)
            for ch in sorted((c for c in page.chars if c["size"] >= BODY_MIN_PT), key=lambda c: -c["matrix"][5]):
                if rows and abs(rows[-1][0]["matrix"][5] - ch["matrix"][5]) < 2:
                    rows[-1].append(ch)
                else:
                    rows.append([ch])
            for row in rows:
                t = "".join(ch["text"] for ch in sorted(row, key=lambda c: c["x0"]))
                t = "".join(t.split())
                if len(t) >= 4 and t in body:
                    out.append(t)
        return len(doc.pages), out


def measure(cases, soffice: str, tmp: Path):
    """For each (fixture name, extra lines in 一、总体情况): (label, pages LO, pages PDF, same, body lines of our
    PDF, SequenceMatcher, lines of our PDF, lines of LibreOffice's)."""
    from app import project
    from app.export import render_bytes
    env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig(tmp)))
    out = []
    for name, extra in cases:
        src = Path(name) if name.endswith(".nianbao") else ROOT / "tests" / "fixtures" / f"{name}.nianbao"
        report = project.load(src)
        name = src.stem
        if extra:
            report.sections["s1"] += "\n" + "政" * (26 + 28 * (extra - 1))
        docx = tmp / f"{name}-{extra}.docx"
        docx.write_bytes(render_bytes(report, ".docx"))
        ours = render_bytes(report, ".pdf")
        subprocess.run([soffice, f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(tmp / "lo"), str(docx)],
                       check=True, capture_output=True, timeout=300, env=env)
        lo = (tmp / "lo" / docx.with_suffix(".pdf").name).read_bytes()
        body = body_text(report)
        (pa, la), (pb, lb) = lines_of(lo, body), lines_of(ours, body)
        sm = difflib.SequenceMatcher(None, lb, la, autojunk=False)
        same = sum(b.size for b in sm.get_matching_blocks())
        label = name + (f" +{extra} lines" if extra else "")
        out.append((label, pa, pb, same, len(lb), sm, lb, la))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lengths", default="0,5,10,15,20")
    ap.add_argument("--diff", action="store_true", help="print the lines broken differently")
    ap.add_argument("--only", help="only this fixture (with --lengths 0)")
    ap.add_argument("--extra", nargs="*", default=[], help="more reports (.nianbao) to measure, e.g. real ones")
    args = ap.parse_args()
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("LibreOffice (soffice) not installed: nothing measured")
        return 1
    cases = [(name, 0) for name in FIXTURES] + \
        [(FIXTURES[0], int(n)) for n in args.lengths.split(",") if int(n)]
    if args.only:
        cases = [c for c in cases if c[0] == args.only]
    cases += [(str(Path(x).resolve()), 0) for x in args.extra]
    total_same = total_lines = 0
    print(f"{'document':34} {'pages DOCX/LO':>14} {'pages PDF':>10} {'body lines same':>16}")
    with tempfile.TemporaryDirectory(prefix="nianbao-parity-") as tmp:
        for label, pa, pb, same, n, sm, lb, la in measure(cases, soffice, Path(tmp)):
            total_same += same
            total_lines += n
            print(f"{label:34} {pa:>14} {pb:>10} {same:>6}/{n:<4} {100 * same / max(1, n):5.1f}%")
            if args.diff:
                for tag, i1, i2, j1, j2 in sm.get_opcodes():
                    if tag != "equal":
                        print("  PDF:", *lb[i1:i2], sep="\n    ")
                        print("  LO: ", *la[j1:j2], sep="\n    ")
    print(f"{'all':34} {'':>14} {'':>10} {total_same:>6}/{total_lines:<4} "
          f"{100 * total_same / max(1, total_lines):5.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
