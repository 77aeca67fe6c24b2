"""Re-shaping a report into every shape published reports take, for tests and the recognition table.

From a report (a fixture) we make our own DOCX export and office-style DOCX (tests/fuzz/docs.py); from a DOCX the
text a Word-to-text converter writes (every table cell on its own line, blank lines between rows, ``[bookmark:
_Hlk…]`` artefacts); text with tab-, space- or pipe-separated rows and Markdown tables; HTML with nested and
irregular tables; and PDF through LibreOffice (``soffice --headless --convert-to pdf``).
"""
from __future__ import annotations

import html as _html
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from fuzz.docs import (
    cell_text,
    date_cn,
    docx_from_report,
    html_from_report,
    text_from_report,
)

from app.formats import load_format
from app.model import Report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def our_docx(report: Report, path: Path) -> Path:
    from app.export.docx import write_docx
    write_docx(report, path)
    return Path(path)


def office_docx(report: Report, path: Path, variant: str = "standard") -> Path:
    """An office-typed DOCX (tests/fuzz/docs.py); every table ruled, as in the official format."""
    from docx import Document
    docx_from_report(report, path, variant=variant)
    doc = Document(str(path))
    for t in doc.tables:
        t.style = "Table Grid"
    doc.save(str(path))
    return Path(path)


def _ptext(p) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def converter_text(docx: Path, indent: str = "\t") -> str:
    """What Word-to-text converters (Apache Tika and the like) make of a DOCX: paragraphs as lines, every table
    cell on its own line after a tab (``indent``; a vertically merged continuation as an empty cell), a blank
    line after every row, and ``[bookmark: …]`` marks where the document has bookmarks (and a few more, as
    converters leave them)."""
    from docx import Document
    body = Document(str(docx)).element.body
    out: list[str] = []
    n = 0
    for el in body:
        if el.tag == f"{W}p":
            n += 1
            marks = [b.get(f"{W}name") for b in el.iter(f"{W}bookmarkStart")]
            text = _ptext(el)
            if n % 7 == 3:
                marks.append(f"_Hlk{1000 + n}")
            if marks and text:
                out.append("".join(f"[bookmark: {m}]" for m in marks) + text)
            elif marks:
                out.append(f"[bookmark: {marks[0]}]")
            else:
                out.append(text)
        elif el.tag == f"{W}tbl":
            for tr in el.iter(f"{W}tr"):
                for tc in tr.findall(f"{W}tc"):
                    out.append(indent + "".join(_ptext(p) for p in tc.iter(f"{W}p")))
                out.append("")
            out.append("")
    return "\n".join(out) + "\n"


def markdown_text(report: Report) -> str:
    """Markdown as converters write it: headings with #, tables with a header rule, merged cells repeated empty."""
    lines = text_from_report(report, "pipe").split("\n")
    out, in_table = [], False
    fmt = load_format(report.format_id)
    heads = {s["heading"] for s in fmt.sections}
    for line in lines:
        if line.startswith("|"):
            out.append(line)
            if not in_table:
                out.append("|" + "|".join(["---"] * (line.count("|") - 1)) + "|")
            in_table = True
            continue
        in_table = False
        out.append(f"## {line}" if line in heads else line)
    out[0] = "# " + out[0]
    return "\n".join(out)


def irregular_html(report: Report) -> str:
    """A page whose tables are irregular: nested in a layout table, header cells as <td>, rows whose merged cells
    are written out empty instead of spanned, and a table 2 split into one table per block."""
    fmt = load_format(report.format_id)
    out = [f"<div class='title'><b>{_html.escape(fmt.title(report.meta.organ, report.meta.year))}</b></div>"]
    for sec in fmt.sections:
        out.append(f"<div><span style='font-weight:bold'>{_html.escape(sec['heading'])}</span></div>")
        if sec["kind"] == "text":
            out += [f"<div>{_html.escape(x)}</div>" for x in report.sections.get(sec["id"], "").split("\n")]
            continue
        layout = fmt.layout(sec["id"])
        grid = [[""] * layout.cols for _ in range(layout.rows)]
        for p in layout.cells:
            grid[p.row][p.col] = cell_text(report, p.cell_id, None) if p.cell_id else p.text
        out.append("<table><tbody>")
        for row in grid:
            out.append("<tr>" + "".join(f"<td><div><span>{_html.escape(c)}</span></div></td>" for c in row) + "</tr>")
        out.append("</tbody></table>")
    out.append(f"<div align='right'>{_html.escape(report.meta.organ)}</div>")
    if report.meta.date:
        out.append(f"<div align='right'>{date_cn(report.meta.date)}</div>")
    return ("<html><head><meta charset='utf-8'></head><body><table class='layout'><tr><td>nav</td><td>"
            + "\n".join(out) + "</td></tr></table></body></html>")


