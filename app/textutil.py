"""Chinese text as reports write it: dates (also in Chinese numerals), numerals, units, page numbers, organ names.

The one place for these forms. Numerals in running text are parsed by :func:`app.values.parse_text_numeral`
(re-exported here); dates, page-number lines and the organ-name patterns used by the importers live here.
"""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from functools import lru_cache

from .opening import opening_from, standard_opening  # noqa: F401 (their home is app/opening.py; importable from here as before)
from .values import COUNT_UNITS, MONEY_UNITS, TEXT_NUMERAL, cn_number, parse_text_numeral

__all__ = ["TEXT_NUMERAL", "cn_number", "parse_text_numeral", "parse_date", "parse_year", "find_date", "is_page_number",
           "ORGAN_SUFFIX", "organ_like", "UNITS", "COUNT_UNITS", "MONEY_UNITS", "date_cn",
           "DATE_CN"]


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)`` (full width → half width), remembered for lines of up to
    :data:`NFKC_MEMO_CHARS` characters: a reader normalises the same line several times (as a label, as a page
    number, as a contact line)."""
    return _nfkc(text) if len(text) <= NFKC_MEMO_CHARS else _nfkc_of(text)


NFKC_MEMO_CHARS = 2000  # bounds the memo: at most 1024 lines of this length

# the full-width forms of ASCII, the ideographic space and "…" -> their compatibility decompositions (what NFKC
# makes of them): the characters that keep most Chinese text from being NFKC already
_WIDE = {c: unicodedata.normalize("NFKD", c) for c in map(chr, [*range(0xFF01, 0xFF5F), 0x3000, 0x2026])}
_WIDE_RX = re.compile("[\uff01-\uff5e\u3000\u2026]")


def _nfkc_of(text: str) -> str:
    """NFKC, quickly for most Chinese text: each full-width form replaced by its decomposition (the text's NFKD,
    hence its NFKC, stays the same); when what is left is in NFKC already, that is the text's NFKC. Otherwise the
    whole normalisation (NFKC is slow on Chinese text with full-width punctuation)."""
    t = text
    for c in set(_WIDE_RX.findall(text)):
        t = t.replace(c, _WIDE[c])
    return t if unicodedata.is_normalized("NFKC", t) else unicodedata.normalize("NFKC", text)


_nfkc = lru_cache(maxsize=1024)(_nfkc_of)
nfkc.cache_clear = _nfkc.cache_clear  # type: ignore[attr-defined]  # forgotten with the other memos (benchmarks)


# every unit a cell of a report may carry, longest first where one ends another (万元 before 元): the units a typed
# value may carry (app.values) and 份, 元 seen in imported documents
UNITS = MONEY_UNITS + COUNT_UNITS + ("份", "元")

# digits of a year written in Chinese: 〇 (U+3007) is right; ○ (circle), О/O (letters) and 零 are common stand-ins
_YEAR_DIGIT = {"〇": 0, "○": 0, "零": 0, "O": 0, "o": 0, "О": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4,
               "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = "一二三四五六七八九十"
_DATE_DIGITS = re.compile(r"((?:19|20)\d{2})\s*(?:年|[-/.．])\s*(\d{1,2})\s*(?:月|[-/.．])\s*(\d{1,2})\s*日?")
_DATE_CN_NUMERALS = re.compile(r"([〇○零OoОＯ一二三四五六七八九]{4})\s*年\s*(元|[" + _CN_SMALL + r"]{1,3})\s*月\s*(["
                               + _CN_SMALL + r"]{1,3})\s*日")
_DATE_COMPACT = re.compile(r"((?:19|20)\d{2})(\d{2})(\d{2})")


def _iso(y: int, mo: int | None, d: int | None) -> str | None:
    if mo is None or d is None:
        return None
    try:
        return _dt.date(y, mo, d).isoformat()
    except ValueError:
        return None


def _from_match(m: re.Match, cn: bool) -> str | None:
    if not cn:
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    y = int("".join(str(_YEAR_DIGIT[c]) for c in m.group(1)))
    mo = 1 if m.group(2) == "元" else cn_number(m.group(2))
    return _iso(y, mo, cn_number(m.group(3)))


def parse_date(text: str, compact: bool = False) -> str | None:
    """A whole date as written: ``2024年1月22日``, ``2024-01-22``, ``2024.1.22``, ``２０２４年１月２２日``,
    ``二〇二四年一月二十二日`` (also with ○ or O for 〇, 元月) → ISO ``2024-01-22``; with ``compact`` also
    ``20240122`` (as typed into a field; in a document eight digits are rather a number); None when the text is
    not exactly one valid date."""
    t = nfkc(text or "").strip().replace("\u3000", "")
    if not t or len(t) > 30:
        return None
    m = _DATE_DIGITS.fullmatch(t)
    if m:
        return _from_match(m, False)
    m = _DATE_CN_NUMERALS.fullmatch(t)
    if m:
        return _from_match(m, True)
    m = _DATE_COMPACT.fullmatch(t) if compact else None
    if m:
        return _from_match(m, False)
    return None


def parse_year(text: str) -> int | None:
    """A year as typed into a field: ``2023``, ``２０２３``, ``2023年``, ``2023 年度``, ``二〇二三年`` → 2023; blank →
    None; anything else (also a word, a range, a date) → ValueError."""
    t = (text or "").strip().removesuffix("年度").removesuffix("年").strip()
    if any(unicodedata.digit(c, None) is not None and not ("0" <= c <= "9" or "０" <= c <= "９") for c in t):
        raise ValueError(text)  # superscript, Arabic-Indic and other digits: not how a year is typed
    t = nfkc(t).strip()
    if not t:
        return None
    if len(t) == 4 and all(c in _YEAR_DIGIT for c in t):
        t = "".join(str(_YEAR_DIGIT[c]) for c in t)
    if not (t.isascii() and t.isdigit()):
        raise ValueError(text)
    return int(t)


def find_date(text: str) -> str | None:
    """The date a short line ends with ("台儿庄区民政局 2024年1月16日", "（二〇二四年一月二十二日）")."""
    t = nfkc(text or "").strip().rstrip("）)").strip()
    if len(t) > 60:
        return None
    for rx, cn in ((_DATE_DIGITS, False), (_DATE_CN_NUMERALS, True)):
        found = None
        for m in rx.finditer(t):
            found = m
        if found and found.end() == len(t):
            return _from_match(found, cn)
    return None


_NOT_PAGE_NUMBER = re.compile(r"(?![第页共])[\u4e00-\u9fff]")
_PAGE_NUMBER = re.compile(
    r"^(?:[—–\-－―─]{1,2}\s*\d{1,4}\s*[—–\-－―─]{1,2}"  # — 3 —   - 3 -
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"  # 第3页 / 第3页 共5页
    r"|\d{1,4}\s*/\s*\d{1,4}"  # 3/5
    r"|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$")


def is_page_number(text: str, bare_digits: bool = False) -> bool:
    """A line that is only a page number. A bare number ("3") counts only where its position says so
    (``bare_digits``: alone at the foot or head of a PDF page); in text it may be a table cell."""
    if _NOT_PAGE_NUMBER.search(text or ""):  # a Chinese character of none of the patterns (NFKC leaves it as it is)
        return False
    t = nfkc(text or "").strip()
    if _PAGE_NUMBER.match(t):
        return True
    return bare_digits and bool(re.fullmatch(r"\d{1,4}", t))


# what the name of an organ ends with (人民政府, 民政局, 街道办事处, 委员会, 公安分局, 中心, …)
ORGAN_SUFFIX = (r"(?:人民政府|政府|办公室|办事处|委员会|管委会|管理委员会|局|分局|厅|委|办|院|署|中心|站|所|队|处|"
                r"街道|镇|乡|公司|集团)")
_ORGAN = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}" + ORGAN_SUFFIX + r"$")


def organ_like(text: str) -> bool:
    """A short line that is an organ's name and nothing else (the closing's signature line)."""
    t = nfkc(text or "").strip().replace(" ", "").replace("\u3000", "")
    return bool(_ORGAN.match(t)) and not re.search(r"[，。；：,.;:！？]", t)


def join_sentences(parts: list[str]) -> str:
    """Sentences of one message: Chinese ones run on (no space after 。？！）), others take a space."""
    out = parts[0]
    for p in parts[1:]:
        out += ("" if out.endswith(("。", "？", "！", "）")) else " ") + p
    return out


def same_text(a: str, b: str) -> bool:
    """Equal but for blanks and full/half width (an opening re-typed or re-flowed is still the same opening)."""
    def k(t):
        return "".join(nfkc(t or "").split())
    return k(a) == k(b)


# the form :func:`date_cn` prints (2024年1月16日), as a whole line
DATE_CN = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")


def date_cn(iso: str) -> str:
    """``2024-01-16`` -> ``2024年1月16日`` (no zero padding); anything else is returned as typed."""
    try:
        d = _dt.date.fromisoformat((iso or "").strip())
    except ValueError:
        return (iso or "").strip()
    return f"{d.year}年{d.month}月{d.day}日"
