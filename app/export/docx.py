"""Word (DOCX) export: the printed document (:mod:`app.document`) laid out by a docxtpl template.

* :func:`render_docx` renders the template (default ``templates/gov-2021.docx``) with docxtpl inside a
  Jinja2 sandbox and returns the document as bytes.
* :func:`check_template` (in ``docx_template.py``; the sandbox in ``docx_sandbox.py``) lists, in Chinese,
  everything that stops a (custom, untrusted) template from being used: not a DOCX, corrupt zip, syntax errors,
  unknown or missing placeholders, forbidden constructs.
* :func:`_embed` adds our small custom XML part: format id, schema, digests of the printed fields and the kind
  of each cell — no content (:mod:`app.ownfiles`; the page is what is read back: :mod:`app.importers.own_docx`).

Placeholders (documented in README ``## 导出 / Export``): ``title``, ``title_runs`` (``{{r title_runs }}``,
the title with a line break after the organ when it is too long for one line), ``opening``, ``meta.organ``,
``meta.year``, ``meta.date`` (ISO), ``meta.date_cn`` / ``date_cn`` (2024年1月16日), ``meta.contact``,
``v['<cell id>']`` (the cell as printed: number, ``/`` or blank), ``sections.<sid>`` (list of paragraphs, each
with ``kind`` h1|h2|body, ``text`` and ``runs`` for ``{{r p.runs }}``), ``text.<sid>`` (the raw text) and
``headings.<sid>``.
"""
from __future__ import annotations

import io
import re
import uuid
import zipfile
from pathlib import Path

from .. import document as D
from ..ownfiles import DOCX_NAMESPACE as NS
from ..ownfiles import is_ours as _is_ours
from ..ownfiles import payload_for, read_page
from ..textutil import date_cn
from .errors import ExportError, TemplateProblem
# the sandbox and the template check live in docx_sandbox.py / docx_template.py; their names stay importable here
from .docx_sandbox import (_BUDGET, MAX_OUTPUT_CHARS, MAX_RANGE, MAX_STEPS, _bounded_render,  # noqa: F401
                           _sandbox)
from .docx_template import (CONTEXT_NAMES, META_KEYS, MAX_TEMPLATE_BYTES, _active_content,  # noqa: F401
                            check_template)

_DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
_CUSTOM_XML_PROPS_CT = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"

from . import typeset as _T  # noqa: E402

FANGSONG = _T.FONTS["body"]
HEITI = _T.FONTS["hei"]
KAITI = _T.FONTS["kai"]
XIAOBIAOSONG = _T.FONTS["title"]
TITLE_CHARS = _T.TITLE_CHARS  # 2号 characters per line in the 156 mm text block


_XML_BAD = D.XML_BAD  # not allowed in XML


def _xml_escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as XML entities (what ``xml.sax.saxutils.escape`` does; importing it imports
    ``urllib.request`` and with it the network stack, 25–50 ms of every fresh DOCX export)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------------------------------------
# context: the printed document (app.document.build) as template variables


def default_template() -> Path:
    from ..resources import template
    return template("gov-2021.docx")


class Runs:
    """Runs of one paragraph as WordprocessingML, for ``{{r p.runs }}`` (docxtpl RichText protocol)."""

    def __init__(self):
        self.xml = ""
        self.plain = ""

    def add(self, text: str, font: str, bold: bool = False) -> None:
        if not text:
            return
        self.plain += text
        text = _xml_escape(_XML_BAD.sub("", text.replace("\t", " ")))
        b = "<w:b/><w:bCs/>" if bold else ""
        self.xml += (f'<w:r><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" '
                     f'w:cs="{font}" w:hint="eastAsia"/>{b}</w:rPr>'
                     f'<w:t xml:space="preserve">{text}</w:t></w:r>')

    def spans(self, spans, font: str) -> None:
        for s in spans:
            self.add(s.text, font, s.bold)

    def br(self) -> None:
        self.xml += "<w:r><w:br/></w:r>"
        self.plain += "\n"

    def __html__(self) -> str:  # inserted raw by Jinja's autoescape
        return self.xml

    def __str__(self) -> str:
        return self.xml


