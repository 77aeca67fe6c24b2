"""What a reviewer or third-party assessor checks that one report's arithmetic cannot show: copied paragraphs
(from last year, from another organ), a table copied from last year, headings against the 2021 wording, tables
missing or published as pictures, the deadline from the publication date, local rule packs, and what a 人民政府
must report in 六. Each planted in a real report and found; the clean fixtures and published texts raise none."""
from __future__ import annotations

import json

import pytest
from conftest import PUBLISHED

from app import project
from app.cli import main
from app.documents import open_report
from app.rulepacks import PackError, load_pack, parse_pack, using
from app.rules import check
from app.similarity import copied_passages

FIXTURES = ["wuzhong-minzheng-2023", "pingqiao-minzheng-2024", "weihui-minzheng-2022"]
ISSUE_25 = {"TEXT.COPIED", "TEXT.COPIED_ORGANS", "TABLE.SAME_AS_LAST_YEAR", "TEXT.HEADINGS", "TABLE.MISSING",
            "META.DEADLINE", "TEXT.GOV_ITEMS"}


def found(report, rule, previous=None):
    return [f for f in check(report, previous) if f.rule == rule]


def next_year(report):
    """The same organ's report a year later, its text rewritten (nothing copied) and table 3 changed."""
    r = report.copy()
    r.meta.year += 1
    r.meta.date = f"{r.meta.year + 1}-01-20"
    r.sections = {"s1": "本年度，本局认真贯彻落实政务公开各项部署，围绕中心工作推进决策、执行、管理、服务、结果公开，"
                        "全年未收到政府信息公开申请，未发生行政复议和行政诉讼。",
                  "s5": "（一）存在的主要问题\n政策解读形式较为单一，图解、视频解读偏少，"
                        "基层政务公开标准目录更新滞后。\n"
                        "（二）改进情况\n针对上年度报告指出的栏目更新不及时问题，已建立周更新制度并整改到位；"
                        "下一步将丰富解读形式，按季度更新标准目录。",
                  "s6": f"本机关{r.meta.year}年未收取信息处理费。"}
    for k in list(r.values):
        if k.startswith("t3.") or k.startswith("t4."):
            r.values[k] = 0
    r.values["t2.licensing.decisions"] = (r.number("t2.licensing.decisions") or 0) + 3
    return r


def test_rules_are_in_the_format_and_documented():
    from conftest import ROOT

    from app.formats import load_format
    ids = {r["id"] for r in load_format().rules}
    doc = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    for rid in ISSUE_25 | {"T2.IN_FORCE_BOUND"}:
        assert rid in ids and f"`{rid}`" in doc, rid


@pytest.mark.parametrize("name", FIXTURES)
def test_clean_fixtures_have_none_of_these_findings(load_fixture, name):
    r = load_fixture(name)
    assert [f.message for f in check(r) if f.rule in ISSUE_25] == []
    # checked against a rewritten next year, and that year against this one: nothing copied
    later = next_year(r)
    assert [f.message for f in check(later, r) if f.rule in ISSUE_25] == []


@pytest.mark.parametrize("name", FIXTURES)
def test_published_texts_have_none_of_these_findings(name):
    r = open_report(PUBLISHED / f"{name}.txt")
    assert [f.message for f in check(r) if f.rule in ISSUE_25] == []


# -- 25.1 copied paragraphs and sentences -----------------------------------------------------------------------

def test_paragraph_copied_from_last_year(load_fixture):
    last = load_fixture("wuzhong-minzheng-2023")
    this = next_year(last)
    para = last.sections["s5"].split("\n")[1]  # a paragraph of last year's 五 (115 characters)
    this.sections["s5"] += "\n" + para
    fs = found(this, "TEXT.COPIED", last)
    assert len(fs) == 1 and fs[0].cells == ["s5"]
    assert "上年（2023年）报告" in fs[0].message and "1段" in fs[0].message and "内容雷同" in fs[0].message
    assert fs[0].actual >= 90
    assert found(this, "TEXT.SIMILAR", last) == []  # the section as a whole is new
    assert found(this, "TEXT.COPIED") == []  # without last year's report: nothing to compare


