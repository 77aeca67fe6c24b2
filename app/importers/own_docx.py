"""Reading back a DOCX written by :mod:`app.export.docx`: the page is what is read.

Our DOCX carries, besides the page, headers, footers and document properties, one small custom XML part
(``customXml/itemN.xml``, namespace :data:`NS`) that holds **no content**: the format id, the schema, the
program's version, a short digest of every printed field (title, opening, each narrative section, each of its
paragraphs and their clauses, contact, organ, date, each table cell) and the kind of each cell (blank, 0, 不适用
or a number). It only recognises our file and finds what was edited in Word after the export.

Everything the report holds is read from the page (:func:`read_page`): title and year, the opening, the
narrative under its printed headings (bold runs become ``**bold**``), the contact line, organ and date from the
closing, every table cell by its position in the format's layout. A field whose digest differs from the export's
was edited in Word: it is taken as printed (as always) and marked for review with a message that shows the
change. A part that disagrees with the page, or no part at all, never changes what is read.

* :func:`read_own` — the report read from the page, review marks set; ``None`` for a DOCX that is not ours;
* :func:`read_tables` / :func:`locate_tables` / :func:`logical_grid` read the report tables as a person sees
  them; :func:`table_edits` lists table cells changed since the export;
* :func:`payload_for` is what the export embeds (from the rendered page, read by the same code).

The file is opened once, ``word/document.xml`` and the styles parsed once with lxml (no python-docx), and the
result kept for the calls that follow on the same unchanged file (:func:`read_embedded`, :func:`table_edits`,
:func:`visible_edits` of one import).
"""
from __future__ import annotations

import difflib
import hashlib
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..document import CONTACT_PREFIX, DATE_CN, date_cn, parse_date_cn, standard_opening
from ..export import ExportError

NS = "urn:nianbao:export:1"
PAYLOAD_VERSION = 2
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STYLE_TITLE = "报告标题"
STYLE_CLOSING = "落款"
_CLAUSE = re.compile(r"[^，。；：！？,;:!?]*[，。；：！？,;:!?]?")


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _norm(text: str) -> str:
    return "".join((text or "").split())


def _plain(text: str) -> str:
    """A narrative line as printed: the ``**bold**`` marks are bold runs, not characters."""
    return _norm(re.sub(r"\*\*(.+?)\*\*", r"\1", text or ""))


def _is_ours(blob: bytes) -> bool:
    return NS.encode() in blob[:400]


def field_digest(key: str, text: str) -> str:
    """A short digest of a printed field (64 bits): the same text under the same key, the same digest."""
    return hashlib.sha256(f"{key}\x1f{_norm(text)}".encode("utf-8")).hexdigest()[:16]


