"""Facts of the files the program writes and reads back: what the Word export embeds and prints where, and where
the Excel export puts each cell. The writers (``app/export``) and the readers (``app/importers``) both take them
from here, so neither imports the other.

Word (DOCX): the page is what is read (:func:`read_page`: title, opening, narrative with bold runs, contact,
closing, every table cell by the layout's positions, with lxml — the export runs the same code on the rendered
page). Our custom XML part (:data:`DOCX_NAMESPACE`, :func:`is_ours`) holds no content, only
:func:`payload_for`'s digests (:func:`field_digest`, per field, paragraph and clause) and the kind of each cell
(:func:`cell_kind`: blank, 0, / or a digest), so edits made in Word after the export can be found and shown.

Excel (XLSX): one sheet per table, named by the table's short name in the format (表二 …), its top left cell at
(:data:`ORIGIN_ROW`, :data:`ORIGIN_COL`), and a map sheet (:data:`XLSX_META_SHEET`, marked :data:`XLSX_MARKER`)
listing where every cell went; :func:`cell_addresses` and :func:`sum_formula` compute addresses and formulas.
"""
from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from itertools import repeat

from .document import CONTACT_PREFIX, is_draft_mark
from .textutil import DATE_CN

# ---------------------------------------------------------------------------------------------------------
# Word

DOCX_NAMESPACE = "urn:nianbao:export:1"

# paragraph styles of the template
STYLE_TITLE = "报告标题"
STYLE_CLOSING = "落款"


def is_ours(blob: bytes) -> bool:
    """A custom XML part written by the program (its namespace in the first bytes)."""
    return DOCX_NAMESPACE.encode() in blob[:400]


def norm(text: str) -> str:
    """Text without any blank (what is compared between the page and the embedded copy)."""
    return "".join((text or "").split())


PAYLOAD_VERSION = 2  # what our custom XML part holds: digests and kinds only (version 1 held a copy of the report)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CLAUSE = re.compile(r"[^，。；：！？,;:!?]*[，。；：！？,;:!?]?")
KIND_WORDS = {"blank": "空白", "0": "0", "/": "/"}


def q(tag: str) -> str:
    """``w:tag`` in Clark notation."""
    return f"{{{W}}}{tag}"


def plain(text: str) -> str:
    """A narrative line as printed, without blanks: the ``**bold**`` marks are bold runs, not characters."""
    return norm(re.sub(r"\*\*(.+?)\*\*", r"\1", text or ""))


def field_digest(key: str, text: str) -> str:
    """A short digest of a printed field (64 bits): the same text under the same key, the same digest."""
    return _digest(key, norm(text))


def _digest(key: str, normed: str) -> str:
    return hashlib.sha256(f"{key}\x1f{normed}".encode("utf-8")).hexdigest()[:16]


def clauses(text: str) -> list[str]:
    """A paragraph's clauses (up to and including each ，。；：！？): the unit a changed passage is shown in."""
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text or "")
    return [c.strip() for c in _CLAUSE.findall(text) if c.strip()]


def cell_kind(key: str, text: str) -> str:
    """What the export records of a cell: its kind — ``blank``, ``0``, ``/`` (不适用) — or, for any other
    value, ``#`` and a digest (the value itself is not kept)."""
    t = norm(text)
    if t == "":
        return "blank"
    if t in ("0", "/"):
        return t
    return "#" + _digest(key, t)


_PLAIN_KINDS = {"": "blank", "0": "0", "/": "/"}


def changed_cells(kinds: dict, cells: dict[str, str]) -> list[tuple[str, str]]:
    """``(cell id, kind)`` of each cell of ``kinds`` (cell id -> the kind :func:`cell_kind` gave at export) that
    ``cells`` (cell id -> text now) holds with another kind; a cell ``cells`` lacks, or a kind that is not a text,
    is left out. (The digest is taken only of a value that is not blank, 0 or /, and only when the export's kind
    is a digest: any other pair of kinds differs or not without it.)"""
    out = []
    get, plain_kind = cells.get, _PLAIN_KINDS.get
    for cid, kind in kinds.items():
        now = get(cid)
        if now is None or not isinstance(kind, str):
            continue
        t = "".join(now.split())
        k = plain_kind(t)
        if k is not None:
            if kind != k:
                out.append((cid, kind))
        elif kind[:1] != "#" or kind[1:] != _digest(cid, t):
            out.append((cid, kind))
    return out


