"""Table 2's bound without last year (现行有效 ≥ 制发 − 废止) and the narrative statements a clerk's real text makes
about table 2 and the breakdown of table 3 (sums of coordinated results, 不予处理/其他处理, 另有…结转)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from app.model import NA
from app.narrative import claims
from app.rules import check


def found(report, rule):
    return [f for f in check(report) if f.rule == rule]


@pytest.mark.parametrize("doc", ["regulations", "normative"])
def test_in_force_below_issued_minus_repealed(load_fixture, doc):
    """制发/废止/现行有效 typed 1/0/0 instead of 0/1/0: flagged without last year's report."""
    r = load_fixture("wuzhong-minzheng-2023")
    r.values.update({f"t2.{doc}.issued": 1, f"t2.{doc}.repealed": 0, f"t2.{doc}.in_force": 0})
    fs = found(r, "T2.IN_FORCE_BOUND")
    assert len(fs) == 1
    assert fs[0].cells == [f"t2.{doc}.in_force", f"t2.{doc}.issued", f"t2.{doc}.repealed"]
    assert fs[0].expected == 1 and fs[0].actual == 0
    assert ("规章" if doc == "regulations" else "行政规范性文件") in fs[0].message and "不会是负数" in fs[0].message


@pytest.mark.parametrize("issued,repealed,in_force", [(0, 1, 0), (1, 0, 1), (5, 2, 3), (5, 7, 0), (3, 1, 40),
                                                      ("/", "/", "/"), (None, 0, 0), (2, None, 0)])
def test_in_force_within_the_bound_or_unknown(load_fixture, issued, repealed, in_force):
    r = load_fixture("wuzhong-minzheng-2023")
    for col, v in (("issued", issued), ("repealed", repealed), ("in_force", in_force)):
        r.set(f"t2.normative.{col}", NA if v == "/" else v)
    assert found(r, "T2.IN_FORCE_BOUND") == []


@pytest.mark.parametrize("name", ["wuzhong-minzheng-2023", "pingqiao-minzheng-2024", "weihui-minzheng-2022"])
def test_clean_fixtures_within_the_bound(load_fixture, name):
    assert found(load_fixture(name), "T2.IN_FORCE_BOUND") == []


def read(text):
    return sorted((c.quantity, Decimal(c.value)) for c in claims(text, 2023))


@pytest.mark.parametrize("text,want", [
    # the noun first, the verb after a comma
    ("对行政规范性文件进行集中清理，废止1件。", [("normative_repealed", 1)]),
    ("对政府规章和行政规范性文件进行集中清理，废止1件。", [("normative_repealed+regulations_repealed", 1)]),
    ("本年度新制定规章0件，废止规章1件。", [("regulations_issued", 0), ("regulations_repealed", 1)]),
    # coordinated results before one count: their sum
    ("本年度收到申请50件，其中：予以公开及部分公开42件。", [("granted+partial", 42), ("new", 50)]),
    ("本年度收到申请5件，行政复议、行政诉讼均为0件。", [("new", 5), ("review", 0), ("suit", 0)]),
    # 不予处理 / 其他处理 are results of the breakdown, not the 办结 total
    ("共办结申请10件，其中不予处理1件，其他处理2件。",
     [("handled", 10), ("other_handling", 2), ("rejected", 1)]),
    # the count first, the carry-over later in the sentence
    ("另有1件申请因需征求第三方意见，结转至下一年度继续办理。", [("carried_out", 1)]),
    # nothing to read
    ("加强规范性文件管理，严格合法性审核。", []),
    ("对规范性文件进行清理，废止的文件均已公开。", []),
    ("另有部分申请正在办理。", []),
])
def test_narrative_reads_the_real_phrasings(text, want):
    assert read(text) == sorted((q, Decimal(v)) for q, v in want)


def test_repeal_sentence_disagreeing_with_table_2(load_fixture):
    """A clerk's report: 1/0/0 typed, the text says 废止1件: both findings."""
    r = load_fixture("wuzhong-minzheng-2023")
    r.values.update({"t2.normative.issued": 1, "t2.normative.repealed": 0, "t2.normative.in_force": 0})
    r.sections["s1"] += "\n对政府规章和行政规范性文件进行集中清理，废止1件。"
    fs = found(r, "TEXT.NUMBERS")
    assert len(fs) == 1 and set(fs[0].cells) == {"s1", "t2.normative.repealed", "t2.regulations.repealed"}
    assert fs[0].actual == 1 and fs[0].expected == 0 and "废止1件" in fs[0].message
    r.values.update({"t2.normative.issued": 0, "t2.normative.repealed": 1})
    assert found(r, "TEXT.NUMBERS") == [] and found(r, "T2.IN_FORCE_BOUND") == []


def test_sum_statement_against_table_3(load_fixture):
    r = load_fixture("wuzhong-minzheng-2023")
    g, p = r.number("t3.granted.total"), r.number("t3.partial.total")
    n = r.number("t3.new.total")
    r.values["t3.partial.total"] = r.values["t3.partial.natural"] = p = 2  # 1 + 2: a sum that is neither
    r.values["t3.new.total"] = r.values["t3.new.natural"] = n = n + 2
    r.sections["s1"] += f"\n本年度收到申请{n}件，其中：予以公开及部分公开{g + p}件。"
    assert found(r, "TEXT.NUMBERS") == []
    r.sections["s1"] = r.sections["s1"].replace(f"部分公开{g + p}件", f"部分公开{g + p + 1}件")
    fs = found(r, "TEXT.NUMBERS")
    assert len(fs) == 1 and fs[0].expected == g + p and "予以公开数为" in fs[0].message
