"""What the reviewing office sends out: 整改通知 (one Word file per organ with open findings) and the 通报
(Word or Excel): counts per category, late and missing organs named, a ranking.

Laid out as our report is (GB/T 9704: the page, margins, fonts, sizes and line pitch of
``resources/typesetting/gbt9704.json``); categories and scores from ``resources/review/scoring.json``. Only the
findings the reviewer did not dismiss count (``Review.open_findings``). Every file is written atomically.
"""
from __future__ import annotations

import io
import json
import re
from functools import lru_cache
from pathlib import Path

from ..document import H1
from ..rules import ERROR, deadline_rules
from .typeset import spec

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
# the category of every file the desk writes: a later review of the same folder leaves them out
DESK_MARK = "年报助手审核台"


@lru_cache(maxsize=1)
def scoring() -> dict:
    from ..resources import resource
    return json.loads(resource("review", "scoring.json").read_text(encoding="utf-8"))


def category(rule: str) -> dict:
    cats = scoring()["categories"]
    for c in cats:
        if rule in c["rules"]:
            return c
    return next((c for c in cats if not c["rules"]), cats[-1])


def score(review, e) -> tuple[int, list[str]]:
    """(score, what was deducted) of an entry under the scoring data: each category's deduction once, whatever
    the number of its findings (the assessment's rule, ``scoring.json``); only the findings the organ is held to
    (:meth:`app.review.Review.notice_findings`)."""
    data = scoring()
    total = data["full_marks"]
    why = []
    seen = set()
    for f in review.notice_findings(e):
        c = category(f.rule)
        if c["deduct"] and c["id"] not in seen:
            seen.add(c["id"])
            total -= c["deduct"]
            why.append(f"{c['name']} −{c['deduct']}")
    again = review.resubmission(e)
    if again and again["unfixed"] and again["returned"]:  # only a version sent back can be 退回后未整改
        nc = data["not_corrected"]
        total -= nc["deduct"]
        why.append(f"{nc['name']} −{nc['deduct']}")
    return max(0, total), why


def cn_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


def page_of(fmt, cell: str) -> str:
    """Where in the report a finding's cell is: the section or table heading ("三、收到和处理…"), or 封面信息."""
    head = cell.split(".", 1)[0]
    if head in tuple(fmt.table_ids) + tuple(fmt.text_sections):
        return fmt.section(head)["heading"]
    if head == "meta":
        return "标题与落款"
    return ""


def notice_place(fmt, cell: str) -> str:
    """Where a finding is, as a notice names it under its own numbering "（一）": a table cell by the name the
    checks use (表三自然人列「（一）予以公开」, the form's own row label quoted), a section as "第五部分（…）", a
    cover field as "标题与落款（成文日期）" — never a heading's bare "四、" right after the notice's "（一）"."""
    if cell in fmt.cells:
        return fmt.cells[cell].name
    where, label = part_of(fmt, cell), cell_label(fmt, cell)
    if where and label:
        return f"{where}（{label}）"
    return where or label or "全文"


def part_of(fmt, cell: str) -> str:
    """:func:`page_of` as a notice names it under its own numbering: "第四部分（政府信息公开行政复议…）", never
    a heading's "四、" after the notice's "（一）"."""
    where = page_of(fmt, cell)
    m = H1.match(where)
    return f"第{m.group(0)[:-1]}部分（{where[m.end():]}）" if m else where


def cell_label(fmt, cell: str) -> str:
    c = fmt.cells.get(cell)
    if c is not None:
        return "·".join(x for x in (*c.row_labels, *c.col_labels) if x)
    names = {"meta.organ": "机关名称", "meta.year": "报告年度", "meta.date": "成文日期", "meta.contact": "联系方式"}
    return names.get(cell, "")


def _value(v) -> str:
    if v is None:
        return ""
    from ..values import display
    return v if isinstance(v, str) else display(v)


def _latest_entries(review) -> list:
    """Readable entries; of duplicates only the newest (the earlier versions were superseded)."""
    return [e for e in review.entries if e.report is not None and (not e.duplicate_of or e.newer)]


# --------------------------------------------------------------------------------------------------------------
# The Word page (GB/T 9704)

