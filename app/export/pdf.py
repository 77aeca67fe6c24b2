"""PDF export with reportlab: the printed document (:mod:`app.document`) laid out as the Word export lays it out,
fonts embedded.

Layout (GB/T 9704-2012, ``docs/format.md``): A4, margins 37/35/28/26 mm; title 2号 (小标宋, else
宋体-like), opening paragraph, the six headings (一、 黑体-like, （一） 楷体-like), narrative paragraphs in 3号
(仿宋, else 宋体-like) with a 2-character first-line indent and fixed 28.9 pt lines, the three tables with the
official merges taken from ``Format.layout`` (table 3 repeats its 3 header rows; rows are never split),
the closing per GB/T 9704 §7.3.5 (:func:`app.document.closing`), page numbers ``— N —`` 4号 below the text
block, odd pages right, even pages left, one character in.

Fonts come from :mod:`app.fonts` (installed 公文 fonts when usable, else the bundled open fonts) and are
embedded as TrueType subsets. Characters a font lacks are set in the bundled fallback font.

Chinese line breaking (GB/T 15834 / CLREQ 禁则) is done here, not by reportlab's Japanese-oriented rules: no
line starts with closing punctuation (，。、；：？！）》」”’ …), no line ends with opening punctuation
(（《「“‘ …), ``——`` and ``……`` stay whole and Latin words/numbers are not cut — but, as in Word, a line may
break between a number and the ideograph after it (``12月31|日``); see :func:`split_lines`.
"""
from __future__ import annotations

import io
import re
from pathlib import Path
from html import escape as _html_escape

from .. import document as D
from ..formats import Placed
from ..values import display

from . import typeset as T
from .errors import ExportError as _ExportBase
from .rl import import_platypus

import_platypus()  # reportlab, without the 40–50 ms URL pattern it compiles at import (see app/export/rl.py)

# page, grid, sizes from the one typesetting spec (resources/typesetting/gbt9704.json), as the DOCX
MM = T.MM
PAGE_W, PAGE_H = T.PAGE_W_MM * MM, T.PAGE_H_MM * MM
MARGIN_TOP, MARGIN_BOTTOM = T.MARGINS_MM["top"] * MM, T.MARGINS_MM["bottom"] * MM
MARGIN_LEFT, MARGIN_RIGHT = T.MARGINS_MM["left"] * MM, T.MARGINS_MM["right"] * MM
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 156 mm
TEXT_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM  # 225 mm

TITLE_PT = T.TITLE_PT  # 2号
BODY_PT = T.BODY_PT  # 3号
TABLE_PT = T.TABLE_PT  # 五号
FOOTER_PT = T.FOOTER_PT  # 4号
LINE_PT = T.LINE_PT  # 225 mm / 22 lines
CHARS_PER_LINE = T.CHARS_PER_LINE  # GB/T 9704: 28 characters a line
GRID_ADJUST = T.CHAR_SPACING_PT  # body-size text set 0.25 pt tighter, as the DOCX's character spacing
GRID_PITCH = BODY_PT + GRID_ADJUST  # 15.75 pt: 28 in the 156 mm text block
TITLE_LINE_PT = T.TITLE_LINE_PT
INDENT = T.INDENT_CHARS * BODY_PT  # first-line indent (Word: firstLineChars, counted in font size)
CELL_PAD = T.TABLE_PAD_PT  # left/right padding of table cells (the DOCX's cell margins)
CELL_PAD_V = 0.25  # top/bottom padding: the DOCX's cells have none; a row of n lines is n × line + 0.5 pt

# 禁则: characters that may not begin a line / may not end a line
CANNOT_START = frozenset(
    "，。、；：？！）］｝〕〉》」』】〗〙〛”’＂＇·．…‥—～％‰℃°′″"
    ",.;:?!)]}%"
    "\u3005\u309d\u309e\u30fc\ufe50\ufe51\ufe52\ufe54\ufe55\ufe56\ufe57\ufe5a\ufe5c\ufe5e"
)
CANNOT_END = frozenset("（［｛〔〈《「『【〖〘〚“‘([{￥$")
UNSPLITTABLE_PAIRS = frozenset("—…‥")


class PdfError(_ExportBase):
    """PDF export failed; the message is Chinese."""


# ---------------------------------------------------------------------------------------------------------
# Line breaking

# Unicode line breaking (UAX #14, the rules LibreOffice's line.txt implements) where Latin text meets Chinese
# punctuation: a closing mark keeps the Latin letter or digit after it (CL × AL/NU: ，|2023 is no break) and a
# Latin letter or digit keeps the opening mark after it (AL/NU × OP: 2|（ is no break)
CLOSING_MARKS = frozenset("，。、）］｝〕〉》」』】〗〙〛”’")
OPENING_MARKS = frozenset("（［｛〔〈《「『【〖〘〚“‘")


def _alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _in_number(chars, p: int, start: int) -> bool:
    """Is ``chars[p]`` part of a number (UAX #14 LB25: a digit followed by digits, ``/ . , : ;``)?"""
    while p >= start and len(chars[p]) == 1 and chars[p] in "/.,:;":
        p -= 1
    return p >= start and chars[p].isascii() and chars[p].isdigit()


