"""The printed document is built once (app/document.py) and laid out twice: the rules of the text live in one
place, and the tables' column widths, row heights, padding and alignment are facts of the typesetting spec that
the template, the DOCX and the PDF all follow."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from app import document as D
from app import project
from app.export import render_bytes
from app.export import typeset as T

ROOT = Path(__file__).resolve().parent.parent


def test_text_rules_are_written_once():
    from app.export import docx as dx
    from app.export import pdf as P
    assert dx.date_cn is D.date_cn and P.date_cn is D.date_cn and P.opening_text is D.opening_text
    sources = {p: p.read_text(encoding="utf-8") for p in (ROOT / "app" / "export").glob("*.py")}
    sources[ROOT / "app/importers/own_docx.py"] = (ROOT / "app/importers/own_docx.py").read_text(encoding="utf-8")
    for path, text in sources.items():
        assert "def date_cn" not in text, path
        assert "[一二三四五六七八九十]+、" not in text, path  # the heading patterns
        assert 'find("。")' not in text, path  # "the heading runs to the first 。"
        assert "根据《中华人民共和国政府信息公开条例》" not in text, path  # the opening rule


def test_the_printed_document():
    report = project.load("tests/fixtures/wuzhong-minzheng-2023.nianbao")
    doc = D.build(report)
    assert doc.title_lines == ["吴忠市民政局", "2023年政府信息公开工作年度报告"]
    assert doc.opening == D.standard_opening("吴忠市民政局", 2023)
    paras = doc.sections[0].paragraphs
    runin = next(p for p in paras if p.text.startswith("（一）"))
    assert runin.kind == "body" and runin.head_kind == "h2" and runin.head[-1].text.endswith("。")
    assert doc.closing.date == "2024年1月16日" and doc.cells["t3.new.natural"] == "1"
    report.meta.opening = "本机关自行写的开头。"
    assert D.build(report).opening == "本机关自行写的开头。"
    assert D.parse_date_cn("2024年1月6日") == "2024-01-06" and D.parse_date_cn("2024年2月30日") == "2024年2月30日"


def _pdf_tables(pdf: bytes):
    """Per table on the PDF's pages: (x boundaries, row heights), from the ruling lines."""
    import pdfplumber
    out = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            for t in page.find_tables():
                xs = sorted({round(c[0], 1) for c in t.cells} | {round(c[2], 1) for c in t.cells})
                ys = sorted({round(c[1], 1) for c in t.cells} | {round(c[3], 1) for c in t.cells})
                out.append((xs, [b - a for a, b in zip(ys, ys[1:])]))
    return out


def test_tables_have_the_specs_widths_and_row_heights_in_both():
    report = project.load("tests/fixtures/wuzhong-minzheng-2023.nianbao")
    widths = {tid: T.table_columns_pt(tid) for tid in ("t2", "t3", "t4")}
    assert sum(T.table_columns_twips("t2")) == sum(T.table_columns_twips("t3")) == sum(T.table_columns_twips("t4"))
    value = widths["t3"][3:]
    assert len(set(value)) == 1 and value[0] - 2 * T.TABLE_PAD_PT >= 3 * T.TABLE_PT  # 自然人 on one line
    # the DOCX
    doc = Document(io.BytesIO(render_bytes(report, ".docx")))
    for table, tid in zip(doc.tables, ("t2", "t3", "t4")):
        cols = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert cols == T.table_columns_twips(tid), tid
        for tr in table._tbl.tr_lst:
            h = tr.trPr.find(qn("w:trHeight"))
            assert h.get(qn("w:hRule")) == "atLeast" and int(h.get(qn("w:val"))) == round(T.TABLE_ROW_MIN_PT * 20)
        mar = table._tbl.tblPr.find(qn("w:tblCellMar"))
        assert int(mar.find(qn("w:left")).get(qn("w:w"))) == round(T.TABLE_PAD_PT * 20)
    # the PDF: the same column boundaries (from the ruling lines), no row lower than the spec's
    tables = _pdf_tables(render_bytes(report, ".pdf"))
    assert len(tables) == 3
    for (xs, heights), tid in zip(tables, ("t2", "t3", "t4")):
        got = [round(b - a, 1) for a, b in zip(xs, xs[1:])]
        assert got == [round(w, 1) for w in widths[tid]], (tid, got)
        assert min(heights) >= T.TABLE_ROW_MIN_PT - 0.1, (tid, min(heights))


@pytest.mark.parametrize("tid,label", [("t2", "行政许可"), ("t3", "（一）予以公开")])
def test_labels_aligned_alike_in_both(tid, label):
    report = project.load("tests/fixtures/wuzhong-minzheng-2023.nianbao")
    want = T.label_align(tid)
    doc = Document(io.BytesIO(render_bytes(report, ".docx")))
    para = next(p for t in doc.tables for c in t._cells for p in c.paragraphs if p.text == label)
    assert {1: "center", 0: "left"}[para.style.paragraph_format.alignment] == want
    import pdfplumber
    with pdfplumber.open(io.BytesIO(render_bytes(report, ".pdf"))) as pdf:
        for page in pdf.pages:
            words = [w for w in page.extract_words() if w["text"] == label]
            if not words:
                continue
            w = words[0]
            cell = next(c for t in page.find_tables() for c in t.cells
                        if c[0] <= w["x0"] and w["x1"] <= c[2] and c[1] <= w["top"] and w["bottom"] <= c[3])
            left_gap, right_gap = w["x0"] - cell[0], cell[2] - w["x1"]
            if want == "center":
                assert abs(left_gap - right_gap) < 1.0, (left_gap, right_gap)
            else:
                assert left_gap < T.TABLE_PAD_PT + 1.0, left_gap
            return
    raise AssertionError(f"{label} not found in the PDF")