class _Page:
    def __init__(self):
        from docx import Document
        from docx.enum.section import WD_SECTION  # noqa: F401
        from docx.shared import Mm
        self.spec = spec()
        self.doc = Document()
        page = self.spec["page"]
        sec = self.doc.sections[0]
        sec.page_width, sec.page_height = Mm(page["width_mm"]), Mm(page["height_mm"])
        m = page["margin_mm"]
        sec.top_margin, sec.bottom_margin = Mm(m["top"]), Mm(m["bottom"])
        sec.left_margin, sec.right_margin = Mm(m["left"]), Mm(m["right"])
        sec.header_distance, sec.footer_distance = Mm(page["header_mm"]), Mm(page["footer_mm"])
        self.doc.core_properties.author = "年报助手"
        self.doc.core_properties.category = DESK_MARK
        self._page_numbers(sec)

    def _font(self, run, role: str, size_pt: float, bold: bool = False):
        from docx.oxml.ns import qn
        from docx.shared import Pt
        name = self.spec["fonts"][role]
        run.font.name = name
        run.font.size = Pt(size_pt)
        run.font.bold = bold
        rpr = run._element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.insert(0, fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), name)

    def para(self, text: str, role: str = "body", size: str = "body", align: str = "justify", indent: bool = True,
             bold: bool = False, line_pt: float | None = None, right_chars: float = 0,
             right_pt: float | None = None):
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
        from docx.shared import Pt
        p = self.doc.add_paragraph()
        pf = p.paragraph_format
        size_pt = self.spec["sizes_pt"][size]
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line_pt or self.spec["grid"]["line_pt"])
        pf.space_before = pf.space_after = Pt(0)
        pf.alignment = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
                        "right": WD_ALIGN_PARAGRAPH.RIGHT, "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
        if indent:
            pf.first_line_indent = Pt(size_pt * self.spec["indent_chars"])
        if right_pt is not None:
            pf.right_indent = Pt(right_pt)
        elif right_chars:
            pf.right_indent = Pt(size_pt * right_chars)
        if text:
            self._font(p.add_run(text), role, size_pt, bold)
        return p

    def title(self, text: str | list[str]):
        """The title in one paragraph; given as lines (:func:`title_lines`), broken between them only."""
        from docx.enum.text import WD_BREAK
        t = self.spec["title"]
        lines = [text] if isinstance(text, str) else text
        p = self.para(lines[0], "title", "title", "center", indent=False, line_pt=t["line_pt"])
        for line in lines[1:]:
            run = p.add_run()
            run.add_break(WD_BREAK.LINE)
            self._font(run, "title", self.spec["sizes_pt"]["title"])
            self._font(p.add_run(line), "title", self.spec["sizes_pt"]["title"])
        return p

    def blank(self):
        return self.para("", indent=False)

    def _page_numbers(self, sec):
        """"— N —" at the foot in 宋体 四号 (GB/T 9704 7.5)."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        p = sec.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        size = self.spec["sizes_pt"]["footer"]

        def run(text=None, fld=None):
            r = p.add_run(text or "")
            self._font(r, "number", size)
            if fld:
                for kind in ("begin", None, "end"):
                    if kind is None:
                        instr = OxmlElement("w:instrText")
                        instr.set(qn("xml:space"), "preserve")
                        instr.text = fld
                        r._element.append(instr)
                    else:
                        ch = OxmlElement("w:fldChar")
                        ch.set(qn("w:fldCharType"), kind)
                        r._element.append(ch)
            return r
        run("— ")
        run(fld=" PAGE ")
        run(" —")

    def table(self, header: list[str], rows: list[list], widths: list[float] | None = None):
        """A grid table; ``widths``: relative column widths over the text block."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.shared import Mm
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        size = self.spec["sizes_pt"]["table"]
        t = self.doc.add_table(rows=1, cols=len(header))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        for k, h in enumerate(header):
            cell = t.rows[0].cells[k]
            cell.paragraphs[0].alignment = 1
            self._font(cell.paragraphs[0].add_run(h), "hei", size)
        trpr = t.rows[0]._tr.get_or_add_trPr()  # the header row repeated on every page
        hdr = OxmlElement("w:tblHeader")
        hdr.set(qn("w:val"), "true")
        trpr.append(hdr)
        # a column is centred when all its values are numbers or short words, else left-aligned: one way per column
        centred = [all(not isinstance(row[k], str) or len(row[k]) <= 6 for row in rows) for k in range(len(header))]
        for row in rows:
            added = t.add_row()
            cant = OxmlElement("w:cantSplit")  # a row is never split over two pages
            cant.set(qn("w:val"), "true")
            added._tr.get_or_add_trPr().append(cant)
            cells = added.cells
            for k, v in enumerate(row):
                cells[k].paragraphs[0].alignment = 1 if centred[k] else 0
                self._font(cells[k].paragraphs[0].add_run(_value(v) if not isinstance(v, int) else str(v)),
                           "body", size)
        if widths:
            page = self.spec["page"]
            block = page["width_mm"] - page["margin_mm"]["left"] - page["margin_mm"]["right"]
            t.autofit = False
            for k, w in enumerate(widths):
                width = Mm(block * w / sum(widths))
                t.columns[k].width = width
                for cell in t.columns[k].cells:
                    cell.width = width
        return t

    def bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def _closing(page: _Page, office: str, date: str):
    """The office and the date placed as our report's closing is (GB/T 9704 §7.3.5, :func:`app.document.closing`),
    kept together on one page (the blank line above them, the office and the date)."""
    from ..document import closing
    place = closing(office, cn_date(date))
    page.blank().paragraph_format.keep_with_next = True
    if office:
        p = page.para(office, align="right", indent=False, right_pt=place.organ_right_pt)
        p.paragraph_format.keep_with_next = True
    page.para(place.date, align="right", indent=False, right_pt=place.date_right_pt)


