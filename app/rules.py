"""The rule engine: evaluates the declarative rules of a format on a report.

Rule types (the ``type`` of a rule in the format file):
  cell_values   every value cell holds a valid value; blanks are reported per table
  required      listed meta fields and sections are filled in
  sum           Σlhs = Σrhs, for every binding of the ``for`` variables; ``prev:`` cells come from last year
  at_least      Σlhs ≥ Σrhs − Σminus, for every binding (a bound that holds whatever last year held)
  text_numbers  numbers stated in the narrative agree with the table (a list of regexes; older rule files)
  narrative     the same, read with the grammar of app/narrative.py (statements of a count about a quantity)
  substance     a section that says nothing (empty of substance: "无", a line or two)
  follow_up     with last year's report: the section says how last year's problems were addressed
  mentions      a section states something the format requires (信息处理费; 考核、评议、责任追究 for 人民政府)
  deadline      成文日期 after the statutory deadline (不按时发布)
  period_year   the statistical-period sentence names another year
  jump          with last year's report: a figure jumps more than ×N or falls below ×1/N without explanation
  similar_organs  sections of different organs' reports nearly identical (batch check only: importers.batch)
  stale_year    years in the narrative that look copied from an old report
  similar       a section nearly identical to last year's
  origin_format the report was imported from an outdated layout
  same_table    with last year's report: a table identical to last year's, not all zeros
  copied        with last year's report: paragraphs and long sentences copied (app/similarity.py)
  tables_missing  tables the imported document lacked (missing, or pictures): named, the rest still checked
  headings      the imported document's section headings against the format's (old and invented wording)
A local rule pack (app/rulepacks.py) adds rules of its own types and may change settings of these.
"""
from __future__ import annotations

import datetime as _dt
import itertools
import re
from collections.abc import Collection, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import cast

from . import rulepacks
from .finding import ERROR, WARNING, Finding
from .formats import Format
from .model import Report
from .values import Invalid, check_value, display, numeric
from .values import cn_number as _cn_number
# the arithmetic that keeps totals filled in (app/totals.py, below the model); importable from here too
from .totals import computed_order, computed_value, dependents, formulas, recompute  # noqa: F401

# --------------------------------------------------------------------------------------------
# Rule expansion (cached per format)

@dataclass(frozen=True)
class SumInstance:
    rule: str
    severity: str
    scope: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    lhs_text: str | None
    rhs_text: str | None
    expected_side: str
    fix_side: str | None
    computes: str | None
    hint: str
    needs_previous: bool


def _bindings(spec: dict):
    names = list(spec)
    for combo in itertools.product(*(spec[n] for n in names)):
        yield dict(zip(names, combo))


def _expand(template: str, binding: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: binding[m.group(1)], template)


def _scope(fmt: Format, template: str, binding: dict) -> str:
    def repl(m):
        var, attr = m.group(1), m.group(2)
        return fmt.var_names.get(var, {}).get(binding[var], binding[var]) if attr == "short" else binding[var]
    return re.sub(r"\{(\w+)\.?(\w*)\}", repl, template)


def term_label(fmt: Format, template: str) -> str:
    """Short label of a rule term from its fixed (unbound) id segments, e.g. t3.new.{col} -> 本年新收."""
    prev = template.startswith("prev:")
    parts = template.removeprefix("prev:").split(".")[1:]
    words = []
    fixed = [p for p in parts if not p.startswith("{")]
    # a dotted row id (withheld.secret) is one name; try the longest join first
    i = 0
    while i < len(fixed):
        for j in range(len(fixed), i, -1):
            key = ".".join(fixed[i:j])
            name = next((names[key] for names in fmt.var_names.values() if key in names), None)
            if name:
                words.append(name)
                i = j
                break
        else:
            words.append(fixed[i])
            i += 1
    return ("上年报告的" if prev else "") + "".join(words)


@lru_cache(maxsize=None)
def _sum_instances(fmt: Format) -> tuple[SumInstance, ...]:
    out = []
    for rule in fmt.rules:
        if rule["type"] != "sum":
            continue
        for b in _bindings(rule.get("for", {})):
            out.append(SumInstance(
                rule=rule["id"], severity=rule["severity"], scope=_scope(fmt, rule.get("scope", ""), b),
                lhs=tuple(_expand(t, b) for t in rule["lhs"]), rhs=tuple(_expand(t, b) for t in rule["rhs"]),
                lhs_text=rule.get("lhs_text"), rhs_text=rule.get("rhs_text"),
                expected_side=rule.get("expected", "lhs"), fix_side=rule.get("fix"), computes=rule.get("computes"),
                hint=rule.get("hint", ""), needs_previous=bool(rule.get("needs_previous"))))
    return tuple(out)


@lru_cache(maxsize=None)
def _labels(fmt: Format) -> dict[str, str]:
    labels = {}
    for rule in fmt.rules:
        if rule["type"] == "sum":
            for t in list(rule["lhs"]) + list(rule["rhs"]):
                labels[t] = term_label(fmt, t)
    return labels


# --------------------------------------------------------------------------------------------
# Checking


def check(report: Report, previous: Report | None = None, severity: str | None = None,
          kinds: frozenset | None = None) -> list[Finding]:
    """All findings of every rule of the report's format. ``previous`` defaults to report.previous.

    With ``severity`` (e.g. ``ERROR``, what an export needs to know), only findings of that severity, and rules
    declared with another severity are not run at all (the narrative grammar is warnings only; sum rules declare
    a severity per instance, so they always run). With ``kinds``, only the rules of those types run (and not the
    import's review notes, which are no rule's)."""
    fmt = report.format
    previous = previous if previous is not None else report.previous
    # before anything runs, and whatever the severity asked: a report that cannot be last year's is never used
    previous, attached = previous_for_checks(fmt, report, previous)
    findings: list[Finding] = []
    held = _HELD_BACK.get()
    for rule in _rules_of(fmt, kinds):
        kind = rule["type"]
        if kind == "previous_report":  # about the report attached, also when it is not used
            if kind not in held and (severity is None or rule.get("severity", severity) == severity):
                findings += attached
            continue
        if rule.get("needs_previous") and previous is None or kind in held:
            continue
        if severity is not None and kind != "sum" and rule.get("severity", severity) != severity:
            continue
        if kind == "cell_values":
            findings += _cell_values(fmt, report, rule)
        elif kind == "required":
            findings += _required(fmt, report, rule)
        elif kind == "sum":
            findings += _sums(fmt, report, previous, rule["id"])
        elif kind == "at_least":
            findings += _at_least(fmt, report, rule)
        elif kind == "text_numbers":
            findings += _text_numbers(fmt, report, rule)
        elif kind == "narrative":
            findings += _narrative(fmt, report, rule)
        elif kind in _ASSESSOR:
            findings += _ASSESSOR[kind](fmt, report, previous, rule)
        elif kind == "stale_year":
            findings += _stale_years(fmt, report, rule)
        elif kind == "similar":
            findings += _similar(fmt, report, previous, rule)
        elif rule.get("pack"):
            findings += rulepacks.check_rule(fmt, report, rule)
        elif kind == "origin_format":
            if report.origin_format in rule.get("formats", []):
                findings.append(Finding(rule["id"], rule["severity"], [], rule["message"]))
        else:
            raise ValueError(f"unknown rule type {kind}")
    for cell, why in report.review.items() if kinds is None else ():
        what = "数值" if cell in fmt.cells else "内容"
        findings.append(Finding("IMPORT.REVIEW", WARNING, [cell], f"{_review_place(fmt, cell)}："
                                                                  f"导入的{what}需要核对（{why}）"))
    if severity is not None:
        findings = [f for f in findings if f.severity == severity]
    return _one_each(findings)


