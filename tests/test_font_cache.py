"""The reportlab font cache (app.fontcache): what a cached font gives is what reportlab's own parse gives; the PDF
is the same with a cold, warm, corrupt or stale cache; refusals are remembered; a cache that cannot be written
costs time, nothing else.

The font cache trusts nothing it finds in its folder: a pipe planted as an entry does not block the export, a
symbolic link planted under an entry's name is replaced (the file it points to is never written), entries are plain
data (a planted marshal entry with code objects is not ours), and a glyph table tampered with — its checksum
recomputed — is caught by checking the glyphs against the font file itself. The folder is private (0700)."""
from __future__ import annotations

import hashlib
import io
import marshal
import os
import stat
import subprocess
import sys

import pytest

import pypdf

from reportlab.pdfbase import ttfonts

from app import fontcache as C
from app import fonts as F

from conftest import FIXTURES, ROOT

posix_only = pytest.mark.skipif(os.name != "posix", reason="pipes, links and modes as on POSIX")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("NIANBAO_CACHE_DIR", str(folder))
    return folder / "fonts"


@pytest.fixture
def parses(monkeypatch):
    """How many times reportlab really parsed a font file (the real parser runs; it is only counted)."""
    calls = []
    real = ttfonts.TTFontFile.extractInfo

    def counted(self, *a, **k):
        calls.append(getattr(self, "filename", "?"))
        return real(self, *a, **k)

    monkeypatch.setattr(ttfonts.TTFontFile, "extractInfo", counted)
    return calls