def _digest(cells: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(cells, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def clauses(text: str) -> list[str]:
    """A paragraph's clauses (up to and including each ，。；：！？): the unit a changed passage is shown in."""
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text or "")
    return [c.strip() for c in _CLAUSE.findall(text) if c.strip()]


def cell_kind(key: str, text: str) -> str:
    """What the export records of a cell: its kind — ``blank``, ``0``, ``/`` (不适用) — or, for any other
    value, ``#`` and a digest (the value itself is not kept)."""
    t = _norm(text)
    if t == "":
        return "blank"
    if t in ("0", "/"):
        return t
    return "#" + field_digest(key, t)


_KIND_WORDS = {"blank": "空白", "0": "0", "/": "/"}


# ---------------------------------------------------------------------------------------------
# tables as a person sees them

def _w_val(el, tag: str):
    x = el.find(_q(tag))
    return None if x is None else x.get(_q("val"))


def _cell_text(cell) -> str:
    """A python-docx cell's text as a person reads it."""
    return "\n".join(p.text for p in cell.paragraphs).strip()


def _tc_text(tc) -> str:
    t_tag = _q("t")
    return "\n".join("".join(t.text or "" for t in p.iter(t_tag)) for p in tc.iter(_q("p"))).strip()


def logical_grid(table, tolerance: int = 40):
    """``(rows, cols, {(row, col): text})`` of a table (a python-docx Table or a ``w:tbl`` element) as a person
    sees it.

    Cells are placed by their x position (grid column widths), and boundaries closer than ``tolerance``
    twips are one boundary: programs that re-save the document (LibreOffice does) sometimes add a 1-twip
    sliver column, which would otherwise shift every cell after it.  Vertically merged cells repeat the
    text of their first cell.
    """
    import bisect
    tbl = getattr(table, "_tbl", table)
    widths = []
    grid_el = tbl.find(_q("tblGrid"))
    for gc in grid_el.findall(_q("gridCol")) if grid_el is not None else []:
        try:
            widths.append(max(0, int(float(gc.get(_q("w")) or 0))))
        except ValueError:
            widths.append(0)
    xs = [0]
    for w in widths:
        xs.append(xs[-1] + w)

    def x_at(g):
        return xs[g] if g < len(xs) else xs[-1] + (g - len(xs) + 1) * 1000

    rows, edges = [], set(xs if len(xs) > 1 else ())  # the grid's columns, also where no cell starts
    for tr in tbl.findall(_q("tr")):
        g, cells = 0, []
        for tc in tr.findall(_q("tc")):
            pr = tc.find(_q("tcPr"))
            span, vmerge = 1, None
            if pr is not None:
                try:
                    span = min(64, max(1, int(_w_val(pr, "gridSpan") or 1)))
                except ValueError:
                    span = 1
                vm = pr.find(_q("vMerge"))
                if vm is not None:
                    vmerge = vm.get(_q("val")) or "continue"
            cells.append((x_at(g), x_at(g + span), tc, vmerge))
            edges.update((x_at(g), x_at(g + span)))
            g += span
        rows.append(cells)
    kept: list[int] = []
    for x in sorted(edges):
        if not kept or x - kept[-1] > tolerance:
            kept.append(x)

    def col(x):
        i = bisect.bisect_left(kept, x)
        if i == len(kept) or (i > 0 and x - kept[i - 1] < kept[i] - x):
            i -= 1
        return i

    texts: dict[tuple[int, int], str] = {}
    for r, cells in enumerate(rows):
        for x0, x1, tc, vmerge in cells:
            c0, c1 = col(x0), col(x1)
            text = texts.get((r - 1, c0), "") if vmerge == "continue" else _tc_text(tc)
            for c in range(c0, max(c1, c0 + 1)):
                texts[(r, c)] = text
    return len(rows), max(0, len(kept) - 1), texts


def grid(table):
    """``(row, col) -> cell`` for a python-docx table, merged cells resolved (one pass; ``table.cell`` is slow)."""
    cells = table._cells
    ncols = len(table.columns)
    return lambda r, c: cells[r * ncols + c]


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


def _locate(tables, fmt) -> dict:
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
        labels = [p for p in layout.cells if p.role != "value" and p.text]
        best, best_score = None, 0.0
        for t, (nrows, ncols, texts), used in candidates:
            if nrows != layout.rows or ncols != layout.cols:
                continue
            hits = sum(1 for p in labels if texts.get((p.row, p.col)) == p.text)
            score = hits / max(1, len(labels))
            if score > best_score:
                best, best_score, best_used = (t, texts), score, set(used)
        if best is not None and best_score >= 0.5:
            found[tid] = best
            candidates = [c for c in candidates if not best_used & set(c[2])]
    return found


def locate_tables(document, fmt) -> dict:
    """``table id -> (python-docx Table, logical grid texts)`` for the report tables found in ``document``."""
    return _locate(document.tables, fmt)


def _cells_of(found: dict, fmt) -> dict[str, str]:
    out = {}
    for tid, (_table, texts) in found.items():
        for cid, pos in fmt.layout(tid).value_positions().items():
            out[cid] = texts.get(pos, "")
    return out


# ---------------------------------------------------------------------------------------------
# the page

@dataclass
class Page:
    """What the page of a DOCX laid out like our template prints."""
    title: str = ""
    opening: str = ""
    sections: dict[str, list[str]] = field(default_factory=dict)  # lines, bold runs as **…**
    contact: str = ""
    organ: str = ""
    date: str = ""  # as printed
    cells: dict[str, str] = field(default_factory=dict)  # cell id -> text (tables located on the page)
    tables: dict = field(default_factory=dict)  # table id -> (table, texts)

    def fields(self) -> dict[str, str]:
        """The text fields as plain text (what the digests are taken of)."""
        out = {"title": self.title, "opening": self.opening, "meta.contact": self.contact,
               "meta.organ": self.organ, "meta.date": self.date}
        for sid, lines in self.sections.items():
            out[sid] = "\n".join(_plain(x) for x in lines)
        return out


def _children(el):
    """Block-level children, looking through content controls and custom XML wrappers."""
    for child in el:
        name = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        if name == "sdt":
            for c in child:
                if c.tag == _q("sdtContent"):
                    yield from _children(c)
        elif name in ("customXml", "smartTag"):
            yield from _children(child)
        else:
            yield child


def _bold(r) -> bool:
    rpr = r.find(_q("rPr"))
    if rpr is None:
        return False
    b = rpr.find(_q("b"))
    return b is not None and (b.get(_q("val")) or "true").lower() not in ("0", "false", "off")


def _para_marked(p) -> str:
    """A paragraph's text with its bold runs as ``**…**`` (line breaks as ``\\n``, tabs as spaces)."""
    segs: list[tuple[str, bool]] = []
    for r in p.iter(_q("r")):
        b = _bold(r)
        for el in r:
            if el.tag == _q("t") and el.text:
                segs.append((el.text, b))
            elif el.tag == _q("tab"):
                segs.append((" ", b))
            elif el.tag in (_q("br"), _q("cr")):
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


def _plain_text(marked: str) -> str:
    return re.sub(r"\*\*(.*?)\*\*", r"\1", marked, flags=re.S)


def style_ids(styles_xml: bytes | None) -> dict[str, str]:
    """Style name -> style id from ``word/styles.xml`` (parsed with a hardened parser)."""
    if not styles_xml:
        return {}
    from lxml import etree
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    root = etree.fromstring(styles_xml, parser)
    out = {}
    for st in root.iter(_q("style")):
        name = st.find(_q("name"))
        if name is not None and st.get(_q("styleId")):
            out.setdefault(name.get(_q("val")) or "", st.get(_q("styleId")))
    return out


def read_page(body, styles: dict[str, str], fmt) -> Page:
    """The printed report fields of a document body (``w:body`` element) laid out like our template: the title
    and the closing by the template's paragraph styles (报告标题, 落款), the sections by their printed headings,
    the tables by their labels. A field a (custom) template does not print reads as empty."""
    title_id, closing_id = styles.get(STYLE_TITLE), styles.get(STYLE_CLOSING)
    headings = {_norm(s["heading"]): s for s in fmt.sections}
    page = Page(sections={sid: [] for sid in fmt.text_sections})
    title, opening, contact, closing_lines, tables = [], [], [], [], []
    current: object = "opening"
    p_tag, tbl_tag = _q("p"), _q("tbl")
    for el in _children(body):
        if el.tag == tbl_tag:
            tables.append(el)
            current = None
            continue
        if el.tag != p_tag:
            continue
        ppr = el.find(_q("pPr"))
        style = _w_val(ppr, "pStyle") if ppr is not None else None
        marked = _para_marked(el)
        text = _plain_text(marked)
        norm = _norm(text)
        if style is not None and style == title_id:
            title.append(norm)
            continue
        if style is not None and style == closing_id:
            if norm:
                closing_lines.append(text.strip())
            current = None
            continue
        if norm in headings:
            section = headings[norm]
            current = section["id"] if section["kind"] == "text" else None
            continue
        if not norm:
            continue
        if norm.startswith(CONTACT_PREFIX):
            contact.append(text.strip()[len(CONTACT_PREFIX):].strip())
            current = None
            continue
        if current == "opening":
            opening.append(text.strip())
        elif current is not None:
            page.sections[current].extend(x.strip() for x in marked.split("\n") if _plain_text(x).strip())
    page.title = "".join(title)
    page.opening = "\n".join(opening)
    page.contact = "\n".join(contact)
    date = closing_lines[-1] if closing_lines and (len(closing_lines) > 1 or DATE_CN.match(closing_lines[-1])) \
        else ""
    page.organ = closing_lines[0] if closing_lines and (len(closing_lines) > 1 or not date) else ""
    page.date = date
    page.tables = _locate(tables, fmt)
    page.cells = _cells_of(page.tables, fmt)
    return page


def payload_for(page: Page, format_id: str) -> dict:
    """What the export embeds for ``page`` (see the module's text): no printed text, only digests and kinds."""
    from ..project import SCHEMA
    from .. import __version__
    fields = page.fields()
    return {
        "version": PAYLOAD_VERSION, "format": format_id, "schema": SCHEMA, "app": __version__,
        "page": {k: field_digest(k, v) for k, v in fields.items()},
        "paragraphs": {sid: [[field_digest(f"{sid}.p", _plain(line)),
                              [field_digest(f"{sid}.c", c) for c in clauses(line)]] for line in lines]
                       for sid, lines in page.sections.items()},
        "cells": {cid: cell_kind(cid, text) for cid, text in page.cells.items()},
    }


# ---------------------------------------------------------------------------------------------
# reading our file

def _payload_blob(zf: zipfile.ZipFile) -> bytes | None:
    for name in sorted(zf.namelist()):
        if re.fullmatch(r"customXml/item\d+\.xml", name):
            info = zf.getinfo(name)
            if info.file_size > 4 * 1024 * 1024:
                continue  # ours is a few KB
            blob = zf.read(name)
            if _is_ours(blob):
                return blob
    return None


def _parse_payload(blob: bytes, name: str) -> dict:
    from lxml import etree
    from ..project import ProjectError, parse_json
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(blob, parser)
    except etree.XMLSyntaxError:
        raise ExportError(f"“{name}”中年报助手保存的数据已损坏。") from None
    data = root.find(f"{{{NS}}}data")
    if data is None or not data.text:
        raise ExportError(f"“{name}”中年报助手保存的数据已损坏。")
    try:
        payload = parse_json(data.text, f"“{name}”中年报助手保存的数据")
    except ProjectError as e:
        raise ExportError(str(e)) from None
    if not isinstance(payload, dict):
        raise ExportError(f"“{name}”中年报助手保存的数据已损坏。")
    return _as_v2(payload)


def _as_v2(payload: dict) -> dict:
    """Digests and kinds from the part of an older export (which also held a copy of the report: never read
    for content, only to find what was edited since)."""
    if payload.get("version") == PAYLOAD_VERSION:
        return payload
    report = payload.get("report") if isinstance(payload.get("report"), dict) else {}
    cells = payload.get("cells") if isinstance(payload.get("cells"), dict) else {}
    out = {"version": 1, "format": report.get("format", "gov-2021"),
           "cells": {cid: cell_kind(cid, str(t)) for cid, t in cells.items() if isinstance(t, str)},
           "page_v1": payload.get("page") if isinstance(payload.get("page"), dict) else {}}
    return out


@dataclass
class OwnDocx:
    report: object
    table_edits: list  # (cell id, as exported — a kind word —, now)
    text_edits: dict  # field -> now


_CACHE: dict = {}


def _key(path: Path):
    st = path.stat()
    return (str(path.resolve()), st.st_mtime_ns, st.st_size)


def read_own(path) -> OwnDocx | None:
    """Our DOCX read from its page (see the module's text); ``None`` for a DOCX without our part.

    Raises :class:`ExportError` (Chinese) for a file that is not a readable DOCX or whose part is damaged."""
    path = Path(path)
    try:
        key = _key(path)
    except FileNotFoundError:
        raise ExportError(f"找不到文件“{path.name}”。") from None
    except OSError as e:
        raise ExportError(f"“{path.name}”不是可读取的 Word 文档（{e}）。") from None
    hit = _CACHE.get("last")
    if hit is not None and hit[0] == key:
        return hit[1]
    result = _read_own(path)
    _CACHE["last"] = (key, result)
    return result


def _read_own(path: Path) -> OwnDocx | None:
    from lxml import etree
    try:
        with zipfile.ZipFile(path) as zf:
            blob = _payload_blob(zf)
            if blob is None:
                return None
            names = set(zf.namelist())
            xml = zf.read("word/document.xml")
            styles_xml = zf.read("word/styles.xml") if "word/styles.xml" in names else None
    except FileNotFoundError:
        raise ExportError(f"找不到文件“{path.name}”。") from None
    except (zipfile.BadZipFile, OSError, EOFError, KeyError) as e:
        raise ExportError(f"“{path.name}”不是可读取的 Word 文档（{e}）。") from None
    payload = _parse_payload(blob, path.name)
    from ..formats import FormatError, load_format
    format_id = payload.get("format") if isinstance(payload.get("format"), str) else "gov-2021"
    try:
        fmt = load_format(format_id)
    except (FormatError, OSError, ValueError):
        raise ExportError(f"“{path.name}”中年报助手保存的数据已损坏（格式“{format_id[:40]}”未知）。") from None
    from .base import MAX_XML_TAGS
    if xml.count(b"<") > MAX_XML_TAGS:
        raise ExportError(f"“{path.name}”的正文结构过于复杂，不像是一份年度报告。")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True)
    try:
        root = etree.fromstring(xml, parser)
        styles = style_ids(styles_xml)
    except etree.XMLSyntaxError as e:
        raise ExportError(f"“{path.name}”不是可读取的 Word 文档（{e}）。") from None
    body = root.find(_q("body"))
    if body is None:
        raise ExportError(f"“{path.name}”中没有正文。")
    page = read_page(body, styles, fmt)
    return _report_from_page(page, payload, fmt, format_id, path.name)