# the page, as the export prints it and the import reads it back (lxml elements; python-docx's are lxml too)

_P, _T, _TC, _TR, _TCPR, _VAL = q("p"), q("t"), q("tc"), q("tr"), q("tcPr"), q("val")
_GRIDSPAN, _VMERGE, _PPR, _PSTYLE = q("gridSpan"), q("vMerge"), q("pPr"), q("pStyle")


def _tc_text(tc) -> str:
    """A cell's text: its paragraphs (nested ones too, each with the text of every ``w:t`` inside it) one a line."""
    paras = [[t.text or "" for t in p.iter(_T)] for p in tc.iter(_P)]
    return "\n".join(["".join(x) for x in paras]).strip()


def _span(gs) -> int:
    try:
        return min(64, max(1, int(gs.get(_VAL) or 1)))
    except ValueError:
        return 1


def _table_cells(tbl) -> tuple[list[list], dict, dict, dict]:
    """The cells of a ``w:tbl``'s rows (its ``w:tr`` children, their ``w:tc`` children): ``(rows, spans, merges,
    texts)``, the rows as lists of their cells, and for the cells the grid columns spanned (a cell not there: 1),
    the vertical merge (``"restart"`` or ``"continue"``; not there: none) and the text (not there: empty); the span
    and merge from the cell's first ``tcPr``'s first ``gridSpan`` and ``vMerge``, the text as :func:`_tc_text`
    reads it.

    Read in one pass per kind of element over the whole table (a few C-level iterations, not one per cell). A
    text whose grandparent is a paragraph that is a child of a row cell (and whose parent is not a paragraph) is
    in that paragraph only; when all of a cell's texts are in one such paragraph, the cell reads as that
    paragraph's text stripped (its other paragraphs are empty lines, which the strip removes). A cell with texts
    in more than one paragraph, or deeper in one (a content control, a text box, a nested table), is read by
    :func:`_tc_text` itself; a text in no paragraph is not read."""
    rows = [list(tr.iterchildren(_TC)) for tr in tbl.iterchildren(_TR)]
    texted: dict = dict.fromkeys([tc for row in rows for tc in row])  # cell -> (its paragraph with texts, texts)
    spans: dict = {}
    vmerges: dict = {}
    whole: set = set()  # cells read by _tc_text
    for el in tbl.iter(_GRIDSPAN, _VMERGE):
        pr = el.getparent()
        tc = pr.getparent()
        if tc not in texted or pr.tag != _TCPR:
            continue
        if pr.getprevious() is not None and next(tc.iterchildren(_TCPR)) is not pr:
            continue  # not the cell's first tcPr
        if el.tag == _GRIDSPAN:
            if tc not in spans:
                spans[tc] = _span(el)
        elif tc not in vmerges:
            vmerges[tc] = el.get(_VAL) or "continue"
    for t in tbl.iter(_T):
        r = t.getparent()
        p = r.getparent()
        tc = p.getparent() if p is not None else None
        if tc in texted and p.tag == _P and r.tag != _P:
            seen = texted[tc]
            if seen is None:
                texted[tc] = (p, [t.text or ""])
            elif seen[0] is p:
                seen[1].append(t.text or "")
            else:
                whole.add(tc)
            continue
        node, in_p = r, False  # in no paragraph of a row cell (not read), or deeper in one (read whole)
        while node is not None and node is not tbl and node not in texted:
            in_p = in_p or node.tag == _P
            node = node.getparent()
        if in_p and node in texted:
            whole.add(node)
    texts = {tc: "".join(seen[1]).strip() for tc, seen in texted.items() if seen is not None}
    for tc in whole:
        texts[tc] = _tc_text(tc)
    return rows, spans, vmerges, texts


