"""QA reproduction: last year's year left in the text is not flagged. The clerk starts from last year's Word file;
an opening whose 统计期限 names the previous year ("统计期限为2022年1月1日至2022年12月31日" in the 2023 report)
passes every check, though the document then states the wrong period on its first page."""
from app.rules import check


def test_opening_with_last_years_period_is_flagged(load_fixture):
    report = load_fixture("wuzhong-minzheng-2023")
    y = report.meta.year
    before = {(f.rule, tuple(f.cells)) for f in check(report)}
    report.meta.opening = (f"根据《中华人民共和国政府信息公开条例》要求，{report.meta.organ}编制本报告。"
                           f"本报告中所列数据统计期限为{y - 1}年1月1日至{y - 1}年12月31日。")
    new = [f for f in check(report) if (f.rule, tuple(f.cells)) not in before]
    assert new, "an opening stating last year's statistics period is not flagged"
