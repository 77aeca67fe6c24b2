"""Last year's leftovers in a report started from last year's file: a 成文日期 before the report's year has ended
(META.DATE_EARLY — not 不按时发布, which the desk counts as late) and last year's 统计期限 in the office's own
opening (TEXT.PERIOD_YEAR and TEXT.STALE_YEAR read ``meta.opening``), each said once; and what deserves nothing
gets nothing."""
import pytest
from conftest import is_chinese_message

from app.rules import check


def on(report, cell):
    return [f for f in check(report) if cell in f.cells]


@pytest.mark.parametrize("date,flagged", [
    ("2023-01-20", True),    # last year's 成文日期 kept, its year changed (the 2023 report)
    ("2023-12-31", True),    # the year's statistics are not complete yet
    ("2024-01-01", False),   # the first day it can be written
    ("2024-01-16", False),   # the fixture's own date
    ("2024-01-31", False),   # the deadline of a department
])
def test_date_before_the_year_ends(load_fixture, date, flagged):
    r = load_fixture("wuzhong-minzheng-2023")
    r.meta.date = date
    fs = on(r, "meta.date")
    assert bool(fs) == flagged
    if flagged:
        (f,) = fs
        assert f.rule == "META.DATE_EARLY" and f.expected == "2024-01-01" and f.actual == date
        y, m, d = (int(x) for x in date.split("-"))
        assert f"成文日期{y}年{m}月{d}日早于2024年1月1日" in f.message and "2023年度" in f.message
        assert is_chinese_message(f.message)


def test_date_of_an_earlier_year_is_said_once(load_fixture):
    r = load_fixture("wuzhong-minzheng-2023")
    r.meta.date = "2023-01-18"
    assert [f.rule for f in on(r, "meta.date")] == ["META.DATE_EARLY"]
    r.meta.date = "2022-12-31"  # META.REQUIRED's error (成文日期早于报告年度) only
    assert [f.rule for f in on(r, "meta.date")] == ["META.REQUIRED"]


def test_late_date_still_flagged_as_late(load_fixture):
    r = load_fixture("wuzhong-minzheng-2023")
    r.meta.date = "2024-02-10"
    (f,) = on(r, "meta.date")
    assert "晚于期限2024年1月31日" in f.message


def test_publication_date_before_the_year_ends(load_fixture):
    r = load_fixture("wuzhong-minzheng-2023")
    r.extra["published"] = "2023-06-01"
    fs = [f for f in check(r) if f.rule.startswith("META.D")]
    assert len(fs) == 1 and fs[0].rule == "META.DATE_EARLY" and fs[0].cells == []
    assert "发布日期2023年6月1日早于2024年1月1日" in fs[0].message
    r.extra["published"] = "2024-01-10"
    assert [f for f in check(r) if f.rule.startswith("META.D")] == []


def test_an_early_date_is_not_counted_as_late_by_the_desk():
    from app.formats import load_format
    from app.rules import deadline_rules
    assert "META.DATE_EARLY" in {r["id"] for r in load_format().rules}
    assert "META.DATE_EARLY" not in deadline_rules() and "META.DEADLINE" in deadline_rules()


def opening(r, period):
    return f"根据《中华人民共和国政府信息公开条例》要求，{r.meta.organ}编制本报告。本报告中所列数据统计期限为{period}。"


def test_opening_with_last_years_period_is_said_once(load_fixture):
    r = load_fixture("wuzhong-minzheng-2023")
    r.meta.opening = opening(r, "2022年1月1日至2022年12月31日")
    (f,) = on(r, "meta.opening")
    assert f.rule == "TEXT.PERIOD_YEAR" and f.actual == 2022
    assert f.message.startswith("开头段落中统计期限的说明") and "请改为2023年1月1日至12月31日" in f.message
    assert is_chinese_message(f.message)


def test_opening_with_a_stale_year_outside_the_period(load_fixture):
    r = load_fixture("wuzhong-minzheng-2023")
    r.meta.opening = "2022年，我局认真贯彻落实条例，现编制本报告。"
    (f,) = on(r, "meta.opening")
    assert f.rule == "TEXT.STALE_YEAR" and f.message.startswith("开头段落中“2022年，")


@pytest.mark.parametrize("text", [
    "",  # the standard opening, worded from organ and year
    "本报告中所列数据统计期限为2023年1月1日至2023年12月31日。",
    "本报告由吴忠市民政局编制，依据《2021年政务公开工作要点》，全年信息较2022年有所增加。",
])
def test_opening_of_this_year_gets_nothing(load_fixture, text):
    r = load_fixture("wuzhong-minzheng-2023")
    r.meta.opening = text
    assert on(r, "meta.opening") == []


def test_period_sentence_in_a_section_is_said_once(load_fixture):
    r = load_fixture("wuzhong-minzheng-2023")
    r.sections["s1"] = "本报告中所列数据统计期限为2022年1月1日至2022年12月31日。" + r.sections["s1"]
    fs = [f for f in check(r) if f.rule in ("TEXT.PERIOD_YEAR", "TEXT.STALE_YEAR")]
    assert [f.rule for f in fs] == ["TEXT.PERIOD_YEAR"]
    # a stale year in another sentence of the same section is still TEXT.STALE_YEAR's
    r.sections["s1"] += "\n2022年，我局认真贯彻落实条例。"
    assert sorted(f.rule for f in check(r) if f.rule in ("TEXT.PERIOD_YEAR", "TEXT.STALE_YEAR")) == \
        ["TEXT.PERIOD_YEAR", "TEXT.STALE_YEAR"]
