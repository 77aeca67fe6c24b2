"""An HTML page of a published report (saved from the browser): stdlib ``html.parser``, rowspan/colspan honoured.

Report tables become grid rows (merged cells expanded, the copies marked as continuations); text outside
tables, and text in layout cells that hold a nested table, becomes paragraphs in document order.
"""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from .base import MAX_CELLS, MAX_TEXT_BYTES, Block, Cell, ImportFailed, decode_text, read_bounded, where_label
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
        self.cell_pos: tuple[int, int, int, int] = (0, 0, 1, 1)  # row, column, spans of the open cell
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
        if len(self.blocks) + self.cells > MAX_CELLS:
            raise ImportFailed(f"网页中的段落和表格单元格过多（超过 {MAX_CELLS} 个），不像是一份年度报告，已停止读取。")

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


MAX_PENDING = 1024  # characters of an unfinished tag/comment at the end that the stdlib parser may re-scan


def blocks_from_html(text: str, notes: list[str] | None = None) -> list[Block]:
    """Blocks of a page, in time linear in its length.

    The stdlib parser stops at the first tag, comment or declaration that does not end (an attribute quote that
    never closes, ``<!--`` without ``-->``) and, on ``close()``, re-scans the rest once for every ``<`` in it —
    quadratic or worse. A browser treats such a construct as running to the end of the file; so do we: the
    unfinished rest is dropped (a note says where) instead of re-scanned."""
    p = _Parser()
    p.feed(text)
    pending = len(p.rawdata)
    if pending > MAX_PENDING:
        line = p.getpos()[0]
        if notes is not None:
            notes.append(f"网页第 {line} 行起有未结束的标签或注释（缺少引号、“>”或“-->”），"
                         f"其后的 {pending} 个字符未读取。")
        p.rawdata = ""
    p.close()
    while p.tables:
        t = p.tables.pop()
        p._close_cell(t)
        p.flush()
        p._emit(t)
    p.flush()
    return p.blocks


def report_from_html(text: str, path: Path):
    notes: list[str] = []
    blocks = blocks_from_html(text, notes)
    try:
        report = Recogniser(blocks, where_label(path)).report()
    except ImportFailed as e:
        if notes:
            raise ImportFailed(f"{e}（{notes[0].rstrip('。')}。）") from None
        raise
    if notes:
        report.extra.setdefault("import_notes", []).extend(notes)
    return report


def import_html(path: Path):
    raw = read_bounded(path, MAX_TEXT_BYTES, "年报网页")
    return report_from_html(decode_text(raw, path), path)


MAX_MIME_HEADER = 8 * 1024  # one header of an .mht part (browsers write well under 1 KB)
MAX_MIME_HEADERS = 200  # headers per part
MAX_MIME_PARTS = 5000  # parts in one .mht (the page and its images)


def import_mht(path: Path):
    """A web page saved as a single file (.mht/.mhtml, “网页，单个文件”): the HTML part of the MIME archive.

    The archive is split with the ``compat32`` policy, which keeps headers as raw text; every header is checked
    against :data:`MAX_MIME_HEADER` before any is parsed (the modern header parser takes quadratic time and
    memory on thousands of encoded words or parameters in one header)."""
    import email
    from email import policy

    raw = read_bounded(path, MAX_TEXT_BYTES, "保存的网页")
    try:
        msg = email.message_from_bytes(raw, policy=policy.compat32)
        part = None
        for n, p in enumerate(msg.walk(), start=1):
            if n > MAX_MIME_PARTS:
                raise ImportFailed(f"“{path.name}”包含的部分过多（超过 {MAX_MIME_PARTS} 个），不像是保存的网页，"
                                   "已停止读取。")
            _check_mime_headers(p, path)
            if part is None and p.get_content_type() == "text/html":
                part = p
        if part is None:
            raise ImportFailed(f"“{path.name}”中没有网页内容（不是有效的 .mht 网页文件）。")
        payload = part.get_payload(decode=True) or b""
        if not isinstance(payload, bytes):
            raise ImportFailed(f"“{path.name}”的网页部分结构异常，无法读取。")
    except ImportFailed:
        raise
    except Exception:  # noqa: BLE001 — a damaged MIME archive
        raise ImportFailed(f"“{path.name}”已损坏，无法作为 .mht 网页读取。") from None
    charset = part.get_content_charset()
    text = None
    if charset:
        try:
            text = payload.decode(charset)
        except (LookupError, UnicodeDecodeError, ValueError):  # ValueError: a NUL in the charset name (fuzzing)
            text = None
    if text is None:
        text = decode_text(payload, path)
    return report_from_html(text, path)


def _check_mime_headers(part, path: Path) -> None:
    items = part._headers  # (name, raw value) pairs as read; compat32 parses nothing until asked
    if len(items) > MAX_MIME_HEADERS:
        raise ImportFailed(f"“{path.name}”中一个部分的头信息多达 {len(items)} 行（上限 {MAX_MIME_HEADERS}），"
                           "不像是保存的网页，已停止读取。")
    for name, value in items:
        size = len(name) + len(value) if isinstance(value, str) else 0
        if size > MAX_MIME_HEADER:
            shown = name if len(name) <= 40 else name[:40] + "…"
            raise ImportFailed(f"“{path.name}”中的头信息“{shown}”过长（{size} 个字符，上限 {MAX_MIME_HEADER}），"
                               "不像是保存的网页，已停止读取。")
