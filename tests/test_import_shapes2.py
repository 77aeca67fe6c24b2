"""Shapes of real published reports that the first importer did not read (tests/fixtures/real/: 沭阳县人民政府's
Markdown, the text 上海's PDFs give, a saved page's information table), each on a small synthetic document of that
shape: read what can be read, say what cannot, and keep the import's accounting balanced."""
from __future__ import annotations

import re
import sys

from app.documents import open_report
from app.importers.account import chars, check
from conftest import FIXTURES, ROOT

sys.path.insert(0, str(ROOT / "tests"))
from shapes import TEXT_SHAPES

T4 = {"review": [27, 10, 9, 15, 61], "suit_direct": [3, 0, 1, 0, 4], "suit_after_review": [8, 0, 1, 1, 10]}
COLS = ("upheld", "corrected", "other", "pending", "total")


def base():
    """A real report (吴忠市民政局 2023, hand-typed fixture) with distinct numbers in table 4."""
    report = open_report(FIXTURES / "wuzhong-minzheng-2023.nianbao")
    for group, values in T4.items():
        for col, v in zip(COLS, values):
            report.values[f"t4.{group}.{col}"] = v
    return report


def imported(tmp_path, text: str, suffix: str = ".md"):
    path = tmp_path / f"r{suffix}"
    path.write_text(text, encoding="utf-8")
    report = open_report(path)
    account = report.import_account
    assert check(report, account) == [], account.summary()
    assert account.source == chars(text)
    return report


def replace_table(text: str, heading: str, new: str) -> str:
    """The Markdown table under ``heading`` replaced with ``new``."""
    start = text.index(heading)
    table = re.compile(r"(?:^\|.*\n)+", re.M).search(text, start)
    return text[:table.start()] + new + text[table.end():]


def t4_pieces(parts) -> str:
    head = "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|----------|----------|----------|----------|----|\n"
    return "".join(f"### {name}\n{head}| " + " | ".join(map(str, T4[g])) + " |\n\n" for name, g in parts)


def test_table4_split_into_three_five_column_tables(tmp_path):
    """沭阳县人民政府 2025: a converter printed table 4 as three 5-column tables under ### 行政复议,
    ### 行政诉讼（未经复议直接起诉）, ### 行政诉讼（复议后起诉）; only the first was read (10 cells lost)."""
    want = base()
    new = t4_pieces([("行政复议", "review"), ("行政诉讼（未经复议直接起诉）", "suit_direct"),
                     ("行政诉讼（复议后起诉）", "suit_after_review")])
    text = replace_table(TEXT_SHAPES["markdown"](want), "## 四、政府信息公开行政复议", new)
    got = imported(tmp_path, text)
    assert {c: got.values.get(c) for c in want.format.cells_of("t4")} == \
        {c: want.values.get(c) for c in want.format.cells_of("t4")}


def test_table4_pieces_named_out_of_order_go_to_their_group(tmp_path):
    """Pieces named by their group: the litigation after review printed before the direct one is still read
    into its own columns (the name decides, not the order)."""
    want = base()
    new = t4_pieces([("行政复议", "review"), ("行政诉讼（复议后起诉）", "suit_after_review"),
                     ("行政诉讼（未经复议直接起诉）", "suit_direct")])
    text = replace_table(TEXT_SHAPES["markdown"](want), "## 四、政府信息公开行政复议", new)
    got = imported(tmp_path, text)
    assert {c: got.values.get(c) for c in want.format.cells_of("t4")} == \
        {c: want.values.get(c) for c in want.format.cells_of("t4")}


OPENING_LINES = ("本年度报告根据《中华人民共和国政府信息公开条例》（以\n"
                 "下简称《条例》）、《某某市政府信息公开规定》（以下简称《规\n"
                 "定》）和《关于印发中华人民共和国政府信息公开工作年度报告\n"
                 "格式的通知》（国办公开办函〔2021〕30 号）的要求编制。本年\n"
                 "度报告电子版可在某某市人民政府门户网站下载。\n")


