"""Narrative ↔ table: the statements of a count about a table quantity that a report's text makes.

A small grammar, its words taken from data (``resources/narrative/<format>.json``), not from this module::

    statement  := anchor binding | negation anchor
    anchor     := phrase [suffix] [qualifiers noun]          上年结转(申请) · 结转下年度(继续办理) · 予以公开
                | verb [particle] qualifiers noun            收到 任何形式的政府信息公开 申请
                | noun post-verb                             规范性文件 现行有效
                | noun                                       行政复议 (for nouns that name a table quantity alone)
                | verb                                       办结 (elided noun, when the sentence is about 申请)
    binding    := gap-word* totalizer* numeral unit          (共)3件 · 数量为十二件 · 合计两起 · 为0
                | coordinator anchor                         行政复议、行政诉讼均为0 (shares the next binding)
    negation   := 未 | 没有 | 无 …  directly before the anchor (a verb may sit between for noun anchors)

A verb-anchored statement may also put the count before its noun (收到3件政府信息公开申请). Numerals are
arabic, full-width or Chinese (十二, 两, 〇) via :func:`app.values.parse_text_numeral`. A statement is not read
when its clause talks about another year (去年, 上一年度, 2022年 in a 2023 report), when the count belongs to a
``其中`` breakdown, or when the words between the anchor and the count are anything but the gap words
(so 较上年增加3件, 主动公开信息54条, 第五十条, dates and phone numbers never bind).
"""
from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .resources import resource
from .values import TEXT_NUMERAL, parse_text_numeral

_PUNCT = "，。；：！？,.;:!?\n（）()“”\"《》【】[]"
_SENTENCE_END = re.compile(r"[。！？；;!?\n]")  # a sentence: the characters between two of these
_CLAUSE_BREAK = re.compile(r"[，,：:（）()]")
_YEAR = re.compile(r"((?:19|20)\d{2})年(?!\d{1,2}月\d{1,2}日(?:[至到—\-]|起))")


@dataclass(frozen=True)
class Claim:
    quantity: str  # id of a quantity of the grammar ("new", "review", …)
    value: int | Decimal
    start: int  # span in the original text
    end: int
    negated: bool = False


@dataclass(frozen=True)
class Quantity:
    id: str
    what: str
    alternatives: tuple[tuple[str, ...], ...]  # cell sums, the statement agrees when it equals any of them


MAX_READ_CHARS = 100_000  # characters of one narrative section read for statements


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _trie_alt(words) -> str:
    """A pattern matching what :func:`_alt` matches (at a place, the longest of the words there), with the words'
    common beginnings shared (上(?:年(?:结转|转入)|…)|…), so that a place is tried against a few letters, not
    against every word: the grammar's trigger, run over every text."""
    trie: dict = {}
    for w in words:
        node = trie
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict) -> str:
        longer = [re.escape(c) + pattern(node[c]) for c in sorted(k for k in node if k)]
        if not longer:
            return ""
        if len(longer) == 1 and "" not in node:
            return longer[0]
        # every longer word first, then the word ending here: the longest one that matches
        return "(?:" + "|".join(longer) + ("|" if "" in node else "") + ")"
    return pattern(trie)


