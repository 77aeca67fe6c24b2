"""reportlab TrueType fonts, with what reportlab reads from a font file kept between runs (never imports Qt).

Loading a CJK font with reportlab (``TTFont(...)``) parses its character map and metrics in Python: about
40 ms for a bundled 8 000-glyph font and 120 ms for the 49 000-glyph fallback font, on every fresh process —
half of what ``nianbao export -o X.pdf`` cost before this cache. What the parse produces (the face's fields:
character → glyph map, widths, glyph offsets, names, flags) is kept in the user's cache folder, one file per
font file and sub-font, and the next run rebuilds the face from it and reads only the font file's bytes (which
the PDF needs for embedding).

An entry is used only when everything it was made from still matches: the font file's absolute path, sub-font,
size and modification time, reportlab's version, Python's version and :data:`CACHE_VERSION`; and its checksum
is right. Otherwise — no cache folder, an unreadable or corrupt entry, a font that changed — the font is parsed
as before, and the entry is (re)written atomically. The cache is only ever a shortcut: any failure in it falls
back to reportlab's own parse, and nothing of it goes into a document.

A font reportlab refuses (no embedding permitted, CFF outlines, broken) is remembered as refused, so that the
search for installed 公文 fonts does not parse it again on every run.

``NIANBAO_CACHE_DIR`` replaces the platform's cache folder (tests; an empty value turns the cache off).
"""
from __future__ import annotations

import hashlib
import marshal
from array import array
import os
import sys
from pathlib import Path

CACHE_VERSION = 2  # 2: glyph offsets and metrics as arrays
MAGIC = b"nianbao-font-cache\n"
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # far above the largest CJK font's metrics (~3 MB); bounds a corrupt file
# face fields that are not data: the font file's bytes (read afresh), the scale function (rebuilt from unitsPerEm)
_NOT_CACHED = ("_ttf_data", "_pdfScale")
# fields reportlab fills while parsing and never reads afterwards (glyph -> characters: a third of the entry):
# kept, but decoded only if something asks for them
_ON_DEMAND = ("glyphToChar",)


class FontRefused(Exception):
    """reportlab cannot load or embed this font (said once, then remembered in the cache)."""


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


def _encode(key, value):
    from reportlab.pdfbase.ttfonts import TTFNameBytes
    if isinstance(value, TTFNameBytes):
        return ("TTFNameBytes", bytes(value), value.ustr)
    if key == "glyphPos" and isinstance(value, list) and all(0 <= v < 2 ** 32 for v in value):
        offsets = array("I", value)
        return ("array", "I", offsets.itemsize, offsets.tobytes())
    if key == "hmetrics" and isinstance(value, list):
        aw = array("d", (float(a) for a, _ in value))
        if all(aw[i] == a for i, (a, _) in enumerate(value)):  # every width a float exactly (they are 0–65535)
            return ("HMetrics", aw.itemsize, aw.tobytes(), array("l", (b for _, b in value)).tobytes())
    return value


def _decode(value):
    if isinstance(value, tuple) and value:
        if value[0] == "TTFNameBytes" and len(value) == 3:
            from reportlab.pdfbase.ttfonts import TTFNameBytes
            out = bytes.__new__(TTFNameBytes, value[1])
            out.ustr = value[2]
            return out
        if value[0] == "array" and len(value) == 4:
            out = array(value[1])
            if out.itemsize != value[2]:
                raise ValueError("array item size")
            out.frombytes(value[3])
            return out
        if value[0] == "HMetrics" and len(value) == 4:
            aw, lsb = array("d"), array("l")
            if aw.itemsize != value[1]:
                raise ValueError("array item size")
            aw.frombytes(value[2])
            lsb.frombytes(value[3])
            if len(aw) != len(lsb):
                raise ValueError("hmetrics")
            return HMetrics(aw, lsb)
    return value


def _read(entry: Path, ident: tuple):
    """The cached face fields (a dict), ``FontRefused`` for a remembered refusal, or ``None``."""
    try:
        with open(entry, "rb") as fh:
            blob = fh.read(MAX_ENTRY_BYTES + 1)
    except OSError:
        return None
    if len(blob) > MAX_ENTRY_BYTES or not blob.startswith(MAGIC):
        return None
    digest, payload = blob[len(MAGIC):len(MAGIC) + 32], blob[len(MAGIC) + 32:]
    if hashlib.sha256(payload).digest() != digest:
        return None
    try:
        stored_ident, fields = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    if stored_ident != ident:
        return None
    if fields is None:
        return FontRefused
    return fields if isinstance(fields, dict) else None


def _write(entry: Path, ident: tuple, fields) -> None:
    try:
        payload = marshal.dumps((ident, fields))
        if len(payload) > MAX_ENTRY_BYTES:
            return
        from .project import atomic_write
        entry.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(entry, MAGIC + hashlib.sha256(payload).digest() + payload, backup=False)
    except Exception:  # noqa: BLE001 — a cache that cannot be written only costs time next run
        pass


_face_class = None


def _cached_face_class():
    """``TTFontFace`` whose on-demand fields (:data:`_ON_DEMAND`) are decoded when first read."""
    global _face_class
    if _face_class is None:
        from reportlab.pdfbase.ttfonts import TTFontFace

        class CachedTTFontFace(TTFontFace):
            def __getattr__(self, name):  # only for attributes not set on the instance
                pending = self.__dict__.get("_nb_pending")
                if pending and name in pending:
                    value = marshal.loads(pending.pop(name))
                    setattr(self, name, value)
                    return value
                raise AttributeError(name)

        _face_class = CachedTTFontFace
    return _face_class


def _face_from_fields(path: Path, fields: dict):
    from reportlab.pdfbase import pdfmetrics

    cls = _cached_face_class()
    face = cls.__new__(cls)
    pdfmetrics.TypeFace.__init__(face, None)
    face._nb_pending = {k: fields.pop(k) for k in _ON_DEMAND if isinstance(fields.get(k), bytes)}
    face.__dict__.update({k: _decode(v) for k, v in fields.items()})
    face.filename = str(path)
    with open(path, "rb") as fh:
        face._ttf_data = fh.read()
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
        fields = {k: _encode(k, v) for k, v in vars(font.face).items() if k not in _NOT_CACHED}
        for k in _ON_DEMAND:
            if k in fields:
                fields[k] = marshal.dumps(fields[k])
        _write(entry, ident, fields)
    return font
