"""Excel export/import: real workbooks written, edited with openpyxl and read back — no mocks."""
from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import pytest

import openpyxl

from app import project
from app.export import xlsx as X
from app.formats import load_format
from app.importers import own_xlsx as ox
from app.ownfiles import coord

FMT21 = load_format()
from app.model import Report  # noqa: E402
from app.rules import check, formulas, recompute  # noqa: E402
from app.values import NA, Invalid  # noqa: E402

from conftest import FIXTURE_NAMES  # noqa: E402


def _same(a: Report, b: Report) -> None:
    da = project.report_to_dict(a, include_previous=False)
    db = project.report_to_dict(b, include_previous=False)
    for key in ("format", "meta", "values", "sections"):
        assert da[key] == db[key], key


def _odd_report() -> Report:
    r = Report()
    r.meta.organ = "某某镇人民政府"
    r.meta.year = 2024
    r.meta.date = "2025-01-20"
    r.meta.contact = "地址：某某路1号"
    r.values["t2.regulations.issued"] = NA
    r.values["t2.regulations.repealed"] = NA
    r.values["t2.normative.issued"] = 3
    r.values["t2.fees.amount"] = Decimal("0.1250")
    r.values["t2.licensing.decisions"] = 17
    r.values["t3.new.natural"] = 4
    r.values["t3.new.legal"] = 1
    r.values["t3.new.total"] = 5
    r.values["t3.granted.natural"] = 2
    r.values["t4.review.upheld"] = 1
    r.values["t4.review.total"] = 1
    # t2.regulations.in_force, most of table 3 etc. stay blank
    r.sections = {"s1": "（一）主动公开情况。正文……", "s5": "问题\n改进", "s6": "本年度未收取信息处理费。"}
    recompute(r)
    return r


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_round_trip(name, load_fixture, tmp_path):
    report = load_fixture(name)
    out = tmp_path / f"{name}.xlsx"
    X.write_xlsx(report, out)
    assert [p.name for p in tmp_path.iterdir()] == [out.name]
    back = ox.read_xlsx(out)
    _same(report, back)
    assert back.review == {}


def test_slash_blank_and_fee_round_trip_and_cell_types(tmp_path):
    report = _odd_report()
    out = tmp_path / "odd.xlsx"
    X.write_xlsx(report, out)
    back = ox.read_xlsx(out)
    _same(report, back)
    assert back.values["t2.fees.amount"] == Decimal("0.1250")
    assert back.values["t2.regulations.issued"] is NA
    assert "t2.regulations.in_force" not in back.values  # blank stays blank, not 0
    wb = openpyxl.load_workbook(out)
    where = X.cell_addresses(report.format)
    sheet, addr = where["t2.regulations.issued"]
    assert wb[sheet][addr].value == "/"
    sheet, addr = where["t2.normative.issued"]
    assert wb[sheet][addr].value == 3 and isinstance(wb[sheet][addr].value, int)
    sheet, addr = where["t2.fees.amount"]
    assert Decimal(str(wb[sheet][addr].value)) == Decimal("0.125")
    sheet, addr = where["t2.regulations.in_force"]
    assert wb[sheet][addr].value is None


