"""What the reviewing office sends out and sums: 整改通知 (one DOCX per organ, read back with python-docx), the
通报 (DOCX and XLSX), reviewer workbooks that print (A4 landscape, fit to width, header repeated, page numbers),
and ``nianbao sum FILE… -o 汇总.nianbao`` (exact decimals, 不适用 as 0 and said so, arithmetic kept)."""
import json
import random
import shutil
import subprocess
import time
from decimal import Decimal

import pytest
from docx import Document
from docx.shared import Mm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from app import project
from app.cli import main
from app.export.xlsx import render_xlsx
from app.importers.own_xlsx import read_xlsx
from app.review import Review, sum_reports
from app.rules import ERROR, check
from app.values import NA
from fuzz.docs import random_report
from reviewhelp import realistic_report, save


def _folder(tmp_path):
    d = tmp_path / "年报"
    d.mkdir()
    t0 = time.time() - 1000
    rng = random.Random(5)
    good = realistic_report(rng, "淮安市民政局", 2024)
    save(good, d / "民政.nianbao", t0)
    edu = realistic_report(rng, "淮安市教育局", 2024)
    edu.values["t3.new.natural"] = edu.values["t3.new.natural"] + 1
    edu.sources["t3.new.natural"] = "表三 第4行 第2列（原文“12”）"
    save(edu, d / "教育.nianbao", t0)
    late = realistic_report(rng, "淮安市水利局", 2024)
    late.meta.date = "2025-03-01"
    save(late, d / "水利.nianbao", t0)
    roster = tmp_path / "名单.txt"
    roster.write_text("淮安市民政局\n淮安市教育局\n淮安市水利局\n淮安市卫生健康委员会\n", encoding="utf-8")
    return d, roster


def _text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def test_notices_one_per_organ_with_open_findings(tmp_path, capsys):
    d, roster = _folder(tmp_path)
    out = tmp_path / "通知"
    review = Review.read(d)
    mz = next(e for e in review.entries if e.path.name == "民政.nianbao")
    for f in list(mz.findings):  # the reviewer dismisses everything of 民政局: no notice for it
        review.decide(mz, f, "dismissed", "已核实")
    rc = main(["review", str(d), "--notices", str(out), "--office", "淮安市人民政府办公室", "--date", "2025-02-10"])
    assert rc == 1, capsys.readouterr()  # 教育局's error is open
    names = sorted(p.name for p in out.iterdir())
    assert names == ["整改通知-淮安市教育局2024年度.docx", "整改通知-淮安市水利局2024年度.docx"]
    doc = Document(out / "整改通知-淮安市教育局2024年度.docx")
    paras = [p.text for p in doc.paragraphs if p.text.strip()]
    # the title broken between words (after the organ and year), never inside one
    assert paras[0] == "关于淮安市教育局2024年度\n政府信息公开工作年度报告的整改通知"
    assert paras[1] == "淮安市教育局："  # addressed to the organ at the top
    text = "\n".join(paras)
    entry = next(e for e in Review.read(d).entries if e.path.name == "教育.nianbao")
    balance = next(f for f in entry.findings if f.severity == ERROR and "t3.new.natural" in f.cells)
    assert balance.message in text
    # the page of the finding, under the notice's numbering, and the cell's label
    assert ("位置：第三部分（收到和处理政府信息公开申请情况），"
            "「一、本年新收政府信息公开申请数量·申请人情况·自然人」") in text
    assert "应为：" in text and "实为：" in text
    assert "原文位置：表三 第4行 第2列（原文“12”）" in text  # where in the source it was read
    assert paras[-2:] == ["淮安市人民政府办公室", "2025年2月10日"]
    sec = doc.sections[0]  # GB/T 9704 page
    assert abs(sec.top_margin - Mm(37)) < Mm(0.5) and abs(sec.left_margin - Mm(28)) < Mm(0.5)
    body = next(p for p in doc.paragraphs if p.text.startswith("问题："))
    assert body.runs[0].font.name == "仿宋_GB2312" and body.runs[0].font.size.pt == 16
    assert doc.paragraphs[0].runs[0].font.name == "方正小标宋简体"
    footer = doc.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "—" in footer
    late = _text(Document(out / "整改通知-淮安市水利局2024年度.docx"))
    assert "不按时发布" in late and "成文日期" in late
    # again without --overwrite: refused, nothing replaced
    before = (out / "整改通知-淮安市教育局2024年度.docx").read_bytes()
    assert main(["review", str(d), "--notices", str(out)]) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert (out / "整改通知-淮安市教育局2024年度.docx").read_bytes() == before


