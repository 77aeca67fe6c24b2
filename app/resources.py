"""The one resource resolver: works from a checkout, an installed package and a frozen build."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def root() -> Path:
    """Folder that holds ``resources/`` and ``templates/``.

    Order: ``NIANBAO_ROOT`` (tests, odd installs), a frozen build's bundle folder
    (PyInstaller's ``sys._MEIPASS``), then the checkout (parent of ``app/``).
    """
    env = os.environ.get("NIANBAO_ROOT")
    if env:
        return Path(env)
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


def resource(*parts: str) -> Path:
    """Path of a file under ``resources/``."""
    return root().joinpath("resources", *parts)


def template(*parts: str) -> Path:
    """Path of a file under ``templates/``."""
    return root().joinpath("templates", *parts)
