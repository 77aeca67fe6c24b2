"""Bounded reading of untrusted files: the program's one ZIP guard (:func:`open_zip`, for every Office file it
opens — Word and Excel imports, its own exports read back, custom Word templates) and :func:`read_bounded`.

Both refuse with :class:`app.errors.ImportFailed` (Chinese, naming the file) before any parser sees the bytes.
"""
from __future__ import annotations

import codecs
import io
import re
import struct
import zipfile
import zlib
from contextvars import ContextVar, Token
from pathlib import Path

from .errors import ImportFailed, os_error_text, where_label

MAX_ZIP_BYTES = 64 * 1024 * 1024  # the .docx/.xlsx file itself
MAX_ZIP_ENTRIES = 4000
MAX_UNCOMPRESSED = 256 * 1024 * 1024  # sum over all entries (images included: python-docx loads every part)
MAX_PART = 32 * 1024 * 1024  # one XML part (a 200-page Word body is a few MB; images are separate parts)
MAX_RATIO = 150  # uncompressed/compressed for parts over 1 MB (ordinary Word XML compresses 5-20x)
# workbooks (the program's export has about 1 400 cells, 40 merged ranges covering 200 cells, sheets up to 213 × 15)
MAX_SHEET_CELLS = 200_000  # cells written in all worksheets together
MAX_MERGED_CELLS = 20_000  # cells covered by merged ranges, all worksheets together
MAX_SHEET_AREA = 2_000_000  # rows × columns spanned by the cells of one worksheet


# the bytes of one file already read by the caller (a folder worker reads each file for its digest), for
# read_bounded: (path, bytes) or None
_READ: ContextVar[tuple[Path, bytes] | None] = ContextVar("file_read", default=None)
IN_MEMORY = 4 * 1024 * 1024  # a file up to this size is read into memory at once (a ZIP container: once)


class already_read:
    """Within the ``with`` block, :func:`read_bounded` takes ``path``'s bytes from ``data`` (the whole file, as just
    read) instead of reading the file again — after the same checks of the file's size (``data`` is used only while
    the file still has its length)."""

    def __init__(self, path: Path, data: bytes) -> None:
        self._given = (path, data)
        self._token: Token | None = None

    def __enter__(self) -> None:
        self._token = _READ.set(self._given)

    def __exit__(self, *exc) -> None:
        if self._token is not None:
            _READ.reset(self._token)


def read_bounded(path: Path, limit: int, what: str, head: int | None = None) -> bytes:
    """The file's bytes (or its first ``head`` bytes) after refusing files over ``limit``."""
    try:
        size = path.stat().st_size
    except OSError as e:
        raise ImportFailed(f"无法读取{where_label(path)}：{os_error_text(e)}。") from None
    if size > limit:
        raise ImportFailed(f"{where_label(path)}过大（{size / 1048576:.1f} MB）。{what}通常小于 1 MB，"
                           f"本程序最多读取 {limit // 1048576} MB；请确认选对了文件，或只复制报告正文另存后再导入。")
    given = _READ.get()
    if given is not None and len(given[1]) == size and given[0] == path:
        return given[1] if head is None else given[1][:head]
    try:
        with open(path, "rb") as fh:
            return fh.read(min(size, limit) + 1 if head is None else head)  # read(n) preallocates n bytes
    except OSError as e:
        raise ImportFailed(f"无法读取{where_label(path)}：{os_error_text(e)}。") from None


_NOUN = {"Word": "Word 文档", "Excel": "Excel 工作簿"}


