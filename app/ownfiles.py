"""Facts of the files the program writes and reads back: what the Word export embeds and prints where, and where
the Excel export puts each cell. The writers (``app/export``) and the readers (``app/importers``) both take them
from here, so neither imports the other.

Word (DOCX): the embedded copy is a custom XML part in :data:`DOCX_NAMESPACE` (:func:`is_ours` recognises it);
:func:`tables_digest` fingerprints the table values as printed and :func:`page_digests` the text fields as printed
(:func:`page_fields`), so edits made in Word after the export can be found.

Excel (XLSX): one sheet per table, named by the table's short name in the format (表二 …), its top left cell at
(:data:`ORIGIN_ROW`, :data:`ORIGIN_COL`), and a map sheet (:data:`XLSX_META_SHEET`, marked :data:`XLSX_MARKER`)
listing where every cell went; :func:`cell_addresses` and :func:`sum_formula` compute addresses and formulas.
"""
from __future__ import annotations

import hashlib
import json
import re

# ---------------------------------------------------------------------------------------------------------
# Word

DOCX_NAMESPACE = "urn:nianbao:export:1"

# paragraph styles of the template, and the printed prefix of the contact line
STYLE_TITLE = "报告标题"
STYLE_CLOSING = "落款"
CONTACT_PREFIX = "联系方式："
DATE_CN = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")


def is_ours(blob: bytes) -> bool:
    """A custom XML part written by the program (its namespace in the first bytes)."""
    return DOCX_NAMESPACE.encode() in blob[:400]


def tables_digest(cells: dict[str, str]) -> str:
    """SHA-256 of the table values as printed (cell id → text)."""
    return hashlib.sha256(json.dumps(cells, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def norm(text: str) -> str:
    """Text without any blank (what is compared between the page and the embedded copy)."""
    return "".join((text or "").split())


def page_digests(fields: dict[str, str]) -> dict[str, str]:
    """Short digests of the printed fields (stored at export, so an edit made in Word can be found later)."""
    return {k: hashlib.sha256(norm(v).encode("utf-8")).hexdigest()[:16] for k, v in fields.items()}


def page_fields(document, fmt) -> dict[str, str]:
    """The report's text fields as printed in a DOCX laid out like our template: ``title``, ``opening``,
    each narrative section id, ``meta.contact``, ``meta.organ`` and ``meta.date`` (as printed).

    Sections are found by their printed headings (一、总体情况 …); the title and the closing by the template's
    paragraph styles (报告标题, 落款). A field a (custom) template does not print reads as empty.
    """
    from docx.oxml.ns import qn

    from .wordtext import para_text

    def style_id(name):
        try:
            return document.styles[name].style_id
        except KeyError:
            return None

    title_id, closing_id = style_id(STYLE_TITLE), style_id(STYLE_CLOSING)
    headings = {norm(s["heading"]): s for s in fmt.sections}
    lines: dict[str, list[str]] = {"title": [], "opening": [], "meta.contact": [], "closing": []}
    for sid in fmt.text_sections:
        lines[sid] = []
    current: str | None = "opening"
    p_tag, tbl_tag, pstyle_tag, val = qn("w:p"), qn("w:tbl"), qn("w:pStyle"), qn("w:val")
    for el in document.element.body.iterchildren():
        if el.tag == tbl_tag:
            current = None
            continue
        if el.tag != p_tag:
            continue
        ps = el.find(f"{qn('w:pPr')}/{pstyle_tag}")
        style = ps.get(val) if ps is not None else None
        text = para_text(el)
        flat = norm(text)
        if style is not None and style == title_id:
            lines["title"].append(flat)
            continue
        if style is not None and style == closing_id:
            if flat:
                lines["closing"].append(text.strip())
            current = None
            continue
        if flat in headings:
            section = headings[flat]
            current = section["id"] if section["kind"] == "text" else None
            continue
        if not flat:
            continue
        if flat.startswith(CONTACT_PREFIX):
            lines["meta.contact"].append(text.strip()[len(CONTACT_PREFIX):].strip())
            current = None
            continue
        if current is not None:
            lines[current].extend(x.strip() for x in text.split("\n") if x.strip())
    closing = lines.pop("closing")
    out = {k: "\n".join(v) for k, v in lines.items()}
    out["title"] = "".join(lines["title"])
    date = closing[-1] if closing and (len(closing) > 1 or DATE_CN.match(closing[-1])) else ""
    organ = closing[0] if closing and (len(closing) > 1 or not date) else ""
    out["meta.organ"], out["meta.date"] = organ, date
    return out


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