def with_head(text: str, head: str) -> str:
    """The Markdown shape with its title line replaced by ``head`` (lines as a PDF's text gives them)."""
    first, rest = text.split("\n", 1)
    assert first.startswith("# ")
    return head + rest


def test_year_first_title_broken_over_two_lines(tmp_path):
    """上海's reports put the year first, and the PDF's text breaks the title: "2024 年上海市科委政府信息公开工作" /
    "年度报告" (organ and year were not read)."""
    text = with_head(TEXT_SHAPES["markdown"](base()), "正文\n2023 年吴忠市民政局政府信息公开工作\n年度报告\n")
    got = imported(tmp_path, text)
    assert (got.meta.organ, got.meta.year) == ("吴忠市民政局", 2023)
    assert ("标题前的网页栏目等", "正文") in got.import_account.furniture


def test_year_first_title_on_one_line(tmp_path):
    text = with_head(TEXT_SHAPES["markdown"](base()), "2023年度吴忠市民政局政府信息公开工作年度报告\n")
    got = imported(tmp_path, text)
    assert (got.meta.organ, got.meta.year) == ("吴忠市民政局", 2023)


def test_opening_line_ending_in_annual_report_stays_in_the_opening(tmp_path):
    """上海市人民政府办公厅: an opening line that the PDF broke after "…工作年度报告" is no title — the office's
    opening was cut off as page chrome."""
    text = with_head(TEXT_SHAPES["markdown"](base()),
                     "正文\n2023 年吴忠市民政局政府信息公开\n工作年度报告\n" + OPENING_LINES + "\n")
    got = imported(tmp_path, text)
    assert (got.meta.organ, got.meta.year) == ("吴忠市民政局", 2023)
    assert got.meta.opening.replace("\n", "") == OPENING_LINES.replace("\n", "")


def test_opening_line_ending_in_annual_report_without_a_title(tmp_path):
    """No title at all: the opening is still the opening, not page chrome."""
    text = with_head(TEXT_SHAPES["markdown"](base()), OPENING_LINES + "\n")
    got = imported(tmp_path, text)
    assert got.meta.opening.replace("\n", "") == OPENING_LINES.replace("\n", "")


def test_byline_under_the_title_is_not_the_opening(tmp_path):
    """沭阳县人民政府 2025: the organ and the date printed under the title (a byline) are the closing's organ and
    date written at the top, not the first lines of the opening."""
    text = with_head(TEXT_SHAPES["markdown"](base()),
                     "# 吴忠市民政局 2023 年 政府信息公开工作年度报告\n\n吴忠市民政局\n(2024年1月16日)\n\n"
                     "依据《中华人民共和国政府信息公开条例》编制本报告。\n")
    got = imported(tmp_path, text)
    assert got.meta.opening == "依据《中华人民共和国政府信息公开条例》编制本报告。"
    assert got.meta.date == "2024-01-16"
    assert any("吴忠市民政局" in m for m in got.import_account.moves)


def same_text(a: str, b: str) -> bool:
    """Equal but for blanks and the fixture's bold marks (**一是**), which the Markdown reader takes off."""
    return "".join((a or "").replace("**", "").split()) == "".join((b or "").replace("**", "").split())


def test_missing_heading_of_part_five_recovered_and_said(tmp_path):
    """上海市人民政府办公厅 2025: after table 4 the text goes on with （一）…问题…改进… （二）… and no heading
    五、存在的主要问题及改进情况; 五 was left out whole. Its text is 五, and the clerk is told it was assumed."""
    want = base()
    text = TEXT_SHAPES["markdown"](want).replace("## 五、存在的主要问题及改进情况\n", "")
    got = imported(tmp_path, text)
    assert same_text(got.sections.get("s5"), want.sections["s5"])
    assert same_text(got.sections.get("s6"), want.sections["s6"])
    notes = " ".join(got.extra.get("import_notes", []))
    assert "没有“五、存在的主要问题及改进情况”的标题" in notes, notes
    assert got.values == want.values


