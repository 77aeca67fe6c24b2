"""Builders of report documents the way offices and web pages make them (tests, fuzz seeds, benchmark).

Everything is built from the format's layout (``load_format().layout``), so labels are never re-typed here;
``forms`` lets a test print a cell the odd ways real reports do ("—", "３", "7件", "/").
"""
from __future__ import annotations

import html as _html
import random
from decimal import Decimal
from pathlib import Path

from app.formats import load_format
from app.model import Report
from app.rules import recompute
from app.values import NA, display

SECTION_TEXT = {
    "s1": "（一）主动公开情况。全年主动公开政府信息120条。\n（二）依申请公开情况。全年收到政府信息公开申请{new}件。\n"
          "（三）政府信息管理情况。严格执行保密审查。\n（四）政府信息公开平台建设情况。及时更新专栏。"
          "\n（五）监督保障情况。未发生责任追究。",
    "s5": "（一）存在的主要问题\n信息更新不够及时。\n（二）改进情况\n{year1}年将加强培训。",
    "s6": "本机关{year}年未收取信息处理费。",
}


def random_report(rng: random.Random, organ: str = "某某县民政局", year: int = 2023,
                  fmt_id: str = "gov-2021") -> Report:
    """A valid report: random counts, totals computed, a fee with up to 4 decimals, some 不适用."""
    r = Report(format_id=fmt_id)
    r.meta.organ, r.meta.year, r.meta.date = organ, year, f"{year + 1}-01-{rng.randint(5, 28):02d}"
    fmt = r.format
    for cid, cell in fmt.cells.items():
        if cell.kind == "money":
            r.values[cid] = Decimal(rng.choice([0, 0, rng.randint(0, 999999)])) / 10000
        else:
            r.values[cid] = rng.choice([0, 0, 0, rng.randint(0, 30), rng.randint(0, 3000)])
    if rng.random() < 0.5:
        for field in ("issued", "repealed", "in_force"):
            r.values[f"t2.regulations.{field}"] = NA
    # balance 一+二 = 七+四 per column: carried_out absorbs the difference
    recompute(r)
    for col in ("natural", "commercial", "research", "social", "legal", "other_org"):
        new, cin, done = (r.values[f"t3.{k}.{col}"] for k in ("new", "carried_in", "handled_total"))
        if new + cin < done:
            r.values[f"t3.new.{col}"] = done - cin + rng.randint(0, 2)
        r.values[f"t3.carried_out.{col}"] = r.values[f"t3.new.{col}"] + cin - done
    recompute(r)
    new_total = r.values["t3.new.total"]
    for sid, text in SECTION_TEXT.items():
        r.sections[sid] = text.format(new=new_total, year=year, year1=year + 1)
    return r


def cell_text(report: Report, cid: str, forms: dict | None) -> str:
    if forms and cid in forms:
        return forms[cid]
    return display(report.values.get(cid))


def date_cn(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


# ---------------------------------------------------------------------------------------------- DOCX

def docx_from_report(report: Report, path, variant: str = "standard", forms: dict | None = None,
                     title_lines: int = 1, label_spacing: bool = False) -> Path:
    """A Word document like an office makes it: title, sections, the three tables with merged cells.

    variant "standard": the official grids with their merges.
    variant "split": table 2 as four small tables under their 条例 clause, table 3 with one label column holding
    the whole label path and a one-row header, table 4 with a flat two-row header.
    """
    from docx import Document
    fmt = load_format(report.format_id)
    doc = Document()
    title = fmt.title(report.meta.organ, report.meta.year)
    if title_lines == 2:
        doc.add_paragraph(report.meta.organ)
        doc.add_paragraph(title[len(report.meta.organ):])
    else:
        doc.add_paragraph(title)
    doc.add_paragraph("根据《中华人民共和国政府信息公开条例》规定，编制本报告。"
                      f"本报告中所列数据统计期限为{report.meta.year}年1月1日至12月31日。")
    for sec in fmt.sections:
        doc.add_paragraph(sec["heading"])
        if sec["kind"] == "text":
            for line in report.sections.get(sec["id"], "").split("\n"):
                doc.add_paragraph(line)
        elif variant == "split":
            _docx_split_table(doc, fmt, sec["id"], report, forms, label_spacing)
        else:
            _docx_grid(doc, fmt, sec["id"], report, forms, label_spacing)
    doc.add_paragraph(report.meta.organ)
    if report.meta.date:
        doc.add_paragraph(date_cn(report.meta.date))
    doc.save(path if hasattr(path, "write") else str(path))
    return path if hasattr(path, "write") else Path(path)


def _space(text: str, on: bool) -> str:
    return " ".join(text) if on and len(text) <= 8 else text


def _docx_grid(doc, fmt, tid, report, forms, spacing):
    layout = fmt.layout(tid)
    table = doc.add_table(rows=layout.rows, cols=layout.cols)
    table.style = "Table Grid"
    flat = table._cells  # table.cell() recomputes this list on every call: fill through it, then merge
    merged = []
    for p in layout.cells:
        text = cell_text(report, p.cell_id, forms) if p.cell_id else _space(p.text, spacing and p.role == "label")
        if p.rowspan > 1 or p.colspan > 1:
            merged.append((p, text))
        else:
            flat[p.row * layout.cols + p.col].text = text
    for p, text in merged:
        cell = table.cell(p.row, p.col).merge(table.cell(p.row + p.rowspan - 1, p.col + p.colspan - 1))
        cell.text = text


def _docx_split_table(doc, fmt, tid, report, forms, spacing):
    if tid == "t2":
        for block in fmt.tables["t2"]["blocks"]:
            doc.add_paragraph(block["header"])
            cols = block["columns"]
            t = doc.add_table(rows=1 + len(block["rows"]), cols=1 + len(cols))
            t.cell(0, 0).text = "信息内容"
            for k, col in enumerate(cols):
                t.cell(0, k + 1).text = col[1]
            for i, (rid, rlabel) in enumerate(block["rows"], start=1):
                t.cell(i, 0).text = _space(rlabel, spacing)
                for k, col in enumerate(cols):
                    t.cell(i, k + 1).text = cell_text(report, f"t2.{rid}.{col[0]}", forms)
        return
    if tid == "t3":
        leaves = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
        rows = fmt.tables["t3"]["rows"]
        t = doc.add_table(rows=1 + len(rows), cols=8)
        flat = t._cells
        t.cell(0, 0).text = "项目"
        for k, leaf in enumerate(leaves):
            t.cell(0, k + 1).text = leaf
        cols = ["natural", "commercial", "research", "social", "legal", "other_org", "total"]
        for i, row in enumerate(rows, start=1):
            flat[i * 8].text = " ".join(row["labels"][1:] if len(row["labels"]) > 1 else row["labels"])
            for k, col in enumerate(cols):
                flat[i * 8 + k + 1].text = cell_text(report, f"t3.{row['id']}.{col}", forms)
        return
    layout = fmt.layout("t4")
    t = doc.add_table(rows=3, cols=15)
    groups = [("行政复议", "review"), ("行政诉讼（未经复议直接起诉）", "suit_direct"),
              ("行政诉讼（复议后起诉）", "suit_after_review")]
    cols = ["upheld", "corrected", "other", "pending", "total"]
    for g, (label, gid) in enumerate(groups):
        c = t.cell(0, 5 * g).merge(t.cell(0, 5 * g + 4))
        c.text = label
        for k, col in enumerate(cols):
            t.cell(1, 5 * g + k).text = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果",
                                          "pending": "尚未审结", "total": "总计"}[col]
            t.cell(2, 5 * g + k).text = cell_text(report, f"t4.{gid}.{col}", forms)
    assert layout.cols == 15


