"""Recognise a report in a neutral document (paragraphs and table rows): meta, sections, the three tables.

Tables are read as a token stream (every table cell, or every line of a text page) scoped by the section
headings. A row label of the format starts a segment; the number-like tokens that follow are that row's values.
This copes with real grids (DOCX/HTML, merged cells already expanded), tab- or ``|``-separated rows and pages
with one cell per line alike. Labels come from the format's layout (never re-typed here); matching tolerates
width, spacing, brackets, known typos and (with a review mark) near misses.

Nothing is guessed silently: every imported value records its source position in ``report.sources`` and every
value the importer is unsure of gets a reason in ``report.review`` (shown as ``IMPORT.REVIEW``).
"""
from __future__ import annotations

import bisect
import datetime as _dt
import difflib
import functools
import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

from ..formats import DEFAULT_FORMAT, Format, load_format
from ..model import Report
from ..values import NA, Invalid, ValueError_, cn_number, parse_value
from ..textutil import UNITS, find_date, is_page_number, nfkc, organ_like, same_text, standard_opening
from ..textutil import parse_date as _parse_date
from .account import Account, chars
from .base import MAX_CELLS, Block, ImportFailed, check_paragraphs


def _format_table(format_id: str, key: str):
    """A constant table of a format's data file (resources/formats/<id>.json)."""
    return load_format(format_id).data[key]


TABLE_NAMES = {tid: table["name"] for tid, table in _format_table(DEFAULT_FORMAT, "tables").items()}
ONE_ROW_REASON = "原表“（六）其他处理”只有一行、没有子项（2019年试行格式的写法），按“3.其他”导入，请核对"
FUZZY_MIN = 0.8
MAX_KNOWN_TEXTS = 20_000  # distinct texts whose class in a table is kept (a report has about a hundred)
FUZZY_BUDGET = 3000  # approximate label comparisons per document (a real report needs a few dozen)
# whole-label typos seen in published reports -> the verbatim label
KNOWN_TYPOS = _format_table(DEFAULT_FORMAT, "label_typos")
# 2019 cell -> (2021 cell, why it goes there)
_MIGRATE = {old: tuple(new) for old, new in _format_table("gov-2019", "migration")["cells"].items()}
_DASHES = {"-", "—", "——", "－", "–", "―", "─", "--", "---", "一一"}
_NONE_WORDS = {"无"}
_NUMBER = re.compile(r"^[+-]?[\d,]*\.?\d+(?:" + "|".join(UNITS) + r")?$")
_MD = re.compile(r"^\s*(?:#{1,6}\s*|>\s*|[*-]\s+(?=\S))")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]", re.I)
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "〔": "[", "〕": "]",
                         "【": "[", "】": "]", "、": "、", "．": ".", "：": ":"})
_QUOTE_PAIRS = tuple((chr(a), b) for a, b in _QUOTES.items() if chr(a) != b)
_PLACE = re.compile(r"[省市县区州盟旗镇乡]")
_CN_NUM = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


_BLANKS = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """Comparison form of a label: NFKC (full→half width), no blanks, unified quotes/brackets, no bookmarks."""
    t = text or ""
    if t.isascii() and t.isalnum():  # most table cells ("12", "0"): nothing below would change them
        return t
    if "[" in t:  # a bookmark mark is written with an ASCII bracket (a full-width one is read as text)
        t = _BOOKMARK.sub("", t)
    t = nfkc(t)
    for a, b in _QUOTE_PAIRS:  # (str.translate looks every character of a long line up in a dict)
        if a in t:
            t = t.replace(a, b)
    t = _BLANKS.sub("", t).replace("\u3000", "").replace("*", "")
    return t


def clean_line(text: str) -> str:
    """A narrative line as a person reads it: no markdown heading/bold marks, no bookmarks, trimmed."""
    t = text or ""
    if "[" in t:
        t = _BOOKMARK.sub("", t)
    if not t or t[0].isspace() or t[0] in "#>*-":  # a markdown mark can only start the line
        t = _MD.sub("", t)
    if "**" in t:
        t = _BOLD.sub(r"\1", t)
    return t.strip().strip("\u3000").strip()


_HEADING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.．、])")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_OPEN_END = re.compile(r"[\u4e00-\u9fff，、]$")
_LABELLED = re.compile(r"^[\u4e00-\u9fff]{1,8}[:：]")  # 地址：…, 电话：…, 邮编：… lines stand alone


_SENTENCE_END = re.compile(r"[。！？!?；;…：:]$")
_OPENERS = (("《", "》"), ("“", "”"), ("（", "）"), ("(", ")"), ("〈", "〉"), ("<", ">"))


def _unclosed(text: str) -> bool:
    """Does the text leave a book title, quotation or bracket open ("…关于印发《…改造“焕新”")?"""
    return any(text.count(a) > text.count(b) for a, b in _OPENERS)


def broken_after(prev: str, line: str) -> bool:
    """Is ``prev`` a paragraph broken in mid-sentence that ``line`` continues?

    Taken as broken only when ``prev`` is long (20+ characters), is not a bare heading ("（二）信息处理费收取情况")
    or a labelled line ("地址：…"), does not end a sentence, and either ends in a Chinese character or ，、 or leaves
    a book title, quotation or bracket open; and ``line`` starts with a Chinese character (or closes what was left
    open) and is neither a heading nor a labelled line."""
    if len(prev) < 20 or _LABELLED.match(prev) or _SENTENCE_END.search(prev):
        return False
    if _HEADING.match(prev) and "。" not in prev:
        return False
    if not line or _HEADING.match(line) or _LABELLED.match(line):
        return False
    starts = bool(_CJK.match(line)) or line[0] in "》”）)〉>，、"
    return starts and (bool(_OPEN_END.search(prev)) or _unclosed(prev))


def join_broken_paragraphs(lines: list[str], joins: list[str] | None = None) -> list[str]:
    """Join a paragraph that a page broke in mid-sentence with the one after it (see :func:`broken_after`).

    Published pages sometimes split one sentence into two paragraphs ("…，健全" / "依申请公开工作机制，…";
    "…改造“焕新”" / "工作补贴实施方案>的通知》…"). Each join is described in ``joins`` when given."""
    out: list[str] = []
    for line in lines:
        if out and broken_after(out[-1], line):
            if joins is not None:
                joins.append(f"“…{out[-1][-12:]}”与“{line[:12]}…”")
            out[-1] = out[-1] + line
            continue
        out.append(line)
    return out


_NUMERALS = "一二三四五六"
# words that name each part in the headings offices actually write (总体情况/基本情况/总体概况, 问题/不足/改进, …)
_HEADING_WORDS = {"s1": ("总体", "基本情况", "概况", "概述"), "s2": ("主动公开",), "s3": ("申请",),
                  "s4": ("复议", "诉讼"), "s5": ("问题", "不足", "改进"), "s6": ("其他",)}


class _Line:
    """A normalised line with its part numeral ("五、", "第五部分", "（五）") taken off: worked out once, then compared
    with each part's heading."""
    __slots__ = ("t", "m", "rest", "got")

    def __init__(self, t: str):
        m = _PART_NUMERAL.match(t)
        self.t, self.m = t, m
        self.rest = t[m.end():] if m else t
        self.got = next((g for g in m.groups() if g), None) if m else None


def _heading_match(line: _Line, head: str, sid: str) -> str | None:
    """"exact", "renumbered", "unusual" or None: is the normalised line ``line.t`` the heading ``head`` of part
    ``sid``?

    Exact: the heading as the format words it. Unusual (kept, and said so in an import note): the part's numeral
    written "五、", "五." or "第五部分" (or none at all, as Word's automatic numbering leaves it) with a wording
    close to the format's (…和改进情况 for …及改进情况, 存在问题 for 存在的主要问题) or naming the part in the
    words offices use (一、基本情况; 五、存在的不足及改进措施); "（五）…" only when the wording is close, since
    sub-headings inside a part are numbered that way. Renumbered: the format's wording under another numeral."""
    t = line.t
    if t == head:
        return "exact"
    if len(t) > len(head) + 14:
        return None
    numeral, body = _split_heading(head)
    m, rest, got = line.m, line.rest, line.got
    if got is not None and got != numeral:
        return "renumbered" if rest == body and not t.startswith("(") else None
    if m and not t.startswith("("):
        close = _Closeness(rest, body)
        if close.at_least(0.6) or any(w in rest for w in _HEADING_WORDS.get(sid, ())) and len(rest) <= 24:
            return "exact" if close.at_least(0.999) else "unusual"
        return None
    if len(rest) >= 4 and 2.0 * min(len(rest), len(body)) / (len(rest) + len(body)) >= 0.8 \
            and _Closeness(rest, body).at_least(0.8):  # (the lengths alone rule most lines out)
        return "unusual"
    return None


@lru_cache(maxsize=4096)
def _heading_of(format_id: str, text: str) -> tuple:
    """(section id, how) when the line ``text`` (at most 80 characters) is the heading of a part of the format,
    how as :func:`_heading_match` says ("exact", "renumbered", "unusual"), else (None, None). A function of the
    two alone, worked out once per distinct line (the same sub-headings and labels recur in report after report)."""
    heads = _heads(format_id)
    t = norm(clean_line(text)).rstrip("。:")
    if t and (t[-1] in ".…·" or t[-1].isdigit()):  # "一、总体情况……1" in a contents list
        t = _CONTENTS_TAIL.sub("", t)
    exact = _exact_headings(format_id)
    if t in exact:  # a heading as the format words it (no other part's heading can be "exact" for it)
        return exact[t], "exact"
    line = _Line(t)
    if line.got is None and not any(t == head for _, head in heads) and (len(t) < 4 or not any(
            2.0 * min(len(t), n) / (len(t) + n) >= 0.8 for n in _body_lengths(format_id))):
        return None, None  # no numeral, and too short or too long to be near any heading (what _heading_match says)
    hows = [(sid, _heading_match(line, head, sid)) for sid, head in heads]
    # the format's wording under another numeral (上海 numbers the tables 一、二、三) before a near wording
    sid, how = next((x for x in hows if x[1] == "exact"), None) or next(
        (x for x in hows if x[1] == "renumbered"), None) or next((x for x in hows if x[1]), (None, None))
    return (sid, how) if how else (None, None)


@lru_cache(maxsize=64)
def _split_heading(head: str) -> tuple[str, str]:
    """A normalised heading's numeral and the rest ("五", "存在的主要问题及改进情况")."""
    numeral, body = head.split("、", 1)
    return numeral, body


@lru_cache(maxsize=None)
def _heads(format_id: str) -> tuple[tuple[str, str], ...]:
    """(section id, normalised heading) of each part of the format, in order."""
    return tuple((sec["id"], norm(sec["heading"])) for sec in load_format(format_id).sections)


@lru_cache(maxsize=None)
def _body_lengths(format_id: str) -> tuple[int, ...]:
    """The length of each part's normalised heading without its numeral."""
    return tuple(len(head.split("、", 1)[1]) for _, head in _heads(format_id))


