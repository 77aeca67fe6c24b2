"""The Word document is the truth: edits made in Word come back from the page, the published file
carries nothing hidden and honest properties, and a fresh PDF export does not search reportlab's AFM files."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import datetime, timezone

import pytest
from docx import Document
from pypdf import PdfReader

from app import __version__, project
from app.documents import open_report
from app.export import export_report
from app.importers import own_docx as od
from app.rules import check


def _load(name="pingqiao-minzheng-2024"):
    return project.load(f"tests/fixtures/{name}.nianbao")


def _set_text(paragraph, text):
    runs = paragraph.runs
    for r in runs[1:]:
        r.text = ""
    runs[0].text = text


def _closing(doc):
    return [p for p in doc.paragraphs if p.style.name == "落款"]


def _body_paragraph(doc, starts):
    return next(p for p in doc.paragraphs if p.text.startswith(starts))


@pytest.fixture
def exported(tmp_path):
    report = _load()
    return report, export_report(report, tmp_path / "report.docx", force=True)


def _import_findings(report):
    return [f for f in check(report) if f.rule == "IMPORT.REVIEW"]


def test_unchanged_export_comes_back_without_review_marks(exported):
    report, path = exported
    back = open_report(path)
    assert back.review == {}
    assert back.sections == report.sections and back.meta == report.meta
    assert _import_findings(back) == []


def test_narrative_paragraph_edited_in_word_is_taken_from_the_page(exported, tmp_path):
    report, path = exported
    doc = Document(str(path))
    para = _body_paragraph(doc, "（三）信息管理情况。")
    _set_text(para, "（三）信息管理情况。本段在 Word 中改写过。")
    doc.save(tmp_path / "edited.docx")
    back = open_report(tmp_path / "edited.docx")
    lines = back.sections["s1"].splitlines()
    assert "（三）信息管理情况。本段在 Word 中改写过。" in lines
    assert not any("贯彻落实信息公开相关政策，严格落实信息发布" in x for x in lines)
    # the other paragraphs are kept as they were (with their bold marks)
    old = [x for x in report.sections["s1"].splitlines() if x.strip() and not x.startswith("（三）")]
    assert [x for x in lines if not x.startswith("（三）")] == [x.strip() for x in old]
    assert back.sections["s5"] == report.sections["s5"]
    # the message shows the words that changed, not the paragraph's identical beginning
    assert back.review["s1"] == "在 Word 中修改：“一、总体情况”第 5 段改动的文字现为“…本段在 Word 中改写过。”"
    msgs = [f.message for f in _import_findings(back)]
    assert len(msgs) == 1 and "本段在 Word 中改写过" in msgs[0]


def test_a_change_inside_a_long_paragraph_shows_the_changed_words(exported, tmp_path):
    report, path = exported
    doc = Document(str(path))
    para = _body_paragraph(doc, "（三）信息管理情况。")
    old = para.text
    assert len(old) > 60
    cut = old.index("，", 45)  # a clause well past the first 40 characters
    _set_text(para, old[:cut] + "，另加一句在 Word 中写的话" + old[cut:])
    doc.save(tmp_path / "edited.docx")
    back = open_report(tmp_path / "edited.docx")
    msg = back.review["s1"]
    assert "另加一句在 Word 中写的话" in msg and old[:20] not in msg, msg


def test_closing_date_and_organ_edited_in_word(exported, tmp_path):
    _report, path = exported
    doc = Document(str(path))
    organ, date = _closing(doc)
    _set_text(organ, "平桥区民政厅")
    _set_text(date, "2025年2月3日")
    doc.save(tmp_path / "edited.docx")
    back = open_report(tmp_path / "edited.docx")
    assert back.meta.organ == "平桥区民政厅"
    assert back.meta.date == "2025-02-03"
    assert "原为“2025年1月20日”，现为“2025年2月3日”" in back.review["meta.date"]
    assert "原为“平桥区民政局”，现为“平桥区民政厅”" in back.review["meta.organ"]
    assert len(_import_findings(back)) == 2


def test_table_cell_edited_in_word_is_still_found(exported, tmp_path):
    _report, path = exported
    doc = Document(str(path))
    fmt = _load().format
    t3 = od.locate_tables(doc, fmt)["t3"][0]
    cell = od.grid(t3)(*fmt.layout("t3").value_positions()["t3.new.natural"])
    cell.paragraphs[0].add_run("7")  # e.g. 1 -> 17
    doc.save(tmp_path / "edited.docx")
    back = open_report(tmp_path / "edited.docx")
    assert "导出后在 Word 中被修改" in back.review["t3.new.natural"]
    assert set(back.review) == {"t3.new.natural"}


def test_title_edited_in_word_changes_the_year(exported, tmp_path):
    _report, path = exported
    doc = Document(str(path))
    title = doc.paragraphs[0]
    for r in title.runs:
        r.text = r.text.replace("2024", "2023")
    doc.save(tmp_path / "edited.docx")
    back = open_report(tmp_path / "edited.docx")
    assert back.meta.year == 2023 and "title" in back.review


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_word_edit_survives_a_libreoffice_resave(exported, tmp_path):
    _report, path = exported
    doc = Document(str(path))
    _set_text(_closing(doc)[1], "2025年3月1日")
    doc.save(tmp_path / "edited.docx")
    out = tmp_path / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(tmp_path / "edited.docx")],
                   check=True, capture_output=True, timeout=240)
    back = open_report(out / "edited.docx")
    assert back.meta.date == "2025-03-01"
    assert set(back.review) == {"meta.date"}, back.review


# ------------------------------------------------------------------------------------------------------
# nothing hidden

def _all_text(path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def test_published_docx_carries_no_previous_review_provenance_or_unknown_keys(tmp_path):
    report = _load()
    report.previous = _load("wuzhong-minzheng-2023")
    report.review["t3.new.natural"] = "内部审核意见ABC"
    report.sources["t3.new.natural"] = "来源文件XYZ.xlsx"
    report.extra["private_note"] = "未知字段QQQ"
    path = export_report(report, tmp_path / "r.docx", force=True)
    everything = _all_text(path)
    for secret in ("内部审核意见ABC", "来源文件XYZ", "未知字段QQQ", "private_note", "吴忠市民政局", '"previous"',
                   '"review"', '"sources"'):
        assert secret not in everything and json.dumps(secret)[1:-1] not in everything, secret
    back = od.read_embedded(path)
    assert back.previous is None and back.review == {} and back.extra == {}
    assert set(back.sources) == set(back.values) and all("中的表格" in x for x in back.sources.values())  # the page
    assert back.values == report.values and back.sections == report.sections and back.meta == report.meta


def test_document_properties_are_true(exported):
    report, path = exported
    doc = Document(str(path))
    cp = doc.core_properties
    assert cp.title == report.title()
    now = datetime.now(timezone.utc)
    for stamp in (cp.created, cp.modified):
        stamp = stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)
        assert abs((now - stamp).total_seconds()) < 600
    with zipfile.ZipFile(path) as z:
        app_xml = z.read("docProps/app.xml").decode("utf-8")
    assert "Microsoft" not in app_xml and "Macintosh" not in app_xml
    assert re.search(rf"<Application>年报助手 {re.escape(__version__)}</Application>", app_xml)


def test_pdf_properties_are_true(tmp_path):
    report = _load()
    path = export_report(report, tmp_path / "r.pdf", force=True)
    info = PdfReader(str(path)).metadata
    assert info.title == report.title()
    docx = Document(str(export_report(report, tmp_path / "r.docx", force=True)))
    assert info.author == docx.core_properties.author == "年报助手"  # the same author in both
    assert __version__ in info.producer and "年报助手" in info.producer
    now = datetime.now(timezone.utc)
    for stamp in (info.creation_date, info.modification_date):
        assert stamp is not None and stamp.year == now.year
        assert abs((now - stamp.astimezone(timezone.utc)).total_seconds()) < 600


# ------------------------------------------------------------------------------------------------------
# fresh-process speed: no AFM search

def test_fresh_pdf_export_does_not_search_reportlab_afm_files(tmp_path):
    code = (
        "import sys\n"
        "from reportlab.pdfbase import pdfmetrics\n"
        "calls = []\n"
        "orig = pdfmetrics.bruteForceSearchForAFM\n"
        "def spy(name):\n"
        "    calls.append(name)\n"
        "    return orig(name)\n"
        "pdfmetrics.bruteForceSearchForAFM = spy\n"
        "from app import project\n"
        "from app.export import export_report\n"
        f"export_report(project.load('tests/fixtures/pingqiao-minzheng-2024.nianbao'), r'{tmp_path / 'x.pdf'}',"
        " force=True)\n"
        "print('AFM', len(calls), calls)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert "AFM 0 []" in out.stdout, out.stdout + out.stderr