class Grammar:
    def __init__(self, data: dict):
        self.data = data
        self.quantities: dict[str, Quantity] = {}
        self.q = {q["id"]: q for q in data["quantities"]}
        for q in data["quantities"]:
            alts = q.get("alternatives") or [q["cells"]]
            self.quantities[q["id"]] = Quantity(q["id"], q["what"], tuple(tuple(a) for a in alts))
        units = _alt(data["units"])
        money = _alt(data["money_units"])
        gap = _alt(data["gap_words"])
        tot = _alt(data["totalizers"])
        self.money_units = {k: Decimal(v) for k, v in data["money_units"].items()}
        num = f"(?<![第\\d.])(?P<num>{TEXT_NUMERAL})"
        # the count after an anchor: gap words, totalizers, numeral, unit
        self.count = re.compile(f"(?:{gap}|{tot})*?{num}(?P<unit>{units})(?![\\d%])")
        self.money = re.compile(f"(?:{gap}|{tot}|金额|收费金额)*?{num}(?P<unit>{money})")
        self.zero = re.compile(f"(?:{gap})*(?:均为|为|是)(?P<num>{_alt(data['zero_words'])})(?![\\d万千百十])")
        self.neg = re.compile(f"(?:{_alt(data['negations'])})(?:[均都也曾])?$")
        self.coord = re.compile(f"(?:{_alt(data['coordinators'])})")
        self.particles = _alt(data["verb_particles"])
        self.other_year = re.compile(data["other_year"])
        self.stop = tuple(data["stop_words"])
        self._stop_re = re.compile(_alt(self.stop)) if self.stop else None
        self.each = re.compile(_alt(data.get("each_words", ["均"])))
        self.mention_topics = dict(data.get("mention_topics", {}))
        self.mention_re = re.compile(_alt(self.mention_topics)) if self.mention_topics else None
        self.part_words = tuple(data.get("part_words", ()))
        self._all_done_re: re.Pattern | None = None  # compiled on first use, with the two next
        for w in (data.get("all_done") or {}).get("done", []) + (data.get("all_done") or {}).get("replied", []):
            if not w or _SENTENCE_END.search(w):
                raise ValueError(f"叙述语法的词“{w}”为空或含有句末的标点")  # a sentence is read where they are
        self._all_done_words: tuple[re.Pattern, re.Pattern]
        self.elided_gap_not = tuple(data.get("elided_gap_not", ()))
        self.siblings = tuple(data.get("result_siblings", ()))
        self.siblings_re = re.compile(_alt(self.siblings)) if self.siblings else None
        self.part_list = re.compile(f"、[^{re.escape(_PUNCT)}\\d]{{0,8}}?申请{TEXT_NUMERAL}")
        self.qualifier_endings = tuple(data.get("qualifier_endings", ()))
        self.qualifier_contains = tuple(data.get("qualifier_contains", ()))
        self.qualifier_words = re.compile(f"(?:{_alt(data.get('qualifier_words', ['']))})+")
        self.qmax = int(data.get("qualifier_max", 18))
        words = set()
        punct = re.escape(_PUNCT)
        negs = _alt(data["negations"])
        for q in data["quantities"]:
            for key in ("phrases", "verbs", "nouns"):
                words.update(q.get(key, []))
            q["_noun_re"] = re.compile(_alt(q["nouns"])) if q.get("nouns") else None
            q["_phrase_re"] = re.compile(_alt(q["phrases"])) if q.get("phrases") else None
            q["_verb_re"] = re.compile(_alt(q["verbs"])) if q.get("verbs") else None
            q["_post_re"] = (re.compile(f"(?:{_alt(q['nouns'])})(?:{_alt(q['post_verbs'])})")
                             if q.get("post_verbs") else None)
            q["_suffixes"] = sorted(q.get("suffixes", []), key=len, reverse=True)
            if q.get("noun_alone"):
                verbs = _alt(q.get("verbs", []) or ["发生"])
                q["_neg_verb_re"] = re.compile(f"(?:{negs})[均都也曾]?(?:{verbs})(?:{self.particles})?"
                                               f"[^{punct}\\d]{{0,{self.qmax}}}$")
            if q["_noun_re"] is not None:
                q["_noun_after_re"] = re.compile(f"[^{punct}\\d]{{0,{self.qmax}}}?({q['_noun_re'].pattern})")
        self.particle_re = re.compile(f"(?:{self.particles})")
        self.negated_nouns = {q["id"]: re.compile(f"(?:{negs})(?:{_alt(q['negated_nouns'])})")
                              for q in data["quantities"] if q.get("negated_nouns")}
        self.neg_cause = re.compile(f"(?:{negs})(?:因|由于|涉及)[^{punct}\\d]{{0,{self.qmax}}}$")
        # whether nothing before a clause's first character can negate it (no negation word is empty)
        self._no_negation_at_start = not (self.neg.search("") or self.neg_cause.search("") or any(
            q["_neg_verb_re"].search("") for q in data["quantities"] if q.get("noun_alone")))
        for w in sorted(words) + list(self.stop):
            if not w or _ENDS.search(w):
                raise ValueError(f"叙述语法的词“{w}”为空或含有分句的标点")  # a clause is read between them
        self.trigger = re.compile(_trie_alt(words))
        self.words = sorted(words, key=len, reverse=True)
        # each word of the quantities by its first character, with what it is (quantity id, "phrases" | "verbs" |
        # "nouns"): the words in a clause found by looking only at those that start with one of its characters
        self._by_first: dict[str, list[tuple[str, tuple[tuple[str, str], ...]]]] = {}
        keys = ("phrases", "verbs", "nouns", "negated_nouns")
        for w in sorted({w for q in data["quantities"] for key in keys for w in q.get(key, ())}):
            uses = tuple((q["id"], key) for q in data["quantities"] for key in keys if w in q.get(key, ()))
            self._by_first.setdefault(w[0], []).append((w, uses))
        # at each place of a clause, the longest of those words that starts there (the words there are its
        # beginnings): the ones a clause holds decide what _words_in finds in it, and so what _plan gives
        self._longest = re.compile(f"(?=({_trie_alt(w for ws in self._by_first.values() for w, _ in ws)}))")
        self._plans: dict[tuple[str, ...], _Plan] = {}  # those longest words, in order -> their _Plan
        self._rank = {qid: i for i, qid in enumerate(self.q)}  # the quantities in the data's order
        self._next_year_ids = frozenset(qid for qid, q in self.q.items() if q.get("next_year_phrase"))
        for q in data["quantities"]:  # (str.startswith and endswith take a tuple)
            q["_not_followed_by"] = tuple(q.get("noun_not_followed_by", ()))
            q["_not_after"] = tuple(q.get("verb_not_after", ()))
            q["_veto"] = tuple(q.get("veto", ()))
            q["_veto_re"] = re.compile(_alt(q["_veto"])) if q["_veto"] else None
        self._next_year: dict[int, re.Pattern] = {}  # year -> 结转(至)<next year>年(度)
        self.count_before = {}  # verb [tot] numeral unit [的] qualifiers noun
        for q in data["quantities"]:
            if q.get("verbs") and q.get("nouns"):
                self.count_before[q["id"]] = re.compile(
                    f"(?:{_alt(q['verbs'])})(?:{self.particles})?的?(?:{tot})*{num}(?P<unit>{units})的?"
                    f"[^{re.escape(_PUNCT)}\\d]{{0,{self.qmax}}}?(?:{_alt(q['nouns'])})")
        # 12件行政复议案件: the count before a noun that names a quantity alone, then 案件
        self.count_noun = {}
        if data.get("count_noun_suffixes"):
            for q in data["quantities"]:
                if q.get("noun_alone") and q.get("nouns") and not q.get("money"):
                    self.count_noun[q["id"]] = re.compile(
                        f"{num}(?P<unit>{units})的?(?:{_alt(q['nouns'])})(?:{_alt(data['count_noun_suffixes'])})")
        self.negated_publication = re.compile(data["negated_publication"]) if data.get("negated_publication") else None
        item = f"(?P<name>[^{re.escape(_PUNCT)}、\\d]{{1,12}}){TEXT_NUMERAL}(?:{units})"
        self.list_item_before = re.compile(f"(?:^|[、，,])(?:其中)?{item}、$")
        self.list_item_after = re.compile(f"、{item}")
        # 另有1件申请因…，结转至下一年度继续办理: a lead word, the count, then the phrase later in the sentence
        self.leads = {}
        if data.get("leads"):
            for q in data["quantities"]:
                if q.get("phrases") and q.get("lead"):
                    self.leads[q["id"]] = re.compile(
                        f"(?:{_alt(data['leads'])})(?P<num>{TEXT_NUMERAL})(?P<unit>{units})"
                        f"(?:{_alt(q.get('nouns', ['申请']))})?"
                        f"[^。；;！？!?\n\\d]{{0,40}}?(?:{_alt(q['phrases'])})"
                        # or the count right before the phrase at a clause's start: 需查阅档案，1件结转至下年度继续办理
                        "|(?:(?<=[，,："
                        f":])|^)(?P<num2>{TEXT_NUMERAL})(?P<unit2>{units})(?:{_alt(q.get('nouns', ['申请']))})?"
                        f"(?:{_alt(q['phrases'])})")
        self._leads = tuple((qid, rx, self.q[qid]["_phrase_re"]) for qid, rx in self.leads.items())

    def quantity(self, qid: str) -> Quantity:
        """A quantity of the grammar, or the sum of several (``granted+partial``: 予以公开及部分公开42件)."""
        q = self.quantities.get(qid)
        if q is not None:
            return q
        parts = [self.quantities[p] for p in qid.split("+")]
        alts: list[tuple[str, ...]] = [()]
        for p in parts:
            alts = [a + b for a in alts for b in p.alternatives]
        q = Quantity(qid, "、".join(p.what.split("（")[0] for p in parts) + "之和", tuple(alts[:16]))
        self.quantities[qid] = q
        return q

    # -- anchors ----------------------------------------------------------------------------
    def _noun_ok(self, q: dict, text: str, end: int) -> bool:
        return not text.startswith(q["_not_followed_by"], end)

    def _ranked(self, qids) -> list[str]:
        return sorted(qids, key=self._rank.__getitem__)

    def _words_in(self, clause: str) -> set[tuple[str, str]]:
        """(quantity id, "phrases" | "verbs" | "nouns" | "negated_nouns") of every word of the quantities the clause
        contains: a pattern of those words can match only where one of them is there, so the others are never run."""
        found: set[tuple[str, str]] = set()
        by_first = self._by_first
        for c in set(clause).intersection(by_first):
            for w, uses in by_first[c]:
                if w in clause:
                    found.update(uses)
        return found

    def _plan(self, clause: str) -> _Plan:
        """What the words of the quantities in a clause call for (:class:`_Plan`): made once for each set of words
        (a few dozen in a text, the same in many texts), not again for every clause that holds them."""
        key = tuple(self._longest.findall(clause))
        if len(key) > PLAN_WORDS_MAX:
            return self._make_plan(self._words_in(clause))  # (not kept: a clause of a pasted-in list of words)
        plan = self._plans.get(key)
        if plan is None:
            if len(self._plans) >= PLANS_MAX:
                self._plans.clear()
            plan = self._plans[key] = self._make_plan(self._words_in(clause))
        return plan

    def _make_plan(self, has: set[tuple[str, str]]) -> _Plan:
        present = frozenset(qid for qid, _ in has)
        ranked = self._ranked(present)
        triggered = any(kind != "negated_nouns" for _, kind in has)
        anchored = self._anchor_steps(has, ranked, False)
        before = tuple(qid for qid in ranked
                       if qid in self.count_before and (qid, "verbs") in has and (qid, "nouns") in has)
        negated = tuple((qid, rx) for qid, rx in self.negated_nouns.items() if (qid, "negated_nouns") in has)
        counted = tuple(qid for qid in ranked if qid in self.count_noun and (qid, "nouns") in has)
        return _Plan(
            has=frozenset(has), present=present,
            triggered=triggered, anchored=anchored, before=before, negated=negated, counted=counted,
            idle=not triggered or not (anchored or before or negated or counted))

    def _anchor_steps(self, has, ranked: list[str], next_year: bool) -> tuple:
        """(quantity id, its data, whether the clause holds a phrase, a verb, a noun of it) of the quantities
        that can make an anchor in a clause holding ``has`` (:meth:`_words_in`), in the data's order; with
        ``next_year``, those with a phrase of next year too."""
        steps = []
        for qid in ranked:
            q = self.q[qid]
            phrase, verb, noun = (qid, "phrases") in has, (qid, "verbs") in has, (qid, "nouns") in has
            if (phrase or (verb and (noun or q.get("elide")))
                    or (noun and (q["_post_re"] is not None or q.get("noun_alone")))
                    or (next_year and q.get("next_year_phrase"))):
                steps.append((qid, q, phrase, verb, noun))
        return tuple(steps)

    def _next_year_re(self, year: int) -> re.Pattern:
        rx = self._next_year.get(year)
        if rx is None:
            rx = self._next_year[year] = re.compile(f"结转(?:至|到)?{year + 1}年度?")
        return rx

    def anchors(self, clause: str, topic: frozenset, year: int | None = None,  # noqa: C901 — the grammar's anchor rule
                plan: _Plan | None = None):
        """(quantity id, start, end, kind) of every anchor in a clause (normalised text, no blanks). ``plan``: what
        :meth:`_plan` gives for the clause, when the caller has it already."""
        out = []
        if plan is None:
            plan = self._plan(clause)
        next_year = f"{year + 1}年" in clause if year else False
        steps = plan.anchored
        if next_year:
            steps = self._anchor_steps(plan.has, self._ranked(plan.present | self._next_year_ids), True)
        for qid, q, with_phrases, verbs, has_noun in steps:
            noun_re = q["_noun_re"]
            phrases = q["_phrase_re"].finditer(clause) if with_phrases else ()
            if q.get("next_year_phrase") and next_year and year:
                phrases = list(phrases) + list(self._next_year_re(year).finditer(clause))
            for m in phrases:
                if m:
                    rt = q.get("requires_topic")
                    if rt and rt not in topic and not clause.startswith(rt, m.end()):
                        continue
                    end = m.end()
                    for suffix in q["_suffixes"]:
                        if clause.startswith(suffix, end):
                            end += len(suffix)
                            break
                    if noun_re:  # 上年结转(的政府信息公开)申请
                        nm = q["_noun_after_re"].match(clause, end)
                        if nm and self._noun_ok(q, clause, nm.end()) and self.count.match(clause, nm.end()):
                            end = nm.end()
                    out.append((qid, m.start(), end, "phrase"))
            # a verb makes an anchor with a noun of its quantity after it, or alone where its noun is the topic
            elide = verbs and q.get("elide") and q.get("topic") in topic and PART not in topic
            if verbs and (has_noun or elide):
                not_after = q["_not_after"]
                for m in q["_verb_re"].finditer(clause):
                    if not_after and clause.endswith(not_after, 0, m.start()):
                        continue  # 不予处理, 其他处理: a kind of result, not the verb
                    pos = m.end()
                    pm = self.particle_re.match(clause, pos)
                    if pm:
                        pos = pm.end()
                    ends = []
                    if has_noun:
                        for nm in noun_re.finditer(clause, pos, min(len(clause), pos + self.qmax + 8)):
                            between = clause[pos:nm.start()]
                            if len(between) > self.qmax or re.search(r"\d", between):
                                break
                            if any(c in _PUNCT for c in between):
                                break
                            if self._noun_ok(q, clause, nm.end()) and self._qualifier_ok(between):
                                ends.append(nm.end())
                    if ends:
                        bound = next((e for e in ends if self._binding(q, clause, e)), ends[-1])
                        words = clause[pos:bound]  # 通过网络、信函等方式: every channel, not a part
                        part = self.part_words and "等" not in words and any(w in words for w in self.part_words)
                        out.append((qid, m.start(), bound, "part" if part else "verb"))
                    elif elide:
                        stand_in = next((w for w in q.get("elided_nouns", ()) if clause.startswith(w, pos)), "")
                        out.append((qid, m.start(), pos + len(stand_in), "elided"))  # 清理废止文件0件
            if q["_post_re"] is not None and has_noun:
                for m in q["_post_re"].finditer(clause):
                    out.append((qid, m.start(), m.end(), "post"))
            if q.get("noun_alone") and has_noun:
                for m in noun_re.finditer(clause):
                    if self._noun_ok(q, clause, m.end()):
                        out.append((qid, m.start(), m.end(), "noun"))
        if len(out) < 2:
            return out  # (one anchor is kept: nothing else holds it)
        # longest anchor per start; drop anchors inside another anchor of the same quantity
        out.sort(key=lambda a: (a[1], -(a[2] - a[1])))
        kept = []
        for a in out:
            if any(k[0] == a[0] and k[1] <= a[1] and a[2] <= k[2] for k in kept):
                continue
            if a[3] == "elided" and any(k[1] <= a[1] and a[2] <= k[2] and k[3] != "elided" for k in out):
                continue  # 结转下年度继续办理: the verb belongs to another anchor
            kept.append(a)
        return kept

    def _qualifier_ok(self, words: str) -> bool:
        """Words between a verb and its noun: the kind of thing, not another kind of application."""
        if not words or words.endswith(self.qualifier_endings) or any(w in words for w in self.qualifier_contains):
            return True
        return bool(self.qualifier_words.fullmatch(words))

    def _binding(self, q: dict, clause: str, end: int):
        """(value, start, end) of the count right after an anchor, or None."""
        if q.get("money"):
            m = self.money.match(clause, end)
            if m:
                v = parse_text_numeral(m.group("num"))
                if v is not None:
                    return Decimal(v) * self.money_units[m.group("unit")], m.start(), m.end()
        m = self.count.match(clause, end)
        if m and q.get("units_not") and m.group("unit") in q["units_not"]:
            m = None  # 行政许可24项: items of a list of powers, not decisions
        if m and not q.get("money"):
            v = parse_text_numeral(m.group("num"))
            if v is not None and not isinstance(v, Decimal):
                return v, m.start(), m.end()
        m = self.zero.match(clause, end)
        if m:
            return 0, m.start(), m.end()
        return None

    # -- statements ---------------------------------------------------------------------------
    def claims(self, text: str, year: int | None = None) -> list[Claim]:
        """Statements of the first :data:`MAX_READ_CHARS` characters (a real section has a few thousand; the cap
        bounds the work on a pasted-in novel, and keeps the cache small)."""
        return list(self._claims(text[:MAX_READ_CHARS], year)[0])

    @lru_cache(maxsize=512)  # noqa: B019 — one grammar per format, kept for the program's life
    def _claims(self, text: str, year: int | None) -> tuple[tuple[Claim, ...], tuple[Claim, ...]]:
        """What :meth:`claims` and :meth:`all_done` read of a text, read together (one normalised text)."""
        reading = _Reading(*_normalise(text))
        reading.claims = tuple(self._read(reading, year))
        spec = self.data.get("all_done")
        if not spec:
            return reading.claims, ()
        rx = self._all_done_re
        if rx is None:
            rx = self._all_done_re = re.compile(
                f"(?P<subject>{spec['subject']})?(?P<all>{_alt(spec['all'])})(?:{_alt(spec['manner'])})*"
                f"(?:(?P<done>{_alt(spec['done'])})|{_alt(spec['replied'])})")
            self._all_done_words = (re.compile(_alt(spec["all"])), re.compile(_alt(spec["done"] + spec["replied"])))
        if not self._all_done_words[1].search(text):
            return reading.claims, ()  # (a 'done' word in the text as written: the one test of it before it is read)
        return reading.claims, tuple(self._all_done(spec, rx, reading, text, year))

    def _read(self, reading: _Reading, year: int | None) -> list[Claim]:
        norm, where = reading.norm, reading.where
        out: list[Claim] = []
        topic: frozenset = frozenset()
        last_end = 0
        # Only the sentences that hold a word of the grammar are read. No word holds a sentence's or a clause's
        # end, so the words found in the whole text are those found in each sentence (and clause), and so are
        # the years (nor does a year's date after it hold one).
        ends = reading.ends
        others = [m.start() for m in _YEAR.finditer(norm) if int(m.group(1)) != year] if year else []
        next_year = f"{year + 1}年" if year else ""  # (what makes :meth:`anchors` look for next year's phrases)
        hits = [m.start() for m in self.trigger.finditer(norm)]
        breaks = [m.start() for m in _CLAUSE_BREAK.finditer(norm)]
        h, n_hits = 0, len(hits)
        while h < n_hits:
            k = bisect.bisect_right(ends, hits[h])
            s0, s1 = (ends[k - 1] + 1 if k else 0), (ends[k] if k < len(ends) else len(norm))
            first = h
            while h < n_hits and hits[h] < s1:
                h += 1
            sentence = norm[s0:s1]
            if norm.find("\n", last_end, s0) >= 0:
                topic = frozenset()  # what a statement is about carries over sentences, not paragraphs
            last_end = s1
            # the years of a clause are those of its sentence there
            o = bisect.bisect_left(others, s0)
            other = o < len(others) and others[o] < s1
            if other and year:
                bare = _BRACKETED.sub("", sentence)  # a year in brackets is a remark: only its clause is left out
                if _other_year(bare, year) and _other_year(_years_that_count(bare, year), year):
                    continue  # a sentence about another year
            mentions_topic = frozenset()
            if self.siblings_re is not None and self.siblings_re.search(sentence):
                whole = reading.whole(s0)
                if sum(1 for w in self.siblings if w in whole) >= 2:
                    mentions_topic = frozenset({"申请"})  # 其中，予以公开2件，部分公开2件: table 3's results
            mentions = list(self.mention_re.finditer(sentence)) if self.mention_re is not None else []
            spans = []
            # the clauses (between the text's breaks, within the sentence) where a word of the grammar was found,
            # in order; a 其中 breakdown runs on from its clause to the sentence's end
            stop_m = self._stop_re.search(sentence) if self._stop_re is not None else None
            first_stop = stop_m.start() if stop_m else len(sentence)  # where the first stop word is
            last = -1
            for hit in hits[first:h]:
                k = bisect.bisect_right(breaks, hit)
                if k == last:
                    continue
                last = k
                c0 = max(breaks[k - 1] + 1 if k else 0, s0) - s0
                part = sentence[c0:min(breaks[k], s1) - s0 if k < len(breaks) else None]
                in_breakdown = first_stop < c0
                if other and year and _other_year(part, year) and _other_year(_carry_only(part, year), year):
                    continue
                plan = self._plan(part)
                if plan.idle and not (next_year and next_year in part):
                    continue  # no anchor nor count there (_clause would give nothing, and the topic as it was)
                # the noun named last before this clause is its topic too (…规范性文件进行集中清理，废止1件), with
                # nouns coordinated with it (规章和规范性文件); for this sentence only
                before = [m for m in mentions if m.end() <= c0] if mentions else mentions
                named = self._named_before(before) | mentions_topic if before else mentions_topic
                got, new_topic = self._clause(part, topic | named, year, in_breakdown, plan)
                # (the clause only adds to the topic it was given: without a named one, what it gives back is it)
                topic = topic | (new_topic - (named - topic)) if named else new_topic
                for qid, value, a, b, neg in got:
                    spans.append((s0 + c0 + a, s0 + c0 + b))
                    out.append(Claim(qid, value, where[s0 + c0 + a], where[s0 + c0 + b - 1] + 1, neg))
            if PART in topic:
                topic = topic - {PART}  # a part is a part within its sentence
            for qid, rx, phrase_re in self._leads:
                if phrase_re.search(sentence) is None:
                    continue
                for m in rx.finditer(sentence):
                    a, b = s0 + m.start(), s0 + m.end()
                    if self.other_year.search(sentence[:m.start()]) or any(x < b and a < y for x, y in spans):
                        continue
                    v = parse_text_numeral(m.group("num") or m.group("num2"))
                    if v is not None and not isinstance(v, Decimal):
                        out.append(Claim(qid, v, where[a], where[b - 1] + 1, False))
        return out

    def all_done(self, text: str, year: int | None = None) -> list[Claim]:
        """Clauses saying every application was handled (收到申请20件，均已按时办结), read as a negated statement
        of the data's ``all_done`` quantity (结转下年度: none). Kept apart from :meth:`claims`: it states no count."""
        return list(self._claims(text[:MAX_READ_CHARS], year)[1])

    def _all_done(self, spec: dict, rx: re.Pattern, reading: _Reading, text: str, year: int | None):
        norm, where, found = reading.norm, reading.where, reading.claims
        after = set(spec["after"])
        named = self.q[spec["quantity"]].get("_phrase_re")
        all_words, done_words = self._all_done_words
        ends = reading.ends
        out: list[Claim] = []
        last_k = -1
        # only the sentences with a 'done' word (no such word holds a sentence's end) and an 'all' word: no clause
        # of another can say so
        for dm in done_words.finditer(norm):
            k = bisect.bisect_right(ends, dm.start())
            if k == last_k:
                continue
            last_k = k
            s0, s1 = (ends[k - 1] + 1 if k else 0), (ends[k] if k < len(ends) else len(norm))
            sentence = norm[s0:s1]
            if not all_words.search(sentence):
                continue
            if year and _other_year(_years_that_count(_BRACKETED.sub("", sentence), year), year):
                continue  # about another year
            whole = reading.whole(s0)
            if named is not None and named.search(whole):
                continue  # the sentence speaks of the carry-over itself (…均已办结（其中5件结转下年度）)
            first, last = where[s0], where[s1 - 1] + 1
            if any(c.quantity == spec["quantity"] and first <= c.start < last for c in found):
                continue  # the sentence says how many were carried over itself (…均已办结，无结转下年度申请)
            pos = 0
            for part in _CLAUSE_SPLIT.split(sentence):
                c0 = pos
                pos += len(part)
                m = rx.fullmatch(part) if part else None
                if m is None or not (m.group("done") or "已" in m.group("all")):
                    continue
                a, b = where[s0 + c0], where[s0 + c0 + len(part) - 1] + 1
                if not m.group("subject"):
                    before = [c for c in found if first <= c.start and c.end <= a]
                    if not before:
                        continue
                    nearest = max(before, key=lambda c: c.end)
                    if nearest.quantity not in after:
                        continue  # 办结1191件，均在法定期限内答复: all of those concluded
                    between = text[nearest.end:a]
                    if any(w in between for w in self.part_words + self.stop):
                        continue  # all of a part (线下…9件，已全部办结), or of a 其中 breakdown
                out.append(Claim(spec["quantity"], 0, a, b, True))
        return out

    def _named_before(self, mentions: list) -> frozenset:
        if not mentions:
            return frozenset()
        last = mentions[-1]
        out = {self.mention_topics[last.group(0)]}
        for m in reversed(mentions[:-1]):
            gap = last.string[m.end():last.start()]
            if not (0 < len(gap) <= 3 and self.coord.fullmatch(gap)):
                break
            out.add(self.mention_topics[m.group(0)])
            last = m
        return frozenset(out)

    def _clause(self, clause: str, topic: frozenset, year: int | None = None,  # noqa: C901 — the statement rule
                breakdown: bool = False, plan: _Plan | None = None):
        if plan is None:
            plan = self._plan(clause)
        if not plan.triggered:
            return [], topic  # (no word of the trigger in the clause)
        found = []
        anchors = self.anchors(clause, topic, year, plan)
        bindings = {}
        shared: dict[int, int] = {}  # anchor -> the anchor whose count it shares as a sum
        for i in range(len(anchors) - 1, -1, -1):
            qid, a, b, kind = anchors[i]
            q = self.q[qid]
            bind = self._binding(q, clause, b)
            if bind is None:  # coordinated: 行政复议、行政诉讼均为0
                cm = self.coord.match(clause, b)
                if cm:
                    nxt = next((j for j in range(i + 1, len(anchors))
                                if anchors[j][0] != qid and cm.end() <= anchors[j][1] <= cm.end() + 4), None)
                    if nxt is not None and nxt in bindings and bindings[nxt] is not None:
                        bind = bindings[nxt]
                        nv, nb, ne = bind
                        if nv and not self.each.search(clause, nb, ne):
                            shared[i] = shared.get(nxt, nxt)  # 予以公开及部分公开42件: their sum
            bindings[i] = bind
        negated_groups = {}
        for i, (qid, a, b, kind) in enumerate(anchors):
            q = self.q[qid]
            prefix = clause[:a]
            veto = q["_veto_re"]  # (a word of it in a part of the clause: the pattern found there)
            if self.other_year.search(prefix) or veto is not None and veto.search(clause, 0, a):
                continue
            if veto is not None and (veto.search(clause, a, b) or clause.startswith(q["_veto"], b)):
                continue  # 行政复议被改变: not the count of reviews
            bind = bindings[i]
            if kind == "elided" and (bind is None or bind[1] != b
                                     or any(w in clause[b:bind[2]] for w in self.elided_gap_not)):
                continue  # a verb alone binds only its own count, and not a count of cases (办理相关案件74件)
            if kind == "elided" and any(bindings[j] is not None and bindings[j][2] == bind[2] and anchors[j][2] <= a
                                        and anchors[j][3] != "elided" for j in range(i)):
                continue  # a verb in the gap of another statement's count (转下一年度办理答复的有1件)
            if kind == "part" or (bind is not None and kind == "verb" and self.part_list.match(clause, bind[2])):
                # 受理线上申请65件 / 申请3件、纸质申请36件: a part, and so are the verbs after it
                topic = topic | {PART}
                continue
            if bind is not None:
                # …其中通过网络收到申请25件，通过来信收到申请件4件: a clause of a breakdown is still the breakdown
                if q.get("topic") and kind != "phrase" and qid not in ("handled",) \
                        and (breakdown or any(w in prefix for w in self.stop)):
                    continue  # 其中…: a breakdown, not the quantity itself
                value, _, e = bind
                if i in shared or i in shared.values():
                    root = shared.get(i, i)
                    if root == i:  # the group's last anchor, which holds the count: one statement of the sum
                        ids = [anchors[j][0] for j in sorted(j for j in shared if shared[j] == i)] + [qid]
                        first = min(anchors[j][1] for j in shared if shared[j] == i)
                        found.append(("+".join(dict.fromkeys(ids)), value, first, e, False))
                    if q.get("topic"):
                        topic = topic | {q["topic"]}
                    continue
                if kind == "noun" and self._among_other_items(clause, a, e):
                    continue  # 政策文件14条、行政许可93条、行政执法37条: a list of published items, not decisions
                found.append((qid, value, a, e, False))
                if q.get("topic"):
                    topic = topic | {q["topic"]}
                continue
            neg = self._negated(q, clause, a, kind)
            if neg is not None and q.get("noun_alone") and self.negated_publication is not None \
                    and self.negated_publication.search(clause):
                neg = None  # 无行政处罚…等事项公开: nothing published, not nothing decided
            if neg is not None:
                found.append((qid, 0, neg, b, True))
                negated_groups[i] = True
                if q.get("topic"):
                    topic = topic | {q["topic"]}
                continue
            # coordinated with a negated anchor before it: 未发生行政复议和行政诉讼
            for j in range(i - 1, -1, -1) if negated_groups else ():
                if j in negated_groups and self.coord.fullmatch(clause[anchors[j][2]:a][:6] or "\x00") \
                        and anchors[j][0] != qid:
                    found.append((qid, 0, a, b, True))
                    negated_groups[i] = True
                    break
            else:
                if negated_groups and any(j in negated_groups and anchors[j][0] != qid and 0 <= a - anchors[j][2] <= 6
                       and self.coord.match(clause, anchors[j][2]) for j in range(i)):
                    found.append((qid, 0, a, b, True))
                    negated_groups[i] = True
            if q.get("topic") and kind in ("verb", "phrase"):
                topic = topic | {q["topic"]}
        uniq: list = []
        if found:
            # one verb read for several quantities at one place (规章和规范性文件 …，废止1件): their sum
            by_span: dict = {}
            for f in found:
                by_span.setdefault((f[1], f[2], f[3], f[4]), []).append(f[0])
            if any(len(v) > 1 for v in by_span.values()):
                found = [("+".join(dict.fromkeys(ids)), v, a, e, neg) for (v, a, e, neg), ids in by_span.items()]
            # one statement per quantity and span
            seen = set()
            for f in found:
                key = (f[0], f[2])
                if key not in seen:
                    seen.add(key)
                    uniq.append(f)
        # count before the noun: 收到3件政府信息公开申请 (the pattern needs a verb and a noun of the quantity)
        for qid in plan.before:
            rx = self.count_before[qid]
            for m in rx.finditer(clause):
                if self.other_year.search(clause[:m.start()]) or any(u[0] == qid and m.start() <= u[2] < m.end()
                                                                      for u in uniq):
                    continue
                v = parse_text_numeral(m.group("num"))
                if v is not None and not isinstance(v, Decimal):
                    uniq.append((qid, v, m.start(), m.end(), False))
                    if self.q[qid].get("topic"):
                        topic = topic | {self.q[qid]["topic"]}
        for qid, rx in plan.negated:  # 无依申请公开事项
            for m in rx.finditer(clause):
                if not any(u[0] == qid for u in uniq):
                    uniq.append((qid, 0, m.start(), m.end(), True))
                    topic = topic | {self.q[qid]["topic"]} if self.q[qid].get("topic") else topic
        for qid in plan.counted:
            rx = self.count_noun[qid]  # 12件行政复议案件
            for m in rx.finditer(clause):
                if self.other_year.search(clause[:m.start()]) or any(u[0] == qid and u[2] < m.end() and m.start() < u[3]
                                                                      for u in uniq):
                    continue
                v = parse_text_numeral(m.group("num"))
                if v is not None and not isinstance(v, Decimal):
                    uniq.append((qid, v, m.start(), m.end(), False))
        return uniq, topic

    def _among_other_items(self, clause: str, a: int, e: int) -> bool:
        """Whether the statement at ``a``…``e`` is one item of a 、-list whose neighbour items (a name and a count)
        name nothing of the grammar."""
        before = self.list_item_before.search(clause, 0, a)
        after = self.list_item_after.match(clause, e)
        return any(m is not None and not self.trigger.search(m.group("name")) for m in (before, after))

    def _negated(self, q: dict, clause: str, a: int, kind: str) -> int | None:
        """Start of the negation governing the anchor at ``a``, or None."""
        if a == 0 and self._no_negation_at_start:
            return None  # (an anchor at the clause's start: nothing before it)
        head = clause[max(0, a - 4):a]
        m = self.neg.search(head)
        if m:
            return a - (len(head) - m.start())
        if q.get("noun_alone"):  # 未发生因政府信息公开引起的行政复议 / 没有因…被申请行政复议
            before = clause[max(0, a - self.qmax - 8):a]
            m = q["_neg_verb_re"].search(before)
            if m:
                return a - (len(before) - m.start())
            m = self.neg_cause.search(before)
            if m:
                return a - (len(before) - m.start())
        return None


