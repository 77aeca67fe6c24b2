"""app/textutil.py is the one home of Chinese dates, numerals and units: the wizard's date field, the importers'
date lines and the value parser's units all come from it (or from app.values beneath it)."""
import pytest

from app import textutil, values


@pytest.mark.parametrize("text, iso", [
    ("2024年1月16日", "2024-01-16"), ("2024.1.6", "2024-01-06"), ("２０２４年１月２２日", "2024-01-22"),
    ("二〇二四年一月二十二日", "2024-01-22"), ("2024 年 1 月 16 日", "2024-01-16"),
])
def test_a_written_date_is_read(text, iso):
    assert textutil.parse_date(text) == iso == textutil.parse_date(text, compact=True)


def test_eight_digits_are_a_date_only_where_a_date_is_typed():
    assert textutil.parse_date("20240116") is None  # in a document: a number
    assert textutil.parse_date("20240116", compact=True) == "2024-01-16"
    assert textutil.parse_date("20240230", compact=True) is None
    assert textutil.parse_date("2024011", compact=True) is None


def test_the_units_of_a_typed_value_are_units_of_a_report_cell():
    assert set(values.COUNT_UNITS) | set(values.MONEY_UNITS) <= set(textutil.UNITS)
    # a unit that ends another comes after it, so 万元 is never read as 元
    for i, u in enumerate(textutil.UNITS):
        assert not any(v.endswith(u) and v != u for v in textutil.UNITS[i + 1:])
    assert values.parse_value("3件", "count") == 3 and str(values.parse_value("1.5万元", "money")) == "1.5"


def test_nfkc_is_unicode_nfkc_for_every_character_and_mixture():
    """textutil.nfkc takes a quicker way for Chinese text (full-width forms replaced, then a check that the rest is
    NFKC already): the result must be exactly unicodedata's, also where a replaced form meets a combining mark."""
    import unicodedata

    from hypothesis import given, settings
    from hypothesis import strategies as st

    for cp in range(0x10000):
        c = chr(cp)
        for s in (c, "Ａ" + c, c + "，", "（" + c + "）", "e，" + c + "…"):
            assert textutil.nfkc(s) == unicodedata.normalize("NFKC", s), repr(s)
    pool = st.sampled_from([chr(c) for c in [*range(0x20, 0x7F), *range(0xFF01, 0xFF5F), 0x3000, 0x2026, 0x301,
                                             0x308, 0x3099, 0x309A, 0x30AB, 0xFF76, 0xFF9E, 0x4E00, 0x2460, 0x1100,
                                             0x1161, 0x11A8, 0xAC00, 0xF900, 0x2F00]])

    @settings(max_examples=3000, deadline=None)
    @given(st.lists(pool, max_size=12).map("".join), st.text(max_size=12))
    def same(mixed, anything):
        for s in (mixed, anything, mixed + anything, "x" * (textutil.NFKC_MEMO_CHARS + 1) + mixed):
            assert textutil.nfkc(s) == unicodedata.normalize("NFKC", s)

    same()
