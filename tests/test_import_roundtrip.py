"""Export → import gives the same report (the lossless embedded path and the generic reading of the same file),
and table cells edited in Word after the export are taken as they are now and marked for review."""
import random
import zipfile

from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.documents import OpenError, open_report
from app.export import export_report
from app.formats import load_format
from app.importers.docx import blocks_from_document_xml
from app.importers.recognise import Recogniser
from app.rules import check
from conftest import is_chinese_message
from fuzz.docs import random_report

FMT = load_format()
ORGANS = ["吴忠市民政局", "平桥区民政局", "某某县人民政府办公室", "新城区市场监督管理局", "XX省生态环境厅"]


def same(a, b):
    assert {c: a.values.get(c) for c in FMT.cells} == {c: b.values.get(c) for c in FMT.cells}
    assert a.meta == b.meta
    assert {s: a.sections.get(s, "") for s in FMT.text_sections} == {
        s: b.sections.get(s, "") for s in FMT.text_sections
    }


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), organ=st.sampled_from(ORGANS), year=st.integers(2021, 2035))
def test_export_import_identical(tmp_path, seed, organ, year):
    report = random_report(random.Random(seed), organ=organ, year=year)
    path = export_report(report, tmp_path / f"{seed}.docx", force=True)
    got = open_report(path)
    same(got, report)
    assert got.review == {}
    assert set(got.sources) == set(got.values) and "中的表格" in got.sources["t3.new.natural"]  # read from the page
    # the same document without the embedded data, read like any published Word file
    with zipfile.ZipFile(path) as z:
        generic = Recogniser(blocks_from_document_xml(z.read("word/document.xml")), "x").report()
    same(generic, report)
    assert {k for k in generic.review} == set()


def test_table_edit_after_export_is_taken_and_marked(tmp_path):
    report = random_report(random.Random(77), organ="吴忠市民政局", year=2023)
    report.values["t2.licensing.decisions"] = 17
    path = export_report(report, tmp_path / "r.docx", force=True)
    doc = Document(str(path))
    hit = 0
    for table in doc.tables:
        for row in table.rows:
            cells = row.cells
            if cells[0].text.strip() == "行政许可":
                for c in cells[1:]:
                    if c.text.strip() == "17":
                        c.paragraphs[0].runs[0].text = "18" if c.paragraphs[0].runs else None
                        if not c.paragraphs[0].runs:
                            c.text = "18"
                        hit += 1
                        break
    assert hit == 1
    doc.save(str(path))
    got = open_report(path)
    assert got.values["t2.licensing.decisions"] == 18
    # the exported value is not kept in the file (no second copy): the message says it was another number
    assert "导出时为“另一数值”" in got.review["t2.licensing.decisions"] and "18" in got.review["t2.licensing.decisions"]
    assert any(f.rule == "IMPORT.REVIEW" and f.cells == ["t2.licensing.decisions"] for f in check(got))
    for cid in FMT.cells:
        if cid != "t2.licensing.decisions":
            assert got.values.get(cid) == report.values.get(cid)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), organ=st.sampled_from(ORGANS), year=st.integers(2021, 2035))
def test_xlsx_export_import_identical(tmp_path, seed, organ, year):
    report = random_report(random.Random(seed), organ=organ, year=year)
    got = open_report(export_report(report, tmp_path / f"{seed}.xlsx", force=True))
    same(got, report)


def test_xlsx_not_ours_gets_its_message(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"] = "随便一个表格"
    wb.save(tmp_path / "other.xlsx")
    try:
        open_report(tmp_path / "other.xlsx")
    except OpenError as e:
        assert "文件内容异常" not in str(e) and is_chinese_message(str(e)), str(e)
    else:
        raise AssertionError("a workbook without the report layout was accepted")


def test_damaged_embedded_data_falls_back_to_the_document(tmp_path):
    report = random_report(random.Random(91), organ="河西区司法局", year=2024)
    path = export_report(report, tmp_path / "r.docx", force=True)
    out = tmp_path / "damaged.docx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("customXml/item") and b"<data" in data:
                data = data.replace(b'<data encoding="json">', b'<data encoding="json">{broken')
            zout.writestr(item.filename, data)
    got = open_report(out)
    same(got, report)
    assert "已损坏" in got.extra["import_notes"][0]