def test_layout_labels_merges_formulas_and_meta(tmp_path):
    report = _odd_report()
    out = tmp_path / "layout.xlsx"
    out.write_bytes(X.render_xlsx(report))
    wb = openpyxl.load_workbook(out)
    fmt = report.format
    assert wb.sheetnames[:3] == ["表二", "表三", "表四"]
    assert wb[X.META_SHEET].sheet_state == "hidden"
    for tid in fmt.table_ids:
        ws = wb[FMT21.table_name(tid)]
        assert ws["A1"].value == fmt.section(tid)["heading"]
        merged = {str(m) for m in ws.merged_cells.ranges}
        for p in fmt.layout(tid).cells:
            cell = ws.cell(X.ORIGIN_ROW + p.row, X.ORIGIN_COL + p.col)
            if p.role != "value":
                assert cell.value == p.text
            assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin"
            if p.rowspan > 1 or p.colspan > 1:
                last = ws.cell(X.ORIGIN_ROW + p.row + p.rowspan - 1, X.ORIGIN_COL + p.col + p.colspan - 1)
                assert f"{cell.coordinate}:{last.coordinate}" in merged, p.text
    t3 = wb["表三"]
    # the official merges: the 3x3 note, 申请人情况 over 7 columns, 三、本年度办理结果 over 22 rows
    assert {"A3:C5", "D3:J3", "A8:A29"} <= {str(m) for m in t3.merged_cells.ranges}
    assert t3.freeze_panes == "D6"
    assert wb["表四"].freeze_panes == "A6"
    assert t3.column_dimensions["C"].width > t3.column_dimensions["D"].width
    # every computed total is a formula over its sources
    where = X.cell_addresses(fmt)
    f = formulas(fmt)
    assert len(f) == 34
    for cid in f:
        sheet, addr = where[cid]
        assert str(wb[sheet][addr].value).startswith("=SUM("), cid
    assert t3[where["t3.new.total"][1]].value == "=SUM(D6:I6)"
    assert t3[where["t3.handled_total.natural"][1]].value == "=SUM(D8:D28)"
    assert wb["表四"][where["t4.review.total"][1]].value == "=SUM(A6:D6)"
    assert t3.protection.sheet and t3[where["t3.new.natural"][1]].protection.locked is False
    # input validation: every input cell covered, each rule anchored on the first cell of its own range
    covered = set()
    for tid in fmt.table_ids:
        for dv in wb[FMT21.table_name(tid)].data_validations.dataValidation:
            first = str(dv.sqref).split(":")[0]
            assert dv.formula1.startswith(f'OR({first}="/"'), (str(dv.sqref), dv.formula1)
            for rng in dv.sqref.ranges:
                covered |= {(FMT21.table_name(tid), coord(r, c)) for r, c in rng.cells}
    inputs = {where[c] for c in fmt.cells if c not in f}
    assert inputs <= covered and not ({where[c] for c in f} & covered)
    assert wb.calculation.fullCalcOnLoad


def _edit(path, fn):
    wb = openpyxl.load_workbook(path)
    fn(wb)
    wb.save(path)


def test_edit_in_openpyxl_is_imported_and_totals_recomputed(tmp_path, load_fixture):
    report = load_fixture("wuzhong-minzheng-2023")
    out = tmp_path / "edited.xlsx"
    X.write_xlsx(report, out)
    where = X.cell_addresses(report.format)

    def edit(wb):
        sheet, addr = where["t3.new.commercial"]
        wb[sheet][addr] = 2
        sheet, addr = where["t3.granted.commercial"]
        wb[sheet][addr] = 2
        sheet, addr = where["t2.fees.amount"]
        wb[sheet][addr] = 2.5
        sheet, addr = where["t2.penalty.decisions"]
        wb[sheet][addr] = "/"

    _edit(out, edit)
    back = ox.read_xlsx(out)
    assert back.values["t3.new.commercial"] == 2
    assert back.values["t2.fees.amount"] == Decimal("2.5000")
    assert back.values["t2.penalty.decisions"] is NA
    # no cached results in a file saved by openpyxl: the totals are computed from their sources
    assert back.values["t3.new.total"] == 3
    assert back.values["t3.granted.total"] == 3
    assert back.values["t3.handled_total.commercial"] == 2
    assert back.values["t3.handled_total.total"] == 3
    assert "公式" in back.sources["t3.new.total"]
    assert back.review == {}
    assert [f.rule for f in check(back) if f.severity == "error"] == []


def test_cached_formula_result_is_used_when_present(tmp_path, load_fixture):
    """A workbook saved by Excel/WPS carries the formula's result; that result is what is imported."""
    report = load_fixture("wuzhong-minzheng-2023")
    out = tmp_path / "cached.xlsx"
    X.write_xlsx(report, out)
    sheet, addr = X.cell_addresses(report.format)["t3.new.total"]
    assert (sheet, addr) == ("表三", "J6")
    src = zipfile.ZipFile(out)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                data, n = re.subn(rb'(<c '
                                  rb'r="J6"[^>]*><f>SUM\(D6:I6\)</f>)(<v\s*/>|<v>[^<]*</v>)?', rb"\g<1><v>42</v>", data)
                assert n == 1
            dst.writestr(info, data)
    out.write_bytes(buf.getvalue())
    back = ox.read_xlsx(out)
    assert back.values["t3.new.total"] == 42  # the cached result, not the sum of the row (1)
    assert "计算结果" in back.sources["t3.new.total"]
    assert any(f.rule == "T3.TOTAL_COLUMN" for f in check(back))


def test_changed_formula_without_result_is_marked_for_review(tmp_path):
    report = _odd_report()
    out = tmp_path / "f.xlsx"
    X.write_xlsx(report, out)
    _edit(out, lambda wb: wb["表三"].__setitem__("J6", "=SUM(D6:E6)"))
    back = ox.read_xlsx(out)
    assert back.values["t3.new.total"] == 5
    assert "SUM(D6:E6)" in back.review["t3.new.total"]


