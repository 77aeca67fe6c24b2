"""Limits on a PDF that act before pdfplumber builds anything: the first thing the PDF import does.

pdfminer (under pdfplumber) trusts the file's object graph: a value that refers to itself (``6 0 obj 6 0 R``) makes
its ``resolve1`` loop forever, an array that holds itself makes its ``resolve_all`` recurse until Python gives up,
a compressed stream is inflated whole into memory, and every character and line becomes a Python object (about
50 µs and 2 KB each). So before any of that, :func:`guard_pdf` reads the file the cheap way and refuses it, with a
Chinese message naming what is wrong, when:

* a stream inflates beyond :data:`MAX_STREAM_BYTES` (all streams together :data:`MAX_ALL_STREAM_BYTES`) — counted
  by inflating the raw bytes in pieces and throwing them away, before pdfminer decodes anything;
* the file holds more than :data:`MAX_OBJECTS` objects, or the page tree more than :data:`MAX_PAGES` pages;
* a reference leads back to itself where pdfminer or pdfplumber would follow it without end (the page tree, a
  page's boxes, contents and resources, fonts and their widths, form XObjects drawing themselves), or a value
  expands to more than :data:`MAX_EXPANDED` parts when resolved whole;
* one page shows more than :data:`MAX_PAGE_CHARS` characters, :data:`MAX_PAGE_TEXT_OBJECTS` text objects or
  :data:`MAX_PAGE_PATH_OPS` drawing operations;
* the pages' content (page streams, and the forms they draw, as often as they draw them) is larger than
  :data:`MAX_CONTENT_BYTES` inflated, shows more than :data:`MAX_CHARS` characters, has more than
  :data:`MAX_TEXT_OBJECTS` text objects or more than :data:`MAX_PATH_OPS` drawing operations;
* it is protected by an open password (said as such — not "damaged").

The counts are upper estimates taken on the content's bytes (one character per byte of a string operand), so a
real report is far below each limit: the published reports we have need under 1/10 of each.
"""
from __future__ import annotations

import logging
import re
import zlib
from pathlib import Path

from .base import ImportFailed, where_label

# pdfminer reports what it skips in a damaged file as log records; with no handler Python would print them (in
# English) on the clerk's console: the reader's own message says what matters.
logging.getLogger("pdfminer").addHandler(logging.NullHandler())
logging.getLogger("pdfminer").propagate = False

MAX_STREAM_BYTES = 64 * 1024 * 1024  # one stream inflated (a full-page image at 300 dpi is ~25 MB)
MAX_ALL_STREAM_BYTES = 256 * 1024 * 1024  # all streams of the file inflated
MAX_OBJECTS = 200_000  # objects in the cross-reference tables (a 20-page report: a few hundred to a few thousand)
MAX_PAGES = 100  # a report has 5-20 pages; pdfplumber needs up to ~0.7 s for a dense one (the import stops at 8 s)
MAX_EXPANDED = 100_000  # parts of one value resolved whole (a page box: 4)
MAX_DEPTH = 100  # arrays and dictionaries inside each other in one value (resolved recursively by pdfplumber)
MAX_CONTENT_BYTES = 16 * 1024 * 1024  # page content inflated, all pages (a dense report page: ~50 KB)
MAX_CHARS = 200_000  # characters shown, all pages (a 20-page report: ~30 000)
# BT … ET blocks, all pages (LibreOffice writes one per line or run, some tools one per glyph)
MAX_TEXT_OBJECTS = 100_000
MAX_PATH_OPS = 100_000  # m/l/c/v/y/re operators, all pages (a ruled table: a few hundred)
# one page (pdfplumber's work on a page grows faster than its characters: 6 000 overlapping ones take ~2 s)
MAX_PAGE_CHARS = 5_000  # a dense A4 page of 五号 text: ~2 000
MAX_PAGE_TEXT_OBJECTS = 5_000
MAX_PAGE_PATH_OPS = 5_000  # a page of ruled table: a few hundred
MAX_FORM_DEPTH = 12  # form XObjects drawn inside forms

