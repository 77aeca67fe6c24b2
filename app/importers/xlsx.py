"""Excel workbooks in the layout written by ``app.export.xlsx`` (read by ``own_xlsx`` after the ZIP guards)."""
from __future__ import annotations

from pathlib import Path

from .base import ImportFailed, where_label


def import_xlsx(path: Path):
    try:  # read_xlsx checks the container with base.open_zip first
        from ..export.xlsx import XlsxError, read_xlsx
    except ImportError:
        raise ImportFailed(f"本版本的年报助手不能导入 Excel 文件{where_label(path)}（缺少 Excel 读取模块）。") from None
    try:
        return read_xlsx(path)
    except XlsxError as e:  # already a Chinese message saying what is wrong
        raise ImportFailed(str(e)) from None