PLANS_MAX = 4096  # plans a grammar keeps (Grammar._plan): all are made again past this many
PLAN_WORDS_MAX = 16  # words of a clause whose plan is kept (a real clause has a few): what they take is bounded


@dataclass(frozen=True)
class _Plan:
    """What a clause's words of the quantities (:meth:`Grammar._words_in`) call for."""
    has: frozenset[tuple[str, str]]  # (quantity id, "phrases" | "verbs" | "nouns" | "negated_nouns") found
    present: frozenset[str]  # the quantities of those
    triggered: bool  # a word of the grammar's trigger among them (a phrase, verb or noun)
    anchored: tuple  # Grammar._anchor_steps: the quantities that can make an anchor
    before: tuple[str, ...]  # the quantities whose count-before pattern can match (a verb and a noun of each)
    negated: tuple[tuple[str, re.Pattern], ...]  # (quantity, pattern) of the negated nouns found
    counted: tuple[str, ...]  # the quantities whose count-noun pattern can match (a noun of each)
    # none of those: the clause makes no statement and adds nothing to the topic, unless it names next year (where
    # Grammar.anchors looks for next year's phrases too)
    idle: bool


_FULL_STOP = re.compile(r"[。！？!?\n]")
_ENDS = re.compile(f"{_SENTENCE_END.pattern}|{_CLAUSE_BREAK.pattern}")  # what no word of the grammar holds
_CLAUSE_SPLIT = re.compile(f"({_CLAUSE_BREAK.pattern})")  # clauses with the breaks between them


