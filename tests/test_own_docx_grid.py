"""Reading a table as a person sees it (``app.ownfiles.logical_grid``) in one pass over the table must give what
reading it cell by cell gives, whatever the table holds: content controls, hyperlinks, text boxes, nested tables,
several or misplaced cell properties, texts outside paragraphs."""
import random

import pytest
from lxml import etree

from app.ownfiles import W, logical_grid, q

# --- the reference: each cell read on its own (the reading before the one-pass one) ------------------------------


def ref_tc_text(tc) -> str:
    paras = [[t.text or "" for t in p.iter(q("t"))] for p in tc.iter(q("p"))]
    return "\n".join(["".join(x) for x in paras]).strip()


def ref_cell_props(tc):
    span, vmerge = 1, None
    pr = next(tc.iterchildren(q("tcPr")), None)
    if pr is None:
        return span, vmerge
    gs = vm = None
    for x in pr:
        if x.tag == q("gridSpan"):
            gs = x if gs is None else gs
        elif x.tag == q("vMerge"):
            vm = x if vm is None else vm
    if gs is not None:
        try:
            span = min(64, max(1, int(gs.get(q("val")) or 1)))
        except ValueError:
            span = 1
    if vm is not None:
        vmerge = vm.get(q("val")) or "continue"
    return span, vmerge


def ref_grid(tbl, tolerance=40):
    import bisect
    widths = []
    grid_el = tbl.find(q("tblGrid"))
    for gc in grid_el.findall(q("gridCol")) if grid_el is not None else []:
        try:
            widths.append(max(0, int(float(gc.get(q("w")) or 0))))
        except ValueError:
            widths.append(0)
    xs = [0]
    for w in widths:
        xs.append(xs[-1] + w)

    def x_at(g):
        return xs[g] if g < len(xs) else xs[-1] + (g - len(xs) + 1) * 1000

    rows, edges = [], set(xs if len(xs) > 1 else ())
    for tr in tbl.iterchildren(q("tr")):
        g, cells = 0, []
        for tc in tr.iterchildren(q("tc")):
            span, vmerge = ref_cell_props(tc)
            cells.append((x_at(g), x_at(g + span), tc, vmerge))
            edges.update((x_at(g), x_at(g + span)))
            g += span
        rows.append(cells)
    kept = []
    for x in sorted(edges):
        if not kept or x - kept[-1] > tolerance:
            kept.append(x)

    def col(x):
        i = bisect.bisect_left(kept, x)
        if i == len(kept) or (i > 0 and x - kept[i - 1] < kept[i] - x):
            i -= 1
        return i

    texts = {}
    for r, cells in enumerate(rows):
        for x0, x1, tc, vmerge in cells:
            c0, c1 = col(x0), col(x1)
            text = texts.get((r - 1, c0), "") if vmerge == "continue" else ref_tc_text(tc)
            for c in range(c0, max(c1, c0 + 1)):
                texts[(r, c)] = text
    return len(rows), max(0, len(kept) - 1), texts


# --- random tables ---------------------------------------------------------------------------------------------------

INNER = ["p", "r", "t", "tcPr", "gridSpan", "vMerge", "sdt", "sdtContent", "hyperlink", "tbl", "tr", "tc",
         "txbxContent", "tab", "rPr", "pPr", "smartTag"]


def node(rnd, tag, depth):
    el = etree.Element(q(tag))
    if tag == "t":
        el.text = rnd.choice(["", "1", "本年", " 新 ", "a\nb", None])
        if rnd.random() < 0.1:
            inner = etree.SubElement(el, q(rnd.choice(["t", "r", "x"])))
            inner.text, inner.tail = "内", "尾"
        return el
    if tag == "gridSpan":
        if rnd.random() < 0.9:
            el.set(q("val"), rnd.choice(["1", "2", "3", "0", "-4", "x", "", "99", "2.0"]))
        return el
    if tag == "vMerge":
        if rnd.random() < 0.7:
            el.set(q("val"), rnd.choice(["restart", "continue", ""]))
        return el
    if depth <= 0:
        return el
    kids = {
        "tc": ["tcPr"] * 3 + ["p"] * 6 + ["tbl", "sdt", "t", "r", "customXml"],
        "tcPr": ["gridSpan"] * 3 + ["vMerge"] * 3 + ["tcW", "p", "t"],
        "p": ["r"] * 6 + ["pPr", "hyperlink", "sdt", "t", "smartTag", "p"],
        "r": ["t"] * 5 + ["rPr", "tab", "txbxContent", "p"],
        "tbl": ["tr"] * 4 + ["tblGrid", "sdt"],
        "tr": ["tc"] * 5 + ["sdt", "trPr", "t"],
    }.get(tag, INNER)
    for _ in range(rnd.randrange(4 if tag in ("tbl", "tr") else 3)):
        el.append(node(rnd, rnd.choice(kids), depth - 1))
    if rnd.random() < 0.05:
        el.append(etree.ProcessingInstruction("pi", "x"))
    return el


def table(rnd):
    tbl = etree.Element(q("tbl"), nsmap={"w": W})
    if rnd.random() < 0.9:
        grid = etree.SubElement(tbl, q("tblGrid"))
        for _ in range(rnd.randrange(6)):
            etree.SubElement(grid, q("gridCol")).set(q("w"), rnd.choice(["1000", "2000", "1", "30", "x", "500.5"]))
    for _ in range(rnd.randrange(1, 6)):
        tr = etree.SubElement(tbl, q("tr"))
        for _ in range(rnd.randrange(5)):
            tr.append(node(rnd, rnd.choice(["tc"] * 8 + ["sdt", "p"]), rnd.randrange(2, 7)))
    return tbl


@pytest.mark.parametrize("seed", range(40))
def test_one_pass_reads_each_table_as_cell_by_cell(seed):
    rnd = random.Random(seed)
    for _ in range(50):
        tbl = table(rnd)
        tbl = etree.fromstring(etree.tostring(tbl))  # a parsed tree, as the reader has
        assert logical_grid(tbl) == ref_grid(tbl), etree.tostring(tbl, encoding="unicode")


def test_an_ordinary_table():
    x = (f'<w:tbl xmlns:w="{W}"><w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="1000"/><w:gridCol w:w="1000"/>'
         '</w:tblGrid><w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>项目</w:t></w:r></w:p>'
         '</w:tc><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>本年</w:t>'
         '<w:t>新收</w:t></w:r></w:p><w:p/><w:p><w:hyperlink><w:r><w:t>链</w:t></w:r></w:hyperlink></w:p></w:tc></w:tr>'
         '<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>'
         '<w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc></w:tr></w:tbl>')
    tbl = etree.fromstring(x)
    assert logical_grid(tbl) == (2, 3, {(0, 0): "项目", (0, 1): "本年新收\n\n链", (0, 2): "本年新收\n\n链",
                                        (1, 0): "项目", (1, 1): "1", (1, 2): "2"})
    assert logical_grid(tbl) == ref_grid(tbl)
