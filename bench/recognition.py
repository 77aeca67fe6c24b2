"""Recognition per shape: every report of a corpus re-shaped into every shape published reports take,
imported back, and compared cell by cell and meta by meta with the report it was made from.

Corpus: the three hand-typed fixtures, the demo report and four random reports (counts up to a few thousand,
不适用, fees with decimals), plus the three published texts as they were copied off the web (against their
hand-typed fixtures). Shapes: office-typed DOCX (official grids; table 2 split per block), the same as saved by
WPS, text from Word-to-text converters (tab-indented cells and plain), tab/space/pipe rows, one cell per line,
Markdown, HTML (plain, nested in a layout table, irregular), PDF made by LibreOffice from our DOCX export and from
the office-typed DOCX. Prints a Markdown table (the README's "Recognition per shape").
Run: python bench/recognition.py   (needs LibreOffice for the PDF rows)
"""
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fuzz.docs import docx_from_report, random_report
from shapes import (
    HTML_SHAPES,
    SOFFICE,
    TEXT_SHAPES,
    converter_text,
    office_docx,
    our_docx,
    pdfs_from_docx,
    wps_docx,
)

from app.documents import OpenError, open_report
from app.formats import load_format

FIX = ROOT / "tests" / "fixtures"
NAMES = ["wuzhong-minzheng-2023", "pingqiao-minzheng-2024", "weihui-minzheng-2022"]
CELLS = list(load_format().cells)


def corpus():
    reports = [open_report(FIX / f"{n}.nianbao") for n in NAMES]
    reports.append(open_report(ROOT / "resources/samples/demo.nianbao"))
    for i, organ in enumerate(["某某县民政局", "某某市人力资源和社会保障局", "某某区人民政府", "某某市生态环境局"]):
        reports.append(random_report(random.Random(1000 + i), organ=organ, year=2021 + i))
    return reports


def score(rows, shape, want, make):
    r = rows.setdefault(shape, {"docs": 0, "cells": 0, "right": 0, "meta": 0, "review": 0, "refused": 0,
                                "contact": 0, "contacts": 0})
    r["docs"] += 1
    r["cells"] += len(CELLS)
    try:
        got = make()
    except OpenError:
        r["refused"] += 1
        return
    r["right"] += sum(1 for c in CELLS if got.values.get(c) == want.values.get(c))
    r["meta"] += (got.meta.organ, got.meta.year, got.meta.date) == (want.meta.organ, want.meta.year, want.meta.date)
    if want.meta.contact and shape.endswith("of our DOCX"):  # the only shape whose builder prints 联系方式
        r["contacts"] += 1
        r["contact"] += got.meta.contact == want.meta.contact
    elif got.meta.contact:
        r["contacts"] += 1  # a contact where the document has none: counted wrong
    r["review"] += sum(1 for c in got.review if c in CELLS)


def main():
    rows: dict = {}
    reports = corpus()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pdf_jobs = []
        for k, want in enumerate(reports):
            for variant in ("standard", "split"):
                d = office_docx(want, tmp / f"{k}-office-{variant}.docx", variant)
                score(rows, f"DOCX, office-typed ({variant})", want, lambda d=d: open_report(d))
                if variant == "standard":
                    for indent, name in (("\t", "converter text, tab-indented cells (Tika)"),
                                         ("", "converter text, plain cell per line")):
                        t = tmp / f"{k}-conv{len(indent)}.txt"
                        t.write_text(converter_text(d, indent), encoding="utf-8")
                        score(rows, name, want, lambda t=t: open_report(t))
            from fuzz.docs import text_from_report
            from wps_like import wps_like_pdf
            wp = wps_like_pdf(text_from_report(want).replace("**", ""), tmp / f"{k}-wps.pdf",
                              header=f"{want.meta.organ}政府信息公开工作年度报告")
            score(rows, "PDF as WPS exports it (emulated: white boxes, page numbers, running header)", want,
                  lambda wp=wp: open_report(wp))
            w = wps_docx(want, tmp / f"{k}-wps.docx")
            score(rows, "DOCX saved by WPS (emulated)", want, lambda w=w: open_report(w))
            for name, make in {**TEXT_SHAPES, **HTML_SHAPES}.items():
                suffix = ".html" if name.startswith("html") else ".md" if name == "markdown" else ".txt"
                f = tmp / f"{k}-{name}{suffix}"
                f.write_text(make(want), encoding="utf-8")
                score(rows, {"tab": "text, tab-separated rows", "spaces": "text, space-aligned rows (PDF copy)",
                             "pipe": "text, | rows", "lines": "text, one cell per line", "markdown": "Markdown tables",
                             "html": "HTML", "html-nested": "HTML nested in a layout table",
                             "html-irregular": "HTML irregular (no spans, div cells)"}[name],
                      want, lambda f=f: open_report(f))
            pdf_jobs.append((k, our_docx(want, tmp / f"{k}-ours.docx"), "PDF (LibreOffice) of our DOCX"))
            pdf_jobs.append((k, tmp / f"{k}-office-split.docx", "PDF (LibreOffice) of office-typed DOCX"))
            bare = tmp / f"{k}-borderless.docx"  # tables without ruling lines: not read by position yet
            docx_from_report(want, bare, variant="split")
            pdf_jobs.append((k, bare, "PDF (LibreOffice) of office-typed DOCX, tables without borders"))
        if SOFFICE:
            pdfs = pdfs_from_docx([d for _, d, _ in pdf_jobs], tmp / "pdf")
            for (k, _, name), pdf in zip(pdf_jobs, pdfs):
                score(rows, name, reports[k], lambda pdf=pdf: open_report(pdf))
        for n in NAMES:
            want = open_report(FIX / f"{n}.nianbao")
            want.meta.date = ""  # the pages carry no 成文日期 (the fixtures' dates were filled in by hand)
            score(rows, "published text as copied off the web (real)", want,
                  lambda n=n: open_report(FIX / "published" / f"{n}.txt"))
    print("| shape | documents | cells right | meta right (organ, year, 成文日期) | 联系方式 right | cells marked for "
          "review | refused |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for shape, r in rows.items():
        print(f"| {shape} | {r['docs']} | {r['right']}/{r['cells']} ({100 * r['right'] / r['cells']:.1f} %) | "
              f"{r['meta']}/{r['docs']} | {r['contact']}/{r['contacts']} | {r['review']} | {r['refused']} |")


if __name__ == "__main__":
    main()
