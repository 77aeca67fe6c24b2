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
    names = _LOCAL_NAMES  # tag -> local name, looked up without a call (the same few tags all along)
    _para_text = ParagraphTexts(body, xml)
    special, tostring = _para_text.special, etree.tostring  # (what _para_text does, inlined for table cells)
    merges, before = _cell_properties(body)
    blocks: list[Block] = []
    tables = 0
    cells_total = 0
    # One pass over the body's paragraphs, tables, rows and cells in document order (a C iterator: no element is
    # looked at that is none of these). Each belongs where the walk through wrappers (content controls, custom
    # XML) puts it: a paragraph or table of the body, a row of the table being read, a cell of the row being read,
    # a paragraph of the cell being read; anything else (a nested table, a text box's paragraphs, a row outside a
    # table) is no block of its own. The cell being read is finished when the next cell, row, table or body
    # paragraph starts, and so is the row.
    tbl = tr = tc = None
    cells: list[Cell] = []
    paras: list[str] = []
    open_v: dict[int, Cell] = {}
    r = col = span = 0
    vmerge = None
    for el in body.iter("{*}p", "{*}tc", "{*}tr", "{*}tbl"):
        name = names.get(el.tag) or _local(el.tag)
        up = el.getparent()
        if not (up is tc or up is tr or up is tbl or up is body) or up is None:
            up = _container(el)
        if name == "p":
            if up is tc and tc is not None:
                paras.append(para_text(el) if special is None or el in special
                             else tostring(el, method="text", encoding=str, with_tail=False))
                continue
            if up is not body:
                continue
        elif name == "tc":
            if up is not tr or tr is None:
                continue
        elif name == "tr":
            if up is not tbl or tbl is None:
                continue
        elif up is not body:  # a table in a cell, a text box, …
            continue
        if tc is not None:  # the cell being read ends here
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
            tc = None
        if name == "tc":
            tc, paras = el, []
            span, vmerge = merges.get(el, _PLAIN_CELL)
            continue
        if tr is not None:  # the row being read ends here
            cells_total += len(cells)
            if cells_total > MAX_CELLS:
                raise ImportFailed(f"Word 文档中的表格单元格过多（超过 {MAX_CELLS} 个），不像是一份年度报告，"
                                   "已停止读取。")
            tr = None
        if name == "tr":
            tr, r, col, cells = el, r + 1, 1 + before.get(el, 0), []
            blocks.append(Block("row", cells=cells, table=tables))
        elif name == "tbl":
            tables += 1
            tbl, r, open_v = el, 0, {}
        else:  # a paragraph of the body
            tbl = None
            text = _para_text(el)
            for line in text.split("\n") if "\n" in text and "\t" not in text else [text]:
                blocks.append(Block("p", text=line))
                cells_total += 1
            if cells_total > MAX_CELLS:
                raise ImportFailed(f"Word 文档中的段落和表格单元格过多（超过 {MAX_CELLS} 个），不像是一份年度报告，"
                                   "已停止读取。")
    if tc is not None:
        text = paras[0].strip() if len(paras) == 1 else "\n".join(paras).strip()
        if vmerge is None:
            cells.append(Cell(text, r, col))
        else:
            cont = vmerge == "continue" and col in open_v
            cells.append(Cell("" if cont else text, r, col, cont=cont))
    if tr is not None:
        cells_total += len(cells)
        if cells_total > MAX_CELLS:
            raise ImportFailed(f"Word 文档中的表格单元格过多（超过 {MAX_CELLS} 个），不像是一份年度报告，"
                               "已停止读取。")
    return blocks


_PLAIN_CELL = (1, None)


def _container(el):
    """The element whose block-level child ``el`` is, looking through the wrappers Word puts around paragraphs, rows
    and cells: custom XML, smart tags, a content control (``sdt``) through its ``sdtContent``; None for the root."""
    node = el.getparent()
    while node is not None:
        name = _local(node.tag)
        if name == "customXml" or name == "smartTag":
            node = node.getparent()
        elif name == "sdtContent":
            sdt = node.getparent()
            if sdt is None or _local(sdt.tag) != "sdt":
                return node
            node = sdt.getparent()
        else:
            return node
    return None


def _cell_properties(body) -> tuple[dict, dict]:
    """(cell (``tc``) -> (grid span, vertical merge or None), row (``tr``) -> grid columns left empty before its
    first cell), from the properties of cells (a ``tcPr`` child) and rows (a ``trPr`` child) that say so, in document
    order (a later span or merge over an earlier one; the columns before a row added up). The other cells: (1, None),
    the other rows: 0. The cells and rows stay alive as keys, so lxml hands out the same objects while the body is
    walked."""
    merges: dict = {}
    before: dict = {}
    for q in body.iter("{*}gridSpan", "{*}vMerge", "{*}gridBefore"):
        name = _local(q.tag)
        pr = q.getparent()
        owner = pr.getparent()
        if name == "gridBefore":
            if _local(pr.tag) == "trPr" and owner is not None and _local(owner.tag) == "tr":
                before[owner] = before.get(owner, 0) + _int(_attr(q, "val"), 0, 0, 64)
            continue
        if _local(pr.tag) != "tcPr" or owner is None or _local(owner.tag) != "tc":
            continue
        span, vmerge = merges.get(owner, _PLAIN_CELL)
        if name == "gridSpan":
            span = _int(_attr(q, "val"), 1, 1, 64)
        else:
            vmerge = _attr(q, "val") or "continue"
        merges[owner] = (span, vmerge)
    return merges, before


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
    if not report.values.keys() <= report.sources.keys():  # (every value read from the page has its source)
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
    # read in full below: the body, and where a DOCX exported by this program keeps its data (own_docx)
    zf = open_zip(path, "Word", ("[Content_Types].xml",), whole=(_W_DOC, "customXml/item1.xml"))
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
