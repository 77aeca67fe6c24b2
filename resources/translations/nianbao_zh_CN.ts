<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name />
    <message>
        <source>Export &amp;Word…</source>
        <translation>导出 Word(&amp;W)…</translation>
    </message>
    <message>
        <source>Export &amp;PDF…</source>
        <translation>导出 PDF(&amp;P)…</translation>
    </message>
    <message>
        <source>Export E&amp;xcel…</source>
        <translation>导出 Excel(&amp;X)…</translation>
    </message>
    <message>
        <source>The report still has %1 errors (listed on this page).</source>
        <translation>报告还有 %1 处错误（已列在本页）。</translation>
    </message>
    <message>
        <source>The report has errors</source>
        <translation>报告还有错误</translation>
    </message>
    <message>
        <source>Of these, %1 say that something is not filled in yet.</source>
        <translation>其中 %1 项是尚未填写的内容。</translation>
    </message>
    <message>
        <source>A document with errors must not be signed off. Export anyway, e.g. as a draft for discussion?</source>
        <translation>有错误的报告不能签发。仍要导出（例如作为讨论稿）吗？</translation>
    </message>
    <message>
        <source>report</source>
        <translation>年报</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <source>Exported</source>
        <translation>已导出</translation>
    </message>
    <message>
        <source>The document was written:
%1</source>
        <translation>文档已写入：
