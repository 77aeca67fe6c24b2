"""Tables that do not fit on one page: they break only between groups — never inside a sub-group
（一）…（七） of 三、本年度办理结果, between top-level groups when the next one fits on a page — with the header rows
and the label of a cut group printed again on the next page; rows never split; no table starts with a few
rows at the bottom of a page. The same in our PDF, in the DOCX (read with python-docx) and in the DOCX as
LibreOffice prints it.

The exporters are driven with a typesetting spec (``NIANBAO_TYPESETTING``, the shipped spec with one number
changed) on which table 3 no longer fits: a shorter page (210 mm, 13 lines) or a larger table font (14 pt).
Each t3 row carries its own number (101, 102, …) in the 自然人 column, so the pages a row is printed on can be
read back from any rendering. Group boundaries are computed here from the format data's row labels."""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from app.formats import load_format

ROOT = Path(__file__).resolve().parent.parent
FMT = load_format("gov-2021")
T3_ROWS = FMT.tables["t3"]["rows"]
NUMBER = {row["id"]: 101 + i for i, row in enumerate(T3_ROWS)}  # the 自然人 value printed in each t3 row
LABEL = "三、本年度办理结果"


def _depth(i: int) -> int:
    """How many groups a page break before t3 row ``i`` cuts, from the format's row labels: the length of the
    label path rows i-1 and i share (0 between top-level groups, 1 between sub-groups, 2 inside one)."""
    a, b = T3_ROWS[i - 1]["labels"], T3_ROWS[i]["labels"]
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _spec(tmp: Path, name: str) -> Path:
    spec = json.loads((ROOT / "resources" / "typesetting" / "gbt9704.json").read_text(encoding="utf-8"))
    if name == "short-page":
        spec["page"]["height_mm"] = 210
        spec["grid"]["lines_per_page"] = int((210 - 72) / 25.4 * 72 // spec["grid"]["line_pt"])
    else:
        spec["sizes_pt"]["table"] = 14
    path = tmp / f"{name}.json"
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    return path


def _run(args, env, cwd):
    done = subprocess.run([sys.executable, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module", params=["short-page", "table-14pt"])
def exported(request, tmp_path_factory):
    """(name, our PDF, the DOCX, the DOCX printed by LibreOffice or None) typeset on a spec where t3 does not fit."""
    from app import project
    tmp = tmp_path_factory.mktemp(request.param)
    report = project.load(ROOT / "tests" / "fixtures" / "wuzhong-minzheng-2023.nianbao")
    for rid, n in NUMBER.items():
        report.values[f"t3.{rid}.natural"] = n
    project.save(report, tmp / "r.nianbao", backup=False)
    env = dict(os.environ, NIANBAO_TYPESETTING=str(_spec(tmp, request.param)), PYTHONPATH=str(ROOT))
    _run([str(ROOT / "templates" / "build_template.py"), str(tmp / "t.docx")], env, tmp)
    _run(["-m", "app.cli", "export", str(tmp / "r.nianbao"), "-o", str(tmp / "r.pdf"), "--force"], env, tmp)
    _run(["-m", "app.cli", "export", str(tmp / "r.nianbao"), "--template", str(tmp / "t.docx"),
          "-o", str(tmp / "r.docx"), "--force"], env, tmp)
    lo = None
    if shutil.which("soffice"):
        sys.path.insert(0, str(ROOT / "bench"))
        from parity_docx_pdf import fontconfig  # LibreOffice with the fonts our PDF embeds, under the 公文 names
        lo_env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig(tmp)))
        subprocess.run(["soffice", f"-env:UserInstallation={(tmp / 'lo').as_uri()}", "--headless", "--convert-to",
                        "pdf", "--outdir", str(tmp / "out"), str(tmp / "r.docx")],
                       check=True, capture_output=True, timeout=300, env=lo_env)
        lo = (tmp / "out" / "r.pdf").read_bytes()
    return request.param, (tmp / "r.pdf").read_bytes(), tmp / "r.docx", lo


def _t3_pages(pdf: bytes):
    """{page index: [t3 row indexes printed there]} and the pdfplumber pages, from the row numbers."""
    import pdfplumber
    doc = pdfplumber.open(io.BytesIO(pdf))
    by_number = {n: i for i, n in enumerate(NUMBER.values())}
    where: dict[int, list[int]] = {}
    for k, page in enumerate(doc.pages):
        for w in page.extract_words(extra_attrs=["size"]):  # table text (the narrative is 16 pt)
            if w["size"] < 15 and w["text"].isdigit() and int(w["text"]) in by_number:
                where.setdefault(k, []).append(by_number[int(w["text"])])
    return where, doc.pages


def _vertical(page, first: str) -> list[str]:
    """Texts read downwards from each ``first`` character (a vertical label: one character a line)."""
    chars = [c for c in page.chars if c["text"].strip()]
    out = []
    for c in chars:
        if c["text"] != first:
            continue
        x = (c["x0"] + c["x1"]) / 2
        below = sorted((d for d in chars if abs((d["x0"] + d["x1"]) / 2 - x) < 2.5 and d["top"] >= c["top"] - 1),
                       key=lambda d: d["top"])
        out.append("".join(d["text"] for d in below))
    return out


def _check_breaks(where, pages, name):
    spread = sorted(where)
    assert len(spread) >= 2, f"{name}: table 3 should not fit on one page here, printed on pages {spread}"
    rows = [i for k in spread for i in sorted(where[k])]
    assert rows == list(range(len(T3_ROWS))), f"{name}: each row once, in order: {rows}"
    assert spread == list(range(spread[0], spread[-1] + 1))
    for k in spread[1:]:
        first = min(where[k])
        text = "".join(pages[k].extract_text().split())
        # never inside a sub-group; between the sub-groups of a top-level group only when it is cut anyway
        assert _depth(first) <= 1, f"{name}: page {k + 1} starts inside a sub-group ({T3_ROWS[first]['labels']})"
        # the header rows again
        assert all(x in text[:80] for x in ("申请人情况", "法人或其他组织", "勾稽")), (name, k, text[:80])
        if _depth(first) == 1:  # the cut group's label again, on the rows it spans here
            assert any(t.startswith(LABEL) for t in _vertical(pages[k], LABEL[0])), \
                (name, k, _vertical(pages[k], LABEL[0]))
    # the table starts at the top of a page with its heading (never a few rows at the bottom of one)
    start = pages[spread[0]]
    assert "".join(start.extract_text().split()).startswith("三、收到和处理政府信息公开申请情况"), name


def test_depth_of_a_break_comes_from_the_format_layout():
    """table_breaks.depth reads the groups from the layout's merges: the same as the format's label paths."""
    from app.export import table_breaks as TB
    layout = FMT.layout("t3")
    h = layout.header_rows
    got = [TB.depth(layout, h + i) for i in range(1, len(T3_ROWS))]
    assert got == [_depth(i) for i in range(1, len(T3_ROWS))]
    t2 = FMT.layout("t2")
    titles = [p.row for p in t2.cells if p.role == "block"]
    assert all(TB.depth(t2, r) == 0 for r in titles[1:])
    assert all(TB.depth(t2, r + 1) == TB.NEVER and TB.depth(t2, r + 2) == TB.NEVER for r in titles)


def test_plan_breaks_between_top_level_groups_when_the_next_fits_on_a_page():
    """Rows of 20 pt and a header of 60 pt (the whole table: 560 pt)."""
    from app.export import table_breaks as TB
    layout = FMT.layout("t3")
    h = layout.header_rows

    def height(s, e):
        return 60 + 20 * (e - s)

    assert TB.plan(layout, height, 560, 560) == [(h, h + 25)]
    # 一、二、三 fit (540 pt): the break falls between 三 and 四
    assert TB.plan(layout, height, 545, 545) == [(h, h + 24), (h + 24, h + 25)]
    # they do not (520 pt): a break before 三 would leave the page with two rows; 三 is cut between its
    # sub-groups instead, before （七）总计 — not inside （六）
    assert TB.plan(layout, height, 520, 520) == [(h, h + 23), (h + 23, h + 25)]
    parts = TB.plan(layout, height, 300, 300)
    assert len(parts) >= 3 and all(_depth(s - h) <= 1 for s, _e in parts[1:]), parts
    assert all(height(s, e) <= 300 for s, e in parts)


def test_a_piece_repeats_the_header_and_the_cut_group_label():
    from app.export import table_breaks as TB
    layout = FMT.layout("t3")
    h = layout.header_rows
    start = h + next(i for i, r in enumerate(T3_ROWS) if r["labels"][1:2] == ["（六）其他处理"])
    part = TB.piece(layout, start, layout.rows)
    assert part.rows == h + layout.rows - start
    head = [(p.text, p.row, p.rowspan) for p in part.cells if p.row < h]
    assert head == [(p.text, p.row, p.rowspan) for p in layout.cells if p.row < h]
    label = next(p for p in part.cells if p.text == LABEL)
    assert (label.row, label.rowspan) == (h, len(T3_ROWS) - (start - h) - 1)


def test_pdf_breaks_table3_only_between_groups(exported):
    name, pdf, _docx, _lo = exported
    where, pages = _t3_pages(pdf)
    _check_breaks(where, pages, f"PDF {name}")


def test_docx_prints_table3_in_pieces_with_header_label_and_page_breaks(exported):
    """In the DOCX each piece is a table of its own: rows never split, the header rows marked to repeat,
    keep-with-next on every row but a piece's last, the cut label printed (a new vertical merge), a
    page-break-before paragraph between pieces and before the heading; read back as one table."""
    from app.importers.own_docx import read_tables
    name, _pdf, path, _lo = exported
    doc = Document(str(path))
    pieces = [t for t in doc.tables if "申请人情况" in t.rows[0].cells[-1].text]
    assert len(pieces) >= 2, name
    h = FMT.layout("t3").header_rows
    for k, t in enumerate(pieces):
        rows = t._tbl.tr_lst
        for i, tr in enumerate(rows):
            assert tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None
            assert (tr.trPr.find(qn("w:tblHeader")) is not None) == (i < h), (k, i)
            keeps = [p.pPr is not None and p.pPr.find(qn("w:keepNext")) is not None for p in tr.iter(qn("w:p"))]
            assert all(keeps) == (i < len(rows) - 1), (k, i)
        before = t._tbl.getprevious()
        assert before.tag == qn("w:p") and before.pPr.find(qn("w:pageBreakBefore")) is not None, k
        if k:
            first = min(NUMBER[rid] for rid in NUMBER if str(NUMBER[rid]) in
                        {c.text for r in t.rows for c in r.cells}) - 101
            if _depth(first) == 1:
                assert t.rows[h].cells[0].text == LABEL
                assert t.rows[h]._tr.tc_lst[0].vMerge in ("restart", None)
    assert "三、收到和处理政府信息公开申请情况" in pieces[0]._tbl.getprevious().xpath("string(.)")
    cells = read_tables(path)
    assert all(cells[f"t3.{rid}.natural"] == str(n) for rid, n in NUMBER.items())


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_docx_in_libreoffice_breaks_table3_where_planned(exported):
    name, _pdf, path, lo = exported
    where, pages = _t3_pages(lo)
    _check_breaks(where, pages, f"DOCX in LibreOffice {name}")
    # each piece of the DOCX on a page of its own
    doc = Document(str(path))
    pieces = [t for t in doc.tables if "申请人情况" in t.rows[0].cells[-1].text]
    printed = [sorted(where[k]) for k in sorted(where)]
    planned = [sorted(NUMBER[rid] - 101 for rid in NUMBER
                      if str(NUMBER[rid]) in {c.text for r in t.rows for c in r.cells})
               for t in pieces]
    assert printed == planned, (printed, planned)


def test_pdf_table_text_is_centred_in_its_cell_as_in_word(load_fixture):
    """Word sets a single-spaced cell line with the baseline at the font's ascent below the line's top, so the
    em box (ascent + descent = 1 em for the 公文 fonts) sits in the middle of a cell centred vertically; our
    PDF had it on the bottom rule (QA finding). Every one-line value cell of table 3: the gaps between the
    characters' em box and the rules above and below differ by less than 0.3 pt."""
    import pdfplumber
    from app.export import pdf as P
    report = load_fixture("wuzhong-minzheng-2023")
    with pdfplumber.open(io.BytesIO(P.render_pdf(report))) as doc:
        page = next(p for p in doc.pages if "申请人情况" in (p.extract_text() or ""))
        rules = [e for e in page.edges if e["orientation"] == "h"]
        gaps = []
        for c in page.chars:
            if not c["text"].isdigit() or c["size"] > 11:
                continue
            x = (c["x0"] + c["x1"]) / 2
            ys = [e["top"] for e in rules if e["x0"] - 0.1 <= x <= e["x1"] + 0.1]
            mid = (c["top"] + c["bottom"]) / 2
            above = max((y for y in ys if y < mid), default=None)
            below = min((y for y in ys if y > mid), default=None)
            if above is None or below is None or below - above > P.T.TABLE_ROW_MIN_PT + 1:  # not a one-line cell
                continue
            gaps.append((round(c["top"] - above, 2), round(below - c["bottom"], 2)))
    assert len(gaps) >= 60
    assert all(abs(top - bottom) < 0.3 for top, bottom in gaps), sorted(set(gaps))[:5]


def _table_pages(pdf: bytes, numbers: dict[str, int]) -> dict[str, set[int]]:
    """{cell id: pages its number is printed on} (table text only)."""
    import pdfplumber
    by_number = {n: cid for cid, n in numbers.items()}
    out: dict[str, set[int]] = {cid: set() for cid in numbers}
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for k, page in enumerate(doc.pages):
            for w in page.extract_words(extra_attrs=["size"]):
                if w["size"] < 15 and w["text"].isdigit() and int(w["text"]) in by_number:
                    out[by_number[int(w["text"])]].add(k)
    return out


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_every_table_whole_on_one_page_at_every_starting_height(tmp_path, load_fixture):
    """With the shipped spec every table fits on a page: tables 2, 3 and 4 each on one page — never a few rows at
    the bottom of a page — whatever the narrative's length, in our PDF and in the DOCX as LibreOffice prints it
    (keep-with-next on every row but the last); and on the same page in both (our PDF's rows are as high as
    Word's, the gap after a table is the DOCX's empty body line)."""
    from app.export import export_report
    sys.path.insert(0, str(ROOT / "bench"))
    from parity_docx_pdf import fontconfig
    numbers = {f"t3.{rid}.natural": n for rid, n in NUMBER.items()}
    numbers.update({cid: 201 + i for i, cid in enumerate(c for c in FMT.cells if c.startswith("t2.")
                                                            and FMT.cells[c].kind == "count")})
    numbers.update({cid: 301 + i for i, cid in enumerate(c for c in FMT.cells if c.startswith("t4."))})
    docs = []
    for lines in range(0, 24):
        report = load_fixture("wuzhong-minzheng-2023")
        report.values.update(numbers)
        if lines:
            report.sections["s1"] += "\n" + "政" * (26 + 28 * (lines - 1))
        docs.append((lines, export_report(report, tmp_path / f"r{lines}.docx", force=True),
                     export_report(report, tmp_path / f"r{lines}.pdf", force=True).read_bytes()))
    env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig(tmp_path)))
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path / "out"), *[str(d) for _n, d, _p in docs]],
                   check=True, capture_output=True, timeout=600, env=env)
    for lines, docx, ours in docs:
        lo = (tmp_path / "out" / docx.with_suffix(".pdf").name).read_bytes()
        where = {}
        for who, pdf in (("PDF", ours), ("LibreOffice", lo)):
            pages = _table_pages(pdf, numbers)
            for tid in ("t2", "t3", "t4"):
                on = set().union(*(p for cid, p in pages.items() if cid.startswith(tid + ".")))
                assert all(p for cid, p in pages.items() if cid.startswith(tid + ".")), (who, lines, tid)
                assert len(on) == 1, f"{who}, {lines} extra lines: {tid} printed on pages {sorted(on)}"
                where.setdefault(tid, []).append(on.pop() + 1)
        assert all(a == b for a, b in where.values()), f"{lines} extra lines: pages (PDF, LibreOffice) {where}"


