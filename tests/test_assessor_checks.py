"""Checks beyond arithmetic that assessors apply: each planted in a clean fixture, found with its rule
id and the cells/sections it names; the clean fixtures stay free of them; 内容雷同 across organs in batch check."""
from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from app import project
from app.cli import main
from app.rules import check

NEW_RULES = {"TEXT.S5_SUBSTANCE", "TEXT.S5_FOLLOW_UP", "TEXT.FEE_STATEMENT", "TEXT.ASSESSMENT", "META.DEADLINE",
             "TEXT.PERIOD_YEAR", "YEAR.JUMP", "TEXT.SIMILAR_ORGANS"}


def found(report, rule, previous=None):
    return [f for f in check(report, previous) if f.rule == rule]


def test_rules_are_in_the_format_and_documented():
    from conftest import ROOT

    from app.formats import load_format
    ids = {r["id"] for r in load_format().rules}
    doc = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    for rid in NEW_RULES:
        assert rid in ids and f"`{rid}`" in doc, rid


@pytest.mark.parametrize("name", ["wuzhong-minzheng-2023", "pingqiao-minzheng-2024", "weihui-minzheng-2022"])
def test_clean_fixtures_have_none_of_the_new_findings(load_fixture, name):
    assert [f.message for f in check(load_fixture(name)) if f.rule in NEW_RULES] == []


@pytest.mark.parametrize("text", ["无", "暂无。", "存在问题：无。改进措施：继续做好信息公开工作。",
                                  "（一）存在的主要问题\n无\n（二）改进情况\n进一步加强信息公开工作。"])
def test_s5_without_substance(load_fixture, text):
    r = load_fixture("wuzhong-minzheng-2023")
    r.sections["s5"] = text
    fs = found(r, "TEXT.S5_SUBSTANCE")
    assert len(fs) == 1 and fs[0].cells == ["s5"] and "敷衍塞责" in fs[0].message


def test_s5_follow_up_of_last_years_problems(load_fixture):
    last = load_fixture("wuzhong-minzheng-2023")
    this = load_fixture("wuzhong-minzheng-2023")
    this.meta.year, this.meta.date = 2024, "2025-01-15"
    for k in list(this.values):
        if k.startswith("t3.carried_in."):
            this.values[k] = last.values[k.replace("carried_in", "carried_out")]
    fs = found(this, "TEXT.S5_FOLLOW_UP", last)
    assert len(fs) == 1 and fs[0].cells == ["s5"]
    assert found(this, "TEXT.S5_FOLLOW_UP") == []  # without last year's report: nothing to compare
    this.sections["s5"] = "针对上年度报告指出的栏目更新不及时问题，已建立周更新制度并整改到位。\n" + this.sections["s5"]
    assert found(this, "TEXT.S5_FOLLOW_UP", last) == []


def test_s6_without_the_fee_statement(load_fixture):
    r = load_fixture("pingqiao-minzheng-2024")
    r.sections["s6"] = "本年度无其他需要报告的事项。"
    fs = found(r, "TEXT.FEE_STATEMENT")
    assert len(fs) == 1 and fs[0].cells == ["s6"] and "信息处理费" in fs[0].message


def test_peoples_government_without_assessment_results(load_fixture):
    r = load_fixture("weihui-minzheng-2022")
    assert found(r, "TEXT.ASSESSMENT") == []  # a department: not required
    r.meta.organ = "卫辉市人民政府"
    fs = found(r, "TEXT.ASSESSMENT")
    assert len(fs) == 1 and fs[0].cells == ["s1", "s6"] and "第五十条" in fs[0].message
    assert "工作考核" in fs[0].message and "责任追究结果" in fs[0].message
    r.sections["s1"] += "\n（五）监督保障情况。将政务公开纳入年度绩效考核，开展社会评议，全年未发生责任追究情况。"
    assert found(r, "TEXT.ASSESSMENT") == []


@pytest.mark.parametrize("organ,date,late", [
    ("吴忠市民政局", "2024-01-31", False), ("吴忠市民政局", "2024-02-01", True),
    ("吴忠市人民政府", "2024-03-31", False), ("吴忠市人民政府", "2024-04-01", True),
])
def test_date_after_the_statutory_deadline(load_fixture, organ, date, late):
    r = load_fixture("wuzhong-minzheng-2023")
    r.meta.organ, r.meta.date = organ, date
    fs = found(r, "META.DEADLINE")
    assert bool(fs) == late
    if late:
        assert fs[0].cells == ["meta.date"] and "不按时发布" in fs[0].message


