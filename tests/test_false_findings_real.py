"""Findings that real published reports do not deserve (tests/fixtures/real/): each with the published sentence it
came from, placed in a clean fixture with the table values of that report, and a twin that still contradicts the
table and must still be found. Sources: tests/fixtures/real/README.md (each document's address)."""
from __future__ import annotations

import pytest
from conftest import FIXTURES

from app.rules import check

REAL_DOCS = FIXTURES / "real" / "docs"

# 沭阳县人民政府 2025 (docs/shuyang-renminzhengfu-2025.md, 一、总体情况（二）): table 3 new 713, carried in 36,
# handled 718, carried out 31; table 4 review 61, suits 3 + 10.
SHUYANG = ("全县全年共受理政府信息公开申请 749 件，其中自然人申请 741 件，法人或其他组织申请 8 件；共办理 718 件，"
           "结转下一年 31 件。依法做好相关行政复议、行政诉讼案件的应诉工作，全县共办理相关案件 74 件，有力维护了"
           "群众合法权益与政府公信力。")
# 上海市科委 2024 (docs/shanghai-kewei-2024.md, 四、政府信息公开申请情况, lines joined as printed)
KEWEI = ("全年收到政府信息公开申请 34 件，上年结转政府信息公开申请 2 件，所有申请均已按要求办理完成。"
         "所有办结的信息公开申请中同意公开答复 9 件，部分公开答复 0 件，不予公开答复 2 件，无法提供的 10 件，"
         "不予处理 0 件，其他处理 14 件，转下一年度办理答复的有 1 件。")
# 上海市人民政府办公厅 2025 (docs/shanghai-bangongting-2025.md, 一、总体情况): table 4 review 55
BANGONGTING = ("其他处理 319 件（26.78%，含申请人主动撤回 157 件）。全年未发生因依申请公开被行政复议纠错或行政诉讼败诉"
               "情形。")
# 沭阳县发展和改革局 2023 (docs/shuyang-fagaiju-2023.html, 六、其他需要报告的事项, the whole section)
FAGAIJU_S6 = "2023年度，县发展和改革局政府信息公开未发生收费情况。"


def numbers(report):
    return [f.message for f in check(report) if f.rule == "TEXT.NUMBERS"]


def report_with(load_fixture, text, year, values):
    r = load_fixture("wuzhong-minzheng-2023")
    r.meta.year = year
    r.sections["s1"] = text
    r.values.update(values)
    return r


def shuyang(load_fixture, text=SHUYANG):
    return report_with(load_fixture, text, 2025, {
        "t3.new.total": 713, "t3.carried_in.total": 36, "t3.handled_total.total": 718, "t3.carried_out.total": 31,
        "t4.review.total": 61, "t4.suit_direct.total": 3, "t4.suit_after_review.total": 10})


def test_accepted_is_new_plus_carried_in(load_fixture):
    """受理 749 件 = 本年新收 713 + 上年结转 36: offices count what they took on in the year."""
    assert [m for m in numbers(shuyang(load_fixture)) if "749" in m] == []


def test_accepted_that_is_neither_new_nor_new_plus_carried_is_found(load_fixture):
    msgs = numbers(shuyang(load_fixture, SHUYANG.replace("749", "750")))
    assert len([m for m in msgs if "750" in m and "本年新收" in m]) == 1


def test_cases_of_review_and_suit_are_not_the_handled_applications(load_fixture):
    """相关案件 74 件 are the 行政复议、行政诉讼 cases of the sentence (61 + 3 + 10), not 办结 applications."""
    assert [m for m in numbers(shuyang(load_fixture)) if "74" in m] == []


def test_handled_applications_still_compared(load_fixture):
    msgs = numbers(shuyang(load_fixture, SHUYANG.replace("共办理 718 件", "共办理 700 件")))
    assert len([m for m in msgs if "700" in m]) == 1


def kewei(load_fixture, text=KEWEI):
    return report_with(load_fixture, text, 2024, {
        "t3.new.total": 34, "t3.carried_in.total": 2, "t3.handled_total.total": 35, "t3.carried_out.total": 1,
        "t3.granted.total": 9, "t3.partial.total": 0, "t3.other.no_correction.total": 0,
        "t3.other.unpaid_fee.total": 0, "t3.other.other.total": 14})


def test_transferred_to_next_year_is_carried_out(load_fixture):
    """转下一年度办理答复的有 1 件 is 结转下年度 (1), not 1 application handled against 35."""
    from app.narrative import claims
    got = {(c.quantity, c.value) for c in claims("其他处理 14 件，转下一年度办理答复的有 1 件。", 2024)}
    assert ("carried_out", 1) in got and not any(q == "handled" for q, _ in got)
    assert [m for m in numbers(kewei(load_fixture)) if "转下一年度" in m] == []


def test_transferred_to_next_year_against_the_table_is_found_once(load_fixture):
    msgs = numbers(kewei(load_fixture, KEWEI.replace("的有 1 件", "的有 3 件")))
    said = [m for m in msgs if "转下一年度" in m]
    assert len(said) == 1 and "结转下年度" in said[0] and "为1" in said[0]


