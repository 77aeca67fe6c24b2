"""Text copied from a published web page (or saved as .txt/.md): every shape seen in real pages.

Tab-separated rows and ``|``-separated rows become table rows; any other line is a paragraph (which also covers
pages that put one table cell per line). Text from Word-to-text converters — every cell on its own line after a
tab, a blank line after every row — is read row by row. ``[bookmark: …]`` marks and markdown marks are dropped.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..textutil import is_page_number
from .account import Account
from .base import MAX_CELLS, MAX_TEXT_BYTES, Block, Cell, ImportFailed, decode_text, read_bounded, where_label
from .recognise import Recogniser, norm, value_like

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]", re.I)
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")  # what str.splitlines splits at


_CELL_LINE = re.compile(r"^\t+([^\t]*?)\s*$")
_HEADING_LINE = re.compile(r"^\s*[一二三四五六七八九十]{1,2}、")
CELL_LINES_MIN = 30  # lines of one tab-indented cell that make a document "one cell per line"


def _strip_marks(line: str, account) -> str:
    """The line without ``[bookmark: …]`` marks and stray BOMs (listed in the account as markup left out)."""
    if account is not None:
        for m in _BOOKMARK.finditer(line):
            account.read(m.group(0))
            account.drop("书签标记", m.group(0))
        if "\ufeff" in line:
            account.read("\ufeff" * line.count("\ufeff"))
            account.drop("书签标记", "\ufeff" * line.count("\ufeff"))
    return _BOOKMARK.sub("", line).replace("\ufeff", "").rstrip("\r")


def blocks_from_text(text: str, account=None) -> list[Block]:
    for n, _ in enumerate(_LINE_BREAK.finditer(text), start=2):  # counted before splitlines() makes the list
        if n > MAX_CELLS:
            raise ImportFailed(f"文字内容超过 {MAX_CELLS} 行，行数过多，不像是一份年度报告，已停止读取。")
    lines = [_BOOKMARK.sub("", ln).replace("\ufeff", "").rstrip("\r") for ln in text.splitlines()]
    cell_lines = sum(1 for ln in lines if _CELL_LINE.match(ln))
    other_tabbed = sum(1 for ln in lines if "\t" in ln and not _CELL_LINE.match(ln))
    if cell_lines >= CELL_LINES_MIN and cell_lines > 4 * other_tabbed:
        return _blocks_cell_per_line(text, account)
    return _blocks_rows(text, account)


def _blocks_cell_per_line(text: str, account=None) -> list[Block]:
    """Text from Word-to-text converters (Apache Tika and the like): every table cell on its own line after a
    tab, a blank line after every row; a cell's further paragraphs follow on lines without the tab.

    Consecutive cell lines up to a blank line are one table row, so blank cells keep their column."""
    blocks: list[Block] = []
    row: list[Cell] | None = None
    start = 0

    def close():
        nonlocal row
        if row:
            blocks.append(Block("row", cells=row, line=start))
        row = None

    for n, line in enumerate(text.splitlines(), start=1):
        had_mark = bool(_BOOKMARK.search(line))
        line = _strip_marks(line, account)
        m = _CELL_LINE.match(line)
        if m:
            if row is None:
                row, start = [], n
            row.append(Cell(m.group(1).strip(), 1, len(row) + 1))
            continue
        if not line.strip():
            if had_mark:
                continue
            if row is not None:
                close()
                continue
            blocks.append(Block("p", text=line, line=n))
            continue
        if row and not _HEADING_LINE.match(line):  # a further paragraph of the last cell
            row[-1].text = (row[-1].text + line.strip()).strip()
            continue
        close()
        blocks.append(Block("p", text=line, line=n))
    close()
    return blocks


def _blocks_rows(text: str, account=None) -> list[Block]:
    blocks: list[Block] = []
    for n, line in enumerate(text.splitlines(), start=1):
        had_mark = bool(_BOOKMARK.search(line))
        line = _strip_marks(line, account)
        if had_mark and not line.strip():
            continue
        parts: list[str] | None
        if "\t" in line:
            parts = line.split("\t")
        elif line.count("|") >= 2 or (line.count("|") == 1 and not line.strip().startswith("|") and len(line) < 200):
            if _PIPE_RULE.match(line):
                if account is not None:
                    account.read(line)
                    account.drop("表格分隔线", line)
                continue
            s = line.strip()
            if s.startswith("|"):
                s = s[1:]
            if s.endswith("|"):
                s = s[:-1]
            parts = s.split("|")
            if account is not None:
                account.read("|" * line.count("|"))
                account.drop("表格分隔符", "|" * line.count("|"))
        else:
            parts = None if is_page_number(line) else _spaced_row(line)  # "— 3 —" is no row of dashes
            if parts is None:
                blocks.append(Block("p", text=line, line=n))
                continue
        blocks.append(Block("row", cells=[Cell(p.strip(), 1, k + 1) for k, p in enumerate(parts)], line=n))
    return blocks


def _spaced_row(line: str) -> list[str] | None:
    """A table row copied out of a PDF: a label followed by numbers separated by blanks ("1.属于国家秘密 0 0 1").

    Returns the cells when the line ends with number-like words, else None (a paragraph)."""
    if len(line) > 300:  # no row is this long (and a megabyte-long line is not split word by word)
        return None
    words = line.split()
    k = len(words)
    while k > 0 and value_like(norm(words[k - 1])) and norm(words[k - 1]):
        k -= 1
    if len(words) == k:
        return None
    label = " ".join(words[:k])
    if len(words) - k < 2 and (not label or len(label) > 40 or any(p in label for p in "，。；：,;:！？")):
        return None  # one number after a sentence is narrative ("全年办理 3"), after a short label a row
    return ([" ".join(words[:k])] if k else []) + words[k:]


def import_text(path: Path):
    raw = read_bounded(path, MAX_TEXT_BYTES, "年报网页的文字")
    text = decode_text(raw, path)
    if text.lstrip().lower().startswith(("<!doctype html", "<html")) or "<table" in text[:200000].lower():
        from .html import report_from_html
        return report_from_html(text, path)
    account = Account()
    return Recogniser(blocks_from_text(text, account), where_label(path), account).report()
