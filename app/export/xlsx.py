"""Excel (XLSX) export of the three tables, with openpyxl (read back by :mod:`app.importers.own_xlsx`).

Export (:func:`render_xlsx`, :func:`write_xlsx`): one sheet per table (``表二``, ``表三``, ``表四``) laid out like
the official table — labels and merges from ``Format.layout`` (never re-typed), borders, column widths, frozen
header — with numbers as numbers, 不适用 as the text ``/`` and a blank cell for no value. The totals that the
program computes (``app.rules.formulas``) are written as ``=SUM(…)`` formulas, so a colleague's edits in
Excel/WPS still add up; the workbook asks Excel to recalculate when opened. The label cells and the totals are
locked (sheet protection without password: formatting is allowed, 取消保护 unlocks it). A hidden sheet
``_nianbao`` records the format id, organ, year, date, contact, the office's own opening, the narrative sections
and a map cell id -> sheet and cell address, so importing is exact.

Import (``app.importers.own_xlsx.read_xlsx``): every label is checked at its place; a missing or renamed sheet,
or a label that was moved or changed, is reported in Chinese (:class:`XlsxError`) — the program never guesses
where a value went. Values land in the cells named by the map. For a formula cell the value cached in the file is
used when there is one (Excel, WPS and LibreOffice store it when they save); a workbook saved by a program that does not
calculate (openpyxl, some converters) has no cached value, and then the total is computed from its source cells
as the formula would. A value that is not valid for its cell (text in a count, a negative number, a fee with
more than 4 decimals) is kept as an invalid entry and marked for review with the reason — never dropped.
"""
from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

from ..ownfiles import ORIGIN_COL, ORIGIN_ROW, cell_addresses, sum_formula
from ..ownfiles import XLSX_MARKER as MARKER
from ..ownfiles import XLSX_META_SHEET as META_SHEET
from ..ownfiles import XLSX_SCHEMA as SCHEMA
from ..ownfiles import coord as _coord
from ..values import MONEY_PLACES, NA, Invalid, to_json

COL_WIDTHS = {  # Excel character units
    "t2": [22, 16, 16, 16],
    "t3": [5, 12, 30] + [8.5] * 7,
    "t4": [7.5] * 15,
}
FONT = "宋体"


def _put(cell, value):
    """Set a cell; text is always text (a leading = is not a formula) and loses characters Excel forbids."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def _cell_value(value, kind: str):
    """What a sheet cell holds: as in project files, except that the fee is a number (Decimal), not text."""
    out = to_json(value, kind)
    if kind == "money" and value is not None and value is not NA and not isinstance(value, Invalid):
        return Decimal(out)
    return out


def _runs(coords: list[str]) -> list[tuple[str, str]]:
    """Adjacent cells of one row as (first, last) runs, in order."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    runs: list[list] = []
    for coord in coords:
        col, row = coordinate_from_string(coord)
        c = column_index_from_string(col)
        if runs and runs[-1][2] == row and runs[-1][3] == c - 1:
            runs[-1][1], runs[-1][3] = coord, c
        else:
            runs.append([coord, coord, row, c])
    return [(a, b) for a, b, _, _ in runs]


