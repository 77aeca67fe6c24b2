"""Small hostile PDFs (and an Excel file) written from scratch: each is a few hundred bytes to a few MB and used to
hang the import, or take tens of seconds and gigabytes, before any limit was looked at.

Every PDF is written object by object with a correct cross-reference table, so pdfminer reads it as a real PDF.
Shared by ``tests/test_untrusted_pdf.py`` (budgets) and ``bench/bench_worst_cases.py`` (before/after table).
"""
from __future__ import annotations

import io
import zlib

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf(objects: list[bytes], root: int = 1, encrypt: int | None = None, id_: bytes | None = None) -> bytes:
    """A PDF whose object ``n`` (1-based) is ``objects[n-1]`` (the text between ``obj`` and ``endobj``)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    trailer = b"/Size %d /Root %d 0 R" % (len(objects) + 1, root)
    if encrypt:
        trailer += b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (encrypt, id_, id_)
    out.write(b"trailer\n<< " + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def stream(data: bytes, extra: bytes = b"", compress: bool = True) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def one_page(content: bytes, page_extra: bytes = b"", resources: bytes = b"<< /Font << /F1 4 0 R >> >>",
             more: list[bytes] = ()) -> bytes:
    """Catalog 1, pages 2, page 3, font 4, contents 5, then ``more`` from object 6 on."""
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources " + resources
                + b" /Contents 5 0 R" + page_extra + b" >>",
                FONT, stream(content), *more])


TEXT = b"BT /F1 12 Tf 72 760 Td (2023 annual report) Tj ET"


def ordinary() -> bytes:
    """A plain one-page PDF with a line of text (the floor)."""
    return one_page(TEXT)


def mediabox_self() -> bytes:
    """The page's /MediaBox is object 6, whose value is a reference to itself."""
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox 6 0 R /Resources << /Font << /F1 4 0 R >> >> "
                b"/Contents 5 0 R >>", FONT, stream(TEXT), b"6 0 R"])


def mediabox_two_step() -> bytes:
    """/MediaBox → 6 → 7 → 6."""
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox 6 0 R /Resources << /Font << /F1 4 0 R >> >> "
                b"/Contents 5 0 R >>", FONT, stream(TEXT), b"7 0 R", b"6 0 R"])


def contents_loop() -> bytes:
    """/Contents is object 5, whose value is a reference to itself."""
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
                b"/Contents 5 0 R >>", FONT, b"5 0 R"])


def contents_array_loop() -> bytes:
    """/Contents is an array that holds itself."""
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
                b"/Contents 5 0 R >>", FONT, b"[6 0 R 5 0 R]", stream(TEXT)])


def font_loop() -> bytes:
    """The font resource /F1 is object 4, whose value is a reference to itself."""
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
                b"/Contents 5 0 R >>", b"4 0 R", stream(TEXT)])


def font_dict_loop() -> bytes:
    """The /Font dictionary is object 6, whose value is a reference to itself."""
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font 6 0 R >> "
                b"/Contents 5 0 R >>", FONT, stream(TEXT), b"6 0 R"])


def font_widths_loop() -> bytes:
    """A font whose /Widths array holds itself (resolved recursively: a recursion error in pdfminer)."""
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
                b"/Contents 5 0 R >>",
                b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 32 /LastChar 33 /Widths 6 0 R >>",
                stream(TEXT), b"[500 6 0 R]"])


def kids_loop() -> bytes:
    """The page tree's /Kids holds the tree itself."""
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
                b"/Contents 5 0 R >>", FONT, stream(TEXT)])


def form_loop() -> bytes:
    """A form XObject that draws itself."""
    form = stream(b"/X1 Do " + TEXT, b" /Type /XObject /Subtype /Form /BBox [0 0 595 842]"
                  b" /Resources << /XObject << /X1 6 0 R >> /Font << /F1 4 0 R >> >>")
    return one_page(b"/X1 Do", resources=b"<< /XObject << /X1 6 0 R >> /Font << /F1 4 0 R >> >>", more=[form])