@lru_cache(maxsize=None)
def _exact_headings(format_id: str) -> dict[str, str]:
    """normalised heading -> its part, where every part's numeral differs (then a line that is one part's heading
    is "exact" for that part only: the others see another numeral); else empty (every line compared in full)."""
    sections = load_format(format_id).sections
    heads = {norm(sec["heading"]): sec["id"] for sec in sections}
    numerals = {h.split("、", 1)[0] for h in heads}
    return heads if len(numerals) == len(heads) == len(sections) else {}


_CONTENTS_TAIL = re.compile(r"[.…·]{3,}\d*$")
_PART_NUMERAL = re.compile(r"^(?:第([一二三四五六])部分[、:.]?|([一二三四五六])[、.,]|[(]([一二三四五六])[)])")


class _Closeness:
    """``difflib.SequenceMatcher(None, a, b).ratio() >= x``, asked of the matcher's upper bounds first (the lengths,
    then the characters in common): most lines of a report are far from every heading and never need the ratio."""

    def __init__(self, a: str, b: str):
        self.a, self.b = a, b
        n = len(a) + len(b)
        self.longest = 2.0 * min(len(a), len(b)) / n if n else 1.0  # real_quick_ratio(), without the matcher
        self.matcher: difflib.SequenceMatcher | None = None
        self.quick: float | None = None
        self.ratio: float | None = None

    def at_least(self, x: float) -> bool:
        if self.ratio is None:
            if self.longest < x:
                return False
            if self.quick is None:  # quick_ratio(): the characters the two have in common, counted with repeats
                a, b = self.a, self.b
                n = len(a) + len(b)
                common = sum(min(a.count(c), b.count(c)) for c in set(a).intersection(b))
                self.quick = 2.0 * common / n if n else 1.0
            if self.quick < x:
                return False
            if self.matcher is None:
                self.matcher = difflib.SequenceMatcher(None, self.a, self.b)
            self.ratio = self.matcher.ratio()
        return self.ratio >= x


# ------------------------------------------------------------------------------------------------
# values

def import_value(raw: str, kind: str) -> tuple[object, str | None]:
    """(value, review reason or None) for a table cell's text."""
    if kind == "count" and raw.isdigit() and raw.isascii() and len(raw) <= 20:  # most cells: what parse_value gives
        return int(raw), None
    t = norm(raw)
    if t == "":
        return None, None
    shown = raw.strip()
    if t in ("/", "不适用", "//"):
        return NA, None
    if t in _DASHES:
        return 0, f"原表为“{shown}”，按 0 导入（也可能表示不适用或未填），请核对"
    if t in _NONE_WORDS:
        return 0, f"原表为“{shown}”，按 0 导入，请核对"
    unit = next((u for u in UNITS if t.endswith(u) and len(t) > len(u)), None)
    body = t[: -len(unit)] if unit else t
    if unit == "元" and kind == "money":
        return Invalid(shown), "原表单位为“元”，本格单位为万元，请换算后填写"
    try:
        value = parse_value(body, kind)
    except ValueError_:
        return Invalid(shown), f"原表为“{shown}”，无法识别为有效数值"
    if value is None:
        return None, None
    if unit:
        return value, f"原表单元格带单位（“{shown}”），已去掉单位导入"
    return value, None  # full-width digits and thousands separators are ordinary typing forms


_CN_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万]{1,12}")


def chinese_numerals(tokens) -> list[str]:
    """Tokens that are whole numbers written in Chinese numerals (三, 十五, 一百零二) — table values a person
    reads as numbers, which the importer does not convert (a table of them is refused with that reason)."""
    from ..values import cn_number
    return [w for t in tokens for w in t.text.split() if _CN_NUMERAL.fullmatch(w) and cn_number(w) is not None]


_VALUE_WORDS = frozenset(("", "/", "//", "不适用", *_DASHES, *_NONE_WORDS))


def value_like(t: str) -> bool:
    """Is a normalised token a table value (number, blank marker, dash, unit) rather than a label?"""
    return t in _VALUE_WORDS or (t.isascii() and t.isdigit()) or bool(_NUMBER.match(t))


# ------------------------------------------------------------------------------------------------
# tokens

@dataclass(slots=True)
class Token:
    text: str
    n: str  # normalised
    where: str
    block: int  # index of its block
    multi: bool  # from a table row with several cells (a real row boundary)


def tokens_of(blocks: list[Block], source: str = "文件") -> list[Token]:
    out: list[Token] = []
    append = out.append
    for bi, b in enumerate(blocks):
        if b.kind == "p":
            append(Token(b.text, norm(b.text), f"第{b.line}行" if b.line else f"第{bi + 1}段", bi, False))
            continue
        cells = [c for c in b.cells if not c.cont]
        multi = len(cells) > 1
        if b.line:
            for c in cells:
                append(Token(c.text, norm(c.text), f"第{b.line}行第{c.col}项", bi, multi))
        else:  # "第{table}个表格第{row}行第{col}列", the row's part written once
            row, at = None, ""
            for c in cells:
                if c.row != row:
                    row, at = c.row, f"第{b.table}个表格第{c.row}行第"
                text = c.text
                append(Token(text, norm(text), at + _column_at(c.col), bi, multi))
        if len(out) > MAX_CELLS:
            raise ImportFailed(f"{source}中的段落和表格单元格过多（超过 {MAX_CELLS} 个），不像是一份年度报告，"
                               "已停止读取。")
    return out


_block_of = attrgetter("block")


@lru_cache(maxsize=256)
def _column_at(col: int) -> str:
    return f"{col}列"


# ------------------------------------------------------------------------------------------------
# table specifications from the format layout

_VALUE: tuple = ("value", None, None)  # the class of a table value (one object: read_table tells it by identity)


def _label_form(spec: "TableSpec", n: str) -> str:
    """A normalised text as the table's row label would be written: a known typo corrected, "3、其他" as "3.其他"
    (the numbering's stop as typed) unless it is a row label as it stands."""
    t = KNOWN_TYPOS.get(n, n)
    if "、" in t and t not in spec.row_label:
        t = _NUMBERED_COMMA.sub(r"\1.", t)
    return t


_NUMBERED_COMMA = re.compile(r"^(\d{1,2})、")


@dataclass
class RowSpec:
    labels: tuple[str, ...]  # label path, most specific last
    cells: list[str]  # cell ids in column order
    kinds: tuple[str, ...] = ()  # their kinds (the format's cells), in the same order


@dataclass
class TableSpec:
    tid: str
    rows: list[RowSpec]
    row_label: dict[str, list[int]] = field(default_factory=dict)  # norm label -> row indices
    other_labels: set[str] = field(default_factory=set)  # headers, block headers, parent labels
    canon: dict[str, str] = field(default_factory=dict)  # norm -> verbatim label
    bare: dict[str, list[int]] = field(default_factory=dict)  # label without numbering -> row indices
    bare_header: dict[str, list[int]] = field(default_factory=dict)  # the same, colliding with a header
    # no label (nor known typo) is a plain number: a token of ASCII digits is a value without looking further
    digits_are_values: bool = False
    other_parents: set[str] = field(default_factory=set)  # norm label of a parent row with a "3.其他" child
    known: dict = field(default_factory=dict)  # norm text -> what Recogniser._known makes of it (a memo)
    paths: dict = field(default_factory=dict)  # label form -> what _label_path makes of it (a memo)
    label_less: list[int] = field(default_factory=list)  # rows without labels (table 4's one row)
    groups: list[tuple[int, str]] = field(default_factory=list)  # their column groups (see _column_groups)


def table_spec(fmt: Format, tid: str) -> TableSpec:
    return _table_spec(fmt.id, tid)


@lru_cache(maxsize=None)
def _table_spec(format_id: str, tid: str) -> TableSpec:
    fmt = load_format(format_id)
    layout = fmt.layout(tid)
    table = fmt.tables[tid]
    by_row: dict[int, list] = {}
    for p in layout.cells:
        if p.cell_id:
            by_row.setdefault(p.row, []).append(p)
    rows: list[RowSpec] = []
    for r in sorted(by_row):
        cell_ids = [p.cell_id for p in sorted(by_row[r], key=lambda p: p.col)]
        labels = fmt.cells[cell_ids[0]].row_labels
        if table["kind"] == "blocks":
            labels = (fmt.cells[cell_ids[0]].block,) + tuple(labels)
        rows.append(RowSpec(tuple(labels), cell_ids, tuple(fmt.cells[c].kind for c in cell_ids)))
    spec = TableSpec(tid, rows)
    for i, row in enumerate(rows):
        if row.labels:
            k = norm(row.labels[-1])
            spec.row_label.setdefault(k, []).append(i)
            spec.canon[k] = row.labels[-1]
            for parent in row.labels[:-1]:
                spec.other_labels.add(norm(parent))
                spec.canon[norm(parent)] = parent
    for p in layout.cells:
        if p.role in ("header", "corner", "block") and p.text:
            spec.other_labels.add(norm(p.text))
            spec.canon[norm(p.text)] = p.text
    spec.other_labels.add(norm(table.get("label_header", "信息内容")))
    spec.other_labels -= set(spec.row_label)
    # labels without their numbering (Word's automatic list numbering is not part of the text): unique ones only
    bare: dict[str, list[str]] = {}
    for k in spec.row_label:
        bare.setdefault(strip_numbering(k), []).append(k)
    spec.bare = {b: spec.row_label[ks[0]] for b, ks in bare.items()
                 if len(ks) == 1 and b and b != ks[0] and b not in spec.other_labels and len(b) >= 2}
    # "总计", "其他": a row label without numbering that is also a column header; a row only when numbers follow
    spec.bare_header = {b: spec.row_label[ks[0]] for b, ks in bare.items()
                        if len(ks) == 1 and b != ks[0] and b in spec.other_labels}
    spec.digits_are_values = not any(k.isdigit() for k in (*KNOWN_TYPOS, *spec.row_label, *spec.other_labels))
    spec.other_parents = {norm(row.labels[-2]) for row in rows
                          if len(row.labels) >= 2 and strip_numbering(norm(row.labels[-1])) == "其他"}
    spec.label_less = [i for i, r in enumerate(rows) if not r.labels]
    spec.groups = _column_groups(fmt, spec, spec.label_less)
    return spec


_NUMBERING = re.compile(r"^(?:\d{1,2}[.、)]|\(\d{1,2}\)|\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}、)")


def strip_numbering(t: str) -> str:
    """"(三)不予公开" -> "不予公开", "1.属于国家秘密" -> "属于国家秘密" (normalised text)."""
    return _NUMBERING.sub("", t, count=1)


# ------------------------------------------------------------------------------------------------
# the recogniser

@dataclass
class Segment:
    row: int  # index into TableSpec.rows
    label_token: Token | None
    fuzzy: str | None  # review reason when the label matched only approximately
    values: list[Token] = field(default_factory=list)
    into: "tuple[Segment, int] | None" = None  # a later piece of a label-less row, written back at this offset