def test_the_spec_is_read_by_the_template():
    text = (ROOT / "templates" / "build_template.py").read_text(encoding="utf-8")
    assert not re.search(r"WIDTHS\s*=", text) and "table_columns_twips" in text


def test_a_line_break_in_the_opening_or_contact_is_one_in_both():
    """An opening or contact typed with line breaks (an imported report's opening often has them) is printed with
    the same breaks in the DOCX (w:br) and the PDF, so both break the paragraph's lines alike."""
    import pdfplumber
    report = project.load("tests/fixtures/pingqiao-minzheng-2024.nianbao")
    report.meta.opening = "平桥区民政局\n（2025年1月20日）\n本报告依据《条例》编制。"
    report.meta.contact = "地址：平桥区某路1号\r\n电话：0376-1234567"
    doc = Document(io.BytesIO(render_bytes(report, ".docx")))
    texts = [p.text for p in doc.paragraphs]
    assert "平桥区民政局\n（2025年1月20日）\n本报告依据《条例》编制。" in texts
    assert "联系方式：地址：平桥区某路1号\n电话：0376-1234567" in texts
    with pdfplumber.open(io.BytesIO(render_bytes(report, ".pdf"))) as pdf:
        lines = ["".join(ln.split()) for page in pdf.pages for ln in (page.extract_text() or "").splitlines()]
    for line in ("平桥区民政局", "（2025年1月20日）", "本报告依据《条例》编制。", "电话：0376-1234567"):
        assert line in lines, line


@pytest.mark.parametrize("typed", ["联系方式：电话：0951-1234567", "联系方式:电话：0951-1234567",
                                   " 联系方式： 电话：0951-1234567"])
def test_a_contact_typed_with_its_label_prints_the_label_once_in_both(typed):
    """The clerk (or last year's document) wrote the label into the contact: the line says 联系方式 once, in
    the DOCX and the PDF, and reading our DOCX back gives the contact without it."""
    import pdfplumber

    from app.documents import open_report
    report = project.load("tests/fixtures/pingqiao-minzheng-2024.nianbao")
    report.meta.contact = typed
    data = render_bytes(report, ".docx")
    texts = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert "联系方式：电话：0951-1234567" in texts and not any(t.count("联系方式") > 1 for t in texts), texts
    with pdfplumber.open(io.BytesIO(render_bytes(report, ".pdf"))) as pdf:
        text = "".join("".join(page.extract_text().split()) for page in pdf.pages)
    assert text.count("联系方式") == 1 and "联系方式：电话：0951-1234567" in text
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "r.docx"
        path.write_bytes(data)
        assert open_report(path).meta.contact == "电话：0951-1234567"


def test_a_report_exported_with_errors_says_so_on_its_face_in_both(tmp_path):
    """Exported anyway with errors (the clerk confirmed, "as a draft for discussion"): the Word file and the PDF
    print the draft mark first, with the number of errors, so the document cannot pass for a final one; reading
    the Word file back gives the report (the mark is not taken for its opening). Without errors: no mark."""
    import pdfplumber

    from app.documents import open_report
    from app.export import export_report
    from app.rules import ERROR, check
    report = project.load("tests/fixtures/pingqiao-minzheng-2024.nianbao")
    assert not check(report, severity=ERROR)
    clean_docx = export_report(report, tmp_path / "final.docx")
    assert not any("讨论稿" in p.text for p in Document(str(clean_docx)).paragraphs)
    report.values["t3.new.natural"] = (report.values.get("t3.new.natural") or 0) + 7  # totals no longer add up
    n = len(check(report, severity=ERROR))
    assert n
    mark = D.draft_mark(n)
    assert mark.startswith("讨论稿") and str(n) in mark
    docx_path = export_report(report, tmp_path / "draft.docx", force=True)
    paragraphs = [p for p in Document(str(docx_path)).paragraphs if p.text.strip()]
    assert paragraphs[0].text == mark
    assert paragraphs[0].runs[0].font.size.pt == T.BODY_PT
    pdf_path = export_report(report, tmp_path / "draft.pdf", force=True)
    with pdfplumber.open(str(pdf_path)) as pdf:
        first_line = (pdf.pages[0].extract_text() or "").splitlines()[0]
    assert "".join(first_line.split()) == mark
    back = open_report(docx_path)
    assert "讨论稿" not in back.meta.opening and back.meta.opening == report.meta.opening
    assert back.meta.organ == report.meta.organ