def test_statistical_period_naming_another_year(load_fixture):
    r = load_fixture("wuzhong-minzheng-2023")
    r.sections["s1"] = "本报告统计数据从2022年1月1日至2022年12月31日。\n" + r.sections["s1"]
    fs = found(r, "TEXT.PERIOD_YEAR")
    assert len(fs) == 1 and fs[0].cells == ["s1"] and fs[0].actual == 2022
    r.sections["s1"] = r.sections["s1"].replace("2022年", "2023年")
    assert found(r, "TEXT.PERIOD_YEAR") == []


def test_jump_against_last_year_unless_explained(load_fixture):
    last = load_fixture("wuzhong-minzheng-2023")
    this = load_fixture("wuzhong-minzheng-2023")
    this.meta.year = 2024
    last.values["t2.licensing.decisions"] = 17
    this.values["t2.licensing.decisions"] = 120
    fs = found(this, "YEAR.JUMP", last)
    assert [f.cells for f in fs] == [["t2.licensing.decisions"]] and fs[0].expected == 17 and fs[0].actual == 120
    this.values["t2.licensing.decisions"] = 3
    assert [f.cells for f in found(this, "YEAR.JUMP", last)] == [["t2.licensing.decisions"]]
    this.values["t2.licensing.decisions"] = 80  # ×4.7: within the bound
    assert found(this, "YEAR.JUMP", last) == []
    this.values["t2.licensing.decisions"] = 120
    this.sections["s1"] += "\n因养老机构备案改为许可，行政许可决定较上年大幅增加。"
    assert found(this, "YEAR.JUMP", last) == []


def _three_organs(tmp_path, load_fixture):
    a = load_fixture("wuzhong-minzheng-2023")
    b = load_fixture("wuzhong-minzheng-2023")
    b.meta.organ = "青铜峡市民政局"
    c = load_fixture("pingqiao-minzheng-2024")
    b.sections["s1"] = c.sections["s1"]  # s1 copied from 平桥; s5 and s6 stay copied from 吴忠
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, rep in (("a", a), ("b", b), ("c", c)):
        project.save(rep, folder / f"{name}.nianbao")
    return folder


def test_near_identical_sections_of_different_organs_in_batch_check(tmp_path, load_fixture, capsys):
    folder = _three_organs(tmp_path, load_fixture)
    out = tmp_path / "汇总.xlsx"
    rc = main(["check", str(folder), "--json", "--xlsx", str(out)])
    assert rc in (0, 1)
    docs = {d["path"].rsplit("/", 1)[-1]: d for d in json.loads(capsys.readouterr().out)["reports"]}
    sim = {n: sorted(tuple(f["cells"]) for f in d["findings"] if f["rule"] == "TEXT.SIMILAR_ORGANS")
           for n, d in docs.items()}
    assert sim == {"a.nianbao": [("s5",), ("s6",)], "b.nianbao": [("s1",), ("s5",), ("s6",)], "c.nianbao": [("s1",)]}
    msg = next(f["message"] for f in docs["a.nianbao"]["findings"] if f["rule"] == "TEXT.SIMILAR_ORGANS")
    assert "青铜峡市民政局" in msg and "内容雷同" in msg
    rows = [r for r in load_workbook(out)["全部问题"].iter_rows(min_row=2, values_only=True)
            if r[4] == "TEXT.SIMILAR_ORGANS"]
    assert len(rows) == 6


def test_same_organ_two_years_is_not_cross_organ(tmp_path, load_fixture, capsys):
    a = load_fixture("wuzhong-minzheng-2023")
    b = load_fixture("wuzhong-minzheng-2023")
    b.meta.year = 2022
    folder = tmp_path / "r"
    folder.mkdir()
    project.save(a, folder / "a.nianbao")
    project.save(b, folder / "b.nianbao")
    main(["check", str(folder), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert not [f for d in out["reports"] for f in d["findings"] if f["rule"] == "TEXT.SIMILAR_ORGANS"]
