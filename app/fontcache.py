"""reportlab TrueType fonts, with what reportlab reads from a font file kept between runs (never imports Qt).

Loading a CJK font with reportlab (``TTFont(...)``) parses its character map and metrics in Python: about
40 ms for a bundled 8 000-glyph font and 120 ms for the 49 000-glyph fallback font, on every fresh process —
half of what ``nianbao export -o X.pdf`` cost before this cache. What the parse produces (the face's fields:
character → glyph map, widths, glyph offsets, names, flags) is kept in the user's cache folder, one file per
font file and sub-font, and the next run rebuilds the face from it and maps the font file (the PDF embeds
subsets cut from it; only the pages of the glyphs used are read).

The cache trusts nothing it finds in its folder. An entry is plain data — a JSON header (scalars, names) and typed
arrays (the character map, widths, glyph offsets and metrics) — never ``marshal`` or ``pickle``, so it cannot carry
code. It is used only when everything it was made from still matches: the font file's absolute path, sub-font,
size and modification time, reportlab's version, Python's version and :data:`CACHE_VERSION`; its checksum is
right; every field has its shape and range (glyph numbers below the glyph count, offsets that never go back and
stay inside the file, finite widths, …); and the glyphs of the digits, the characters of dates and document
numbers (:data:`_ALWAYS_CHECKED`) and a sample spread over the map are the ones the font file's own character map,
``loca`` and ``hmtx`` tables give — so a table tampered with and its checksum recomputed is caught before it could
print "2823年". Otherwise the font is parsed as before and the entry rewritten.

The folder is private: created 0700 (tightened to 0700 when found looser), not used when it is a link or belongs
to another user. An entry is read only when it is a regular file of this user that nobody else can write (opened
without following links and without blocking, so a pipe planted under its name cannot hang the export), and
written as a new file created exclusively (``O_EXCL | O_NOFOLLOW``, 0600) and renamed over its name — a link
planted there is replaced, the file it points to never written. The cache is only ever a shortcut: any failure in
it falls back to reportlab's own parse, and nothing of it goes into a document.

A font reportlab refuses (no embedding permitted, CFF outlines, broken) is remembered as refused, so that the
search for installed 公文 fonts does not parse it again on every run.

``NIANBAO_CACHE_DIR`` replaces the platform's cache folder (tests; an empty value turns the cache off).
"""
from __future__ import annotations

import base64
import bisect
import hashlib
import json
import math
import operator
import os
import secrets
import stat
import struct
import sys
from array import array
from itertools import islice
from pathlib import Path

CACHE_VERSION = 3  # 3: plain data (JSON and typed arrays), validated on load; no marshal
MAGIC = b"nianbao-font-cache\n"
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # far above the largest CJK font's metrics (~3 MB); bounds a corrupt file
MAX_HEADER_BYTES = 1024 * 1024
# face fields that are not data: the font file's bytes (read afresh), the scale function (rebuilt from unitsPerEm)
_NOT_CACHED = ("_ttf_data", "_pdfScale")
# fields reportlab fills while parsing and never reads afterwards (glyph -> characters: a third of the entry):
# kept, but decoded only if something asks for them
_ON_DEMAND = ("glyphToChar",)
# characters whose glyphs are checked against the font file itself on every load (a table tampered with would
# print other digits than the text layer says: "2823年", "〔2827〕38号")
_ALWAYS_CHECKED = "0123456789年月日号〔〕（）第一二三四五六七八九十百千万零〇,.%-—"
_SAMPLED = 48  # more characters of the map, spread over it
_ARRAY_TYPES = {"I": 4, "i": 4, "d": 8}  # typecode -> the only item size accepted


class FontRefused(Exception):
    """reportlab cannot load or embed this font (said once, then remembered in the cache)."""


class _Bad(Exception):
    """An entry that is not exactly what this program writes: never used."""


def cache_dir() -> Path | None:
    env = os.environ.get("NIANBAO_CACHE_DIR")
    if env is not None:
        return Path(env) / "fonts" if env else None
    try:
        from platformdirs import user_cache_dir
        return Path(user_cache_dir("nianbao", appauthor=False)) / "fonts"
    except Exception:  # noqa: BLE001 — no cache folder: fonts are parsed every time, as before
        return None


def _identity(path: Path, index: int) -> tuple | None:
    import reportlab
    try:
        st = path.stat()
    except OSError:
        return None
    return (CACHE_VERSION, str(path.resolve()), index, st.st_size, st.st_mtime_ns, reportlab.Version,
            tuple(sys.version_info[:2]))


