"""Score imports against a corpus of real reports whose cells were read by hand (tests/fixtures/real/).

A truth file (``truth/NAME.json``) lists every row of the three tables as its values in column order (``null``:
the cell is not in the report), the organ, the year, the narrative sections present, and the findings the report
deserves. :func:`score` imports ``docs/NAME.*`` and counts cells right, the share of the source's characters that
went to a place (fields, tables, furniture) rather than to the left-out list, and findings not deserved.
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path


def expected_cells(truth: dict) -> dict[str, object]:
    from ..formats import load_format
    fmt = load_format()
    out: dict[str, object] = {}
    for row, values in truth["rows"].items():
        cells = [c for c in fmt.cells if c.rsplit(".", 1)[0] == row]
        if not cells:
            raise KeyError(row)
        for cid, v in zip(cells, values):
            out[cid] = Decimal(v) if isinstance(v, str) else v
    return out


def score(doc: Path, truth: dict) -> dict:
    from ..documents import open_report
    from ..rules import check
    from .account import check as account_check
    from .account import chars
    report = open_report(doc)
    want = expected_cells(truth)
    wrong = [(cid, report.values.get(cid), v) for cid, v in want.items() if report.values.get(cid) != v]
    account = getattr(report, "import_account", None)
    left = sum(chars(t) for _, t in account.left_out) if account else 0
    findings = check(report)
    deserved = set(truth.get("deserved_findings", [])) | {"IMPORT.REVIEW"}
    false = [f for f in findings if f.rule not in deserved]
    return {
        "cells": len(want), "right": len(want) - len(wrong), "wrong": wrong,
        "organ": report.meta.organ == truth["organ"], "year": report.meta.year == truth["year"],
        "sections": all(report.sections.get(s) for s in truth.get("sections", [])),
        "source_chars": account.source if account else 0, "left_out_chars": left,
        "balanced": bool(account) and not account_check(report, account),
        "false_findings": [f"{f.rule}: {f.message}" for f in false], "report": report,
    }


def load_truths(folder: Path) -> list[tuple[str, dict]]:
    return [(p.stem, json.loads(p.read_text(encoding="utf-8"))) for p in sorted((folder / "truth").glob("*.json"))]


def find_doc(folder: Path, name: str) -> Path | None:
    return next((p for p in sorted((folder / "docs").glob(name + ".*")) if p.suffix != ".json"), None)
