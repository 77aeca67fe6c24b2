"""Checking a (custom, untrusted) Word template before anything is rendered: :func:`check_template` lists, in
Chinese, everything that stops it from being used — not a DOCX, corrupt zip, syntax errors, unknown or missing
placeholders, forbidden constructs, active or external content. Used by :mod:`app.export.docx`; the names stay
importable from there."""
from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

from .docx_sandbox import _ALLOWED_FILTERS, _ALLOWED_METHODS, MAX_RANGE, _sandbox

# names a template may use at the top level
CONTEXT_NAMES = ("title", "title_runs", "opening", "meta", "date_cn", "v", "sections", "text", "headings")
META_KEYS = ("organ", "year", "date", "date_cn", "contact")
_CHECKED: dict[str, list[str]] = {}  # sha256 of a template file -> its problems


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
                problems.append(f"{where}：未知的占位符 meta.{key}（可用："
                                f"{'、'.join('meta.' + k for k in META_KEYS)}）。")
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


def _check_template(path, format_id: str) -> list[str]:  # noqa: C901 — the template's checks as a list a reader can follow
    from jinja2 import TemplateError, TemplateSyntaxError, meta as jmeta
    from ..formats import load_format

    path = Path(path)
    name = f"“{path.name}”"
    if not path.is_file():
        return [f"找不到模板文件{name}。"]
    if not zipfile.is_zipfile(path):
        return [f"模板{name}不是 Word 文档（.docx）。旧版 .doc 文件请先在 Word/WPS 中另存为 .docx。"]
    from ..errors import ImportFailed
    from ..safezip import open_zip
    try:  # the program's one ZIP guard (size, entries, ZIP bombs, DOCTYPE), then the template's own limits
        opened = open_zip(path, "Word", ())
    except ImportFailed as e:
        return [f"模板不能使用：{e}"]
    try:
        with opened as z:
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
        have = used.get("v", set())
        for tid in fmt.table_ids:
            missing = [c for c in fmt.cells_of(tid) if c not in have]
            if not missing:
                continue
            if len(missing) <= 5:
                for c in missing:
                    problems.append(f"缺少占位符 {{{{ v['{c}'] }}}}（{fmt.cells[c].name}）。")
            else:
                problems.append(f"缺少{fmt.table_name(tid)}的 {len(missing)} 个单元格占位符"
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