def test_bulletin_docx_and_xlsx(tmp_path, capsys):
    d, roster = _folder(tmp_path)
    rc = main(["review", str(d), "--roster", str(roster), "--bulletin", str(tmp_path / "通报.docx"),
               "--office", "淮安市政务公开办", "--date", "2025-02-20"])
    assert rc == 1
    text = _text(Document(tmp_path / "通报.docx"))
    assert "关于2024年度政府信息公开\n工作年度报告审核情况的通报" in text
    assert "名单内应报送4家，共收到年度报告3份" in text
    assert "未按时发布：淮安市水利局。" in text  # late organs named
    assert "未提交：淮安市卫生健康委员会。" in text  # missing organs named
    assert "未按要素编制" in text and "未按时发布：1份报告" in text  # counts per category
    rows = [[c.text for c in r.cells] for r in Document(tmp_path / "通报.docx").tables[0].rows]
    assert rows[0][:3] == ["排名", "单位", "得分"] and rows[1][1] == "淮安市民政局" and rows[1][0] == "1"
    assert [r[1] for r in rows[1:]][-1] in ("淮安市教育局", "淮安市水利局")
    assert main(["review", str(d), "--roster", str(roster), "--bulletin", str(tmp_path / "通报.xlsx")]) == 1
    wb = load_workbook(tmp_path / "通报.xlsx")
    assert wb.sheetnames == ["排名", "分类统计", "未按时与未提交"]
    assert ["未提交", "淮安市卫生健康委员会"] in [list(r) for r in wb["未按时与未提交"].iter_rows(values_only=True)]
    for ws in wb.worksheets:
        _prints_properly(ws)
    assert main(["review", str(d), "--bulletin", str(tmp_path / "通报.pdf")]) == 2


def _prints_properly(ws):
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$1"
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text


def test_check_summary_workbook_prints_properly(tmp_path):
    d, _ = _folder(tmp_path)
    main(["check", str(d), "--xlsx", str(tmp_path / "汇总.xlsx")])
    for ws in load_workbook(tmp_path / "汇总.xlsx").worksheets:
        _prints_properly(ws)


@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice")
def test_reviewer_workbook_renders_on_few_landscape_pages(tmp_path):
    """The summary of 60 reports: every column on one page width, the header on every page, numbered pages."""
    from pypdf import PdfReader
    d = tmp_path / "many"
    d.mkdir()
    for i in range(60):
        save(random_report(random.Random(i), organ=f"第{i}县民政局", year=2024), d / f"r{i}.nianbao")
    main(["check", str(d), "--xlsx", str(tmp_path / "汇总.xlsx")])
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "汇总.xlsx")], check=True, timeout=180,
                   capture_output=True)
    pdf = PdfReader(tmp_path / "汇总.pdf")
    pages = pdf.pages
    for page in pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert w > h  # landscape
        text = page.extract_text()
        assert "机关名称" in text and "页，共" in text  # header row and page numbers on every page
        # every column on every page (the first and the last header of its sheet): no page of split columns
        assert "文件" in text and ("主要问题" in text or "来源" in text)


