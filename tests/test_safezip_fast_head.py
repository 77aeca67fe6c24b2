"""The ZIP guard's prolog check reads each part's first bytes straight from the container (``_fast_head``) and leaves
anything unusual to zipfile: whatever the container, the guard must decide exactly as it does through zipfile alone
(the same refusal, with the same message, or the same acceptance)."""
import random
import struct
import zipfile
import zlib

import pytest

from app import safezip
from app.errors import ImportFailed

PROLOG = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def names(path):
    try:
        with zipfile.ZipFile(path) as z:
            return tuple(z.namelist())
    except zipfile.BadZipFile:
        return ()


def outcome(path, kind="Word", whole=()):
    try:
        safezip.open_zip(path, kind, ("[Content_Types].xml",), whole).close()
        return "ok"
    except ImportFailed as e:
        return str(e)


def both(path, monkeypatch, kind="Word"):
    fast = outcome(path, kind)
    assert outcome(path, kind, names(path)) == fast, path  # parts to be read in full: inflated whole at once
    with monkeypatch.context() as m:
        m.setattr(safezip, "_fast_head", lambda *a: None)
        slow = outcome(path, kind)
    assert fast == slow, path
    return fast


def body(rnd, n):
    words = [b"<w:p><w:r><w:t>", "年度报告".encode(), b"</w:t></w:r></w:p>", b"<!-- c -->", b"x" * 50,
             bytes(rnd.randrange(256) for _ in range(8)).replace(b"<", b"."), b"<w:tbl/>"]
    return b"".join(rnd.choice(words) for _ in range(n))


def part(rnd):
    """A part whose prolog is usual or not: comments, processing instructions, DOCTYPE/ENTITY early or late (also
    past 2 or 4 KB), UTF-16, no root element at all."""
    kind = rnd.randrange(9)
    root = b"<w:document xmlns:w='x'>"
    if kind == 0:
        return PROLOG + root + body(rnd, rnd.randrange(400)) + b"</w:document>"
    if kind == 1:
        return PROLOG + b"<!-- " + b"-" * rnd.choice([10, 2100, 5000]) + b" -->" + root + b"</w:document>"
    if kind == 2:
        return PROLOG + b'<!DOCTYPE w [<!ENTITY x "x">]>' + root + b"</w:document>"
    if kind == 3:
        return PROLOG + root + body(rnd, rnd.randrange(100)) + b"<!-- <!ENTITY y 'y'> -->" + b"</w:document>"
    if kind == 4:
        return (PROLOG.decode() + "<a>" + "文" * rnd.randrange(3000) + "</a>").encode("utf-16")
    if kind == 5:
        return PROLOG + b"<?pi " + b"<x " * rnd.randrange(1500) + b"?>" + root + b"</w:document>"
    if kind == 6:
        return b" " * rnd.randrange(5000) + b"<!-- unfinished " + b"<a>" * rnd.randrange(3)
    if kind == 7:
        return b"<<!-- x -->a/>" + body(rnd, rnd.randrange(50))
    return PROLOG + root + bytes(rnd.randrange(256) for _ in range(rnd.randrange(9000))) + b"</w:document>"


