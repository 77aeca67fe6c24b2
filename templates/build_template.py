"""Build ``templates/gov-2021.docx``, the Word template the DOCX export renders with docxtpl.

Run from the checkout:  ``python templates/build_template.py``  (rewrites the committed template).

The template is an ordinary Word document (open it in Word/WPS, adjust letterhead, fonts, add a document
number line, save under another name and pick it as a custom template).  Everything printed comes from the
format data (``resources/formats/gov-2021.json``): headings and every table label are taken from
``Format.sections`` / ``Format.layout(tid)``, so the tables carry the official merges and nothing is re-typed.

Layout follows GB/T 9704-2012 (see ``docs/format.md``): A4, margins 37/35/28/26 mm, title 2号
方正小标宋简体, body 3号 仿宋_GB2312 with a 2-character first-line indent and fixed 28.9 pt line spacing,
一、 headings 黑体, （一） headings 楷体_GB2312, tables 五号 single spaced, page numbers ``— N —`` 4号 宋体,
odd pages right / even pages left.

Placeholders (Jinja2 syntax, rendered by docxtpl in a sandbox) — see README ``## 导出 / Export``.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from docx import Document  # noqa: E402
from docx.enum.section import WD_SECTION  # noqa: E402,F401
from docx.enum.style import WD_STYLE_TYPE  # noqa: E402
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING  # noqa: E402
from docx.opc.constants import RELATIONSHIP_TYPE as RT  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm, Pt, Twips  # noqa: E402

from app.formats import load_format  # noqa: E402

OUT = Path(__file__).resolve().parent / "gov-2021.docx"

from app.export import typeset as T  # noqa: E402  (the one typesetting spec, shared with the exporters)

# 公文 fonts and where Word/WPS/LibreOffice should fall back when a PC lacks them
FANGSONG = T.FONTS["body"]
HEITI = T.FONTS["hei"]
KAITI = T.FONTS["kai"]
XIAOBIAOSONG = T.FONTS["title"]
SONGTI = T.FONTS["number"]
FALLBACKS = {FANGSONG: "仿宋", KAITI: "楷体", XIAOBIAOSONG: "华文中宋", HEITI: "SimHei", SONGTI: "SimSun"}

BODY_PT = T.BODY_PT  # 3号
TITLE_PT = T.TITLE_PT  # 2号
TABLE_PT = T.TABLE_PT  # 五号
FOOTER_PT = T.FOOTER_PT  # 4号
LINE_PT = T.LINE_PT  # 225 mm / 22 lines
CHARS_PER_LINE = T.CHARS_PER_LINE  # GB/T 9704: 28 characters a line, 22 lines a page
LINES_PER_PAGE = T.LINES_PER_PAGE
TEXT_W_PT = T.TEXT_W_MM * T.MM
# 28 characters a line: body-size text is set 0.25 pt tighter (w:spacing -5 twentieths of a point: 15.75 pt a
# character, 28 in the 156 mm text block). Character spacing is honoured alike by Word, WPS and LibreOffice; a
# w:docGrid of type linesAndChars is not (LibreOffice snaps each 16 pt character into two 15.8 pt grid cells
# and sets about 18 a line), so the document grid declares only the 22 lines of 28.9 pt.
CHAR_SPACING = round(T.CHAR_SPACING_PT * 20)  # twentieths of a point
LINE_PITCH = round(LINE_PT * 20)  # 578 twips
assert int(TEXT_W_PT // (BODY_PT + CHAR_SPACING / 20)) == CHARS_PER_LINE

STYLE_TITLE = "报告标题"
STYLE_H1 = "一级标题"
STYLE_H2 = "二级标题"
STYLE_TABLE = "表格文字"
STYLE_TABLE_LABEL = "表格标签"
STYLE_CLOSING = "落款"
STYLE_FOOTER = "页码"

# column widths, cell padding, row heights and label alignment of the tables: the typesetting spec's "tables"
# (the PDF reads the same numbers)


# ---------------------------------------------------------------------------------------------
# low-level helpers

# schema order of w:pPr and w:tblPr children (Word refuses files with children out of order)
PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
             "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
             "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
             "sectPr", "pPrChange"]
TBLPR_ORDER = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
               "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar",
               "tblLook", "tblCaption", "tblDescription"]


def put(parent, tag: str, order: list[str], **attrs):
    """Get or create child ``w:<tag>`` of ``parent`` at its schema position; set ``w:`` attributes."""
    el = parent.find(qn(f"w:{tag}"))
    if el is None:
        el = OxmlElement(f"w:{tag}")
        rank = order.index(tag)
        pos = len(parent)
        for i, child in enumerate(parent):
            local = child.tag.split("}")[-1]
            if local in order and order.index(local) > rank:
                pos = i
                break
        parent.insert(pos, el)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), str(v))
    return el

def set_fonts(rpr_parent, font: str) -> None:
    """Set ascii/hAnsi/eastAsia/cs fonts (and the eastAsia hint) on a style's or run's rPr."""
    rpr = rpr_parent.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]  # drop asciiTheme etc.: a theme font would win over the named one
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)
    rfonts.set(qn("w:hint"), "eastAsia")


def set_size(rpr_parent, pt: float) -> None:
    rpr = rpr_parent.get_or_add_rPr()
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr.append(el)
        el.set(qn("w:val"), str(int(round(pt * 2))))


def paragraph_style(doc, name: str, font: str, pt: float, *, align=None, indent_chars: int = 0,
                    exact_pt: float | None = LINE_PT, bold: bool = False, outline: int | None = None,
                    keep_next: bool = False, space_after_pt: float = 0, right_chars: int = 0,
                    grid: bool = False):
    styles = doc.styles
    st = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.base_style = None
    st.quick_style = True
    set_fonts(st.element, font)
    set_size(st.element, pt)
    st.font.bold = bold
    pf = st.paragraph_format
    pf.alignment = align
    pf.space_before = Pt(0)
    pf.space_after = Pt(space_after_pt)
    if exact_pt:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(exact_pt)
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.widow_control = True  # no lone first or last line of a paragraph on a page: the PDF keeps the same rule
    pf.keep_with_next = keep_next
    ppr = st.element.get_or_add_pPr()
    ind = put(ppr, "ind", PPR_ORDER)
    if indent_chars:
        # firstLineChars is what Word/WPS use (follows the font size); firstLine for other readers
        ind.set(qn("w:firstLineChars"), str(indent_chars * 100))
        ind.set(qn("w:firstLine"), str(int(indent_chars * pt * 20)))
    else:
        ind.set(qn("w:firstLineChars"), "0")
        ind.set(qn("w:firstLine"), "0")
    if right_chars:
        ind.set(qn("w:rightChars"), str(right_chars * 100))
        ind.set(qn("w:right"), str(int(right_chars * pt * 20)))
    if outline is not None:
        put(ppr, "outlineLvl", PPR_ORDER, val=outline)
    # Chinese line-breaking rules on; no snapping to the document grid (exact line spacing sets the lines)
    put(ppr, "kinsoku", PPR_ORDER, val=1)
    put(ppr, "overflowPunct", PPR_ORDER, val=1)
    put(ppr, "snapToGrid", PPR_ORDER, val=0)
    # Word's default automatic space between Chinese and Latin letters/digits, said explicitly: LibreOffice sets
    # it whatever the file says, WPS and Word by default; the PDF sets the same gap (typesetting spec "autospace")
    put(ppr, "autoSpaceDE", PPR_ORDER, val=1)
    put(ppr, "autoSpaceDN", PPR_ORDER, val=1)
    if grid:  # body-size text: 28 characters a line
        rpr = st.element.get_or_add_rPr()
        sp = rpr.find(qn("w:spacing"))
        if sp is None:
            sp = OxmlElement("w:spacing")
            sz = rpr.find(qn("w:sz"))
            (sz.addprevious(sp) if sz is not None else rpr.append(sp))
        sp.set(qn("w:val"), str(CHAR_SPACING))
    return st


def run_fonts(run, font: str, pt: float | None = None) -> None:
    set_fonts(run._r, font)
    if pt:
        set_size(run._r, pt)


def add_par(container, text: str, style: str, font: str, pt: float | None = None):
    p = container.add_paragraph(style=style)
    if text:
        r = p.add_run(text)
        run_fonts(r, font, pt)
    return p


def cell_par(cell, text, style: str, font: str = FANGSONG):
    """The cell's text (a list: lines with line breaks between them, as the PDF prints them)."""
    p = cell.paragraphs[0]
    p.style = style
    for k, line in enumerate([text] if isinstance(text, str) else text):
        if k:
            br = p.add_run()
            run_fonts(br, font, TABLE_PT)
            br.add_break()
        if line:
            r = p.add_run(line)
            run_fonts(r, font, TABLE_PT)
    return p


