"""Rebuild the bundled CJK fonts under resources/fonts/ (a maintainer's tool, not run by the program).

The PDF export embeds TrueType (glyf-outline) fonts; reportlab cannot embed CFF/OpenType-PS outlines, so the
common Noto CJK fonts are of no use. When the 公文 fonts (仿宋/黑体/楷体/宋体) are not installed, the program
falls back to these open-licensed fonts:

  nianbao-song.ttf   AR PL UMing CN (Debian fonts-arphic-uming), Arphic Public License — 宋体-like
  nianbao-kai.ttf    AR PL UKai CN  (Debian fonts-arphic-ukai),  Arphic Public License — 楷体-like
  DroidSansFallbackFull.ttf  Droid Sans Fallback (Debian fonts-droid-fallback), Apache-2.0 — 黑体-like,
                     shipped unmodified; also the per-character fallback for anything the subsets lack.

The two Arphic fonts are cut down with fontTools to GB 2312 plus ASCII, Latin-1 and the punctuation, symbol
and full-width blocks (about 4.5 MB each instead of ~20 MB); embedded bitmaps are dropped. The licence texts
are copied beside them. Requires: ``apt-get install fonts-arphic-uming fonts-arphic-ukai fonts-droid-fallback``
and ``pip install fonttools``. Run: ``python resources/fonts/build_fonts.py``.
"""
from __future__ import annotations

import datetime
import gzip
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARPHIC = Path("/usr/share/fonts/truetype/arphic")
DROID = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
DOCS = Path("/usr/share/doc")

EXTRA_RANGES = [
    (0x20, 0x7E), (0xA0, 0xFF),  # ASCII, Latin-1
    (0x2000, 0x206F),  # general punctuation (— … “ ” ‘ ’)
    (0x2100, 0x218F),  # letterlike, Roman numerals
    (0x2190, 0x21FF), (0x2460, 0x24FF),  # arrows, circled numbers ①
    (0x2500, 0x25FF),  # box drawing, shapes
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3200, 0x32FF),  # enclosed CJK ㈠
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # full-width forms
]


def gb2312_chars() -> set[int]:
    out = set()
    for a in range(0xA1, 0xFF):
        for b in range(0xA1, 0xFF):
            try:
                out.add(ord(bytes([a, b]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    for lo, hi in EXTRA_RANGES:
        out.update(range(lo, hi + 1))
    return out


def subset(src: Path, index: int, dest: Path, what: str) -> None:
    from fontTools import subset as fts
    from fontTools.ttLib import TTFont

    font = TTFont(src, fontNumber=index)
    opts = fts.Options()
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.hinting = False
    opts.drop_tables += ["EBDT", "EBLC", "EBSC", "BDF", "FFTM"]
    sub = fts.Subsetter(opts)
    sub.populate(unicodes=sorted(gb2312_chars()))
    sub.subset(font)
    note = (f"Modified {datetime.date.today().isoformat()} by nianbao resources/fonts/build_fonts.py: "
            f"subset of {what} to GB 2312 and punctuation; embedded bitmaps removed.")
    font["name"].setName(note, 10, 3, 1, 0x409)
    font.save(dest)
    print(f"{dest.name}: {dest.stat().st_size // 1024} KB")


def main() -> None:
    subset(ARPHIC / "uming.ttc", 0, HERE / "nianbao-song.ttf", "AR PL UMing CN")
    subset(ARPHIC / "ukai.ttc", 0, HERE / "nianbao-kai.ttf", "AR PL UKai CN")
    shutil.copyfile(DROID, HERE / "DroidSansFallbackFull.ttf")
    with gzip.open(DOCS / "fonts-arphic-uming/license/english/ARPHICPL.TXT.gz", "rb") as fh:
        (HERE / "LICENSE-ARPHIC.txt").write_bytes(fh.read())
    with gzip.open(DOCS / "fonts-arphic-uming/license/zh_CN.utf-8/ARPHICPL.txt.gz", "rb") as fh:
        (HERE / "LICENSE-ARPHIC.zh_CN.txt").write_bytes(fh.read())
    shutil.copyfile("/usr/share/common-licenses/Apache-2.0", HERE / "LICENSE-APACHE-2.0.txt")
    shutil.copyfile(DOCS / "fonts-droid-fallback/copyright", HERE / "COPYRIGHT-DROID.txt")


if __name__ == "__main__":
    main()