def open_zip(path: Path, kind: str, required: tuple[str, ...], whole: tuple[str, ...] = ()) -> zipfile.ZipFile:
    """Open an Office file after checking that it is a sane, bounded ZIP container — the one ZIP guard of the
    program (Word documents, workbooks, our own exports read back).

    Refuses: not a ZIP (including old binary .doc/.xls), truncated archives, too many entries, entries whose
    declared size or compression ratio is excessive (ZIP bombs), XML parts with a DOCTYPE (entity expansion,
    external entities — Office never writes one) and, in workbooks, damaged entries and sheets whose cells, merged
    ranges or extent exceed the limits above. ``required`` names entries that must exist; one ending in ``/`` is
    a folder that must hold at least one entry. ``whole``: parts the caller reads in full (``zf.read``), inflated
    once, for the prolog check and the reading."""
    noun = _NOUN.get(kind, f"{kind} 文件")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportFailed(f"找不到文件{where_label(path)}。") from None
    except OSError as e:
        raise ImportFailed(f"无法读取{where_label(path)}：{os_error_text(e)}。") from None
    if size == 0:
        raise ImportFailed(f"{where_label(path)}是空文件，不是 {noun}。")
    # a container of ordinary size is read once: the ZIP directory, the prolog checks and the parts all come from
    # these bytes (a larger one is read where needed)
    data = read_bounded(path, MAX_ZIP_BYTES, f"{kind}文件") if size <= IN_MEMORY else None
    raw_head = data[:8] if data is not None else read_bounded(path, MAX_ZIP_BYTES, f"{kind}文件", head=8)
    if raw_head.startswith(b"\xd0\xcf\x11\xe0"):
        if kind == "Word":
            raise ImportFailed(f"{where_label(path)}实际是旧版 Word 97-2003（.doc）文件。请在 Word/WPS 中“另存为”"
                               ".docx 格式后再导入。")
        raise ImportFailed(f"{where_label(path)}是旧版 Excel 97-2003（.xls）文件或设置了打开密码的工作簿。"
                           "请在 Excel/WPS 中取消密码并“另存为” .xlsx 格式后再导入。")
    if not raw_head.startswith(b"PK"):
        bad = "不是有效的 Word 文件" if kind == "Word" else f"不是 {noun}（.xlsx）"
        raise ImportFailed(f"{where_label(path)}{bad}（文件内容不是 Office 文档格式，可能只是改了扩展名）。")
    try:
        zf = _Container(data, whole) if data is not None else zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise ImportFailed(f"{where_label(path)}已损坏或不完整（{kind} 文件的压缩结构无法读取，"
                           "可能下载或复制时被截断）。") from None
    try:
        if len(infos) > MAX_ZIP_ENTRIES:
            raise ImportFailed(f"{where_label(path)}包含 {len(infos)} 个内部文件，超出正常 {kind} 文档，拒绝读取。")
        names = zf.NameToInfo  # every name
        for req in required:
            if req not in names and not (req.endswith("/") and any(n.startswith(req) for n in names)):
                raise ImportFailed(f"{where_label(path)}不是 {noun}（缺少 {req}），可能已损坏。")
        sizes = [i.file_size for i in infos]
        if max(sizes, default=0) > 1048576 or sum(sizes) > MAX_UNCOMPRESSED:  # else none can be refused (usual)
            _check_sizes(infos, path)
        for info in infos:
            if info.filename.endswith((".xml", ".rels")):
                head = zf.head(info) if isinstance(zf, _Container) else None
                if head is None or b"<!" in head or head.startswith(_BOMS):  # else no declaration can be there
                    _refuse_doctype(zf, info, path, head)
        if kind == "Excel":
            damaged = zf.testzip()
            if damaged is not None:
                raise ImportFailed(f"{where_label(path)}已损坏（内部文件“{damaged}”校验失败），请重新获取该文件。")
            _check_sheets(zf, infos, path)
        return zf
    except ImportFailed:
        zf.close()
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        zf.close()
        raise ImportFailed(f"{where_label(path)}已损坏（{kind} 文件的内部数据无法解压）。") from None


def _check_sizes(infos: list[zipfile.ZipInfo], path: Path) -> None:
    """Refuse a container whose parts together, or one XML part alone, inflate to too much (ZIP bombs)."""
    total = 0
    for info in infos:
        total += info.file_size
        xml = info.filename.endswith(".xml") or info.filename.endswith(".rels")
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNCOMPRESSED or (xml and (info.file_size > MAX_PART or
                                                 (info.file_size > 1048576 and ratio > MAX_RATIO))):
            raise ImportFailed(f"{where_label(path)}的内部文件 {info.filename} 解压后异常巨大"
                               f"（{info.file_size / 1048576:.0f} MB，压缩比 {ratio:.0f}:1），"
                               "疑似“压缩炸弹”，拒绝读取。")


