"""The closing (organ and date) where GB/T 9704-2012 §7.3.5 puts it, in the PDF and in the DOCX (its paragraph
indents, and where LibreOffice prints them): sealed (§7.3.5.1) — the date 4 characters in from the right margin,
the organ centred over the date; unsealed (§7.3.5.2, a setting of the typesetting spec) — the organ 2 characters
in, the date's first character 2 characters right of the organ's first."""
from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn

from app import project
from app.export import render_bytes
from app.export import typeset as T

CH = T.BODY_PT + T.CHAR_SPACING_PT  # one character of the 28-character grid
RIGHT = (T.PAGE_W_MM - T.MARGINS_MM["right"]) * T.MM  # the right margin, pt from the page's left edge


def _report(organ="平桥区民政局"):
    r = project.load("tests/fixtures/pingqiao-minzheng-2024.nianbao")
    r.meta.organ = organ
    return r


def _closing_lines(pdf: bytes, organ: str, date: str):
    """(x0, x1) of the organ line and of the date line on the last page (body-size characters)."""
    import pdfplumber
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[-1]
        rows: dict[int, list] = {}
        for c in page.chars:
            if c["size"] > 15:
                rows.setdefault(round(c["top"]), []).append(c)
        found = {}
        for cs in rows.values():
            cs.sort(key=lambda c: c["x0"])
            text = "".join(c["text"] for c in cs).replace(" ", "")
            if text in (organ, date):
                found[text] = (cs[0]["x0"], cs[-1]["x1"])
    return found[organ], found[date]


def _centre(span):
    return (span[0] + span[1]) / 2


@pytest.mark.parametrize("organ", ["平桥区民政局", "某某县人民政府办公室", "局"])
def test_pdf_sealed_closing_date_four_characters_in_organ_centred_over_it(organ):
    organ_x, date_x = _closing_lines(render_bytes(_report(organ), ".pdf"), organ, "2025年1月20日")
    assert abs(date_x[1] - (RIGHT - 4 * CH)) < 2.0, date_x
    assert abs(_centre(organ_x) - _centre(date_x)) < 1.5, (organ_x, date_x)


def test_pdf_unsealed_closing_as_a_setting(monkeypatch):
    monkeypatch.setitem(T.CLOSING, "style", "unsealed")
    organ = "某某县人民政府办公室"  # longer than the date: organ 2 characters in
    organ_x, date_x = _closing_lines(render_bytes(_report(organ), ".pdf"), organ, "2025年1月20日")
    assert abs(organ_x[1] - (RIGHT - 2 * CH)) < 2.0, organ_x
    assert abs(date_x[0] - (organ_x[0] + 2 * CH)) < 2.0, (organ_x, date_x)
    organ = "民政局"  # shorter than the date: the date 2 characters in, the organ 2 characters left of its start
    organ_x, date_x = _closing_lines(render_bytes(_report(organ), ".pdf"), organ, "2025年1月20日")
    assert abs(date_x[1] - (RIGHT - 2 * CH)) < 2.0, date_x
    assert abs(date_x[0] - (organ_x[0] + 2 * CH)) < 2.0, (organ_x, date_x)


def _indents(docx: bytes):
    doc = Document(io.BytesIO(docx))
    out = []
    for p in doc.paragraphs:
        if p.style.name == "落款" and p.text.strip():
            ind = p._p.pPr.find(qn("w:ind"))
            out.append((p.text, int(ind.get(qn("w:right"))) / 20, p.alignment or p.style.paragraph_format.alignment))
    return out


def test_docx_closing_indents_are_the_pdfs():
    from app.document import build
    report = _report("某某县人民政府办公室")
    c = build(report).closing
    (organ, organ_right, a1), (date, date_right, a2) = _indents(render_bytes(report, ".docx"))
    assert (organ, date) == ("某某县人民政府办公室", "2025年1月20日")
    assert a1 == a2 == 2  # right-aligned
    assert abs(date_right - 4 * CH) < 0.1 and abs(organ_right - c.organ_right_pt) < 0.1
    assert organ_right < date_right  # the longer organ reaches further right, centred over the date


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_docx_closing_in_libreoffice_is_where_the_pdf_has_it(tmp_path):
    import sys
    sys.path.insert(0, "bench")
    from parity_docx_pdf import fontconfig
    import os
    organ = "某某县人民政府办公室"
    report = _report(organ)
    (tmp_path / "r.docx").write_bytes(render_bytes(report, ".docx"))
    env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig(tmp_path)))
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path / "lo"), str(tmp_path / "r.docx")],
                   check=True, capture_output=True, timeout=240, env=env)
    lo_organ, lo_date = _closing_lines((tmp_path / "lo" / "r.pdf").read_bytes(), organ, "2025年1月20日")
    organ_x, date_x = _closing_lines(render_bytes(report, ".pdf"), organ, "2025年1月20日")
    assert abs(lo_date[1] - (RIGHT - 4 * CH)) < 2.5, lo_date
    assert abs(_centre(lo_organ) - _centre(lo_date)) < 2.5, (lo_organ, lo_date)
    for a, b in ((lo_organ, organ_x), (lo_date, date_x)):
        assert abs(a[0] - b[0]) < 2.5 and abs(a[1] - b[1]) < 2.5, (a, b)
