"""Import is an accounting: over every shape the project reads, every character of the source's text ends in
exactly one place (a field of the report, the tables, page furniture, or a listed left-out) and each narrative
field holds exactly the text placed in it. Where the source's characters can be counted independently of the
reader (text files, PDF character layers), the account starts from that count."""
import random
import sys
from pathlib import Path

import pytest

from app.documents import open_report
from app.importers.account import chars, check
from conftest import FIXTURE_NAMES, PUBLISHED, ROOT

sys.path.insert(0, str(ROOT / "tests"))
from fuzz.docs import random_report
from shapes import HTML_SHAPES, TEXT_SHAPES, converter_text, office_docx, wps_docx
from test_import_whole import page_text
from wps_like import wps_like_pdf

FIX = ROOT / "tests" / "fixtures"


def reports():
    out = [open_report(FIX / f"{n}.nianbao") for n in FIXTURE_NAMES]
    out.append(random_report(random.Random(5), organ="某某街道办事处", year=2023))
    return out


def balanced(report, source_chars=None):
    account = report.import_account
    assert check(report, account) == [], account.summary()
    if source_chars is not None:
        assert account.source == source_chars, (account.source, source_chars)
    return account


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_published_text_as_received(name):
    path = PUBLISHED / f"{name}.txt"
    balanced(open_report(path), chars(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("shape", sorted(TEXT_SHAPES))
def test_text_shapes(tmp_path, shape):
    for k, report in enumerate(reports()):
        text = TEXT_SHAPES[shape](report)
        p = tmp_path / f"{k}.txt"
        p.write_text(text, encoding="utf-8")
        balanced(open_report(p), chars(text))


def test_page_text_with_furniture(tmp_path):
    for k, report in enumerate(reports()[:3]):
        text = page_text(report)
        p = tmp_path / f"{k}.txt"
        p.write_text(text, encoding="utf-8")
        account = balanced(open_report(p), chars(text))
        assert account.furniture and account.moves


@pytest.mark.parametrize("shape", sorted(HTML_SHAPES))
def test_html_shapes(tmp_path, shape):
    for k, report in enumerate(reports()):
        p = tmp_path / f"{k}.html"
        p.write_text(HTML_SHAPES[shape](report), encoding="utf-8")
        balanced(open_report(p))


@pytest.mark.parametrize("maker", ["office", "wps", "converter"])
def test_word_shapes(tmp_path, maker):
    for k, report in enumerate(reports()):
        docx = tmp_path / f"{k}.docx"
        (wps_docx if maker == "wps" else office_docx)(report, docx)
        if maker == "converter":
            text = converter_text(docx)
            p = tmp_path / f"{k}.txt"
            p.write_text(text, encoding="utf-8")
            balanced(open_report(p), chars(text))
        else:
            balanced(open_report(docx))


def _pdf_chars(path: Path) -> int:
    import pdfplumber
    with pdfplumber.open(str(path)) as pdf:
        return sum(1 for page in pdf.pages for c in page.chars if c["text"].strip())


@pytest.mark.parametrize("pdf", sorted((FIX / "pdf").glob("*.pdf")), ids=lambda p: p.stem)
def test_pdfs_made_by_libreoffice(pdf):
    balanced(open_report(pdf), _pdf_chars(pdf))


def test_wps_like_pdfs(tmp_path):
    from fuzz.docs import text_from_report
    for k, report in enumerate(reports()):
        pdf = wps_like_pdf(text_from_report(report).replace("**", ""), tmp_path / f"{k}.pdf",
                           header=f"{report.meta.organ}政府信息公开工作年度报告")
        account = balanced(open_report(pdf), _pdf_chars(pdf))
        kinds = {k for k, _ in account.furniture}
        assert {"页码", "页眉"} <= kinds, kinds