# ---------------------------------------------------------------------------------------------
# the report from the page, edits marked

def _short(text: str, n: int = 60) -> str:
    text = " ".join((text or "").split())
    return "空白" if not text else f"“{text[:n]}{'…' if len(text) > n else ''}”"


def _title_parts(title: str, fmt) -> tuple[str, int | None]:
    m = re.match(r"^(.*?)(\d{4})年", title)
    if m and _norm(fmt.title(m[1], int(m[2]))) == title:
        return m[1], int(m[2])
    return "", None


def _changed_words(new_line: str, old_clauses: set[str], sid: str) -> str:
    """The clauses of ``new_line`` that were not in the exported paragraph(s), as one quoted passage."""
    cs = clauses(new_line)
    new = [i for i, c in enumerate(cs) if field_digest(f"{sid}.c", c) not in old_clauses]
    if not new:
        return ""
    pieces, run = [], [new[0]]
    for i in new[1:]:
        if i == run[-1] + 1:
            run.append(i)
        else:
            pieces.append(run)
            run = [i]
    pieces.append(run)
    shown = "…".join("".join(cs[i] for i in r) for r in pieces)
    lead = "…" if new[0] > 0 else ""
    tail = "…" if new[-1] < len(cs) - 1 else ""
    return _short(lead + shown + tail, 80)


