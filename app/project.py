"""Project files (``*.nianbao``): UTF-8 JSON, saved atomically with a backup of the previous version.

Minimal file (every other key optional)::

    {"format": "gov-2021",
     "meta": {"organ": "吴忠市民政局", "year": 2023, "date": "2024-01-16", "contact": "…"},
     "values": {"t3.new.natural": 1, "t2.regulations.issued": "/", "t2.fees.amount": "0.1250"},
     "sections": {"s1": "…", "s5": "…", "s6": "…"}}
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

from .formats import FormatError, load_format
from .model import Meta, Report
from .values import ValueError_, from_json, json_constant, json_int, to_json

SCHEMA = 1
SUFFIX = ".nianbao"
MAX_PROJECT_BYTES = 32 * 1024 * 1024  # a report with last year's is about 50 KB; 32 MB holds 10 million characters
_KNOWN = {"format", "schema", "meta", "values", "sections", "previous", "review", "sources", "origin_format", "app"}


class ProjectError(Exception):
    """A project file that cannot be read or written; the message is Chinese and says why."""


# ---------------------------------------------------------------------------------------------
# dict <-> Report

def report_to_dict(report: Report, include_previous: bool = True) -> dict:
    fmt = report.format
    values = {}
    for cid, cell in fmt.cells.items():
        v = report.values.get(cid)
        if v is not None:
            values[cid] = to_json(v, cell.kind)
    data = {
        "format": report.format_id,
        "schema": SCHEMA,
        "meta": {"organ": report.meta.organ, "year": report.meta.year, "date": report.meta.date,
                 "contact": report.meta.contact},
        "values": values,
        "sections": {sid: report.sections.get(sid, "") for sid in fmt.text_sections},
    }
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


def report_from_dict(data, where: str = "文件") -> Report:
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
    for key in ("organ", "date", "contact"):
        v = meta.get(key, "")
        v = "" if v is None else v
        _need(isinstance(v, str), f"{where}的 meta.{key} 应为文字，实际是 {type(v).__name__}。")
        setattr(report.meta, key, v)
    year = meta.get("year")
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year.strip())
    _need(year is None or (isinstance(year, int) and not isinstance(year, bool)),
          f"{where}的 meta.year 应为整数年份，实际是“{year}”。")
    report.meta.year = year
    values = data.get("values", {})
    _need(isinstance(values, dict), f"{where}的“values”应为对象。")
    for cid, raw in values.items():
        _need(cid in fmt.cells, f"{where}中有未知的单元格编号“{cid}”（格式 {fmt_id}）。")
        try:
            v = from_json(raw, fmt.cells[cid].kind)
        except TypeError as e:
            raise ProjectError(f"{where}中单元格“{cid}”的值类型错误（{e}），应为数字、\"/\" 或 null。") from None
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
    if data.get("previous") is not None:
        report.previous = report_from_dict(data["previous"], f"{where}中的上年报告")
    report.extra = {k: v for k, v in data.items() if k not in _KNOWN}
    return report


# ---------------------------------------------------------------------------------------------
# files

def loads(text: str, where: str = "文件") -> Report:
    try:  # numbers stay text-exact (Decimal) and are checked against the digit limit only when a cell reads them
        data = json.loads(text, parse_float=Decimal, parse_int=json_int, parse_constant=json_constant)
    except json.JSONDecodeError as e:
        raise ProjectError(f"{where}已损坏或不是年报项目文件（JSON 格式错误：第 {e.lineno} 行第 {e.colno} 列）。") from None
    except ValueError_ as e:
        raise ProjectError(f"{where}{e}。") from None
    except RecursionError:
        raise ProjectError(f"{where}的结构嵌套过深，不是年报项目文件。") from None
    return report_from_dict(data, where)


def load(path) -> Report:
    path = Path(path)
    where = f"“{path.name}”"
    try:
        size = path.stat().st_size
        if size > MAX_PROJECT_BYTES:
            raise ProjectError(f"{where}过大（{size / 1048576:.0f} MB）。年报项目文件通常小于 1 MB，"
                               f"本程序最多读取 {MAX_PROJECT_BYTES // 1048576} MB。")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ProjectError(f"找不到文件{where}。") from None
    except IsADirectoryError:
        raise ProjectError(f"{where}是文件夹，不是年报项目文件。") from None
    except OSError as e:
        raise ProjectError(f"无法读取{where}：{e.strerror}。") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProjectError(f"{where}不是 UTF-8 编码的年报项目文件。") from None
    return loads(text, where)


def dumps(report: Report) -> str:
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=1)


def atomic_write(path, data: bytes, backup: bool = True) -> None:
    """Write ``data`` to ``path`` atomically: temp file in the same folder, fsync, replace.

    With ``backup`` the previous version is kept as ``<name>.bak``.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        # mkstemp creates 0600; give the file the mode a plain open() would (or the old file's mode)
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if backup and path.exists():
            shutil.copy2(path, path.with_name(path.name + ".bak"))
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if hasattr(os, "O_DIRECTORY"):
        try:
            dfd = os.open(folder, os.O_DIRECTORY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        except OSError:
            pass


def save(report: Report, path, backup: bool = True) -> None:
    try:
        atomic_write(path, dumps(report).encode("utf-8"), backup=backup)
    except OSError as e:
        raise ProjectError(f"无法保存到“{Path(path).name}”：{e.strerror or e}。原文件未被改动。") from None