SHANGHAI_S1 = ("一、总体情况\n某某市科委 2023 年深入贯彻条例，扎实推进政务公开。\n\n二、工作机制保障\n"
               "设立政务公开工作协调小组。\n\n三、主动公开工作情况\n当年发布政府信息 393 件。\n\n"
               "四、政府信息公开申请情况\n全年收到申请 1 件。\n\n五、政府信息管理\n及时发布指南。\n\n"
               "六、政府信息公开平台建设\n累计发布信息 2139 条。\n\n")


def test_shanghai_numbering_narrative_parts_and_tables_renumbered(tmp_path):
    """上海市科委 2024: the narrative numbers its own parts 一…六, the tables follow as 一、二、三 (一、主动公开政府
    信息情况 …), 五 has no heading and 其他需要报告的事项 is numbered 五. Sections are the format's parts by their
    wording; the renumbering is said."""
    want = base()
    md = TEXT_SHAPES["markdown"](want)
    s1_start = md.index("## 一、总体情况")
    text = md[:s1_start] + SHANGHAI_S1 + md[md.index("## 二、主动公开政府信息情况"):]
    for old, new in (("## 二、主动公开政府信息情况", "一、主动公开政府信息情况"),
                     ("## 三、收到和处理政府信息公开申请情况", "二、收到和处理政府信息公开申请情况"),
                     ("## 四、政府信息公开行政复议、行政诉讼情况", "三、政府信息公开行政复议、行政诉讼情况"),
                     ("## 五、存在的主要问题及改进情况\n", ""),
                     ("## 六、其他需要报告的事项", "五、其他需要报告的事项")):
        assert old in text
        text = text.replace(old, new)
    got = imported(tmp_path, text)
    assert got.values == want.values
    s1 = got.sections.get("s1", "")
    assert s1.startswith("某某市科委 2023 年深入贯彻条例") and s1.endswith("累计发布信息 2139 条。"), s1
    assert same_text(got.sections.get("s5"), want.sections["s5"])
    assert same_text(got.sections.get("s6"), want.sections["s6"])
    notes = " ".join(got.extra.get("import_notes", []))
    assert "没有“五、存在的主要问题及改进情况”的标题" in notes, notes
    assert "“五、其他需要报告的事项”" in notes, notes


def t3_row(label: str, values) -> str:
    return "| " + " | ".join([label] * bool(label) + [str(v) for v in values]) + " |"


ROWS_AWAY = {"partial": [2, 1, 0, 0, 0, 0, 3], "rejected.confirmation": [4, 0, 0, 0, 0, 1, 5],
             "other.no_correction": [40, 1, 0, 0, 2, 0, 43], "other.unpaid_fee": [6, 0, 0, 0, 0, 0, 6],
             "unavailable.not_held": [7, 0, 0, 0, 0, 0, 7], "unavailable.unclear": [9, 0, 0, 0, 0, 0, 9]}
T3_COLS = ("natural", "commercial", "research", "social", "legal", "other_org", "total")


