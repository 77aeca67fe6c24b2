"""Copied paragraphs and long copied sentences between two texts (内容雷同 below the level of a whole section).

A section can be mostly new and still hold two paragraphs of another organ's report, or of last year's, word for
word. The texts are compared without blanks, punctuation and digits (a copied sentence with the year or a count
changed is still a copied sentence), by shingles of :data:`SHINGLE` characters: a character of a paragraph counts
as copied when a shingle covering it occurs in the other text. A paragraph is reported when at least ``share`` of
its characters are copied and it has at least ``min_paragraph`` characters; a sentence of another paragraph when
at least ``min_sentence`` of its characters, and ``share`` of them, are copied. Linear in the length of both texts (a
set of
hashed shingles of one, a scan of the other), bounded by :data:`MAX_CHARS`.

:class:`ShingleIndex` does the same for many texts at once (``nianbao check`` of a folder): each text's shingles
are indexed once, and a paragraph is compared only with the texts that share its shingles.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count

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


def _hashes(plain_text: str) -> list[int]:
    return [hash(plain_text[i:i + SHINGLE]) for i in range(len(plain_text) - SHINGLE + 1)]


# text -> text_hashes(text), made already by the process that read the report (a folder worker of this run, which
# hashes strings as this one): given for one task (:func:`hashed`), forgotten after it
_MADE: dict[str, Sequence[int]] = {}


@contextmanager
def hashed(made: dict[str, Sequence[int]]):
    """Within: :func:`text_hashes` of these texts (text -> its hashes, a list or an array, as made by a process
    hashing strings as this one) not made again."""
    _MADE.update(made)
    try:
        yield
    finally:
        _MADE.clear()


def text_hashes(text: str, fewer: str | None = None) -> Sequence[int]:
    """The hashes of a text's shingles, in order (one for each character it compares but the last SHINGLE - 1).
    ``fewer``: the text with some of the characters :func:`plain` drops dropped already, and nothing else (none cut
    off), whose plain text is the text's (and made faster)."""
    made = _MADE.get(text)
    return made if made is not None else _hashes(plain(text if fewer is None else fewer))


def shingles(text: str) -> set[int]:
    return set(text_hashes(text))


@dataclass(frozen=True)
class _Piece:
    start: int  # span in the text
    end: int
    length: int  # characters compared
    hashes: tuple[int, ...]  # its shingles, in order


class _Sentences:
    """The sentences of a paragraph as pieces, made when first asked for (:func:`match` needs them only for a
    paragraph with enough copied)."""
    __slots__ = ("text", "base", "hashes", "length", "made")

    def __init__(self, text: str, base: int, hashes: tuple[int, ...], length: int):
        self.text, self.base, self.hashes, self.length = text, base, hashes, length
        self.made: list[_Piece] | None = None

    def __iter__(self):
        if self.made is None:
            self.made = self._make()
        return iter(self.made)

    def _make(self) -> list[_Piece]:
        g, hashes = self.text, self.hashes
        spans = [(sm.start(), sm.end(), plain(sm.group(0))) for sm in _SENTENCE.finditer(g)]
        within = len(g) <= MAX_CHARS and sum(len(t) for _s, _e, t in spans) == self.length
        sentences = []
        at = 0  # where the sentence's characters begin in the paragraph's
        for start, end, t in spans:
            k = len(t)
            if not within:
                h = tuple(_hashes(t))
            elif k >= SHINGLE:
                h = hashes[at:at + k - SHINGLE + 1]
            else:
                h = ()
            sentences.append(_Piece(self.base + start, self.base + end, k, h))
            at += k
        return sentences


def prepare(a: str) -> list[tuple[_Piece, _Sentences]]:
    """The paragraphs of a text (subheadings left out) with their sentences, hashed once.

    The characters compared of a text are its paragraphs' one after the other, and a paragraph's its sentences'
    (what lies between two is a line break or punctuation, which are not compared): a paragraph's shingles are a
    slice of the text's (:func:`text_hashes`), a sentence's a slice of its paragraph's. They are hashed anew only
    where the lengths say otherwise (a text longer than :data:`MAX_CHARS`)."""
    whole = text_hashes(a) if len(a) <= MAX_CHARS else []
    paragraphs = []
    at = 0  # where the paragraph's characters begin in the text's
    for pm in _PARAGRAPH.finditer(a[:2 * MAX_CHARS]):
        g = pm.group(0)
        p = plain(g)
        paragraphs.append((pm, g, p, at))
        at += len(p)
    sliced = bool(whole) and at == len(whole) + SHINGLE - 1
    out = []
    for pm, g, p, at in paragraphs:
        if _HEADING.match(g):
            continue
        n = len(p)
        if not sliced:
            hashes = tuple(_hashes(p))
        elif n >= SHINGLE:
            hashes = tuple(whole[at:at + n - SHINGLE + 1])
        else:
            hashes = ()
        out.append((_Piece(pm.start(), pm.end(), n, hashes), _Sentences(g, pm.start(), hashes, n)))
    return out


def _covered(piece: _Piece, other: set[int]) -> int:
    """Characters of a piece lying in a shingle that occurs in ``other``."""
    covered = 0
    reach = 0  # first character not yet counted
    # the places of the shingles found in ``other``, picked out in C (few of a paragraph's, as a rule)
    for i in compress(count(), map(other.__contains__, piece.hashes)):
        lo, hi = max(i, reach), i + SHINGLE
        if hi > lo:
            covered += hi - lo
            reach = hi
    return covered


