"""GB/T 9704 typesetting: a body line holds exactly 28 characters in the PDF and on the DOCX's
document grid; each table stays on one page with its heading whenever it fits — table 3 at every starting
height down the page — rows never split, headers repeat."""
from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from app.export import docx as dx

from app.importers import own_docx as od
from app.export import export_report
from app.export import pdf as P
from app.formats import load_format

FMT = load_format("gov-2021")
TEXT_W_PT = (210 - 28 - 26) / 25.4 * 72


def _pages(data: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


def test_pdf_body_line_holds_28_characters(load_fixture):
    report = load_fixture("wuzhong-minzheng-2023")
    report.sections["s1"] = "政" * 300 + "\n" + report.sections["s1"]
    lines = [x.strip() for x in _pages(P.render_pdf(report))[0].splitlines() if set(x.strip()) == {"政"}]
    assert lines[0] == "政" * 26  # two characters of first-line indent
    assert all(len(x) == 28 for x in lines[1:-1]) and len(lines) > 5, [len(x) for x in lines]


def test_docx_sets_28_characters_a_line_and_22_lines_a_page(tmp_path, load_fixture):
    """Body-size styles carry a character spacing that fits exactly 28 3号 characters in the 156 mm block (honoured
    by Word, WPS and LibreOffice alike); the document grid declares 22 lines; lines are exact 28.9 pt."""
    doc = Document(str(export_report(load_fixture("wuzhong-minzheng-2023"), tmp_path / "r.docx", force=True)))
    grid = doc.sections[0]._sectPr.find(qn("w:docGrid"))
    line = int(grid.get(qn("w:linePitch"))) / 20
    assert int(225 / 25.4 * 72 // line) == 22

    def pitch(style):
        rpr = doc.styles[style].element.rPr
        sp = rpr.find(qn("w:spacing")) if rpr is not None else None
        size = int(rpr.find(qn("w:sz")).get(qn("w:val"))) / 2
        return size + (int(sp.get(qn("w:val"))) / 20 if sp is not None else 0)
    for style in ("Normal", "一级标题", "二级标题", "落款"):
        assert int(TEXT_W_PT // pitch(style)) == 28, style
        assert abs(doc.styles[style].paragraph_format.line_spacing.pt - 28.9) < 0.05
    assert pitch("报告标题") == 22 and pitch("表格文字") == 10.5  # 2号 and 五号 keep their own pitch


def test_docx_tables_stay_whole_and_rows_never_split(tmp_path, load_fixture):
    doc = Document(str(export_report(load_fixture("wuzhong-minzheng-2023"), tmp_path / "r.docx", force=True)))
    tables = od.locate_tables(doc, FMT)
    assert set(tables) == {"t2", "t3", "t4"}
    for tid, (table, _texts) in tables.items():
        rows = table._tbl.tr_lst
        for i, tr in enumerate(rows):
            assert tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None, (tid, i)
            keeps = [p.pPr is not None and p.pPr.find(qn("w:keepNext")) is not None for p in tr.iter(qn("w:p"))]
            assert all(keeps) if i < len(rows) - 1 else True, (tid, i)
        header = FMT.layout(tid).header_rows or 0
        assert all(rows[i].trPr.find(qn("w:tblHeader")) is not None for i in range(header))


T3_FIRST = "申请人情况"
T3_LAST = "3.其他"


@pytest.mark.parametrize("lines", range(0, 24, 1))
def test_pdf_table3_is_whole_at_every_starting_height(load_fixture, lines):
    """Narrative lengths from 0 to 23 extra lines move table 3 through every starting height of a page."""
    report = load_fixture("wuzhong-minzheng-2023")
    if lines:
        report.sections["s1"] = report.sections["s1"] + "\n" + "政" * (26 + 28 * (lines - 1))
    pages = [x.replace(" ", "").replace("\n", "") for x in _pages(P.render_pdf(report))]
    heading = next(i for i, p in enumerate(pages) if "三、收到和处理政府信息公开申请情况" in p)
    assert T3_FIRST in pages[heading] and T3_LAST.replace(" ", "") in pages[heading], lines
    assert "（七）总计" in pages[heading] or "总计" in pages[heading]


def test_pdf_breaks_numbers_and_dates_as_word_does(load_fixture):
    """Word (and LibreOffice) never cut a number, but break between a number and the ideograph next to it
    (``12月31|日``, ``2023|年``); the PDF does the same instead of stretching the line before."""
    from app.export.pdf import break_allowed
    text = "截至2023年12月31日共办理申请15件"
    for i in range(1, len(text)):
        a, b = text[i - 1], text[i]
        assert break_allowed(text, i) is not (a.isdigit() and b.isdigit()), (text[:i], text[i:])
    report = load_fixture("wuzhong-minzheng-2023")
    # a date at every position of a line: lines are full (28 characters, digits counted as half), never cut
    # inside a number
    report.sections["s1"] = "\n".join("政" * k + "于2023年12月31日办结申请15件。" + "政" * 40 for k in range(28))
    lines = [x.strip() for page in _pages(P.render_pdf(report)) for x in page.splitlines() if "政" in x]
    for a, b in zip(lines, lines[1:]):
        assert not (a[-1].isdigit() and b[0].isdigit()), (a, b)
    assert any(a[-1].isdigit() for a in lines), "no line ends inside a date: breaks are still refused there"


def _docx_fonts(path) -> set[str]:
    import re
    import zipfile
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/styles.xml").decode() + z.read("word/document.xml").decode()
    return set(re.findall(r'w:eastAsia="([^"]+)"', xml))


def test_docx_names_the_fonts_installed_on_this_pc(tmp_path, monkeypatch, load_fixture, capsys):
    """仿宋_GB2312/楷体_GB2312 absent, 仿宋/楷体 installed (as on most Windows 10/11 PCs): the DOCX names 仿宋/楷体;
    the standard names stay when asked for (print shop)."""
    import shutil
    from app.cli import main
    from app.fonts import resource
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copy(resource("fonts", "nianbao-song.ttf"), fonts / "simfang.ttf")  # 仿宋
    shutil.copy(resource("fonts", "nianbao-kai.ttf"), fonts / "simkai.ttf")  # 楷体
    monkeypatch.setenv("NIANBAO_FONT_DIRS", str(fonts))
    report = load_fixture("wuzhong-minzheng-2023")
    local = _docx_fonts(export_report(report, tmp_path / "local.docx", force=True))
    assert {"仿宋", "楷体"} <= local and not {"仿宋_GB2312", "楷体_GB2312"} & local, local
    standard = _docx_fonts(export_report(report, tmp_path / "std.docx", force=True, standard_fonts=True))
    assert {"仿宋_GB2312", "楷体_GB2312"} <= standard and not {"仿宋", "楷体"} & standard, standard
    # the command line says what it substituted
    assert main(["export", "tests/fixtures/wuzhong-minzheng-2023.nianbao", "-o", str(tmp_path / "c.docx")]) == 0
    out = capsys.readouterr().out
    assert "本机没有“仿宋_GB2312”，Word 文档中改用已安装的“仿宋”" in out
    # a round trip still reads the document as ours
    assert od.read_embedded(tmp_path / "local.docx") is not None


def test_one_typesetting_spec_for_template_docx_and_pdf(tmp_path, load_fixture):
    """Page, margins, sizes, fonts, indents and the opening come from resources/typesetting/gbt9704.json only."""
    import re
    from pathlib import Path
    from docx.shared import Mm
    from app.export import typeset as T
    report = load_fixture("wuzhong-minzheng-2023")
    doc = Document(str(export_report(report, tmp_path / "r.docx", force=True)))
    sec = doc.sections[0]
    for got, mm in ((sec.top_margin, T.MARGINS_MM["top"]), (sec.bottom_margin, T.MARGINS_MM["bottom"]),
                    (sec.left_margin, T.MARGINS_MM["left"]), (sec.right_margin, T.MARGINS_MM["right"])):
        assert abs(got - Mm(mm)) < Mm(0.1)
    assert abs(P.TEXT_W - T.TEXT_W_MM * T.MM) < 0.01 and P.BODY_PT == T.BODY_PT and P.LINE_PT == T.LINE_PT
    assert P.opening_text(report) == dx.context(report)["opening"] == T.OPENING.format(organ="吴忠市民政局", year=2023)
    fonts = {s.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for s in doc.styles
             if s.element.rPr is not None and s.element.rPr.find(qn("w:rFonts")) is not None}
    assert set(T.FONTS.values()) <= fonts
    # the wording and the layout numbers are written once
    for f in ("app/export/pdf.py", "app/export/docx.py", "templates/build_template.py"):
        text = Path(f).read_text(encoding="utf-8")
        assert "国办公开办函〔2021〕30号）要求" not in text, f
        assert not re.search(r"Mm\((37|35|28|26)\)|= 28\.9\b|= 16  #", text), f


def _parity_bench():
    import importlib.util
    from pathlib import Path
    path = Path(__file__).resolve().parent.parent / "bench" / "parity_docx_pdf.py"
    spec = importlib.util.spec_from_file_location("parity_docx_pdf", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="LibreOffice not installed")
def test_docx_in_libreoffice_and_our_pdf_are_the_same_document(tmp_path):
    """The DOCX rendered by LibreOffice (with the bundled fonts under the 公文 names) and our PDF have the same
    page count and ≥ 98 % of body lines broken identically — on every fixture, with narrative lengths that move
    table 3 down the page, a long and a short narrative, and numbers and dates at every position of a line (the
    PDF breaks between a number and the ideograph after it as Word does). Word's automatic space
    between Chinese and Latin letters/digits (which LibreOffice always sets) is set in the PDF too; widow control
    in both."""
    import shutil
    from app import project
    bench = _parity_bench()
    base = project.load(bench.ROOT / "tests" / "fixtures" / "wuzhong-minzheng-2023.nianbao")
    long = base.copy()
    long.sections["s1"] = "\n".join([base.sections["s1"]] * 3)
    long.sections["s5"] = "\n".join([base.sections["s5"]] * 2)
    short = base.copy()
    for sid in ("s1", "s5", "s6"):
        short.sections[sid] = "本年度主动公开信息184条，受理申请2件，均按时答复。"
    numbers = base.copy()
    numbers.sections["s1"] = "\n".join("政" * k + "于2023年12月31日办结申请15件，涉及108条、3200户。" + "政" * (30 - k)
                                       for k in range(0, 28, 3))
    extra = []
    for name, report in (("long", long), ("short", short), ("numbers", numbers)):
        project.save(report, tmp_path / f"{name}.nianbao", backup=False)
        extra.append((str(tmp_path / f"{name}.nianbao"), 0))
    cases = [(name, 0) for name in bench.FIXTURES] + [(bench.FIXTURES[0], 10), (bench.FIXTURES[0], 20)] + extra
    results = bench.measure(cases, shutil.which("soffice"), tmp_path)
    for label, pages_lo, pages_pdf, same, n, *_ in results:
        assert n >= 12, f"{label}: only {n} body lines read from our PDF"
        assert pages_lo == pages_pdf, f"{label}: LibreOffice {pages_lo} pages, our PDF {pages_pdf}"
        assert same / n >= 0.98, f"{label}: {same}/{n} body lines broken identically"


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="LibreOffice not installed")
def test_docx_in_libreoffice_and_our_pdf_break_web_addresses_and_latin_next_to_marks_alike(tmp_path):
    """The same page count and ≥ 98 % of body lines on the shapes the real corpus showed apart: web addresses
    at every offset of a line, a closing mark before a number at the end of an exactly full line (after a 楷体
    run-in heading: （二）整改措施。…工作，2023年), a number before an opening mark, a line full to 0.1 pt with
    Latin characters next to Chinese marks — and on the two real reports they came from (沭阳县发改局 2023 and
    平潭综合实验区 2023, imported from the saved web pages)."""
    import shutil
    from app import project
    from app.documents import open_report
    bench = _parity_bench()
    shapes = project.load(bench.ROOT / "tests" / "fixtures" / "wuzhong-minzheng-2023.nianbao")
    urls = ["http://www.shuyang.gov.cn/sygfj/gknb/202401/2ecfb31a335f4d689220a3a23e24a986.shtml",
            "https://www.example.gov.cn/col/col1234/index.html?uid=5678&pageNum=2&x_y=a-b"]
    shapes.sections["s1"] = "\n".join([text for text, _ in LO_SHAPES] +
                                      ["政" * k + f"（{u}），欢迎查阅。" for u in urls for k in range(1, 26, 4)])
    cases = []
    real = bench.ROOT / "tests" / "fixtures" / "real" / "docs"
    for name, report in (("shapes", shapes), ("shuyang-fagaiju-2023", open_report(real / "shuyang-fagaiju-2023.html")),
                         ("pingtan-2023", open_report(real / "pingtan-2023-page.html"))):
        project.save(report, tmp_path / f"{name}.nianbao", backup=False)
        cases.append((str(tmp_path / f"{name}.nianbao"), 0))
    for label, pages_lo, pages_pdf, same, n, *_ in bench.measure(cases, shutil.which("soffice"), tmp_path):
        assert n >= 40, f"{label}: only {n} body lines read from our PDF"
        assert pages_lo == pages_pdf, f"{label}: LibreOffice {pages_lo} pages, our PDF {pages_pdf}"
        assert same / n >= 0.98, f"{label}: {same}/{n} body lines broken identically"


def test_pdf_sets_words_automatic_space_between_chinese_and_digits(load_fixture):
    """The gap (typesetting spec "autospace") between an ideograph and a digit/Latin letter, as Word and
    LibreOffice set it: a line holding 2023年 holds one character less than a line of pure Chinese, and the text
    extracted from the PDF stays 2023年 (a displacement, not a space character)."""
    from app.export import typeset as T
    report = load_fixture("wuzhong-minzheng-2023")
    # first line: the 2-character indent and 26 characters; second line: 25 characters and 2023年 fill exactly 28
    # character widths, and the 2 gaps (2 × 3.45 pt) do not fit in the 1.2 pt left: 2023 with its gap fits,
    # 年 goes to the next line (Word breaks between a number and the ideograph after it)
    report.sections["s1"] = "态" * 51 + "2023年" + "态" * 40
    lines = [ln.strip() for ln in "\n".join(_pages(P.render_pdf(report))).splitlines()]
    i = next(k for k, ln in enumerate(lines) if ln.startswith("年态"))
    assert lines[i - 1] == "态" * 25 + "2023" and lines[i - 2] == "态" * 26, lines[i - 2:i + 1]
    assert T.autospace_between("3", "年") and T.autospace_between("年", "1")
    assert not T.autospace_between("。", "2") and not T.autospace_between("（", "2")


def test_pdf_lines_are_never_stretched_nor_past_the_margin(load_fixture, tmp_path):
    """Every line of a paragraph but its last is full: at most the room of the two characters the 禁则 moved down
    (a character that cannot end a line, or the one before a closing mark), or of the piece of the next line that
    could not be cut (条、3200: a closing mark keeps the number after it), is spread over it — a refused break
    used to stretch the line before a date across the page; and nothing is printed past the
    right margin (poppler's glyph boxes: only the last glyph's -0.25 pt grid spacing may reach over)."""
    import re
    import shutil
    import subprocess
    from app.document import paragraphs
    from app.export import pdf as P
    report = load_fixture("wuzhong-minzheng-2023")
    report.sections["s1"] += "\n" + "\n".join("政" * k + "于2023年12月31日办结申请15件，涉及108条、3200户。" + "政" * 20
                                              for k in range(28))
    fonts = P._Fonts()
    Para = P._paragraph_class()
    st = P._styles(fonts)
    for sid in ("s1", "s5", "s6"):
        for para in paragraphs(report.sections[sid]):
            p = Para(fonts.spans(para.head + para.rest, fonts.names["body"], fonts.names["hei"]), st["body"])
            p.wrap(P.TEXT_W, 1e9)
            lines = p.blPara.lines
            texts = ["".join(getattr(w, "text", "") for w in getattr(line, "words", [])) for line in lines]
            for line, text, nxt in zip(lines, texts, texts[1:]):
                if text.endswith(" "):
                    continue  # a break at a space, as in Word: the space hangs, the line is spread
                # the room of two characters, or of what could not stay on the line: the next line's text up
                # to its first break (a closing mark keeps the number after it: 108|条、3200 as LibreOffice)
                first = next((j for j in range(1, len(nxt) + 1) if P.break_allowed(nxt, j)), len(nxt))
                moved = sum(P.GRID_PITCH if not ch.isascii() else P.BODY_PT / 2 + P.GRID_ADJUST for ch in nxt[:first])
                room = 2 * (P.GRID_PITCH + P.T.autospace_pt(P.BODY_PT, P.GRID_ADJUST))
                assert line.extraSpace < max(room, moved + P.T.autospace_pt(P.BODY_PT, P.GRID_ADJUST)), \
                    (para.text, text, line.extraSpace)
    if not shutil.which("pdftotext"):
        return
    (tmp_path / "r.pdf").write_bytes(P.render_pdf(report))
    subprocess.run(["pdftotext", "-bbox", str(tmp_path / "r.pdf"), str(tmp_path / "r.html")], check=True, timeout=60)
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    right = P.PAGE_W - P.MARGIN_RIGHT
    xs = [float(x) for x in re.findall(r'xMax="([0-9.]+)"', html)]
    assert xs and max(xs) <= right + 0.3, max(xs) - right


def test_pdf_breaks_web_addresses_as_libreoffice_does():
    """A web address breaks where LibreOffice's line breaking (Unicode line breaking, UAX #14) breaks it: after a
    slash or a ? before a letter or digit (http://|www too) — never inside a number (202401/2ecf), never before
    a slash, a dot or a colon, never between letters, digits, = and &. Measured in LibreOffice 7.4 with
    addresses at every offset of a line (the PDF used to break only after http:// and cut the rest of the
    address where it overflowed)."""
    from app.export.pdf import break_allowed, can_break
    assert not can_break(":", "/") and not can_break("/", "/") and not can_break("p", ":")
    assert not can_break("w", ".") and not can_break("1", "2") and not can_break("=", "5")
    assert not can_break("&", "p") and can_break("?", "u") and can_break("/", "w")
    url = "网站（http://www.shuyang.gov.cn/sygfj/gknb/202401/2ecfb31a/index.html?uid=5678&page=2）"
    allowed = [url[:i] for i in range(1, len(url)) if break_allowed(url, i) and url[i - 1].isascii()]
    assert [a[len("网站（http://"):] for a in allowed] == \
        ["", "www.shuyang.gov.cn/", "www.shuyang.gov.cn/sygfj/", "www.shuyang.gov.cn/sygfj/gknb/",
         "www.shuyang.gov.cn/sygfj/gknb/202401/2ecfb31a/",
         "www.shuyang.gov.cn/sygfj/gknb/202401/2ecfb31a/index.html?"], allowed
    assert break_allowed("为http", 1) and not break_allowed("（http", 1)


# Paragraphs and the lines LibreOffice 7.4 broke them into (the DOCX with the bundled fonts, as
# bench/parity_docx_pdf.py renders it)
LO_SHAPES = [
    # a closing mark and the Latin letter or digit after it stay together (UAX #14: CL × NU): 26 characters fill
    # the first line exactly, LibreOffice moves the last 政 down with ，2023 rather than break after ，
    ("政" * 25 + "，2023年我局政政。", ["政" * 24, "政，2023年我局政政。"]),
    ("（二）整改措施。为进一步规范并加大政府信息公开工作，2023年我局加大贯彻落实新《条例》。",
     ["（二）整改措施。为进一步规范并加大政府信息公开工", "作，2023年我局加大贯彻落实新《条例》。"]),
    ("政" * 25 + "”a023年我局政政。", ["政" * 24, "政”a023年我局政政。"]),
    # a digit or letter and the opening mark after it stay together (UAX #14: NU × OP)
    ("政" * 25 + "2（政政政政。", ["政" * 25, "2（政政政政。"]),
    ("政" * 25 + "a“政政政政。", ["政" * 25, "a“政政政政。"]),
    # a line that is full to 0.1 pt by our widths, with two Latin-punctuation edges (%；) LibreOffice finds too
    # long (平潭综合实验区 2023)
    ("政" * 26 + "1.23%；其他处理2件，占2.47%；因政府信息公开引起的行政复议案件2件、行政诉讼案件7件。",
     ["政" * 26, "1.23%；其他处理2件，占2.47%；因政府信息公开引起的行政", "复议案件2件、行政诉讼案件7件。"]),
    # 、；：？ after a Latin word: ；：？ may end a line before a digit (they are not closing marks)
    ("政" * 25 + "；2023年我局政政。", ["政" * 25 + "；", "2023年我局政政。"]),
    # web addresses, as LibreOffice 7.4 printed them; inside Latin text the break is never taken at the very
    # character that overflows (sygfj/ would fit after gov.cn/, www after https://): the one before is
    ("政" * 13 + "（http://www.shuyang.gov.cn/sygfj/gknb/202401/2ecfb31a335f4d689220a3a23e24a986.shtml），欢迎查阅。",
     ["政" * 13 + "（http://", "www.shuyang.gov.cn/sygfj/gknb/"]),
    ("政" * 7 + "（http://www.shuyang.gov.cn/sygfj/gknb/202401/2ecfb31a335f4d689220a3a23e24a986.shtml），欢迎查阅。",
     ["政" * 7 + "（http://www.shuyang.gov.cn/sygfj/", "gknb/202401/2ecfb31a335f4d689220a3a23e24a986.shtml），欢",
      "迎查阅。"]),
    ("政" * 21 + "（https://www.example.gov.cn/col/col1234/index.html?uid=5678&pageNum=2&x_y=a-b），欢迎查阅。",
     ["政" * 21, "（https://www.example.gov.cn/col/col1234/index.html?", "uid=5678&pageNum=2&x_y=a-b），欢迎查阅。"]),
    ("政" * 9 + "（http://www.shuyang.gov.cn/sygfj/gknb/202401/2ecfb31a335f4d689220a3a23e24a986.shtml），欢迎查阅。",
     ["政" * 9 + "（http://www.shuyang.gov.cn/", "sygfj/gknb/",
      "202401/2ecfb31a335f4d689220a3a23e24a986.shtml），欢迎查", "阅。"]),
]


@pytest.mark.parametrize("text, want", LO_SHAPES)
def test_pdf_breaks_punctuation_next_to_latin_and_web_addresses_as_libreoffice_does(load_fixture, text, want):
    """Lines of the PDF where LibreOffice breaks the same paragraph of the DOCX (each case measured with
    bench/parity_docx_pdf.py's rendering: LibreOffice 7.4, the bundled fonts)."""
    report = load_fixture("wuzhong-minzheng-2023")
    report.sections["s1"] = text
    lines = [ln.strip().replace(" ", "") for ln in "\n".join(_pages(P.render_pdf(report))).splitlines()]
    i = next(k for k, ln in enumerate(lines) if ln.startswith(want[0][:6]))
    assert lines[i:i + len(want)] == want


def test_pdf_sets_the_baseline_of_an_exact_line_where_word_does(load_fixture):
    """Word and LibreOffice set the text of a line of exact height with its baseline 4/5 of the line below the
    line's top (body: 23.1 pt down a 28.9 pt line; the title: 28.8 pt down its 36 pt lines); the PDF set it a
    font size down (16 pt), every line 7 pt higher than the DOCX printed. Measured in LibreOffice 7.4: with the
    DOCX's line grid (docGrid) removed its baselines and ours are the same to 0.01 pt; with the grid LibreOffice
    sets everything 1.0 pt lower (it centres the 22 grid lines in the 637.8 pt text block)."""
    import pdfplumber

    from app.export import typeset as T
    report = load_fixture("wuzhong-minzheng-2023")
    top = T.MARGINS_MM["top"] * T.MM
    with pdfplumber.open(io.BytesIO(P.render_pdf(report))) as doc:
        first = doc.pages[0]
        title = min(first.height - c["matrix"][5] for c in first.chars if c["size"] == T.TITLE_PT)
        second = doc.pages[1]
        body = min(second.height - c["matrix"][5] for c in second.chars if c["size"] == T.BODY_PT)
    assert abs(title - top - 0.8 * T.TITLE_LINE_PT) < 0.05, title - top
    assert abs(body - top - 0.8 * T.LINE_PT) < 0.05, body - top
