"""The sandbox a (custom, untrusted) Word template renders in: Jinja2's ImmutableSandboxedEnvironment with a short
list of filters and methods, on a step budget and size caps checked as it runs (no timer thread, no asynchronous
exception). Used by :mod:`app.export.docx`; the names stay importable from there."""
from __future__ import annotations

import threading

# A template is untrusted code: its render is bounded by a step budget and by size caps, checked as it runs
# (no timer thread, no asynchronous exception): every loop iteration and every filter's work on its input
# is a step; every string a template builds (join, ~, +, the rendered part) is measured before it is built.
MAX_STEPS = 1_000_000  # loop iterations + filter work per render (the official template needs ~5 000)
MAX_OUTPUT_CHARS = 20_000_000  # per rendered XML part / built string, plus 4× the report's own text


_ALLOWED_FILTERS = {"default", "d", "upper", "lower", "trim", "length", "count", "first", "last", "join", "int",
                    "float", "round", "string", "e", "escape", "title", "capitalize", "abs", "list", "sort",
                    "unique", "reverse", "sum", "min", "max", "batch", "slice", "truncate", "striptags",
                    "dictsort", "items", "map", "select", "reject", "selectattr", "rejectattr", "groupby",
                    "tojson", "wordcount"}
_ALLOWED_METHODS = {"upper", "lower", "strip", "lstrip", "rstrip", "startswith", "endswith", "split",
                    "splitlines", "title", "capitalize", "items", "keys", "values", "get", "cycle"}


_COMPILED: dict = {}
_ENV = None


def _sandbox():
    """The one sandboxed environment (stateless between renders; compiled templates are cached)."""
    global _ENV
    if _ENV is None:
        _ENV = _make_sandbox()
    return _ENV