def _same_font(a, b):
    for name in C._ON_DEMAND:  # decoded on first use
        getattr(a.face, name), getattr(b.face, name)
    assert set(vars(a)) == set(vars(b))
    assert (a.fontName, a._asciiReadable, a.shapable) == (b.fontName, b._asciiReadable, b.shapable)
    fa, fb = ({k: v for k, v in vars(f.face).items() if k != "_nb_pending"} for f in (a, b))
    assert set(fa) == set(fb)
    for key in fa:
        if key in ("glyphPos", "hmetrics"):  # kept as arrays in the cache: the same numbers, read by index
            assert len(fa[key]) == len(fb[key]) and list(fa[key]) == list(fb[key]), key
            assert all(fa[key][i] == fb[key][i] for i in (0, 1, len(fa[key]) // 2, len(fa[key]) - 1)), key
        elif key == "_ttf_data":  # the cached font maps the file instead of reading it: the same bytes
            assert fa[key][:] == fb[key][:] and len(fa[key]) == len(fb[key])
        elif key == "_pdfScale":
            assert [fa[key](x) for x in (0, 1, 77, 2048)] == [fb[key](x) for x in (0, 1, 77, 2048)]
        else:
            assert fa[key] == fb[key], key
            assert type(fa[key]) is type(fb[key]), key
    for name in ("name", "familyName", "fullName"):
        assert getattr(a.face, name).ustr == getattr(b.face, name).ustr
    assert a.stringWidth("政府信息公开2023年（一）", 16) == b.stringWidth("政府信息公开2023年（一）", 16)


@pytest.mark.parametrize("kind", sorted(F.BUNDLED))
def test_a_cached_font_is_the_font_reportlab_parses(kind, cache, parses):
    path = F.bundled_font(kind).path
    parsed = ttfonts.TTFont("nb-probe", str(path))
    assert len(parses) == 1
    cold = C.load_ttfont("nb-probe", path)  # parses and writes the entry
    assert len(parses) == 2 and len(list(cache.iterdir())) == 1
    warm = C.load_ttfont("nb-probe", path)  # from the entry: no parse
    assert len(parses) == 2
    _same_font(parsed, cold)
    _same_font(parsed, warm)


def test_a_changed_corrupt_or_foreign_entry_is_never_used(cache, parses, tmp_path):
    font = tmp_path / "font.ttf"
    font.write_bytes(F.bundled_font("kai").path.read_bytes())
    C.load_ttfont("a", font)
    entry = next(cache.iterdir())
    assert len(parses) == 1
    # one flipped byte in the entry: its checksum fails, the font is parsed again and the entry rewritten
    blob = bytearray(entry.read_bytes())
    blob[-10] ^= 0xFF
    entry.write_bytes(bytes(blob))
    C.load_ttfont("a", font)
    assert len(parses) == 2
    C.load_ttfont("a", font)
    assert len(parses) == 2
    # a truncated entry, then an entry that is not ours at all
    for junk in (entry.read_bytes()[:100], b"\x00" * 50, b""):
        entry.write_bytes(junk)
        C.load_ttfont("a", font)
    assert len(parses) == 5
    # the font file replaced by another one at the same path (size and time differ): parsed again, and the
    # font is the new one, not the cached old one
    font.write_bytes(F.bundled_font("song").path.read_bytes())
    os.utime(font, ns=(1, 1))
    got = C.load_ttfont("a", font)
    assert len(parses) == 6
    _same_font(got, ttfonts.TTFont("a", str(font)))


def test_a_refused_font_is_remembered(cache, parses, tmp_path):
    bad = tmp_path / "simfang.ttf"
    bad.write_bytes(b"not a font at all" * 10)
    F.embeddable.cache_clear()
    assert not F.embeddable(bad)
    n = len(parses)
    F.embeddable.cache_clear()
    assert not F.embeddable(bad)
    assert len(parses) == n  # the refusal came from the cache
    with pytest.raises(C.FontRefused):
        C.load_ttfont("x", bad)
    F.embeddable.cache_clear()


def test_no_cache_folder_or_an_unwritable_one_only_costs_time(tmp_path, monkeypatch, parses):
    path = F.bundled_font("kai").path
    monkeypatch.setenv("NIANBAO_CACHE_DIR", "")  # turned off
    assert C.cache_dir() is None
    C.load_ttfont("a", path)
    C.load_ttfont("a", path)
    assert len(parses) == 2
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("NIANBAO_CACHE_DIR", str(blocker))
    _same_font(C.load_ttfont("a", path), ttfonts.TTFont("a", str(path)))


def _export_pages(tmp_path, cache_dir, name):
    out = tmp_path / name
    env = dict(os.environ, NIANBAO_CACHE_DIR=str(cache_dir), NIANBAO_FONT_DIRS="", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "app.cli", "export", str(FIXTURES / "wuzhong-minzheng-2023.nianbao"),
                           "-o", str(out)], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    pages = [page.get_contents().get_data() for page in reader.pages]
    fonts = sorted({str(f["/BaseFont"]) for page in reader.pages for f in page["/Resources"]["/Font"].values()})
    # the embedded font subsets themselves (cut with the glyph offsets and metrics the cache keeps)
    subsets = sorted({(str(f["/BaseFont"]), f.get_object()["/FontDescriptor"]["/FontFile2"].get_data())
                      for page in reader.pages for f in page["/Resources"]["/Font"].values()
                      if "/FontDescriptor" in f.get_object()})
    assert subsets
    return pages, fonts, subsets


def test_the_pdf_is_the_same_with_a_cold_warm_and_corrupt_cache(tmp_path):
    """Each export in its own process, as a clerk runs it: page contents and fonts identical."""
    folder = tmp_path / "cache"
    cold = _export_pages(tmp_path, folder, "cold.pdf")
    entries = sorted((folder / "fonts").iterdir())
    assert len(entries) == 3  # song, kai, the fallback
    warm = _export_pages(tmp_path, folder, "warm.pdf")
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:-1] + b"\x00")
    corrupt = _export_pages(tmp_path, folder, "corrupt.pdf")
    off = _export_pages(tmp_path, "", "off.pdf")
    assert cold == warm == corrupt == off
    assert len(cold[0]) >= 5


# ---------------------------------------------------------------------------------------------
# what is planted in the cache folder

def entry_of(folder, path, index=0):
    return C._entry_path(folder, C._identity(path, index))


@posix_only
def test_a_pipe_planted_as_an_entry_does_not_block_the_export(tmp_path):
    folder = tmp_path / "cache"
    fonts_dir = folder / "fonts"
    fonts_dir.mkdir(parents=True, mode=0o700)
    for kind in F.BUNDLED:
        os.mkfifo(entry_of(fonts_dir, F.bundled_font(kind).path))
    out = tmp_path / "r.pdf"
    env = dict(os.environ, NIANBAO_CACHE_DIR=str(folder), NIANBAO_FONT_DIRS="", PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-m", "app.cli", "export", str(FIXTURES / "wuzhong-minzheng-2023.nianbao"),
                        "-o", str(out)], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes().startswith(b"%PDF")
    for kind in F.BUNDLED:  # the pipes were replaced by real entries, never written into
        entry = entry_of(fonts_dir, F.bundled_font(kind).path)
        if entry.exists():
            assert stat.S_ISREG(os.lstat(entry).st_mode)