def _entry_path(folder: Path, ident: tuple) -> Path:
    return folder / (hashlib.sha256(f"{ident[1]}|{ident[2]}".encode("utf-8", "surrogatepass")).hexdigest()[:24]
                     + ".font")


class HMetrics:
    """The glyphs' (advance width, left side bearing) pairs, kept as two arrays: reportlab's list holds a tuple
    and two numbers per glyph (~150 000 objects for the fallback font, a third of the time to load an entry);
    it only ever reads a pair by index (when it cuts the font for the PDF)."""

    __slots__ = ("aw", "lsb")

    def __init__(self, aw, lsb):
        self.aw, self.lsb = aw, lsb

    def __getitem__(self, i):
        return self.aw[i], self.lsb[i]

    def __len__(self):
        return len(self.aw)

    def __iter__(self):
        return zip(self.aw, self.lsb)


# --- the private folder and its files: never through a link, never into a pipe -----------------------------------

_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def _own_private(st) -> bool:
    """A folder or file of this user that nobody else can write (POSIX; Windows' per-user folders are private)."""
    if os.name != "posix":
        return True
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def _private_folder(folder: Path, create: bool) -> bool:
    """``folder`` is a real folder of this user, 0700 (created so when ``create``); False: do not use it."""
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        if not create:
            return False
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            os.mkdir(folder, 0o700)
            st = os.lstat(folder)
        except OSError:
            return False
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):  # a link, a file, a pipe under the folder's name
        return False
    if os.name == "posix":
        if st.st_uid != os.getuid():
            return False
        if stat.S_IMODE(st.st_mode) != 0o700:
            try:
                os.chmod(folder, 0o700)
            except OSError:
                return False
    return True


def _read_entry(entry: Path) -> bytes | None:
    """The entry's bytes when it is a regular file of this user that nobody else can write; a link, a pipe or a
    device under its name is never opened for reading in a way that could block, and never followed."""
    if not _private_folder(entry.parent, create=False):
        return None
    try:
        fd = os.open(entry, os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | _O_BINARY)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not _own_private(st) or st.st_size > MAX_ENTRY_BYTES:
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(MAX_ENTRY_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)


def _write_entry(entry: Path, blob: bytes) -> None:
    """A new file created exclusively (``O_EXCL``, never through a link) beside the entry, renamed over its name:
    whatever stood there (a link, a pipe) is replaced, never written into."""
    if not _private_folder(entry.parent, create=True):
        return
    tmp = entry.parent / f".{entry.stem}.{secrets.token_hex(6)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_BINARY, 0o600)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, entry)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


# --- plain data: a JSON header and typed arrays ------------------------------------------------------------------

def _encode_fields(face_fields: dict) -> tuple[dict, list[tuple[str, array]]]:
    from reportlab.pdfbase.ttfonts import TTFNameBytes
    plain: dict = {}
    arrays: list[tuple[str, array]] = []
    for key, value in face_fields.items():
        if key == "charToGlyph" or key == "charWidths":
            arrays.append((key + ".keys", array("I", value.keys())))
            arrays.append((key + ".values", array("I" if key == "charToGlyph" else "d", value.values())))
        elif key == "glyphToChar":
            arrays.append((key + ".keys", array("I", value.keys())))
            arrays.append((key + ".lengths", array("I", (len(v) for v in value.values()))))
            arrays.append((key + ".chars", array("I", (c for v in value.values() for c in v))))
        elif key == "glyphPos":
            arrays.append((key, array("I", value)))
        elif key == "hmetrics":
            arrays.append((key + ".aw", array("d", (float(a) for a, _ in value))))
            arrays.append((key + ".lsb", array("i", (b for _, b in value))))
        elif isinstance(value, TTFNameBytes):
            plain[key] = {"$name": base64.b64encode(bytes(value)).decode(), "ustr": value.ustr}
        elif isinstance(value, bytes):
            plain[key] = {"$bytes": base64.b64encode(value).decode()}
        elif isinstance(value, tuple):
            plain[key] = {"$tuple": list(value)}
        else:
            plain[key] = value
    return plain, arrays


