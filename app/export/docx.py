"""Word (DOCX) export from a docxtpl template, with the report embedded for a lossless round trip.

* :func:`render_docx` renders the template (default ``templates/gov-2021.docx``) with docxtpl inside a
  Jinja2 sandbox and returns the document as bytes.
* :func:`check_template` lists, in Chinese, everything that stops a (custom, untrusted) template from being
  used: not a DOCX, corrupt zip, syntax errors, unknown or missing placeholders, forbidden constructs.
* :func:`read_embedded` gives back the exported report from a DOCX this program wrote;
  :func:`table_edits` lists table cells changed in Word/WPS since the export.

Placeholders (documented in README ``## 导出 / Export``): ``title``, ``title_runs`` (``{{r title_runs }}``,
the title with a line break after the organ when it is too long for one line), ``opening``, ``meta.organ``,
``meta.year``, ``meta.date`` (ISO), ``meta.date_cn`` / ``date_cn`` (2024年1月16日), ``meta.contact``,
``v['<cell id>']`` (the cell as printed: number, ``/`` or blank), ``sections.<sid>`` (list of paragraphs, each
with ``kind`` h1|h2|body, ``text`` and ``runs`` for ``{{r p.runs }}``), ``text.<sid>`` (the raw text) and
``headings.<sid>``.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import threading
import uuid
import zipfile
from datetime import date as _date
from pathlib import Path
from xml.sax.saxutils import escape as _xml_escape

from . import ExportError, TemplateProblem
# reading our own DOCX back lives in app/importers/own_docx.py; its names stay importable from here
from ..importers.own_docx import (NS, _cell_text, _digest, _is_ours, grid, locate_tables, logical_grid,  # noqa: F401
                                  read_embedded, read_tables, table_edits)

_DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
_CUSTOM_XML_PROPS_CT = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"

from . import typeset as _T

FANGSONG = _T.FONTS["body"]
HEITI = _T.FONTS["hei"]
KAITI = _T.FONTS["kai"]
XIAOBIAOSONG = _T.FONTS["title"]
TITLE_CHARS = _T.TITLE_CHARS  # 2号 characters per line in the 156 mm text block

# A template is untrusted code: its render is bounded by a step budget and by size caps, checked as it runs
# (no timer thread, no asynchronous exception): every loop iteration and every filter's work on its input
# is a step; every string a template builds (join, ~, +, the rendered part) is measured before it is built.
MAX_STEPS = 1_000_000  # loop iterations + filter work per render (the official template needs ~5 000)
MAX_OUTPUT_CHARS = 20_000_000  # per rendered XML part / built string, plus 4× the report's own text

_H1 = re.compile(r"^[一二三四五六七八九十]+、")
_H2 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # not allowed in XML
OPENING = _T.OPENING  # one wording, in the typesetting spec (the PDF reads it there too)

# names a template may use at the top level
CONTEXT_NAMES = ("title", "title_runs", "opening", "meta", "date_cn", "v", "sections", "text", "headings")
META_KEYS = ("organ", "year", "date", "date_cn", "contact")


# ---------------------------------------------------------------------------------------------
# context

def default_template() -> Path:
    from ..resources import template
    return template("gov-2021.docx")


def date_cn(iso: str) -> str:
    """``2024-01-16`` -> ``2024年1月16日`` (no zero padding); anything else is returned as typed."""
    try:
        d = _date.fromisoformat((iso or "").strip())
    except ValueError:
        return (iso or "").strip()
    return f"{d.year}年{d.month}月{d.day}日"


class Runs:
    """Runs of one paragraph as WordprocessingML, for ``{{r p.runs }}`` (docxtpl RichText protocol)."""

    def __init__(self):
        self.xml = ""
        self.plain = ""

    def add(self, text: str, font: str, bold: bool = False) -> None:
        if not text:
            return
        self.plain += text
        text = _xml_escape(_XML_BAD.sub("", text.replace("\t", " ")))
        b = "<w:b/><w:bCs/>" if bold else ""
        self.xml += (f'<w:r><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" '
                     f'w:cs="{font}" w:hint="eastAsia"/>{b}</w:rPr>'
                     f'<w:t xml:space="preserve">{text}</w:t></w:r>')

    def br(self) -> None:
        self.xml += "<w:r><w:br/></w:r>"
        self.plain += "\n"

    def add_marked(self, text: str, font: str) -> None:
        """Text with ``**bold**`` marks (as typed in the wizard) -> bold runs."""
        pos = 0
        for m in _BOLD.finditer(text):
            self.add(text[pos:m.start()], font)
            self.add(m.group(1), font, bold=True)
            pos = m.end()
        self.add(text[pos:], font)

    def __html__(self) -> str:  # inserted raw by Jinja's autoescape
        return self.xml

    def __str__(self) -> str:
        return self.xml


def paragraphs(text: str) -> list[dict]:
    """Split a narrative into printed paragraphs: ``一、`` lines are 黑体 headings, ``（一）`` lines 楷体 headings.

    A line such as ``（一）主动公开情况。我局……`` keeps the heading run-in: the part up to the first 。 is set in
    楷体 and the rest in the body font, in one body paragraph.
    """
    out = []
    for line in (text or "").splitlines():
        line = _XML_BAD.sub("", line).strip()
        if not line:
            continue
        m1, m2 = _H1.match(line), _H2.match(line)
        runs = Runs()
        kind = "body"
        if m1 or m2:
            font = HEITI if m1 else KAITI
            stop = line.find("。")
            if stop == -1 or stop == len(line) - 1:
                kind = "h1" if m1 else "h2"
                runs.add_marked(line, font)
            else:
                runs.add_marked(line[: stop + 1], font)
                runs.add_marked(line[stop + 1:], FANGSONG)
        else:
            runs.add_marked(line, FANGSONG)
        out.append({"kind": kind, "text": line, "runs": runs})
    return out


def _width(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def title_runs(organ: str, title: str) -> Runs:
    """The title in 小标宋; a title too long for one line breaks after the organ name (as published reports do)
    instead of leaving a word such as 报告 alone on the second line."""
    runs = Runs()
    rest = title[len(organ):] if organ and title.startswith(organ) else ""
    if _width(title) > TITLE_CHARS and rest and _width(organ) <= TITLE_CHARS and _width(rest) <= TITLE_CHARS:
        runs.add(organ, XIAOBIAOSONG)
        runs.br()
        runs.add(rest, XIAOBIAOSONG)
    else:
        runs.add(title, XIAOBIAOSONG)
    return runs


def cell_texts(report) -> dict[str, str]:
    """Every table cell as printed in the document (``/`` for 不适用, blank for no value)."""
    from ..values import display
    return {cid: display(report.values.get(cid)) for cid in report.format.cells}


def _clean(text) -> str:
    return _XML_BAD.sub("", str(text or ""))


def context(report) -> dict:
    """Everything a template can print (all text already free of characters XML cannot hold)."""
    fmt = report.format
    meta = report.meta
    year = "" if meta.year is None else str(meta.year)
    s1 = (report.sections.get("s1") or "").lstrip()
    opening = "" if s1.startswith("根据《中华人民共和国政府信息公开条例》") else \
        OPENING.format(organ=meta.organ or "本机关", year=year)
    dcn = date_cn(meta.date)
    title = fmt.title(meta.organ, meta.year)
    organ = _clean(meta.organ)
    return {
        "title": _clean(title),
        "title_runs": title_runs(organ, _clean(title)),
        "opening": _clean(opening),
        "meta": {"organ": organ, "year": year, "date": _clean(meta.date), "date_cn": _clean(dcn),
                 "contact": _clean(meta.contact)},
        "date_cn": _clean(dcn),
        "v": {cid: " ".join(_clean(t).split()) for cid, t in cell_texts(report).items()},
        "sections": {sid: paragraphs(report.sections.get(sid, "")) for sid in fmt.text_sections},
        "text": {sid: _clean(report.sections.get(sid, "")) for sid in fmt.text_sections},
        "headings": {s["id"]: s["heading"] for s in fmt.sections},
    }


# ---------------------------------------------------------------------------------------------
# the sandbox

_ALLOWED_FILTERS = {"default", "d", "upper", "lower", "trim", "length", "count", "first", "last", "join", "int",
                    "float", "round", "string", "e", "escape", "title", "capitalize", "abs", "list", "sort",
                    "unique", "reverse", "sum", "min", "max", "batch", "slice", "truncate", "striptags",
                    "dictsort", "items", "map", "select", "reject", "selectattr", "rejectattr", "groupby",
                    "tojson", "wordcount"}
_ALLOWED_METHODS = {"upper", "lower", "strip", "lstrip", "rstrip", "startswith", "endswith", "split",
                    "splitlines", "title", "capitalize", "items", "keys", "values", "get", "cycle"}


_COMPILED: dict = {}
_ENV = None
_CHECKED: dict[str, list[str]] = {}  # sha256 of a template file -> its problems


def _sandbox():
    """The one sandboxed environment (stateless between renders; compiled templates are cached)."""
    global _ENV
    if _ENV is None:
        _ENV = _make_sandbox()
    return _ENV


def _make_sandbox():
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

        def from_string(self, source, globals=None, template_class=None):  # noqa: A002 (Jinja's name)
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


# ---------------------------------------------------------------------------------------------
# template checking

_FORBIDDEN_NODES = {
    "Extends": "{% extends %}（引用其他模板文件）",
    "Include": "{% include %}（读入其他文件）",
    "Import": "{% import %}（读入其他文件）",
    "FromImport": "{% from … import %}（读入其他文件）",
    "Macro": "{% macro %}（宏）",
    "CallBlock": "{% call %}",
    "FilterBlock": "{% filter %}",
    "Assign": "{% set %}（赋值）",
    "AssignBlock": "{% set %}（赋值）",
    "Block": "{% block %}",
    "EvalContextModifier": "{% autoescape %}",
    "ScopedEvalContextModifier": "{% autoescape %}",
    "Mul": "乘法运算 *",
    "Pow": "乘方运算 **",
    "Mod": "取余/格式化运算 %",
}


def _template_sources(tpl) -> list[tuple[str, str]]:
    """The Jinja sources docxtpl will render: body, headers, footers, footnotes, document properties."""
    from docx.oxml import parse_xml
    docx = tpl.docx
    out = [("正文", tpl.patch_xml(tpl.get_xml()))]
    for uri, where in ((tpl.HEADER_URI, "页眉"), (tpl.FOOTER_URI, "页脚")):
        for rel in docx.part.rels.values():
            if rel.reltype == uri and rel.target_part.blob:
                out.append((where, tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))))
    for part in docx.part.package.parts:
        if part.content_type.endswith(".footnotes+xml"):
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            out.append(("脚注", tpl.patch_xml(blob)))
    cp = docx.core_properties
    for prop in ("author", "comments", "identifier", "language", "subject", "title"):
        out.append(("文档属性", getattr(cp, prop) or ""))
    return out


def _const_key(node):
    from jinja2 import nodes
    if isinstance(node, nodes.Getattr):
        return node.attr
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        return node.arg.value
    return None


def _lint(ast, fmt, where: str, used: dict, problems: list[str]) -> None:
    from jinja2 import nodes
    for node in ast.find_all(nodes.Node):
        kind = type(node).__name__
        if kind in _FORBIDDEN_NODES:
            problems.append(f"{where}：模板中不允许使用 {_FORBIDDEN_NODES[kind]}。")
        elif isinstance(node, nodes.For) and node.recursive:
            problems.append(f"{where}：模板中不允许递归循环（for … recursive）。")
        elif isinstance(node, nodes.Filter) and node.name not in _ALLOWED_FILTERS:
            problems.append(f"{where}：模板中不允许使用过滤器“{node.name}”。")
        elif isinstance(node, nodes.Call):
            target = node.node
            ok = (isinstance(target, nodes.Name) and target.name == "range") or \
                 (isinstance(target, nodes.Getattr) and target.attr in _ALLOWED_METHODS)
            if not ok:
                problems.append(f"{where}：模板中不允许这种函数调用。")
            elif isinstance(target, nodes.Name) and any(
                    isinstance(a, nodes.Const) and isinstance(a.value, int) and abs(a.value) > MAX_RANGE
                    for a in node.args):
                problems.append(f"{where}：模板中的 range 不能超过 {MAX_RANGE} 项。")
        elif isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            problems.append(f"{where}：模板中不允许访问内部属性“{node.attr}”。")
        elif isinstance(node, (nodes.Getattr, nodes.Getitem)) and isinstance(node.node, nodes.Name):
            base, key = node.node.name, _const_key(node)
            if base not in ("v", "meta", "sections", "text", "headings"):
                continue
            if key is None:
                used.setdefault("dynamic", set()).add(base)
                continue
            if isinstance(key, str) and key.startswith("_"):
                problems.append(f"{where}：模板中不允许访问内部属性“{key}”。")
                continue
            used.setdefault(base, set()).add(key)
            if base == "v" and key not in fmt.cells:
                problems.append(f"{where}：未知的单元格编号 v['{key}']。")
            elif base == "meta" and key not in META_KEYS:
                problems.append(f"{where}：未知的占位符 meta.{key}（可用：{'、'.join('meta.' + k for k in META_KEYS)}）。")
            elif base in ("sections", "text") and key not in fmt.text_sections:
                problems.append(f"{where}：未知的章节 {base}.{key}（可用：{'、'.join(fmt.text_sections)}）。")
            elif base == "headings" and key not in [s['id'] for s in fmt.sections]:
                problems.append(f"{where}：未知的章节 headings.{key}。")


MAX_TEMPLATE_BYTES = 64 * 2**20
_FIELD_RISK = re.compile(r"\b(INCLUDETEXT|INCLUDEPICTURE|INCLUDE|DDEAUTO|DDE|LINK|IMPORT)\b", re.IGNORECASE)


_RISKY_RELS = {  # relationship types that bring in content from elsewhere, even when the target is internal
    "oleobject": "OLE 对象",
    "attachedtemplate": "附加模板（attachedTemplate）",
    "subdocument": "子文档",
    "afchunk": "外部内容块（altChunk）",
    "frame": "框架（frame）",
    "package": "嵌入的文档包",
}
_RISKY_ELEMENTS = {  # WordprocessingML / VML elements that link to or run other content
    "attachedTemplate": "附加模板（attachedTemplate）",
    "altChunk": "外部内容块（altChunk）",
    "subDoc": "子文档",
    "OLEObject": "OLE 对象或 OLE 链接",
    "object": "嵌入/链接的对象",
    "control": "ActiveX 控件",
}


def _xml(blob: bytes):
    from lxml import etree
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    return etree.fromstring(blob, parser)


def _local(name) -> str:
    return name.rsplit("}", 1)[-1] if isinstance(name, str) else ""


def _field_instructions(root) -> list[str]:
    """Every field instruction of a part: ``w:fldSimple/@w:instr`` and the ``w:instrText`` runs of each complex
    field (begin … separate/end, nested fields each on their own)."""
    out, stack = [], []
    for el in root.iter():
        name = _local(el.tag)
        if name == "fldSimple":
            out.extend(v for k, v in el.attrib.items() if _local(k) == "instr")
        elif name == "fldChar":
            kind = next((v for k, v in el.attrib.items() if _local(k) == "fldCharType"), "")
            if kind == "begin":
                stack.append([])
            elif kind == "separate" and stack and stack[-1] is not None:
                out.append("".join(stack.pop()))
                stack.append(None)  # the field's result: no instructions until its end
            elif kind == "end" and stack:
                top = stack.pop()
                if top is not None:
                    out.append("".join(top))
        elif name == "instrText":
            if stack and stack[-1] is not None:
                stack[-1].append(el.text or "")
            else:
                out.append(el.text or "")
    out.extend("".join(x) for x in stack if x)
    return out


def _active_content(z: zipfile.ZipFile) -> list[str]:
    """Things in a template that would act when the exported document is opened, or bring content from outside
    it: macros, ActiveX, embedded or linked objects, an attached template, fields that read files or other
    programs (INCLUDEPICTURE, INCLUDETEXT, LINK, DDE …), any relationship to a target outside the document.

    Every ``.rels`` and every XML part of the document is parsed with an XML parser (no entities, no network),
    so quoting, spacing or letter case cannot hide a reference."""
    from lxml import etree
    out = []
    for n in z.namelist():
        low = n.lower()
        if low.endswith("vbaproject.bin") or "/activex/" in low:
            out.append("含有宏或 ActiveX 控件（导出的文档中不应有可执行内容）。")
        elif "/embeddings/" in low:
            out.append(f"含有嵌入的对象“{n.rsplit('/', 1)[-1]}”，请删除后再用作模板。")
    out = sorted(set(out))
    for n in z.namelist():
        low = n.lower()
        if not (low.endswith(".rels") or (low.endswith(".xml") and low.startswith("word/"))):
            continue
        try:
            root = _xml(z.read(n))
        except etree.XMLSyntaxError:
            out.append(f"其中的“{n}”不是有效的 XML，无法确认其中没有外部内容。")
            continue
        if low.endswith(".rels"):
            for rel in root.iter():
                if _local(rel.tag) != "Relationship":
                    continue
                attrs = {_local(k).lower(): (v or "").strip() for k, v in rel.attrib.items()}
                target, kind = attrs.get("target", ""), attrs.get("type", "").rsplit("/", 1)[-1].lower()
                if attrs.get("targetmode", "").lower() == "external":
                    out.append(f"引用了文档以外的文件或网址“{target}”（打开导出的文档时可能会去读取它），"
                               "请删除该图片/链接/对象。")
                elif kind in _RISKY_RELS:
                    out.append(f"含有{_RISKY_RELS[kind]}，请删除后再用作模板。")
            continue
        for el in root.iter():
            name = _local(el.tag)
            if name in _RISKY_ELEMENTS:
                out.append(f"含有{_RISKY_ELEMENTS[name]}（{n}），请删除后再用作模板。")
            for k, v in el.attrib.items():
                if _local(k).lower() in ("href", "src") and v and re.match(r"\s*([a-z][a-z0-9+.-]*:|\\\\|//)", v, re.I):
                    out.append(f"引用了文档以外的文件或网址“{v.strip()}”（{n}），请删除。")
        for instr in _field_instructions(root):
            m = _FIELD_RISK.search(instr)
            if m:
                out.append(f"含有读取其他文件或程序的域代码“{m.group(1).upper()}”，请删除该域。")
    seen, unique = set(), []
    for x in out:
        if x not in seen:
            seen.add(x)
            unique.append(x)
    return unique


def check_template(path, format_id: str = "gov-2021") -> list[str]:
    """Problems (Chinese) that stop ``path`` from being used as a Word template; empty when it is usable."""
    try:
        key = hashlib.sha256(Path(path).read_bytes()).hexdigest() + format_id
    except OSError:
        key = None
    if key and key in _CHECKED:
        return list(_CHECKED[key])
    problems = _check_template(path, format_id)
    if key:
        if len(_CHECKED) > 32:
            _CHECKED.clear()
        _CHECKED[key] = list(problems)
    return problems


def _check_template(path, format_id: str) -> list[str]:
    from jinja2 import TemplateError, TemplateSyntaxError, meta as jmeta
    from ..formats import load_format

    path = Path(path)
    name = f"“{path.name}”"
    if not path.is_file():
        return [f"找不到模板文件{name}。"]
    if not zipfile.is_zipfile(path):
        return [f"模板{name}不是 Word 文档（.docx）。旧版 .doc 文件请先在 Word/WPS 中另存为 .docx。"]
    try:
        with zipfile.ZipFile(path) as z:
            if sum(i.file_size for i in z.infolist()) > MAX_TEMPLATE_BYTES:
                return [f"模板{name}解压后超过 {MAX_TEMPLATE_BYTES // 2**20} MB，不像是报告模板，已拒绝。"]
            bad = z.testzip()
            names = set(z.namelist())
            active = [] if bad else _active_content(z)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as e:
        return [f"模板{name}已损坏（{e}）。"]
    if bad:
        return [f"模板{name}已损坏（其中的“{bad}”无法读取）。"]
    if "word/document.xml" not in names:
        return [f"模板{name}不是 Word 文档（.docx）：缺少正文部分 word/document.xml。"]
    if active:
        return [f"模板{name}{a}" for a in active]
    try:
        from docxtpl import DocxTemplate
        tpl = DocxTemplate(str(path))
        tpl.init_docx()
        sources = _template_sources(tpl)
    except Exception as e:  # noqa: BLE001 — any parse failure of an untrusted file
        return [f"模板{name}无法读取（{type(e).__name__}：{e}）。"]

    fmt = load_format(format_id)
    env = _sandbox()
    problems: list[str] = []
    used: dict[str, set] = {}
    declared: set[str] = set()
    for where, src in sources:
        if "{" not in src:
            continue
        try:
            ast = env.parse(src)
        except TemplateSyntaxError as e:
            problems.append(f"{where}：模板语法错误（{e.message}）。请检查 {{{{ }}}} 与 {{% %}} 是否成对。")
            continue
        before = len(problems)
        _lint(ast, fmt, where, used, problems)
        try:
            declared |= jmeta.find_undeclared_variables(ast)
        except TemplateError as e:  # e.g. an unknown filter; _lint usually said so already
            if len(problems) == before:
                problems.append(f"{where}：模板有误（{e}）。")
    for var in sorted(declared - set(CONTEXT_NAMES) - set(env.globals)):
        problems.append(f"未知的占位符变量“{var}”（可用：{'、'.join(CONTEXT_NAMES)}）。")

    # required placeholders
    dynamic = used.get("dynamic", set())
    if "v" not in dynamic:
        names_cn = {"t2": "表二", "t3": "表三", "t4": "表四"}
        have = used.get("v", set())
        for tid in fmt.table_ids:
            missing = [c for c in fmt.cells_of(tid) if c not in have]
            if not missing:
                continue
            if len(missing) <= 5:
                for c in missing:
                    problems.append(f"缺少占位符 {{{{ v['{c}'] }}}}（{fmt.cells[c].name}）。")
            else:
                problems.append(f"缺少{names_cn.get(tid, tid)}的 {len(missing)} 个单元格占位符"
                                f"（如 {{{{ v['{missing[0]}'] }}}}）。")
    have_sections = used.get("sections", set()) | used.get("text", set())
    if not ({"sections", "text"} & dynamic):
        for sid in fmt.text_sections:
            if sid not in have_sections:
                problems.append(f"缺少章节占位符 sections.{sid}（{fmt.section(sid)['heading']}）。")
    meta_used = used.get("meta", set())
    if "meta" not in dynamic:
        if not {"title", "title_runs"} & declared and not {"organ", "year"} <= meta_used:
            problems.append("缺少标题占位符 {{ title }}（或 {{ meta.organ }} 与 {{ meta.year }}）。")
        if "date_cn" not in declared and not {"date", "date_cn"} & meta_used:
            problems.append("缺少成文日期占位符 {{ date_cn }}。")
    return problems


# ---------------------------------------------------------------------------------------------
# rendering and embedding

def published_data(report) -> dict:
    """What the embedded copy holds: only what the page shows, in the project file's form (format id, organ,
    year, date, contact, the narrative sections with their ``**bold**`` marks, the cell values with the
    blank/0/“/” distinctions) — never last year's report, review notes, provenance or unknown keys."""
    from ..project import SCHEMA
    from ..values import to_json
    fmt = report.format
    meta = report.meta
    return {
        "format": report.format_id,
        "schema": SCHEMA,
        "meta": {"organ": meta.organ or "", "year": meta.year, "date": meta.date or "", "contact": meta.contact or ""},
        "values": {cid: to_json(v, fmt.cells[cid].kind) for cid, v in report.values.items()
                   if cid in fmt.cells and v is not None},
        "sections": {sid: report.sections.get(sid, "") or "" for sid in fmt.text_sections},
    }


