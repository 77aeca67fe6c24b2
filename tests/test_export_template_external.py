"""No external content in any output: a Word template with a reference to anything outside the
document is refused — every relationship with TargetMode="External", an attached template, remote fields
(INCLUDEPICTURE, INCLUDETEXT, LINK, DDE …), OLE objects and links, VML pictures with an outside address —
whatever the quoting, spacing or letter case. The .rels and XML parts are read with an XML parser."""
from __future__ import annotations

import zipfile

import pytest

from app.export import TemplateProblem, export_report
from app.export import docx as dx

RELS = "word/_rels/document.xml.rels"
DOC = "word/document.xml"
SETTINGS = "word/settings.xml"
IMG = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
LINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
TPL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
OLE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject"


def _rel(attrs: str) -> dict:
    return {RELS: lambda x: x.replace("</Relationships>", f"<Relationship {attrs}/></Relationships>")}


def _body(xml: str) -> dict:
    return {DOC: lambda x: x.replace("<w:body>", f"<w:body><w:p>{xml}</w:p>", 1)}


def _run_field(*instr: str) -> str:
    runs = "".join(f'<w:r><w:instrText xml:space="preserve">{i}</w:instrText></w:r>' for i in instr)
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>' + runs +
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


CASES = {
    "external image, double quotes": _rel(f'Id="rId90" Type="{IMG}" Target="http://example.com/b.png" '
                                          'TargetMode="External"'),
    "external image, single quotes": _rel(f"Id='rId90' Type='{IMG}' Target='http://example.com/b.png' "
                                          "TargetMode='External'"),
    "external image, spaces around =": _rel(f'Id = "rId90"  Type = "{IMG}"  Target = "http://example.com/b.png" '
                                            ' TargetMode = "External" '),
    "external image, lower case mode": _rel(f'Id="rId90" Type="{IMG}" Target="\\\\server\\share\\b.png" '
                                            'TargetMode="external"'),
    "external hyperlink": _rel(f'Id="rId90" Type="{LINK}" Target="http://example.com/" TargetMode="External"'),
    "attached template relationship": _rel(f"Id='rId90' Type='{TPL}' Target='file:///C:/t.dotm'"),
    "attached template in settings": {SETTINGS: lambda x: x.replace(
        "<w:zoom", '<w:attachedTemplate r:id="rId1"/><w:zoom', 1)},
    "OLE link relationship": _rel(f'Id="rId90" Type="{OLE}" Target="Book1.xlsx"'),
    "OLE link object": _body('<w:r><w:object><o:OLEObject Type="Link" ProgID="Excel.Sheet.12" '
                             'ShapeID="_x0000_i1025" r:id="rId1" UpdateMode="Always"/></w:object></w:r>'),
    "VML picture from the web": _body('<w:r><w:pict><v:shape><v:imagedata o:href="http://example.com/b.png"/>'
                                      '</v:shape></w:pict></w:r>'),
    "INCLUDEPICTURE, single-quoted simple field": _body(
        "<w:fldSimple w:instr=' includepicture \"http://example.com/b.png\" \\d '><w:r><w:t>x</w:t></w:r>"
        "</w:fldSimple>"),
    "INCLUDETEXT split over runs": _body(_run_field(" INCLUDE", "TEXT \"C:\\\\a.docx\" ")),
    "LINK lower case, extra spaces": _body(_run_field("   link   Excel.Sheet.12 \"C:\\\\b.xlsx\" \"S1!R1C1\" \\a ")),
    "DDEAUTO in a header": {"word/footer1.xml": lambda x: x.replace(
        "</w:ftr>", "<w:p>" + _run_field("DDEAUTO "
                                         "c:\\\\windows\\\\system32\\\\cmd.exe \"/c calc\"") + "</w:p></w:ftr>")},
}


def _variant(tmp_path, edits: dict):
    src = dx.default_template()
    out = tmp_path / "variant.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename in edits:
                data = edits[item.filename](data.decode("utf-8")).encode("utf-8")
            zout.writestr(item.filename, data)
    return out


def test_the_official_template_has_no_external_content():
    with zipfile.ZipFile(dx.default_template()) as z:
        assert dx._active_content(z) == []


@pytest.mark.parametrize("case", sorted(CASES))
def test_template_with_external_content_is_refused(tmp_path, load_fixture, case):
    tpl = _variant(tmp_path, CASES[case])
    with zipfile.ZipFile(tpl) as z:  # the variant really differs from the official template
        assert any(z.read(n) != zipfile.ZipFile(dx.default_template()).read(n) for n in CASES[case])
    problems = dx.check_template(tpl)
    assert problems, case
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in p) for p in problems)
    target = tmp_path / "out.docx"
    with pytest.raises(TemplateProblem):
        export_report(load_fixture("wuzhong-minzheng-2023"), target, template=tpl)
    assert not target.exists()


def test_exported_documents_carry_no_external_content(tmp_path, load_fixture):
    for name in ("wuzhong-minzheng-2023", "pingqiao-minzheng-2024", "weihui-minzheng-2022"):
        path = export_report(load_fixture(name), tmp_path / f"{name}.docx", force=True)
        with zipfile.ZipFile(path) as z:
            assert dx._active_content(z) == [], name