def _pack(ident: tuple, fields: dict | None) -> bytes:
    if fields is None:
        header, arrays = {"ident": ident, "refused": True}, []
    else:
        plain, arrays = _encode_fields(fields)
        header = {"ident": ident, "fields": plain,
                  "arrays": [[name, a.typecode, len(a) * a.itemsize] for name, a in arrays]}
    head = json.dumps(header, ensure_ascii=True, allow_nan=False).encode()
    if sys.byteorder != "little":  # entries hold little-endian arrays everywhere
        arrays = [(name, array(a.typecode, a)) for name, a in arrays]
        for _, a in arrays:
            a.byteswap()
    payload = struct.pack("<I", len(head)) + head + b"".join(a.tobytes() for _, a in arrays)
    return MAGIC + hashlib.sha256(payload).digest() + payload


def _unpack(blob: bytes, ident: tuple):
    """(fields, arrays) of an entry, or FontRefused; raises _Bad for anything not exactly ours."""
    if len(blob) > MAX_ENTRY_BYTES or not blob.startswith(MAGIC):
        raise _Bad
    digest, payload = blob[len(MAGIC):len(MAGIC) + 32], blob[len(MAGIC) + 32:]
    if hashlib.sha256(payload).digest() != digest or len(payload) < 4:
        raise _Bad
    (n,) = struct.unpack("<I", payload[:4])
    if n > MAX_HEADER_BYTES or 4 + n > len(payload):
        raise _Bad
    try:
        header = json.loads(payload[4:4 + n].decode("ascii"), parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError):
        raise _Bad from None
    if not isinstance(header, dict) or header.get("ident") != json.loads(json.dumps(ident)):
        raise _Bad
    if header.get("refused") is True:
        return FontRefused
    fields, specs = header.get("fields"), header.get("arrays")
    if not isinstance(fields, dict) or not isinstance(specs, list):
        raise _Bad
    arrays = {}
    pos = 4 + n
    for spec in specs:
        if not (isinstance(spec, list) and len(spec) == 3 and isinstance(spec[0], str) and spec[1] in _ARRAY_TYPES
                and isinstance(spec[2], int) and 0 <= spec[2] and spec[2] % _ARRAY_TYPES[spec[1]] == 0):
            raise _Bad
        a = array(spec[1])
        if a.itemsize != _ARRAY_TYPES[spec[1]] or pos + spec[2] > len(payload):
            raise _Bad
        a.frombytes(payload[pos:pos + spec[2]])
        if sys.byteorder != "little":
            a.byteswap()
        arrays[spec[0]] = a
        pos += spec[2]
    if pos != len(payload):
        raise _Bad
    return fields, arrays


def _no_constant(name):
    raise ValueError(name)


def _decode_plain(value):
    if isinstance(value, dict):
        if set(value) == {"$name", "ustr"}:
            from reportlab.pdfbase.ttfonts import TTFNameBytes
            out = bytes.__new__(TTFNameBytes, base64.b64decode(value["$name"], validate=True))
            if not isinstance(value["ustr"], str):
                raise _Bad
            out.ustr = value["ustr"]
            return out
        if set(value) == {"$bytes"}:
            return base64.b64decode(value["$bytes"], validate=True)
        if set(value) == {"$tuple"} and isinstance(value["$tuple"], list):
            return tuple(value["$tuple"])
    return value


# what each plain field must be (shapes and ranges); anything else in an entry is refused
def _num(lo, hi):
    return lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and lo <= v <= hi


def _int(lo, hi):
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and lo <= v <= hi


_SCALARS = {
    "unitsPerEm": _int(16, 16384), "numGlyphs": _int(1, 65536), "ascent": _num(-1e5, 1e5),
    "descent": _num(-1e5, 1e5), "capHeight": _num(-1e5, 1e5), "italicAngle": _num(-360, 360),
    "stemV": _num(-1e5, 1e5), "underlinePosition": _num(-1e5, 1e5), "underlineThickness": _num(-1e5, 1e5),
    "flags": _int(0, 2 ** 32), "defaultWidth": _num(0, 1e6), "bold": _int(0, 1), "italic": _int(0, 1),
    "builtIn": _int(0, 1), "validate": _int(0, 1), "version": _int(0, 2 ** 32), "numTables": _int(0, 1000),
    "searchRange": _int(0, 2 ** 32), "entrySelector": _int(0, 2 ** 32), "rangeShift": _int(0, 2 ** 32),
    "_pos": _int(0, 2 ** 40), "_full_font": lambda v: isinstance(v, bool),
}


