"""整改通知 and 通报 as documents: their numbering, titles, reply deadline, years, scoring and the reports whose
organ is unknown (real DOCX/XLSX written by the command line and read back; one rendering with LibreOffice)."""
import shutil
import subprocess

import pytest
from docx import Document
from openpyxl import load_workbook

from app import project
from app.cli import main
from app.document import text_width
from app.export import typeset as T
from app.export.notices import title_lines
from conftest import ROOT
from reviewhelp import untitled_page

FIX = ROOT / "tests" / "fixtures"
UNTITLED = "shanghai-untitled-2025.md"  # a real page whose title does not name its organ (reviewhelp)
OFFICE = "某某市人民政府办公室"


def _folder(tmp_path, with_unknown=True):
    folder = tmp_path / "报送"
    folder.mkdir()
    r = project.load(FIX / "wuzhong-minzheng-2023.nianbao")
    r.values["t3.granted.natural"] = 5  # table errors
    r.values["t4.review.upheld"] = 3  # 表四
    r.meta.date = "2024-02-20"  # late
    r.sections["s5"] = ""  # a section missing
    project.save(r, folder / "wuzhong.nianbao")
    for bak in folder.glob("*.bak"):
        bak.unlink()
    for name in ("weihui-minzheng-2022.nianbao", "pingqiao-minzheng-2024.nianbao"):
        shutil.copy(FIX / name, folder / name)
    if with_unknown:
        untitled_page(folder / UNTITLED)
    return folder


def _paras(path):
    return [p.text for p in Document(path).paragraphs]


def test_notice_numbering_is_never_nested_and_deadline_is_optional(tmp_path):
    folder = _folder(tmp_path, with_unknown=False)
    out = tmp_path / "通知"
    assert main(["review", str(folder), "--notices", str(out), "--office", OFFICE, "--date", "2026-02-10"]) == 1
    (f,) = out.glob("*.docx")
    paras = _paras(f)
    heads = [p for p in paras if p.startswith("（") and p.endswith(("（错误）", "（提醒）"))]
    assert len(heads) >= 4
    import re
    for h in heads:  # "（一）四、…" read as two levels of the notice's own numbering
        assert not re.match(r"^（[一二三四五六七八九十]+）[一二三四五六七八九十]+、", h), h
    assert any(h.endswith("表三自然人列「（一）予以公开」（错误）") for h in heads), heads
    assert any("表四「行政复议·结果维持」" in h for h in heads), heads
    assert any("第五部分（存在的主要问题及改进情况）" in h for h in heads), heads
    assert any("请逐项核实整改后重新报送。" in p for p in paras)  # no deadline given, none invented

    out2 = tmp_path / "通知2"
    main(["review", str(folder), "--notices", str(out2), "--office", OFFICE, "--date", "2026-02-10",
          "--reply-by", "2026-02-24"])
    (f,) = out2.glob("*.docx")
    assert any("并于2026年2月24日前将整改后的报告重新报送。" in p for p in _paras(f))
    assert main(["review", str(folder), "--notices", str(out2), "--reply-by", "2月24日", "--overwrite"]) == 2


@pytest.mark.parametrize("organ", ["吴忠市民政局", "沭阳县发展和改革局", "江苏省宿迁市沭阳县住房和城乡建设局",
                                   "中华人民共和国某某部某某司某某处某某科某某中心某某站某某所某某队"])
def test_title_breaks_only_between_words(organ):
    words = ["关于" + organ, "2025年度", "政府信息公开", "工作年度报告的整改通知"]
    lines = title_lines(words)
    assert "".join(lines) == "".join(words)
    for line in lines:
        assert text_width(line, T.TITLE_PT) <= T.TITLE_CHARS * T.TITLE_PT + 1e-6, line
    if len(organ) < T.TITLE_CHARS - 2:  # an organ name that fits is never cut: only word boundaries
        bounds = {sum(len(w) for w in words[:k]) for k in range(1, len(words))}
        cuts = [sum(len(x) for x in lines[:k]) for k in range(1, len(lines))]
        assert set(cuts) <= bounds, lines


def test_bulletin_years_scoring_and_unknown_organ(tmp_path):
    folder = _folder(tmp_path)
    out = tmp_path / "通报.docx"
    main(["review", str(folder), "--bulletin", str(out), "--office", OFFICE, "--date", "2026-02-10"])
    paras = _paras(out)
    title = paras[0].replace("\n", "")
    assert title == "关于2022、2023、2024、2025年度政府信息公开工作年度报告审核情况的通报", title
    body = "\n".join(paras)
    assert "其中2022年度1份、2023年度1份、2024年度1份、2025年度1份" in body
    # the assessment's rule (scoring.json): a category deducts once, whatever its number of findings — said
    assert "每类问题只扣一次，与该类问题的处数无关" in body
    assert "未识别出机关名称，未列入排名" in body and UNTITLED in body
    table = Document(out).tables[0]
    for row in table.rows[1:]:  # a ranking row is never split over two pages
        assert row._tr.trPr is not None and row._tr.trPr.xpath("./w:cantSplit")
    header = [c.text for c in table.rows[0].cells]
    assert header[:3] == ["排名", "单位", "年度"]
    ranked = [row.cells[1].text for row in table.rows[1:]]
    assert len(ranked) == 3 and not any("shanghai" in x or "未识别" in x for x in ranked), ranked

    xlsx = tmp_path / "通报.xlsx"
    main(["review", str(folder), "--bulletin", str(xlsx), "--office", OFFICE, "--date", "2026-02-10"])
    wb = load_workbook(xlsx)
    assert not any("shanghai" in str(c.value) for c in wb["排名"]["B"])
    rows = [[c.value for c in r] for r in wb["未按时与未提交"].iter_rows()]
    assert ["未识别机关（未列入排名）", UNTITLED] in rows


