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
result kept for the calls that follow on the same unchanged file (:func:`read_embedded` and
:func:`table_edits` of one import).
"""
from __future__ import annotations

import difflib
import hashlib
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..document import parse_date_cn, standard_opening
from ..ownfiles import KIND_WORDS, PAYLOAD_VERSION, Page, cell_kind, cells_of, changed_cells, children, clauses
from ..ownfiles import DOCX_NAMESPACE as NS
from ..ownfiles import field_digest, is_ours, locate, logical_grid, norm, payload_for, plain, q, read_page
from ..ownfiles import style_ids
from ..textutil import DATE_CN, date_cn
from .base import ImportFailed

__all__ = ["read_own", "read_own_zip", "read_embedded", "table_edits", "read_tables", "locate_tables", "logical_grid",
           "grid", "read_page", "payload_for", "style_ids", "field_digest", "cell_kind", "clauses", "NS", "Page"]


# ---------------------------------------------------------------------------------------------
# the tables of a python-docx document (tests and tools edit our DOCX with python-docx)

def _cell_text(cell) -> str:
    """A python-docx cell's text as a person reads it."""
    return "\n".join(p.text for p in cell.paragraphs).strip()


def grid(table):
    """``(row, col) -> cell`` for a python-docx table, merged cells resolved (one pass; ``table.cell`` is slow)."""
    cells = table._cells
    ncols = len(table.columns)
    return lambda r, c: cells[r * ncols + c]


def locate_tables(document, fmt) -> dict:
    """``table id -> (python-docx Table, logical grid texts)`` for the report tables found in ``document``."""
    return locate(document.tables, fmt)


# ---------------------------------------------------------------------------------------------
# reading our file

_PAYLOAD_NAME = re.compile(r"customXml/item\d+\.xml")


def _payload_blob(zf: zipfile.ZipFile) -> bytes | None:
    for name in sorted(zf.namelist()):
        if _PAYLOAD_NAME.fullmatch(name):
            info = zf.getinfo(name)
            if info.file_size > 4 * 1024 * 1024:
                continue  # ours is a few KB
            blob = zf.read(name)
            if is_ours(blob):
                return blob
    return None


