"""Reading back a DOCX written by :mod:`app.export.docx`: the embedded report and the tables as now printed.

* :func:`read_embedded` gives back the exported report from a DOCX this program wrote;
* :func:`read_tables` / :func:`locate_tables` / :func:`logical_grid` read the report tables as a person sees them;
* :func:`table_edits` lists table cells changed in Word/WPS since the export.
"""
from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

from ..export import ExportError

NS = "urn:nianbao:export:1"


def _digest(cells: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(cells, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def _is_ours(blob: bytes) -> bool:
    return NS.encode() in blob[:400]




def _payload(path) -> dict | None:
    from lxml import etree
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as z:
            for name in sorted(z.namelist()):
                if not re.fullmatch(r"customXml/item\d+\.xml", name):
                    continue
                blob = z.read(name)
                if not _is_ours(blob):
                    continue
                parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
                root = etree.fromstring(blob, parser)
                data = root.find(f"{{{NS}}}data")
                if data is None or not data.text:
                    continue
                return json.loads(data.text)
    except FileNotFoundError:
        raise ExportError(f"找不到文件“{path.name}”。") from None
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise ExportError(f"“{path.name}”不是可读取的 Word 文档（{e}）。") from None
    except (etree.XMLSyntaxError, json.JSONDecodeError):
        raise ExportError(f"“{path.name}”中年报助手保存的数据已损坏。") from None
    return None


def read_embedded(path):
    """The report embedded by :func:`render_docx`, or ``None`` for a DOCX without it.

    Raises :class:`ExportError` (Chinese) for a file that is not a readable DOCX or whose embedded data is
    damaged.
    """
    from ..project import ProjectError, report_from_dict
    payload = _payload(path)
    if payload is None:
        return None
    try:
        return report_from_dict(payload.get("report"), f"“{Path(path).name}”中保存的报告")
    except ProjectError as e:
        raise ExportError(str(e)) from None


def _cell_text(cell) -> str:
    return "\n".join(p.text for p in cell.paragraphs).strip()


def grid(table):
    """``(row, col) -> cell`` for a python-docx table, merged cells resolved (one pass; ``table.cell`` is slow)."""
    cells = table._cells
    ncols = len(table.columns)
    return lambda r, c: cells[r * ncols + c]


def _tc_text(tc) -> str:
    from docx.oxml.ns import qn
    t_tag = qn("w:t")
    return "\n".join("".join(t.text or "" for t in p.iter(t_tag)) for p in tc.iter(qn("w:p"))).strip()


def logical_grid(table, tolerance: int = 40):
    """``(rows, cols, {(row, col): text})`` of a python-docx table as a person sees it.

    Cells are placed by their x position (grid column widths), and boundaries closer than ``tolerance``
    twips are one boundary: programs that re-save the document (LibreOffice does) sometimes add a 1-twip
    sliver column, which would otherwise shift every cell after it.  Vertically merged cells repeat the
    text of their first cell.
    """
    import bisect
    from docx.oxml.ns import qn
    tbl = table._tbl
    widths = []
    for gc in tbl.tblGrid.findall(qn("w:gridCol")) if tbl.tblGrid is not None else []:
        try:
            widths.append(max(0, int(float(gc.get(qn("w:w")) or 0))))
        except ValueError:
            widths.append(0)
    xs = [0]
    for w in widths:
        xs.append(xs[-1] + w)

    def x_at(g):
        return xs[g] if g < len(xs) else xs[-1] + (g - len(xs) + 1) * 1000

    rows, edges = [], set()
    for tr in tbl.tr_lst:
        g, cells = 0, []
        for tc in tr.tc_lst:
            span = max(1, tc.grid_span)
            cells.append((x_at(g), x_at(g + span), tc, tc.vMerge))
            edges.update((x_at(g), x_at(g + span)))
            g += span
        rows.append(cells)
    kept: list[int] = []
    for x in sorted(edges):
        if not kept or x - kept[-1] > tolerance:
            kept.append(x)

    def col(x):
        i = bisect.bisect_left(kept, x)
        if i == len(kept) or (i > 0 and x - kept[i - 1] < kept[i] - x):
            i -= 1
        return i

    texts: dict[tuple[int, int], str] = {}
    for r, cells in enumerate(rows):
        for x0, x1, tc, vmerge in cells:
            c0, c1 = col(x0), col(x1)
            text = texts.get((r - 1, c0), "") if vmerge == "continue" else _tc_text(tc)
            for c in range(c0, max(c1, c0 + 1)):
                texts[(r, c)] = text
    return len(rows), max(0, len(kept) - 1), texts


def locate_tables(document, fmt) -> dict:
    """``table id -> (python-docx Table, logical grid texts)`` for the report tables found in ``document``,
    matched by grid size and the printed labels of the layout."""
    found = {}
    candidates = [(t, logical_grid(t)) for t in document.tables]
    for tid in fmt.table_ids:
        layout = fmt.layout(tid)
        labels = [p for p in layout.cells if p.role != "value" and p.text]
        best, best_score = None, 0.0
        for t, (nrows, ncols, texts) in candidates:
            if nrows != layout.rows or ncols != layout.cols:
                continue
            hits = sum(1 for p in labels if texts.get((p.row, p.col)) == p.text)
            score = hits / max(1, len(labels))
            if score > best_score:
                best, best_score = (t, texts), score
        if best is not None and best_score >= 0.5:
            found[tid] = best
            candidates = [c for c in candidates if c[0] is not best[0]]
    return found


def read_tables(path, format_id: str = "gov-2021") -> dict[str, str]:
    """Cell id -> text now printed in the document's tables (only tables that could be located)."""
    from docx import Document
    from ..formats import load_format
    fmt = load_format(format_id)
    try:
        document = Document(str(path))
    except Exception as e:  # noqa: BLE001
        raise ExportError(f"“{Path(path).name}”不是可读取的 Word 文档（{e}）。") from None
    out = {}
    for tid, (_table, texts) in locate_tables(document, fmt).items():
        for cid, pos in fmt.layout(tid).value_positions().items():
            out[cid] = texts.get(pos, "")
    return out


def table_edits(path) -> list[tuple[str, str, str]]:
    """``[(cell id, value as exported, value now in the table)]`` for every table cell changed after export.

    Empty for a document without embedded data (nothing to compare with) or without changes.  Only tables
    that can still be found are compared: a table whose rows or columns were changed, or a custom template
    that lays a table out differently, cannot be read back by position, and its cells are not reported
    (the embedded values stand).
    """
    payload = _payload(path)
    if payload is None:
        return []
    exported: dict[str, str] = payload.get("cells", {})
    format_id = (payload.get("report") or {}).get("format", "gov-2021")
    now = read_tables(path, format_id)
    if len(now) == len(exported) and _digest(now) == payload.get("tables_sha256"):
        return []
    edits = []
    for cid, was in exported.items():
        if cid in now and now[cid] != was:
            edits.append((cid, was, now[cid]))
    return edits



__all__ = ["read_embedded", "table_edits", "read_tables", "locate_tables", "logical_grid", "grid", "NS"]