def test_long_sentence_copied_with_the_year_changed(load_fixture):
    last = load_fixture("wuzhong-minzheng-2023")
    this = next_year(last)
    sentence = next(s for s in last.sections["s1"].split("。") if "三审三校" in s) + "。"
    this.sections["s1"] += "\n" + "另外，" + sentence.replace("2023", "2024") \
        + "今年还新开设了意见征集栏目，收到建议十余条。"
    fs = found(this, "TEXT.COPIED", last)
    assert len(fs) == 1 and "1个长句" in fs[0].message and "进一步强化政府信息公开监督" in fs[0].message


def test_a_section_copied_whole_is_text_similar_not_copied(load_fixture):
    last = load_fixture("wuzhong-minzheng-2023")
    this = next_year(last)
    this.sections["s5"] = last.sections["s5"]
    assert [f.cells for f in found(this, "TEXT.SIMILAR", last)] == [["s5"]]
    assert found(this, "TEXT.COPIED", last) == []


def test_standard_sentences_are_not_copies(load_fixture):
    last = load_fixture("wuzhong-minzheng-2023")
    this = next_year(last)
    this.sections["s6"] = "本机关2024年未收取信息处理费。\n（一）信息处理费收取情况\n本年度未收取信息处理费。"
    this.sections["s1"] += "\n本报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止。"
    assert found(this, "TEXT.COPIED", last) == []


def test_copied_passages_counts_what_was_copied():
    a = "我们自己写的第一段，讲本年度新开展的工作，与别人都不一样，内容是本机关独有的做法和成效。\n" \
        + "这一段是照抄的：进一步强化政府信息公开监督，严格落实三审三校制度，" \
          "做到发布前严格把关、发布时严密监督、发布后定期自查，确保信息发布准确。"
    b = "别人的报告。进一步强化政府信息公开监督，严格落实三审三校制度，" \
        "做到发布前严格把关、发布时严密监督、发布后定期自查，确保信息发布准确、安全、高效。"
    got = copied_passages(a, b)
    assert len(got) == 1 and got[0].start > 0 and "三审三校" in a[got[0].start:got[0].end]
    assert got[0].chars < got[0].length  # "这一段是照抄的" is not copied
    assert copied_passages(a, "完全不同的另一份报告文字。" * 20) == []


def _folder(tmp_path, reports):
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, rep in reports.items():
        project.save(rep, folder / f"{name}.nianbao")
    return folder


def test_paragraphs_copied_from_another_organ_in_batch_check(tmp_path, load_fixture, capsys):
    """Two paragraphs of 平桥's 五 inside an otherwise different 五 of 卫辉: named, with how much was copied."""
    a = load_fixture("weihui-minzheng-2022")
    c = load_fixture("pingqiao-minzheng-2024")
    a.sections["s5"] += "\n" + c.sections["s5"]
    out = tmp_path / "汇总.xlsx"
    rc = main(["check", str(_folder(tmp_path, {"a": a, "c": c, "w": load_fixture("wuzhong-minzheng-2023")})),
               "--json", "--xlsx", str(out)])
    assert rc in (0, 1)
    docs = {d["path"].rsplit("/", 1)[-1]: d for d in json.loads(capsys.readouterr().out)["reports"]}
    got = {n: [(f["cells"], f["message"]) for f in d["findings"] if f["rule"] == "TEXT.COPIED_ORGANS"]
           for n, d in docs.items()}
    assert [c for c, _ in got["a.nianbao"]] == [["s5"]] and [c for c, _ in got["c.nianbao"]] == [["s5"]]
    assert got["w.nianbao"] == []
    msg = got["a.nianbao"][0][1]
    assert "平桥区民政局" in msg and "1段、1个长句（共259字" in msg and "内容雷同" in msg
    assert all(f["rule"] != "TEXT.SIMILAR_ORGANS" or f["cells"] != ["s5"] for f in docs["a.nianbao"]["findings"])


