"""Property tests: a report built to satisfy every rule has no error; any ±1 in tables 3/4 is caught."""
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from app.formats import load_format
from app.model import Report
from app.rules import ERROR, check, recompute
from app.values import NA, Invalid

FMT = load_format()
APPLICANTS = ["natural", "commercial", "research", "social", "legal", "other_org"]
HANDLED = [r["id"] for r in FMT.tables["t3"]["rows"]][2:-2]
T34 = sorted(c for c in FMT.cells if c.startswith(("t3.", "t4.")))


@st.composite
def valid_reports(draw):
    r = Report()
    r.meta.organ, r.meta.year, r.meta.date = "某县民政局", 2024, "2025-01-20"
    r.sections = {"s1": "本年度依法做好政府信息公开工作。", "s5": "问题与改进。", "s6": "本年度未收取信息处理费。"}
    small = st.integers(0, 30)
    for cid in FMT.cells_of("t2"):
        if FMT.cells[cid].kind == "money":
            r.values[cid] = draw(
                st.one_of(st.just(NA), st.decimals(0, 10000, places=4).map(lambda d: d.quantize(Decimal("0.0001"))))
            )
        else:
            r.values[cid] = draw(st.one_of(small, st.just(NA)))
    for col in APPLICANTS:
        handled = 0
        for row in HANDLED:
            v = draw(st.one_of(small, st.just(NA))) if draw(st.booleans()) else 0
            r.values[f"t3.{row}.{col}"] = v
            handled += 0 if v is NA else v
        out = draw(small)
        carried_in = draw(st.integers(0, handled + out))
        r.values[f"t3.carried_in.{col}"] = carried_in
        r.values[f"t3.carried_out.{col}"] = out
        r.values[f"t3.new.{col}"] = handled + out - carried_in
    for group in ["review", "suit_direct", "suit_after_review"]:
        for c in ["upheld", "corrected", "other", "pending"]:
            r.values[f"t4.{group}.{c}"] = draw(small)
    recompute(r)
    return r


@settings(max_examples=80, deadline=None)
@given(valid_reports())
def test_valid_report_has_no_error(report):
    errors = [f for f in check(report) if f.severity == ERROR]
    assert errors == []


@settings(max_examples=200, deadline=None)
@given(valid_reports(), st.sampled_from(T34), st.sampled_from([1, -1]))
def test_any_single_cell_off_by_one_is_named_by_an_error(report, cell, delta):
    old = report.values[cell]
    base = 0 if old is NA else old
    new = base + delta
    report.values[cell] = new if new >= 0 else Invalid(str(new))
    errors = [f for f in check(report) if f.severity == ERROR]
    assert any(cell in f.cells for f in errors), (cell, old, new)
