"""Reading back a workbook written by :mod:`app.export.xlsx` (possibly edited since in Excel/WPS).

Every label is checked at its place; a missing or renamed sheet, or a label that was moved or changed, is
reported in Chinese (:class:`XlsxError`) — the program never guesses where a value went. The layout is in
:mod:`app.ownfiles` (shared with the writer) and described in :mod:`app.export.xlsx`.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..errors import ImportFailed
from ..formats import FormatError, load_format
from ..model import Meta, Report
from ..ownfiles import ORIGIN_COL, ORIGIN_ROW, cell_addresses, coord, sum_formula
from ..ownfiles import XLSX_MARKER as MARKER
from ..ownfiles import XLSX_META_SHEET as META_SHEET
from ..ownfiles import XLSX_SCHEMA as SCHEMA
from ..values import Invalid, ValueError_, check_value, parse_value


class XlsxError(ImportFailed):
    """A workbook that cannot be imported; the message is Chinese and says why."""


def _check_container(path: Path) -> None:
    """The program's one ZIP guard (``app.importers.base.open_zip``), with its message as an XlsxError."""
    from .base import open_zip

    try:
        zf = open_zip(path, "Excel", ("[Content_Types].xml", "xl/"))
    except ImportFailed as e:
        raise XlsxError(str(e)) from None
    with zf:
        _check_shared_strings(zf, path.name)


# The shared-strings part holds every text of the workbook once; openpyxl reads all of it (twice: formulas and
# their cached values) before any sheet, used or not. Ours: ~40 KB (labels, and the narrative in the
# bookkeeping sheet, at most ~2 MB).
MAX_SHARED_STRINGS_BYTES = 8 * 1024 * 1024
MAX_SHARED_STRINGS = 50_000  # entries (the export writes ~600)


def _check_shared_strings(zf, name: str) -> None:
    """Refuse a shared-strings part over the limits, measured on its declared size and its raw XML (before openpyxl
    builds a string object per entry)."""
    for info in zf.infolist():
        if not info.filename.lower().endswith("sharedstrings.xml"):
            continue
        if info.file_size > MAX_SHARED_STRINGS_BYTES:
            raise XlsxError(f"“{name}”的共享文字表（{info.filename}）解压后有 {info.file_size / 1048576:.0f} MB，"
                            f"年报统计表不超过 {MAX_SHARED_STRINGS_BYTES // 1048576} MB，不像是年报助手导出的工作簿，"
                            "已停止读取。")
        with zf.open(info) as fh:
            data = fh.read(MAX_SHARED_STRINGS_BYTES + 1)  # the declared size may lie; what is read cannot
        if len(data) > MAX_SHARED_STRINGS_BYTES:
            raise XlsxError(f"“{name}”的共享文字表（{info.filename}）超过 {MAX_SHARED_STRINGS_BYTES // 1048576} MB，"
                            "不像是年报助手导出的工作簿，已停止读取。")
        entries = len(re.findall(rb"<(?:[\w.-]+:)?si(?=[\s/>])", data))
        if entries > MAX_SHARED_STRINGS:
            raise XlsxError(f"“{name}”的共享文字表有 {entries} 项，年报统计表只有几百项（上限 {MAX_SHARED_STRINGS}），"
                            "不像是年报助手导出的工作簿，已停止读取。")


def _load(path: Path, data_only: bool):
    from openpyxl import load_workbook

    try:
        return load_workbook(path, data_only=data_only)
    except XlsxError:
        raise
    except Exception as e:  # noqa: BLE001 - untrusted input: any failure becomes a message (never openpyxl's, with a path)
        from ..messages import exception_text
        raise XlsxError(f"无法读取 Excel 工作簿“{path.name}”：{exception_text(e)}。") from None


def _norm(text) -> str:
    if text is None:
        return ""
    return re.sub(r"\s+", "", str(text))


