"""`nianbao check` as a user runs it: a real subprocess on real files."""
import json
import subprocess
import sys

from conftest import FIXTURES, ROOT


def run(*args):
    return subprocess.run([sys.executable, "-m", "app.cli", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def test_check_fixtures_passes():
    out = run("check", *sorted(FIXTURES.glob("*.nianbao")))
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count("错误 0") == 3


def test_check_with_errors_exits_1_and_lists_findings_in_chinese(tmp_path):
    data = json.loads((FIXTURES / "wuzhong-minzheng-2023.nianbao").read_text(encoding="utf-8"))
    data["values"]["t3.new.natural"] = 3
    p = tmp_path / "bad.nianbao"
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = run("check", p)
    assert out.returncode == 1
    assert "T3.TOTAL_COLUMN" in out.stdout and "本年新收行：六类申请人之和(3)，但总计(1)，相差2" in out.stdout


def test_check_unreadable_exits_2(tmp_path):
    p = tmp_path / "broken.nianbao"
    p.write_text("{not json", encoding="utf-8")
    out = run("check", p, FIXTURES / "weihui-minzheng-2022.nianbao")
    assert out.returncode == 2
    assert "JSON 格式错误" in out.stdout


def test_check_json_document(tmp_path):
    p = tmp_path / "broken.nianbao"
    p.write_text("{", encoding="utf-8")
    out = run("check", "--json", FIXTURES / "wuzhong-minzheng-2023.nianbao", p)
    assert out.returncode == 2
    doc = json.loads(out.stdout)
    good, bad = doc["reports"]
    assert good["format"] == "gov-2021" and good["meta"]["organ"] == "吴忠市民政局" and good["findings"] == []
    assert good["values"]["t3.new.natural"] == 1 and good["values"]["t2.fees.amount"] == "0"
    assert len(good["values"]) == 200
    assert "error" in bad and "values" not in bad


def test_check_previous_year(tmp_path):
    last = json.loads((FIXTURES / "wuzhong-minzheng-2023.nianbao").read_text(encoding="utf-8"))
    last["values"]["t3.carried_out.natural"] = 2
    lp = tmp_path / "last.nianbao"
    lp.write_text(json.dumps(last, ensure_ascii=False), encoding="utf-8")
    out = run("check", "--json", "--previous", lp, FIXTURES / "pingqiao-minzheng-2024.nianbao")
    assert out.returncode == 1
    f = [f for f in json.loads(out.stdout)["reports"][0]["findings"] if f["rule"] == "YEAR.CARRY"]
    assert f == [{"rule": "YEAR.CARRY", "severity": "error", "cells": ["t3.carried_in.natural"],
                  "message": f[0]["message"], "expected": 2, "actual": 0}]


def test_version_and_help():
    assert run("--version").stdout.strip().startswith("nianbao ")
    assert "nianbao check" in run("--help").stdout