def title_lines(chunks: list[str]) -> list[str]:
    """A title of words that must not be split (``chunks``), broken into lines of the title's width
    (GB/T 9704 §7.2.3: 回行时要做到词意完整), the lines as even as the words allow; a word wider than a line
    is broken where it must."""
    from ..document import text_width
    from . import typeset as T
    room = T.TITLE_CHARS * T.TITLE_PT + 1e-6
    words: list[str] = []
    for w in chunks:
        while text_width(w, T.TITLE_PT) > room:  # an organ name longer than a line
            k = len(w)
            while k > 1 and text_width(w[:k], T.TITLE_PT) > room:
                k -= 1
            words.append(w[:k])
            w = w[k:]
        if w:
            words.append(w)
    whole = "".join(words)
    n = 1
    while True:  # the fewest lines, then the most even split into that many
        best = _split(words, n, room)
        if best is not None:
            return best if len(best) > 1 else [whole]
        n += 1


def _split(words: list[str], n: int, room: float) -> list[str] | None:
    """``words`` in ``n`` lines each within ``room``, the longest line as short as possible (None: impossible)."""
    from ..document import text_width
    from . import typeset as T
    if n == 1:
        text = "".join(words)
        return [text] if text_width(text, T.TITLE_PT) <= room else None
    best, best_width = None, None
    for k in range(1, len(words)):
        head = "".join(words[:k])
        w = text_width(head, T.TITLE_PT)
        if w > room:
            break
        rest = _split(words[k:], n - 1, room)
        if rest is None:
            continue
        widest = max(w, *(text_width(x, T.TITLE_PT) for x in rest))
        if best_width is None or widest < best_width:
            best, best_width = [head, *rest], widest
    return best


# --------------------------------------------------------------------------------------------------------------
# 整改通知