def _latin_break(chars, p: int, k: int, start: int) -> bool:
    """May a line end between the ASCII characters ``chars[p]`` and ``chars[k]`` (no space between)? Letters,
    digits and the signs of a web address hold together except after a slash or a ``?`` before a letter or
    digit (``http://|www``, ``gov.cn/|sygfj``, ``gknb/|202401``, ``html?|uid``) — not inside a number
    (``202401/2ecf``) — and after a hyphen before a letter, as LibreOffice breaks them."""
    prev, nxt = chars[p], chars[k]
    if not _alnum(nxt):
        return False
    if prev == "/":
        return not (nxt.isdigit() and _in_number(chars, p, start))
    if prev in "?!":
        return True
    if prev == "-":
        return not nxt.isdigit()
    return False


def _latin_pair(a: str, b: str) -> bool:
    """Two visible ASCII characters (letters, digits, signs)."""
    return len(a) == 1 and len(b) == 1 and a.isascii() and b.isascii() and a.isprintable() and b.isprintable() \
        and a != " " and b != " "


def can_break(prev: str, nxt: str) -> bool:
    """May a line end after ``prev`` and the next one start with ``nxt``?"""
    if nxt in CANNOT_START or prev in CANNOT_END:
        return False
    if prev == nxt and prev in UNSPLITTABLE_PAIRS:
        return False
    if nxt == "/":
        return False  # a slash never starts a line (Unicode line breaking: no break before SY)
    if _latin_pair(prev, nxt):
        return _latin_break(prev + nxt, 0, 1, 0)
    if (prev in CLOSING_MARKS and _alnum(nxt)) or (_alnum(prev) and nxt in OPENING_MARKS):
        return False
    return True


def break_allowed(chars, b: int, start: int = 0) -> bool:
    """May a line end before ``chars[b]`` (``chars`` a string or list of 1-char strings)?

    Spaces at a break hang at the end of the line, so the rule looks at the visible characters on either side;
    a space between them is an ordinary break opportunity (Latin words), punctuation rules still apply.
    """
    n = len(chars)
    k = b
    while k < n and chars[k] == " ":
        k += 1
    if k >= n:
        return True
    p = b - 1
    while p > start and chars[p] == " ":
        p -= 1
    prev, nxt = chars[p], chars[k]
    if nxt in CANNOT_START or prev in CANNOT_END:
        return False
    if k != b or p != b - 1:
        return True
    if _latin_pair(prev, nxt):
        return _latin_break(chars, p, k, start)
    return can_break(prev, nxt)


def line_break_problems(lines: list[str]) -> list[str]:
    """Lines (as printed) that break the 禁则; used by the tests on text extracted from the PDF."""
    out = []
    for i, line in enumerate(lines):
        s = line.strip()
        if not s:
            continue
        if s[0] in CANNOT_START and s[0] not in "—…·":
            out.append(f"第{i + 1}行以“{s[0]}”开头：{s}")
        if s[-1] in CANNOT_END:
            out.append(f"第{i + 1}行以“{s[-1]}”结尾：{s}")
    return out


class _Units(list):
    """A paragraph's units; ``nb_class`` caches each unit's autospace class (see :func:`split_lines`)."""
    nb_class = None


_CLASS: dict = {}


def _autospace_class(ch) -> int:
    """1 for an ideograph, 2 for an ASCII letter or digit, 0 otherwise (Word's automatic spacing sets a gap
    between a 1 and a 2 next to each other: :func:`app.export.typeset.autospace_between`); remembered per
    character (a report uses a few hundred)."""
    c = _CLASS.get(ch)
    if c is None:
        c = _CLASS[ch] = 0 if len(ch) != 1 else (2 if ch.isalnum() else 0) if ch.isascii() else \
            (1 if T.autospace_between(ch, "a") else 0)
    return c


EDGE_PT = 0.3


def _edge(a: str, b: str) -> bool:
    """A Latin character (letter, digit, sign) next to a Chinese punctuation mark, in either order."""
    if not a or not b or a == " " or b == " ":
        return False
    if a.isascii():
        return not b.isascii() and b in _PUNCT
    return b.isascii() and a in _PUNCT


_PUNCT = CANNOT_START | CANNOT_END


def split_units(frags) -> list:
    """The paragraph's characters as reportlab CJK units (each knows its fragment and width)."""
    from reportlab.platypus.paragraph import cjkU

    units = _Units()
    for f in frags:
        text = f.text
        if isinstance(text, bytes):
            text = text.decode("utf8")
        if text:
            units.extend(cjkU(t, f, "utf8") for t in text)
        else:
            units.append(cjkU(text, f, "utf8"))
    return units


