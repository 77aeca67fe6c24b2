"""Command line: ``nianbao`` (GUI), ``nianbao FILE``, ``nianbao --demo``, ``nianbao check …``, ``export``,
``import``, ``review``, ``sum``."""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
from pathlib import Path

from .documents import OpenError, open_report
from .formats import load_format
from .resources import InstallError, check_installation
from .rules import ERROR, check, counts
from .values import to_json

SUBCOMMANDS: dict[str, callable] = {}
SUMMARIES: dict[str, str] = {}   # subcommand -> one line for ``nianbao --help``


def subcommand(name, summary: str = ""):
    def deco(fn):
        SUBCOMMANDS[name] = fn
        SUMMARIES[name] = summary
        return fn
    return deco


# --- argparse in Chinese -------------------------------------------------------------------------------------
# argparse builds its texts with gettext at run time (``argparse._``); while one of our parsers works, that
# function is replaced by this table, so usage lines, help headings and argument errors are Chinese.
_ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "ignored explicit argument %r": "多余的值 %r",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项值 %(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的值 %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "not allowed with argument %s": "不能与 %s 同时使用",
    "one of the arguments %s is required": "需要以下参数之一：%s",
    "unexpected option string: %s": "意外的选项：%s",
}


def _zh_gettext(msg: str) -> str:
    return _ZH.get(msg, msg)


def _zh_ngettext(singular: str, plural: str, n: int) -> str:
    return _ZH.get(singular if n == 1 else plural, singular if n == 1 else plural)


@contextlib.contextmanager
def _chinese_argparse():
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _zh_gettext, _zh_ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


def _display_width(text: str) -> int:
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


_NO_LINE_START = set("，。、；：？！）》」』”’")