def test_three_different_organs_nothing_copied_in_batch(tmp_path, load_fixture, capsys):
    rc = main(["check", str(_folder(tmp_path, {n: load_fixture(n) for n in FIXTURES})), "--json"])
    assert rc in (0, 1)
    docs = json.loads(capsys.readouterr().out)["reports"]
    assert [f for d in docs for f in d["findings"] if f["rule"] == "TEXT.COPIED_ORGANS"] == []


# -- 25.2 a table copied from last year -------------------------------------------------------------------------

@pytest.mark.parametrize("tid", ["t2", "t3", "t4"])
def test_table_identical_to_last_year(load_fixture, tid):
    last = load_fixture("wuzhong-minzheng-2023")
    this = next_year(last)
    for c in this.format.cells_of(tid):
        this.values[c] = last.values.get(c)
    if tid == "t4":  # the fixture's table 4 is all zeros: give it a case in both years
        for r in (last, this):
            r.values.update({"t4.review.upheld": 1, "t4.review.total": 1})
    fs = found(this, "TABLE.SAME_AS_LAST_YEAR", last)
    assert len(fs) == 1 and set(fs[0].cells) == set(this.format.cells_of(tid)) and "照抄" in fs[0].message
    this.values[this.format.cells_of(tid)[0]] = (last.values[this.format.cells_of(tid)[0]] or 0) + 1
    assert found(this, "TABLE.SAME_AS_LAST_YEAR", last) == []


def test_a_table_with_a_blank_is_not_called_copied(load_fixture):
    """A blank cell in both years (the same values otherwise, 不适用 and an invalid value among them): the table is
    not said to be copied (CELL.VALUE names the blank); without the blank it is."""
    from app.values import NA, Invalid
    last = load_fixture("wuzhong-minzheng-2023")
    this = next_year(last)
    cells = this.format.cells_of("t4")
    for r in (last, this):
        r.values.update({c: 1 for c in cells})
        r.values[cells[1]], r.values[cells[2]] = NA, Invalid("一")
    assert len(found(this, "TABLE.SAME_AS_LAST_YEAR", last)) == 1
    for k in (0, 5, len(cells) - 1):
        for r in (last, this):
            r.values[cells[k]] = None
        assert found(this, "TABLE.SAME_AS_LAST_YEAR", last) == []
        for r in (last, this):
            r.values[cells[k]] = 1


def test_table_2_with_only_documents_in_force_may_repeat(load_fixture):
    """Nothing issued, repealed or decided in either year: the same 现行有效 count is right, not copied."""
    last = load_fixture("wuzhong-minzheng-2023")
    this = next_year(last)
    for r in (last, this):
        for c in r.format.cells_of("t2"):
            r.values[c] = 0
        r.values["t2.normative.in_force"] = 5
    assert found(this, "TABLE.SAME_AS_LAST_YEAR", last) == []
    for r in (last, this):
        r.values["t2.penalty.decisions"] = 2
    assert [f.cells[0][:2] for f in found(this, "TABLE.SAME_AS_LAST_YEAR", last)] == ["t2"]


def test_all_zero_tables_may_repeat(load_fixture):
    last = load_fixture("wuzhong-minzheng-2023")
    this = next_year(last)  # table 3 and 4 all zeros in both years
    for r in (last, this):
        for c in r.format.cells_of("t3") + r.format.cells_of("t4"):
            r.values[c] = 0
    assert found(this, "TABLE.SAME_AS_LAST_YEAR", last) == []


# -- 25.3 headings -----------------------------------------------------------------------------------------------