def split_lines(frags, max_widths, calc_bounds=False, adjust: float = 0.0, units=None):
    """reportlab CJK line splitter with Chinese rules (replaces ``cjkFragSplit``); ``adjust`` is added to every
    character's advance (the character grid of body text). ``units``: :func:`split_units` of ``frags``, when
    the caller has them already."""
    from reportlab.platypus.paragraph import ParaLines
    makeCJKParaLine = _cjk_line

    units = split_units(frags) if units is None else units

    def width(u):
        w = u.width
        if hasattr(w, "normalizedValue"):
            w._normalizer = max_width
            w = w.normalizedValue(max_width)
        return w + adjust

    # Word's automatic spacing between an ideograph and a Latin letter/digit: a gap after unit k when the next
    # unit is its partner (it only counts when both are on the same line)
    n = len(units)
    cls = getattr(units, "nb_class", None)
    if cls is None or len(cls) != n:
        cls = [_autospace_class(u) for u in units]
        if isinstance(units, _Units):
            units.nb_class = cls
    gap = [T.autospace_pt(u.frag.fontSize, adjust) if k + 1 < n and cls[k] * cls[k + 1] == 2 else 0.0
           for k, u in enumerate(units)]

    def line_width(a: int, b: int) -> float:
        return sum(width(units[k]) + gap[k] for k in range(a, b)) - (gap[b - 1] if b > a else 0.0)

    # LibreOffice sets about 0.3 pt more where a Latin character meets a Chinese punctuation mark (，2 or %；,
    # measured); it counts when a line is filled (a line exactly full otherwise keeps one character more than
    # LibreOffice's), it is not printed
    edge = [EDGE_PT if k + 1 < n and _edge(u, units[k + 1]) else 0.0 for k, u in enumerate(units)]


    lines = []
    start = i = 0
    used = 0.0
    max_width = max_widths[0]
    while i < n:
        u = units[i]
        if hasattr(u.frag, "lineBreak"):
            lines.append(makeCJKParaLine(units[start:i + 1], max_width, used, max_width - used, True, calc_bounds))
            start = i = i + 1
            used = 0.0
            max_width = max_widths[min(len(lines), len(max_widths) - 1)]
            continue
        w = width(u)
        if used + w > max_width + 1e-6 and i > start:  # the gap after u does not count at a line end
            # inside Latin text (a web address) LibreOffice never takes the break at the very character that
            # overflows, it takes the one before (measured: …gov.cn/|sygfj/gknb… where sygfj/ still fits)
            b = i - 1 if i - 1 > start and _latin_pair(units[i - 1], units[i]) else i
            while b > start + 1 and not break_allowed(units, b, start):
                b -= 1
            if b == start + 1 and not break_allowed(units, b, start):
                b = i  # nothing better: break where it overflows
            while b < n and units[b] == " ":
                b += 1  # spaces stay at the end of the line, never start one
            line = units[start:b]
            visible = len(line)
            while visible > 1 and line[visible - 1] == " ":
                visible -= 1  # trailing spaces hang in the margin
            lw = line_width(start, start + visible)
            para_line = makeCJKParaLine(line, max_width, lw, max_width - lw, False, calc_bounds)
            # justification: reportlab spreads extraSpace over wordCount-1 word spaces; CnParagraph turns that
            # word spacing into character spacing, so a full CJK line reaches the right margin
            para_line.wordCount = visible
            lines.append(para_line)
            start = i = b
            used = 0.0
            max_width = max_widths[min(len(lines), len(max_widths) - 1)]
            continue
        used += w + gap[i] + edge[i]
        i += 1
    if start < n:
        rest = units[start:]
        lw = line_width(start, n)
        lines.append(makeCJKParaLine(rest, max_width, lw, max_width - lw, False, calc_bounds))
    return ParaLines(kind=1, lines=lines)


def _cjk_line(U, maxWidth, widthUsed, extraSpace, lineBreak, calcBounds):
    """reportlab's ``makeCJKParaLine``, the same line made with a font's metrics and the fragment comparison done
    once per run of characters of one fragment (a paragraph's characters share a few fragments; reportlab
    compared and measured every character: a tenth of the PDF's layout time)."""
    from reportlab.pdfbase.pdfmetrics import getAscentDescent
    from reportlab.platypus.paragraph import FragLine, imgNormV, imgVRange, sameFrag
    words = []
    CW = []
    f0 = FragLine()
    maxSize = maxAscent = minDescent = 0
    last = None
    for u in U:
        f = u.frag
        if f is not last:
            fontSize = f.fontSize
            cbDefn = getattr(f, "cbDefn", None) if calcBounds else None
            if getattr(cbDefn, "width", 0):
                descent, ascent = imgVRange(imgNormV(cbDefn.height, fontSize), cbDefn.valign, fontSize)
            else:
                ascent, descent = getAscentDescent(f.fontName, fontSize)
            maxSize = max(maxSize, fontSize)
            maxAscent = max(maxAscent, ascent)
            minDescent = min(minDescent, descent)
            if not sameFrag(f0, f):
                f0 = f0.clone()
                f0.text = "".join(CW)
                words.append(f0)
                CW = []
                f0 = f
            last = f
        CW.append(u)
    if CW:
        f0 = f0.clone()
        f0.text = "".join(CW)
        words.append(f0)
    return FragLine(kind=1, extraSpace=extraSpace, wordCount=1, words=words[1:], fontSize=maxSize, ascent=maxAscent,
                    descent=minDescent, maxWidth=maxWidth, currentWidth=widthUsed, lineBreak=lineBreak)


def _autospaced_text_out(tx, adjust: float):
    """``tx._textOut`` that sets Word's automatic gap between an ideograph and a Latin letter/digit (the same
    gaps :func:`split_lines` counted): a PDF ``TJ`` displacement, so the extracted text stays ``2023年``."""
    from reportlab.lib.rl_accel import fp_str
    text_out = tx._textOut
    prev = [""]  # the last character set on this line

    def out(text, TStar=0):
        if not text:
            if TStar:
                prev[0] = ""
            return text_out(text, TStar)
        size = tx._fontsize or 0
        shift = "[%s] TJ" % fp_str(-1000 * T.autospace_pt(size, adjust) / size) if size else ""
        start = 0
        for k, ch in enumerate(text):
            before = prev[0] if k == 0 else text[k - 1]
            if before and shift and _autospace_class(before) * _autospace_class(ch) == 2:
                if k > start:
                    text_out(text[start:k])
                tx._code.append(shift)
                start = k
        text_out(text[start:], TStar)
        prev[0] = "" if TStar else text[-1]

    return out