def notice_docx(review, e, office: str, date: str, reply_by: str = "") -> bytes:
    """The 整改通知 of one report: addressed to the organ, each finding the organ is held to
    (:meth:`app.review.Review.notice_findings`) with its page, cell, message, expected/actual and where in the
    source it was read; ``reply_by`` (YYYY-MM-DD, optional): the date by which the corrected report is due.
    Never for a report whose organ is unknown (:meth:`app.review.Review.noticeable`)."""
    if not review.noticeable(e):
        raise ValueError("a notice needs the organ: read from the report or named by the reviewer")
    report = e.report
    fmt = report.format
    organ = e.organ
    year = f"{report.meta.year}年度" if report.meta.year else ""
    page = _Page()
    page.title(title_lines(["关于" + organ, year, "政府信息公开", "工作年度报告的整改通知"]))
    page.blank()
    page.para(f"{organ}：", indent=False)
    findings = review.notice_findings(e)
    errors = sum(1 for f in findings if f.severity == ERROR)
    named = f"《{report.known_title()}》" if report.known_title() and not e.named_organ else \
        f"{year}政府信息公开工作年度报告"
    due = f"，并于{cn_date(reply_by)}前将整改后的报告重新报送" if reply_by else "后重新报送"
    page.para(f"经审核，你单位报送的{named}（文件“{e.path.name}”）存在以下"
              f"{len(findings)}处问题（其中错误{errors}处、提醒{len(findings) - errors}处），"
              f"请逐项核实整改{due}。", align="left")  # justified, the line before a file name is stretched
    again = review.resubmission(e)
    if again:
        page.para(f"与此前报送的版本相比：已改正{again['fixed']}处，未改正{again['unfixed']}处，新问题{again['new']}处"
                  + ("（两个版本中只有一个附有上年报告，跨年度比对的问题未计入）" if again["not_compared"] else "")
                  + "。")
    for n, f in enumerate(findings, start=1):
        head = notice_place(fmt, f.cells[0]) if f.cells else "全文"
        page.para(f"{_cn_seq(n)}{head}（{'错误' if f.severity == ERROR else '提醒'}）", role="kai", indent=True)
        if f.cells and f.cells[0] in fmt.cells:  # the page and the cell's labels as the form prints them
            page.para(f"位置：{part_of(fmt, f.cells[0])}，「{cell_label(fmt, f.cells[0])}」。", align="left")
        page.para(f"问题：{notice_message(f.message)}", align="left")
        exp, act = _value(f.expected), _value(f.actual)
        if isinstance(f.actual, float) and f.expected is None:
            exp = act = ""  # a similarity: its message states it as a percentage
        if exp or act:
            page.para("；".join(x for x in (f"应为：{exp}" if exp else "", f"实为：{act}" if act else "") if x) + "。")
        src = report.sources.get(f.cells[0], "") if f.cells else ""
        if src:
            page.para(f"原文位置：{src}")
        d = review.decision(e, f)
        if d and d.get("comment"):
            page.para(f"审核意见：{d['comment']}")
    _closing(page, office, date)
    return page.bytes()


_ABOUT_US = re.compile(r"（[^（）]*本程序[^（）]*）")


def notice_message(message: str) -> str:
    """A finding's message as the notice prints it: without the asides about this program written for its own
    user ("（本程序导出的文件用的就是这些标题）") — an organ may never have used it. The desk shows them whole."""
    return _ABOUT_US.sub("", message)


