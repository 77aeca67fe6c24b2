"""Reading back a DOCX written by :mod:`app.export.docx`: the embedded report and the tables as now printed.

* :func:`read_embedded` gives back the exported report from a DOCX this program wrote;
* :func:`read_tables` / :func:`locate_tables` / :func:`logical_grid` read the report tables as a person sees them;
* :func:`table_edits` lists table cells changed in Word/WPS since the export.
"""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from ..ownfiles import CONTACT_PREFIX, STYLE_CLOSING, STYLE_TITLE  # noqa: F401  (readable here too)
from ..ownfiles import DATE_CN as _DATE_CN
from ..ownfiles import DOCX_NAMESPACE as NS
from ..ownfiles import is_ours as _is_ours
from ..ownfiles import norm as _norm
from ..ownfiles import page_digests, page_fields
from ..ownfiles import tables_digest as _digest
from ..textutil import date_cn
from .base import ImportFailed


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
                from ..project import ProjectError, parse_json
                try:
                    return parse_json(data.text, f"“{path.name}”中年报助手保存的数据")
                except ProjectError as e:
                    raise ImportFailed(str(e)) from None
    except FileNotFoundError:
        raise ImportFailed(f"找不到文件“{path.name}”。") from None
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise ImportFailed(f"“{path.name}”不是可读取的 Word 文档（{e}）。") from None
    except (etree.XMLSyntaxError, json.JSONDecodeError):
        raise ImportFailed(f"“{path.name}”中年报助手保存的数据已损坏。") from None
    return None


def read_embedded(path):
    """The report embedded by :func:`render_docx`, or ``None`` for a DOCX without it.

    Raises :class:`ImportFailed` (Chinese) for a file that is not a readable DOCX or whose embedded data is
    damaged.
    """
    from ..project import ProjectError, report_from_dict
    payload = _payload(path)
    if payload is None:
        return None
    try:
        return report_from_dict(payload.get("report"), f"“{Path(path).name}”中保存的报告")
    except ProjectError as e:
        raise ImportFailed(str(e)) from None


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


MAX_PIECES = 6  # a table printed over at most this many pages is still read back
MAX_JOINED = 64  # runs of pieces tried (a hostile document of many tables costs no more)


def _joined(grids) -> tuple[int, int, dict]:
    """One logical grid from the grids of consecutive pieces of a table; a piece's leading rows that repeat
    rows printed before (the header, a block's title) are left out."""
    nrows, ncols, texts = grids[0]
    texts = dict(texts)
    seen = {tuple(texts.get((r, c), "") for c in range(ncols)) for r in range(nrows)}
    for n, _cols, more in grids[1:]:
        r = 0
        while r < n and tuple(more.get((r, c), "") for c in range(ncols)) in seen:
            r += 1
        for rr in range(r, n):
            row = tuple(more.get((rr, c), "") for c in range(ncols))
            for c in range(ncols):
                texts[(nrows, c)] = row[c]
            seen.add(row)
            nrows += 1
    return nrows, ncols, texts


def locate_tables(document, fmt) -> dict:
    """``table id -> (python-docx Table, logical grid texts)`` for the report tables found in ``document``,
    matched by grid size and the printed labels of the layout."""
    found = {}
    singles = [(t, logical_grid(t)) for t in document.tables]
    candidates = [(t, g, (k,)) for k, (t, g) in enumerate(singles)]
    # a table too long for one page is exported in pieces, one a page (app/export/table_breaks.py): each
    # repeats the header rows (and a cut group's label); consecutive pieces are read as the one table
    first_rows = [tuple(g[2].get((0, c), "") for c in range(g[1])) for _t, g in singles]
    for i in range(len(singles)):
        k = i + 1
        while (k < len(singles) and k - i < MAX_PIECES and len(candidates) < len(singles) + MAX_JOINED
               and singles[k][1][1] == singles[i][1][1] and first_rows[k] == first_rows[i]):
            k += 1
            candidates.append((singles[i][0], _joined([g for _t, g in singles[i:k]]), tuple(range(i, k))))
    for tid in fmt.table_ids:
        layout = fmt.layout(tid)
        labels = [p for p in layout.cells if p.role != "value" and p.text]
        best, best_score = None, 0.0
        for t, (nrows, ncols, texts), used in candidates:
            if nrows != layout.rows or ncols != layout.cols:
                continue
            hits = sum(1 for p in labels if texts.get((p.row, p.col)) == p.text)
            score = hits / max(1, len(labels))
            if score > best_score:
                best, best_score, best_used = (t, texts), score, set(used)
        if best is not None and best_score >= 0.5:
            found[tid] = best
            candidates = [c for c in candidates if not best_used & set(c[2])]
    return found


def read_tables(path, format_id: str = "gov-2021") -> dict[str, str]:
    """Cell id -> text now printed in the document's tables (only tables that could be located)."""
    from docx import Document
    from ..formats import load_format
    fmt = load_format(format_id)
    try:
        document = Document(str(path))
    except Exception as e:  # noqa: BLE001
        raise ImportFailed(f"“{Path(path).name}”不是可读取的 Word 文档（{e}）。") from None
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


