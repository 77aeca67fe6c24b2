"""The command line as a user meets it: Chinese help and errors, typos, closed pipes, broken installations.

Every call is a real subprocess of ``python -m app.cli`` (what the ``nianbao`` command runs)."""
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES, PUBLISHED, ROOT

ENGLISH = ["usage:", "options:", "positional arguments", "optional arguments", "show this help message",
           "the following arguments are required", "unrecognized arguments", "error:", "expected one argument"]
SUBCOMMANDS = ["check", "export", "import"]


def run(*args, env=None, cwd=None, timeout=120):
    e = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "app.cli", *map(str, args)], cwd=cwd or ROOT, capture_output=True,
                          text=True, encoding="utf-8", env=e, timeout=timeout)


def no_english(text):
    low = text.lower()
    return [w for w in ENGLISH if w in low]


def test_top_level_help_lists_every_subcommand_with_one_line():
    r = run("--help")
    assert r.returncode == 0 and r.stderr == ""
    for name in SUBCOMMANDS:
        line = next(ln for ln in r.stdout.splitlines() if ln.strip().startswith(name + " "))
        summary = line.strip()[len(name):].strip()
        assert len(summary) >= 8 and "…" not in summary and re.search(r"[\u4e00-\u9fff]", summary), line
    assert "…" not in r.stdout.replace("参数…", "")
    assert not no_english(r.stdout)


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_help_is_chinese(name):
    r = run(name, "--help")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"用法：nianbao {name}")
    assert "显示本帮助并退出" in r.stdout and "选项" in r.stdout
    assert not no_english(r.stdout), no_english(r.stdout)


@pytest.mark.parametrize("args, missing", [(["check"], "路径"), (["export", "x.nianbao"], "-o"),
                                           (["import"], "文件")])
def test_argument_errors_are_chinese_and_exit_2(args, missing):
    r = run(*args)
    assert r.returncode == 2 and r.stdout == ""
    assert "缺少参数" in r.stderr and missing in r.stderr and r.stderr.startswith("用法：")
    assert not no_english(r.stderr), r.stderr


def test_unknown_option_of_a_subcommand_is_chinese():
    r = run("check", "--bogus", FIXTURES / "weihui-minzheng-2022.nianbao")
    assert r.returncode == 2 and "无法识别的参数：--bogus" in r.stderr and not no_english(r.stderr)


def _no_display_env():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return env


def test_a_mistyped_subcommand_suggests_the_right_one_and_never_starts_the_gui():
    env = _no_display_env()
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "app.cli", "chekc", "x.nianbao"], cwd=ROOT,
                       capture_output=True, text=True, encoding="utf-8", env=env, timeout=60)
    assert r.returncode == 2
    assert "未知命令 chekc，是否要用 check？" in r.stderr
    assert "PySide6" not in r.stderr  # -X importtime lists every import: Qt was never loaded


def test_without_a_display_the_gui_says_so_instead_of_aborting():
    r = subprocess.run([sys.executable, "-m", "app.cli", str(FIXTURES / "weihui-minzheng-2022.nianbao")], cwd=ROOT,
                       capture_output=True, text=True, encoding="utf-8", env=_no_display_env(), timeout=60)
    assert r.returncode == 2 and "没有可用的显示器" in r.stderr and "Traceback" not in r.stderr


