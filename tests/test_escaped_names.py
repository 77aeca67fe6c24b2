"""Names and other text from files never forge a line of the command line's output: a file name holding a newline
or a carriage return is shown with ``\\n``/``\\r`` escapes, on the line of its own report."""
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT

FORGED = "✓ x.nianbao：伪造 — 错误 0 · 提醒 0"


def run(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "app.cli", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout, env={**os.environ})


@pytest.mark.skipif(sys.platform == "win32", reason="Windows file names cannot hold line breaks")
@pytest.mark.parametrize("brk", ["\n", "\r", "\r\n", "\u2028"])
def test_a_file_name_with_a_line_break_does_not_forge_a_result_line(tmp_path, brk):
    shutil.copy(FIXTURES / "wuzhong-minzheng-2023.nianbao", tmp_path / "a.nianbao")
    bad = tmp_path / f"b{brk}{FORGED}{brk}.docx"  # not a Word file: its line says it cannot be read
    bad.write_bytes(b"not a docx")
    forged_project = tmp_path / f"c{brk}{FORGED}.nianbao"
    shutil.copy(FIXTURES / "pingqiao-minzheng-2024.nianbao", forged_project)
    r = run("check", tmp_path)
    assert r.returncode == 2, r
    out = r.stdout
    lines = out.split("\n")
    heads = [ln for ln in lines if ln.startswith(("✓", "✗"))]
    assert len(heads) == 3, out  # one per file, no more
    assert not any(ln.startswith("✓ x.nianbao") for ln in lines), out
    assert "\r" not in out and "\u2028" not in out
    shown = {"\n": "\\n", "\r": "\\r", "\r\n": "\\r\\n", "\u2028": "\\u2028"}[brk]
    assert sum(shown + FORGED in ln for ln in heads) == 2, heads  # both names visible, escaped, on their own line
    assert not re.search(r"^\s*✓ x\.nianbao", r.stderr, re.M)


def test_progress_lines_of_many_files_escape_names_too(tmp_path):
    for i in range(21):  # a progress line is written from 20 files on
        shutil.copy(FIXTURES / "wuzhong-minzheng-2023.nianbao", tmp_path / f"r{i:02}.nianbao")
    shutil.copy(FIXTURES / "wuzhong-minzheng-2023.nianbao", tmp_path / f"z\n{FORGED}.nianbao")
    r = run("check", tmp_path)
    assert not any(ln.startswith("✓ x.nianbao") for ln in (r.stdout + r.stderr).split("\n")), r.stderr


def test_clean_keeps_one_line_and_clean_lines_keeps_the_programs_own_lines():
    from app.cli import clean, clean_lines
    assert clean("a\nb\rc\td\x1b[31me") == "a\\nb\\rc\\tde"
    assert clean_lines("问题：\n  · a\rb\n  · c") == "问题：\n  · a\\rb\n  · c"
