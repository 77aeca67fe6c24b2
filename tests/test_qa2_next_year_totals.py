"""QA reproduction: a report started from last year's (文件 → 从上年报告新建) copies 上年结转 from last year's
结转下年度 but never fills the computed 总计 of that row. When last year's 总计 was blank (an import that did not
read it) the new report opens with a T3.TOTAL_COLUMN error on a cell the clerk cannot type into (a computed
total), and retyping the same value does not refill it."""
from app.model import new_report, next_year_report
from app.rules import check

COLS = ("natural", "commercial", "research", "social", "legal", "other_org")


def test_carried_in_total_is_filled_from_its_columns():
    last = new_report()
    last.meta.organ = "示例市民政局"
    last.meta.year = 2024
    for col, v in zip(COLS, (1, 0, 0, 0, 0, 0)):
        last.values[f"t3.carried_out.{col}"] = v
    # last year's 总计 of 结转下年度 left blank, as an import that missed it leaves it
    this = next_year_report(last)
    assert this.values.get("t3.carried_in.natural") == 1
    assert this.values.get("t3.carried_in.total") == 1
    bad = [f for f in check(this) if f.rule == "T3.TOTAL_COLUMN" and "t3.carried_in.total" in f.cells]
    assert not bad, [f.message for f in bad]
