"""app.export.rl: reportlab imported with its URL pattern compiled on first use — the pattern still works exactly
as reportlab's own, and nothing else of ``re`` is changed."""
from __future__ import annotations

import subprocess
import sys



from conftest import ROOT

CHILD = r"""
import re, sys
real = re.compile
import app.export.pdf
from app.export.rl import Deferred
from reportlab.platypus import paragraph
assert re.compile is real, "re.compile left replaced"
assert isinstance(paragraph.uri_pat, Deferred), type(paragraph.uri_pat)
assert paragraph.uri_pat._pattern is None  # not compiled by the import
own = real(paragraph.uri_pat._args[0], paragraph.uri_pat._args[1])
for text in ["https://www.gov.cn/zhengce/content/2021-12/22/content_5663795.htm", "ftp://a.b", "http://[::1]:80/x",
             "http://192.168.0.1/", "mailto:x", "吴忠市民政局", "http://例子.中国/路径", "HTTP://WWW.GOV.CN", ""]:
    a, b = paragraph.uri_pat.match(text), own.match(text)
    assert (a and a.groups()) == (b and b.groups()), text
assert (paragraph.uri_pat.pattern, paragraph.uri_pat.flags) == (own.pattern, own.flags)
# reportlab's own use of it: splitting a long URL (what <a href> text goes through)
assert paragraph._slash_parts("https://www.gov.cn/zhengce/content/x.htm", "/", "/") is not None \
    if hasattr(paragraph, "_slash_parts") else True
from reportlab.lib import textsplit
assert isinstance(textsplit.rx, Deferred)
own_rx = real(textsplit.rx._args[0], textsplit.rx._args[1])
for text in ["ab中文c", "政府信息公开", "abc", "（一）予以公开", ""]:
    assert textsplit.rx.split(text) == own_rx.split(text)
print("OK")
"""


def test_reportlab_url_pattern_is_deferred_and_unchanged():
    proc = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0 and proc.stdout.strip() == "OK", proc.stderr


def test_a_pdf_export_does_not_load_pillows_image_module(tmp_path):
    """reportlab imports PIL.Image for bitmaps; the report has none, so Pillow's Image module (and the EXIF enums
    it builds) is never executed by a PDF export — yet stays usable for code that draws images."""
    import subprocess
    import sys
    code = (
        "import sys\n"
        "from app import project\n"
        "from app.export import export_report\n"
        f"export_report(project.load('tests/fixtures/pingqiao-minzheng-2024.nianbao'), r'{tmp_path / 'x.pdf'}',"
        " force=True)\n"
        "print('EXIF', 'PIL.ExifTags' in sys.modules)\n"
        "from PIL import Image\n"
        "print('SIZE', Image.new('RGB', (3, 2)).size)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert "EXIF False" in out.stdout and "SIZE (3, 2)" in out.stdout, out.stdout + out.stderr


def test_pdf_streams_deflated_at_the_chosen_level_and_readable(load_fixture):
    """reportlab's streams go through our zlib level (DEFLATE_LEVEL), and the file still reads back whole."""
    import io
    import zlib

    from pypdf import PdfReader

    from app.export import pdf as P
    from app.export import rl
    from reportlab.pdfbase import pdfdoc
    assert isinstance(pdfdoc.zlib, rl._Deflate) and pdfdoc.zlib.decompress is zlib.decompress
    data = b"\x00\x01" * 5000 + bytes(range(256)) * 40
    assert pdfdoc.zlib.compress(data) == zlib.compress(data, rl.DEFLATE_LEVEL) != zlib.compress(data)
    report = load_fixture("wuzhong-minzheng-2023")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(P.render_pdf(report))).pages)
    assert "吴忠市民政局" in text and len(text) > 2000


def test_tables_laid_out_once_per_width_print_what_reportlab_prints(load_fixture, monkeypatch):
    """A table measured once per width (the last complete layout kept) puts every character and rule where
    reportlab's own Table, measuring at every wrap, puts it (a long narrative moves the tables to other pages and
    heights)."""
    import io

    import pdfplumber
    from reportlab.platypus import Table

    from app.export import pdf as P

    def marks(pdf: bytes):
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            return [sorted((c["text"], round(c["x0"], 2), round(c["top"], 2)) for c in page.chars) +
                    sorted((round(r["x0"], 2), round(r["top"], 2), round(r["x1"], 2), round(r["bottom"], 2))
                           for r in page.lines + page.rects) for page in doc.pages]

    report = load_fixture("wuzhong-minzheng-2023")
    report.sections["s1"] += "\n" + "政" * 300  # table 3 further down the page
    memo = marks(P.render_pdf(report))
    monkeypatch.setattr(P, "_memo_table_class", lambda table: table)
    assert P._memo_table_class(Table) is Table
    assert memo == marks(P.render_pdf(report))
