"""``nianbao export``: exit codes 0/1/2, nothing written on failure, Chinese messages on stderr."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from app import project
from app.cli import main
from app.export import docx as dx
from app.importers import own_docx as od

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *args):
    code = main(["export", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def broken(tmp_path, load_fixture):
    """A fixture report with an arithmetic error (T3.TOTAL_COLUMN)."""
    report = load_fixture("wuzhong-minzheng-2023")
    report.set("t3.new.total", 9)
    path = tmp_path / "broken.nianbao"
    project.save(report, path, backup=False)
    return path


def test_export_docx_ok(capsys, tmp_path, fixture_path):
    out = tmp_path / "报告.docx"
    code, stdout, err = run(capsys, fixture_path("pingqiao-minzheng-2024"), "-o", out)
    assert code == 0, err
    assert "已导出" in stdout
    assert Document(str(out)).paragraphs[0].text == "平桥区民政局\n2024年政府信息公开工作年度报告"
    assert od.read_embedded(out).meta.organ == "平桥区民政局"


def test_errors_exit_1_and_nothing_written_unless_forced(capsys, tmp_path, broken):
    out = tmp_path / "out.docx"
    code, _, err = run(capsys, broken, "-o", out)
    assert code == 1
    assert "错误" in err and "T3.TOTAL_COLUMN" in err and "--force" in err
    assert not out.exists()
    code, _, err = run(capsys, broken, "-o", out, "--force")
    assert code == 0, err
    assert od.read_tables(out)["t3.new.total"] == "9"


def test_unreadable_input_exit_2(capsys, tmp_path):
    bad = tmp_path / "bad.nianbao"
    bad.write_text("{not json", encoding="utf-8")
    out = tmp_path / "out.docx"
    code, _, err = run(capsys, bad, "-o", out)
    assert code == 2 and "无法读取报告" in err and "JSON" in err
    code, _, err = run(capsys, tmp_path / "missing.nianbao", "-o", out)
    assert code == 2 and "找不到" in err
    assert not out.exists()


def test_bad_template_exit_2(capsys, tmp_path, fixture_path):
    tpl = tmp_path / "上级模板.docx"
    doc = Document(str(dx.default_template()))
    doc.add_paragraph("{{ 单位负责人 }}{{ title.__class__ }}")
    doc.save(str(tpl))
    out = tmp_path / "out.docx"
    code, _, err = run(capsys, fixture_path("wuzhong-minzheng-2023"), "-o", out, "--template", tpl)
    assert code == 2
    assert "不能使用" in err and "单位负责人" in err and "__class__" in err
    assert not out.exists()
    notdocx = tmp_path / "x.docx"
    notdocx.write_bytes(b"PK\x03\x04 broken")
    code, _, err = run(capsys, fixture_path("wuzhong-minzheng-2023"), "-o", out, "--template", notdocx)
    assert code == 2 and "Word" in err
    code, _, err = run(capsys, fixture_path("wuzhong-minzheng-2023"), "-o", tmp_path / "o.pdf", "--template", tpl)
    assert code == 2 and "只适用于 Word" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([tpl.name, notdocx.name])


def test_custom_template_used(capsys, tmp_path, fixture_path):
    tpl = tmp_path / "t.docx"
    doc = Document(str(dx.default_template()))
    doc.paragraphs[0].insert_paragraph_before("XX民政〔{{ meta.year }}〕3号")
    doc.save(str(tpl))
    out = tmp_path / "out.docx"
    code, _, err = run(capsys, fixture_path("weihui-minzheng-2022"), "-o", out, "--template", tpl)
    assert code == 0, err
    assert Document(str(out)).paragraphs[0].text == "XX民政〔2022〕3号"


def test_unknown_suffix_exit_2(capsys, tmp_path, fixture_path):
    code, _, err = run(capsys, fixture_path("wuzhong-minzheng-2023"), "-o", tmp_path / "out.odt")
    assert code == 2 and "不能导出为“.odt”" in err
    assert list(tmp_path.iterdir()) == []


def test_missing_output_option_exit_2(capsys, fixture_path):
    with pytest.raises(SystemExit) as e:
        main(["export", str(fixture_path("wuzhong-minzheng-2023"))])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "缺少参数" in err and "usage" not in err


def test_failed_write_keeps_the_old_file(capsys, tmp_path, fixture_path, monkeypatch):
    out = tmp_path / "out.docx"
    out.write_bytes(b"PK\x03\x04previous version")  # a Word document (ZIP) of that name, replaced on request
    import app.project as proj
    monkeypatch.setattr(proj.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(28, "磁盘已满")))
    code, _, err = run(capsys, fixture_path("wuzhong-minzheng-2023"), "-o", out, "--overwrite")
    assert code == 2 and "无法写入" in err
    assert out.read_bytes() == b"PK\x03\x04previous version"
    assert [p.name for p in tmp_path.iterdir()] == ["out.docx"]


def test_command_line_entry_point(tmp_path, fixture_path):
    """The real process: exit code and UTF-8 Chinese on stderr."""
    out = tmp_path / "o.docx"
    proc = subprocess.run([sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())",
                           "export", str(fixture_path("wuzhong-minzheng-2023")), "-o", str(out)],
                          cwd=ROOT, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert out.is_file()
    proc = subprocess.run([sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())",
                           "export", str(fixture_path("wuzhong-minzheng-2023")), "-o", str(tmp_path / "o.txt")],
                          cwd=ROOT, capture_output=True, timeout=120)
    assert proc.returncode == 2
    assert "不能导出为" in proc.stderr.decode("utf-8")


@pytest.mark.parametrize("suffix,module,magic", [(".pdf", "app.export.pdf", b"%PDF"),
                                                 (".xlsx", "app.export.xlsx", b"PK\x03\x04")])
def test_other_formats_dispatch(capsys, tmp_path, fixture_path, suffix, module, magic):
    """PDF/XLSX writers live in their own modules; when one is missing the command says so (exit 2)."""
    import importlib.util
    out = tmp_path / f"out{suffix}"
    code, _, err = run(capsys, fixture_path("wuzhong-minzheng-2023"), "-o", out)
    if importlib.util.find_spec(module) is None:
        assert code == 2 and "不可用" in err and not out.exists()
    else:
        assert code == 0, err
        assert out.read_bytes()[:4] == magic
        assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temp files left


def test_the_program_leaves_its_objects_to_the_os_at_exit_but_a_call_with_arguments_does_not(
        capsys, tmp_path, fixture_path, monkeypatch):
    """``nianbao export`` run as the program freezes the cycle collector's objects before the process ends (the
    search for cycles at exit cost nearly a tenth of a fresh PDF export); ``main([...])`` called by other code
    leaves the collector alone."""
    import gc
    out = tmp_path / "a.pdf"
    assert gc.get_freeze_count() == 0
    assert main(["export", str(fixture_path("wuzhong-minzheng-2023")), "-o", str(out)]) == 0
    assert gc.get_freeze_count() == 0
    monkeypatch.setattr(sys, "argv", ["nianbao", "export", str(fixture_path("wuzhong-minzheng-2023")), "-o",
                                      str(out), "--overwrite"])
    try:
        assert main() == 0
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert out.read_bytes().startswith(b"%PDF") and out.read_bytes().rstrip().endswith(b"%%EOF")
    capsys.readouterr()


def test_a_fresh_export_process_still_runs_its_exit_handlers_and_flushes_its_output(tmp_path, fixture_path):
    out = tmp_path / "a.pdf"
    code = ("import atexit, sys; atexit.register(lambda: print('exit handler ran', file=sys.stderr)); "
            "from app.cli import main; sys.exit(main())")
    proc = subprocess.run([sys.executable, "-c", code, "export", str(fixture_path("wuzhong-minzheng-2023")), "-o",
                           str(out)], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "已导出" in proc.stdout and "exit handler ran" in proc.stderr
    assert out.read_bytes().rstrip().endswith(b"%%EOF")