# ---------------------------------------------------------------------------------------------- HTML

def html_from_report(report: Report, forms: dict | None = None, nested: bool = False) -> str:
    """A published web page: tables with rowspan/colspan from the layout; optionally inside a layout table."""
    fmt = load_format(report.format_id)
    out = [f"<h1>{_html.escape(fmt.title(report.meta.organ, report.meta.year))}</h1>"]
    for sec in fmt.sections:
        out.append(f"<p><strong>{_html.escape(sec['heading'])}</strong></p>")
        if sec["kind"] == "text":
            out += [f"<p>{_html.escape(line)}</p>" for line in report.sections.get(sec["id"], "").split("\n")]
            continue
        layout = fmt.layout(sec["id"])
        rows: dict[int, list] = {}
        for p in layout.cells:
            rows.setdefault(p.row, []).append(p)
        out.append('<table border="1" style="border-collapse:collapse">')
        for r in range(layout.rows):
            out.append("<tr>")
            for p in sorted(rows.get(r, []), key=lambda p: p.col):
                text = cell_text(report, p.cell_id, forms) if p.cell_id else p.text
                span = (f' rowspan="{p.rowspan}"' if p.rowspan > 1 else "") \
                    + (f' colspan="{p.colspan}"' if p.colspan > 1 else "")
                tag = "th" if p.role in ("header", "corner") else "td"
                out.append(f"<{tag}{span}><p class=\"MsoNormal\"><span>{_html.escape(text)}</span></p></{tag}>")
            out.append("</tr>")
        out.append("</table>")
    out.append(f"<p style=\"text-align:right\">{_html.escape(report.meta.organ)}</p>")
    if report.meta.date:
        out.append(f"<p style=\"text-align:right\">{date_cn(report.meta.date)}</p>")
    body = "\n".join(out)
    if nested:
        body = (f"<table width=\"100%\"><tr><td><a href=\"/\">首页</a></td><td>信息公开</td></tr>"
                f"<tr><td colspan=\"2\"><div class=\"article\">{body}</div></td></tr></table>")
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>年报</title>"
            "<style>td{border:1px solid}</style><script>var a='<table>';</script></head>"
            f"<body>{body}</body></html>")


# ---------------------------------------------------------------------------------------------- text

def text_from_report(report: Report, shape: str = "tab", forms: dict | None = None) -> str:
    """Text as copied off a web page: "tab" rows, "pipe" rows, "lines" (one cell per line) or "spaces" (PDF)."""
    fmt = load_format(report.format_id)
    lines = [fmt.title(report.meta.organ, report.meta.year), ""]
    for sec in fmt.sections:
        lines += [sec["heading"], ""]
        if sec["kind"] == "text":
            lines += report.sections.get(sec["id"], "").split("\n") + [""]
            continue
        layout = fmt.layout(sec["id"])
        grid = [[("", False)] * layout.cols for _ in range(layout.rows)]
        for p in layout.cells:
            grid[p.row][p.col] = (cell_text(report, p.cell_id, forms), True) if p.cell_id else (p.text, False)
        for row in grid:
            if shape == "tab":
                lines.append("\t".join(t for t, _ in row))
            elif shape == "pipe":
                lines.append("| " + " | ".join(t for t, _ in row) + " |")
            elif shape == "spaces":  # copied out of a PDF: words separated by blanks, merged cells gone
                lines.append(" ".join(t for t, _ in row if t))
            else:  # one cell per line: merged-away cells vanish, blank values stay as empty lines
                lines += [t for t, is_value in row if t or is_value]
        lines.append("")
    lines.append(report.meta.organ)
    if report.meta.date:
        lines.append(date_cn(report.meta.date))
    return "\n".join(lines)
