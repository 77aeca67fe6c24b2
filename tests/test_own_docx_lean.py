"""Our DOCX's body is parsed without the content of its most repeated run properties (``parse_page_xml``): the
page must read exactly as from the whole body, and a body that is not well-formed (or not what the leaner parse
can vouch for) must fail or read exactly as the whole body does."""
from __future__ import annotations

import dataclasses
import zipfile

import pytest
from lxml import etree

from app import project
from app.export import export_report
from app.formats import load_format
from app.importers.own_docx import _leaner, parse_page_xml
from app.ownfiles import W, logical_grid, q, read_page, style_ids

FIXTURES = ["wuzhong-minzheng-2023", "pingqiao-minzheng-2024", "weihui-minzheng-2022"]


def parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=True)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = {}
    folder = tmp_path_factory.mktemp("lean")
    for name in FIXTURES:
        path = export_report(project.load(f"tests/fixtures/{name}.nianbao"), folder / f"{name}.docx", force=True)
        with zipfile.ZipFile(path) as z:
            out[name] = (z.read("word/document.xml"), z.read("word/styles.xml"))
    return out


def reading(root, styles_xml):
    """What the page reading makes of a parsed body: the page's fields and every table's grid."""
    body = root.find(q("body"))
    if body is None:
        return "no body"
    page = read_page(body, style_ids(styles_xml), load_format("gov-2021"))
    grids = [logical_grid(t) for t in body.iter(q("tbl"))]
    return {k: v for k, v in dataclasses.asdict(page).items() if k != "tables"}, grids


def outcome(xml: bytes, styles_xml: bytes, parse):
    try:
        root = parse(xml)
    except etree.XMLSyntaxError as e:
        return "error", str(e)
    return reading(root, styles_xml)


def same(xml: bytes, styles_xml: bytes):
    lean = outcome(xml, styles_xml, lambda x: parse_page_xml(x, parser()))
    whole = outcome(xml, styles_xml, lambda x: etree.fromstring(x, parser()))
    assert lean == whole
    return lean


