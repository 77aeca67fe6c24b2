"""Project files at their edges: what mutation testing (tests/mutation.py) found unchecked in save/load.

Everything goes through real files on disk (project.save / project.load) and the documented file layout.
"""
import json
import os
import stat
from decimal import Decimal

import pytest

from app import project
from conftest import is_chinese_message

BASE = {"format": "gov-2021", "meta": {"organ": "吴忠市民政局", "year": 2023, "date": "2024-01-16", "contact": ""},
        "values": {"t3.new.natural": 1}, "sections": {"s1": "一", "s5": "五", "s6": "六"}}


def write(tmp_path, data, name="r.nianbao"):
    p = tmp_path / name
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


def with_(**changes):
    data = json.loads(json.dumps(BASE))
    for key, value in changes.items():
        if "." in key:
            outer, inner = key.split(".")
            data[outer][inner] = value
        else:
            data[key] = value
    return data


def test_everything_a_report_carries_survives_save_and_load(tmp_path, load_fixture):
    r = load_fixture("wuzhong-minzheng-2023")
    r.meta.contact = "联系电话：0953-1234567"
    r.sources["t3.new.natural"] = "表三·第2行"
    r.review["t3.new.natural"] = "导入时标签不确定"
    r.origin_format = "gov-2019"
    r.sections.pop("s6", None)                     # a section never written
    last = load_fixture("wuzhong-minzheng-2023")
    last.meta.contact = "去年的联系人"
    last.previous = load_fixture("weihui-minzheng-2022")  # the year before last: not carried along
    r.previous = last
    p = tmp_path / "r.nianbao"
    project.save(r, p)
    got = project.load(p)
    assert got.meta.contact == "联系电话：0953-1234567"
    assert got.sources == {"t3.new.natural": "表三·第2行"} and got.review == {"t3.new.natural": "导入时标签不确定"}
    assert got.origin_format == "gov-2019"
    assert got.sections["s6"] == ""                 # written as empty text, not null
    assert json.loads(p.read_text(encoding="utf-8"))["sections"]["s6"] == ""
    assert got.previous.meta.contact == "去年的联系人" and got.previous.values == last.values
    assert got.previous.previous is None            # one year back only: files do not grow year after year
    assert "previous" not in json.loads(p.read_text(encoding="utf-8"))["previous"]


def test_the_file_is_readable_chinese_json(tmp_path, load_fixture):
    p = tmp_path / "r.nianbao"
    project.save(load_fixture("wuzhong-minzheng-2023"), p)
    text = p.read_text(encoding="utf-8")
    assert "吴忠市民政局" in text and "\\u" not in text  # not escaped: a person can read and diff it
    assert len(text.splitlines()) > 20                 # one key per line, not one long line


def test_tolerated_forms_of_an_older_or_hand_edited_file(tmp_path):
    r = project.load(write(tmp_path, with_(**{"meta.contact": None, "meta.year": " 2023 "})))
    assert r.meta.contact == "" and r.meta.year == 2023
    data = with_(sections={"s1": None})
    r = project.load(write(tmp_path, data))
    assert r.sections["s1"] == ""
    del data["sections"]
    del data["meta"]["contact"]
    r = project.load(write(tmp_path, data))
    assert r.meta.contact == "" and r.values == {"t3.new.natural": 1}


@pytest.mark.parametrize("changes,words", [
    ({"schema": True}, "schema"),
    ({"meta": []}, "meta"),
    ({"meta.contact": 5}, "meta.contact"),
    ({"sections": ["一"]}, "sections"),
    ({"sections": {"s1": 1}}, "s1"),
    ({"sources": ["x"]}, "sources"),
    ({"review": {"t3.new.natural": 1}}, "review"),
    ({"origin_format": 2019}, "origin_format"),
    ({"previous": {"format": "gov-2021", "meta": []}}, "上年报告"),
])
def test_a_malformed_part_is_refused_with_a_chinese_message_naming_it(tmp_path, changes, words):
    p = write(tmp_path, with_(**changes))
    before = p.read_bytes()
    with pytest.raises(project.ProjectError) as e:
        project.load(p)
    msg = str(e.value)
    assert words in msg and "r.nianbao" in msg and is_chinese_message(msg), msg
    assert p.read_bytes() == before


def test_a_folder_is_not_a_project_file(tmp_path):
    (tmp_path / "年报.nianbao").mkdir()
    with pytest.raises(project.ProjectError) as e:
        project.load(tmp_path / "年报.nianbao")
    assert "年报.nianbao" in str(e.value) and "文件夹" in str(e.value)


def test_a_fee_written_as_a_json_number_keeps_every_digit(tmp_path):
    r = project.load(write(tmp_path, with_(values={"t2.fees.amount": 1234.5678})))
    assert r.values["t2.fees.amount"] == Decimal("1234.5678")
    p = tmp_path / "n.nianbao"
    p.write_text(json.dumps(BASE).replace('"values": {', '"values": {"t2.fees.amount": 0.30000000000000004, '),
                 encoding="utf-8")
    assert str(project.load(p).values["t2.fees.amount"]) == "0.30000000000000004"  # kept verbatim, not rounded


@pytest.mark.skipif(not hasattr(os, "fchmod"), reason="POSIX file modes")
def test_a_new_file_gets_the_mode_a_plain_open_would(tmp_path, load_fixture):
    old = os.umask(0o022)
    try:
        p = tmp_path / "new.nianbao"
        project.save(load_fixture("wuzhong-minzheng-2023"), p)
    finally:
        os.umask(old)
    assert stat.S_IMODE(p.stat().st_mode) == 0o644
    assert [x.name for x in tmp_path.iterdir()] == ["new.nianbao"]  # no temporary file left behind