def test_a_missing_file_and_an_unknown_option_are_errors_not_a_gui():
    r = run("nosuch-report.docx", env={"QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 2 and "找不到文件：nosuch-report.docx" in r.stderr
    r = run("--bogus", env={"QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 2 and "无法识别的选项：--bogus" in r.stderr


@pytest.mark.parametrize("cmd", ["{py} -m app.cli -h | head -1",
                                 "{py} -m app.cli check {fx}/*.nianbao | head -1",
                                 "{py} -m app.cli check --json {fx}/*.nianbao | head -c 10"])
def test_output_into_a_closed_pipe_gives_no_traceback(cmd):
    shell = cmd.format(py=sys.executable, fx=FIXTURES)
    r = subprocess.run(["bash", "-o", "pipefail", "-c", shell], cwd=ROOT, capture_output=True, text=True,
                       encoding="utf-8", timeout=120)
    assert r.stdout.strip(), r.stderr
    assert "Traceback" not in r.stderr and "BrokenPipe" not in r.stderr and "Exception ignored" not in r.stderr, \
        r.stderr


def _bad_report(tmp_path):
    data = json.loads((FIXTURES / "wuzhong-minzheng-2023.nianbao").read_text(encoding="utf-8"))
    data["values"]["t3.new.natural"] = 3
    p = tmp_path / "bad.nianbao"
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


def test_export_refusal_names_the_command_line_option_not_a_button(tmp_path):
    r = run("export", _bad_report(tmp_path), "-o", tmp_path / "out.docx")
    assert r.returncode == 1
    assert "--force" in r.stderr and "仍然导出" not in r.stderr and "“" not in r.stderr.split("错误")[0]
    assert not (tmp_path / "out.docx").exists()


def test_import_says_plainly_that_it_wrote_the_file_and_lists_the_errors_after(tmp_path):
    out = tmp_path / "wz.nianbao"
    r = run("import", PUBLISHED / "wuzhong-minzheng-2023.txt", "-o", out)
    assert r.returncode == 1  # written; the report itself lacks 成文日期
    lines = r.stdout.splitlines()
    assert lines[0].startswith(f"已写入：{out}") and out.is_file()
    assert "✗" not in lines[0]
    assert any("META.REQUIRED" in ln for ln in lines[1:])


def test_check_help_lists_every_kind_of_file_it_accepts():
    from app.documents import supported_suffixes
    r = run("check", "--help")
    for suffix in supported_suffixes():
        assert suffix in r.stdout, suffix


def test_check_xlsx_prints_results_even_when_the_summary_cannot_be_written(tmp_path):
    bad = tmp_path / "no-such-folder" / "汇总.xlsx"
    r = run("check", FIXTURES / "weihui-minzheng-2022.nianbao", "--xlsx", bad)
    assert r.returncode == 2
    assert "卫辉市民政局2022年政府信息公开工作年度报告" in r.stdout  # the per-report result came first
    assert "无法写入汇总表" in r.stderr and "文件夹不存在" in r.stderr
    assert ".tmp" not in r.stderr and "Errno" not in r.stderr and "No such file" not in r.stderr
    ok = tmp_path / "汇总.xlsx"
    r = run("check", FIXTURES / "weihui-minzheng-2022.nianbao", "--xlsx", ok)
    assert r.returncode == 0 and f"已写入汇总表：{ok}" in r.stdout and ok.is_file()


def test_version_is_the_one_in_pyproject():
    import tomllib
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    r = run("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"nianbao {version}"
    import app
    assert app.__version__ == version
    # in a checkout it comes from pyproject.toml, without importlib.metadata's imports (~10 ms per export)
    r = subprocess.run([sys.executable, "-c", "import sys, app; print(app.__version__, 'importlib.metadata' in "
                                              "sys.modules)"],
                       cwd=ROOT, capture_output=True, text=True, timeout=60,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.stdout.split() == [version, "False"], r.stdout + r.stderr


@pytest.mark.parametrize(
    "lost", ["resources/formats/gov-2021.json", "templates/gov-2021.docx", "resources/fonts/nianbao-song.ttf"]
)
def test_a_broken_installation_says_so_and_does_not_blame_the_report(tmp_path, lost):
    root = tmp_path / "install"
    shutil.copytree(ROOT / "resources", root / "resources")
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / lost).unlink()
    r = run("check", FIXTURES / "weihui-minzheng-2022.nianbao", env={"NIANBAO_ROOT": str(root)})
    assert r.returncode == 2
    assert "安装不完整" in r.stderr and "请重新安装" in r.stderr and str(root / lost) in r.stderr
    assert "文件内容异常" not in r.stdout + r.stderr and "未知的报告格式" not in r.stdout + r.stderr
    assert "Traceback" not in r.stderr