_STREAM = re.compile(rb"stream\r?\n")
_ENDSTREAM = b"endstream"
_LITERAL = re.compile(rb"\((?:[^()\\]|\\.)*\)", re.S)
_HEX = re.compile(rb"<[0-9A-Fa-f\s]*>")
_BT = re.compile(rb"(?<![A-Za-z0-9_*'\"])BT(?![A-Za-z0-9_*'\"])")
_PATH = re.compile(rb"(?<![A-Za-z0-9_*'\"/])(?:re|m|l|c|v|y)(?![A-Za-z0-9_*'\"])")
_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do(?![A-Za-z0-9_])")
_BOX_KEYS = ("MediaBox", "CropBox", "BleedBox", "TrimBox", "ArtBox", "Rotate")
_INHERITED = ("Resources", "MediaBox", "CropBox", "Rotate")


class _Refused(Exception):
    """What the guard found, in Chinese, without the file name (added by :func:`guard_pdf`)."""


def guard_pdf(path: Path, raw: bytes | None = None) -> None:
    """Raise :class:`ImportFailed` when ``path`` exceeds a limit above or is built to make the reader loop."""
    if raw is None:
        with open(path, "rb") as fh:
            raw = fh.read()
    try:
        _inflated_sizes(raw)
        _walk(path)
    except _Refused as e:
        raise ImportFailed(f"{where_label(path)}{e}") from None
    except RecursionError:
        raise ImportFailed(f"{where_label(path)}的内部结构嵌套过深或循环引用自身，无法读取，已停止。") from None
    except MemoryError:
        raise ImportFailed(f"{where_label(path)}的内部结构异常庞大，读取时内存不足，已停止。") from None


# --- streams, on the raw bytes ---------------------------------------------------------------------------------

def _inflated_sizes(raw: bytes) -> None:
    """Inflate every stream that looks compressed, piece by piece without keeping the output, and refuse one that
    grows beyond :data:`MAX_STREAM_BYTES` (all: :data:`MAX_ALL_STREAM_BYTES`) — a "Flate bomb" of 2 MB inflates to
    2 GB, which pdfminer would hold in memory at once."""
    total = 0
    pos = 0
    while True:
        m = _STREAM.search(raw, pos)
        if m is None:
            return
        start = m.end()
        end = raw.find(_ENDSTREAM, start)
        if end < 0:
            end = len(raw)
        pos = max(end, start)
        if m.start() >= 3 and raw[m.start() - 3:m.start()] == b"end":
            continue  # "endstream" itself
        data = raw[start:end]
        if len(data) < 2 or (data[0] & 0x0F) != 8 or ((data[0] << 8) | data[1]) % 31:
            continue  # not a zlib header: stored, image or other filter — pdfminer does not inflate it
        size = _inflated_size(data, MAX_STREAM_BYTES + 1)
        total += size
        if size > MAX_STREAM_BYTES or total > MAX_ALL_STREAM_BYTES:
            raise _Refused(f"中有一段压缩数据解压后异常巨大（超过 {max(size, total) // 1048576} MB，"
                           f"上限 {MAX_STREAM_BYTES // 1048576} MB），疑似“压缩炸弹”，拒绝读取。")


def _inflated_size(data: bytes, limit: int) -> int:
    z = zlib.decompressobj()
    size = 0
    rest = data
    try:
        while True:
            out = z.decompress(rest, 1 << 20)
            size += len(out)
            if size >= limit or z.eof or not out:  # not out: it needs more input than the stream has
                break
            rest = z.unconsumed_tail
    except zlib.error:
        pass  # damaged: pdfminer stops at the same place
    return size


# --- the object graph, with pdfminer's parser (no decoding, no layout) ------------------------------------------

