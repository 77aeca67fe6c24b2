"""Finding the fonts of an official document (公文) — one place for every exporter. Never imports Qt.

Roles (GB/T 9704-2012 as used for the annual report):

* ``title``  — 2号 方正小标宋简体, fallback 华文中宋 / 宋体
* ``body``   — 3号 仿宋_GB2312, fallback 仿宋 / 华文仿宋
* ``hei``    — 一、 headings, 黑体
* ``kai``    — （一） headings, 楷体_GB2312, fallback 楷体 / 华文楷体
* ``number`` — page numbers, 宋体

The system font folders are searched first (Windows ``%WINDIR%\\Fonts`` and the per-user font folder,
macOS and the fontconfig folders on Linux); a file is used only if it is a TrueType (glyf) font that may be
embedded, because the PDF must carry its fonts. Otherwise the open-licensed fonts bundled under
``resources/fonts/`` are used (see ``resources/fonts/build_fonts.py`` and the licence files beside it):
AR PL UMing CN (宋体-like, for title, body and numbers), AR PL UKai CN (楷体-like) and Droid Sans Fallback
(黑体-like, also the per-character fallback for characters missing from the chosen font).

``NIANBAO_FONT_DIRS`` (folders separated by ``os.pathsep``) replaces the system folders — set it to an empty
string to use only the bundled fonts (tests do this to get the same PDF on every machine).
"""
from __future__ import annotations

import os
import sys
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .resources import resource

ROLES = ("title", "body", "hei", "kai", "number")


@dataclass(frozen=True)
class FontFile:
    role: str
    family: str  # the name Word/WPS know it by (e.g. 仿宋_GB2312), or the bundled font's own name
    path: Path
    index: int = 0  # sub-font of a .ttc collection
    bundled: bool = False

    @property
    def key(self) -> str:
        """A name for the font that is unique per file and sub-font (used to register it with reportlab)."""
        stem = "".join(ch for ch in self.path.stem if ch.isascii() and ch.isalnum()) or "font"
        return f"nb-{stem}-{self.index}-{zlib.crc32(str(self.path).encode()) % 10**6}"


# (family as Word names it, [file names as installed on Windows/macOS/Linux]) — best first
SYSTEM_CANDIDATES: dict[str, list[tuple[str, list[str]]]] = {
    "title": [
        ("方正小标宋简体", ["FZXBSJW.TTF", "FZXBSK.TTF", "方正小标宋简体.ttf", "方正小标宋_GBK.ttf",
                            "FZXiaoBiaoSong-B05S.ttf"]),
        ("华文中宋", ["STZHONGS.TTF"]),
        ("宋体", ["simsun.ttc", "simsun.ttf"]),
        ("华文宋体", ["STSONG.TTF"]),
    ],
    "body": [
        ("仿宋_GB2312", ["FangSong_GB2312.ttf", "仿宋_GB2312.ttf", "fsgb2312.ttf", "FS_GB2312.ttf",
                         "SIMFANG_GB2312.TTF"]),
        ("仿宋", ["simfang.ttf"]),
        ("华文仿宋", ["STFANGSO.TTF"]),
    ],
    "hei": [
        ("黑体", ["simhei.ttf"]),
        ("华文黑体", ["STHEITI.TTF", "STXIHEI.TTF"]),
    ],
    "kai": [
        ("楷体_GB2312", ["KaiTi_GB2312.ttf", "楷体_GB2312.ttf", "kaiti_gb2312.ttf", "KT_GB2312.ttf"]),
        ("楷体", ["simkai.ttf"]),
        ("华文楷体", ["STKAITI.TTF"]),
    ],
    "number": [
        ("宋体", ["simsun.ttc", "simsun.ttf"]),
    ],
}

BUNDLED = {
    "song": ("AR PL UMing CN", "nianbao-song.ttf"),
    "kai": ("AR PL UKai CN", "nianbao-kai.ttf"),
    "hei": ("Droid Sans Fallback", "DroidSansFallbackFull.ttf"),
}
_BUNDLED_FOR_ROLE = {"title": "song", "body": "song", "number": "song", "kai": "kai", "hei": "hei"}
FALLBACK = "hei"  # Droid Sans Fallback covers ~21 000 CJK characters


def system_font_dirs() -> list[Path]:
    env = os.environ.get("NIANBAO_FONT_DIRS")
    if env is not None:
        return [Path(p) for p in env.split(os.pathsep) if p]
    dirs: list[Path] = []
    if sys.platform.startswith("win"):
        windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows"
        dirs.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs += [Path("/System/Library/Fonts"), Path("/Library/Fonts"), Path.home() / "Library" / "Fonts"]
    else:
        data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        dirs.append(Path(data_home) / "fonts")
        dirs.append(Path.home() / ".fonts")
        for d in (os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":"):
            if d:
                dirs.append(Path(d) / "fonts")
    seen: set[Path] = set()
    out: list[Path] = []
    for folder in dirs:
        if folder not in seen:
            seen.add(folder)
            out.append(folder)
    return out


