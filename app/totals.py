"""The arithmetic that keeps computed cells (totals) filled in: which cells a format computes and from what
(its ``sum`` rules marked ``computes``), and filling them. Below the model (the model fills them when a report is
started from last year's, the project loader when a file is read) and re-exported by app.rules."""
from __future__ import annotations

import itertools
from functools import lru_cache

from .formats import Format, _expand
from .values import Invalid, numeric


def _sum_terms(fmt: Format):
    """(lhs cells, rhs cells, computes) of every bound ``sum`` rule, in the format's order."""
    for rule in fmt.rules:
        if rule["type"] != "sum":
            continue
        spec = rule.get("for", {})
        names = list(spec)
        for combo in itertools.product(*(spec[n] for n in names)):
            b = dict(zip(names, combo))
            yield (tuple(_expand(t, b) for t in rule["lhs"]), tuple(_expand(t, b) for t in rule["rhs"]),
                   rule.get("computes"))


@lru_cache(maxsize=None)
def formulas(fmt: Format) -> dict[str, tuple[str, ...]]:
    """Computed cell -> the cells it is the sum of. The first rule that computes a cell wins."""
    out: dict[str, tuple[str, ...]] = {}
    for lhs, rhs, computes in _sum_terms(fmt):
        if computes == "rhs" and len(rhs) == 1 and rhs[0] not in out:
            out[rhs[0]] = lhs
        elif computes == "lhs" and len(lhs) == 1 and lhs[0] not in out:
            out[lhs[0]] = rhs
    return out


@lru_cache(maxsize=None)
def computed_order(fmt: Format) -> tuple[str, ...]:
    """Computed cells in an order where every source is computed before its users."""
    f = formulas(fmt)
    seen: dict[str, bool] = {}
    order: list[str] = []

    def visit(c):
        if c in seen:
            return
        seen[c] = True
        for s in f.get(c, ()):
            if s in f:
                visit(s)
        order.append(c)

    for c in f:
        visit(c)
    return tuple(order)


@lru_cache(maxsize=None)
def dependents(fmt: Format) -> dict[str, frozenset[str]]:
    """Cell -> every computed cell whose value depends on it, directly or not."""
    f = formulas(fmt)
    direct: dict[str, set[str]] = {}
    for target, sources in f.items():
        for s in sources:
            direct.setdefault(s, set()).add(target)
    out = {}
    for c in set(direct) | set(f):
        acc, todo = set(), [c]
        while todo:
            for t in direct.get(todo.pop(), ()):
                if t not in acc:
                    acc.add(t)
                    todo.append(t)
        out[c] = frozenset(acc)
    return out


def computed_value(values: dict, sources) -> object:
    """Sum of the sources; blank when every source is blank or any is invalid."""
    nums = [numeric(values.get(s)) for s in sources]
    if any(isinstance(values.get(s), Invalid) for s in sources) or all(n is None for n in nums):
        return None
    return sum(n for n in nums if n is not None)


def recompute(report, changed=None) -> dict[str, object]:
    """Fill the computed cells (totals) of ``report`` (an app.model.Report) from their sources; returns {cell: new
    value} for cells that changed.

    With ``changed`` given, only totals that depend on those cells are touched.
    """
    fmt = report.format
    f = formulas(fmt)
    if changed is None:
        targets = set(f)
    else:
        deps = dependents(fmt)
        targets = set().union(*(deps.get(c, frozenset()) for c in changed)) if changed else set()
    updates = {}
    for cell in computed_order(fmt):
        if cell not in targets:
            continue
        new = computed_value(report.values, f[cell])
        if report.values.get(cell) != new or (new is None and cell in report.values):
            report.set(cell, new)
            updates[cell] = new
    return updates


def refill(report) -> dict[str, tuple[object, object]]:
    """Totals of a report that was read from a file, made the sums of their cells where those can be summed:
    {cell: (stored, now)} for the totals changed. A total whose cells are all blank or hold an invalid entry
    keeps what was stored (a document that gave only the total loses nothing)."""
    fmt = report.format
    f = formulas(fmt)
    changed = {}
    for cell in computed_order(fmt):
        new = computed_value(report.values, f[cell])
        old = report.values.get(cell)
        if new is not None and old != new:
            report.set(cell, new)
            changed[cell] = (old, new)
    return changed
