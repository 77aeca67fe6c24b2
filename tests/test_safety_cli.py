"""Safety on the command line, as a user runs it (real subprocesses, real files): outputs never replace inputs or
files of another kind, an existing output only with --overwrite; every failure is a Chinese message with exit 2;
what is echoed has no control characters."""
import json
import os
import subprocess
import sys

import pytest
from conftest import FIXTURES, ROOT

WZ = FIXTURES / "wuzhong-minzheng-2023.nianbao"


def run(*args, timeout=120):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "app.cli", *[a if isinstance(a, bytes) else str(a) for a in args]]
    out = subprocess.run(argv, cwd=ROOT, capture_output=True, timeout=timeout, env=env, check=False)
    return out.returncode, out.stdout.decode("utf-8"), out.stderr.decode("utf-8")


@pytest.fixture
def docx_and_xlsx(tmp_path):
    for suffix in (".docx", ".xlsx"):
        assert run("export", WZ, "-o", tmp_path / f"r{suffix}")[0] == 0
    return tmp_path / "r.docx", tmp_path / "r.xlsx"


def test_export_over_its_own_input_is_refused_even_with_overwrite(tmp_path, docx_and_xlsx):
    docx, _ = docx_and_xlsx
    before = docx.read_bytes()
    for extra in ([], ["--force"], ["--overwrite", "--force"]):
        code, _, err = run("export", docx, "-o", docx, *extra)
        assert code == 2 and "就是输入文件" in err, err
    assert docx.read_bytes() == before
    link = tmp_path / "link.docx"
    if hasattr(os, "symlink") and os.name != "nt":
        link.symlink_to(docx)
        assert run("export", docx, "-o", link, "--overwrite")[0] == 2
        assert docx.read_bytes() == before


def test_export_replaces_an_existing_output_only_with_overwrite_not_with_force(tmp_path, docx_and_xlsx):
    out = tmp_path / "out.pdf"
    assert run("export", WZ, "-o", out)[0] == 0
    before = out.read_bytes()
    code, _, err = run("export", WZ, "-o", out, "--force")
    assert code == 2 and "已存在" in err and "--overwrite" in err
    assert out.read_bytes() == before
    assert run("export", WZ, "-o", out, "--overwrite")[0] == 0


def test_a_file_of_another_kind_is_never_replaced(tmp_path):
    keep = tmp_path / "keep.nianbao"
    keep.write_bytes(WZ.read_bytes())
    fake = tmp_path / "fake.xlsx"  # a project file renamed
    fake.write_bytes(WZ.read_bytes())
    code, _, err = run("check", WZ, "--xlsx", keep)
    assert code == 2 and ".xlsx" in err
    code, _, err = run("check", WZ, "--xlsx", fake, "--overwrite")
    assert code == 2 and "年报项目文件" in err and "不会被替换" in err
    code, _, err = run("export", WZ, "-o", fake, "--overwrite")
    assert code == 2 and "不会被替换" in err
    assert keep.read_bytes() == WZ.read_bytes() and fake.read_bytes() == WZ.read_bytes()


def test_check_summary_never_replaces_a_checked_workbook(tmp_path, docx_and_xlsx):
    _, xlsx = docx_and_xlsx
    before = xlsx.read_bytes()
    code, _, err = run("check", xlsx, "--xlsx", xlsx, "--overwrite")
    assert code == 2 and "就是输入文件" in err
    assert xlsx.read_bytes() == before
    summary = tmp_path / "汇总.xlsx"
    assert run("check", WZ, "--xlsx", summary)[0] == 0
    code, _, err = run("check", WZ, "--xlsx", summary)
    assert code == 2 and "已存在" in err
    assert run("check", WZ, "--xlsx", summary, "--overwrite")[0] == 0


def test_import_never_replaces_its_input_and_replaces_an_output_only_when_asked(tmp_path):
    src = tmp_path / "r.nianbao"
    src.write_bytes(WZ.read_bytes())
    code, _, err = run("import", src)  # the default output is the input itself
    assert code == 2 and "就是输入文件" in err
    assert src.read_bytes() == WZ.read_bytes()
    txt = tmp_path / "r.txt"
    txt.write_bytes((FIXTURES / "published" / "wuzhong-minzheng-2023.txt").read_bytes())
    code, _, err = run("import", txt, "-o", src)
    assert code == 2 and "--overwrite" in err
    assert run("import", txt, "-o", src, "--overwrite")[0] in (0, 1)
    assert (tmp_path / "r.nianbao.bak").read_bytes() == WZ.read_bytes()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