class _Reading:
    """A text being read: normalised, where its sentences end, and the statements read so far."""

    __slots__ = ("norm", "where", "ends", "stops", "claims")

    def __init__(self, norm: str, where: _Where):
        self.norm, self.where = norm, where
        self.ends = [m.start() for m in _SENTENCE_END.finditer(norm)]  # where the sentences end
        self.stops: list[int] | None = None  # where the full stops are, once asked
        self.claims: tuple[Claim, ...] = ()

    def whole(self, at: int) -> str:
        """The sentence at ``at`` up to its full stops (a ；-sentence is part of it)."""
        if self.stops is None:
            self.stops = [m.start() for m in _FULL_STOP.finditer(self.norm)]
        stops = self.stops
        k = bisect.bisect_left(stops, at)
        return self.norm[(stops[k - 1] + 1) if k else 0:stops[k] if k < len(stops) else len(self.norm)]


def _other_year(text: str, year: int) -> bool:
    return any(int(y) != year for y in _YEAR.findall(text))


def _carry_only(text: str, year: int) -> str:
    """The text without 结转(至)<next year>年: a carry-over into next year is about this year."""
    return _carry_re(year).sub(r"\1", text)


@lru_cache(maxsize=64)
def _carry_re(year: int) -> re.Pattern:
    return re.compile(f"((?:结转|转结|转入|顺延)(?:至|到)?){year + 1}年")


