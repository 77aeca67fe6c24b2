"""Word documents (.docx, made by Word, WPS or this program).

Our own export carries the report losslessly (``app.importers.own_docx.read_embedded``); table cells edited in Word
after the export are taken as they are now and marked for review. Any other DOCX is read generically: the body
XML is parsed with a hardened lxml parser (no entities, no network, no DTD) after the ZIP guards of ``base``;
merged cells (gridSpan, vMerge) are expanded once, so their text is not repeated.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from ..wordtext import LOCAL_NAMES as _LOCAL_NAMES
from ..wordtext import local as _local
from ..wordtext import ParagraphTexts, para_text
from .base import MAX_CELLS, MAX_XML_TAGS, Block, Cell, ImportFailed, open_zip, where_label
from .recognise import Recogniser, import_value

_W_DOC = "word/document.xml"


def _attr(el, name: str):
    for k, v in el.attrib.items():
        if _local(k) == name:
            return v
    return None


_WRAPPERS = frozenset(("sdt", "customXml", "smartTag"))


def _children(el):
    """Block-level children, looking through content controls and custom XML wrappers."""
    for child in el:
        name = _local(child.tag)
        if name in _WRAPPERS:
            yield from _children_of(child, name)
        else:
            yield child


def _children_of(wrapper, name: str):
    """The block-level children inside a wrapper (``sdt``: of its ``sdtContent``)."""
    if name == "sdt":
        for c in wrapper:
            if _local(c.tag) == "sdtContent":
                yield from _children(c)
    else:
        yield from _children(wrapper)


_PARSERS = threading.local()


def _parser():
    """The hardened parser (no entities, no network, no DTD), made once per thread: an lxml parser may be used by one
    thread at a time, and making one takes about as long as walking a cell's elements a hundred times. No ID table
    (nothing here looks elements up by ``xml:id``)."""
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        from lxml import etree
        parser = _PARSERS.parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                                   huge_tree=False, remove_comments=True, collect_ids=False)
    return parser


def blocks_from_document_xml(xml: bytes) -> list[Block]:  # noqa: C901 — one pass over the body's elements
    from lxml import etree
    tags = xml.count(b"<")
    if tags > MAX_XML_TAGS:  # counted on the bytes: the tree would take about 200 bytes per element
        raise ImportFailed(f"Word 文档的正文结构过于复杂（{tags} 个 XML 标记，上限 {MAX_XML_TAGS}），"
                           "不像是一份年度报告，已停止读取。")
    try:
        root = etree.fromstring(xml, _parser())
    except etree.XMLSyntaxError as e:
        from ..messages import exception_text
        raise ImportFailed(f"Word 文档的正文（document.xml）无法读取：{exception_text(e)}。") from None
    body = next((el for el in root if _local(el.tag) == "body"), None)
    if body is None:
        raise ImportFailed("Word 文档中没有正文。")
    blocks: list[Block] = []
    tables = 0
    cells_total = 0
    names = _LOCAL_NAMES  # tag -> local name, looked up without a call (the same few tags all along)
    _para_text = ParagraphTexts(body, xml)
    special, tostring = _para_text.special, etree.tostring  # (what _para_text does, inlined for table cells)
    # the cell properties that merge (the others are not looked into: most cells are neither spanned nor merged);
    # the elements stay alive in the set, so lxml hands out the same objects below
    merging = {q.getparent() for q in body.iter("{*}gridSpan", "{*}vMerge")}
    for el in _children(body):
        name = names.get(el.tag) or _local(el.tag)
        if name == "p":
            text = _para_text(el)
            for line in text.split("\n") if "\n" in text and "\t" not in text else [text]:
                blocks.append(Block("p", text=line))
                cells_total += 1
            if cells_total > MAX_CELLS:
                raise ImportFailed(f"Word 文档中的段落和表格单元格过多（超过 {MAX_CELLS} 个），不像是一份年度报告，"
                                   "已停止读取。")
        elif name == "tbl":
            tables += 1
            open_v: dict[int, Cell] = {}
            for r, tr in enumerate((x for x in _children(el) if (names.get(x.tag) or _local(x.tag)) == "tr"),
                                   start=1):
                cells: list[Cell] = []
                col = 1
                tcs = []  # the row's cells, also those inside content controls
                # one pass: the row's properties (direct children only) and its cells; the children are walked
                # from the first one by getnext() (the same nodes as iterating the row, without an iterator)
                x = tr[0] if len(tr) else None
                while x is not None:
                    name = names.get(x.tag) or _local(x.tag)
                    if name == "tc":
                        tcs.append(x)
                    elif name == "trPr":
                        for g in x:
                            if _local(g.tag) == "gridBefore":
                                col += _int(_attr(g, "val"), 0, 0, 64)
                    elif name in _WRAPPERS:
                        tcs.extend(c for c in _children_of(x, name) if _local(c.tag) == "tc")
                    x = x.getnext()
                for tc in tcs:
                    span, vmerge = 1, None
                    paras = []  # the cell's paragraphs, also those inside content controls
                    x = tc[0] if len(tc) else None
                    while x is not None:  # one pass (as for the row): its properties and its paragraphs
                        name = names.get(x.tag) or _local(x.tag)
                        if name == "p":
                            paras.append(para_text(x) if special is None or x in special
                                         else tostring(x, method="text", encoding=str, with_tail=False))
                        elif name == "tcPr" and x in merging:
                            for q in x:
                                qn = names.get(q.tag) or _local(q.tag)
                                if qn == "gridSpan":
                                    span = _int(_attr(q, "val"), 1, 1, 64)
                                elif qn == "vMerge":
                                    vmerge = _attr(q, "val") or "continue"
                        elif name in _WRAPPERS:
                            paras.extend(_para_text(p) for p in _children_of(x, name) if _local(p.tag) == "p")
                        x = x.getnext()
                    text = paras[0].strip() if len(paras) == 1 else "\n".join(paras).strip()
                    if vmerge is None:  # most cells: no vertical merge
                        cells.append(Cell(text, r, col))
                        open_v.pop(col, None)
                    else:
                        cont = vmerge == "continue" and col in open_v
                        cells.append(Cell("" if cont else text, r, col, cont=cont))
                        if vmerge == "restart":
                            open_v[col] = cells[-1]
                    col += span
                cells_total += len(cells)
                if cells_total > MAX_CELLS:
                    raise ImportFailed(f"Word 文档中的表格单元格过多（超过 {MAX_CELLS} 个），不像是一份年度报告，"
                                       "已停止读取。")
                blocks.append(Block("row", cells=cells, table=tables))
    return blocks


def _int(v, default: int, lo: int, hi: int) -> int:
    try:
        return min(max(int(v), lo), hi)
    except (TypeError, ValueError):
        return default


def _own_export(path: Path, zf=None, xml: bytes | None = None):
    """The embedded report of a DOCX exported by this program, or None. What was changed in Word after the
    export (text fields, closing, date, table cells) is taken from the page and marked for review. ``zf``: the
    file, already open (read once, with the page and the part, by one call of the own reader); ``xml``: its
    ``word/document.xml``, already read."""
    from .own_docx import read_own, read_own_zip

    try:
        own = read_own_zip(zf, path, xml) if zf is not None else read_own(path)
    except Exception as e:  # noqa: BLE001 — damaged embedded data: fall back to reading the document itself
        return ("damaged", str(e))
    if own is None:
        return None
    # the page is what is read: every field, edits made in Word since the export marked for review (own_docx)
    report: Any = own.report
    edits = list(own.table_edits)
    fmt = report.format
    saved = f"“{path.name}”中年报助手导出时保存的数据"
    for cid in report.values:
        report.sources.setdefault(cid, saved)
    for cid, was, now in edits:
        if cid not in fmt.cells:
            continue
        value, why = import_value(now, fmt.cells[cid].kind)
        report.set(cid, value)
        reason = f"导出后在 Word 中被修改：导出时为“{was or '空白'}”，现为“{now or '空白'}”"
        report.review[cid] = reason + (f"；{why}" if why else "")
        report.sources[cid] = "Word 文档中的表格（导出后修改）"
    return report


def import_docx(path: Path):
    zf = open_zip(path, "Word", ("[Content_Types].xml",))
    try:
        names = set(zf.namelist())
        if _W_DOC not in names:
            main = next((n for n in names if n.endswith("/document.xml")), None)
            if main is None:
                raise ImportFailed(f"{where_label(path)}不是 Word 文档（没有 word/document.xml），可能是其他类型的 "
                                   "Office 文件。")
        else:
            main = _W_DOC
        try:
            xml = zf.read(main)
        except Exception:  # noqa: BLE001 — CRC errors, truncated members, unsupported compression
            raise ImportFailed(f"{where_label(path)}已损坏（正文无法解压）。") from None
        own = _own_export(path, zf, xml if main == _W_DOC else None)
    finally:
        zf.close()
    note = None
    if isinstance(own, tuple):
        note = f"文档中年报助手保存的数据已损坏（{own[1]}），已改为按文档内容识别。"
        own = None
    if own is not None:
        return own
    report = Recogniser(blocks_from_document_xml(xml), where_label(path)).report()
    if note:
        report.extra.setdefault("import_notes", []).insert(0, note)
    return report
