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