def logical_grid(table, tolerance: int = 40):
    """``(rows, cols, {(row, col): text})`` of a table (a python-docx Table or a ``w:tbl`` element) as a person
    sees it.

    Cells are placed by their x position (grid column widths), and boundaries closer than ``tolerance``
    twips are one boundary: programs that re-save the document (LibreOffice does) sometimes add a 1-twip
    sliver column, which would otherwise shift every cell after it.  Vertically merged cells repeat the
    text of their first cell.
    """
    tbl = getattr(table, "_tbl", table)
    widths = []
    grid_el = tbl.find(q("tblGrid"))
    for gc in grid_el.findall(q("gridCol")) if grid_el is not None else []:
        try:
            widths.append(max(0, int(float(gc.get(q("w")) or 0))))
        except ValueError:
            widths.append(0)
    xs = [0]
    for w in widths:
        xs.append(xs[-1] + w)

    table_rows, spans, vmerges, cell_texts = _table_cells(tbl)
    if len(xs) > 1:
        placed = _within_grid(table_rows, spans, vmerges, cell_texts, xs, tolerance)
        if placed is not None:
            return placed
    return _placed(table_rows, spans, vmerges, cell_texts, xs, tolerance)


def _columns(edges, tolerance: int):
    """The boundaries kept of ``edges`` (closer than ``tolerance``: one) and the column of an x position."""
    import bisect
    kept: list[int] = []
    for x in sorted(edges):
        if not kept or x - kept[-1] > tolerance:
            kept.append(x)

    def col(x):
        i = bisect.bisect_left(kept, x)
        if i == len(kept) or (i > 0 and x - kept[i - 1] < kept[i] - x):
            i -= 1
        return i
    return kept, col


def _within_grid(table_rows, spans: dict, vmerges: dict, cell_texts: dict, xs: list[int], tolerance: int):
    """:func:`_placed` in one pass for a table whose every cell ends within its grid's columns (most tables): the
    edges are then the grid's columns alone. ``None`` for a table with a cell beyond them."""
    n_xs = len(xs)
    kept, col = _columns(set(xs), tolerance)
    col_at = [col(x) for x in xs]
    span_of, vmerge_of, text_of = spans.get, vmerges.get, cell_texts.get
    texts: dict[tuple[int, int], str] = {}
    above = texts.get
    for r, row in enumerate(table_rows):
        g = 0
        for tc in row:
            c0 = col_at[g]
            g += span_of(tc, 1)
            if g >= n_xs:
                return None
            c1 = col_at[g]
            text = above((r - 1, c0), "") if vmerge_of(tc) == "continue" else text_of(tc, "")
            if c1 <= c0 + 1:
                texts[(r, c0)] = text
            else:
                for c in range(c0, c1):
                    texts[(r, c)] = text
    return len(table_rows), max(0, len(kept) - 1), texts


def _placed(table_rows, spans: dict, vmerges: dict, cell_texts: dict, xs: list[int], tolerance: int):
    """:func:`logical_grid` of the cells :func:`_table_cells` read, with the x positions ``xs`` of the grid's
    column boundaries."""
    n_xs, last_x = len(xs), xs[-1]

    def x_at(g):
        return xs[g] if g < n_xs else last_x + (g - n_xs + 1) * 1000

    rows, edges = [], set(xs if n_xs > 1 else ())  # the grid's columns, also where no cell starts
    span_of, vmerge_of, text_of = spans.get, vmerges.get, cell_texts.get
    for row in table_rows:
        g, cells = 0, []
        for tc in row:
            x0 = xs[g] if g < n_xs else x_at(g)
            g += span_of(tc, 1)
            x1 = xs[g] if g < n_xs else x_at(g)
            cells.append((x0, x1, text_of(tc, ""), vmerge_of(tc)))
            if g >= n_xs:  # (a cell ending within the grid starts and ends on its columns, already there)
                edges.add(x0)
                edges.add(x1)
        rows.append(cells)
    kept, col = _columns(edges, tolerance)
    cols = {x: col(x) for x in edges}
    texts: dict[tuple[int, int], str] = {}
    for r, cells in enumerate(rows):
        for x0, x1, text, vmerge in cells:
            c0, c1 = cols[x0], cols[x1]
            if vmerge == "continue":
                text = texts.get((r - 1, c0), "")
            if c1 <= c0 + 1:
                texts[(r, c0)] = text
            else:
                for c in range(c0, c1):
                    texts[(r, c)] = text
    return len(rows), max(0, len(kept) - 1), texts


MAX_PIECES = 6  # a table printed over at most this many pages is still read back
MAX_JOINED = 64  # runs of pieces tried (a hostile document of many tables costs no more)