def _report_text(name, replace):
    text = (PUBLISHED / f"{name}.txt").read_text(encoding="utf-8")
    for a, b in replace.items():
        assert a in text
        text = text.replace(a, b)
    return text


def test_old_and_invented_headings_name_the_expected_one(tmp_path):
    text = _report_text("weihui-minzheng-2022", {
        "四、政府信息公开行政复议、行政诉讼情况": "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况",
        "五、存在的主要问题及改进情况": "五、政府信息公开工作存在的主要问题及改进措施"})
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    r = open_report(p)
    fs = found(r, "TEXT.HEADINGS")
    assert [f.cells for f in fs] == [["t4"], ["s5"]]
    assert "应为“四、政府信息公开行政复议、行政诉讼情况”" in fs[0].message
    assert "应为“五、存在的主要问题及改进情况”" in fs[1].message
    # the project file keeps what the import saw
    project.save(r, tmp_path / "r.nianbao")
    assert [f.cells for f in found(project.load(tmp_path / "r.nianbao"), "TEXT.HEADINGS")] == [["t4"], ["s5"]]


def test_numbered_points_inside_sections_are_not_headings(tmp_path):
    text = _report_text("weihui-minzheng-2022", {"五、存在的主要问题及改进情况": "五、存在的主要问题及改进情况\n一、"
                                                                   "加强组织领导\n二、强化队伍建设"})
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    assert found(open_report(p), "TEXT.HEADINGS") == []


# -- 25.4 tables missing or pictures -----------------------------------------------------------------------------

