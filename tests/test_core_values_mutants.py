"""What values.py promises where the core tests did not hold it (mutants of app/values.py that survived):
counts of any size read back from a project file, numerals of running text (decimals, thousands separators, no
superscripts), and ``cn_number`` kept to numerals a sentence or a date writes."""
from decimal import Decimal

import pytest

from app import project
from app.model import new_report
from app.values import MAX_NUMBER_DIGITS, Invalid, cn_number, from_json, parse_text_numeral, parse_value, to_json


@pytest.mark.parametrize("count", [17, 200, 201, 250, 12_345, 10 ** MAX_NUMBER_DIGITS - 1])
def test_a_large_count_is_read_back_from_a_project_file_as_itself(count):
    assert from_json(count, "count") == count


def test_a_count_with_more_digits_than_allowed_is_kept_as_an_invalid_entry():
    assert from_json(10 ** MAX_NUMBER_DIGITS, "count") == Invalid(str(10 ** MAX_NUMBER_DIGITS))


def test_a_project_file_with_a_count_of_250_loads_with_250(tmp_path):
    report = new_report()
    report.set("t3.new.natural", 250)
    report.set("t2.licensing.decisions", 1234)
    path = tmp_path / "big.nianbao"
    project.save(report, path)
    back = project.load(path)
    assert back.values["t3.new.natural"] == 250
    assert back.values["t2.licensing.decisions"] == 1234
    assert to_json(250, "count") == 250


@pytest.mark.parametrize("text, number", [("3.5", Decimal("3.5")), ("０.５", Decimal("0.5")),
                                          ("12.25", Decimal("12.25")), ("3．5", Decimal("3.5"))])
def test_a_decimal_in_running_text_is_read_as_that_decimal(text, number):
    got = parse_text_numeral(text)
    assert isinstance(got, Decimal) and got == number


@pytest.mark.parametrize("text, number", [("1,234", 1234), ("1，234", 1234), ("12,345,678", 12_345_678), ("1234", 1234),
                                          ("１,２３４", 1234)])
def test_thousands_separators_in_running_text_are_read(text, number):
    assert parse_text_numeral(text) == number


def test_thousands_separators_in_a_typed_count_are_read():
    assert parse_value("1,234", "count") == 1234
    assert parse_value("1,234,567件", "count") == 1_234_567


@pytest.mark.parametrize("text", ["²", "3²", "²3", "①", "١٢", "₂"])
def test_superscripts_circled_and_other_scripts_digits_are_not_numerals(text):
    """NFKC would turn “²” into “2”: the guard runs on the text as written."""
    assert parse_text_numeral(text) is None
    assert cn_number(text) is None


@pytest.mark.parametrize("text", ["一〇五", "二〇二三", "一二", "〇五"])
def test_cn_number_refuses_digit_strings(text):
    """Digit-by-digit strings (二〇二三, as in a year) are numerals of running text, but not a whole number a
    sentence states (“收到申请一二件” is not 12)."""
    assert cn_number(text) is None
    assert parse_text_numeral(text) == int("".join(str("〇一二三四五六七八九".index(c)) for c in text))


@pytest.mark.parametrize("text, number", [("三", 3), ("十五", 15), ("一百零五", 105), ("两千", 2000), ("１２", 12),
                                          ("零", 0), ("〇", 0)])
def test_cn_number_reads_the_numerals_of_a_sentence(text, number):
    assert cn_number(text) == number


@pytest.mark.parametrize("text", ["", "3.5", "1" * (MAX_NUMBER_DIGITS + 1), "百姓", "十二三"])
def test_cn_number_refuses_what_is_not_a_whole_number(text):
    assert cn_number(text) is None


def test_a_numeral_of_exactly_the_digit_cap_is_still_read():
    assert cn_number("0" * (MAX_NUMBER_DIGITS - 2) + "12") == 12
    assert cn_number("0" * (MAX_NUMBER_DIGITS - 1) + "12") is None


def test_the_largest_numeral_of_running_text_is_the_cap_itself():
    from app.values import MAX_TEXT_NUMERAL
    assert parse_text_numeral(str(MAX_TEXT_NUMERAL)) == MAX_TEXT_NUMERAL
    assert parse_text_numeral(str(MAX_TEXT_NUMERAL + 1)) is None


def test_a_decimal_count_is_refused_as_not_whole():
    from app.values import ValueError_
    with pytest.raises(ValueError_) as e:
        parse_value("3.5", "count", "表三")
    assert str(e.value).startswith("表三：“3.5”件数必须是整数。请填写非负整数")


@pytest.mark.parametrize("raw, text", [(Decimal("1E-20"), "0." + "0" * 19 + "1"), (Decimal("1E+20"), "1" + "0" * 20),
                                       (Decimal("1E-21"), None), (Decimal("1E+21"), None)])
def test_a_number_is_written_without_exponent_up_to_the_digit_cap(raw, text):
    from app.values import plain_number_text
    assert plain_number_text(raw) == text


@pytest.mark.parametrize("text", ["二十十", "三百百", "一万二万", "五万万"])
def test_a_unit_repeated_is_not_a_numeral(text):
    assert parse_text_numeral(text) is None


def test_a_negative_count_is_refused_as_negative():
    from app.values import ValueError_
    with pytest.raises(ValueError_) as e:
        parse_value("-1", "count", "表三")
    assert str(e.value).startswith("表三：“-1”件数不能为负数。请填写非负整数")