def row_props(row, header: bool) -> None:
    trpr = row._tr.get_or_add_trPr()
    cs = OxmlElement("w:cantSplit")
    trpr.append(cs)
    h = OxmlElement("w:trHeight")  # at least the spec's row height, taller when the text needs it
    h.set(qn("w:val"), str(int(round(T.TABLE_ROW_MIN_PT * 20))))
    h.set(qn("w:hRule"), "atLeast")
    trpr.append(h)
    if header:
        th = OxmlElement("w:tblHeader")
        trpr.append(th)


def set_cell_margins(table) -> None:
    """The spec's left/right cell margin, none at top and bottom (the row height sets the room)."""
    tblpr = table._tbl.tblPr
    mar = put(tblpr, "tblCellMar", TBLPR_ORDER)
    pad = str(int(round(T.TABLE_PAD_PT * 20)))
    for side, w in (("top", "0"), ("left", pad), ("bottom", "0"), ("right", pad)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), w)
        el.set(qn("w:type"), "dxa")
        mar.append(el)


def fixed_layout(table, tid: str) -> None:
    tbl = table._tbl
    tw = T.table_columns_twips(tid)
    put(tbl.tblPr, "tblLayout", TBLPR_ORDER, type="fixed")
    put(tbl.tblPr, "tblW", TBLPR_ORDER, w=sum(tw), type="dxa")
    for gc, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), tw):
        gc.set(qn("w:w"), str(w))


