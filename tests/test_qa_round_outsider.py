"""Found by an outsider's run of the installed program (wheel, fresh venv, real reports): each test failed on
the main it was found on."""
from __future__ import annotations

import random

from app import project
from app.cli import main
from fuzz.docs import random_report
from reviewhelp import save


def _two_reports(tmp_path):
    a = random_report(random.Random(1), organ="淮安市民政局", year=2024)
    b = random_report(random.Random(2), organ="淮安市教育局", year=2024)
    return save(a, tmp_path / "a.nianbao"), save(b, tmp_path / "b.nianbao")


def test_sum_refuses_an_output_named_as_one_of_its_inputs(tmp_path, capsys):
    """`nianbao sum a b -o a --overwrite` summed b alone and wrote the total over a (a left out without a word)."""
    a, b = _two_reports(tmp_path)
    before = a.read_bytes()
    rc = main(["sum", str(a), str(b), "-o", str(a), "--overwrite"])
    err = capsys.readouterr().err
    assert rc == 2
    assert "就是输入文件" in err, err
    assert a.read_bytes() == before
    assert not (tmp_path / "a.nianbao.bak").exists()
    # without --overwrite the reason is the same (not "已存在")
    assert main(["sum", str(a), str(b), "-o", str(a)]) == 2
    assert "就是输入文件" in capsys.readouterr().err


def test_sum_of_a_folder_leaves_out_its_own_earlier_total(tmp_path, capsys):
    """Summing a folder again into the total it holds: the earlier total is no part of the sum."""
    a, b = _two_reports(tmp_path)
    out = tmp_path / "汇总.nianbao"
    assert main(["sum", str(tmp_path), "-o", str(out), "--organ", "淮安市人民政府"]) == 0
    first = project.load(out).values["t3.new.total"]
    assert main(["sum", str(tmp_path), "-o", str(out), "--organ", "淮安市人民政府", "--overwrite"]) == 0
    assert project.load(out).values["t3.new.total"] == first
    printed = capsys.readouterr().out
    assert "2 份报告" in printed


def test_notice_of_a_report_without_organ_is_named_after_its_file_once(tmp_path):
    """A report whose organ was not recognised got the notice 整改通知-shanghai-2025 + 2025年度 =
    "整改通知-shanghai-20252025年度.docx". Such a report now gets no notice until the reviewer names its organ;
    then the notice is named after that organ and the year, once."""
    from app.export.notices import withheld, write_notices
    from app.review import Review
    d = tmp_path / "年报"
    d.mkdir()
    r = random_report(random.Random(4), organ="", year=2025)
    save(r, d / "shanghai-2025.nianbao")
    review = Review.read(d)
    assert write_notices(review, tmp_path / "通知") == []
    (e,) = withheld(review)
    review.name_organ(e, "上海市某某局")
    written = write_notices(review, tmp_path / "通知")
    assert [p.name for p in written] == ["整改通知-上海市某某局2025年度.docx"]


def test_import_review_messages_name_fields_not_their_ids():
    """`nianbao import` printed "[提醒] IMPORT.REVIEW  meta.year：导入的数值需要核对（…）" — and the same id reached the
    reviewer's 整改通知 ("问题：meta.year：…"), as did s1, title and opening for a Word file edited after export."""
    from app.rules import check
    r = random_report(random.Random(5), organ="淮安市民政局", year=2024)
    reasons = {"meta.year": "报告标题中没有年度，按正文“统计期限”推断",
               "meta.organ": "标题中没有机关名称",
               "meta.contact": "在 Word 中修改",
               "s1": "在 Word 中修改：“一、总体情况”有改动",
               "title": "在 Word 中修改：标题原为…",
               "opening": "在 Word 中修改：开头段落被删除",
               "t3.new.natural": "原表中的合计与各分项之和不符"}
    r.review.update(reasons)
    said = {f.cells[0]: f.message for f in check(r) if f.rule == "IMPORT.REVIEW"}
    assert set(said) == set(reasons)
    expected = {"meta.year": "报告年度", "meta.organ": "机关名称", "meta.contact": "联系方式", "s1": "一、总体情况",
                "title": "标题", "opening": "开头段落", "t3.new.natural": r.format.cells["t3.new.natural"].name}
    for key, name in expected.items():
        what = "数值" if key in r.format.cells else "内容"
        assert said[key].startswith(f"{name}：导入的{what}需要核对"), said[key]