def container(rnd, path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", PROLOG + b"<Types/>", zipfile.ZIP_DEFLATED)
        for i in range(rnd.randrange(1, 5)):
            method = rnd.choice([zipfile.ZIP_DEFLATED] * 4 + [zipfile.ZIP_STORED, zipfile.ZIP_BZIP2])
            z.writestr(rnd.choice([f"word/p{i}.xml", f"word/_rels/p{i}.xml.rels", f"文{i}.xml"]), part(rnd), method)
    return path


def damage(rnd, path):
    """Flip bytes in the compressed data, the CRC, a local header's name or flags, or cut the file short."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = rnd.choice(z.infolist())
    off = info.header_offset
    n, m = struct.unpack_from("<HH", data, off + 26)
    start = off + 30 + n + m
    what = rnd.randrange(6)
    if what == 0 and info.compress_size:
        i = start + rnd.randrange(info.compress_size)
        data[i] ^= 1 << rnd.randrange(8)
    elif what == 1:  # the central directory's CRC of this part
        cd = data.rfind(b"PK\x01\x02" + data[off + 4:off + 12])
        if cd > 0:
            data[cd + 16] ^= 0xFF
    elif what == 2 and n:
        data[off + 30] ^= 0x20  # the local header's name
    elif what == 3:
        data[off + 6] |= 1  # encrypted, in the local header only
    elif what == 4:
        del data[start + info.compress_size // 2:]
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("seed", range(60))
def test_fast_prolog_reading_decides_as_zipfile_does(tmp_path, monkeypatch, seed):
    rnd = random.Random(seed)
    for k in range(6):
        p = container(rnd, tmp_path / f"f{k}.docx")
        both(p, monkeypatch)
        if rnd.random() < 0.8:
            damage(rnd, p)
            both(p, monkeypatch)


def test_a_doctype_anywhere_in_the_prolog_is_still_refused(tmp_path, monkeypatch):
    for n, lead in enumerate([b"", b"<!-- " + b"-" * 2100 + b" -->", b"<!-- " + b"-" * 5000 + b" -->",
                              b"<?pi " + b"." * 6000 + b"?>"]):
        p = tmp_path / f"d{n}.docx"
        with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", PROLOG + b"<Types/>")
            z.writestr("docProps/app.xml", PROLOG + lead + b"<!DOCTYPE a [<!ENTITY e 'e'>]><a>&e;</a>")
        assert "DOCTYPE" in both(p, monkeypatch)
    # a declaration after the root element's start, past what the prolog check reads of a long prolog: not seen
    # (as zipfile's reading decides), also when the part is inflated whole at once
    for n, lead in enumerate([b"<!-- " + b"-" * 2100 + b" -->", b"<!-- " + b"-" * 5000 + b" -->"]):
        p = tmp_path / f"late{n}.docx"
        with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", PROLOG + b"<Types/>")
            z.writestr("word/document.xml",
                       PROLOG + lead + b"<a>" + b"<b>x</b>" * 5000 + b"<!-- <!ENTITY e 'e'> --></a>")
        assert both(p, monkeypatch) == "ok"


def inflates(stream, n):
    try:
        return len(zlib.decompressobj(-15).decompress(stream, n))
    except zlib.error:
        return None


def test_a_part_damaged_within_its_first_read_is_refused_as_damaged(tmp_path, monkeypatch):
    """A CRC that fails on a small part, a deflate stream broken within the first 4 KB of a large one: refused,
    as zipfile's reading refuses them."""
    p = tmp_path / "crc.docx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", PROLOG + b"<Types/>")
        z.writestr("word/document.xml", PROLOG + b"<a>" + b"x" * 1000 + b"</a>")
    data = bytearray(p.read_bytes())
    cd = data.rfind(b"PK\x01\x02")  # the last directory entry: word/document.xml
    data[cd + 16] ^= 0xFF
    p.write_bytes(bytes(data))
    assert "已损坏" in both(p, monkeypatch)

    # a stream broken where zipfile's first read (4 KB inflated) sees it, past the 2 KB the prolog check looks at
    rnd = random.Random(3)
    text = PROLOG + b"<a>" + bytes(rnd.choice(b"abcdefghijklmnop") for _ in range(20000))
    q = tmp_path / "broken.docx"
    with zipfile.ZipFile(q, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", PROLOG + b"<Types/>")
        z.writestr("word/document.xml", text)
    data = bytearray(q.read_bytes())
    with zipfile.ZipFile(q) as z:
        info = z.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode())
    for off in range(900, 2000):
        broken = bytearray(data)
        broken[start + off:start + off + 8] = bytes(8)
        stream = bytes(broken[start:start + 4096])
        if inflates(stream, 2048) == 2048 and inflates(stream, 4096) is None:
            break
    else:
        pytest.fail("no such damage found")
    q.write_bytes(bytes(broken))
    assert "已损坏" in both(q, monkeypatch)

def test_an_ordinary_part_is_read_without_zipfile(tmp_path):
    """The fast reading is what runs on an ordinary file (the slow one only for the unusual)."""
    p = tmp_path / "plain.docx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", PROLOG + b"<Types/>")
        z.writestr("word/document.xml", PROLOG + b"<w:document>" + "年度报告".encode() * 3000 + b"</w:document>")
    data = p.read_bytes()
    with zipfile.ZipFile(p) as z:
        heads = [safezip._fast_head(info, data, len(data)) for info in z.infolist()]
        assert heads == [(z.read("[Content_Types].xml"),) * 2, (z.read("word/document.xml")[:2048], None)]


