"""The facts the fast paths of the narrative grammar and the rules stand on, checked against the data they use:
the trie-shaped trigger finds what the plain alternation of the words finds, no word of the grammar holds a
clause break (the clauses are found where the words are), every non-negative whole number is a valid value of
every cell kind (CELL.VALUE passes such a table without looking at each cell), and the stale-year pattern (its look
back after the first digit) finds what the pattern with the look back first finds."""
from __future__ import annotations

import copy
import json
import random
import re

import pytest
from conftest import FIXTURES

from app.formats import load_format
from app.narrative import Grammar, _alt, _trie_alt, grammar
from app.resources import resource
from app.values import check_value


def _sentences() -> list[str]:
    out = []
    for path in sorted((FIXTURES / "narrative").glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                out.append(line.split("\t")[0])
    return out


def test_the_trie_trigger_finds_what_the_alternation_finds():
    words = grammar().words
    plain, trie = re.compile(_alt(words)), re.compile(_trie_alt(words))
    rng = random.Random(5)
    letters = sorted({c for w in words for c in w}) + list("，。0123件")
    texts = _sentences() + ["".join(rng.choice(letters) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    texts += ["".join(rng.choice(words) for _ in range(rng.randint(1, 6))) for _ in range(1000)]  # words abutting
    found = 0
    for t in texts:
        want = [(m.start(), m.end()) for m in plain.finditer(t)]
        assert [(m.start(), m.end()) for m in trie.finditer(t)] == want, t
        found += len(want)
    assert found > 3000


def test_the_trie_of_words_one_inside_another_prefers_the_longest():
    rx = re.compile(_trie_alt(["申请", "申请书", "依申请公开", "依申请", "办结"]))
    assert [m.group(0) for m in rx.finditer("依申请公开申请书申请办结依申请")] == \
        ["依申请公开", "申请书", "申请", "办结", "依申请"]


def _data() -> dict:
    with open(resource("narrative", "gov-2021.json"), encoding="utf-8") as fh:
        return json.load(fh)


@pytest.mark.parametrize("word", ["申请，", "结转。下年度", "（复议", ""])
def test_a_word_holding_a_clause_break_is_refused(word):
    data = copy.deepcopy(_data())
    data["quantities"][0].setdefault("nouns", []).append(word)
    with pytest.raises(ValueError):
        Grammar(data)


def test_the_grammar_of_the_format_is_made():
    assert Grammar(_data()).trigger.search("收到申请3件")


@pytest.mark.parametrize("kind", sorted({c.kind for c in load_format().cells.values()}))
def test_every_non_negative_whole_number_is_valid_for_each_cell_kind(kind):
    for n in (0, 1, 7, 10 ** 12):
        assert check_value(n, kind) is None
    assert check_value(-1, kind) is not None


@pytest.mark.parametrize("word", ["办结。", "答复\n", ""])
def test_an_all_done_word_holding_a_sentence_end_is_refused(word):
    data = copy.deepcopy(_data())
    data["all_done"]["done"].append(word)
    with pytest.raises(ValueError):
        Grammar(data)


def test_the_stale_year_pattern_finds_what_the_look_back_first_pattern_finds():
    from app.rules import _YEAR
    plain = re.compile(r"(?<![\d〔\[［(（])((?:19[89]|20\d)\d)\s*年")
    rng = random.Random(9)
    pieces = ["2023年", "1989年", "2099 年", "〔2023", "[2022", "（2021", "1", "2", "0", "9", "年", " ", "a", "１"]
    texts = _sentences() + ["".join(rng.choice("12090８年〔[［(（ a年") for _ in range(30)) for _ in range(20000)]
    texts += ["".join(rng.choice(pieces) for _ in range(12)) for _ in range(5000)]
    found = 0
    for t in texts:
        want = [(m.start(), m.end(), m.group(1)) for m in plain.finditer(t)]
        assert [(m.start(), m.end(), m.group(1)) for m in _YEAR.finditer(t)] == want, t
        found += len(want)
    assert found > 1000