class Recogniser:
    def __init__(self, blocks: list[Block], source: str, account: Account | None = None):
        check_paragraphs(blocks, source)
        self.blocks = blocks
        self.source = source
        self.account = account if account is not None else Account()
        self._row_texts: dict[int, str] = {}  # id of a row block (the blocks live as long as this) -> its text
        self._row_chars: dict[int, int] = {}  # id of a row block -> chars() of its text
        for b in blocks:
            if b.kind == "p":
                self.account.read(b.text)
            else:
                self._row_chars[id(b)] = self.account.read(self._row_text(b))
        self.place_of: dict[int, str] = {}  # paragraph block -> where its text went (see account.py)
        self.title_blocks: list[int] = []
        self.closing_lines: list[str] = []
        self.first_head: int | None = None
        self.unusual_headings: dict[str, str] = {}  # section id -> the heading as the report wrote it
        self.recovered: dict[str, str] = {}  # section id -> its first line, where the heading itself is missing
        self.contact_lines: list[str] = []
        self.tokens = tokens_of(blocks, source)
        self.review: dict[str, str] = {}
        self.sources: dict[str, str] = {}
        self.notes: list[str] = []
        self._cache: dict = {}
        self._paragraphs: list[tuple[int, str]] | None = None
        self._fuzzy_budget = FUZZY_BUDGET

    def _row_text(self, b: Block) -> str:
        """The text of a table row's cells (merged cells once), worked out once per row."""
        text = self._row_texts.get(id(b))
        if text is None:
            text = self._row_texts[id(b)] = "".join([c.text for c in b.cells if not c.cont])
        return text

    # -- layout detection ----------------------------------------------------------------------
    def detect_format(self) -> str:
        only_old = _labels_only_2019()
        hits = {tok.n for tok in self.tokens if tok.n in only_old}
        return "gov-2019" if len(hits) >= 2 else DEFAULT_FORMAT

    # -- headings ------------------------------------------------------------------------------
    def find_headings(self, fmt: Format) -> dict[str, int]:
        """section id -> index of the paragraph block carrying its heading.

        A heading directly followed by another section's heading is a table of contents line and is skipped."""
        heads = [(sec["id"], norm(sec["heading"])) for sec in fmt.sections]
        which: dict[int, str] = {}  # block index -> section id of the heading it carries
        unusual: dict[int, str] = {}  # block index -> its text, when it is not the format's heading
        renumbered: set[int] = set()  # blocks whose heading is the format's wording under another numeral
        for bi, b in enumerate(self.blocks):
            text = b.text if b.kind == "p" else (b.cells[0].text if len(b.cells) == 1 else "")
            if not text or len(text) > 80:
                continue
            sid, how = _heading_of(fmt.id, text)
            if how:
                which[bi] = sid
                if how != "exact":
                    unusual[bi] = clean_line(text)
                if how == "renumbered":
                    renumbered.add(bi)
        with_text = {i for i, _ in self.paragraphs()}
        blocks = self.blocks

        def nonempty(bi: int) -> bool:
            b = blocks[bi]
            return bi in with_text or (b.kind == "row" and any(c.text for c in b.cells))

        # a heading block with text -> the next block with text (looked for from the heading blocks only)
        nxt = {bi: next((j for j in range(bi + 1, len(blocks)) if nonempty(j)), None) for bi in which if nonempty(bi)}
        found: dict[str, int] = {}
        start = 0
        in_order = sorted(which)
        for sid, _ in heads:
            hits = [bi for bi in in_order if bi >= start and which[bi] == sid
                    and not ((n := nxt.get(bi)) is not None and n in which and which[n] != sid
                             and n not in renumbered)]
            hit = hits[0] if hits else None
            if hit in renumbered:  # under another numeral only where the part has no heading of its own (a sub-part
                # of 一 may be called 一、主动公开政府信息情况 above the real 二、主动公开政府信息情况)
                hit = next((bi for bi in hits if bi not in renumbered and bi not in unusual), hit)
            if hit is not None:
                found[sid] = hit
                start = hit + 1
                if hit in unusual:
                    self.unusual_headings[sid] = unusual[hit]
        self._recover_part_five(fmt, found)
        return found

    def _recover_part_five(self, fmt: Format, found: dict[str, int]) -> None:
        """五 without its heading (上海's layout: after table 4 the text goes on with （一）主要问题 （二）改进情况):
        the first paragraph after the last table's rows that is numbered （一） and speaks of 问题, 不足 or 改进
        starts 五. An assumption, said in an import note."""
        sid = "s5"
        ids = [sec["id"] for sec in fmt.sections]
        if sid in found or not ids[:ids.index(sid)] or ids[ids.index(sid) - 1] not in found:
            return
        lo = found[ids[ids.index(sid) - 1]]
        hi = min([i for i in found.values() if i > lo], default=len(self.blocks))
        rows = [i for i in range(lo, hi) if self.blocks[i].kind == "row"]
        for bi in range((rows[-1] if rows else lo) + 1, hi):
            b = self.blocks[bi]
            if b.kind != "p" or not clean_line(b.text):
                continue
            t = norm(clean_line(b.text))
            if re.match(r"^\(一\)", t) and len(t) <= 40 and any(w in t for w in _HEADING_WORDS[sid]):
                found[sid] = bi
                self.recovered[sid] = clean_line(b.text)
            return

    # -- tables --------------------------------------------------------------------------------
    def classify(self, spec: TableSpec, tok: Token, numbers_follow: bool = True):
        """("row", [row idx], fuzzy reason) | ("label",) | ("value",) | ("other",)

        Approximate matching is tried only where ``numbers_follow`` (a row label is followed by its values),
        which keeps pages full of other text fast."""
        return self._known(spec, tok.n) or self._approximate(spec, tok, numbers_follow)

    def _known(self, spec: TableSpec, n: str):
        """The class of the normalised text ``n`` that needs no approximate matching (exact labels, values, labels
        without or with another numbering), else ``False``. Worked out once per distinct text and table (a function
        of the two alone: kept with the table's spec, for every document read, see :meth:`_known_texts`)."""
        known = self._known_texts(spec)
        hit = known.get(n)
        if hit is None:
            if spec.digits_are_values and n.isdigit() and n.isascii():
                hit = _VALUE  # a number as most cells hold one: what _exact comes to
            else:
                hit = self._exact(spec, _label_form(spec, n))
            if len(known) >= MAX_KNOWN_TEXTS:  # (bounded: a run of odd documents starts it afresh)
                known.clear()
            known[n] = hit
        return hit

    @staticmethod
    def _known_texts(spec: TableSpec) -> dict:
        """normalised text -> what :meth:`_known` made of it in this table."""
        return spec.known

    @staticmethod
    def _exact(spec: TableSpec, t: str):
        if t in spec.row_label:
            return "row", spec.row_label[t], None
        if t in spec.other_labels:
            return "label", None, None
        if value_like(t):
            return _VALUE
        if t in spec.bare:
            return "row", spec.bare[t], None
        if strip_numbering(t) in spec.bare and strip_numbering(t) != t:  # other numbering style: "(1)属于…"
            return "row", spec.bare[strip_numbering(t)], None
        return False

    def _approximate(self, spec: TableSpec, tok: Token, fuzzy_ok: bool):
        """The class of a token :meth:`_known` leaves open: a label path in one cell, a near miss of a label
        (only where ``fuzzy_ok``: numbers follow), else "other". Worked out once per distinct text, table and
        ``fuzzy_ok`` (the reason of a near miss quotes the first token with that text)."""
        key = (spec.tid, tok.n, fuzzy_ok)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self._classify(spec, tok, fuzzy_ok)
        return hit

    def _classify(self, spec: TableSpec, tok: Token, fuzzy_ok: bool = True):
        t = _label_form(spec, tok.n)
        if len(t) > 80 or not fuzzy_ok:
            return "other", None, None
        # a label path written in one cell: "（三）不予公开1.属于国家秘密" (a function of the table and the text: kept
        # with the table's spec for every document read, as _known does)
        rows = spec.paths.get(t)
        if rows is None:
            rows = _label_path(spec, t)
            if len(spec.paths) >= MAX_KNOWN_TEXTS:
                spec.paths.clear()
            spec.paths[t] = rows
        if rows:
            return "row", rows, None
        self._fuzzy_budget -= 1
        if self._fuzzy_budget < 0:  # a page full of label-like lines: stop approximate matching (bounded time)
            return "other", None, None
        best, second, best_k = 0.0, 0.0, None
        for k in list(spec.row_label) + list(spec.other_labels):
            if 2 * min(len(t), len(k)) < 0.75 * (len(t) + len(k)):
                continue  # the ratio cannot reach the threshold
            m = difflib.SequenceMatcher(None, t, k, autojunk=False)
            if m.quick_ratio() < 0.75:
                continue
            r = m.ratio()
            if r > best:
                best, second, best_k = r, best, k
            elif r > second:
                second = r
        if best >= FUZZY_MIN and best - second >= 0.04:
            if best_k in spec.row_label:
                return "row", spec.row_label[best_k], (f"原表标签“{tok.text.strip()}”与标准标签“{spec.canon[best_k]}”"
                                                       f"不完全一致，按后者导入")
            return "label", None, None
        return "other", None, None

    def _numbers_follow(self, ti: int, hi: int) -> bool:
        """Is one of the next few tokens (blank cells skipped) a number?"""
        seen = 0
        for tj in range(ti + 1, min(hi, ti + 8)):
            n = self.tokens[tj].n
            if not n:
                continue
            if value_like(n):
                return True
            seen += 1
            if seen >= 2:  # a label path split over cells: "（三）不予公开" "1.属于国家秘密" "0"
                return False
        return False

    def _row_starts_blank(self, ti: int, hi: int) -> bool:
        """A blank first cell of a real table row that holds numbers (table 4 with its first value left blank)."""
        tok = self.tokens[ti]
        if not tok.multi or (ti > 0 and self.tokens[ti - 1].block == tok.block):
            return False
        for tj in range(ti + 1, hi):
            t = self.tokens[tj]
            if t.block != tok.block:
                return False
            if t.n:
                return value_like(t.n)
        return False

    def _line(self, ti: int, hi: int) -> list[Token]:
        """The tokens of tokens[ti]'s row from ti on (a row's tokens are consecutive)."""
        block = self.tokens[ti].block
        return list(itertools.takewhile(lambda t: t.block == block, self.tokens[ti:hi]))

    def _blank_row(self, ti: int, hi: int, n: int) -> bool:
        """tokens[ti] starts a row of a real table with exactly ``n`` cells, all of them blank (table 4 left empty,
        as a template or an office without 复议/诉讼 leaves it): the row is there, its cells blank."""
        tok = self.tokens[ti]
        if not tok.multi or (ti > 0 and self.tokens[ti - 1].block == tok.block):
            return False
        row = [t for t in self.tokens[ti:min(hi, ti + n + 1)] if t.block == tok.block]
        return len(row) == n and not any(t.n for t in row)

    def _values_next(self, ti: int, hi: int) -> bool:
        """Is the next non-empty token a value (a label followed directly by its row's numbers)?"""
        for tj in range(ti + 1, min(hi, ti + 12)):
            n = self.tokens[tj].n
            if n:
                return value_like(n)
        return False

    def _one_row_parents(self, spec: TableSpec, lo: int, hi: int) -> dict[str, int]:
        """norm label of a parent row with a "3.其他" child -> that child's row, when none of the parent's
        children is in the table (a 2021-format report that kept the old one-row （六）其他处理)."""
        out: dict[str, int] = {}
        texts: set[str] | None = None  # the distinct texts of the part
        for i, row in enumerate(spec.rows):
            if len(row.labels) >= 2 and strip_numbering(norm(row.labels[-1])) == "其他":
                parent = norm(row.labels[-2])
                kids = {norm(r.labels[-1]) for r in spec.rows if len(r.labels) >= 2 and norm(r.labels[-2]) == parent}
                bare_kids = {strip_numbering(k) for k in kids if strip_numbering(k) != "其他"}
                if texts is None:
                    texts = {self.tokens[t].n for t in range(lo, hi)}
                if kids.isdisjoint(texts) and not any(strip_numbering(n) in bare_kids for n in texts):
                    out[parent] = i
        return out

    def read_table(self, fmt: Format, tid: str, lo: int, hi: int,  # noqa: C901 (one pass, the row state together)
                   headed: bool = False) -> dict[str, tuple]:
        """cell id -> (value, review reason, source) for one table, from tokens[lo:hi] (``headed``: the scope
        starts at the table's own heading, so a row without labels — table 4 — may start at the first number)."""
        spec = table_spec(fmt, tid)
        label_less, groups = spec.label_less, spec.groups
        one_row = functools.cache(lambda: self._one_row_parents(spec, lo, hi))  # asked of table 3's parents only
        filled: set[int] = set()
        segments: list[Segment] = []
        cur: Segment | None = None
        seen_header = headed
        late: list[Segment] = []
        pieces = functools.cache(lambda: self._label_pieces(spec, lo, hi))  # needed for rows printed apart only
        known = self._known_texts(spec)
        evidence: dict[int, bool] = {}
        last_read: int | None = None  # the row that got a number last
        read_rows: set[int] = set()  # rows that got a number
        piece: Segment | None = None  # a label-less row printed in pieces (table 4 as three 5-column tables)
        named: int | None = None  # the column group a piece's own heading names (行政诉讼（复议后起诉）)
        for ti, tok in enumerate(self.tokens[lo:hi], lo):
            hit = known.get(tok.n)
            if hit is None:
                hit = self._known(spec, tok.n)
            if hit is _VALUE and cur is not None and cur.values and tok.block == cur.values[-1].block:
                cur.values.append(tok)  # the next number of a row being read (what the rules below come to)
                if tok.n:
                    last_read = cur.row
                    read_rows.add(cur.row)
                continue
            kind, rows, fuzzy = hit or self._approximate(spec, tok, self._numbers_follow(ti, hi))
            if groups and kind != "value" and tok.n:
                named = next((off for off, name in groups if name in tok.n), named)
            if kind == "label" and tok.n in spec.bare_header and ti + 1 < hi \
                    and value_like(self.tokens[ti + 1].n) and self.tokens[ti + 1].n \
                    and any(i not in filled for i in spec.bare_header[tok.n]) and filled:
                kind, rows = "row", spec.bare_header[tok.n]  # "总计 3 0 …" after the other rows: the 总计 row
            if kind == "other" and cur is not None and len(tok.n) <= 12 \
                    and (re.search(r"\d", tok.n) or len(tok.n) <= 3) and not _label_piece(spec, tok.n):
                kind = "value"  # an odd entry in a value position ("约2", "2件左右"): kept verbatim, marked
            if kind == "other" and cur is not None and not cur.values and spec.rows[cur.row].labels \
                    and len(tok.n) >= 2 and tok.n in norm(spec.rows[cur.row].labels[-1]):
                continue  # the rest of the row's label, broken over lines or cells ("缴纳费用、" "行政机关不再…")
            if kind == "other" and tok.multi and (cur is None or cur.values and tok.block != cur.values[-1].block):
                away = self._row_away(spec, last_read, read_rows, pieces, evidence, ti, hi, label=True)
                if away is not None:
                    filled.add(away)
                    cur = Segment(away, tok, ROW_AWAY_REASON)
                    segments.append(cur)
                    continue  # a piece of the row's label in its first cells
            if cur is not None and kind == "value" and tok.multi and cur.values and tok.block != cur.values[-1].block \
                    and (cur.label_token is None or tok.block != cur.label_token.block):
                cur = None  # a new row of a real table without its own label
            if kind == "label" and tid == "t3" and tok.n in spec.other_parents and tok.n in one_row() \
                    and self._values_next(ti, hi):
                kind, rows, fuzzy = "row", [one_row()[tok.n]], ONE_ROW_REASON  # the old one-row （六）其他处理
            if kind == "row":
                row = next((i for i in rows if i not in filled), None)
                cur = None
                if row is not None:
                    filled.add(row)
                    cur = Segment(row, tok, fuzzy)
                    segments.append(cur)
            elif kind == "label":
                cur = None
                seen_header = True
            elif kind == "value":
                if cur is None and piece is not None and tok.multi and tok.n:
                    cur = self._next_piece(piece, named, groups, len(spec.rows[piece.row].cells), ti, hi)
                    named = None
                    if cur is not None and cur.into:
                        late.append(cur)
                if tok.multi and tok.n and not label_less and (cur is None or not cur.values and (
                        cur.label_token is None or not cur.label_token.multi)):
                    # numbers of a row whose label is not beside them; a label on a line of its own just above
                    # may belong to a later row (上海's PDF text prints labels ahead of their numbers)
                    away = self._row_away(spec, last_read, read_rows, pieces, evidence, ti, hi, label=False)
                    if away is not None and (cur is None or away != cur.row):
                        cur = next((seg for seg in segments if seg.row == away), None)
                        if cur is None:
                            filled.add(away)
                            cur = Segment(away, None, ROW_AWAY_REASON)
                            segments.append(cur)
                        else:
                            cur.fuzzy = ROW_AWAY_REASON
                if cur is None and seen_header and label_less and (tok.n != "" or self._row_starts_blank(ti, hi) or (
                        headed and self._blank_row(ti, hi, len(spec.rows[label_less[0]].cells)))):
                    row = next((i for i in label_less if i not in filled), None)
                    if row is not None:
                        filled.add(row)
                        cur = piece = Segment(row, None, None)
                        segments.append(cur)
                        named = None
                if cur is not None:
                    cur.values.append(tok)
                    if tok.n:
                        last_read = cur.row
                        read_rows.add(cur.row)
            else:
                cur = None
        for seg in late:
            while seg.values and not seg.values[-1].n and not seg.values[-1].multi:
                seg.values.pop()
            assert seg.into is not None  # only later pieces are in ``late``
            whole, at = seg.into
            whole.values[at:at + len(seg.values)] = seg.values
        out: dict[str, tuple] = {}
        mismatched = []
        name = TABLE_NAMES.get(tid, tid)
        for seg in segments:
            row_spec = spec.rows[seg.row]
            cells = row_spec.cells
            if any(v.multi for v in seg.values):  # a row of a table: a blank line after it is no cell of it
                seg.values = [v for v in seg.values if v.multi or v.n]
            chosen, ok = _fit(seg.values, len(cells))
            gap = None
            shown: list[Token] = []
            if not ok:
                shown = [v for v in seg.values if v.n]
                mismatched.append((seg, len(shown)))
                if len(shown) < len(cells):
                    chosen, gap = _fewer(fmt, cells, shown)
                    if gap is None:
                        self._undecided(name, spec.rows[seg.row], cells, shown, out)
                        continue
            plain = ok and not seg.fuzzy
            for cid, kind, tok in zip(cells, row_spec.kinds, chosen):
                if tok is None:
                    continue
                raw = tok.text
                if plain and kind == "count" and raw.isdigit() and raw.isascii() and len(raw) <= 20:
                    out[cid] = (int(raw), None, f"{name}·{tok.where}")  # most cells (what import_value gives)
                    continue
                value, why = import_value(raw, kind)
                if plain and not why:  # read as they stand
                    out[cid] = (value, None, f"{name}·{tok.where}")
                    continue
                reasons = [r for r in (seg.fuzzy, why) if r]
                if gap is not None:
                    reasons.append(f"本行有 {len(shown)} 个数值而表头有 {len(cells)} 列；只有空缺的是“"
                                   f"{fmt.cells[gap].col_labels[-1]}”一列时符合表格的合计关系，已按此对应，请核对")
                elif not ok:
                    reasons.append(f"本行有 {len(shown)} 个数值而表头有 {len(cells)} 列，已按顺序对应")
                out[cid] = (value, "；".join(reasons) or None, f"{name}·{tok.where}")
        with_values = [s for s in segments if any(v.n for v in s.values)]
        if with_values and len(mismatched) * 2 > len(with_values) and len(mismatched) >= 2:
            seg, k = mismatched[0]
            where = seg.label_token.where if seg.label_token else seg.values[0].where
            label = spec.rows[seg.row].labels[-1] if spec.rows[seg.row].labels else "数据行"
            numerals = chinese_numerals(self.tokens[lo:hi])
            if len(numerals) >= 3:  # the numbers are there, written in Chinese: say so, never guess them
                shown = "”“".join(list(dict.fromkeys(numerals))[:3])
                raise ImportFailed(f"{name}中的数值写成了汉字数字（例如“{shown}”），本程序只读取阿拉伯"
                                   "数字，不会把汉字数字换算后填入。请把表中的数字改为阿拉伯数字（如 3、15）后再导入。")
            raise ImportFailed(f"{name}的列数与标准格式不符：例如“{label}”一行（{where}）有 {k} 个数值，"
                               f"标准格式为 {len(spec.rows[seg.row].cells)} 列。表格可能多出或缺少了列，"
                               "无法可靠对应，请按标准格式整理该表后再导入。")
        return out

    def _undecided(self, name: str, row: RowSpec, cells: list[str], shown: list[Token], out: dict) -> None:
        """A row with fewer numbers than columns whose numbers cannot be placed: every cell left blank, each with
        the reason and the numbers as printed (for the clerk to place by the original), and an import note."""
        nums = "、".join(v.text.strip() for v in shown)
        label = row.labels[-1] if row.labels else "数据行"
        why = (f"原表“{label}”一行只有 {len(shown)} 个数值（{nums}），表头有 {len(cells)} 列，无法确定各属哪一列，"
               "未导入，请对照原文填写")
        for cid in cells:
            out[cid] = (None, why, f"{name}·{shown[0].where}")
        self.notes.append(f"{name}：{why}。")

    def _label_pieces(self, spec: TableSpec, lo: int, hi: int) -> list[str]:
        """The texts in tokens[lo:hi] that are pieces of a row label and no label or value themselves (a label the
        PDF's text broke over lines: "5.要求行政机关确认或重新出具" / "已获取信息")."""
        out = []
        for ti in range(lo, hi):
            t = self.tokens[ti].n
            if 2 <= len(t) <= 40 and not (t.isdigit() and t.isascii()) and t not in spec.row_label \
                    and not value_like(t):
                out.append(t)
                if len(out) >= MAX_LABEL_PIECES:  # a table part has a few dozen; a page of short lines is bounded
                    break
        return out

    def _row_away(self, spec: TableSpec, last_read: int | None, read_rows: set[int], pieces: Callable[[], list[str]],
                  evidence: dict[int, bool], ti: int, hi: int, label: bool) -> int | None:
        """The row whose numbers start at tokens[ti] (``label``: after pieces of its label in the row's first cells)
        when its own label is not printed beside them (上海's PDF text): only the row right after the last one read,
        in the format's order, not read yet, whose label is printed in pieces somewhere in the table's part, and only
        when the tokens of this line are exactly as many numbers as the row has columns. Otherwise None."""
        if last_read is None or (ti > 0 and self.tokens[ti - 1].block == self.tokens[ti].block and not label):
            return None  # nothing read yet, or not the first token of its line
        row = last_read + 1  # the row after the one read last
        if row >= len(spec.rows) or not spec.rows[row].labels or row in read_rows:
            return None
        want = norm(spec.rows[row].labels[-1])
        line = self._line(ti, hi)
        if label:
            heads = list(itertools.takewhile(lambda t: not value_like(t.n), line))
            if not all(t.n in want for t in heads) or not any(len(t.n) >= 4 for t in heads):
                return None
            line = line[len(heads):]
        if len(line) != len(spec.rows[row].cells) or not all(t.n and value_like(t.n) for t in line):
            return None
        if row not in evidence:  # computed once per row: a long page has many rows of numbers
            evidence[row] = any(_shared(p, want) >= min(5, len(strip_numbering(want))) for p in pieces())
        return row if evidence[row] else None

    def _next_piece(self, piece: Segment, named: int | None, groups: list[tuple[int, str]], n: int,
                    ti: int, hi: int) -> Segment | None:
        """The label-less row ``piece`` continued by the next piece of a table printed in parts: the values so far
        end at a column group's boundary, a header came between (``piece`` was closed), and the new piece's values
        fit in what is left. It goes to the group its own heading names, else to the next group in order."""
        while piece.values and not piece.values[-1].n and not piece.values[-1].multi:
            piece.values.pop()  # blank lines after the piece's row are no cells of it
        have = len(piece.values)
        width = len(self._line(ti, hi))
        at = named if named is not None else have
        if have not in {off for off, _ in groups} | {n} or at + width > n:
            return None
        if at < have:  # a group printed out of order: only into columns still empty
            if any(v.block != -1 for v in piece.values[at:at + width]):
                return None
            return Segment(piece.row, None, None, into=(piece, at))
        piece.values.extend(Token("", "", self.tokens[ti].where, -1, True) for _ in range(at - have))
        return piece

    def read_tables(self, fmt: Format, heads: dict[str, int]) -> dict[str, tuple]:
        order = sorted(heads.values())
        tokens = self.tokens
        n = len(tokens)

        def tok_at(block: int, default: int) -> int:
            """The index of the block's first token (the tokens are in block order), else ``default``."""
            i = bisect.bisect_left(tokens, block, key=_block_of)
            return i if i < n and tokens[i].block == block else default

        values: dict[str, tuple] = {}
        for tid in fmt.table_ids:
            if tid in heads:
                later = [b for b in order if b > heads[tid]]
                lo = tok_at(heads[tid], 0)
                hi = tok_at(later[0], len(self.tokens)) if later else len(self.tokens)
            else:
                lo, hi = 0, len(self.tokens)
            got = self.read_table(fmt, tid, lo, hi, headed=tid in heads)
            if not got and tid in heads:  # a heading without its table (e.g. the table sits elsewhere)
                got = self.read_table(fmt, tid, 0, len(self.tokens))
            if not got and tid not in heads:
                continue
            if not got:
                self.notes.append(f"{TABLE_NAMES.get(tid, tid)}：找到了标题，但没有识别出表格数值。")
            values.update(got)
        return values

    def glued_rows(self, fmt: Format) -> list[str]:
        """Table rows whose label and numbers run together ("行政规范性文件6233440"), within a line or as a line of
        their own: what a website crawler leaves of a table."""
        rx = _glued_row(fmt.id)
        out = []
        for tok in [t for t in self.tokens if not t.multi]:  # (a real table row: its cells are apart)
            for m in rx.finditer(tok.n):
                after = tok.n[m.end():m.end() + 1]
                if after and after in "件个项条次起份元%万年月日人家":
                    continue  # a count in a sentence ("制发行政规范性文件62件"), not a row
                out.append((len(m.group(2)) - len(m.group(1)), m.group(0)))
        out.sort(key=lambda x: -x[0])  # a short label with a long run of digits shows the problem best
        return [t for _, t in out] if len(out) >= 3 else []

    # -- meta ----------------------------------------------------------------------------------
    def paragraphs(self) -> list[tuple[int, str]]:
        """(block index, cleaned text) of every paragraph with text (worked out once: the blocks do not change)."""
        if self._paragraphs is None:
            cleaned = ((i, clean_line(b.text)) for i, b in enumerate(self.blocks) if b.kind == "p")
            self._paragraphs = [(i, t) for i, t in cleaned if t]
        return list(self._paragraphs)

    def read_meta(self, report: Report) -> None:
        paras = self.paragraphs()
        found = None
        # the title is among the first paragraphs, or anywhere above the first heading (a saved page puts the
        # site's header and navigation, dozens of short lines, before it)
        window = [p for p in paras if p[0] < self.first_head][:150] if self.first_head is not None else []
        window = window if len(window) > 15 else paras[:15]
        # a title on one line first (a page's breadcrumb "…政府信息公开年报" above it is no part of it), then one
        # broken over two lines
        # (generators: a title found on one line leaves the pairs of lines unread)
        candidates = itertools.chain(
            ((k, [i], _title(norm(text).strip("《》"))) for k, (i, text) in enumerate(window)),
            ((k, [i, paras[k + 1][0]], _title(norm(text + paras[k + 1][1]).strip("《》")))
             for k, (i, text) in enumerate(window) if k + 1 < len(paras)))
        for k, blocks, m in candidates:
            if m and len(blocks) == 2 and not m.group("organ"):
                continue
            if m:
                organ = m.group("organ")
                if not organ and k > 0:
                    prev = norm(paras[k - 1][1])
                    if len(prev) <= 30 and not re.search(r"[，。,.;；:：]", prev):
                        organ = prev
                        self._put(paras[k - 1][0], "organ", paras[k - 1][1])
                found = (organ, int(m.group("year")))
                self.title_blocks = blocks
                for b in blocks:
                    self._put(b, "title", clean_line(self.blocks[b].text))
                break
        if found:
            report.meta.organ, report.meta.year = found
        else:
            m = re.search(r"(?:统计期限为|统计数据从|统计时限为|统计时间为)((?:19|20)\d{2})年1月1日",
                          norm(" ".join(t for _, t in paras[:20])))
            if m:
                report.meta.year = int(m.group(1))
                self.review["meta.year"] = "报告标题中没有年度，按正文“统计期限”推断"
            self.notes.append("没有找到“××××年政府信息公开工作年度报告”格式的标题，机关名称需手工填写。")
        organ = report.meta.organ
        if organ and not _PLACE.search(organ):
            body = "".join(t for _, t in paras)
            c = Counter(re.findall(r"([\u4e00-\u9fff]{1,8}?[省市县区州盟旗])" + re.escape(organ), body))
            if c:
                (place, n), = c.most_common(1)
                if n >= 2:
                    report.meta.organ = place + organ
                    self.review["meta.organ"] = f"标题中的机关名称为“{organ}”，已按正文补为“{place + organ}”"
        # closing date: in the last lines
        for _, text in reversed(paras[-8:]):
            d = closing_date(text)
            if d:
                report.meta.date = d
                break

    def organ_from_text(self, report: Report) -> None:
        """The organ when the title does not name it: from the opening ("现向社会公布台儿庄区民政局2023年度…"),
        the closing, or the contact line ("请与台儿庄区民政局办公室联系"); marked for review."""
        if report.meta.organ:
            return
        candidates: list[tuple[str, str]] = []
        opening = report.meta.opening
        for m in re.finditer(r"(?:公布|发布|编制|印发)(?:了)?《?([\u4e00-\u9fff（）()]{2,30}?)(?:19|20)\d{2}年度?"
                             r"(?:政府信息公开|政务公开)", opening):
            candidates.append((m.group(1), "开头段落"))
        for text in self.closing_lines:
            if organ_like(text):
                candidates.append((text.strip(), "落款"))
        for m in re.finditer(r"(?:请与|请联系|联系单位[:：])([\u4e00-\u9fff（）()]{2,30}?)(?:办公室|政务公开办公室|"
                             r"政务公开办|综合科|办公室政务公开科)?(?:联系|[（(，,])", opening + report.meta.contact):
            candidates.append((m.group(1), "联系方式"))
        for name, where in candidates:
            name = re.sub(r"^(?:本机关|我局|我委|我办)", "", name).strip()
            if len(name) >= 4 and organ_like(name):
                report.meta.organ = name
                self.review["meta.organ"] = f"标题中没有机关名称，按{where}中的“{name}”填写，请核对"
                self.notes.append(f"机关名称按{where}识别：{name}")
                return

    def read_opening(self, report: Report, heads: dict[str, int]) -> None:
        """The paragraphs between the title and the first section heading: the office's own opening (its notice
        reference, website, contact), kept as written in ``meta.opening``. Before the title: page furniture
        (a website's navigation, 索引号/发布日期 lines) left out and listed."""
        first_head = min(heads.values(), default=None)
        if first_head is None:
            return
        start = (max(self.title_blocks) + 1) if self.title_blocks else 0
        lines: list[str] = []
        byline: list[str] = []
        for bi in range(0, first_head):
            b = self.blocks[bi]
            if b.kind != "p" or bi in self.place_of:
                continue
            text = clean_line(b.text)
            if not text:
                self._marks(bi, text)
                continue
            if bi < start:
                self.account.drop(PAGE_INFO if _PAGE_INFO.match(norm(text)) else "标题前的网页栏目等", b.text)
                self.place_of[bi] = "furniture"
                continue
            if not lines and _page_widget(text):  # 来源：… 时间：… 微信 微博 字号 打印 (a saved page, under its title)
                self.account.drop("标题下的网页栏目", b.text)
                self.place_of[bi] = "furniture"
                continue
            if not self.title_blocks and not lines and len(norm(text)) < 30 and not _LABELLED.match(text) \
                    and not _unclosed(text) and not re.search(r"[。，；,;]", text):
                self.account.drop("标题前的网页栏目等", b.text)
                self.place_of[bi] = "furniture"
                continue
            if is_page_number(text):
                self.account.drop("页码", b.text)
                self.place_of[bi] = "furniture"
                continue
            if self._contents_line(text):
                self.account.drop("目录", b.text)
                self.place_of[bi] = "furniture"
                continue
            if not lines and _bare_date(text):  # a date right under the title: the date of issue
                report.meta.date = report.meta.date or _bare_date(text)
                self._put(bi, "closing", text)
                byline.append(text)
                continue
            if not lines and self.title_blocks and self._byline_organ(report, text, bi, first_head):
                self._put(bi, "closing", text)  # the organ's name under the title (a byline), not the opening
                byline.append(text)
                continue
            lines.append(text)
            self._put(bi, "opening", text)
        report.meta.opening = "\n".join(join_broken_paragraphs(lines, self.account.joins))
        self.opening_is_standard = False
        if byline:
            self.account.move("标题下的署名（" + " ".join(byline) + "），不计入开头段落")

    def _byline_organ(self, report: Report, text: str, bi: int, first_head: int) -> bool:
        """Is ``text`` (right under the title) the organ's name printed as a byline: the title's organ, or an
        organ's name with a date on the next line?"""
        if not organ_like(text) or len(norm(text)) > 30:
            return False
        if report.meta.organ and norm(text) == norm(report.meta.organ):
            return True
        nxt = next((clean_line(b.text) for b in self.blocks[bi + 1:first_head] if b.kind == "p" and clean_line(b.text)),
                   "")
        return bool(_bare_date(nxt))

    @staticmethod
    def _contents_line(text: str) -> bool:
        """A line of a table of contents ("一、总体情况……1", "目录")."""
        t = norm(text)
        if t in ("目录", "目錄"):
            return True
        if not re.search(r"[.…·]{2,}\d*$|\d+$", t):
            return False
        t = re.sub(r"[.…·]*\d*$", "", t)
        fmt = load_format(DEFAULT_FORMAT)
        return any(difflib.SequenceMatcher(None, t, norm(sec["heading"])).ratio() >= 0.75 for sec in fmt.sections)

    def _marks(self, bi: int, cleaned: str) -> None:
        """What cleaning a line took away (markdown marks, bookmarks) is page furniture too."""
        raw = self.blocks[bi].text
        if raw == cleaned:  # most lines: nothing was taken away
            return
        gone = chars(raw) - chars(cleaned)
        if gone > 0:
            left = list("".join(cleaned.split()))
            removed = []
            for ch in "".join(raw.split()):
                if left and ch == left[0]:
                    left.pop(0)
                else:
                    removed.append(ch)
            self.account.drop("格式标记", "".join(removed))

    def _put(self, bi: int, where: str, text: str) -> None:
        self.place_of[bi] = where
        self.account.place(where, text)
        self._marks(bi, text)

    # -- narrative -----------------------------------------------------------------------------
    def read_sections(self, fmt: Format, report: Report, heads: dict[str, int]) -> None:
        order = sorted(heads.items(), key=lambda kv: kv[1])
        first_row = next((i for i, b in enumerate(self.blocks) if b.kind == "row"), len(self.blocks))
        for sid, bi in heads.items():
            if sid not in self.recovered:
                self._put(bi, "heading", clean_line(self.blocks[bi].text if self.blocks[bi].kind == "p" else ""))
        for sid in fmt.text_sections:
            if sid not in heads:
                continue
            start = heads[sid]
            later = [i for _, i in order if i > start]
            end = later[0] if later else len(self.blocks)
            if sid == fmt.text_sections[0] and not later:
                end = min(end, first_row if first_row > start else end)
            head = norm(fmt.section(sid)["heading"])
            lines: list[tuple[int, str]] = []
            for bi in range(start if sid in self.recovered else start + 1, end):
                b = self.blocks[bi]
                if b.kind != "p" or bi in self.place_of:
                    continue
                text = clean_line(b.text)
                if not text:
                    self._marks(bi, text)
                    self.place_of[bi] = "furniture"
                elif norm(text) == head:
                    self._put(bi, "heading", text)
                elif is_page_number(text):
                    self.account.drop("页码", b.text)
                    self.place_of[bi] = "furniture"
                else:
                    lines.append((bi, text))
            if not later:  # the last section: the closing (organ name, date) and contact lines are not its text
                self._closing(report, lines)
            for bi, text in lines:
                self._put(bi, sid, text)
            report.sections[sid] = "\n".join(join_broken_paragraphs([t for _, t in lines], self.account.joins))

    def _closing(self, report: Report, lines: list[tuple[int, str]]) -> None:
        """Take the closing off the end of the last section: the date, the organ's name, contact lines."""
        organ = norm(report.meta.organ)
        moved = []
        footer = _footer_start(lines)
        if footer is not None:
            for bi, _ in lines[footer:]:
                self.account.drop("网页页尾", self.blocks[bi].text)
                self.place_of[bi] = "furniture"
            del lines[footer:]
        while len(lines) > 1:
            bi, text = lines[-1]
            t = norm(text)
            if len(t) <= 100 and _CHROME.search(t):
                self.account.drop("网页页尾", self.blocks[bi].text)
                self.place_of[bi] = "furniture"
            elif closing_date(text):
                d = closing_date(text)
                report.meta.date = report.meta.date or d
                self.closing_lines.insert(0, text)
                self._put(bi, "closing", text)
            elif (organ and t == organ) or (len(t) <= 30 and organ_like(text)):
                self.closing_lines.insert(0, text)
                self._put(bi, "closing", text)
            elif _CONTACT_LINE.match(text.strip()) or _only_contact(text):
                self.contact_lines.insert(0, text)
                self._put(bi, "contact", text)
                moved.append(text)
            else:
                break
            lines.pop()
        if self.closing_lines:
            self.account.move("落款（" + " ".join(self.closing_lines) + "）")
        if moved:
            self.account.move(f"联系方式 {len(moved)} 行（放入“联系方式”）")

    def place_rest(self, fmt: Format, heads: dict[str, int]) -> None:
        """Every block not placed yet: table rows and the table parts' labels and values go to the tables; text
        in a table part that is no table cell, and anything else, is listed as left out (shown to the clerk)."""
        specs = [table_spec(load_format(DEFAULT_FORMAT), t) for t in load_format(DEFAULT_FORMAT).table_ids]
        order = sorted(heads.items(), key=lambda kv: kv[1])
        title_end = max(self.title_blocks) if self.title_blocks else -1
        for bi, b in enumerate(self.blocks):
            if b.kind == "row":
                text = self._row_text(b)
                if bi < title_end:
                    info = any(_PAGE_INFO.match(norm(c.text)) for c in b.cells if not c.cont)
                    self.account.drop(PAGE_INFO if info else "标题前的网页栏目等", text)
                else:
                    self.account.place("table", text, self._row_chars.get(id(b)))
                continue
            if bi in self.place_of:
                continue
            text = clean_line(b.text)
            if not text:
                self._marks(bi, text)
                continue
            if is_page_number(text):
                self.account.drop("页码", b.text)
                continue
            part = next((sid for sid, i in reversed(order) if i < bi), None)
            t = norm(text)
            if part in fmt.table_ids or part is None:
                if value_like(t) or any(self.classify(sp, Token(text, t, "", bi, False), False)[0] in ("row", "label")
                                        for sp in specs) or t.startswith("第二十条") or _table_words(t):
                    self._put(bi, "table", text)
                    continue
            where = f"“{fmt.section(part)['heading']}”部分" if part else "正文之外"
            self.account.leave(where, text)
            self._marks(bi, text)

    # -- contact ---------------------------------------------------------------------------------
    def read_contact(self, fmt: Format, report: Report) -> None:
        """联系方式 (address, postcode, phone, e-mail) into ``meta.contact``, only from labelled fields.

        Contact lines that closed the last section (moved out of it by :meth:`_closing`) are the contact as
        written. Otherwise a line "联系方式：…" is taken as it stands, or the labelled fields (地址：…；电话：…) of
        the first paragraph that has a phone or an address are joined in a fixed order (a copy: the paragraph
        keeps its text)."""
        if self.contact_lines:
            found = "；".join(_CONTACT_LINE.sub(r"\1", t.strip()) for t in self.contact_lines)
            report.meta.contact = found
            self.notes.append(f"联系方式按正文末尾的联系方式识别：{found}")
            return
        paras = self.paragraphs()
        found, where = "", None
        for i, text in paras:
            m = _CONTACT_LINE.match(text.strip())
            if m and m.group(1).strip():
                found, where = m.group(1).strip(), i
                break
        if not found:
            for i, text in paras:
                text = nfkc(text)
                if "电话" not in text and "地址" not in text:  # the two fields looked for are labelled so
                    continue
                fields = contact_fields(text)
                if "电话" in fields or "地址" in fields:
                    found, where = "；".join(f"{k}：{v}" for k, v in fields.items()), i
                    break
        if not found:
            return
        report.meta.contact = found
        self.notes.append(f"联系方式按原文第{where + 1}段识别：{found}")

    # -- everything ----------------------------------------------------------------------------
    def report(self) -> Report:
        if not self.tokens:
            raise ImportFailed(f"{self.source}中没有任何文字内容。")
        origin = self.detect_format()
        fmt = load_format(origin)
        heads = self.find_headings(load_format(DEFAULT_FORMAT))
        self.first_head = min(heads.values()) if heads else None
        raw = self.read_tables(fmt, heads)
        glued = self.glued_rows(fmt)
        if glued:
            raise ImportFailed(
                f"{self.source}中的统计表格在复制时单元格连在了一起：例如“{glued[0]}”，"
                f"标签和各列数字之间没有分隔（共 {len(glued)} 行如此），无法分清每一列的数值，因此没有导入。"
                "请回到原网页重新复制（在浏览器中打开报告页面，选中全文后复制，表格各列会以制表符分开），"
                "或在浏览器中把网页“另存为”.html 文件后直接导入该文件；"
                "网站采集工具或阅读模式得到的文字会把表格压成一行，不能使用。")
        if not raw and not self._report_without_tables(heads):
            raise ImportFailed(f"{self.source}中没有找到年度报告的统计表格（二、主动公开政府信息情况；"
                               "三、收到和处理政府信息公开申请情况；"
                               "四、行政复议、行政诉讼情况）。请确认这是一份政府信息公开工作年度报告，并且复制时包含了表格。")
        report = Report(format_id=DEFAULT_FORMAT)
        if origin != DEFAULT_FORMAT:
            raw = migrate_2019(raw, self.notes)
            report.origin_format = origin
        new = load_format(DEFAULT_FORMAT)
        for cid, (value, why, src) in raw.items():
            if cid not in new.cells:
                continue
            if value is not None:
                report.values[cid] = value
            self.sources[cid] = src
            if why:
                self.review[cid] = why
        if origin == DEFAULT_FORMAT and any(ONE_ROW_REASON in why for why in [w for _, w, _ in raw.values() if w]):
            for col in ("natural", "commercial", "research", "social", "legal", "other_org", "total"):
                for sub in ("no_correction", "unpaid_fee"):
                    self.review.setdefault(f"t3.other.{sub}.{col}",
                                           "原表的“（六）其他处理”只有一行，没有此子项，请补填")
            self.notes.append("表三的“（六）其他处理”在原表中只有一行（2019年试行格式的写法），已按“3.其他”导入；"
                              "“逾期不补正”“逾期未缴费”两个子项原表没有，请补填。")
        read = _tables_of(new, raw)
        for tid in new.table_ids:
            if tid not in read:
                self.notes.append(f"没有找到{TABLE_NAMES[tid]}（{new.section(tid)['heading']}），该表为空白，需手工填写。")
        self.read_meta(report)
        self.read_opening(report, heads)
        self.read_sections(new, report, heads)
        self.read_contact(new, report)
        self.organ_from_text(report)
        self.place_rest(new, heads)
        standard = standard_opening(report.meta.organ, report.meta.year)
        if report.meta.opening and same_text(report.meta.opening, standard):
            report.meta.opening = ""  # the format's standard opening: "" prints it, worded from organ and year
            self.account.pieces["opening"] = []
            self.account.placed["standard_opening"] = self.account.placed.pop("opening", 0)
        for sid, first in self.recovered.items():
            self.notes.append(f"原文没有“{new.section(sid)['heading']}”的标题，按表格之后以“{first}”开始的文字作为该部分"
                              "导入，请核对；今年的报告请写上规定的标题。")
        for sid, written in self.unusual_headings.items():
            self.notes.append(f"标题“{written}”与格式规定的“{new.section(sid)['heading']}”不同，已按该部分导入；"
                              "今年的报告请使用规定的标题。")
        for sid in new.text_sections:
            if sid not in report.sections:
                self.notes.append(f"没有找到“{new.section(sid)['heading']}”部分，需手工填写。")
        report.review.update(self.review)
        report.sources.update(self.sources)
        _mark_inconsistent_totals(report)
        _review_marks(self, report, new, heads, read)
        if self.notes:
            report.extra["import_notes"] = list(self.notes)
        report.extra["import_account"] = self.account.as_dict()
        report.import_account = self.account  # the live account (not saved); tests check it against the report
        return report

    def _report_without_tables(self, heads: dict) -> bool:
        """No table could be read, but the document is a report (its headings): read the rest of it."""
        from .marks import looks_like_report
        return looks_like_report(heads)


