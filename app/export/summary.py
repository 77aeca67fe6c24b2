"""The summary workbook of a batch check (``nianbao check DIR… --xlsx summary.xlsx``): one row per report
(organ, year, format, errors, warnings, first findings) and a second sheet with every finding; written atomically.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

# the category of the summary workbook: a later check of the same folder leaves it out (it is no report)
SUMMARY_MARK = "年报助手检查汇总"


def write_summary_xlsx(results: list, path, previous_of: dict | None = None) -> Path:
    """``results``: ``(path, report, findings)`` tuples, or ``{"path", "error"}`` dicts for unreadable files."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from ..project import atomic_write
    from ..rules import ERROR, counts

    previous_of = previous_of or {}
    wb = Workbook()
    wb.properties.category = SUMMARY_MARK
    ws = wb.active
    ws.title = "汇总"
    head = ["文件", "机关名称", "报告年度", "格式", "错误", "提醒", "与上年报告对照", "主要问题"]
    ws.append(head)
    allf = wb.create_sheet("全部问题")
    allf.append(["文件", "机关名称", "报告年度", "级别", "规则", "单元格", "问题", "应为", "实为", "来源"])
    red = PatternFill("solid", fgColor="F8CBAD")
    green = PatternFill("solid", fgColor="C6EFCE")
    grey = PatternFill("solid", fgColor="D9D9D9")
    for k, r in enumerate(results):
        if isinstance(r, dict):
            ws.append(_clean([r["path"], "", None, "", None, None, "", f"无法读取：{r['error']}"]))
            for c in ws[ws.max_row]:
                c.fill = grey
            continue
        p, report, findings = r
        e, w = counts(findings)
        fmt = "2019年试行格式（已转换）" if report.origin_format == "gov-2019" else "2021年格式"
        prev = previous_of.get(k)
        first = "；".join(f"[{f.rule}] {f.message}" for f in sorted(findings, key=lambda f: f.severity != ERROR)[:3])
        ws.append(_clean([str(p), report.meta.organ, report.meta.year, fmt, e, w,
                          f"{prev.meta.year}年报告" if prev is not None else "", first]))
        ws.cell(ws.max_row, 5).fill = red if e else green
        for f in findings:
            allf.append(_clean([str(p), report.meta.organ, report.meta.year, "错误" if f.severity == ERROR else "提醒",
                         f.rule, "、".join(f.cells), f.message, _cellv(f.expected), _cellv(f.actual),
                         report.sources.get(f.cells[0], "") if f.cells else ""]))
    from .xlsx import reviewer_print_setup
    # widths that fit A4 landscape at about 90 % (summary) and 75 % (every finding): long texts wrap
    for sheet, widths in ((ws, [28, 20, 7, 14, 6, 6, 12, 60]), (allf, [24, 18, 7, 6, 16, 20, 56, 8, 8, 22])):
        for c in sheet[1]:
            c.font = Font(bold=True)
        for row in sheet.iter_rows(min_row=2):
            for c in row:
                c.alignment = Alignment(wrap_text=True, vertical="top")
        reviewer_print_setup(sheet, widths, title="年度报告检查汇总")
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write(Path(path), buf.getvalue(), backup=False)
    return Path(path)


_BAD_CELL_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def _clean(values: list) -> list:
    """Control characters (from organ names, file names, messages) cannot be stored in a workbook: shown as
    ``\\xNN``; lone surrogates (file names that are not UTF-8) likewise."""
    def fix(m):
        o = ord(m.group())
        return f"\\x{o & 0xFF:02x}" if o < 0x100 or 0xDC80 <= o <= 0xDCFF else f"\\u{o:04x}"
    return [_BAD_CELL_TEXT.sub(fix, v) if isinstance(v, str) else v for v in values]


def _cellv(v):
    if v is None or isinstance(v, (int, str)):
        return v
    from ..values import display
    return display(v)