def test_a_later_version_loses_the_not_corrected_points_only_when_the_earlier_was_sent_back(tmp_path):
    """The 通报 deducted 退回后未整改 −5 from an organ that had sent its report twice although nobody had sent the
    first one back (both 未审)."""
    import os

    from app.export.notices import score
    from app.review import CONFIRMED, Review
    d = tmp_path / "年报"
    d.mkdir()
    r = random_report(random.Random(6), organ="淮安市民政局", year=2024)
    r.meta.date = ""  # an error both versions keep
    first, second = save(r, d / "民政-初稿.nianbao"), save(r, d / "民政-修改稿.nianbao")
    os.utime(first, (1_000_000_000, 1_000_000_000))
    review = Review.read(d)
    later = next(e for e in review.entries if e.path == second)
    earlier = review.earlier(later)
    assert earlier is not None and earlier.path == first
    assert review.resubmission(later)["unfixed"] >= 1
    assert not any("未整改" in why for why in score(review, later)[1])
    # sent back: a finding of the earlier version confirmed
    f = next(f for f in review.open_findings(earlier) if f.rule == "META.REQUIRED")
    review.decide(earlier, f, CONFIRMED, "请补成文日期")
    assert any("未整改" in why for why in score(review, later)[1])


def test_bulletin_table_aligns_a_column_one_way(tmp_path):
    """In the 通报's ranking, 吴忠市民政局 (6 characters) was centred and 沭阳县发展和改革局 (9) left-aligned in the
    same 单位 column: each cell was aligned by its own length."""
    import io

    from docx import Document

    from app.export.notices import bulletin_docx
    from app.review import Review
    d = tmp_path / "年报"
    d.mkdir()
    for n, organ in enumerate(("吴忠市民政局", "沭阳县发展和改革局")):
        save(random_report(random.Random(10 + n), organ=organ, year=2024), d / f"{n}.nianbao")
    doc = Document(io.BytesIO(bulletin_docx(Review.read(d), "某某市政务公开办公室", "2025-02-01")))
    table = doc.tables[0]
    for k in range(len(table.columns)):
        aligns = {row.cells[k].paragraphs[0].alignment for row in table.rows[1:]}
        assert len(aligns) == 1, (table.rows[0].cells[k].text, aligns)


def test_sum_workbook_breakdown_wraps_what_its_rows_were_made_tall_for(tmp_path):
    """The 分单位明细 sheet of a summed report printed 14 pages of rows two lines tall whose labels were cut
    ("…申请人情况·法人或其他组": five rows that cannot be told apart) and its organ headers cut ("沭阳县发展和改"):
    the rows were sized for wrapped text that was never set to wrap."""
    import io

    from openpyxl import load_workbook

    from app.export.xlsx import render_xlsx
    a, b = _two_reports(tmp_path)
    out = tmp_path / "汇总.nianbao"
    assert main(["sum", str(a), str(b), "-o", str(out)]) == 0
    ws = load_workbook(io.BytesIO(render_xlsx(project.load(out))))["分单位明细"]
    tall = [r for r, dim in ws.row_dimensions.items() if dim.height and dim.height > 15]
    assert tall
    for r in tall:
        for c in ws[r]:
            if isinstance(c.value, str):
                assert c.alignment.wrap_text, (r, c.coordinate, c.value)


def test_a_report_without_organ_or_year_is_never_named_by_an_empty_title(tmp_path, capsys):
    """`nianbao review` on real saved pages said 六…与《年政府信息公开工作年度报告》的同一部分相似度达99%, and
    `import`/`check` printed "年政府信息公开工作年度报告" or "平潭综合实验区管委会年政府信息公开工作年度报告" (no
    year) as the report's title: the format's title pattern filled with nothing."""
    from app.review import Review
    d = tmp_path / "年报"
    d.mkdir()
    words = "主动公开 政府信息 依申请公开 公开平台 政务新媒体 政策解读 回应关切".split()
    shared = "本机关" + "，".join(words) * 6 + "。"
    known = random_report(random.Random(7), organ="淮安市民政局", year=2024)
    nameless = random_report(random.Random(8), organ="", year=2024)
    no_year = random_report(random.Random(9), organ="淮安市教育局", year=2024)
    nameless.meta.year = no_year.meta.year = None
    for r in (known, nameless, no_year):
        r.sections["s6"] = shared
    save(known, d / "a.nianbao")
    save(nameless, d / "b.nianbao")
    save(no_year, d / "c.nianbao")
    review = Review.read(d)
    said = [f.message for e in review.entries for f in e.findings if "SIMILAR" in f.rule or "COPIED" in f.rule]
    assert said
    for m in said:
        assert "《年政府" not in m and "局年政府" not in m, m
    assert main(["check", str(d / "b.nianbao"), str(d / "c.nianbao")]) == 1
    out = capsys.readouterr().out
    assert "：年政府信息公开" not in out and "局年政府" not in out, out


