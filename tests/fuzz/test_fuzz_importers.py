"""Short hypothesis fuzz runs of every importer (the atheris driver is fuzz_importers.py)."""
import io
import random
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.formats import load_format
from fuzz.docs import docx_from_report, html_from_report, random_report, text_from_report
from fuzz.targets import run

FMT = load_format()
LABELS = sorted({p.text for t in FMT.table_ids for p in FMT.layout(t).cells if p.text}
                | {s["heading"] for s in FMT.sections} | {"规范性文件", "本年新制作数量", "政府集中采购"})
PIECES = st.one_of(st.sampled_from(LABELS), st.sampled_from(["0", "1", "17", "３", "—", "/", "", "7件", "1.5万元",
                                                                "约2", "-1", "99999999999999999999"]),
                   st.text(max_size=12))
SEPS = st.sampled_from(["\t", "|", "\n", " ", "\r\n", "\t\t", "[bookmark: x]"])
QUICK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(st.lists(st.tuples(PIECES, SEPS), max_size=300), st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_fuzz_text(parts, encoding):
    text = "".join(p + s for p, s in parts)
    run(".txt", text.encode(encoding, errors="replace"))


@QUICK
@given(st.data())
def test_fuzz_text_mutations_of_a_real_report(data):
    r = random_report(random.Random(data.draw(st.integers(0, 50))))
    lines = text_from_report(r, data.draw(st.sampled_from(["tab", "pipe", "lines"]))).split("\n")
    for _ in range(data.draw(st.integers(1, 8))):
        i = data.draw(st.integers(0, len(lines) - 1))
        op = data.draw(st.sampled_from(["drop", "dup", "swap", "cut", "garble"]))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif op == "cut":
            lines[i] = lines[i][: len(lines[i]) // 2]
        elif op == "garble":
            lines[i] = data.draw(PIECES) + "\t" + lines[i]
    run(".txt", "\n".join(lines).encode())


TAGS = st.sampled_from(["<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", '<td rowspan="3">', '<td colspan="0">',
                        '<th colspan="x">', "<p>", "</p>", "<br>", "<div>", "</div>", "<script>", "</script>",
                        "<!--", "-->", "&nbsp;", "&#0;", "&#x110000;", "<![CDATA[", "]]>", "<td rowspan=9999>"])


@QUICK
@given(st.lists(st.one_of(TAGS, PIECES), max_size=400))
def test_fuzz_html(parts):
    run(".html", "".join(parts).encode())


@QUICK
@given(st.data())
def test_fuzz_html_mutations(data):
    page = html_from_report(random_report(random.Random(data.draw(st.integers(0, 20)))))
    for _ in range(data.draw(st.integers(1, 6))):
        i = data.draw(st.integers(0, len(page)))
        j = data.draw(st.integers(i, min(len(page), i + 200)))
        page = page[:i] + data.draw(st.one_of(TAGS, PIECES)) + page[j:]
    run(".html", page.encode())


_DOCX = {}


def _docx_bytes(seed: int) -> bytes:
    if seed not in _DOCX:
        buf = io.BytesIO()
        docx_from_report(random_report(random.Random(seed)), buf)
        _DOCX[seed] = buf.getvalue()
    return _DOCX[seed]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 1), st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=20),
       st.one_of(st.none(), st.integers(0, 10**6)))
def test_fuzz_docx_bytes(seed, flips, cut):
    data = bytearray(_docx_bytes(seed))
    for pos, val in flips:
        data[pos % len(data)] = val
    if cut is not None:
        data = data[: cut % len(data)]
    run(".docx", bytes(data))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzz_docx_xml(data):
    """Valid ZIP, mutated body XML: the hardened parser and the grid builder must cope."""
    src = zipfile.ZipFile(io.BytesIO(_docx_bytes(0)))
    xml = src.read("word/document.xml").decode()
    for _ in range(data.draw(st.integers(1, 6))):
        i = data.draw(st.integers(0, len(xml)))
        j = data.draw(st.integers(i, min(len(xml), i + 300)))
        xml = xml[:i] + data.draw(st.sampled_from(["<w:tc>", "</w:tc>", '<w:gridSpan w:val="99"/>',
                                                   '<w:vMerge/>', '<w:vMerge w:val="restart"/>', "<w:tr>", "</w:tr>",
                                                   "<w:t>3</w:t>", "", "<w:sdt><w:sdtContent>", "&amp;", "<"])) \
        + xml[j:]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            z.writestr(item.filename, xml.encode() if item.filename == "word/document.xml" else src.read(item.filename))
    run(".docx", out.getvalue())


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from([".docx", ".xlsx", ".txt", ".html", ".mht"]))
def test_fuzz_random_bytes(blob, kind):
    run(kind, blob)