_HEAD_FONT = {"h1": HEITI, "h2": KAITI}


def paragraphs(text: str) -> list[dict]:
    """A narrative as template paragraphs (:func:`app.document.paragraphs`): ``kind`` h1|h2|body, ``text`` the
    line and ``runs`` (a run-in heading in its heading font, the rest in the body font, ``**bold**`` bold)."""
    out = []
    for para in D.paragraphs(text):
        runs = Runs()
        runs.spans(para.head, _HEAD_FONT.get(para.head_kind, FANGSONG))
        runs.spans(para.rest, FANGSONG)
        out.append({"kind": para.kind, "text": para.text, "runs": runs})
    return out


def title_runs(lines: list[str]) -> Runs:
    """The title lines (:func:`app.document.title_lines`) in 小标宋 with a line break between them."""
    runs = Runs()
    for k, line in enumerate(lines):
        if k:
            runs.br()
        runs.add(line, XIAOBIAOSONG)
    return runs


def cell_texts(report) -> dict[str, str]:
    """Every table cell as printed in the document (``/`` for 不适用, blank for no value)."""
    return D.cell_texts(report)


def context(report, printed=None) -> dict:
    """Everything a template can print (all text already free of characters XML cannot hold)."""
    doc = printed or D.build(report)
    fmt = report.format
    return {
        "title": doc.title,
        "title_runs": title_runs(doc.title_lines),
        "opening": doc.opening,
        "meta": {"organ": doc.organ, "year": doc.year, "date": doc.date_iso, "date_cn": doc.closing.date,
                 "contact": doc.contact},
        "date_cn": doc.closing.date,
        "v": dict(doc.cells),
        "sections": {sid: paragraphs(report.sections.get(sid, "")) for sid in fmt.text_sections},
        "text": {sid: D.clean(report.sections.get(sid, "")) for sid in fmt.text_sections},
        "headings": {s["id"]: s["heading"] for s in fmt.sections},
    }


# ---------------------------------------------------------------------------------------------
# rendering and embedding