def _line_count(text: str, width_chars: float) -> int:
    units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    per_line = max(1.0, width_chars - 1)
    return max(1, -(-int(units) // int(per_line)))


def build_workbook(report):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Protection, Side
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.protection import SheetProtection

    from openpyxl.comments import Comment

    from ..rules import computed_value, formulas
    from ..values import display

    fmt = report.format
    formula_of = formulas(fmt)
    where = cell_addresses(fmt)
    cached: dict[str, dict[str, object]] = {}  # sheet -> formula cell -> its value (written as the cached result)
    wb = Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name=FONT, size=10.5)
    bold = Font(name=FONT, size=10.5, bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    vertical = Alignment(horizontal="center", vertical="center", wrap_text=True, text_rotation=255)
    unlocked = Protection(locked=False)
    year = f"{report.meta.year}年度" if report.meta.year is not None else ""

    for tid in fmt.table_ids:
        layout = fmt.layout(tid)
        section = fmt.section(tid)
        ws = wb.create_sheet(fmt.table_name(tid))
        widths = (list(COL_WIDTHS.get(tid, [])) + [10] * layout.cols)[: layout.cols]
        from openpyxl.utils import get_column_letter
        for i, w in enumerate(widths[: layout.cols]):
            ws.column_dimensions[get_column_letter(ORIGIN_COL + i)].width = w
        last_col = ORIGIN_COL + layout.cols - 1
        _put(ws.cell(1, ORIGIN_COL), section["heading"]).font = Font(name="黑体", size=14)
        ws.merge_cells(start_row=1, start_column=ORIGIN_COL, end_row=1, end_column=last_col)
        _put(ws.cell(2, ORIGIN_COL), " ".join(x for x in (report.meta.organ, year) if x)).font = font
        ws.merge_cells(start_row=2, start_column=ORIGIN_COL, end_row=2, end_column=last_col)
        ws.row_dimensions[1].height = 24

        lines_in_row: dict[int, int] = {}
        count_cells, money_cells = [], []
        for p in layout.cells:
            r, c = ORIGIN_ROW + p.row, ORIGIN_COL + p.col
            for rr in range(r, r + p.rowspan):
                for cc in range(c, c + p.colspan):
                    ws.cell(rr, cc).border = border
            cell = ws.cell(r, c)
            if p.role == "value":
                kind = fmt.cells[p.cell_id].kind
                stored = report.values.get(p.cell_id)
                if p.cell_id in formula_of and stored == computed_value(report.values, formula_of[p.cell_id]):
                    cell.value = sum_formula(formula_of[p.cell_id], where)
                    cell.font = bold
                    if stored is not None and not isinstance(stored, (str, Invalid)) and stored is not NA:
                        cached.setdefault(ws.title, {})[cell.coordinate] = stored
                elif p.cell_id in formula_of:
                    # the report's total disagrees with its parts (exported despite the error): keep what the
                    # report says, unlocked, and say so in a comment rather than silently printing the sum
                    _put(cell, _cell_value(stored, kind))
                    cell.protection = unlocked
                    cell.font = bold
                    parts = computed_value(report.values, formula_of[p.cell_id])
                    cell.comment = Comment(f"此合计与各项之和（{display(parts) or '空白'}）不符，按报告原样导出。"
                                           f"改为公式：{sum_formula(formula_of[p.cell_id], where)}", "年报助手")
                else:
                    _put(cell, _cell_value(report.values.get(p.cell_id), kind))
                    cell.protection = unlocked
                    (money_cells if kind == "money" else count_cells).append(cell.coordinate)
                    cell.font = font
                cell.alignment = centre
                # the fee as the DOCX/PDF print it (0, 1.5, 0.0125), not 0.0000
                cell.number_format = "General" if kind == "money" else "0"
            else:
                _put(cell, p.text)
                cell.font = font
                if tid == "t3" and p.rowspan > 4 and p.col == 0:
                    cell.alignment = vertical
                elif p.role == "label" and p.rowspan == 1:
                    cell.alignment = left
                else:
                    cell.alignment = centre
                width = sum(widths[p.col: p.col + p.colspan])
                need = _line_count(p.text, width)
                if p.rowspan == 1:
                    lines_in_row[r] = max(lines_in_row.get(r, 1), need)
            if p.rowspan > 1 or p.colspan > 1:
                ws.merge_cells(start_row=r, start_column=c, end_row=r + p.rowspan - 1, end_column=c + p.colspan - 1)
        for r in range(ORIGIN_ROW, ORIGIN_ROW + layout.rows):
            ws.row_dimensions[r].height = 14.5 * lines_in_row.get(r, 1) + 3
        if tid == "t3":  # the 3-line corner note sits in 3 header rows: give them room
            for r in range(ORIGIN_ROW, ORIGIN_ROW + layout.header_rows):
                ws.row_dimensions[r].height = max(ws.row_dimensions[r].height or 0, 30)
        # freeze the header rows (and the label columns of table 3)
        label_cols = min((p.col for p in layout.cells if p.role == "value"), default=0)
        ws.freeze_panes = ws.cell(ORIGIN_ROW + layout.header_rows, ORIGIN_COL + (label_cols if tid == "t3" else 0))
        # one validation per run of adjacent input cells in a row: its formula is relative to the run's first
        # cell, which is unambiguous in Excel, WPS and LibreOffice
        for cells_, title, error, test in (
                (count_cells, "件数", "请填写非负整数（没有发生填 0，不适用填 /）。", "{c}=INT({c})"),
                (money_cells, "金额", f"请填写以万元为单位的非负数（最多{MONEY_PLACES}位小数），不适用填 /。",
                 f"ROUND({{c}},{MONEY_PLACES})={{c}}")):
            for first, last in _runs(cells_):
                dv = DataValidation(
                    type="custom", allow_blank=True, showErrorMessage=True, errorStyle="stop",
                    errorTitle=title, error=error,
                    formula1=f'OR({first}="/",AND(ISNUMBER({first}),{first}>=0,{test.format(c=first)}))')
                dv.add(first if first == last else f"{first}:{last}")
                ws.add_data_validation(dv)
        ws.protection = SheetProtection(sheet=True, formatCells=False, formatColumns=False, formatRows=False,
                                        selectLockedCells=False, selectUnlockedCells=False)
        # GB/T 9704 margins (37/35/28/26 mm) and page numbers — N — at the foot, odd pages right, even left
        from openpyxl.worksheet.page import PageMargins
        ws.page_margins = PageMargins(left=28 / 25.4, right=26 / 25.4, top=37 / 25.4, bottom=35 / 25.4,
                                      header=15 / 25.4, footer=23 / 25.4)
        ws.HeaderFooter.differentOddEven = True
        ws.oddFooter.right.text = "— &P —"
        ws.evenFooter.left.text = "— &P —"
        ws.page_setup.orientation = "landscape" if tid == "t4" else "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        if layout.header_rows:
            ws.print_title_rows = f"{ORIGIN_ROW}:{ORIGIN_ROW + layout.header_rows - 1}"

    _parts_sheet(wb, report)
    _meta_sheet(wb, report, where)
    wb.calculation.fullCalcOnLoad = True
    wb.properties.creator = "年报助手"
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    wb.properties.title = ILLEGAL_CHARACTERS_RE.sub("", report.title())
    wb.properties.subject = "政府信息公开工作年度报告 统计表"
    wb.active = 0
    wb._nianbao_cached = cached
    return wb


def _with_cached_values(data: bytes, wb) -> bytes:
    """Write each formula's value into the file (``<v>``) as Excel does when it saves: a viewer that does not
    recalculate (previews, phone apps, LibreOffice's default for xlsx) shows the totals instead of blanks.
    The values are the report's own totals, which equal the formulas' results (a total that disagrees with its
    parts is written as a number, not a formula)."""
    cached = getattr(wb, "_nianbao_cached", {})
    if not cached:
        return data
    parts = {f"xl/worksheets/sheet{i + 1}.xml": cached[ws.title] for i, ws in enumerate(wb.worksheets)
             if ws.title in cached}
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            blob = src.read(info.filename)
            values = parts.get(info.filename)
            if values:
                def fill(m, values=values):
                    v = values.get(m.group(2))
                    return m.group(0) if v is None else f"{m.group(1)}<f>{m.group(3)}</f><v>{v}</v></c>"
                blob = re.sub(r'(<c r="([A-Z]+[0-9]+)"[^>]*>)<f>([^<]*)</f>(?:<v\s*/>|<v></v>)?</c>',
                              fill, blob.decode("utf-8")).encode("utf-8")
            out.writestr(info, blob)
    return buf.getvalue()


PARTS_SHEET = "分单位明细"


def _parts_sheet(wb, report) -> None:
    """A report summed from several (``nianbao sum``): a row per cell of tables 2–4, a column per unit and the
    合计 column, so the office sees what each department contributed. Not read back on import (the tables are)."""
    parts = report.extra.get("sum_parts")
    if not isinstance(parts, list) or not parts:
        return
    from ..values import NA
    fmt = report.format
    ws = wb.create_sheet(PARTS_SHEET)
    parts = [p if isinstance(p, dict) else {} for p in parts]
    head = ["表", "单元格"] + [str(p.get("organ") or Path(str(p.get("path", ""))).name) for p in parts] + ["合计"]
    for k, text in enumerate(head, start=1):
        _put(ws.cell(1, k), text)
    row = 2
    for tid in fmt.table_ids:
        for cid in fmt.cells_of(tid):
            cell = fmt.cells[cid]
            _put(ws.cell(row, 1), fmt.table_name(tid))
            _put(ws.cell(row, 2), "·".join(cell.row_labels + cell.col_labels))
            for k, part in enumerate(parts, start=3):
                v = (part.get("values") or {}).get(cid)
                if isinstance(v, str) and v != "/" and cell.kind == "money":
                    try:
                        v = Decimal(v)
                    except ArithmeticError:
                        pass
                _put(ws.cell(row, k), v)
            v = report.values.get(cid)
            _put(ws.cell(row, len(parts) + 3), None if v is None else ("/" if v is NA else _cell_value(v, cell.kind)))
            row += 1
    for note in report.extra.get("sum_notes") or []:
        row += 1
        _put(ws.cell(row, 1), f"注：{note}")
    reviewer_print_setup(ws, [6, 60] + [12] * (len(parts) + 1), title="分单位明细")
    ws.freeze_panes = "C2"


def _chunks(text: str, size: int = 30000) -> list[str]:
    """Text in pieces a cell can hold (Excel's limit is 32 767 characters), joined again on import."""
    return [text[i:i + size] for i in range(0, len(text), size)] or [""]


def _meta_sheet(wb, report, where) -> None:
    ws = wb.create_sheet(META_SHEET)
    ws.sheet_state = "hidden"
    fmt = report.format
    rows = [
        ("marker", MARKER, "请勿修改或删除本工作表：导入时据此把数值放回原来的单元格。"),
        ("schema", SCHEMA),
        ("format", report.format_id),
        ("organ", report.meta.organ or ""),
        ("year", report.meta.year if report.meta.year is not None else ""),
        ("date", report.meta.date or ""),
        ("contact", report.meta.contact or ""),
    ]
    # the office's own opening; none for the standard one ("" follows organ and year)
    rows += [("opening", chunk) for chunk in _chunks(report.meta.opening or "") if chunk]
    for sid in fmt.text_sections:
        for chunk in _chunks(report.sections.get(sid, "") or ""):
            rows.append((f"section.{sid}", chunk))
    for tid in fmt.table_ids:
        rows.append(("table", tid, fmt.table_name(tid), _coord(ORIGIN_ROW, ORIGIN_COL)))
    for cid, (sheet, addr) in where.items():
        rows.append(("cell", cid, sheet, addr, fmt.cells[cid].name))
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            _put(ws.cell(r, c), value)
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 40


def render_xlsx(report) -> bytes:
    wb = build_workbook(report)
    buf = io.BytesIO()
    wb.save(buf)
    return _with_cached_values(buf.getvalue(), wb)


def write_xlsx(report, path) -> Path:
    """Render and write atomically (a failed export leaves no half-written file)."""
    from ..project import atomic_write

    atomic_write(path, render_xlsx(report), backup=False)
    return Path(path)


# ---------------------------------------------------------------------------------------------------------
# Workbooks for reviewers (check summary, bulletin, per-unit breakdown): lists that print on A4 landscape

def reviewer_print_setup(ws, widths=None, title: str = "") -> None:
    """A list sheet that prints properly: A4 landscape, all columns fitted to the page width (as many pages
    down as needed), the header row repeated on every page, "第 N 页，共 M 页" at the foot, the title (when given)
    at the head; column widths in Excel character units; the header row frozen and filterable."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    for i, w in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.75, bottom=0.75, header=0.3, footer=0.3)
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    if title:
        ws.oddHeader.center.text = title.replace("&", "&&")
    ws.freeze_panes = "A2"
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions
    # rows as tall as their wrapped text (Excel and LibreOffice do not grow rows of a file on opening)
    if widths:
        for row in ws.iter_rows(min_row=1):
            lines = 1
            for c in row:
                if isinstance(c.value, str) and c.column <= len(widths):
                    width = widths[c.column - 1] * 0.85  # digits and Latin print wider than half a Chinese character
                    lines = max(lines, sum(_line_count(part, width) for part in c.value.split("\n")))
            if lines > 1:
                ws.row_dimensions[row[0].row].height = min(409, 15 * lines)
                for c in row:  # the text the row was made tall for wraps (else it is cut at the column's edge)
                    if isinstance(c.value, str) and not c.alignment.wrap_text:
                        a = c.alignment
                        c.alignment = Alignment(horizontal=a.horizontal, vertical=a.vertical or "center",
                                                text_rotation=a.text_rotation, indent=a.indent, wrap_text=True)


__all__ = ["render_xlsx", "write_xlsx", "build_workbook", "cell_addresses", "META_SHEET", "reviewer_print_setup"]