def _fields_from_entry(fields: dict, arrays: dict, font_bytes: bytes) -> dict:
    """The face's fields, after checking every shape and range, and the glyphs of :data:`_ALWAYS_CHECKED` and a
    sample of the map against the font file itself. Raises _Bad."""
    out = {k: _decode_plain(v) for k, v in fields.items()}
    for key, ok in _SCALARS.items():
        if key in out and not ok(out[key]):
            raise _Bad
    for key in ("unitsPerEm", "numGlyphs", "table"):
        if key not in out:
            raise _Bad
    n = out["numGlyphs"]
    size = len(font_bytes)
    bbox = out.get("bbox")
    if bbox is not None and not (isinstance(bbox, list) and len(bbox) == 4 and all(map(_num(-1e6, 1e6), bbox))):
        raise _Bad
    table = out["table"]
    if not isinstance(table, dict) or not all(
            isinstance(t, dict) and _int(0, size)(t.get("offset")) and _int(0, size)(t.get("length"))
            and t["offset"] + t["length"] <= size for t in table.values()):
        raise _Bad
    need = {"charToGlyph.keys", "charToGlyph.values", "charWidths.keys", "charWidths.values", "glyphPos",
            "hmetrics.aw", "hmetrics.lsb"}
    if not need <= set(arrays):
        raise _Bad
    keys, glyphs = arrays["charToGlyph.keys"], arrays["charToGlyph.values"]
    wkeys, widths = arrays["charWidths.keys"], arrays["charWidths.values"]
    pos, aw, lsb = arrays["glyphPos"], arrays["hmetrics.aw"], arrays["hmetrics.lsb"]
    if len(keys) != len(glyphs) or len(wkeys) != len(widths) or len(pos) != n + 1 or len(aw) != n or len(lsb) != n:
        raise _Bad
    if keys and (max(keys) > 0x10FFFF or max(glyphs) >= n):
        raise _Bad
    for numbers in (widths, aw):  # a sum is finite only when every number is (no NaN, no infinity)
        if numbers and (not math.isfinite(sum(numbers)) or min(numbers) < 0 or max(numbers) > 1e6):
            raise _Bad
    if wkeys and max(wkeys) > 0x10FFFF:
        raise _Bad
    if lsb and (min(lsb) < -32768 or max(lsb) > 65535):
        raise _Bad
    if pos[-1] > size or not all(map(operator.le, pos, islice(pos, 1, None))):  # offsets never go back
        raise _Bad
    char_to_glyph = dict(zip(keys, glyphs))
    _spot_check(out, char_to_glyph, pos, aw, font_bytes)
    out["charToGlyph"] = char_to_glyph
    out["charWidths"] = dict(zip(wkeys, widths))
    out["glyphPos"] = pos
    out["hmetrics"] = HMetrics(aw, lsb)
    if {"glyphToChar.keys", "glyphToChar.lengths", "glyphToChar.chars"} <= set(arrays):
        gk, gl, gc = arrays["glyphToChar.keys"], arrays["glyphToChar.lengths"], arrays["glyphToChar.chars"]
        if len(gk) != len(gl) or sum(gl) != len(gc):
            raise _Bad
        out["_nb_pending"] = {"glyphToChar": (gk, gl, gc)}
    return out


def _glyph_to_char(gk, gl, gc) -> dict:
    out, at = {}, 0
    for g, k in zip(gk, gl):
        out[g] = list(gc[at:at + k])
        at += k
    return out