def _paragraph_class():
    from reportlab.platypus import Paragraph
    from reportlab.platypus.paragraph import ParaLines

    plain_frags: dict = {}  # style -> the fragment reportlab's parser makes of a plain word in that style

    class CnParagraph(Paragraph):
        """A Paragraph whose CJK wrapping follows the Chinese 禁则 and whose justified lines are full."""

        def __init__(self, text, style=None, *args, **kwargs):
            # most paragraphs of a report are table cells holding one plain word ("12", "自然人"): reportlab's
            # markup parser gives such a word one fragment of the style's font, so that fragment is made once
            # per style and copied, not parsed ~300 times (tests compare the PDF with the parsed one)
            if (not args and not kwargs and style is not None and isinstance(text, str) and text
                    and not _MARKUP_OR_SPACE.search(text)):
                template = plain_frags.get(id(style))
                if template is None or template[0] is not style:
                    frags = Paragraph("x", style).frags
                    template = plain_frags[id(style)] = (style, frags[0] if len(frags) == 1 else None)
                if template[1] is not None:
                    super().__init__(text, style, frags=[template[1].clone(text=text)])
                    return
            super().__init__(text, style, *args, **kwargs)

        def beginText(self, x, y):
            tx = super().beginText(x, y)
            # CJK text has no word spaces to stretch: stretch between characters instead (PDF Tc), on top of
            # the character grid's adjustment
            adjust = getattr(self.style, "nbGrid", 0.0)
            set_char_space = tx.setCharSpace
            tx.setWordSpace = lambda ws: set_char_space(adjust + ws)
            set_char_space(adjust)
            tx._textOut = _autospaced_text_out(tx, adjust)
            return tx

        def drawOn(self, canvas, x, y, _sW=0):
            # table cells: raised so the baseline lies the font's ascent below the line's top, as Word sets a
            # single-spaced line (reportlab puts it a whole font size down: the text sat on the cell's rule)
            return super().drawOn(canvas, x, y + getattr(self.style, "nbRaise", 0.0), _sW)

        def breakLinesCJK(self, maxWidths):
            if not isinstance(maxWidths, (list, tuple)):
                maxWidths = [maxWidths]
            self.height = 0
            if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
                return self.blPara
            style = self.style
            if not self.frags:
                return ParaLines(kind=0, fontSize=style.fontSize, fontName=style.fontName,
                                 textColor=style.textColor, lines=[], ascent=style.fontSize,
                                 descent=-0.2 * style.fontSize)
            auto = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
            # a table wraps each cell to measure it and again to draw it, a kept-together group once per try:
            # the same paragraph at the same widths breaks the same way, so the lines are computed once
            key = (tuple(maxWidths), auto, getattr(style, "nbGrid", 0.0), len(self.frags))
            memo = getattr(self, "_nb_lines", None)
            if memo is not None and memo[0] == key and memo[2] is self.frags:
                return memo[1]
            # the characters do not depend on the width: made once per paragraph (a table cell is measured at
            # more than one width)
            units = getattr(self, "_nb_units", None)
            if units is None or units[0] is not self.frags:
                units = self._nb_units = (self.frags, split_units(self.frags))
            lines = split_lines(self.frags, maxWidths, auto not in ("", "off"), getattr(style, "nbGrid", 0.0),
                                units[1])
            self._nb_lines = (key, lines, self.frags)
            return lines

    CnParagraph.word_cell = staticmethod(lambda text, style: _word_cell(CnParagraph, text, style))
    return CnParagraph


_word_cell_class = None


def _word_cell(P, text: str, style):
    """A table value (``12``, ``/``, ``0.5``): drawn as one centred line of text where it fits its cell — what
    the paragraph would draw there, without laying out a paragraph (a report's tables hold ~250 of them, a
    third of the PDF's layout time); else, or for anything but a plain word, the paragraph ``P(text, style)``."""
    global _word_cell_class
    if not text or _MARKUP_OR_SPACE.search(text) or style.alignment != 1:  # 1: TA_CENTER
        return P(text, style)
    if _word_cell_class is None:
        from reportlab.pdfbase.pdfmetrics import stringWidth
        from reportlab.platypus import Flowable

        class WordCell(Flowable):
            def __init__(self, para_class, text, style):
                super().__init__()
                self.text, self.style, self._para_class = text, style, para_class
                self.text_width = stringWidth(text, style.fontName, style.fontSize)
                self.para = None

            def wrap(self, avail_w, avail_h):
                s = self.style
                room = avail_w - s.leftIndent - s.firstLineIndent - s.rightIndent
                if self.para is not None or self.text_width > room + 1e-6:  # more than a line: a paragraph
                    if self.para is None:
                        self.para = self._para_class(self.text, s)
                    return self.para.wrap(avail_w, avail_h)
                self.width, self.height, self.room = avail_w, s.leading, room
                return self.width, self.height

            def getSpaceBefore(self):
                return self.style.spaceBefore

            def getSpaceAfter(self):
                return self.style.spaceAfter

            def drawOn(self, canvas, x, y, _sW=0):
                if self.para is not None:
                    return self.para.drawOn(canvas, x, y, _sW)
                s = self.style
                # as the paragraph sets its one line: a font size below its top, raised by nbRaise (the
                # table-cell baseline), centred in the room between the indents
                canvas.saveState()
                canvas.setFillColor(s.textColor)
                canvas.setFont(s.fontName, s.fontSize)
                canvas.drawString(x + s.leftIndent + s.firstLineIndent + 0.5 * (self.room - self.text_width),
                                  y + self.height - s.fontSize + getattr(s, "nbRaise", 0.0), self.text)
                canvas.restoreState()

        _word_cell_class = WordCell
    return _word_cell_class(P, text, style)


