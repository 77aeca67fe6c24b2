"""Open a report from any file the program understands.

Project files are read here; other kinds (DOCX, XLSX, text/HTML of published reports) are handed to the
importers of :data:`app.importers.IMPORTERS` (by suffix), so the command line and the GUI share one entry. The
importers are imported when a file of another kind is first asked about (``nianbao check`` on project files never
loads them); a broken installation fails there with its own error, never as "no such file type".
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from . import project
from .errors import OpenError
from .model import Report

__all__ = ["OpenError", "open_report", "supported_suffixes"]


def _importers() -> dict[str, Callable[[Path], Report]]:
    from .importers import IMPORTERS
    return IMPORTERS


def supported_suffixes() -> list[str]:
    return [project.SUFFIX, ".json"] + sorted(_importers())


def open_report(path) -> Report:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (project.SUFFIX, ".json"):
        try:
            return project.load(path)
        except project.ProjectError as e:
            raise OpenError(str(e)) from None
    importers = _importers()
    if suffix in importers:
        if not path.is_file():
            if path.exists():  # a pipe or device would block or never end
                raise OpenError(f"“{path.name}”不是普通文件（可能是文件夹、管道或设备），无法打开。")
            raise OpenError(f"找不到文件“{path.name}”。")
        from . import sandbox
        if sandbox.enabled():  # the command line and the window: read in the worker process, with hard limits
            return sandbox.read_report(path)
        return importers[suffix](path)
    raise OpenError(f"“{path.name}”的类型（{suffix or '无扩展名'}）无法打开。可打开：{'、'.join(supported_suffixes())}")
