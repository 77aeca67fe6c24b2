"""Rule engine edges that mutation testing (tests/mutation.py) found unchecked.

Behaviour only, through rules.check / counts / cn_number and Finding.to_json on the published fixtures; nothing
here depends on how blanks count inside sum rules (that is changing on another branch).
"""
from decimal import Decimal

import pytest

from app.formats import load_format
from app.model import Report
from app.rules import ERROR, WARNING, check, cn_number, counts
from app.values import Invalid
from conftest import is_chinese_message


@pytest.mark.parametrize("text,number", [
    ("零", 0), ("一", 1), ("两", 2), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23),
    ("一百", 100), ("百", None), ("一百零五", 105), ("一百一十", 110), ("三百二十", 320), ("九百九十九", 999),
    ("12", 12), ("0", 0), ("十万", 100000), ("十百", None), ("三件", None),
])
def test_chinese_numerals_in_the_text(text, number):
    assert cn_number(text) == number


def test_counts_are_errors_and_warnings(load_fixture):
    r = load_fixture("wuzhong-minzheng-2023")
    r.values["t4.review.total"] = 1  # T4.GROUP_TOTAL (error) and TEXT.NUMBERS (warning: s1 says none)
    r.review["t3.new.natural"] = "由导入转换"  # IMPORT.REVIEW (warning)
    fs = check(r)
    assert sorted(f.severity for f in fs) == [ERROR, WARNING, WARNING]
    assert counts(fs) == (1, 2)
    assert counts([]) == (0, 0)


def test_one_blank_cell_and_several_blank_cells_are_named(load_fixture):
    r = load_fixture("wuzhong-minzheng-2023")
    fmt = r.format
    r.values.pop("t4.review.upheld")
    one = [f for f in check(r) if f.rule == "CELL.VALUE"]
    assert len(one) == 1 and one[0].severity == ERROR and one[0].cells == ["t4.review.upheld"]
    assert one[0].message.startswith(fmt.cells["t4.review.upheld"].name + "未填写。")  # no "等1个单元格"
    r.values.pop("t4.review.corrected")
    two = [f for f in check(r) if f.rule == "CELL.VALUE"]
    assert len(two) == 1 and "等2个单元格未填写" in two[0].message


def test_an_invalid_entry_is_shown_as_it_was_typed(load_fixture):
    r = load_fixture("wuzhong-minzheng-2023")
    r.values["t3.new.natural"] = Invalid("三件")
    f = next(f for f in check(r) if f.rule == "CELL.VALUE")
    assert f.actual == "三件" and f.to_json()["actual"] == "三件"


@pytest.mark.parametrize("year,flagged", [(1989, True), (1990, False), (2100, False), (2101, True)])
def test_implausible_report_year(load_fixture, year, flagged):
    r = load_fixture("wuzhong-minzheng-2023")
    r.meta.year, r.meta.date = year, ""  # (no date: only the year is judged)
    fs = [f for f in check(r) if f.rule == "META.REQUIRED" and f.cells == ["meta.year"]]
    assert [f.message for f in fs] == ([f"报告年度“{year}”不合理。"] if flagged else [])
    assert all(f.severity == ERROR for f in fs)


def test_missing_year_and_a_date_before_the_report_year(load_fixture):
    r = load_fixture("wuzhong-minzheng-2023")
    r.meta.year = None
    assert [f.message for f in check(r) if f.cells == ["meta.year"]] == ["缺少报告年度，定稿前必须填写。"]
    r = load_fixture("wuzhong-minzheng-2023")
    r.meta.date = "2022-12-31"
    fs = [f for f in check(r) if f.cells == ["meta.date"]]
    assert len(fs) == 1 and "早于报告年度2023年" in fs[0].message
    r.meta.date = "2023-03-01"  # written before the report year ended: META.DATE_EARLY's warning, not this error
    assert [f.rule for f in check(r) if f.cells == ["meta.date"]] == ["META.DATE_EARLY"]