def pdf_from_docx(docx: Path, outdir: Path, timeout: float = 180) -> Path:
    """``soffice --headless --convert-to pdf`` with a private profile; the PDF path."""
    return pdfs_from_docx([docx], outdir, timeout)[0]


def pdfs_from_docx(docxs: list[Path], outdir: Path, timeout: float = 600) -> list[Path]:
    """Several DOCX through one LibreOffice run (it starts once); the PDF paths in order."""
    if SOFFICE is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="nianbao-lo-")
    try:
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(outdir), *map(str, docxs)], check=True, timeout=timeout,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env={**os.environ, "HOME": profile})
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdfs = [outdir / (Path(d).stem + ".pdf") for d in docxs]
    for d, pdf in zip(docxs, pdfs):
        if not pdf.exists():
            raise RuntimeError(f"LibreOffice wrote no PDF for {d}")
    return pdfs


TEXT_SHAPES = {
    "tab": lambda r: text_from_report(r, "tab"),
    "spaces": lambda r: text_from_report(r, "spaces"),
    "pipe": lambda r: text_from_report(r, "pipe"),
    "lines": lambda r: text_from_report(r, "lines"),
    "markdown": markdown_text,
}
HTML_SHAPES = {
    "html": lambda r: html_from_report(r),
    "html-nested": lambda r: html_from_report(r, nested=True),
    "html-irregular": irregular_html,
}


def wps_docx(report: Report, path: Path) -> Path:
    """An office-typed DOCX as WPS saves it: the KSOProductBuildVer property and the wpsCustomData namespace,
    text split into one run per character with proofing marks and ``_Hlk`` bookmarks between runs, and table
    cell widths in twips with a fixed layout."""
    import copy
    import zipfile

    from lxml import etree
    office_docx(report, path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    w = W[1:-1]
    nsmap = dict(root.nsmap)
    nsmap["wpsCustomData"] = "http://www.wps.cn/officeDocument/2013/wpsCustomData"
    new_root = etree.Element(root.tag, nsmap=nsmap)
    new_root[:] = list(root)
    k = 0
    for r in list(new_root.iter(f"{W}r")):
        t = r.find(f"{W}t")
        if t is None or not t.text or len(t.text) < 2:
            continue
        parent, at = r.getparent(), r.getparent().index(r)
        parent.remove(r)
        for i, ch in enumerate(t.text):
            if i == 1:
                k += 1
                pe = etree.Element(f"{W}proofErr")
                pe.set(f"{{{w}}}type", "spellStart")
                parent.insert(at, pe)
                at += 1
                bm = etree.Element(f"{W}bookmarkStart")
                bm.set(f"{{{w}}}id", str(k))
                bm.set(f"{{{w}}}name", f"_Hlk{100000 + k}")
                parent.insert(at, bm)
                at += 1
            nr = copy.deepcopy(r)
            nt = nr.find(f"{W}t")
            nt.text = ch
            nt.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            parent.insert(at, nr)
            at += 1
    for tbl in new_root.iter(f"{W}tbl"):
        pr = tbl.find(f"{W}tblPr")
        if pr is not None:
            lay = etree.SubElement(pr, f"{W}tblLayout")
            lay.set(f"{{{w}}}type", "fixed")
    parts["word/document.xml"] = etree.tostring(new_root, xml_declaration=True, encoding="UTF-8", standalone=True)
    parts["docProps/custom.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer">'
        b'<vt:lpwstr>2052-12.1.0.16388</vt:lpwstr></property></Properties>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return Path(path)