def section_changes(sid: str, lines: list[str], old: list) -> list[str]:
    """How the section's paragraphs differ from the exported ones (their digests ``old``), in Chinese: which
    paragraph, and the words that are new (whole clauses; the exported words are not kept in the file)."""
    new_d = [field_digest(f"{sid}.p", _plain(x)) for x in lines]
    old_d = [o[0] for o in old if isinstance(o, list) and o]
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_d, new_d, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        old_cl = {c for o in old[i1:i2] if isinstance(o, list) and len(o) > 1 for c in o[1]}
        for j in range(j1, j2):
            words = _changed_words(lines[j], old_cl, sid)
            if op == "insert":
                out.append(f"新增第 {j + 1} 段{_short(_plain(lines[j]), 80)}")
            elif words:
                out.append(f"第 {j + 1} 段改动的文字现为{words}")
            else:
                out.append(f"第 {j + 1} 段删去了部分文字")
        if j2 - j1 < i2 - i1:
            gone = (i2 - i1) - (j2 - j1)
            out.append(f"删去了导出时的第 {i1 + 1}" + (f"–{i1 + gone} 段" if gone > 1 else " 段"))
    return out


def _report_from_page(page: Page, payload: dict, fmt, format_id: str, name: str) -> OwnDocx:
    from ..model import Report
    from .recognise import import_value
    report = Report(format_id=format_id)
    meta = report.meta
    t_organ, t_year = _title_parts(page.title, fmt)
    meta.organ = page.organ or t_organ
    meta.year = t_year
    if meta.year is None:
        m = re.search(r"统计期限为(\d{4})年", page.opening)
        meta.year = int(m[1]) if m else None
    meta.date = parse_date_cn(page.date)
    meta.contact = page.contact
    for sid, lines in page.sections.items():
        if lines:
            report.sections[sid] = "\n".join(lines)
    opening = page.opening.strip()
    if opening and opening != standard_opening(meta.organ, meta.year):
        meta.opening = opening
    where = f"“{name}”中的表格"
    for cid, text in page.cells.items():
        value, why = import_value(text, fmt.cells[cid].kind)
        if value is not None:
            report.values[cid] = value
            report.sources[cid] = where
        if why:
            report.review[cid] = why
    if page.title and t_year is None:
        report.review["title"] = (f"标题为{_short(page.title)}，不是“机关名称＋年度＋政府信息公开工作年度报告”的格式，"
                                  "年度未能从标题读出，请核对")
    if page.organ and t_organ and page.organ != t_organ:
        report.review.setdefault("meta.organ", f"落款机关{_short(page.organ)}与标题中的机关{_short(t_organ)}不一致，"
                                                "已按落款导入，请核对")
    text_edits = _text_edits(page, payload)
    _mark_text_edits(report, page, payload, text_edits, fmt)
    edits = _cell_edits(page, payload)
    for cid, was, now in edits:
        reason = f"导出后在 Word 中被修改：导出时为“{was}”，现为“{now or '空白'}”"
        why = report.review.get(cid)
        report.review[cid] = reason + (f"；{why}" if why else "")
    return OwnDocx(report, edits, text_edits)


