"""Project files on disk: minimal files open, saves are atomic with a backup, bad files are refused untouched."""
import json
import os
from decimal import Decimal

import pytest

from app import project
from app.model import Report
from app.rules import check
from app.values import NA
from conftest import FIXTURE_NAMES

MINIMAL = {"format": "gov-2021",
           "meta": {"organ": "吴忠市民政局", "year": 2023, "date": "2024-01-16", "contact": "…"},
           "values": {"t3.new.natural": 1, "t2.regulations.issued": "/", "t2.fees.amount": "0.1250"},
           "sections": {"s1": "一", "s5": "五", "s6": "六"}}


def write(tmp_path, data, name="r.nianbao"):
    p = tmp_path / name
    p.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


def test_minimal_file_opens(tmp_path):
    r = project.load(write(tmp_path, MINIMAL))
    assert r.meta.organ == "吴忠市民政局" and r.meta.year == 2023 and r.meta.date == "2024-01-16"
    assert r.values == {"t3.new.natural": 1, "t2.regulations.issued": NA, "t2.fees.amount": Decimal("0.1250")}
    assert r.sections["s5"] == "五"
    assert "t3.new.total" not in r.values  # missing key = blank


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_round_trip_is_exact(tmp_path, load_fixture, name):
    r = load_fixture(name)
    r.values["t2.fees.amount"] = Decimal("12.3456")
    r.values["t2.regulations.in_force"] = NA
    r.review["t3.new.natural"] = "导入时标签不确定"
    r.previous = load_fixture(name)
    p = tmp_path / "x.nianbao"
    project.save(r, p)
    back = project.load(p)
    assert back.values == r.values and back.sections == r.sections and back.meta == r.meta
    assert back.review == r.review and back.previous.values == r.previous.values
    assert back.extra == {"fixture_note": r.extra["fixture_note"]}  # unknown keys survive
    saved = json.loads(p.read_text(encoding="utf-8"))
    assert saved["values"]["t2.fees.amount"] == "12.3456" and saved["values"]["t2.regulations.in_force"] == "/"


def test_save_keeps_previous_version_as_backup_and_leaves_no_temp(tmp_path):
    p = tmp_path / "r.nianbao"
    r = Report()
    r.meta.organ = "第一版"
    project.save(r, p)
    r.meta.organ = "第二版"
    project.save(r, p)
    assert project.load(p).meta.organ == "第二版"
    assert json.loads((tmp_path / "r.nianbao.bak").read_text(encoding="utf-8"))["meta"]["organ"] == "第一版"
    assert sorted(os.listdir(tmp_path)) == ["r.nianbao", "r.nianbao.bak"]


def test_failed_save_leaves_the_old_file_intact(tmp_path, monkeypatch):
    p = tmp_path / "r.nianbao"
    r = Report()
    r.meta.organ = "原稿"
    project.save(r, p)
    before = p.read_bytes()

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    r.meta.organ = "新稿"
    with pytest.raises(project.ProjectError) as e:
        project.save(r, p)
    assert "无法保存" in str(e.value) and "原文件未被改动" in str(e.value)
    assert p.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["r.nianbao"]


def test_save_into_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(project.ProjectError, match="无法保存"):
        project.save(Report(), tmp_path / "no" / "such" / "r.nianbao")


@pytest.mark.parametrize("content,needle", [
    ('{"format": "gov-2021", "meta": {', "JSON 格式错误"),
    ("[1, 2]", "最外层应为 JSON 对象"),
    ('{"meta": {}}', "缺少“format”"),
    ('{"format": "gov-2099"}', "未知的报告格式“gov-2099”"),
    ('{"format": "gov-2021", "schema": 7}', "更新版本的年报助手"),
    ('{"format": "gov-2021", "values": {"t3.new.natural": [1]}}', "t3.new.natural"),
    ('{"format": "gov-2021", "values": {"t3.nope.natural": 1}}', "未知的单元格编号“t3.nope.natural”"),
    ('{"format": "gov-2021", "meta": {"organ": 5}}', "meta.organ"),
    ('{"format": "gov-2021", "meta": {"year": "二〇二三"}}', "meta.year"),
    ('{"format": "gov-2021", "sections": {"s9": "x"}}', "未知的章节“s9”"),
    ('{"format": "gov-2021", "values": []}', "“values”应为对象"),
])
def test_bad_files_are_refused_and_never_touched(tmp_path, content, needle):
    p = write(tmp_path, content)
    before = p.read_bytes()
    with pytest.raises(project.ProjectError) as e:
        project.load(p)
    assert needle in str(e.value)
    assert "r.nianbao" in str(e.value)
    assert p.read_bytes() == before


def test_not_utf8_and_missing_files(tmp_path):
    p = tmp_path / "gbk.nianbao"
    p.write_bytes('{"format": "gov-2021", "meta": {"organ": "民政局"}}'.encode("gbk"))
    with pytest.raises(project.ProjectError, match="UTF-8"):
        project.load(p)
    with pytest.raises(project.ProjectError, match="找不到文件"):
        project.load(tmp_path / "nothing.nianbao")


def test_utf8_bom_is_accepted(tmp_path):
    p = tmp_path / "bom.nianbao"
    p.write_bytes(b"\xef\xbb\xbf" + json.dumps(MINIMAL, ensure_ascii=False).encode("utf-8"))
    assert project.load(p).meta.organ == "吴忠市民政局"


def test_loaded_minimal_report_is_checkable(tmp_path):
    fs = check(project.load(write(tmp_path, MINIMAL)))
    # sections of one character: 五 says nothing (TEXT.S5_SUBSTANCE), 六 nothing about 信息处理费 (TEXT.FEE_STATEMENT)
    # one count and blank totals: sum rules count the blanks as 0 (the new-requests row and the natural-person column
    # do not add up)
    assert {f.rule for f in fs} == {"CELL.VALUE", "TEXT.S5_SUBSTANCE", "TEXT.FEE_STATEMENT", "T3.TOTAL_COLUMN",
                                    "T3.BALANCE"}


def test_saved_file_gets_normal_permissions(tmp_path):
    import stat
    import sys
    if sys.platform.startswith("win"):
        return
    p = tmp_path / "r.nianbao"
    old = os.umask(0o022)
    try:
        project.save(Report(), p)
    finally:
        os.umask(old)
    assert stat.S_IMODE(p.stat().st_mode) == 0o644
    os.chmod(p, 0o640)
    project.save(Report(), p)
    assert stat.S_IMODE(p.stat().st_mode) == 0o640


def test_the_opening_is_kept_as_written(tmp_path):
    """The office's own opening paragraph is a field of the report: saved and read back as written; a file without
    it (older files) means the format's standard opening."""
    from app import project
    from app.model import new_report
    r = new_report()
    r.meta.organ = "台儿庄区民政局"
    r.meta.opening = ("根据《中华人民共和国政府信息公开条例》（国务院令第711号）规定，"
                      "现向社会公布台儿庄区民政局2023年度报告。")
    p = tmp_path / "a.nianbao"
    project.save(r, p)
    assert project.load(p).meta.opening == r.meta.opening
    data = json.loads(p.read_text(encoding="utf-8"))
    del data["meta"]["opening"]
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert project.load(p).meta.opening == ""
