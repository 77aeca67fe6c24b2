"""Work on untrusted input is bounded: each worst case of issue 11 runs in a child process within a time and memory
budget and ends in a report or a Chinese message that names what is too large.

Budgets are generous for a loaded 2-core machine (these inputs used to take 20 s to minutes and gigabytes).
"""
import pytest

from app import project
from app.values import Invalid, MAX_NUMBER_DIGITS, ValueError_, parse_value
from fuzz.worst import CASES, measure, write_case

SECONDS = 8
MEGABYTES = 300

# what each case must end in: "opened"/"checked", or "refused" with words of the message
EXPECT = {
    "number-1e999999999": ("opened", ()),
    "fee-1e999999999": ("opened", ()),
    "number-100000-digits": ("opened", ()),
    "narrative-80000": ("checked", ()),
    "html-20000-open-quotes": ("refused", ("未结束",)),
    "html-20000-open-comments": ("refused", ("未结束",)),
    "mht-100000-encoded-words": ("refused", ("Content-Type", "过长")),
    "mht-50000-parameters": ("refused", ("Content-Type", "过长")),
    "xlsx-merged-whole-sheet": ("refused", ("合并",)),
    "xlsx-far-cell": ("refused", ("范围过大",)),
    "docx-8M-paragraph": ("refused", ("段", "过长")),
    "text-5M-line": ("refused", ("段", "过长")),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_worst_case_within_budget(name, tmp_path):
    path = write_case(name, tmp_path)
    got = measure(path, CASES[name][2], kill_after=60, address_space_mb=2500)
    outcome, words = EXPECT[name]
    assert got["outcome"] == outcome, got
    assert got["seconds"] < SECONDS, got
    assert got["mb"] < MEGABYTES, got
    for w in words:
        assert w in got["message"], got
    if outcome == "refused":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in got["message"]), got


def test_a_huge_exponent_is_kept_as_an_invalid_entry_not_computed():
    text = '{"format": "gov-2021", "values": {"t3.new.natural": 1e999999999, "t2.fees.amount": 5e-999999999}}'
    r = project.loads(text)
    assert r.values["t3.new.natural"] == Invalid("1E+999999999")
    assert isinstance(r.values["t2.fees.amount"], Invalid)


@pytest.mark.parametrize("constant", ["Infinity", "-Infinity", "NaN"])
def test_infinity_and_nan_are_refused_with_a_message(constant):
    with pytest.raises(project.ProjectError) as e:
        project.loads('{"format": "gov-2021", "values": {"t3.new.natural": %s}}' % constant)
    assert constant.lstrip("-") in str(e.value) and "不是有效的数值" in str(e.value)


def test_5000_digit_numbers_are_invalid_entries_not_a_traceback():
    digits = "7" * 5000
    r = project.loads('{"format": "gov-2021", "values": {"t3.new.natural": %s, "t3.new.legal": "%s"}, '
                      '"meta": {"year": %s}, "x-other-tool": %s}' % (digits, digits, 2023, digits))
    assert r.values["t3.new.natural"] == Invalid(digits)
    assert r.values["t3.new.legal"] == Invalid(digits)


def test_typed_numbers_have_a_digit_cap_and_no_exponent():
    assert parse_value("9" * MAX_NUMBER_DIGITS, "count") == int("9" * MAX_NUMBER_DIGITS)
    for text, kind in (("9" * (MAX_NUMBER_DIGITS + 1), "count"), ("1" * 30 + ".5", "money"),
                       ("1,000," + "000," * 10 + "000", "count")):
        with pytest.raises(ValueError_) as e:
            parse_value(text, kind, "表三 新收")
        assert "数字过长" in str(e.value) and len(str(e.value)) < 200
    for text in ("1e5", "1E+3", "inf", "Infinity", "NaN", "0x10"):
        with pytest.raises(ValueError_):
            parse_value(text, "money")
    with pytest.raises(ValueError_) as e:
        parse_value("8" * 100_000, "count", "表三 新收")
    assert len(str(e.value)) < 200  # the message quotes a short excerpt, not the whole entry


def test_a_project_file_over_the_size_limit_is_refused(tmp_path):
    p = tmp_path / "big.nianbao"
    with open(p, "wb") as fh:
        fh.write(b'{"format": "gov-2021", "x": "')
        fh.truncate(project.MAX_PROJECT_BYTES + 10)
    with pytest.raises(project.ProjectError) as e:
        project.load(p)
    assert "过大" in str(e.value) and "MB" in str(e.value)


def test_deeply_nested_json_is_a_message():
    with pytest.raises(project.ProjectError) as e:
        project.loads('{"format": "gov-2021", "x": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert "嵌套" in str(e.value)
