"""Word documents made the way offices make them (python-docx: merged cells, odd spacing, odd number forms,
a second table layout), read back and compared cell by cell."""
import dataclasses
import random
import zipfile
from decimal import Decimal

import pytest
from docx import Document

from app.documents import open_report
from app.formats import load_format
from app.rules import check
from app.values import NA, Invalid
from fuzz.docs import docx_from_report, random_report

FMT = load_format()


def relabel(path, labels: dict) -> None:
    """Edit table labels in a saved DOCX the way a person retyping them would."""
    doc = Document(str(path))
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                if cell.text in labels:
                    cell.text = labels[cell.text]
    doc.save(str(path))


def assert_same(imported, expected, skip=()):
    for cid in FMT.cells:
        if cid in skip:
            continue
        got, want = imported.values.get(cid), expected.values.get(cid)
        assert got == want, (cid, got, want)
    # the office's own opening (tests/fuzz/docs.py writes one) is kept as written, not replaced by the standard one
    assert dataclasses.replace(imported.meta, opening="") == expected.meta
    assert imported.meta.opening == ("根据《中华人民共和国政府信息公开条例》规定，编制本报告。"
                                     f"本报告中所列数据统计期限为{expected.meta.year}年1月1日至12月31日。")
    for sid in FMT.text_sections:
        assert imported.sections.get(sid) == expected.sections.get(sid), sid


@pytest.mark.parametrize("variant", ["standard", "split"])
@pytest.mark.parametrize("title_lines", [1, 2])
def test_office_docx_every_cell(tmp_path, variant, title_lines):
    report = random_report(random.Random(7 + title_lines), organ="新城区人力资源和社会保障局", year=2024)
    path = docx_from_report(report, tmp_path / "r.docx", variant=variant, title_lines=title_lines, label_spacing=True)
    got = open_report(path)
    assert_same(got, report)
    assert got.review == {}
    assert set(got.sources) == set(FMT.cells)
    first_table = "第1个表格" if variant == "standard" else "第5个表格"
    assert got.sources["t3.new.natural"].startswith("表三·" + first_table.replace("第1个", "第2个")) \
        or variant == "split"


def test_merged_cells_are_not_repeated(tmp_path):
    """python-docx writes merged cells as gridSpan/vMerge; the importer must take each merged cell once."""
    report = random_report(random.Random(3))
    path = docx_from_report(report, tmp_path / "r.docx")
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode()
    assert "w:gridSpan" in xml and "w:vMerge" in xml
    got = open_report(path)
    assert got.values == report.values


def test_number_forms_and_review_marks(tmp_path):
    report = random_report(random.Random(11))
    report.values.update({"t2.licensing.decisions": 7, "t2.penalty.decisions": 3, "t2.coercion.decisions": 0,
                          "t2.regulations.issued": NA, "t2.fees.amount": Decimal("1.25")})
    forms = {"t2.licensing.decisions": "7件",  # unit in the cell
             "t2.penalty.decisions": "３",  # full-width digit
             "t2.coercion.decisions": "—",  # dash
             "t2.regulations.issued": "／",  # full-width slash = 不适用
             "t2.fees.amount": "1.25万元",
             "t2.normative.repealed": "",  # blank stays blank
             "t3.new.legal": "约2"}  # not a number
    path = docx_from_report(report, tmp_path / "r.docx", forms=forms)
    got = open_report(path)
    assert got.values["t2.licensing.decisions"] == 7 and "单位" in got.review["t2.licensing.decisions"]
    assert got.values["t2.penalty.decisions"] == 3 and "t2.penalty.decisions" not in got.review
    assert got.values["t2.coercion.decisions"] == 0 and "按 0 导入" in got.review["t2.coercion.decisions"]
    assert got.values["t2.regulations.issued"] is NA and "t2.regulations.issued" not in got.review
    assert got.values["t2.fees.amount"] == Decimal("1.25") and "t2.fees.amount" in got.review
    assert "t2.normative.repealed" not in got.values
    assert got.values["t3.new.legal"] == Invalid("约2") and "无法识别" in got.review["t3.new.legal"]
    rules = {(f.rule, tuple(f.cells)) for f in check(got)}
    assert ("IMPORT.REVIEW", ("t2.coercion.decisions",)) in rules
    assert_same(got, report, skip=set(forms))


def test_fuzzy_label_is_marked(tmp_path):
    """A label with a small typo not in the known list is matched, but every value of that row is marked."""
    report = random_report(random.Random(5))
    path = docx_from_report(report, tmp_path / "r.docx")
    relabel(path, {"2.没有现成信息需要另行制作": "2.没有现成信息需另行制作"})
    got = open_report(path)
    row = [c for c in FMT.cells if c.startswith("t3.unavailable.needs_creation.")]
    for cid in row:
        assert got.values.get(cid) == report.values.get(cid)
        assert "不完全一致" in got.review[cid]
    assert_same(got, report)


def test_typo_in_column_header_and_wps_like_spacing(tmp_path):
    report = random_report(random.Random(9))
    path = docx_from_report(report, tmp_path / "r.docx", label_spacing=True)
    relabel(path, {"本年废止件数": "本年度止件数", "社会公益组织": "社会组织"})
    got = open_report(path)
    assert_same(got, report)
    assert not got.review


def test_inconsistent_total_in_source_is_marked(tmp_path):
    report = random_report(random.Random(13))
    forms = {"t3.new.total": str(report.values["t3.new.total"] + 5)}
    got = open_report(docx_from_report(report, tmp_path / "r.docx", forms=forms))
    assert got.values["t3.new.total"] == report.values["t3.new.total"] + 5
    assert "合计与各分项之和不符" in got.review["t3.new.total"]


def test_automatic_numbering_lost_from_labels(tmp_path):
    """Word's list numbering is not in the text: "1.属于国家秘密" reads as "属于国家秘密", "（七）总计" as "总计"."""
    import re
    report = random_report(random.Random(17))
    path = docx_from_report(report, tmp_path / "r.docx")
    doc = Document(str(path))
    stripped = 0
    for table in doc.tables[1:2]:
        seen = []  # the elements themselves: python-docx hands out merged cells once per grid position
        for row in table.rows:
            for cell in row.cells:
                if any(cell._tc is tc for tc in seen):
                    continue
                seen.append(cell._tc)
                new = re.sub(r"^(?:\d\.|（[一二三四五六七]）|[一二三四]、)", "", cell.text)
                if new != cell.text:
                    cell.text = new
                    stripped += 1
    assert stripped >= 25
    doc.save(str(path))
    got = open_report(path)
    assert_same(got, report)
    assert got.review == {}


def test_table_of_contents_is_not_taken_for_headings(tmp_path):
    report = random_report(random.Random(19))
    path = docx_from_report(report, tmp_path / "r.docx")
    doc = Document(str(path))
    first = doc.paragraphs[1]
    for k, sec in enumerate(FMT.sections):
        first.insert_paragraph_before(f"{sec['heading']}……{k + 1}")
    doc.save(str(path))
    got = open_report(path)
    assert_same(got, report)
