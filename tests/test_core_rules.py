"""The rule engine on the published fixtures and on variants with planted errors.

Each planted error names the exact findings it must produce (rule id and cells), nothing more.
"""
import pytest

from app import project
from app.model import next_year_report
from app.rules import ERROR, WARNING, check, counts, formulas, recompute
from app.values import NA, Invalid
from conftest import FIXTURE_NAMES, is_chinese_message


def keyed(findings):
    return sorted((f.rule, tuple(sorted(f.cells))) for f in findings)


def row(r):
    return [f"t3.{r}.{c}" for c in ["natural", "commercial", "research", "social", "legal", "other_org", "total"]]


HANDLED = ["granted", "partial"] + [f"withheld.{x}" for x in ["secret", "prohibited", "security", "third_party",
                                                               "internal", "process", "enforcement", "inquiry"]] + \
          [f"unavailable.{x}" for x in ["not_held", "needs_creation", "unclear"]] + \
          [f"rejected.{x}" for x in ["petition", "duplicate", "publication", "excessive", "confirmation"]] + \
          [f"other.{x}" for x in ["no_correction", "unpaid_fee", "other"]]


def column(c):
    return [f"t3.{r}.{c}" for r in HANDLED] + [f"t3.handled_total.{c}"]


def balance(c):
    return [f"t3.new.{c}", f"t3.carried_in.{c}", f"t3.handled_total.{c}", f"t3.carried_out.{c}"]


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_published_fixtures_have_no_findings(load_fixture, name):
    report = load_fixture(name)
    assert keyed(check(report)) == []


def test_spec_example_message(load_fixture):
    r = load_fixture("pingqiao-minzheng-2024")
    r.values["t3.new.natural"] = 3
    r.values["t3.granted.natural"] = 2
    recompute(r, ["t3.new.natural", "t3.granted.natural"])
    fs = [f for f in check(r) if f.rule == "T3.BALANCE"]
    assert [f.message for f in fs if "自然人列" in f.message] == [
        "自然人列：本年新收(3)+上年结转(0)=3，但办理结果总计(2)+结转下年度(0)=2，相差1"]
    assert fs[0].expected == 3 and fs[0].actual == 2
    assert fs[0].severity == ERROR


PLANTS = {
    # name: (mutation, expected findings as (rule, cells))
    # a blank counts as 0 in the sums: the stored totals no longer add up (and the blank is listed)
    "blank cell": (lambda r: r.values.pop("t3.granted.natural"),
                   [("CELL.VALUE", ("t3.granted.natural",)), ("T3.HANDLED_SUM", tuple(column("natural"))),
                    ("T3.TOTAL_COLUMN", tuple(row("granted")))]),
    "negative count": (lambda r: r.values.__setitem__("t3.new.natural", Invalid("-1")),
                       [("CELL.VALUE", ("t3.new.natural",))]),
    "fraction in a count": (lambda r: r.values.__setitem__("t4.review.pending", Invalid("1.5")),
                            [("CELL.VALUE", ("t4.review.pending",))]),
    "fee with five decimals": (lambda r: r.values.__setitem__("t2.fees.amount", Invalid("0.12345")),
                               [("CELL.VALUE", ("t2.fees.amount",))]),
    "organ missing": (lambda r: setattr(r.meta, "organ", ""), [("META.REQUIRED", ("meta.organ",))]),
    "date missing": (lambda r: setattr(r.meta, "date", ""), [("META.REQUIRED", ("meta.date",))]),
    "section missing": (lambda r: r.sections.__setitem__("s6", "  "), [("META.REQUIRED", ("s6",))]),
    "date not a date": (lambda r: setattr(r.meta, "date", "2024-02-30"), [("META.REQUIRED", ("meta.date",))]),
    "row total wrong": (lambda r: r.values.__setitem__("t3.new.total", 2),
                        [("T3.BALANCE", tuple(balance("total"))), ("T3.TOTAL_COLUMN", tuple(row("new")))]),
    "handled total wrong": (lambda r: r.values.__setitem__("t3.handled_total.natural", 2),
                            [("T3.BALANCE", tuple(balance("natural"))), ("T3.HANDLED_SUM", tuple(column("natural"))),
                             ("T3.TOTAL_COLUMN", tuple(row("handled_total")))]),
    "unbalanced carry-over": (lambda r: (r.values.__setitem__("t3.carried_out.natural", 1),
                                         r.values.__setitem__("t3.carried_out.total", 1)),
                              [("T3.BALANCE", tuple(balance("natural"))), ("T3.BALANCE", tuple(balance("total")))]),
    "table 4 group total": (lambda r: r.values.__setitem__("t4.review.total", 1),
                            [("T4.GROUP_TOTAL", ("t4.review.corrected", "t4.review.other", "t4.review.pending",
                                                 "t4.review.total", "t4.review.upheld")),
                             # wuzhong's s1 says 未发生…行政复议、行政诉讼 (the grammar names the quantity stated)
                             ("TEXT.NUMBERS", ("s1", "t4.review.total"))]),
}


