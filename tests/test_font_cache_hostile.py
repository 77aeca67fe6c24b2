"""The font cache trusts nothing it finds in its folder: a pipe planted as an entry does not block the export, a
symbolic link planted under an entry's name is replaced (the file it points to is never written), entries are plain
data (a planted marshal entry with code objects is not ours), and a glyph table tampered with — its checksum
recomputed — is caught by checking the glyphs against the font file itself. The folder is private (0700)."""
from __future__ import annotations

import hashlib
import marshal
import os
import stat
import subprocess
import sys

import pytest

import reportlab  # noqa: F401  (required)

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
    calls = []
    real = ttfonts.TTFontFile.extractInfo

    def counted(self, *a, **k):
        calls.append(1)
        return real(self, *a, **k)

    monkeypatch.setattr(ttfonts.TTFontFile, "extractInfo", counted)
    return calls


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