# ---------------------------------------------------------------------------------------------
# the visible text: what a person reads on the page wins over the embedded copy

def _plain(text: str) -> str:
    """A narrative line as printed: the wizard's ``**bold**`` marks become bold runs, not characters."""
    return _norm(re.sub(r"\*\*(.+?)\*\*", r"\1", text or ""))


def visible_edits(path, payload: dict | None = None) -> dict[str, str]:
    """``field -> text now printed`` for every text field changed after the export (see :func:`page_fields`).

    Fields are compared with their digests stored at export, so a field a custom template does not print is
    never mistaken for an edit. Empty for a document without embedded data or without digests.
    """
    from docx import Document
    from ..formats import load_format
    payload = _payload(path) if payload is None else payload
    if not payload or not isinstance(payload.get("page"), dict):
        return {}
    fmt = load_format((payload.get("report") or {}).get("format", "gov-2021"))
    try:
        document = Document(str(path))
    except Exception as e:  # noqa: BLE001
        raise ImportFailed(f"“{Path(path).name}”不是可读取的 Word 文档（{e}）。") from None
    now = page_fields(document, fmt)
    digests = page_digests(now)
    return {k: now[k] for k, d in payload["page"].items() if k in now and digests[k] != d}


def _short(text: str, n: int = 40) -> str:
    text = " ".join((text or "").split())
    return "空白" if not text else f"“{text[:n]}{'…' if len(text) > n else ''}”"


def _merge_section(old: str, printed: str) -> tuple[str, list[str]]:
    """The section as now printed, keeping the ``**bold**`` marks of lines that did not change;
    and a description of each changed passage."""
    import difflib
    old_lines = [x.strip() for x in (old or "").splitlines() if x.strip()]
    new_lines = [x for x in printed.split("\n") if x.strip()]
    a = [_plain(x) for x in old_lines]
    b = [_norm(x) for x in new_lines]
    out, changes = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(old_lines[i1:i2])
            continue
        out.extend(new_lines[j1:j2])
        was = "\n".join(old_lines[i1:i2])
        now = "\n".join(new_lines[j1:j2])
        where = f"第 {j1 + 1} 段" if j2 > j1 else f"第 {i1 + 1} 段"
        changes.append(f"{where}原为{_short(re.sub(r'[*][*]', '', was))}，现为{_short(now)}")
    return "\n".join(out), changes


def apply_visible_edits(report, edits: dict[str, str]) -> None:
    """Take every field changed in Word from the page (the page wins) and mark it for review
    (``report.review`` keyed by the section id or ``meta.organ``/``meta.date``/``meta.year``/``title``/
    ``opening``), in Chinese: 在 Word 中修改：…原为…，现为…"""
    fmt = report.format
    meta = report.meta
    for sid in fmt.text_sections:
        if sid not in edits:
            continue
        merged, changes = _merge_section(report.sections.get(sid, ""), edits[sid])
        report.sections[sid] = merged
        heading = fmt.section(sid)["heading"]
        report.review[sid] = f"在 Word 中修改：“{heading}”" + ("；".join(changes) or "有改动")
    if "meta.organ" in edits:
        now = edits["meta.organ"].strip()
        report.review["meta.organ"] = f"在 Word 中修改：落款机关原为{_short(meta.organ)}，现为{_short(now)}"
        meta.organ = now
    if "meta.date" in edits:
        now = edits["meta.date"].strip()
        m = _DATE_CN.match(now)
        report.review["meta.date"] = f"在 Word 中修改：成文日期原为{_short(date_cn(meta.date))}，现为{_short(now)}"
        meta.date = f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}" if m else now
    if "meta.contact" in edits:
        now = edits["meta.contact"].strip()
        report.review["meta.contact"] = f"在 Word 中修改：联系方式原为{_short(meta.contact)}，现为{_short(now)}"
        meta.contact = now
    if "title" in edits:
        now = _norm(edits["title"])
        m = re.match(r"^(.*?)(\d{4})年", now)
        organ = m[1] if m else ""
        year = int(m[2]) if m else None
        if m and _norm(fmt.title(organ, year)) == now:
            was = report.title()
            if organ != (meta.organ or "") and "meta.organ" not in edits:
                meta.organ = organ
            meta.year = year
            report.review["title"] = f"在 Word 中修改：标题原为{_short(was)}，现为{_short(now)}"
        else:
            report.review["title"] = (f"在 Word 中修改：标题改为{_short(now)}，"
                                      "不是“机关名称＋年度＋政府信息公开工作年度报告”的"
                                      "格式，年报助手仍按机关名称和年度生成标题，请核对")
    if "opening" in edits:
        now = edits["opening"].strip()
        if now:
            report.sections[fmt.text_sections[0]] = now + "\n" + (report.sections.get(fmt.text_sections[0]) or "")
            report.review["opening"] = (f"在 Word 中修改：开头段落改为{_short(now)}，已放在“"
                                        f"{fmt.section(fmt.text_sections[0])['heading']}”的开头，请核对")
        else:
            report.review["opening"] = "在 Word 中修改：开头段落被删除；年报助手仍按格式生成开头段落，请核对"