def test_rows_printed_away_from_their_labels(tmp_path):
    """Text of 上海's PDFs: a row's label broken over lines above its numbers, printed rows away from them, or
    cut into pieces in the row's first cells. A row without a whole label is read when it is unambiguous: its
    numbers come right after the row before it in the format's order, as many as the row has columns, and the
    row's label is printed (in pieces) nearby. Label pieces left on a line of their own are never values."""
    want = base()
    for row, values in ROWS_AWAY.items():
        for col, v in zip(T3_COLS, values):
            want.values[f"t3.{row}.{col}"] = v
    md = TEXT_SHAPES["markdown"](want)
    lines = md.split("\n")

    def at(label):
        return next(k for k, ln in enumerate(lines) if ln.startswith("|") and label in ln)

    k = at("（二）部分公开")
    lines[k] = "（二）部分公开（区分处理的，只计这一情\n形，不计其他情形）\n" + t3_row("", ROWS_AWAY["partial"])
    k = at("1.本机关不掌握相关政府信息")
    lines[k] = "1.本机关不掌握相关政\n" + t3_row("", ROWS_AWAY["unavailable.not_held"]) + "\n府信息"
    k = at("3.补正后申请内容仍不明确")
    lines[k] = "3.补正后申请内容仍不\n" + t3_row("", ROWS_AWAY["unavailable.unclear"]) + "\n明确"
    k = at("5.要求行政机关确认或重新出具已获取信息")
    lines[k] = t3_row("", ROWS_AWAY["rejected.confirmation"])
    k = at("1.信访举报投诉类申请")
    lines[k] = "5.要求行政机关确认或重新出具\n已获取信息\n" + lines[k]
    k = at("1.申请人无正当理由逾期不补正")
    lines[k] = t3_row("行政机关不再处理其政府信息公", ROWS_AWAY["other.no_correction"])
    k = at("2.申请人逾期未按收费通知要求")
    lines[k] = ("2.申请人逾期未按收费通知要求\n— 5 —\n"
                + t3_row("缴纳费用、 | 行政机关不再处理其政", ROWS_AWAY["other.unpaid_fee"]))
    got = imported(tmp_path, "\n".join(lines))
    cells = [f"t3.{row}.{col}" for row in ROWS_AWAY for col in T3_COLS]
    assert {c: got.values.get(c) for c in cells} == {c: want.values.get(c) for c in cells}
    assert got.values == want.values
    assert not any("府信息" == str(v) or "明确" == str(v) for v in got.values.values())


def test_label_of_a_later_row_printed_above_the_numbers_of_an_earlier_one(tmp_path):
    """上海市科委 2024: "5.属于三类内部事务信 / 息 / 1.本机关不掌握相关政 / 府信息" then one row of numbers, then
    rows 6.–8., then another row of numbers: the first is 5.'s (the row after 4. in the format's order), the second
    1.本机关不掌握…'s — the label just above numbers is not taken for theirs when the order says otherwise."""
    want = base()
    internal, not_held = [1, 0, 0, 0, 0, 0, 1], [4, 0, 0, 0, 0, 0, 4]
    for col, a, b in zip(T3_COLS, internal, not_held):
        want.values[f"t3.withheld.internal.{col}"] = a
        want.values[f"t3.unavailable.not_held.{col}"] = b
    lines = TEXT_SHAPES["markdown"](want).split("\n")

    def at(label):
        return next(k for k, ln in enumerate(lines) if ln.startswith("|") and label in ln)

    lines[at("5.属于三类内部事务信息")] = ("5.属于三类内部事务信\n息\n1.本机关不掌握相关政\n府信息\n"
                                          + t3_row("", internal))
    lines[at("1.本机关不掌握相关政府信息")] = t3_row("", not_held)
    got = imported(tmp_path, "\n".join(lines))
    assert got.values == want.values
    assert "原文中本行的数值与行标签分开排印" in got.review["t3.withheld.internal.natural"]


def test_row_with_fewer_values_than_columns_is_left_blank_and_said(tmp_path):
    """上海市人民政府办公厅 2025: "| 规章 | 22 | 235 |" under a 3-column header (the PDF's text pulled the two-line cell
    22（其中修订 16 件） out of the row). Which column each number belongs to cannot be told: it was read left to
    right (repealed 235, in force blank). Now the row is left blank and the clerk is told why, with the numbers."""
    want = base()
    want.values.update({"t2.normative.issued": 34, "t2.normative.repealed": 55, "t2.normative.in_force": 189})
    md = TEXT_SHAPES["markdown"](want).replace("| 行政规范性文件 | 34 | 55 | 189 |", "| 行政规范性文件 | 34 | 189 |")
    got = imported(tmp_path, md)
    cells = ("t2.normative.issued", "t2.normative.repealed", "t2.normative.in_force")
    assert [got.values.get(c) for c in cells] == [None, None, None]
    for c in cells:
        assert "无法确定" in got.review[c] and "34、189" in got.review[c], got.review.get(c)
    assert any("行政规范性文件" in n and "34、189" in n for n in got.extra["import_notes"])
    assert got.values.get("t2.regulations.in_force") == want.values["t2.regulations.in_force"]


