"""Copied paragraphs across organs (TEXT.COPIED_ORGANS) on 300 generated reports: each section its own text plus
standard sentences, one report in ten copying two paragraphs of another organ's 五; beside it, as the floor, the
trigram similarity of whole sections (TEXT.SIMILAR_ORGANS) on the same reports. Medians of 3 runs.

    python bench/bench_copied.py
"""
from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.formats import load_format
from app.importers.batch import organ_key
from app.model import Report
from app.rules import copied_across_organs, similar_across_organs

CHARS = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
STANDARD = ["本机关本年度未收取信息处理费。", "本报告中所列数据的统计期限自本年1月1日起至12月31日止。",
            "严格落实三审三校制度，做到发布前严格把关、发布时严密监督、发布后定期自查，确保信息发布准确、安全、高效。"]


def section(rnd: random.Random, paragraphs: int = 4) -> str:
    return "\n".join("".join(rnd.choice(CHARS) for _ in range(120)) + "。" + rnd.choice(STANDARD)
                     for _ in range(paragraphs))


def reports(n: int = 300) -> list[Report]:
    out = []
    for k in range(n):
        rnd = random.Random(k)
        r = Report()
        r.meta.organ, r.meta.year = f"样本{k}局", 2023
        for sid in ("s1", "s5", "s6"):
            r.sections[sid] = section(rnd)
        out.append(r)
    for k in range(0, n, 10):
        src = out[(k * 7 + 3) % n]
        out[k].sections["s5"] += "\n" + "\n".join(src.sections["s5"].split("\n")[:2])
    return out


def main() -> None:
    reps = reports()
    fmt = load_format()
    for name, fn in (("floor: trigram similarity of "
                      "whole sections", lambda: similar_across_organs(fmt, reps, organ_key)),
                     ("copied paragraphs and sentences", lambda: copied_across_organs(fmt, reps, organ_key, {}))):
        times = []
        for _ in range(3):
            t = time.perf_counter()
            out = fn()
            times.append(time.perf_counter() - t)
        print(f"{name}: {statistics.median(times):.2f} s, {len(out)} reports with findings")


if __name__ == "__main__":
    main()
