"""Found by an outsider's run of the installed program (wheel, fresh venv, real reports): each test failed on
the main it was found on."""
from __future__ import annotations

import random

from app import project
from app.cli import main
from fuzz.docs import random_report
from reviewhelp import save


def _two_reports(tmp_path):
    a = random_report(random.Random(1), organ="淮安市民政局", year=2024)
    b = random_report(random.Random(2), organ="淮安市教育局", year=2024)
    return save(a, tmp_path / "a.nianbao"), save(b, tmp_path / "b.nianbao")


def test_sum_refuses_an_output_named_as_one_of_its_inputs(tmp_path, capsys):
    """`nianbao sum a b -o a --overwrite` summed b alone and wrote the total over a (a left out without a word)."""
    a, b = _two_reports(tmp_path)
    before = a.read_bytes()
    rc = main(["sum", str(a), str(b), "-o", str(a), "--overwrite"])
    err = capsys.readouterr().err
    assert rc == 2
    assert "就是输入文件" in err, err
    assert a.read_bytes() == before
    assert not (tmp_path / "a.nianbao.bak").exists()
    # without --overwrite the reason is the same (not "已存在")
    assert main(["sum", str(a), str(b), "-o", str(a)]) == 2
    assert "就是输入文件" in capsys.readouterr().err


def test_sum_of_a_folder_leaves_out_its_own_earlier_total(tmp_path, capsys):
    """Summing a folder again into the total it holds: the earlier total is no part of the sum."""
    a, b = _two_reports(tmp_path)
    out = tmp_path / "汇总.nianbao"
    assert main(["sum", str(tmp_path), "-o", str(out), "--organ", "淮安市人民政府"]) == 0
    first = project.load(out).values["t3.new.total"]
    assert main(["sum", str(tmp_path), "-o", str(out), "--organ", "淮安市人民政府", "--overwrite"]) == 0
    assert project.load(out).values["t3.new.total"] == first
    printed = capsys.readouterr().out
    assert "2 份报告" in printed


def test_notice_of_a_report_without_organ_is_named_after_its_file_once(tmp_path):
    """A report whose organ was not recognised got the notice 整改通知-shanghai-2025 + 2025年度 =
    "整改通知-shanghai-20252025年度.docx"."""
    from app.export.notices import write_notices
    from app.review import Review
    d = tmp_path / "年报"
    d.mkdir()
    r = random_report(random.Random(4), organ="", year=2025)
    save(r, d / "shanghai-2025.nianbao")
    written = write_notices(Review.read(d), tmp_path / "通知")
    assert [p.name for p in written] == ["整改通知-shanghai-2025.docx"]
