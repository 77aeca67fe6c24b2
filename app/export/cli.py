"""``nianbao export PATH -o OUT.docx|.pdf|.xlsx [--template T.docx] [--force]``.

Exit 0: written.  1: the report has errors and ``--force`` was not given (nothing written).
2: unreadable input, bad template, unknown suffix or the file could not be written.
"""
from __future__ import annotations

import argparse
import sys

from ..cli import subcommand


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse exits 2 on usage errors, with a Chinese hint
        self.print_usage(sys.stderr)
        print(f"参数错误：{message}", file=sys.stderr)
        raise SystemExit(2)


@subcommand("export")
def cmd_export(argv) -> int:
    ap = _Parser(prog="nianbao export",
                 description="导出年报：Word（.docx，盖章签发用）、PDF 或 Excel（.xlsx），按输出文件的扩展名选择。")
    ap.add_argument("path", help="报告文件（.nianbao 或其他可打开的文件）")
    ap.add_argument("-o", "--output", required=True, help="输出文件：*.docx、*.pdf 或 *.xlsx")
    ap.add_argument("--template", help="自定义 Word 模板（.docx），只用于 Word 导出")
    ap.add_argument("--force", action="store_true", help="报告仍有错误时也导出")
    ap.add_argument("--standard-fonts", action="store_true",
                    help="Word 文档保留标准字体名（仿宋_GB2312 等，交付印刷厂时用），不换成本机已安装的替代字体")
    args = ap.parse_args(argv)

    from ..documents import OpenError, open_report
    from . import ExportError, ReportHasErrors, TemplateProblem, export_report
    from .docx import check_template

    try:
        report = open_report(args.path)
    except OpenError as e:
        print(f"无法读取报告：{e}", file=sys.stderr)
        return 2
    if args.template:
        if not args.output.lower().endswith(".docx"):
            print("--template 只适用于 Word（.docx）导出。", file=sys.stderr)
            return 2
        problems = check_template(args.template)
        if problems:
            print(f"模板“{args.template}”不能使用：", file=sys.stderr)
            for p in problems:
                print(f"  · {p}", file=sys.stderr)
            return 2
    try:
        out = export_report(report, args.output, template=args.template, force=args.force,
                            standard_fonts=True if args.standard_fonts else None)
    except ReportHasErrors as e:
        print(str(e), file=sys.stderr)
        return 1
    except TemplateProblem as e:
        print(str(e), file=sys.stderr)
        return 2
    except ExportError as e:
        print(f"导出失败：{e}", file=sys.stderr)
        return 2
    print(f"已导出：{out}")
    if out.suffix.lower() == ".docx":
        from .docx import FONT_NOTES
        for note in FONT_NOTES:
            print(f"  · {note}")
    return 0
