"""Cell values at their edges: the cases mutation testing (tests/mutation.py) found unchecked.

Each test states the behaviour a clerk or a project file relies on; none looks at how values.py does it.
"""
from decimal import Decimal

import pytest

from app.values import NA, Invalid, ValueError_, check_value, display, from_json, normalise_text, parse_value


def test_spaces_inside_a_number_are_ignored():
    """Copied numbers often carry spaces (ideographic or half-width, also as thousands separators)."""
    assert normalise_text("１　２ ３") == "123"
    assert parse_value("1 234", "count") == 1234
    assert parse_value("12 件", "count") == 12


def test_a_fee_too_large_for_four_places_is_refused_with_its_message():
    with pytest.raises(ValueError_) as e:
        parse_value("1" + "0" * 40, "money", "行政事业性收费")
    assert "数字过长" in str(e.value) and "行政事业性收费" in str(e.value)  # the digit cap comes first


@pytest.mark.parametrize("value,kind,why", [
    (Decimal("-1"), "money", "金额必须是非负数"),
    (-1, "money", "金额必须是非负数"),
    (True, "money", "金额必须是非负数"),     # a JSON true is not an amount
    ("0.5", "money", "金额必须是非负数"),    # text that was never parsed
    (Decimal("0.1234567"), "money", "金额最多6位小数"),
    (True, "count", "件数必须是整数"),
    (Decimal("1.5"), "count", "件数必须是整数"),
    (2.0, "count", "件数必须是整数"),         # never a float
    (-3, "count", "件数不能为负数"),
])
def test_check_value_names_what_is_wrong(value, kind, why):
    assert check_value(value, kind) == why


@pytest.mark.parametrize("value,kind", [(0, "count"), (7, "count"), (Decimal("0.1250"), "money"), (3, "money"),
                                        (NA, "money"), (None, "count")])
def test_check_value_accepts_valid_values(value, kind):
    assert check_value(value, kind) is None


@pytest.mark.parametrize("value,shown", [
    (Decimal("10.0000"), "10"), (Decimal("100"), "100"), (Decimal("12.5000"), "12.5"),
    (Decimal("0.0001"), "0.0001"), (Decimal("1234.5670"), "1234.567"), (Invalid("三"), "三"), (0, "0"),
])
def test_display_writes_plain_decimals(value, shown):
    assert display(value) == shown  # never 1E+1 or trailing zeros


@pytest.mark.parametrize("raw,kind,value", [
    (2.0, "count", 2),                    # a count written as a JSON float by another tool
    (0.0, "count", 0),
    (-2.0, "count", Invalid("-2.0")),
    (1.5, "count", Invalid("1.5")),       # kept as written, not as 1.500000
    (0.125, "money", Decimal("0.1250")),
    (0.1234567, "money", Invalid("0.1234567")), (0.12345, "money", Decimal("0.12345")),
    (Decimal("3"), "money", Decimal("3.0000")),
    ("/", "money", NA),
])
def test_numbers_from_a_project_file(raw, kind, value):
    got = from_json(raw, kind)
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize("raw,name", [([1], "list"), ({"a": 1}, "dict"), (True, "bool"), (object(), "object")])
def test_a_wrong_json_type_is_named(raw, name):
    with pytest.raises(TypeError) as e:
        from_json(raw, "count")
    assert str(e.value) == name  # project.load puts this name into its Chinese message
