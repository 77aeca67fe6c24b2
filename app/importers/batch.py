"""Checking many reports at once (``nianbao check DIR… --xlsx summary.xlsx``).

* :func:`pair_years`, :func:`similar_organs`: kept here for callers of the older name; they live in
  :mod:`app.review` (the batch logic) and :mod:`app.organs` (organ names).
* the summary workbook is written by :mod:`app.export.summary`.
* :class:`Progress`: a progress line on stderr when there are many files.
"""
from __future__ import annotations

import sys

PROGRESS_MIN = 20  # files; fewer are checked without a progress line


def organ_key(organ: str) -> str:
    from ..organs import organ_key as key
    return key(organ)


def pair_years(reports: list) -> dict[int, object]:
    """index -> previous report (see :func:`app.review.pair_years`)."""
    from ..review import pair_years as pair
    return pair(reports)


def similar_organs(reports: list) -> dict[int, list]:
    """index -> TEXT.SIMILAR_ORGANS and TEXT.COPIED_ORGANS findings (see :func:`app.review.organ_findings`)."""
    from ..review import organ_findings
    return organ_findings(reports)[0]


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