def _years_that_count(sentence: str, year: int) -> str:
    """The sentence without the years that do not make it about another year: a carry-over into the next, a
    comparison (较2023年减少12.5%: only that clause is left out) and a year in a title (《…公报2023年政策解读专刊》)."""
    sentence = _TITLE.sub("《》", sentence)
    return _carry_only(_COMPARED_YEAR.sub(r"\1", sentence), year)


_TITLE = re.compile(r"《[^《》]*》")
_COMPARED_YEAR = re.compile(r"(较|比|同比|与)(?:19|20)\d{2}年")


PART = "~part"  # a pseudo-topic: the sentence counted a part of a quantity (线上, 纸质…)
_BRACKETED = re.compile(r"[（(][^（）()]*[）)]")
_BLANK = r"[ \t\u3000\u00a0\r“”‘’\"]+"
_DROP = re.compile(_BLANK + r"|(?<=[0-9０-９])[,，](?=[0-9０-９]{3}(?![0-9０-９]))")
_WIDTH = {c: c - 0xFEE0 for c in list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF5B))}
_FULL_WIDTH = re.compile("[\uff10-\uff19\uff21-\uff5a]")  # the characters of _WIDTH
_BLANKS = re.compile(_BLANK)
_DIGIT_COMMA = re.compile(r"[0-9０-９][,，]")