@pytest.mark.parametrize("plant", list(PLANTS))
def test_planted_error_gives_exactly_the_expected_findings(load_fixture, plant):
    report = load_fixture("wuzhong-minzheng-2023")
    mutate, expected = PLANTS[plant]
    mutate(report)
    got = keyed(check(report))
    assert got == sorted((r, tuple(sorted(c))) for r, c in expected)
    for f in check(report):  # a Chinese sentence for the user: starts with a Chinese character, mostly Chinese
        assert "\u4e00" <= f.message[:1] <= "\u9fff" and is_chinese_message(f.message), f.message


@pytest.mark.parametrize("msg,chinese", [
    ("表三自然人列「（一）予以公开」未填写。", True),
    ("成文日期“2024-02-30”不是有效日期，应写作如 2024-01-16。", True),
    ("Cell 表三 is blank", False),                            # English with a Chinese word
    ("“吴忠市民政局年报.docx” cannot be opened", False),      # only the quoted file name is Chinese
    ("", False),
])
def test_the_chinese_message_check_tells_chinese_from_english(msg, chinese):
    assert is_chinese_message(msg) == chinese


def test_planted_errors_through_a_file_on_disk(tmp_path, fixture_path):
    """Invalid values in a project file are kept (not dropped) and reported as CELL.VALUE."""
    import json
    data = json.loads(fixture_path("weihui-minzheng-2022").read_text(encoding="utf-8"))
    data["values"]["t3.new.natural"] = -1
    data["values"]["t3.new.commercial"] = 1.5
    data["values"]["t2.fees.amount"] = "0.1234567"
    data["values"]["t3.new.research"] = "三"
    del data["values"]["t4.review.upheld"]
    p = tmp_path / "planted.nianbao"
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    report = project.load(p)
    got = keyed(check(report))
    assert got == sorted([("CELL.VALUE", ("t3.new.natural",)), ("CELL.VALUE", ("t3.new.commercial",)),
                          ("CELL.VALUE", ("t2.fees.amount",)), ("CELL.VALUE", ("t3.new.research",)),
                          ("CELL.VALUE", ("t4.review.upheld",))])
    # nothing lost: saving writes the invalid entries back verbatim
    out = tmp_path / "again.nianbao"
    project.save(report, out)
    again = json.loads(out.read_text(encoding="utf-8"))["values"]
    assert again["t3.new.research"] == "三" and again["t2.fees.amount"] == "0.1234567"


def test_blank_cells_are_listed_per_table_not_zero():
    from app.model import Report
    fs = [f for f in check(Report()) if f.rule == "CELL.VALUE"]
    assert [len(f.cells) for f in fs] == [10, 175, 15]
    assert "空白不等于0" in fs[1].message
    assert not [f for f in check(Report()) if f.rule.startswith("T3.")]