def _rules_of(fmt: Format, kinds: frozenset | None) -> list[dict]:
    """The format's rules with the active rule pack's, of the types ``kinds`` only when given."""
    rules = rulepacks.rules_with(fmt, rulepacks.active())
    return rules if kinds is None else [r for r in rules if r["type"] in kinds]


def sum_findings(report: Report, severity: str | None = None) -> list[Finding]:
    """The findings of the sum rules alone, as :func:`check` gives them: what a total should be, for the importer's
    look at the totals, without running the other rules."""
    return check(report, severity=severity, kinds=frozenset({"sum"}))


def previous_for_checks(fmt: Format, report: Report, previous: Report | None) -> tuple[Report | None, list[Finding]]:
    """The report the cross-year rules run against, and what the format's ``previous_report`` rule says about the
    one attached: of another year than the one before (the same year, a later one, two back) it is said and not
    used — it would only raise false 结转/雷同/照抄 findings; of another organ it is said and used (organs are
    renamed, and a 机构改革 report is written from the old organ's). Unknown year or organ: nothing to say."""
    rule = next((r for r in fmt.rules if r["type"] == "previous_report"), None)
    if previous is None or rule is None:
        return previous, []
    y, gy = report.meta.year, previous.meta.year
    if isinstance(y, int) and isinstance(gy, int) and gy != y - 1:
        return None, [Finding(rule["id"], rule["severity"], ["meta.year"],
                              f"所附上年报告是{gy}年度的，而本报告是{y}年度的，上年报告应为{y - 1}年度，"
                              f"{rule['not_used']}", expected=y - 1, actual=gy)]
    organ, gorgan = report.meta.organ.strip(), previous.meta.organ.strip()
    if organ and gorgan:
        from .organs import same_organ
        if not same_organ(organ, gorgan):
            return previous, [Finding(rule["id"], rule["severity"], ["meta.organ"],
                                      f"所附上年报告是{gorgan}的，不是{organ}的，{rule['other_organ']}",
                                      expected=organ, actual=gorgan)]
    return previous, []


def _one_each(findings: list[Finding]) -> list[Finding]:
    """Findings whose rule and words are the same (the same sentence read at two places, a heading listed twice)
    shown once, with the cells of all of them: the clerk never reads one message twice."""
    first: dict[tuple, int] = {}
    out: list[Finding] = []
    for f in findings:
        key = (f.rule, f.severity, f.message)
        k = first.get(key)
        if k is None:
            first[key] = len(out)
            out.append(f)
        else:  # a new finding, so that one a rule may keep (cached) is never changed
            kept = out[k]
            out[k] = replace(kept, cells=kept.cells + [c for c in f.cells if c not in kept.cells])
    return out


_META_PLACES = {"meta.organ": "机关名称", "meta.year": "报告年度", "meta.date": "成文日期", "meta.contact": "联系方式",
                "opening": "开头段落", "meta.opening": "开头段落", "title": "标题", "closing": "落款"}


def _review_place(fmt: Format, where: str) -> str:
    """What a review note is about, in words: a cell's name, a section's heading or a cover field."""
    if where in fmt.cells:
        return fmt.cells[where].name
    if where in _META_PLACES:
        return _META_PLACES[where]
    try:
        return _section_name(fmt, where)
    except (KeyError, AttributeError, TypeError):
        return where


_HELD_BACK: ContextVar[frozenset] = ContextVar("held_back", default=frozenset())


@contextmanager
def held_back(*kinds: str):
    """Within the block, :func:`check` leaves out the rules of these types (in this thread only). The desktop
    program checks the first report it opens without the types that only warn (:func:`warning_only_kinds`; the
    narrative grammar alone compiles ~50 ms of patterns the first time) and runs them once its window is up
    (``ui.state.ReportState.complete``)."""
    token = _HELD_BACK.set(_HELD_BACK.get() | frozenset(kinds))
    try:
        yield
    finally:
        _HELD_BACK.reset(token)


@lru_cache(maxsize=None)
def deadline_rules() -> frozenset:
    """The ids of the national format's publication-deadline rules (a report late or dated past 31 January)."""
    from .formats import DEFAULT_FORMAT, load_format
    return frozenset(r["id"] for r in load_format(DEFAULT_FORMAT).rules if r["type"] == "deadline")


def counts(findings: list[Finding]) -> tuple[int, int]:
    e = sum(1 for f in findings if f.severity == ERROR)
    return e, len(findings) - e


def _cell_values(fmt: Format, report: Report, rule: dict) -> list[Finding]:
    out = []
    missing = missing_tables(fmt, report) if "tables_missing" in report.extra else set()
    for tid in fmt.table_ids:
        if tid in missing:
            continue  # TABLE.MISSING: the document had no such table to read
        blanks = []
        get = report.values.get
        cells = fmt.cells_of(tid)
        values = list(map(get, cells))
        if values and set(map(type, values)) == {int} and min(cast("list[int]", values)) >= 0:
            continue  # every cell a non-negative int: valid for a count and an amount alike (check_value)
        for cid in cells:
            v = get(cid)
            if v is None:
                blanks.append(cid)
                continue
            if type(v) is int and v >= 0:
                continue
            why = check_value(v, fmt.cells[cid].kind)
            if why:
                out.append(Finding(rule["id"], rule["severity"], [cid], f"{fmt.cells[cid].name}：{why}，请改正。",
                                   actual=display(v)))
        if blanks:
            first = fmt.cells[blanks[0]].name
            more = f"等{len(blanks)}个单元格" if len(blanks) > 1 else ""
            out.append(Finding(rule["id"], rule["severity"], blanks,
                               f"{first}{more}未填写。空白不等于0：没有发生的请填 0，不适用的请填 /。"))
    return out


def _required(fmt: Format, report: Report, rule: dict) -> list[Finding]:
    out = []
    m = report.meta
    for key, name in rule["fields"].items():
        if key == "meta.organ":
            missing = not m.organ.strip()
        elif key == "meta.year":
            missing = not m.year
        elif key == "meta.date":
            missing = not m.date.strip()
        elif key == "meta.contact":
            missing = not m.contact.strip()
        else:
            missing = not report.sections.get(key, "").strip()
        if missing:
            out.append(Finding(rule["id"], rule["severity"], [key], f"缺少{name}，定稿前必须填写。"))
    if m.year and not (1990 <= m.year <= 2100):
        out.append(Finding(rule["id"], rule["severity"], ["meta.year"], f"报告年度“{m.year}”不合理。"))
    if m.date.strip():
        try:
            d = _dt.date.fromisoformat(m.date.strip())
        except ValueError:
            out.append(Finding(rule["id"], rule["severity"], ["meta.date"],
                               f"成文日期“{m.date}”不是有效日期，应写作如 2024-01-16。"))
        else:
            if m.year and d.year <= m.year - 1:
                out.append(Finding(rule["id"], rule["severity"], ["meta.date"],
                                   f"成文日期{d.year}年{d.month}月{d.day}日早于报告年度{m.year}年，请核对。"))
    return out