def match(prepared, other: set[int], min_paragraph: int = 60, min_sentence: int = 50,
          share: float = 0.8) -> list[Copied]:
    """Paragraphs of a text made by :func:`prepare` found in ``other`` (shingles), and long sentences of the others.

    A paragraph's sentences are looked at only where one of them could be found: none is longer than the
    paragraph, and (a paragraph of at most :data:`MAX_CHARS` characters, whose sentences' shingles are slices of
    its own) none has more characters copied than the paragraph has."""
    out: list[Copied] = []
    if not other:
        return out
    for para, sentences in prepared:
        c = None
        if para.length >= min_paragraph:
            c = _covered(para, other)
            if c >= share * para.length:
                out.append(Copied(para.start, para.end, c, para.length, True))
                continue
        if para.length < min_sentence:
            continue
        if para.end - para.start <= MAX_CHARS:
            if c is None:
                c = _covered(para, other)
            if c < min_sentence:
                continue
        for sent in sentences:
            if sent.length < min_sentence:
                continue
            c = _covered(sent, other)
            if c >= min_sentence and c >= share * sent.length:
                out.append(Copied(sent.start, sent.end, c, sent.length, False))
    return out


def copied_passages(a: str, b: str | set[int], min_paragraph: int = 60, min_sentence: int = 50,
                    share: float = 0.8) -> list[Copied]:
    """Paragraphs of ``a`` copied from ``b`` (a text, or its :func:`shingles`), and long sentences of the other
    paragraphs of ``a`` copied (``share`` of them, at least ``min_sentence`` characters)."""
    other = b if isinstance(b, set) else shingles(b)
    return match(prepare(a), other, min_paragraph, min_sentence, share)


@lru_cache(maxsize=32)  # a section not edited since the last check: the same answer, no work
def copied_between(a: str, b: str, min_paragraph: int = 60, min_sentence: int = 50,
                   share: float = 0.8) -> tuple[Copied, ...]:
    """:func:`copied_passages` of two texts, remembered (each check of a report compares the same sections)."""
    return tuple(copied_passages(a, b, min_paragraph, min_sentence, share))


def summary(found) -> tuple[int, int, int]:
    """(paragraphs, sentences, characters) copied."""
    paras = sum(1 for c in found if c.whole_paragraph)
    return paras, len(found) - paras, sum(c.chars for c in found)


def describe(found, text: str) -> str:
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
    wording (本机关未收取信息处理费…) and does not count.

    Only the shingles that occur in two texts or more can make two texts candidates; most occur in one text only.
    They are found with set operations (done in C) over the texts' shingle sets, and only they are indexed."""

    def __init__(self, common: float = 0.2):
        self.common = common
        self.sets: dict[object, Collection[int]] = {}

    def add(self, key, text: str) -> None:
        self.add_shingles(key, shingles(text))

    def add_shingles(self, key, s: Collection[int]) -> None:
        """A text given by its :func:`shingles` — a set, or the same integers in another collection (an array of
        :func:`text_hashes`, where one may repeat: each is counted once a text) — computed elsewhere with the same
        hash (this process's or a forked worker's)."""
        self.sets[key] = s

    def _shared(self) -> tuple[set[int], set[int]]:
        """(shingles in at least two texts that are not standard wording, standard wording)."""
        seen: set[int] = set()
        later: Counter[int] = Counter()  # a shingle in two texts or more -> in how many after the first (in C)
        for s in self.sets.values():
            later.update(seen.intersection(s))
            seen.update(s)
        n = len(self.sets)
        if n < 10:
            return set(later), set()
        limit = self.common * n
        standard = {h for h, c in later.items() if c + 1 > limit}
        return set(later).difference(standard), standard

    def copies(self, min_paragraph: int = 60, min_sentence: int = 50, share: float = 0.8, texts=None,
               same=lambda a, b: False) -> dict[object, list[tuple[object, list[Copied]]]]:
        """key -> [(other key, passages of its text found in the other's)], the other with most copied first (of
        those with as much, the one added first). ``texts``: key -> text (the texts added); ``same(a, b)``: pairs
        not to compare (one organ's reports)."""
        shared, standard = self._shared()
        order = {k: n for n, k in enumerate(self.sets)}
        owners: dict[int, list] = {}
        mine: dict[object, set[int]] = {}
        for key, s in self.sets.items():
            m = mine[key] = shared.intersection(s)
            for h in m:
                owners.setdefault(h, []).append(key)
        filtered: dict[object, set[int]] = {}  # a text's shingles without the standard wording, when compared

        def without_standard(k) -> set[int]:
            f = filtered.get(k)
            if f is None:
                f = filtered[k] = set(self.sets[k]).difference(standard)
            return f

        need = max(1, min_sentence - SHINGLE + 1)  # shingles one copied sentence shares at least
        out: dict[object, list] = {}
        for key in self.sets:
            cand: dict[object, int] = {}
            for h in mine[key]:
                for k in owners[h]:
                    if k != key:
                        cand[k] = cand.get(k, 0) + 1
            others = sorted((k for k, n in cand.items() if n >= need and not same(key, k)), key=order.__getitem__)
            if not others:
                continue
            prepared = prepare(texts[key])
            hits = []
            for k in others:
                found = match(prepared, without_standard(k), min_paragraph, min_sentence, share)
                if found:
                    hits.append((k, found))
            if hits:
                hits.sort(key=lambda kv: -summary(kv[1])[2])
                out[key] = hits
        return out
