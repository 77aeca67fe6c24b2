"""What project.py promises where the core tests did not hold it (mutants of app/project.py that survived):
numbers kept exactly as written, where a broken string is, the file named in messages, and saving onto a pipe or
over a backup that is a folder said as such."""
import json
import os
from decimal import Decimal

import pytest

from app import project
from app.model import new_report


def test_numbers_written_back_exactly_as_read_each_in_its_place():
    assert project.json_text({"a": Decimal("1.50"), "b": Decimal("2.25")}) == '{"a": 1.50, "b": 2.25}'
    assert project.json_text(project.parse_json('{"x": -0, "y": 1.0e2}')) == '{"x": -0, "y": 1.0e2}'


def test_a_broken_string_is_named_by_its_place_and_the_file():
    with pytest.raises(project.ProjectError) as e:
        project.parse_json('{"sections": {"s1": ["ok", "\\ud800"]}}', "“r.nianbao”")
    assert str(e.value).startswith("“r.nianbao”中“sections.s1.1”含有无效的 Unicode 字符")
    with pytest.raises(project.ProjectError) as e:
        project.parse_json('"\\udc00"', "“r.nianbao”")
    assert str(e.value).startswith("“r.nianbao”中") and "U+DC00" in str(e.value)


def _file(tmp_path, **changes):
    data = project.report_to_dict(new_report())
    for key, value in changes.items():
        section, _, name = key.partition("__")
        data[section][name] = value
    path = tmp_path / "r.nianbao"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_meta_field_of_the_wrong_type_is_named_with_its_type(tmp_path):
    path = _file(tmp_path, meta__organ=5)
    with pytest.raises(project.ProjectError) as e:
        project.load(path)
    assert "meta.organ 应为文字，实际是 数字" in str(e.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_saving_onto_a_pipe_says_it_is_not_a_plain_file(tmp_path):
    fifo = tmp_path / "p.nianbao"
    os.mkfifo(fifo)
    with pytest.raises(project.ProjectError) as e:
        project.save(new_report(), fifo)
    assert "不是普通文件" in str(e.value) and "文件名无效" not in str(e.value)


def test_a_backup_name_taken_by_a_folder_is_said_as_such_and_nothing_changes(tmp_path, monkeypatch):
    path = tmp_path / "r.nianbao"
    project.save(new_report(), path)
    before = path.read_bytes()
    (tmp_path / "r.nianbao.bak").mkdir()
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    report = new_report()
    report.meta.organ = "某局"
    with pytest.raises(project.ProjectError) as e:
        project.save(report, path)
    assert "同名的是一个文件夹" in str(e.value)
    assert path.read_bytes() == before and os.listdir(elsewhere) == []


def test_only_numbers_and_decimals_are_written_as_raw_numbers():
    with pytest.raises(TypeError):
        project.json_text({"a": {1, 2}})


@pytest.mark.parametrize("text", ['{"x": NaN}', '{"x": Infinity}', '{"x": -Infinity}'])
def test_json_constants_that_are_no_numbers_are_refused(text):
    with pytest.raises(project.ProjectError) as e:
        project.parse_json(text, "“r.nianbao”")
    assert "不允许的数值" in str(e.value)


def test_a_count_too_large_for_a_number_is_kept_as_written(tmp_path):
    data = project.report_to_dict(new_report())
    data["values"]["t3.new.natural"] = "__RAW__"
    path = tmp_path / "r.nianbao"
    path.write_text(json.dumps(data).replace('"__RAW__"', "1e999999"), encoding="utf-8")
    report = project.load(path)
    from app.values import Invalid
    assert report.values["t3.new.natural"] == Invalid("1e999999")


def test_a_leftover_of_a_save_whose_process_has_ended_is_removed(tmp_path):
    import subprocess
    import sys
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                           timeout=60).stdout.strip()
    name = project._temp_prefix().replace(f".nb{os.getpid()}-", f".nb{ended}-") + "abcd.tmp"
    leftover = tmp_path / name
    leftover.write_bytes(b"half a save")
    keep = tmp_path / "r.nianbao"
    keep.write_bytes(b"{}")
    project.remove_leftovers(tmp_path)
    assert not leftover.exists() and keep.exists()
