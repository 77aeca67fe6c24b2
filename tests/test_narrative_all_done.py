""""均已按时办结" (every application concluded) beside a table that carries some over to next year: TEXT.NUMBERS,
read by the narrative grammar (``all_done`` in resources/narrative/gov-2021.json) as 结转下年度 0 — and only where
the clause says it of all the applications the sentence counted."""
from __future__ import annotations

import pytest

from app.narrative import grammar
from app.rules import check


def with_table(load_fixture, sentence, new=20, handled=15, carried_out=5):
    r = load_fixture("wuzhong-minzheng-2023")
    for col in ("natural", "total"):
        r.values[f"t3.new.{col}"] = new
        r.values[f"t3.granted.{col}"] = handled
        r.values[f"t3.handled_total.{col}"] = handled
        r.values[f"t3.carried_out.{col}"] = carried_out
    r.sections["s1"] = sentence + "\n" + r.sections["s1"].replace("全年累计办理申请 1 件", f"全年累计办理申请 {new} 件")
    return r


def numbers(r):
    return [f for f in check(r) if f.rule == "TEXT.NUMBERS"]


def test_all_concluded_beside_some_carried_over_is_flagged(load_fixture):
    r = with_table(load_fixture, "2023年，我局共收到政府信息公开申请20件，均已按时办结。")
    (f,) = numbers(r)
    assert f.cells == ["s1", "t3.carried_out.total"] and f.expected == 5 and f.actual == 0
    assert "均已按时办结" in f.message and "结转下年度继续办理数" in f.message and "为5" in f.message


@pytest.mark.parametrize("sentence", [
    "2023年，我局共收到政府信息公开申请20件，均已按时办结。",
    "2023年，我局共收到政府信息公开申请20件，所有申请均已按时办结。",
    "2023年，我局共收到政府信息公开申请20件，已全部答复。",
])
def test_a_true_statement_raises_nothing(load_fixture, sentence):
    r = with_table(load_fixture, sentence, new=20, handled=20, carried_out=0)
    assert numbers(r) == []


@pytest.mark.parametrize("sentence", [
    "2023年，我局共收到政府信息公开申请20件，其余均已办结。",          # the rest
    "2023年，我局共收到政府信息公开申请20件，尚未全部办结。",          # negated
    "2023年，我局共收到政府信息公开申请20件，办结15件，均在法定期限内答复。",  # those concluded
    "2023年，我局共收到政府信息公开申请20件，均在法定期限内予以答复。",  # the time limit, not a conclusion
    "2023年，我局收到线上申请11件，受理线下信息公开申请9件，已全部依法办结。",  # all of a part
    "2023年，上年结转申请2件，均已办结。",                            # the carried-in ones
    "2023年，收到人大代表建议12件、政协提案8件，均已办结。",            # not applications
    "2022年，我局共收到政府信息公开申请20件，均已办结。",              # another year
    "2023年，我局共收到政府信息公开申请20件，均已按时答复（其中5件结转下年度）。",  # the carry-over said
    "2023年，我局共收到政府信息公开申请20件，均已按时办结；另有5件结转下年度继续办理。",
])
def test_what_is_not_said_of_all_applications_raises_nothing(load_fixture, sentence):
    r = with_table(load_fixture, sentence)
    assert [f.message for f in numbers(r) if "结转下年度" in f.message] == []


def test_all_done_is_not_a_count_statement():
    """The scored claims of the grammar are unchanged (the held-out figures stay comparable)."""
    g = grammar()
    s = "2023年，我局共收到政府信息公开申请20件，均已按时办结。"
    assert [(c.quantity, c.value) for c in g.claims(s, 2023)] == [("new", 20)]
    assert [(c.quantity, c.value, c.negated, s[c.start:c.end]) for c in g.all_done(s, 2023)] == \
        [("carried_out", 0, True, "均已按时办结")]