_CELL_TAG = re.compile(rb"<(?:[\w.-]+:)?(c|row)(?=[\s/>])([^>]*)>")
_REF_ATTR = re.compile(rb"""\sr\s*=\s*["']\s*([A-Za-z]{0,3})(\d{1,9})\s*["']""")
_MERGE_TAG = re.compile(rb"""<(?:[\w.-]+:)?mergeCell(?=[\s/>])[^>]*?\sref\s*=\s*["']([^"']{0,64})["']""")
_RANGE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,9})(?::\$?([A-Za-z]{1,3})\$?(\d{1,9}))?$")


def _col_number(letters: bytes | str) -> int:
    n = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        n = n * 26 + ord(ch) - 64
    return n


def _check_sheets(zf: zipfile.ZipFile, infos, path: Path) -> None:
    """Cells, merged ranges and extent of every XML part of a workbook, counted on the raw XML before openpyxl
    builds an object per cell (one merged range ``A1:XFD1048576`` would be 17 billion of them)."""
    cells = merged = 0
    for info in infos:
        if not info.filename.endswith(".xml"):
            continue
        data = zf.read(info)
        if b"<" not in data:
            continue
        max_row = max_col = 0
        rows_unnumbered = cells_unnumbered = 0
        row_now = 0
        for m in _CELL_TAG.finditer(data):
            ref = _REF_ATTR.search(m.group(2))
            if m.group(1) == b"row":
                if ref and not ref.group(1):
                    row_now = int(ref.group(2))
                else:
                    row_now += 1
                    rows_unnumbered += 1
                max_row = max(max_row, row_now)
                continue
            cells += 1
            if cells > MAX_SHEET_CELLS:
                raise ImportFailed(f"{where_label(path)}的单元格过多（超过 {MAX_SHEET_CELLS} 个），"
                                   "不像是年报统计表，已停止读取。")
            if ref and ref.group(1):
                max_col = max(max_col, _col_number(ref.group(1)))
                max_row = max(max_row, int(ref.group(2)))
            else:
                cells_unnumbered += 1
        for m in _MERGE_TAG.finditer(data):
            r = _RANGE.match(m.group(1).decode("latin-1").strip())
            if not r:
                continue
            c1, r1 = _col_number(r.group(1)), int(r.group(2))
            c2, r2 = (_col_number(r.group(3)), int(r.group(4))) if r.group(3) else (c1, r1)
            merged += (abs(c2 - c1) + 1) * (abs(r2 - r1) + 1)
            max_col, max_row = max(max_col, c1, c2), max(max_row, r1, r2)
            if merged > MAX_MERGED_CELLS:
                raise ImportFailed(f"{where_label(path)}中合并单元格覆盖的范围过大（“{r.group(0)}”等，合计超过 "
                                   f"{MAX_MERGED_CELLS} 个单元格），不像是年报统计表，已停止读取。")
        area = (max_row + rows_unnumbered) * (max_col + cells_unnumbered)
        if area > MAX_SHEET_AREA:
            raise ImportFailed(f"{where_label(path)}的内部文件 {info.filename} 中工作表的范围过大"
                               f"（{max_row} 行 × {max_col} 列，上限 {MAX_SHEET_AREA} 个单元格），不像是年报统计表，"
                               "已停止读取。")


_ROOT_START = re.compile(rb"<[A-Za-z_\x80-\xff]")
_COMMENTS = re.compile(rb"<!--.*?-->|<\?.*?\?>", re.S)


