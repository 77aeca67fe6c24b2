"""``nianbao check DIR… --xlsx summary.xlsx``: one row per report, all findings, progress, cross-year pairing."""
import random

from openpyxl import load_workbook

from app import project
from app.cli import main
from app.importers.batch import pair_years
from conftest import PUBLISHED
from fuzz.docs import docx_from_report, random_report


def make_folder(tmp_path, n_extra=20):
    folder = tmp_path / "reports"
    folder.mkdir()
    last = random_report(random.Random(1), organ="吴忠市民政局", year=2022)
    last.values["t3.carried_out.natural"] = 4  # carried into 2023, which says 0 -> YEAR.CARRY when paired
    last.values["t3.carried_out.total"] = last.values["t3.carried_out.total"] + 4 - 0
    project.save(last, folder / "wuzhong-2022.nianbao")
    (folder / "wuzhong-2023.txt").write_bytes((PUBLISHED / "wuzhong-minzheng-2023.txt").read_bytes())
    docx_from_report(random_report(random.Random(2), organ="卫辉市教育局", year=2023), folder / "weihui-edu.docx")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04broken")
    for i in range(n_extra):
        r = random_report(random.Random(100 + i), organ=f"第{i}县民政局", year=2023)
        project.save(r, folder / f"r{i:02d}.nianbao")
    return folder


def test_summary_workbook_pairing_and_progress(tmp_path, capsys):
    folder = make_folder(tmp_path)
    out = tmp_path / "汇总.xlsx"
    rc = main(["check", str(folder), "--xlsx", str(out)])
    captured = capsys.readouterr()
    assert rc == 2  # one unreadable file
    assert "检查 " in captured.err and f"/{24}" in captured.err  # progress for many files
    wb = load_workbook(out)
    summary, findings = wb["汇总"], wb["全部问题"]
    rows = {r[0].split("/")[-1]: r for r in summary.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == 24
    wz = rows["wuzhong-2023.txt"]
    assert wz[1:4] == ("吴忠市民政局", 2023, "2021年格式")
    assert wz[4] >= 2 and wz[6] == "2022年报告"  # META.REQUIRED (no date) + YEAR.CARRY from the paired 2022 report
    assert "YEAR.CARRY" in wz[7] or any(
        f[0].endswith("wuzhong-2023.txt") and f[4] == "YEAR.CARRY"
        for f in findings.iter_rows(min_row=2, values_only=True)
    )
    carry = [f for f in findings.iter_rows(min_row=2, values_only=True) if f[4] == "YEAR.CARRY"]
    assert carry and carry[0][5] == "t3.carried_in.natural" and carry[0][9].startswith("表三")
    assert "无法读取" in rows["broken.docx"][7]
    assert rows["weihui-edu.docx"][1] == "卫辉市教育局" and rows["weihui-edu.docx"][4] == 0
    assert sum(1 for _ in findings.iter_rows(min_row=2)) == sum(r[4] + r[5] for r in rows.values() if r[4] is not None)
    # a second run over the same folder does not take the summary for a report
    out2 = folder / "summary.xlsx"
    main(["check", str(folder), "--xlsx", str(out2)])
    assert main(["check", str(folder), "--xlsx", str(out2), "--overwrite"]) == 2
    assert sum(1 for _ in load_workbook(out2)["汇总"].iter_rows(min_row=2)) == 24


def test_few_files_no_progress(tmp_path, capsys):
    p = tmp_path / "a.txt"
    p.write_bytes((PUBLISHED / "weihui-minzheng-2022.txt").read_bytes())
    main(["check", str(p)])
    assert capsys.readouterr().err == ""


def test_pairing_rules():
    a = random_report(random.Random(1), organ="吴忠市民政局", year=2022)
    b = random_report(random.Random(2), organ="吴忠市 民政局", year=2023)
    c = random_report(random.Random(3), organ="吴忠市民政局", year=2025)  # no 2024 report
    d = random_report(random.Random(4), organ="卫辉市民政局", year=2023)
    pairs = pair_years([a, b, c, None, d])
    assert pairs == {1: a}
    e = random_report(random.Random(5), organ="吴忠市民政局", year=2022)  # two 2022 reports: ambiguous, no pairing
    assert pair_years([a, b, e]) == {}
