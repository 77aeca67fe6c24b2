"""Excel round trip of the office's own opening (``meta.opening``): exported into the hidden sheet, read back as
written — also through the program's importer and ``nianbao import`` (which said "0 处待核对" while the opening
was gone). The standard opening ("") stays "" so that it still follows organ and year."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app import project
from app.export import xlsx as X
from app.importers import IMPORTERS
from app.importers import own_xlsx as ox

ROOT = Path(__file__).resolve().parent.parent
OPENING = ("根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息公开办公室关于印发"
           "〈中华人民共和国政府信息公开工作年度报告格式〉的通知》要求，吴忠市民政局编制本报告。\n"
           "本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。=SUM(A1) 不是公式。")


def test_custom_opening_comes_back_from_excel(load_fixture, tmp_path):
    report = load_fixture("wuzhong-minzheng-2023")
    report.meta.opening = OPENING
    out = tmp_path / "r.xlsx"
    X.write_xlsx(report, out)
    back = ox.read_xlsx(out)
    assert back.meta.opening == OPENING
    assert IMPORTERS[".xlsx"](out).meta.opening == OPENING
    # the other cover fields and the sections as before
    assert (back.meta.organ, back.meta.year, back.meta.date, back.meta.contact) == \
        (report.meta.organ, report.meta.year, report.meta.date, report.meta.contact)
    assert back.sections == report.sections


def test_long_opening_is_split_and_joined(load_fixture, tmp_path):
    report = load_fixture("wuzhong-minzheng-2023")
    report.meta.opening = "本报告由吴忠市民政局编制。" * 5000  # 65 000 characters: over one Excel cell's 32 767
    out = tmp_path / "r.xlsx"
    X.write_xlsx(report, out)
    assert ox.read_xlsx(out).meta.opening == report.meta.opening


def test_standard_opening_stays_standard(load_fixture, tmp_path):
    report = load_fixture("wuzhong-minzheng-2023")
    assert report.meta.opening == ""
    out = tmp_path / "r.xlsx"
    X.write_xlsx(report, out)
    back = ox.read_xlsx(out)
    assert back.meta.opening == ""
    assert "opening" not in project.report_to_dict(back, include_previous=False)["meta"]


def test_nianbao_import_of_the_workbook_keeps_the_opening(load_fixture, tmp_path):
    report = load_fixture("wuzhong-minzheng-2023")
    report.meta.opening = OPENING
    xlsx = tmp_path / "r.xlsx"
    X.write_xlsx(report, xlsx)
    out = tmp_path / "r.nianbao"
    run = subprocess.run([sys.executable, "-m", "app.cli", "import", str(xlsx), "-o", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert project.load(out).meta.opening == OPENING