def _root_started(head: bytes) -> bool:
    """Whether the root element has started in ``head``: a start tag outside comments and processing
    instructions (an unfinished comment hides the rest). The usual prolog — ``<?xml …?>``, then the first tag —
    is recognised without rewriting the bytes."""
    if head.startswith(b"<?"):
        end = head.find(b"?>", 2)
        if end != -1:
            i = head.find(b"<", end + 2)
            if i != -1 and _ROOT_START.match(head, i):
                return True
    elif _ROOT_START.match(head):
        return True
    return _ROOT_START.search(_COMMENTS.sub(b"", head).split(b"<!--", 1)[0]) is not None


_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_HEAD = 2048  # bytes of a part's start inflated first (see _refuse_doctype)
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # a local file header's signature, name length and extra field length


def _part_start(info: zipfile.ZipInfo, data: bytes, end: int) -> int | None:
    """Where the part's compressed bytes start in the container's bytes ``data`` — or ``None`` whenever zipfile's
    own opening of the part (``zf.open``) might decide otherwise than plain reading: the part encrypted, patched
    or not deflated, its local header absent or naming another file, its compressed bytes running past ``end``
    (the next local header or the directory: zipfile refuses such overlapping parts, which a ZIP bomb uses) or
    past the container's end."""
    if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x61:  # encrypted, patched, strong encryption
        return None
    offset = info.header_offset
    try:
        magic, name_len, extra_len = _LOCAL_HEADER.unpack_from(data, offset)
    except struct.error:
        return None
    start = offset + 30 + name_len + extra_len
    name = data[offset + 30:offset + 30 + name_len]
    if magic != b"PK\x03\x04" or not name.isascii() or name.decode("ascii") != info.orig_filename:
        return None  # (an ASCII name reads the same as UTF-8 and as cp437, zipfile's two readings)
    if start + info.compress_size > min(end, len(data)):
        return None
    return start


def _fast_head(info: zipfile.ZipInfo, data: bytes, end: int) -> tuple[bytes, bytes | None] | None:
    """The part's prolog — exactly the bytes :func:`_refuse_doctype` reads through ``zf.open`` (``read(_HEAD)``,
    more while no root element has started) — taken straight from the container's bytes ``data``, with the whole
    part when that first reading inflated all of it (exactly what ``zf.read`` returns); ``None`` whenever zipfile's
    own reading is needed to be sure of the same result: see :func:`_part_start`; the part's data damaged or short,
    its root element not begun within the first 4 KB inflated. ZipExtFile's first read takes up to 4096 compressed
    bytes and inflates at most 4096, checking the CRC when that reaches the part's end: the same is done here (a
    damaged part is left to zipfile, which refuses it as before)."""
    start = _part_start(info, data, end)
    if start is None:
        return None
    compressed = data[start:start + min(info.compress_size, 4096)]
    d = zlib.decompressobj(-15)
    try:
        out = d.decompress(compressed, 4096)[:info.file_size]
    except zlib.error:
        return None
    if d.eof or (info.compress_size <= 4096 and not d.unconsumed_tail) or len(out) >= info.file_size:
        # the part's end: zipfile checks the CRC here (and flushes a stream without its end: left to it); a stream
        # that ended is all of the part zipfile reads (what follows it in the compressed bytes is never inflated)
        if not d.eof or zlib.crc32(out) != info.CRC:
            return None
        head = out[:_HEAD]  # the slow reading goes on to the end while no root element has started
        return (head if _root_started(head) else out), out
    head = out[:_HEAD]
    if len(head) < _HEAD or not _root_started(head):
        return None  # more to inflate first: the slow reading reads on
    return head, None


def _fast_read(info: zipfile.ZipInfo, data: bytes, end: int) -> bytes | None:
    """The whole part — exactly what ``zf.read`` returns — inflated straight from the container's bytes ``data``,
    or ``None`` whenever zipfile's own reading is needed to be sure of the same result (see :func:`_part_start`;
    the deflate stream damaged, not ended, or inflating to another size than the directory says, a CRC that
    fails: zipfile then raises, or reads on as it does)."""
    start = _part_start(info, data, end)
    if start is None:
        return None
    d = zlib.decompressobj(-15)
    try:  # (one byte more than declared: a longer stream is seen as such, without inflating it all)
        out = d.decompress(data[start:start + info.compress_size], info.file_size + 1)
    except zlib.error:
        return None
    if not d.eof or len(out) != info.file_size or zlib.crc32(out) != info.CRC:
        return None
    return out