def _text_edits(page: Page, payload: dict) -> dict[str, str]:
    fields = page.fields()
    if payload.get("version") == PAYLOAD_VERSION:
        stored = payload.get("page") if isinstance(payload.get("page"), dict) else {}
        return {k: fields[k] for k, d in stored.items() if k in fields and field_digest(k, fields[k]) != d}
    stored = payload.get("page_v1") or {}
    return {k: fields[k] for k, d in stored.items()
            if k in fields and hashlib.sha256(_norm(fields[k]).encode("utf-8")).hexdigest()[:16] != d}


def _cell_edits(page: Page, payload: dict) -> list[tuple[str, str, str]]:
    stored = payload.get("cells") if isinstance(payload.get("cells"), dict) else {}
    out = []
    for cid, kind in stored.items():
        if cid not in page.cells or not isinstance(kind, str):
            continue  # a table that can no longer be found is not reported as emptied
        now = page.cells[cid]
        if cell_kind(cid, now) != kind:
            was = _KIND_WORDS.get(kind, "另一数值")
            out.append((cid, was, now))
    return out


def _old_title(payload: dict, fmt, organs: list[str], year: int | None) -> str | None:
    """The exported title, when it is one of the few titles this report can have had (the organs now printed,
    a year near the printed one): found by its digest."""
    d = (payload.get("page") or {}).get("title")
    if not d or payload.get("version") != PAYLOAD_VERSION:
        return None
    years = range(year - 3, year + 4) if year else range(2000, 2100)
    for organ in dict.fromkeys(organs):
        for y in years:
            t = _norm(fmt.title(organ, y))
            if field_digest("title", t) == d:
                return t
    return None