@posix_only
def test_a_link_planted_under_an_entrys_name_is_replaced_not_written_through(cache, tmp_path, parses):
    path = F.bundled_font("kai").path
    cache.mkdir(parents=True, mode=0o700)
    victim = tmp_path / "我的文件.docx"
    victim.write_bytes(b"the clerk's own file")
    entry = entry_of(cache, path)
    entry.symlink_to(victim)
    C.load_ttfont("a", path)
    assert victim.read_bytes() == b"the clerk's own file"
    assert not entry.is_symlink() and stat.S_ISREG(os.lstat(entry).st_mode)
    C.load_ttfont("a", path)
    assert len(parses) == 1  # the real entry is used


@posix_only
def test_a_linked_cache_folder_is_not_used(tmp_path, monkeypatch, parses):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "fonts").symlink_to(elsewhere)
    monkeypatch.setenv("NIANBAO_CACHE_DIR", str(tmp_path / "cache"))
    path = F.bundled_font("kai").path
    C.load_ttfont("a", path)
    C.load_ttfont("a", path)
    assert list(elsewhere.iterdir()) == [] and len(parses) == 2


@posix_only
def test_the_folder_is_private_and_entries_of_others_are_not_trusted(cache, parses):
    path = F.bundled_font("kai").path
    C.load_ttfont("a", path)
    assert stat.S_IMODE(os.stat(cache).st_mode) == 0o700
    entry = entry_of(cache, path)
    assert stat.S_IMODE(os.stat(entry).st_mode) == 0o600
    os.chmod(cache, 0o777)  # loosened by someone: tightened again before use
    C.load_ttfont("a", path)
    assert stat.S_IMODE(os.stat(cache).st_mode) == 0o700 and len(parses) == 1
    os.chmod(entry, 0o666)  # an entry anybody could have written: not used, replaced
    C.load_ttfont("a", path)
    assert len(parses) == 2 and stat.S_IMODE(os.stat(entry).st_mode) == 0o600
    if os.getuid() == 0:  # root can give the entry to another user: not ours, not used
        os.chown(entry, 65534, 65534)
        C.load_ttfont("a", path)
        assert len(parses) == 3


def test_a_marshal_entry_with_code_objects_is_not_ours(cache, parses):
    path = F.bundled_font("kai").path
    ident = C._identity(path, 0)
    ran = cache.parent / "ran"
    code = compile(f"open({str(ran)!r}, 'w').write('x')", "planted", "exec")
    payload = marshal.dumps((ident, {"charToGlyph": code, "numGlyphs": code}))
    cache.mkdir(parents=True, mode=0o700)
    entry = entry_of(cache, path)
    entry.write_bytes(C.MAGIC + hashlib.sha256(payload).digest() + payload)
    os.chmod(entry, 0o600)
    font = C.load_ttfont("a", path)
    assert len(parses) == 1 and not ran.exists()
    assert font.face.charToGlyph == ttfonts.TTFont("b", str(path)).face.charToGlyph
    assert b"marshal" not in entry.read_bytes() and entry.read_bytes().startswith(C.MAGIC)


def _tampered(cache, path, change):
    """The entry rewritten by ``change(fields, arrays)`` with a correct checksum (as an attacker would)."""
    ident = C._identity(path, 0)
    entry = entry_of(cache, path)
    fields, arrays = C._unpack(entry.read_bytes(), ident)
    change(fields, arrays)
    header_arrays = [(name, arrays[name]) for name in arrays]
    import json
    import struct
    head = json.dumps({"ident": ident, "fields": fields,
                       "arrays": [[n, a.typecode, len(a) * a.itemsize] for n, a in header_arrays]}).encode()
    payload = struct.pack("<I", len(head)) + head + b"".join(a.tobytes() for _, a in header_arrays)
    entry.write_bytes(C.MAGIC + hashlib.sha256(payload).digest() + payload)
    os.chmod(entry, 0o600)


@pytest.mark.parametrize("what", ["swap 2 and 8", "swap outlines of 3 and 7", "rare character", "NaN width",
                                  "glyph out of range", "offsets going back"])
