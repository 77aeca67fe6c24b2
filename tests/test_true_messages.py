"""Messages are Chinese and true to the cause: a password is called a password, not damage; no English of a
library (pdfminer, lxml, openpyxl, the system), no full path and no log line reaches the clerk; a file of zero
bytes is not described as a long line; an unused 30 MB shared-strings part is refused before openpyxl reads it."""
import errno
import os
import random
import subprocess
import sys
import zipfile

import pytest

from app.documents import OpenError, open_report
from app.messages import exception_text, os_error_text
from conftest import ROOT, is_chinese_message
from fuzz.docs import docx_from_report, random_report
from fuzz.worst import measure

ENGLISH = ["password", "recursion", "allocate", "entity", "amplification", "permission denied", "no such file",
           "there is no item", "traceback", "error", "exception", "warning", "execute called"]


def english_in(text: str) -> list[str]:
    low = text.lower()
    return [w for w in ENGLISH if w in low]


def refused(path) -> str:
    with pytest.raises(OpenError) as e:
        open_report(path)
    msg = str(e.value)
    assert is_chinese_message(msg), msg
    assert not english_in(msg), msg
    assert str(path.parent) not in msg, msg  # a name, never the full path
    return msg


def test_password_protected_pdf_says_password(tmp_path):
    import pypdf  # noqa: F401  (required by the test extra)
    from fuzz.hostile_pdf import encrypted
    p = tmp_path / "r.pdf"
    p.write_bytes(encrypted())
    msg = refused(p)
    assert "密码" in msg and "损坏" not in msg


def test_pdfplumber_wrapping_the_password_error_is_still_a_password():
    """pdfplumber wraps pdfminer's password error in its own exception: the cause is found inside."""
    import pypdf  # noqa: F401  (required by the test extra)
    import io

    import pdfplumber

    from fuzz.hostile_pdf import encrypted
    with pytest.raises(Exception) as e:
        pdfplumber.open(io.BytesIO(encrypted()))
    assert type(e.value).__name__ != "PDFPasswordIncorrect"  # wrapped
    assert "密码" in exception_text(e.value)


def test_a_file_of_zero_bytes_is_not_text(tmp_path):
    p = tmp_path / "nul.txt"
    p.write_bytes(b"\x00" * 524_288)
    msg = refused(p)
    assert "不是文字文件" in msg and "个字符" not in msg


@pytest.mark.parametrize("exc,words", [
    (RecursionError("maximum recursion depth exceeded"), "嵌套过深"),
    (MemoryError("Unable to allocate output buffer."), "内存不足"),
    (PermissionError(errno.EACCES, "Permission denied", "/home/clerk/报告/机密.docx"), "没有权限"),
    (FileNotFoundError(errno.ENOENT, "No such file or directory", "/home/clerk/x.docx"), "不存在"),
    (OSError(errno.EIO, "Input/output error"), "磁盘读写错误"),
    (OSError(errno.EPIPE, "Broken pipe"), "EPIPE"),
])
def test_causes_are_named_in_chinese_without_the_system_text_or_path(exc, words):
    text = exception_text(exc)
    assert words in text and not english_in(text.replace("EPIPE", "")) and "/home/clerk" not in text, text
    if isinstance(exc, OSError):
        assert "/home" not in os_error_text(exc) and "Permission" not in os_error_text(exc)


def test_libxml2_entity_amplification_is_named():
    from lxml import etree
    doc = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">' + b"".join(
        b'<!ENTITY %s '
        b'"%s">' % (bytes([98 + i]), (b"&%s;" % bytes([97 + i])) * 10) for i in range(7)) + b"]><l>&h;&h;</l>"
    with pytest.raises(etree.XMLSyntaxError) as e:  # the real libxml2 refusal
        etree.fromstring(doc, etree.XMLParser(resolve_entities=False, huge_tree=True))
    assert "amplification" in str(e.value)
    assert "实体" in exception_text(e.value) and not english_in(exception_text(e.value))


def test_a_doctype_after_a_long_comment_is_refused_before_lxml(tmp_path):
    good = docx_from_report(random_report(random.Random(1)), tmp_path / "good.docx")
    with zipfile.ZipFile(good) as z:
        xml = z.read("word/document.xml")
    head, rest = xml.split(b"?>", 1)
    bomb = (b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">' + b"".join(
        b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&%s;" % bytes([97 + i])) * 10) for i in range(7)) + b"]>")
    xml = head + b"?><!--" + b"x" * 200_000 + b"-->" + bomb + rest.replace(b"<w:t>", b"<w:t>&h;", 1)
    p = tmp_path / "late-doctype.docx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, xml if item.filename == "word/document.xml" else zin.read(item.filename))
    assert "DOCTYPE" in refused(p)


def test_openpyxl_failure_is_chinese_without_its_message(tmp_path):
    from openpyxl import Workbook
    src = tmp_path / "src.xlsx"
    Workbook().save(src)
    p = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(p, "w") as zout:
        for item in zin.infolist():
            if item.filename != "xl/workbook.xml":
                zout.writestr(item.filename, zin.read(item.filename))
    msg = refused(p)
    assert "Excel" in msg


def test_no_pdfminer_log_line_on_the_console(tmp_path):
    from fuzz.hostile_pdf import contents_array_loop
    p = tmp_path / "odd.pdf"
    p.write_bytes(contents_array_loop())
    r = subprocess.run([sys.executable, "-m", "app.cli", "import", str(p), "-o", str(tmp_path / "o.nianbao")],
                       cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120, env={**os.environ})
    assert r.returncode == 2
    for line in (r.stdout + r.stderr).splitlines():
        assert is_chinese_message(line.lstrip("✗ ")), line


def test_unused_30mb_shared_strings_refused_within_budget(tmp_path):
    from fuzz.hostile_pdf import xlsx_unused_shared_strings
    p = tmp_path / "sst.xlsx"
    p.write_bytes(xlsx_unused_shared_strings())
    got = measure(p, "open", kill_after=60, address_space_mb=3000)
    assert got["outcome"] == "refused" and "共享文字表" in got["message"], got
    assert got["seconds"] < 15 and got["mb"] < 1500, got
    assert is_chinese_message(got["message"]), got


def _chinese(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 100:
        return (digits[n // 10] if n >= 20 else "") + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


def test_a_table_in_chinese_numerals_is_refused_for_that_reason_not_for_its_columns(tmp_path):
    """Copied out of a PDF (label, then numbers separated by blanks), the numbers written 零, 十三, 三十."""
    import re

    from fuzz.docs import text_from_report
    text = text_from_report(random_report(random.Random(3)), "spaces")
    text = re.sub(r"(?<=\s)\d{1,2}(?=\s|$)", lambda m: _chinese(int(m.group())), text)
    p = tmp_path / "汉字数字.txt"
    p.write_text(text, encoding="utf-8")
    msg = refused(p)
    assert "汉字数字" in msg and "阿拉伯数字" in msg and "列数" not in msg, msg
