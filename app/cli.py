"""Command line: ``nianbao`` (GUI), ``nianbao FILE``, ``nianbao --demo``, ``nianbao check …``."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .documents import OpenError, open_report
from .formats import load_format
from .rules import ERROR, check, counts
from .values import to_json

SUBCOMMANDS: dict[str, callable] = {}


def subcommand(name):
    def deco(fn):
        SUBCOMMANDS[name] = fn
        return fn
    return deco


def _ensure_utf8_stdout() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")
        except (AttributeError, ValueError):
            pass


def report_json(path, report, findings) -> dict:
    fmt = load_format(report.format_id)
    return {
        "path": str(path),
        "format": report.format_id,
        "meta": {"organ": report.meta.organ, "year": report.meta.year, "date": report.meta.date,
                 "contact": report.meta.contact},
        "values": {cid: (None if report.values.get(cid) is None else _json_value(report.values[cid], cell.kind))
                   for cid, cell in fmt.cells.items()},
        "findings": [f.to_json() for f in findings],
    }


def _json_value(v, kind):
    out = to_json(v, kind)
    if kind == "count" and isinstance(out, str) and out != "/":
        return None  # an invalid entry; its CELL.VALUE finding carries the text
    return out


def expand_paths(paths) -> list[Path]:
    from .documents import supported_suffixes
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            sufs = set(supported_suffixes())
            out += sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in sufs)
        else:
            out.append(p)
    return out


@subcommand("check")
def cmd_check(argv) -> int:
    ap = argparse.ArgumentParser(prog="nianbao check", description="检查年报：算术勾稽关系、空白、跨年度一致性和文字。")
    ap.add_argument("paths", nargs="+", help="报告文件（.nianbao）或文件夹")
    ap.add_argument("--previous", help="上年报告，用于跨年度检查")
    ap.add_argument("--json", action="store_true", help="输出一个 JSON 文档")
    ap.add_argument("--xlsx", metavar="SUMMARY.xlsx", help="把结果汇总写入 Excel：每份报告一行，另一页列出全部问题")
    args = ap.parse_args(argv)
    previous = None
    unreadable = False
    if args.previous:
        try:
            previous = open_report(args.previous)
        except OpenError as e:
            print(f"上年报告无法读取：{e}", file=sys.stderr)
            return 2
    results = []
    any_errors = False
    from .importers.batch import Progress, pair_years  # noqa: PLC0415 (import, check many files)
    paths = expand_paths(args.paths)
    if args.xlsx:  # a summary written into the checked folder last time is not a report
        paths = [p for p in paths if p.resolve() != Path(args.xlsx).resolve()]
    progress = Progress(len(paths))
    loaded = []
    for i, path in enumerate(paths, start=1):
        progress.update(i, str(path))
        try:
            loaded.append(open_report(path))
        except OpenError as e:
            unreadable = True
            loaded.append({"path": str(path), "error": str(e)})
    progress.done()
    # two reports of one organ for consecutive years among the inputs: check the later against the earlier
    previous_of = {} if previous is not None else pair_years([r if not isinstance(r, dict) else None for r in loaded])
    from .importers.batch import similar_organs  # noqa: PLC0415
    alike = similar_organs([r if not isinstance(r, dict) else None for r in loaded])  # 内容雷同 across organs
    for i, (path, report) in enumerate(zip(paths, loaded)):
        if isinstance(report, dict):
            results.append(report)
            continue
        findings = check(report, previous if previous is not None else previous_of.get(i)) + alike.get(i, [])
        if any(f.severity == ERROR for f in findings):
            any_errors = True
        results.append((path, report, findings))
    if args.xlsx:
        from .importers.batch import write_summary_xlsx  # noqa: PLC0415
        try:
            write_summary_xlsx(results, args.xlsx, previous_of)
        except OSError as e:
            print(f"无法写入汇总表“{args.xlsx}”：{e}", file=sys.stderr)
            return 2
    if args.json:
        docs = [r if isinstance(r, dict) else report_json(*r) for r in results]
        print(json.dumps({"reports": docs}, ensure_ascii=False, indent=1))
    else:
        for r in results:
            if isinstance(r, dict):
                print(f"✗ {r['path']}：无法读取 — {r['error']}")
                continue
            path, report, findings = r
            e, w = counts(findings)
            print(f"{'✗' if e else '✓'} {path}：{report.title() or '（未命名报告）'} — 错误 {e} · 提醒 {w}")
            for f in findings:
                tag = "错误" if f.severity == ERROR else "提醒"
                print(f"  [{tag}] {f.rule}  {f.message}")
    if unreadable:
        return 2
    return 1 if any_errors else 0


def main(argv=None) -> int:
    _ensure_utf8_stdout()
    argv = list(sys.argv[1:] if argv is None else argv)
    _load_optional_subcommands()
    if argv and argv[0] in SUBCOMMANDS:
        return SUBCOMMANDS[argv[0]](argv[1:])
    if argv and argv[0] in ("-V", "--version"):
        print(f"nianbao {__version__}")
        return 0
    if argv and argv[0] in ("-h", "--help"):
        print("用法：nianbao [文件] [--demo]        启动年报助手（图形界面）\n"
              "      nianbao check 路径… [--previous 上年报告] [--json] [--xlsx 汇总.xlsx]\n"
              + "".join(f"      nianbao {name} …\n" for name in sorted(SUBCOMMANDS) if name != "check"))
        return 0
    try:
        from ui.main import run_gui
    except ImportError as e:
        print(f"无法启动图形界面：{e}", file=sys.stderr)
        return 2
    return run_gui(argv)


def _load_optional_subcommands() -> None:
    """Subcommands living in other core modules (export, import) register themselves on import.

    Those modules keep heavy imports (python-docx, openpyxl, reportlab) inside their functions."""
    for mod in ("app.export.cli", "app.importers.cli"):
        try:
            __import__(mod)
        except ModuleNotFoundError as e:
            if e.name != mod:  # the module exists but something it needs is missing: say so
                raise


if __name__ == "__main__":
    # ``python -m app.cli``: run the real ``app.cli`` module, the one subcommand modules register into
    # (``from ..cli import subcommand`` imports ``app.cli``, not this ``__main__`` copy).
    from app.cli import main as _main
    sys.exit(_main())