def block_of(xml: bytes) -> bytes:
    i = xml.find(b"<w:rPr>", len(xml) // 2)
    return xml[i:xml.find(b"</w:rPr>", i) + 8]


def test_our_export_is_parsed_leaner_and_reads_the_same(exported):
    for xml, styles in exported.values():
        assert _leaner(xml, parser()) is not None  # (the leaner parse is what runs on our files)
        assert len(_leaner(xml, parser())) < 0.7 * len(xml)
        page, grids = same(xml, styles)
        assert page["cells"] and len(grids) >= 3


def wrap_deep(xml: bytes, block: bytes, depth: int) -> bytes:
    """The body with one more paragraph whose run's properties (the repeated block) stand at ``depth``."""
    nest = depth - 5  # w:document, w:body, w:p above the wrappers, w:r between them and the properties
    deep = (b"<w:p>" + b"<w:sdt><w:sdtContent>" * (nest // 2) + b"<w:smartTag>" * (nest % 2) + b"<w:r>" + block
            + b"<w:t>deep</w:t></w:r>" + b"</w:smartTag>" * (nest % 2) + b"</w:sdtContent></w:sdt>" * (nest // 2)
            + b"</w:p>")
    return xml.replace(b"<w:body>", b"<w:body>" + deep, 1)


@pytest.mark.parametrize("depth", [250, 253, 254, 255, 256, 257])
def test_a_body_nested_to_the_parsers_limit_below_the_block_fails_as_the_whole_one(exported, depth):
    xml, styles = exported[FIXTURES[0]]
    result = same(wrap_deep(xml, block_of(xml), depth), styles)
    assert (result[0] == "error") == (depth > 255)  # (the block's children one level deeper than it)


def variants(xml: bytes):
    block = block_of(xml)
    inner = block[7:-8]
    decl_end = xml.index(b"?>") + 2
    yield "cdata", xml.replace(b"<w:t>", b"<w:t><![CDATA[" + block + b"]]>", 1)
    yield "comment", xml.replace(b"<w:body>", b"<w:body><!-- " + block + b" -->", 1)
    yield "pi", xml.replace(b"<w:body>", b"<w:body><?keep " + block + b"?>", 1)
    yield "bold in block", xml.replace(block, block.replace(b"</w:rPr>", b"<w:b/></w:rPr>"))
    yield "duplicate attribute", xml.replace(block, block.replace(b'w:hint="eastAsia"', b'w:hint="a" w:hint="b"'))
    yield "control character", xml.replace(block, block.replace(b'w:hint="eastAsia"', b'w:hint="\x01"'))
    yield "bad utf-8", xml.replace(block, block.replace(b'w:hint="eastAsia"', b'w:hint="\xff"'))
    yield "ampersand", xml.replace(block, block.replace(b'w:hint="eastAsia"', b'w:hint="&amp;"'))
    dashes = block.replace(b'w:hint="eastAsia"', b'w:hint="--"')
    yield "dashes", xml.replace(block, dashes)
    yield "dashes in a comment", xml.replace(block, dashes).replace(b"<w:body>", b"<w:body><!-- " + dashes + b" -->", 1)
    bold = block.replace(b"</w:rPr>", b"<w:b/></w:rPr>")
    heading = xml.find("一、总体情况".encode())
    end = xml.find(b"</w:p>", heading) + 6
    yield "bold in the narrative", (xml[:end] + b"<w:p><w:r>" + bold + "<w:t>加粗的话</w:t></w:r></w:p>".encode()
                                    + xml[end:]).replace(block, bold)
    yield "text after root", xml + b"tail"
    yield "second root", xml + b"<w:document/>"
    yield "second plain root", xml + b"<other/>"
    yield "pi after root", xml + b"<?pi x?>"
    yield "whitespace after root", xml + b"\r\n  "
    yield "comment before root", xml[:decl_end] + b"<!-- c -->" + xml[decl_end:]
    yield "doctype", xml[:decl_end] + b"<!DOCTYPE w:document>" + xml[decl_end:]
    yield "version 1.1", xml.replace(b"version='1.0'", b"version='1.1'", 1).replace(b'version="1.0"',
                                                                                   b'version="1.1"', 1)
    yield "gbk declared", xml.replace(b"UTF-8", b"GBK", 1)
    yield "no declaration", xml[decl_end:].lstrip()
    yield "unbound prefix", xml.replace(b'xmlns:w="' + W.encode() + b'"', b"", 1)
    yield "w bound elsewhere", xml.replace(b'xmlns:w="' + W.encode() + b'"', b'xmlns:w="urn:other"', 1)
    yield "unclosed block", xml.replace(block, block[:-8], 1)
    yield "block in attribute", xml.replace(b"<w:body>", b'<w:body><w:p w:x="' + block + b'"/>', 1)
    yield "block in a tag", xml.replace(b"<w:body>", b"<w:body " + block + b">", 1)
    yield "broken elsewhere", xml.replace(b"</w:body>", b"</w:bdy>", 1)
    yield "block with text", xml.replace(block, block.replace(b"/></w:rPr>", b"/>x</w:rPr>"))
    yield "few repeats", xml.replace(block, block.replace(b"/>", b" w:x=\"1\"/>", 1), xml.count(block) - 3)
    yield "block alone", xml.replace(inner, inner + b"<w:t>inside properties</w:t>")
    cell = b'<w:tcPr><w:tcW w:type="dxa" w:w="720"/><w:vAlign w:val="center"/></w:tcPr>'
    assert cell in xml
    yield "cell properties in cdata", xml.replace(b"<w:t>", b"<w:t><![CDATA[" + cell + b"]]>", 1)
    yield "cell properties in a comment", xml.replace(b"<w:body>", b"<w:body><!-- -" + cell + b"- -->", 1)
    yield "cell properties in a pi", xml.replace(b"<w:body>", b"<w:body><?keep ?" + cell + b"?>", 1)
    yield "cell properties in text", xml.replace(b"<w:t>", b"<w:t>" + cell, 1)
    yield "cell properties in an attribute", xml.replace(b"<w:body>", b'<w:body><w:p w:x="' + cell + b'"/>', 1)
    yield "cell properties before the root", xml[:decl_end] + cell + xml[decl_end:]
    yield "cell properties after the root", xml + cell
    yield "cell properties in a tag", xml.replace(b"<w:body>", b"<w:body " + cell + b">", 1)
    yield "cell properties in the narrative", xml.replace("<w:t>一、".encode(), b"<w:t>" + cell + "一、".encode())
    yield "spanning cell", xml.replace(cell, cell.replace(b"<w:vAlign", b'<w:gridSpan w:val="2"/><w:vAlign'), 1)
    yield "merged cell", xml.replace(cell, cell.replace(b"</w:tcPr>", b"<w:vMerge/></w:tcPr>"), 2)
    yield "second properties", xml.replace(cell, cell + b'<w:tcPr><w:gridSpan w:val="3"/></w:tcPr>', 3)
    yield "text in cell properties", xml.replace(cell, cell.replace(b"</w:tcPr>", b"<w:t>x</w:t></w:tcPr>"), 2)
    yield "unclosed cell properties", xml.replace(cell, cell[:-9], 1)
    yield "bad width", xml.replace(cell, cell.replace(b'w:w="720"', b'w:w="\xff"'), 1)
    yield "repeated width", xml.replace(cell, cell.replace(b'w:w="720"', b'w:w="720" w:w="1"'), 1)


def test_what_the_leaner_parse_cannot_vouch_for_reads_or_fails_as_the_whole_body(exported):
    for xml, styles in exported.values():
        for what, x in variants(xml):
            try:
                same(x, styles)
            except AssertionError:
                pytest.fail(what)


def test_an_error_keeps_the_whole_bodys_message(exported):
    xml, styles = exported[FIXTURES[1]]
    bad = xml.replace(b"</w:body>", b"</w:bdy>", 1)
    lean = outcome(bad, styles, lambda x: parse_page_xml(x, parser()))
    assert lean[0] == "error" and "bdy" in lean[1] and "line 2" in lean[1]
