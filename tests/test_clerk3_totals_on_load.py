"""A .nianbao whose stored total differs from the sum of its cells (written by hand, another program or an
older version) is read with the sum, and the difference is said: never changed silently."""
import json

from app import project
from app.model import new_report
from app.rules import check


def _file(tmp_path, total):
    r = new_report()
    r.meta.organ = "示例市民政局"
    r.meta.year = 2025
    r.values["t3.carried_in.natural"] = 1
    data = project.report_to_dict(r)
    if total is not None:
        data["values"]["t3.carried_in.total"] = total
    p = tmp_path / "a.nianbao"
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


def opened(path):
    """The report as a session opens it for editing (app/session.py)."""
    return project.load_with_bytes(path, refill=True)[0]


def test_blank_stored_total_is_refilled_and_said(tmp_path):
    r = opened(_file(tmp_path, None))
    assert r.values["t3.carried_in.total"] == 1
    assert not [f for f in check(r) if "t3.carried_in.total" in f.cells and f.rule == "T3.TOTAL_COLUMN"]
    assert set(r.recomputed) == {"t3.carried_in.total"}
    text = project.recomputed_text(r)
    assert "原为“空”，现为“1”" in text and "上年结转" in text


def test_wrong_stored_total_is_refilled_and_said(tmp_path):
    r = opened(_file(tmp_path, 7))
    assert r.values["t3.carried_in.total"] == 1
    assert r.recomputed["t3.carried_in.total"] == (7, 1)
    assert "原为“7”，现为“1”" in project.recomputed_text(r)


def test_consistent_file_has_nothing_to_say(tmp_path):
    r = opened(_file(tmp_path, 1))
    assert r.recomputed == {} and project.recomputed_text(r) == ""


def test_last_years_report_inside_the_file_is_kept_as_published(tmp_path):
    last = new_report()
    last.meta.year = 2024
    last.values["t3.carried_out.natural"] = 3  # its total left blank, as published
    this = new_report()
    this.previous = last
    p = tmp_path / "b.nianbao"
    p.write_text(json.dumps(project.report_to_dict(this), ensure_ascii=False), encoding="utf-8")
    r = opened(p)
    assert "t3.carried_out.total" not in r.previous.values



def test_checking_reads_the_file_as_it_is(tmp_path):
    """check and the review desk read a project file as it is: its stored total is what is checked."""
    r = project.load(_file(tmp_path, 7))
    assert r.values["t3.carried_in.total"] == 7 and r.recomputed == {}
    assert [f for f in check(r) if f.rule == "T3.TOTAL_COLUMN" and "t3.carried_in.total" in f.cells]
