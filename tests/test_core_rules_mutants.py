"""What rules.py promises where the core tests did not hold it (mutants of app/rules.py that survived): labels of
dotted row ids followed by a column, the rule data's own minimum length for 内容雷同, quotes that start at the
clause, the direction of a jump from last year, the brackets of a sum's side."""
import copy
import json

import pytest

from app import rules
from app.formats import Format, load_format
from app.model import new_report
from conftest import ROOT

FMT = load_format()


def test_a_dotted_row_id_followed_by_a_column_is_labelled_as_both():
    assert rules.term_label(FMT, "t3.withheld.secret.natural") == "不予公开·国家秘密自然人"
    assert rules.term_label(FMT, "t3.withheld.secret.{col}") == "不予公开·国家秘密"
    assert rules.term_label(FMT, "prev:t3.carried_out.total") == "上年报告的结转下年度总计"
    assert rules.term_label(FMT, "t3.unknown.natural") == "unknown自然人"


def _two_organs(text):
    a, b = new_report(), new_report()
    a.meta.organ, b.meta.organ = "甲县民政局", "乙县财政局"
    a.sections["s1"] = b.sections["s1"] = text
    return [a, b]


def test_the_minimum_length_for_similar_sections_is_the_rule_data():
    text = "本机关认真贯彻落实政府信息公开条例，不断完善公开制度，拓宽公开渠道，强化监督保障，" * 3
    reports = _two_organs(text)
    found = rules.similar_across_organs(FMT, reports, lambda o: o)
    assert found and found[0] and all(f.rule == "TEXT.SIMILAR_ORGANS" for f in found[0])
    data = json.loads((ROOT / "resources" / "formats" / "gov-2021.json").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    rule = next(r for r in data["rules"] if r["type"] == "similar_organs")
    rule["min_chars"] = len(text) + 1
    assert rules.similar_across_organs(Format(data), reports, lambda o: o) == {}


def test_a_quote_starts_at_the_clause_of_the_match():
    text = "一、总体情况。本年度共收到申请12件，办结10件"
    start = text.index("12件")
    assert rules._quote(text, start, start + 3) == "本年度共收到申请12件"
    text = "甲，乙，丙收到12件"
    start = text.index("12件")
    assert rules._quote(text, start, start + 3) == "丙收到12件"


@pytest.mark.parametrize("now, before, word", [(60, 2, "增加"), (2, 60, "减少")])
def test_a_jump_from_last_year_says_which_way(now, before, word):
    this, last = new_report(), new_report()
    this.values["t3.new.total"], last.values["t3.new.total"] = now, before
    found = [f for f in rules._jump(FMT, this, last, FMT.rule("YEAR.JUMP")) if "t3.new.total" in f.cells]
    assert len(found) == 1
    assert found[0].message.startswith(f"本年新收政府信息公开申请数由上年的{before}{word}到{now}，")


def test_a_side_of_a_sum_with_its_own_words_closes_its_bracket():
    text = rules._term_text({"t3.x": "甲"}, ["t3.x"], [5], "一、本年新收")
    assert text == "一、本年新收(5)"
    text = rules._term_text({"t3.x": "甲", "t3.y": "乙"}, ["t3.x", "t3.y"], [5, 0], "合计", blank=(1,))
    assert text.startswith("合计(5，其中乙") and text.endswith(")")