def _cn_seq(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        text = digits[n]
    elif n < 20:
        text = "十" + (digits[n % 10] if n % 10 else "")
    elif n < 100:
        text = digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    else:
        text = str(n)
    return f"（{text}）"


def notice_name(e) -> str:
    """整改通知-ORGAN2024年度.docx (the organ as read, or as the reviewer named it)."""
    organ = _UNSAFE.sub("_", e.organ)[:80]
    year = f"{e.report.meta.year}年度" if e.report.meta.year else ""
    return f"整改通知-{organ}{year}.docx"


def noticed(review) -> list:
    """The entries that get a 整改通知: the newest version of each organ-year, its organ known, with findings
    the organ is held to."""
    return [e for e in _latest_entries(review) if review.noticeable(e) and review.notice_findings(e)]


def withheld(review) -> list:
    """Entries with open findings that get no notice because their organ is unknown (the reviewer names it
    first, :meth:`app.review.Review.name_organ`)."""
    return [e for e in _latest_entries(review) if not review.noticeable(e) and review.open_findings(e)]


def write_notices(review, outdir, office: str = "", date: str = "", overwrite: bool = False,
                  reply_by: str = "") -> list[Path]:
    """One DOCX per organ (newest version of each) with findings the organ is held to, in ``outdir`` (made if
    missing); none for a report whose organ is unknown (:func:`withheld`). Raises
    :class:`app.outputs.OutputRefused` before writing anything when one of them may not be written."""
    import datetime as _dt

    from ..outputs import OutputRefused, check_output
    from ..project import atomic_write
    date = date or _dt.date.today().isoformat()
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    todo = noticed(review)
    names: dict[str, int] = {}
    plan = []
    for e in todo:
        name = notice_name(e)
        names[name] = names.get(name, 0) + 1
        if names[name] > 1:
            name = name[:-5] + f"-{names[name]}.docx"
        target = out / name
        try:
            check_output(target, [x.path for x in review.entries], overwrite, "如要替换，请加 --overwrite。")
        except OutputRefused as err:  # nothing written yet: all or none
            raise OutputRefused(f"整改通知未写入：{err}") from None
        plan.append((e, target))
    written = []
    for e, target in plan:
        atomic_write(target, notice_docx(review, e, office, date, reply_by), backup=False)
        written.append(target)
    return written


# --------------------------------------------------------------------------------------------------------------
# 通报

def bulletin_data(review) -> dict:
    """What the bulletin states: categories with counts and organs, late and missing organs, the ranking.

    Reports whose organ is unknown are not ranked: they are listed apart (``unidentified``: file names) for the
    reviewer to name their organs. ``years``: the report years present, ``year``: the one year when all agree."""
    entries = [e for e in _latest_entries(review) if review.noticeable(e)]
    cats = [dict(c, reports=0, findings=0, organs=[]) for c in scoring()["categories"]]
    by_id = {c["id"]: c for c in cats}
    ranking = []
    deadline = deadline_rules()
    for e in entries:
        held_to = review.notice_findings(e)
        hit = set()
        for f in held_to:
            c = by_id[category(f.rule)["id"]]
            c["findings"] += 1
            hit.add(c["id"])
        for cid in hit:
            by_id[cid]["reports"] += 1
            by_id[cid]["organs"].append(e.organ)
        errors = sum(1 for f in held_to if f.severity == ERROR)
        s, why = score(review, e)
        ranking.append({"organ": e.organ, "year": e.year, "score": s, "deductions": why,
                        "errors": errors, "warnings": len(held_to) - errors, "status": review.status(e),
                        "late": any(f.rule in deadline for f in held_to), "path": str(e.path)})
    ranking.sort(key=lambda r: (-r["score"], r["errors"], r["warnings"], r["organ"]))
    place = 0
    for k, r in enumerate(ranking):
        if k == 0 or (r["score"], r["errors"]) != (ranking[k - 1]["score"], ranking[k - 1]["errors"]):
            place = k + 1
        r["rank"] = place
    received = _latest_entries(review)
    years = sorted({e.year for e in received if e.year})
    per_year = {y: sum(1 for e in received if e.year == y) for y in years}
    unidentified = [e.path.name for e in received if not review.noticeable(e)]
    # findings not counted yet: reading doubts not confirmed, and everything of a report whose organ is unknown
    pending = sum(len(review.held_findings(e)) if review.noticeable(e) else len(review.open_findings(e))
                  for e in received)
    return {"categories": cats, "ranking": ranking, "late": [r["organ"] for r in ranking if r["late"]],
            "missing": review.missing(), "unreadable": [e.path.name for e in review.entries if e.report is None],
            "unidentified": unidentified, "submitted": len(entries), "years": years, "per_year": per_year,
            "pending": pending,
            "listed": len(review.roster) if review.roster is not None else None,
            "year": years[0] if len(years) == 1 else None}


def years_text(years: list[int]) -> str:
    """"2023年度", "2022、2023、2025年度" (the years as they are), or "" when none is known."""
    return "、".join(str(y) for y in years) + "年度" if years else ""


def scoring_rule_text() -> str:
    """The assessment's scoring as the bulletin states it (from ``scoring.json``)."""
    data = scoring()
    parts = [f"{c['name']}扣{c['deduct']}分" for c in data["categories"] if c["deduct"]]
    nc = data["not_corrected"]
    parts.append(f"{nc['name']}再扣{nc['deduct']}分")
    return (f"评分办法：满分{data['full_marks']}分，" + "，".join(parts)
            + "；每类问题只扣一次，与该类问题的处数无关，最低0分。")


def bulletin_docx(review, office: str, date: str) -> bytes:
    data = bulletin_data(review)
    mixed = len(data["years"]) > 1
    page = _Page()
    page.title(title_lines(["关于" + years_text(data["years"]), "政府信息公开", "工作年度报告",
                            "审核情况的通报"]))
    page.blank()
    listed = f"名单内应报送{data['listed']}家，" if data["listed"] is not None else ""
    per_year = "、".join(f"{y}年度{n}份" for y, n in data["per_year"].items())
    page.para(f"{listed}共收到年度报告{data['submitted'] + len(data['unidentified'])}份"
              + (f"（其中{per_year}；排名表注明年度）" if mixed else "")
              + (f"，另有{len(data['unreadable'])}个文件无法读取" if data["unreadable"] else "")
              + "。现将审核情况通报如下。")
    page.para("一、总体情况", role="hei")
    for c in data["categories"]:
        if c["findings"]:
            page.para(f"{c['name']}：{c['reports']}份报告，共{c['findings']}处。")
    if not any(c["findings"] for c in data["categories"]):
        page.para("尚无已核定的问题。" if data["pending"] else "未发现需要整改的问题。")
    if data["pending"]:
        page.para(f"另有{data['pending']}处问题尚待审核人员对照原文核对（可能是文件识别问题，或报告未识别出机关名称），"
                  "未计入以上统计和排名。")
    page.para("二、未按时发布和未提交的单位", role="hei")
    page.para("未按时发布：" + ("、".join(data["late"]) if data["late"] else "无") + "。")
    if data["listed"] is not None:
        page.para("未提交：" + ("、".join(data["missing"]) if data["missing"] else "无") + "。")
    page.para("三、审核排名", role="hei")
    page.para(scoring_rule_text())
    header = ["排名", "单位", "得分", "错误", "提醒", "扣分原因"]
    widths = [2.2, 9, 2.2, 2.2, 2.2, 9]
    if mixed:
        header.insert(2, "年度")
        widths.insert(2, 2.6)
    rows = []
    for r in data["ranking"]:
        row = [r["rank"], r["organ"], r["score"], r["errors"], r["warnings"], "；".join(r["deductions"]) or "—"]
        if mixed:
            row.insert(2, f"{r['year']}" if r["year"] else "—")
        rows.append(row)
    if rows:
        page.table(header, rows, widths=widths)
    else:
        page.para("暂无可排名的报告。")
    if data["unidentified"]:
        page.para(f"另有{len(data['unidentified'])}份报告未识别出机关名称，未列入排名，待审核人员核对："
                  + "、".join(f"“{n}”" for n in data["unidentified"]) + "。")
    _closing(page, office, date)
    return page.bytes()


def bulletin_xlsx(review, office: str, date: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from .xlsx import reviewer_print_setup
    data = bulletin_data(review)
    wb = Workbook()
    wb.properties.category = DESK_MARK
    ws = wb.active
    ws.title = "排名"
    ws.append(["排名", "单位", "报告年度", "得分", "错误", "提醒", "状态", "未按时", "扣分原因", "文件"])
    for r in data["ranking"]:
        ws.append([r["rank"], r["organ"], r["year"], r["score"], r["errors"], r["warnings"], r["status"],
                   "是" if r["late"] else "", "；".join(r["deductions"]), r["path"]])
    cats = wb.create_sheet("分类统计")
    cats.append(["问题类别", "报告数", "问题数", "涉及单位"])
    for c in data["categories"]:
        cats.append([c["name"], c["reports"], c["findings"], "、".join(c["organs"])])
    if data["pending"]:
        cats.append([f"另有{data['pending']}处问题尚待审核人员对照原文核对，未计入以上统计和排名"])
    cats.append([scoring_rule_text()])
    names = wb.create_sheet("未按时与未提交")
    names.append(["情况", "单位"])
    for organ in data["late"]:
        names.append(["未按时发布", organ])
    for organ in data["missing"]:
        names.append(["未提交", organ])
    for f in data["unreadable"]:
        names.append(["文件无法读取", f])
    for f in data["unidentified"]:
        names.append(["未识别机关（未列入排名）", f])
    title = f"{years_text(data['years'])}政府信息公开工作年度报告审核情况" if data["years"] else "年度报告审核情况"
    for sheet, widths in ((ws, [6, 26, 8, 6, 6, 6, 8, 7, 40, 28]), (cats, [34, 8, 8, 80]), (names, [14, 40])):
        for c in sheet[1]:
            c.font = Font(bold=True)
        for row in sheet.iter_rows(min_row=2):
            for c in row:
                c.alignment = Alignment(wrap_text=True, vertical="top")
        _clean_sheet(sheet)
        reviewer_print_setup(sheet, widths, title=f"{title}（{office}，{cn_date(date)}）" if office else title)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _clean_sheet(ws) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str):
                c.value = ILLEGAL_CHARACTERS_RE.sub("", c.value)


def write_bulletin(review, path, office: str = "", date: str = "") -> Path:
    import datetime as _dt

    from ..project import atomic_write
    date = date or _dt.date.today().isoformat()
    path = Path(path)
    data = bulletin_xlsx(review, office, date) if path.suffix.lower() == ".xlsx" else \
        bulletin_docx(review, office, date)
    atomic_write(path, data, backup=False)
    return path


__all__ = ["DESK_MARK", "write_notices", "noticed", "withheld", "write_bulletin", "notice_docx", "bulletin_docx",
           "bulletin_xlsx", "bulletin_data", "score", "category", "scoring"]