def test_year_carry_and_in_force(load_fixture):
    last = load_fixture("wuzhong-minzheng-2023")
    last.values["t3.carried_out.natural"] = 1
    last.values["t3.carried_out.total"] = 1
    this = load_fixture("pingqiao-minzheng-2024")
    got = check(this, previous=last)
    assert keyed(got) == sorted([
        ("YEAR.CARRY", ("t3.carried_in.natural",)), ("YEAR.CARRY", ("t3.carried_in.total",)),
        ("YEAR.IN_FORCE", ("t2.normative.in_force", "t2.normative.issued", "t2.normative.repealed")),
        ("TEXT.S5_FOLLOW_UP", ("s5",)),  # pingqiao's 五 does not say how last year's problems were addressed
        ("YEAR.PREVIOUS", ("meta.organ",)),  # another organ's report stands in for last year's: said, and used
    ])
    carry = next(f for f in got if f.rule == "YEAR.CARRY")
    assert carry.severity == ERROR and carry.expected == 1 and carry.actual == 0
    assert carry.fix == {"t3.carried_in.natural": 1}
    assert "上年报告的结转下年度(1)" in carry.message
    in_force = next(f for f in got if f.rule == "YEAR.IN_FORCE")
    assert in_force.severity == WARNING and "有效期届满" in in_force.message


def test_next_year_report_prefills_carry_over(load_fixture):
    last = load_fixture("wuzhong-minzheng-2023")
    last.values["t3.carried_out.legal"] = 2
    recompute(last)  # last year's report as published: its 总计 agrees with its columns
    new = next_year_report(last)
    assert new.meta.organ == "吴忠市民政局" and new.meta.year == 2024
    assert new.values["t3.carried_in.legal"] == 2 and new.values["t3.carried_in.natural"] == 0
    assert new.previous.values == last.values
    assert not [f for f in check(new) if f.rule == "YEAR.CARRY"]


def test_text_numbers(load_fixture):
    r = load_fixture("wuzhong-minzheng-2023")
    r.sections["s1"] = r.sections["s1"].replace("全年累计办理申请 1 件", "全年累计办理申请 3 件")
    fs = [f for f in check(r) if f.rule == "TEXT.NUMBERS"]
    assert len(fs) == 1 and fs[0].severity == WARNING and fs[0].actual == 3
    assert "全年累计办理申请 3 件" in fs[0].message
    r.sections["s1"] += "\n全年作出行政许可决定16件。"
    assert len([f for f in check(r) if f.rule == "TEXT.NUMBERS"]) == 2
    p = load_fixture("pingqiao-minzheng-2024")
    p.values["t3.new.natural"] = p.values["t3.new.total"] = 1
    assert [f.cells for f in check(p) if f.rule == "TEXT.NUMBERS"] == [["s1", "t3.new.total"]]  # 未收到依申请公开事项


@pytest.mark.parametrize("sentence,flagged", [
    ("2023年，我局认真贯彻落实条例。", True),      # last year's opening copied
    ("2021年，我局认真贯彻落实条例。", True),
    ("本报告统计数据从2023年1月1日至12月31日。", True),
    ("全年主动公开信息较2023年增加12条。", False),  # comparison
    ("2025年，我局将进一步加强培训。", False),      # plans
    ("2019年以来，我局持续推进公开。", False),
    ("印发《2021年政务公开工作要点》。", False),     # document title
    ("2024年，我局认真贯彻落实条例。", False),
])
def test_stale_year(load_fixture, sentence, flagged):
    r = load_fixture("pingqiao-minzheng-2024")
    r.sections["s5"] = sentence + r.sections["s5"]
    # a statistical-period sentence is said by TEXT.PERIOD_YEAR alone (it names the period to write instead)
    fs = [f for f in check(r) if f.rule in ("TEXT.STALE_YEAR", "TEXT.PERIOD_YEAR")]
    assert len(fs) == int(flagged)
    if flagged:
        assert fs[0].cells == ["s5"] and fs[0].severity == WARNING
        assert fs[0].rule == ("TEXT.PERIOD_YEAR" if "统计" in sentence else "TEXT.STALE_YEAR")


def test_similar_to_last_year(load_fixture):
    last = load_fixture("wuzhong-minzheng-2023")
    this = next_year_report(last)
    this.sections = {k: v.replace("2023", "2024") for k, v in last.sections.items()}
    fs = [f for f in check(this) if f.rule == "TEXT.SIMILAR"]
    assert sorted(c for f in fs for c in f.cells) == ["s1", "s5", "s6"]
    this.sections["s5"] = load_fixture("pingqiao-minzheng-2024").sections["s5"]
    fs = [f for f in check(this) if f.rule == "TEXT.SIMILAR"]
    assert sorted(c for f in fs for c in f.cells) == ["s1", "s6"]