@lru_cache(maxsize=8)
def _index(dirs: tuple[Path, ...]) -> dict[str, Path]:
    """Lower-case file name -> path of every font file under the folders (first found wins)."""
    found: dict[str, Path] = {}
    for d in dirs:
        if not d.is_dir():
            continue
        for root, _subdirs, files in os.walk(d):
            for name in files:
                if name.lower().endswith((".ttf", ".ttc")):
                    found.setdefault(name.lower(), Path(root) / name)
    return found


@lru_cache(maxsize=64)
def embeddable(path: Path, index: int = 0) -> bool:
    """True when reportlab can load and embed the font: TrueType outlines, embedding permitted."""
    from .fontcache import FontRefused, load_ttfont
    try:
        load_ttfont("probe", path, index)
    except FontRefused:  # CFF outlines, restricted licence bits, broken or unreadable file
        return False
    return True


def bundled_font(kind: str) -> FontFile:
    family, name = BUNDLED[kind]
    return FontFile(kind, family, resource("fonts", name), 0, True)


def find_font(role: str, use_system: bool = True) -> FontFile:
    """The font file for a role: an installed 公文 font when there is a usable one, else the bundled one."""
    if role not in ROLES:
        raise KeyError(role)
    if use_system:
        index = _index(tuple(system_font_dirs()))
        for family, names in SYSTEM_CANDIDATES[role]:
            for name in names:
                path = index.get(name.lower())
                if path is not None and embeddable(path, 0):
                    return FontFile(role, family, path, 0, False)
    f = bundled_font(_BUNDLED_FOR_ROLE[role])
    return FontFile(role, f.family, f.path, f.index, True)


def font_set(use_system: bool = True) -> dict[str, FontFile]:
    return {role: find_font(role, use_system) for role in ROLES}


# the names GB/T 9704 documents ask for, by role (what the template writes)
def _standard_names() -> dict[str, str]:
    from .resources import typesetting
    return dict(typesetting()["fonts"])


STANDARD_NAMES = _standard_names()  # from the one typesetting spec
SETTING_STANDARD_NAMES = "docx_standard_font_names"  # user setting: keep the standard names (for a print shop)


def docx_font_names(standard: bool | None = None) -> tuple[dict[str, str], list[str]]:
    """``(standard name -> name to write in a DOCX, notes)`` for this PC.

    Where a 公文 font is missing but a substitute is installed (仿宋_GB2312 absent, 仿宋 present), the DOCX names
    the installed one, so Word/WPS on this PC print what the preview showed. Where nothing suitable is installed
    the standard name stays (the bundled fonts are not installed fonts; Word would substitute anyway). With
    ``standard`` (default: the user setting) the standard names are kept. Notes say, in Chinese, what was
    substituted, for the export message."""
    if standard:
        return {}, []
    mapping: dict[str, str] = {}
    notes: list[str] = []
    absent: list[str] = []  # one note for all of them, not one line per font on every export
    for role, std in STANDARD_NAMES.items():
        if std in mapping:
            continue
        f = find_font(role)
        if f.bundled:
            if std not in absent:
                absent.append(std)
        elif f.family != std:
            mapping[std] = f.family
            notes.append(f"本机没有“{std}”，Word 文档中改用已安装的“{f.family}”（如需交付印刷厂，"
                         "可设置保留标准字体名）。")
    if absent:
        names = "、".join(f"“{n}”" for n in absent)
        notes.insert(0, f"本机未安装{names}或可替代的字体，Word 文档中仍写这些标准字体名（打开文档的电脑会自行替换）。")
    if mapping and standard is None:  # the setting is read only when it matters
        try:
            from .userdata import get_setting
            if get_setting(SETTING_STANDARD_NAMES, False):
                return {}, []
        except Exception:  # noqa: BLE001 — an unreadable settings file must not stop an export
            pass
    return mapping, notes


def fallback_font() -> FontFile:
    return bundled_font(FALLBACK)


def missing_bundled_fonts() -> list[Path]:
    """Bundled font files that are not where they should be (a broken install)."""
    return [resource("fonts", name) for _family, name in BUNDLED.values() if not resource("fonts", name).is_file()]


# ----- reportlab -------------------------------------------------------------------------------------------

def register_reportlab(font: FontFile) -> str:
    """Register the font with reportlab (once) and return its reportlab name."""
    from reportlab.pdfbase import pdfmetrics

    from .fontcache import load_ttfont

    name = font.key
    # not pdfmetrics.getFont(name): for a name not yet registered it parses every AFM file reportlab can
    # find (bruteForceSearchForAFM) before giving up, on every fresh process
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(load_ttfont(name, font.path, font.index))
    return name


def reportlab_has_char(fontname: str, ch: str) -> bool:
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(fontname).face
    return ord(ch) in face.charToGlyph