@lru_cache(maxsize=None)
def _glued_row(format_id: str) -> re.Pattern:
    """A row label of the format's tables followed directly by digits (see :meth:`Recogniser.glued_rows`)."""
    fmt = load_format(format_id)
    labels: set[str] = set()
    for tid in fmt.table_ids:
        spec = table_spec(fmt, tid)
        labels |= {k for k in spec.row_label if len(k) >= 2} | {k for k in spec.bare if len(k) >= 3}
    return re.compile("(" + "|".join(re.escape(k) for k in sorted(labels, key=len, reverse=True)) + r")(\d[\d.,]*)")


@lru_cache(maxsize=None)
def _labels_only_2019() -> frozenset[str]:
    """The normalised texts of the 2019 trial layout's tables that the 2021 layout does not have."""
    new, old = load_format(DEFAULT_FORMAT), load_format("gov-2019")
    labels_new = {norm(p.text) for t in new.table_ids for p in new.layout(t).cells if p.text}
    return frozenset({norm(p.text) for t in old.table_ids for p in old.layout(t).cells if p.text} - labels_new)


def _tables_of(fmt: Format, raw: dict) -> set[str]:
    """The tables of ``fmt`` that ``raw`` (cell id -> …) holds a cell of."""
    return {fmt.cells[c].table for c in raw if c in fmt.cells}