# ---------------------------------------------------------------------------------------------------------
# Text of the document

date_cn = D.date_cn
opening_text = D.opening_text


_MARKUP_OR_SPACE = re.compile(r"[<>&\s]")
_NUMBERED = re.compile(r"^（[一二三四五六七八九十]+）")


def section_paragraphs(text: str) -> list[tuple[str, str, str]]:
    """Narrative text -> [(kind, head, rest)] (:func:`app.document.paragraphs` as plain text): kind ``h1``
    (一、), ``h2`` （一） or ``p``; a run-in heading's head and the rest of its line."""
    out = []
    for para in D.paragraphs(text):
        if not para.head_kind:
            out.append(("p", "", para.text))
        else:
            head = "".join(("**%s**" % x.text) if x.bold else x.text for x in para.head)
            rest = "".join(("**%s**" % x.text) if x.bold else x.text for x in para.rest)
            out.append((para.head_kind, head, rest))
    return out


class _Fonts:
    def __init__(self):
        from .. import fonts as F

        missing = F.missing_bundled_fonts()
        if missing:
            raise PdfError("找不到程序自带的中文字体文件（" + "、".join(p.name for p in missing)
                                + "），无法生成 PDF。请重新安装年报助手。")
        self.files = F.font_set()
        self.names = {role: F.register_reportlab(f) for role, f in self.files.items()}
        self.fallback = F.register_reportlab(F.fallback_font())
        from reportlab.pdfbase import pdfmetrics

        self._faces = {n: pdfmetrics.getFont(n).face.charToGlyph
                       for n in set(self.names.values()) | {self.fallback}}

    def markup(self, text: str, font: str) -> str:
        """Escaped paragraph markup; a character ``font`` lacks is set in the fallback font, or where that lacks
        it too (the bundled 黑体 stand-in has no Latin letters or digits), in the number font — never left
        without a glyph (it would print as a blank)."""
        have = self._faces[font]
        others = [f for f in dict.fromkeys((self.fallback, self.names["number"], self.names["body"])) if f != font]
        out, run, run_font = [], [], None
        for ch in text:
            use = None
            if ord(ch) not in have and not ch.isspace():
                use = next((f for f in others if ord(ch) in self._faces[f]), None)
            if use != run_font and run:
                out.append(self._wrap("".join(run), run_font))
                run = []
            run_font = use
            run.append(ch)
        if run:
            out.append(self._wrap("".join(run), run_font))
        return "".join(out)

    def _wrap(self, s: str, font: str | None) -> str:
        s = _html_escape(s, quote=False)  # & < > (not xml.sax.saxutils: it imports urllib.request, ~20 ms)
        return f'<font name="{font}">{s}</font>' if font else s

    def spans(self, spans, font: str, bold_font: str) -> str:
        """Markup for :class:`app.document.Span` s (bold is set in the 黑体 font)."""
        return "".join(f'<font name="{bold_font}">{self.markup(x.text, bold_font)}</font>' if x.bold
                       else self.markup(x.text, font) for x in spans)

    def rich(self, text: str, font: str, bold_font: str) -> str:
        """Markup for text with ``**bold**`` spans (bold is set in the 黑体 font)."""
        return self.spans(D.spans(text), font, bold_font)


# ---------------------------------------------------------------------------------------------------------
# Tables

def _col_widths(tid: str, cols: int) -> list[float]:
    """The typesetting spec's column widths (the DOCX's)."""
    widths = T.table_columns_pt(tid)
    assert len(widths) == cols, (tid, cols)
    return widths


def balanced_lines(text: str, avail: float, font: str) -> list[str]:
    """Header text that does not fit on one line, broken into lines of equal length (商业/企业, not 商业企/业)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    width = stringWidth(text, font, TABLE_PT)
    if width <= avail or len(text) < 2:
        return [text]
    lines = -(-int(width * 1000) // int(max(avail, 1) * 1000))
    while lines < len(text):
        per = -(-len(text) // lines)
        parts = [text[i:i + per] for i in range(0, len(text), per)]
        if all(stringWidth(x, font, TABLE_PT) <= avail for x in parts) and \
                all(can_break(a[-1], b[0]) for a, b in zip(parts, parts[1:])):
            return parts
        lines += 1
    return [text]


def label_lines(tid: str, p: Placed, font: str, widths=None) -> list[str]:
    """The lines a header or label is printed in, the same in the PDF and in the template (which writes them
    with line breaks, so Word, WPS and LibreOffice break them alike): a header that does not fit its cell in
    lines of equal length, a merged numbered label such as （三）不予公开 after its number; else one line (the
    renderer wraps it)."""
    widths = widths or _col_widths(tid, len(T.TABLES["columns"][tid]))
    if p.role == "header":
        return balanced_lines(p.text, sum(widths[p.col:p.col + p.colspan]) - 2 * CELL_PAD, font)
    m = _NUMBERED.match(p.text)
    if p.role == "label" and p.rowspan > 1 and m and len(p.text) > len(m.group(0)):
        return [m.group(0), p.text[len(m.group(0)):]]
    return [p.text]


def template_label_lines(tid: str, p: Placed) -> list[str]:
    """:func:`label_lines` with the PDF's body font, for the template builder."""
    fonts = _template_fonts()
    return label_lines(tid, p, fonts.names["body"])