@pytest.mark.parametrize("name", ["p.nianbao", "p.txt", "p.docx"])
def test_check_on_a_pipe_is_a_message_not_a_hang(tmp_path, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    code, out, err = run("check", fifo, timeout=60)
    assert code == 2 and "不是普通文件" in out + err


@pytest.mark.parametrize("content,needle", [
    ('{"format": "gov-2021", "x": Infinity}', "Infinity"),
    ('{"format": "gov-2021", "values": {"t3.new.natural": NaN}}', "NaN"),
    ('{"format": "gov-2021", "x": ' + "9" * 5000 + "}", None),
    ('{"format": "gov-2021", "meta": {"year": "²"}}', "meta.year"),
    ('{"format": "gov-2021", "x": ' + "[" * 50000 + "]" * 50000 + "}", "嵌套层数过多"),
    ('{"format": "gov-2021", "meta": {"organ": "\\ud800"}}', "孤立的代理项"),
    ('{"format": "../../etc/x"}', "未知的报告格式"),
], ids=lambda v: (v[:30] + "…") if isinstance(v, str) and len(v) > 30 else None)
def test_hostile_project_files_end_in_a_chinese_message(tmp_path, content, needle):
    p = tmp_path / "r.nianbao"
    p.write_text(content, encoding="utf-8")
    code, out, err = run("check", p)
    assert "Traceback" not in err
    if needle is None:  # a long number in an unknown key: opens, checks, saves
        assert code in (0, 1), err
        code, _, err = run("export", p, "-o", tmp_path / "r.docx", "--force")
        assert code == 0, err
    else:
        assert code == 2 and needle in out, out + err


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="file names are bytes on Linux")
def test_a_file_name_that_is_not_utf8_is_shown_not_a_traceback(tmp_path):
    name = os.fsencode(tmp_path) + b"/\xff\xfe\xb1\xa8.nianbao"
    with open(name, "wb") as fh:
        fh.write(WZ.read_bytes())
    code, out, err = run("check", name)
    assert code == 0 and "Traceback" not in err
    assert "\\xff\\xfe\\xb1\\xa8.nianbao" in out
    code, out, err = run("check", name, "--json")
    assert code == 0 and "\\xff" in out
    code, out, err = run("check", name, "--xlsx", tmp_path / "s.xlsx")
    assert code == 0, err
    code, _, err = run("import", name, "-o", tmp_path / "copy.nianbao")
    assert code == 0, err


def test_terminal_escape_sequences_in_echoed_text_are_removed(tmp_path):
    data = json.loads(WZ.read_text(encoding="utf-8"))
    data["meta"]["organ"] = "\x1b]0;owned\x07\x1b[2J\x1b[31m民政局\x9b1m\u202e"
    p = tmp_path / "evil\x1b[31m.nianbao"
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for args in (["check", p], ["check", p, "--json"], ["export", p, "-o", tmp_path / "x.docx"],
                 ["import", p, "-o", tmp_path / "y.nianbao"]):
        _, out, err = run(*args)
        assert "\x1b" not in out + err and "\x9b" not in out + err and "\x07" not in out + err, args
        assert "\u202e" not in out + err
    _, out, _ = run("check", p)
    assert "民政局" in out and "evil.nianbao" in out


def test_control_characters_reach_the_summary_workbook_as_escapes(tmp_path):
    from openpyxl import load_workbook
    data = json.loads(WZ.read_text(encoding="utf-8"))
    data["meta"]["organ"] = "民政\x01局"
    p = tmp_path / "r.nianbao"
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, _, err = run("check", p, "--xlsx", tmp_path / "s.xlsx")
    assert code == 0, err
    row = next(load_workbook(tmp_path / "s.xlsx")["汇总"].iter_rows(min_row=2, values_only=True))
    assert row[1] == "民政\\x01局"
