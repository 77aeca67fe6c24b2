"""``nianbao import PATH -o OUT.nianbao``: import a published report (DOCX, HTML, text, XLSX, PDF) into a project file.

Exit status as for ``check``: 0 imported and no errors, 1 imported but the report has errors (the file is
still written: the clerk fixes them in the program), 2 the input could not be read (nothing is written).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import subcommand


@subcommand("import")
def cmd_import(argv) -> int:
    from ..documents import OpenError, open_report
    from ..project import ProjectError, SUFFIX, save
    from ..rules import ERROR, check, counts

    ap = argparse.ArgumentParser(prog="nianbao import",
                                 description="导入已发布的年报（Word、网页、文字、Excel、带文字层的 PDF），保存为年报助手项目文件。")
    ap.add_argument("path", help="要导入的文件（.docx .html .htm .txt .md .xlsx .pdf）")
    ap.add_argument("-o", "--output", help="保存为（.nianbao）；默认与原文件同名同目录")
    ap.add_argument("--force", action="store_true", help="输出文件已存在时覆盖（旧文件保留为 .bak）")
    args = ap.parse_args(argv)
    src = Path(args.path)
    out = Path(args.output) if args.output else src.with_suffix(SUFFIX)
    if out.suffix.lower() != SUFFIX:
        print(f"输出文件应以 {SUFFIX} 结尾：{out}", file=sys.stderr)
        return 2
    if out.exists() and not args.force and out.resolve() != src.resolve():
        print(f"“{out}”已存在。如要覆盖，请加 --force（旧文件会保留为 .bak）。", file=sys.stderr)
        return 2
    try:
        report = open_report(src)
    except OpenError as e:
        print(f"✗ 无法导入：{e}", file=sys.stderr)
        return 2
    findings = check(report)
    try:
        save(report, out)
    except (ProjectError, OSError) as e:
        print(f"✗ 无法保存“{out}”：{e}", file=sys.stderr)
        return 2
    e, w = counts(findings)
    filled = sum(1 for v in report.values.values() if v is not None)
    print(f"{'✗' if e else '✓'} {src} → {out}")
    print(f"  {report.title() or '（未识别出标题）'}：{filled} 个数值，{len(report.review)} 处待核对 — 错误 {e} · 提醒 {w}")
    for note in report.extra.get("import_notes", []):
        print(f"  · {note}")
    for f in findings:
        tag = "错误" if f.severity == ERROR else "提醒"
        where = report.sources.get(f.cells[0], "") if f.cells else ""
        print(f"  [{tag}] {f.rule}  {f.message}{f'（来源：{where}）' if where else ''}")
    return 1 if e else 0