def wrap_chinese(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` terminal columns (Chinese characters count 2).

    A run of ASCII such as ``.txt`` or ``--overwrite`` is never cut, and no line starts with a closing
    punctuation mark; textwrap (argparse's wrapping) cuts anywhere in a text without spaces (``.`` / ``txt``)
    and counts a Chinese character as one column."""
    import re as _re
    tokens = _re.findall(r"[!-~]+|\s+|.", text)
    lines, line, used = [], "", 0
    for tok in tokens:
        if tok.isspace():
            tok = " "
        w = _display_width(tok)
        if line and used + w > width and not tok.isspace() and tok not in _NO_LINE_START \
                and not tok.startswith("_"):  # 仿宋_GB2312 stays whole
            lines.append(line.rstrip())
            line, used = "", 0
        if not line and tok.isspace():
            continue
        line += tok
        used += w
    if line.strip():
        lines.append(line.rstrip())
    return lines


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    def _split_lines(self, text, width):
        return wrap_chinese(self._whitespace_matcher.sub(" ", text).strip(), max(width, 20))


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` that speaks Chinese and exits 2 on a usage error (as argparse does)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("formatter_class", _HelpFormatter)
        with _chinese_argparse():  # the group headings are made here
            super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def parse_args(self, args=None, namespace=None):
        with _chinese_argparse():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with _chinese_argparse():
            return super().parse_known_args(args, namespace)

    def format_usage(self):
        with _chinese_argparse():
            return super().format_usage()

    def format_help(self):
        with _chinese_argparse():
            text = super().format_help()
        # argparse ends each heading with an ASCII colon; the rest of the help uses the full-width one
        return re.sub(r"(?m)^(参数|选项):$", r"\1：", text)

    def error(self, message):
        if message.startswith("缺少参数："):  # argparse joins the names with an ASCII comma
            message = message.replace(", ", "、")
        with _chinese_argparse():
            self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{message}\n")


# --- what is printed -------------------------------------------------------------------------------------------
def clean(text) -> str:
    """Text taken from a file or a file name, safe to print on a terminal as part of ONE line (see
    :func:`clean_text`): line breaks and tabs are shown as ``\\n``, ``\\r``, ``\\t``, so a file name or an organ
    name can never start a line of its own (a forged "✓ … 错误 0" line)."""
    return clean_text(_LINE_BREAKS.sub(lambda m: _SHOWN[m.group()], str(text)))


def clean_lines(text) -> str:
    """A message of several lines written by the program (a list of problems): every line :func:`clean`, and a
    carriage return in it shown as ``\\r``."""
    return "\n".join(clean(line) for line in str(text).split("\n"))


_LINE_BREAKS = re.compile(r"[\n\r\t\u2028\u2029]")  # the other control characters clean_text removes
_SHOWN = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _ensure_utf8_stdout() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
        except (AttributeError, ValueError):
            pass


# What the command line echoes comes from files (names, organ names, messages quoting them): terminal control
# sequences and other control characters are removed, and what the terminal's encoding cannot show (file names
# that are not UTF-8 on Linux arrive as lone surrogates) is shown as \xNN escapes, never a traceback.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[PX^_][^\x1b]*(?:\x1b\\)?|[@-Z\\-_])"
                      r"|\x9b[0-?]*[ -/]*[@-~]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` without control characters and escape sequences (newlines and tabs stay), printable anywhere."""
    text = _ESCAPES.sub("", text.replace("\r\n", "\n"))
    return _SURROGATE.sub(lambda m: (f"\\x{ord(m.group()) - 0xDC00:02x}" if 0xDC80 <= ord(m.group()) <= 0xDCFF
                                     else f"\\u{ord(m.group()):04x}"), text)


class _CleanStream:
    """A text stream that writes :func:`clean_text` of everything (``\r`` + erase-line of a progress line stay)."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        progress = text.startswith("\r\x1b[K")
        text = clean_text(text[4:] if progress else text)
        return self._stream.write(("\r\x1b[K" if progress else "") + text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


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
    """Files as given; a folder stands for its report files (without the reviewer's records, notices, bulletins)."""
    from .review import review_paths
    out: list[Path] = []
    for p in map(Path, paths):
        out += review_paths(p) if p.is_dir() else [p]
    return out


@subcommand("check", "检查报告：算术勾稽关系、空白、跨年度一致性和文字；可一次检查多份并汇总到 Excel")
def cmd_check(argv) -> int:
    from .documents import supported_suffixes
    kinds = "、".join(supported_suffixes())
    ap = Parser(prog="nianbao check",
                description="检查年报：算术勾稽关系、空白、跨年度一致性和文字。\n"
                            f"可检查的文件：{kinds}（年报助手项目文件、Word、Excel、网页、文字）；\n"
                            "给出文件夹时检查其中所有这些文件。",
                epilog="退出码：0 没有错误（可以有提醒）；1 有报告存在错误；2 有文件无法读取或参数有误。")
    ap.add_argument("paths", nargs="+", metavar="路径", help=f"报告文件（{kinds}）或文件夹")
    ap.add_argument("--previous", metavar="上年报告", help="上年报告，用于跨年度检查")
    ap.add_argument("--json", action="store_true", help="输出一个 JSON 文档")
    ap.add_argument("--xlsx", metavar="汇总.xlsx", help="把结果汇总写入 Excel：每份报告一行，另一页列出全部问题")
    ap.add_argument("--overwrite", action="store_true", help="汇总表已存在时替换它（不会替换输入文件或其他类型的文件）")
    ap.add_argument("--rules", metavar="规则包.json", help="本地规则包：省、市通知增加的要求，与格式的规则一起检查")
    args = ap.parse_args(argv)
    if args.rules:
        return _check_with_pack(args.rules, argv)
    from .outputs import OutputRefused, check_output
    if args.xlsx:
        if Path(args.xlsx).suffix.lower() != ".xlsx":
            print(f"汇总表应以 .xlsx 结尾：{args.xlsx}", file=sys.stderr)
            return 2
    previous = None
    unreadable = False
    if args.previous:
        try:
            previous = open_report(args.previous)
        except OpenError as e:
            print(f"上年报告无法读取：{clean(e)}", file=sys.stderr)
            return 2
    results = []
    any_errors = False
    from .importers.batch import Progress, pair_years
    paths = []
    for given in args.paths:
        found = expand_paths([given])
        if not found and Path(given).is_dir():  # not silence and exit 0: nothing was checked
            print(f"✗ {clean(given)}：文件夹中没有可检查的报告文件（{kinds}）", file=sys.stderr)
            unreadable = True
        paths += found
    if args.xlsx:  # a summary written into the checked folder last time is no report (left out when listing it);
        # any other file of that name among the reports is one: never replaced by the summary
        try:
            check_output(args.xlsx, [*paths, args.previous], args.overwrite, "如要替换，请加 --overwrite。")
        except OutputRefused as e:
            print(f"无法写入汇总表：{e}", file=sys.stderr)
            return 2
    from .review import FolderCheck
    # read and checked by the folder workers (both cores); where each value was read is for the summary workbook;
    # the text output names each report by its title: the rest of a report stays in the workers' messages
    with FolderCheck(paths, sources=bool(args.xlsx), whole=bool(args.json or args.xlsx)) as folder:
        loaded = folder.read(Progress(len(paths)), name=lambda p: clean(str(p)))
        unreadable = unreadable or any(isinstance(r, dict) for r in loaded)
        reports = [r if not isinstance(r, dict) else None for r in loaded]
        # two reports of one organ for consecutive years among the inputs: check the later against the earlier
        previous_of = {} if previous is not None else pair_years(reports)
        folder.check({i: _last_year(r, previous, previous_of.get(i)) for i, r in enumerate(reports) if r is not None})
        alike = folder.across_organs()  # 内容雷同 across organs, here while the workers check
        checked = folder.findings()
    for i, (path, report) in enumerate(zip(paths, loaded)):
        if isinstance(report, dict):
            results.append(report)
            continue
        findings = checked[i] + alike.get(i, [])
        if any(f.severity == ERROR for f in findings):
            any_errors = True
        results.append((path, report, findings))
    # the per-report results first: they are printed even when the summary cannot be written
    if args.json:
        docs = [r if isinstance(r, dict) else report_json(*r) for r in results]
        print(json.dumps(_with_pack_json({"reports": docs}), ensure_ascii=False, indent=1))
    else:
        for r in results:
            if isinstance(r, dict):
                print(f"✗ {clean(r['path'])}：无法读取 — {clean(r['error'])}")
                continue
            path, report, findings = r
            e, w = counts(findings)
            title = clean(report.known_title()) or "（未命名报告）"
            lines = [f"{'✗' if e else '✓'} {clean(path)}：{title} — 错误 {e} · 提醒 {w}"]
            for f in findings:
                tag = "错误" if f.severity == ERROR else "提醒"
                lines.append(f"  [{tag}] {f.rule}  {clean(f.message)}")
            print("\n".join(lines))  # one write per report (each write is cleaned once more: _CleanStream)
    if args.xlsx:
        from .export.summary import write_summary_xlsx
        try:
            write_summary_xlsx(results, args.xlsx, previous_of)
        except OSError as e:
            print(f"无法写入汇总表“{clean(args.xlsx)}”：{os_reason(e)}", file=sys.stderr)
            return 2
        print(f"已写入汇总表：{clean(args.xlsx)}", file=sys.stderr if args.json else sys.stdout)
    if unreadable:
        return 2
    return 1 if any_errors else 0


def _check_with_pack(path: str, argv: list[str]) -> int:
    """``check --rules PACK.json``: the same check with the pack's rules (and settings) active."""
    from .rulepacks import PackError, load_pack, using
    try:
        pack = load_pack(path)
    except PackError as e:
        print(clean(str(e)), file=sys.stderr)
        return 2
    rest, skip = [], False
    for a in argv:  # the same command without --rules
        if skip:
            skip = False
        elif a == "--rules":
            skip = True
        elif not a.startswith("--rules="):
            rest.append(a)
    print(f"使用规则包：{clean(pack.name)}（{len(pack.rules)} 条规则）", file=sys.stderr)
    with using(pack):
        return cmd_check(rest)


def _with_pack_json(doc: dict) -> dict:
    from .rulepacks import active
    pack = active()
    if pack is not None:
        doc["rule_pack"] = pack.to_json()
    return doc


@subcommand("review", "审核台：审核一个文件夹中各单位的年报（名单、重复、审核意见、整改通知、通报）")
def cmd_review(argv) -> int:
    ap = Parser(prog="nianbao review",
                description="审核台：读取文件夹中各单位报送的年报，检查并列出问题（最严重的在前）。\n"
                            "不加 --json、--notices、--bulletin 时打开审核台窗口。\n"
                            "审核意见（确认/排除）记在文件夹中的“审核记录.json”里；文件改动后，它的问题重新待审。",
                epilog="退出码：0 没有未排除的错误；1 有报告存在未排除的错误；2 有文件无法读取或参数有误。")
    ap.add_argument("folder", metavar="文件夹", help="各单位报送的年报所在的文件夹")
    ap.add_argument("--roster", metavar="名单", help="应报送单位名单：文字文件（每行一个单位）或 Excel（第一列）")
    ap.add_argument("--json", action="store_true",
                    help="输出一个 JSON 文档（各报告的检查结果与审核意见、未提交、名单外、重复）")
    ap.add_argument("--notices", metavar="输出文件夹", help="为每个有未排除问题的单位写一份整改通知（Word）")
    ap.add_argument("--bulletin", metavar="通报.docx|.xlsx", help="写通报：各类问题的数量、未按时和未提交的单位、排名")
    ap.add_argument("--office", metavar="审核单位", default="",
                    help="整改通知和通报的落款单位（例如：某某市政务公开办公室）")
    ap.add_argument("--date", metavar="日期", default="", help="整改通知和通报的日期（YYYY-MM-DD；默认今天）")
    ap.add_argument("--organ", metavar="文件名=机关名称", action="append", default=[],
                    help="为未识别出机关名称的报告填写机关名称（核对原文后；记入审核记录.json，可重复）")
    ap.add_argument("--reply-by", metavar="日期", default="",
                    help="整改通知中要求重新报送的期限（YYYY-MM-DD；不给则不写期限）")
    ap.add_argument("--overwrite", action="store_true", help="输出文件已存在时替换它")
    args = ap.parse_args(argv)
    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"✗ 找不到文件夹：{clean(folder)}", file=sys.stderr)
        return 2
    date, reply_by = _review_date(args.date), _review_date(args.reply_by) if args.reply_by else ""
    if date is None or reply_by is None:
        what, given = ("日期", args.date) if date is None else ("重新报送期限", args.reply_by)
        print(f"✗ {what}应写成 YYYY-MM-DD，例如 2026-02-20：{clean(given)}", file=sys.stderr)
        return 2
    from .review import Review, ReviewError, read_roster
    try:
        roster = read_roster(args.roster) if args.roster else None
    except ReviewError as e:
        print(f"✗ {clean(e)}", file=sys.stderr)
        return 2
    if not (args.json or args.notices or args.bulletin):
        if not _has_display():
            print("nianbao review：无法打开审核台窗口：没有可用的显示器。可用 --json、--notices 或 --bulletin。",
                  file=sys.stderr)
            return 2
        try:
            from ui.main import run_desk
        except ImportError as e:
            print(f"无法启动图形界面：{clean(e)}", file=sys.stderr)
            return 2
        return run_desk(folder, roster, args.roster)
    from .outputs import OutputRefused, check_output
    if args.bulletin:
        if Path(args.bulletin).suffix.lower() not in (".docx", ".xlsx"):
            print(f"✗ 通报应以 .docx 或 .xlsx 结尾：{clean(args.bulletin)}", file=sys.stderr)
            return 2
        try:
            check_output(args.bulletin, [], args.overwrite, "如要替换，请加 --overwrite。")
        except OutputRefused as e:
            print(f"✗ 无法写入通报：{clean(e)}", file=sys.stderr)
            return 2
    try:
        review = Review.read(folder, roster=roster)
    except ReviewError as e:
        print(f"✗ {clean(e)}", file=sys.stderr)
        return 2
    if not _name_organs(review, args.organ):
        return 2
    if args.bulletin:  # never over a file the review read (a report of the folder), checked before any output
        inputs = [e.path for e in review.entries]
        try:
            check_output(args.bulletin, inputs, args.overwrite, "如要替换，请加 --overwrite。")
        except OutputRefused as e:
            print(f"✗ 无法写入通报：{clean(e)}", file=sys.stderr)
            return 2
    if review.decisions.note:  # the record kept in the user's data folder: the reviewer must know where
        print(f"注意：{review.decisions.note}", file=sys.stderr)
    if args.json:
        print(json.dumps(review.to_json(report_json), ensure_ascii=False, indent=1))
    else:
        _print_review(review)
    out = sys.stderr if args.json else sys.stdout
    if args.notices and not _write_notices(review, args, date, reply_by, out):
        return 2
    if args.bulletin:
        from .export.notices import write_bulletin
        try:
            write_bulletin(review, args.bulletin, office=args.office, date=date)
        except OSError as e:
            print(f"✗ 无法写入通报“{clean(args.bulletin)}”：{os_reason(e)}", file=sys.stderr)
            return 2
        print(f"已写入通报：{clean(args.bulletin)}", file=out)
    if any(e.report is None for e in review.entries):
        return 2
    return 1 if any(review.counts(e)[0] for e in review.entries) else 0


def _review_date(text: str) -> str | None:
    import datetime as _dt
    if not text:
        return _dt.date.today().isoformat()
    try:
        return _dt.date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        return None


def _write_notices(review, args, date: str, reply_by: str, out) -> bool:
    """``--notices``: the notices written and said, with the reports that got none; False when refused."""
    from .export.notices import write_notices
    from .outputs import OutputRefused
    try:
        written = write_notices(review, args.notices, office=args.office, date=date, overwrite=args.overwrite,
                                reply_by=reply_by)
    except OSError as e:
        print(f"✗ 无法写入整改通知：{os_reason(e)}", file=sys.stderr)
        return False
    except OutputRefused as e:
        print(f"✗ {clean(e)}", file=sys.stderr)
        return False
    print(f"已写入整改通知 {len(written)} 份：{clean(args.notices)}", file=out)
    _print_withheld(review, out)
    return True


def _name_organs(review, given: list[str]) -> bool:
    """``--organ 文件名=机关名称``: the reviewer names the organ of reports whose organ was not read."""
    from .review import ReviewError
    for item in given:
        name, sep, organ = item.partition("=")
        organ = " ".join(organ.split())
        hits = [e for e in review.entries if e.path.name == name.strip() or str(e.path) == name.strip()]
        if not sep or not organ or len(hits) != 1:
            if not sep or not organ:
                why = "应写成 文件名=机关名称"
            else:
                why = "文件夹中没有这个文件" if not hits else "文件夹中有多个同名文件，请写出路径"
            print(f"✗ --organ {clean(item)}：{why}。", file=sys.stderr)
            return False
        try:
            review.name_organ(hits[0], organ)
        except ReviewError as e:
            print(f"✗ --organ {clean(item)}：{clean(e)}", file=sys.stderr)
            return False
        except OSError as e:
            print(f"✗ 机关名称未保存：{os_reason(e)}", file=sys.stderr)
            return False
    return True


def _print_withheld(review, out) -> None:
    """The reports that got no notice: their organ is unknown until the reviewer names it."""
    from .export.notices import withheld
    for e in withheld(review):
        print(f"未写整改通知：{clean(e.path.name)} 未识别出机关名称，请核对原文后填写机关名称："
              f"在审核台（nianbao review {clean(review.folder)}）中打开这份报告，"
              f"或加 --organ “{clean(e.path.name)}=机关名称”。", file=out)


def _print_review(review) -> None:
    for e in review.worst_first():
        if e.report is None:
            print(f"✗ {clean(e.path)}：无法读取 — {clean(e.error)}")
            continue
        errors, warnings = review.counts(e)
        extra = []
        if review.late(e):
            extra.append("不按时")
        if e.similar_organs >= 0.5 or e.similar_last_year >= 0.5:
            extra.append(f"雷同 {round(100 * max(e.similar_organs, e.similar_last_year))}%")
        if e.duplicate_of:
            extra.append("重复（较新）" if e.newer else "重复")
        if e.listed is False:
            extra.append("名单外")
        again = review.resubmission(e)
        if again:
            extra.append(f"已改正 {again['fixed']} · 未改正 {again['unfixed']} · 新问题 {again['new']}"
                         + (f"（{again['not_compared']}）" if again["not_compared"] else ""))
        carried = sum(1 for f in e.findings if (review.decision(e, f) or {}).get("carried_from"))
        if carried:
            extra.append(f"沿用较早版本的排除 {carried} 处")
        held = review.held_findings(e)
        if held:
            extra.append(f"{len(held)} 处可能是导入识别问题，待审核人员对照原文确认，确认前不写入整改通知")
        if not e.organ:
            extra.append("未识别出机关名称：审核人员填写前不写整改通知、不列入通报排名")
        tail = f"（{'；'.join(extra)}）" if extra else ""
        who = " ".join(x for x in (clean(e.organ) or "（未识别出机关名称）", str(e.year or "")) if x)
        print(f"{'✗' if errors else '✓'} {clean(e.path)}：{who} — "
              f"错误 {errors} · 提醒 {warnings} · {review.status(e)}{tail}")
    for name in review.missing():
        print(f"未提交：{clean(name)}")


@subcommand("sum", "把几份报告的表二至表四逐格相加（本级政府汇总各部门），保存为项目文件")
def cmd_sum(argv) -> int:
    ap = Parser(prog="nianbao sum",
                description="把几份同一年度报告的表二、表三、表四逐格相加，保存为年报助手项目文件。\n"
                            "收费金额按精确小数相加；“不适用”（/）和空白按 0 计入，并在结果中说明。",
                epilog="退出码：0 已写入；2 无法读取、无法相加或无法写入（什么也没写）。")
    ap.add_argument("paths", nargs="+", metavar="文件", help="要汇总的报告（任何可检查的文件）或文件夹")
    ap.add_argument("-o", "--output", metavar="汇总.nianbao", required=True, help="保存为（.nianbao）")
    ap.add_argument("--organ", metavar="机关名称", default="", help="汇总报告的机关名称（例如：某某县人民政府）")
    ap.add_argument("--overwrite", action="store_true", help="输出文件已存在时替换它（旧文件保留为 .bak）")
    args = ap.parse_args(argv)
    from .project import SUFFIX, ProjectError, save
    from .review import ReviewError, sum_reports
    out = Path(args.output)
    if out.suffix.lower() != SUFFIX:
        print(f"✗ 输出文件应以 {SUFFIX} 结尾：{clean(out)}", file=sys.stderr)
        return 2
    paths = expand_paths(args.paths)
    # an earlier total inside a folder being summed is no part of the sum; a file named on the command line is,
    # so naming it as the output is refused below (never left out of the sum and written over)
    named = {Path(p) for p in args.paths if not Path(p).is_dir()}
    paths = [p for p in paths if p in named or not _same_path(p, out)]
    from .outputs import OutputRefused, check_output
    try:
        check_output(out, paths, args.overwrite, "如要替换，请加 --overwrite（旧文件会保留为 .bak）。")
    except OutputRefused as e:
        print(f"✗ 未汇总：{clean(e)}", file=sys.stderr)
        return 2
    if not paths:
        print("✗ 没有找到要汇总的报告文件。", file=sys.stderr)
        return 2
    reports = []
    for p in paths:
        try:
            reports.append(open_report(p))
        except OpenError as e:
            print(f"✗ 未汇总：{clean(p)} 无法读取 — {clean(e)}", file=sys.stderr)
            return 2
    try:
        result = sum_reports(reports, paths, organ=args.organ)
    except ReviewError as e:
        print(f"✗ 未汇总：{clean(e)}", file=sys.stderr)
        return 2
    try:
        save(result.report, out)
    except ProjectError as e:
        print(f"✗ 未汇总：{clean(e)}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"✗ 无法保存“{clean(out)}”：{os_reason(e)}", file=sys.stderr)
        return 2
    fmt = result.report.format
    arithmetic = {r["id"] for r in fmt.rules if r["type"] in ("sum", "cell_values")}
    wrong = [f for f in check(result.report) if f.rule in arithmetic and f.severity == ERROR]
    print(f"已写入：{clean(out)}（{len(reports)} 份报告的表二至表四逐格相加）— 勾稽关系："
          + (f"错误 {len(wrong)}（某份报告本身有错）" if wrong else "无错误"))
    print("  成文日期和正文（一、五、六）请在年报助手中填写。")
    for r, p in zip(reports, paths):
        print(f"  · {clean(r.meta.organ) or '（未识别出机关名称）'}：{clean(p)}")
    for note in result.notes:
        print(f"  注：{clean(note)}")
    return 0


def _last_year(report, given, paired):
    """The report checked against: ``--previous`` when given, else the one paired in the folder. One of another
    year is not used and one of another organ is used, each said as YEAR.PREVIOUS among the findings
    (:func:`app.rules.previous_for_checks`)."""
    return paired if given is None else given


def _same_path(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def os_reason(e: OSError) -> str:
    """Why a file operation failed, in Chinese (the program's one wording: :func:`app.errors.os_error_text`)."""
    from .errors import os_error_text
    return os_error_text(e)


def print_help() -> None:
    _load_optional_subcommands()
    width = max(len(n) for n in SUBCOMMANDS)
    lines = ["用法：nianbao [文件] [--demo]          启动年报助手（图形界面），可同时打开一个报告文件",
             "      nianbao 命令 [参数…]",
             "",
             "命令："]
    lines += [f"  {name.ljust(width)}  {SUMMARIES.get(name) or ''}" for name in sorted(SUBCOMMANDS)]
    lines += ["",
              "选项：",
              "  --demo         打开内置的示例报告",
              "  -V, --version  显示版本号并退出",
              "  -h, --help     显示本帮助并退出",
              "",
              "每个命令的详细用法：nianbao 命令 --help（例如 nianbao check --help）"]
    print("\n".join(lines))


GUI_OPTIONS = ("--demo",)


def _gui_argument_problem(argv: list[str]) -> str | None:
    """Why these arguments cannot start the GUI (a mistyped command, an unknown option, a missing file)."""
    from .documents import supported_suffixes
    files = [a for a in argv if not a.startswith("-")]
    for a in argv:
        if a.startswith("-") and a not in GUI_OPTIONS:
            return f"无法识别的选项：{clean(a)}（nianbao --help 列出全部选项和命令）"
    if files:
        first = files[0]
        path = Path(first)
        if not path.exists():
            suffix = path.suffix.lower()
            if suffix not in supported_suffixes() and os.sep not in first and "/" not in first:
                import difflib  # only for a mistyped command (2–5 ms of every start)
                close = difflib.get_close_matches(first, list(SUBCOMMANDS), n=1, cutoff=0.5)
                hint = f"，是否要用 {close[0]}？" if close else "。"
                return (f"未知命令 {clean(first)}{hint}（可用的命令：{'、'.join(sorted(SUBCOMMANDS))}；"
                        "nianbao --help 查看用法）")
            return f"找不到文件：{clean(first)}"
    if len(files) > 1:
        return f"一次只能打开一个文件，给出了 {len(files)} 个：{clean('、'.join(files))}"
    return None


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc", "eglfs", "linuxfb"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _run(argv: list[str]) -> int:
    _load_optional_subcommands(argv[0] if argv else None)
    if argv and argv[0] in SUBCOMMANDS:
        out, err = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _CleanStream(out), _CleanStream(err)
        try:
            return SUBCOMMANDS[argv[0]](argv[1:])
        except (InstallError, BrokenPipeError):
            raise  # handled in main()
        except Exception as e:  # noqa: BLE001 — a bug must end in a message and exit 2, not a traceback
            print(f"✗ 出错了，未完成（{type(e).__name__}：{str(e)[:300]}）。请把这条信息告诉开发者。", file=sys.stderr)
            return 2
        finally:
            sys.stdout, sys.stderr = out, err
    if argv and argv[0] in ("-V", "--version"):
        from . import __version__
        print(f"nianbao {__version__}")
        return 0
    if argv and argv[0] in ("-h", "--help"):
        print_help()
        return 0
    problem = _gui_argument_problem(argv)
    if problem:
        print(f"nianbao：{problem}", file=sys.stderr)
        return 2
    if not _has_display():
        print("nianbao：无法启动图形界面：没有可用的显示器（未设置 DISPLAY 或 WAYLAND_DISPLAY）。"
              "命令行用法见 nianbao --help。", file=sys.stderr)
        return 2
    try:
        from ui.main import run_gui
    except ImportError as e:
        print(f"无法启动图形界面：{clean(e)}", file=sys.stderr)
        return 2
    return run_gui(argv)


def main(argv=None) -> int:
    from . import sandbox
    with sandbox.enabled_while():  # published reports are read in a worker process with hard time and memory limits
        code = _main(argv)
    if argv is None and sys.argv[1:2] and sys.argv[1] in SUBCOMMANDS:
        _ending_process()
    return code


def _ending_process() -> None:
    """A command run as the program (``nianbao export …``) is done and the process is about to end: the objects it
    made are left to the operating system instead of being searched for reference cycles once more at exit
    (``gc.freeze``). That search, over the fonts' character maps and everything the export imported, was nearly a tenth
    of a fresh ``nianbao export -o X.pdf``. Exit handlers still run and the standard streams are still flushed;
    every file the command writes is closed before it returns. Not done for the window (Qt tears its objects
    down at exit) nor when ``main`` is called with arguments (tests, other programs)."""
    import gc
    gc.freeze()


def _main(argv=None) -> int:
    _ensure_utf8_stdout()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        check_installation()
        return _run(argv)
    except InstallError as e:
        print(f"nianbao：{clean(e)}", file=sys.stderr)
        if (not argv or argv[0] not in SUBCOMMANDS and argv[0] not in OPTIONAL_SUBCOMMANDS
                and argv[0] not in ("-h", "--help", "-V", "--version")) \
                and _has_display() and not os.environ.get("NIANBAO_QUIT_AFTER_START"):
            try:  # started from a shortcut: there is no console to read the message in
                from ui.main import show_fatal
                show_fatal(str(e))
            except Exception:  # noqa: BLE001 - the message is already on stderr
                pass
        return 2
    except BrokenPipeError:
        # the reader went away (``nianbao --help | head -1``): no traceback, and none at exit either
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 1
    except KeyboardInterrupt:
        print("\n已中断。", file=sys.stderr)
        return 130


# where the subcommands that live in other core modules are (they register themselves on import)
OPTIONAL_SUBCOMMANDS = {"export": "app.export.cli", "import": "app.importers.cli"}


def _load_optional_subcommands(name: str | None = None) -> None:
    """Subcommands living in other core modules (export, import) register themselves on import: only the one
    asked for when it is one of them (``nianbao export`` need not load the importers), else all of them.

    Those modules keep heavy imports (python-docx, openpyxl, reportlab) inside their functions."""
    mods = [OPTIONAL_SUBCOMMANDS[name]] if name in OPTIONAL_SUBCOMMANDS else sorted(set(OPTIONAL_SUBCOMMANDS.values()))
    for mod in mods:
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
