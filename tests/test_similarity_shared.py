"""The 雷同 arithmetic made once and shared (check DIR): the same answers as made anew.

A sentence's and a paragraph's shingles sliced from the text's, the MinHash signature from hashes remembered per
trigram, the similarity with last year from the trigrams a folder worker made, the exact comparisons a bound
from the signatures leaves out: each must give what the straightforward computation gives."""
import random
from array import array

from app import review, rules, similarity

_WORDS = ["政府信息", "公开", "工作", "年度", "报告", "依申请", "本机关", "办理", "主动", "网站", "发布", "收到",
          "申请", "答复", "行政复议", "诉讼", "情况", "统计", "数据", "2024年", "12件", "。", "，", "；", "\n",
          "\n（一）概述\n", "（", "）", "“", "”", "abc", " "]


def _text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_WORDS) for _ in range(n))


def _prepare_anew(a: str):
    """similarity.prepare as it was: each paragraph and each sentence hashed on its own."""
    out = []
    for pm in similarity._PARAGRAPH.finditer(a[:2 * similarity.MAX_CHARS]):
        if similarity._HEADING.match(pm.group(0)):
            continue
        p = similarity.plain(pm.group(0))
        sentences = []
        for sm in similarity._SENTENCE.finditer(pm.group(0)):
            t = similarity.plain(sm.group(0))
            sentences.append(similarity._Piece(pm.start() + sm.start(), pm.start() + sm.end(), len(t),
                                               tuple(similarity._hashes(t))))
        out.append((similarity._Piece(pm.start(), pm.end(), len(p), tuple(similarity._hashes(p))), sentences))
    return out


def _listed(prepared):
    return [(para, list(sentences)) for para, sentences in prepared]


def _match_anew(prepared, other, min_paragraph=60, min_sentence=50, share=0.8):
    """similarity.match as it was: every sentence of a paragraph not copied whole looked at."""
    out = []
    for para, sentences in prepared:
        if para.length >= min_paragraph:
            c = similarity._covered(para, other)
            if c >= share * para.length:
                out.append(similarity.Copied(para.start, para.end, c, para.length, True))
                continue
        for sent in sentences:
            if sent.length >= min_sentence:
                c = similarity._covered(sent, other)
                if c >= min_sentence and c >= share * sent.length:
                    out.append(similarity.Copied(sent.start, sent.end, c, sent.length, False))
    return out


def test_copied_passages_as_comparing_every_sentence():
    rng = random.Random(5)

    def sentence(n: int) -> str:
        return "".join(rng.choice(_WORDS[:21]) for _ in range(n)) + rng.choice("。；！")

    pool = [sentence(rng.choice([4, 12, 25, 40])) for _ in range(40)]
    found = {True: 0, False: 0}
    for _ in range(200):
        b = "\n".join("".join(rng.sample(pool, 3)) for _ in range(8))
        paragraphs = []
        for _ in range(rng.choice([3, 10])):
            kind = rng.random()
            if kind < 0.3:
                paragraphs.append(rng.choice(b.split("\n")))  # copied whole
            elif kind < 0.7:
                paragraphs.append(sentence(20) + rng.choice(pool) + sentence(8))  # one sentence copied, maybe
            else:
                paragraphs.append(sentence(rng.choice([3, 30])))
        a = "\n".join(paragraphs)
        for limits in ((60, 50, 0.8), (20, 40, 0.5), (80, 10, 0.9)):
            expected = _match_anew(_prepare_anew(a), similarity.shingles(b), *limits)
            assert similarity.copied_passages(a, b, *limits) == expected
            for c in expected:
                found[c.whole_paragraph] += 1
    assert found[True] > 100 and found[False] > 100  # both kinds met


def test_prepare_slices_what_hashing_each_piece_gives():
    rng = random.Random(1)
    texts = [_text(rng, n) for n in [0, 1, 3, 10, 40, 200, 1000] for _ in range(30)]
    texts += ["一二三四五六七八九十" * 6000, ("甲乙丙丁。" * 3000 + "\n") * 5, "\n\n。。；" * 10]
    for t in texts:
        assert _listed(similarity.prepare(t)) == _prepare_anew(t)
        with similarity.hashed({t: array("q", similarity._hashes(similarity.plain(t)))}):
            assert _listed(similarity.prepare(t)) == _prepare_anew(t)
            assert similarity.shingles(t) == set(similarity._hashes(similarity.plain(t)))
    assert not similarity._MADE  # forgotten after the block


def _signature_anew(codes: set[int]) -> tuple:
    mins: list = [None] * review._K
    for x in codes:
        h = (review._trigram(x) * review._MULT + review._ADD) & review._MASK
        h ^= h >> 31
        h = (h * review._MULT) & review._MASK
        b, v = h >> review._BIN_SHIFT, h & ((1 << review._BIN_SHIFT) - 1)
        if mins[b] is None or v < mins[b]:
            mins[b] = v
    if None in mins:
        filled = [k for k in range(review._K) if mins[k] is not None]
        for k in range(review._K):
            if mins[k] is None:
                nxt = min((f for f in filled if f > k), default=filled[0])
                mins[k] = mins[nxt] + ((k - nxt) % review._K) * (1 << review._BIN_SHIFT)
    return tuple(mins)


def test_signature_from_remembered_hashes(monkeypatch):
    rng = random.Random(2)
    vocabulary = [rng.randrange(1 << 63) for _ in range(500)]
    review.forget_hashes()
    for most in (review._HASHED_MAX, 50):  # and when the hashes remembered are forgotten, full
        monkeypatch.setattr(review, "_HASHED_MAX", most)
        for n in list(range(1, 80)) + [300, 2000]:
            codes = set(rng.sample(vocabulary, min(n, 500))) | {rng.randrange(-(1 << 62), 1 << 62)}
            assert review._signature(codes) == _signature_anew(codes)
    review.forget_hashes()


