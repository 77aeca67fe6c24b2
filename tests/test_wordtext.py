"""app/wordtext.ParagraphTexts reads most paragraphs of a body in one libxml2 call: every paragraph must read exactly
as :func:`app.wordtext.para_text` reads it, whatever the part holds (fields, drawings, text boxes, stray text,
processing instructions, CDATA, tabs and breaks, other namespaces)."""
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from app.wordtext import ParagraphTexts, _loose_text, _only_t_text, para_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                         remove_comments=True)


def same(xml: bytes) -> int:
    """Parse as the Word reader does; check every paragraph; the number read the quick way."""
    body = etree.fromstring(xml, PARSER)
    if _only_t_text(xml):  # the bytes' answer is never yes where a text node is not the leading text of a t
        assert not _loose_text()(body), xml
    texts = ParagraphTexts(body, xml)
    quick = 0
    for p in body.iter("{*}p"):
        assert texts(p) == para_text(p), etree.tostring(p)
        quick += texts.special is not None and p not in texts.special
    return quick


def doc(inner: str) -> bytes:
    return (f'<w:body xmlns:w="{W}" xmlns:a="urn:a" xmlns:wp="urn:wp">{inner}</w:body>').encode()


def test_plain_runs_are_read_the_quick_way_and_the_rest_as_before():
    assert same(doc("<w:p><w:r><w:t>一、总体情况</w:t></w:r><w:r><w:t xml:space='preserve'> 及 </w:t></w:r></w:p>"
                    "<w:p><w:pPr><w:tabs><w:tab w:val='left'/></w:tabs></w:pPr><w:r><w:t>a</w:t><w:tab/>"
                    "<w:t>b</w:t><w:br/><w:cr/></w:r></w:p>"
                    "<w:p><w:r><w:t>c</w:t><w:tab/><w:t>d</w:t></w:r></w:p><w:p><w:r><w:t>e</w:t><w:br/></w:r></w:p>"
                    "<w:p><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t>3</w:t></w:r></w:p>"
                    "<w:p><w:r><w:t>x<?pi y?>z</w:t></w:r></w:p>"
                    "<w:p><w:r><w:t>x<w:t>inner</w:t>tail</w:t></w:r></w:p>"
                    "<w:p>stray<w:r><w:t>t</w:t></w:r>tail</w:p>"
                    "<w:p><w:r><w:drawing><wp:posOffset>123</wp:posOffset><w:txbxContent><w:p><w:r><w:t>框</w:t>"
                    "</w:r></w:p></w:txbxContent></w:drawing><w:t>后</w:t></w:r></w:p>"
                    "<w:p><w:hyperlink><w:r><w:t>链接</w:t></w:r></w:hyperlink><a:t>图中字</a:t><t>无命名空间</t></w:p>"
                    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>12</w:t></w:r></w:p></w:tc></w:tr></w:tbl>")) == 4
    # quick: the first paragraph, the one in the text box, the hyperlink's and the table cell's


def test_a_part_with_a_doctype_is_read_the_old_way_and_others_as_they_are():
    dtd = '<!DOCTYPE w:body [<!ENTITY e "实体">]>'.encode()
    assert same(dtd + doc("<w:p><w:r><w:t>a&e;b</w:t></w:r></w:p>")) == 0
    assert same(dtd + doc("<w:p><w:r><w:t>&e;</w:t></w:r></w:p>")) == 0  # no text node, the entity's text
    assert same(doc("<w:p><w:r><w:t>a</w:t></w:r></w:p><!-- note --><w:p><w:r><w:t>b</w:t></w:r></w:p>")) == 2
    assert same(doc("<w:p><w:r><w:t><![CDATA[c<d]]></w:t><w:t>e</w:t></w:r></w:p>")) == 1
    assert same(doc("<w:p><w:r><w:t>x</w:t><![CDATA[y]]></w:r></w:p>")) == 0


def test_the_bytes_say_no_wherever_text_stands_outside_a_t():
    plain = doc('<w:p><w:r><w:t>a</w:t><w:t xml:space="preserve"> b </w:t></w:r></w:p>')
    assert _only_t_text(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' + plain + b"\r\n")
    assert not _only_t_text(doc("<w:p><w:r><t>c</t><a:t>d</a:t></w:r></w:p>"))  # (other prefixes: the XPath)
    for inner in ("<w:p> <w:r><w:t>a</w:t></w:r></w:p>", "<w:p><w:r><w:t/>tail</w:r></w:p>",
                  "<w:p><w:r><w:t />tail</w:r></w:p>", "<w:p><w:r><w:t>a<w:x/>b</w:t></w:r></w:p>",
                  "<w:p><w:r><w:instrText>PAGE</w:instrText></w:r></w:p>", "<w:p><w:r><w:tab>x</w:tab></w:r></w:p>",
                  "<w:p><w:r><w:t a='x>y'>z</w:t></w:r></w:p>", "<w:p><w:r><w:t>a>b</w:t></w:r></w:p>"):
        xml = doc(inner)
        assert not _only_t_text(xml), inner
        same(xml)
    declared = '<?xml version="1.0" encoding="UTF-16"?>'.encode("utf-16")
    utf16 = declared + doc("<w:p>x</w:p>").decode().encode("utf-16")[2:]
    assert same(utf16) == 0


NAMES = ["p", "r", "r", "t", "t", "t", "tab", "br", "cr", "pPr", "instrText", "hyperlink", "txbxContent", "x"]
NS = [W, W, W, "urn:a", None]


@st.composite
def element(draw, depth=0):
    name = draw(st.sampled_from(NAMES))
    ns = draw(st.sampled_from(NS))
    tag = f"{{{ns}}}{name}" if ns else name
    el = etree.Element(tag, nsmap={"w": W, "a": "urn:a"})
    # text mostly where Word puts it (in t), now and then anywhere (stray text, field codes, tails)
    loose = draw(st.integers(0, 9)) == 0
    el.text = draw(st.sampled_from([None, "", "字", " a ", "\t", "a>b", etree.CDATA("c>d")])) \
        if name == "t" or loose else None
    if depth < 4:
        for child in draw(st.lists(element(depth + 1), max_size=3)):
            el.append(child)
            child.tail = draw(st.sampled_from(["尾", " "])) if draw(st.integers(0, 9)) == 0 else None
    if draw(st.integers(0, 9)) == 0 and depth:
        el.append(draw(st.sampled_from([etree.ProcessingInstruction("pi", "x>y"), etree.Comment("c>d")])))
        el[-1].tail = draw(st.sampled_from([None, "后"]))
    return el


@st.composite
def word_paragraph(draw):
    """A paragraph as Word writes one: runs of text, tabs, breaks and field codes, sometimes inside a hyperlink."""
    p = etree.Element(f"{{{W}}}p", nsmap={"w": W})
    for _ in range(draw(st.integers(0, 3))):
        parent = etree.SubElement(p, f"{{{W}}}hyperlink") if draw(st.integers(0, 4)) == 0 else p
        r = etree.SubElement(parent, f"{{{W}}}r")
        for name in draw(st.lists(st.sampled_from(["t", "t", "tab", "br", "cr", "instrText", "rPr"]), max_size=4)):
            el = etree.SubElement(r, f"{{{W}}}{name}")
            if name in ("t", "instrText"):
                el.text = draw(st.sampled_from(["字", " a ", ""]))
    return p


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(element(), word_paragraph()), min_size=1, max_size=4), st.booleans())
def test_any_tree_reads_as_para_text_reads_it(children, declared):
    body = etree.Element(f"{{{W}}}body", nsmap={"w": W, "a": "urn:a"})
    for c in children:
        body.append(c)
    head = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' if declared else b""
    same(head + etree.tostring(body))


def _only_t_text_by_regex(xml: bytes) -> bool:
    """The same question answered by counting every text start and every t's (the plain way the search replaces)."""
    import re
    if b"<![CDATA[" in xml:
        return False
    start = xml.find(b"<")
    while start >= 0 and xml[start + 1:start + 2] == b"?":
        start = xml.find(b"<", start + 1)
    if start < 0:
        return False
    part = xml[start:len(xml.rstrip())]
    return len(re.findall(rb">[^<]", part)) == len(re.findall(rb'<w:t(?: xml:space="preserve")?>[^<]', part))


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from([b"<", b">", b"<w:t>", b'<w:t xml:space="preserve">', b"</w:t>", b"<w:p>",
                                 b"a", b" ", b"\n", b"<?xml?>", b"<![CDATA[", b"><", b"<w:t"]), max_size=14))
def test_the_search_answers_as_counting_each_text_start(pieces):
    xml = b"".join(pieces)
    quick, plain = _only_t_text(xml), _only_t_text_by_regex(xml)
    assert quick == plain or (not quick and b">>" in xml)  # "<w:t>>…": no (the counts happen to be equal)