def test_a_piece_of_table2_cut_inside_a_block_repeats_its_title_and_column_header():
    from app.export import table_breaks as TB
    t2 = FMT.layout("t2")
    first_label = next(p.row for p in t2.cells if p.role == "label")
    second = first_label + 1  # the block's second row (行政规范性文件)
    assert TB.depth(t2, second) == 1
    part = TB.piece(t2, second, t2.rows)
    texts = [(p.row, p.text) for p in part.cells if p.role in ("block", "header")][:2]
    assert texts == [(0, FMT.tables["t2"]["blocks"][0]["header"]), (1, FMT.tables["t2"]["label_header"])]
    assert next(p for p in part.cells if p.role == "label").row == 2
    assert part.rows == 2 + t2.rows - second


def test_pdf_rows_of_one_line_are_one_line_high(load_fixture):
    """Every row of table 2 holds one line of 五号: in Word and LibreOffice every row is as high (single line
    + the rule); our PDF made rows holding a cell that spans columns 1.5 pt higher (reportlab measured the cells
    under the span as empty text in its default 12 pt leading) — 16 pt over table 2, enough to push a table
    to the next page where LibreOffice keeps it (QA finding: a mostly empty page before table 3)."""
    import pdfplumber
    from app.export import pdf as P
    report = load_fixture("wuzhong-minzheng-2023")
    with pdfplumber.open(io.BytesIO(P.render_pdf(report))) as doc:
        page = next(p for p in doc.pages if "第二十条第（一）项" in "".join((p.extract_text() or "").split()))
        gui = min((c for c in page.chars if c["text"] == "规"), key=lambda c: c["top"])  # 规章, the first row
        x = gui["x0"] + 1
        ys = sorted({round(e["top"], 1) for e in page.edges
                     if e["orientation"] == "h" and e["x0"] - 0.1 <= x <= e["x1"] + 0.1})
    rows = FMT.layout("t2").rows
    top = [y for y in ys if y < gui["top"]][-3]  # the table's top rule: above the block title and column header
    ys = ys[ys.index(top):ys.index(top) + rows + 1]
    heights = [round(b - a, 1) for a, b in zip(ys, ys[1:])]
    assert len(heights) == rows, heights
    assert max(heights) - min(heights) < 0.2, heights
