"""Fill nianbao_zh_CN.ts with the Chinese texts below, then compile it (run from the checkout):

    pyside6-lupdate -tr-function-alias tr=tr ui/*.py -ts resources/translations/nianbao_zh_CN.ts \
        -no-obsolete -locations none
    python resources/translations/fill_zh_CN.py
    pyside6-lrelease resources/translations/nianbao_zh_CN.ts -qm resources/translations/nianbao_zh_CN.qm

A translator can equally edit the .ts in Qt Linguist; this table is only the quickest way to keep it current.
Source strings missing here stay "unfinished" (shown in English) and are listed on stdout.
"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ZH = {
    "Next pane: page list, page, findings": "切换区域：页面列表、当前页、检查结果",
    "Keyboard: Ctrl+PgDown / Ctrl+PgUp go to the next / previous page; F6 moves between the page list, the page and "
    "the findings; Alt with an underlined letter presses that button.":
        "键盘：Ctrl+PgDown / Ctrl+PgUp 转到下一页 / 上一页；F6 在页面列表、当前页和检查结果之间切换；"
        "Alt 加带下划线的字母即按下相应按钮。",
    "Start from a blank report and fill it in part by part.": "从空白报告开始，按六个部分逐页填写。",
    "Open a report file (.nianbao), or import a published report: Word, web page, text, Excel or PDF.":
        "打开报告文件（.nianbao），或导入已发布的报告：Word、网页、文本、Excel 或 PDF。",
    "Organ, year and the requests carried over are filled in; last year's figures are used for the checks.":
        "自动填好机关名称、年度和上年结转的申请数；上年数据用于跨年度核对。",
    "A completed report to look at and try things on.": "一份填好的报告，可以看看，也可以随意试用。",
    "No report has been opened yet.": "还没有打开过报告。",
    "You can also drop a report file (.nianbao, Word, web page, text, Excel, PDF) on this window.":
        "也可以把报告文件（.nianbao、Word、网页、文本、Excel、PDF）拖到本窗口中打开。",
    "e.g. 2024": "例如 2024",
    "e.g. 2025-01-20 or 2025年1月20日": "例如 2025-01-20 或 2025年1月20日",
    "Calendar…": "日历…",
    "Pick the date of issue from a calendar": "从日历中选择成文日期",
    "Report year: “%1” is not a year from %2 to %3; the previous value (%4) is kept.":
        "报告年度：“%1”不是 %2 至 %3 之间的年份，仍保留原值（%4）。",
    "blank": "空",
    "Date of issue: “%1” is not a valid date (write e.g. 2025-01-20 or 2025年1月20日); the previous value (%2) is "
    "kept.": "成文日期：“%1”不是有效日期（请写作如 2025-01-20 或 2025年1月20日），仍保留原值（%2）。",
    "&Next page": "下一页(&N)",
    "&Previous page": "上一页(&P)",
    "Export &Word…": "导出 Word(&W)…",
    "Export &PDF…": "导出 PDF(&P)…",
    "Export E&xcel…": "导出 Excel(&X)…",
    "The report has errors": "报告还有错误",
    "The report still has %1 errors (listed on this page).": "报告还有 %1 处错误（已列在本页）。",
    "A document with errors must not be signed off. Export anyway, e.g. as a draft for discussion?":
        "有错误的报告不能签发。仍要导出（例如作为讨论稿）吗？",
    "report": "年报",
    "Export": "导出",
    "Export failed": "导出失败",
    "Exported to %1": "已导出到 %1",
    "Organ": "机关名称",
    "Year": "报告年度",
    "Date of issue": "成文日期",
    "Contact": "联系方式",
    "Opening paragraph": "开头段落",
    " and %1 more": " 等另外 %1 处",
    "Kind": "类别",
    "Page": "页面",
    "Cells": "单元格",
    "Message": "说明",
    "No errors and no warnings.": "没有错误，也没有提醒。",
    "Errors: %1 · Warnings: %2 — click a line to go "
    "to the cells.": "错误 %1 处 · 提醒 %2 处 — 单击一行即可转到相应单元格。",
    "Error": "错误",
    "Warning": "提醒",
    "Fix": "修正",
    "Set %1": "设为 %1",
    "Paste %1 cells": "粘贴 %1 个单元格",
    "Clear": "清除",
    "Mark not applicable": "标为不适用",
    "Government information disclosure annual report": "政府信息公开工作年度报告",
    "Write the annual report part by part; the tables check themselves as you type.":
        "按部分逐页填写年度报告；表格在输入时即自动核对勾稽关系。",
    "&New report": "新建报告(&N)",
    "&Open a report…": "打开报告(&O)…",
    "New from &last year's report…": "从上年报告新建(&L)…",
    "Open the &sample report": "打开示例报告(&S)",
    "Recent files (Enter or double-click to open):": "最近的文件（按回车或双击打开）：",
    "&Restore": "恢复(&R)",
    "Discard": "丢弃",
    "an unsaved report": "未保存的报告",
    "The program was not closed normally last time. A recovery copy of %1 from %2 was found.":
        "上次程序没有正常关闭。找到了%1的恢复副本（%2）。",
    "Annual report assistant": "年报助手",
    "Findings": "检查结果",
    "&File": "文件(&F)",
    "&Open / import…": "打开 / 导入(&O)…",
    "&Recent files": "最近的文件(&R)",
    "&Save": "保存(&S)",
    "Save &as…": "另存为(&A)…",
    "&Quit": "退出(&Q)",
    "&Edit": "编辑(&E)",
    "&Undo": "撤销(&U)",
    "&Redo": "重做(&R)",
    "Fill blanks of this table with &0": "本表空白填 &0",
    "&View": "视图(&V)",
    "&Help": "帮助(&H)",
    "Help on this &page": "本页帮助(&P)",
    "&About": "关于(&A)",
    "(none)": "（无）",
    "Errors %1 · Warnings %2": "错误 %1 · 提醒 %2",
    "Untitled": "未命名",
    "Unsaved changes": "尚未保存",
    "The report has changes that are not saved. Save them?": "报告有尚未保存的修改。要保存吗？",
    "Reports (%1)": "报告文件 (%1)",
    "All files (*)": "所有文件 (*)",
    "Open a report": "打开报告",
    "Cannot open the file": "无法打开文件",
    "Opened %1 as a new report; saving asks where to put it.": "已将 %1 作为新报告打开；保存时会询问保存位置。",
    "Open last year's report": "打开上年报告",
    "Cannot restore": "无法恢复",
    "Recovered report restored. Save it to keep it.": "已恢复报告。请保存以保留。",
    "Save the report": "保存报告",
    "Report project (*.nianbao)": "年报项目 (*.nianbao)",
    "Cannot save": "无法保存",
    "Saved to %1": "已保存到 %1",
    "Go to a table page first (二, 三 or 四).": "请先转到表格页（二、三或四）。",
    "Start a new report, open one, or start from last year's report. Files of these kinds can be opened or "
    "dropped on the window: %1":
        "新建报告、打开报告，或从上年报告开始。以下类型的文件可以打开，也可以拖到窗口上：%1",
    "Fill in the organ, the report year (the statistics year) and the date of issue. The title of the report is "
    "made from them.": "填写机关名称、报告年度（统计年度）和成文日期。报告标题由此生成。",
    "Table keys: type a number to replace the cell, F2 to edit it, Enter moves down, Tab moves right, Delete "
    "clears, / marks not applicable (counts as 0). Ctrl+C / Ctrl+V copy and paste blocks to and from Excel or "
    "WPS; a block with a bad value is refused as a whole. Totals (grey) are filled in automatically. A blank "
    "cell is not 0: use “Fill blanks with 0” when nothing happened. Ctrl+Z undoes, Ctrl+Y redoes.":
        "表格按键：直接输入数字即替换单元格内容，F2 编辑，回车下移，Tab 右移，Delete 清除，/ 标为不适用（按 0 计）。"
        "Ctrl+C / Ctrl+V 与 Excel、WPS 之间复制粘贴整块数据；含有错误数值的一块数据会整体拒绝。合计（灰色）自动计算。"
        "空白不等于 0：没有发生的请用“空白填 0”。Ctrl+Z 撤销，Ctrl+Y 重做。",
    "Every finding of the checks is listed here. Click one to go to its cells; “Fix” applies the obvious "
    "correction. Errors must be corrected before sign-off; warnings may be right.":
        "这里列出检查发现的全部问题。单击一条即转到相应单元格；“修正”按钮执行显而易见的改正。"
        "错误必须在签发前改正；提醒由您判断。",
    "Help": "帮助",
    "About": "关于",
    "Annual report assistant %1. Works offline; never uses the network.": "年报助手 %1。离线使用，从不联网。",
    "Edit %1": "修改 %1",
    "Fill blanks with 0": "空白填 0",
    "Edit cover": "修改封面信息",
    "Fix: %1": "修正：%1",
    "Filled in automatically: the sum of its parts.": "自动计算：各组成部分之和。",
    "Imported value to check: %1": "导入的数值需要核对：%1",
    "Source: %1": "来源：%1",
    "The clipboard holds nothing to paste.": "剪贴板中没有可粘贴的内容。",
    "The pasted block (%1 rows × %2 columns) does not fit in the table here; nothing was pasted.":
        "要粘贴的数据（%1 行 × %2 列）从这里放不进表格，未粘贴任何内容。",
    "The pasted block would cover the label “%1”; nothing was pasted. Select the top-left value cell of the "
    "block first.": "要粘贴的数据会覆盖表头“%1”，未粘贴任何内容。请先选中这块数据左上角对应的数值单元格。",
    " Nothing was pasted.": "未粘贴任何内容。",
    "e.g. 示例市民政局": "例如：示例市民政局",
    "address, postcode, telephone, e-mail (optional)": "地址、邮编、电话、邮箱（可选）",
    "&Organ:": "机关名称(&O)：",
    "Report &year:": "报告年度(&Y)：",
    "&Date of issue:": "成文日期(&D)：",
    "&Contact:": "联系方式(&C)：",
    "Title:": "报告标题：",
    "Openin&g:": "开头段落(&G)：",
    "The office's own opening, printed as written.": "本机关自己写的开头段落，按原样印出。",
    "The format's standard opening; it follows the organ and year. Edit it to write your own.":
        "格式规定的标准开头段落，随机关名称和年度自动变化；可以直接修改成本机关自己的写法。",
    "Imported from last year's report: %1": "已从上年报告导入：%1",
    "nothing left out.": "全文均已归位，没有略去任何文字。",
    "Cover information": "封面信息",
    "(fill in organ and year)": "（请填写机关名称和报告年度）",
    "Last year's report is attached (%1); it is used for the cross-year checks.":
        "已附上年报告（%1），用于跨年度核对。",
    "What this part must cover": "本部分应当写明",
    "Insert a heading at the cursor:": "在光标处插入小标题：",
    "Insert “%1” as a new line at the cursor": "在光标处另起一行插入“%1”",
    "Characters: %1": "字数：%1",
    "Fill blanks with &0": "空白填 &0",
    "Every empty input cell of this table becomes 0 (one undo step).": "本表每个空白的填写单元格都填 0（可一步撤销）。",
    "Type to replace · F2 edit · Enter/Tab move · Delete clears · / = not applicable · Ctrl+C/Ctrl+V blocks "
    "from Excel/WPS": "直接输入即替换 · F2 编辑 · 回车/Tab 移动 · Delete 清除 · / 为不适用 · Ctrl+C/Ctrl+V 与 "
                      "Excel/WPS 互相复制",
    "✖ error (solid frame) · ! warning (dashed frame) · dotted frame: not filled in · blue corner ？: imported "
    "value to check · grey: total filled in automatically":
        "✖ 错误（实线框）· ! 提醒（虚线框）· 点线框：未填写 · 蓝色角标 ？：导入数值待核对 · 灰底：自动合计",
    "%1 empty cells set to 0.": "已将 %1 个空白单元格填为 0。",
    "No empty cells in this table.": "本表没有空白单元格。",
    "Check and export": "检查与导出",
    "The report still has %1 errors and %2 warnings. Correct the errors before the report is signed off.":
        "报告还有 %1 处错误、%2 处提醒。签发前必须改正错误。",
    "No errors. %1 warnings: check each one; they "
    "may be right.": "没有错误。有 %1 处提醒：请逐条核实，它们可能是对的。",
    "< &Back": "< 上一步(&B)",
    "&Next >": "下一步(&N) >",
    "%1 errors, %2 warnings on this page": "本页错误 %1 处，提醒 %2 处",
    # undo a clerk can follow
    "Paste": "粘贴",
    "Nothing to redo.": "没有可以重做的操作。",
    "Nothing to undo.": "没有可以撤销的操作。",
    "Redone: %1": "已重做：%1",
    "Undone: %1": "已撤销：%1",
    "&Undo %1": "撤销(&U) %1",
    "&Redo %1": "重做(&R) %1",
    "typing": "输入",
    # paste over computed totals
    "Totals are filled in automatically; not pasted: %1.": "合计由程序自动计算，以下数值未粘贴：%1。",
    "The pasted total %1 of %2 does not agree with the sum of its parts (%3); check the figures.":
        "粘贴的%2为 %1，与各项之和（%3）不符，请核对数据。",
    # page list
    "Cover": "封面",
    "Check": "检查",
    "Show the page titles": "显示各页标题",
    "Collapse the page list to short names and counts": "页面列表只显示简称和错误数",
    # saving safely, two windows on one file
    "Replace the file?": "替换文件？",
    "“%1” already exists. Replace it?": "“%1”已存在。要替换它吗？",
    "The file was changed elsewhere": "文件已在别处被修改",
    "“%1” was changed on disk (by another window or program) after it was opened here. Saving now would replace "
    "those changes.": "“%1”在这里打开之后，已在磁盘上被修改（另一个窗口或程序）。现在保存会覆盖那些修改。",
    "&Reload (discard my changes)": "重新载入（放弃我的修改）(&R)",
    "&Overwrite": "覆盖(&O)",
    # one writer per file: read-only windows; recovery offered when a file is opened
    "Open &read-only": "只读打开(&R)",
    "&Switch to that window": "切换到那个窗口(&S)",
    " (read-only)": "（只读）",
    "Careful: the file itself was saved later, at %3.": "注意：文件本身在 %3 又保存过，比恢复副本更新。",
    "Opened read-only: another window is editing this file. Save as keeps your changes in another file.":
        "已只读打开：另一个窗口正在编辑此文件。要保留这里的修改，请“另存为”其他文件。",
    "“%1” has changes from %2 that were never saved: the window editing it ended without closing normally. Restore "
    "them from the recovery copy?": "“%1”有 %2 的修改没有保存：编辑它的窗口没有正常关闭。"
                                    "要从恢复副本中恢复这些修改吗？",
    "The recovery copy could not be written: %1": "无法写入恢复副本：%1",
    "The recovery copy could not be written either: %1": "恢复副本也无法写入：%1",
    "The report is already open": "报告已经打开",
    "“%1” is already open in another window of the annual report assistant (process %2 on %3). If both windows "
    "save, the changes of one are lost. Open it here anyway?":
        "“%1”已在年报助手的另一个窗口中打开（%3 上的进程 %2）。两个窗口都保存时，其中一个的修改会丢失。"
        "仍要在这里打开吗？",
    # the clerk's screen
    "Exported": "已导出",
    "The document was written:\n%1": "文档已写入：\n%1",
    "&Open the document": "打开文档(&O)",
    "Open the &folder": "打开所在文件夹(&F)",
    "the unsaved report “%1”": "未保存的报告“%1”",
    "Last year's report is attached (%1), but it is not of the year before this report's, so the cross-year checks "
    "do not use it (see the findings).":
        "已附上年报告（%1），但它不是本报告上一年度的，跨年度核对未使用它（见检查结果）。",
    "Of these, %1 say that something is not filled in yet.": "其中 %1 项是尚未填写的内容。",
    "Not filled in": "未填",
    "Errors: %1 · Warnings: %2": "错误 %1 处 · 提醒 %2 处",
    "Not filled in: %1": "未填 %1 项",
    " — click a line to go to the cells.": " — 单击一行即可转到相应单元格。",
    "Not filled in %1": "未填 %1",
    "%1 totals not pasted: they are filled in automatically.": "%1 个合计未粘贴：合计由程序自动计算。",
    "%1 more pasted totals disagree.": "另有 %1 个粘贴的合计与各项之和不符。",
    "The pasted total %1 here differs from the sum (%2).": "此处粘贴的合计 %1 与各项之和（%2）不符。",
    "&Copy": "复制(&C)",
    "&Paste": "粘贴(&P)",
    "C&lear": "清除(&L)",
    "Mark &not applicable (/)": "标为不适用(&N)（/）",
    "&Export Word document…": "导出 Word 文档(&E)…",
    "Export P&DF…": "导出 PDF(&D)…",
    "In the findings below the page, a click goes to the cells. ✖ errors must be corrected before sign-off; "
    "! warnings may be right (check each); ○ marks what is not filled in yet.":
        "单击页面下方检查结果中的一行即可转到相应单元格。✖ 错误签发前必须改正；! 提醒可能是对的（请逐条核实）；"
        "○ 表示尚未填写。",
    "The date may be typed as 2025-01-20 or 2025年1月20日, or picked from the calendar.":
        "成文日期可以写作 2025-01-20 或 2025年1月20日，也可以从日历中选择。",
    "The buttons beside the text insert these sub-headings at the cursor.": "文字右侧的按钮可在光标处插入这些小标题。",
    "Numbers written in the text are compared with the tables; a difference is listed as a warning.":
        "正文中写到的数字会与表格核对，不一致的列为提醒。",
    "Type the figures of the year; a blank cell is not 0: use “Fill blanks with 0” when nothing happened, / when "
    "a row does not apply. Totals (grey) are filled in automatically; the checks run as you type.":
        "填写本年度的数字；空白不等于 0：没有发生的用“空白填 0”，不适用的填 /。合计（灰底）由程序自动计算；"
        "输入时即时检查。",
    "Table keys: type a number to replace the cell, F2 to edit it, Enter moves down (after Tab across a row: to "
    "the next row's first column), Tab moves right, Delete clears. Ctrl+C / Ctrl+V copy and paste blocks to and "
    "from Excel or WPS; a block with a bad value is refused as a whole. The right mouse button opens a menu. "
    "Ctrl+Z undoes, Ctrl+Y redoes.":
        "表格按键：直接输入数字即替换单元格，F2 编辑，回车下移（用 Tab 横向填完一行后回车：转到下一行的起始列），"
        "Tab 右移，Delete 清除。Ctrl+C / Ctrl+V 与 Excel 或 WPS 互相复制粘贴整块数据；含有错误数值的整块不予粘贴。"
        "单击鼠标右键打开菜单。Ctrl+Z 撤销，Ctrl+Y 重做。",
    "Export the Word document for sign-off with the button below or File › Export (Ctrl+E); PDF and Excel are "
    "there too.": "用下方按钮或“文件 › 导出”（Ctrl+E）导出供签发的 Word 文档；也可导出 PDF 和 Excel。",
    "Type to replace · F2 edit · Enter/Tab move · Delete clears · / = not applicable · Ctrl+C/Ctrl+V blocks "
    "from Excel/WPS · right-click for a menu · F1 help":
        "直接输入即替换 · F2 编辑 · 回车/Tab 移动 · Delete 清除 · / 为不适用 · Ctrl+C/Ctrl+V 与 Excel/WPS 互相复制 · "
        "右键菜单 · F1 帮助",
    "%1 items are not filled in yet (listed below; blank cells have a dotted frame). ":
        "还有 %1 项尚未填写（列在下面；空白单元格为点线框）。",
    "Next page (Ctrl+PgDown)": "下一页（Ctrl+PgDown）",
    "Previous page (Ctrl+PgUp)": "上一页（Ctrl+PgUp）",
    "Reading “%1”…": "正在读取“%1”…",
    "Opening a report": "打开报告",
    "Cancel": "取消",
    # Settings › Rule pack (ui/rulepack_menu.py)
    "&Settings": "设置(&S)",
    "Choose a local &rule pack…": "选择本地规则包(&R)…",
    "&No rule pack": "不使用规则包(&N)",
    "The rule pack was not used: %1": "未使用规则包：%1",
    "Choose a local rule pack": "选择本地规则包",
    "Rule packs (*.json)": "规则包 (*.json)",
    "Rule pack": "规则包",
    "Checking with the rule pack “%1”.": "检查时使用规则包“%1”。",
    "Checking without a rule pack.": "检查时不使用规则包。",
    "Rule pack: %1": "规则包：%1",
    "Rule pack: none": "规则包：未使用",
    # grid entry, 从上年报告新建, read-only files, recovery of another report
    "Pasted %1 values.": "已粘贴 %1 个数值。",
    "Row labels left out (only numbers are pasted): %1.": "已略去行标签（只粘贴数字）：%1。",
    "This total is filled in automatically from the cells it adds up; type those instead (Tab passes over totals).":
        "合计由程序根据各项自动计算，不能直接输入；请填写各项的数字（按 Tab 键会跳过合计）。",
    "its organ and year were not recognised": "未识别出机关名称和年度",
    "the organ": "机关名称",
    "the year": "年度",
    " and ": "和",
    "Last year's report was not fully read": "上年报告未能完整读取",
    "%1 could not be read from “%2”; fill them in on the cover page. What the reading left out is listed there.":
        "未能从“%2”中读出%1，请在封面页填写。读取时略去的内容也列在封面页上。",
    "Totals corrected": "合计已更正",
    "Opened read-only": "已只读打开",
    " It is opened read-only: you can read and edit it, and Save as keeps your changes in another file.":
        "现以只读方式打开：可以查看和修改，用“另存为”把修改保存到其他文件。",
    "The program was not closed normally last time. A recovery copy of %1 from %2 was found; it is another report, "
    "not the one open here.": "上次程序没有正常关闭。找到了%1的恢复副本（%2）；它是另一份报告，不是这里打开的这份。",
    "&Restore it": "恢复那份报告(&R)",
    "the unsaved report": "未保存的报告",
    "Restore another report?": "恢复另一份报告？",
    "Restoring “%1” closes the report open here (“%2”) and shows the recovered one instead. Restore it?":
        "恢复“%1”会关闭这里打开的报告（“%2”），改为显示恢复的报告。要恢复吗？",
}


def main(ts_path: Path) -> int:
    tree = ET.parse(ts_path)
    missing = []
    for msg in tree.iter("message"):
        src = msg.find("source").text or ""
        tr = msg.find("translation")
        if src in ZH:
            tr.text = ZH[src]
            tr.attrib.pop("type", None)
        else:
            missing.append(src)
    tree.getroot().set("language", "zh_CN")
    tree.write(ts_path, encoding="utf-8", xml_declaration=True)
    for m in missing:
        print("untranslated:", m)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(Path(__file__).with_name("nianbao_zh_CN.ts")))