# --- sums -----------------------------------------------------------------------------------------------------------
def test_sum_cli_exact_fees_na_said_and_parts_sheet(tmp_path, capsys):
    a = random_report(random.Random(1), organ="淮安市民政局", year=2024)
    b = random_report(random.Random(2), organ="淮安市教育局", year=2024)
    a.values["t2.fees.amount"], b.values["t2.fees.amount"] = Decimal("0.1"), Decimal("0.2")
    a.values["t2.regulations.issued"] = NA
    b.values["t2.regulations.issued"] = 3
    for r in (a, b):
        from app.rules import recompute
        recompute(r)
    assert not [f for f in check(a) + check(b) if f.severity == ERROR]
    save(a, tmp_path / "a.nianbao")
    save(b, tmp_path / "b.nianbao")
    out = tmp_path / "汇总.nianbao"
    rc = main(["sum", str(tmp_path / "a.nianbao"), str(tmp_path / "b.nianbao"), "-o", str(out),
               "--organ", "淮安市人民政府"])
    printed = capsys.readouterr().out
    assert rc == 0, printed
    assert "不适用" in printed and "按 0 计入" in printed  # said so
    total = project.load(out)
    assert total.values["t2.fees.amount"] == Decimal("0.3")  # exact: not 0.30000000000000004
    assert total.values["t2.regulations.issued"] == 3
    assert total.meta.organ == "淮安市人民政府" and total.meta.year == 2024
    assert total.values["t3.new.total"] == a.values["t3.new.total"] + b.values["t3.new.total"]
    arithmetic = {r["id"] for r in total.format.rules if r["type"] in ("sum", "cell_values")}
    assert not [f for f in check(total) if f.rule in arithmetic]
    assert "勾稽关系：无错误" in printed and "成文日期" in printed  # what is left for the office to write
    wb = load_workbook(__import__("io").BytesIO(render_xlsx(total)))
    assert "分单位明细" in wb.sheetnames
    parts = wb["分单位明细"]
    head = [c.value for c in parts[1]]
    assert head[2:] == ["淮安市民政局", "淮安市教育局", "合计"]
    fee_row = next(r for r in parts.iter_rows(values_only=True) if r[0] == "表二" and r[1] and "收费金额" in r[1])
    assert [Decimal(str(x)) for x in fee_row[2:]] == [Decimal("0.1"), Decimal("0.2"), Decimal("0.3")]
    _prints_properly(parts)
    (tmp_path / "汇总.xlsx").write_bytes(render_xlsx(total))
    again = read_xlsx(tmp_path / "汇总.xlsx")  # the extra sheet does not disturb the import
    assert again.values["t2.fees.amount"] == Decimal("0.3")
    # refusals: other years, output exists, output is an input
    c = random_report(random.Random(3), organ="淮安市水利局", year=2023)
    save(c, tmp_path / "c.nianbao")
    assert main(["sum", str(tmp_path / "a.nianbao"), str(tmp_path / "c.nianbao"),
                 "-o", str(tmp_path / "x.nianbao")]) == 2
    assert "年度" in capsys.readouterr().err and not (tmp_path / "x.nianbao").exists()
    assert main(["sum", str(tmp_path / "a.nianbao"), "-o", str(out)]) == 2
    assert main(["sum", str(tmp_path / "a.nianbao"), "-o", str(tmp_path / "a.nianbao"), "--overwrite"]) == 2
    assert json.loads((tmp_path / "a.nianbao").read_text(encoding="utf-8"))["meta"]["organ"] == "淮安市民政局"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=6))
def test_sum_passes_every_arithmetic_rule_when_the_parts_do(seeds):
    parts = [random_report(random.Random(s), organ=f"第{k}局", year=2024) for k, s in enumerate(seeds)]
    arithmetic = {r["id"] for r in parts[0].format.rules if r["type"] in ("sum", "cell_values")}
    assert all(not [f for f in check(p) if f.rule in arithmetic] for p in parts)
    total = sum_reports(parts, [f"p{k}" for k in range(len(parts))], organ="某县人民政府").report
    assert [f.to_json() for f in check(total) if f.rule in arithmetic] == []
    money = [c for c, d in total.format.cells.items() if d.kind == "money"]
    for c in money:
        if total.values.get(c) is not NA:
            assert total.values[c] == sum((p.values.get(c) if p.values.get(c) not in (None, NA) else 0
                                           for p in parts), Decimal(0))


def test_what_the_desk_wrote_into_the_folder_is_not_read_as_reports(tmp_path, capsys):
    d, roster = _folder(tmp_path)
    assert main(["review", str(d), "--notices", str(d / "整改通知"), "--bulletin", str(d / "通报.docx")]) == 1
    (d / "通报-其他.docx").write_bytes(b"PK\x03\x04 broken")  # a broken file of that name is still a row
    capsys.readouterr()
    main(["review", str(d), "--json"])
    names = sorted(x["path"].rsplit("/", 1)[-1] for x in json.loads(capsys.readouterr().out)["reports"])
    assert names == sorted(["教育.nianbao", "水利.nianbao", "民政.nianbao", "通报-其他.docx"])
    main(["check", str(d), "--json"])  # check DIR leaves them out too
    names = sorted(x["path"].rsplit("/", 1)[-1] for x in json.loads(capsys.readouterr().out)["reports"])
    assert names == sorted(["教育.nianbao", "水利.nianbao", "民政.nianbao", "通报-其他.docx"])
