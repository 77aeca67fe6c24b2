"""Readings found wrong on the first run of round 7 (tests/fixtures/narrative/real-round7.tsv, each sentence with its
published page there), each with a twin that must still be read."""
from __future__ import annotations

from app.narrative import claims


def read(text, year):
    return {(c.quantity, c.value) for c in claims(text, year)}


def test_a_cause_before_the_reviews_is_not_a_handled_count():
    # 邹城市太平镇 2024 (zoucheng.gov.cn): 答复 inside 因…而引起 is the cause, not 办结 0
    assert read("全年未收到因依申请公开答复而引起的行政复议和诉讼。", 2024) == {("review", 0), ("suit", 0)}
    assert ("handled", 0) in read("全年未答复政府信息公开申请，未发生行政复议和行政诉讼。", 2024)


def test_a_list_of_published_items_is_not_decisions():
    # 来宾市卫生健康委员会 2023 (wjw.laibin.gov.cn): 行政许可93条 among 政策文件14条、行政执法37条
    text = "我委在网站累计发布信息313条，其中政策文件14条、行政许可93条、行政执法37条、人事信息14条。"
    assert read(text, 2023) == set()
    assert read("全年作出行政许可93件、行政处罚5件。", 2023) == {("licensing", 93), ("penalty", 5)}


def test_carried_in_words_do_not_make_a_sentence_about_last_year():
    # 武汉市公安局 2024 (gaj.wuhan.gov.cn): 结转上年度… then 剩余26件结转下年度办理
    text = "全年收政府信息公开申请464件，结转上年度政府信息公开申请3件，本年度办结441件，剩余26件结转下年度办理。"
    assert {("carried_in", 3), ("handled", 441), ("carried_out", 26)} <= read(text, 2024)
    assert read("上年度收到申请20件，剩余2件结转下年度办理。", 2024) == set()  # about last year: not read


def test_file_stands_for_normative_documents_in_their_sentence():
    # 九江市濂溪区人民政府 2024 (lianxi.gov.cn)
    got = read("制定发布规范性文件4件，清理废止文件0件，现行有效文件20件。", 2024)
    assert got == {("normative_issued", 4), ("normative_repealed", 0), ("normative_in_force", 20)}
    assert read("废止文件0件，现行有效文件20件。", 2024) == set()  # no 规范性文件 named: any documents


def test_a_year_in_a_title_does_not_make_the_sentence_about_that_year():
    # 漳州市 2024 (zhangzhou.gov.cn)
    text = ("2024年，我市各级政府门户网站主动公开政府信息16472条，现行有效行政规范性文件2051件，编制《政府公报》6期，"
            "其中创新编制一期《漳州市人民政府公报2023年政策解读专刊》（2024年第3期）。")
    assert read(text, 2024) == {("normative_in_force", 2051)}
    assert read("2023年现行有效行政规范性文件2051件。", 2024) == set()


def test_a_breakdown_runs_to_the_end_of_its_sentence():
    # 2023 report of round 2 (real-round2.tsv): 其中通过网络收到申请25件，…通过来信收到申请件4件 are parts
    text = ("2023年我局共受理依申请政府信息公开事项29例，其中通过网络收到申请25件，占比86%，通过来信收到申请件4件，"
            "占比14%，全部按时办结。")
    assert read(text, 2023) == {("new", 29)}
    # 广汉市人民政府办公室 2025: the 办结 and 结转 after a 其中 are still read
    text = "2025年，共收到依申请件35件，其中自然人34件，企业1件，办结32件，结转下年办理3件。"
    assert read(text, 2025) == {("new", 35), ("handled", 32), ("carried_out", 3)}


def test_handled_written_as_completed():
    # 五通桥区 2025 (wtq.gov.cn); 桐乡市公安局 2023 (tx.gov.cn)
    assert read("2025年全区共收到政府信息公开申请42件，共办理完成42件，结转下年办理0件。", 2025) == {
        ("new", 42), ("handled", 42), ("carried_out", 0)}
    assert ("handled", 23) in read("共办理回复依申请公开事项23件，均已按时答复。", 2023)
    assert read("共办理完成12345热线工单42件。", 2025) == set()  # not applications
