"""Cell values: a number, blank (``None``), ``/`` (不适用) or an invalid entry kept verbatim.

Counts are non-negative ``int``; the fee (``money``) is a ``Decimal`` kept as written, with at most 6 places
(万元 to the 分: offices write 24252.311082). Never ``float``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Union


class _NotApplicable:
    """不适用 — shown and exported as ``/``, counts as 0 in arithmetic."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NA"

    def __reduce__(self):
        return (_NotApplicable, ())


NA = _NotApplicable()


@dataclass(frozen=True)
class Invalid:
    """A value read from a file that is not valid for its cell; kept so nothing is lost."""

    raw: str

    def __str__(self) -> str:
        return self.raw


Value = Union[int, Decimal, _NotApplicable, Invalid, None]

MONEY_PLACES = 6  # 万元 with 6 decimals is exact to the 分
# Limits for numbers from untrusted input, checked on the text before any conversion or arithmetic: a count or a
# fee never needs more than 20 digits (a trillion yuan is 9 digits in 万元), and no exponent form is accepted.
MAX_NUMBER_DIGITS = 20
MAX_SHOWN = 40  # characters of an offending entry quoted in a message
COUNT_UNITS = ("件", "个", "项", "条", "次", "起")  # units a typed count may carry (also app.textutil.UNITS)
MONEY_UNITS = ("万元",)
_NA_WORDS = {"/", "不适用"}
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN_INT = re.compile(r"^\d+$")
_PLAIN_DEC = re.compile(r"^\d+(\.\d+)?$|^\.\d+$")


class ValueError_(ValueError):
    """Raised for input that cannot be a value of the cell; message is Chinese, names the cell."""


def normalise_text(text: str) -> str:
    """Full-width to half-width, strip blanks (including ideographic spaces)."""
    return unicodedata.normalize("NFKC", text).strip().replace("\u3000", "").replace(" ", "")


def _shown(text: str) -> str:
    text = str(text).strip()
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


def parse_value(text: str, kind: str, cell_name: str = "该单元格") -> Value:
    """Parse what a person typed. Lenient where a person expects it, strict otherwise.

    ``kind`` is ``count`` or ``money``. Raises :class:`ValueError_` with a Chinese message. This is the one
    parser of numbers from text in the program (typed, imported, read from project files): digits only, with an
    optional decimal point and thousands separators, at most :data:`MAX_NUMBER_DIGITS` digits — never an
    exponent, ``Infinity`` or ``NaN``.
    """
    if text is None:
        return None
    t = normalise_text(str(text))
    if t == "":
        return None
    if t in _NA_WORDS:
        return NA
    units = MONEY_UNITS if kind == "money" else COUNT_UNITS
    for unit in units:
        if t.endswith(unit) and len(t) > len(unit):
            t = t[: -len(unit)].strip()
            break
    if _THOUSANDS.match(t):
        t = t.replace(",", "")
    shown = _shown(text)
    if sum(ch.isdigit() for ch in t) > MAX_NUMBER_DIGITS:
        raise ValueError_(f"{cell_name}：“{shown}”数字过长（超过 {MAX_NUMBER_DIGITS} 位），请核对")
    if kind == "money":
        if not _PLAIN_DEC.match(t):
            raise ValueError_(f"{cell_name}：“{shown}”不是有效的金额。请填写以万元为单位的非负数"
                              f"（最多{MONEY_PLACES}位小数），不适用填 /")
        d = Decimal(t)
        if -d.as_tuple().exponent > MONEY_PLACES:
            raise ValueError_(f"{cell_name}：“{shown}”小数位过多。金额以万元为单位，"
                              f"最多{MONEY_PLACES}位小数（即精确到分）")
        try:
            return d + 0  # as written (24252.311082 stays 24252.311082; a signed zero becomes 0)
        except InvalidOperation:
            raise ValueError_(f"{cell_name}：“{shown}”数值过大，请核对（单位为万元）") from None
    if not _PLAIN_INT.match(t):
        if re.match(r"^-\d", t):
            why = "件数不能为负数"
        elif re.match(r"^\d*\.\d+$", t):
            why = "件数必须是整数"
        else:
            why = "不是数字"
        raise ValueError_(f"{cell_name}：“{shown}”{why}。请填写非负整数（没有发生填 0，不适用填 /）")
    return int(t)


def cn_number(text: str) -> int | None:
    """A whole number written in a sentence or a date (“三”, “十五”, “一百零五”, “两千”, “１２”): the one numeral
    parser, :func:`parse_text_numeral`, kept to whole numbers and to :data:`MAX_NUMBER_DIGITS` characters (the same
    digit cap as :func:`parse_value`). ``None`` for anything else."""
    if not text or len(text) > MAX_NUMBER_DIGITS:
        return None
    n = parse_text_numeral(text, digit_strings=False)
    return n if isinstance(n, int) else None


def check_value(value: Value, kind: str) -> str | None:
    """Why a stored value is not valid for its kind (Chinese), or ``None`` when it is."""
    if value is None or value is NA:
        return None
    if isinstance(value, Invalid):
        return f"“{value.raw}”不是有效的数值"
    if kind == "money":
        if isinstance(value, bool) or not isinstance(value, (Decimal, int)) or value < 0:
            return "金额必须是非负数"
        if isinstance(value, Decimal) and (not value.is_finite() or -value.as_tuple().exponent > MONEY_PLACES):
            return f"金额最多{MONEY_PLACES}位小数"
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return "件数必须是整数"
    if value < 0:
        return "件数不能为负数"
    return None


def numeric(value: Value) -> int | Decimal | None:
    """Arithmetic value: ``/`` counts as 0; blank and invalid give ``None``."""
    if value is NA:
        return 0
    if value is None or isinstance(value, Invalid):
        return None
    return value


