"""The shape of app/, read from the source with ast (every import, at module level or inside a function):

* no import cycle among the modules of app/ (a package's ``__init__`` is a module of its own);
* no private name (``_x``, not a dunder) imported from a module of another package (app, app.export,
  app.importers are the packages);
* reading files (app/importers) and writing them (app/export) never import each other: what both need lives
  below them (app/ownfiles.py, app/safezip.py, app/errors.py, app/wordtext.py, app/textutil.py);
* the core never imports the user interface (ui/, PySide6), but for the command line starting the window."""
import ast
from pathlib import Path

import pytest

from conftest import ROOT

APP = ROOT / "app"
BELOW_BOTH = ("app.ownfiles", "app.safezip", "app.errors", "app.wordtext", "app.textutil")


def _modules() -> dict[str, Path]:
    mods = {}
    for path in APP.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        mods[".".join(parts)] = path
    return mods


MODULES = _modules()


def _package(module: str) -> str:
    return module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]


def imports(module: str) -> list[tuple[str, str | None, int]]:
    """``(target module, imported name or None, line)`` for every import in ``module``'s source. ``from P import
    m`` where ``m`` is a submodule of package ``P`` is an import of ``P.m`` only (Python runs ``P/__init__``
    first in any case; it is no arrow of this module's own)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, None, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _package(module).split(".")
                base = base[: len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for a in node.names:
                sub = f"{source}.{a.name}"
                if sub in MODULES:
                    out.append((sub, None, node.lineno))
                else:
                    out.append((source, a.name, node.lineno))
    return out


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {m: set() for m in MODULES}
    for m in MODULES:
        for target, _, _ in imports(m):
            if target in MODULES and target != m:
                edges[m].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_the_module_list_is_read():
    assert {"app.rules", "app.export", "app.export.docx", "app.importers.own_docx", "app.ownfiles"} <= set(MODULES)


def test_no_import_cycle_in_app():
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_private_name_crosses_a_package():
    crossing = []
    for m in MODULES:
        for target, name, line in imports(m):
            private = name is not None and name.startswith("_") and not name.startswith("__")
            if private and target in MODULES and _package(target) != _package(m):
                crossing.append(f"{MODULES[m].relative_to(ROOT)}:{line} imports {name} from {target}")
    assert not crossing


@pytest.mark.parametrize("reader, writer", [("app.importers", "app.export"), ("app.export", "app.importers")])
def test_readers_and_writers_do_not_import_each_other(reader, writer):
    wrong = [f"{m} → {t}" for m in MODULES if m == reader or m.startswith(reader + ".")
             for t, _, _ in imports(m) if t == writer or t.startswith(writer + ".")]
    assert not wrong


@pytest.mark.parametrize("module", BELOW_BOTH)
def test_what_readers_and_writers_share_lives_below_both(module):
    above = [t for t, _, _ in imports(module) if t.startswith(("app.export", "app.importers", "app.documents"))]
    assert module in MODULES and not above


def test_no_workbook_is_written_by_an_importer():
    """Writing a file belongs to app/export: no importer touches openpyxl's Workbook or atomic_write."""
    writing = {("openpyxl", "Workbook"), ("app.project", "atomic_write")}
    offenders = [m for m in MODULES if m.startswith("app.importers")
                 for t, name, _ in imports(m) if (t, name) in writing]
    assert not offenders


def test_the_core_never_imports_the_interface():
    """``nianbao`` without a command starts the window: app/cli.py hands over to ``ui.main`` (its one arrow up)."""
    wrong = [f"{m} → {t}" for m in MODULES for t, _, _ in imports(m) if t.split(".")[0] in ("ui", "PySide6")
             and (m, t) != ("app.cli", "ui.main")]
    assert not wrong


def test_the_interface_imports_no_private_name_of_the_core():
    crossing = []
    for path in (ROOT / "ui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").startswith("app"):
                crossing += [f"{path.relative_to(ROOT)}:{node.lineno} {a.name}" for a in node.names
                             if a.name.startswith("_") and not a.name.startswith("__")]
    assert not crossing


# Chinese dates, numerals and units have one home, app/textutil.py (units: app/values.py beneath it)
@pytest.mark.parametrize("path", ["ui/wizard.py", "app/importers/recognise.py", "app/narrative.py",
                                  "app/document.py", "app/ownfiles.py"])
def test_no_date_pattern_or_unit_list_of_its_own(path):
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert "(\\d{4})" not in node.value and "万元|件" not in node.value, (path, node.value)
        if isinstance(node, ast.Tuple) and {getattr(e, "value", None) for e in node.elts} >= {"件", "项", "万元"}:
            pytest.fail(f"{path}: a list of units of its own")