BLANK_AS_ZERO = "未填，按 0 计"


def _term_text(labels: dict, templates, values, text, blank=()) -> str:
    """One side of a sum; ``blank``: indexes of terms that were blank (counted as 0, and said so)."""
    total = sum(values)
    if text:
        note = "、".join(labels[templates[i]] for i in blank)
        return f"{text}({display(total)}" + (f"，其中{note}{BLANK_AS_ZERO}" if note else "") + ")"
    parts = [f"{labels[t]}({BLANK_AS_ZERO if i in blank else display(v)})"
             for i, (t, v) in enumerate(zip(templates, values))]
    if len(parts) == 1:
        return parts[0]
    return "+".join(parts) + f"={display(total)}"


@lru_cache(maxsize=None)
def _sum_instances_of(fmt: Format) -> dict[str, tuple[SumInstance, ...]]:
    """rule id -> its instances, in the order of :func:`_sum_instances`."""
    out: dict[str, list[SumInstance]] = {}
    for inst in _sum_instances(fmt):
        out.setdefault(inst.rule, []).append(inst)
    return {k: tuple(v) for k, v in out.items()}


def _side(terms: tuple[str, ...]) -> tuple[bool, tuple[str, ...]] | None:
    """(whether the cells are last year's, the cells) of one side of a sum whose terms are all this year's or all
    last year's; None for a side that mixes them."""
    prev = [t.startswith("prev:") for t in terms]
    if any(prev) and not all(prev):
        return None
    return bool(prev) and prev[0], tuple(t.removeprefix("prev:") for t in terms)


@lru_cache(maxsize=None)
def _sum_plan(fmt: Format) -> dict[str, tuple[tuple[SumInstance, tuple | None, tuple | None], ...]]:
    """rule id -> (instance, its two sides as :func:`_side` has them), in the order of :func:`_sum_instances`."""
    return {rule: tuple((inst, _side(inst.lhs), _side(inst.rhs)) for inst in insts)
            for rule, insts in _sum_instances_of(fmt).items()}


def _sums(fmt: Format, report: Report, previous: Report | None, rule_id: str) -> list[Finding]:
    out = []
    values, prev_values = report.values, (previous.values if previous else None)

    def raw(ref):
        if ref.startswith("prev:"):
            return prev_values.get(ref[5:]) if prev_values is not None else None
        return values.get(ref)

    for inst, left, right in _sum_plan(fmt).get(rule_id, ()):
        # the common case first: every term a number (int or Decimal), and the sides equal. A blank, 不适用 or
        # invalid term cannot be added (TypeError): the instance is then looked at term by term below.
        if left is not None and right is not None:
            lsrc = prev_values if left[0] else values
            rsrc = prev_values if right[0] else values
            try:
                same = lsrc is not None and rsrc is not None and \
                    sum(map(lsrc.get, left[1])) == sum(map(rsrc.get, right[1]))
            except TypeError:
                same = False
            if same:
                continue
        lraw = [raw(c) for c in inst.lhs]
        rraw = [raw(c) for c in inst.rhs]
        if any(isinstance(v, Invalid) for v in lraw + rraw):
            continue  # invalid values are CELL.VALUE findings
        # a blank counts as 0 (its own CELL.VALUE finding stays): a column is flagged from its first value on
        lv = [0 if v is None else numeric(v) for v in lraw]
        rv = [0 if v is None else numeric(v) for v in rraw]
        ls, rs = sum(lv), sum(rv)
        if ls == rs:
            continue
        cells = [c for c in inst.lhs + inst.rhs if not c.startswith("prev:")]
        own = _previous_own_error(fmt, report, previous, inst, ls, rs)
        if own is not None:
            out.append(Finding(inst.rule, WARNING, cells, f"{inst.scope}：{own}"))
            continue
        expected, actual = (ls, rs) if inst.expected_side == "lhs" else (rs, ls)
        fix = {}
        if inst.fix_side == "rhs" and len(inst.rhs) == 1:
            fix = {inst.rhs[0]: ls}
        elif inst.fix_side == "lhs" and len(inst.lhs) == 1:
            fix = {inst.lhs[0]: rs}
        labels, rule = _labels(fmt), fmt.rule(rule_id)
        lt = _term_text(labels, rule["lhs"], lv, inst.lhs_text, [i for i, v in enumerate(lraw) if v is None])
        rt = _term_text(labels, rule["rhs"], rv, inst.rhs_text, [i for i, v in enumerate(rraw) if v is None])
        msg = f"{inst.scope}：{lt}，但{rt}，相差{display(abs(ls - rs))}{inst.hint}"
        out.append(Finding(inst.rule, inst.severity, cells, msg, expected, actual, fix))
    return out


def _previous_own_error(fmt: Format, report: Report, previous: Report | None, inst, ls, rs) -> str | None:
    """A computed total of this year held against last year's total, where last year's printed total is not the sum
    of its own columns and this year's total is that sum: last year's report was wrong, not this one (the clerk
    cannot change a computed total); what to say instead, else None."""
    if previous is None or len(inst.lhs) != 1 or len(inst.rhs) != 1 or not inst.rhs[0].startswith("prev:"):
        return None
    mine, theirs = inst.lhs[0], inst.rhs[0][5:]
    f = formulas(fmt)
    if mine not in f or theirs not in formulas(previous.format):
        return None
    parts = [previous.values.get(c) for c in formulas(previous.format)[theirs]]
    if any(isinstance(v, Invalid) for v in parts):
        return None
    columns = sum(0 if v is None else numeric(v) for v in parts)
    if columns == rs or columns != ls:
        return None
    return (f"上年报告的{term_label(fmt, theirs)}为{display(rs)}，但上年各列之和为{display(columns)}，是上年报告"
            f"本身的错误；本年{term_label(fmt, mine)}按各列计算为{display(ls)}，与上年各列一致，无需改动。")


@lru_cache(maxsize=64)
def _at_least_terms(lhs: tuple, rhs: tuple, minus: tuple, spec: tuple) -> tuple:
    """(binding, lhs cells, rhs cells, minus cells) of each binding of an ``at_least`` rule's terms."""
    out = []
    for b in _bindings(dict(spec)):
        out.append((b, [_expand(t, b) for t in lhs], [_expand(t, b) for t in rhs], [_expand(t, b) for t in minus]))
    return tuple(out)