def _joined(grids) -> tuple[int, int, dict]:
    """One logical grid from the grids of consecutive pieces of a table; a piece's leading rows that repeat
    rows printed before (the header, a block's title) are left out."""
    nrows, ncols, texts = grids[0]
    texts = dict(texts)
    seen = {tuple(texts.get((r, c), "") for c in range(ncols)) for r in range(nrows)}
    for n, _cols, more in grids[1:]:
        r = 0
        while r < n and tuple(more.get((r, c), "") for c in range(ncols)) in seen:
            r += 1
        for rr in range(r, n):
            row = tuple(more.get((rr, c), "") for c in range(ncols))
            for c in range(ncols):
                texts[(nrows, c)] = row[c]
            seen.add(row)
            nrows += 1
    return nrows, ncols, texts


def locate(tables, fmt) -> dict:
    """``table id -> (table, logical grid texts)`` for the report tables among ``tables`` (python-docx Tables
    or ``w:tbl`` elements), matched by grid size and the printed labels of the layout."""
    found = {}
    singles = [(t, logical_grid(t)) for t in tables]
    candidates = [(t, g, (k,)) for k, (t, g) in enumerate(singles)]
    # a table too long for one page is exported in pieces, one a page (app/export/table_breaks.py): each
    # repeats the header rows (and a cut group's label); consecutive pieces are read as the one table
    first_rows = [tuple(g[2].get((0, c), "") for c in range(g[1])) for _t, g in singles]
    for i in range(len(singles)):
        k = i + 1
        while (k < len(singles) and k - i < MAX_PIECES and len(candidates) < len(singles) + MAX_JOINED
               and singles[k][1][1] == singles[i][1][1] and first_rows[k] == first_rows[i]):
            k += 1
            candidates.append((singles[i][0], _joined([g for _t, g in singles[i:k]]), tuple(range(i, k))))
    for tid in fmt.table_ids:
        layout = fmt.layout(tid)
        labels = _layout_facts(fmt, tid)[0]
        best, best_score = None, 0.0
        for t, (nrows, ncols, texts), used in candidates:
            if nrows != layout.rows or ncols != layout.cols:
                continue
            hits = sum(1 for pos, text in labels if texts.get(pos) == text)
            score = hits / max(1, len(labels))
            if score > best_score:
                best, best_score, best_used = (t, texts), score, set(used)
        if best is not None and best_score >= 0.5:
            found[tid] = best
            candidates = [c for c in candidates if not best_used & set(c[2])]
    return found


def cells_of(found: dict, fmt) -> dict[str, str]:
    out: dict[str, str] = {}
    for tid, (_table, texts) in found.items():
        ids, positions = _layout_facts(fmt, tid)[1]
        out.update(zip(ids, map(texts.get, positions, repeat(""))))  # (each cell id's text, in one C-level pass)
    return out


@functools.lru_cache(maxsize=64)
def _layout_facts(fmt, tid: str) -> tuple[tuple, tuple[tuple, tuple]]:
    """A table layout's printed labels ``((row, col), text)`` and its value cells ``(cell ids, their (row, col))``,
    as :func:`locate` and :func:`cells_of` compare and read them (a format is loaded once per run and never changed:
    taken from it once, not for every file)."""
    layout = fmt.layout(tid)
    labels = tuple(((p.row, p.col), p.text) for p in layout.cells if p.role != "value" and p.text)
    values = layout.value_positions()
    return labels, (tuple(values), tuple(values.values()))


# ---------------------------------------------------------------------------------------------
# the page

@dataclass
class Page:
    """What the page of a DOCX laid out like our template prints."""
    title: str = ""
    opening: str = ""
    sections: dict[str, list[str]] = field(default_factory=dict)  # lines, bold runs as **…**
    contact: str = ""
    draft: str = ""  # the draft mark printed above the title, if any
    organ: str = ""
    date: str = ""  # as printed
    cells: dict[str, str] = field(default_factory=dict)  # cell id -> text (tables located on the page)
    tables: dict = field(default_factory=dict)  # table id -> (table, texts)

    def fields(self) -> dict[str, str]:
        """The text fields as plain text (what the digests are taken of)."""
        out = {"title": self.title, "opening": self.opening, "meta.contact": self.contact,
               "meta.organ": self.organ, "meta.date": self.date}
        for sid, lines in self.sections.items():
            out[sid] = "\n".join(plain(x) for x in lines)
        return out


