"""A PDF drawn the way WPS exports a report (made with reportlab, for tests; no real WPS file is committed).

What WPS does that matters for reading it back, as seen in published WPS PDFs:
- a white, filled, unstroked rectangle behind every line of text and behind every table cell;
- table rulings as stroked lines; a table that goes on over the page has no bottom ruling on the first page;
- a page number "- n -" centred at the foot of every page (optionally a running header at the top);
- paragraphs wrapped at the right margin, the first line indented two characters.

Input is text as ``fuzz.docs.text_from_report`` writes it: paragraphs as lines, table rows as tab-separated cells,
a blank line between blocks. Extra lines (closing organ and date) may be appended by the caller.
"""
from __future__ import annotations

from pathlib import Path

PAGE_W, PAGE_H = 595.0, 842.0
LEFT, RIGHT = 76.0, 517.0
TOP, BOTTOM = 72.0, 770.0
SIZE = 14.0
LEADING = 28.0
CELL_SIZE = 7.0


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    name = "WpsLikeSong"
    if name not in pdfmetrics.getRegisteredFontNames():
        root = Path(__file__).resolve().parent.parent
        pdfmetrics.registerFont(TTFont(name, str(root / "resources" / "fonts" / "nianbao-song.ttf")))
    return name


def _wrap(text: str, width: float, size: float, first_indent: float = 0.0) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth
    font = _font()
    lines, cur, avail = [], "", width - first_indent
    for ch in text:
        if cur and stringWidth(cur + ch, font, size) > avail:
            lines.append(cur)
            cur, avail = "", width
        cur += ch
    if cur or not lines:
        lines.append(cur)
    return lines


def wps_like_pdf(text: str, path, header: str = "", right_aligned: tuple[str, ...] = (),  # noqa: C901 — one layout loop
                 white_boxes: bool = True) -> Path:
    """Draw ``text`` as WPS would export it. Lines in ``right_aligned`` (the closing) are set flush right;
    ``white_boxes=False`` draws the same page without the white boxes (an ordinary PDF)."""
    from reportlab.pdfgen import canvas

    font = _font()
    c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
    state = {"page": 1, "y": TOP}

    def furniture():
        c.setFillColorRGB(0, 0, 0)
        c.setFont(font, 10.5)
        c.drawCentredString(PAGE_W / 2, PAGE_H - 800, f"- {state['page']} -")
        if header:
            c.drawCentredString(PAGE_W / 2, PAGE_H - 40, header)

    def new_page():
        furniture()
        c.showPage()
        state["page"] += 1
        state["y"] = TOP

    def white_box(x0, top, x1, bottom):
        if not white_boxes:
            return
        c.setFillColorRGB(1, 1, 1)
        c.rect(x0, PAGE_H - bottom, x1 - x0, bottom - top, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)

    def text_line(s: str, x: float):
        if state["y"] + LEADING > BOTTOM:
            new_page()
        y = state["y"]
        white_box(LEFT - 2, y, RIGHT + 1, y + LEADING)
        c.setFont(font, SIZE)
        c.drawString(x, PAGE_H - (y + 0.75 * LEADING), s)
        state["y"] = y + LEADING

    def paragraph(s: str):
        s = s.strip()
        if not s:
            return
        if s in right_aligned:
            from reportlab.pdfbase.pdfmetrics import stringWidth
            text_line(s, RIGHT - stringWidth(s, font, SIZE))
            return
        if s.startswith(("一、", "二、", "三、", "四、", "五、", "六、")) and len(s) < 40:
            text_line(s, LEFT + 2 * SIZE)
            return
        for k, ln in enumerate(_wrap(s, RIGHT - LEFT, SIZE, 2 * SIZE)):
            text_line(ln, LEFT + (2 * SIZE if k == 0 else 0))

    def table(rows: list[list[str]]):
        ncol = max(len(r) for r in rows)
        if ncol <= 4:
            widths = [(RIGHT - LEFT) / ncol] * ncol
        else:  # label columns wider than the number columns
            label = 3 if ncol >= 10 else 1
            num = (RIGHT - LEFT) * (0.5 if ncol >= 10 else 0.55) / (ncol - label)
            widths = [((RIGHT - LEFT) - num * (ncol - label)) / label] * label + [num] * (ncol - label)
        xs = [LEFT]
        for w in widths:
            xs.append(xs[-1] + w)
        c.setLineWidth(0.5)
        c.setStrokeColorRGB(0, 0, 0)
        state["y"] += 6
        for row in rows:
            row = row + [""] * (ncol - len(row))
            wrapped = [_wrap(t, xs[k + 1] - xs[k] - 4, CELL_SIZE) for k, t in enumerate(row)]
            h = max(len(w) for w in wrapped) * (CELL_SIZE + 2) + 6
            if state["y"] + h > BOTTOM:  # no bottom ruling on this page: the table goes on over the page
                new_page()
            top = state["y"]
            c.line(xs[0], PAGE_H - top, xs[-1], PAGE_H - top)
            for x in xs:
                c.line(x, PAGE_H - top, x, PAGE_H - (top + h))
            for k, lines in enumerate(wrapped):
                white_box(xs[k] + 0.5, top + 0.5, xs[k + 1] - 0.5, top + h - 0.5)
                c.setFont(font, CELL_SIZE)
                for j, ln in enumerate(lines):
                    c.drawString(xs[k] + 2, PAGE_H - (top + 3 + (j + 1) * (CELL_SIZE + 2) - 2), ln)
            state["y"] = top + h
        c.line(xs[0], PAGE_H - state["y"], xs[-1], PAGE_H - state["y"])
        state["y"] += 10

    pending: list[list[str]] = []
    for line in text.splitlines():
        if "\t" in line:
            pending.append(line.split("\t"))
            continue
        if pending:
            table(pending)
            pending = []
        paragraph(line)
    if pending:
        table(pending)
    furniture()
    c.showPage()
    c.save()
    return Path(path)