def _review_marks(rec: Recogniser, report: Report, fmt: Format, heads: dict, read: set[str]) -> None:
    """Headings as worded, the page's 发布日期/索引号, tables not found (``read``: the tables read, see
    :func:`_tables_of`; see :mod:`.marks`)."""
    from .marks import headings, publication
    report.extra["headings"] = headings(rec.blocks, fmt)
    report.extra.update(publication(rec.blocks, min(heads.values()) if heads else None))
    missing = [t for t in fmt.table_ids if t not in read]
    if missing:
        report.extra["tables_missing"] = missing


_TITLE = (re.compile(r"^(?P<organ>.*?)(?P<year>(?:19|20)\d{2})年度?政府信息公开(?:工作)?年度报告$"),
          # year first (上海: "2024年上海市科委政府信息公开工作年度报告"); the organ is a name, never a sentence
          re.compile(r"^(?P<year>(?:19|20)\d{2})年度?(?P<organ>[^，。,.;；:：《》()]{2,40}?)政府信息公开(?:工作)?年度报告$"))


def _title(t: str):
    """The match of a report title (organ and year) in the normalised text ``t``, else None."""
    return next((m for m in (rx.match(t) for rx in _TITLE) if m), None)


def _table_words(t: str) -> bool:
    """Is the normalised line ``t`` made of the tables' own words: a caption (表二：主动公开政府信息情况), labels and
    headers side by side (申请人情况(自然人), (六)其他), or pieces of them a PDF's text interleaved (商业企科研机
    社会公法律服, 理结果)? Only short lines without sentence punctuation or digits beyond a numbering."""
    t = re.sub(r"^表[一二三四五六]\s*[:：]?", "", t)
    core = re.sub(r"\d{1,2}[.、]", "", strip_numbering(t))  # the numbering of the rows ("予处理4.无正当理由…")
    if len(t) > 40 or re.search(r"[。；;！？]", t) or re.search(r"\d", core):
        return False
    words, pieces = _table_vocabulary()
    rest = re.sub(r"\([一二三四五六七八九十]{1,3}\)", "", core).replace("(", "").replace(")", "")
    if not rest:
        return False
    if any(rest in w for w in words):
        return True
    ok = [True] + [False] * len(rest)  # pieces of two or more characters of the words, end to end
    for i in range(len(rest)):
        if ok[i]:
            for j in range(i + 2, min(len(rest), i + 8) + 1):
                if rest[i:j] in pieces:
                    ok[j] = True
    return len(rest) <= 24 and ok[-1]


