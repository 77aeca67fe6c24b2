"""The printed document, built once: what the Word and the PDF export both print, renderer-neutral.

:func:`build` turns a report into a :class:`Printed` document — title lines, the opening paragraph, the sections
(headings, paragraphs with their heading run and ``**bold**`` spans, tables), the contact line and the closing
(organ and date, with their right indents per GB/T 9704-2012 §7.3.5) — and the DOCX template and the PDF only lay
it out. Reading our own DOCX back (:mod:`app.importers.own_docx`) uses the same rules in reverse
(:func:`parse_date_cn`, :func:`standard_opening`).

Widths here are the typesetting spec's model of the 公文 fonts: an ideograph or full-width sign one em, an ASCII
letter or digit half an em (as 仿宋_GB2312 and the bundled fonts draw them), each plus the grid's character
spacing, and Word's automatic gap between an ideograph and a Latin letter or digit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as _date

from .textutil import DATE_CN, date_cn, opening_from

H1 = re.compile(r"^[一二三四五六七八九十]+、")
H2 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
BOLD = re.compile(r"\*\*(.+?)\*\*")
# characters XML 1.0 cannot hold (nor a PDF text string sensibly): removed from everything printed
XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
CONTACT_PREFIX = "联系方式："
# an opening written into section 一 itself (reports imported before meta.opening existed)
OPENING_START = "根据《中华人民共和国政府信息公开条例》"


def clean(text) -> str:
    return XML_BAD.sub("", str(text or ""))


def parse_date_cn(text: str) -> str:
    """The reverse of :func:`date_cn`: ``2024年1月16日`` -> ``2024-01-16``; anything else as printed."""
    m = DATE_CN.match(text or "")
    if not m:
        return (text or "").strip()
    try:
        return _date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return (text or "").strip()


def standard_opening(organ: str, year) -> str:
    """The format's standard opening paragraph (typesetting spec ``opening``) for this organ and year."""
    from .export import typeset as T
    return opening_from(T.OPENING, organ, year)