def _spot_check(fields: dict, char_to_glyph: dict, pos, aw, data: bytes) -> None:
    """The glyph of every character of :data:`_ALWAYS_CHECKED` and of a sample spread over the map is the one the
    font file's own character map gives, and so are its outline offsets (loca) and advance width (hmtx)."""
    table = fields["table"]
    cmap = _CMap.of(data, table.get("cmap", {}).get("offset"))
    if cmap is None:  # a character map in a form we do not read: the shapes checked above must do
        return
    chars = [ord(c) for c in _ALWAYS_CHECKED if ord(c) in char_to_glyph]
    keys = list(char_to_glyph)
    step = max(1, len(keys) // _SAMPLED)
    chars += keys[::step][:_SAMPLED]
    head, hhea, loca, hmtx = (table.get(t, {}).get("offset") for t in ("head", "hhea", "loca", "hmtx"))
    try:
        long_loca = struct.unpack_from(">h", data, head + 50)[0] == 1 if head is not None else None
        n_hmetrics = struct.unpack_from(">H", data, hhea + 34)[0] if hhea is not None else 0
    except (struct.error, TypeError):
        raise _Bad from None
    for c in chars:
        g = char_to_glyph[c]
        if cmap.glyph(c) != g:
            raise _Bad
        try:
            if loca is not None and long_loca is not None:
                if long_loca:
                    want = struct.unpack_from(">II", data, loca + 4 * g)
                else:
                    want = tuple(2 * v for v in struct.unpack_from(">HH", data, loca + 2 * g))
                if (pos[g], pos[g + 1]) != want:
                    raise _Bad
            if hmtx is not None and g < n_hmetrics and aw[g] != struct.unpack_from(">H", data, hmtx + 4 * g)[0]:
                raise _Bad
        except struct.error:
            raise _Bad from None


class _CMap:
    """The Unicode subtables (formats 4 and 12) of a font's character map, for looking up a few characters."""

    def __init__(self, subtables):
        self.subtables = subtables

    @classmethod
    def of(cls, data: bytes, offset):
        if offset is None:
            return None
        try:
            _, count = struct.unpack_from(">HH", data, offset)
            subtables = []
            for i in range(min(count, 64)):
                platform, encoding, sub = struct.unpack_from(">HHI", data, offset + 4 + 8 * i)
                if not (platform == 0 or (platform == 3 and encoding in (1, 10))):
                    continue
                at = offset + sub
                fmt = struct.unpack_from(">H", data, at)[0]
                if fmt == 4:
                    seg = struct.unpack_from(">H", data, at + 6)[0] // 2
                    ends = _be_array("H", data, at + 14, seg)
                    starts = _be_array("H", data, at + 16 + 2 * seg, seg)
                    deltas = _be_array("H", data, at + 16 + 4 * seg, seg)
                    ranges_at = at + 16 + 6 * seg
                    subtables.append(("4", ends, starts, deltas, ranges_at, data))
                elif fmt == 12:
                    groups = struct.unpack_from(">I", data, at + 12)[0]
                    flat = _be_array("I", data, at + 16, 3 * groups)
                    subtables.append(("12", flat[1::3], flat[0::3], flat[2::3]))
        except struct.error:
            return None
        return cls(subtables) if subtables else None

    def glyph(self, c: int):
        """The glyph any Unicode subtable gives ``c`` (None: none maps it)."""
        found = set()
        for sub in self.subtables:
            if sub[0] == "4":
                _, ends, starts, deltas, ranges_at, data = sub
                i = bisect.bisect_left(ends, c)
                if i >= len(ends) or starts[i] > c:
                    continue
                ro = struct.unpack_from(">H", data, ranges_at + 2 * i)[0]
                if ro == 0:
                    g = (c + deltas[i]) & 0xFFFF
                else:
                    g = struct.unpack_from(">H", data, ranges_at + 2 * i + ro + 2 * (c - starts[i]))[0]
                    if g:
                        g = (g + deltas[i]) & 0xFFFF
                found.add(g)
            else:
                _, ends, starts, first = sub
                i = bisect.bisect_left(ends, c)
                if i < len(ends) and starts[i] <= c:
                    found.add(first[i] + c - starts[i])
        return next(iter(found)) if len(found) == 1 else (found or None)


def _be_array(code: str, data: bytes, at: int, count: int) -> array:
    a = array(code)
    size = a.itemsize * count
    if at < 0 or at + size > len(data):
        raise struct.error("outside the font")
    a.frombytes(data[at:at + size])
    if sys.byteorder == "little":
        a.byteswap()
    return a


def _read(entry: Path, ident: tuple):
    """``(fields, arrays)`` of the entry, ``FontRefused`` for a remembered refusal, or ``None``."""
    blob = _read_entry(entry)
    if blob is None:
        return None
    try:
        return _unpack(blob, ident)
    except (_Bad, ValueError, TypeError, KeyError, struct.error):
        return None


def _write(entry: Path, ident: tuple, fields) -> None:
    try:
        blob = _pack(ident, fields)
        if len(blob) > MAX_ENTRY_BYTES:
            return
        _write_entry(entry, blob)
    except Exception:  # noqa: BLE001 — no cache folder: fonts are parsed every time, as before
        pass


_face_class = None


def _cached_face_class():
    """``TTFontFace`` whose on-demand fields (:data:`_ON_DEMAND`) are decoded when first read."""
    global _face_class
    if _face_class is None:
        from reportlab.pdfbase.ttfonts import TTFontFace

        class CachedTTFontFace(TTFontFace):
            def get_table(self, tag):
                """The table's bytes; the glyph outlines (``glyf``, nearly all of a CJK font) as a window on the
                font's bytes: cutting a subset reads a few hundred glyphs of it, and copying the whole table
                (4 MB) for each subset cost more than the cutting."""
                if tag == "glyf":
                    pos, length = self.get_table_pos(tag)
                    return _Window(self._ttf_data, pos, length)
                return super().get_table(tag)

            def __getattr__(self, name):  # only for attributes not set on the instance
                pending = self.__dict__.get("_nb_pending")
                if pending and name in pending:
                    value = _glyph_to_char(*pending.pop(name))
                    setattr(self, name, value)
                    return value
                raise AttributeError(name)

        _face_class = CachedTTFontFace
    return _face_class


class _Window:
    """``data[start:start + length]`` without copying it: slicing gives the bytes of that part of it."""

    __slots__ = ("data", "start", "length")

    def __init__(self, data, start: int, length: int):
        self.data, self.start, self.length = data, start, length

    def __len__(self):
        return self.length

    def __getitem__(self, key):
        if isinstance(key, slice) and key.step is None:
            a, b, _ = key.indices(self.length)
            return self.data[self.start + a:self.start + max(a, b)]
        return bytes(self.data[self.start:self.start + self.length])[key]

    def __bytes__(self):
        return bytes(self.data[self.start:self.start + self.length])


def _font_bytes(path: Path):
    """The font file's bytes, mapped rather than read where the system can (a subset needs a few hundred of the
    glyphs of a 4–5 MB file; reading all of it was a tenth of the PDF export's own time). Read as before when
    reportlab may hand them to HarfBuzz (it wants ``bytes``) or the file cannot be mapped."""
    from reportlab.pdfbase import ttfonts

    with open(path, "rb") as fh:
        if getattr(ttfonts, "uharfbuzz", None) is None:
            import mmap
            try:
                return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError):
                pass
        return fh.read()


