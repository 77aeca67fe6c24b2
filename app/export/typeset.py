"""The one typesetting spec (``resources/typesetting/gbt9704.json``): page, margins, the 28 × 22 grid, fonts,
sizes, indents, the opening paragraph. Read by ``templates/build_template.py``, :mod:`app.export.docx` and
:mod:`app.export.pdf`, so the DOCX and the PDF cannot drift apart."""
from __future__ import annotations

import json
from functools import lru_cache


@lru_cache(maxsize=1)
def spec() -> dict:
    from ..resources import resource
    return json.loads(resource("typesetting", "gbt9704.json").read_text(encoding="utf-8"))


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
TITLE_PT, BODY_PT = _S["sizes_pt"]["title"], _S["sizes_pt"]["body"]
TABLE_PT, FOOTER_PT = _S["sizes_pt"]["table"], _S["sizes_pt"]["footer"]
TITLE_LINE_PT = _S["title"]["line_pt"]
TITLE_CHARS = _S["title"]["chars_per_line"]
INDENT_CHARS = _S["indent_chars"]
CLOSING_RIGHT_CHARS = _S["closing_right_chars"]
FONTS = dict(_S["fonts"])  # role -> the name the 公文 font has in Word/WPS
OPENING = _S["opening"]

# the spec is consistent: 28 body characters fill a line, 22 lines the text block
assert int(TEXT_W_MM * MM // (BODY_PT + CHAR_SPACING_PT)) == CHARS_PER_LINE
assert int(TEXT_H_MM * MM // LINE_PT) == LINES_PER_PAGE