def _embed(document, report) -> None:
    """Our custom XML part: what recognises our file and finds edits made in Word — format id, schema, a digest
    of every printed field and the kind of each cell (:func:`app.ownfiles.payload_for`, taken from the
    rendered page by the code that reads it back). No printed text, organ, date or cell value."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    import json

    part = document.part
    for rid, rel in list(part.rels.items()):  # a stale part (a template made from an exported document)
        if rel.reltype == RT.CUSTOM_XML and not rel.is_external and _is_ours(rel.target_part.blob):
            part.rels.pop(rid)
    styles = {s.name: s.style_id for s in document.styles}
    page = read_page(document.element.body, styles, report.format)
    payload = payload_for(page, report.format_id)
    body = _xml_escape(json.dumps(payload, ensure_ascii=True, sort_keys=True, separators=(",", ":")))
    blob = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<nianbao xmlns="{NS}" version="2" format="{report.format_id}">'
            f'<data encoding="json">{body}</data></nianbao>').encode("utf-8")
    package = part.package
    item = Part(package.next_partname("/customXml/item%d.xml"), "application/xml", blob, package)
    part.relate_to(item, RT.CUSTOM_XML)
    import hashlib
    item_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, NS + hashlib.sha256(blob).hexdigest())).upper() + "}"
    props_blob = (f'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
                  f'<ds:datastoreItem ds:itemID="{item_id}" xmlns:ds="{_DS}"><ds:schemaRefs>'
                  f'<ds:schemaRef ds:uri="{NS}"/></ds:schemaRefs></ds:datastoreItem>').encode("utf-8")
    # name the properties part after the item (item3.xml -> itemProps3.xml), as Word does
    num = re.search(r"(\d+)\.xml$", str(item.partname)).group(1)
    props = Part(PackURI(f"/customXml/itemProps{num}.xml"), _CUSTOM_XML_PROPS_CT, props_blob, package)
    item.relate_to(props, RT.CUSTOM_XML_PROPS)


def _place_closing(document, closing) -> None:
    """Organ and date where GB/T 9704 §7.3.5 puts them (:func:`app.document.closing`): each 落款 paragraph
    right-aligned with its own right indent (the organ centred over the date when sealed)."""
    from docx.oxml.ns import qn
    try:
        closing_id = document.styles["落款"].style_id
    except KeyError:
        return
    paras = [p for p in document.element.body.iter(qn("w:p"))
             if p.pPr is not None and p.pPr.pStyle is not None and p.pPr.pStyle.val == closing_id
             and "".join(t.text or "" for t in p.iter(qn("w:t"))).strip()]
    for p in paras:
        text = "".join(t.text or "" for t in p.iter(qn("w:t"))).strip()
        right = closing.date_right_pt if text == closing.date and text else closing.organ_right_pt
        ppr = p.get_or_add_pPr()
        ind = ppr.find(qn("w:ind"))
        if ind is None:
            from docx.oxml import OxmlElement
            ind = OxmlElement("w:ind")
            jc = ppr.find(qn("w:jc"))
            (jc.addprevious(ind) if jc is not None else ppr.append(ind))
        for a in list(ind.attrib):
            if a.endswith("}rightChars") or a.endswith("}right") or a.endswith("}end") or a.endswith("}endChars"):
                del ind.attrib[a]
        ind.set(qn("w:rightChars"), "0")
        ind.set(qn("w:right"), str(int(round(right * 20))))


def _drop_empty_runs(body) -> None:
    """docxtpl leaves an empty run on each side of a ``{{r …}}`` placeholder; remove runs with no content."""
    from docx.oxml.ns import qn
    r_tag, rpr_tag, t_tag = qn("w:r"), qn("w:rPr"), qn("w:t")
    for r in list(body.iter(r_tag)):
        kids = list(r)
        if all(k.tag in (rpr_tag, t_tag) for k in kids) and not any(k.tag == t_tag and k.text for k in kids):
            r.getparent().remove(r)


def _keep_closing_with_text(document) -> None:
    """The closing (organ, date: style 落款) must not stand alone on the last page (GB/T 9704): keep it,
    the blank lines before it and the last line of the text above together."""
    from docx.oxml.ns import qn
    try:
        closing_id = document.styles["落款"].style_id
    except KeyError:
        return
    paras = list(document.element.body.iter(qn("w:p")))

    def style_of(p):
        ps = p.pPr.pStyle if p.pPr is not None else None
        return ps.val if ps is not None else None

    first = next((i for i, p in enumerate(paras) if style_of(p) == closing_id), None)
    if first is None:
        return
    last = max(i for i, p in enumerate(paras) if style_of(p) == closing_id)
    for i in range(first, last):
        paras[i].get_or_add_pPr().keepNext_val = True
    i = first - 1
    while i >= 0:
        p = paras[i]
        p.get_or_add_pPr().keepNext_val = True
        if "".join(t.text or "" for t in p.iter(qn("w:t"))).strip():
            break
        i -= 1


_APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            '<Application>{app}</Application><DocSecurity>0</DocSecurity><LinksUpToDate>false</LinksUpToDate>'
            '<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>')


def _set_properties(document, title: str) -> None:
    """True document properties: the report's title, created/modified = now, written by 年报助手 <version>;
    nothing from the template's author (a custom template's author, company or manager are not published)."""
    from datetime import datetime, timezone
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from .. import __version__

    now = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
    cp = document.core_properties
    cp.title = title
    cp.created = now
    cp.modified = now
    for el in list(cp._element):  # a template's print date, category, keywords… are not about this report
        if el.tag.rsplit("}", 1)[-1] in ("lastPrinted", "category", "contentStatus", "identifier", "version"):
            cp._element.remove(el)
    cp.author = "年报助手"
    cp.last_modified_by = "年报助手"
    cp.comments = ""
    cp.revision = 1
    app = _xml_escape(f"年报助手 {__version__}")
    package = document.part.package
    blob = _APP_XML.format(app=app).encode("utf-8")
    for rel in package.rels.values():
        if rel.reltype.endswith("/extended-properties") and not rel.is_external:
            rel.target_part._blob = blob
            return
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    package.relate_to(Part(PackURI("/docProps/app.xml"),
                           "application/vnd.openxmlformats-officedocument.extended-properties+xml", blob, package),
                      RT.EXTENDED_PROPERTIES)


FONT_NOTES: list[str] = []  # what the last render_docx substituted (Chinese), for the export message


def _rename_fonts(data: bytes, mapping: dict[str, str]) -> bytes:
    """Write the installed font names for the standard ones in every font reference of the document (styles,
    runs, theme-free rFonts, the font table, footers)."""
    if not mapping:
        return data
    pattern = re.compile(r'((?:w:(?:ascii|hAnsi|eastAsia|cs|name|val))=")(' +
                         "|".join(re.escape(_xml_escape(k)) for k in mapping) + r')(")')
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename.startswith("word/") and info.filename.endswith(".xml"):
                text = blob.decode("utf-8")
                if any(k in text for k in mapping):
                    blob = pattern.sub(lambda m: m.group(1) + _xml_escape(mapping[m.group(2)]) + m.group(3),
                                       text).encode("utf-8")
            out.writestr(info, blob)
    return buf.getvalue()


def _put_draft_mark(document, mark: str) -> None:
    """The draft mark (a report exported with errors) as the first paragraph: 黑体, the body's size and line pitch,
    flush left — the PDF prints it alike."""
    if not mark:
        return
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt

    first = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    p = first.insert_paragraph_before()
    fmt = p.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
    fmt.first_line_indent = fmt.left_indent = fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(_T.LINE_PT)
    run = p.add_run(mark)
    run.font.size = Pt(_T.BODY_PT)
    fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), HEITI)


def render_docx(report, template=None, standard_fonts: bool | None = None, errors: int = 0) -> bytes:
    """The report as a DOCX (bytes), rendered from ``template`` (default: the official template).

    Font names: the 公文 fonts as installed on this PC (:func:`app.fonts.docx_font_names`), unless
    ``standard_fonts`` (default: the user setting) keeps the standard names; :data:`FONT_NOTES` says what
    was substituted."""
    path = Path(template) if template is not None else default_template()
    problems = check_template(path, report.format_id if template is not None else "gov-2021")
    if problems:
        shown = "\n".join(f"  · {p}" for p in problems[:20])
        more = f"\n  …另有 {len(problems) - 20} 处" if len(problems) > 20 else ""
        raise TemplateProblem(f"Word 模板“{path.name}”不能使用：\n{shown}{more}", problems)
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError
    from jinja2.sandbox import SecurityError

    tpl = DocxTemplate(str(path))
    printed = D.build(report, errors)
    ctx = context(report, printed)
    env = _sandbox()
    try:
        _bounded_render(tpl, ctx, env)
    except SecurityError as e:
        raise ExportError(f"模板“{path.name}”试图执行不允许的操作，已停止：{e}") from None
    except TemplateError as e:
        raise ExportError(f"按模板“{path.name}”生成文档失败：{e}") from None
    except RecursionError:
        raise ExportError(f"按模板“{path.name}”生成文档失败：模板嵌套过深。") from None
    except MemoryError:
        raise ExportError(f"按模板“{path.name}”生成文档失败：内存不足（模板输出过大）。") from None
    except Exception as e:  # noqa: BLE001 — an untrusted template can fail in many ways
        raise ExportError(f"按模板“{path.name}”生成文档失败（{type(e).__name__}：{e}）。") from None
    _drop_empty_runs(tpl.docx.element.body)
    _keep_closing_with_text(tpl.docx)
    _place_closing(tpl.docx, printed.closing)
    _put_draft_mark(tpl.docx, printed.draft)
    _embed(tpl.docx, report)
    _set_properties(tpl.docx, ctx["title"])
    buf = io.BytesIO()
    tpl.docx.save(buf)
    from ..fonts import docx_font_names
    mapping, notes = docx_font_names(standard_fonts)
    FONT_NOTES[:] = notes
    return _rename_fonts(buf.getvalue(), mapping)


def write_docx(report, path, template=None) -> Path:
    """Render and write atomically (no checks of the report's findings; see :func:`app.export.export_report`)."""
    from ..project import atomic_write
    data = render_docx(report, template)
    atomic_write(path, data, backup=False)
    return Path(path)


__all__ = ["render_docx", "write_docx", "check_template", "context", "paragraphs", "date_cn", "default_template"]
