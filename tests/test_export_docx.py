"""Word export: every fixture exported and read back with python-docx (layout, labels, merges, values, fonts,
footers), the embedded round trip, table edit detection, and custom/hostile templates."""
from __future__ import annotations

import re
import shutil
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from app import project
from app.errors import ImportFailed
from app.export import ExportError, ReportHasErrors, TemplateProblem, export_report
from app.export import docx as dx
from app.importers import own_docx as od
from app.formats import load_format
from app.values import NA, display

from conftest import FIXTURE_NAMES

FMT = load_format("gov-2021")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Each fixture exported once to DOCX: name -> (report, path)."""
    folder = tmp_path_factory.mktemp("docx")
    out = {}
    for name in FIXTURE_NAMES:
        report = project.load(f"tests/fixtures/{name}.nianbao")
        path = export_report(report, folder / f"{name}.docx")
        out[name] = (report, path)
    return out


def _near(length, mm):
    return abs(length - Mm(mm)) < Mm(0.1)


def _style_font(style, attr="eastAsia"):
    rfonts = style.element.rPr.find(qn("w:rFonts"))
    return rfonts.get(qn(f"w:{attr}"))


def _paragraph_texts(doc):
    return [p.text for p in doc.paragraphs]


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_page_setup_title_and_sections(exported, name):
    report, path = exported[name]
    doc = Document(str(path))
    sec = doc.sections[0]
    assert _near(sec.page_width, 210) and _near(sec.page_height, 297)
    assert _near(sec.top_margin, 37) and _near(sec.bottom_margin, 35)
    assert _near(sec.left_margin, 28) and _near(sec.right_margin, 26)
    texts = _paragraph_texts(doc)
    # too long for one 2号 line: broken after the organ name, not before a lone 报告
    assert texts[0] == f"{report.meta.organ}\n{report.meta.year}年政府信息公开工作年度报告"
    assert doc.core_properties.title == f"{report.meta.organ}{report.meta.year}年政府信息公开工作年度报告"
    assert doc.paragraphs[0].style.name == "报告标题"
    assert texts[1].startswith("根据《中华人民共和国政府信息公开条例》")
    assert f"本报告中所列数据统计期限为{report.meta.year}年1月1日至12月31日。" in texts[1]
    for section in FMT.sections:
        assert section["heading"] in texts, section["heading"]
    # every narrative line is printed word for word (bold marks become bold runs)
    for sid in FMT.text_sections:
        for line in report.sections[sid].splitlines():
            line = line.strip().replace("**", "")
            if line:
                assert line in texts, (sid, line)
    # closing: organ and date at the right, date without zero padding
    y, m, d = (int(x) for x in report.meta.date.split("-"))
    assert texts[-2:] == [report.meta.organ, f"{y}年{m}月{d}日"]
    for p in doc.paragraphs[-2:]:
        assert p.style.name == "落款"
        assert p.style.paragraph_format.alignment == 2  # RIGHT
    # the closing never stands alone on a page: the last text line and the blank lines keep with it
    last_text = max(i for i, p in enumerate(doc.paragraphs[:-2]) if p.text.strip())
    assert all(p.paragraph_format.keep_with_next for p in doc.paragraphs[last_text:-1])


def test_heading_levels_and_fonts(exported):
    report, path = exported["wuzhong-minzheng-2023"]
    doc = Document(str(path))
    styles = doc.styles
    assert _style_font(styles["Normal"]) == "仿宋_GB2312"
    assert _style_font(styles["Normal"], "ascii") == "仿宋_GB2312"
    assert _style_font(styles["报告标题"]) == "方正小标宋简体"
    assert _style_font(styles["一级标题"]) == "黑体"
    assert _style_font(styles["二级标题"]) == "楷体_GB2312"
    normal = styles["Normal"]
    assert normal.font.size == Pt(16) and styles["报告标题"].font.size == Pt(22)
    assert normal.paragraph_format.line_spacing == Pt(28.9)
    assert normal.paragraph_format.line_spacing_rule == 4  # EXACTLY
    ind = normal.element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    assert styles["报告标题"].paragraph_format.alignment == 1  # CENTER
    # docDefaults carry the eastAsia font too (what Word/WPS fall back to)
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"

    by_text = {p.text: p for p in doc.paragraphs}
    # 一、 headings in 黑体 style; a lone （一） line is a 楷体 heading paragraph
    assert by_text["一、总体情况"].style.name == "一级标题"
    assert by_text["（一）存在问题"].style.name == "二级标题"
    assert by_text["（一）存在问题"].runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    # run-in heading: （一）主动公开情况。 in 楷体, the rest in the body font, one paragraph
    p = next(p for p in doc.paragraphs if p.text.startswith("（一）主动公开情况。"))
    assert p.style.name == "Normal"
    fonts = [(r.text, r._r.rPr.rFonts.get(qn("w:eastAsia"))) for r in p.runs]
    assert fonts[0] == ("（一）主动公开情况。", "楷体_GB2312")
    assert fonts[1][1] == "仿宋_GB2312" and fonts[1][0].startswith("我局高度重视")
    # **一是** -> a bold run, marks removed
    p = next(p for p in doc.paragraphs if "公开主动性需要进一步提高" in p.text)
    bold = [r.text for r in p.runs if r.bold]
    assert "一是" in bold and "**" not in p.text
    # every body run carries its eastAsia font explicitly
    for p in doc.paragraphs[1:-2]:
        for r in p.runs:
            assert r._r.rPr is not None and r._r.rPr.rFonts.get(qn("w:eastAsia")), p.text


def test_footers_page_field_odd_right_even_left(exported):
    _, path = exported["pingqiao-minzheng-2024"]
    doc = Document(str(path))
    assert doc.settings.odd_and_even_pages_header_footer
    sec = doc.sections[0]
    for footer, align in ((sec.footer, 2), (sec.even_page_footer, 0)):
        p = footer.paragraphs[0]
        assert p.alignment == align
        xml = p._p.xml
        instr = "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert instr.strip() == "PAGE"
        assert [f.get(qn("w:fldCharType")) for f in p._p.iter(qn("w:fldChar"))] == ["begin", "separate", "end"]
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert "宋体" in xml and p.runs[0].font.size == Pt(14)


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_tables_labels_and_values(exported, name):
    report, path = exported[name]
    doc = Document(str(path))
    tables = {tid: t for tid, (t, _) in od.locate_tables(doc, FMT).items()}
    assert set(tables) == {"t2", "t3", "t4"}
    for tid, table in tables.items():
        layout = FMT.layout(tid)
        assert len(table.rows) == layout.rows and len(table.columns) == layout.cols
        at = od.grid(table)
        for placed in layout.cells:
            cell = at(placed.row, placed.col)
            text = od._cell_text(cell)
            if placed.role == "value":
                assert text == display(report.values.get(placed.cell_id)), placed.cell_id
                assert cell.paragraphs[0].alignment in (None, 1)
                assert cell.paragraphs[0].style.paragraph_format.alignment == 1  # numbers centred
            else:  # headers may carry the PDF's line breaks (商业/企业)
                assert text.replace("\n", "") == placed.text, (tid, placed)
            for run in cell.paragraphs[0].runs:  # labels and values name their Chinese font, 五号
                assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
                assert run.font.size == Pt(10.5)


def _tc_props(tc):
    tcpr = tc.tcPr
    span = tcpr.find(qn("w:gridSpan")) if tcpr is not None else None
    vm = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
    return (int(span.get(qn("w:val"))) if span is not None else 1,
            None if vm is None else (vm.get(qn("w:val")) or "continue"))


def _grid(table):
    """(row, grid col) -> (tc, gridSpan, vMerge) read from the XML."""
    out = {}
    for r, tr in enumerate(table._tbl.tr_lst):
        c = 0
        for tc in tr.tc_lst:
            span, vm = _tc_props(tc)
            out[(r, c)] = (tc, span, vm)
            c += span
    return out


def test_official_merges(exported):
    _, path = exported["wuzhong-minzheng-2023"]
    doc = Document(str(path))
    tables = {tid: t for tid, (t, _) in od.locate_tables(doc, FMT).items()}
    t3 = _grid(tables["t3"])
    # 3×3 corner note
    tc, span, vm = t3[(0, 0)]
    assert span == 3 and vm == "restart"
    assert t3[(1, 0)][1:] == (3, "continue") and t3[(2, 0)][1:] == (3, "continue")
    # 申请人情况 over 7 columns, 法人或其他组织 over 5, 自然人 and 总计 over two header rows
    assert t3[(0, 3)][1] == 7
    assert t3[(1, 4)][1] == 5
    assert t3[(1, 3)][2] == "restart" and t3[(2, 3)][2] == "continue"
    assert t3[(1, 9)][2] == "restart" and t3[(2, 9)][2] == "continue"
    # 三、本年度办理结果: one cell over 22 rows
    assert t3[(5, 0)][2] == "restart" and t3[(5, 0)][1] == 1
    assert all(t3[(r, 0)][2] == "continue" for r in range(6, 27))
    assert t3[(27, 0)][2] is None and t3[(27, 0)][1] == 3  # 四、结转下年度继续办理
    # sub-group spans: （三）不予公开 over 8 rows, （四） 3, （五） 5, （六） 3
    for start, n in ((7, 8), (15, 3), (18, 5), (23, 3)):
        assert t3[(start, 1)][2] == "restart"
        assert all(t3[(r, 1)][2] == "continue" for r in range(start + 1, start + n))
        assert t3[(start + n, 1)][2] in (None, "restart")
    # header rows repeat on each page; no row splits across pages
    trs = tables["t3"]._tbl.tr_lst
    assert all(tr.trPr.find(qn("w:tblHeader")) is not None for tr in trs[:3])
    assert all(tr.trPr.find(qn("w:tblHeader")) is None for tr in trs[3:])
    for t in tables.values():
        assert all(tr.trPr.find(qn("w:cantSplit")) is not None for tr in t._tbl.tr_lst)
    # table 4: two-level header
    t4 = _grid(tables["t4"])
    assert t4[(0, 0)][1] == 5 and t4[(0, 5)][1] == 10
    assert t4[(1, 5)][1] == 5 and t4[(1, 10)][1] == 5
    assert t4[(1, 0)][2] == "restart" and t4[(2, 0)][2] == "continue"
    # table 2: block headers over the full width
    t2 = _grid(tables["t2"])
    for r in (0, 4, 7, 11):
        assert t2[(r, 0)][1] == 4
    assert t2[(5, 1)][1] == 3


def test_not_applicable_prints_slash_and_blank_stays_blank(tmp_path, load_fixture):
    report = load_fixture("weihui-minzheng-2022")
    report.set("t2.regulations.issued", NA)
    report.set("t2.regulations.repealed", NA)
    report.set("t2.regulations.in_force", NA)
    report.set("t4.review.pending", None)  # blank: T4 total mismatch is not checked for blanks → force anyway
    path = export_report(report, tmp_path / "r.docx", force=True)
    cells = od.read_tables(path)
    assert cells["t2.regulations.issued"] == "/"
    assert cells["t4.review.pending"] == ""
    assert cells["t2.normative.issued"] == "1"


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_round_trip_embedded_report(exported, name):
    report, path = exported[name]
    back = od.read_embedded(path)  # read from the page
    assert back is not None and back.review == {}
    for cid in FMT.cells:
        assert back.values.get(cid) == report.values.get(cid)
    assert back.sections == {sid: report.sections.get(sid, "") for sid in FMT.text_sections}
    assert back.meta == report.meta
    assert od.table_edits(path) == []


def test_embedded_data_survives_a_resave_and_table_edits_are_found(exported, tmp_path):
    report, path = exported["wuzhong-minzheng-2023"]
    edited = tmp_path / "edited.docx"
    doc = Document(str(path))
    t3 = od.locate_tables(doc, FMT)["t3"][0]
    r, c = FMT.layout("t3").value_positions()["t3.new.natural"]
    cell = od.grid(t3)(r, c)
    cell.paragraphs[0].runs[0].text = "5"
    t2 = od.locate_tables(doc, FMT)["t2"][0]
    r, c = FMT.layout("t2").value_positions()["t2.licensing.decisions"]
    od.grid(t2)(r, c).paragraphs[0].runs[0].text = "18"
    doc.save(str(edited))
    # the exported numbers are not kept in the file: only that they were another number
    assert sorted(od.table_edits(edited)) == [("t2.licensing.decisions", "另一数值", "18"),
                                              ("t3.new.natural", "另一数值", "5")]
    # the page is read: the edited values, marked for review
    back = od.read_embedded(edited)
    assert back.values["t3.new.natural"] == 5 and back.values["t2.licensing.decisions"] == 18
    assert set(back.review) == {"t3.new.natural", "t2.licensing.decisions"}


def test_tables_still_read_after_a_resave_adds_a_sliver_column(exported, tmp_path):
    """LibreOffice re-saves table 4 with a 1-twip extra grid column; cells must still be found by position."""
    from docx.oxml import OxmlElement
    _, path = exported["wuzhong-minzheng-2023"]
    doc = Document(str(path))
    t4 = od.locate_tables(doc, FMT)["t4"][0]._tbl
    cols = t4.tblGrid.findall(qn("w:gridCol"))
    cols[4].set(qn("w:w"), str(int(cols[4].get(qn("w:w"))) - 1))
    sliver = OxmlElement("w:gridCol")
    sliver.set(qn("w:w"), "1")
    cols[4].addnext(sliver)
    for r, tr in enumerate(t4.tr_lst):
        tcs = tr.tc_lst
        widen = tcs[1] if r == 0 else tcs[4]  # 行政诉讼 starts on the sliver; 总计 covers it below
        widen.grid_span = widen.grid_span + 1
    edited = tmp_path / "resaved.docx"
    doc.save(str(edited))
    assert len(Document(str(edited)).tables[2].columns) == 16
    assert od.table_edits(edited) == []
    assert od.read_tables(edited)["t4.suit_after_review.total"] == "0"


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_libreoffice_resave_keeps_embedded_data_and_tables(exported, tmp_path):
    import subprocess
    _, path = exported["weihui-minzheng-2022"]
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "out"), str(path)],
                   check=True, capture_output=True, timeout=180)
    resaved = tmp_path / "out" / path.name
    assert project.report_to_dict(od.read_embedded(resaved)) == project.report_to_dict(od.read_embedded(path))
    assert od.table_edits(resaved) == []


def test_a_table_that_cannot_be_found_is_not_reported_as_emptied(exported, tmp_path):
    _, path = exported["wuzhong-minzheng-2023"]
    doc = Document(str(path))
    t4 = od.locate_tables(doc, FMT)["t4"][0]._tbl
    t4.getparent().remove(t4)
    t2 = od.locate_tables(doc, FMT)["t2"][0]
    r, c = FMT.layout("t2").value_positions()["t2.normative.in_force"]
    od.grid(t2)(r, c).paragraphs[0].runs[0].text = "2"
    edited = tmp_path / "no-t4.docx"
    doc.save(str(edited))
    assert od.table_edits(edited) == [("t2.normative.in_force", "另一数值", "2")]


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice/poppler missing")
def test_libreoffice_lays_it_out(exported, tmp_path):
    """Another word processor opens the file and prints every page with its number, title and tables."""
    import subprocess
    report, path = exported["wuzhong-minzheng-2023"]
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / (path.stem + ".pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          timeout=120).stdout.decode()
    pages = text.split("\f")[:-1]
    assert 4 <= len(pages) <= 9
    for n, page in enumerate(pages, 1):
        assert re.search(rf"—\s*{n}\s*—", page)  # the PAGE field was computed on every page
    assert "吴忠市民政局" in pages[0] and "2023年政府信息公开工作年度报告" in pages[0].replace(" ", "")
    flat = text.replace(" ", "")
    for label in ("申请人情况", "三、"
                           "本年度办理结果"[:2], "结转下年度继续办理", "未经复议直接起诉", "第二十条第（八）项"):
        assert label in flat
    assert "2024年1月16日" in flat


def test_document_without_embedded_data(tmp_path):
    plain = tmp_path / "plain.docx"
    Document().save(str(plain))
    assert od.read_embedded(plain) is None
    assert od.table_edits(plain) == []
    bad = tmp_path / "bad.docx"
    bad.write_text("不是 Word 文档", encoding="utf-8")
    with pytest.raises(ImportFailed, match="不是可读取的 Word 文档"):
        od.read_embedded(bad)


def test_exported_file_is_a_valid_package(exported):
    _, path = exported["wuzhong-minzheng-2023"]
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        items = [n for n in z.namelist() if n.startswith("customXml/item")]
        ct = z.read("[Content_Types].xml").decode()
    assert any(n.startswith("customXml/itemProps") for n in items)
    assert "customXmlProperties+xml" in ct
    # placeholders are all gone
    doc = Document(str(path))
    body = doc.element.body.xml
    assert "{{" not in body and "{%" not in body


def test_odd_characters_are_printed_safely_and_kept_exactly(tmp_path, load_fixture):
    from app.values import Invalid
    report = load_fixture("pingqiao-minzheng-2024")
    report.meta.organ = "A&B<局>"
    report.meta.contact = "电话：0376-1234567\x0b"
    report.sections["s5"] = "问题 <w:p/> & “引号”\n\ufffe（一）改进\n**未闭合"
    report.values["t3.new.natural"] = Invalid("约 5\n件")
    path = export_report(report, tmp_path / "odd.docx", force=True)
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0].startswith("讨论稿")  # exported with an error: the draft mark first
    assert texts[1].startswith("A&B<局>")
    assert "问题 <w:p/> & “引号”" in texts and "**未闭合" in texts
    assert next(p for p in doc.paragraphs if p.text == "（一）改进").style.name == "二级标题"
    assert od.read_tables(path)["t3.new.natural"] == "约 5 件"  # whitespace as printed
    assert od.table_edits(path) == []
    back = od.read_embedded(path)  # what the page shows
    assert back.meta.organ == "A&B<局>" and back.meta.contact == "电话：0376-1234567"
    assert back.sections["s5"] == "问题 <w:p/> & “引号”\n（一）改进\n**未闭合"  # U+FFFE cannot be printed
    assert back.values["t3.new.natural"] == Invalid("约 5 件") and "t3.new.natural" in back.review


def test_report_with_errors_is_refused_and_nothing_written(tmp_path, load_fixture):
    report = load_fixture("wuzhong-minzheng-2023")
    report.set("t3.new.total", 7)  # breaks T3.TOTAL_COLUMN
    target = tmp_path / "out.docx"
    with pytest.raises(ReportHasErrors) as err:
        export_report(report, target)
    assert "T3.TOTAL_COLUMN" in str(err.value) and err.value.findings
    assert not target.exists()
    # an existing file under the target name is left alone
    target.write_bytes(b"old")
    with pytest.raises(ReportHasErrors):
        export_report(report, target)
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]  # no temp files left behind
    export_report(report, target, force=True)
    assert od.read_tables(target)["t3.new.total"] == "7"


def test_unknown_suffix_and_missing_folder(tmp_path, load_fixture):
    report = load_fixture("wuzhong-minzheng-2023")
    with pytest.raises(ExportError, match="不能导出为"):
        export_report(report, tmp_path / "x.odt")
    with pytest.raises(ExportError, match="不存在"):
        export_report(report, tmp_path / "no" / "x.docx")
    assert list(tmp_path.iterdir()) == []


def test_paragraph_splitting():
    ps = dx.paragraphs("一、总体情况\n（一）主动公开情况。我局……\n(二) 依申请公开\n\n1. **一是**内容\n")
    assert [p["kind"] for p in ps] == ["h1", "body", "h2", "body"]
    assert ps[3]["text"] == "1. **一是**内容" and "<w:b/>" in ps[3]["runs"].xml
    assert dx.date_cn("2024-01-06") == "2024年1月6日"
    from app.document import title_lines
    assert title_lines("某局", "某局2024年报告") == ["某局2024年报告"]  # fits: no break
    assert title_lines("吴忠市民政局", "吴忠市民政局2023年政府信息公开工作年度报告") == \
        ["吴忠市民政局", "2023年政府信息公开工作年度报告"]
    long_organ = "某某省某某市某某区某某街道办事处综合行政执法队"
    assert len(title_lines(long_organ, long_organ + "2024年政府信息公开工作年度报告")) == 1
    assert dx.date_cn("") == ""
    # XML-special characters are escaped, never injected
    ps = dx.paragraphs("A&B <w:p/> 〈〉")
    assert "&amp;" in ps[0]["runs"].xml and "<w:p/>" not in ps[0]["runs"].xml


# ---------------------------------------------------------------------------------------------
# templates

def _template_with(tmp_path, *lines, name="t.docx", base=True):
    """The official template plus paragraphs ``lines`` (or a bare document when ``base`` is False)."""
    doc = Document(str(dx.default_template())) if base else Document()
    for line in lines:
        doc.add_paragraph(line)
    path = tmp_path / name
    doc.save(str(path))
    return path


def test_official_template_is_clean_and_rebuildable(tmp_path):
    assert dx.check_template(dx.default_template()) == []
    import importlib.util
    spec = importlib.util.spec_from_file_location("build_template", "templates/build_template.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    rebuilt = mod.build(tmp_path / "rebuilt.docx")
    assert dx.check_template(rebuilt) == []
    a, b = Document(str(rebuilt)), Document(str(dx.default_template()))
    assert a.element.body.xml == b.element.body.xml, \
        "templates/gov-2021.docx is stale: run `python templates/build_template.py` and commit the result"


def test_custom_template_extra_text_is_kept(tmp_path, load_fixture):
    tpl = _template_with(tmp_path, "文号：民政〔{{ meta.year }}〕1号")
    report = load_fixture("pingqiao-minzheng-2024")
    out = export_report(report, tmp_path / "o.docx", template=tpl)
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert "文号：民政〔2024〕1号" in texts
    back = od.read_embedded(out)
    assert back.review == {} and back.meta == report.meta and back.sections == report.sections


def test_template_problems_listed_in_chinese(tmp_path):
    bad = dx.check_template(_template_with(tmp_path, "{{ foo }} {{ v['t9.x'] }} {{ meta.boss }}"))
    assert any("未知的占位符变量“foo”" in p for p in bad)
    assert any("v['t9.x']" in p for p in bad)
    assert any("meta.boss" in p for p in bad)
    sparse = dx.check_template(_template_with(tmp_path, "{{ title }}", "{{ v['t4.review.total'] }}",
                                              base=False, name="sparse.docx"))
    assert any("缺少表三的 175 个单元格占位符" in p for p in sparse)
    assert any("t4.review.upheld" in p for p in sparse)
    assert any("sections.s1" in p for p in sparse)
    assert any("成文日期" in p for p in sparse)
    syntax = dx.check_template(_template_with(tmp_path, "{{ title ", name="syntax.docx"))
    assert any("语法错误" in p for p in syntax)
    text = tmp_path / "a.docx"
    text.write_text("hello", encoding="utf-8")
    assert "不是 Word 文档" in dx.check_template(text)[0]
    corrupt = tmp_path / "corrupt.docx"
    data = dx.default_template().read_bytes()
    corrupt.write_bytes(data[: len(data) // 2])
    assert dx.check_template(corrupt)
    assert "找不到模板文件" in dx.check_template(tmp_path / "none.docx")[0]


HOSTILE = [
    "{{ title.__class__.__mro__[1].__subclasses__() }}",
    "{{ v.__class__ }}",
    "{{ sections.s1[0].runs.__init__.__globals__ }}",
    "{{ title|attr('__class__') }}",
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}",
    "{{ 'x' * 1000000000 }}",
    "{{ 9 ** 9 ** 9 }}",
    "{{ '%999999999d' % 1 }}",
    "{% set x = 'x' %}{% set x = x ~ x %}",
    "{{ title.format(title) }}",
    "{{ title|center(999999999) }}",
    "{% autoescape false %}{{ title }}{% endautoescape %}",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_templates_are_refused_and_nothing_written(tmp_path, load_fixture, hostile):
    tpl = _template_with(tmp_path, hostile)
    assert dx.check_template(tpl)  # the checker names the problem before anything runs
    target = tmp_path / "out.docx"
    with pytest.raises(TemplateProblem) as err:
        export_report(load_fixture("wuzhong-minzheng-2023"), target, template=tpl)
    assert err.value.problems
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [tpl]


@pytest.mark.parametrize("source", [
    "{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}{{ k }}"
    "{% endfor %}{% endfor %}{% endfor %}",
    "{% for i in range(n) %}{% endfor %}",
])
def test_loops_that_pass_the_checker_are_bounded_at_render(tmp_path, load_fixture, source):
    tpl = _template_with(tmp_path, source.replace("range(n)", "range(meta.year|int)"))
    target = tmp_path / "out.docx"
    with pytest.raises(ExportError, match="步|range"):
        export_report(load_fixture("wuzhong-minzheng-2023"), target, template=tpl)
    assert not target.exists()


def test_templates_with_active_content_are_refused(tmp_path, load_fixture):
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement
    report = load_fixture("wuzhong-minzheng-2023")
    # a field that reads a file when the document is opened in Word
    doc = Document(str(dx.default_template()))
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), 'INCLUDETEXT "C:\\\\机密\\\\名单.docx"')
    doc.add_paragraph()._p.append(fld)
    field_tpl = tmp_path / "field.docx"
    doc.save(str(field_tpl))
    # a picture fetched from the web
    doc = Document(str(dx.default_template()))
    doc.part.relate_to("http://example.com/beacon.png", RT.IMAGE, is_external=True)
    web_tpl = tmp_path / "web.docx"
    doc.save(str(web_tpl))
    # macros smuggled into the package
    macro_tpl = tmp_path / "macro.docx"
    shutil.copy(dx.default_template(), macro_tpl)
    with zipfile.ZipFile(macro_tpl, "a") as z:
        z.writestr("word/vbaProject.bin", b"\x00" * 64)
    for tpl, words in ((field_tpl, "INCLUDETEXT"), (web_tpl, "example.com"), (macro_tpl, "宏")):
        problems = dx.check_template(tpl)
        assert any(words in p for p in problems), (tpl.name, problems)
        with pytest.raises(TemplateProblem):
            export_report(report, tmp_path / "out.docx", template=tpl)
        assert not (tmp_path / "out.docx").exists()


@pytest.mark.parametrize("source", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ v.__class__.__init__.__globals__ }}",
    "{{ 'x' * 1000000000 }}",
    "{{ '%999999999d' % 1 }}",
    "{{ 'a'.format(1) }}",
    "{{ 2 ** 100000 }}",
])
def test_sandbox_blocks_what_the_checker_would_refuse(source):
    """Second line of defence: the render environment itself refuses these even without the checker."""
    from jinja2.exceptions import SecurityError, TemplateError
    env = dx._sandbox()
    with pytest.raises((SecurityError, TemplateError)):
        env.from_string(source).render(v={}, title="x")


def test_sandbox_has_no_loader_for_includes():
    from jinja2.exceptions import TemplateError
    env = dx._sandbox()
    with pytest.raises((TemplateError, TypeError)):
        env.from_string("{% include '/etc/passwd' %}").render()


def test_runaway_template_is_stopped_and_nothing_written(tmp_path, load_fixture):
    """Nested loops pass the checker (loops are allowed) but the render's step budget stops them."""
    report = load_fixture("wuzhong-minzheng-2023")
    tpl = _template_with(tmp_path, "{% for a in text.s1 %}{% for b in text.s1 %}{% for c in text.s1 %}"
                                   "{% endfor %}{% endfor %}{% endfor %}")
    assert dx.check_template(tpl) == []
    target = tmp_path / "out.docx"
    with pytest.raises(ExportError, match="步"):
        export_report(report, target, template=tpl)
    assert not target.exists()
    # the interpreter is fine afterwards: a normal export still works
    export_report(report, target)
    assert od.read_embedded(target) is not None


def test_template_from_an_exported_document_is_refused(exported, tmp_path):
    _, path = exported["weihui-minzheng-2022"]
    copy = tmp_path / "copy.docx"
    shutil.copy(path, copy)
    problems = dx.check_template(copy)
    assert any("缺少" in p for p in problems)