def _parse_payload(blob: bytes, name: str) -> dict:
    from lxml import etree
    from ..project import ProjectError, parse_json
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(blob, parser)
    except etree.XMLSyntaxError:
        raise ImportFailed(f"“{name}”中年报助手保存的数据已损坏。") from None
    data = root.find(f"{{{NS}}}data")
    if data is None or not data.text:
        raise ImportFailed(f"“{name}”中年报助手保存的数据已损坏。")
    try:
        payload = parse_json(data.text, f"“{name}”中年报助手保存的数据")
    except ProjectError as e:
        raise ImportFailed(str(e)) from None
    if not isinstance(payload, dict):
        raise ImportFailed(f"“{name}”中年报助手保存的数据已损坏。")
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

    Raises :class:`ImportFailed` (Chinese) for a file that is not a readable DOCX or whose part is damaged."""
    path = Path(path)
    try:
        key = _key(path)
    except FileNotFoundError:
        raise ImportFailed(f"找不到文件“{path.name}”。") from None
    except OSError as e:
        raise ImportFailed(f"“{path.name}”不是可读取的 Word 文档（{e}）。") from None
    hit = _CACHE.get("last")
    if hit is not None and hit[0] == key:
        return hit[1]
    result = _read_own(path)
    _CACHE["last"] = (key, result)
    return result


def _read_own(path: Path) -> OwnDocx | None:
    try:
        with zipfile.ZipFile(path) as zf:
            return read_own_zip(zf, path)
    except FileNotFoundError:
        raise ImportFailed(f"找不到文件“{path.name}”。") from None
    except (zipfile.BadZipFile, OSError, EOFError, KeyError) as e:
        raise ImportFailed(f"“{path.name}”不是可读取的 Word 文档（{e}）。") from None


def read_own_zip(zf: zipfile.ZipFile, path: Path, xml: bytes | None = None) -> OwnDocx | None:
    """:func:`read_own` of a DOCX already open (the Word importer's, after its ZIP guard): nothing read twice
    (``xml``: ``word/document.xml``, when the caller has read it already)."""
    try:
        blob = _payload_blob(zf)
        if blob is None:
            return None
        names = set(zf.namelist())
        if xml is None:
            xml = zf.read("word/document.xml")
        styles_xml = zf.read("word/styles.xml") if "word/styles.xml" in names else None
    except FileNotFoundError:
        raise ImportFailed(f"找不到文件“{path.name}”。") from None
    except (zipfile.BadZipFile, OSError, EOFError, KeyError) as e:
        raise ImportFailed(f"“{path.name}”不是可读取的 Word 文档（{e}）。") from None
    return _own_from_parts(path, blob, xml, styles_xml)


def _own_from_parts(path: Path, blob: bytes, xml: bytes, styles_xml: bytes | None) -> OwnDocx:
    from lxml import etree
    payload = _parse_payload(blob, path.name)
    from ..formats import FormatError, load_format
    format_id = payload.get("format") if isinstance(payload.get("format"), str) else "gov-2021"
    try:
        fmt = load_format(format_id)
    except (FormatError, OSError, ValueError):
        raise ImportFailed(f"“{path.name}”中年报助手保存的数据已损坏（格式“{format_id[:40]}”未知）。") from None
    from .base import MAX_XML_TAGS
    if len(xml) > MAX_XML_TAGS and xml.count(b"<") > MAX_XML_TAGS:  # (no more tags than bytes: counted only then)
        raise ImportFailed(f"“{path.name}”的正文结构过于复杂，不像是一份年度报告。")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True)
    try:
        root = parse_page_xml(xml, parser)
        styles = style_ids(styles_xml)
    except etree.XMLSyntaxError as e:
        raise ImportFailed(f"“{path.name}”不是可读取的 Word 文档（{e}）。") from None
    body = root.find(q("body"))
    if body is None:
        raise ImportFailed(f"“{path.name}”中没有正文。")
    page = read_page(body, styles, fmt)
    return _report_from_page(page, payload, fmt, format_id, path.name)


# What the page reading never looks at, left out of the tree (see parse_page_xml): the children of a run's
# properties other than these (bold is read there; the rest are names the reading looks for anywhere)
_READ_NAMES = frozenset({"b", "t", "tab", "br", "cr", "p", "r", "rPr", "pPr", "pStyle", "tbl", "tr", "tc", "tcPr",
                         "gridSpan", "vMerge", "tblGrid", "gridCol", "body", "sdt", "sdtContent", "customXml",
                         "smartTag"})
_XML_DECL = re.compile(rb"<\?xml\s[^<>?]*\?>(?=\s*<[A-Za-z_])")
_DECL_VERSION = re.compile(rb"""\sversion\s*=\s*["']1\.0["']""")
_DECL_ENCODING = re.compile(rb"""\sencoding\s*=\s*["']([^"']*)["']""")
_RUN_PROPS = re.compile(rb'<w:rPr>(?:<w:[A-Za-z]+(?: w:[A-Za-z]+="[^"<>&]*")*/>)+</w:rPr>')
_CHILD_NAME = re.compile(rb"<w:([A-Za-z]+)")
_SAME_MANY = 16  # occurrences that make the leaner parse worth it
# a table cell's properties as our export writes them for a cell that spans one column and no rows: its width and
# vertical alignment, never read (in this fixed form: ASCII, distinct attributes, nothing XML could refuse)
_CELL_PROPS = re.compile(rb'<w:tcPr><w:tcW w:type="dxa" w:w="[0-9]{1,6}"/>(?:<w:vAlign w:val="center"/>)?</w:tcPr>')


def _leaner(xml: bytes, parser) -> bytes | None:
    """``xml`` with the content of its most repeated run properties and of its plain cells' properties
    (:data:`_CELL_PROPS`) left out, inside a wrapper element — or ``None`` when that cannot be shown to read the same.

    Our export gives every table cell's run the same properties (fonts, size: ~60 % of the body's bytes, a third
    of its elements), which the reading never looks at. The block is taken from the middle of the body and must be
    a ``w:rPr`` of empty children with plain attributes, none of them a name the reading looks for, well-formed on
    its own (checked by parsing it), and be found many times. Every occurrence is then markup (a ``<`` cannot stand in
    text or in an attribute value; the document has no CDATA and nothing but the XML declaration, version 1.0 in
    UTF-8, before its root element; the block holds no ``--``, ``?>``, ``&`` or namespace declaration, so one
    inside a comment or processing instruction stays inside it) and becomes an empty ``<w:rPr/>``: the document is
    well-formed exactly when the original is, and reads the same. The wrapper adds a level, so a page nested up to
    the parser's depth limit is parsed as it is (the original could exceed it only below such a block)."""
    decl = _XML_DECL.match(xml)
    if decl is None:
        return None
    enc = _DECL_ENCODING.search(decl.group(0))
    if not _DECL_VERSION.search(decl.group(0)) or (enc is not None and enc.group(1).lower() != b"utf-8"):
        return None
    i = xml.find(b"<w:rPr>", len(xml) // 2)
    j = xml.find(b"</w:rPr>", i) if i != -1 else -1
    if j == -1:
        return None
    block = xml[i:j + 8]
    if (not _RUN_PROPS.fullmatch(block) or b"--" in block
            or any(n.decode() in _READ_NAMES for n in _CHILD_NAME.findall(block, 7))):
        return None
    from lxml import etree
    try:  # repeated attributes, characters XML does not allow
        etree.fromstring(b'<w:rPr xmlns:w="urn:nianbao:check"' + block[6:], parser)
    except etree.XMLSyntaxError:
        return None
    lean = xml.replace(block, b"<w:rPr/>")
    if b"<![CDATA[" in lean:  # (looked for in the shorter text: the block and its replacement hold no part of one)
        return None
    if len(xml) - len(lean) < _SAME_MANY * (len(block) - 8):
        return None  # not worth a second parse's risk of being needed
    lean = _CELL_PROPS.sub(b"<w:tcPr/>", lean)  # (nor do these blocks and theirs)
    return b"".join((b"<x>", memoryview(lean)[decl.end():], b"</x>"))


def parse_page_xml(xml: bytes, parser):
    """The root element of ``word/document.xml`` as the page reading needs it: parsed without the content of its
    most repeated run properties when that reads the same (:func:`_leaner`: ~40 % less to parse, walk and free),
    else as it is. A document the leaner parse does not take (not well-formed, anything after its root element) is
    parsed as it is, so its error is the original's."""
    from lxml import etree
    lean = _leaner(xml, parser)
    if lean is not None:
        try:
            wrapper = etree.fromstring(lean, parser)
        except etree.XMLSyntaxError:
            wrapper = None
        if wrapper is not None and len(wrapper) == 1 and not (wrapper[0].tail or "").strip():
            return wrapper[0]
    return etree.fromstring(xml, parser)


# ---------------------------------------------------------------------------------------------
# the report from the page, edits marked

def _short(text: str, n: int = 60) -> str:
    text = " ".join((text or "").split())
    return "空白" if not text else f"“{text[:n]}{'…' if len(text) > n else ''}”"


def _title_parts(title: str, fmt) -> tuple[str, int | None]:
    m = re.match(r"^(.*?)(\d{4})年", title)
    if m and norm(fmt.title(m[1], int(m[2]))) == title:
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
    new_d = [field_digest(f"{sid}.p", plain(x)) for x in lines]
    old_d = [o[0] for o in old if isinstance(o, list) and o]
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_d, new_d, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        old_cl = {c for o in old[i1:i2] if isinstance(o, list) and len(o) > 1 for c in o[1]}
        for j in range(j1, j2):
            words = _changed_words(lines[j], old_cl, sid)
            if op == "insert":
                out.append(f"新增第 {j + 1} 段{_short(plain(lines[j]), 80)}")
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
    defs, values, sources, review = fmt.cells, report.values, report.sources, report.review
    for cid, text in page.cells.items():
        value, why = import_value(text, defs[cid].kind)
        if value is not None:
            values[cid] = value
            sources[cid] = where
        if why:
            review[cid] = why
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
            if k in fields and hashlib.sha256(norm(fields[k]).encode("utf-8")).hexdigest()[:16] != d}


def _cell_edits(page: Page, payload: dict) -> list[tuple[str, str, str]]:
    stored = payload.get("cells") if isinstance(payload.get("cells"), dict) else {}
    # a table that can no longer be found is not reported as emptied (its cells are not in page.cells)
    cells = page.cells
    return [(cid, KIND_WORDS.get(kind, "另一数值"), cells[cid]) for cid, kind in changed_cells(stored, cells)]


def _old_title(payload: dict, fmt, organs: list[str], year: int | None) -> str | None:
    """The exported title, when it is one of the few titles this report can have had (the organs now printed,
    a year near the printed one): found by its digest."""
    d = (payload.get("page") or {}).get("title")
    if not d or payload.get("version") != PAYLOAD_VERSION:
        return None
    years = range(year - 3, year + 4) if year else range(2000, 2100)
    for organ in dict.fromkeys(organs):
        for y in years:
            t = norm(fmt.title(organ, y))
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
            report.review["title"] = (f"在 Word 中修改：标题改为{_short(page.title)}，"
                                      "不是“机关名称＋年度＋政府信息公开工作年度报告”的格式，"
                                      "年报助手仍按机关名称和年度生成标题，请核对")
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
    for review), or ``None`` for a DOCX without our part. Raises :class:`ImportFailed` (Chinese)."""
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
        raise ImportFailed(f"“{Path(path).name}”不是可读取的 Word 文档（{e}）。") from None
    body = root.find(q("body"))
    tables = [el for el in children(body) if el.tag == q("tbl")] if body is not None else []
    return cells_of(locate(tables, fmt), fmt)


def table_edits(path) -> list[tuple[str, str, str]]:
    """``[(cell id, what the cell was at export — 空白, 0, / or 另一数值 —, text now)]`` for every table cell
    changed after export. Empty for a document without our part or without changes; a table that can no
    longer be found is not compared (its cells are not reported as emptied)."""
    own = read_own(path)
    return [] if own is None else list(own.table_edits)
