"""QA reproduction: a 成文日期 inside (or before) the year the report covers is not flagged. A 2025 report dated
2025-01-20 — last year's date kept when the clerk starts from last year's Word file — passes every check, though a
report on 2025 cannot be written before 2025 has ended (its statistics run to 12月31日)."""
from app.rules import check


def test_date_before_the_report_year_ends_is_flagged(load_fixture):
    report = load_fixture("wuzhong-minzheng-2023")
    assert not [f for f in check(report) if "meta.date" in f.cells]
    report.meta.date = f"{report.meta.year}-01-20"  # last year's 成文日期 kept
    flagged = [f for f in check(report) if "meta.date" in f.cells]
    assert flagged, "a report dated before its own year ended is not flagged"
