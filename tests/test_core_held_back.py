"""rules.held_back: check() leaving out rule types within a block (the desktop program's start-up)."""
import threading
from pathlib import Path

from app import project, rules

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "wuzhong-minzheng-2023.nianbao"


def report_with_both():
    """A T3.BALANCE error (table) and a TEXT.NUMBERS warning (the narrative states 3 handled, the table 1)."""
    r = project.load(FIXTURE)
    r.sections["s1"] = r.sections["s1"].replace("办理申请 1 件", "办理申请 3 件")
    r.set("t3.new.natural", r.values["t3.new.natural"] + 5)
    rules.recompute(r, ["t3.new.natural"])
    return r


def key(findings):
    return [(f.rule, f.severity, tuple(f.cells), f.message) for f in findings]


def test_held_back_leaves_out_only_those_rules_and_only_within_the_block():
    r = report_with_both()
    full = rules.check(r)
    assert {f.rule for f in full} == {"T3.BALANCE", "TEXT.NUMBERS"}
    with rules.held_back("narrative"):
        held = rules.check(r)
        with rules.held_back("sum"):  # nested: both left out
            assert rules.check(r) == []
        assert key(rules.check(r)) == key(held)
    assert key(held) == key([f for f in full if f.rule != "TEXT.NUMBERS"])
    assert key(rules.check(r)) == key(full)


def test_held_back_is_per_thread():
    r = report_with_both()
    seen = {}
    with rules.held_back("narrative"):
        t = threading.Thread(target=lambda: seen.setdefault("other", {f.rule for f in rules.check(r)}))
        t.start()
        t.join(60)
        seen["here"] = {f.rule for f in rules.check(r)}
    assert seen == {"other": {"T3.BALANCE", "TEXT.NUMBERS"}, "here": {"T3.BALANCE"}}


def test_held_back_block_ends_on_an_exception():
    r = report_with_both()
    try:
        with rules.held_back("narrative"):
            raise KeyError("x")
    except KeyError:
        pass
    assert {f.rule for f in rules.check(r)} == {"T3.BALANCE", "TEXT.NUMBERS"}
