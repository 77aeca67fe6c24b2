"""What a reviewer checks about the published document itself, read at import into ``Report.extra``:

* ``headings``: the section headings as the document words them (TEXT.HEADINGS compares them with the format);
* ``published`` / ``index_no``: 发布日期/发布时间 and 索引号 of a saved web page (META.DEADLINE uses the date);
* ``tables_missing``: statistical tables the document does not have as tables (TABLE.MISSING).

The words come from the format (its section headings and the ``known`` old headings of its ``headings`` rule).
"""
from __future__ import annotations

import difflib
import re

from ..formats import Format
from .base import Block

_TOP = re.compile(r"^\s*[#*\s]*([一二三四五六七八九十]{1,2})\s*[、.．]\s*(\S.{0,44})$")
_DATE = (r"((?:19|20)\d{2})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?")
_PUBLISHED = re.compile(r"(?:发布日期|发布时间|发文日期|公开日期|发布于)\s*[:：]?\s*" + _DATE)
_INDEX_NO = re.compile(r"索\s*引\s*号\s*[:：]?\s*([0-9A-Za-z][0-9A-Za-z\u4e00-\u9fff/〔〕\[\]（）()_.\-－—]{3,59})")
MAX_META_BLOCKS = 60  # blocks looked at before the body for the page's 发布日期 and 索引号


def _plain(text: str) -> str:
    return re.sub(r"[\s\u3000*#]+", "", text)


def headings(blocks: list[Block], fmt: Format) -> list[str]:
    """The top-level headings (一、… to 十、…) of the document that are one of the format's or an old heading the
    format knows, or near one of them (difflib ratio ≥ 0.5) — not the numbered points inside a section."""
    ours = [_plain(s["heading"]) for s in fmt.sections]
    known = next((r.get("known", {}) for r in fmt.rules if r["type"] == "headings"), {})
    out = []
    for b in blocks:
        text = b.text if b.kind == "p" else (b.cells[0].text if len(b.cells) == 1 else "")
        if not text or len(text) > 60 or "。" in text:
            continue
        m = _TOP.match(text)
        if not m:
            continue
        plain = _plain(f"{m.group(1)}、{m.group(2)}").rstrip("：:")
        words = plain.split("、", 1)[1]
        if words in known or plain in ours or any(
                difflib.SequenceMatcher(None, words, h.split("、", 1)[1]).ratio() >= 0.5 for h in ours):
            out.append(text.strip().strip("#* "))
    return out


def publication(blocks: list[Block], before: int | None = None) -> dict[str, str]:
    """发布日期 (ISO) and 索引号 of a saved web page, from the blocks above the report's body (the page's
    information table), else from its first :data:`MAX_META_BLOCKS` blocks."""
    out: dict[str, str] = {}
    end = min(len(blocks), before if before is not None else MAX_META_BLOCKS, MAX_META_BLOCKS)
    for b in blocks[:end]:
        texts = [b.text] if b.kind == "p" else [" ".join(c.text for c in b.cells)]
        for t in texts:
            if "published" not in out:
                m = _PUBLISHED.search(t)
                if m:
                    y, mo, d = (int(g) for g in m.groups())
                    if 1 <= mo <= 12 and 1 <= d <= 31:
                        out["published"] = f"{y:04d}-{mo:02d}-{d:02d}"
            if "index_no" not in out:
                m = _INDEX_NO.search(t)
                if m:
                    out["index_no"] = m.group(1).strip()
    return out


def looks_like_report(heads: dict) -> bool:
    """A document without readable tables is still a report when it has at least three of the report's section
    headings (the headings of tables published as pictures stay): then its tables are missing, and the rest can be
    read and checked. A title and a paragraph alone (text copied without its tables) is refused, saying so."""
    return len(heads) >= 3
