"""What the narrative grammar promises sentence by sentence, where the corpus' precision/recall thresholds let a
change through (mutants of app/narrative.py that survived): each statement read exactly, negations at the start
of a text, coordinated negated nouns, a sentence about another year skipping only that sentence."""
import pytest

from app.narrative import claims


def read(text, year=2023):
    return sorted((c.quantity, int(c.value), c.negated) for c in claims(text, year))


@pytest.mark.parametrize("text, want", [
    ("全年共收到政府信息公开申请3件。", [("new", 3, False)]),
    ("本年度新收政府信息公开申请十二件。", [("new", 12, False)]),
    ("共收到申请〇件。", [("new", 0, False)]),
    ("全年共受理了１５件依申请公开申请。", [("new", 15, False)]),  # a verb particle (了) before the count
    ("共收到申请5件，全部办结。", [("new", 5, False)]),
])
def test_a_count_statement_is_read_exactly(text, want):
    assert read(text) == want


@pytest.mark.parametrize("text", ["没有因政府信息公开被申请行政复议或提起行政诉讼的情况。",
                                  "未发生因政府信息公开引起的行政复议、行政诉讼。",
                                  "全年未发生政府信息公开行政复议和行政诉讼案件。"])
def test_a_negation_covers_every_coordinated_noun_even_at_the_start_of_the_text(text):
    assert read(text) == [("review", 0, True), ("suit", 0, True)]


def test_a_sentence_about_another_year_is_skipped_and_the_next_one_read():
    assert read("2022年共收到申请5件。2023年共收到申请3件。") == [("new", 3, False)]
    assert read("2022年共收到申请5件。") == []


@pytest.mark.parametrize("text, want", [
    # qualifier words (并, 办理 …) between the verb and the noun
    ("2023年，共收到并办理依申请公开政府信息24件。", [("handled", 24, False), ("new", 24, False)]),
    ("今年来，共接收办理依申请公开4件，已完成答复4件。",
     [("handled", 4, False), ("handled", 4, False), ("new", 4, False)]),
    # a negated noun of its own (申请 … 无) is read as none received; what follows it names no other count
    ("无政府信息公开申请办理导致行政复议、提起行政诉讼的案件。", [("new", 0, True)]),
    # a veto word after the anchor (被改变, 败诉) stops the statement
    ("2023年，我厅收到政府信息公开申请85件，其中经沟通后申请人主动撤回39件；"
     "我厅未发生因信息公开引起的行政复议被改变或行政诉讼败诉情形。", [("new", 85, False)]),
    # 无 … 公开 of other items is no statement about fees or penalties
    ("在党群服务中心政务公示专区公示优待证办理、征地农民养老补贴初审等21项高频民生事项清单，"
     "2023年无行政规范性文件公开，无行政处罚和行政事业性收费等事项公开。", []),
])
def test_real_sentences_are_read_exactly(text, want):
    assert read(text) == want


def read_exact(text, year=2023):
    return sorted((c.quantity, c.value, c.negated) for c in claims(text, year))


@pytest.mark.parametrize("text, year, want", [
    # a count after 其中 is a breakdown, except 办结 (all handled, said after 其中 of the received); the carry-over
    # into 2024 of a 2023 report is this year's statement, not a sentence about another year
    ("2023年，区政府办公室共受理36件政府信息公开申请（均为自然人提交），同比上升16.13%，其中按期办结36件，"
     "按期办结率达100%，无结转2024年继续办理件。", 2023,
     [("carried_out", 0, True), ("handled", 36, False), ("new", 36, False)]),
    # a noun (规范性文件) named in an earlier clause is the topic of 现行有效…0件 even when a later mention is not
    # coordinated with it
    ("2024年全面清理建设局行政规范性文件，目前现行有效行政规范性文件0件，废止失效0件。", 2024,
     [("normative_in_force", 0, False)]),
    # both coordinated nouns after 无 are negated
    ("全年无行政复议、行政诉讼案件。", 2023, [("review", 0, True), ("suit", 0, True)]),
    ("2024年，区财政局收到政府信息公开申请2件，均在规定期限内依法依规办理答复，无行政复议和行政诉讼案件。", 2024,
     [("new", 2, False), ("review", 0, True), ("suit", 0, True)]),
])
def test_real_sentences_are_read_exactly_with_their_values(text, year, want):
    assert read_exact(text, year) == want


def test_a_fee_in_yuan_is_converted_to_wan_yuan():
    # the wording of a published report (行政事业性收费27.948692万元), the amount written in 元
    from decimal import Decimal
    assert read_exact("行政许可20件，行政事业性收费2794元。") == [("fees", Decimal("0.2794"), False),
                                                                ("licensing", 20, False)]
    assert read_exact("行政许可20件，行政事业性收费27.948692万元。") == [("fees", Decimal("27.948692"), False),
                                                                       ("licensing", 20, False)]


def test_a_count_of_fee_cases_is_no_amount_of_money():
    # table 2 holds the fees in 万元: 5件 of fees is a number of decisions, not an amount
    assert read_exact("行政许可20件，行政事业性收费5件。") == [("licensing", 20, False)]


def test_a_vetoed_anchor_stops_only_itself():
    # 行政复议被纠错 is no count of reviews; the penalties after it in the same clause are still read
    assert read_exact("全年行政复议被纠错0件、作出行政处罚12件。") == [("penalty", 12, False)]


def test_a_count_before_its_noun_is_read_once():
    # 新收4件政府信息公开申请: the verb's statement and the count-before-the-noun reading are the same statement
    assert read_exact("上一年度结转1件，本年度新收4件政府信息公开申请。") == [("carried_in", 1, False),
                                                                         ("new", 4, False)]


@pytest.mark.parametrize("text, spans", [
    ("2023年全区共收到依申请公开85件，除2件结转下年办理外，均依法依规答复。",
     {"new": "共收到依申请公开85件", "carried_out": "除2件结转下年"}),
    ("2023年，全区共受理依申请公开1137件，已答复1136件（含上年度结转32件），均在法定期限内予以答复，"
     "另外33件申请依法顺延到下年度答复。",
     {"new": "受理依申请公开1137件", "handled": "答复1136件", "carried_in": "上年度结转32件",
      "carried_out": "另外33件申请依法顺延到下年度"}),
])
def test_a_statement_is_marked_from_its_first_to_its_last_character(text, spans):
    # the span is what the wizard highlights in the section's text
    assert {c.quantity: text[c.start:c.end] for c in claims(text, 2023)} == spans
