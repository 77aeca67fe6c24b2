"""Work on untrusted input is bounded: each worst case found so far runs in a child process within a time and memory
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
    "narrative-8M": ("checked", ()),
    "html-20000-open-quotes": ("refused", ("未结束",)),
    "html-20000-open-comments": ("refused", ("未结束",)),
    "mht-100000-encoded-words": ("refused", ("Content-Type", "过长")),
    "mht-50000-parameters": ("refused", ("Content-Type", "过长")),
    "xlsx-merged-whole-sheet": ("refused", ("合并",)),
    "xlsx-far-cell": ("refused", ("范围过大",)),
    "docx-8M-paragraph": ("refused", ("段", "过长")),
    "text-5M-line": ("refused", ("段", "过长")),
    "text-10M-numbers-line": ("refused", ("段", "过长")),
    "html-2M-paragraphs": ("refused", ("过多",)),
    "html-99k-paragraphs": ("refused", ("过多",)),
    "text-8M-lines": ("refused", ("行数过多",)),
    "docx-700k-paragraphs": ("refused", ("XML 标记",)),
    "docx-160k-paragraphs": ("refused", ("过多",)),
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
    assert r.values["t3.new.natural"] == Invalid("1e999999999")  # kept as written, never computed
    assert isinstance(r.values["t2.fees.amount"], Invalid)


@pytest.mark.parametrize("constant", ["Infinity", "-Infinity", "NaN"])
def test_infinity_and_nan_are_refused_with_a_message(constant):
    with pytest.raises(project.ProjectError) as e:
        project.loads('{"format": "gov-2021", "values": {"t3.new.natural": %s}}' % constant)
    assert constant.lstrip("-") in str(e.value) and "不允许的数值" in str(e.value)


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


# --- the text rules are linear: the fast stale-year rule finds exactly what the straightforward one finds ---

def _stale_years_reference(fmt, report, rule):
    """The rule as first written (copies the text before and after every year: quadratic)."""
    import re

    from app.rules import _ALLOWED_AFTER, _COMPARE, _SENTENCE_START_SUBJECT, _YEAR
    year, out = report.meta.year, []
    for sid in rule["sections"]:
        text = report.sections.get(sid, "")
        for m in _YEAR.finditer(text):
            y = int(m.group(1))
            before, after = text[: m.start()], text[m.end() - 1:]
            if before.count("《") > before.count("》"):
                continue
            if _ALLOWED_AFTER.match(after[1:] if after.startswith("年") else after):
                continue
            if _COMPARE.search(before[-6:]):
                continue
            line_start = re.search(r"(^|[。！？；\n])\s*$", before) is not None
            stats_period = re.match(r"^\s*年\s*1\s*月\s*1\s*日\s*(至|到|-|—)", after) is not None
            if y <= year - 2 or y >= year + 2 or (y == year - 1 and (
                    stats_period or (line_start and _SENTENCE_START_SUBJECT.match(after)))):
                out.append((sid, m.start(), y))
    return out


PIECES = ["2022年", "2021年", "2023年", "2020 年", "《", "》", "。", "\n", " ", "\u3000", "较", "以来", "本机关",
          "年1月1日至", "年度，我", "收到申请3件", "，", "；", "x", "2019", "年"]


def test_stale_year_rule_is_unchanged_on_random_texts():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from app.formats import load_format
    from app.model import Report
    from app.rules import MAX_TEXT_FINDINGS, _stale_years
    fmt = load_format()
    rule = next(r for r in fmt.rules if r["type"] == "stale_year")

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(PIECES), max_size=60))
    def same(parts):
        r = Report(format_id="gov-2021")
        r.meta.year = 2022
        r.sections["s1"] = "".join(parts)
        fast = [(f.cells[0], f.actual) for f in _stale_years(fmt, r, rule)]
        assert fast == [(sid, y) for sid, _, y in _stale_years_reference(fmt, r, rule)][:MAX_TEXT_FINDINGS]
    same()


def test_one_numeral_parser_for_sentences_and_dates():
    from app import rules
    from app.importers.recognise import parse_cn_date
    from app.values import cn_number
    assert rules.cn_number is cn_number
    cases = {"三": 3, "十五": 15, "二十": 20, "三十一": 31, "一百零五": 105, "两千": 2000, "一千零十": 1010,
             "九千九百九十九": 9999, "12": 12, "３": 3, "一二": None, "十百": None, "百": None, "²": None,
             "9" * 21: None, "一" * 5000: None}
    for text, want in cases.items():
        assert cn_number(text) == want, text
    assert parse_cn_date("二〇二四年一月十六日") == "2024-01-16"
    assert parse_cn_date("二〇二四年十二月三十一日") == "2024-12-31"
    assert parse_cn_date("二〇二四年一二月三日") is None  # not a numeral: never guessed as December


def test_a_100000_digit_number_in_a_narrative_is_not_converted():
    from app.formats import load_format
    from app.model import Report
    from app.rules import check
    r = Report(format_id="gov-2021")
    r.meta.year = 2023
    r.values["t3.new.total"] = 3
    r.sections["s1"] = "全年收到政府信息公开申请" + "9" * 100_000 + "件。"
    assert load_format().rules  # the text-number rule is active for s1
    check(r)  # no ValueError from int() of 100 000 digits


def test_mht_whose_charset_holds_a_nul_is_read_found_by_atheris(tmp_path):
    from app.documents import OpenError, open_report
    p = tmp_path / "nul.mht"
    p.write_bytes(b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="B"\r\n\r\n--B\r\n'
                  b'Content-Type: text/html; charset="utf\x008"\r\n\r\n<html><body><p>x</p></body></html>\r\n--B--\r\n')
    with pytest.raises(OpenError) as e:
        open_report(p)
    assert "没有找到" in str(e.value)  # read as a page (no report in it), not a ValueError


def test_one_zip_guard_for_word_and_excel(tmp_path, monkeypatch):
    """Every Office file is checked once, by importers.base.open_zip — also when the Excel reader is called directly."""
    import random

    from app.documents import open_report
    from app.export import xlsx as X
    from app.importers import own_xlsx as ox
    from app.importers import base
    from fuzz.docs import random_report
    calls = []
    real = base.open_zip

    def spy(path, kind, required):
        calls.append(kind)
        return real(path, kind, required)
    monkeypatch.setattr(base, "open_zip", spy)
    path = tmp_path / "r.xlsx"
    path.write_bytes(X.render_xlsx(random_report(random.Random(2))))
    ox.read_xlsx(path)
    assert calls == ["Excel"]
    calls.clear()
    open_report(path)
    assert calls == ["Excel"]  # not a second, different guard
    bomb = tmp_path / "merged.xlsx"
    from fuzz.worst import xlsx_merged_sheet
    bomb.write_bytes(xlsx_merged_sheet())
    with pytest.raises(ox.XlsxError) as e:
        ox.read_xlsx(bomb)
    assert "合并单元格" in str(e.value) and "merged.xlsx" in str(e.value)
