"""The desk's resubmission and decisions across versions of one organ-year (real files on disk, real DOCX read
back): a dismissal carries over to the identical finding of a later version (same rule, cells and message) and
is shown as carried over; a changed finding is pending again; the 整改通知 and the bulletin follow."""
import os
import time

from docx import Document

from app import project
from app.cli import main
from app.export.notices import bulletin_data, notice_docx
from app.review import CONFIRMED, DISMISSED, Review


def _two_versions(tmp_path, load_fixture, change_second=None):
    r = load_fixture("wuzhong-minzheng-2023")
    r.values["t3.granted.natural"] = 5  # T3.TOTAL_COLUMN and T3.HANDLED_SUM errors
    r.meta.date = "2024-02-20"  # META.DEADLINE
    folder = tmp_path / "报送"
    folder.mkdir()
    first, second = folder / "吴忠-初报.nianbao", folder / "吴忠-重报.nianbao"
    project.save(r, first)
    r.meta.contact = "电话：0953-1234567"  # a change that touches no finding
    if change_second:
        change_second(r)
    project.save(r, second)
    t0 = time.time() - 1000
    os.utime(first, (t0, t0))
    for bak in folder.glob("*.bak"):
        bak.unlink()
    return folder, first, second


def _entry(review, path):
    (e,) = [x for x in review.entries if x.path == path]
    return e


def test_dismissal_carries_over_to_the_identical_finding(tmp_path, load_fixture):
    folder, first, second = _two_versions(tmp_path, load_fixture)
    review = Review.read(folder, jobs=1)
    v1, v2 = _entry(review, first), _entry(review, second)
    assert v1.sha256 != v2.sha256
    late = next(f for f in v1.findings if f.rule == "META.DEADLINE")
    review.decide(v1, late, DISMISSED, "经批准延期发布")

    review = Review.read(folder, jobs=1)  # as the desk opens it again: from 审核记录.json
    v2 = _entry(review, second)
    late2 = next(f for f in v2.findings if f.rule == "META.DEADLINE")
    d = review.decision(v2, late2)
    assert d["status"] == DISMISSED and d["carried_from"] == first.name and d["comment"] == "经批准延期发布"
    assert late2 not in review.open_findings(v2) and not review.late(v2)
    res = review.resubmission(v2)
    assert (res["fixed"], res["unfixed"], res["new"]) == (0, 2, 0), res
    text = "\n".join(p.text for p in Document(__import__("io").BytesIO(
        notice_docx(review, v2, "某某市政务公开办公室", "2026-02-10"))).paragraphs)
    assert "成文日期" not in text and "存在以下2处问题" in text
    assert "已改正0处，未改正2处，新问题0处" in text
    (row,) = bulletin_data(review)["ranking"]
    assert not row["late"] and all("未按时" not in x for x in row["deductions"])

    import contextlib
    import io
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        main(["review", str(folder), "--notices", str(tmp_path / "通知")])
    line = next(x for x in buf.getvalue().splitlines() if second.name in x)
    assert "沿用较早版本的排除 1 处" in line and "已改正 0 · 未改正 2 · 新问题 0" in line, line
    doc = review.to_json(lambda path, report, findings: {"path": str(path)})
    (j2,) = [r for r in doc["reports"] if r["path"] == str(second)]
    assert [x["carried_from"] for x in j2["decisions"] if x.get("carried_from")] == [first.name]


def test_a_changed_finding_is_pending_again(tmp_path, load_fixture):
    def later_date(r):
        r.meta.date = "2024-03-05"  # the same rule and cell, another message
    folder, first, second = _two_versions(tmp_path, load_fixture, later_date)
    review = Review.read(folder, jobs=1)
    v1 = _entry(review, first)
    review.decide(v1, next(f for f in v1.findings if f.rule == "META.DEADLINE"), DISMISSED)
    v2 = _entry(review, second)
    late2 = next(f for f in v2.findings if f.rule == "META.DEADLINE")
    assert review.decision(v2, late2) is None and review.late(v2)


