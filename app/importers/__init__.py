"""Importers: published reports (DOCX, HTML, text, PDF with a text layer), our own DOCX export (lossless) and the
XLSX export.

:data:`IMPORTERS` holds one function per suffix (``app.documents.open_report`` dispatches on it). The heavy
modules (lxml, openpyxl) are imported only when a file of that kind is opened, so ``nianbao check`` on project
files stays fast. Every importer raises :class:`ImportFailed` (an :class:`app.documents.OpenError`) with a
Chinese message for a file it cannot read — never another exception, never a partial report.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..errors import ImportFailed, OpenError
from ..model import Report

# suffix -> function(path) -> Report
IMPORTERS: dict[str, Callable[[Path], Report]] = {}


# Fuzzing sets this so that an unexpected exception surfaces as a finding instead of becoming a message.
STRICT = False


def _guarded(kind: str, loader):
    def run(path) -> Report:
        path = Path(path)
        try:
            return loader()(path)
        except OpenError:
            raise
        except Exception as e:
            if STRICT:
                raise
            from ..messages import exception_text
            raise ImportFailed(f"无法导入{kind}“{path.name}”：{exception_text(e)}。") from None
    run.__name__ = f"import_{kind}"
    return run


def _docx():
    from .docx import import_docx
    return import_docx


def _text():
    from .text import import_text
    return import_text


def _html():
    from .html import import_html
    return import_html


def _mht():
    from .html import import_mht
    return import_mht


def _pdf():
    from .pdf import import_pdf
    return import_pdf


def _xlsx():
    from .xlsx import import_xlsx
    return import_xlsx


IMPORTERS[".docx"] = _guarded("Word 文档", _docx)
IMPORTERS[".txt"] = _guarded("文字文件", _text)
IMPORTERS[".md"] = _guarded("文字文件", _text)
IMPORTERS[".html"] = _guarded("网页", _html)
IMPORTERS[".htm"] = _guarded("网页", _html)
IMPORTERS[".mht"] = _guarded("网页", _mht)
IMPORTERS[".mhtml"] = _guarded("网页", _mht)
IMPORTERS[".xlsx"] = _guarded("Excel 文件", _xlsx)
IMPORTERS[".pdf"] = _guarded("PDF 文件", _pdf)

__all__ = ["IMPORTERS", "ImportFailed"]
