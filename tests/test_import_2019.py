"""The 2019 trial layout (国办公开办函〔2019〕60号): recognised, mapped to the 2021 model, every value marked."""
import random

import pytest

from app.documents import open_report
from app.formats import load_format
from app.rules import check
from fuzz.docs import docx_from_report, random_report, text_from_report

NEW = load_format()
OLD = load_format("gov-2019")


def old_report():
    r = random_report(random.Random(2019), organ="某某市交通运输局", year=2020, fmt_id="gov-2019")
    r.values.update({"t2.regulations.made": 2, "t2.regulations.published": 2, "t2.regulations.public_total": 15,
                     "t2.normative.made": 4, "t2.normative.public_total": 30,
                     "t2.licensing.decisions": 120, "t2.other_services.decisions": 33,
                     "t2.penalty.decisions": 9, "t2.coercion.decisions": 1,
                     "t2.fees.prev_items": 3, "t2.fees.change": 0,
                     "t2.procurement.items": 5, "t2.procurement.amount": 12})
    return r


def test_2019_layout_is_the_described_one():
    labels = {p.text for t in OLD.table_ids for p in OLD.layout(t).cells}
    for label in (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "规范性文件",
        "上一年项目数量",
        "本年增/减",
        "处理决定数量",
        "其他对外管理服务事项",
        "第二十条第（九）项",
        "政府集中采购",
        "采购项目数量",
        "采购总金额",
    ):
        assert label in labels
    rows = [r["id"] for r in OLD.tables["t3"]["rows"]]
    assert "other" in rows and not any(r.startswith("other.") for r in rows)
    assert OLD.layout("t3").rows == NEW.layout("t3").rows - 2  # 三、本年度办理结果 spans 20 rows, not 22
    assert OLD.layout("t4").cells == NEW.layout("t4").cells


@pytest.mark.parametrize("kind", ["docx", "txt"])
def test_2019_report_migrates_with_review(tmp_path, kind):
    old = old_report()
    path = tmp_path / f"old.{kind}"
    if kind == "docx":
        docx_from_report(old, path)
    else:
        path.write_text(text_from_report(old, "tab"), encoding="utf-8")
    got = open_report(path)
    assert got.format_id == "gov-2021" and got.origin_format == "gov-2019"
    assert (got.meta.organ, got.meta.year) == ("某某市交通运输局", 2020)
    v = got.values
    assert v["t2.regulations.issued"] == 2 and v["t2.normative.issued"] == 4
    assert v["t2.regulations.in_force"] == 15 and v["t2.normative.in_force"] == 30
    assert v["t2.licensing.decisions"] == 120 and v["t2.penalty.decisions"] == 9 and v["t2.coercion.decisions"] == 1
    assert "t2.fees.amount" not in v and "t2.regulations.repealed" not in v
    for col in ("natural", "commercial", "research", "social", "legal", "other_org", "total"):
        assert v[f"t3.other.other.{col}"] == old.values[f"t3.other.{col}"]
        assert f"t3.other.no_correction.{col}" not in v
        for row in ("new", "carried_in", "granted", "withheld.secret", "handled_total", "carried_out"):
            assert v[f"t3.{row}.{col}"] == old.values[f"t3.{row}.{col}"]
    for cid in NEW.cells_of("t4"):
        assert v[cid] == old.values[cid]
    # every mapped value is marked for review
    for cid, value in v.items():
        assert cid in got.review, cid
    assert "对外公开总数量" in got.review["t2.regulations.in_force"]
    # the dropped rows are listed, with their numbers
    assert (
        "其他对外管理服务事项" in got.review["t2.licensing.decisions"] and "33" in got.review["t2.licensing.decisions"]
    )
    assert "政府集中采购" in got.review["t2.fees.amount"]
    notes = " ".join(got.extra["import_notes"])
    assert "其他对外管理服务事项" in notes and "政府集中采购" in notes and "2019" in notes
    rules = [f.rule for f in check(got)]
    assert "FORMAT.OLD" in rules and rules.count("IMPORT.REVIEW") >= len(v)


def test_2021_report_is_not_taken_for_2019(tmp_path):
    r = random_report(random.Random(1))
    got = open_report(docx_from_report(r, tmp_path / "new.docx"))
    assert got.origin_format is None and "FORMAT.OLD" not in [f.rule for f in check(got)]


def test_2019_format_file_is_usable_on_its_own():
    """load_format("gov-2019") gives a working format: its rules run on a report in that layout."""
    r = old_report()
    assert r.format_id == "gov-2019" and OLD.cells["t2.procurement.amount"].kind == "money"
    findings = check(r)
    assert not [f for f in findings if f.rule.startswith(("T3.", "T4."))]  # random_report balanced it
    r.values["t3.other.total"] += 1
    assert any(f.rule == "T3.TOTAL_COLUMN" for f in check(r))