def _old_date(payload: dict, year: int | None) -> str | None:
    """The exported date, when it lies within a year or two of the one now printed: found by its digest."""
    from datetime import date, timedelta
    d = (payload.get("page") or {}).get("meta.date")
    if not d or not year or payload.get("version") != PAYLOAD_VERSION:
        return None
    day = date(max(1, year - 2), 1, 1)
    end = date(min(9999, year + 2), 12, 31)
    while day <= end:
        text = date_cn(day.isoformat())
        if field_digest("meta.date", text) == d:
            return text
        day += timedelta(days=1)
    return None


def _mark_text_edits(report, page: Page, payload: dict, edits: dict[str, str], fmt) -> None:
    """Review marks for the fields edited in Word since the export: 在 Word 中修改：…"""
    meta = report.meta
    for sid in fmt.text_sections:
        if sid not in edits:
            continue
        heading = fmt.section(sid)["heading"]
        old = (payload.get("paragraphs") or {}).get(sid)
        changes = section_changes(sid, page.sections.get(sid, []), old) if isinstance(old, list) else []
        report.review[sid] = f"在 Word 中修改：“{heading}”" + ("；".join(changes) or "有改动")
    if "meta.organ" in edits:
        t_organ, _ = _title_parts(page.title, fmt)
        was = t_organ if t_organ and field_digest("meta.organ", t_organ) == (payload.get("page") or {}).get(
            "meta.organ") else ""
        report.review["meta.organ"] = ("在 Word 中修改：落款机关" + (f"原为{_short(was)}，" if was else "")
                                       + f"现为{_short(page.organ)}")
    if "meta.date" in edits:
        m = DATE_CN.match(page.date or "")
        was = _old_date(payload, int(m[1]) if m else meta.year)
        report.review["meta.date"] = ("在 Word 中修改：成文日期" + (f"原为{_short(was)}，" if was else "")
                                      + f"现为{_short(page.date)}")
    if "meta.contact" in edits:
        report.review["meta.contact"] = f"在 Word 中修改：联系方式现为{_short(page.contact)}"
    if "title" in edits:
        t_organ, t_year = _title_parts(page.title, fmt)
        was = _old_title(payload, fmt, [page.organ, t_organ, meta.organ], t_year or meta.year)
        if t_year is not None:
            report.review["title"] = ("在 Word 中修改：标题" + (f"原为{_short(was)}，" if was else "")
                                      + f"现为{_short(page.title)}")
        else:
            report.review["title"] = (f"在 Word 中修改：标题改为{_short(page.title)}，不是“机关名称＋年度＋政府信息公开工作"
                                      "年度报告”的格式，年报助手仍按机关名称和年度生成标题，请核对")
    if "opening" in edits:
        now = page.opening.strip()
        if now:
            report.review["opening"] = f"在 Word 中修改：开头段落现为{_short(now, 80)}，导出时将按此文字印出，请核对"
        else:
            report.review["opening"] = "在 Word 中修改：开头段落被删除；年报助手仍按格式生成开头段落，请核对"


