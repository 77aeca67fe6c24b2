"""Copied paragraphs and long copied sentences between two texts (内容雷同 below the level of a whole section).

A section can be mostly new and still hold two paragraphs of another organ's report, or of last year's, word for
word. The texts are compared without blanks, punctuation and digits (a copied sentence with the year or a count
changed is still a copied sentence), by shingles of :data:`SHINGLE` characters: a character of a paragraph counts
as copied when a shingle covering it occurs in the other text. A paragraph is reported when at least ``share`` of
its characters are copied and it has at least ``min_paragraph`` characters; a sentence of another paragraph when
at least ``min_sentence`` of its characters, and ``share`` of them, are copied. Linear in the length of both texts (a set of
hashed shingles of one, a scan of the other), bounded by :data:`MAX_CHARS`.

:class:`ShingleIndex` does the same for many texts at once (``nianbao check`` of a folder): each text's shingles
are indexed once, and a paragraph is compared only with the texts that share its shingles.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

SHINGLE = 12  # characters: longer than any phrase two independent writers share by chance, shorter than a clause
MAX_CHARS = 50_000  # characters of one text looked at (a section has a few thousand)

_DROP = re.compile(r"[\s\d０-９，。、；：！？“”‘’（）()《》【】\[\]<>〈〉\-—…·,.;:!?\"'#*|/%％]+")
_PARAGRAPH = re.compile(r"[^\n]+")
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
# a subheading, a numbered title line: not a paragraph of its own text
_HEADING = re.compile(r"^\s*[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*\S{0,30}$")


@dataclass(frozen=True)
class Copied:
    """A paragraph (or sentence) of text A found in text B."""
    start: int  # span in text A
    end: int
    chars: int  # characters of it (blanks, punctuation and digits not counted) that occur in B
    length: int  # its characters, counted the same way
    whole_paragraph: bool  # a paragraph, else one long sentence

    def snippet(self, text: str, width: int = 24) -> str:
        t = text[self.start:self.end].strip().replace("\n", " ")
        return t if len(t) <= width else t[:width] + "…"


def plain(text: str) -> str:
    """The characters compared: no blanks, punctuation or digits."""
    return _DROP.sub("", text[:2 * MAX_CHARS])[:MAX_CHARS]


def shingles(text: str) -> set[int]:
    t = plain(text)
    return {hash(t[i:i + SHINGLE]) for i in range(len(t) - SHINGLE + 1)}


def _covered(p: str, other: set[int]) -> int:
    """Characters of ``p`` (plain text) lying in a shingle that occurs in ``other``."""
    n = len(p)
    if n < SHINGLE:
        return 0
    covered = 0
    reach = 0  # first character not yet counted
    for i in range(n - SHINGLE + 1):
        if hash(p[i:i + SHINGLE]) in other:
            lo = max(i, reach)
            hi = i + SHINGLE
            if hi > lo:
                covered += hi - lo
                reach = hi
    return covered


def copied_passages(a: str, b: str | set[int], min_paragraph: int = 60, min_sentence: int = 50,
                    share: float = 0.8) -> list[Copied]:
    """Paragraphs of ``a`` copied from ``b`` (a text, or its :func:`shingles`), and long sentences of the other
    paragraphs of ``a`` copied whole."""
    other = b if isinstance(b, set) else shingles(b)
    out: list[Copied] = []
    if not other:
        return out
    for pm in _PARAGRAPH.finditer(a[:2 * MAX_CHARS]):
        if _HEADING.match(pm.group(0)):
            continue
        p = plain(pm.group(0))
        if len(p) >= min_paragraph:
            c = _covered(p, other)
            if c >= share * len(p):
                out.append(Copied(pm.start(), pm.end(), c, len(p), True))
                continue
        for sm in _SENTENCE.finditer(pm.group(0)):
            s = plain(sm.group(0))
            if len(s) < min_sentence:
                continue
            c = _covered(s, other)
            if c >= min_sentence and c >= share * len(s):
                out.append(Copied(pm.start() + sm.start(), pm.start() + sm.end(), c, len(s), False))
    return out


def summary(found: list[Copied]) -> tuple[int, int, int]:
    """(paragraphs, sentences, characters) copied."""
    paras = sum(1 for c in found if c.whole_paragraph)
    return paras, len(found) - paras, sum(c.chars for c in found)


def describe(found: list[Copied], text: str) -> str:
    """“2段（共222字，如“……”）” — what was copied, for a message."""
    paras, sents, chars = summary(found)
    parts = []
    if paras:
        parts.append(f"{paras}段")
    if sents:
        parts.append(f"{sents}个长句")
    return f"{'、'.join(parts)}（共{chars}字，如“{found[0].snippet(text)}”）"


class ShingleIndex:
    """Shingles of many texts (key -> text), to find for a text the other texts it shares paragraphs with.

    ``common``: a shingle found in more than this share of the texts (when there are at least ten) is standard
    wording (本机关未收取信息处理费…) and does not count."""

    def __init__(self, common: float = 0.2):
        self.common = common
        self.sets: dict[object, set[int]] = {}
        self.owners: dict[int, set] = {}

    def add(self, key, text: str) -> None:
        s = shingles(text)
        self.sets[key] = s
        for h in s:
            self.owners.setdefault(h, set()).add(key)

    def _standard(self) -> set[int]:
        n = len(self.sets)
        if n < 10:
            return set()
        limit = self.common * n
        return {h for h, keys in self.owners.items() if len(keys) > limit}

    def copies(self, min_paragraph: int = 60, min_sentence: int = 50, share: float = 0.8, texts=None,
               same=lambda a, b: False) -> dict[object, list[tuple[object, list[Copied]]]]:
        """key -> [(other key, passages of its text found in the other's)], the other with most copied first.
        ``texts``: key -> text (the texts added); ``same(a, b)``: pairs not to compare (one organ's reports)."""
        standard = self._standard()
        out: dict[object, list] = {}
        for key, s in self.sets.items():
            cand: dict[object, int] = {}
            for h in s - standard:
                for k in self.owners[h]:
                    if k != key:
                        cand[k] = cand.get(k, 0) + 1
            hits = []
            for k, n in cand.items():
                if n < min_sentence - SHINGLE + 1 or same(key, k):
                    continue  # fewer shared shingles than one copied sentence has
                found = copied_passages(texts[key], self.sets[k] - standard, min_paragraph, min_sentence, share)
                if found:
                    hits.append((k, found))
            if hits:
                hits.sort(key=lambda kv: -summary(kv[1])[2])
                out[key] = hits
        return out
