"""An HTML page of a published report (saved from the browser): stdlib ``html.parser``, rowspan/colspan honoured.

Report tables become grid rows (merged cells expanded, the copies marked as continuations); text outside
tables, and text in layout cells that hold a nested table, becomes paragraphs in document order.
"""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from .base import MAX_CELLS, MAX_TEXT_BYTES, Block, Cell, ImportFailed, decode_text, read_bounded
from .recognise import Recogniser

_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "section", "article", "header", "footer",
               "blockquote", "pre", "ul", "ol", "dd", "dt", "hr", "center", "title"}
_SKIP = {"script", "style", "noscript", "template", "svg", "head"}
MAX_SPAN = 200


class _Table:
    def __init__(self, number: int):
        self.number = number
        self.grid: dict[tuple[int, int], Cell] = {}
        self.row = -1
        self.col = 0
        self.cell: list[str] | None = None  # text parts of the open cell
        self.cell_pos = None
        self.container = False  # the open cell holds a nested table: its text is narrative


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.para: list[str] = []
        self.tables: list[_Table] = []
        self.count = 0
        self.skip = 0
        self.cells = 0

    # -- text routing -------------------------------------------------------------------------
    def _sink(self):
        t = self.tables[-1] if self.tables else None
        if t is not None and t.cell is not None and not t.container:
            return t.cell
        return self.para

    def flush(self):
        text = "".join(self.para).strip()
        self.para = []
        for line in text.split("\n"):
            if line.strip():
                self.blocks.append(Block("p", text=line.strip()))

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        a = dict(attrs)
        if tag == "table":
            if self.tables and self.tables[-1].cell is not None:
                outer = self.tables[-1]
                self.para.extend(outer.cell)  # what the layout cell said so far is narrative
                outer.cell = []
                outer.container = True
            self.flush()
            self.count += 1
            self.tables.append(_Table(self.count))
        elif tag == "tr" and self.tables:
            t = self.tables[-1]
            self._close_cell(t)
            t.row += 1
            t.col = 0
        elif tag in ("td", "th") and self.tables:
            t = self.tables[-1]
            self._close_cell(t)
            if t.row < 0:
                t.row = 0
            while (t.row, t.col) in t.grid:
                t.col += 1
            rs, cs = _span(a.get("rowspan")), _span(a.get("colspan"))
            t.cell = []
            t.cell_pos = (t.row, t.col, rs, cs)
            t.container = False
            for dr in range(rs):
                for dc in range(cs):
                    t.grid[(t.row + dr, t.col + dc)] = Cell("", t.row + dr + 1, t.col + dc + 1, cont=bool(dr or dc))
            self.cells += rs * cs
            if self.cells > MAX_CELLS:
                raise ImportFailed(f"网页中的表格单元格过多（超过 {MAX_CELLS} 个），不像是一份年度报告，已停止读取。")
            t.col += cs
        elif tag in _BLOCK_TAGS:
            self._block_break()

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag == "table" and self.tables:
            t = self.tables.pop()
            self._close_cell(t)
            self.flush()
            self._emit(t)
        elif tag in ("td", "th") and self.tables:
            self._close_cell(self.tables[-1])
        elif tag in _BLOCK_TAGS:
            self._block_break()

    def _block_break(self):
        """A block element starts or ends: a new paragraph outside tables, a line break inside a cell."""
        sink = self._sink()
        if sink is self.para:
            self.flush()
        else:
            sink.append("\n")

    def handle_data(self, data):
        if self.skip:
            return
        self._sink().append(data)

    def _close_cell(self, t: _Table):
        if t.cell is None:
            return
        r, c, _, _ = t.cell_pos
        if t.container:
            self.flush()
            t.grid[(r, c)].text = ""
        else:
            t.grid[(r, c)].text = "\n".join(s.strip() for s in "".join(t.cell).split("\n") if s.strip())
        t.cell = None
        t.container = False

    def _emit(self, t: _Table):
        rows: dict[int, list[Cell]] = {}
        for (r, c), cell in t.grid.items():
            rows.setdefault(r, []).append(cell)
        for r in sorted(rows):
            cells = sorted(rows[r], key=lambda x: x.col)
            if any(x.text for x in cells if not x.cont) or len(cells) > 1:
                self.blocks.append(Block("row", cells=cells, table=t.number))


def _span(v) -> int:
    try:
        n = int(str(v).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(n, 1), MAX_SPAN)


def blocks_from_html(text: str) -> list[Block]:
    p = _Parser()
    p.feed(text)
    p.close()
    while p.tables:
        t = p.tables.pop()
        p._close_cell(t)
        p.flush()
        p._emit(t)
    p.flush()
    return p.blocks


def report_from_html(text: str, path: Path):
    return Recogniser(blocks_from_html(text), f"“{path.name}”").report()


def import_html(path: Path):
    raw = read_bounded(path, MAX_TEXT_BYTES, "年报网页")
    return report_from_html(decode_text(raw, path), path)


def import_mht(path: Path):
    """A web page saved as a single file (.mht/.mhtml, “网页，单个文件”): the HTML part of the MIME archive."""
    import email
    from email import policy

    raw = read_bounded(path, MAX_TEXT_BYTES, "保存的网页")
    try:
        msg = email.message_from_bytes(raw, policy=policy.default)
        part = next((p for p in msg.walk() if p.get_content_type() == "text/html"), None)
        if part is None:
            raise ImportFailed(f"“{path.name}”中没有网页内容（不是有效的 .mht 网页文件）。")
        payload = part.get_payload(decode=True) or b""
    except ImportFailed:
        raise
    except Exception:  # noqa: BLE001 — a damaged MIME archive
        raise ImportFailed(f"“{path.name}”已损坏，无法作为 .mht 网页读取。") from None
    charset = part.get_content_charset()
    text = None
    if charset:
        try:
            text = payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text = decode_text(payload, path)
    return report_from_html(text, path)
