"""The report attached as last year's (``report.previous``: 从上年报告新建, a project file's ``previous``, ``check
--previous``) is said to the clerk when it cannot be last year's report of this organ (YEAR.PREVIOUS): of the same
or a later year (or more than one year back) it is not used for the cross-year checks — they would raise false
结转/雷同/照抄 findings; of another organ it is used (organs are renamed) and said."""
from __future__ import annotations

import pytest
from conftest import is_chinese_message

from app.model import next_year_report
from app.rules import check

CROSS_YEAR = {"YEAR.CARRY", "YEAR.IN_FORCE", "TEXT.SIMILAR", "TEXT.COPIED", "TABLE.SAME_AS_LAST_YEAR",
              "TEXT.S5_FOLLOW_UP", "YEAR.JUMP"}


def this_and_last(load_fixture):
    """The 2023 report, and the same report standing in for last year's: identical tables and text, so every
    cross-year rule has something to say when it runs against it."""
    report = load_fixture("wuzhong-minzheng-2023")
    last = load_fixture("wuzhong-minzheng-2023")
    last.values["t3.carried_out.natural"] = 7  # 上年结转 of this year (0) then disagrees: YEAR.CARRY
    return report, last


@pytest.mark.parametrize("year", [2023, 2024, 2021])
def test_previous_of_another_year_is_said_and_not_used(load_fixture, year):
    report, last = this_and_last(load_fixture)
    last.meta.year = 2022
    assert CROSS_YEAR & {f.rule for f in check(report, last)}  # runs against a right one
    last.meta.year = year
    fs = check(report, last)
    assert not CROSS_YEAR & {f.rule for f in fs}, "cross-year checks ran against the wrong year's report"
    (f,) = [f for f in fs if f.rule == "YEAR.PREVIOUS"]
    assert f.cells == ["meta.year"] and f.actual == year and f.expected == 2022
    assert f"所附上年报告是{year}年度的" in f.message and "未用于跨年度核对" in f.message
    assert is_chinese_message(f.message)
    # the same through report.previous, as a project file or 从上年报告新建 carries it
    report.previous = last
    assert [f.rule for f in check(report) if f.rule == "YEAR.PREVIOUS"] == ["YEAR.PREVIOUS"]
    assert not CROSS_YEAR & {f.rule for f in check(report)}


def test_error_only_check_does_not_use_the_wrong_year_either(load_fixture):
    """An export asks for errors only; YEAR.CARRY (an error) must not run against the wrong year's report."""
    from app.finding import ERROR
    report, last = this_and_last(load_fixture)
    last.meta.year = 2022
    assert "YEAR.CARRY" in {f.rule for f in check(report, last, severity=ERROR)}
    last.meta.year = 2023
    assert "YEAR.CARRY" not in {f.rule for f in check(report, last, severity=ERROR)}


def test_previous_of_another_organ_is_said_and_used(load_fixture):
    report, last = this_and_last(load_fixture)
    last.meta.year = 2022
    last.meta.organ = "青铜峡市民政局"
    fs = check(report, last)
    (f,) = [f for f in fs if f.rule == "YEAR.PREVIOUS"]
    assert f.cells == ["meta.organ"] and "青铜峡市民政局" in f.message and "吴忠市民政局" in f.message
    assert "已用于跨年度核对" in f.message and is_chinese_message(f.message)
    assert "YEAR.CARRY" in {f.rule for f in fs}


@pytest.mark.parametrize("organ", ["吴忠市民政局", "宁夏回族自治区吴忠市民政局", "吴忠市 民政局"])
def test_last_years_report_of_this_organ_gets_nothing(load_fixture, organ):
    report, last = this_and_last(load_fixture)
    last.meta.year, last.meta.organ = 2022, organ
    assert [f for f in check(report, last) if f.rule == "YEAR.PREVIOUS"] == []


def test_unknown_year_or_organ_or_no_previous_gets_nothing(load_fixture):
    report, last = this_and_last(load_fixture)
    assert [f for f in check(report) if f.rule == "YEAR.PREVIOUS"] == []  # none attached
    last.meta.year, last.meta.organ = None, ""
    assert [f for f in check(report, last) if f.rule == "YEAR.PREVIOUS"] == []


def test_next_year_report_then_the_year_changed(load_fixture):
    """从上年报告新建 attaches the right one; a clerk who then types another year is told at once."""
    last = load_fixture("wuzhong-minzheng-2023")
    new = next_year_report(last)
    assert [f for f in check(new) if f.rule == "YEAR.PREVIOUS"] == []
    new.meta.year = 2023
    assert [f.cells for f in check(new) if f.rule == "YEAR.PREVIOUS"] == [["meta.year"]]