def _read_meta(wb, name: str) -> dict:
    meta: dict = {"sections": {}, "tables": {}, "cells": {}}
    if META_SHEET not in wb.sheetnames:
        return {}
    ws = wb[META_SHEET]
    for row in ws.iter_rows(values_only=True):
        if not row or row[0] is None:
            continue
        key = str(row[0])
        vals = list(row[1:]) + [None] * 4
        if key.startswith("section."):
            sid = key[8:]
            meta["sections"][sid] = meta["sections"].get(sid, "") + ("" if vals[0] is None else str(vals[0]))
        elif key == "opening":  # written in pieces of at most 30 000 characters, like the sections
            meta["opening"] = meta.get("opening", "") + ("" if vals[0] is None else str(vals[0]))
        elif key == "table":
            meta["tables"][str(vals[0])] = (str(vals[1]), str(vals[2]))
        elif key == "cell":
            meta["cells"][str(vals[0])] = (str(vals[1]), str(vals[2]))
        else:
            meta[key] = vals[0]
    if meta.get("marker") != MARKER:
        raise XlsxError(f"“{name}”中的“{META_SHEET}”工作表已被改动，无法确认各数值的位置。请重新导出一份工作簿。")
    return meta


def _value_from_cell(raw, kind: str, cell_name: str):
    """(value, problem or None) from what openpyxl read."""
    import datetime

    if raw is None:
        return None, None
    if isinstance(raw, bool):
        return Invalid(str(raw).upper()), f"{cell_name}：“{raw}”不是数字"
    if isinstance(raw, (datetime.date, datetime.datetime, datetime.time, datetime.timedelta)):
        text = str(raw)
        what = "金额" if kind == "money" else "件数"
        return Invalid(text), f"{cell_name}：单元格内容“{text}”是日期/时间，不是{what}"
    if isinstance(raw, float):
        text = repr(raw)
        if kind == "count" and raw.is_integer():
            text = str(int(raw))
    elif isinstance(raw, (int, Decimal)):
        text = str(raw)
    else:
        text = str(raw)
    try:
        value = parse_value(text, kind, cell_name)
    except ValueError_ as e:
        return Invalid(text.strip()), str(e)
    except InvalidOperation:
        return Invalid(text.strip()), f"{cell_name}：“{text}”不是有效的数值"
    why = check_value(value, kind)
    if why:
        return Invalid(text.strip()), f"{cell_name}：{why}"
    return value, None


def read_xlsx(path) -> Report:
    """Import a workbook written by :func:`write_xlsx` (possibly edited since). Raises :class:`XlsxError`."""
    path = Path(path)
    name = path.name
    _check_container(path)
    wb = _load(path, data_only=False)
    cached = _load(path, data_only=True)
    meta = _read_meta(wb, name)
    format_id = str(meta.get("format") or "gov-2021")
    try:
        fmt = load_format(format_id)
    except FormatError as e:
        raise XlsxError(f"“{name}”：{e}") from None
    schema = meta.get("schema", SCHEMA)
    if isinstance(schema, (int, float)) and schema > SCHEMA:
        raise XlsxError(f"“{name}”由更新版本的年报助手导出（版本 {schema}），请升级年报助手后再导入。")
    where, tables = _placement(fmt, meta, name)
    if not meta and not any(name_ in wb.sheetnames for name_, _ in tables.values()):
        sheets = "”“".join(fmt.table_name(t) for t in fmt.table_ids)
        raise XlsxError(f"“{name}”不是年报助手导出的统计表（没有“{sheets}”工作表，"
                        f"也没有“{META_SHEET}”工作表）。请先用年报助手导出 Excel 统计表，在其中填写后再导入。")
    _check_labels(wb, fmt, tables, name)
    report = Report(format_id=format_id)
    report.meta = _meta(meta)
    for sid in fmt.text_sections:
        report.sections[sid] = meta.get("sections", {}).get(sid, "")
    _read_values(report, wb, cached, where, name)
    return report


def _placement(fmt, meta: dict, name: str) -> tuple[dict, dict]:
    """(cell id -> (sheet, address), table id -> (sheet, top left address)): as exported, or as the map sheet
    says; a map naming an unknown cell, a bad address or a sheet of no table is refused."""
    from openpyxl.utils.cell import coordinate_from_string

    where = cell_addresses(fmt)
    if meta.get("cells"):
        unknown = sorted(set(meta["cells"]) - set(fmt.cells))
        if unknown:
            raise XlsxError(f"“{name}”的单元格对照表含有本格式没有的单元格（{'、'.join(unknown[:3])}…），无法导入。")
        where.update(meta["cells"])
    tables = {tid: (fmt.table_name(tid), coord(ORIGIN_ROW, ORIGIN_COL)) for tid in fmt.table_ids}
    tables.update({k: v for k, v in meta.get("tables", {}).items() if k in tables})
    sheets = {sheet for sheet, _ in tables.values()}
    for what, (sheet, addr) in list(where.items()) + list(tables.items()):
        try:
            coordinate_from_string(addr)
            ok = sheet in sheets
        except (ValueError, TypeError):
            ok = False
        if not ok:
            raise XlsxError(f"“{name}”中“{META_SHEET}”工作表的单元格对照表已被改动（{what} → {sheet}!{addr}），"
                            "无法确认各数值的位置。请重新导出一份工作簿。")
    return where, tables