_TEMPLATE_FONTS: list = []


def _template_fonts():
    if not _TEMPLATE_FONTS:
        _TEMPLATE_FONTS.append(_Fonts())
    return _TEMPLATE_FONTS[0]


def _table(report, tid: str, fonts: _Fonts, P, styles, layout=None, widths=None):
    """The table as a reportlab Table; ``layout`` a piece of it (:func:`app.export.table_breaks.piece`),
    ``widths`` other column widths (pt) than the PDF's."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    values = report.values
    layout = layout or report.format.layout(tid)
    grid = [["" for _ in range(layout.cols)] for _ in range(layout.rows)]
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), fonts.names["body"]),  # no unembedded Helvetica for empty cells
        # the cells under a span are measured as empty text in this size and leading: one 五号 line, not
        # reportlab's 10/12 pt default (which made such rows 1.5 pt higher than Word's)
        ("FONTSIZE", (0, 0), (-1, -1), TABLE_PT),
        ("LEADING", (0, 0), (-1, -1), styles["cell_c"].leading),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        # rows as Word/LibreOffice set the DOCX's cells: exact table lines, no top/bottom cell margin
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD_V),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD_V),
    ]
    body = fonts.names["body"]
    widths = widths or _col_widths(tid, layout.cols)
    p: Placed
    left = T.label_align(tid) == "left"
    for p in layout.cells:
        if p.role == "value":
            text = display(values.get(p.cell_id))
            style = styles["cell_c"]
        else:
            text = p.text
            one_row = (p.role == "label" and p.rowspan == 1) or p.role == "corner"
            style = styles["cell_l"] if left and one_row else styles["cell_c"]
        if p.role == "value":
            markup = fonts.markup(text, body)
        else:  # headers in lines of equal length, （三）不予公开 after its number (the template has the same breaks)
            markup = "<br/>".join(fonts.markup(x, body) for x in label_lines(tid, p, body, widths))
        grid[p.row][p.col] = P.word_cell(markup, style) if p.role == "value" else P(markup, style)
        if p.rowspan > 1 or p.colspan > 1:
            commands.append(("SPAN", (p.col, p.row), (p.col + p.colspan - 1, p.row + p.rowspan - 1)))
    # rows at least the spec's height (Word: trHeight atLeast), taller when their text needs it
    table = _memo_table_class(Table)(grid, colWidths=widths, repeatRows=layout.header_rows or 0,
                  hAlign="CENTER", splitByRow=1, minRowHeights=[T.TABLE_ROW_MIN_PT] * layout.rows)
    table.setStyle(TableStyle(commands))
    return table


_MEMO_TABLE: list = []


def _memo_table_class(Table):
    """reportlab's Table, measured once per width: a table is wrapped four times or more on its way to the page
    (planned, kept with its heading, added to the frame) and each time laid out every cell again (a fifth of
    the PDF's layout time). The last complete layout is kept: a wrap or split at the same width with at least
    its height of room would compute exactly it again (rows are measured until the room runs out only when it
    does: reportlab's long-table shortcut)."""
    if not _MEMO_TABLE:
        class MemoTable(Table):
            def _calc(self, availWidth, availHeight):
                done = self.__dict__.get("_nb_width")
                if done is not None and done == availWidth and availHeight >= self._height:
                    return
                self._nb_width = None
                super()._calc(availWidth, availHeight)
                if None not in self._rowHeights:
                    self._nb_width = availWidth

        _MEMO_TABLE.append(MemoTable)
    return _MEMO_TABLE[0]


def table_pieces(fmt, tid: str, fonts: _Fonts, P, styles, head, report=None, plan_only: bool = False,
                 widths=None):
    """``(True, [the table])`` when table ``tid`` fits on one page with its heading ``head``; else ``(False,
    pieces)``, the pieces it is printed in, one a page (:func:`app.export.table_breaks.plan` on the heights
    measured here): reportlab Tables, or with ``plan_only`` the body row ranges (the template builder gives the
    DOCX the same pieces)."""
    from types import SimpleNamespace
    from . import table_breaks as TB

    # the report's format and values (none when the template builder measures)
    r = SimpleNamespace(format=fmt, values=report.values if report is not None else {})
    layout = fmt.layout(tid)
    heading_h = head.wrap(TEXT_W, TEXT_H)[1]
    whole = _table(r, tid, fonts, P, styles, widths=widths)
    if heading_h + whole.wrap(TEXT_W, 1e9)[1] <= TEXT_H:
        return True, [whole]

    def height(s: int, e: int) -> float:
        return _table(r, tid, fonts, P, styles, TB.piece(layout, s, e), widths).wrap(TEXT_W, 1e9)[1]

    reserve = T.TABLES["reserve_pt"]
    ranges = TB.plan(layout, height, TEXT_H - heading_h - reserve, TEXT_H - reserve, T.TABLES["min_fill"])
    if plan_only:
        return False, ranges
    return False, [_table(r, tid, fonts, P, styles, TB.piece(layout, s, e)) for s, e in ranges]


def table_plan(fmt, tid: str, widths=None):
    """For the template builder: None when table ``tid`` fits on one page with its heading, else its pieces'
    body row ranges — measured with the fonts and sizes of the PDF, in the DOCX's column ``widths`` (pt)."""
    fonts = _Fonts()
    P = _paragraph_class()
    st = _styles(fonts)
    head = P(fonts.markup(fmt.section(tid)["heading"], fonts.names["hei"]), st["h1_table"])
    fits, ranges = table_pieces(fmt, tid, fonts, P, st, head, plan_only=True, widths=widths)
    return None if fits else ranges


# ---------------------------------------------------------------------------------------------------------
# Document

def _styles(fonts: _Fonts):
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    n = fonts.names
    from reportlab.pdfbase import pdfmetrics
    face = pdfmetrics.getFont(n["body"]).face
    base = dict(wordWrap="CJK", allowWidows=0, allowOrphans=0)  # no lone first/last line of a paragraph
    styles = {
        "title": ParagraphStyle("title", fontName=n["title"], fontSize=TITLE_PT, leading=TITLE_LINE_PT,
                                alignment=TA_CENTER, spaceAfter=LINE_PT, **base),
        "body": ParagraphStyle("body", fontName=n["body"], fontSize=BODY_PT, leading=LINE_PT,
                               firstLineIndent=INDENT, alignment=TA_JUSTIFY, **base),
        "draft": ParagraphStyle("draft", fontName=n["hei"], fontSize=BODY_PT, leading=LINE_PT,
                                alignment=TA_LEFT, **base),
        "h1": ParagraphStyle("h1", fontName=n["hei"], fontSize=BODY_PT, leading=LINE_PT,
                             firstLineIndent=INDENT, alignment=TA_JUSTIFY, **base),
        "h2": ParagraphStyle("h2", fontName=n["kai"], fontSize=BODY_PT, leading=LINE_PT,
                             firstLineIndent=INDENT, alignment=TA_JUSTIFY, **base),
        "h1_table": ParagraphStyle("h1_table", fontName=n["hei"], fontSize=BODY_PT, leading=LINE_PT,
                                   firstLineIndent=INDENT, alignment=TA_JUSTIFY, keepWithNext=1, **base),
        "closing": ParagraphStyle("closing", fontName=n["body"], fontSize=BODY_PT, leading=LINE_PT,
                                  alignment=TA_RIGHT, **base),
        "cell_c": ParagraphStyle("cell_c", fontName=n["body"], fontSize=TABLE_PT, leading=T.TABLE_LINE_PT,
                                 alignment=TA_CENTER, **base),
        "cell_l": ParagraphStyle("cell_l", fontName=n["body"], fontSize=TABLE_PT, leading=T.TABLE_LINE_PT,
                                 alignment=TA_LEFT, **base),
    }
    for name in ("body", "h1", "h2", "h1_table", "closing"):  # body-size text on the 28-character grid
        styles[name].nbGrid = GRID_ADJUST
    for name in ("title", "body", "h1", "h2", "h1_table", "closing"):  # exact lines: the baseline where Word sets
        styles[name].nbRaise = -T.exact_line_drop(styles[name].fontSize, styles[name].leading)  # it (4/5 down)
    for name in ("cell_c", "cell_l"):  # centred in the cell as in Word (see CnParagraph.drawOn): the baseline
        # the font's ascent below the top of its exact line, the line's extra room shared above and below
        styles[name].nbRaise = TABLE_PT * (1 - face.ascent / 1000) - (T.TABLE_LINE_PT - TABLE_PT) / 2
    return styles


CHUNK_LINES = 8  # a paragraph longer than 2× this many lines is set as chunks of this many lines


def _chunked(para, P, width: float = None) -> list:
    """A long paragraph as a run of flowables of :data:`CHUNK_LINES` lines each, its lines broken once.

    reportlab splits a paragraph that runs over a page by re-breaking everything after the split point, page
    after page — quadratic in the paragraph's length (a 40 000-character paragraph took 25 s). Breaking once
    and handing the lines over in chunks keeps the layout (same lines, same justification, no lone first or
    last line) and makes it linear."""
    from copy import deepcopy
    from reportlab.platypus.paragraph import ParaLines

    width = TEXT_W if width is None else width
    para.wrap(width, 1e9)
    bl = para.blPara
    lines = bl.lines
    if bl.kind != 1 or len(lines) <= 2 * CHUNK_LINES:
        return [para]
    func = para._get_split_blParaFunc()
    rest_style = deepcopy(para.style)
    rest_style.firstLineIndent = 0
    out = []
    starts = list(range(0, len(lines), CHUNK_LINES))
    if len(lines) - starts[-1] < 2:  # the last chunk is never a lone line
        starts.pop()
    bounds = list(zip(starts, starts[1:] + [len(lines)]))
    for i, (a, b) in enumerate(bounds):
        first, last = i == 0, i == len(bounds) - 1
        chunk = P(None, para.style if first else rest_style, frags=func(bl, a, b))
        chunk.blPara = ParaLines(kind=1, lines=lines[a:b], aH=1e9, aW=width)
        chunk._splitpara = 1
        chunk._JustifyLast = not last  # a chunk's last line is a full line of the paragraph
        chunk.allowOrphans = 0 if first else 1  # the paragraph's own first/last lines stay in company
        chunk.allowWidows = 0 if last else 1
        if not first:
            chunk._nb_cont = True
        out.append(chunk)
    return out


def story(report, fonts: _Fonts, errors: int = 0) -> list:
    from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Spacer

    P = _paragraph_class()
    st = _styles(fonts)
    n = fonts.names
    doc = D.build(report, errors)
    flow = [P(fonts.markup(doc.draft, n["hei"]), st["draft"])] if doc.draft else []
    flow.append(P("<br/>".join(fonts.markup(x, n["title"]) for x in doc.title_lines), st["title"]))
    def lines(text: str) -> str:
        # a line break typed in the opening or the contact is a line break in the paragraph, as the DOCX has it
        return "<br/>".join(fonts.markup(x, n["body"]) for x in text.split("\n"))

    if doc.opening:
        flow.append(P(lines(doc.opening), st["body"]))

    def heading(markup: str, style) -> None:
        # a heading needs itself and two lines of what follows on the page, else it starts the next page
        flow.append(CondPageBreak(3 * LINE_PT))
        para = P(markup, style)
        para._nb_heading = True
        flow.append(para)

    head_font = {"h1": n["hei"], "h2": n["kai"]}
    for section in doc.sections:
        sid = section.id
        if section.kind == "text":
            heading(fonts.markup(section.heading, n["hei"]), st["h1"])
            for para in section.paragraphs:
                if not para.head_kind:
                    flow.extend(_chunked(P(fonts.spans(para.rest, n["body"], n["hei"]), st["body"]), P))
                    continue
                markup = fonts.spans(para.head, head_font[para.head_kind], n["hei"])
                if para.rest:
                    markup += f'<font name="{n["body"]}">{fonts.spans(para.rest, n["body"], n["hei"])}</font>'
                    flow.append(P(markup, st[para.head_kind]))
                else:
                    heading(markup, st[para.kind])
        else:
            # each table with its heading on one page whenever it fits (the DOCX: keep-with-next on every row);
            # one that does not starts a new page and breaks only between its groups (table_breaks.plan)
            head = P(fonts.markup(section.heading, n["hei"]), st["h1_table"])
            fits, pieces = table_pieces(report.format, sid, fonts, P, st, head, report)
            if fits:
                flow.append(KeepTogether([head] + pieces))
            else:
                flow.append(CondPageBreak(TEXT_H - 1))  # on a new page unless already at the top of one
                flow.append(head)
                for k, part in enumerate(pieces):
                    if k:
                        flow.append(PageBreak())
                    flow.append(part)
            flow.append(Spacer(1, LINE_PT))  # the DOCX: an empty body line after each table
    if doc.contact:
        flow.append(P(lines(f"{D.CONTACT_PREFIX}{doc.contact}"), st["body"]))
    # the closing never stands alone on a page (GB/T 9704 7.3.5): keep it with the last paragraph
    closing = [flow.pop()] if flow and isinstance(flow[-1], P) else []
    while closing and flow and (getattr(flow[-1], "_nb_heading", False) or isinstance(flow[-1], CondPageBreak)):
        closing.insert(0, flow.pop())  # and a heading stays with its paragraph
    c = doc.closing
    closing.append(Spacer(1, c.blank_lines * LINE_PT))
    from copy import copy
    for text, right in ((c.organ, c.organ_right_pt), (c.date, c.date_right_pt)):
        if text:
            style = copy(st["closing"])
            style.rightIndent = right
            closing.append(P(fonts.markup(text, n["body"]), style))
    flow.append(KeepTogether(closing))
    return flow


def _page_number(fonts: _Fonts):
    font = fonts.names["number"]
    dash_font = font if all(ord(c) in fonts._faces[font] for c in "—") else fonts.fallback

    def on_page(canvas, doc):
        n = canvas.getPageNumber()
        y = MARGIN_BOTTOM - 7 * MM - FOOTER_PT * 0.88
        parts = [("— ", dash_font), (str(n), font), (" —", dash_font)]
        total = sum(canvas.stringWidth(t, f, FOOTER_PT) for t, f in parts)
        if n % 2:
            x = PAGE_W - MARGIN_RIGHT - FOOTER_PT - total
        else:
            x = MARGIN_LEFT + FOOTER_PT
        canvas.saveState()
        for t, f in parts:
            canvas.setFont(f, FOOTER_PT)
            canvas.drawString(x, y, t)
            x += canvas.stringWidth(t, f, FOOTER_PT)
        canvas.restoreState()

    return on_page


def render_pdf(report, errors: int = 0) -> bytes:
    """The report as a PDF document (bytes); ``errors``: how many errors it is exported with (the draft mark)."""
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
    from reportlab.platypus.doctemplate import LayoutError

    from .. import __version__

    fonts = _Fonts()
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=(PAGE_W, PAGE_H), leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=report.title(),
        author="年报助手",  # as the DOCX's author
        subject="政府信息公开工作年度报告", creator=f"年报助手 {__version__}",
        producer=f"年报助手 {__version__} (reportlab)",
        invariant=0,  # true creation/modification dates (export time), not reportlab's fixed 2000-01-01
        lang="zh-CN", initialFontName=fonts.names["body"], initialFontSize=BODY_PT)
    frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, TEXT_W, TEXT_H, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_page_number(fonts))])
    try:
        doc.build(story(report, fonts, errors))
    except LayoutError as e:
        raise PdfError(f"PDF 排版失败：有内容无法放入一页（{e}）。请缩短该段文字后重试。") from None
    return buf.getvalue()


def write_pdf(report, path) -> Path:
    """Render and write atomically (a failed export leaves no half-written file)."""
    from ..project import atomic_write

    data = render_pdf(report)
    atomic_write(path, data, backup=False)
    return Path(path)


__all__ = ["render_pdf", "write_pdf", "split_lines", "can_break", "break_allowed", "line_break_problems", "date_cn",
           "opening_text", "section_paragraphs", "PdfError"]