def test_row_with_one_value_missing_placed_by_the_row_sum_when_only_one_place_fits(tmp_path):
    """Six numbers for table 3's seven columns: when the last is less than the sum of the five before it, no
    applicant column can be the one missing (its number would be negative), so the missing one is the total —
    decided by the format's arithmetic, the total left blank for the clerk (it is computed from the row)."""
    want = base()
    row = [5, 2, 0, 0, 1, 0, 8]
    for col, v in zip(T3_COLS, row):
        want.values[f"t3.new.{col}"] = v
    md = TEXT_SHAPES["markdown"](want)
    line = next(ln for ln in md.split("\n") if "一、本年新收政府信息公开申请数量" in ln)
    md = md.replace(line, "| 一、本年新收政府信息公开申请数量 | 5 | 2 | 0 | 0 | 1 | 0 |")
    got = imported(tmp_path, md)
    assert [got.values.get(f"t3.new.{c}") for c in T3_COLS] == row[:6] + [None]
    assert "总计" in got.review["t3.new.natural"]


def test_row_with_one_value_missing_where_several_places_fit_is_blank(tmp_path):
    want = base()
    md = TEXT_SHAPES["markdown"](want)
    line = next(ln for ln in md.split("\n") if "二、上年结转政府信息公开申请数量" in ln)
    md = md.replace(line, "| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 |")
    got = imported(tmp_path, md)
    assert [got.values.get(f"t3.carried_in.{c}") for c in T3_COLS] == [None] * 7
    assert "无法确定" in got.review["t3.carried_in.total"]


def test_label_number_lines_above_the_markdown_table(tmp_path):
    """上海市科委 2024 (table 2 numbered 一、 by 上海): the one-column rows printed as "label number" lines
    (行政许可 97, 行政处罚 0 …) under 第二十条 headers, the two document rows as a Markdown table below them."""
    want = base()
    want.values.update({"t2.licensing.decisions": 97, "t2.normative.issued": 13, "t2.normative.in_force": 55})
    md = TEXT_SHAPES["markdown"](want)
    t2 = ("一、主动公开政府信息情况\n第二十条第（一）项\n第二十条第（五）项\n信息内容本年处理决定数量\n行政许可 97\n"
          "第二十条第（六）项\n信息内容本年处理决定数量\n行政处罚 0\n行政强制 0\n第二十条第（八）项\n"
          "信息内容本年收费金额（单位：万元）\n行政事业性收费 0\n## 表二：主动公开政府信息情况\n"
          "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n| 规章 | 0 | 0 | 0 |\n"
          "| 规范性文件 | 13 | 0 | 55 |\n\n")
    start, end = md.index("## 二、主动公开政府信息情况"), md.index("## 三、收到和处理政府信息公开申请情况")
    text = md[:start] + t2 + md[end:].replace("## 三、收到和处理", "二、收到和处理", 1)
    got = imported(tmp_path, text)
    assert {c: got.values.get(c) for c in want.format.cells_of("t2")} == \
        {c: want.values.get(c) for c in want.format.cells_of("t2")}


INFO_TABLE = ('<table class="xxgk"><tr><td>名称</td>'
              '<td colspan="3">吴忠市民政局2023年政府信息公开工作年度报告</td></tr>'
              "<tr><td>索引号</td><td>014314799/2024-00002</td><td>分类</td><td>信息公开年报</td></tr>"
              "<tr><td>发布机构</td><td>吴忠市民政局</td><td>公开日期</td><td>2024-01-17</td></tr>"
              "<tr><td>文号</td><td></td><td>关键词</td><td></td></tr></table>")


