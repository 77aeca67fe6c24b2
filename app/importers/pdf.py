"""A published report as PDF with a text layer (the usual form on a 政府信息公开专栏).

Every page is read with pdfplumber: ruled tables become table rows by the position of their cell borders (a
cell merged over several rows or columns is one cell, the others are continuations), the text outside the tables
becomes paragraphs — lines are joined into a paragraph by their geometry (a line that runs to the right margin
continues in the next line unless that one is indented), across page breaks too, and page numbers (— 2 —) are
dropped. A table that continues on the next page (with or without a repeated header) simply continues the token
stream the recogniser reads; a row broken over the page is joined again. A table without ruling lines is read by
position: a line whose pieces stand far apart, some of them numbers, is a row (its cells have ``row`` 0), and the
lines right under it whose pieces fall into its columns continue its wrapped cells (an import note says so). An
image-only PDF (a scan) has no text and is refused: we never guess from pictures.

Bounded: file size, page count, characters and reading time are limited (``MAX_*``).
"""
from __future__ import annotations

import re
import time
from pathlib import Path

from .base import Block, Cell, ImportFailed, read_bounded, where_label
from ..textutil import is_page_number
from .account import Account
from .pdf_guard import MAX_CHARS, MAX_PAGES, guard_pdf
from .recognise import Recogniser, norm, value_like

MAX_PDF_BYTES = 32 * 1024 * 1024  # a report PDF is well under 5 MB
MAX_SECONDS = 8.0  # reading time over all pages (checked between pages; the worker process stops any read at 12 s)

_NUMBERED_START = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]"
                             r"|\d{1,2}[.．、](?!\d))")
_CJK_END = re.compile(r"[\u4e00-\u9fff，、；：（“]$")


def _cell(text) -> str:
    """Text of a table cell: the line breaks of a wrapped cell removed (blank between two latin words)."""
    if text is None:
        return ""
    parts = [p.strip() for p in str(text).split("\n")]
    out = ""
    for p in parts:
        if out and p and re.match(r"[A-Za-z0-9]", p[0]) and re.search(r"[A-Za-z0-9]$", out):
            out += " "
        out += p
    return out


def _blank_colour(colour) -> bool:
    """White (gray 1, RGB 1 1 1) or CMYK 0 0 0 0: paint that shows nothing on a white page."""
    if colour is None:
        return False
    values = colour if isinstance(colour, (list, tuple)) else [colour]
    try:
        v = [float(x) for x in values]
    except (TypeError, ValueError):
        return False
    if len(v) in (1, 3):
        return all(x >= 0.98 for x in v)
    return len(v) == 4 and all(x <= 0.02 for x in v)


def draws_something(obj) -> bool:
    """False for a rectangle that draws nothing visible (not stroked; not filled, or filled white): such boxes
    are not table rulings. WPS puts one behind every line of text, and ``find_tables`` would take them all for a
    table covering the page, so the paragraphs under them (sections 一 and 五) would be read as table cells."""
    if obj.get("object_type") != "rect" or obj.get("stroke"):
        return True
    return bool(obj.get("fill")) and not _blank_colour(obj.get("non_stroking_color"))


def _box(obj) -> tuple:
    return (round(obj["x0"], 2), round(obj["top"], 2), round(obj["x1"], 2), round(obj["bottom"], 2))


def find_tables(page):
    """The ruled tables of a page, found from what is drawn; boxes that draw nothing are no rulings.

    WPS also paints a white box behind every table cell and leaves out the bottom border of a table that goes on
    over the page, so the last row of such a page has no ruling under it but its white cell boxes. A table found
    from the visible rulings is therefore extended downwards by the blank cell boxes that touch it and lie within
    its width (narrower than the table: the box behind a line of text spans the whole text width)."""
    visible = page.filter(draws_something)
    tables = visible.find_tables()
    if not tables:
        return tables
    blank = [r for r in page.rects if not draws_something(r)]
    if not blank:
        return tables
    keep: set = set()
    for t in tables:
        x0, top, x1, bottom = t.bbox
        width = x1 - x0
        cands = [r for r in blank if r["x0"] >= x0 - 2 and r["x1"] <= x1 + 2 and r["top"] >= top - 2
                 and r["width"] < 0.9 * width]
        grown = True
        while grown:
            grown = False
            for r in cands:
                if _box(r) not in keep and r["top"] <= bottom + 1.5:
                    keep.add(_box(r))
                    if r["bottom"] > bottom + 0.5:
                        bottom, grown = r["bottom"], True
    if not keep:
        return tables
    kept = page.filter(lambda o: draws_something(o) or (o.get("object_type") == "rect" and _box(o) in keep))
    return kept.find_tables()