@lru_cache(maxsize=1)
def _table_vocabulary() -> tuple[tuple[str, ...], frozenset[str]]:
    """The tables' labels and headers and the parts' names (brackets left out), and their pieces of 2–8 characters."""
    fmt = load_format(DEFAULT_FORMAT)
    specs = [table_spec(fmt, tid) for tid in fmt.table_ids]
    words = {k for sp in specs for k in (*sp.row_label, *sp.other_labels)}
    words |= {norm(sec["heading"]).split("、", 1)[-1] for sec in fmt.sections}
    plain = tuple(sorted({w.replace("(", "").replace(")", "") for w in words}))
    pieces = frozenset(w[i:j] for w in plain for i in range(len(w)) for j in range(i + 2, min(len(w), i + 8) + 1))
    return plain, pieces


PAGE_INFO = "网页信息（索引号、公开日期等）"
# the fields of a government site's information table above an article (名称 索引号 分类 发布机构 公开日期 文号 …)
_PAGE_INFO = re.compile(r"^(?:名称|索引号|分类|主题分类|信息分类|发布机构|发文机关|公开日期|发布日期|成文日期|文号|"
                        r"发文字号|关键词|主题词|时效|有效性|公开方式|公开范围|公开时限)[:：]?")


def _bare_date(text: str) -> str | None:
    """A line that is a date and nothing else, perhaps in brackets ("(2026年1月23日)")."""
    return _parse_date(text) or _parse_date(re.sub(r"^[(（〔](.*)[)）〕]$", r"\1", text.strip()))