def test_bulletin_of_one_year_says_that_year(tmp_path):
    folder = tmp_path / "报送"
    folder.mkdir()
    for name in ("weihui-minzheng-2022.nianbao",):
        shutil.copy(FIX / name, folder / name)
    out = tmp_path / "通报.docx"
    main(["review", str(folder), "--bulletin", str(out), "--date", "2026-02-10"])
    assert _paras(out)[0].replace("\n", "") == "关于2022年度政府信息公开工作年度报告审核情况的通报"
    assert [c.text for c in Document(out).tables[0].rows[0].cells][2] == "得分"  # no 年度 column for one year


@pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftotext"), reason="needs LibreOffice, poppler")
def test_rendered_closing_and_title(tmp_path):
    """As LibreOffice prints them: the office and the date on one page; the title's lines whole words."""
    folder = _folder(tmp_path)
    notices, bulletin = tmp_path / "通知", tmp_path / "通报.docx"
    main(["review", str(folder), "--notices", str(notices), "--bulletin", str(bulletin), "--office", OFFICE,
          "--date", "2026-02-10", "--reply-by", "2026-02-24"])
    files = [*notices.glob("*.docx"), bulletin]
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "pdf"), *map(str, files)], check=True, timeout=300,
                   capture_output=True)
    for f in files:
        pdf = tmp_path / "pdf" / (f.stem + ".pdf")
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        pages = text.split("\f")
        (page,) = [p for p in pages if "2026年2月10日" in p.replace(" ", "")]
        assert OFFICE in page.replace(" ", ""), f.name
        first = [ln.strip().replace(" ", "") for ln in pages[0].splitlines() if ln.strip()]
        assert first[0].startswith("关于") and not first[0].endswith("工"), first[:2]


def test_tables_not_found_wait_for_the_reviewer(tmp_path):
    """A report whose tables the reader did not find (missing, or pictures): TABLE.MISSING is 待核对, not in the
    notice until the reviewer has looked at the original and confirmed it."""
    from app.export.notices import notice_docx
    from app.review import CONFIRMED, Review
    from test_reviewer_checks import _without_tables
    folder = tmp_path / "报送"
    folder.mkdir()
    (folder / "卫辉.txt").write_text(_without_tables("weihui-minzheng-2022"), encoding="utf-8")
    review = Review.read(folder, jobs=1)
    (e,) = review.entries
    held = [f for f, why in review.held_findings(e) if f.rule == "TABLE.MISSING" and "图片" in why]
    assert len(held) == 3 and not [f for f in review.notice_findings(e) if f.rule == "TABLE.MISSING"]
    review.decide(e, held[0], CONFIRMED, "原文表二为图片")
    text = "\n".join(p.text for p in Document(__import__("io").BytesIO(
        notice_docx(review, e, OFFICE, "2026-02-10"))).paragraphs)
    assert text.count("表格缺失或为图片") == 1 and "原文表二为图片" in text


def test_bulletin_of_only_doubtful_findings_does_not_say_all_is_well(tmp_path):
    """A folder whose only report is the badly read one: the bulletin never says 未发现需要整改的问题 while its
    findings wait for the reviewer, and prints no empty ranking table."""
    from app.review import Review
    folder = tmp_path / "报送"
    folder.mkdir()
    untitled_page(folder / UNTITLED)
    (e,) = Review.read(folder, jobs=1).entries
    waiting = len(e.findings)  # nothing dismissed: every finding waits (its organ is unknown)
    out = tmp_path / "通报.docx"
    main(["review", str(folder), "--bulletin", str(out), "--date", "2026-02-10"])
    body = "\n".join(_paras(out))
    assert "未发现需要整改的问题" not in body and "尚无已核定的问题" in body
    assert f"另有{waiting}处问题尚待审核人员对照原文核对" in body and "暂无可排名的报告" in body
    assert Document(out).tables == []
    xlsx = tmp_path / "通报.xlsx"
    main(["review", str(folder), "--bulletin", str(xlsx), "--date", "2026-02-10"])
    said = [str(c.value) for c in load_workbook(xlsx)["分类统计"]["A"]]
    assert any(f"另有{waiting}处问题尚待审核人员对照原文核对" in x for x in said)


def test_notice_never_speaks_of_this_program(tmp_path):
    """The 2021-format heading hint tells our clerk "（本程序导出的文件用的就是这些标题）"; a notice goes to an organ
    that may never have used the program: the aside is left out there (the desk shows the message whole)."""
    folder = tmp_path / "报送"
    folder.mkdir()
    shutil.copy(FIX / "real" / "docs" / "shuyang-fagaiju-2023.html", folder / "shuyang.html")
    out = tmp_path / "通知"
    main(["review", str(folder), "--notices", str(out), "--date", "2026-02-10"])
    (f,) = out.glob("*.docx")
    text = "\n".join(_paras(f))
    assert "应使用2021年格式" in text and "本程序" not in text
