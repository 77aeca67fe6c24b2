"""Benchmark: the narrative grammar, PDF import and cross-organ similarity, each against a floor.

  narrative   floor: one regex scan of the three narrative sections for the grammar's words;
              grammar: every statement read (uncached), and again through the per-text cache (what a re-check costs)
  pdf         floor: pdfplumber opening each fixture PDF and extracting the text of every page;
              import: ``open_report`` on the PDF (tables, paragraphs, recognition, provenance)
  similar     floor: ``check()`` of N reports; similar: TEXT.SIMILAR_ORGANS over the same N reports
Medians of R runs. Run: python bench/bench_reading.py [N]
"""
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from app.documents import open_report
from app.importers.batch import similar_organs
from app.narrative import grammar
from app.rules import check
from fuzz.docs import SECTION_TEXT, random_report

R = 5
FIX = ROOT / "tests" / "fixtures"
NAMES = ["wuzhong-minzheng-2023", "pingqiao-minzheng-2024", "weihui-minzheng-2022"]


def med(fn, r=R):
    ts = []
    for _ in range(r):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def main(n=300):
    g = grammar()
    reports = [open_report(FIX / f"{x}.nianbao") for x in NAMES]
    reports.append(open_report(ROOT / "resources/samples/demo.nianbao"))
    texts = [(r.sections.get(s, ""), r.meta.year) for r in reports for s in ("s1", "s5", "s6")]
    floor = med(lambda: [list(g.trigger.finditer(t)) for t, _ in texts])
    read = med(lambda: [type(g)._claims.__wrapped__(g, t, y) for t, y in texts])  # the memo passed by
    cached = med(lambda: [g.claims(t, y) for t, y in texts])
    k = len(reports)
    print(f"narrative  floor {floor / k * 1e3:7.3f} ms/report   grammar {read / k * 1e3:7.3f} ms/report "
          f"(x{read / floor:.0f})   cached {cached / k * 1e3:7.3f} ms/report (x{cached / floor:.1f})")

    import pdfplumber

    pdfs = [FIX / "pdf" / f"{x}.pdf" for x in NAMES]

    def floor_pdf():
        for p in pdfs:
            with pdfplumber.open(p) as pdf:
                for page in pdf.pages:
                    page.extract_text()

    f_pdf = med(floor_pdf, 3)
    i_pdf = med(lambda: [open_report(p) for p in pdfs], 3)
    print(f"pdf        floor {f_pdf / len(pdfs):7.3f} s/file      import  {i_pdf / len(pdfs):7.3f} s/file "
          f"(x{i_pdf / f_pdf:.2f})")

    many = []
    for i in range(n):
        r = random_report(random.Random(i), organ=f"第{i}县民政局")
        for sid, t in SECTION_TEXT.items():
            r.sections[sid] = t.format(new=i, year=2023, year1=2024) * 2
        many.append(r)
    f_chk = med(lambda: [check(r) for r in many], 3)
    sim = med(lambda: similar_organs(many), 3)
    print(f"similar    floor check() of {n}: {f_chk:6.2f} s   TEXT.SIMILAR_ORGANS: {sim:6.3f} s "
          f"({sim / f_chk:.1%} of floor)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