def _make_sandbox():  # noqa: C901 — every hook of the sandbox in one place, where its bounds can be read together
    from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

    def capped_join(parts) -> str:
        out, n = [], 0
        limit = _BUDGET.max_chars
        for s in parts:
            n += len(s)
            if n > limit:
                raise SecurityError(f"模板生成的文字过长（超过 {limit:,} 字符），已停止")
            out.append(s)
        return "".join(out)

    class Env(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset(["*", "**", "%", "+"])
        concat = staticmethod(capped_join)

        def _generate(self, source, name, filename, defer_init=False):  # every compiled template is bounded
            _bound_ast(source)
            return super()._generate(source, name, filename, defer_init)

        def call_binop(self, context, operator, left, right):
            if operator == "%" and isinstance(left, str):
                raise SecurityError("模板中不允许用 % 格式化文字")
            if operator == "**" and (abs(right) > 64 if isinstance(right, (int, float)) else True):
                raise SecurityError("模板中的乘方过大")
            if operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
                _check_chars(len(left) + len(right))
            if operator == "*":
                for a, b in ((left, right), (right, left)):
                    if isinstance(a, (str, list, tuple)) and isinstance(b, int) and len(a) * b > 10_000:
                        raise SecurityError("模板中的重复文字过长")
            return super().call_binop(context, operator, left, right)

        def from_string(self, source, globals=None, template_class=None):
            # the same template is rendered for every export: keep the compiled code (keyed by its source)
            if globals is not None or template_class is not None:
                return super().from_string(source, globals, template_class)
            tpl = _COMPILED.get(source)
            if tpl is None:
                tpl = super().from_string(source)
                if len(_COMPILED) > 32:
                    _COMPILED.clear()
                _COMPILED[source] = tpl
            return tpl

        def getattr(self, obj, attribute):
            if isinstance(obj, (str, bytes)) and attribute not in _ALLOWED_METHODS:
                return self.unsafe_undefined(obj, attribute)  # e.g. str.format, center, ljust
            return super().getattr(obj, attribute)

        def getitem(self, obj, argument):
            if isinstance(obj, (str, bytes)) and isinstance(argument, str):
                return self.getattr(obj, argument)
            return super().getitem(obj, argument)

    env = Env(autoescape=True)
    from jinja2.utils import pass_eval_context
    env.filters = {k: _bounded_filter(k, v) for k, v in env.filters.items() if k in _ALLOWED_FILTERS}
    env.filters["join"] = pass_eval_context(_join)
    for name in ("lipsum", "namespace"):
        env.globals.pop(name, None)
    env.globals["range"] = _small_range
    env.globals["_nb_steps"] = _steps
    env.globals["_nb_concat"] = _concat
    return env


MAX_RANGE = 1000


def _small_range(*args):
    """``range`` for templates: at most :data:`MAX_RANGE` items (a report has 28 table rows)."""
    from jinja2.sandbox import SecurityError
    r = range(*args)
    if len(r) > MAX_RANGE:
        raise SecurityError(f"模板中的 range 不能超过 {MAX_RANGE} 项")
    return r


class _Budget(threading.local):
    """What the render running in this thread may still do (set by :func:`_bounded_render`)."""
    steps = 0
    last_steps = 0  # steps the last render used (measured, for tests and benchmarks)
    max_steps = MAX_STEPS
    max_chars = MAX_OUTPUT_CHARS


_BUDGET = _Budget()


def _refuse(message: str):
    from jinja2.sandbox import SecurityError
    raise SecurityError(message)


def _charge(n: int) -> None:
    b = _BUDGET
    b.steps += n
    if b.steps > b.max_steps:
        _refuse(f"模板运行超过 {b.max_steps:,} 步（循环或过滤器处理的数据过多），已停止")


def _check_chars(n: int) -> None:
    if n > _BUDGET.max_chars:
        _refuse(f"模板生成的文字过长（超过 {_BUDGET.max_chars:,} 字符），已停止")


def _steps(iterable):
    """Every ``{% for %}`` iterates through this (inserted at compile time): one step per item."""
    b = _BUDGET
    for item in iterable:
        b.steps += 1
        if b.steps > b.max_steps:
            _charge(0)
        yield item


def _size(value) -> int:
    try:
        return len(value)
    except TypeError:
        return 0


def _concat(*parts):
    """``a ~ b ~ c`` with the length checked before the string is built."""
    from jinja2.runtime import markup_join
    strs = [p if isinstance(p, str) else str(p) for p in parts]
    _check_chars(sum(len(p) for p in strs))
    return markup_join(parts)


def _join(eval_ctx, value, d="", attribute=None):
    """The ``join`` filter, measured first: a nested join (the separator itself a join) cannot grow
    unseen into gigabytes."""
    from jinja2.filters import do_join
    items = list(_steps(value)) if not isinstance(value, (list, tuple, str)) else value
    _charge(len(items))
    sep = d if isinstance(d, str) else str(d)
    if attribute is None:
        total = sum(_size(x) if isinstance(x, str) else 16 for x in items) + len(sep) * max(0, len(items) - 1)
        _check_chars(total)
    result = do_join(eval_ctx, items, d, attribute)
    _check_chars(len(result))
    return result


def _bounded_filter(name: str, fn):
    """A filter charged with the size of its input (one step per item, per 16 characters of text) and with
    its size arguments capped (``batch``/``slice`` pad to their count, ``tojson`` indents)."""
    import functools
    from jinja2.utils import _PassArg
    skip = 0 if _PassArg.from_obj(fn) is None else 1

    @functools.wraps(fn)
    def run(*args, **kwargs):
        value = args[skip] if len(args) > skip else None
        n = _size(value)
        _charge(n // 16 + 1 if isinstance(value, str) else n + 1)
        rest = list(args[skip + 1:]) + list(kwargs.values())
        if name in ("batch", "slice", "tojson", "truncate", "round") and any(
                isinstance(a, int) and not isinstance(a, bool) and abs(a) > MAX_RANGE for a in rest):
            _refuse(f"模板中过滤器 {name} 的参数过大（不能超过 {MAX_RANGE}）")
        return fn(*args, **kwargs)
    return run


def _bound_ast(ast) -> None:
    """Rewrite a parsed template so that it runs on the budget: loops iterate through :func:`_steps`,
    ``~`` goes through :func:`_concat`; recursive loops are refused."""
    from jinja2 import nodes
    from jinja2.visitor import NodeTransformer

    def call(name, args, lineno):
        node = nodes.Call(nodes.Name(name, "load"), list(args), [], None, None)
        return node.set_lineno(lineno)

    class Bound(NodeTransformer):
        def visit_For(self, node):
            self.generic_visit(node)
            if node.recursive:
                _refuse("模板中不允许递归循环（for … recursive）")
            node.iter = call("_nb_steps", [node.iter], node.lineno)
            return node

        def visit_Concat(self, node):
            self.generic_visit(node)
            return call("_nb_concat", node.nodes, node.lineno)

    Bound().visit(ast)


def _bounded_render(tpl, ctx, env) -> None:
    """Render with a fresh budget; the output caps grow with the report's own text (a long narrative is
    legitimate, a template that multiplies it is not)."""
    own = sum(len(t) for t in ctx["text"].values()) + len(ctx["title"]) + len(ctx["opening"])
    b = _BUDGET
    b.steps, b.max_steps, b.max_chars = 0, MAX_STEPS, MAX_OUTPUT_CHARS + 4 * own
    try:
        tpl.render(ctx, jinja_env=env)
    finally:
        b.last_steps, b.steps, b.max_chars = b.steps, 0, MAX_OUTPUT_CHARS