def _embed(document, report, cells: dict[str, str]) -> None:
    """Store the printed report (:func:`published_data`), the table values as printed and digests of the
    visible text fields in a custom XML part (for a lossless round trip and for finding edits made in Word)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from ..importers.own_docx import page_digests, page_fields
    from .. import __version__

    part = document.part
    for rid, rel in list(part.rels.items()):  # a stale copy (template made from an exported document)
        if rel.reltype == RT.CUSTOM_XML and not rel.is_external and _is_ours(rel.target_part.blob):
            part.rels.pop(rid)
    digest = _digest(cells)
    payload = {"report": published_data(report), "cells": cells, "tables_sha256": digest, "app": __version__,
               "page": page_digests(page_fields(document, report.format))}
    # ASCII JSON: every character survives as an escape, even ones XML cannot hold (U+FFFE, lone surrogates)
    body = _xml_escape(json.dumps(payload, ensure_ascii=True, sort_keys=True))
    blob = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<nianbao xmlns="{NS}" version="1" format="{report.format_id}" tables-sha256="{digest}">'
            f'<data encoding="json">{body}</data></nianbao>').encode("utf-8")
    package = part.package
    item = Part(package.next_partname("/customXml/item%d.xml"), "application/xml", blob, package)
    part.relate_to(item, RT.CUSTOM_XML)
    item_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, NS + digest)).upper() + "}"
    props_blob = (f'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
                  f'<ds:datastoreItem ds:itemID="{item_id}" xmlns:ds="{_DS}"><ds:schemaRefs>'
                  f'<ds:schemaRef ds:uri="{NS}"/></ds:schemaRefs></ds:datastoreItem>').encode("utf-8")
    # name the properties part after the item (item3.xml -> itemProps3.xml), as Word does
    num = re.search(r"(\d+)\.xml$", str(item.partname)).group(1)
    props = Part(PackURI(f"/customXml/itemProps{num}.xml"), _CUSTOM_XML_PROPS_CT, props_blob, package)
    item.relate_to(props, RT.CUSTOM_XML_PROPS)


def _drop_empty_runs(body) -> None:
    """docxtpl leaves an empty run on each side of a ``{{r …}}`` placeholder; remove runs with no content."""
    from docx.oxml.ns import qn
    r_tag, rpr_tag, t_tag = qn("w:r"), qn("w:rPr"), qn("w:t")
    for r in list(body.iter(r_tag)):
        kids = list(r)
        if all(k.tag in (rpr_tag, t_tag) for k in kids) and not any(k.tag == t_tag and k.text for k in kids):
            r.getparent().remove(r)


def _keep_closing_with_text(document) -> None:
    """The closing (organ, date: style 落款) must not stand alone on the last page (GB/T 9704): keep it,
    the blank lines before it and the last line of the text above together."""
    from docx.oxml.ns import qn
    try:
        closing_id = document.styles["落款"].style_id
    except KeyError:
        return
    paras = list(document.element.body.iter(qn("w:p")))

    def style_of(p):
        ps = p.pPr.pStyle if p.pPr is not None else None
        return ps.val if ps is not None else None

    first = next((i for i, p in enumerate(paras) if style_of(p) == closing_id), None)
    if first is None:
        return
    last = max(i for i, p in enumerate(paras) if style_of(p) == closing_id)
    for i in range(first, last):
        paras[i].get_or_add_pPr().keepNext_val = True
    i = first - 1
    while i >= 0:
        p = paras[i]
        p.get_or_add_pPr().keepNext_val = True
        if "".join(t.text or "" for t in p.iter(qn("w:t"))).strip():
            break
        i -= 1


_APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            '<Application>{app}</Application><DocSecurity>0</DocSecurity><LinksUpToDate>false</LinksUpToDate>'
            '<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>')


def _set_properties(document, title: str) -> None:
    """True document properties: the report's title, created/modified = now, written by 年报助手 <version>;
    nothing from the template's author (a custom template's author, company or manager are not published)."""
    from datetime import datetime, timezone
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from .. import __version__

    now = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
    cp = document.core_properties
    cp.title = title
    cp.created = now
    cp.modified = now
    for el in list(cp._element):  # a template's print date, category, keywords… are not about this report
        if el.tag.rsplit("}", 1)[-1] in ("lastPrinted", "category", "contentStatus", "identifier", "version"):
            cp._element.remove(el)
    cp.author = "年报助手"
    cp.last_modified_by = "年报助手"
    cp.comments = ""
    cp.revision = 1
    app = _xml_escape(f"年报助手 {__version__}")
    package = document.part.package
    blob = _APP_XML.format(app=app).encode("utf-8")
    for rel in package.rels.values():
        if rel.reltype.endswith("/extended-properties") and not rel.is_external:
            rel.target_part._blob = blob
            return
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    package.relate_to(Part(PackURI("/docProps/app.xml"),
                           "application/vnd.openxmlformats-officedocument.extended-properties+xml", blob, package),
                      RT.EXTENDED_PROPERTIES)


FONT_NOTES: list[str] = []  # what the last render_docx substituted (Chinese), for the export message


def _rename_fonts(data: bytes, mapping: dict[str, str]) -> bytes:
    """Write the installed font names for the standard ones in every font reference of the document (styles,
    runs, theme-free rFonts, the font table, footers)."""
    if not mapping:
        return data
    pattern = re.compile(r'((?:w:(?:ascii|hAnsi|eastAsia|cs|name|val))=")(' +
                         "|".join(re.escape(_xml_escape(k)) for k in mapping) + r')(")')
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename.startswith("word/") and info.filename.endswith(".xml"):
                text = blob.decode("utf-8")
                if any(k in text for k in mapping):
                    blob = pattern.sub(lambda m: m.group(1) + _xml_escape(mapping[m.group(2)]) + m.group(3),
                                       text).encode("utf-8")
            out.writestr(info, blob)
    return buf.getvalue()


def render_docx(report, template=None, standard_fonts: bool | None = None) -> bytes:
    """The report as a DOCX (bytes), rendered from ``template`` (default: the official template).

    Font names: the 公文 fonts as installed on this PC (:func:`app.fonts.docx_font_names`), unless
    ``standard_fonts`` (default: the user setting) keeps the standard names; :data:`FONT_NOTES` says what
    was substituted."""
    path = Path(template) if template is not None else default_template()
    problems = check_template(path, report.format_id if template is not None else "gov-2021")
    if problems:
        shown = "\n".join(f"  · {p}" for p in problems[:20])
        more = f"\n  …另有 {len(problems) - 20} 处" if len(problems) > 20 else ""
        raise TemplateProblem(f"Word 模板“{path.name}”不能使用：\n{shown}{more}", problems)
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError
    from jinja2.sandbox import SecurityError

    tpl = DocxTemplate(str(path))
    ctx = context(report)
    env = _sandbox()
    try:
        _bounded_render(tpl, ctx, env)
    except SecurityError as e:
        raise ExportError(f"模板“{path.name}”试图执行不允许的操作，已停止：{e}") from None
    except TemplateError as e:
        raise ExportError(f"按模板“{path.name}”生成文档失败：{e}") from None
    except RecursionError:
        raise ExportError(f"按模板“{path.name}”生成文档失败：模板嵌套过深。") from None
    except MemoryError:
        raise ExportError(f"按模板“{path.name}”生成文档失败：内存不足（模板输出过大）。") from None
    except Exception as e:  # noqa: BLE001 — an untrusted template can fail in many ways
        raise ExportError(f"按模板“{path.name}”生成文档失败（{type(e).__name__}：{e}）。") from None
    _drop_empty_runs(tpl.docx.element.body)
    _keep_closing_with_text(tpl.docx)
    _embed(tpl.docx, report, ctx["v"])
    _set_properties(tpl.docx, ctx["title"])
    buf = io.BytesIO()
    tpl.docx.save(buf)
    from ..fonts import docx_font_names
    mapping, notes = docx_font_names(standard_fonts)
    FONT_NOTES[:] = notes
    return _rename_fonts(buf.getvalue(), mapping)


def write_docx(report, path, template=None) -> Path:
    """Render and write atomically (no checks of the report's findings; see :func:`app.export.export_report`)."""
    from ..project import atomic_write
    data = render_docx(report, template)
    atomic_write(path, data, backup=False)
    return Path(path)


__all__ = ["render_docx", "write_docx", "check_template", "read_embedded", "table_edits", "read_tables",
           "locate_tables", "logical_grid", "grid", "context", "paragraphs", "date_cn", "default_template"]