def test_total_that_disagrees_with_its_parts_is_exported_as_it_is(tmp_path):
    """A report exported despite an arithmetic error keeps its (wrong) total, with a comment; nothing is lost."""
    report = _odd_report()
    report.values["t3.new.total"] = 7  # parts add up to 5
    out = tmp_path / "wrong.xlsx"
    X.write_xlsx(report, out)
    ws = openpyxl.load_workbook(out)["表三"]
    assert ws["J6"].value == 7 and "不符" in ws["J6"].comment.text and "=SUM(D6:I6)" in ws["J6"].comment.text
    back = ox.read_xlsx(out)
    _same(report, back)


def test_bad_values_are_kept_as_invalid_with_a_message(tmp_path):
    report = _odd_report()
    out = tmp_path / "bad.xlsx"
    X.write_xlsx(report, out)
    where = X.cell_addresses(report.format)
    import datetime

    bad = {"t3.new.natural": "三件", "t3.new.research": -1, "t3.new.social": 1.5, "t2.fees.amount": "1.2345678",
           "t4.review.other": datetime.datetime(2024, 1, 2), "t2.licensing.decisions": "十七"}

    def edit(wb):
        for cid, v in bad.items():
            sheet, addr = where[cid]
            wb[sheet][addr] = v

    _edit(out, edit)
    back = ox.read_xlsx(out)
    for cid in bad:
        assert isinstance(back.values[cid], Invalid), cid
        assert "无效" in back.review[cid] and back.review[cid], cid
    assert back.values["t3.new.natural"].raw == "三件"
    assert "不是数字" in back.review["t3.new.natural"] and "表三" in back.review["t3.new.natural"]
    assert "负数" in back.review["t3.new.research"]
    assert "整数" in back.review["t3.new.social"]
    assert "小数" in back.review["t2.fees.amount"]
    assert "日期" in back.review["t4.review.other"]
    cells = {c for f in check(back) if f.rule == "CELL.VALUE" for c in f.cells}
    assert set(bad) <= cells
    # an invalid entry is written back as it was typed, and survives another round
    again = tmp_path / "again.xlsx"
    X.write_xlsx(back, again)
    assert ox.read_xlsx(again).values["t3.new.natural"] == Invalid("三件")


def test_renamed_sheet_is_reported(tmp_path):
    out = tmp_path / "renamed.xlsx"
    X.write_xlsx(_odd_report(), out)
    _edit(out, lambda wb: setattr(wb["表三"], "title", "表3"))
    with pytest.raises(ox.XlsxError) as e:
        ox.read_xlsx(out)
    msg = str(e.value)
    assert "找不到工作表“表三”" in msg and "表3" in msg and "不会猜测" in msg


def test_altered_or_moved_label_is_reported(tmp_path):
    out = tmp_path / "label.xlsx"
    X.write_xlsx(_odd_report(), out)
    _edit(out, lambda wb: wb["表三"].__setitem__("B8", "（一）公开"))
    with pytest.raises(ox.XlsxError) as e:
        ox.read_xlsx(out)
    assert "B8 应为“（一）予以公开”，现在是“（一）公开”" in str(e.value)

    out2 = tmp_path / "moved.xlsx"
    X.write_xlsx(_odd_report(), out2)
    _edit(out2, lambda wb: wb["表二"].insert_rows(6))
    with pytest.raises(ox.XlsxError) as e:
        ox.read_xlsx(out2)
    assert "工作表“表二”" in str(e.value) and "应为“行政规范性文件”" in str(e.value)


def test_workbook_without_the_hidden_sheet_still_imports_by_the_official_layout(tmp_path):
    report = _odd_report()
    out = tmp_path / "nometa.xlsx"
    X.write_xlsx(report, out)
    _edit(out, lambda wb: wb.remove(wb[X.META_SHEET]))
    back = ox.read_xlsx(out)
    assert back.values["t2.fees.amount"] == Decimal("0.1250")
    assert back.values["t3.new.legal"] == 1
    assert back.meta.organ == ""  # only the tables travel without the hidden sheet


