"""What every importer shares: the error type, the neutral document model, and the guards for untrusted files.

A source document (DOCX, HTML, text) is first turned into a list of :class:`Block` — a paragraph, or a table
row of cells with their grid position — and only then recognised (``recognise.py``). The guards here keep
every input bounded in size, time and memory before any parser sees it.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ImportFailed, OpenError, where_label  # noqa: F401  (the importers' names for them)
from ..safezip import (MAX_MERGED_CELLS, MAX_PART, MAX_RATIO, MAX_SHEET_AREA, MAX_SHEET_CELLS,  # noqa: F401
                       MAX_UNCOMPRESSED, MAX_ZIP_BYTES, MAX_ZIP_ENTRIES, open_zip, read_bounded)

# limits for untrusted input
MAX_TEXT_BYTES = 16 * 1024 * 1024  # a published report page is well under 1 MB
MAX_CELLS = 20_000  # paragraphs + table cells in one document (a published report has about 550)
MAX_XML_TAGS = 1_000_000  # XML tags (<…>) in a Word body before it is parsed into a tree (a report has ~30 000)
MAX_PARAGRAPH_CHARS = 100_000  # one paragraph, line or table cell (a report's longest is a few thousand)


@dataclass(slots=True)
class Cell:
    text: str
    row: int  # 1-based, in the source table
    col: int  # 1-based grid column
    cont: bool = False  # continuation of a merged cell (its text belongs to the cell above/left)


@dataclass(slots=True)
class Block:
    kind: str  # "p" | "row"
    text: str = ""  # paragraph text
    cells: list[Cell] = field(default_factory=list)  # table row
    table: int = 0  # 1-based table number in the source (rows)
    line: int = 0  # 1-based line number in a text source


def check_paragraphs(blocks: list[Block], source: str) -> None:
    """Refuse a document with a paragraph or cell over :data:`MAX_PARAGRAPH_CHARS` (before any recognition)."""
    longest = max(map(len, [b.text for b in blocks] + [c.text for b in blocks for c in b.cells]), default=0)
    if longest <= MAX_PARAGRAPH_CHARS:  # (every real document)
        return
    for b in blocks:
        for text in [b.text] + [c.text for c in b.cells]:
            if len(text) > MAX_PARAGRAPH_CHARS:
                where = f"第 {b.line} 行" if b.line else ("表格中" if b.kind == "row" else "正文中")
                raise ImportFailed(f"{source}{where}有一段文字长达 {len(text)} 个字符，过长（一段最多 "
                                   f"{MAX_PARAGRAPH_CHARS} 个字符），不像是年度报告的段落，已停止读取。")


def decode_text(raw: bytes, path: Path) -> str:
    """Text of unknown encoding: BOM first, then UTF-8, then GB18030 (covers GBK/GB2312); UTF-16 without BOM."""
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
                     (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            try:
                return raw[len(bom):].decode(enc)
            except UnicodeDecodeError:
                raise ImportFailed(f"{where_label(path)}的文字编码损坏（标记为 {enc.upper()}，"
                                   "但内容无法按此解码）。") from None
    if raw[:4000].count(b"\x00") > len(raw[:4000]) // 4:  # UTF-16 without a BOM: every other byte is 0 for ASCII
        even, odd = raw[0:4000:2].count(b"\x00"), raw[1:4000:2].count(b"\x00")
        enc = "utf-16-be" if even > odd else "utf-16-le"
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            text = ""
        if text and text.count("\x00") * 4 <= len(text):  # zero bytes (a file of NULs) are not UTF-16 text
            return text
        raise ImportFailed(f"{where_label(path)}不是文字文件（含有大量二进制内容或空字节）。")
    for enc in ("utf-8", "gb18030"):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise ImportFailed(f"无法识别{where_label(path)}的文字编码（既不是 UTF-8，也不是 GBK/GB18030 或 UTF-16）。"
                       "请在记事本中“另存为”UTF-8 编码后再导入。")
