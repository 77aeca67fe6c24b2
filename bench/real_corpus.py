"""The corpus of real published reports (tests/fixtures/real/): cells right, characters accounted for, false
findings, per report and per shape, the held-out part apart. Prints Markdown (the README's corpus table).

Run: python bench/real_corpus.py   (documents not in tests/fixtures/real/docs/ are listed as absent)
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from app.importers.corpus import find_doc, load_truths, score

REAL = ROOT / "tests" / "fixtures" / "real"
PUBLISHED = {  # the published texts of tests/fixtures/published, with their hand-typed fixtures as the truth
    "wuzhong-minzheng-2023": ("吴忠市民政局", 2023), "pingqiao-minzheng-2024": ("平桥区民政局", 2024),
    "weihui-minzheng-2022": ("卫辉市民政局", 2022)}


def published_rows():
    from app.documents import open_report
    from app.importers.account import chars
    from app.rules import check
    for name, (organ, year) in PUBLISHED.items():
        typed = open_report(ROOT / "tests" / "fixtures" / f"{name}.nianbao")
        report = open_report(ROOT / "tests" / "fixtures" / "published" / f"{name}.txt")
        cells = list(typed.format.cells)
        right = sum(1 for c in cells if report.values.get(c) == typed.values.get(c))
        account = report.import_account
        false = [f for f in check(report) if f.rule not in ("IMPORT.REVIEW", "META.REQUIRED")]
        yield name, "text (copied off the page)", False, {
            "cells": len(cells), "right": right, "organ": report.meta.organ == organ, "year": report.meta.year == year,
            "source_chars": account.source, "left_out_chars": sum(chars(t) for _, t in account.left_out),
            "false_findings": [f"{f.rule}: {f.message}" for f in false]}


def main():
    rows = list(published_rows())
    absent = []
    for name, truth in load_truths(REAL):
        doc = find_doc(REAL, name)
        if doc is None:
            absent.append(name)
            continue
        rows.append((name, truth["shape"], truth.get("held_out", False), score(doc, truth)))
    print("| report | shape | set | cells right | organ, year | characters placed | false findings |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, shape, held, s in rows:
        placed = s["source_chars"] - s["left_out_chars"]
        print(f"| {name} | {shape} | {'held out' if held else 'dev'} | {s['right']}/{s['cells']} | "
              f"{'✓' if s['organ'] and s['year'] else '✗'} | {placed}/{s['source_chars']} | "
              f"{len(s['false_findings'])} |")
    for part, want in (("dev", False), ("held out", True)):
        sel = [s for _, _, h, s in rows if h == want]
        if sel:
            print(f"\n{part}: {len(sel)} reports, cells {sum(s['right'] for s in sel)}/{sum(s['cells'] for s in sel)}, "
                  f"characters placed {sum(s['source_chars'] - s['left_out_chars'] for s in sel)}/"
                  f"{sum(s['source_chars'] for s in sel)}, false findings {sum(len(s['false_findings']) for s in sel)}")
    for name, _, _, s in rows:
        for w in s.get("wrong", []):
            print(f"  {name}: {w}")
        for f in s["false_findings"]:
            print(f"  {name}: {f[:150]}")
    if absent:
        print("\nabsent (not in tests/fixtures/real/docs/):", ", ".join(absent))
    refused_rows()
    field_rows()


def field_rows():
    """Opening, 一, 五, 六 beginning and ending where the document's do (truth "fields"): text in the wrong field."""
    from test_import_real import field_misses
    print("\n| report | set | fields as written | in the wrong place |\n| --- | --- | --- | --- |")
    for name, truth in load_truths(REAL):
        doc = find_doc(REAL, name)
        if doc is None or "fields" not in truth:
            continue
        miss = field_misses(score(doc, truth)["report"], truth)
        n = len(truth["fields"])
        part = "held out" if truth.get("held_out") else "dev"
        print(f"| {name} | {part} | {n - len(miss)}/{n} | {', '.join(miss) or '—'} |")


def refused_rows():
    """Documents whose cells cannot be told apart (refused/*.json): the import must refuse, saying why."""
    import json
    from app.documents import OpenError, open_report
    print("\n| refused document | set | outcome |\n| --- | --- | --- |")
    for p in sorted((REAL / "refused").glob("*.json")):
        exp = json.loads(p.read_text(encoding="utf-8"))
        try:
            open_report(REAL / exp["document"])
            outcome = "**imported** (should have been refused)"
        except OpenError as e:
            ok = all(part in str(e) for part in exp["message_contains"])
            outcome = "refused, saying what is wrong" if ok else f"refused, message lacks {exp['message_contains']}"
        print(f"| {p.stem} | {'held out' if exp.get('held_out') else 'dev'} | {outcome} |")


if __name__ == "__main__":
    main()
