"""The narrative grammar's plans (Grammar._plan): what the words of the quantities in a clause call for, made once
for each set of the longest words found in it. Checked against the plain path they stand for: the words found one by
one (Grammar._words_in) and every quantity found tried for an anchor, clause after clause."""
from __future__ import annotations

import json
import random
from dataclasses import replace

from conftest import FIXTURES

from app.narrative import Grammar, _Plan
from app.resources import resource


def _data() -> dict:
    with open(resource("narrative", "gov-2021.json"), encoding="utf-8") as fh:
        return json.load(fh)


def _plain(data: dict) -> Grammar:
    """A grammar without plans kept, nor quantities left out of the anchors, nor clauses left unread, nor
    negations left unlooked for: each clause's words looked up one by one, every quantity among them tried, every
    clause with a word read, the negation patterns run before every anchor."""
    g = Grammar(data)

    def every_step(has, ranked, next_year):
        return tuple((qid, g.q[qid], (qid, "phrases") in has, (qid, "verbs") in has, (qid, "nouns") in has)
                     for qid in ranked)

    g._anchor_steps = every_step  # type: ignore[method-assign]
    g._no_negation_at_start = False  # (the negation patterns run before an anchor at a clause's start too)
    g._plan = lambda clause: replace(g._make_plan(g._words_in(clause)), idle=False)  # type: ignore[method-assign]
    return g


def _texts(data: dict, n: int, seed: int) -> list[str]:
    """The fixtures' sentences, and texts made of the grammar's words (every kind, the ones the rules look at
    around the counts too), numbers, units, years and breaks."""
    texts = []
    for path in sorted((FIXTURES / "narrative").glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                texts.append(line.split("\t")[0])
    words = sorted({w for q in data["quantities"] for k in ("phrases", "verbs", "nouns", "negated_nouns",
                                                              "post_verbs", "suffixes", "elided_nouns")
                    for w in q.get(k, ())})
    words += list(data["units"]) + data["gap_words"] + data["totalizers"] + data["negations"]
    words += data["coordinators"] + data["stop_words"] + data.get("part_words", []) + data["verb_particles"]
    words += ["其中", "均为0", "为0", "3件", "十二件", "42件", "2023年", "2024年", "2024年度", "结转", "结转至",
              "2022年", "去年", "上年", "的", "因", "本机关", "全年", "，", "，", "。", "、", "；", "（", "）", "\n"]
    rng = random.Random(seed)
    for _ in range(n):
        texts.append("".join(rng.choice(words) for _ in range(rng.randint(1, 30))))
    return texts


def test_a_plan_holds_what_the_words_one_by_one_give():
    data = _data()
    g = Grammar(data)
    clauses = {c for t in _texts(data, 3000, 7) for c in t.replace("。", "，").split("，")}
    with_words = 0
    for c in sorted(clauses):
        plan = g._plan(c)  # (from the plans kept: made for another clause holding the same longest words)
        has = g._words_in(c)
        assert plan.has == has, c
        assert plan == g._make_plan(has), c
        assert plan.triggered == bool(g.trigger.search(c)), c
        with_words += bool(has)
    assert with_words > 2000
    assert len(g._plans) < len(clauses)  # (plans shared by clauses)


def test_the_statements_read_with_plans_are_those_read_without():
    data = _data()
    fast, plain = Grammar(data), _plain(data)
    read = 0
    for year in (2023, None):
        for t in _texts(data, 4000, 11):
            assert fast.claims(t, year) == plain.claims(t, year), t
            assert fast.all_done(t, year) == plain.all_done(t, year), t
            read += len(fast.claims(t, year))
    assert read > 2000
    assert sum(p.idle for p in fast._plans.values()) > 20  # (clauses left unread met)


def test_the_anchors_of_a_plan_are_those_of_every_quantity_found():
    data = _data()
    fast, plain = Grammar(data), _plain(data)
    topics = [frozenset(), frozenset({"申请"}), frozenset({"规范性文件"}), frozenset({"申请", "~part"})]
    found = 0
    for t in _texts(data, 1500, 13):
        for c in t.replace("。", "，").split("，"):
            for topic in topics:
                for year in (2023, None):
                    want = plain.anchors(c, topic, year)
                    assert fast.anchors(c, topic, year) == want, (c, topic, year)
                    found += len(want)
    assert found > 5000


def test_a_plan_is_made_again_past_the_limit(monkeypatch):
    import app.narrative as narrative
    monkeypatch.setattr(narrative, "PLANS_MAX", 3)
    g = Grammar(_data())
    for c in ("收到申请", "行政复议", "规范性文件", "予以公开", "部分公开"):
        assert isinstance(g._plan(c), _Plan)
        assert len(g._plans) <= 3
    assert g._plan("收到申请").has == g._words_in("收到申请")
    many = "收到申请" * (narrative.PLAN_WORDS_MAX + 1)  # (a clause of a pasted-in list of words: its plan not kept)
    kept = dict(g._plans)
    assert g._plan(many) == g._make_plan(g._words_in(many)) and g._plans == kept
    assert g._plan(many[:8]) == g._make_plan(g._words_in(many))
    assert tuple(g._longest.findall(many[:8])) in g._plans and tuple(g._longest.findall(many)) not in g._plans


def test_a_clause_naming_next_year_is_read_though_its_words_call_for_nothing():
    g = Grammar(_data())
    assert g._plan("申请结转至2024年度1件").idle  # (申请 alone: no anchor of its own)
    assert g.claims("申请结转至2024年度1件。", 2023) == _plain(_data()).claims("申请结转至2024年度1件。", 2023)
    assert [(c.quantity, c.value) for c in g.claims("申请结转至2024年度1件。", 2023)] == [("carried_out", 1)]


def test_an_anchor_at_a_clause_start_is_negated_only_by_an_empty_negation():
    data = _data()
    assert Grammar(data)._no_negation_at_start
    fast, plain = Grammar(data), _plain(data)
    for t in ("行政复议，未发生。", "未发生行政复议。", "行政复议0件，行政诉讼、没有。", "没有行政复议、行政诉讼。"):
        assert fast.claims(t, 2023) == plain.claims(t, 2023)
    data["negations"] = data["negations"] + [""]
    assert not Grammar(data)._no_negation_at_start
