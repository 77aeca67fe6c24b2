"""Untrusted files: each gets a Chinese message (OpenError), in bounded memory, and never a project file."""
import random
import tracemalloc
import zipfile

import pytest

from app.documents import OpenError, open_report
from conftest import is_chinese_message
from fuzz.docs import docx_from_report, random_report, text_from_report


@pytest.fixture(scope="module")
def good_docx(tmp_path_factory):
    return docx_from_report(random_report(random.Random(1)), tmp_path_factory.mktemp("d") / "good.docx")


def refused(path, *words):
    with pytest.raises(OpenError) as e:
        open_report(path)
    msg = str(e.value)
    assert is_chinese_message(msg), msg
    for w in words:
        assert w in msg, msg
    return msg


def peak_memory(fn, *args) -> int:
    """Peak Python memory (bytes) while ``fn(*args)`` runs."""
    tracemalloc.start()
    try:
        fn(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def rezip(src, dst, replace: dict):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, replace.get(item.filename, zin.read(item.filename)))
    return dst


def test_truncated_docx(good_docx, tmp_path):
    data = good_docx.read_bytes()
    p = tmp_path / "cut.docx"
    p.write_bytes(data[: len(data) // 2])
    refused(p, "损坏")


def test_not_a_zip_and_old_doc(tmp_path):
    p = tmp_path / "fake.docx"
    p.write_text("这不是 Word 文档", encoding="utf-8")
    refused(p, "不是有效的 Word")
    p2 = tmp_path / "old.docx"
    p2.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000)
    refused(p2, ".doc")
    p3 = tmp_path / "old.xlsx"
    p3.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000)
    refused(p3, ".xls")
    p4 = tmp_path / "empty.docx"
    p4.write_bytes(b"")
    refused(p4)


def test_zip_without_document(tmp_path):
    p = tmp_path / "x.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("hello.txt", "hi")
    refused(p, "document.xml")


def test_zip_bomb(good_docx, tmp_path):
    p = tmp_path / "bomb.docx"
    with zipfile.ZipFile(good_docx) as zin, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename != "word/document.xml":
                zout.writestr(item.filename, zin.read(item.filename))
        with zout.open("word/document.xml", "w") as fh:
            chunk = b" " * (1 << 20)
            fh.write(b'<?xml version="1.0"?><w:document xmlns:w="x">')
            for _ in range(120):
                fh.write(chunk)
    assert p.stat().st_size < 1 << 20
    peak = peak_memory(refused, p, "压缩炸弹")
    assert peak < 20 << 20


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    '<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE w SYSTEM "http://example.invalid/evil.dtd">',
])
def test_entities_refused(good_docx, tmp_path, doctype):
    with zipfile.ZipFile(good_docx) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    head, rest = xml.split("?>", 1)
    xml = head + "?>" + doctype + rest.replace("<w:t>", "<w:t>&d;", 1) if "&d;" not in rest else xml
    p = rezip(good_docx, tmp_path / "ent.docx", {"word/document.xml": xml.encode("utf-8")})
    refused(p, "DOCTYPE")


def test_entity_in_other_part_refused(good_docx, tmp_path):
    with zipfile.ZipFile(good_docx) as z:
        styles = z.read("word/styles.xml").decode("utf-8")
    head, rest = styles.split("?>", 1)
    p = rezip(good_docx, tmp_path / "ent2.docx",
              {"word/styles.xml": (head + '?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + rest).encode()})
    refused(p, "DOCTYPE")


def test_broken_xml(good_docx, tmp_path):
    p = rezip(good_docx, tmp_path / "bad.docx", {"word/document.xml": b"<?xml version='1.0'?><w:document"})
    refused(p, "损坏")


def test_huge_html_refused_quickly(tmp_path):
    p = tmp_path / "big.html"
    with open(p, "wb") as fh:
        fh.write(b"<html><body>" + b"<p>x</p>" * (50 * 1024 * 1024 // 8))
    peak = peak_memory(refused, p, "过大")
    assert peak < 1 << 20


def test_html_span_and_cell_bombs(tmp_path):
    p = tmp_path / "span.html"
    p.write_text('<table><tr><td rowspan="99999999" colspan="99999999">1</td></tr></table>', encoding="utf-8")
    refused(p)  # spans are clamped; no report tables
    p2 = tmp_path / "cells.html"
    p2.write_text("<table>" + ("<tr>" + "<td>1</td>" * 1000 + "</tr>") * 300 + "</table>", encoding="utf-8")
    refused(p2, "过多")


def test_text_encodings(tmp_path):
    r = random_report(random.Random(5))
    text = text_from_report(r)
    p = tmp_path / "u16.txt"
    p.write_bytes(text.encode("utf-16-le"))  # no BOM
    assert open_report(p).values == r.values
    p2 = tmp_path / "bin.txt"
    p2.write_bytes(bytes(range(256)) * 40)
    refused(p2)
    p3 = tmp_path / "latin.txt"
    p3.write_bytes("Ærø".encode("utf-8") + b"\xff\xfe\xfd" * 3 + "年报".encode("utf-8"))
    refused(p3)


def test_no_tables(tmp_path):
    p = tmp_path / "plain.txt"
    p.write_text("吴忠市民政局2023年政府信息公开工作年度报告\n一、总体情况\n我局认真贯彻落实条例。\n", encoding="utf-8")
    refused(p, "没有找到", "统计表格")
    p2 = tmp_path / "empty.html"
    p2.write_text("", encoding="utf-8")
    refused(p2)


def _t3_text(extra_col: bool, drop_total: bool) -> str:
    r = random_report(random.Random(8))
    lines = text_from_report(r, "tab").split("\n")
    out = []
    in_t3 = False
    for ln in lines:
        if ln.startswith("三、收到"):
            in_t3 = True
        if ln.startswith("四、政府"):
            in_t3 = False
        if in_t3 and "\t" in ln:
            cells = ln.split("\t")
            if extra_col:
                cells.insert(5, "0")
            if drop_total:
                cells = cells[:-1]
            ln = "\t".join(cells)
        out.append(ln)
    return "\n".join(out)


@pytest.mark.parametrize("extra_col, drop_total", [(True, False), (False, True)])
def test_extra_or_missing_columns(tmp_path, extra_col, drop_total):
    p = tmp_path / "cols.txt"
    p.write_text(_t3_text(extra_col, drop_total), encoding="utf-8")
    refused(p, "表三", "列数与标准格式不符")


def test_xlsx_guarded(tmp_path):
    p = tmp_path / "x.xlsx"
    p.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty, truncated archive
    refused(p)
