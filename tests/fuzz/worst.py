"""The worst small inputs found so far, and a harness that runs one in a child process with budgets.

Each case is a small file that used to cost minutes or gigabytes. ``measure(path, op)`` opens it in a fresh
Python process (``op`` ``open``: ``open_report``; ``check``: open, then every rule with the file as last year's
report too) and returns the seconds and the peak memory growth of that step, and how it ended. The child runs
under an address-space limit, so an input that explodes ends with a ``MemoryError`` instead of taking the machine.

Shared by ``tests/test_bounded_work.py`` (budgets) and ``bench/bench_worst_cases.py`` (before/after table).
"""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

# ---------------------------------------------------------------------------------------------------------
# the cases: name -> (suffix, function returning the file's bytes)


def project_bytes(values=None, sections=None, **extra) -> bytes:
    data = {"format": "gov-2021", "meta": {"organ": "某某县民政局", "year": 2023},
            "values": values or {}, "sections": sections or {}}
    data.update(extra)
    return json.dumps(data, ensure_ascii=False).encode()


def huge_exponent() -> bytes:
    """A 9-byte number: ``1e999999999`` as a count."""
    return project_bytes().replace(b'"values": {}', b'"values": {"t3.new.natural": 1e999999999}')


def huge_exponent_fee() -> bytes:
    return project_bytes().replace(b'"values": {}', b'"values": {"t2.fees.amount": 1e999999999}')


def long_digits() -> bytes:
    """A count written with 100 000 digits (as a JSON number and as text)."""
    digits = b"9" * 100_000
    return project_bytes().replace(b'"values": {}', b'"values": {"t3.new.natural": ' + digits
                                   + b', "t3.new.commercial": "' + digits + b'"}')