def _short_line(text: str) -> bool:
    """A line that is no sentence: short, without sentence punctuation."""
    t = norm(text)
    return len(t) <= 24 and not re.search(r"[。！？；，,;!?]", t)


def _footer_start(lines: list[tuple[int, str]]) -> int | None:
    """Where a saved page's footer begins under the last section: the longest run of lines at the end that are
    short non-sentences or the site's own lines (网站标识码, ICP备, 版权所有, 浏览器版本…), holding at least one of
    the latter and three lines; a closing (the organ's name, the date) right after the text stays out of it."""
    k = len(lines)
    chrome = False
    while k > 1:
        t = norm(lines[k - 1][1])
        if _CHROME.search(t) or (len(t) <= 200 and re.search(r"浏览器|分辨率|浏览效果", t)):
            chrome = True
        elif not _short_line(lines[k - 1][1]):
            break
        k -= 1
    if not chrome or len(lines) - k < 3:
        return None
    while k < len(lines) and (closing_date(lines[k][1]) or organ_like(lines[k][1])) \
            and not _CHROME.search(norm(lines[k][1])):
        k += 1  # the closing stays (it is taken off as the closing afterwards)
    return k if k < len(lines) else None


_WIDGETS = re.compile(r"^(?:来源|时间|发布时间|发布日期|作者|编辑|责任编辑|浏览次数|点击数|字号|分享到)[:：]|"
                      r"^(?:微信|微博|QQ空间|全真版|文字版|文件下载|相关链接|打印|关闭|大|中|小|【[大中小]】|"
                      r"扫一扫|收藏|分享|朗读|视力保护色)[:：]?$")


def _page_widget(text: str) -> bool:
    """A saved page's own line under its title (source, time, share buttons, font size, print)."""
    return bool(_WIDGETS.search(norm(text))) or (_short_line(text) and bool(_CHROME.search(norm(text))))


# a website's own lines under an article (footer, share and print buttons), compared on the normalised text
_CHROME = re.compile(r"网站标识码|ICP备|公网安备|版权所有|主办单位|^主办[:：]|^承办[:：]|技术支持|网站地图|"
                     r"打印本页|关闭窗口|\[打印\]|\[关闭\]|分享到|扫一扫|^字号|无障碍|返回顶部|^上一篇|^下一篇|"
                     r"相关链接|相关文章|浏览次数|访问量")