def _zip_bytes(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("case", ["truncated", "text", "empty", "xls", "bomb", "not-excel-zip", "missing"])
def test_corrupt_files_give_a_clear_message(case, tmp_path):
    path = tmp_path / "bad.xlsx"
    good = X.render_xlsx(_odd_report())
    if case == "truncated":
        path.write_bytes(good[: len(good) // 2])
        expect = "损坏"
    elif case == "text":
        path.write_text("这不是工作簿", encoding="utf-8")
        expect = "不是 Excel 工作簿"
    elif case == "empty":
        path.write_bytes(b"")
        expect = "空文件"
    elif case == "xls":
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
        expect = ".xls"
    elif case == "bomb":
        path.write_bytes(_zip_bytes({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"\0" * (12 * 1024 * 1024)}))
        expect = "压缩炸弹"
    elif case == "not-excel-zip":
        path.write_bytes(_zip_bytes({"hello.txt": b"hi"}))
        expect = "不是 Excel 工作簿"
    else:
        expect = "找不到文件"
    with pytest.raises(ox.XlsxError) as e:
        ox.read_xlsx(path)
    assert expect in str(e.value)
    assert "bad.xlsx" in str(e.value)


def test_damaged_workbook_xml_gives_a_message(tmp_path):
    good = zipfile.ZipFile(io.BytesIO(X.render_xlsx(_odd_report())))
    entries = {i.filename: good.read(i) for i in good.infolist()}
    entries["xl/workbook.xml"] = b"<workbook><sheets><sheet name="
    path = tmp_path / "broken.xlsx"
    path.write_bytes(_zip_bytes(entries))
    with pytest.raises(ox.XlsxError) as e:
        ox.read_xlsx(path)
    assert "broken.xlsx" in str(e.value)


def _calc_available() -> bool:
    import shutil
    from pathlib import Path

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return False
    program = Path(soffice).resolve().parent
    return any(program.glob("libsclo.so")) or any(program.glob("sclo.dll")) or \
        any(Path("/usr/lib/libreoffice/program").glob("libsclo.so"))


@pytest.mark.slow
@pytest.mark.skipif(not _calc_available(), reason="LibreOffice Calc is not installed")
def test_workbook_saved_by_libreoffice_calc_imports_with_its_results(tmp_path, load_fixture):
    """A real spreadsheet program opens the export, recalculates and saves it: the cached results are used."""
    import shutil
    import subprocess

    report = load_fixture("weihui-minzheng-2022")
    src = tmp_path / "in.xlsx"
    X.write_xlsx(report, src)
    outdir = tmp_path / "out"
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir), str(src)],
                   check=True, timeout=300, capture_output=True)
    saved = outdir / "in.xlsx"
    cached = openpyxl.load_workbook(saved, data_only=True)
    sheet, addr = X.cell_addresses(report.format)["t3.handled_total.total"]
    assert cached[sheet][addr].value is not None  # Calc stored the formula's result
    back = ox.read_xlsx(saved)
    _same(report, back)
    assert "计算结果" in back.sources["t3.handled_total.total"]


def test_text_is_never_a_formula_and_control_characters_do_not_break_the_export(tmp_path):
    report = _odd_report()
    report.meta.organ = '=HYPERLINK("http://x")某局\x00\x0b'
    report.sections["s1"] = "=1+1 正文\x01"
    report.values["t3.new.legal"] = Invalid("=2+3")
    out = tmp_path / "inject.xlsx"
    X.write_xlsx(report, out)
    wb = openpyxl.load_workbook(out)
    assert wb["表三"]["A2"].data_type == "s" and wb["表三"]["A2"].value.startswith("=HYPERLINK")
    sheet, addr = X.cell_addresses(report.format)["t3.new.legal"]
    assert wb[sheet][addr].data_type == "s"
    back = ox.read_xlsx(out)
    assert back.meta.organ == '=HYPERLINK("http://x")某局'
    assert back.sections["s1"] == "=1+1 正文"
    assert back.values["t3.new.legal"] == Invalid("=2+3") and "不是数字" in back.review["t3.new.legal"]


def test_a_workbook_not_made_by_the_program_is_refused_with_a_message(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.active["A1"] = "统计表"
    path = tmp_path / "other.xlsx"
    wb.save(path)
    with pytest.raises(ox.XlsxError) as e:
        ox.read_xlsx(path)
    assert "不是年报助手导出的统计表" in str(e.value) and "other.xlsx" in str(e.value)


def test_tampered_cell_map_is_reported(tmp_path):
    out = tmp_path / "map.xlsx"
    X.write_xlsx(_odd_report(), out)

    def edit(wb):
        ws = wb[X.META_SHEET]
        for row in ws.iter_rows():
            if row[0].value == "cell" and row[1].value == "t3.new.natural":
                row[2].value = "不存在的表"
    _edit(out, edit)
    with pytest.raises(ox.XlsxError) as e:
        ox.read_xlsx(out)
    assert "对照表已被改动" in str(e.value) and "t3.new.natural" in str(e.value)
