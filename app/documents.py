"""Open a report from any file the program understands.

Project files are read here; other kinds (DOCX, XLSX, text/HTML of published reports) are handed to
importers registered in :data:`IMPORTERS` by suffix, so the command line and the GUI share one entry.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from . import project
from .model import Report


class OpenError(Exception):
    """A file that cannot be opened as a report; the message is Chinese."""


# suffix -> function(path) -> Report ; filled by app.importers when present
IMPORTERS: dict[str, Callable[[Path], Report]] = {}


def _register_importers() -> None:
    try:
        from . import importers  # noqa: F401  (registers itself)
    except ImportError:
        pass


def supported_suffixes() -> list[str]:
    _register_importers()
    return [project.SUFFIX, ".json"] + sorted(IMPORTERS)


def open_report(path) -> Report:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (project.SUFFIX, ".json"):
        try:
            return project.load(path)
        except project.ProjectError as e:
            raise OpenError(str(e)) from None
    _register_importers()
    if suffix in IMPORTERS:
        if not path.is_file():
            if path.exists():  # a pipe or device would block or never end
                raise OpenError(f"“{path.name}”不是普通文件（可能是文件夹、管道或设备），无法打开。")
            raise OpenError(f"找不到文件“{path.name}”。")
        return IMPORTERS[suffix](path)
    raise OpenError(f"“{path.name}”的类型（{suffix or '无扩展名'}）无法打开。可打开：{'、'.join(supported_suffixes())}")
