"""The format data file: every verbatim label, cell id and rule of FORMAT.md is there."""
import json
import subprocess
import sys

from app.formats import available_formats, load_format
from conftest import ROOT

SPEC = ROOT / "tests" / "fixtures" / "FORMAT-spec.md"


def test_cell_ids_of_the_spec():
    fmt = load_format("gov-2021")
    t3 = [c for c in fmt.cells if c.startswith("t3.")]
    assert len(t3) == 25 * 7
    assert len([c for c in fmt.cells if c.startswith("t4.")]) == 15
    assert len([c for c in fmt.cells if c.startswith("t2.")]) == 10
    for cid in ["t2.regulations.issued", "t2.normative.in_force", "t2.licensing.decisions", "t2.penalty.decisions",
                "t2.coercion.decisions", "t2.fees.amount", "t3.withheld.security.social", "t3.other.unpaid_fee.legal",
                "t3.handled_total.total", "t3.carried_out.other_org", "t4.suit_after_review.pending"]:
        assert cid in fmt.cells
    assert fmt.cells["t2.fees.amount"].kind == "money"
    assert {c.kind for cid, c in fmt.cells.items() if cid != "t2.fees.amount"} == {"count"}


def test_every_backticked_id_and_label_of_the_spec_is_in_the_format():
    spec = SPEC.read_text(encoding="utf-8")
    fmt = load_format()
    raw = json.dumps(fmt.data, ensure_ascii=False)
    rule_ids = {r["id"] for r in fmt.rules}
    for rid in ["T3.TOTAL_COLUMN", "T3.HANDLED_SUM", "T3.BALANCE", "T4.GROUP_TOTAL", "CELL.VALUE", "YEAR.CARRY",
                "META.REQUIRED", "YEAR.IN_FORCE", "TEXT.NUMBERS", "TEXT.STALE_YEAR", "TEXT.SIMILAR", "FORMAT.OLD"]:
        assert rid in spec and rid in rule_ids
    for label in ["一、本年新收政府信息公开申请数量", "（二）部分公开（区分处理的，只计这一情形，"
                                      "不计其他情形）", "3.危及“三安全一稳定”",
                  "1.申请人无正当理由逾期不补正、"
                  "行政机关不再处理其政府信息公开申请", "四、结转下年度继续办理", "（七）总计",
                  "本年收费金额（单位："
                  "万元）", "第二十条第（八）项", "社会公益组织", "法律服务机构", "未经复议直接起诉", "复议后起诉",
                  "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"]:
        assert label in spec and label in raw, label


def test_table3_layout_has_the_official_merges():
    lay = load_format().layout("t3")
    placed = {(p.text, p.role): p for p in lay.cells if p.role != "value"}
    corner = placed[("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "corner")]
    assert (corner.row, corner.col, corner.rowspan, corner.colspan) == (0, 0, 3, 3)
    applicants = placed[("申请人情况", "header")]
    assert (applicants.row, applicants.colspan) == (0, 7)
    assert placed[("自然人", "header")].rowspan == 2
    assert placed[("法人或其他组织", "header")].colspan == 5
    assert placed[("三、本年度办理结果", "label")].rowspan == 22
    assert placed[("（三）不予公开", "label")].rowspan == 8
    assert placed[("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "label")].colspan == 2
    assert placed[("一、本年新收政府信息公开申请数量", "label")].colspan == 3
    assert (lay.rows, lay.cols, lay.header_rows) == (28, 10, 3)


def test_table4_and_table2_layouts():
    fmt = load_format()
    t4 = fmt.layout("t4")
    heads = [(p.text, p.row, p.colspan, p.rowspan) for p in t4.cells if p.role == "header"]
    assert ("行政复议", 0, 5, 1) in heads and ("行政诉讼", 0, 10, 1) in heads
    assert ("未经复议直接起诉", 1, 5, 1) in heads and ("结果维持", 1, 1, 2) in heads
    assert [p.cell_id for p in t4.cells if p.role == "value"][:2] == ["t4.review.upheld", "t4.review.corrected"]
    t2 = fmt.layout("t2")
    fee = next(p for p in t2.cells if p.cell_id == "t2.fees.amount")
    assert fee.colspan == 3
    assert [p.text for p in t2.cells if p.role == "block"] == ["第二十条第（一）项", "第二十条第（五）项",
                                                              "第二十条第（六）项", "第二十条第（八）项"]


def test_both_formats_ship_as_data():
    """The 2021 format and the 2019 trial format (read on import) are both data files that load as themselves."""
    assert {"gov-2021", "gov-2019"} <= set(available_formats())
    new, old = load_format("gov-2021"), load_format("gov-2019")
    assert (new.id, old.id) == ("gov-2021", "gov-2019")
    assert "〔2021〕30号" in new.name and "〔2019〕60号" in old.name
    assert not new.data.get("obsolete") and old.data["obsolete"] is True and old.data["superseded_by"] == new.id
    for fmt in (new, old):
        assert sorted(fmt.tables) == ["t2", "t3", "t4"] and fmt.layout("t3").rows > 20
        assert {"CELL.VALUE", "T3.BALANCE", "T4.GROUP_TOTAL"} <= {r["id"] for r in fmt.rules}
    # the two differ where the spec says they do: 2019's table 2 counts documents made/published, 2021's does not
    assert "t2.regulations.made" in old.cells and "t2.regulations.made" not in new.cells
    assert "t2.fees.amount" in new.cells and "t2.fees.amount" not in old.cells


def test_core_never_imports_qt():
    code = ("import pkgutil, importlib, sys, app\n"
            "mods = [m.name for m in pkgutil.walk_packages(app.__path__, 'app.')]\n"
            "for m in mods: importlib.import_module(m)\n"
            "assert 'PySide6' not in sys.modules, [k for k in sys.modules if 'PySide6' in k]\n"
            "print(len(mods))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip()) >= 8