def test_format_old_and_review_marks(load_fixture):
    r = load_fixture("weihui-minzheng-2022")
    r.origin_format = "gov-2019"
    r.review["t2.normative.issued"] = "由“本年新制作数量”转换"
    fs = check(r)
    assert keyed(fs) == [("FORMAT.OLD", ()), ("IMPORT.REVIEW", ("t2.normative.issued",))]
    assert all(f.severity == WARNING for f in fs)


def test_recompute_fills_totals_from_components(load_fixture):
    r = load_fixture("weihui-minzheng-2022")
    r.values["t3.partial.legal"] = 2
    r.values["t3.new.legal"] = 2
    changed = recompute(r, ["t3.partial.legal", "t3.new.legal"])
    assert changed == {"t3.partial.total": 2, "t3.handled_total.legal": 2, "t3.handled_total.total": 2,
                       "t3.new.total": 2}
    assert counts(check(r)) == (0, 0)
    f = formulas(r.format)
    assert f["t3.new.total"][0] == "t3.new.natural" and len(f["t4.review.total"]) == 4
    assert "t3.carried_out.total" in f and "t3.carried_out.natural" not in f


def test_recompute_leaves_blank_totals_blank_and_counts_na_as_zero():
    from app.model import Report
    r = Report()
    assert recompute(r) == {}
    r.values["t4.review.upheld"] = NA
    r.values["t4.review.other"] = 2
    recompute(r, ["t4.review.upheld", "t4.review.other"])
    assert r.values["t4.review.total"] == 2


def test_one_click_fix_resolves_the_finding(load_fixture):
    r = load_fixture("wuzhong-minzheng-2023")
    r.values["t4.suit_direct.total"] = 5
    f = next(f for f in check(r) if f.rule == "T4.GROUP_TOTAL")
    assert f.fix == {"t4.suit_direct.total": 0}
    r.values.update(f.fix)
    assert counts(check(r)) == (0, 0)


def test_sum_rules_count_blanks_as_zero_from_the_first_value():
    """A new report with a few values typed is flagged where it does not balance, not only after
    every cell is filled; the message names the blank terms (未填，按 0 计); the 未填写 finding stays."""
    from app.model import new_report
    r = new_report()
    for c, v in {"t3.new.natural": 5, "t3.new.commercial": 2, "t3.granted.natural": 3, "t3.partial.natural": 1}.items():
        r.set(c, v)
    recompute(r)
    fs = check(r)
    bal = {f.message.split("：")[0]: f for f in fs if f.rule == "T3.BALANCE"}
    assert sorted(bal) == ["商业企业列", "总计列", "自然人列"]
    assert bal["自然人列"].message == ("自然人列：本年新收(5)+上年结转(未填，按 0 计)=5，但办理结果总计(4)+"
                                     "结转下年度(未填，按 0 计)=4，相差1")
    assert (bal["自然人列"].expected, bal["自然人列"].actual) == (5, 4)
    assert [f for f in fs if f.rule == "CELL.VALUE" and "未填写" in f.message]
    # a column that balances with its blanks as 0 is not flagged; an aggregated side names its blank terms
    r.set("t3.carried_out.natural", 1)
    r.set("t3.new.commercial", None)
    recompute(r)
    fs = check(r)
    assert [f for f in fs if f.rule == "T3.BALANCE"] == []
    r.set("t3.new.total", 9)  # a stored total that disagrees with its (partly blank) parts
    tc = [f for f in check(r) if f.rule == "T3.TOTAL_COLUMN"]
    assert len(tc) == 1
    assert "其中商业企业、科研机构、社会公益组织、法律服务机构、其他法人或其他组织未填，按 0 计" in tc[0].message
    # an invalid value still leaves the sums to CELL.VALUE
    r.set("t3.new.natural", Invalid("x"))
    assert not [f for f in check(r) if f.rule in ("T3.TOTAL_COLUMN",) and "t3.new.natural" in f.cells]