def test_one_statement_read_twice_is_one_finding(load_fixture):
    """Two readings of the same words with the same figure give the clerk one message, not the same one twice."""
    r = kewei(load_fixture, "全年收到政府信息公开申请 34 件，上年结转 2 件，办理答复 30 件。")
    msgs = numbers(r)
    assert len(msgs) == len(set(msgs)) and len(msgs) >= 1


def test_no_review_corrected_is_not_no_review(load_fixture):
    """未发生因依申请公开被行政复议纠错: no review decided against the office, not 0 reviews (table 4: 55)."""
    r = report_with(load_fixture, BANGONGTING, 2025, {"t4.review.total": 55, "t4.suit_direct.total": 5,
                                                     "t4.suit_after_review.total": 0})
    assert numbers(r) == []


def test_no_review_at_all_against_the_table_is_found(load_fixture):
    r = report_with(load_fixture, "全年未发生因依申请公开被申请行政复议的情形。", 2025,
                    {"t4.review.total": 55})
    msgs = numbers(r)
    assert len(msgs) == 1 and "行政复议" in msgs[0] and "55" in msgs[0]


@pytest.mark.parametrize("s6", [FAGAIJU_S6, "本年度政府信息公开工作未收取任何费用。", "本机关未向申请人收费。"])
def test_fee_statement_in_other_words(load_fixture, s6):
    r = load_fixture("pingqiao-minzheng-2024")
    r.sections["s6"] = s6
    assert [f for f in check(r) if f.rule == "TEXT.FEE_STATEMENT"] == []


def test_fee_statement_still_missing(load_fixture):
    r = load_fixture("pingqiao-minzheng-2024")
    r.sections["s6"] = "2023年度，县发展和改革局无其他需要报告的事项。"
    assert len([f for f in check(r) if f.rule == "TEXT.FEE_STATEMENT"]) == 1


def headings(load_fixture, found):
    r = load_fixture("wuzhong-minzheng-2023")
    r.extra["headings"] = found
    return [f.message for f in check(r) if f.rule == "TEXT.HEADINGS"]


STANDARD = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def test_table_row_labels_are_not_section_headings(load_fixture):
    """沭阳县人民政府 2025 (Markdown): table 3's rows written as ### headings are rows, not sections."""
    found = STANDARD[:3] + ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量"] + STANDARD[3:]
    assert headings(load_fixture, found) == []


def test_a_wrong_section_heading_is_still_found(load_fixture):
    found = STANDARD[:4] + ["五、存在的主要问题及整改措施"] + STANDARD[5:]
    msgs = headings(load_fixture, found)
    assert len(msgs) == 1 and "应为“五、存在的主要问题及改进情况”" in msgs[0]


def test_a_heading_under_another_numeral_names_its_section(load_fixture):
    """上海市科委 2024 numbers its tables 一、主动公开政府信息情况 …: the words are section 二's, the numeral is not."""
    msgs = headings(load_fixture, ["一、总体情况", "一、主动公开政府信息情况"])
    assert len(msgs) == 1 and "序号" in msgs[0] and "二、主动公开政府信息情况" in msgs[0]
    assert "一、总体情况”" not in msgs[0]


def test_the_same_heading_twice_is_one_finding(load_fixture):
    msgs = headings(load_fixture, ["五、存在的主要问题及整改措施", "五、存在的主要问题及整改措施"])
    assert len(msgs) == 1


# The committed real documents themselves: the text rules raise only what the report deserves.
TEXT_RULES = ("TEXT.NUMBERS", "TEXT.FEE_STATEMENT")


@pytest.mark.parametrize("name,deserved", [
    ("shuyang-renminzhengfu-2025.md", []), ("shanghai-kewei-2024.md", []), ("shanghai-bangongting-2025.md", []),
    ("shuyang-fagaiju-2023.html", []),
    # 收到政府信息公开申请75件 = 新收 74 + 上年结转 1 (the 2022 page came after the fix and was not tuned on)
    ("pingtan-2022-page.html", []), ("pingtan-2024-page.html", []), ("pingtan-2025-page.html", []),
    # 一 says 现行有效行政规范性文件393件, table 2 says 470: the report contradicts itself
    ("pingtan-2023-page.html", ["393"])])
def test_real_documents_text_findings(name, deserved):
    from app.documents import open_report
    r = open_report(REAL_DOCS / name)
    msgs = [f.message for f in check(r) if f.rule in TEXT_RULES]
    assert len(msgs) == len(deserved) and all(d in m for d, m in zip(deserved, msgs)), msgs


def test_a_sentence_written_twice_is_one_finding(load_fixture):
    """A paragraph pasted twice (a stale year in both copies): one message, not the same line twice."""
    r = load_fixture("wuzhong-minzheng-2023")
    para = "根据上级工作安排，本机关在2019年建立了信息公开工作制度。"
    r.sections["s6"] = para + "\n" + para
    msgs = [f.message for f in check(r) if f.rule == "TEXT.STALE_YEAR"]
    assert len(msgs) == 1 and "2019" in msgs[0]
    r.sections["s6"] = para + "\n根据上级工作安排，本机关在2018年建立了信息公开工作制度。"
    assert len([f for f in check(r) if f.rule == "TEXT.STALE_YEAR"]) == 2  # two different places: two findings
