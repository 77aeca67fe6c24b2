"""The one resource resolver: works from a checkout, an installed package and a frozen build.

Where the data lives:
  * a checkout (also ``pip install -e``): ``resources/`` and ``templates/`` beside ``app/``;
  * an installed wheel: inside the package, ``app/data/`` and ``app/templates/`` (pyproject maps them);
  * a frozen build: ``resources/`` and ``templates/`` in PyInstaller's bundle folder (``sys._MEIPASS``).
"""
from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent

# What a working installation must hold (relative to the resources/templates folders). A file missing here is a
# broken installation, reported as such, never as a fault of the user's report.
REQUIRED_RESOURCES = (
    ("formats", "gov-2021.json"),
    ("formats", "gov-2019.json"),
    ("narrative", "gov-2021.json"),
    ("typesetting", "gbt9704.json"),
    ("samples", "demo.nianbao"),
    ("translations", "nianbao_zh_CN.qm"),
    ("fonts", "nianbao-song.ttf"),
    ("fonts", "nianbao-kai.ttf"),
    ("fonts", "DroidSansFallbackFull.ttf"),
)
REQUIRED_TEMPLATES = (("gov-2021.docx",),)


class InstallError(Exception):
    """A data file of the program itself is missing: the installation is broken (message in Chinese)."""

    def __init__(self, missing):
        self.missing = [Path(p) for p in missing]
        names = "；".join(str(p) for p in self.missing)
        super().__init__(f"安装不完整：缺少 {names}，请重新安装年报助手。")


def _folders() -> tuple[Path, Path]:
    """(resources folder, templates folder)."""
    env = os.environ.get("NIANBAO_ROOT")
    if env:
        return Path(env) / "resources", Path(env) / "templates"
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "resources", Path(bundle) / "templates"
    checkout = PACKAGE.parent
    if (checkout / "resources").is_dir() and (checkout / "pyproject.toml").is_file():
        return checkout / "resources", checkout / "templates"
    return PACKAGE / "data", PACKAGE / "templates"


def root() -> Path:
    """Folder that holds ``resources/`` and ``templates/`` in a checkout or a frozen build (kept for scripts)."""
    return _folders()[0].parent


def resource(*parts: str) -> Path:
    """Path of a file under ``resources/``."""
    return _folders()[0].joinpath(*parts)


def template(*parts: str) -> Path:
    """Path of a file under ``templates/``."""
    return _folders()[1].joinpath(*parts)


def missing_files() -> list[Path]:
    """Files a working installation must have and this one lacks."""
    return [p for p in [resource(*r) for r in REQUIRED_RESOURCES] + [template(*t) for t in REQUIRED_TEMPLATES]
            if not p.is_file()]


def check_installation() -> None:
    """Raise :class:`InstallError` naming every missing data file."""
    missing = missing_files()
    if missing:
        raise InstallError(missing)


@functools.lru_cache(maxsize=1)
def typesetting() -> dict:
    """The one typesetting spec, ``resources/typesetting/gbt9704.json`` (GB/T 9704-2012: page, grid, fonts, sizes,
    the opening's wording, the draft mark …); ``NIANBAO_TYPESETTING`` (a path to a JSON file of the same shape)
    replaces it for a process. Read by the printed document, both exporters and the template builder."""
    import json
    path = os.environ.get("NIANBAO_TYPESETTING") or resource("typesetting", "gbt9704.json")
    return json.loads(Path(path).read_text(encoding="utf-8"))
