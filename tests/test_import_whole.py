"""Last year's report comes in whole: every shape, nothing lost, duplicated or reworded.

Each test builds a document of the shape a clerk meets (a WPS-exported PDF, text copied off a page, …) from a
hand-typed fixture and checks that what the office wrote arrives where it belongs."""
import sys

import pytest

from app.documents import open_report
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tests"))
from fuzz.docs import text_from_report
from wps_like import wps_like_pdf

FIX = ROOT / "tests" / "fixtures"


def _strip(s: str) -> str:
    return "".join(s.split())


@pytest.fixture(scope="module")
def wuzhong():
    return open_report(FIX / "wuzhong-minzheng-2023.nianbao")


@pytest.fixture(scope="module")
def wps_pdf(wuzhong, tmp_path_factory):
    text = text_from_report(wuzhong).replace("**", "") + "\n吴忠市民政局\n2024年1月22日\n"
    return wps_like_pdf(text, tmp_path_factory.mktemp("wps") / "wuzhong-wps.pdf",
                        right_aligned=("吴忠市民政局", "2024年1月22日"))


def test_wps_pdf_white_boxes_are_not_tables(wps_pdf, wuzhong):
    """WPS paints a white box behind every line; they are not table rulings: 一, 五 and 六 arrive whole."""
    report = open_report(wps_pdf)
    for sid in ("s1", "s5", "s6"):
        assert _strip(report.sections[sid]) == _strip(wuzhong.sections[sid].replace("**", "")), sid
    for cid in wuzhong.format.cells:
        assert report.values.get(cid) == wuzhong.values.get(cid), cid
    assert (report.meta.organ, report.meta.year, report.meta.date) == ("吴忠市民政局", 2023, "2024-01-22")
    assert "没有框线" not in " ".join(report.extra.get("import_notes", []))


def test_wps_table_over_the_page_keeps_its_last_row(tmp_path, wuzhong):
    """A table going on over the page has no ruling under its last row on the first page (WPS); the row is kept."""
    import pdfplumber

    from app.importers.pdf import find_tables
    text = text_from_report(wuzhong).replace("**", "")
    pdf = wps_like_pdf(text, tmp_path / "w.pdf")
    with pdfplumber.open(str(pdf)) as doc:
        tables = [(p.page_number, t) for p in doc.pages for t in find_tables(p)]
        rows = sum(len(t.rows) for _, t in tables)
        pages_of_t3 = {n for n, t in tables if any("申请" in (c or "") or "不予" in (c or "")
                                                   for r in t.extract() for c in r)}
    assert len(pages_of_t3) == 2, "the fixture's table 3 must go over a page for this test"
    # table 2: 4 block headers, 4 header rows, 6 rows; table 3: 3 header rows, 26 rows; table 4: 3 rows
    assert rows == 14 + 29 + 3


# ------------------------------------------------------------------------------------------------------------------
# text copied off a page: the shape of 台儿庄区民政局's report (title without organ, opening naming it, closing and
# a "— 3 —" page number at the end, a sentence broken over two lines, a date in Chinese numerals)

OPENING = ("根据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府"
           "信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求，现向社会公布台儿庄区民政局2023年度政府信息"
           "公开工作年度报告。本报告电子版可在台儿庄区人民政府网站（www.tez.gov.cn）查阅。")


def page_text(report, title="2023年度政府信息公开工作年度报告", opening=OPENING,
              closing=("台儿庄区民政局", "2024年1月16日", "— 3 —")) -> str:
    """The fixture as text copied off a page, its title, opening and closing replaced."""
    body = text_from_report(report).replace("**", "").split("\n")
    while body and body[-1].strip() in ("", report.meta.organ) or (body and "2024年1月16日" in body[-1]):
        body.pop()
    return "\n".join([title, "", opening, ""] + body[1:] + [""] + list(closing)) + "\n"


