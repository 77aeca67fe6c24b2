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