def _at_least(fmt: Format, report: Report, rule: dict) -> list[Finding]:
    """Σlhs ≥ Σrhs − Σminus for every binding; a blank or invalid term leaves the bound unchecked."""
    out = []
    spec = tuple((n, tuple(v)) for n, v in rule.get("for", {}).items())
    for b, lhs, rhs, minus in _at_least_terms(tuple(rule["lhs"]), tuple(rule["rhs"]), tuple(rule.get("minus", [])),
                                              spec):
        nums = {c: numeric(report.values.get(c)) for c in lhs + rhs + minus}
        if any(v is None or isinstance(v, str) for v in nums.values()):
            continue  # blank or invalid: CELL.VALUE says so
        low = sum(nums[c] for c in rhs) - sum(nums[c] for c in minus)
        have = sum(nums[c] for c in lhs)
        if have >= low:
            continue

        def named(templates, cells, nums=nums):
            return "+".join(f"{term_label(fmt, t)}({display(nums[c])})" for t, c in zip(templates, cells))
        bound = named(rule["rhs"], rhs) + "".join(f"−{term_label(fmt, t)}({display(nums[c])})"
                                                   for t, c in zip(rule.get("minus", []), minus))
        scope = _scope(fmt, rule.get("scope", ""), b)
        out.append(Finding(rule["id"], rule["severity"], lhs + rhs + minus,
                           f"{scope}：{named(rule['lhs'], lhs)}少于{bound}={display(low)}。{rule.get('hint', '')}",
                           expected=low, actual=have))
    return out


cn_number = _cn_number  # the one numeral parser lives in values.py; this name stays for callers


def _section_name(fmt: Format, sid: str) -> str:
    if sid in _META_PLACES:  # a text rule may read a cover field too (``meta.opening``)
        return _META_PLACES[sid]
    return fmt.section(sid)["heading"]


def _place_text(report: Report, sid: str) -> str:
    """The text of a place a text rule reads: a section, or ``meta.opening`` (the opening as the office wrote
    it; "" is the standard opening, worded from organ and year, so it never names another year)."""
    if sid == "meta.opening":
        return report.meta.opening
    return report.sections.get(sid, "")


def _snippet(text: str, start: int, end: int, pad: int = 8) -> str:
    a, b = max(0, start - pad), min(len(text), end + pad)
    return ("…" if a else "") + text[a:b].replace("\n", " ") + ("…" if b < len(text) else "")


@lru_cache(maxsize=None)
def _compiled(pattern: str):
    return re.compile(pattern)


@lru_cache(maxsize=256)
def _any_word(words: tuple) -> re.Pattern:
    """A pattern found in a text exactly when one of the words is in it."""
    return re.compile("|".join(re.escape(w) for w in words) if words else "(?!)")


# Text rules look at no more than this many places per section and rule, and list no more than this many findings
# (a report's section mentions a year or a count a few dozen times), so that a pasted book cannot make every
# edit slow.
MAX_TEXT_MATCHES = 500
MAX_TEXT_FINDINGS = 20


def _text_numbers(fmt: Format, report: Report, rule: dict) -> list[Finding]:
    out = []
    for sid in rule["sections"]:
        text = report.sections.get(sid, "")
        if not text:
            continue
        found = 0
        for pat in rule["patterns"]:
            for seen, m in enumerate(_compiled(pat["regex"]).finditer(text)):
                if seen >= MAX_TEXT_MATCHES or found >= MAX_TEXT_FINDINGS:
                    break
                stated = pat["value"] if "value" in pat else cn_number(m.group("n"))
                if stated is None:
                    continue
                table = [numeric(report.values.get(c)) for c in pat["cells"]]
                if any(v is None for v in table):
                    continue
                ok = all(v == stated for v in table) if pat.get("all") else any(v == stated for v in table)
                if ok:
                    continue
                head = text[max(0, m.start() - 12):m.start()]
                head = re.split(r"[，。；！？\n]", head)[-1]
                quote = (head + m.group(0)).strip()
                shown = "、".join(f"{fmt.cells[c].name}为{display(v)}" for c, v in zip(pat["cells"], table))
                out.append(Finding(rule["id"], rule["severity"], [sid] + list(pat["cells"]),
                                   f"{_section_name(fmt, sid)}中写道“{quote}”（{pat['what']}{stated}），"
                                   f"但{shown}，请核对文字与表格是否一致。",
                                   expected=table[0], actual=stated))
                found += 1
    return out


class _LazyPattern:
    """A regular expression compiled when first used: the patterns of the text rules (warnings only), which the
    desktop program's first check at start-up leaves for later (``held_back``), cost ~2 ms to compile."""

    def __init__(self, pattern: str):
        self.pattern = pattern

    def __getattr__(self, name):  # match, search, finditer, sub, split, … (only what the instance does not hold yet)
        rx = self.__dict__.get("_rx")
        if rx is None:
            rx = self.__dict__["_rx"] = re.compile(self.pattern)
        value = getattr(rx, name)
        setattr(self, name, value)  # the compiled pattern's method, found directly from now on
        return value


# a year 1980–2099 before 年, not after a digit or an opening bracket (〔2023〕); the look back is made after the
# year's first digit so that the search skips to the next 1 or 2 (a look back first is tried at every character)
_YEAR = _LazyPattern(r"((?:1(?<![\d〔\[［(（]1)9[89]|2(?<![\d〔\[［(（]2)0\d)\d)\s*年")
_COMPARE = _LazyPattern(r"(较|比|同比|与|相比|对比|去年|上年|上一年)\s*$")
_ALLOWED_AFTER = _LazyPattern(r"^\s*年?\s*(以来|起|至今|开始|底前|版|修订|修正|印发|发布|颁布)")
_SENTENCE_START_SUBJECT = _LazyPattern(r"^\s*年(度)?\s*[，,、]?\s*(我|本|全|市|区|县|局|委|办|各|该)")


_AT_ALLOWED_AFTER = _LazyPattern(_ALLOWED_AFTER.pattern[1:])  # the same patterns for Pattern.match(text, pos)
_AT_SENTENCE_START_SUBJECT = _LazyPattern(_SENTENCE_START_SUBJECT.pattern[1:])
_AT_STATS_PERIOD = _LazyPattern(r"\s*年\s*1\s*月\s*1\s*日\s*(至|到|-|—)")
_LINE_END = "。！？；\n"
_PERIOD_SENTENCE_END = "。！？\n"  # the sentences ``period_year`` reads