def display(value: Value) -> str:
    """How a value is shown in a grid cell or a document."""
    if value is None:
        return ""
    if value is NA:
        return "/"
    if isinstance(value, Invalid):
        return value.raw
    if isinstance(value, Decimal):
        if value == value.to_integral():
            return format(value.normalize(), "f")
        return format(value, "f").rstrip("0").rstrip(".")
    return str(value)


def to_json(value: Value, kind: str):
    """JSON form in project files: int for counts, string for money, "/" for 不适用."""
    if value is None:
        return None
    if value is NA:
        return "/"
    if isinstance(value, Invalid):
        return value.raw
    if kind == "money":
        return display(Decimal(value))  # the digits as written, without trailing zeros (0.1250 and 0.125 are one fee)
    return int(value)


def from_json(raw, kind: str) -> Value:
    """Value from a project file. Raises ``TypeError`` for a wrong JSON type; odd numbers become Invalid."""
    if raw is None:
        return None
    if isinstance(raw, bool) or isinstance(raw, (list, dict)):
        raise TypeError(type(raw).__name__)
    if isinstance(raw, str):
        try:
            return parse_value(raw, kind)
        except ValueError_:
            return Invalid(raw)
    if isinstance(raw, int):
        if raw < 0 or raw.bit_length() > 4 * MAX_NUMBER_DIGITS:  # 2**80 > 10**20: checked before any str()
            return Invalid(str(raw))
        return raw if raw < 10 ** MAX_NUMBER_DIGITS else Invalid(str(raw))
    if isinstance(raw, (float, Decimal)):
        text = plain_number_text(raw)
        if text is None:  # an exponent that would need millions of digits, Infinity, NaN, too many digits
            return Invalid(str(raw))
        try:
            return parse_value(text, kind)
        except ValueError_:
            if kind == "count" and Decimal(text) == Decimal(text).to_integral() and Decimal(text) >= 0:
                return int(Decimal(text))
            return Invalid(text)
    raise TypeError(type(raw).__name__)


def plain_number_text(raw: float | Decimal) -> str | None:
    """``raw`` written without an exponent, or ``None`` when that would take more than :data:`MAX_NUMBER_DIGITS`
    digits (``1e999999999`` would take a billion) or ``raw`` is not finite. Costs nothing on huge exponents."""
    d = Decimal(repr(raw)) if isinstance(raw, float) else raw
    if not d.is_finite():
        return None
    sign, digits, exponent = d.as_tuple()
    if len(digits) > MAX_NUMBER_DIGITS or abs(exponent) > MAX_NUMBER_DIGITS:
        return None
    return format(d, "f")


def json_int(text: str):
    """``parse_int`` for project files: an int, or a Decimal when Python would refuse to convert the digits
    (more than 4300); either way the value of a cell is then checked by :func:`from_json`."""
    return int(text) if len(text) <= 4000 else Decimal(text)


# --------------------------------------------------------------------------------------------
# Numerals written in running text (the narrative of a report)

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
             "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
_CN_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
MAX_TEXT_NUMERAL = 10 ** 9  # a count stated in a report's narrative; anything larger is not a count
TEXT_NUMERAL = (r"[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?"
                r"|[〇○零一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟]+")


def parse_text_numeral(text: str, digit_strings: bool = True) -> int | Decimal | None:
    """A numeral as written in running text: ``12``, full-width ``１２``, ``1,234``, ``3.5``, ``十二``, ``两``,
    ``一百零五``, ``二〇``-style digit strings (``一〇五`` = 105), ``三万``. None when it is not a numeral or is
    larger than :data:`MAX_TEXT_NUMERAL`. Decimals only from arabic digits (``3.5`` → Decimal)."""
    if any(c.isdigit() and not ("0" <= c <= "9" or "０" <= c <= "９") for c in text or ""):
        return None  # superscripts (²), circled or other scripts' digits are not a count
    t = unicodedata.normalize("NFKC", (text or "").strip()).replace(",", "").replace("，", "")
    if not t or len(t) > 24:
        return None
    if re.fullmatch(r"[0-9]+", t):
        n = int(t)
        return n if n <= MAX_TEXT_NUMERAL else None
    if re.fullmatch(r"[0-9]+\.[0-9]+", t):
        return Decimal(t)
    if any(ch not in _CN_DIGIT and ch not in _CN_UNIT and ch != "万" for ch in t):
        return None
    if not any(ch in _CN_UNIT or ch == "万" for ch in t):  # 一〇五: digit by digit
        if len(t) > 1 and ("两" in t or not digit_strings):
            return None
        n = int("".join(str(_CN_DIGIT[ch]) for ch in t))
        return n if n <= MAX_TEXT_NUMERAL else None
    total, section, digit, last_unit = 0, 0, None, 10_000
    for ch in t:
        if ch in _CN_DIGIT:
            if digit is not None and _CN_DIGIT[ch] != 0 and digit != 0:
                return None  # two digits in a row inside a unit numeral: 十二三 (a range), not a number
            digit = _CN_DIGIT[ch]
        elif ch in _CN_UNIT:
            unit = _CN_UNIT[ch]
            if unit >= last_unit or (not digit and unit != 10):
                return None  # 十百, a bare 百 or 千 (百姓, 千万 as words): not a number
            section += (digit or 1) * unit
            digit, last_unit = None, unit
        else:  # 万
            if total or not (section or digit):
                return None  # 万 alone, or twice
            total = (section + (digit or 0)) * 10000
            section, digit, last_unit = 0, None, 10_000
    n = total + section + (digit or 0)
    return n if n <= MAX_TEXT_NUMERAL else None