class _Container(zipfile.ZipFile):
    """A container read into memory by :func:`open_zip`: a :class:`zipfile.ZipFile` over its bytes whose parts are
    inflated straight from them (zipfile's own reading, several µs of Python a part, only for the unusual part, which
    it reads, or refuses, as always). A part the guard's prolog check inflated whole is not inflated again."""

    def __init__(self, data: bytes, whole: tuple[str, ...] = ()) -> None:
        self._data = data
        self._read_whole = whole  # parts the caller reads in full: their prolog taken from the whole part
        self._whole: dict[zipfile.ZipInfo, bytes] = {}  # parts inflated whole by the guard
        self._ends: dict[int, int] | None = None
        super().__init__(io.BytesIO(data))  # (last: a container it refuses is closed, by close, at once)

    def _end(self, info: zipfile.ZipInfo) -> int:
        """Where the part's data must end: the next local header, or the directory (two parts at one offset: their
        own offset — nothing of theirs is read here then)."""
        if self._ends is None:
            ends: dict[int, int] = {}
            following = self.start_dir
            for offset in sorted((i.header_offset for i in self.filelist), reverse=True):
                ends[offset] = offset if offset in ends else min(following, self.start_dir)
                following = offset
            self._ends = ends
        return self._ends.get(info.header_offset, info.header_offset)

    def head(self, info: zipfile.ZipInfo) -> bytes | None:
        """The part's prolog for the guard's check (:func:`_fast_head`), or ``None``: to be read through zipfile.
        A part to be read in full is inflated whole here: when that is what zipfile reads (:func:`_fast_read`),
        zipfile's first reading of it is its start (a damaged part is checked as always)."""
        if info.filename in self._read_whole and self.NameToInfo.get(info.filename) is info:
            out = _fast_read(info, self._data, self._end(info))
            if out is not None:
                head = out[:_HEAD]
                if _root_started(head) or len(out) <= 4096:  # (else: the slow reading's steps decide)
                    self._whole[info] = out
                    return head if _root_started(head) else out
        got = _fast_head(info, self._data, self._end(info))
        if got is None:
            return None
        if got[1] is not None:
            self._whole[info] = got[1]
        return got[0]

    def close(self) -> None:
        self._whole.clear()
        super().close()

    def read(self, name, pwd=None) -> bytes:
        if pwd is None and self.fp is not None and self.mode == "r":
            info = name if isinstance(name, zipfile.ZipInfo) else self.NameToInfo.get(name)
            if info is not None:
                whole = self._whole.get(info)
                if whole is None:
                    whole = _fast_read(info, self._data, self._end(info))
                if whole is not None:
                    return whole
        return super().read(name, pwd)


def _refuse_doctype(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, head: bytes | None = None) -> None:
    """A DOCTYPE can only stand before the root element, but after comments of any length: the whole prolog is
    read (up to the root element's start), not only its first 64 KB. ``head``: the prolog already read (by
    :func:`_fast_head`)."""
    if head is None:
        with zf.open(info) as fh:
            # the prolog is short in every Office part: inflate a little first, more only while no root element
            # has started (each step four times the last, up to 1 MB)
            head = fh.read(_HEAD)
            while not _root_started(head) and len(head) < MAX_PART:
                more = fh.read(min(1 << 20, 3 * len(head) + 2048))
                if not more:
                    break
                head += more
    probes = [head]
    if head.startswith(_BOMS):
        probes.append(head.decode("utf-16", errors="ignore").encode("utf-8"))
    for h in probes:
        if b"<!DOCTYPE" in h.upper() or b"<!ENTITY" in h.upper():
            raise ImportFailed(f"{where_label(path)}的内部文件 {info.filename} 含有 DOCTYPE/实体声明"
                               "（Office 从不写入，可能是恶意构造的文件），拒绝读取。")
