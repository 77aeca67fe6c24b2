"""Project files (``*.nianbao``): UTF-8 JSON, saved atomically with a backup of the previous version.

Minimal file (every other key optional)::

    {"format": "gov-2021",
     "meta": {"organ": "吴忠市民政局", "year": 2023, "date": "2024-01-16", "contact": "…"},
     "values": {"t3.new.natural": 1, "t2.regulations.issued": "/", "t2.fees.amount": "0.1250"},
     "sections": {"s1": "…", "s5": "…", "s6": "…"}}
"""
from __future__ import annotations

import errno
import json
import os
import re
import stat
import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .errors import os_error_text as _os_error_text
from .formats import FormatError, load_format
from .model import Report
from .totals import refill
from .values import Invalid, display, from_json, to_json

SCHEMA = 1
SUFFIX = ".nianbao"
MAX_PROJECT_BYTES = 32 * 1024 * 1024  # a report with last year's is about 50 KB; 32 MB holds 10 million characters
_KNOWN = {"format", "schema", "meta", "values", "sections", "previous", "review", "sources", "origin_format", "app"}


class ProjectError(Exception):
    """A project file that cannot be read or written; the message is Chinese and says why."""


# ---------------------------------------------------------------------------------------------
# JSON with exact numbers: what the program does not interpret is written back as it was read

MAX_DEPTH = 64  # nesting of objects/arrays in a project file (the program's own files use 4)
MAX_INT_DIGITS = 30  # a longer integer is kept as text (never converted), see JsonNumber
MAX_CELL_TEXT = 64  # a cell's text longer than this is kept as an invalid entry without being parsed
_MAX_DEC_DIGITS = 40  # a decimal with more digits, or an exponent beyond ±40, is not a cell value
_DEC_PARTS = re.compile(r"-?(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?\Z")