def read_outcome(z, name):
    try:
        return z.read(name)
    except Exception as e:  # noqa: BLE001 — the same exception, with the same words, is what is compared
        return type(e), str(e)


def reads_as_zipfile_does(path):
    """Every part read from the guard's container (straight from its bytes, or kept from the guard's check) is what
    zipfile's own reading gives: the same bytes, or the same exception."""
    data = path.read_bytes()
    try:
        plain = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        return  # (no container: refused before any part is read)
    with plain:
        want = {info.filename: read_outcome(plain, info.filename) for info in plain.infolist()}
        want_infos = [read_outcome(plain, info) for info in plain.infolist()]
    fresh = safezip._Container(data)
    assert {n: read_outcome(fresh, n) for n in want} == want, path
    assert [read_outcome(fresh, info) for info in fresh.infolist()] == want_infos, path
    for whole in ((), names(path)):
        try:
            guarded = safezip.open_zip(path, "Word", ("[Content_Types].xml",), whole)
        except ImportFailed:
            return
        with guarded:
            assert isinstance(guarded, safezip._Container)
            assert {n: read_outcome(guarded, n) for n in want} == want, path


@pytest.mark.parametrize("seed", range(40))
def test_parts_read_straight_from_the_container_are_what_zipfile_reads(tmp_path, seed):
    rnd = random.Random(1000 + seed)
    for k in range(6):
        p = container(rnd, tmp_path / f"r{k}.docx")
        reads_as_zipfile_does(p)
        if rnd.random() < 0.8:
            damage(rnd, p)
            reads_as_zipfile_does(p)


def overlapping(path, second_at_first: bool):
    """Two directory entries whose data overlap (a ZIP bomb's trick): the second part's local header moved onto the
    first's, or the first part's compressed size stretched over the second's header."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", PROLOG + b"<Types/>")
        z.writestr("word/a.xml", PROLOG + b"<a>" + b"x" * 3000 + b"</a>")
        z.writestr("word/b.xml", PROLOG + b"<b>" + b"y" * 3000 + b"</b>")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        a = z.getinfo("word/a.xml")
    cd_a = data.rfind(b"PK\x01\x02", 0, data.rfind(b"PK\x01\x02"))  # the directory entries of a and b (last two)
    if second_at_first:  # b's entry names a's local header: its name differs there (zipfile refuses that too)
        cd_b = data.rfind(b"PK\x01\x02")
        struct.pack_into("<I", data, cd_b + 42, a.header_offset)
    else:  # a's compressed size reaching into b
        struct.pack_into("<I", data, cd_a + 20, a.compress_size + 40)
    path.write_bytes(bytes(data))


def test_overlapping_parts_are_left_to_zipfile(tmp_path, monkeypatch):
    for n, how in enumerate([True, False]):
        p = tmp_path / f"o{n}.docx"
        overlapping(p, how)
        both(p, monkeypatch)
        reads_as_zipfile_does(p)
        data = p.read_bytes()
        c = safezip._Container(data)
        info = c.getinfo("word/a.xml")
        if not how:  # its data runs over the next local header: never read straight from the bytes
            assert safezip._fast_head(info, data, c._end(info)) is None
            assert safezip._fast_read(info, data, c._end(info)) is None


def test_a_part_is_read_straight_from_the_container(tmp_path, monkeypatch):
    """The fast reading is what runs on an ordinary part (zipfile's own only for the unusual)."""
    p = tmp_path / "plain.docx"
    text = PROLOG + b"<w:document>" + "年度报告".encode() * 3000 + b"</w:document>"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", PROLOG + b"<Types/>")
        z.writestr("word/document.xml", text)
    real = safezip._fast_head

    def once(info, *a):  # a part to be read in full is inflated once, whole
        assert not (whole and info.filename == "word/document.xml"), "inflated twice"
        return real(info, *a)

    for whole in ((), ("word/document.xml",)):
        with monkeypatch.context() as m:
            m.setattr(zipfile.ZipFile, "open", lambda *a, **k: pytest.fail("read through zipfile"))
            m.setattr(safezip, "_fast_head", once)
            zf = safezip.open_zip(p, "Word", ("[Content_Types].xml",), whole)
            assert zf.read("word/document.xml") == text
            assert zf.read("[Content_Types].xml") == PROLOG + b"<Types/>"