class _Where:
    """Index in the original text of each character of the normalised text (blanks and 1,024's comma dropped)."""

    def __init__(self, runs: list[tuple[int, int]]):
        self.norm_starts = [a for a, _ in runs]
        self.runs = runs

    def __getitem__(self, k: int) -> int:
        r = bisect.bisect_right(self.norm_starts, k) - 1
        a, b = self.runs[r]
        return b + (k - a)


def _normalise(text: str) -> tuple[str, _Where]:
    """Text without blanks, full-width ASCII made half-width; and the index in ``text`` of each kept char."""
    pieces, runs, pos, n = [], [], 0, 0
    # without a digit before a comma the comma part of _DROP never matches: the blanks alone, which scan faster
    for m in (_DROP if _DIGIT_COMMA.search(text) else _BLANKS).finditer(text):
        if m.start() > pos:
            pieces.append(text[pos:m.start()])
            runs.append((n, pos))
            n += m.start() - pos
        pos = m.end()
    if pos < len(text):
        pieces.append(text[pos:])
        runs.append((n, pos))
    norm = "".join(pieces)
    if _FULL_WIDTH.search(norm):  # (translating looks up every character: only when there is one to change)
        norm = norm.translate(_WIDTH)
    return norm, _Where(runs or [(0, 0)])


_GRAMMARS: dict[str, Grammar] = {}  # one per format, kept for the program's life


def grammar(name: str = "gov-2021") -> Grammar:
    g = _GRAMMARS.get(name)
    if g is None:
        with open(resource("narrative", f"{name}.json"), encoding="utf-8") as fh:
            g = _GRAMMARS[name] = Grammar(json.load(fh))
    return g


def grammar_built(name: str = "gov-2021") -> bool:
    """Whether :func:`grammar` has made this grammar already (making it compiles its patterns: ~50 ms)."""
    return name in _GRAMMARS


def claims(text: str, year: int | None = None, name: str = "gov-2021") -> list[Claim]:
    return grammar(name).claims(text, year)
