"""Loading a report format (sections, tables, cells, rules) from its data file under resources/formats.

Everything format-specific lives in the JSON file; this module only interprets it, so a new national
format is a new data file plus a template.
"""
from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .resources import check_installation, resource

DEFAULT_FORMAT = "gov-2021"


def _expand(template: str, binding: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: binding[m.group(1)], template)


class FormatError(Exception):
    """Unknown or broken format definition."""


@dataclass(frozen=True)
class CellDef:
    id: str
    table: str
    kind: str  # "count" | "money"
    row_labels: tuple[str, ...]  # label path of the row (table 2: the 信息内容)
    col_labels: tuple[str, ...]  # label path of the column
    block: str = ""  # table 2: 第二十条第（x）项
    table_name: str = ""  # the table's short name in the format data (表三)

    @property
    def name(self) -> str:
        """Human name used in messages, e.g. 表三自然人列「一、本年新收政府信息公开申请数量」."""
        row = self.row_labels[-1] if self.row_labels else ""
        cols = [c for c in self.col_labels if c != "申请人情况"]
        if self.table == "t3":
            return f"{self.table_name}{cols[-1]}列「{row}」"
        if self.table == "t2":
            return f"{self.table_name}「{row}·{self.col_labels[-1]}」"
        return f"{self.table_name}「{'·'.join(cols)}」"


@dataclass
class Placed:
    """One cell of a table's printed grid (after merges)."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    role: str  # "corner" | "header" | "label" | "block" | "value"
    cell_id: str | None = None


@dataclass
class TableLayout:
    id: str
    rows: int
    cols: int
    header_rows: int
    cells: list[Placed] = field(default_factory=list)

    def value_positions(self) -> dict[str, tuple[int, int]]:
        return {p.cell_id: (p.row, p.col) for p in self.cells if p.cell_id}


class Format:
    def __init__(self, data: dict):
        self.data = data
        self.id: str = data["id"]
        self.name: str = data["name"]
        self.title_template: str = data.get("title", "{organ}{year}年政府信息公开工作年度报告")
        self.sections: list[dict] = data["sections"]
        self.tables: dict[str, dict] = data["tables"]
        self.var_names: dict[str, dict[str, str]] = data.get("var_names", {})
        self.rules: list[dict] = data.get("rules", [])
        self.cells: dict[str, CellDef] = {}
        self._layouts: dict[str, TableLayout] = {}
        for tid, table in self.tables.items():
            layout = self._build_layout(tid, table)
            self._layouts[tid] = layout
        self.text_sections = [s["id"] for s in self.sections if s["kind"] == "text"]
        self.table_ids = [s["id"] for s in self.sections if s["kind"] == "table"]
        # each table's cells in the order of ``cells`` (made above, never changed after): looked up on every check
        by_table: dict[str, list[str]] = {}
        for c, d in self.cells.items():
            by_table.setdefault(d.table, []).append(c)
        self._table_cells = {t: tuple(cs) for t, cs in by_table.items()}

    # ----- lookup -------------------------------------------------------------------------
    def section(self, sid: str) -> dict:
        for s in self.sections:
            if s["id"] == sid:
                return s
        raise KeyError(sid)

    def layout(self, table_id: str) -> TableLayout:
        return self._layouts[table_id]

    def cells_of(self, table_id: str) -> list[str]:
        return list(self._table_cells.get(table_id, ()))

    def rule(self, rule_id: str) -> dict:
        for r in self.rules:
            if r["id"] == rule_id:
                return r
        raise KeyError(rule_id)

    def title(self, organ: str, year) -> str:
        return self.title_template.format(organ=organ or "", year=year if year is not None else "")

    def table_name(self, table_id: str) -> str:
        """The table's short name as printed in messages and sheet names (表二 …)."""
        return self.tables[table_id].get("name", table_id) if table_id in self.tables else table_id

    def carry_over(self) -> tuple[tuple[str, str], ...]:
        """``(cell, last year's cell)`` pairs a new report starts with: the cells a rule requires to equal one cell
        of last year's report (``sum`` rules whose one term is ``prev:…``, such as 上年结转 = last year's
        结转下年度). The rule is the one source of the fact."""
        pairs = []
        for rule in self.rules:
            if rule.get("type") != "sum" or len(rule["lhs"]) != 1 or len(rule["rhs"]) != 1:
                continue
            if not rule["rhs"][0].startswith("prev:") or rule.get("expected") != "rhs":
                continue
            names = list(rule.get("for", {}))
            for combo in itertools.product(*(rule["for"][n] for n in names)):
                binding = dict(zip(names, combo))
                cell = _expand(rule["lhs"][0], binding)
                last = _expand(rule["rhs"][0], binding).removeprefix("prev:")
                if cell in self.cells and last in self.cells:
                    pairs.append((cell, last))
        return tuple(pairs)

    # ----- layouts --------------------------------------------------------------------------
    def _build_layout(self, tid: str, table: dict) -> TableLayout:
        if table["kind"] == "blocks":
            return self._layout_blocks(tid, table)
        if table["kind"] == "matrix":
            return self._layout_matrix(tid, table)
        raise FormatError(f"未知的表格类型：{table['kind']}")

    def _layout_blocks(self, tid: str, table: dict) -> TableLayout:
        width = table["width"]
        cells: list[Placed] = []
        r = 0
        for block in table["blocks"]:
            kind = block.get("kind", "count")
            cells.append(Placed(r, 0, 1, width, block["header"], "block"))
            r += 1
            cols = block["columns"]
            spans = _spread(width - 1, len(cols))
            cells.append(Placed(r, 0, 1, 1, table.get("label_header", "信息内容"), "header"))
            c = 1
            for (cid, clabel, *_), span in zip(cols, spans):
                cells.append(Placed(r, c, 1, span, clabel, "header"))
                c += span
            r += 1
            for rid, rlabel in block["rows"]:
                cells.append(Placed(r, 0, 1, 1, rlabel, "label"))
                c = 1
                for (cid, clabel, *ckind), span in zip(cols, spans):
                    cell_id = f"{tid}.{rid}.{cid}"  # a column may name its own kind: [id, label, kind]
                    self.cells[cell_id] = CellDef(cell_id, tid, ckind[0] if ckind else kind, (rlabel,), (clabel,),
                                                  block["header"], table.get("name", tid))
                    cells.append(Placed(r, c, 1, span, "", "value", cell_id))
                    c += span
                r += 1
        return TableLayout(tid, r, width, 0, cells)

    def _layout_matrix(self, tid: str, table: dict) -> TableLayout:
        label_cols = table.get("label_columns", 0)
        tree = table["column_tree"]
        depth = _tree_depth(tree)
        leaves: list[tuple[str, tuple[str, ...]]] = []  # (id path, label path)
        cells: list[Placed] = []

        def walk(nodes, level, col, id_path, label_path):
            for node in nodes:
                ids = id_path + ((node["id"],) if node.get("id") else ())
                labels = label_path + (node["label"],)
                kids = node.get("children")
                if kids:
                    width = _leaf_count(kids)
                    cells.append(Placed(level, col, 1, width, node["label"], "header"))
                    walk(kids, level + 1, col, ids, labels)
                    col += width
                else:
                    cells.append(Placed(level, col, depth - level, 1, node["label"], "header"))
                    leaves.append((".".join(ids), labels))
                    col += 1
            return col

        total_cols = walk(tree, 0, label_cols, (), ())
        if label_cols:
            cells.append(Placed(0, 0, depth, label_cols, table.get("corner", ""), "corner"))
        rows = table["rows"]
        # row labels: merge equal consecutive prefixes vertically; short paths span right
        r0 = depth
        for level in range(label_cols):
            i = 0
            while i < len(rows):
                labels = rows[i]["labels"]
                if len(labels) <= level:
                    i += 1
                    continue
                j = i + 1
                while (j < len(rows) and len(rows[j]["labels"]) > level
                       and rows[j]["labels"][: level + 1] == labels[: level + 1]):
                    j += 1
                colspan = label_cols - level if len(labels) == level + 1 else 1
                cells.append(Placed(r0 + i, level, j - i, colspan, labels[level], "label"))
                i = j
        for i, row in enumerate(rows):
            for k, (leaf_id, leaf_labels) in enumerate(leaves):
                parts = [tid] + ([row["id"]] if row["id"] else []) + [leaf_id]
                cell_id = ".".join(parts)
                self.cells[cell_id] = CellDef(cell_id, tid, row.get("kind", "count"), tuple(row["labels"]), leaf_labels,
                                              table_name=table.get("name", tid))
                cells.append(Placed(r0 + i, label_cols + k, 1, 1, "", "value", cell_id))
        return TableLayout(tid, r0 + len(rows), total_cols, depth, cells)