def _import_text(tmp_path, text, name="r.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return open_report(p)


def test_closing_and_page_number_do_not_land_in_six(tmp_path, wuzhong):
    report = _import_text(tmp_path, page_text(wuzhong))
    assert report.sections["s6"] == wuzhong.sections["s6"].replace("**", "")
    assert "— 3 —" not in report.sections["s6"] and "台儿庄区民政局" not in report.sections["s6"]
    assert report.meta.date == "2024-01-16"
    account = report.import_account
    assert ("页码", "— 3 —") in account.furniture
    assert "页码 1 处" in account.summary() and "落款" in account.summary()


def test_page_number_inside_a_section_is_furniture(tmp_path, wuzhong):
    text = page_text(wuzhong).replace("（三）政府信息管理情况。", "— 2 —\n（三）政府信息管理情况。", 1)
    report = _import_text(tmp_path, text)
    assert "— 2 —" not in report.sections["s1"]
    assert report.sections["s1"] == wuzhong.sections["s1"].replace("**", "")


def test_the_offices_opening_is_kept_as_written(tmp_path, wuzhong):
    report = _import_text(tmp_path, page_text(wuzhong))
    assert report.meta.opening == OPENING
    assert OPENING[:20] not in report.sections["s1"]


def test_the_standard_opening_stays_standard(tmp_path, wuzhong):
    from app.textutil import standard_opening
    text = page_text(wuzhong, title="吴忠市民政局2023年政府信息公开工作年度报告",
                     opening=standard_opening("吴忠市民政局", 2023))
    report = _import_text(tmp_path, text)
    assert report.meta.opening == ""  # "" prints the standard wording from organ and year


def test_organ_named_only_in_the_opening(tmp_path, wuzhong):
    report = _import_text(tmp_path, page_text(wuzhong))
    assert report.meta.organ == "台儿庄区民政局"
    assert "meta.organ" in report.review


def test_organ_named_only_in_the_closing(tmp_path, wuzhong):
    opening = "根据《中华人民共和国政府信息公开条例》要求，编制本报告。"
    report = _import_text(tmp_path, page_text(wuzhong, opening=opening,
                                              closing=("台儿庄区民政局", "2024年1月16日")))
    assert report.meta.organ == "台儿庄区民政局"


def test_organ_named_only_in_the_contact_line(tmp_path, wuzhong):
    opening = "根据《条例》要求编制本报告。如对本报告有疑问，请与台儿庄区民政局办公室联系（电话：0632-6611111）。"
    report = _import_text(tmp_path, page_text(wuzhong, opening=opening, closing=("2024年1月16日",)))
    assert report.meta.organ == "台儿庄区民政局"


@pytest.mark.parametrize("written", ["二〇二四年一月二十二日", "二○二四年一月二十二日", "二O二四年元月二十二日"])
def test_closing_date_in_chinese_numerals(tmp_path, wuzhong, written):
    report = _import_text(tmp_path, page_text(wuzhong, closing=("台儿庄区民政局", written)))
    assert report.meta.date == "2024-01-22"
    assert written not in report.sections["s6"]


def test_sentence_broken_over_two_lines_is_joined(tmp_path, wuzhong):
    broken = ("（三）政府信息管理情况。我局转发了《关于印发<以旧换新家电改造“焕新”\n"
              "工作补贴实施方案>的通知》，确立由本机关主要负责同志负总责的工作机制。")
    text = page_text(wuzhong).replace("（三）政府信息管理情况。", broken, 1)
    report = _import_text(tmp_path, text)
    assert "家电改造“焕新”工作补贴实施方案>的通知》，确立" in report.sections["s1"]
    assert len(report.import_account.joins) == 1
    assert "已合并断行 1 处" in report.import_account.summary()


def test_sentence_broken_over_two_paragraphs_in_html(tmp_path, wuzhong):
    from fuzz.docs import html_from_report
    before = "（三）政府信息管理情况。确立由本机关"
    page = html_from_report(wuzhong).replace(before, before + "主要</p><p>负责同志负总责、由本机关", 1)
    assert "主要</p><p>负责" in page
    p = tmp_path / "r.html"
    p.write_text(page, encoding="utf-8")
    report = open_report(p)
    assert "确立由本机关主要负责同志负总责" in report.sections["s1"]
    assert report.import_account.joins


@pytest.mark.parametrize("fee", ["24252.311082", "5949.088667", "4166.241619"])
def test_fee_written_to_the_fen_is_kept_and_printed_as_written(tmp_path, wuzhong, fee):
    from decimal import Decimal

    from docx import Document

    from app import project
    from app.export.docx import write_docx
    from app.rules import check
    text = page_text(wuzhong).replace("行政事业性收费\t0", f"行政事业性收费\t{fee}", 1)
    assert fee in text
    report = _import_text(tmp_path, text)
    assert report.values["t2.fees.amount"] == Decimal(fee)
    assert "t2.fees.amount" not in report.review
    assert not [f for f in check(report) if "t2.fees.amount" in f.cells]
    project.save(report, tmp_path / "r.nianbao")
    again = project.load(tmp_path / "r.nianbao")
    assert str(again.values["t2.fees.amount"]) == fee
    write_docx(again, tmp_path / "r.docx")
    cells = [c.text for t in Document(str(tmp_path / "r.docx")).tables for row in t.rows for c in row.cells]
    assert fee in cells


def test_old_one_row_other_processing_goes_to_3_other_with_a_note(tmp_path, wuzhong):
    """A 2021-format report that kept the old one-row （六）其他处理: its cells go to 3.其他, marked, never dropped."""
    import re

    from app.rules import ERROR, check
    lines = page_text(wuzhong).split("\n")
    out = []
    for ln in lines:
        cells = ln.split("\t")
        if "（六）其他处理" in ln:
            out.append("\t（六）其他处理\t\t2\t0\t0\t0\t0\t0\t2")
            continue
        if len(cells) > 3 and re.match(r"[123]\.(申请人|其他$)", cells[2] if len(cells) > 2 else ""):
            continue  # the three sub-rows are not in this report
        if "（七）总计" in ln or "一、本年新收政府信息公开申请数量" in ln:
            ln = ln.replace("\t1\t0\t0\t0\t0\t0\t1", "\t3\t0\t0\t0\t0\t0\t3")
        out.append(ln)
    text = "\n".join(out)
    assert text.count("（六）其他处理") == 1 and "3.其他" not in text
    report = _import_text(tmp_path, text)
    assert report.values["t3.other.other.natural"] == 2 and report.values["t3.other.other.total"] == 2
    assert "（六）其他处理" in report.review["t3.other.other.natural"]
    for sub in ("no_correction", "unpaid_fee"):
        assert report.values.get(f"t3.other.{sub}.natural") is None  # not in the original: blank, never invented
        assert "补填" in report.review[f"t3.other.{sub}.natural"]
    assert not [f for f in check(report) if f.severity == ERROR and f.rule.startswith("T3.")]
    assert any("（六）其他处理" in n for n in report.extra["import_notes"])


@pytest.mark.parametrize("written", ["存在的主要问题和改进情况",  # Word's automatic numbering is not in the text
                                     "五、存在的主要问题和改进情况", "五、存在的不足及改进措施"])
def test_heading_edited_in_word_keeps_its_section(tmp_path, written):
    import random

    from docx import Document
    from fuzz.docs import docx_from_report, random_report
    report = random_report(random.Random(11), organ="某某镇人民政府", year=2023)
    path = docx_from_report(report, tmp_path / "r.docx")
    doc = Document(str(path))
    for p in doc.paragraphs:
        if p.text == "五、存在的主要问题及改进情况":
            p.text = written
    doc.save(str(path))
    got = open_report(path)
    assert got.sections["s5"] == report.sections["s5"]
    assert any(written in n and "五、存在的主要问题及改进情况" in n for n in got.extra["import_notes"])


def test_crawler_text_with_cells_run_together_says_what_is_wrong(tmp_path, wuzhong):
    """A crawler's text runs a table row's cells together ("行政规范性文件001"): say so and what to do."""
    from app.documents import OpenError
    lines = [ln.replace("\t", "") if "\t" in ln else ln for ln in page_text(wuzhong).split("\n")]
    text = "\n".join(lines)
    assert "行政规范性文件001" in text
    p = tmp_path / "crawled.txt"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(OpenError) as e:
        open_report(p)
    msg = str(e.value)
    import re
    assert "连在了一起" in msg and re.search(r"例如“[^”]*\d{3,}”", msg)
    assert "另存为" in msg and "复制时包含了表格" not in msg


def test_import_command_shows_the_account(tmp_path, wuzhong):
    import subprocess
    src = tmp_path / "last.txt"
    src.write_text(page_text(wuzhong), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "app.cli", "import", str(src), "-o", str(tmp_path / "r.nianbao")],
                         cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert out.returncode in (0, 1), out.stderr
    assert "已全部归位" in out.stdout
    assert "已略去：页码 1 处" in out.stdout and "“— 3 —”" in out.stdout
    assert "落款" in out.stdout


def test_sub_row_numbered_with_a_comma_stop(tmp_path, wuzhong):
    """"3、其他" (the numbering's stop typed as 、, as 淮安市人民政府's 2024 table prints it) is the row 3.其他."""
    text = page_text(wuzhong).replace("\t3.其他\t0\t0\t0\t0\t0\t0\t0", "\t3、其他\t5\t0\t0\t0\t0\t0\t5", 1)
    text = text.replace("（七）总计\t\t1\t0\t0\t0\t0\t0\t1", "（七）总计\t\t6\t0\t0\t0\t0\t0\t6")
    assert "3、其他\t5" in text
    report = _import_text(tmp_path, text)
    assert report.values["t3.other.other.natural"] == 5 and report.values["t3.other.other.total"] == 5


def test_real_crawler_text_is_refused_with_what_is_wrong():
    """平潭综合实验区's 2024 report as a site crawler saved it: the whole body on one line, the table cells run
    together ("行政规范性文件6233440")."""
    from app.documents import OpenError
    with pytest.raises(OpenError) as e:
        open_report(FIX / "real" / "crawled" / "pingtan-2024.txt")
    msg = str(e.value)
    assert "连在了一起" in msg and "另存为" in msg and "复制时包含了表格" not in msg


def test_page_date_and_index_of_a_saved_page_are_read(tmp_path, wuzhong):
    """A saved page states 发布日期 and 索引号 above the report: read (for the deadline check), left out of the text."""
    text = "索引号：11350128MB1234567X/2024-00012\n发布日期：2024-01-19\n首页 > 政务公开 > 年报\n" + page_text(wuzhong)
    report = _import_text(tmp_path, text)
    assert report.extra["published"] == "2024-01-19" and report.extra["index_no"] == "11350128MB1234567X/2024-00012"
    assert "发布日期" not in report.meta.opening and "发布日期" not in report.sections["s1"]
    assert report.import_account.balanced()
    assert any(k == "网页信息（索引号、公开日期等）" and "发布日期" in t for k, t in report.import_account.furniture)


def test_a_sentence_ending_with_a_date_is_no_closing(tmp_path, wuzhong):
    last = "本报告所列数据的统计期限自2023年1月1日至2023年12月31日"
    report = _import_text(tmp_path, page_text(wuzhong, closing=(last,)))
    assert report.sections["s6"].endswith(last)
    assert report.meta.date == ""


def test_pdf_of_one_line_paragraphs_keeps_title_and_headings_apart(tmp_path):
    """Where every paragraph is one line, nothing is indented against the others: a line that runs to the margin
    is not joined with a next line that opens with a numbering (the title with 一、, （二） with （三）)."""
    import random

    from fuzz.docs import random_report
    want = random_report(random.Random(1001), organ="某某市人力资源和社会保障局", year=2022)
    pdf = wps_like_pdf(text_from_report(want).replace("**", ""), tmp_path / "r.pdf",
                       header="某某市人力资源和社会保障局政府信息公开工作年度报告")
    got = open_report(pdf)
    assert (got.meta.organ, got.meta.year) == (want.meta.organ, want.meta.year)
    for sid in ("s1", "s5", "s6"):
        assert got.sections[sid] == want.sections[sid], sid


def test_website_chrome_around_a_saved_page_stays_out_of_the_report(tmp_path, wuzhong):
    """A saved page has the site's navigation above the report and its footer (主办单位, 网站标识码, ICP备…) below:
    neither lands in the opening or in 六; both are listed as left out."""
    from fuzz.docs import html_from_report
    page = html_from_report(wuzhong)
    nav = "<div>首页</div><div>政务公开</div><div>政府信息公开年报</div><div>发布时间：2024-01-20 09:30</div>"
    foot = ("<div>吴忠市民政局</div><div>2024年1月16日</div><div>【打印本页】【关闭窗口】</div>"
            "<div>主办单位：吴忠市民政局 网站标识码：6403000001</div><div>宁ICP备05000001号</div>")
    widgets = ("<div>来源：吴忠市民政局</div><div>时间：2024-01-20 09:30</div><div>微信</div><div>微博</div>"
               "<div>【打印】</div>")
    page = page.replace("<body>", "<body>" + nav, 1).replace("</body>", foot + "</body>", 1)
    assert "年度报告</h1>" in page
    page = page.replace("年度报告</h1>", "年度报告</h1>" + widgets, 1)
    assert "<div>【打印本页】" in page
    foot_links = "".join(f"<div>{x}</div>" for x in ("附件下载", "扫一扫在手机上查看当前页面", "友情链接", "人民网"))
    page = page.replace("<div>【打印本页】", foot_links + "<div>【打印本页】", 1)
    assert "网站标识码" in page and "政府信息公开年报</div>" in page
    p = tmp_path / "r.html"
    p.write_text(page, encoding="utf-8")
    report = open_report(p)
    assert report.sections["s6"] == wuzhong.sections["s6"].replace("**", "")
    assert "首页" not in report.meta.opening and "微信" not in report.meta.opening and "来源" not in report.meta.opening
    account = report.import_account
    assert account.balanced()
    kinds = {k for k, _ in account.furniture}
    assert "网页页尾" in kinds and "标题前的网页栏目等" in kinds
    assert report.meta.date == "2024-01-16" and report.extra["published"] == "2024-01-20"
