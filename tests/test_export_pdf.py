"""PDF export: read the real PDF back with pypdf (text, positions, fonts) — no mocks."""
from __future__ import annotations

import io
import re
import shutil

import pytest

import pypdf

from app import fonts as F
from app.export import pdf as P
from app.model import Report
from app.values import NA

from conftest import FIXTURE_NAMES


@pytest.fixture(autouse=True)
def _bundled_fonts(monkeypatch):
    """Same fonts on every machine: no system font folders, only the bundled fonts."""
    monkeypatch.setenv("NIANBAO_FONT_DIRS", "")


def _read(data: bytes):
    return pypdf.PdfReader(io.BytesIO(data))


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _all_text(reader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _positions(page):
    """(text, x, y) of every text run on the page."""
    out = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            # reportlab sets the position with Td inside BT, i.e. in tm; cm is identity here
            out.append((text.strip(), tm[4] + cm[4], tm[5] + cm[5]))

    page.extract_text(visitor_text=visit)
    return out


def _sample_report() -> Report:
    """A report whose every table cell has a distinct value, so rows can be recognised in the text."""
    r = Report()
    r.meta.organ = "某某县民政局"
    r.meta.year = 2024
    r.meta.date = "2025-01-06"
    fmt = r.format
    for i, cid in enumerate(fmt.cells):
        if fmt.cells[cid].kind == "money":
            continue
        r.values[cid] = 100 + i
    from decimal import Decimal
    r.values["t2.fees.amount"] = Decimal("1.2345")
    r.values["t2.regulations.issued"] = NA
    r.sections = {"s1": "（一）主动公开情况。本年度主动公开信息10条。\n正文第二段。",
                  "s5": "（一）存在的主要问题\n**一是**公开不够及时。", "s6": "本机关2024年未收取信息处理费。"}
    return r


def test_text_headings_labels_values_and_closing():
    report = _sample_report()
    reader = _read(P.render_pdf(report))
    text = _flat(_all_text(reader))
    fmt = report.format
    assert _flat(report.title()) in text
    assert "本报告中所列数据统计期限为2024年1月1日至12月31日。" in text
    for section in fmt.sections:
        assert section["heading"] in text
    # every label of every table, verbatim (line breaks inside cells removed)
    for tid in fmt.table_ids:
        for placed in fmt.layout(tid).cells:
            if placed.role != "value":
                assert _flat(placed.text) in text, placed.text
    # each row's label followed by its values, in order (so values sit in the right cells)
    for tid in fmt.table_ids:
        layout = fmt.layout(tid)
        rows: dict[int, list] = {}
        for placed in layout.cells:
            rows.setdefault(placed.row, []).append(placed)
        for r, cells in rows.items():
            vals = [c for c in sorted(cells, key=lambda c: c.col) if c.role == "value"]
            if not vals:
                continue
            shown = "".join(P.display(report.values.get(c.cell_id)) for c in vals)
            labels = [c for c in sorted(cells, key=lambda c: c.col) if c.role == "label"]
            prefix = _flat(labels[-1].text) if labels else ""
            assert prefix + shown in text, (tid, r, prefix + shown)
    assert "1.2345" in text and "/" in text
    # narrative, bold markers gone, closing
    assert "（一）主动公开情况。本年度主动公开信息10条。" in text
    assert "一是公开不够及时。" in text and "**" not in text
    last = reader.pages[-1]
    runs = _positions(last)
    assert "2025年1月6日" in text and "2025年01月06日" not in text
    closing = [(t, x) for t, x, y in runs if t in ("某某县民政局", "2025年1月6日")]
    assert len(closing) == 2
    assert all(x > P.PAGE_W / 2 for _, x in closing), closing


def test_page_setup_numbers_and_embedded_fonts():
    report = _sample_report()
    report.sections["s1"] = "\n".join(["本年度我局认真落实条例要求，持续推进政务公开。" * 6] * 12)
    reader = _read(P.render_pdf(report))
    assert len(reader.pages) >= 3
    for i, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        assert abs(float(box.width) - 595.28) < 0.5 and abs(float(box.height) - 841.89) < 0.5
        assert f"—{i}—" in _flat(page.extract_text())
        number = [(x, y) for t, x, y in _positions(page) if t == str(i) and y < P.MARGIN_BOTTOM]
        assert number, f"page {i} has no number in the footer zone"
        x, y = number[0]
        # 7 mm below the text block; odd pages right, even pages left
        assert P.MARGIN_BOTTOM - 12 * P.MM < y < P.MARGIN_BOTTOM - 7 * P.MM
        assert (x > P.PAGE_W / 2) if i % 2 else (x < P.PAGE_W / 2)
    seen = set()
    for page in reader.pages:
        for name, ref in page["/Resources"]["/Font"].items():
            font = ref.get_object()
            desc = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            fd = desc.get("/FontDescriptor")
            assert fd is not None and "/FontFile2" in fd.get_object(), f"font {font['/BaseFont']} not embedded"
            seen.add(str(font["/BaseFont"]).split("+", 1)[-1])
    # title/body (宋体-like), 一、 (黑体-like) and （一） (楷体-like) fonts all used and embedded as subsets
    assert {"UMingCN", "UKaiCN", "DroidSansFallback"} <= seen, seen


# a paragraph engineered so that the naive break falls exactly on forbidden punctuation: the first line
# holds 25 characters (27 minus the 2-character indent), the others 27.
BOUNDARY_CASES = [
    "甲" * 25 + "，乙乙乙乙。",  # ， would start line 2
    "甲" * 24 + "（乙）乙乙乙。",  # （ would end line 1
    "甲" * 24 + "乙。”丙丙丙。",  # 。” would start line 2
    "甲" * 25 + "；乙乙" + "丙" * 24 + "：丁丁。",  # ； at line 2 start, ： at line 3 start
    "甲" * 25 + "！乙" + "丙" * 25 + "》丁。",
    "甲" * 23 + "乙乙2023年丁丁。",  # a number is not cut
    "甲" * 24 + "——乙乙乙。",  # a dash stays whole
]


def _stock_lines(text: str, fontname: str) -> list[str]:
    from reportlab.platypus.paragraph import FragLine, cjkFragSplit
    from reportlab.pdfbase.pdfmetrics import stringWidth

    frag = FragLine(text=text, fontName=fontname, fontSize=P.BODY_PT)
    widths = [P.TEXT_W - 2 * P.BODY_PT, P.TEXT_W]
    lines = cjkFragSplit([frag], widths, False).lines
    assert stringWidth("甲", fontname, P.BODY_PT) == P.BODY_PT
    return ["".join(w.text for w in line.words) for line in lines]


def test_reportlab_alone_breaks_the_rules_on_these_paragraphs():
    """The engineered paragraphs really hit the boundary: reportlab's own CJK wrap gets them wrong."""
    fonts = P._Fonts()
    bad = [t for t in BOUNDARY_CASES[:5] if P.line_break_problems(_stock_lines(t, fonts.names["body"]))]
    assert len(bad) >= 3, bad


def test_chinese_line_breaking_in_the_pdf():
    report = _sample_report()
    report.sections["s1"] = "\n".join(BOUNDARY_CASES)
    reader = _read(P.render_pdf(report))
    raw_lines = [ln for page in reader.pages for ln in page.extract_text().split("\n")]
    lines = [_flat(ln) for ln in raw_lines if len(_flat(ln)) > 1]  # vertical table labels are 1 char wide
    body = [ln for ln in lines if ln.startswith(("甲", "乙", "丙", "丁", "——", "2023"))]
    assert len(body) >= 2 * len(BOUNDARY_CASES) - 2, body
    assert P.line_break_problems(lines) == []
    assert any("2023年" in ln for ln in body) and not any(ln.endswith(("20", "202", "2")) for ln in body)
    assert any("——" in ln for ln in body)
    # a line shortened to obey the rules is still justified: stretched by character spacing (PDF Tc)
    spacing = [float(x) for page in reader.pages
               for x in re.findall(rb"([-\d.]+) Tc", page.get_contents().get_data())]
    assert any(0.2 < x < 2.0 for x in spacing), spacing
    # nothing lost or reordered
    text = _flat(_all_text(reader))
    for case in BOUNDARY_CASES:
        assert case in text


def test_split_lines_keeps_lines_within_the_width():
    from reportlab.platypus.paragraph import FragLine

    fonts = P._Fonts()
    name = fonts.names["body"]
    text = "".join(BOUNDARY_CASES) * 3
    frag = FragLine(text=text, fontName=name, fontSize=P.BODY_PT)
    lines = P.split_lines([frag], [P.TEXT_W], False).lines
    out = ["".join(w.text for w in line.words) for line in lines]
    assert "".join(out) == text
    assert P.line_break_problems(out) == []
    for line in lines:
        # a line may be short (pushed back) but never longer than the block by more than nothing
        assert line.currentWidth <= P.TEXT_W + 1e-6


def test_character_missing_from_the_font_uses_the_fallback_font():
    report = _sample_report()
    report.meta.organ = "某某县喆镕局"  # 喆 镕 are not in GB 2312 (the bundled 宋体-like subset)
    fonts = P._Fonts()
    assert not F.reportlab_has_char(fonts.names["title"], "喆")
    assert F.reportlab_has_char(fonts.fallback, "喆")
    reader = _read(P.render_pdf(report))
    assert "某某县喆镕局" in _flat(_all_text(reader))


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_reports_export(name, load_fixture, tmp_path):
    report = load_fixture(name)
    out = tmp_path / f"{name}.pdf"
    out.write_bytes(b"old content")
    P.write_pdf(report, out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temp file, no .bak
    reader = _read(data)
    text = _flat(_all_text(reader))
    assert _flat(report.title()) in text
    for sid in report.format.text_sections:
        for kind, head, rest in P.section_paragraphs(report.sections.get(sid, "")):
            piece = _flat((head + rest).replace("**", ""))[:20]
            assert piece in text, (sid, piece)
    lines = [_flat(ln) for page in reader.pages for ln in page.extract_text().split("\n")]
    assert P.line_break_problems([ln for ln in lines if len(ln) > 1]) == []
    assert P.date_cn(report.meta.date) in text


def test_system_fonts_are_preferred_when_usable(tmp_path, monkeypatch):
    # a real TrueType font installed under the Windows name of 黑体, and a broken "仿宋" file
    shutil.copyfile(F.bundled_font("hei").path, tmp_path / "SimHei.ttf")
    (tmp_path / "simfang.ttf").write_bytes(b"not a font at all")
    monkeypatch.setenv("NIANBAO_FONT_DIRS", str(tmp_path))
    hei = F.find_font("hei")
    assert (hei.family, hei.path, hei.bundled) == ("黑体", tmp_path / "SimHei.ttf", False)
    body = F.find_font("body")
    assert body.bundled and body.path.name == "nianbao-song.ttf"
    assert F.find_font("kai").family == "AR PL UKai CN"
    reader = _read(P.render_pdf(_sample_report()))
    assert "一、总体情况" in _flat(_all_text(reader))


def test_bundled_fonts_are_truetype_with_licences():
    from reportlab.pdfbase.ttfonts import TTFont

    for kind in F.BUNDLED:
        font = F.bundled_font(kind)
        assert font.path.is_file()
        TTFont("probe-" + kind, str(font.path))  # raises for CFF outlines or no-embedding fonts
        assert F.embeddable(font.path)
    folder = F.bundled_font("hei").path.parent
    assert "ARPHIC PUBLIC LICENSE" in (folder / "LICENSE-ARPHIC.txt").read_text(encoding="latin-1").upper()
    assert "Apache License" in (folder / "LICENSE-APACHE-2.0.txt").read_text(encoding="utf-8")


def test_date_and_paragraph_helpers():
    assert P.date_cn("2024-01-16") == "2024年1月16日"
    assert P.date_cn("") == ""
    paras = P.section_paragraphs("（一）主动公开情况。我局…\n\n一、总体\n1. 正文\n（二）改进措施")
    assert paras == [("h2", "（一）主动公开情况。", "我局…"), ("h1", "一、总体", ""), ("p", "", "1. 正文"),
                     ("h2", "（二）改进措施", "")]


def test_missing_bundled_fonts_give_a_message_and_no_file(tmp_path, monkeypatch):
    """A broken install (fonts deleted) is a clear message, and nothing is written."""
    root = tmp_path / "install"
    shutil.copytree(F.resource("formats"), root / "resources" / "formats")
    monkeypatch.setenv("NIANBAO_ROOT", str(root))
    assert F.missing_bundled_fonts()
    out = tmp_path / "out.pdf"
    with pytest.raises(P.PdfError) as e:
        P.write_pdf(_sample_report(), out)
    assert "字体" in str(e.value) and "重新安装" in str(e.value)
    assert not out.exists()


from hypothesis import given, settings, strategies as st  # noqa: E402

_ALPHABET = "甲乙丙丁政府信息公开" + "，。、；：？！）》」”’" + "（《「“‘" + "——……" + "2023ab " + "年月日"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=_ALPHABET, min_size=1, max_size=160), st.integers(min_value=3, max_value=27))
def test_split_lines_property(text, chars_per_line):
    """Whatever the text: nothing lost, lines fit, and a line breaks against the rules only when its whole
    width offered no allowed break (e.g. a run of punctuation longer than a line)."""
    from reportlab.platypus.paragraph import FragLine

    name = P._Fonts().names["body"]
    width = chars_per_line * P.BODY_PT
    lines = P.split_lines([FragLine(text=text, fontName=name, fontSize=P.BODY_PT)], [width], False).lines
    out = ["".join(w.text for w in line.words) for line in lines]
    assert "".join(out) == text
    pos = 0
    for a, b in zip(out, out[1:]):
        pos += len(a)
        start = pos - len(a)
        assert not b.startswith(" ") or not a.strip(" "), (a, b)  # spaces hang, never start a line
        if not P.break_allowed(text, pos, start):
            assert not any(P.break_allowed(text, j, start) for j in range(start + 1, pos)), (a, b)
    for line, s in zip(lines, out):
        if len(s.rstrip(" ")) > 1:
            assert line.currentWidth <= width + 1e-6, s