def _without_tables(name):
    """The published text with its three tables cut out (as when they were pictures)."""
    text = (PUBLISHED / f"{name}.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    heads = [i for i, line in enumerate(lines) if line.strip().startswith(("二、", "三、", "四、", "五、"))]
    two, five = heads[0], heads[-1]
    keep = lines[:two] + ["二、主动公开政府信息情况", "[图片]", "三、收到和处理政府信息公开申请情况", "[图片]",
                          "四、政府信息公开行政复议、行政诉讼情况", "[图片]"] + lines[five:]
    return "\n".join(keep)


def test_tables_as_pictures_are_a_finding_and_the_rest_is_read(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(_without_tables("weihui-minzheng-2022"), encoding="utf-8")
    r = open_report(p)  # not refused
    fs = check(r)
    miss = [f for f in fs if f.rule == "TABLE.MISSING"]
    assert [f.cells for f in miss] == [list(r.format.cells_of(t)) for t in ("t2", "t3", "t4")]
    assert all("表格缺失或为图片，无法核验" in f.message for f in miss)
    assert not [f for f in fs if f.rule == "CELL.VALUE"]  # the blanks are that finding, not 未填写 ×3
    assert r.meta.organ and r.meta.year == 2022 and len(r.sections["s1"]) > 100 and r.sections["s6"]
    # the rest is still checked: a narrative rule on its text
    r.meta.organ = "卫辉市人民政府"
    assert found(r, "TEXT.GOV_ITEMS")
    # once the clerk types the table in, the finding for it goes
    for c in r.format.cells_of("t4"):
        r.values[c] = 0
    assert [f.cells[0][:2] for f in found(r, "TABLE.MISSING")] == ["t2", "t3"]


def test_a_document_that_is_no_report_is_still_refused(tmp_path):
    from app.importers.base import OpenError
    p = tmp_path / "x.txt"
    p.write_text("会议通知\n定于下周一召开全体会议。\n请准时参加。\n", encoding="utf-8")
    with pytest.raises(OpenError):
        open_report(p)


# -- 25.5 deadline from the publication date ---------------------------------------------------------------------

def _page(tmp_path, published, organ="卫辉市民政局"):
    text = (PUBLISHED / "weihui-minzheng-2022.txt").read_text(encoding="utf-8")
    head = f"索引号：11410781MB1C123456/2023-00012\n发布机构：{organ}\n发布日期：{published}\n"
    p = tmp_path / "page.txt"
    p.write_text(head + text, encoding="utf-8")
    return open_report(p)


def test_publication_date_and_index_number_read_from_a_saved_page(tmp_path):
    r = _page(tmp_path, "2023年01月18日")
    assert r.extra["published"] == "2023-01-18" and r.extra["index_no"] == "11410781MB1C123456/2023-00012"
    assert found(r, "META.DEADLINE") == []


def test_late_publication_is_not_hidden_by_an_early_date_of_issue(tmp_path):
    r = _page(tmp_path, "2023-02-20 09:30")
    r.meta.date = "2023-01-15"  # signed in time, published late
    fs = found(r, "META.DEADLINE")
    assert len(fs) == 1 and "发布日期2023年2月20日" in fs[0].message and "不按时发布" in fs[0].message
    assert fs[0].cells == []


@pytest.mark.parametrize("organ,date,late", [
    ("吴忠市民政局", "2024-01-31", False), ("吴忠市民政局", "2024-02-01", True),
    ("吴忠市人民政府", "2024-03-31", False), ("吴忠市人民政府", "2024-04-01", True),
    ("利通区人民政府", "2024-03-31", False),
    # 乡镇人民政府: not 3月31日 (条例第四十九条 names 县级以上); 1月31日 unless a pack says otherwise
    ("金积镇人民政府", "2024-01-31", False), ("金积镇人民政府", "2024-03-01", True),
    ("扁担沟镇人民政府", "2024-02-01", True), ("马莲渠乡人民政府", "2024-02-01", True),
])
def test_deadline_by_kind_of_organ(load_fixture, organ, date, late):
    r = load_fixture("wuzhong-minzheng-2023")
    r.meta.organ, r.meta.date = organ, date
    fs = found(r, "META.DEADLINE")
    assert bool(fs) == late
    if late:
        assert fs[0].cells == ["meta.date"] and "成文日期" in fs[0].message


def test_a_pack_changes_the_deadline_of_towns(load_fixture):
    pack = parse_pack({"name": "本市", "overrides": {"META.DEADLINE": {"special": [
        {"organ_pattern": "(乡|镇)人民政府$", "deadline": [3, 31, "本市通知：乡镇3月31日"]}]}}})
    r = load_fixture("wuzhong-minzheng-2023")
    r.meta.organ, r.meta.date = "金积镇人民政府", "2024-03-01"
    assert found(r, "META.DEADLINE")
    with using(pack):
        assert found(r, "META.DEADLINE") == []
        r.meta.date = "2024-04-01"
        assert "本市通知：乡镇3月31日" in found(r, "META.DEADLINE")[0].message


# -- 25.6 local rule packs ---------------------------------------------------------------------------------------

EXAMPLE = __import__("conftest").ROOT / "resources" / "rulepacks" / "example-2025.json"


def test_example_pack_loads_and_its_rules_run(load_fixture):
    pack = load_pack(EXAMPLE)
    r = load_fixture("wuzhong-minzheng-2023")
    with using(pack):
        fs = {f.rule: f for f in check(r)}
    assert "LOCAL.ZHUANQU" in fs and "政务公开专区" in fs["LOCAL.ZHUANQU"].message
    assert "LOCAL.S1_LENGTH" not in fs  # 一 is within 1000 characters
    assert "LOCAL.GONGBAO" not in fs  # for 人民政府 only
    assert not [f for f in check(r) if f.rule.startswith("LOCAL.")]  # not active: not run


def test_pack_rules_find_and_pass(load_fixture):
    pack = parse_pack({"name": "测试", "rules": [
        {"id": "LOCAL.S1_LENGTH", "severity": "warning", "type": "max_chars", "section": "s1", "max": 300,
         "hint": "总体情况篇幅原则上不超过三百字。"},
        {"id": "LOCAL.GONGBAO", "severity": "error", "type": "must_mention", "sections": ["s1", "s6"],
         "phrases": ["政府公报", "公报"]}]})
    r = load_fixture("wuzhong-minzheng-2023")
    with using(pack):
        fs = [f for f in check(r) if f.rule.startswith("LOCAL.")]
        assert [(f.rule, f.cells, f.severity) for f in fs] == [
            ("LOCAL.S1_LENGTH", ["s1"], "warning"), ("LOCAL.GONGBAO", ["s1"], "error"),
            ("LOCAL.GONGBAO", ["s6"], "error")]
        assert fs[0].expected == 300 and fs[0].actual > 300 and "三百字" in fs[0].message
        r.sections["s1"] = "本年度通过政府公报公开文件。"
        r.sections["s6"] = "编印公报4期。本机关未收取信息处理费。"
        assert [f for f in check(r) if f.rule.startswith("LOCAL.")] == []


@pytest.mark.parametrize("text,ok", [("本年度建成政务公开专区12个，实现镇街全覆盖。", True),
                                     ("依托12个政务公开专区提供查阅服务。", True),
                                     ("加强政务公开专区建设，提升服务水平。", False),
                                     ("政务公开专区建设2024年完成。", False)])
def test_pack_rule_asking_for_a_count(load_fixture, text, ok):
    pack = parse_pack({"name": "本市", "rules": [{"id": "LOCAL.ZHUANQU", "type": "must_mention", "section": "s1",
                                                 "phrases": ["政务公开专区"], "with_count": True}]})
    r = load_fixture("wuzhong-minzheng-2023")
    r.sections["s1"] += "\n" + text
    with using(pack):
        fs = found(r, "LOCAL.ZHUANQU")
    assert (fs == []) == ok
    if not ok:
        assert "数量" in fs[0].message


@pytest.mark.parametrize("data,words", [
    ([], "JSON 对象"),
    ({"rules": []}, "缺少名称"),
    ({"name": "x", "rules": {}}, "列表"),
    ({"name": "x", "rules": []}, "没有任何规则"),
    ({"name": "x", "rulez": []}, "不认识的项：rulez"),
    ({"name": "x", "rules": [{"id": "CELL.VALUE", "type": "max_chars", "section": "s1", "max": 1}]}, "重名"),
    ({"name": "x", "rules": [{"id": "L.A", "type": "max_chars", "section": "s1", "max": 1},
                             {"id": "L.A", "type": "max_chars", "section": "s1", "max": 1}]}, "重复"),
    ({"name": "x", "rules": [{"id": "L.A", "type": "min_chars", "section": "s1"}]}, "类型“min_chars”不认识"),
    ({"name": "x", "rules": [{"id": "L.A", "type": "max_chars", "section": "s2", "max": 1}]}, "s1（一、总体情况）"),
    ({"name": "x", "rules": [{"id": "L.A", "type": "max_chars", "section": "s1", "max": "1000"}]}, "字数上限"),
    ({"name": "x", "rules": [{"id": "L.A", "type": "max_chars", "section": "s1", "max": 0}]}, "字数上限"),
    ({"name": "x", "rules": [{"id": "L.A", "type": "must_mention", "section": "s1", "phrases": []}]}, "phrases"),
    ({"name": "x", "rules": [{"id": "L.A", "type": "must_mention", "section": "s1", "phrase": ["a"]}]}, "不认识的项："
                                                                                                        "phrase"),
    ({"name": "x", "rules": [{"id": "L.A", "type": "max_chars", "section": "s1", "max": 9, "severity": "fatal"}]},
     "级别“fatal”"),
    ({"name": "x", "rules": [{"id": "L.A", "type": "max_chars", "section": "s1", "max": 9, "organ_pattern": "(("}]},
     "正则表达式"),
    ({"name": "x", "rules": [{"id": "规则1", "type": "max_chars", "section": "s1", "max": 9}]}, "编号"),
    ({"name": "x", "overrides": {"T3.BALANCE": {"threshold": 1}}}, "不能由规则包修改"),
    ({"name": "x", "overrides": {"META.DEADLINE": {"default": [2, 30, "x"]}}}, "[月, 日, 说明]"),
    ({"name": "x", "overrides": {"META.DEADLINE": {"hint": "x"}}}, "只能包含"),
    ({"name": "x", "rules": [{"id": "L.A", "type": "must_mention", "section": "s1", "phrases": ["a"],
                              "with_count": "yes"}]}, "with_count"),
])
def test_bad_packs_are_refused_with_a_chinese_message(data, words):
    from conftest import is_chinese_message
    with pytest.raises(PackError) as e:
        parse_pack(data)
    assert words in str(e.value) and is_chinese_message(str(e.value)), str(e.value)


@pytest.mark.parametrize("content,words", [(b"{", "不是有效的 JSON"), (b"\xff\xfe{}", "UTF-8"),
                                           (b'{"name": NaN}', "NaN"), (b"[" * 100000, "嵌套")],
                         ids=["truncated", "utf16", "nan", "deep"])
def test_bad_pack_files(tmp_path, content, words):
    p = tmp_path / "p.json"
    p.write_bytes(content)
    with pytest.raises(PackError) as e:
        load_pack(p)
    assert words in str(e.value) and str(p) in str(e.value)


def test_check_with_a_pack_in_every_output(tmp_path, load_fixture, capsys):
    from openpyxl import load_workbook
    f = tmp_path / "r.nianbao"
    project.save(load_fixture("wuzhong-minzheng-2023"), f)
    assert main(["check", str(f), "--rules", str(EXAMPLE)]) == 0
    assert "LOCAL.ZHUANQU" in capsys.readouterr().out
    assert main(["check", str(f), "--json", f"--rules={EXAMPLE}"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert "LOCAL.ZHUANQU" in [x["rule"] for x in doc["reports"][0]["findings"]]
    assert doc["rule_pack"]["name"].startswith("示例")
    out = tmp_path / "汇总.xlsx"
    assert main(["check", str(f), "--rules", str(EXAMPLE), "--xlsx", str(out)]) == 0
    capsys.readouterr()
    assert "LOCAL.ZHUANQU" in [r[4] for r in load_workbook(out)["全部问题"].iter_rows(min_row=2, values_only=True)]
    # after the command, no pack is active
    assert not [x for x in check(load_fixture("wuzhong-minzheng-2023")) if x.rule.startswith("LOCAL.")]


def test_check_with_a_bad_pack_says_so(tmp_path, load_fixture, capsys):
    f = tmp_path / "r.nianbao"
    project.save(load_fixture("wuzhong-minzheng-2023"), f)
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "x", "rules": [{"id": "L.A", "type": "max_chars"}]}', encoding="utf-8")
    assert main(["check", str(f), "--rules", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "第 1 条规则（L.A）" in err and "Traceback" not in err
    assert main(["check", str(f), "--rules", str(tmp_path / "none.json")]) == 2
    assert "不存在" in capsys.readouterr().err


# -- 25.7 what a 人民政府's 六 must report ---------------------------------------------------------------------

def test_peoples_government_six_names_each_missing_item(load_fixture):
    r = load_fixture("weihui-minzheng-2022")
    assert found(r, "TEXT.GOV_ITEMS") == []  # a department: not required
    r.meta.organ = "卫辉市人民政府"
    fs = found(r, "TEXT.GOV_ITEMS")
    assert len(fs) == 1 and fs[0].cells == ["s6"]
    for item in ("落实上级年度政务公开工作要点情况", "人大代表建议和政协提案办理结果公开情况", "年度工作创新情况",
                 "数据统计需要说明的事项"):
        assert item in fs[0].message
    r.sections["s6"] += ("\n（二）落实上级年度政务公开工作要点情况。按照省政府办公厅工作要点逐项落实。"
                         "\n（三）人大代表建议和政协提案办理结果公开情况。全年公开建议提案办理复文45件。")
    fs = found(r, "TEXT.GOV_ITEMS")
    assert len(fs) == 1 and "工作要点" not in fs[0].message and "政协提案" not in fs[0].message
    assert "年度工作创新情况" in fs[0].message and "数据统计需要说明的事项" in fs[0].message
    r.sections["s6"] += "\n（四）年度工作创新情况。开设政策问答专栏。\n（五）数据统计需要说明的事项。无。"
    assert found(r, "TEXT.GOV_ITEMS") == []


def test_publication_date_of_a_saved_web_page_in_its_information_table(tmp_path, load_fixture):
    """A saved page (HTML) with the site's information table above the report: 索引号 and 发布日期 in cells."""
    from fuzz.docs import html_from_report
    r = load_fixture("wuzhong-minzheng-2023")
    page = html_from_report(r)
    info = ("<table><tr><td>索引号</td><td>11640300MB1C12345X/2024-00007</td>"
            "<td>发布机构</td><td>吴忠市民政局</td></tr>"
            "<tr><td>成文日期</td><td>2024-01-16</td><td>发布日期</td><td>2024-02-06</td></tr></table>")
    page = page.replace("<body>", "<body>" + info, 1)
    assert info in page
    p = tmp_path / "page.html"
    p.write_text(page, encoding="utf-8")
    got = open_report(p)
    assert got.extra["published"] == "2024-02-06" and got.extra["index_no"] == "11640300MB1C12345X/2024-00007"
    fs = found(got, "META.DEADLINE")
    assert len(fs) == 1 and "发布日期2024年2月6日" in fs[0].message
    assert {c: got.values.get(c) for c in r.format.cells} == {c: r.values.get(c) for c in r.format.cells}


def test_word_document_with_tables_as_pictures(tmp_path):
    """The same in Word: a picture under each table heading, the narrative as paragraphs."""
    import struct
    import zlib

    import docx

    def png() -> bytes:  # a 2×2 grey image, made here (no file of someone else's)
        raw = b"".join(b"\x00" + b"\x80\x80\x80" * 2 for _ in range(2))
        chunk = lambda kind, data: (struct.pack(">I", len(data)) + kind + data
                                    + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

    img = tmp_path / "t.png"
    img.write_bytes(png())
    d = docx.Document()
    for line in _without_tables("weihui-minzheng-2022").split("\n"):
        if line.strip() == "[图片]":
            d.add_picture(str(img))
        elif line.strip():
            d.add_paragraph(line.strip())
    p = tmp_path / "r.docx"
    d.save(p)
    r = open_report(p)
    miss = [f for f in check(r) if f.rule == "TABLE.MISSING"]
    assert len(miss) == 3 and r.meta.year == 2022 and r.sections["s5"]


def test_pack_files_that_are_no_packs(tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 1_100_000)
    with pytest.raises(PackError, match="过大"):
        load_pack(big)
    with pytest.raises(PackError, match="不是文件"):
        load_pack(tmp_path)
    bom = tmp_path / "bom.json"  # saved by Notepad: UTF-8 with a byte-order mark
    bom.write_bytes(EXAMPLE.read_bytes().decode("utf-8").encode("utf-8-sig"))
    assert load_pack(bom).name.startswith("示例")


def test_headings_written_with_other_punctuation_are_the_same_headings(tmp_path):
    text = _report_text("weihui-minzheng-2022", {
        "四、政府信息公开行政复议、行政诉讼情况": "四．政府信息公开行政复议,行政诉讼情况",
        "一、总体情况": "一、总体情况。"})
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    r = open_report(p)
    assert any("行政复议,行政诉讼" in h for h in r.extra["headings"])
    assert found(r, "TEXT.HEADINGS") == []
