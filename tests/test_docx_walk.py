"""The Word reader's walk over a body (app/importers/docx.blocks_from_document_xml) reads every table as a plain walk
does (each row's and cell's children iterated, each paragraph read by para_text), whatever the cells hold: content
controls, processing instructions, spans and merges, cells before the grid, nested tables, tabs and breaks; and its
parser, kept per thread, reads the same in several threads at once and after a broken part."""
import threading

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from app.importers.base import Block, Cell, ImportFailed
from app.importers.docx import blocks_from_document_xml
from app.wordtext import para_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                         remove_comments=True)


def local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def attr(el, name):
    return next((v for k, v in el.attrib.items() if local(k) == name), None)


def children(el):
    for c in el:
        name = local(c.tag)
        if name == "sdt":
            for sc in c:
                if local(sc.tag) == "sdtContent":
                    yield from children(sc)
        elif name in ("customXml", "smartTag"):
            yield from children(c)
        else:
            yield c


def clamp(v, default, lo, hi):
    try:
        return min(max(int(v), lo), hi)
    except (TypeError, ValueError):
        return default


def plain_blocks(xml: bytes) -> list[Block]:
    """The body read the plain way: every element iterated, every paragraph by para_text."""
    body = next(el for el in etree.fromstring(xml, PARSER) if local(el.tag) == "body")
    blocks, tables = [], 0
    for el in children(body):
        name = local(el.tag)
        if name == "p":
            text = para_text(el)
            for line in text.split("\n") if "\n" in text and "\t" not in text else [text]:
                blocks.append(Block("p", text=line))
        elif name == "tbl":
            tables += 1
            open_v: dict = {}
            for r, tr in enumerate((x for x in children(el) if local(x.tag) == "tr"), start=1):
                cells, col = [], 1
                for pr in (x for x in tr if local(x.tag) == "trPr"):
                    for g in pr:
                        if local(g.tag) == "gridBefore":
                            col += clamp(attr(g, "val"), 0, 0, 64)
                for tc in (x for x in children(tr) if local(x.tag) == "tc"):
                    span, vmerge = 1, None
                    for pr in (x for x in tc if local(x.tag) == "tcPr"):
                        for q in pr:
                            if local(q.tag) == "gridSpan":
                                span = clamp(attr(q, "val"), 1, 1, 64)
                            elif local(q.tag) == "vMerge":
                                vmerge = attr(q, "val") or "continue"
                    text = "\n".join(para_text(p) for p in children(tc) if local(p.tag) == "p").strip()
                    if vmerge is None:
                        cells.append(Cell(text, r, col))
                        open_v.pop(col, None)
                    else:
                        cont = vmerge == "continue" and col in open_v
                        cells.append(Cell("" if cont else text, r, col, cont=cont))
                        if vmerge == "restart":
                            open_v[col] = cells[-1]
                    col += span
                blocks.append(Block("row", cells=cells, table=tables))
    return blocks


def w(name: str, inner: str = "", **attrs) -> str:
    at = "".join(f' w:{k}="{v}"' for k, v in attrs.items())
    return f"<w:{name}{at}>{inner}</w:{name}>"


TEXTS = ["12", " 3 ", "一、总体情况", "", "a<w:tab/>b", "c<w:br/>d"]


@st.composite
def paragraph(draw) -> str:
    text = draw(st.sampled_from(TEXTS))
    runs = "".join(w("r", w("t", part) if not part.startswith("<") else part)
                   for part in text.replace("<w:tab/>", "\x00<w:tab/>\x00").replace("<w:br/>", "\x00<w:br/>\x00")
                   .split("\x00") if part)
    if draw(st.integers(0, 9)) == 0:  # a text box: its paragraph is part of this one's text, no block of its own
        runs += w("r", w("pict", w("txbxContent", w("p", w("r", w("t", "框中"))))))
    return w("p", runs)


def wrapped(draw, inner: str) -> str:
    """``inner`` as it stands or inside a wrapper: a content control, custom XML, a smart tag, or something the walk
    does not look through (a content control's properties, an sdtContent without its sdt, an unknown element)."""
    how = draw(st.integers(0, 12))
    if how == 0:
        return w("sdt", w("sdtPr") + w("sdtContent", inner))
    if how == 1:
        return w("customXml", inner)
    if how == 2:
        return w("smartTag", w("customXml", inner))
    if how == 3:
        return w("sdt", w("sdtPr", inner) + w("sdtContent", ""))
    if how == 4:
        return w("sdtContent", inner)
    if how == 5:
        return w("ins", inner)
    return inner


@st.composite
def cell(draw, depth: int) -> str:
    parts = []
    props = draw(st.lists(st.sampled_from([w("gridSpan", val=draw(st.sampled_from(["2", "x", "0"]))),
                                           w("vMerge", val="restart"), w("vMerge"), w("tcW", w="5")]), max_size=2))
    if props or draw(st.booleans()):
        parts.append(w("tcPr", "".join(props)))
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["p", "p", "p", "pi", "sdt", "table"]))
        if kind == "p":
            parts.append(draw(paragraph()))
        elif kind == "pi":
            parts.append("<?mso x?>")
        elif kind == "sdt":
            parts.append(wrapped(draw, draw(paragraph())))
        elif depth == 0:
            parts.append(draw(table(1)))  # a nested table: no text of this cell
    return w("tc", "".join(parts))


@st.composite
def row(draw, depth: int) -> str:
    parts = []
    if draw(st.integers(0, 3)) == 0:
        parts.append(w("trPr", w("gridBefore", val=draw(st.sampled_from(["1", "2", "-3"]))) + w("trHeight", val="9")))
    for _ in range(draw(st.integers(0, 4))):
        parts.append(wrapped(draw, draw(cell(depth))))
        if draw(st.integers(0, 6)) == 0:
            parts.append(draw(st.sampled_from(["<?pi between?>", draw(paragraph())])))  # (no cell: not read)
    return w("tr", "".join(parts))


@st.composite
def table(draw, depth: int = 0) -> str:
    rows = [wrapped(draw, draw(row(depth))) for _ in range(draw(st.integers(0, 4)))]
    if draw(st.integers(0, 8)) == 0:
        rows.append(draw(cell(depth)))  # a cell outside any row: not read
    return w("tbl", w("tblPr") + "".join(rows))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(paragraph(), table(), row(0)), min_size=1, max_size=4), st.data())
def test_tables_read_as_a_plain_walk_reads_them(parts, data):
    parts = [wrapped(data.draw, p) for p in parts]  # (a row in the body: not read)
    xml = f'<w:document xmlns:w="{W}"><w:body>{"".join(parts)}</w:body></w:document>'.encode()
    assert blocks_from_document_xml(xml) == plain_blocks(xml)


DOC = (f'<w:document xmlns:w="{W}"><w:body>' + w("p", w("r", w("t", "标题")))
       + w("tbl", "".join(w("tr", "".join(w("tc", w("p", w("r", w("t", str(r * 10 + c))))) for c in range(7)))
                          for r in range(30)))
       + "</w:body></w:document>").encode()


def test_the_parser_kept_per_thread_reads_the_same_in_threads_and_after_a_broken_part():
    want = plain_blocks(DOC)
    assert blocks_from_document_xml(DOC) == want
    try:
        blocks_from_document_xml(DOC[:-20])
    except ImportFailed as e:
        assert "无法读取" in str(e)
    else:
        raise AssertionError("a broken part was read")
    assert blocks_from_document_xml(DOC) == want
    got: list = []

    def read():
        for _ in range(30):
            got.append(blocks_from_document_xml(DOC) == want)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [True] * 120