def _stale_years(fmt: Format, report: Report, rule: dict) -> list[Finding]:
    """Years that look copied from an old report. One pass over each section: the text before and after a year
    is looked at in place (never copied), the open 《 count is carried along, so the time is linear."""
    year = report.meta.year
    if not year:
        return []
    out = []
    skip = next((r for r in fmt.rules if r["id"] == rule.get("skip_rule")), None)
    marker = _compiled(skip["marker"]) if skip is not None else None
    for sid in rule["sections"]:
        text = _place_text(report, sid)
        period_rule_reads = skip is not None and sid in skip["sections"]
        opened = closed = 0
        counted = found = 0
        for seen, m in enumerate(_YEAR.finditer(text)):
            if seen >= MAX_TEXT_MATCHES or found >= MAX_TEXT_FINDINGS:
                break
            y = int(m.group(1))
            start = m.start()
            opened += text.count("《", counted, start)
            closed += text.count("》", counted, start)
            counted = start
            if opened > closed:
                continue  # inside a document title
            if _AT_ALLOWED_AFTER.match(text, m.end()):
                continue
            if _COMPARE.search(text[max(0, start - 6):start]):
                continue
            k = start
            while k > 0 and text[k - 1].isspace():
                k -= 1
            line_start = k == 0 or text[k - 1] in _LINE_END or "\n" in text[k:start]
            stats_period = _AT_STATS_PERIOD.match(text, m.end() - 1) is not None
            suspicious = False
            if y <= year - 2 or y >= year + 2:
                suspicious = True
            elif y == year - 1 and (stats_period or (line_start
                                                     and _AT_SENTENCE_START_SUBJECT.match(text, m.end() - 1))):
                suspicious = True
            if suspicious and period_rule_reads and marker is not None:
                # a statistical-period sentence is ``skip_rule``'s finding, which says what to write instead
                a = max(text.rfind(c, 0, start) for c in _PERIOD_SENTENCE_END) + 1
                b = min((i for i in (text.find(c, start) for c in _PERIOD_SENTENCE_END) if i >= 0), default=len(text))
                suspicious = not marker.search(text[a:b].replace(" ", ""))
            if suspicious:
                out.append(Finding(rule["id"], rule["severity"], [sid],
                                   f"{_section_name(fmt, sid)}中“{_snippet(text, m.start(), m.end())}”提到{y}年，"
                                   f"而本报告是{year}年度的，像是沿用了旧报告的文字，请核对。",
                                   expected=year, actual=y))
                found += 1
    return out


_STRIP = _LazyPattern(r"[\s\d０-９，。、；：！？“”‘’（）()《》\-—…·,.;:!?\"'#*]+")


