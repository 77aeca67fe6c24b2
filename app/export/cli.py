"""``nianbao export PATH -o OUT.docx|.pdf|.xlsx [--template T.docx] [--force]``.

Exit 0: written.  1: the report has errors and ``--force`` was not given (nothing written).
2: unreadable input, bad template, unknown suffix or the file could not be written.
"""
from __future__ import annotations

import sys

from ..cli import Parser, clean, clean_lines, subcommand


@subcommand("export", "导出 Word（.docx，盖章签发用）、PDF 或 Excel（.xlsx）")
def cmd_export(argv) -> int:
    ap = Parser(prog="nianbao export",
                description="导出年报：Word（.docx，盖章签发用）、PDF 或 Excel（.xlsx），按输出文件的扩展名选择。",
                epilog="退出码：0 已导出；1 报告有错误，未导出（可加 --force）；2 无法读取、模板不可用或无法写入。")
    ap.add_argument("path", metavar="报告", help="报告文件（.nianbao 或其他可打开的文件）")
    ap.add_argument("-o", "--output", metavar="输出文件", required=True, help="输出文件：*.docx、*.pdf 或 *.xlsx")
    ap.add_argument("--template", metavar="模板.docx", help="自定义 Word 模板（.docx），只用于 Word 导出")
    ap.add_argument("--force", action="store_true", help="报告仍有错误时也导出")
    ap.add_argument("--overwrite", action="store_true",
                    help="输出文件已存在时替换它（不会替换输入文件或其他类型的文件）")
    ap.add_argument("--standard-fonts", action="store_true",
                    help="Word 文档保留标准字体名（仿宋_GB2312 等，交付印刷厂时用），不换成本机已安装的替代字体")
    args = ap.parse_args(argv)

    from ..outputs import OutputRefused, check_output
    try:
        check_output(args.output, [args.path, args.template], args.overwrite, "如要替换，请加 --overwrite。")
    except OutputRefused as e:
        print(f"未导出：{e}", file=sys.stderr)
        return 2

    from ..documents import OpenError, open_report
    from . import ExportError, ReportHasErrors, TemplateProblem, export_report

    try:
        report = open_report(args.path)
    except OpenError as e:
        print(f"无法读取报告：{clean_lines(e)}", file=sys.stderr)
        return 2
    if args.template:
        from .docx import check_template  # python-docx and the template checks only when a template is given
        if not args.output.lower().endswith(".docx"):
            print("--template 只适用于 Word（.docx）导出。", file=sys.stderr)
            return 2
        problems = check_template(args.template)
        if problems:
            print(f"模板“{clean(args.template)}”不能使用：", file=sys.stderr)
            for p in problems:
                print(f"  · {clean(p)}", file=sys.stderr)
            return 2
    import gc
    collecting = gc.isenabled()
    gc.disable()  # one report laid out in a short-lived process: Python's cycle collector only costs time here
    try:
        out = export_report(report, args.output, template=args.template, force=args.force,
                            standard_fonts=True if args.standard_fonts else None)
    except ReportHasErrors as e:
        print(clean_lines(e), file=sys.stderr)
        print("确认无误仍要导出，请加 --force。", file=sys.stderr)
        return 1
    except TemplateProblem as e:
        print(clean_lines(e), file=sys.stderr)
        return 2
    except ExportError as e:
        print(f"导出失败：{clean_lines(e)}", file=sys.stderr)
        return 2
    finally:
        if collecting:
            gc.enable()
    print(f"已导出：{clean(out)}")
    if out.suffix.lower() == ".docx":
        from .docx import FONT_NOTES
        for note in FONT_NOTES:
            print(f"  · {clean(note)}")
    return 0