def cell_widths(table, tid: str) -> None:
    """Each cell's width = the sum of the grid columns it spans (else Word/LibreOffice re-derive the grid)."""
    tw = T.table_columns_twips(tid)
    for tr in table._tbl.tr_lst:
        c = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = Twips(sum(tw[c:c + span]))
            c += span


# ---------------------------------------------------------------------------------------------
# the document

def build_table(doc, fmt, tid: str):
    """Table ``tid`` after its heading (the last paragraph): whole, kept on one page, when it fits with its
    heading — all three do at 五号 — else in the pieces of :func:`app.export.table_breaks.plan`, measured with
    the PDF's fonts in this template's column widths: the heading starts a new page, each piece is a table of
    its own (header rows, a block's title and a cut group's label printed again) on a page of its own, after
    a 1 pt paragraph with page-break-before. Word, WPS and LibreOffice all honour a page break before a
    paragraph; LibreOffice ignores one before a row inside a table, and a vertical merge cut by a page shows
    its label on one side only — so the break is between two tables, not inside one."""
    from app.export import table_breaks as TB
    from app.export.pdf import table_plan
    layout = fmt.layout(tid)
    ranges = table_plan(fmt, tid)  # the PDF's measure, in the same column widths and padding
    if ranges is None:
        return build_piece(doc, layout, tid)
    put(doc.paragraphs[-1]._p.get_or_add_pPr(), "pageBreakBefore", PPR_ORDER)
    table = None
    for k, (start, end) in enumerate(ranges):
        if k:
            page_break(doc)
        table = build_piece(doc, TB.piece(layout, start, end), tid)
    return table