def test_page_information_table_listed_as_such_and_its_date_read(tmp_path):
    """沭阳县发改局's saved page: the site's 名称/索引号/分类/发布机构/公开日期/文号 table above the article is the
    page's information — listed under that name (not as navigation), its 公开日期 and 索引号 read."""
    from shapes import HTML_SHAPES
    page = HTML_SHAPES["html"](base()).replace("<body>", "<body><div>首页</div><div>政府信息公开</div>" + INFO_TABLE, 1)
    path = tmp_path / "r.html"
    path.write_text(page, encoding="utf-8")
    got = open_report(path)
    assert check(got, got.import_account) == []
    info = [t for k, t in got.import_account.furniture if k == "网页信息（索引号、公开日期等）"]
    assert any("索引号" in t for t in info) and any("公开日期" in t for t in info), got.import_account.furniture
    assert (got.extra.get("published"), got.extra.get("index_no")) == ("2024-01-17", "014314799/2024-00002")
    assert ("标题前的网页栏目等", "首页") in got.import_account.furniture


def test_table_header_debris_is_table_text_and_a_note_under_a_table_is_shown(tmp_path):
    """Lines of a table's own words in its part (a converter's 申请人情况 (自然人), ### (六) 其他, a PDF's header
    pieces 商业企科研机社会公法律服 / 理结果, a caption 表二：主动公开政府信息情况) are the table's text, not text
    that went nowhere; a note under a table (注：…) is still listed for the clerk."""
    want = base()
    md = TEXT_SHAPES["markdown"](want)
    md = md.replace("## 二、主动公开政府信息情况\n", "## 二、主动公开政府信息情况\n## 表二：主动公开政府信息情况\n", 1)
    md = md.replace("## 三、收到和处理政府信息公开申请情况\n",
                    "## 三、收到和处理政府信息公开申请情况\n### 申请人情况 (自然人)\n商业企科研机社会公法律服\n理结果\n"
                    "### (六) 其他\n", 1)
    md = md.replace("## 四、政府信息公开行政复议、行政诉讼情况\n",
                    "## 四、政府信息公开行政复议、行政诉讼情况\n### 行政诉讼（未经复议直接起诉）\n"
                    "注：行政复议、行政诉讼数量含上年度结转数量。\n", 1)
    got = imported(tmp_path, md)
    assert [t for _, t in got.import_account.left_out] == ["注：行政复议、行政诉讼数量含上年度结转数量。"]
    assert got.values == want.values


def test_wholly_blank_row_of_table4_is_the_table_left_blank(tmp_path):
    """A WPS template (govnianbao) or an office with no 复议/诉讼 that left table 4's row empty: the table is there,
    its 15 cells blank — not "表格缺失或为图片" (TABLE.MISSING), and nothing invented."""
    want = base()
    md = TEXT_SHAPES["markdown"](want)
    line = "| " + " | ".join(str(v) for g in T4.values() for v in g) + " |"
    assert line in md
    got = imported(tmp_path, md.replace(line, "|" + "  |" * 15))
    row = 1 + next(k for k, ln in enumerate(md.split("\n")) if ln == line)
    assert {got.sources[c].split("·")[1].split("第")[1] for c in want.format.cells_of("t4")} == {f"{row}行"}
    assert "t4" not in got.extra.get("tables_missing", [])
    assert all(got.values.get(c) is None for c in want.format.cells_of("t4"))
    assert {c: got.values[c] for c in got.values if not c.startswith("t4.")} == \
        {c: want.values[c] for c in want.values if not c.startswith("t4.")}


def test_sub_part_named_like_a_part_under_another_numeral_is_not_that_part(tmp_path):
    """一、总体情况 with sub-parts numbered 一、二、 that use a part's words (一、主动公开政府信息情况) above the
    report's own 二、主动公开政府信息情况: the part is the one under its own numeral."""
    want = base()
    md = TEXT_SHAPES["markdown"](want)
    sub = "一、主动公开政府信息情况\n全年主动公开信息 108 条。\n"
    md = md.replace("## 一、总体情况\n\n", "## 一、总体情况\n\n" + sub, 1)
    got = imported(tmp_path, md)
    assert got.values == want.values
    assert got.sections["s1"].startswith("一、主动公开政府信息情况\n全年主动公开信息 108 条。")
    assert not any("一、主动公开政府信息情况" in n for n in got.extra.get("import_notes", []))