def test_similarity_from_given_trigrams():
    rng = random.Random(3)
    for _ in range(50):
        a, b = _text(rng, 120), _text(rng, 120)
        b = a[:rng.randrange(len(a))] + b
        made = {t: array("q", review._codes(rules._stripped(t))) for t in (a, b)}
        with rules.given_trigrams(made):
            given = rules.similarity(a, b)
        assert not rules._TRIGRAMS
        rules._similarity.cache_clear()
        assert given == rules.similarity(a, b)


def test_similar_groups_bound_leaves_out_no_pair():
    """Every pair the index proposes with an exact similarity at the floor or above is found, with that value."""
    rng = random.Random(4)
    for _ in range(40):
        base = [rng.choice(_WORDS[:20]) for _ in range(rng.choice([40, 150, 500]))]
        texts = {}
        for i in range(20):
            t = list(base)
            for _ in range(int(len(t) * rng.choice([0, 0.03, 0.1, 0.3]))):
                t[rng.randrange(len(t))] = rng.choice(_WORDS[:20]) + rng.choice("甲乙丙丁戊己庚辛")
            texts[i] = "".join(t)
        for floor in (0.5, 0.85):
            groups, sims = review._similar_groups(texts, floor)
            codes = [review._codes(texts[g[0]]) for g in groups]
            sigs = [review._signature(c) for c in codes]
            for u in range(len(groups)):
                for v in range(u + 1, len(groups)):
                    shared_band = any(sigs[u][b * review._ROWS:(b + 1) * review._ROWS]
                                      == sigs[v][b * review._ROWS:(b + 1) * review._ROWS]
                                      for b in range(review._BANDS))
                    inter = len(codes[u] & codes[v])
                    s = inter / (len(codes[u]) + len(codes[v]) - inter)
                    found = [x for x, w in sims.get(u, []) if w == v]
                    assert found == ([s] if shared_band and s >= floor else [])


def test_codes_as_ord_of_each_character():
    """Each trigram once, one integer for one trigram, giving back ``a << 42 | b << 21 | c`` (what the signature
    hashes); the words read from a text's UTF-16 bytes are what each character's ord() makes."""
    rng = random.Random(6)
    for _ in range(3000):
        plane = rng.random() < 0.5  # then no character beyond U+FFFF: read as UTF-16 words
        t = "".join(chr(rng.choice([rng.randrange(0x20, 0x80), rng.randrange(0x4e00, 0x9fff),
                                    rng.randrange(0xd800, 0xe000),
                                    rng.randrange(0xe000, 0x10000) if plane else rng.randrange(0x10000, 0x110000)]))
                    for _ in range(rng.randrange(0, 40)))
        o = [ord(c) for c in t]
        codes = review._codes(t)
        if len(o) < 3:
            assert codes == {hash(t)}
            continue
        assert codes == review._codes_of_characters(t)
        assert len(codes) == len({t[k:k + 3] for k in range(len(t) - 2)})
        assert {review._trigram(x) for x in codes} == {(o[k] << 42) | (o[k + 1] << 21) | o[k + 2]
                                                        for k in range(len(o) - 2)}


def test_stripped_drops_only_what_plain_drops():
    """rules._stripped drops only characters similarity.plain drops: the shingles of a section are made from its
    stripped text (section_digest), which must leave the same plain text."""
    every = "".join(map(chr, range(0xd800))) + "".join(map(chr, range(0xe000, 0x110000)))
    kept = set(rules._STRIP.sub("", every))
    dropped = "".join(c for c in every if c not in kept)
    assert dropped and similarity._DROP.sub("", dropped) == ""


def test_copied_organs_shingles_from_stripped_text():
    from app.formats import DEFAULT_FORMAT, load_format
    from app.model import Report
    fmt = load_format(DEFAULT_FORMAT)
    sids = rules._copied_organs_rule(fmt)["sections"]
    rng = random.Random(8)
    punct = "【】[]<>〈〉|/%％，。、"
    for n in (0, 5, 40, 300, 9000, 30000):  # the longest beyond what is compared (cut off: made from the text)
        sections = {}
        for sid in sids:
            t = "".join(rng.choice(_WORDS) + (rng.choice(punct) if rng.random() < 0.3 else "") for _ in range(n))
            sections[sid] = t
        report = Report(format_id=fmt.id, sections=sections)
        stripped = {sid: rules._stripped(t) for sid, t in sections.items()}
        made = rules.copied_organs_shingles(fmt, report, stripped)
        assert made == rules.copied_organs_shingles(fmt, report)
        assert made == {sid: similarity._hashes(similarity.plain(t)) for sid, t in sections.items() if t.strip()}


def _covered_anew(piece, other) -> int:
    """similarity._covered as it was: each shingle of the piece looked up in turn."""
    covered = reach = 0
    for i, h in enumerate(piece.hashes):
        if h in other:
            lo, hi = max(i, reach), i + similarity.SHINGLE
            if hi > lo:
                covered += hi - lo
                reach = hi
    return covered


def test_covered_counts_what_looking_up_each_shingle_counts():
    rng = random.Random(3)
    counted = 0
    for n in [0, 1, 5, 12, 13, 30, 200, 2000]:
        for _ in range(40):
            hashes = tuple(rng.randrange(60) for _ in range(n))
            piece = similarity._Piece(0, n, n + similarity.SHINGLE - 1, hashes)
            for other in (set(), set(range(60)), {rng.randrange(60) for _ in range(rng.choice([1, 5, 20]))}):
                got = similarity._covered(piece, other)
                assert got == _covered_anew(piece, other)
                counted += got
    assert counted > 10_000
