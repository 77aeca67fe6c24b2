"""The reportlab font cache (app.fontcache): what a cached font gives is what reportlab's own parse gives; the PDF
is the same with a cold, warm, corrupt or stale cache; refusals are remembered; a cache that cannot be written
costs time, nothing else."""
from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

import pypdf

from reportlab.pdfbase import ttfonts

from app import fontcache as C
from app import fonts as F

from conftest import FIXTURES, ROOT


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