def test_check_command_flags_a_partly_filled_report(tmp_path):
    import json
    import subprocess
    import sys
    from app.model import new_report
    r = new_report()
    r.set("t3.new.natural", 5)
    recompute(r)
    p = tmp_path / "partly.nianbao"
    project.save(r, p)
    out = subprocess.run([sys.executable, "-m", "app.cli", "check", str(p), "--json"], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 1
    rules = [f["rule"] for f in json.loads(out.stdout)["reports"][0]["findings"]]
    assert "T3.BALANCE" in rules


@pytest.mark.parametrize("plant", list(PLANTS) + ["previous year", "new report"])
def test_checking_for_errors_only_finds_exactly_the_errors(load_fixture, plant):
    """``check(report, severity=ERROR)`` (what an export asks) skips the warning-only rules and gives the same
    errors as the full check; the same for warnings."""
    if plant == "new report":
        report = next_year_report(load_fixture("wuzhong-minzheng-2023"))
    else:
        report = load_fixture("wuzhong-minzheng-2023")
        if plant == "previous year":
            report.previous = load_fixture("wuzhong-minzheng-2023")
            report.values["t3.carried_in.natural"] = 5
        else:
            PLANTS[plant][0](report)
    full = check(report)
    for severity in (ERROR, WARNING):
        assert keyed(check(report, severity=severity)) == keyed(f for f in full if f.severity == severity)
    assert any(f.severity == ERROR for f in full) or plant in ("previous year",)


def test_an_export_runs_no_warning_rule(tmp_path, fixture_path):
    """A fresh ``nianbao export -o X.pdf`` never loads the narrative grammar (warnings only: not what decides
    whether the export may go ahead) nor the Word or Excel writers."""
    import subprocess
    import sys

    from conftest import ROOT
    code = ("import sys, runpy; sys.argv = ['nianbao', 'export', sys.argv[1], '-o', sys.argv[2]];\n"
            "from app.cli import main\n"
            "try:\n    main()\nfinally:\n    print('MODULES', ' '.join(sorted(sys.modules)))")
    proc = subprocess.run([sys.executable, "-c", code, str(fixture_path("wuzhong-minzheng-2023")),
                           str(tmp_path / "x.pdf")], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert (tmp_path / "x.pdf").is_file(), proc.stderr
    modules = set(proc.stdout.split("MODULES", 1)[1].split())
    assert "app.rules" in modules and "reportlab.platypus" in modules
    assert not {"app.narrative", "app.importers", "docx", "docxtpl", "openpyxl", "PySide6"} & modules


def test_last_years_own_wrong_total_is_not_blamed_on_this_years_computed_total(load_fixture):
    """Last year's report as published carried 6 requests over in total but 5 in its columns: this year's 上年结转
    columns agree with last year's, and its total is computed (5) — the clerk cannot change it. Not an error of
    this report: a warning that says last year's was wrong. A wrong column of this year's is still an error."""
    last = load_fixture("wuzhong-minzheng-2023")
    last.values["t3.carried_out.legal"] = 2
    recompute(last)
    last.values["t3.carried_out.total"] = last.values["t3.carried_out.total"] + 1  # last year's own mistake
    new = next_year_report(last)
    carry = [f for f in check(new) if f.rule == "YEAR.CARRY"]
    assert [f.severity for f in carry] == [WARNING], carry
    assert "上年报告本身的错误" in carry[0].message and "无需改动" in carry[0].message
    assert carry[0].cells == ["t3.carried_in.total"]
    new.values["t3.carried_in.legal"] = 3  # now this year's column is wrong too
    recompute(new)
    errors = [f for f in check(new) if f.rule == "YEAR.CARRY" and f.severity == ERROR]
    assert errors and all("上年报告本身的错误" not in f.message for f in errors)


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_sum_findings_are_the_sum_rules_findings_of_check(name, load_fixture):
    """The importer's look at the totals runs the sum rules alone: the same findings (and fixes) as the whole check
    gives for them, on each fixture with its totals broken and a value made blank."""
    from app.rules import sum_findings
    r = load_fixture(name)
    sums = {rule["id"] for rule in r.format.rules if rule["type"] == "sum"}
    r.values["t3.new.total"] = 987654
    r.values["t3.handled_total.natural"] = 12345
    r.values.pop("t4.review.total.total", None)
    for severity in (None, ERROR):
        whole = [f for f in check(r, severity=severity) if f.rule in sums]
        assert whole, name
        assert sum_findings(r, severity=severity) == whole