def _face_from_fields(path: Path, cached) -> object:
    """The face rebuilt from an entry's plain data, checked against the font file's bytes (raises _Bad)."""
    from reportlab.pdfbase import pdfmetrics

    data = _font_bytes(path)
    fields = _fields_from_entry(*cached, data)
    cls = _cached_face_class()
    face = cls.__new__(cls)
    pdfmetrics.TypeFace.__init__(face, None)
    face.__dict__.update(fields)
    face.filename = str(path)
    face._ttf_data = data
    units = face.unitsPerEm
    if units == 1000:
        face._pdfScale = lambda x: x
    else:
        mult = 1000 / units
        face._pdfScale = lambda x: x * mult
    return face


def _font_with_face(name: str, face):
    """A reportlab TTFont around an existing face: what ``TTFont.__init__`` does, minus parsing the file
    (tests compare every field with a font reportlab built itself)."""
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase import ttfonts

    font = ttfonts.TTFont.__new__(ttfonts.TTFont)
    font.fontName = name
    font.face = face
    font.encoding = ttfonts.TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, g) for g in getattr(ttfonts, "unShapedFontGlob", ()))
    return font


def _parse(name: str, path: Path, index: int):
    from reportlab.pdfbase.ttfonts import TTFont
    try:
        return TTFont(name, str(path), subfontIndex=index)
    except Exception as e:  # noqa: BLE001 — CFF outlines, restricted licence bits, broken or unreadable file
        raise FontRefused(f"{path}: {type(e).__name__}: {e}") from None


def load_ttfont(name: str, path, index: int = 0):
    """``reportlab.pdfbase.ttfonts.TTFont(name, path, subfontIndex=index)``, from the cache when it can be.

    Raises :class:`FontRefused` when reportlab cannot use the font."""
    path = Path(path)
    folder = cache_dir()
    ident = _identity(path, index) if folder is not None else None
    entry = _entry_path(folder, ident) if ident is not None else None
    if entry is not None:
        cached = _read(entry, ident)
        if cached is FontRefused:
            raise FontRefused(f"{path}: 已知不可嵌入")
        if cached is not None:
            try:
                return _font_with_face(name, _face_from_fields(path, cached))
            except Exception:  # noqa: BLE001 — a stale or foreign entry: parse the font instead
                pass
    try:
        font = _parse(name, path, index)
    except FontRefused:
        if entry is not None:
            _write(entry, ident, None)
        raise
    if entry is not None:
        _write(entry, ident, {k: v for k, v in vars(font.face).items() if k not in _NOT_CACHED})
    return font