def children(el):
    """Block-level children, looking through content controls and custom XML wrappers."""
    for child in el:
        name = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        if name == "sdt":
            for c in child:
                if c.tag == q("sdtContent"):
                    yield from children(c)
        elif name in ("customXml", "smartTag"):
            yield from children(child)
        else:
            yield child


_R, _RPR, _B, _TAB, _BREAKS = q("r"), q("rPr"), q("b"), q("tab"), (q("br"), q("cr"))


def _bold(r) -> bool:
    rpr = next(r.iterchildren(_RPR), None)  # the first rPr and its first b, as find gives them (for less)
    if rpr is None:
        return False
    b = next(rpr.iterchildren(_B), None)
    return b is not None and (b.get(_VAL) or "true").lower() not in ("0", "false", "off")


def _para_marked(p) -> str:
    """A paragraph's text with its bold runs as ``**…**`` (line breaks as ``\\n``, tabs as spaces)."""
    segs: list[tuple[str, bool]] = []
    for r in p.iter(_R):
        b = _bold(r)
        for el in r:
            tag = el.tag
            if tag == _T and el.text:
                segs.append((el.text, b))
            elif tag == _TAB:
                segs.append((" ", b))
            elif tag in _BREAKS:
                segs.append(("\n", False))
    lines, out, bold_on = [], [], False
    for text, b in segs:
        if text == "\n":
            if bold_on:
                out.append("**")
                bold_on = False
            lines.append("".join(out))
            out = []
            continue
        b = b and bool(text.strip())
        if b != bold_on:
            out.append("**")
            bold_on = b
        out.append(text)
    if bold_on:
        out.append("**")
    lines.append("".join(out))
    return "\n".join(lines)


_BOLD_SPAN = re.compile(r"\*\*(.*?)\*\*", re.S)


def plain_text(marked: str) -> str:
    return _BOLD_SPAN.sub(r"\1", marked) if "**" in marked else marked


def style_ids(styles_xml: bytes | None) -> dict[str, str]:
    """Style name -> style id from ``word/styles.xml`` (parsed with a hardened parser)."""
    if not styles_xml:
        return {}
    return dict(_style_ids(styles_xml))


@functools.lru_cache(maxsize=8)
def _style_ids(styles_xml: bytes) -> tuple[tuple[str, str], ...]:
    """(Files exported by one version of the program share their styles part: it is read once per run.)"""
    from lxml import etree
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    root = etree.fromstring(styles_xml, parser)
    out: dict[str, str] = {}
    style_id, name_tag = q("styleId"), q("name")
    for st in root.iter(q("style")):
        name = next(st.iterchildren(name_tag), None)  # (its first w:name child, as find gives it, for less)
        sid = st.get(style_id)
        if name is not None and sid:
            out.setdefault(name.get(_VAL) or "", sid)
    return tuple(out.items())