class JsonNumber:
    """A number of the file kept exactly as written: every JSON fraction/exponent form and integers longer than
    :data:`MAX_INT_DIGITS` digits. Unknown keys holding such numbers are saved byte-for-byte; nothing converts
    ``1e999999999`` or a 5000-digit integer into a Python number."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __eq__(self, other):
        return isinstance(other, JsonNumber) and other.text == self.text

    def __hash__(self):
        return hash(("JsonNumber", self.text))

    def __repr__(self):
        return f"JsonNumber({self.text!r})"

    def decimal(self) -> Decimal | None:
        """The value as a Decimal when it is of a sane size (≤ 40 digits, exponent within ±40), else None."""
        m = _DEC_PARTS.match(self.text)
        if not m:
            return None
        digits = len((m.group(1) or "").lstrip("0")) + len(m.group(2) or "")
        exp = m.group(3)
        if digits > _MAX_DEC_DIGITS or (exp is not None and (len(exp.lstrip("+-")) > 3 or abs(int(exp)) > 40)):
            return None
        try:
            return Decimal(self.text)
        except InvalidOperation:
            return None


def _parse_int(text: str):
    if len(text) > MAX_INT_DIGITS or text == "-0":
        return JsonNumber(text)
    return int(text)


def _no_constant(name: str):
    raise ProjectError(f"含有 JSON 不允许的数值“{name}”（无穷大或非数字）")


def parse_json(text: str, where: str = "文件"):
    """Parse a project file's JSON text with bounded numbers and nesting; ProjectError (Chinese) on anything wrong.

    Floats and very long integers become :class:`JsonNumber` (kept as written); ``Infinity``/``NaN`` are
    refused; nesting deeper than :data:`MAX_DEPTH` and strings that are not valid Unicode (lone surrogates
    written as ``\\ud800``) are refused, so every file that loads can be saved again."""
    if not text.strip():  # (a save cut off before its first byte, a file made empty elsewhere)
        raise ProjectError(f"{where}是空的（没有任何内容），不是可以打开的年报项目文件。"
                           f"如果它是保存时被中断的，同一文件夹中可能有上一次保存的副本（文件名以 .bak 结尾）。")
    try:
        data = json.loads(text, parse_float=JsonNumber, parse_int=_parse_int, parse_constant=_no_constant)
    except json.JSONDecodeError as e:
        raise ProjectError(f"{where}已损坏或不是年报项目文件（JSON 格式错误：第 {e.lineno} 行第 "
                           f"{e.colno} 列）。") from None
    except ProjectError as e:
        raise ProjectError(f"{where}{e}，不是有效的年报项目文件。") from None
    except RecursionError:
        raise ProjectError(f"{where}的嵌套层数过多（超过 {MAX_DEPTH} 层），不是有效的年报项目文件。") from None
    if isinstance(data, (dict, list)):
        # a lone surrogate can only come from a \\uD800-\\uDFFF escape: without one only the depth is checked
        _check_tree(data, where, _SURROGATE_ESCAPE.search(text) is not None)
    elif isinstance(data, str):
        _check_text(data, where, [data])
    return data


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


def _check_tree(data, where: str, strings: bool = True) -> None:
    """Iterative walk: nesting depth and (with ``strings``) lone surrogates, which UTF-8 cannot hold, in keys and
    strings."""
    if not strings:
        _check_depth(data, where)
        return
    stack = [(data, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        node, depth = pop()
        if depth > MAX_DEPTH:
            raise ProjectError(f"{where}的嵌套层数过多（超过 {MAX_DEPTH} 层），不是有效的年报项目文件。")
        if isinstance(node, dict):
            for k, v in node.items():
                if not k.isascii():
                    _check_text(k, where, data)
                if isinstance(v, str):
                    if not v.isascii():
                        _check_text(v, where, data)
                elif isinstance(v, (dict, list)):
                    push((v, depth + 1))
        else:
            for v in node:
                if isinstance(v, str):
                    if not v.isascii():
                        _check_text(v, where, data)
                elif isinstance(v, (dict, list)):
                    push((v, depth + 1))
    return None


# what json.loads makes of a JSON value that is not an object or an array (exact types: none holds another)
_LEAF_TYPES = frozenset({str, int, float, bool, type(None), JsonNumber})


def _check_depth(data, where: str) -> None:
    stack = [(data, 1)]
    pop, push = stack.pop, stack.append
    leaves = _LEAF_TYPES.issuperset
    while stack:
        node, depth = pop()
        if depth > MAX_DEPTH:
            raise ProjectError(f"{where}的嵌套层数过多（超过 {MAX_DEPTH} 层），不是有效的年报项目文件。")
        values = node.values() if isinstance(node, dict) else node
        if len(values) > 8 and leaves(map(type, values)):
            continue  # (a long run of plain values, such as a report's cells, told apart in one C-level pass)
        for v in values:
            if isinstance(v, (dict, list)):
                push((v, depth + 1))


def _path_of(data, bad: str) -> str:
    """Where in ``data`` the string ``bad`` is (as a key or a value), for the message."""
    stack = [(data, "")]
    while stack:
        node, at = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for k, v in items:
            name = f"{at}.{k}" if at else str(k)
            if k is bad or v is bad:
                return name
            if isinstance(v, (dict, list)):
                stack.append((v, name))
    return ""


def _check_text(text: str, where: str, data) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        at = _path_of(data, text)
        shown = at.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")[:80]
        raise ProjectError(f"{where}中“{shown}”含有无效的 Unicode 字符（孤立的代理项 U+{ord(text[e.start]):04X}），"
                           f"不是有效的年报项目文件。") from None


def json_text(obj, **kw) -> str:
    """``json.dumps`` that also writes :class:`JsonNumber` (exactly as read) and ``Decimal`` values."""
    raws: list[str] = []
    token = os.urandom(8).hex()

    def default(o):
        if isinstance(o, JsonNumber):
            raws.append(o.text)
        elif isinstance(o, Decimal) and o.is_finite():
            raws.append(str(o))
        else:
            raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")
        return f"\x00{token}:{len(raws) - 1}\x00"

    text = json.dumps(obj, default=default, allow_nan=False, **kw)
    if not raws:
        return text
    return re.sub(r'"\\u0000' + token + r':(\d+)\\u0000"', lambda m: raws[int(m.group(1))], text)


# ---------------------------------------------------------------------------------------------
# dict <-> Report

def report_to_dict(report: Report, include_previous: bool = True) -> dict:
    fmt = report.format
    values = {}
    for cid, cell in fmt.cells.items():
        v = report.values.get(cid)
        if v is not None:
            values[cid] = to_json(v, cell.kind)
    data: dict = {
        "format": report.format_id,
        "schema": SCHEMA,
        "meta": {"organ": report.meta.organ, "year": report.meta.year, "date": report.meta.date,
                 "contact": report.meta.contact},
        "values": values,
        "sections": {sid: report.sections.get(sid, "") for sid in fmt.text_sections},
    }
    if report.meta.opening:  # absent = the standard opening, as in files written before the field existed
        data["meta"]["opening"] = report.meta.opening
    if report.review:
        data["review"] = dict(report.review)
    if report.sources:
        data["sources"] = dict(report.sources)
    if report.origin_format:
        data["origin_format"] = report.origin_format
    if include_previous and report.previous is not None:
        data["previous"] = report_to_dict(report.previous, include_previous=False)
    for k, v in report.extra.items():
        data.setdefault(k, v)
    return data


def _need(cond: bool, msg: str) -> None:
    if not cond:
        raise ProjectError(msg)


def _type_name(v) -> str:
    return "数字" if isinstance(v, (JsonNumber, int, float, Decimal)) and not isinstance(v, bool) else type(v).__name__


def report_from_dict(data, where: str = "文件", _nested: bool = False) -> Report:
    _need(isinstance(data, dict), f"{where}的内容不是年报项目（最外层应为 JSON 对象）。")
    fmt_id = data.get("format")
    _need(isinstance(fmt_id, str), f"{where}缺少“format”（报告格式），不是年报助手的项目文件。")
    schema = data.get("schema", 1)
    _need(isinstance(schema, int) and not isinstance(schema, bool), f"{where}的“schema”版本号无效。")
    _need(schema <= SCHEMA, f"{where}由更新版本的年报助手保存（文件版本 {schema}，本程序支持到 {SCHEMA}），"
                            f"请升级年报助手后再打开。为免丢失内容，本程序不会改写此文件。")
    try:
        fmt = load_format(fmt_id)
    except FormatError as e:
        raise ProjectError(f"{where}：{e}") from None
    report = Report(format_id=fmt_id)
    meta = data.get("meta", {})
    _need(isinstance(meta, dict), f"{where}的“meta”应为对象。")
    for key in ("organ", "date", "contact", "opening"):
        v = meta.get(key, "")
        v = "" if v is None else v
        _need(isinstance(v, str), f"{where}的 meta.{key} 应为文字，实际是 {_type_name(v)}。")
        setattr(report.meta, key, v)
    year = meta.get("year")
    if isinstance(year, str) and re.fullmatch(r"\s*[0-9]{1,6}\s*", year):  # ASCII digits only ("²" is a digit too)
        year = int(year.strip())
    shown = year.text if isinstance(year, JsonNumber) else year
    _need(year is None or (isinstance(year, int) and not isinstance(year, bool)),
          f"{where}的 meta.year 应为整数年份，实际是“{str(shown)[:40]}”。")
    report.meta.year = year
    values = data.get("values", {})
    _need(isinstance(values, dict), f"{where}的“values”应为对象。")
    for cid, raw in values.items():
        _need(cid in fmt.cells, f"{where}中有未知的单元格编号“{cid}”（格式 {fmt_id}）。")
        if isinstance(raw, JsonNumber):  # a fraction/exponent form or a very long integer
            d = raw.decimal()
            raw = d if d is not None and d.is_finite() else Invalid(raw.text)
        if isinstance(raw, str) and len(raw) > MAX_CELL_TEXT:  # no number is this long: kept, never parsed
            raw = Invalid(raw)
        try:
            v = raw if isinstance(raw, Invalid) else from_json(raw, fmt.cells[cid].kind)
        except TypeError as e:
            raise ProjectError(f"{where}中单元格“{cid}”的值类型错误（{e}），应为数字、\"/\" 或 null。") from None
        except (ValueError, ArithmeticError):  # a number the value parser cannot take: kept as an invalid entry
            v = Invalid(raw if isinstance(raw, str) else str(raw))
        if v is not None:
            report.values[cid] = v
    sections = data.get("sections", {})
    _need(isinstance(sections, dict), f"{where}的“sections”应为对象。")
    for sid, text in sections.items():
        _need(sid in fmt.text_sections, f"{where}中有未知的章节“{sid}”。")
        _need(isinstance(text, str) or text is None, f"{where}中章节“{sid}”应为文字。")
        report.sections[sid] = text or ""
    for key in ("review", "sources"):
        d = data.get(key, {})
        _need(isinstance(d, dict) and all(isinstance(v, str) for v in d.values()), f"{where}的“{key}”格式错误。")
        getattr(report, key).update(d)
    origin = data.get("origin_format")
    _need(origin is None or isinstance(origin, str), f"{where}的“origin_format”格式错误。")
    report.origin_format = origin
    if data.get("previous") is not None and not _nested:
        report.previous = report_from_dict(data["previous"], f"{where}中的上年报告", _nested=True)
    # unknown keys are kept as read (in last year's report also its own "previous", which is not interpreted)
    report.extra = {k: v for k, v in data.items() if k not in _KNOWN or (_nested and k == "previous")}
    return report


def _refill_totals(report: Report) -> None:
    """Totals are computed, never typed: a project file opened for editing whose stored total differs from the
    sum of its cells (written by hand, by another program, or by an older version that missed one) gets the sum,
    and the difference is kept in ``report.recomputed`` to be shown (:func:`recomputed_text`), never changed
    silently. (An imported document keeps the totals it printed: a disagreement there is the document's.)"""
    report.recomputed.update(refill(report))


def recomputed_text(report: Report, limit: int = 6) -> str:
    """The totals refilled when the file was opened, in one Chinese paragraph ("" when none)."""
    if not report.recomputed:
        return ""
    cells = report.format.cells
    parts = [f"{cells[c].name}原为“{display(old) or '空'}”，现为“{display(new) or '空'}”"
             for c, (old, new) in list(report.recomputed.items())[:limit]]
    more = len(report.recomputed) - limit
    return (f"文件中有 {len(report.recomputed)} 个合计与其各项之和不符，已按各项重新计算：" + "；".join(parts)
            + (f"；另有 {more} 处" if more > 0 else "") + "。保存后文件中的合计随之更正。")


# ---------------------------------------------------------------------------------------------
# files

def loads(text: str, where: str = "文件") -> Report:
    return report_from_dict(parse_json(text, where), where)


def fingerprint(data: bytes) -> str:
    """What a file's content is compared by (changed on disk since it was loaded / saved?)."""
    import hashlib  # (here: loading it loads OpenSSL, ~3 ms that opening a report in the window does not need)
    return hashlib.sha256(data).hexdigest()


def read_bytes(path, where: str) -> bytes:
    """A file's bytes; only a regular file is read (a FIFO or device would block or never end)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise ProjectError(f"找不到文件{where}。") from None
    except IsADirectoryError:
        raise ProjectError(f"{where}是文件夹，不是年报项目文件。") from None
    except OSError as e:
        raise ProjectError(f"无法读取{where}：{os_error_text(e)}。") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ProjectError(f"{where}是文件夹，不是年报项目文件。")
        if not stat.S_ISREG(st.st_mode):
            raise ProjectError(f"{where}不是普通文件（可能是管道或设备），不能作为年报项目文件读取。")
        if st.st_size > MAX_PROJECT_BYTES:
            raise ProjectError(f"{where}过大（{st.st_size / 1048576:.0f} MB）。年报项目文件通常小于 1 MB，"
                               f"本程序最多读取 {MAX_PROJECT_BYTES // 1048576} MB。")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(MAX_PROJECT_BYTES + 1)  # bounded even if the file grows while it is read
        if len(data) > MAX_PROJECT_BYTES:
            raise ProjectError(f"{where}过大。本程序最多读取 {MAX_PROJECT_BYTES // 1048576} MB。")
        return data
    except OSError as e:
        raise ProjectError(f"无法读取{where}：{os_error_text(e)}。") from None
    finally:
        os.close(fd)


def load_with_fingerprint(path) -> tuple[Report, str]:
    """The report and the :func:`fingerprint` of the bytes it was read from."""
    report, raw = load_with_bytes(path)
    return report, fingerprint(raw)


def load_with_bytes(path, refill: bool = False) -> tuple[Report, bytes]:
    """The report and the bytes it was read from (their :func:`fingerprint` when it is needed). ``refill``: the
    file is opened for editing (app/session.py): its totals are made the sums of their cells and what changed is
    kept to be said (:func:`recomputed_text`). Checking and reviewing read the file as it is."""
    path = Path(path)
    where = f"“{path.name}”"
    raw = read_bytes(path, where)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProjectError(f"{where}不是 UTF-8 编码的年报项目文件。") from None
    report = loads(text, where)
    if refill:
        _refill_totals(report)  # (last year's report inside is kept as it was published)
    return report, raw


def load(path) -> Report:
    return load_with_fingerprint(path)[0]


def file_fingerprint(path) -> str | None:
    """:func:`fingerprint` of the file now on disk, ``None`` when there is no readable regular file."""
    try:
        return fingerprint(read_bytes(Path(path), ""))
    except ProjectError:
        return None


def dumps(report: Report) -> str:
    return json_text(report_to_dict(report), ensure_ascii=False, indent=1)


def os_error_text(e: OSError) -> str:
    """Why a file operation failed, in Chinese (the program's one wording: :func:`app.errors.os_error_text`)."""
    return _os_error_text(e)


_NAME_MAX = 255


def _name_len(name: str) -> int:
    return len(name) if os.name == "nt" else len(os.fsencode(name))


def backup_path(path) -> Path:
    """``NAME.bak`` next to the file; a name too long for the 4 more characters is shortened before ``.bak``."""
    path = Path(path)
    name = path.name
    while name and _name_len(name + ".bak") > _NAME_MAX:
        name = name[:-1]
    return path.with_name(name + ".bak")


def _resolve_target(path: Path) -> Path:
    """Saving through a symbolic link updates the file the link names (the link stays a link)."""
    if not os.path.islink(path):
        return path
    real = Path(os.path.realpath(path))
    if os.path.islink(real):
        raise OSError(errno.ELOOP, "symlink loop", str(path))
    return real


def _mkstemp(folder: Path) -> tuple[int, str]:
    # short names: a file name a plain open() accepts must never be refused because the temporary one is longer;
    # the process id in the name lets a later save remove what a killed process left (see remove_leftovers)
    return tempfile.mkstemp(prefix=_temp_prefix(), suffix=".tmp", dir=folder)


def _temp_prefix() -> str:
    """``.nb<pid>-<host>-``: the process and (4 hex digits of) the computer that writes a temporary file; in a
    shared folder another computer's process may have the same id."""
    from .liveness import hostname
    import zlib
    return f".nb{os.getpid()}-{zlib.crc32(hostname().casefold().encode('utf-8', 'replace')) & 0xFFFF:04x}-"


_TEMP_NAME = re.compile(r"\.nb(\d+)-([0-9a-f]{4})-[0-9A-Za-z_]+(?:\.bak)?\.tmp\Z")


def remove_leftovers(folder: Path) -> None:
    """Remove temporary files of saves whose process has ended (killed in the middle of a save): a temporary file
    lives only while its process saves, so one whose process no longer runs, or whose process id now belongs to a
    process started after the file was written, is left over."""
    from . import liveness
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    here = _temp_prefix().split("-")[1]
    for entry in entries:
        m = _TEMP_NAME.match(entry.name)
        if not m or int(m.group(1)) == os.getpid() or m.group(2) != here:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(st.st_mode):
                continue
            proc = liveness.process(int(m.group(1)))
            if proc is None or liveness.started_after(proc, st.st_mtime, liveness.FILE_CLOCK_SLACK):
                os.unlink(entry.path)
        except (OSError, ValueError):
            continue


def _fsync_dir(folder: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):
        try:
            dfd = os.open(folder, os.O_DIRECTORY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        except OSError:
            pass


def _write_backup(target: Path, folder: Path) -> None:
    """Keep the current ``target`` as its ``.bak``, atomically: a hard link (no disk space needed) or a copy
    written to a temporary file and fsynced, then renamed over the old ``.bak``. A ``.bak`` that is a symbolic
    link is replaced (as a link), never followed; on any failure the old ``.bak`` stays as it was."""
    bak = backup_path(target)
    if os.path.isdir(bak) and not os.path.islink(bak):
        raise IsADirectoryError(errno.EISDIR, "backup name is a folder", str(bak))
    try:
        if not os.path.islink(bak) and os.path.samefile(bak, target):
            return  # a hard link to the file: it holds the current version now and keeps it when the file is replaced
    except OSError:
        pass
    tmp = None
    try:
        try:
            tmp = os.path.join(folder, f"{_temp_prefix()}{os.urandom(4).hex()}.bak.tmp")
            os.link(target, tmp)  # ``target`` is a regular file (links were resolved by the caller)
        except (OSError, NotImplementedError):
            tmp = None
        if tmp is None:
            fd, tmp = _mkstemp(folder)
            with os.fdopen(fd, "wb") as out, open(target, "rb") as src:
                while chunk := src.read(1 << 20):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        os.replace(tmp, bak)
        tmp = None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def atomic_write(path, data: bytes, backup: bool = True) -> None:
    """Write ``data`` to ``path`` atomically: temp file (short name) in the same folder, fsync, replace.

    With ``backup`` the previous version is kept as ``<name>.bak``, itself replaced atomically (see
    :func:`_write_backup`). A symbolic link is saved through (its target is updated); anything at ``path`` that
    is not a regular file (a folder, a pipe, a device) is refused. On failure an ``OSError`` is raised and the
    previous file and backup are as they were; no temporary file is left.
    """
    target = _resolve_target(Path(path))
    folder = target.parent if str(target.parent) else Path(".")
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(target))
        raise OSError(errno.ESPIPE, "不是普通文件（管道或设备）", str(target))  # not EINVAL: the name is fine
    fd, tmp = _mkstemp(folder)
    try:
        # mkstemp creates 0600; give the file the mode a plain open() would (or the old file's mode)
        if st is not None:
            mode = st.st_mode & 0o777
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if backup and st is not None:
            _write_backup(target, folder)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(folder)
    remove_leftovers(folder)


def save(report: Report, path, backup: bool = True) -> str:
    """Save atomically (see :func:`atomic_write`); returns the :func:`fingerprint` of what was written."""
    name = Path(path).name
    try:
        data = dumps(report).encode("utf-8")
    except (TypeError, ValueError, RecursionError) as e:  # not expected: every report that loads can be saved
        raise ProjectError(f"无法保存到“{name}”：报告中有无法写入文件的内容（{e}）。原文件未被改动。") from None
    try:
        existed = os.path.lexists(path)
    except (OSError, ValueError):
        existed = True
    try:
        atomic_write(path, data, backup=backup)
    except OSError as e:
        if not existed:  # a new name (save as, import): there is no original a clerk should worry about
            kept = "没有写入任何文件"
        else:
            kept = "原文件未被改动，备份也保持原样" if backup else "原文件未被改动"
        raise ProjectError(f"无法保存到“{name}”：{os_error_text(e)}。{kept}。") from None
    return fingerprint(data)
