"""Found by trying the merged program as an outsider would (QA pass): each test failed before its fix.

The command-line tests are real subprocesses of ``python -m app.cli`` (what ``nianbao`` runs)."""
import os
import subprocess
import sys
import unicodedata

import pytest

from conftest import FIXTURES, ROOT

from app import project
from app.model import Report

SUBCOMMANDS = ["check", "export", "import"]


def run(*args, env=None, cwd=None, timeout=120):
    e = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "app.cli", *map(str, args)], cwd=cwd or ROOT, capture_output=True,
                          text=True, encoding="utf-8", env=e, timeout=timeout)


def columns(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_help_of_options_fits_the_terminal_and_never_cuts_a_suffix(name):
    # argparse's textwrap cut "（….pdf、.txt、.xlsx）" into ".pdf、." / "txt、.xlsx" and counted a Chinese
    # character as one column, so its lines were up to twice as wide as the terminal
    r = run(name, "--help", env={"COLUMNS": "80"})
    assert r.returncode == 0, r.stderr
    body = r.stdout.split("参数", 1)[1].split("退出码")[0]  # the argument/option lists, not the raw description
    for line in body.splitlines():
        assert not line.rstrip().endswith((".", "_")), line
        assert columns(line) <= 80, line
    for suffix in (".txt", ".xlsx", ".pdf", ".docx"):
        if suffix in body.replace("\n", ""):
            assert suffix in body  # never cut over two lines


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_help_headings_use_the_full_width_colon(name):
    r = run(name, "--help")
    assert "参数：" in r.stdout and "选项：" in r.stdout
    assert "参数:" not in r.stdout and "选项:" not in r.stdout


def test_top_level_help_says_that_import_reads_pdf():
    r = run("--help")
    line = next(ln for ln in r.stdout.splitlines() if ln.strip().startswith("import "))
    assert "PDF" in line


def test_export_to_a_name_too_long_for_the_file_system_is_a_chinese_message(tmp_path):
    out = tmp_path / ("长" * 90 + ".pdf")  # 272 bytes: stat() itself fails with ENAMETOOLONG
    r = run("export", FIXTURES / "wuzhong-minzheng-2023.nianbao", "-o", out)
    assert r.returncode == 2
    assert "出错了" not in r.stderr and "Errno" not in r.stderr and "File name too long" not in r.stderr, r.stderr
    assert "文件名或路径过长" in r.stderr
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux /proc (a folder no file can be made in)")
def test_export_write_failure_gives_the_reason_in_chinese(tmp_path):
    # /proc exists as a folder, but no file can be created in it: the reason came out as "No such file or directory"
    r = run("export", FIXTURES / "wuzhong-minzheng-2023.nianbao", "-o", "/proc/nianbao-qa-export.pdf")
    assert r.returncode == 2
    assert "No such file" not in r.stderr and "Errno" not in r.stderr, r.stderr
    assert "无法写入" in r.stderr and "不存在" in r.stderr


def test_a_failed_save_under_a_new_name_does_not_speak_of_an_original(tmp_path):
    r = Report()
    r.meta.organ = "某局"
    target = tmp_path / "没有这个文件夹" / "新报告.nianbao"
    with pytest.raises(project.ProjectError) as e:
        project.save(r, target)
    msg = str(e.value)
    assert "不存在" in msg and "原文件" not in msg and "备份" not in msg, msg
    assert not target.parent.exists()


def test_check_of_a_folder_without_reports_says_so(tmp_path):
    # it printed nothing and exited 0, as if every report had passed
    (tmp_path / "空的文件夹").mkdir()
    (tmp_path / "空的文件夹" / "说明.doc").write_bytes(b"not a report")
    r = run("check", tmp_path / "空的文件夹")
    assert r.returncode == 2
    assert "没有可检查的报告文件" in r.stderr and "空的文件夹" in r.stderr
    r = run("check", tmp_path / "空的文件夹", FIXTURES / "wuzhong-minzheng-2023.nianbao")
    assert r.returncode == 2 and "✓" in r.stdout  # the reports that are there are still checked and printed


def test_import_that_cannot_save_says_it_once(tmp_path):
    # "✗ 无法保存“…”：无法保存到“…”：…" said it twice
    r = run("import", ROOT / "tests" / "fixtures" / "published" / "weihui-minzheng-2022.txt",
            "-o", tmp_path / "没有这个文件夹" / "卫辉.nianbao")
    assert r.returncode == 2
    assert r.stderr.count("无法保存") == 1 and "不存在" in r.stderr, r.stderr


def test_missing_arguments_are_listed_with_the_chinese_enumeration_comma():
    r = run("export")
    assert r.returncode == 2
    assert "缺少参数：报告、-o/--output" in r.stderr, r.stderr


def test_docx_export_on_a_pc_without_the_official_fonts_says_so_in_one_line(tmp_path):
    # five near-identical lines ("本机未安装“黑体”…", "本机未安装“宋体”…", …) on every export
    out = tmp_path / "报告.docx"
    r = run("export", FIXTURES / "wuzhong-minzheng-2023.nianbao", "-o", out, env={"NIANBAO_FONT_DIRS": ""})
    assert r.returncode == 0, r.stderr
    lines = [ln for ln in r.stdout.splitlines() if "本机未安装" in ln]
    assert len(lines) == 1, r.stdout
    for name in ("仿宋_GB2312", "黑体", "楷体_GB2312"):
        assert f"“{name}”" in lines[0]
    import docx  # the document still names the standard fonts
    assert "仿宋_GB2312" in docx.Document(out).styles["Normal"].element.xml


def test_save_as_after_an_import_starts_in_the_folder_of_the_imported_file(win, tmp_path):
    import shutil
    from conftest import PUBLISHED
    folder = tmp_path / "收到的报告"
    folder.mkdir()
    src = folder / "weihui.txt"
    shutil.copy(PUBLISHED / "weihui-minzheng-2022.txt", src)
    assert win.open_path(src)
    assert win._folder() == str(folder.resolve())


def test_the_start_view_says_that_pdf_can_be_opened(win):
    from ui.qt import QLabel, QCommandLinkButton
    texts = [w.text() for w in win.findChildren(QLabel)] + \
            [w.description() for w in win.findChildren(QCommandLinkButton)]
    assert any("PDF" in t for t in texts)