def _inside(line: dict, boxes) -> bool:
    cx = (line["x0"] + line["x1"]) / 2
    cy = (line["top"] + line["bottom"]) / 2
    return any(x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1 for x0, top, x1, bottom in boxes)


def blocks_from_pdf(path: Path, account=None) -> list[Block]:
    raw = read_bounded(path, MAX_PDF_BYTES, "年报 PDF 文件", head=1024)
    if b"%PDF-" not in raw[:1024]:
        raise ImportFailed(f"{where_label(path)}不是有效的 PDF 文件（文件内容不是 PDF 格式，可能只是改了扩展名）。")
    guard_pdf(path)  # limits and loops, before pdfplumber builds anything
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    started = time.monotonic()
    try:
        pdf = pdfplumber.open(str(path))
    except PDFPasswordIncorrect:
        raise ImportFailed(f"{where_label(path)}设有打开密码，无法读取。请使用未加密的文件。") from None
    except Exception:  # noqa: BLE001 — untrusted input: any parser failure is a damaged file
        raise ImportFailed(f"{where_label(path)}已损坏或不是有效的 PDF 文件，无法读取。") from None
    with pdf:
        try:
            pages = pdf.pages
        except Exception:  # noqa: BLE001
            raise ImportFailed(f"{where_label(path)}已损坏（PDF 的页面结构无法读取）。") from None
        if len(pages) > MAX_PAGES:
            raise ImportFailed(f"{where_label(path)}有 {len(pages)} 页，年度报告通常只有十几页；本程序最多读取 "
                               f"{MAX_PAGES} 页，请确认选对了文件。")
        lines: list[dict] = []  # text lines outside tables, in reading order, with their page
        items: list[tuple] = []  # ("line", line) | ("table", rows)
        pages_placed: list[list[tuple]] = []
        heights: list[float] = []
        chars = 0
        for number, page in enumerate(pages, start=1):
            if time.monotonic() - started > MAX_SECONDS:
                raise ImportFailed(f"读取{where_label(path)}超过 {MAX_SECONDS:.0f} 秒仍未完成（第 {number} 页），"
                                   "文件可能结构异常，已停止。")
            chars += len(page.chars)
            if chars > MAX_CHARS:
                raise ImportFailed(f"{where_label(path)}的文字超过 {MAX_CHARS} 个字符，"
                                   "不像是一份年度报告，已停止读取。")
            tables = find_tables(page)
            boxes = [t.bbox for t in tables]
            placed = []
            for t in tables:
                rows = [[None if c is None else _cell(c) for c in row] for row in t.extract()]
                placed.append((t.bbox[1], "table", (number, rows)))
                _unread_in_table(page, t.bbox, rows, number, account)
            for ln in page.extract_text_lines(return_chars=True, keep_blank_chars=True, x_tolerance=6):
                if _inside(ln, boxes) or not ln["text"].strip():
                    continue
                ln = dict(ln, page=number, width=page.width, segs=_segments(ln["chars"]))
                del ln["chars"]
                placed.append((ln["top"], "line", ln))
            placed.sort(key=lambda x: x[0])
            pages_placed.append(placed)
            heights.append(float(page.height))
            page.close()
        for placed in _without_furniture(pages_placed, heights, account):
            items += [(kind, obj) for _, kind, obj in placed]
            lines += [obj for _, kind, obj in placed if kind == "line"]
        if chars == 0 or not any(kind == "line" or any(any(c for c in r) for r in obj[1]) for kind, obj in items):
            raise ImportFailed(f"{where_label(path)}是扫描件或图片，没有可以读取的文字层。请找到这份报告的文字版"
                               "（Word、网页，或可以选中复制文字的 PDF）后再导入。")
    return _blocks(items, lines, account)


