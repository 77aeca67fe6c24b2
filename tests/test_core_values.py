"""Parsing typed input into cell values: lenient where a person expects it, strict otherwise."""
from decimal import Decimal

import pytest

from app.model import Report
from app.values import NA, Invalid, ValueError_, check_value, display, from_json, parse_value, to_json


@pytest.mark.parametrize("text,expected", [
    ("12", 12), ("１２", 12), ("  7 ", 7), ("1,234", 1234), ("１，２３４", 1234), ("5件", 5), ("5 件", 5),
    ("0", 0), ("/", NA), ("／", NA), ("不适用", NA), ("", None), ("   ", None), ("\u30003\u3000", 3),
])
def test_count_input_accepted_and_normalised(text, expected):
    assert parse_value(text, "count") == expected


@pytest.mark.parametrize("text,why", [
    ("三", "不是数字"), ("-1", "不能为负数"), ("1.5", "必须是整数"), ("abc", "不是数字"), ("1,23", "不是数字"),
    ("5万元", "不是数字"), ("1e3", "不是数字"),
])
def test_count_input_rejected_with_chinese_message_naming_the_cell(text, why):
    with pytest.raises(ValueError_) as e:
        parse_value(text, "count", "表三自然人列「一、本年新收政府信息公开申请数量」")
    assert "表三自然人列「一、本年新收政府信息公开申请数量」" in str(e.value)
    assert why in str(e.value)
    assert text in str(e.value)


@pytest.mark.parametrize("text,expected", [
    ("0.1250", Decimal("0.1250")), ("0.125万元", Decimal("0.125")), ("１２.５", Decimal("12.5")),
    ("1,234.5", Decimal("1234.5")), ("0", Decimal(0)), ("/", NA), (".5", Decimal("0.5")),
    ("24252.311082", Decimal("24252.311082")), ("5949.088667万元", Decimal("5949.088667")),
])
def test_money_input(text, expected):
    v = parse_value(text, "money")
    assert v == expected
    if isinstance(v, Decimal):
        assert str(v) == str(expected)  # stored as written, never float


@pytest.mark.parametrize("text,why", [("0.1234567", "小数位过多"), ("-1", "不是有效的金额"),
                                      ("1250元", "不是有效的金额"), ("十", "不是有效的金额")])
def test_money_input_rejected(text, why):
    with pytest.raises(ValueError_) as e:
        parse_value(text, "money", "行政事业性收费")
    assert why in str(e.value) and "行政事业性收费" in str(e.value)


def test_rejected_input_keeps_previous_value():
    r = Report()
    r.set_text("t3.new.natural", "4")
    with pytest.raises(ValueError_) as e:
        r.set_text("t3.new.natural", "三")
    assert "自然人" in str(e.value) and "本年新收" in str(e.value)
    assert r.get("t3.new.natural") == 4


def test_blank_input_clears_to_blank_not_zero():
    r = Report()
    r.set_text("t3.new.natural", "4")
    r.set_text("t3.new.natural", "")
    assert "t3.new.natural" not in r.values


def test_json_forms():
    assert to_json(Decimal("0.125"), "money") == "0.125"
    assert to_json(Decimal("24252.311082"), "money") == "24252.311082"
    assert to_json(NA, "count") == "/"
    assert to_json(3, "count") == 3
    assert from_json("0.1250", "money") == Decimal("0.125")
    assert from_json(-1, "count") == Invalid("-1")
    assert from_json(Decimal("1.5"), "count") == Invalid("1.5")
    assert from_json(Decimal("2"), "count") == 2
    assert from_json("三", "count") == Invalid("三")
    with pytest.raises(TypeError):
        from_json([1], "count")
    with pytest.raises(TypeError):
        from_json(True, "count")


def test_display_and_check():
    assert display(Decimal("0.1250")) == "0.125"
    assert display(Decimal("3.0000")) == "3"
    assert display(NA) == "/" and display(None) == ""
    assert check_value(Invalid("x"), "count")
    assert check_value(-2, "count") == "件数不能为负数"
    assert check_value(0, "money") is None