def _spread(width: int, n: int) -> list[int]:
    if n == 1:
        return [width]
    base = [1] * n
    base[-1] += width - n
    return base


def _tree_depth(nodes) -> int:
    return max(1 + (_tree_depth(n["children"]) if n.get("children") else 0) for n in nodes)


def _leaf_count(nodes) -> int:
    return sum(_leaf_count(n["children"]) if n.get("children") else 1 for n in nodes)


@lru_cache(maxsize=1)
def available_formats() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in resource("formats").glob("*.json")))


_FORMAT_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}", re.ASCII)


def load_format(format_id: str = DEFAULT_FORMAT) -> Format:
    """The shipped format with this id. An id is a name, never a path: only the files in ``resources/formats``
    can be loaded (``../x``, an absolute path or a network path is an unknown format)."""
    fmt = _loaded.get(format_id) if isinstance(format_id, str) else None
    if fmt is not None:
        return fmt
    if not isinstance(format_id, str) or not _FORMAT_ID.fullmatch(format_id) \
            or format_id not in available_formats():
        shown = format_id[:40] if isinstance(format_id, str) else repr(format_id)[:40]
        shown = "".join(c if c.isprintable() else "?" for c in shown)
        check_installation()  # a broken installation is said to be one, not blamed on the report
        raise FormatError(f"未知的报告格式“{shown}”（可用：{'、'.join(available_formats())}）")
    return _load_format(format_id)


_loaded: dict[str, Format] = {}


def _load_format(format_id: str) -> Format:
    path = resource("formats", f"{format_id}.json")
    with open(path, encoding="utf-8") as fh:
        fmt = Format(json.load(fh))
    return _loaded.setdefault(format_id, fmt)