def _unread_in_table(page, bbox, rows, number: int, account) -> None:
    """Text inside a table's box that no cell holds (a cell whose rulings are incomplete): listed in the import
    account as left out, never lost silently."""
    if account is None:
        return
    from collections import Counter
    x0, top, x1, bottom = bbox
    inside = [c for c in page.chars if c["text"].strip() and x0 - 1 <= (c["x0"] + c["x1"]) / 2 <= x1 + 1
              and top - 1 <= (c["top"] + c["bottom"]) / 2 <= bottom + 1]
    have = Counter(ch for row in rows for cell in row if cell for ch in cell if not ch.isspace())
    missing = []
    for c in sorted(inside, key=lambda c: (round(c["top"]), c["x0"])):
        if have[c["text"]] > 0:
            have[c["text"]] -= 1
        else:
            missing.append(c["text"])
    if missing:
        text = "".join(missing)
        account.read(text)
        account.leave(f"第 {number} 页表格中未能对应到单元格的文字", text)


def _furniture_key(text: str) -> str:
    """A running header or footer compared across pages: blanks out, every number as #."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _without_furniture(pages_placed, heights, account):
    """Each page's items without its page furniture: a page number alone at the head or foot of the page
    ("— 2 —", "-3-", "第 3 页", "3"), and running headers and footers — a line in the top or bottom tenth of the
    page, first or last on it, whose text (numbers aside) comes back on another page. What is left out is listed
    in the import account."""
    edge: dict[str, int] = {}
    for placed, height in zip(pages_placed, heights):
        lines = [p[2] for p in placed if p[1] == "line"]
        seen = set()
        for cand in lines[:1] + lines[-1:]:
            if cand["top"] < 0.1 * height or cand["bottom"] > 0.9 * height:
                seen.add(_furniture_key(cand["text"]))
        for k in seen:
            edge[k] = edge.get(k, 0) + 1
    out = []
    for placed, height in zip(pages_placed, heights):
        lines = [p[2] for p in placed if p[1] == "line"]
        drop = {}
        for pos, cand in (("head", lines[0] if lines else None), ("foot", lines[-1] if lines else None)):
            if cand is None or id(cand) in drop:
                continue
            text = cand["text"].strip()
            at_edge = cand["top"] < 0.1 * height or cand["bottom"] > 0.9 * height
            if is_page_number(text, bare_digits=True):
                drop[id(cand)] = ("页码", text)
            elif at_edge and edge.get(_furniture_key(text), 0) >= 2 and len(text) <= 60:
                drop[id(cand)] = ("页眉" if pos == "head" else "页脚", text)
        for kind, text in drop.values():
            if account is not None:
                account.read(text)
                account.drop(kind, text)
        out.append([p for p in placed if id(p[2]) not in drop])
    return out


def _segments(chars) -> list[tuple[float, float, str]]:
    """A text line cut where the gap between two characters is wider than a character: (x0, x1, text) per piece.

    Only real blank characters become blanks inside a piece (a visual gap, e.g. LibreOffice's spacing between
    Chinese and digits, is not a blank)."""
    out: list[list] = []
    for ch in sorted(chars, key=lambda c: c["x0"]):
        size = (ch.get("size") or (ch["bottom"] - ch["top"]) or 10.0)
        if out and ch["x0"] - out[-1][1] <= 0.9 * size:
            out[-1][1] = max(out[-1][1], ch["x1"])
            out[-1][2] += ch["text"]
        elif ch["text"].strip():
            out.append([ch["x0"], ch["x1"], ch["text"]])
    return [(a, b, t.strip()) for a, b, t in out if t.strip()]


def _is_value(text: str) -> bool:
    return bool(text) and value_like(norm(text))


def _wrapped_numbers(pos_row, segs, size) -> list[tuple[int, str]] | None:
    """(column, digits) when every piece of a line sits under a number of the row above and fewer columns are
    filled than in that row (a next row fills them all, or starts with its label)."""
    block, starts, _ = pos_row
    if not segs or not all(_is_value(t) and re.fullmatch(r"[\d,.]+", t) for _, _, t in segs):
        return None
    if len(segs) >= sum(1 for c in block.cells if _is_value(c.text)):
        return None
    out = []
    for a, b, t in segs:
        col = max((k for k, x in enumerate(starts) if a >= x - 0.5 * size), default=None)
        if col is None or not _is_value(block.cells[col].text) or (col + 1 < len(starts) and b > starts[col + 1]):
            return None
        out.append((col, t))
    return out


def _blocks(items, lines, account=None) -> list[Block]:
    left = min((ln["x0"] for ln in lines), default=0.0)
    right = max((ln["x1"] for ln in lines), default=0.0)
    blocks: list[Block] = []
    table_no = 0
    prev_line = None  # the last text line when it may continue into the next one
    last_table_page = 0  # page of the table that is the last thing emitted (0: something else came after it)
    pos_row = None  # (row block, column starts, bottom) of the last row read by position
    for kind, obj in items:
        if kind == "table":
            page, rows = obj
            if (rows and last_table_page and page == last_table_page + 1 and blocks and blocks[-1].kind == "row"
                    and len(rows[0]) == len(blocks[-1].cells)
                    and not any(c and value_like(norm(c)) for c in rows[0])
                    and not any(c and prev.text and value_like(norm(prev.text))
                                for c, prev in zip(rows[0], blocks[-1].cells))):
                # a row broken across the page: its rest opens the next page's table
                for cell, text in zip(blocks[-1].cells, rows[0]):
                    cell.text += text or ""
                rows = rows[1:]
            table_no += 1
            last_table_page = page
            pos_row = None
            for r, row in enumerate(rows, start=1):
                cells = [Cell(text or "", r, c, cont=text is None) for c, text in enumerate(row, start=1)]
                blocks.append(Block("row", cells=cells, table=table_no))
            prev_line = None
            continue
        ln = obj
        last_table_page = 0
        text = ln["text"].strip()
        size = (ln["bottom"] - ln["top"]) or 10.0
        segs = ln["segs"]
        # a table without ruling lines: a line of pieces far apart, some of them numbers, is a row; the lines
        # right under it whose pieces fall in its columns are the rest of its wrapped cells
        if pos_row is not None and ln["top"] - pos_row[2] <= 0.8 * size and _wrapped_numbers(pos_row, segs, size):
            block, starts, _ = pos_row  # a number wrapped in a narrow column: 58 / 8 under it is 588
            for col, t in _wrapped_numbers(pos_row, segs, size):
                block.cells[col].text += t
            pos_row = (block, starts, ln["bottom"])
            continue
        if len(segs) >= 2 and any(_is_value(t) for _, _, t in segs):
            if pos_row is None or ln["top"] - pos_row[2] > 2.5 * size:
                table_no += 1
            cells = [Cell(t, 0, c) for c, (_, _, t) in enumerate(segs, start=1)]
            blocks.append(Block("row", cells=cells, table=table_no))
            pos_row = (blocks[-1], [a for a, _, _ in segs], ln["bottom"])
            prev_line = None
            continue
        if pos_row is not None and ln["top"] - pos_row[2] <= 0.8 * size \
                and not any(_is_value(t) for _, _, t in segs):
            block, starts, _ = pos_row
            bounds = starts[1:] + [float("inf")]
            fits = []
            for a, b, t in segs:
                col = max((k for k, x in enumerate(starts) if a >= x - 0.5 * size), default=None)
                if col is None or b > bounds[col] + 0.5 * size:
                    fits = None
                    break
                fits.append((col, t))
            if fits:
                for col, t in fits:
                    block.cells[col].text += t
                pos_row = (block, starts, ln["bottom"])
                continue
        pos_row = None
        # a line starting with a part's or item's numbering (一、 （二） 3.) opens a paragraph even where every
        # paragraph is one line, so that nothing is "indented" against the others
        indented = ln["x0"] > left + 0.8 * size or bool(_NUMBERED_START.match(text))
        if (prev_line is not None and not indented and prev_line["x1"] >= right - 1.5 * size
                and abs((prev_line["bottom"] - prev_line["top"]) - size) < 0.25 * size and blocks
                and blocks[-1].kind == "p"):
            joint = "" if _CJK_END.search(blocks[-1].text) or not re.match(r"[A-Za-z0-9]", text) else " "
            if prev_line["text"].endswith((" ", "\u3000")) or ln["text"].startswith(" "):
                joint = " "  # the blank the line broke at
            if ln["page"] != prev_line["page"] and account is not None:
                account.join(f"第 {prev_line['page']} 页末“…{blocks[-1].text[-10:]}”与第 {ln['page']} 页首"
                             f"“{text[:10]}…”（跨页段落）")
            blocks[-1].text += joint + text
        else:
            blocks.append(Block("p", text=text))
        prev_line = ln
    return blocks


def import_pdf(path: Path):
    account = Account()
    blocks = blocks_from_pdf(path, account)
    report = Recogniser(blocks, where_label(path), account).report()
    if any(b.kind == "row" and b.cells and b.cells[0].row == 0 for b in blocks):  # row 0: read by position
        report.extra.setdefault("import_notes", []).append(
            "PDF 中有表格没有框线，已按文字位置识别行和列（换行的标签和数字已接续），请对照原文核对表格数值。")
    return report