def opening_text(report) -> str:
    """The opening as printed: ``meta.opening`` exactly as written; when empty, the standard opening — unless
    section 一 already starts with it (a report imported before the opening was a field of its own)."""
    own = (getattr(report.meta, "opening", "") or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if own:
        return clean(own)
    if (report.sections.get("s1") or "").lstrip().startswith(OPENING_START):
        return ""
    return clean(standard_opening(report.meta.organ, report.meta.year))


# ---------------------------------------------------------------------------------------------------------
# paragraphs

@dataclass
class Span:
    text: str
    bold: bool = False


@dataclass
class Para:
    """One printed paragraph of a narrative section. ``kind``: ``h1`` (一、 heading on its own), ``h2`` (（一）
    heading on its own) or ``body``; ``head`` the run set in the heading font (a run-in heading such as
    ``（一）主动公开情况。`` before the body text, or the whole heading), ``head_kind`` which heading font it takes
    (``h1``/``h2``, empty for plain body text), ``rest`` the spans in the body font; ``text`` the line as typed."""
    kind: str
    head: list[Span]
    head_kind: str
    rest: list[Span]
    text: str

    @property
    def plain(self) -> str:
        return "".join(s.text for s in self.head + self.rest)


def spans(text: str) -> list[Span]:
    """``**bold**`` marks (as typed in the wizard) -> spans."""
    out, pos = [], 0
    for m in BOLD.finditer(text):
        if m.start() > pos:
            out.append(Span(text[pos:m.start()]))
        out.append(Span(m.group(1), True))
        pos = m.end()
    if pos < len(text):
        out.append(Span(text[pos:]))
    return out


def paragraphs(text: str) -> list[Para]:
    """A narrative as printed paragraphs, one a line: ``一、`` lines 黑体 headings, ``（一）`` lines 楷体 headings.
    A heading line that goes on after its first 。 (``（一）主动公开情况。我局……``) is one body paragraph whose
    head is set in the heading font and the rest in the body font, as 公文 do."""
    out = []
    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = clean(raw).replace("\t", " ").strip()
        if not line:
            continue
        hk = "h1" if H1.match(line) else "h2" if H2.match(line) else ""
        if not hk:
            out.append(Para("body", [], "", spans(line), line))
            continue
        stop = line.find("。")
        if 0 <= stop < len(line) - 1:
            out.append(Para("body", spans(line[:stop + 1]), hk, spans(line[stop + 1:]), line))
        else:
            out.append(Para(hk, spans(line), hk, [], line))
    return out


# ---------------------------------------------------------------------------------------------------------
# widths (the spec's model of the fonts)

def _wide(ch: str) -> bool:
    return not (ord(ch) < 0x2E80 or 0xFF61 <= ord(ch) <= 0xFFDC)


def text_width(text: str, pt: float, char_spacing: float = 0.0) -> float:
    """Printed width of ``text`` at ``pt`` on a grid of ``char_spacing`` (see the module's text)."""
    from .export import typeset as T
    w = sum((pt if _wide(ch) else pt / 2) + char_spacing for ch in text)
    w += sum(T.autospace_pt(pt, char_spacing) for a, b in zip(text, text[1:]) if T.autospace_between(a, b))
    return w


def title_lines(organ: str, title: str) -> list[str]:
    """The title, broken after the organ name when it does not fit one 2号 line (as published reports do),
    instead of leaving a word such as 报告 alone on the second line."""
    from .export import typeset as T
    rest = title[len(organ):] if organ and title.startswith(organ) else ""
    room = T.TITLE_CHARS * T.TITLE_PT
    if (text_width(title, T.TITLE_PT) > room + 1e-6 and rest and text_width(organ, T.TITLE_PT) <= room + 1e-6
            and text_width(rest, T.TITLE_PT) <= room + 1e-6):
        return [organ, rest]
    return [title]


# ---------------------------------------------------------------------------------------------------------
# closing (GB/T 9704-2012 §7.3.5)

@dataclass
class Closing:
    organ: str
    date: str
    organ_right_pt: float  # right indent of the organ line
    date_right_pt: float  # right indent of the date line
    style: str  # "sealed" (§7.3.5.1) or "unsealed" (§7.3.5.2)
    blank_lines: int  # empty body lines between the text and the organ (room for the seal)


def closing(organ: str, date_text: str) -> Closing:
    """Where organ and date stand (typesetting spec ``closing``). Sealed (§7.3.5.1): the date 4 characters in
    from the right margin, the organ centred over the date. Unsealed (§7.3.5.2): the organ 2 characters in,
    the date's first character 2 characters right of the organ's first; a date longer than that is set 2
    characters in and the organ moves left to keep the 2-character step."""
    from .export import typeset as T
    spec = T.CLOSING
    ch = T.BODY_PT + T.CHAR_SPACING_PT  # one character of the 28-character grid
    wo = text_width(organ, T.BODY_PT, T.CHAR_SPACING_PT) if organ else 0.0
    wd = text_width(date_text, T.BODY_PT, T.CHAR_SPACING_PT) if date_text else 0.0
    style = spec["style"]
    if style == "sealed":
        date_right = spec["sealed"]["date_right_chars"] * ch
        organ_right = max(0.0, date_right + (wd - wo) / 2) if organ and date_text else date_right
    else:
        u = spec["unsealed"]
        organ_right = u["organ_right_chars"] * ch
        step = u["date_step_chars"] * ch
        date_right = organ_right + wo - step - wd if organ and date_text else organ_right
        if date_right < organ_right:
            date_right = organ_right
            organ_right = date_right + wd + step - wo
    return Closing(organ, date_text, round(organ_right, 2), round(date_right, 2), style,
                   int(spec.get("blank_lines", 2)))


# ---------------------------------------------------------------------------------------------------------
# the document

@dataclass
class Section:
    id: str
    kind: str  # "text" or "table"
    heading: str
    paragraphs: list[Para] = field(default_factory=list)


@dataclass
class Printed:
    title: str
    title_lines: list[str]
    opening: str
    sections: list[Section]
    cells: dict[str, str]  # cell id -> the text printed in its cell ("/" for 不适用, "" for blank)
    contact: str
    closing: Closing
    organ: str
    year: str
    date_iso: str
    draft: str = ""  # the draft mark printed first (a report exported with errors), else ""


def cell_texts(report) -> dict[str, str]:
    """Every table cell as printed (``/`` for 不适用, blank for no value), on one line."""
    from .values import display
    return {cid: " ".join(clean(display(report.values.get(cid))).split()) for cid in report.format.cells}


def contact_text(contact: str | None) -> str:
    """The contact as printed after :data:`CONTACT_PREFIX`: a label the clerk (or last year's document) typed into
    the field ("联系方式：电话：…") is not printed a second time."""
    t = clean((contact or "").replace("\r\n", "\n").replace("\r", "\n")).strip()
    label = CONTACT_PREFIX.rstrip("：")
    if t.startswith(label) and t[len(label):].lstrip()[:1] in ("：", ":"):
        t = t[len(label):].lstrip()[1:].strip()
    return t


def draft_mark(errors: int) -> str:
    """What a report exported with ``errors`` errors prints first (the typesetting spec's ``draft_mark``); ""
    for none."""
    if errors <= 0:
        return ""
    from .resources import typesetting
    return typesetting()["draft_mark"]["text"].format(n=errors)


def is_draft_mark(text: str) -> bool:
    """A paragraph that is the draft mark (any count), as read back from our own DOCX."""
    from .resources import typesetting
    pattern = re.escape(typesetting()["draft_mark"]["text"]).replace(re.escape("{n}"), r"\d+")
    return re.fullmatch(pattern, "".join((text or "").split())) is not None


def build(report, errors: int = 0) -> Printed:
    """The printed document of ``report`` (see the module's text); ``errors``: how many errors it was exported
    with (the clerk confirmed), printed as the draft mark."""
    fmt = report.format
    meta = report.meta
    organ = clean(meta.organ)
    title = clean(fmt.title(meta.organ, meta.year))
    sections = []
    for s in fmt.sections:
        paras = paragraphs(report.sections.get(s["id"], "")) if s["kind"] == "text" else []
        sections.append(Section(s["id"], s["kind"], s["heading"], paras))
    dcn = clean(date_cn(meta.date))
    return Printed(
        title=title, title_lines=title_lines(organ, title), opening=opening_text(report), sections=sections,
        cells=cell_texts(report),
        contact=contact_text(meta.contact),
        closing=closing(organ.strip(), dcn),
        organ=organ, year="" if meta.year is None else str(meta.year), date_iso=clean(meta.date),
        draft=draft_mark(errors))


__all__ = ["build", "Printed", "Section", "Para", "Span", "Closing", "paragraphs", "spans", "date_cn",
           "parse_date_cn", "opening_text", "standard_opening", "title_lines", "closing", "text_width",
           "cell_texts", "clean"]