_CONTACT_LINE = re.compile(r"^(?:联系方式|联系我们)\s*[:：]\s*(.+)$")
# an area code joined by any dash offices type (0527-…, 0527—…, 0527－…, 0527–…) or a space
_AREA = r"(?:\(?0\d{2,3}\)?[-－—–―‐\s]?)?"
_CONTACT_FIELDS = (  # (name, pattern): labelled fields only; an unlabelled number is never taken for a phone
    ("地址", r"(?:联系|通讯|通信|办公)?地址\s*[:：]\s*([^；;，,。\n]{4,60})"),
    ("邮编", r"(?:邮政编码|邮编)\s*[:：]?\s*(\d{6})(?!\d)"),
    ("电话", r"(?:联系|咨询|办公)?电话(?:号码)?\s*[:：]?\s*(1[3-9]\d{9}(?!\d)|" + _AREA + r"\d{7,8}(?!\d)"
           r"(?:[、/，,]\s*" + _AREA + r"\d{7,8}(?!\d))*)"),
    ("传真", r"传真\s*[:：]?\s*(" + _AREA + r"\d{7,8})"),
    ("邮箱", r"(?:电子邮箱|电子信箱|电子邮件|邮箱|E-?mail)\s*[:：]?\s*([\w.+-]+@[\w-]+(?:\.[\w-]+)+)"),
)


def contact_fields(text: str) -> dict[str, str]:
    """Labelled contact fields of a paragraph: {"地址": …, "邮编": …, "电话": …, "传真": …, "邮箱": …}."""
    out = {}
    for name, pattern in _CONTACT_FIELDS:
        m = _contact_rx(pattern).search(text)
        if m:
            out[name] = m.group(1).strip()
    return out


@lru_cache(maxsize=None)
def _contact_rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


def _only_contact(line: str) -> bool:
    """A line that is nothing but labelled contact fields ("地址：…", "电话：0371-…；邮编：…")."""
    t = nfkc(line).strip()
    if not t or not contact_fields(t):
        return False
    rest = t
    for _, pattern in _CONTACT_FIELDS:
        rest = re.sub(pattern, "", rest, flags=re.IGNORECASE)
    return not re.sub(r"[\s；;，,。:：]|联系人[:：]?\S{0,6}", "", rest)


def closing_date(text: str) -> str | None:
    """The date of a closing line ("2024年1月16日", "台儿庄区民政局 二〇二四年一月十六日", "（2024年1月16日）"), never
    a sentence that ends with a date ("…统计期限自2024年1月1日至2024年12月31日")."""
    t = norm(text)
    if len(t) > 40 or re.search(r"[至起止到]|统计|期限|截[至止]", t):
        return None
    return find_date(text)


def _label_path(spec: TableSpec, t: str) -> list[int] | bool:
    """The rows of the label a label path written in one cell ends with ("（三）不予公开1.属于国家秘密": the label
    "1.属于国家秘密" after labels of the table), else False."""
    for k, rows in spec.row_label.items():
        if len(k) >= 3 and t.endswith(k):
            prefix = t[: -len(k)]
            if prefix == "" or all(p in spec.other_labels for p in _split_known(prefix, spec.other_labels)):
                return rows
    return False


def _split_known(prefix: str, known: set[str]) -> list[str]:
    """Split a prefix into known labels, greedy from the left; returns [prefix] when it does not split."""
    parts, rest = [], prefix
    while rest:
        k = next((k for k in sorted(known, key=len, reverse=True) if k and rest.startswith(k)), None)
        if k is None:
            return [prefix + "\x00"]
        parts.append(k)
        rest = rest[len(k):]
    return parts


MAX_LABEL_PIECES = 400  # short texts of a table's part looked at as pieces of labels printed away from their rows
ROW_AWAY_REASON = "原文中本行的数值与行标签分开排印（由PDF转出的文字），按格式的行顺序和附近的标签文字对应，请核对"


def _shared(a: str, b: str) -> int:
    """Length of the longest piece of text ``a`` and ``b`` have in common."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size


def _label_piece(spec: TableSpec, t: str) -> bool:
    """Is the normalised text ``t`` (without digits other than a numbering) a piece of one of the table's row labels
    ("府信息", "明确", "5.要求行政机关确认或重新出具")?"""
    if not t or re.search(r"\d", strip_numbering(t)):
        return False
    return any(t in k for k in spec.row_label)


def _column_groups(fmt: Format, spec: TableSpec, label_less: list[int]) -> list[tuple[int, str]]:
    """(offset, name) of each column group of a label-less row with more than one group: table 4's 行政复议,
    未经复议直接起诉, 复议后起诉 (the most specific name above each group's columns)."""
    if not label_less:
        return []
    cells = spec.rows[label_less[0]].cells
    out: list[tuple[int, str]] = []
    last = None
    for k, cid in enumerate(cells):
        group = fmt.cells[cid].col_labels[:-1]
        if group and group != last:
            out.append((k, norm(group[-1])))
        last = group
    return out if len(out) > 1 else []


def _fewer(fmt: Format, cells: list[str], shown: list[Token]) -> tuple[list[Token | None], str | None]:
    """A row with one number fewer than its columns: the one place of the missing number that keeps the row's sums
    of the format possible (a part's number is never negative) — (tokens, the missing cell) — else ([], None)."""
    from ..rules import formulas
    n = len(cells)
    if len(shown) != n - 1:
        return [], None
    nums = []
    for t in shown:
        try:
            nums.append(int(norm(t.text)))
        except ValueError:
            return [], None
    sums = [(total, parts) for total, parts in formulas(fmt).items() if total in cells and set(parts) <= set(cells)]
    if not sums:
        return [], None
    fits = []
    for gap in range(n):
        got = dict(zip([c for k, c in enumerate(cells) if k != gap], nums))
        ok = True
        for total, parts in sums:
            if cells[gap] == total:
                continue
            rest = sum(got[p] for p in parts if p in got)
            ok = ok and (got[total] >= rest if cells[gap] in parts else got[total] == rest)
        if ok:
            fits.append(gap)
    if len(fits) != 1:
        return [], None
    it = iter(shown)
    return [None if k == fits[0] else next(it) for k in range(n)], cells[fits[0]]


def _fit(values: list[Token], n: int) -> tuple[list[Token | None], bool]:
    """Pick the n value tokens of a row segment; (tokens, True) when the choice is unambiguous."""
    if len(values) == n:
        return values, True
    nonempty = [v for v in values if v.n]
    if not nonempty:
        return [None] * n, True
    if len(nonempty) == n:
        return nonempty, True
    lo, hi = 0, len(values)
    while hi - lo > n and not values[hi - 1].n:
        hi -= 1
    while hi - lo > n and not values[lo].n:
        lo += 1
    if hi - lo == n:
        return values[lo:hi], True
    return (nonempty + [None] * n)[:n], False


def parse_cn_date(t: str) -> str | None:
    m = re.fullmatch(r"(?:.*?)((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日", t)
    if not m:
        m2 = re.fullmatch(r"(?:.*?)([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月"
                          r"([一二三四五六七八九十]{1,3})日", t)
        if not m2:
            return None
        y = int("".join(str(_CN_NUM[c]) for c in m2.group(1)))
        mo, d = cn_number(m2.group(2)), cn_number(m2.group(3))
    else:
        if len(t) > 40:
            return None
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        return _dt.date(y, mo, d).isoformat()
    except (ValueError, TypeError):
        return None


# ------------------------------------------------------------------------------------------------
# 2019 trial layout -> 2021 model (the cell map is format data: gov-2019.json, "migration")

def migrate_2019(raw: dict[str, tuple], notes: list[str]) -> dict[str, tuple]:
    """Map values read with the 2019 layout onto 2021 cell ids; every mapped value is marked for review."""
    old, new = load_format("gov-2019"), load_format(DEFAULT_FORMAT)
    out: dict[str, tuple] = {}
    dropped: dict[str, list[str]] = {}

    def put(cid, value, why, src):
        out[cid] = (value, why, src)

    for cid, (value, why, src) in raw.items():
        extra = f"；{why}" if why else ""
        if cid in _MIGRATE:
            target, reason = _MIGRATE[cid]
            put(target, value, reason + extra, src)
        elif cid.startswith("t3.other.") and cid.count(".") == 2:
            col = cid.rsplit(".", 1)[1]
            put(f"t3.other.other.{col}", value, "2019年格式的“（六）其他处理”（无子项），按“3.其他”导入" + extra, src)
        elif cid in new.cells and cid.split(".")[0] in ("t3", "t4"):
            put(cid, value, "由2019年试行格式转换" + extra, src)
        elif value is not None:
            cell = old.cells[cid]
            dropped.setdefault(cell.row_labels[-1], []).append(f"{cell.col_labels[-1]} {_show(value)}")
    licensing_src = raw.get("t2.licensing.decisions", (None, None, ""))[2]
    for cid, (value, why, src) in list(out.items()):
        if cid == "t2.licensing.decisions" and "其他对外管理服务事项" in dropped:
            out[cid] = (value, why + "；原表另有“其他对外管理服务事项”行（" + "，".join(dropped["其他对外管理服务事项"])
                        + "），2021年格式已取消，未导入", src)
    fees_note = "2019年格式的（八）行政事业性收费只有项目数量，没有收费金额，请按2021年格式填写本年收费金额（万元）"
    if "行政事业性收费" in dropped:
        fees_note += "（原表：" + "，".join(dropped["行政事业性收费"]) + "）"
    if "政府集中采购" in dropped:
        fees_note += ("；原表（九）政府集中采购（" + "，".join(dropped["政府集中采购"])
                      + "）在2021年格式中已取消，未导入")
    out["t2.fees.amount"] = (None, fees_note, licensing_src or TABLE_NAMES["t2"])
    for row in ("regulations", "normative"):
        out.setdefault(f"t2.{row}.repealed", (None, "2019年格式没有“本年废止件数”，请补填", TABLE_NAMES["t2"]))
    for col in ("natural", "commercial", "research", "social", "legal", "other_org", "total"):
        for sub in ("no_correction", "unpaid_fee"):
            if f"t3.other.other.{col}" in out:
                out.setdefault(f"t3.other.{sub}.{col}",
                               (None, "2019年格式的“其他处理”没有此子项，请补填", TABLE_NAMES["t3"]))
    notes.append("该报告使用2019年试行格式（国办公开办函〔2019〕60号），已转换为2021年格式，每个转换得到的数值都已标为待核对。")
    for label, items in dropped.items():
        notes.append(f"2021年格式没有的项目未导入：{label}（{'，'.join(items)}）。")
    for label in ("其他对外管理服务事项", "政府集中采购"):
        if label not in dropped:
            notes.append(f"2021年格式已取消“{label}”一行，未导入。")
    return out


def _show(value) -> str:
    from ..values import display
    return display(value) or "空白"


def _mark_inconsistent_totals(report: Report) -> None:
    """A total that disagrees with its parts in the source: mark it so the clerk looks at the original."""
    from ..rules import ERROR, sum_findings
    for f in sum_findings(report, severity=ERROR):  # only the sum rules say what a total should be (``fix``)
        if f.severity != ERROR or not f.rule.startswith(("T3.", "T4.")) or not f.fix:
            continue
        for cid in f.fix:
            if report.values.get(cid) is not None and cid not in report.review:
                report.review[cid] = f"原表中的合计与各分项之和不符（{f.rule}），可能是原表错误或识别有误，请对照原文"