def _walk(path: Path) -> None:
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser
    from pdfminer.psparser import PSException

    with open(path, "rb") as fh:
        try:
            doc = PDFDocument(PDFParser(fh))
        except PDFPasswordIncorrect:
            raise _Refused("设有打开密码，无法读取。请向发布机关索取未加密的文件，或在 PDF 阅读器中输入密码后"
                           "“另存为”不加密的 PDF，再导入。") from None
        except PDFEncryptionError:
            raise _Refused("经过加密，本程序无法读取。请在 PDF 阅读器中“另存为”不加密的 PDF 后再导入。") from None
        except (PSException, ValueError, TypeError, KeyError, AttributeError, IndexError, EOFError):
            return  # damaged: pdfplumber's own open gives the message
        objects = 0
        for xref in doc.xrefs:
            try:
                objects += sum(1 for _ in xref.get_objids())
            except Exception:  # noqa: BLE001 — a damaged table: pdfminer falls back to scanning the file
                continue
            if objects > MAX_OBJECTS:
                raise _Refused(f"包含超过 {MAX_OBJECTS} 个内部对象，年度报告只有几百到几千个，不像是年度报告，"
                               "已停止读取。")
        _Graph(doc).check()


class _Graph:
    def __init__(self, doc):
        from pdfminer.pdftypes import PDFObjRef, PDFStream
        self.doc = doc
        self.Ref, self.Stream = PDFObjRef, PDFStream
        self.content_bytes = self.chars = self.text_objects = self.path_ops = self.pages = 0
        self.forms: dict[int, tuple[int, int, int, int]] = {}  # form objid -> its counts with nested forms
        self.fonts_seen: set[int] = set()

    def deref(self, x):
        """``x`` with references followed (``resolve1``), refusing a chain that comes back to itself."""
        seen = set()
        while isinstance(x, self.Ref):
            if x.objid in seen:
                raise _Refused(f"的对象 {x.objid} 引用自身（循环引用），文件已损坏或被恶意构造，拒绝读取。")
            seen.add(x.objid)
            try:
                x = self.doc.getobj(x.objid)
            except Exception:  # noqa: BLE001 — a damaged table: pdfminer falls back to scanning the file
                return None
        return x

    def expand(self, x, what: str, pages_are_leaves: bool) -> None:
        """Resolve ``x`` whole the way ``resolve_all`` does, counting parts, refusing a part that holds itself."""
        parts = 0
        on_path: set[int] = set()
        stack = [(x, None, 0)]
        while stack:
            item, leave, depth = stack.pop()
            if leave is not None:
                on_path.discard(leave)
                continue
            parts += 1
            if parts > MAX_EXPANDED:
                raise _Refused(f"的{what}展开后超过 {MAX_EXPANDED} 项，结构异常，拒绝读取。")
            if depth > MAX_DEPTH:
                raise _Refused(f"的{what}嵌套超过 {MAX_DEPTH} 层，结构异常，拒绝读取。")
            if isinstance(item, self.Ref):
                objid = item.objid
                if objid in on_path:
                    raise _Refused(f"的{what}（对象 {objid}）包含自身（循环引用），文件已损坏或被恶意构造，拒绝读取。")
                value = self.deref(item)
                if pages_are_leaves and isinstance(value, dict) and _name(value.get("Type")) == "Page":
                    continue
                on_path.add(objid)
                stack.append((None, objid, depth))
                stack.append((value, None, depth))
            elif isinstance(item, (list, tuple)):
                stack.extend((v, None, depth + 1) for v in item)
            elif isinstance(item, dict):
                annot = _name(item.get("Type")) == "Annot"
                stack.extend((v, None, depth + 1) for k, v in item.items() if not (annot and k == "Parent"))

    def check(self) -> None:
        root = self.deref(self.doc.catalog.get("Pages")) if isinstance(self.doc.catalog, dict) else None
        if not isinstance(root, dict):
            return  # no page tree: pdfplumber reports the damage
        pages = 0
        seen: set[int] = set()
        stack = [(self.doc.catalog.get("Pages"), {})]
        while stack:
            ref, inherited = stack.pop()
            if isinstance(ref, self.Ref):
                if ref.objid in seen:
                    raise _Refused(f"的页面目录中对象 {ref.objid} 出现多次（循环引用），"
                                   "文件已损坏或被恶意构造，拒绝读取。")
                seen.add(ref.objid)
            node = self.deref(ref)
            if not isinstance(node, dict):
                continue
            attrs = dict(inherited)
            attrs.update({k: node[k] for k in _INHERITED if k in node})
            kids = self.deref(node.get("Kids")) if "Kids" in node else None
            if _name(node.get("Type")) == "Pages" or (kids is not None and _name(node.get("Type")) != "Page"):
                if isinstance(kids, list):
                    stack.extend((k, attrs) for k in reversed(kids))
                continue
            pages += 1
            if pages > MAX_PAGES:
                raise _Refused(f"超过 {MAX_PAGES} 页，年度报告通常只有十几页；本程序最多读取 {MAX_PAGES} 页，"
                               "请确认选对了文件。")
            self.page(dict(node, **{k: v for k, v in attrs.items() if k not in node}))

    def page(self, page: dict) -> None:
        for key in _BOX_KEYS:
            if key in page:
                self.expand(page[key], f"页面尺寸（{key}）", True)
        if "Annots" in page:
            self.expand(page["Annots"], "页面批注", True)
        resources = self.deref(page.get("Resources"))
        self.resources(resources)
        contents = self.deref(page.get("Contents"))
        streams = contents if isinstance(contents, list) else [contents]
        on_page = [0, 0, 0, 0]
        for s in streams:
            s = self.deref(s)
            if isinstance(s, self.Stream):
                for i, n in enumerate(self.content(s, resources if isinstance(resources, dict) else {}, set(), 0)):
                    on_page[i] += n
        self.pages += 1
        _, chars, text_objects, path_ops = on_page
        if chars > MAX_PAGE_CHARS or text_objects > MAX_PAGE_TEXT_OBJECTS or path_ops > MAX_PAGE_PATH_OPS:
            what = (f"{chars} 个字符（一页最多 {MAX_PAGE_CHARS} 个）" if chars > MAX_PAGE_CHARS else
                    f"{text_objects} 个文字对象（一页最多 "
                    f"{MAX_PAGE_TEXT_OBJECTS} 个）" if text_objects > MAX_PAGE_TEXT_OBJECTS
                    else f"{path_ops} 个线条和图形（一页最多 {MAX_PAGE_PATH_OPS} 个）")
            raise _Refused(f"第 {self.pages} 页有 {what}，远超年度报告的一页，不像是年度报告，已停止读取。")
        self.add(on_page)

    def resources(self, resources) -> None:
        if not isinstance(resources, dict):
            return
        fonts = self.deref(resources.get("Font"))
        if isinstance(fonts, dict):
            for f in fonts.values():
                font = self.deref(f)
                if id(font) not in self.fonts_seen:  # pdfminer hands out one object per PDF object
                    self.fonts_seen.add(id(font))
                    self.font(font)
        for key in ("ExtGState", "ColorSpace", "Pattern", "Shading", "Properties"):
            if key in resources:
                d = self.deref(resources[key])
                if isinstance(d, dict):
                    for v in d.values():
                        self.deref(v)

    def font(self, font) -> None:
        if not isinstance(font, dict):
            return
        for key in ("Widths", "W", "W2", "FirstChar", "LastChar", "Encoding", "DW", "DW2", "CIDSystemInfo",
                    "Subtype", "BaseFont", "FontMatrix"):
            if key in font:
                value = font[key]
                if isinstance(self.deref(value), self.Stream):
                    continue
                self.expand(value, "字体信息", False)
        descriptor = self.deref(font.get("FontDescriptor"))
        if isinstance(descriptor, dict):
            for key in ("FontBBox", "FontName", "Flags", "MissingWidth", "Ascent", "Descent"):
                if key in descriptor:
                    self.expand(descriptor[key], "字体信息", False)
        for sub in self.deref(font.get("DescendantFonts")) or []:
            sub = self.deref(sub)
            if sub is not font and isinstance(sub, dict):
                self.font(dict(sub, DescendantFonts=[]))
        if _name(font.get("Subtype")) == "Type3":
            self.resources(self.deref(font.get("Resources")))

    def content(self, stream, resources: dict, forms_on_path: set[int], depth: int) -> tuple[int, int, int, int]:
        """(inflated bytes, characters, text objects, path operators) a content stream draws, forms included."""
        try:
            data = stream.get_data()
        except Exception:  # noqa: BLE001 — undecodable: pdfminer skips it as well
            return (0, 0, 0, 0)
        if data is None:
            return (0, 0, 0, 0)
        counts = [len(data), _chars(data), len(_BT.findall(data)), len(_PATH.findall(data))]
        self.add(tuple(counts), check_only=True)
        xobjects = self.deref(resources.get("XObject")) if isinstance(resources, dict) else None
        if isinstance(xobjects, dict):
            drawn: dict[str, int] = {}
            for m in _DO.finditer(data):
                drawn[m.group(1).decode("latin-1")] = drawn.get(m.group(1).decode("latin-1"), 0) + 1
            for name, times in drawn.items():
                ref = xobjects.get(name)
                form = self.deref(ref)
                if not isinstance(form, self.Stream) or _name(form.attrs.get("Subtype")) != "Form":
                    continue
                key = ref.objid if isinstance(ref, self.Ref) else id(form)
                if key in forms_on_path:
                    raise _Refused("中有一个图形对象（Form XObject）绘制它自己（循环引用），"
                                   "文件已损坏或被恶意构造，拒绝读取。")
                if depth >= MAX_FORM_DEPTH:
                    raise _Refused(f"中的图形对象嵌套超过 {MAX_FORM_DEPTH} 层，结构异常，拒绝读取。")
                if key not in self.forms:
                    inner = self.deref(form.attrs.get("Resources"))
                    self.resources(inner)
                    self.expand(form.attrs.get("BBox"), "图形对象尺寸", True)
                    self.expand(form.attrs.get("Matrix"), "图形对象尺寸", True)
                    self.forms[key] = self.content(form, inner if isinstance(inner, dict) else resources,
                                                   forms_on_path | {key}, depth + 1)
                for i, n in enumerate(self.forms[key]):
                    counts[i] += n * times
                self.add(tuple(counts), check_only=True)
        return tuple(counts)

    def add(self, counts, check_only: bool = False) -> None:
        content, chars, text_objects, path_ops = (
            self.content_bytes + counts[0], self.chars + counts[1], self.text_objects + counts[2],
            self.path_ops + counts[3])
        if content > MAX_CONTENT_BYTES:
            raise _Refused(f"的页面内容解压后超过 {MAX_CONTENT_BYTES // 1048576} MB，不像是年度报告，已停止读取。")
        if chars > MAX_CHARS:
            raise _Refused(f"的文字超过 {MAX_CHARS} 个字符（年度报告通常只有几万字），不像是年度报告，已停止读取。")
        if text_objects > MAX_TEXT_OBJECTS:
            raise _Refused(f"包含超过 {MAX_TEXT_OBJECTS} 个文字对象，结构异常，不像是年度报告，已停止读取。")
        if path_ops > MAX_PATH_OPS:
            raise _Refused(f"包含超过 {MAX_PATH_OPS} 个线条和图形，结构异常，不像是年度报告，已停止读取。")
        if not check_only:
            self.content_bytes, self.chars, self.text_objects, self.path_ops = content, chars, text_objects, path_ops


def _chars(data: bytes) -> int:
    """Characters a content stream shows, at most: a byte of a string operand is at most one character."""
    n = sum(len(m) - 2 for m in _LITERAL.findall(data))
    n += sum((len(m) - 2) // 2 for m in _HEX.findall(data) if not m.startswith(b"<<"))
    return n


def _name(x) -> str:
    from pdfminer.psparser import PSLiteral
    return x.name if isinstance(x, PSLiteral) else ""


def counts(path: Path) -> dict:
    """The figures the limits are compared with, for a file that passes (benchmarks, the README's table)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    with open(path, "rb") as fh:
        g = _Graph(PDFDocument(PDFParser(fh)))
        g.check()
    return {"content_bytes": g.content_bytes, "chars": g.chars, "text_objects": g.text_objects,
            "path_ops": g.path_ops}