def _check_labels(wb, fmt, tables: dict, name: str) -> None:
    """Every sheet where it should be, every label at its place (nothing is guessed)."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    problems: list[str] = []
    for tid in fmt.table_ids:
        sheet, origin = tables[tid]
        if sheet not in wb.sheetnames:
            others = [s for s in wb.sheetnames if s != META_SHEET]
            problems.append(f"找不到工作表“{sheet}”（{fmt.section(tid)['heading']}）。工作簿中现有："
                            f"{'、'.join(others) or '无'}。如果改过工作表名，请改回“{sheet}”。")
            continue
        ws = wb[sheet]
        col_letters, row0 = coordinate_from_string(origin)
        col0 = column_index_from_string(col_letters)
        for p in fmt.layout(tid).cells:
            if p.role == "value":
                continue
            cell = ws.cell(row0 + p.row, col0 + p.col)
            if _norm(cell.value) != _norm(p.text):
                actual = "空白" if cell.value in (None, "") else f"“{cell.value}”"
                problems.append(f"工作表“{sheet}”的 {cell.coordinate} 应为“{p.text}”，现在是{actual}。")
    if problems:
        shown = "\n".join("  · " + p for p in problems[:12])
        more = f"\n  …另有 {len(problems) - 12} 处" if len(problems) > 12 else ""
        raise XlsxError(f"“{name}”的表格结构与导出时不同，本程序不会猜测数值属于哪一格：\n{shown}{more}\n"
                        "请把工作表名、行列和标签恢复原样（或重新导出一份工作簿，再把数值填入）后再导入。")


def _meta(meta: dict) -> Meta:
    year = meta.get("year")
    try:
        year = int(year) if year not in (None, "") else None
    except (TypeError, ValueError):
        year = None
    return Meta(organ=str(meta.get("organ") or ""), year=year, date=str(meta.get("date") or ""),
                contact=str(meta.get("contact") or ""), opening=str(meta.get("opening") or ""))


def _read_values(report: Report, wb, cached, where: dict, name: str) -> None:
    """The values of the cells named by the map. A formula cell gives its cached result; without one (a file
    saved by a program that does not calculate) a total is computed from its sources as the formula would."""
    from ..rules import computed_order, computed_value, formulas

    fmt = report.format
    formula_of = formulas(fmt)
    to_compute: list[str] = []
    for cid, (sheet, addr) in where.items():
        cell_def = fmt.cells[cid]
        xl_cell = wb[sheet][addr]
        raw = xl_cell.value
        source = f"{name} {sheet}!{addr}"
        if xl_cell.data_type == "f":
            cached_value = cached[sheet][addr].value
            if cached_value is None:
                to_compute.append(cid)
                why = _uncomputed_formula(raw, formula_of.get(cid), where)
                if why:
                    report.review[cid] = why
                report.sources[cid] = f"{source}（公式，按来源单元格计算）"
                continue
            raw = cached_value
            source += "（公式的计算结果）"
        value, problem = _value_from_cell(raw, cell_def.kind, cell_def.name)
        if value is not None:
            report.values[cid] = value
            report.sources[cid] = source
        if problem:
            report.review[cid] = f"从 Excel 导入的值无效：{problem}"
    for cid in computed_order(fmt):
        if cid in to_compute:
            total = computed_value(report.values, formula_of[cid])
            if isinstance(total, (int, Decimal)):
                report.values[cid] = total
    for cid in to_compute:
        if cid not in formula_of and cid in report.values:
            del report.values[cid]


def _uncomputed_formula(raw, sources, where: dict) -> str:
    """Why a formula cell without a cached result needs a look ("" when it is our own sum, recomputed)."""
    if sources is None:
        return f"Excel 中此格是公式“{raw}”，文件中没有计算结果，请核对后填写。"
    ours = sum_formula(sources, where)
    if _norm(raw).upper() != _norm(ours).upper():
        return f"Excel 中的公式被改为“{raw}”，文件中没有计算结果；已按本程序的求和（{ours}）重新计算，请核对。"
    return ""


__all__ = ["read_xlsx"]