@pytest.mark.parametrize("text", ["12", "0", "/", "1.5", "自然人", "（一）予以公开", "2023年", "甲", "a&b", "a "
                                                                                                "b", "<b>x</b>"])
def test_a_plain_cell_word_is_the_fragment_reportlabs_parser_makes(text, monkeypatch):
    """The paragraph class skips reportlab's markup parser for a plain word (most table cells); what it makes is
    what the parser makes — and markup or spaces still go through the parser."""
    from reportlab.platypus import Paragraph
    from reportlab.platypus import paragraph as rp

    fonts = P._Fonts()
    styles = P._styles(fonts)
    CnParagraph = P._paragraph_class()
    parses = []
    real = rp.ParaParser.parse
    monkeypatch.setattr(rp.ParaParser, "parse", lambda self, *a, **k: parses.append(1) or real(self, *a, **k))
    for name in ("cell_c", "cell_l", "body"):
        CnParagraph("预热", styles[name])  # the style's template fragment is made once
        parses.clear()
        ours = CnParagraph(text, styles[name])
        plain = "<" not in text and "&" not in text and " " not in text
        assert len(parses) == (0 if plain else 1)
        theirs = Paragraph(text, styles[name])
        assert [vars(f) for f in ours.frags] == [vars(f) for f in theirs.frags]
        assert ours.text == theirs.text
        assert ours.wrap(100, 1000) == P._paragraph_class()(text, styles[name]).wrap(100, 1000)


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_table_values_drawn_as_words_sit_where_the_paragraphs_would(name, load_fixture, monkeypatch):
    """Table values are drawn as one line of text, without a paragraph's layout: every character of the PDF —
    text, font, size, position to 0.01 pt — is where the paragraph put it; a value too long for its cell still
    wraps as a paragraph."""
    import pdfplumber

    def chars(data):
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return sorted((i, c["text"], round(c["x0"], 2), round(c["top"], 2), c["fontname"].split("+")[-1],
                           round(c["size"], 2)) for i, page in enumerate(pdf.pages) for c in page.chars)

    report = load_fixture(name)
    report.values["t3.new.natural"] = 123456789012345678  # wider than its cell
    words = chars(P.render_pdf(report))
    real = P._paragraph_class
    fonts = P._Fonts()
    cells = [c for row in P._table(report, "t3", fonts, real(), P._styles(fonts))._cellvalues for c in row]
    assert sum(type(c).__name__ == "WordCell" for c in cells) >= 150  # not laid out as paragraphs

    def paragraphs_only():
        cls = real()
        cls.word_cell = staticmethod(lambda text, style: cls(text, style))
        return cls

    monkeypatch.setattr(P, "_paragraph_class", paragraphs_only)
    paragraphs = chars(P.render_pdf(report))
    assert words == paragraphs
    assert sum(1 for c in words if c[1] in "0123456789") > 150


def test_digits_and_latin_letters_in_heiti_runs_are_printed():
    """A bold run-in heading with a year ("**一是2023年加强**…") and the draft mark are set in 黑体; the bundled 黑体
    stand-in (Droid Sans Fallback) has no Latin letters or digits, and they were printed without a glyph — a blank
    where the year should be. They are set in the number font instead, and the PDF's text holds them."""
    import io

    import pdfplumber

    from app import project
    from app.export.pdf import render_pdf
    report = project.load("tests/fixtures/pingqiao-minzheng-2024.nianbao")
    report.sections["s1"] = "**一是2023年加强ABC**组织领导。"
    with pdfplumber.open(io.BytesIO(render_pdf(report))) as pdf:
        page = pdf.pages[0]
        lines = ["".join(x.split()) for x in (page.extract_text() or "").splitlines()]
        assert "一是2023年加强ABC组织领导。" in lines, lines
        digits = [c for c in page.chars if c["text"] in "2023ABC" and c["top"] > 0]
        assert digits and all(c["x1"] - c["x0"] > 3 for c in digits)