def test_a_later_confirmation_stops_the_carry_over(tmp_path, load_fixture):
    folder, first, second = _two_versions(tmp_path, load_fixture)
    third = folder / "吴忠-三报.nianbao"
    r = project.load(second)
    r.meta.contact = "电话：0953-7654321"
    project.save(r, third)
    t1 = time.time() - 500
    os.utime(second, (t1, t1))
    review = Review.read(folder, jobs=1)
    v1, v2, v3 = (_entry(review, p) for p in (first, second, third))
    key = next(f for f in v1.findings if f.rule == "META.DEADLINE")
    review.decide(v1, key, DISMISSED)
    review.decide(v2, next(f for f in v2.findings if f.rule == "META.DEADLINE"), CONFIRMED, "请说明延期原因")
    late3 = next(f for f in v3.findings if f.rule == "META.DEADLINE")
    assert review.decision(v3, late3) is None and review.late(v3)


def test_word_copy_notice_and_bulletin_report_no_correction(tmp_path, load_fixture):
    """QA2 item 2 end to end: a .nianbao with last year attached, then the Word file exported from it; the notice
    says nothing was corrected and why the cross-year findings were not compared; no 退回后未整改 when the
    earlier version's findings the Word copy can raise are all dismissed."""
    this = load_fixture("wuzhong-minzheng-2023")
    last = this.copy()
    last.meta.year = this.meta.year - 1
    for cid, v in list(last.values.items()):
        if isinstance(v, int) and v >= 10:
            last.values[cid] = 1
    last.previous = None
    this.previous = last
    this.values["t3.granted.natural"] = 5
    this.sections["s1"] = (this.sections.get("s1") or "") + "\n本年度共新收政府信息公开申请99件。"  # TEXT.NUMBERS
    folder = tmp_path / "报送"
    folder.mkdir()
    first = folder / "吴忠.nianbao"
    project.save(this, first)
    t0 = time.time() - 1000
    os.utime(first, (t0, t0))
    word = folder / "吴忠.docx"
    assert main(["export", str(first), "-o", str(word), "--force"]) == 0
    for bak in folder.glob("*.bak"):
        bak.unlink()
    review = Review.read(folder, jobs=1)
    v1, v2 = _entry(review, first), _entry(review, word)
    assert any(f.rule.startswith("YEAR.") for f in v1.findings)
    for f in v1.findings:
        if not f.rule.startswith("YEAR."):
            review.decide(v1, f, DISMISSED, "核实无误")
    res = review.resubmission(v2)
    assert (res["fixed"], res["unfixed"], res["new"]) == (0, 0, 0), res
    assert "较早版本" not in res["not_compared"] and "本版本没有附上年报告" in res["not_compared"]
    assert review.open_findings(v2) == [], "every finding of the Word copy was dismissed on the project file"
    numbers = next(f for f in v2.findings if f.rule == "TEXT.NUMBERS")
    assert review.decision(v2, numbers)["carried_from"] == first.name
    assert bulletin_data(review)["ranking"][0]["score"] == 10


def test_a_project_file_answers_for_its_own_blanks(tmp_path):
    """The badly read page saved as a project file by a clerk: its blanks and doubted values are the clerk's to
    have fixed — notice findings, not reading doubts (only the reader's own IMPORT notes stay out)."""
    from app.documents import open_report
    from conftest import ROOT
    r = open_report(ROOT / "tests" / "fixtures" / "real" / "docs" / "shanghai-bangongting-2025.md")
    r.meta.organ = "上海市人民政府办公厅"
    folder = tmp_path / "报送"
    folder.mkdir()
    project.save(r, folder / "上海.nianbao")
    review = Review.read(folder, jobs=1)
    (e,) = review.entries
    assert {f.rule for f, _ in review.held_findings(e)} == {"IMPORT.REVIEW"}
    rules = {f.rule for f in review.notice_findings(e)}
    assert "CELL.VALUE" in rules and "IMPORT.REVIEW" not in rules
    assert any(f.rule == "CELL.VALUE" and f.cells[0] in e.report.review for f in review.notice_findings(e)), \
        "a blank the reader doubted is the clerk's to have filled in a project file"