%1</translation>
    </message>
    <message>
        <source>&amp;Open the document</source>
        <translation>打开文档(&amp;O)</translation>
    </message>
    <message>
        <source>Open the &amp;folder</source>
        <translation>打开所在文件夹(&amp;F)</translation>
    </message>
    <message>
        <source>Organ</source>
        <translation>机关名称</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>报告年度</translation>
    </message>
    <message>
        <source>Date of issue</source>
        <translation>成文日期</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <source> and %1 more</source>
        <translation> 等另外 %1 处</translation>
    </message>
    <message>
        <source>Errors: %1 · Warnings: %2</source>
        <translation>错误 %1 处 · 提醒 %2 处</translation>
    </message>
    <message>
        <source>Not filled in: %1</source>
        <translation>未填 %1 项</translation>
    </message>
    <message>
        <source> — click a line to go to the cells.</source>
        <translation> — 单击一行即可转到相应单元格。</translation>
    </message>
    <message>
        <source>Not filled in %1</source>
        <translation>未填 %1</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Page</source>
        <translation>页面</translation>
    </message>
    <message>
        <source>Cells</source>
        <translation>单元格</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>No errors and no warnings.</source>
        <translation>没有错误，也没有提醒。</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Not filled in</source>
        <translation>未填</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>Fix</source>
        <translation>修正</translation>
    </message>
    <message>
        <source>Set %1</source>
        <translation>设为 %1</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <source>Pasted %1 values.</source>
        <translation>已粘贴 %1 个数值。</translation>
    </message>
    <message>
        <source>Row labels left out (only numbers are pasted): %1.</source>
        <translation>已略去行标签（只粘贴数字）：%1。</translation>
    </message>
    <message>
        <source>Totals are filled in automatically; not pasted: %1.</source>
        <translation>合计由程序自动计算，以下数值未粘贴：%1。</translation>
    </message>
    <message>
        <source>%1 totals not pasted: they are filled in automatically.</source>
        <translation>%1 个合计未粘贴：合计由程序自动计算。</translation>
    </message>
    <message>
        <source>The pasted total %1 of %2 does not agree with the sum of its parts (%3); check the figures.</source>
        <translation>粘贴的%2为 %1，与各项之和（%3）不符，请核对数据。</translation>
    </message>
    <message>
        <source>%1 more pasted totals disagree.</source>
        <translation>另有 %1 个粘贴的合计与各项之和不符。</translation>
    </message>
    <message>
        <source>The pasted total %1 here differs from the sum (%2).</source>
        <translation>此处粘贴的合计 %1 与各项之和（%2）不符。</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Mark not applicable</source>
        <translation>标为不适用</translation>
    </message>
    <message>
        <source>This total is filled in automatically from the cells it adds up; type those instead (Tab passes over totals).</source>
        <translation>合计由程序根据各项自动计算，不能直接输入；请填写各项的数字（按 Tab 键会跳过合计）。</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>清除(&amp;L)</translation>
    </message>
    <message>
        <source>Mark &amp;not applicable (/)</source>
        <translation>标为不适用(&amp;N)（/）</translation>
    </message>
    <message>
        <source>Government information disclosure annual report</source>
        <translation>政府信息公开工作年度报告</translation>
    </message>
    <message>
        <source>Write the annual report part by part; the tables check themselves as you type.</source>
        <translation>按部分逐页填写年度报告；表格在输入时即自动核对勾稽关系。</translation>
    </message>
    <message>
        <source>&amp;New report</source>
        <translation>新建报告(&amp;N)</translation>
    </message>
    <message>
        <source>Start from a blank report and fill it in part by part.</source>
        <translation>从空白报告开始，按六个部分逐页填写。</translation>
    </message>
    <message>
        <source>&amp;Open a report…</source>
        <translation>打开报告(&amp;O)…</translation>
    </message>
    <message>
        <source>New from &amp;last year's report…</source>
        <translation>从上年报告新建(&amp;L)…</translation>
    </message>
    <message>
        <source>Organ, year and the requests carried over are filled in; last year's figures are used for the checks.</source>
        <translation>自动填好机关名称、年度和上年结转的申请数；上年数据用于跨年度核对。</translation>
    </message>
    <message>
        <source>Open the &amp;sample report</source>
        <translation>打开示例报告(&amp;S)</translation>
    </message>
    <message>
        <source>A completed report to look at and try things on.</source>
        <translation>一份填好的报告，可以看看，也可以随意试用。</translation>
    </message>
    <message>
        <source>No report has been opened yet.</source>
        <translation>还没有打开过报告。</translation>
    </message>
    <message>
        <source>Recent files (Enter or double-click to open):</source>
        <translation>最近的文件（按回车或双击打开）：</translation>
    </message>
    <message>
        <source>Open a report file (.nianbao), or import a published report: Word, web page, text, Excel or PDF.</source>
        <translation>打开报告文件（.nianbao），或导入已发布的报告：Word、网页、文本、Excel 或 PDF。</translation>
    </message>
    <message>
        <source>You can also drop a report file (.nianbao, Word, web page, text, Excel, PDF) on this window.</source>
        <translation>也可以把报告文件（.nianbao、Word、网页、文本、Excel、PDF）拖到本窗口中打开。</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>恢复(&amp;R)</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>the unsaved report “%1”</source>
        <translation>未保存的报告“%1”</translation>
    </message>
    <message>
        <source>an unsaved report</source>
        <translation>未保存的报告</translation>
    </message>
    <message>
        <source>“%1” has changes from %2 that were never saved: the window editing it ended without closing normally. Restore them from the recovery copy?</source>
        <translation>“%1”有 %2 的修改没有保存：编辑它的窗口没有正常关闭。要从恢复副本中恢复这些修改吗？</translation>
    </message>
    <message>
        <source>Careful: the file itself was saved later, at %3.</source>
        <translation>注意：文件本身在 %3 又保存过，比恢复副本更新。</translation>
    </message>
    <message>
        <source>The program was not closed normally last time. A recovery copy of %1 from %2 was found; it is another report, not the one open here.</source>
        <translation>上次程序没有正常关闭。找到了%1的恢复副本（%2）；它是另一份报告，不是这里打开的这份。</translation>
    </message>
    <message>
        <source>The program was not closed normally last time. A recovery copy of %1 from %2 was found.</source>
        <translation>上次程序没有正常关闭。找到了%1的恢复副本（%2）。</translation>
    </message>
    <message>
        <source>&amp;Restore it</source>
        <translation>恢复那份报告(&amp;R)</translation>
    </message>
    <message>
        <source>the unsaved report</source>
        <translation>未保存的报告</translation>
    </message>
    <message>
        <source>Restore another report?</source>
        <translation>恢复另一份报告？</translation>
    </message>
    <message>
        <source>Restoring “%1” closes the report open here (“%2”) and shows the recovered one instead. Restore it?</source>
        <translation>恢复“%1”会关闭这里打开的报告（“%2”），改为显示恢复的报告。要恢复吗？</translation>
    </message>
    <message>
        <source>Annual report assistant</source>
        <translation>年报助手</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>检查结果</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open / import…</source>
        <translation>打开 / 导入(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Recent files</source>
        <translation>最近的文件(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;as…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Fill blanks of this table with &amp;0</source>
        <translation>本表空白填 &amp;0</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Next page</source>
        <translation>下一页(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Previous page</source>
        <translation>上一页(&amp;P)</translation>
    </message>
    <message>
        <source>Next pane: page list, page, findings</source>
        <translation>切换区域：页面列表、当前页、检查结果</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Help on this &amp;page</source>
        <translation>本页帮助(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Export Word document…</source>
        <translation>导出 Word 文档(&amp;E)…</translation>
    </message>
    <message>
        <source>Export P&amp;DF…</source>
        <translation>导出 PDF(&amp;D)…</translation>
    </message>
    <message>
        <source>Nothing to redo.</source>
        <translation>没有可以重做的操作。</translation>
    </message>
    <message>
        <source>Nothing to undo.</source>
        <translation>没有可以撤销的操作。</translation>
    </message>
    <message>
        <source>Redone: %1</source>
        <translation>已重做：%1</translation>
    </message>
    <message>
        <source>Undone: %1</source>
        <translation>已撤销：%1</translation>
    </message>
    <message>
        <source>&amp;Undo %1</source>
        <translation>撤销(&amp;U) %1</translation>
    </message>
    <message>
        <source>&amp;Redo %1</source>
        <translation>重做(&amp;R) %1</translation>
    </message>
    <message>
        <source>typing</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Errors %1 · Warnings %2</source>
        <translation>错误 %1 · 提醒 %2</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source> (read-only)</source>
        <translation>（只读）</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>尚未保存</translation>
    </message>
    <message>
        <source>The report has changes that are not saved. Save them?</source>
        <translation>报告有尚未保存的修改。要保存吗？</translation>
    </message>
    <message>
        <source>Reports (%1)</source>
        <translation>报告文件 (%1)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Open a report</source>
        <translation>打开报告</translation>
    </message>
    <message>
        <source>Cannot open the file</source>
        <translation>无法打开文件</translation>
    </message>
    <message>
        <source>Totals corrected</source>
        <translation>合计已更正</translation>
    </message>
    <message>
        <source>Opened read-only</source>
        <translation>已只读打开</translation>
    </message>
    <message>
        <source> It is opened read-only: you can read and edit it, and Save as keeps your changes in another file.</source>
        <translation>现以只读方式打开：可以查看和修改，用“另存为”把修改保存到其他文件。</translation>
    </message>
    <message>
        <source>Opened read-only: another window is editing this file. Save as keeps your changes in another file.</source>
        <translation>已只读打开：另一个窗口正在编辑此文件。要保留这里的修改，请“另存为”其他文件。</translation>
    </message>
    <message>
        <source>Opened %1 as a new report; saving asks where to put it.</source>
        <translation>已将 %1 作为新报告打开；保存时会询问保存位置。</translation>
    </message>
    <message>
        <source>Open last year's report</source>
        <translation>打开上年报告</translation>
    </message>
    <message>
        <source>the organ</source>
        <translation>机关名称</translation>
    </message>
    <message>
        <source>the year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Last year's report was not fully read</source>
        <translation>上年报告未能完整读取</translation>
    </message>
    <message>
        <source>%1 could not be read from “%2”; fill them in on the cover page. What the reading left out is listed there.</source>
        <translation>未能从“%2”中读出%1，请在封面页填写。读取时略去的内容也列在封面页上。</translation>
    </message>
    <message>
        <source> and </source>
        <translation>和</translation>
    </message>
    <message>
        <source>Cannot restore</source>
        <translation>无法恢复</translation>
    </message>
    <message>
        <source>Recovered report restored. Save it to keep it.</source>
        <translation>已恢复报告。请保存以保留。</translation>
    </message>
    <message>
        <source>Save the report</source>
        <translation>保存报告</translation>
    </message>
    <message>
        <source>Report project (*.nianbao)</source>
        <translation>年报项目 (*.nianbao)</translation>
    </message>
    <message>
        <source>Replace the file?</source>
        <translation>替换文件？</translation>
    </message>
    <message>
        <source>“%1” already exists. Replace it?</source>
        <translation>“%1”已存在。要替换它吗？</translation>
    </message>
    <message>
        <source>The file was changed elsewhere</source>
        <translation>文件已在别处被修改</translation>
    </message>
    <message>
        <source>“%1” was changed on disk (by another window or program) after it was opened here. Saving now would replace those changes.</source>
        <translation>“%1”在这里打开之后，已在磁盘上被修改（另一个窗口或程序）。现在保存会覆盖那些修改。</translation>
    </message>
    <message>
        <source>&amp;Reload (discard my changes)</source>
        <translation>重新载入（放弃我的修改）(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Overwrite</source>
        <translation>覆盖(&amp;O)</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>无法保存</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>已保存到 %1</translation>
    </message>
    <message>
        <source>The recovery copy could not be written: %1</source>
        <translation>无法写入恢复副本：%1</translation>
    </message>
    <message>
        <source>The recovery copy could not be written either: %1</source>
        <translation>恢复副本也无法写入：%1</translation>
    </message>
    <message>
        <source>The report is already open</source>
        <translation>报告已经打开</translation>
    </message>
    <message>
        <source>Open &amp;read-only</source>
        <translation>只读打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Switch to that window</source>
        <translation>切换到那个窗口(&amp;S)</translation>
    </message>
    <message>
        <source>Go to a table page first (二, 三 or 四).</source>
        <translation>请先转到表格页（二、三或四）。</translation>
    </message>
    <message>
        <source>Keyboard: Ctrl+PgDown / Ctrl+PgUp go to the next / previous page; F6 moves between the page list, the page and the findings; Alt with an underlined letter presses that button.</source>
        <translation>键盘：Ctrl+PgDown / Ctrl+PgUp 转到下一页 / 上一页；F6 在页面列表、当前页和检查结果之间切换；Alt 加带下划线的字母即按下相应按钮。</translation>
    </message>
    <message>
        <source>Start a new report, open one, or start from last year's report. Files of these kinds can be opened or dropped on the window: %1</source>
        <translation>新建报告、打开报告，或从上年报告开始。以下类型的文件可以打开，也可以拖到窗口上：%1</translation>
    </message>
    <message>
        <source>In the findings below the page, a click goes to the cells. ✖ errors must be corrected before sign-off; ! warnings may be right (check each); ○ marks what is not filled in yet.</source>
        <translation>单击页面下方检查结果中的一行即可转到相应单元格。✖ 错误签发前必须改正；! 提醒可能是对的（请逐条核实）；○ 表示尚未填写。</translation>
    </message>
    <message>
        <source>Fill in the organ, the report year (the statistics year) and the date of issue. The title of the report is made from them.</source>
        <translation>填写机关名称、报告年度（统计年度）和成文日期。报告标题由此生成。</translation>
    </message>
    <message>
        <source>The date may be typed as 2025-01-20 or 2025年1月20日, or picked from the calendar.</source>
        <translation>成文日期可以写作 2025-01-20 或 2025年1月20日，也可以从日历中选择。</translation>
    </message>
    <message>
        <source>The buttons beside the text insert these sub-headings at the cursor.</source>
        <translation>文字右侧的按钮可在光标处插入这些小标题。</translation>
    </message>
    <message>
        <source>Numbers written in the text are compared with the tables; a difference is listed as a warning.</source>
        <translation>正文中写到的数字会与表格核对，不一致的列为提醒。</translation>
    </message>
    <message>
        <source>Type the figures of the year; a blank cell is not 0: use “Fill blanks with 0” when nothing happened, / when a row does not apply. Totals (grey) are filled in automatically; the checks run as you type.</source>
        <translation>填写本年度的数字；空白不等于 0：没有发生的用“空白填 0”，不适用的填 /。合计（灰底）由程序自动计算；输入时即时检查。</translation>
    </message>
    <message>
        <source>Table keys: type a number to replace the cell, F2 to edit it, Enter moves down (after Tab across a row: to the next row's first column), Tab moves right, Delete clears. Ctrl+C / Ctrl+V copy and paste blocks to and from Excel or WPS; a block with a bad value is refused as a whole. The right mouse button opens a menu. Ctrl+Z undoes, Ctrl+Y redoes.</source>
        <translation>表格按键：直接输入数字即替换单元格，F2 编辑，回车下移（用 Tab 横向填完一行后回车：转到下一行的起始列），Tab 右移，Delete 清除。Ctrl+C / Ctrl+V 与 Excel 或 WPS 互相复制粘贴整块数据；含有错误数值的整块不予粘贴。单击鼠标右键打开菜单。Ctrl+Z 撤销，Ctrl+Y 重做。</translation>
    </message>
    <message>
        <source>Every finding of the checks is listed here. Click one to go to its cells; “Fix” applies the obvious correction. Errors must be corrected before sign-off; warnings may be right.</source>
        <translation>这里列出检查发现的全部问题。单击一条即转到相应单元格；“修正”按钮执行显而易见的改正。错误必须在签发前改正；提醒由您判断。</translation>
    </message>
    <message>
        <source>Export the Word document for sign-off with the button below or File › Export (Ctrl+E); PDF and Excel are there too.</source>
        <translation>用下方按钮或“文件 › 导出”（Ctrl+E）导出供签发的 Word 文档；也可导出 PDF 和 Excel。</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>帮助</translation>
    </message>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <source>Annual report assistant %1. Works offline; never uses the network.</source>
        <translation>年报助手 %1。离线使用，从不联网。</translation>
    </message>
    <message>
        <source>Opening paragraph</source>
        <translation>开头段落</translation>
    </message>
    <message>
        <source>Fill blanks with 0</source>
        <translation>空白填 0</translation>
    </message>
    <message>
        <source>Edit cover</source>
        <translation>修改封面信息</translation>
    </message>
    <message>
        <source>Filled in automatically: the sum of its parts.</source>
        <translation>自动计算：各组成部分之和。</translation>
    </message>
    <message>
        <source>Imported value to check: %1</source>
        <translation>导入的数值需要核对：%1</translation>
    </message>
    <message>
        <source>Source: %1</source>
        <translation>来源：%1</translation>
    </message>
    <message>
        <source>The clipboard holds nothing to paste.</source>
        <translation>剪贴板中没有可粘贴的内容。</translation>
    </message>
    <message>
        <source>The pasted block (%1 rows × %2 columns) does not fit in the table here; nothing was pasted.</source>
        <translation>要粘贴的数据（%1 行 × %2 列）从这里放不进表格，未粘贴任何内容。</translation>
    </message>
    <message>
        <source>The pasted block would cover the label “%1”; nothing was pasted. Select the top-left value cell of the block first.</source>
        <translation>要粘贴的数据会覆盖表头“%1”，未粘贴任何内容。请先选中这块数据左上角对应的数值单元格。</translation>
    </message>
    <message>
        <source> Nothing was pasted.</source>
        <translation>未粘贴任何内容。</translation>
    </message>
    <message>
        <source>e.g. 示例市民政局</source>
        <translation>例如：示例市民政局</translation>
    </message>
    <message>
        <source>e.g. 2024</source>
        <translation>例如 2024</translation>
    </message>
    <message>
        <source>e.g. 2025-01-20 or 2025年1月20日</source>
        <translation>例如 2025-01-20 或 2025年1月20日</translation>
    </message>
    <message>
        <source>Calendar…</source>
        <translation>日历…</translation>
    </message>
    <message>
        <source>Pick the date of issue from a calendar</source>
        <translation>从日历中选择成文日期</translation>
    </message>
    <message>
        <source>address, postcode, telephone, e-mail (optional)</source>
        <translation>地址、邮编、电话、邮箱（可选）</translation>
    </message>
    <message>
        <source>&amp;Organ:</source>
        <translation>机关名称(&amp;O)：</translation>
    </message>
    <message>
        <source>Report &amp;year:</source>
        <translation>报告年度(&amp;Y)：</translation>
    </message>
    <message>
        <source>&amp;Date of issue:</source>
        <translation>成文日期(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Contact:</source>
        <translation>联系方式(&amp;C)：</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>报告标题：</translation>
    </message>
    <message>
        <source>Openin&amp;g:</source>
        <translation>开头段落(&amp;G)：</translation>
    </message>
    <message>
        <source>Cover information</source>
        <translation>封面信息</translation>
    </message>
    <message>
        <source>The office's own opening, printed as written.</source>
        <translation>本机关自己写的开头段落，按原样印出。</translation>
    </message>
    <message>
        <source>The format's standard opening; it follows the organ and year. Edit it to write your own.</source>
        <translation>格式规定的标准开头段落，随机关名称和年度自动变化；可以直接修改成本机关自己的写法。</translation>
    </message>
    <message>
        <source>Report year: “%1” is not a year from %2 to %3; the previous value (%4) is kept.</source>
        <translation>报告年度：“%1”不是 %2 至 %3 之间的年份，仍保留原值（%4）。</translation>
    </message>
    <message>
        <source>blank</source>
        <translation>空</translation>
    </message>
    <message>
        <source>Date of issue: “%1” is not a valid date (write e.g. 2025-01-20 or 2025年1月20日); the previous value (%2) is kept.</source>
        <translation>成文日期：“%1”不是有效日期（请写作如 2025-01-20 或 2025年1月20日），仍保留原值（%2）。</translation>
    </message>
    <message>
        <source>(fill in organ and year)</source>
        <translation>（请填写机关名称和报告年度）</translation>
    </message>
    <message>
        <source>Imported from last year's report: %1</source>
        <translation>已从上年报告导入：%1</translation>
    </message>
    <message>
        <source>nothing left out.</source>
        <translation>全文均已归位，没有略去任何文字。</translation>
    </message>
    <message>
        <source>its organ and year were not recognised</source>
        <translation>未识别出机关名称和年度</translation>
    </message>
    <message>
        <source>Last year's report is attached (%1); it is used for the cross-year checks.</source>
        <translation>已附上年报告（%1），用于跨年度核对。</translation>
    </message>
    <message>
        <source>Last year's report is attached (%1), but it is not of the year before this report's, so the cross-year checks do not use it (see the findings).</source>
        <translation>已附上年报告（%1），但它不是本报告上一年度的，跨年度核对未使用它（见检查结果）。</translation>
    </message>
    <message>
        <source>What this part must cover</source>
        <translation>本部分应当写明</translation>
    </message>
    <message>
        <source>Insert a heading at the cursor:</source>
        <translation>在光标处插入小标题：</translation>
    </message>
    <message>
        <source>Insert “%1” as a new line at the cursor</source>
        <translation>在光标处另起一行插入“%1”</translation>
    </message>
    <message>
        <source>Characters: %1</source>
        <translation>字数：%1</translation>
    </message>
    <message>
        <source>Fill blanks with &amp;0</source>
        <translation>空白填 &amp;0</translation>
    </message>
    <message>
        <source>Every empty input cell of this table becomes 0 (one undo step).</source>
        <translation>本表每个空白的填写单元格都填 0（可一步撤销）。</translation>
    </message>
    <message>
        <source>✖ error (solid frame) · ! warning (dashed frame) · dotted frame: not filled in · blue corner ？: imported value to check · grey: total filled in automatically</source>
        <translation>✖ 错误（实线框）· ! 提醒（虚线框）· 点线框：未填写 · 蓝色角标 ？：导入数值待核对 · 灰底：自动合计</translation>
    </message>
    <message>
        <source>Type to replace · F2 edit · Enter/Tab move · Delete clears · / = not applicable · Ctrl+C/Ctrl+V blocks from Excel/WPS · right-click for a menu · F1 help</source>
        <translation>直接输入即替换 · F2 编辑 · 回车/Tab 移动 · Delete 清除 · / 为不适用 · Ctrl+C/Ctrl+V 与 Excel/WPS 互相复制 · 右键菜单 · F1 帮助</translation>
    </message>
    <message>
        <source>%1 empty cells set to 0.</source>
        <translation>已将 %1 个空白单元格填为 0。</translation>
    </message>
    <message>
        <source>No empty cells in this table.</source>
        <translation>本表没有空白单元格。</translation>
    </message>
    <message>
        <source>Check and export</source>
        <translation>检查与导出</translation>
    </message>
    <message>
        <source>%1 items are not filled in yet (listed below; blank cells have a dotted frame). </source>
        <translation>还有 %1 项尚未填写（列在下面；空白单元格为点线框）。</translation>
    </message>
    <message>
        <source>The report still has %1 errors and %2 warnings. Correct the errors before the report is signed off.</source>
        <translation>报告还有 %1 处错误、%2 处提醒。签发前必须改正错误。</translation>
    </message>
    <message>
        <source>No errors. %1 warnings: check each one; they may be right.</source>
        <translation>没有错误。有 %1 处提醒：请逐条核实，它们可能是对的。</translation>
    </message>
    <message>
        <source>Cover</source>
        <translation>封面</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>&lt; &amp;Back</source>
        <translation>&lt; 上一步(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation>下一步(&amp;N) &gt;</translation>
    </message>
    <message>
        <source>Previous page (Ctrl+PgUp)</source>
        <translation>上一页（Ctrl+PgUp）</translation>
    </message>
    <message>
        <source>Next page (Ctrl+PgDown)</source>
        <translation>下一页（Ctrl+PgDown）</translation>
    </message>
    <message>
        <source>Show the page titles</source>
        <translation>显示各页标题</translation>
    </message>
    <message>
        <source>Collapse the page list to short names and counts</source>
        <translation>页面列表只显示简称和错误数</translation>
    </message>
    <message>
        <source>%1 errors, %2 warnings on this page</source>
        <translation>本页错误 %1 处，提醒 %2 处</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>Choose a local &amp;rule pack…</source>
        <translation>选择本地规则包(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;No rule pack</source>
        <translation>不使用规则包(&amp;N)</translation>
    </message>
    <message>
        <source>The rule pack was not used: %1</source>
        <translation>未使用规则包：%1</translation>
    </message>
    <message>
        <source>Choose a local rule pack</source>
        <translation>选择本地规则包</translation>
    </message>
    <message>
        <source>Rule packs (*.json)</source>
        <translation>规则包 (*.json)</translation>
    </message>
    <message>
        <source>Rule pack</source>
        <translation>规则包</translation>
    </message>
    <message>
        <source>Checking with the rule pack “%1”.</source>
        <translation>检查时使用规则包“%1”。</translation>
    </message>
    <message>
        <source>Checking without a rule pack.</source>
        <translation>检查时不使用规则包。</translation>
    </message>
    <message>
        <source>Rule pack: %1</source>
        <translation>规则包：%1</translation>
    </message>
    <message>
        <source>Rule pack: none</source>
        <translation>规则包：未使用</translation>
    </message>
    <message>
        <source>Reading “%1”…</source>
        <translation>正在读取“%1”…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Opening a report</source>
        <translation>打开报告</translation>
    </message>
</context>
</TS>