# ---------------------------------------------------------------------------------------------
# the names the importer and the tests use

def read_embedded(path):
    """The report of a DOCX this program wrote, **read from its page** (edits made in Word included and marked
    for review), or ``None`` for a DOCX without our part. Raises :class:`ExportError` (Chinese)."""
    own = read_own(path)
    return None if own is None else own.report


def read_tables(path, format_id: str = "gov-2021") -> dict[str, str]:
    """Cell id -> text now printed in the document's tables (only tables that could be located)."""
    from ..formats import load_format
    from lxml import etree
    fmt = load_format(format_id)
    try:
        with zipfile.ZipFile(path) as zf:
            xml = zf.read("word/document.xml")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        root = etree.fromstring(xml, parser)
    except Exception as e:  # noqa: BLE001
        raise ExportError(f"“{Path(path).name}”不是可读取的 Word 文档（{e}）。") from None
    body = root.find(_q("body"))
    tables = [el for el in _children(body) if el.tag == _q("tbl")] if body is not None else []
    return _cells_of(_locate(tables, fmt), fmt)


def table_edits(path) -> list[tuple[str, str, str]]:
    """``[(cell id, what the cell was at export — 空白, 0, / or 另一数值 —, text now)]`` for every table cell
    changed after export. Empty for a document without our part or without changes; a table that can no
    longer be found is not compared (its cells are not reported as emptied)."""
    own = read_own(path)
    return [] if own is None else list(own.table_edits)


def visible_edits(path, payload=None) -> dict[str, str]:
    """Text fields changed in Word since the export. The report :func:`read_embedded` gives is already read
    from the page with these marked, so this returns nothing to apply again."""
    return {}


def apply_visible_edits(report, edits: dict[str, str]) -> None:
    """Nothing left to apply: :func:`read_embedded` reads every field from the page and marks the edits."""


__all__ = ["read_own", "read_embedded", "table_edits", "read_tables", "locate_tables", "logical_grid", "grid",
           "read_page", "payload_for", "style_ids", "field_digest", "cell_kind", "clauses", "NS", "Page"]