def test_a_tampered_glyph_table_with_a_recomputed_checksum_is_caught(cache, parses, what):
    path = F.bundled_font("song").path
    truth = ttfonts.TTFont("t", str(path)).face
    parses.clear()
    C.load_ttfont("a", path)
    assert len(parses) == 1

    def change(fields, arrays):
        keys, glyphs = list(arrays["charToGlyph.keys"]), arrays["charToGlyph.values"]
        at = {c: i for i, c in enumerate(keys)}
        if what == "swap 2 and 8":
            i, j = at[ord("2")], at[ord("8")]
            glyphs[i], glyphs[j] = glyphs[j], glyphs[i]
        elif what == "swap outlines of 3 and 7":
            pos = arrays["glyphPos"]
            g3, g7 = glyphs[at[ord("3")]], glyphs[at[ord("7")]]
            pos[g3], pos[g7] = pos[g7], pos[g3]
        elif what == "rare character":  # one of the sample spread over the map
            step = max(1, len(keys) // C._SAMPLED)
            i = step * 5
            glyphs[i] = (glyphs[i] + 1) % fields["numGlyphs"]
        elif what == "NaN width":
            arrays["charWidths.values"][0] = float("nan")
        elif what == "glyph out of range":
            glyphs[at[ord("年")]] = fields["numGlyphs"] + 5
        elif what == "offsets going back":
            arrays["glyphPos"][100] = arrays["glyphPos"][101] + 10
    _tampered(cache, path, change)
    font = C.load_ttfont("a", path)
    assert len(parses) == 2  # not used: the font was parsed again
    for ch in "0123456789年〔〕号":
        assert font.face.charToGlyph[ord(ch)] == truth.charToGlyph[ord(ch)], ch
    assert list(font.face.glyphPos) == list(truth.glyphPos)


@posix_only
@pytest.mark.parametrize("plant", ["folder", "huge sparse file", "link to /dev/zero"])
def test_other_things_planted_under_an_entrys_name(cache, parses, plant):
    path = F.bundled_font("kai").path
    cache.mkdir(parents=True, mode=0o700)
    entry = entry_of(cache, path)
    if plant == "folder":
        entry.mkdir()
    elif plant == "huge sparse file":
        with open(entry, "wb") as fh:
            fh.truncate(10 * 1024 ** 3)  # 10 GB that are not there: never read
        os.chmod(entry, 0o600)
    else:
        entry.symlink_to("/dev/zero")
    font = C.load_ttfont("a", path)
    assert font.face.numGlyphs > 1000 and len(parses) == 1
    C.load_ttfont("a", path)
    assert len(parses) == (2 if plant == "folder" else 1)  # a folder cannot be replaced by a file: parsed again
    assert not [p.name for p in cache.iterdir() if p.name.endswith(".tmp")]  # no temporary file left


@pytest.mark.parametrize("kind", sorted(F.BUNDLED))
def test_a_cached_font_cuts_the_same_subsets_from_the_mapped_file(kind, cache, parses):
    """The cached face maps the font file and reads the glyph outlines through a window on it: every subset it
    cuts is byte for byte the one reportlab's own parse cuts (composite glyphs included)."""
    path = F.bundled_font(kind).path
    parsed = ttfonts.TTFont("nb-probe", str(path))
    C.load_ttfont("nb-probe", path)  # writes the entry
    cached = C.load_ttfont("nb-probe", path)
    assert len(parses) == 2  # the second load came from the cache
    assert bytes(cached.face.get_table("glyf")) == parsed.face.get_table("glyf")
    chars = sorted(cached.face.charToGlyph)
    for subset in ([0] + chars[:255], [0] + chars[-255:], [0] + chars[len(chars) // 2:len(chars) // 2 + 255]):
        assert cached.face.makeSubset(subset) == parsed.face.makeSubset(subset)


def test_the_window_on_the_font_bytes_slices_as_bytes_do():
    data = bytes(range(256)) * 4
    w = C._Window(data, 100, 300)
    part = data[100:400]
    assert len(w) == len(part) and bytes(w) == part
    for a, b in ((0, 10), (5, 5), (290, 400), (-10, None), (None, 3), (10, 2), (0, 300), (250, -20)):
        assert w[a:b] == part[a:b], (a, b)
    assert w[7] == part[7] and w[-1] == part[-1]
