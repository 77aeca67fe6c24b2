"""The narrative grammar (app/narrative.py): a corpus of statements with precision/recall, numerals, and the
TEXT.NUMBERS rule on planted inconsistencies and clean fixtures."""
from __future__ import annotations

import glob
from decimal import Decimal

import pytest
from conftest import FIXTURES, PUBLISHED

from app.documents import open_report
from app.narrative import claims
from app.rules import check
from app.values import parse_text_numeral

CORPUS = FIXTURES / "narrative" / "corpus-2023.tsv"
PRECISION_MIN, RECALL_MIN = 0.98, 0.95


def _corpus():
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        sentence, _, expected = line.partition("\t")
        want = set()
        for item in expected.split():
            q, _, v = item.partition("=")
            want.add((q, Decimal(v)))
        rows.append((sentence, want))
    return rows


def _score():
    tp = fp = fn = 0
    wrong = []
    for sentence, want in _corpus():
        got = {(c.quantity, Decimal(c.value)) for c in claims(sentence, 2023)}
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
        if got != want:
            wrong.append((sentence, sorted(got - want), sorted(want - got)))
    return tp, fp, fn, wrong


def test_corpus_is_large_and_mixed():
    rows = _corpus()
    assert len(rows) >= 150
    assert sum(1 for _, w in rows if w) >= 80 and sum(1 for _, w in rows if not w) >= 50


def test_corpus_precision_and_recall(capsys):
    tp, fp, fn, wrong = _score()
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    with capsys.disabled():
        print(f"\nnarrative corpus: {len(_corpus())} sentences, {tp + fn} statements; "
              f"precision {precision:.3f}, recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})")
        for w in wrong:
            print("  ", w)
    assert precision >= PRECISION_MIN and recall >= RECALL_MIN, wrong


@pytest.mark.parametrize("text,value", [("12", 12), ("１２", 12), ("十二", 12), ("两", 2), ("〇", 0), ("零", 0),
                                        ("一百零五", 105), ("二十", 20), ("十", 10), ("一〇五", 105),
                                        ("1,234", 1234), ("一千二百三十四", 1234), ("三万", 30000),
                                        ("3.5", Decimal("3.5")), ("叁", 3)])
def test_text_numerals(text, value):
    assert parse_text_numeral(text) == value


@pytest.mark.parametrize("text", ["", "abc", "十二三", "两两", "一二三四五六七八九十一二三四五六七八九十一二三四五",
                                  "99999999999"])
def test_not_numerals(text):
    assert parse_text_numeral(text) is None


def test_issue_example_untouched_by_the_old_gap_limit(load_fixture):
    """未收到任何形式的政府信息公开申请 while table 3 counts 3 new requests: a warning naming both."""
    r = load_fixture("pingqiao-minzheng-2024")
    r.sections["s1"] += "\n本年度未收到任何形式的政府信息公开申请。"
    for col in ("natural", "total"):
        r.values[f"t3.new.{col}"] = 3
        r.values[f"t3.granted.{col}"] = 3
        r.values[f"t3.handled_total.{col}"] = 3
    fs = [f for f in check(r) if f.rule == "TEXT.NUMBERS"]
    assert fs and all(f.cells == ["s1", "t3.new.total"] for f in fs)
    assert any("任何形式的政府信息公开申请" in f.message and f.expected == 3 and f.actual == 0 for f in fs)


@pytest.mark.parametrize("sentence,cells", [
    ("上年结转政府信息公开申请2件。", ["t3.carried_in.total"]),
    ("结转下年度继续办理4件。", ["t3.carried_out.total"]),
    ("全年收到申请1件，予以公开5件。", ["t3.granted.total"]),
    ("行政复议案件3起。", ["t4.review.total"]),
    ("本年度制发行政规范性文件7件。", ["t2.normative.issued"]),
    ("全年行政事业性收费2.5万元。", ["t2.fees.amount"]),
])
def test_planted_statements_disagreeing_with_the_table(load_fixture, sentence, cells):
    r = load_fixture("wuzhong-minzheng-2023")
    assert not [f for f in check(r) if f.rule == "TEXT.NUMBERS"]
    r.sections["s6"] = r.sections["s6"] + "\n" + sentence
    fs = [f for f in check(r) if f.rule == "TEXT.NUMBERS"]
    assert [f.cells for f in fs] == [["s6"] + cells], [f.message for f in fs]
    assert sentence.rstrip("。")[-6:] in fs[0].message


CLEAN = sorted(glob.glob(str(FIXTURES / "*.nianbao"))) + sorted(glob.glob(str(PUBLISHED / "*.txt")))


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.rsplit("/", 1)[-1])
def test_clean_fixtures_have_no_text_warnings(path):
    report = open_report(path)
    assert [f.message for f in check(report) if f.rule.startswith("TEXT.")] == []