MAX_SIMILARITY_CHARS = 50_000  # characters of each section compared (a section is a few thousand)


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of character trigrams, ignoring digits, blanks and punctuation; linear time, and only
    the first :data:`MAX_SIMILARITY_CHARS` characters of each text count, so memory is bounded too."""
    ga, gb = _TRIGRAMS.get(a), _TRIGRAMS.get(b)
    if ga is not None and gb is not None:
        if not isinstance(ga, set):
            ga = _TRIGRAMS[a] = set(ga)  # once: a section is compared twice (TEXT.SIMILAR, TEXT.COPIED's skip)
        if not isinstance(gb, set):
            gb = _TRIGRAMS[b] = set(gb)
        both = len(ga & gb)
        return both / (len(ga) + len(gb) - both)
    return _similarity(_stripped(a), _stripped(b))


# section text -> the trigrams of what :func:`similarity` compares of it as integers, each once (a set or an array:
# review.section_trigrams, made by the process that read the report): given for one task (:func:`given_trigrams`),
# forgotten after it. The integers stand one for one for the trigrams, so their Jaccard similarity is the same.
_TRIGRAMS: dict[str, Collection[int]] = {}


@contextmanager
def given_trigrams(made: dict[str, Collection[int]]):
    """Within: the trigrams of these texts (text -> its trigrams as integers, each once, for a text of three
    characters or more once stripped) not made again by :func:`similarity`."""
    _TRIGRAMS.update(made)
    try:
        yield
    finally:
        _TRIGRAMS.clear()


@lru_cache(maxsize=16)  # a section not edited since the last check is the same string: no work again
def _stripped(text: str) -> str:
    return _STRIP.sub("", text[: 2 * MAX_SIMILARITY_CHARS])[:MAX_SIMILARITY_CHARS]


@lru_cache(maxsize=64)
def _similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    sa = {a[i:i + 3] for i in range(max(1, len(a) - 2))}
    sb = {b[i:i + 3] for i in range(max(1, len(b) - 2))}
    both = len(sa & sb)
    return both / (len(sa) + len(sb) - both)  # the size of the union, not made


def _similar(fmt: Format, report: Report, previous: Report, rule: dict) -> list[Finding]:
    out = []
    for sid in rule["sections"]:
        a, b = report.sections.get(sid, ""), previous.sections.get(sid, "")
        if len(a.strip()) < 40 or len(b.strip()) < 40:
            continue
        s = similarity(a, b)
        if s >= rule.get("threshold", 0.85):
            out.append(Finding(rule["id"], rule["severity"], [sid],
                               f"{_section_name(fmt, sid)}与上年报告相似度达{round(s * 100)}%，"
                               f"“内容雷同”是格式通知点名的问题，请结合本年实际改写。", actual=round(s, 3)))
    return out


# --------------------------------------------------------------------------------------------
# Checks beyond arithmetic: the narrative grammar and what assessors mark

def _grammar_name(fmt: Format, rule: dict) -> str:
    return rule.get("grammar", fmt.id)


def narrative_ready(fmt: Format) -> bool:
    """Whether the grammars of the format's narrative rules are made (else the first :func:`check` of a report
    with text makes them, ~50 ms)."""
    import sys
    names = {_grammar_name(fmt, r) for r in fmt.rules if r["type"] == "narrative"}
    mod = sys.modules.get(f"{__package__}.narrative")  # (not imported: nothing made yet)
    return not names or (mod is not None and all(mod.grammar_built(n) for n in names))


def warning_only_kinds(fmt: Format) -> tuple[str, ...]:
    """The rule types of the format none of whose rules gives an error (the format says each rule's severity)."""
    errors = {r["type"] for r in fmt.rules if r["severity"] == ERROR}
    return tuple(sorted({r["type"] for r in fmt.rules} - errors))


def _narrative(fmt: Format, report: Report, rule: dict) -> list[Finding]:
    g = None  # made when there is text to read
    out: list[Finding] = []
    for sid in rule["sections"]:
        text = report.sections.get(sid, "")
        if not text:
            continue
        if g is None:
            from .narrative import grammar
            g = grammar(_grammar_name(fmt, rule))
        year = report.meta.year if isinstance(report.meta.year, int) else None
        # the counts stated, and "all concluded" (收到申请20件，均已按时办结: none carried over to next year)
        for c in g.claims(text, year) + g.all_done(text, year):
            q = g.quantity(c.quantity)
            sums = []
            for cells in q.alternatives:
                nums = [numeric(report.values.get(x)) for x in cells]
                sums.append(None if any(v is None for v in nums) else sum(nums))
            if any(v is None for v in sums) or any(v == c.value for v in sums):
                continue
            cells = list(q.alternatives[0])
            quote = _quote(text, c.start, c.end)
            if len(cells) == 1:
                shown = f"{fmt.cells[cells[0]].name}为{display(sums[0])}"
            elif "+" in c.quantity:  # a sum of several quantities: each named with its table value
                parts = [g.quantity(p) for p in c.quantity.split("+")]
                each = "、".join(
                    f"{p.what.split('（')[0]}为{display(sum(numeric(report.values.get(x)) for x in p.alternatives[0]))}"
                    for p in parts)
                shown = f"表中{each}，合计{display(sums[0])}"
            else:
                shown = f"表中{q.what.split('（')[0]}合计为{display(sums[0])}"
            stated = "没有（0）" if c.negated else display(c.value)
            msg = (f"{_section_name(fmt, sid)}中写道“{quote}”（{q.what}：{stated}），"
                   f"但{shown}，请核对文字与表格是否一致。")
            if any(f.message == msg for f in out):
                continue  # the same words read twice with the same figure: one finding
            out.append(Finding(rule["id"], rule["severity"], [sid] + cells, msg, expected=sums[0], actual=c.value))
    return out


def _quote(text: str, start: int, end: int) -> str:
    head = _compiled(r"[，。；！？\n]").split(text[max(0, start - 12):start])[-1]
    return (head + text[start:end]).strip()


_CLAUSE_END = _LazyPattern(r"[。！？；\n]")


def _plain(text: str) -> str:
    return _compiled(r"[\s\u3000*#>|-]+").sub("", text or "")


def _substance(fmt: Format, report: Report, previous, rule: dict) -> list[Finding]:
    out = []
    for sid in rule["sections"]:
        raw = report.sections.get(sid, "")
        if not raw.strip():
            continue  # empty: META.REQUIRED says so
        text = _plain(raw)
        for h in fmt.section(sid).get("subheadings", []) + rule.get("ignore", []):
            text = text.replace(_plain(h), "")
        body = _compiled(r"[，。、；：！？,.;:!?（）()“”\"'\d]").sub("", text)
        if len(body) < rule.get("min_chars", 60) or body in rule.get("empty_words", []):
            shown = raw.strip().replace("\n", " ")
            shown = shown if len(shown) <= 30 else shown[:30] + "…"
            out.append(Finding(rule["id"], rule["severity"], [sid],
                               f"{_section_name(fmt, sid)}只写了“{shown}”，内容过于简单。{rule['hint']}",
                               actual=len(body)))
    return out


def _follow_up(fmt: Format, report: Report, previous, rule: dict) -> list[Finding]:
    if previous is None or not _plain(previous.sections.get(rule["section"], "")):
        return []
    text = _plain(report.sections.get(rule["section"], ""))
    if not text:
        return []
    for sentence in _CLAUSE_END.split(text):
        if any(w in sentence for w in rule["past"]) and any(w in sentence for w in rule["action"]):
            return []
    return [Finding(rule["id"], rule["severity"], [rule["section"]],
                    f"{_section_name(fmt, rule['section'])}没有说明上年报告提出的问题整改得怎样。{rule['hint']}")]


def _mentions(fmt: Format, report: Report, previous, rule: dict) -> list[Finding]:
    organ = report.meta.organ or ""
    if rule.get("organ_pattern") and not _compiled(rule["organ_pattern"]).search(organ):
        return []
    text = "".join(_plain(report.sections.get(sid, "")) for sid in rule["sections"])
    if not text:
        return []
    missing = [name for name, words in rule["items"].items() if not any(w in text for w in words)]
    if not missing:
        return []
    where = "、".join(_section_name(fmt, sid) for sid in rule["sections"])
    return [Finding(rule["id"], rule["severity"], list(rule["sections"]),
                    f"{where}中没有写{'、'.join(missing)}。{rule['hint']}")]


def publication_date(report: Report) -> str:
    """The date the report was published (发布日期/发布时间 of the saved web page it was imported from), or ""."""
    v = report.extra.get("published")
    return v.strip() if isinstance(v, str) else ""


def _deadline(fmt: Format, report: Report, previous, rule: dict) -> list[Finding]:
    """The publication date when the report has one (a saved web page's 发布日期), else 成文日期, against the
    deadline for the kind of organ (the first ``special`` whose pattern matches the organ's name, else ``default``)."""
    m = report.meta
    if not isinstance(m.year, int):
        return []
    published = publication_date(report)
    which, raw = ("发布日期", published) if published else ("成文日期", m.date.strip())
    if not raw:
        return []
    try:
        d = _dt.date.fromisoformat(raw)
    except ValueError:
        return []  # META.REQUIRED reports a bad 成文日期; a bad 发布日期 is not read at import
    month, day, who = rule["default"]
    for special in rule.get("special", []):
        if _compiled(special["organ_pattern"]).search(m.organ or ""):
            month, day, who = special["deadline"]
            break
    try:
        last = _dt.date(m.year + 1, month, day)
    except ValueError:
        return []
    if d <= last:
        return []
    cells = ["meta.date"] if which == "成文日期" else []
    return [Finding(rule["id"], rule["severity"], cells,
                    f"{which}{d.year}年{d.month}月{d.day}日晚于期限{last.year}年{month}月{day}日（{who}），"
                    f"属于“不按时发布”。{rule['hint']}", expected=last.isoformat(), actual=d.isoformat())]


def _date_early(fmt: Format, report: Report, previous, rule: dict) -> list[Finding]:
    """The publication date, else 成文日期, before ``earliest`` (a day of the following year): the report is dated
    before the year it reports on has ended — last year's date kept with its year changed. Not 不按时发布 (the
    desk counts only the deadline rule's findings as late). A 成文日期 of an earlier year than the report's is
    META.REQUIRED's error already."""
    m = report.meta
    if not isinstance(m.year, int):
        return []
    published = publication_date(report)
    which, raw = ("发布日期", published) if published else ("成文日期", m.date.strip())
    try:
        d = _dt.date.fromisoformat(raw)
        month, day = rule["earliest"]
        first = _dt.date(m.year + 1, month, day)
    except ValueError:
        return []  # no date, or a bad one (META.REQUIRED says so)
    if d >= first or which == "成文日期" and d.year < m.year:
        return []
    return [Finding(rule["id"], rule["severity"], ["meta.date"] if which == "成文日期" else [],
                    f"{which}{d.year}年{d.month}月{d.day}日早于{first.year}年{month}月{day}日，"
                    f"而本报告是{m.year}年度的（{rule['why']}）。{rule['hint']}",
                    expected=first.isoformat(), actual=d.isoformat())]


def _same_table(fmt: Format, report: Report, previous, rule: dict) -> list[Finding]:
    """A table identical, cell for cell, to last year's, with something other than 0 in it."""
    if previous is None:
        return []
    out = []
    for tid in rule["tables"]:
        cells = fmt.cells_of(tid)
        now = list(map(report.values.get, cells))
        if None in now or now != list(map(previous.values.get, cells)):  # (no value but None equals None)
            continue
        # 现行有效: a count of what exists, rightly the same when nothing changed
        stock = set(rule.get("stock_cells", ()))
        if all(not numeric(v) for c, v in zip(cells, now) if c not in stock and not isinstance(v, Invalid)):
            continue  # all zeros (or 不适用): nothing happened in either year, the same table is right
        name = fmt.section(tid)["heading"]
        out.append(Finding(rule["id"], rule["severity"], list(cells),
                           f"{name}：{rule['hint']}"))
    return out


def _copied(fmt: Format, report: Report, previous, rule: dict) -> list[Finding]:
    """Paragraphs and long sentences copied from last year's report, where the section as a whole is not
    (that is ``skip_rule``'s finding)."""
    if previous is None:
        return []
    from .similarity import copied_between, describe
    skip = next((r for r in fmt.rules if r["id"] == rule.get("skip_rule")), None)
    out = []
    year = previous.meta.year
    other = f"上年（{year}年）报告" if isinstance(year, int) else "上年报告"
    for sid in rule["sections"]:
        a, b = report.sections.get(sid, ""), previous.sections.get(sid, "")
        if not a.strip() or not b.strip():
            continue
        if skip is not None and len(a.strip()) >= 40 and len(b.strip()) >= 40 \
                and similarity(a, b) >= skip.get("threshold", 0.85):
            continue
        found = copied_between(a, b, rule.get("min_paragraph", 60), rule.get("min_sentence", 50),
                               rule.get("share", 0.8))
        if found:
            out.append(Finding(rule["id"], rule["severity"], [sid],
                               f"{_section_name(fmt, sid)}中有{describe(found, a)}与{other}的文字相同，"
                               f"“内容雷同”是格式通知点名的问题，请结合本年实际改写。",
                               actual=sum(c.chars for c in found)))
    return out


def _tables_missing(fmt: Format, report: Report, previous, rule: dict) -> list[Finding]:
    """Tables the imported document did not have as tables (missing, or published as pictures) and that are
    still blank: the report can be read and checked otherwise, these tables cannot."""
    listed = report.extra.get("tables_missing")
    if not isinstance(listed, list):
        return []
    out = []
    for tid in fmt.table_ids:
        if tid in listed and all(report.values.get(c) is None for c in fmt.cells_of(tid)):
            out.append(Finding(rule["id"], rule["severity"], list(fmt.cells_of(tid)),  # the page and every cell
                               f"{fmt.section(tid)['heading']}：表格缺失或为图片，无法核验。{rule['hint']}"))
    return out


def missing_tables(fmt: Format, report: Report) -> set[str]:
    """Tables flagged as missing from the imported document (their blanks are that finding, not CELL.VALUE's)."""
    listed = report.extra.get("tables_missing")
    if not isinstance(listed, list):
        return set()
    return {t for t in fmt.table_ids if t in listed and all(report.values.get(c) is None for c in fmt.cells_of(t))}


@lru_cache(maxsize=1024)  # the same few headings in report after report
def _heading_key(text: str) -> str:
    """A heading compared as written, but without blanks and width or punctuation variants (（）/(), ，/、 between
    items, a closing 。 or ：)."""
    import unicodedata
    t = unicodedata.normalize("NFKC", _plain(text)).rstrip("。：:.")
    t = _compiled(r"^([一二三四五六七八九十]{1,2})[.．,，]").sub(r"\1、", t)
    return t.replace(",", "、").replace("，", "、")


@lru_cache(maxsize=None)
def _row_labels(fmt: Format) -> frozenset:
    """Every row label of the format's tables (一、本年新收政府信息公开申请数量 …), as :func:`_heading_key` has it."""
    out: set[str] = set()
    for t in fmt.tables.values():
        for row in t.get("rows", ()):
            out.update(_heading_key(label) for label in row.get("labels", ()))
    return frozenset(out)


@lru_cache(maxsize=None)
def _format_headings(fmt: Format) -> tuple[dict, dict, dict]:
    """The format's sections by their heading's numeral (一), by its words as :func:`_heading_key` has them, and
    each section's heading as :func:`_heading_key` has it."""
    expected = {s["heading"].split("、", 1)[0]: s for s in fmt.sections}
    by_words = {_heading_key(s["heading"]).partition("、")[2]: s for s in fmt.sections}
    return expected, by_words, {s["id"]: _heading_key(s["heading"]) for s in fmt.sections}


def _headings(fmt: Format, report: Report, previous, rule: dict) -> list[Finding]:
    """The section headings the imported document used, against the format's wording."""
    found = report.extra.get("headings")
    if not isinstance(found, list):
        return []
    expected, by_words, keys = _format_headings(fmt)
    rows = _row_labels(fmt)
    known = rule.get("known", {})
    out = []
    seen = set()
    for h in found:
        if not isinstance(h, str) or not h.strip():
            continue
        text = _heading_key(h)
        numeral, _, words = text.partition("、")
        if not words or text in seen or text in rows:
            continue  # a table's row label set as a heading (Markdown ###) is a row, not a section
        seen.add(text)
        sec = expected.get(numeral)
        if sec is not None and keys[sec["id"]] == text:
            continue
        other = by_words.get(words)
        if other is not None:  # the format's words under another numeral (上海's tables 一、二、三)
            out.append(Finding(rule["id"], rule["severity"], [other["id"]],
                               f"导入的文件中的标题“{h.strip()}”的序号与2021年格式不同，这一部分应为“{other['heading']}”。"
                               f"{rule['hint']}", expected=other["heading"], actual=h.strip()))
            continue
        hint = known.get(words)
        target = next((s for s in fmt.sections if s["id"] == hint), None) if hint else None
        if target is None:
            target = sec
        if target is None:
            msg = f"导入的文件中的标题“{h.strip()}”不是2021年格式的标题；2021年格式只有六个部分（一、至六、）。"
            out.append(Finding(rule["id"], rule["severity"], [], msg + rule["hint"], actual=h.strip()))
            continue
        why = "是旧格式的标题" if hint else "与2021年格式的标题不同"
        out.append(Finding(rule["id"], rule["severity"], [target["id"]],
                           f"导入的文件中的标题“{h.strip()}”{why}，应为“{target['heading']}”。{rule['hint']}",
                           expected=target["heading"], actual=h.strip()))
    return out


def _period_year(fmt: Format, report: Report, previous, rule: dict) -> list[Finding]:
    year = report.meta.year
    if not isinstance(year, int):
        return []
    out = []
    marker = _compiled(rule["marker"])
    years_in = _compiled(r"((?:19|20)\d{2})\s*年")
    for sid in rule["sections"]:
        text = _place_text(report, sid)
        if all(int(y) == year for y in years_in.findall(text)):
            continue  # a sentence's years are among its section's: none of another year to say
        for sentence in _compiled(r"[^。！？\n]+").finditer(text):
            s = sentence.group(0)
            if not marker.search(s.replace(" ", "")):
                continue
            years = sorted({int(y) for y in years_in.findall(s)} - {year})
            if years:
                out.append(Finding(rule["id"], rule["severity"], [sid],
                                   f"{_section_name(fmt, sid)}中统计期限的说明“{s.strip()[:60]}”写的是"
                                   f"{'、'.join(map(str, years))}年，而本报告是{year}年度的，"
                                   f"请改为{year}年1月1日至12月31日。",
                                   expected=year, actual=years[0]))
    return out


def _jump(fmt: Format, report: Report, previous, rule: dict) -> list[Finding]:
    if previous is None:
        return []
    out = []
    sentences = None  # split when a figure first jumps
    factor, floor = rule["factor"], rule["min"]
    for item in rule["items"]:
        cur = [numeric(report.values.get(c)) for c in item["cells"]]
        old = [numeric(previous.values.get(c)) for c in item["cells"]]
        if any(v is None for v in cur + old):
            continue
        a, b = sum(cur), sum(old)
        if max(a, b) < floor:
            continue
        if not (a > b * factor or a * factor < b):
            continue
        if sentences is None:  # the narrative's sentences with a word that explains a change
            text = "\n".join(report.sections.get(sid, "") for sid in rule["sections"])
            explain = _any_word(tuple(rule["explain"]))
            sentences = [s for s in _compiled(r"[。！？；\n]").split(_plain(text)) if s and explain.search(s)]
        words = _any_word(tuple(item["words"]))
        if any(words.search(s) for s in sentences):
            continue  # the narrative talks about the change
        direction = "增加" if a > b else "减少"
        out.append(Finding(rule["id"], rule["severity"], list(item["cells"]),
                           f"{item['name']}由上年的{display(b)}{direction}到{display(a)}，变化超过{factor}倍，"
                           f"正文没有说明原因。请核对数字；如确有变化，请在总体情况中说明原因。",
                           expected=b, actual=a))
    return out


_ASSESSOR = {"substance": _substance, "follow_up": _follow_up, "mentions": _mentions, "deadline": _deadline,
             "date_early": _date_early,
             "period_year": _period_year, "jump": _jump, "similar_organs": lambda *a: [],
             "same_table": _same_table, "copied": _copied, "tables_missing": _tables_missing,
             "headings": _headings, "copied_organs": lambda *a: []}


def similar_across_organs(fmt: Format, reports: list, organ_key) -> dict[int, list[Finding]]:
    """内容雷同 across organs: index -> findings for sections nearly identical to another organ's report.

    ``reports``: a list of Report or None; ``organ_key`` maps an organ name to its comparison key. One finding
    per report and section, naming the most similar other organ's report and how many others are as similar."""
    rule = next((r for r in fmt.rules if r["type"] == "similar_organs"), None)
    out: dict[int, list[Finding]] = {}
    if rule is None:
        return out
    threshold, min_chars = rule.get("threshold", 0.85), rule.get("min_chars", 80)
    items = [(i, r) for i, r in enumerate(reports) if r is not None]
    keys = {i: organ_key(r.meta.organ) for i, r in items}
    for sid in rule["sections"]:
        grams = {}
        for i, r in items:
            t = r.sections.get(sid, "")
            if len(_STRIP.sub("", t)) >= min_chars:
                grams[i] = _trigrams(t)
        order = sorted(grams, key=lambda i: len(grams[i]))
        matches: dict[int, list[tuple[float, int]]] = {}
        for x, i in enumerate(order):
            gi = grams[i]
            for j in order[x + 1:]:
                gj = grams[j]
                if len(gi) < threshold * len(gj):
                    break  # sorted by size: the Jaccard similarity cannot reach the threshold any more
                if keys[i] == keys[j]:
                    continue
                s = len(gi & gj) / len(gi | gj)
                if s >= threshold:
                    matches.setdefault(i, []).append((s, j))
                    matches.setdefault(j, []).append((s, i))
        for i, found in matches.items():
            s, j = max(found)
            other = reports[j].name()
            more = f"等{len(found)}份其他机关的报告" if len(found) > 1 else ""
            out.setdefault(i, []).append(Finding(
                rule["id"], rule["severity"], [sid],
                f"{_section_name(fmt, sid)}与{other}{more}的同一部分相似度达{round(s * 100)}%，"
                f"不同机关的报告“内容雷同”是格式通知点名的问题，请结合本机关实际改写。", actual=round(s, 3)))
    for i in out:
        out[i].sort(key=lambda f: f.cells)
    return out


def _copied_organs_rule(fmt: Format) -> dict | None:
    return next((r for r in fmt.rules if r["type"] == "copied_organs"), None)


def copied_organs_shingles(fmt: Format, report: Report, stripped: dict[str, str] | None = None
                           ) -> dict[str, Sequence[int]]:
    """section -> the hashes of its text's shingles in order (similarity.text_hashes), which
    :func:`copied_across_organs` indexes as a set (sections with text only): computed where the report is read, by
    a process with the same string hash (a forked worker). ``stripped``: section -> :func:`_stripped` of its
    text, where made already."""
    from .similarity import MAX_CHARS, text_hashes
    rule = _copied_organs_rule(fmt)
    if rule is None:
        return {}
    out = {}
    for sid in rule["sections"]:
        t = report.sections.get(sid, "")
        if not t.strip():
            continue
        s = (stripped or {}).get(sid)
        # _stripped drops only characters similarity.plain drops (a test holds it): where it cut nothing off,
        # what is left of it is the text less some of them
        whole = s is not None and len(t) <= 2 * min(MAX_CHARS, MAX_SIMILARITY_CHARS) and len(s) < MAX_SIMILARITY_CHARS
        out[sid] = text_hashes(t, s if whole else None)
    return out


def copied_across_organs(fmt: Format, reports: list, organ_key, skip: dict | None = None,
                         shingles: dict | None = None) -> dict[int, list[Finding]]:
    """Paragraphs and long sentences of one organ's report found in another organ's (batch check): index ->
    findings, one per report and section, naming the other report with most copied and how much. ``skip``: the
    TEXT.SIMILAR_ORGANS findings already made (a section copied whole is that finding, not this one).
    ``shingles``: ``(index, section) -> shingles`` already made, by a process hashing strings as this one does: a
    set, or the hashes in order as :func:`copied_organs_shingles` makes them (then also where each paragraph's
    are); the others are made here."""
    from .similarity import ShingleIndex, describe, hashed
    rule = _copied_organs_rule(fmt)
    out: dict[int, list[Finding]] = {}
    if rule is None:
        return out
    items = [(i, r) for i, r in enumerate(reports) if r is not None]
    keys = {i: organ_key(r.meta.organ) for i, r in items}
    flagged = {(i, c) for i, fs in (skip or {}).items() for f in fs for c in f.cells}
    made = shingles or {}
    for sid in rule["sections"]:
        index = ShingleIndex(rule.get("common", 0.2))
        texts = {}
        ordered = {}  # text -> its shingles' hashes in order, from which the paragraphs compared are sliced
        for i, r in items:
            t = r.sections.get(sid, "")
            if t.strip():
                texts[i] = t
                given = made.get((i, sid))
                if given is None:
                    index.add(i, t)
                    continue
                index.add_shingles(i, given)
                if not isinstance(given, (set, frozenset)):
                    ordered[t] = given
        with hashed(ordered):
            hits = index.copies(rule.get("min_paragraph", 60), rule.get("min_sentence", 50), rule.get("share", 0.8),
                                texts, same=lambda a, b: keys[a] == keys[b])
        for i, found in hits.items():
            if (i, sid) in flagged:
                continue
            j, passages = found[0]
            other = reports[j].name()
            more = f"（另有{len(found) - 1}份其他机关的报告也有相同段落）" if len(found) > 1 else ""
            out.setdefault(i, []).append(Finding(
                rule["id"], rule["severity"], [sid],
                f"{_section_name(fmt, sid)}中有{describe(passages, texts[i])}与{other}相同{more}，"
                f"不同机关的报告“内容雷同”是格式通知点名的问题，请结合本机关实际改写。",
                actual=sum(c.chars for c in passages)))
    return out


def _trigrams(text: str) -> frozenset:
    t = _STRIP.sub("", text)
    return frozenset(t[k:k + 3] for k in range(max(1, len(t) - 2)))
