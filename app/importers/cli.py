"""``nianbao import PATH -o OUT.nianbao``: import a published report (DOCX, HTML, text, XLSX, PDF) into a project file.

Exit status as for ``check``: 0 imported and no errors, 1 imported but the report has errors (the file is
still written: the clerk fixes them in the program), 2 the input could not be read (nothing is written).
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..cli import Parser, clean, clean_lines, os_reason, subcommand


@subcommand("import", "把已发布的年报（Word、网页、文字、Excel、PDF）导入为年报助手项目文件（.nianbao）")
def cmd_import(argv) -> int:
    from ..documents import OpenError, open_report
    from ..project import ProjectError, SUFFIX, save
    from ..rules import ERROR, check, counts

    from ..documents import supported_suffixes
    kinds = "、".join(s for s in supported_suffixes() if s not in (SUFFIX, ".json"))
    ap = Parser(prog="nianbao import",
                description="导入已发布的年报（Word、网页、文字、Excel、带文字层的 PDF），保存为年报助手项目文件。",
                epilog="退出码：0 已写入，报告没有错误；1 已写入，但报告有错误（在年报助手中改正）；"
                       "2 无法读取或无法写入（什么也没写）。")
    ap.add_argument("path", metavar="文件", help=f"要导入的文件（{kinds}）")
    ap.add_argument("-o", "--output", metavar="输出.nianbao", help="保存为（.nianbao）；默认与原文件同名同目录")
    ap.add_argument("--overwrite", "--force", dest="overwrite", action="store_true",
                    help="输出文件已存在时替换它（旧文件保留为 .bak；不会替换输入文件或其他类型的文件）")
    args = ap.parse_args(argv)
    src = Path(args.path)
    out = Path(args.output) if args.output else src.with_suffix(SUFFIX)
    if out.suffix.lower() != SUFFIX:
        print(f"输出文件应以 {SUFFIX} 结尾：{clean(out)}", file=sys.stderr)
        return 2
    from ..outputs import OutputRefused, check_output
    try:
        check_output(out, [src], args.overwrite, "如要替换，请加 --overwrite（旧文件会保留为 .bak）。")
    except OutputRefused as e:
        print(f"✗ 未导入：{clean(e)}", file=sys.stderr)
        return 2
    try:
        report = open_report(src)
    except OpenError as e:
        print(f"✗ 无法导入：{clean_lines(e)}", file=sys.stderr)
        return 2
    findings = check(report)
    try:
        save(report, out)
    except ProjectError as e:  # its message names the file and the reason already ("无法保存到“…”：…")
        print(f"✗ 未导入：{clean(e)}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"✗ 无法保存“{clean(out)}”：{os_reason(e)}", file=sys.stderr)
        return 2
    e, w = counts(findings)
    filled = sum(1 for v in report.values.values() if v is not None)
    print(f"已写入：{clean(out)}（从 {clean(src)} 导入）")
    print(f"  {clean(report.known_title()) or '（未识别出标题）'}：{filled} 个数值，{len(report.review)} 处待核对 — "
          f"错误 {e} · 提醒 {w}")
    for note in report.extra.get("import_notes", []):
        print(f"  · {clean(note)}")
    from .account import Account
    account = Account.of(report)
    if account is not None:  # where every character of the source went
        print(f"  原文 {account.source} 字已全部归位。" if account.balanced() else
              f"  原文 {account.source} 字，归位 {account.accounted()} 字（不相符，请对照原文核对）。")
        if account.summary():
            print(f"  {clean(account.summary())}")
        for line in account.details():
            print(f"    - {clean(line)}")
    if findings:
        print("报告本身的问题（文件已写入，请在年报助手中核对改正）：" if e else "提醒：")
    for f in findings:
        tag = "错误" if f.severity == ERROR else "提醒"
        where = report.sources.get(f.cells[0], "") if f.cells else ""
        print(f"  [{tag}] {f.rule}  {clean(f.message)}{f'（来源：{clean(where)}）' if where else ''}")
    return 1 if e else 0
