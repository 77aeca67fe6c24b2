"""Our DOCX holds no second copy of the report, and the page is what is read back: the custom XML part carries only the
format id, schema, digests and the kind of each cell; a part that
disagrees with the page, or none at all, never changes what is imported or checked."""
from __future__ import annotations

import json
import re
import zipfile

import pytest
from docx import Document

from app import project
from app.document import date_cn
from app.documents import open_report
from app.export import export_report
from app.importers import own_docx as od
from app.importers.own_docx import NS
from app.rules import ERROR, check
from app.values import display

FMT = project.load("tests/fixtures/pingqiao-minzheng-2024.nianbao").format
PAGE_PARTS = re.compile(r"^(word/document\.xml|word/(header|footer)\d*\.xml|docProps/.*)$")


def _load(name="pingqiao-minzheng-2024"):
    return project.load(f"tests/fixtures/{name}.nianbao")


def _payload(path) -> dict:
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            blob = z.read(n)
            if n.startswith("customXml/item") and NS.encode() in blob[:400]:
                text = re.search(rb"<data[^>]*>(.*)</data>", blob, re.S)[1].decode()
                return json.loads(text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
    raise AssertionError("no part of ours")


def _rewrite_part(path, out, payload_text: str | None):
    """``out``: ``path`` with our part's data replaced by ``payload_text`` (None: the part stripped)."""
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("customXml/item") and NS.encode() in data[:400]:
                if payload_text is None:
                    continue
                data = re.sub(rb"(<data[^>]*>).*(</data>)",
                              lambda m: m[1] + payload_text.replace("&", "&amp;").replace("<", "&lt;").encode()
                              + m[2], data, flags=re.S)
            zout.writestr(item, data)
    return out


@pytest.mark.parametrize("name", ["pingqiao-minzheng-2024", "wuzhong-minzheng-2023"])
def test_no_narrative_organ_date_or_cell_value_outside_the_page(tmp_path, name):
    report = _load(name)
    report.meta.contact = "电话：0391-1234567"
    path = export_report(report, tmp_path / "r.docx", force=True)
    needles = [report.meta.organ, date_cn(report.meta.date), report.meta.date, "0391-1234567"]
    for sid in FMT.text_sections:  # every clause of 6 characters or more
        for clause in re.split(r"[，。；：！？、\n*]", report.sections.get(sid, "")):
            if len(clause.strip()) >= 6:
                needles.append(clause.strip())
    numbers = {display(v) for v in report.values.values() if len(display(v)) >= 3}
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            if PAGE_PARTS.match(n):
                continue
            text = z.read(n).decode("utf-8", "replace")
            escaped = json.dumps(text)
            for needle in needles:
                assert needle not in text and json.dumps(needle)[1:-1] not in escaped, (n, needle)
    payload = _payload(path)
    assert set(payload) == {"version", "format", "schema", "app", "page", "paragraphs", "cells"}
    kinds = set(payload["cells"].values())
    assert {k for k in kinds if not k.startswith("#")} <= {"blank", "0", "/"}
    assert all(len(k) == 17 for k in kinds if k.startswith("#"))
    flat = json.dumps(payload, ensure_ascii=False)
    for number in numbers:
        assert f'"{number}"' not in flat, number


def _totals_off_page(path, out):
    """``out``: ``path`` with 新收 自然人 on the page set to 999, so the page's table 3 no longer adds up."""
    doc = Document(str(path))
    t3 = od.locate_tables(doc, FMT)["t3"][0]
    cell = od.grid(t3)(*FMT.layout("t3").value_positions()["t3.new.natural"])
    cell.paragraphs[0].runs[0].text = "999"
    doc.save(str(out))
    return out


def test_a_part_rewritten_consistently_is_not_trusted_the_page_is(tmp_path):
    report = _load()
    path = export_report(report, tmp_path / "r.docx", force=True)
    edited = _totals_off_page(path, tmp_path / "edited.docx")
    # the hidden part claims another, self-consistent report: other organ, other section 一, the original cells
    forged = project.report_to_dict(_load())
    forged["meta"]["organ"] = "某某县人民政府"
    forged["sections"]["s1"] = "从未印在页面上的第一部分。"
    cells = {cid: display(report.values.get(cid)) for cid in FMT.cells}
    old_style = json.dumps({"report": forged, "cells": cells, "tables_sha256": "0" * 64}, ensure_ascii=True)
    for payload in (old_style, None):
        out = _rewrite_part(edited, tmp_path / f"forged-{payload is None}.docx", payload)
        got = open_report(out)
        assert got.values["t3.new.natural"] == 999  # what the page shows
        assert got.meta.organ == "平桥区民政局" and "从未印在页面上" not in got.sections.get("s1", "")
        errors = [f for f in check(got, severity=ERROR)]
        assert any("t3.new.natural" in f.cells for f in errors), errors  # the page's totals are off
    # our own part (digests only) marks the edited cell for review
    got = open_report(edited)
    assert got.values["t3.new.natural"] == 999 and "导出后在 Word 中被修改" in got.review["t3.new.natural"]
    assert check(got, severity=ERROR)


def test_a_forged_part_of_our_kind_changes_nothing_read(tmp_path):
    report = _load()
    path = export_report(report, tmp_path / "r.docx", force=True)
    payload = _payload(path)
    payload["cells"] = {cid: "blank" for cid in payload["cells"]}  # claims every cell was blank
    payload["format"] = "gov-2021"
    out = _rewrite_part(path, tmp_path / "forged.docx", json.dumps(payload))
    got = open_report(out)
    for cid in FMT.cells:
        assert got.values.get(cid) == report.values.get(cid), cid
    assert got.meta == report.meta and got.sections == report.sections


def test_title_and_date_messages_show_the_old_text(tmp_path):
    report = _load()
    path = export_report(report, tmp_path / "r.docx", force=True)
    doc = Document(str(path))
    for r in doc.paragraphs[0].runs:
        r.text = r.text.replace("2024", "2023")
    date = [p for p in doc.paragraphs if p.style.name == "落款"][-1]
    date.runs[0].text = "2025年2月3日"
    for r in date.runs[1:]:
        r.text = ""
    doc.save(tmp_path / "e.docx")
    got = open_report(tmp_path / "e.docx")
    assert got.review["title"] == ("在 Word 中修改：标题原为“平桥区民政局2024年政府信息公开工作年度报告”，"
                                   "现为“平桥区民政局2023年政府信息公开工作年度报告”")
    assert got.review["meta.date"] == "在 Word 中修改：成文日期原为“2025年1月20日”，现为“2025年2月3日”"


def test_an_opening_edited_in_word_stays_the_opening(tmp_path):
    report = _load()
    path = export_report(report, tmp_path / "r.docx", force=True)
    doc = Document(str(path))
    opening = next(p for p in doc.paragraphs if p.text.startswith("根据《中华人民共和国政府信息公开条例》"))
    opening.runs[0].text = "本报告依据《条例》编制，统计期限为2024年1月1日至12月31日。"
    for r in opening.runs[1:]:
        r.text = ""
    doc.save(tmp_path / "e.docx")
    got = open_report(tmp_path / "e.docx")
    assert got.meta.opening == "本报告依据《条例》编制，统计期限为2024年1月1日至12月31日。"
    assert got.sections["s1"] == report.sections["s1"]
    assert "开头段落" in got.review["opening"] and "本报告依据" in got.review["opening"]
    # printed again exactly as written
    again = export_report(got, tmp_path / "again.docx", force=True)
    printed = [p.text for p in Document(str(again)).paragraphs]
    assert "本报告依据《条例》编制，统计期限为2024年1月1日至12月31日。" in printed
    # unchanged: the standard opening reads back as "" (the format's standard wording)
    assert open_report(path).meta.opening == ""


def test_our_docx_is_read_without_python_docx_and_parsed_once(tmp_path):
    """Reading our DOCX back opens no python-docx Document (which parsed every style part, twice) and parses
    word/document.xml once for our reading (the importer's ZIP guard reads it once more, unparsed)."""
    import subprocess
    import sys
    path = export_report(_load(), tmp_path / "r.docx", force=True)
    code = (
        "import sys, zipfile\n"
        "from lxml import etree\n"
        "parsed = []\n"
        "real = etree.fromstring\n"
        "def spy(data, *a, **k):\n"
        "    parsed.append(len(data))\n"
        "    return real(data, *a, **k)\n"
        "etree.fromstring = spy\n"
        "from app.documents import open_report\n"
        f"r = open_report(r'{path}')\n"
        "print('DOCX', 'docx' in sys.modules, 'PARSED', len([n for n in parsed if n > 20000]), r.meta.organ)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert "DOCX False PARSED 1 平桥区民政局" in out.stdout, out.stdout + out.stderr
