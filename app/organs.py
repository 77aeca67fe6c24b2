"""Organ names compared as a reviewer would: "洪泽区人民政府" (2023) and "淮安市洪泽区人民政府" (2024) are one organ.

:func:`organ_key` normalises what offices vary without meaning anything by it:
  * width: full-width letters, digits and brackets as half-width (NFKC), blanks removed;
  * brackets: every kind of bracket dropped, its content kept ("县政府办公室（县外事办）" = "县政府办公室(县外事办)");
  * a leading place name of a higher level: "江苏省淮安市洪泽区…" → "洪泽区…", but only when what follows it starts
    with a place name itself, so "淮安市民政局" stays "淮安市民政局" (it is not "民政局" of any city).
:func:`same_organ` also keeps apart names whose leading places disagree ("北京市朝阳区…" and "长春市朝阳区…"
share a key but not a place); a name without a leading place pairs with either.
"""
from __future__ import annotations

import re
import unicodedata

_BLANKS_AND_BRACKETS = re.compile(r"[\s()\[\]{}（）【】〔〕［］〈〉《》「」『』<>]")
# a place name that can stand above the organ's own: province, region, city, league, district, county
_UPPER = re.compile(r"^([\u4e00-\u9fff]{1,8}?(?:省|自治区|特别行政区|自治州|地区|盟|市|区|县|旗))")
# a place name an organ's name can start with (the organ's own place, or an administrative area)
_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,8}?(?:自治州|自治县|自治旗|新区|林区|特区|市|区|县|旗|州|镇|乡|街道)")
# organ words that end like a place name but are not one ("市场监督管理局" starts with 市 on its own)
_NOT_PLACE = ("市场", "区域", "县域", "乡村", "镇村", "街道办")


def normalise(name: str) -> str:
    """Width, blanks and brackets normalised; the text otherwise as written."""
    return _BLANKS_AND_BRACKETS.sub("", unicodedata.normalize("NFKC", name or ""))


def split_place(name: str) -> tuple[str, str]:
    """(leading higher-level places, the rest) of a normalised name:
    "淮安市洪泽区人民政府" → ("淮安市", "洪泽区人民政府")."""
    t = normalise(name)
    prefix = ""
    while True:
        m = _UPPER.match(t)
        if not m:
            break
        rest = t[m.end():]
        if not _starts_with_place(rest):
            break
        prefix += m.group(1)
        t = rest
    return prefix, t


def _starts_with_place(text: str) -> bool:
    if not text or text.startswith(_NOT_PLACE):
        return False
    m = _PLACE.match(text)
    return bool(m) and len(text) > m.end()  # a place and then the organ's own words


def organ_key(name: str) -> str:
    """The comparison key of an organ name (see the module's description)."""
    return split_place(name)[1]


def same_organ(a: str, b: str) -> bool:
    """Same key, and leading places that agree (one of them may have none, or name fewer levels)."""
    pa, ka = split_place(a)
    pb, kb = split_place(b)
    if ka != kb or not ka:
        return False
    return not pa or not pb or pa.endswith(pb) or pb.endswith(pa)


def display_name(names) -> str:
    """The fullest of the names one organ was written as (the one with the most places), for lists and notices."""
    names = [n for n in names if n]
    return max(names, key=lambda n: (len(normalise(n)), n)) if names else ""


__all__ = ["normalise", "split_place", "organ_key", "same_organ", "display_name"]
