"""Where a table may break across pages, read from the format's layout — no row numbers here.

A table that fits on a page with its heading is kept whole (both exporters). One that does not starts on a new
page and is cut into pieces, one a page, by :func:`plan`; both the PDF (:mod:`app.export.pdf`) and the Word
template (``templates/build_template.py``) print exactly these pieces, so Word, WPS, LibreOffice and our PDF
break the table at the same rows.

Groups come from the layout's merges: the rows under one vertically merged label (三、本年度办理结果 spans the
sub-groups （一）…（七）, （三）不予公开 spans its eight rows) and, in a table of blocks (table 2), the rows of a
block (its title row, its column header and its rows). The *depth* of a break before a row is how many groups
it would cut: 0 between top-level groups, 1 between the sub-groups of one group, 2 inside a sub-group; a
block's title and column header rows stay with the row after them (never a break after them).

Rule (typesetting spec ``tables``): fill each page; break between top-level groups whenever the next group fits
on a page of its own and the page is at least half full, else between sub-groups, never inside a sub-group
unless it alone is taller than a page. Each piece repeats the table's header rows, a block's title and column header
and the label of every group cut by the break (:func:`piece`).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from ..formats import Placed, TableLayout

NEVER = float("inf")


def _heading_rows(layout: TableLayout) -> set[int]:
    """Body rows that head what follows: a block's title row and its column header row."""
    return {p.row for p in layout.cells if p.role in ("block", "header") and p.row >= layout.header_rows}


def _block_starts(layout: TableLayout) -> list[int]:
    return sorted({p.row for p in layout.cells if p.role == "block"})


def depth(layout: TableLayout, r: int) -> float:
    """How many groups a page break before body row ``r`` cuts (:data:`NEVER` after a heading row)."""
    if r <= layout.header_rows or r >= layout.rows:
        return 0
    if r - 1 in _heading_rows(layout):
        return NEVER
    d = sum(1 for p in layout.cells if p.role == "label" and p.row < r < p.row + p.rowspan)
    blocks = _block_starts(layout)
    if blocks and r not in blocks and r > blocks[0]:
        d += 1
    return d


def piece(layout: TableLayout, start: int, end: int) -> TableLayout:
    """The table as printed on one page: its header rows, then (when ``start`` cuts a block) the block's title
    and column header rows again, then body rows ``start``..``end - 1``; a merged label cut by the break is
    printed again on this page, spanning its rows here."""
    h = layout.header_rows
    keep = list(range(h))
    blocks = [b for b in _block_starts(layout) if b <= start]
    if blocks and start not in _block_starts(layout):
        heads = _heading_rows(layout)
        keep += [r for r in range(blocks[-1], start) if r in heads]
    keep += list(range(start, end))
    where = {r: i for i, r in enumerate(keep)}
    cells: list[Placed] = []
    for p in layout.cells:
        rows = [r for r in range(p.row, p.row + p.rowspan) if r in where]
        if not rows:
            continue
        cells.append(replace(p, row=where[rows[0]], rowspan=len(rows)))
    return TableLayout(layout.id, len(keep), layout.cols, h, cells)


def plan(layout: TableLayout, height: Callable[[int, int], float], first: float, page: float,
         min_fill: float = 0.5) -> list[tuple[int, int]]:
    """Body row ranges ``[(start, end), …]``, one a page, for a table that starts at the top of a page.

    ``height(start, end)`` is the printed height of :func:`piece` ``(layout, start, end)`` (header rows
    included); ``first`` the room on the first page (the text block less the table's heading), ``page`` on
    the following ones (both less the spec's reserve); a page is at least ``min_fill`` full before the table
    breaks there between top-level groups rather than between the sub-groups of the next one."""
    h, n = layout.header_rows, layout.rows
    depths = {r: depth(layout, r) for r in range(h + 1, n)}
    levels = sorted({d for d in depths.values() if d != NEVER})
    cache: dict[tuple[int, int], float] = {}

    def fits(s: int, e: int, room: float) -> bool:
        if (s, e) not in cache:
            cache[(s, e)] = height(s, e)
        return cache[(s, e)] <= room + 1e-6

    def group_end(b: int) -> int:
        return next((r for r in range(b + 1, n) if depths[r] == 0), n)

    out = []
    s, room = h, first
    while s < n:
        if fits(s, n, room):
            out.append((s, n))
            break
        cut = None
        for d in levels:
            # the furthest break of at most this depth that leaves rows s..b-1 on this page
            cands = [b for b in range(s + 1, n) if depths[b] <= d]
            b = next((b for b in reversed(cands) if fits(s, b, room)), None)
            if b is None:
                continue
            if d == 0 and (not fits(b, group_end(b), page) or cache[(s, b)] < min_fill * room):
                # the next group does not fit on a page of its own (it is cut anyway), or breaking before it
                # would leave this page mostly empty: fill the page with its sub-groups
                deeper = [x for x in range(b + 1, group_end(b)) if depths[x] <= 1 and fits(s, x, room)]
                b = max(deeper, default=b)
            cut = b
            break
        if cut is None:  # a single row taller than the page: it goes alone
            cut = s + 1
        out.append((s, cut))
        s, room = cut, page
    return out


__all__ = ["depth", "piece", "plan", "NEVER"]