def test_review_bulletin_is_never_written_over_a_report_it_reads(tmp_path, capsys):
    """`nianbao review DIR --bulletin DIR/r.docx --overwrite` wrote the 通报 over r.docx, a report of the folder
    (no .bak): the notices were guarded against their inputs, the bulletin was not."""
    from app.export import export_report
    d = tmp_path / "年报"
    d.mkdir()
    r = random_report(random.Random(12), organ="淮安市民政局", year=2024)
    report = export_report(r, d / "民政.docx", force=True)
    before = report.read_bytes()
    rc = main(["review", str(d), "--bulletin", str(report), "--overwrite"])
    err = capsys.readouterr().err
    assert rc == 2
    assert "就是输入文件" in err, err
    assert report.read_bytes() == before
    # a bulletin written into the folder last time is no report: replacing it still works
    bulletin = d / "通报.docx"
    assert main(["review", str(d), "--bulletin", str(bulletin)]) in (0, 1)
    assert main(["review", str(d), "--bulletin", str(bulletin), "--overwrite"]) in (0, 1)


def test_check_summary_in_the_folder_is_no_report_and_a_report_is_never_replaced_by_it(tmp_path, capsys):
    """`nianbao check DIR --xlsx DIR/s.xlsx --overwrite` replaced s.xlsx — a report exported to Excel — with the
    summary (it was left out of the check as "last time's summary"); and a summary left in the folder made every
    later `check DIR` / `review DIR` end with "s.xlsx：无法读取" (exit 2)."""
    from app.export.xlsx import write_xlsx
    d = tmp_path / "年报"
    d.mkdir()
    save(random_report(random.Random(13), organ="淮安市民政局", year=2024), d / "民政.nianbao")
    report_xlsx = write_xlsx(random_report(random.Random(14), organ="淮安市教育局", year=2024), d / "教育.xlsx")
    before = report_xlsx.read_bytes()
    assert main(["check", str(d), "--xlsx", str(report_xlsx), "--overwrite"]) == 2
    assert "就是输入文件" in capsys.readouterr().err
    assert report_xlsx.read_bytes() == before
    summary = d / "汇总.xlsx"
    assert main(["check", str(d), "--xlsx", str(summary)]) in (0, 1)
    capsys.readouterr()
    assert main(["check", str(d)]) in (0, 1)  # the summary is not read as a report
    assert "汇总.xlsx" not in capsys.readouterr().out
    assert main(["check", str(d), "--xlsx", str(summary), "--overwrite"]) in (0, 1)  # replacing it still works


def test_review_line_of_a_report_without_year_has_no_double_blank(tmp_path, capsys):
    """`nianbao review DIR` printed "…：平潭综合实验区管委会  — 错误 2" (organ, blank, no year, blank)."""
    d = tmp_path / "年报"
    d.mkdir()
    r = random_report(random.Random(15), organ="淮安市民政局", year=2024)
    r.meta.year = None
    save(r, d / "民政.nianbao")
    main(["review", str(d), "--notices", str(tmp_path / "通知")])  # no window: the listing is printed
    line = next(ln for ln in capsys.readouterr().out.splitlines() if "民政.nianbao" in ln)
    assert "淮安市民政局 — " in line and "  " not in line, line


def test_check_previous_of_another_year_is_said_and_not_used_another_organ_is_said(tmp_path, capsys):
    """`nianbao check --previous X.nianbao X.nianbao` (the report as its own last year) said 一、五、六 相似度达100%
    and 整张表与上年报告逐格相同; another organ's report given as last year's was used without a word."""
    import json
    this = random_report(random.Random(16), organ="吴忠市民政局", year=2023)
    last = random_report(random.Random(17), organ="吴忠市民政局", year=2022)
    other = random_report(random.Random(18), organ="平桥区民政局", year=2022)
    a, b = save(this, tmp_path / "a.nianbao"), save(last, tmp_path / "b.nianbao")
    c = save(other, tmp_path / "c.nianbao")
    main(["check", "--json", "--previous", str(a), str(a)])
    out, err = capsys.readouterr()
    findings = json.loads(out)["reports"][0]["findings"]
    rules = {f["rule"] for f in findings}
    assert not rules & {"TEXT.SIMILAR", "TABLE.SAME_AS_LAST_YEAR", "YEAR.CARRY", "YEAR.IN_FORCE"}, rules
    [said] = [f["message"] for f in findings if f["rule"] == "YEAR.PREVIOUS"]  # said once, among the findings
    assert "2023年度" in said and "应为2022年度" in said and "未用于跨年度核对" in said, said
    main(["check", "--previous", str(c), str(a)])  # renamed organs exist: said, and used
    assert "平桥区民政局的，不是吴忠市民政局的" in capsys.readouterr().out
    main(["check", "--previous", str(b), str(a)])  # the right one is used, without a word
    out, err = capsys.readouterr()
    assert "YEAR.PREVIOUS" not in out and not err