def page_break(doc) -> None:
    """A 1 pt empty paragraph that starts a new page (between two pieces of a table)."""
    p = doc.add_paragraph(style="Normal")
    ppr = p._p.get_or_add_pPr()
    put(ppr, "pageBreakBefore", PPR_ORDER)
    put(ppr, "spacing", PPR_ORDER, line=20, lineRule="exact", before=0, after=0)
    put(ppr, "ind", PPR_ORDER, firstLine=0, firstLineChars=0)
    rpr = OxmlElement("w:rPr")
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "2")
        rpr.append(el)
    ppr.append(rpr)


def build_piece(doc, layout, tid: str):
    from app.export.pdf import template_label_lines
    assert len(T.TABLES["columns"][tid]) == layout.cols, (tid, layout.cols)
    table = doc.add_table(rows=layout.rows, cols=layout.cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    fixed_layout(table, tid)
    set_cell_margins(table)
    for i, row in enumerate(table.rows):
        row_props(row, header=i < layout.header_rows)
    left = T.label_align(tid) == "left"
    for placed in layout.cells:
        cell = table.cell(placed.row, placed.col)
        if placed.rowspan > 1 or placed.colspan > 1:
            cell = cell.merge(table.cell(placed.row + placed.rowspan - 1, placed.col + placed.colspan - 1))
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        if placed.role == "value":
            cell_par(cell, "{{ v['%s'] }}" % placed.cell_id, STYLE_TABLE)
        elif left and ((placed.role == "label" and placed.rowspan == 1) or placed.role == "corner"):
            cell_par(cell, placed.text, STYLE_TABLE_LABEL)
        else:
            cell_par(cell, template_label_lines(tid, placed), STYLE_TABLE)
    # keep-with-next on every row but the last: each table (with its heading, itself keep-with-next) stays on
    # one page whenever it fits — all three do at 五号 — so no table starts with a few rows at the bottom of a
    # page and table 3 never breaks inside 三、本年度办理结果; rows never split (cantSplit), headers repeat
    keep = set(range(layout.rows - 1))
    for i, row in enumerate(table.rows):
        if i in keep:
            for tc in row._tr.tc_lst:
                for p in tc.findall(qn("w:p")):
                    put(p.get_or_add_pPr(), "keepNext", PPR_ORDER)
    cell_widths(table, tid)
    # merging leaves empty paragraphs behind in the merged cells: keep one per cell
    for tc in table._tbl.iter(qn("w:tc")):
        ps = tc.findall(qn("w:p"))
        for p in ps[1:]:
            if not "".join(t.text or "" for t in p.iter(qn("w:t"))):
                tc.remove(p)
    return table


def page_field(paragraph) -> None:
    """``— PAGE —`` with a real PAGE field (Word/WPS/LibreOffice compute the number)."""
    def run(text=None):
        r = paragraph.add_run(text)
        run_fonts(r, SONGTI, FOOTER_PT)
        return r
    run("— ")
    r = run()
    fc = OxmlElement("w:fldChar")
    fc.set(qn("w:fldCharType"), "begin")
    r._r.append(fc)
    r = run()
    it = OxmlElement("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = " PAGE "
    r._r.append(it)
    r = run()
    fc = OxmlElement("w:fldChar")
    fc.set(qn("w:fldCharType"), "separate")
    r._r.append(fc)
    run("1")
    r = run()
    fc = OxmlElement("w:fldChar")
    fc.set(qn("w:fldCharType"), "end")
    r._r.append(fc)
    run(" —")


def font_table(doc) -> None:
    """Declare the 公文 fonts with GB2312 charset and an altName so Word/WPS substitute sensibly."""
    ft_part = None
    for rel in doc.part.rels.values():
        if rel.reltype == RT.FONT_TABLE:
            ft_part = rel.target_part
    if ft_part is None:
        return
    from lxml import etree
    root = etree.fromstring(ft_part.blob)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    have = {f.get(f"{{{w}}}name") for f in root.findall(f"{{{w}}}font")}
    for name, alt in FALLBACKS.items():
        if name in have:
            continue
        f = etree.SubElement(root, f"{{{w}}}font")
        f.set(f"{{{w}}}name", name)
        a = etree.SubElement(f, f"{{{w}}}altName")
        a.set(f"{{{w}}}val", alt)
        cs = etree.SubElement(f, f"{{{w}}}charset")
        cs.set(f"{{{w}}}val", "86")
        fam = etree.SubElement(f, f"{{{w}}}family")
        fam.set(f"{{{w}}}val", "modern" if name == HEITI else "roman")
        pitch = etree.SubElement(f, f"{{{w}}}pitch")
        pitch.set(f"{{{w}}}val", "variable")
    ft_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def drop_parts(doc) -> None:
    """Remove the default template's thumbnail and sample custom XML (stale for our documents)."""
    pkg = doc.part.package
    for rid, rel in list(pkg.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            pkg.rels.pop(rid)
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype == RT.CUSTOM_XML:
            doc.part.rels.pop(rid)


def lean(doc) -> None:
    """Only what the document uses: python-docx's default template brings 171 styles (354 KB) and their 2010
    copy (stylesWithEffects.xml, 438 KB), a theme whose East Asian fonts are Japanese (ＭＳ 明朝/ゴシック),
    ``themeFontLang eastAsia="ja-JP"``, a ``proofState`` saying "spell-checked, clean", numbering and web
    settings. Kept: the styles the body, footers and tables name (with what they are based on), the settings
    Word needs for this layout (even/odd footers, compatibility), the fonts of the typesetting spec."""
    part = doc.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype in (RT.NUMBERING, RT.WEB_SETTINGS, RT.THEME) or rel.reltype.endswith("/stylesWithEffects"):
            part.rels.pop(rid)
    _only_used_styles(doc)
    _lean_settings(doc)
    _only_spec_fonts(doc)


def _used_styles(doc) -> set:
    """The style ids named in the body, footers and headers, the defaults, and what they are based on."""
    from lxml import etree
    part = doc.part
    used = set()
    parts = [part] + [rel.target_part for rel in part.rels.values() if rel.reltype in (RT.FOOTER, RT.HEADER)]
    for pt in parts:
        root = pt.element if hasattr(pt, "element") else etree.fromstring(pt.blob)
        for tag in ("pStyle", "rStyle", "tblStyle"):
            used.update(el.get(qn("w:val")) for el in root.iter(qn(f"w:{tag}")))
    by_id = {st.get(qn("w:styleId")): st for st in doc.styles.element.findall(qn("w:style"))}
    used.update(sid for sid, st in by_id.items() if st.get(qn("w:default")) == "1")
    todo = list(used)
    while todo:
        st = by_id.get(todo.pop())
        for tag in ("basedOn", "next", "link"):
            el = st.find(qn(f"w:{tag}")) if st is not None else None
            if el is not None and el.get(qn("w:val")) not in used:
                used.add(el.get(qn("w:val")))
                todo.append(el.get(qn("w:val")))
    return used


def _only_used_styles(doc) -> None:
    used = _used_styles(doc)
    styles_el = doc.styles.element
    for st in styles_el.findall(qn("w:style")):
        if st.get(qn("w:styleId")) not in used:
            styles_el.remove(st)
            continue
        for tag in ("link", "next"):  # a link to a style that is gone
            el = st.find(qn(f"w:{tag}"))
            if el is not None and el.get(qn("w:val")) not in used:
                st.remove(el)
        for el in st.findall(qn("w:rsid")):
            st.remove(el)
    for el in styles_el.findall(qn("w:latentStyles")):
        styles_el.remove(el)


def _lean_settings(doc) -> None:
    """No proofing verdict, no theme, Chinese as the East Asian language."""
    settings = doc.settings.element
    for tag in ("proofState", "rsids", "clrSchemeMapping", "savePreviewPicture", "shapeDefaults",
                "doNotAutoCompressPictures", "attachedTemplate"):
        for el in settings.findall(qn(f"w:{tag}")):
            settings.remove(el)
    for el in settings.iter(qn("w:themeFontLang")):
        el.set(qn("w:eastAsia"), "zh-CN")
    for el in list(settings):
        if el.tag.startswith("{http://schemas.microsoft.com/office/word/2010/wordml}"):
            settings.remove(el)  # w14:docId of python-docx's template


def _only_spec_fonts(doc) -> None:
    """The font table names only the fonts of the typesetting spec."""
    from lxml import etree
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for rel in doc.part.rels.values():
        if rel.reltype == RT.FONT_TABLE:
            root = etree.fromstring(rel.target_part.blob)
            for f in root.findall(f"{{{w}}}font"):
                if f.get(f"{{{w}}}name") not in FALLBACKS:
                    root.remove(f)
            rel.target_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def defaults(doc) -> None:
    styles_el = doc.styles.element
    rpr_default = styles_el.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts"))
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FANGSONG)
    rfonts.set(qn("w:hint"), "eastAsia")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    ppr_default = styles_el.find(qn("w:docDefaults")).find(qn("w:pPrDefault"))
    if ppr_default is not None:
        ppr = ppr_default.find(qn("w:pPr"))
        if ppr is not None:
            for sp in ppr.findall(qn("w:spacing")):
                ppr.remove(sp)


def build(out: Path = OUT) -> Path:
    from app.export.pdf import table_plan
    fmt = load_format("gov-2021")
    doc = Document()
    drop_parts(doc)
    defaults(doc)
    font_table(doc)

    # styles
    normal = paragraph_style(doc, "Normal", FANGSONG, BODY_PT, align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                             indent_chars=T.INDENT_CHARS, grid=True)
    normal.font.color.rgb = None
    paragraph_style(doc, STYLE_TITLE, XIAOBIAOSONG, TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER,
                    exact_pt=T.TITLE_LINE_PT, space_after_pt=LINE_PT)
    paragraph_style(doc, STYLE_H1, HEITI, BODY_PT, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=T.INDENT_CHARS,
                    outline=0, keep_next=True, grid=True)
    paragraph_style(doc, STYLE_H2, KAITI, BODY_PT, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=T.INDENT_CHARS,
                    outline=1, keep_next=True, grid=True)
    paragraph_style(doc, STYLE_TABLE, FANGSONG, TABLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, exact_pt=T.TABLE_LINE_PT)
    paragraph_style(doc, STYLE_TABLE_LABEL, FANGSONG, TABLE_PT, align=WD_ALIGN_PARAGRAPH.LEFT,
                    exact_pt=T.TABLE_LINE_PT)
    # the right indents of organ and date are set per document (app.document.closing: GB/T 9704 §7.3.5)
    paragraph_style(doc, STYLE_CLOSING, FANGSONG, BODY_PT, align=WD_ALIGN_PARAGRAPH.RIGHT, grid=True)
    paragraph_style(doc, STYLE_FOOTER, SONGTI, FOOTER_PT, exact_pt=None)

    # page setup: A4, GB/T 9704 margins
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(T.PAGE_W_MM), Mm(T.PAGE_H_MM)
    sec.top_margin, sec.bottom_margin = Mm(T.MARGINS_MM["top"]), Mm(T.MARGINS_MM["bottom"])
    sec.left_margin, sec.right_margin = Mm(T.MARGINS_MM["left"]), Mm(T.MARGINS_MM["right"])
    sec.header_distance = Mm(T.HEADER_MM)
    sec.footer_distance = Mm(T.FOOTER_MM)  # number line ≈ 7 mm below the text block
    grid = sec._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sec._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    doc.settings.odd_and_even_pages_header_footer = True
    sec.footer.is_linked_to_previous = False
    sec.even_page_footer.is_linked_to_previous = False
    for footer, align, side in ((sec.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
        p = footer.paragraphs[0]
        p.style = STYLE_FOOTER
        p.alignment = align
        # one character in from the edge
        put(p._p.get_or_add_pPr(), "ind", PPR_ORDER, **{side: int(FOOTER_PT * 20)})
        page_field(p)

    body = doc
    # title + opening
    add_par(body, "{{r title_runs }}", STYLE_TITLE, XIAOBIAOSONG, TITLE_PT)
    add_par(body, "{%p if opening %}", "Normal", FANGSONG)
    add_par(body, "{{ opening }}", "Normal", FANGSONG)
    add_par(body, "{%p endif %}", "Normal", FANGSONG)

    for section in fmt.sections:
        sid = section["id"]
        add_par(body, section["heading"], STYLE_H1, HEITI)
        if section["kind"] == "text":
            # one template paragraph per paragraph kind; docxtpl's {%p %} tags vanish with their paragraph
            add_par(body, "{%%p for p in sections.%s %%}" % sid, "Normal", FANGSONG)
            add_par(body, "{%p if p.kind == 'h1' %}", "Normal", FANGSONG)
            add_par(body, "{{r p.runs }}", STYLE_H1, HEITI)
            add_par(body, "{%p elif p.kind == 'h2' %}", "Normal", FANGSONG)
            add_par(body, "{{r p.runs }}", STYLE_H2, KAITI)
            add_par(body, "{%p else %}", "Normal", FANGSONG)
            add_par(body, "{{r p.runs }}", "Normal", FANGSONG)
            add_par(body, "{%p endif %}", "Normal", FANGSONG)
            add_par(body, "{%p endfor %}", "Normal", FANGSONG)
        else:
            build_table(body, fmt, sid)
            # an empty body line after each table — none before a table that starts a page of its own (at the
            # foot of a full page that line would run onto the next page and the break leave it blank)
            k = [x["id"] for x in fmt.sections].index(sid)
            following = fmt.sections[k + 1] if k + 1 < len(fmt.sections) else None
            if not (following and following["kind"] == "table" and table_plan(fmt, following["id"]) is not None):
                add_par(body, "", "Normal", FANGSONG)

    add_par(body, "{%p if meta.contact %}", "Normal", FANGSONG)
    add_par(body, "联系方式：{{ meta.contact }}", "Normal", FANGSONG)
    add_par(body, "{%p endif %}", "Normal", FANGSONG)
    add_par(body, "", "Normal", FANGSONG)
    add_par(body, "", "Normal", FANGSONG)
    add_par(body, "{{ meta.organ }}", STYLE_CLOSING, FANGSONG)
    add_par(body, "{{ date_cn }}", STYLE_CLOSING, FANGSONG)

    # document properties (docxtpl renders core properties too)
    cp = doc.core_properties
    cp.title = "{{ title }}"
    cp.author = "年报助手"
    cp.subject = "政府信息公开工作年度报告"
    cp.keywords = "gov-2021"
    cp.comments = "年报助手 Word 模板（国办公开办函〔2021〕30号格式）"
    cp.last_modified_by = "年报助手"
    cp.revision = 1
    import datetime as _dt
    fixed = _dt.datetime(2021, 9, 26)
    cp.created = fixed
    cp.modified = fixed
    lean(doc)
    doc.save(out)
    return out


if __name__ == "__main__":
    path = build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
    print(f"wrote {path}")
