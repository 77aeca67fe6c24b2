"""The one typesetting spec (``resources/typesetting/gbt9704.json``): page, margins, the 28 × 22 grid, fonts,
sizes, indents, the opening paragraph, the table break rules. Read by ``templates/build_template.py``,
:mod:`app.export.docx` and :mod:`app.export.pdf`, so the DOCX and the PDF cannot drift apart.

``NIANBAO_TYPESETTING`` (a path to a JSON file of the same shape) replaces the shipped spec for a process: the
tests use it to typeset with other sizes (e.g. a table font at which table 3 no longer fits on one page); the
file is read whole, so there is still one source for each fact."""
from __future__ import annotations



def spec() -> dict:
    """The spec (:func:`app.resources.typesetting`)."""
    from ..resources import typesetting
    return typesetting()


_S = spec()
MM = 72 / 25.4
PAGE_W_MM, PAGE_H_MM = _S["page"]["width_mm"], _S["page"]["height_mm"]
MARGINS_MM = dict(_S["page"]["margin_mm"])  # top, bottom, left, right
HEADER_MM, FOOTER_MM = _S["page"]["header_mm"], _S["page"]["footer_mm"]
TEXT_W_MM = PAGE_W_MM - MARGINS_MM["left"] - MARGINS_MM["right"]
TEXT_H_MM = PAGE_H_MM - MARGINS_MM["top"] - MARGINS_MM["bottom"]
LINES_PER_PAGE = _S["grid"]["lines_per_page"]
CHARS_PER_LINE = _S["grid"]["chars_per_line"]
LINE_PT = _S["grid"]["line_pt"]
CHAR_SPACING_PT = _S["grid"]["char_spacing_pt"]
AUTOSPACE_EM = _S["autospace"]["em"]  # the gap between an ideograph and a Latin letter/digit (Word's default)
TITLE_PT, BODY_PT = _S["sizes_pt"]["title"], _S["sizes_pt"]["body"]
TABLE_PT, FOOTER_PT = _S["sizes_pt"]["table"], _S["sizes_pt"]["footer"]
TITLE_LINE_PT = _S["title"]["line_pt"]
TITLE_CHARS = _S["title"]["chars_per_line"]
INDENT_CHARS = _S["indent_chars"]
CLOSING = dict(_S["closing"])  # where organ and date stand (GB/T 9704 §7.3.5; app.document.closing)
FONTS = dict(_S["fonts"])  # role -> the name the 公文 font has in Word/WPS
OPENING = _S["opening"]
TABLES = dict(_S["tables"])  # break rules of the tables (see app/export/table_breaks.py)



def autospace_between(a: str, b: str) -> bool:
    """Does Word's automatic spacing (autoSpaceDE/DN) put a gap between ``a`` and ``b``? Between a CJK
    ideograph and an ASCII letter or digit, in either order; never next to punctuation or a space."""
    if len(a) != 1 or len(b) != 1:
        return False
    return (_ideograph(a) and _latin(b)) or (_latin(a) and _ideograph(b))


def autospace_pt(font_pt: float, char_spacing_pt: float = 0.0) -> float:
    """Extra advance at an autospace gap, on top of the character's advance plus its character spacing."""
    return AUTOSPACE_EM * font_pt - char_spacing_pt


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _ideograph(ch: str) -> bool:
    o = ord(ch)
    return (0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF
            or 0x3041 <= o <= 0x30FA)  # CJK ideographs (+ extensions, compatibility) and kana


# the spec is consistent: 28 body characters fill a line, 22 lines the text block
assert int(TEXT_W_MM * MM // (BODY_PT + CHAR_SPACING_PT)) == CHARS_PER_LINE
assert int(TEXT_H_MM * MM // LINE_PT) == LINES_PER_PAGE


# Where Word and LibreOffice set the text of a line of exact height (lineRule="exact"): the baseline 4/5 of the
# line's height below its top (LibreOffice's SwTextFormatter, "80%", as Word does); the PDF sets it there too
EXACT_LINE_BASELINE = 0.8


def exact_line_drop(font_pt: float, line_pt: float) -> float:
    """How much lower than a font size below the line's top (where reportlab sets a paragraph's first baseline)
    Word sets the baseline of an exact ``line_pt`` line: 7.1 pt for 3号 body text on 28.9 pt lines."""
    return EXACT_LINE_BASELINE * line_pt - font_pt


TABLE_UNIT_PT = TABLES["unit_twips"] / 20
TABLE_PAD_PT = TABLES["padding_pt"]  # left/right cell margin of every table (none at top/bottom)
TABLE_ROW_MIN_PT = TABLES["row_min_pt"]
TABLE_LINE_PT = TABLES["line_pt"]  # exact line pitch of table text


def table_columns_pt(tid: str) -> list[float]:
    """Column widths (pt) of table ``tid``: the same in the template, the DOCX and the PDF."""
    return [u * TABLE_UNIT_PT for u in TABLES["columns"][tid]]


def table_columns_twips(tid: str) -> list[int]:
    return [u * TABLES["unit_twips"] for u in TABLES["columns"][tid]]


def label_align(tid: str) -> str:
    """``left`` or ``center``: how the one-row labels (and the corner note) of table ``tid`` are set."""
    return TABLES["label_align"].get(tid, "center")