def test_old_format_warning_only_for_a_converted_2019_report(load_fixture):
    r = load_fixture("weihui-minzheng-2022")
    assert not [f for f in check(r) if f.rule == "FORMAT.OLD"]
    r.origin_format = "gov-2021"
    assert not [f for f in check(r) if f.rule == "FORMAT.OLD"]
    r.origin_format = "gov-2019"
    (f,) = [f for f in check(r) if f.rule == "FORMAT.OLD"]
    assert f.severity == WARNING and "2019" in f.message and is_chinese_message(f.message)


def test_review_marks_name_the_cell(load_fixture):
    r = load_fixture("weihui-minzheng-2022")
    fmt = load_format()
    r.review["t2.normative.issued"] = "由“本年新制作数量”转换"
    r.review["meta.organ"] = "标题中未找到机关名称"
    fs = {f.cells[0]: f for f in check(r) if f.rule == "IMPORT.REVIEW"}
    assert fs["t2.normative.issued"].message == \
        f"{fmt.cells['t2.normative.issued'].name}：导入的数值需要核对（由“本年新制作数量”转换）"
    assert fs["meta.organ"].message.startswith("机关名称：导入的内容需要核对")  # a cover field named in words


def test_finding_json_form(load_fixture):
    r = load_fixture("pingqiao-minzheng-2024")
    r.values["t2.fees.amount"] = Decimal("0.1250")
    r.values["t3.new.natural"] = 3
    (f,) = [f for f in check(r) if f.rule == "T3.TOTAL_COLUMN"]
    j = f.to_json()
    assert set(j) == {"rule", "severity", "cells", "message", "expected", "actual"}
    assert (j["rule"], j["severity"], j["message"]) == ("T3.TOTAL_COLUMN", ERROR, f.message)
    assert j["cells"] == list(f.cells) and j["cells"] is not f.cells
    assert isinstance(j["expected"], int) and isinstance(j["actual"], int)
    from app.rules import Finding
    assert Finding("X", ERROR, [], "m", expected=Decimal("1.5000"), actual=None).to_json()["expected"] == "1.5"


def test_an_empty_report_lists_every_required_field():
    fs = [f for f in check(Report()) if f.rule == "META.REQUIRED"]
    assert sorted(c for f in fs for c in f.cells) == sorted(["meta.organ", "meta.year", "meta.date", "s1", "s5", "s6"])


def test_stale_year_quotes_the_sentence_with_ellipses_where_cut(load_fixture):
    r = load_fixture("pingqiao-minzheng-2024")
    body = r.sections["s5"]
    r.sections["s5"] = "2023年，我局认真贯彻落实条例。" + body
    (f,) = [f for f in check(r) if f.rule == "TEXT.STALE_YEAR"]
    assert "中“2023年，我局认真贯彻落…”提到2023年" in f.message  # at the start: cut only at the end
    r.sections["s5"] = body.rstrip() + "\n2023年，我局完成。"
    (f,) = [f for f in check(r) if f.rule == "TEXT.STALE_YEAR"]
    text = r.sections["s5"]
    start = text.rindex("2023年")
    assert f"中“…{text[start - 8:].replace(chr(10), ' ')}”提到2023年" in f.message  # at the end: cut only before


def test_similar_sections_need_forty_characters(load_fixture):
    from app.model import next_year_report
    last = load_fixture("wuzhong-minzheng-2023")
    this = next_year_report(last)
    this.sections = dict(last.sections)
    text = "政府信息公开工作领导小组统筹推进主动公开依申请公开政策解读回应关切平台建设监督保障各项工作全面落实到位"
    for n, flagged in [(39, False), (40, True)]:
        this.sections["s5"] = this.previous.sections["s5"] = text[:n]
        fs = [f for f in check(this) if f.rule == "TEXT.SIMILAR" and f.cells == ["s5"]]
        assert len(fs) == int(flagged), n
    (f,) = fs
    assert f.severity == WARNING and "相似度达100%" in f.message and f.actual == 1.0
