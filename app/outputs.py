"""Where outputs may be written: never over an input, an existing file only when the user asks, never a file of
another kind (a project file is not replaced by a workbook). Used by the command line and the GUI.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

# what a file of each suffix starts with (after a UTF-8 BOM and blanks for JSON)
_KIND_OF_SUFFIX = {".docx": "zip", ".xlsx": "zip", ".pdf": "pdf", ".nianbao": "json", ".json": "json"}
_KIND_NAMES = {"zip": "Word 文档或 Excel 工作簿", "pdf": "PDF 文档", "json": "年报项目文件", "other": "其他类型的文件"}


class OutputRefused(Exception):
    """The output file may not be written; the message is Chinese and says why."""


def file_kind(path) -> str | None:
    """``zip`` / ``pdf`` / ``json`` / ``other`` by the first bytes of a regular file; ``None`` when it is empty
    or missing."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
    except OSError:
        return None
    if not head:
        return None
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n").startswith(b"{"):
        return "json"
    return "other"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def check_output(out, inputs=(), overwrite: bool = False, how_to_overwrite: str = "") -> None:
    """Raise :class:`OutputRefused` unless ``out`` may be written.

    Refused always: ``out`` is one of ``inputs`` (also through a link), is a folder, pipe or device, or is an
    existing file of another kind than its suffix promises. Refused unless ``overwrite``: any other existing
    file (``how_to_overwrite`` is appended to the message, e.g. "如要替换，请加 --overwrite")."""
    out = Path(out)
    for inp in inputs:
        if inp is not None and _same_file(out, Path(inp)):
            raise OutputRefused(f"输出文件“{out.name}”就是输入文件，不能用输出覆盖输入。请另选输出文件名。")
    try:
        st = os.stat(out)
    except FileNotFoundError:
        return
    except OSError:
        return  # cannot tell; the write itself will report the problem
    if stat.S_ISDIR(st.st_mode):
        raise OutputRefused(f"“{out.name}”是文件夹，请给出要保存的文件名。")
    if not stat.S_ISREG(st.st_mode):
        raise OutputRefused(f"“{out.name}”不是普通文件（可能是管道或设备），不能写入。")
    expected = _KIND_OF_SUFFIX.get(out.suffix.lower())
    kind = file_kind(out) if expected else None
    if kind is not None and kind != expected:
        raise OutputRefused(f"“{out.name}”已存在，内容是{_KIND_NAMES[kind]}，不是{out.suffix}文件，不会被替换。"
                            "请另选输出文件名。")
    if not overwrite:
        raise OutputRefused(f"“{out.name}”已存在，未替换。{how_to_overwrite}".rstrip())