def read_page(body, styles: dict[str, str], fmt) -> Page:
    """The printed report fields of a document body (``w:body`` element) laid out like our template: the title
    and the closing by the template's paragraph styles (报告标题, 落款), the sections by their printed headings,
    the tables by their labels. A field a (custom) template does not print reads as empty."""
    title_id, closing_id = styles.get(STYLE_TITLE), styles.get(STYLE_CLOSING)
    headings = {norm(s["heading"]): s for s in fmt.sections}
    page = Page(sections={sid: [] for sid in fmt.text_sections})
    title, opening, contact, closing_lines, tables = [], [], [], [], []
    current: object = "opening"
    p_tag, tbl_tag = q("p"), q("tbl")
    for el in children(body):
        if el.tag == tbl_tag:
            tables.append(el)
            current = None
            continue
        if el.tag != p_tag:
            continue
        ppr = next(el.iterchildren(_PPR), None)
        pst = next(ppr.iterchildren(_PSTYLE), None) if ppr is not None else None
        style = pst.get(_VAL) if pst is not None else None
        marked = _para_marked(el)
        text = plain_text(marked)
        flat = norm(text)
        if style is not None and style == title_id:
            title.append(flat)
            continue
        if not title and is_draft_mark(flat):  # the draft mark above the title (exported with errors)
            page.draft = text.strip()
            continue
        if style is not None and style == closing_id:
            if flat:
                closing_lines.append(text.strip())
            current = None
            continue
        if flat in headings:
            section = headings[flat]
            current = section["id"] if section["kind"] == "text" else None
            continue
        if not flat:
            continue
        if flat.startswith(CONTACT_PREFIX):
            contact.append(text.strip()[len(CONTACT_PREFIX):].strip())
            current = None
            continue
        if current == "opening":
            opening.append(text.strip())
        elif current is not None:
            page.sections[current].extend(x.strip() for x in marked.split("\n") if plain_text(x).strip())
    page.title = "".join(title)
    page.opening = "\n".join(opening)
    page.contact = "\n".join(contact)
    date = closing_lines[-1] if closing_lines and (len(closing_lines) > 1 or DATE_CN.match(closing_lines[-1])) \
        else ""
    page.organ = closing_lines[0] if closing_lines and (len(closing_lines) > 1 or not date) else ""
    page.date = date
    page.tables = locate(tables, fmt)
    page.cells = cells_of(page.tables, fmt)
    return page


def payload_for(page: Page, format_id: str) -> dict:
    """What the export embeds for ``page`` (see the module's text): no printed text, only digests and kinds."""
    from . import __version__
    from .project import SCHEMA
    fields = page.fields()
    return {
        "version": PAYLOAD_VERSION, "format": format_id, "schema": SCHEMA, "app": __version__,
        "page": {k: field_digest(k, v) for k, v in fields.items()},
        "paragraphs": {sid: [[field_digest(f"{sid}.p", plain(line)),
                              [field_digest(f"{sid}.c", c) for c in clauses(line)]] for line in lines]
                       for sid, lines in page.sections.items()},
        "cells": {cid: cell_kind(cid, text) for cid, text in page.cells.items()},
    }


# ---------------------------------------------------------------------------------------------------------
# Excel

XLSX_META_SHEET = "_nianbao"
XLSX_MARKER = "年报助手导出的工作簿"
XLSX_SCHEMA = 1
ORIGIN_ROW = 3  # the table starts on row 3 (row 1: heading, row 2: organ and year), column A
ORIGIN_COL = 1

_ADDRESS = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def column_letters(col: int) -> str:
    """1 → ``A``, 27 → ``AA`` (Excel's column names)."""
    if col < 1:
        raise ValueError(f"column {col}")
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def coord(row: int, col: int) -> str:
    """The address of a cell: ``coord(3, 1)`` → ``A3``."""
    return f"{column_letters(col)}{row}"


def _row_col(address: str) -> tuple[int, int]:
    m = _ADDRESS.match(address.upper())
    if not m:
        raise ValueError(f"not a cell address: {address!r}")
    col = 0
    for ch in m[1]:
        col = col * 26 + ord(ch) - 64
    return int(m[2]), col


def cell_addresses(fmt) -> dict[str, tuple[str, str]]:
    """cell id -> (sheet name, address) of the exported workbook."""
    out = {}
    for tid in fmt.table_ids:
        for cid, (r, c) in fmt.layout(tid).value_positions().items():
            out[cid] = (fmt.table_name(tid), coord(ORIGIN_ROW + r, ORIGIN_COL + c))
    return out


def sum_formula(sources, where: dict[str, tuple[str, str]]) -> str:
    """``=SUM(D6:I6)`` for contiguous sources on the sheet, else ``=SUM(D6,F6,…)``."""
    pts = [_row_col(where[s][1]) for s in sources]
    rows = {r for r, _ in pts}
    cols = {c for _, c in pts}
    if len(rows) == 1 and sorted(c for _, c in pts) == list(range(min(cols), max(cols) + 1)):
        r = rows.pop()
        return f"=SUM({coord(r, min(cols))}:{coord(r, max(cols))})"
    if len(cols) == 1 and sorted(r for r, _ in pts) == list(range(min(rows), max(rows) + 1)):
        c = cols.pop()
        return f"=SUM({coord(min(rows), c)}:{coord(max(rows), c)})"
    return "=SUM(" + ",".join(where[s][1] for s in sources) + ")"
