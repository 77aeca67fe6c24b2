"""Checking many reports at once (``nianbao check DIR… --xlsx summary.xlsx``).

* :func:`pair_years`: among the inputs, a report whose organ also has a report for the year before gets that
  one as ``previous``, so the cross-year rules (YEAR.CARRY, YEAR.IN_FORCE, TEXT.SIMILAR) apply between them.
* :func:`similar_organs`: sections of different organs' reports that are nearly identical (TEXT.SIMILAR_ORGANS).
* the summary workbook is written by :mod:`app.export.summary`.
* :class:`Progress`: a progress line on stderr when there are many files.
"""
from __future__ import annotations

import re
import sys
import unicodedata

PROGRESS_MIN = 20  # files; fewer are checked without a progress line


def organ_key(organ: str) -> str:
    t = unicodedata.normalize("NFKC", organ or "")
    return re.sub(r"[\s（）()]", "", t)


def pair_years(reports: list) -> dict[int, object]:
    """index -> previous report, for reports whose organ has exactly one report for the year before."""
    by_key: dict[tuple[str, int], list[int]] = {}
    for i, r in enumerate(reports):
        if r is None or not r.meta.organ or not isinstance(r.meta.year, int):
            continue
        by_key.setdefault((organ_key(r.meta.organ), r.meta.year), []).append(i)
    out = {}
    for (organ, year), idxs in by_key.items():
        prev = by_key.get((organ, year - 1))
        if prev and len(prev) == 1:
            for i in idxs:
                out[i] = reports[prev[0]]
    return out


def similar_organs(reports: list) -> dict[int, list]:
    """index -> TEXT.SIMILAR_ORGANS findings: sections nearly identical to another organ's report (内容雷同)."""
    from ..formats import DEFAULT_FORMAT, load_format
    from ..rules import similar_across_organs

    fmt = load_format(DEFAULT_FORMAT)
    out = similar_across_organs(fmt, reports, organ_key)
    return _with_copied_paragraphs(fmt, reports, out)


def _with_copied_paragraphs(fmt, reports: list, out: dict) -> dict:
    """TEXT.COPIED_ORGANS beside TEXT.SIMILAR_ORGANS: paragraphs copied from another organ's report."""
    from ..rules import copied_across_organs
    for i, fs in copied_across_organs(fmt, reports, organ_key, out).items():
        out.setdefault(i, []).extend(fs)
    return out


class Progress:
    def __init__(self, total: int, stream=None):
        self.total = total
        self.stream = stream or sys.stderr
        self.on = total >= PROGRESS_MIN
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.step = 1 if self.tty else max(1, total // 10)

    def update(self, i: int, name: str = "") -> None:
        if not self.on or (i % self.step and i != self.total):
            return
        msg = f"检查 {i}/{self.total}（{100 * i // self.total}%）{name[-40:]}"
        if self.tty:
            self.stream.write("\r\033[K" + msg)
        else:
            self.stream.write(msg + "\n")
        self.stream.flush()

    def done(self) -> None:
        if self.on and self.tty:
            self.stream.write("\n")
            self.stream.flush()