def many_characters(n: int = 990_000) -> bytes:
    """About 4 KB: one page whose compressed text shows ``n`` characters."""
    line = b"(" + b"8" * 1000 + b") Tj "
    return one_page(b"BT /F1 1 Tf 0 0 Td " + line * (n // 1000) + b"ET")


def flate_bomb(mb: int = 2048) -> bytes:
    """A content stream of ``mb`` MB of blanks compressed into about mb KB."""
    import struct
    head = b"BT /F1 12 Tf 72 760 Td (x) Tj ET "
    chunk = b" " * (1 << 20)
    z = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate; each chunk ends in a full flush, so every chunk
    first = z.compress(head) + z.flush(zlib.Z_FULL_FLUSH)  # compresses to the same bytes: compressed once
    block = z.compress(chunk) + z.flush(zlib.Z_FULL_FLUSH)
    end = z.flush(zlib.Z_FINISH)
    check = zlib.adler32(head)
    for _ in range(mb):
        check = zlib.adler32(chunk, check)
    data = b"\x78\xda" + first + block * mb + end + struct.pack(">I", check)
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
                b"/Contents 5 0 R >>", FONT,
                b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"])


def dense_pages(pages: int = 199) -> bytes:
    """``pages`` pages each drawing a ruled 40 × 12 grid of cells with a number in each (what table finding chews
    on)."""
    ops = [b"0.5 w"]
    for r in range(41):
        ops.append(b"40 %d m 555 %d l S" % (800 - 18 * r, 800 - 18 * r))
    for c in range(13):
        ops.append(b"%d 800 m %d 80 l S" % (40 + 43 * c - c // 13, 40 + 43 * c - c // 13))
    ops.append(b"BT /F1 8 Tf")
    for r in range(40):
        for c in range(12):
            ops.append(b"1 0 0 1 %d %d Tm (%d) Tj" % (44 + 43 * c, 786 - 18 * r, r * 12 + c))
    ops.append(b"ET")
    content = stream(b"\n".join(ops))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (5 + i) for i in range(pages)), pages),
            FONT, content]
    for _ in range(pages):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                    b"/Contents 4 0 R >>")
    return pdf(objs)


def text_objects(n: int = 200_000) -> bytes:
    """One page with ``n`` text objects of one character each."""
    return one_page(b"\n".join(b"BT /F1 9 Tf %d %d Td (%d) Tj ET" % (20 + (i % 50) * 11, 20 + (i // 50) % 70 * 11,
                                                                        i % 10) for i in range(n)))


def encrypted() -> bytes:
    """Protected by an open password (RC4, 40 bits) — made with pypdf when it is there."""
    from pypdf import PdfReader, PdfWriter
    w = PdfWriter()
    w.append(PdfReader(io.BytesIO(ordinary())))
    w.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-40")
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def nul_bytes(n: int = 524_288) -> bytes:
    return b"\x00" * n


def xlsx_unused_shared_strings(mb: int = 30) -> bytes:
    """An ordinary workbook plus a shared-strings part of ``mb`` MB of strings no cell uses."""
    import zipfile
    from openpyxl import Workbook
    buf = io.BytesIO()
    wb = Workbook()
    wb.active["A1"] = "x"
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    import base64
    import hashlib
    n = mb * 1024 * 1024 // 40
    # random words: compresses like text, not like a bomb
    words = base64.b32encode(hashlib.shake_128(b"nianbao").digest(15 * n))
    items = [b"<si><t>" + words[24 * i:24 * i + 24] + b"</t></si>" for i in range(n)]
    sst = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
           b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (len(items), len(items)) + b"".join(items)
           + b"</sst>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "[Content_Types].xml" and b"sharedStrings" not in body:
                body = body.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            if info.filename == "xl/_rels/workbook.xml.rels" and b"sharedStrings" not in body:
                body = body.replace(b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats'
                                    b'.org/officeDocument/2006/relationships/sharedStrings" '
                                    b'Target="sharedStrings.xml"/>'
                                    b"</Relationships>")
            if info.filename != "xl/sharedStrings.xml":
                z.writestr(info.filename, body)
        z.writestr("xl/sharedStrings.xml", sst, compresslevel=1)
    return out.getvalue()


# name -> (suffix, maker): each hung, ran for tens of seconds or took gigabytes before
CASES = {
    "pdf-mediabox-self": (".pdf", mediabox_self),
    "pdf-mediabox-two-step": (".pdf", mediabox_two_step),
    "pdf-contents-loop": (".pdf", contents_loop),
    "pdf-contents-array-loop": (".pdf", contents_array_loop),
    "pdf-font-loop": (".pdf", font_loop),
    "pdf-font-dict-loop": (".pdf", font_dict_loop),
    "pdf-font-widths-loop": (".pdf", font_widths_loop),
    "pdf-kids-loop": (".pdf", kids_loop),
    "pdf-form-draws-itself": (".pdf", form_loop),
    "pdf-990000-characters": (".pdf", many_characters),
    "pdf-flate-bomb": (".pdf", flate_bomb),
    "pdf-199-dense-pages": (".pdf", dense_pages),
    "pdf-200000-text-objects": (".pdf", text_objects),
    "xlsx-30MB-unused-shared-strings": (".xlsx", xlsx_unused_shared_strings),
}