def long_narrative() -> bytes:
    """A narrative of 80 000 characters full of years and numbers (every rule on text has work to do)."""
    unit = "2019年收到申请3件，较2018年增加。《2017年规定》"
    text = (unit * (80_000 // len(unit) + 1))[:80_000]
    return project_bytes(values={"t3.new.total": 3}, sections={"s1": text, "s5": text[::-1], "s6": text})


def narrative_8m() -> bytes:
    """A narrative of 8 million characters (24 MB of UTF-8), checked against last year's (itself)."""
    import random
    rng = random.Random(0)
    text = "".join(chr(rng.randint(0x4E00, 0x9FA5)) + rng.choice(["。", "2019年", "收到申请3件", "，", "x"])
                   for _ in range(2_000_000))
    return project_bytes(values={"t3.new.total": 3}, sections={"s1": text})


def html_open_quotes() -> bytes:
    """20 000 tags whose attribute quote never closes."""
    return ("<html><body><p>报告</p>" + '<a href="' * 20_000).encode()


def html_open_comments() -> bytes:
    return ("<html><body><p>报告</p>" + "<!--<p>" * 20_000).encode()


def mht(header: bytes) -> bytes:
    return (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"B\"\r\n\r\n--B\r\n" + header
            + b"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n<html><body><p>x</p></body></html>\r\n--B--\r\n")


def mht_encoded_words() -> bytes:
    """100 000 RFC 2047 encoded words in one header."""
    return mht(b'Content-Type: text/html; charset=utf-8; name="' + b"=?utf-8?q?a?= " * 100_000 + b'"')


def mht_parameters() -> bytes:
    """50 000 parameters in the part's Content-Type header."""
    return mht(b"Content-Type: text/html; charset=utf-8" + b"; a=b" * 50_000)


def _xlsx(sheet_xml: bytes) -> bytes:
    from openpyxl import Workbook
    buf = io.BytesIO()
    Workbook().save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            body = sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else src.read(item.filename)
            z.writestr(item.filename, body)
    return out.getvalue()


_SHEET = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
          b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData>%s</worksheet>')


def xlsx_merged_sheet() -> bytes:
    """One merged range covering the whole sheet."""
    return _xlsx(_SHEET % b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')


def xlsx_far_cell() -> bytes:
    """A workbook exported by the program with one more cell, XFD1048576, in its bookkeeping sheet: the sheet's
    extent becomes 17 billion cells."""
    import random
    from app.export.xlsx import render_xlsx
    from fuzz.docs import random_report
    src = zipfile.ZipFile(io.BytesIO(render_xlsx(random_report(random.Random(3)))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            body = src.read(item.filename)
            if b"_nianbao" in src.read("xl/workbook.xml") and item.filename == _meta_sheet_part(src):
                body = body.replace(b"</sheetData>", b'<row r="1048576"><c '
                                                     b'r="XFD1048576"><v>1</v></c></row></sheetData>')
            z.writestr(item.filename, body)
    return out.getvalue()


def _meta_sheet_part(z: zipfile.ZipFile) -> str:
    """The part of the last worksheet (the program writes its bookkeeping sheet last)."""
    sheets = sorted((n for n in z.namelist() if n.startswith("xl/worksheets/sheet")),
                    key=lambda n: int(re.sub(r"\D", "", n) or 0))
    return sheets[-1]


def docx_long_paragraph() -> bytes:
    """A Word document whose body is one paragraph of 8 million characters (random, so it compresses like text)."""
    import random

    from docx import Document
    buf = io.BytesIO()
    Document().save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    rng = random.Random(0)
    words = "".join(chr(rng.randint(0x4E00, 0x9FA5)) + rng.choice("0123456789年件") for _ in range(4_000_000))
    body = ("<w:document "
            "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>"
            + "</w:t></w:r><w:r><w:t>".join(words[i:i + 1000] for i in range(0, len(words), 1000))
            + "</w:t></w:r></w:p></w:body></w:document>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            z.writestr(item.filename, body if item.filename == "word/document.xml" else src.read(item.filename))
    return out.getvalue()


def html_many_paragraphs() -> bytes:
    """Two million one-character paragraphs (the largest page allowed is 16 MB)."""
    return ("<html><body>" + "<p>x" * 2_000_000).encode()


def text_many_lines() -> bytes:
    """Eight million one-character lines."""
    return "x\n".encode() * 8_000_000


def docx_many_paragraphs(n: int = 700_000) -> bytes:
    """A Word document with 700 000 short paragraphs whose text does not repeat (so it compresses like text)."""
    import random

    from docx import Document
    buf = io.BytesIO()
    Document().save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    rng = random.Random(0)
    body = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            + "".join(f"<w:p><w:r><w:t>{rng.randint(0, 99999)}</w:t></w:r></w:p>" for _ in range(n))
            + "</w:body></w:document>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            z.writestr(item.filename, body if item.filename == "word/document.xml" else src.read(item.filename))
    return out.getvalue()


def html_99k_paragraphs() -> bytes:
    """Just under the limit of paragraphs (what the recogniser must then cope with)."""
    return ("<html><body>" + "<p>本机关收到申请" * 99_000).encode()


def text_long_line() -> bytes:
    """A text page that is one line of 5 million characters with a number at the end of every word."""
    return ("全年收到申请 3 " * 600_000).encode()


def text_numbers_line() -> bytes:
    """A text page that is one line of 10 MB of single digits separated by blanks: every word is number-like, so a
    reader looking for a table row's trailing numbers word by word walks all 5 million of them (QA: ~1 s per MB)."""
    return ("3 " * 5_000_000).encode()


CASES = {
    "number-1e999999999": (".nianbao", huge_exponent, "open"),
    "fee-1e999999999": (".nianbao", huge_exponent_fee, "open"),
    "number-100000-digits": (".nianbao", long_digits, "open"),
    "narrative-80000": (".nianbao", long_narrative, "check"),
    "narrative-8M": (".nianbao", narrative_8m, "check"),
    "html-20000-open-quotes": (".html", html_open_quotes, "open"),
    "html-20000-open-comments": (".html", html_open_comments, "open"),
    "mht-100000-encoded-words": (".mht", mht_encoded_words, "open"),
    "mht-50000-parameters": (".mht", mht_parameters, "open"),
    "xlsx-merged-whole-sheet": (".xlsx", xlsx_merged_sheet, "open"),
    "xlsx-far-cell": (".xlsx", xlsx_far_cell, "open"),
    "docx-8M-paragraph": (".docx", docx_long_paragraph, "open"),
    "text-5M-line": (".txt", text_long_line, "open"),
    "text-10M-numbers-line": (".txt", text_numbers_line, "open"),
    "html-2M-paragraphs": (".html", html_many_paragraphs, "open"),
    "html-99k-paragraphs": (".html", html_99k_paragraphs, "open"),
    "text-8M-lines": (".txt", text_many_lines, "open"),
    "docx-700k-paragraphs": (".docx", docx_many_paragraphs, "open"),
    "docx-160k-paragraphs": (".docx", lambda: docx_many_paragraphs(160_000), "open"),
}


def write_case(name: str, folder: Path) -> Path:
    suffix, make, _ = CASES[name]
    path = Path(folder) / f"{name}{suffix}"
    path.write_bytes(make())
    return path


# ---------------------------------------------------------------------------------------------------------
# the harness

_CHILD = r"""
import json, resource, sys, time
limit = int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from pathlib import Path
import email, email.policy, html.parser, lxml.etree, openpyxl, docx  # what any importer may load
from app.documents import OpenError, open_report
from app.rules import check
import app.importers
path, op = Path(sys.argv[1]), sys.argv[2]
def status(key):
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith(key + ":"))
try:  # reset the peak (VmHWM) so that only the step below counts
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    base, peak_of = status("VmRSS"), lambda: status("VmHWM")
except OSError:
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_of = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
try:
    report = open_report(path)
    outcome = "opened"
    if op == "check":
        check(report, report)
        outcome = "checked"
    msg = ""
except OpenError as e:
    outcome, msg = "refused", str(e)
except MemoryError:
    outcome, msg = "MemoryError", ""
except Exception as e:
    outcome, msg = type(e).__name__, str(e)[:300]
seconds = time.perf_counter() - t
peak = peak_of()
print(json.dumps({"seconds": seconds, "mb": (peak - base) / 1024, "outcome": outcome, "message": msg[:300]}))
"""


def measure(path, op: str = "open", kill_after: float = 90, address_space_mb: int = 4096,
            pythonpath: str | None = None) -> dict:
    """Seconds and peak memory growth (MB) of opening (and checking) ``path`` in a fresh process.

    ``outcome`` is ``opened``/``checked``, ``refused`` (an OpenError with ``message``), ``MemoryError``, another
    exception's name, or ``killed`` when the child ran past ``kill_after`` seconds."""
    env = dict(os.environ, PYTHONPATH=pythonpath or str(ROOT), PYTHONDONTWRITEBYTECODE="1")
    cmd = [sys.executable, "-c", _CHILD, str(path), op, str(address_space_mb * 1024 * 1024)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=kill_after, env=env,
                             cwd=tempfile.gettempdir())  # not the checkout: "-c" puts the cwd first on sys.path
    except subprocess.TimeoutExpired:
        return {"seconds": kill_after, "mb": float("nan"), "outcome": "killed", "message": ""}
    lines = out.stdout.strip().splitlines()
    if out.returncode != 0 or not lines:
        return {"seconds": float("nan"), "mb": float("nan"), "outcome": f"crashed rc={out.returncode}",
                "message": out.stderr[-300:]}
    return json.loads(lines[-1])
