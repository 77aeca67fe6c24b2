"""Excel workbooks in the layout written by ``app.export.xlsx`` (read by ``own_xlsx`` after the ZIP guards)."""
from __future__ import annotations

from pathlib import Path

from .base import ImportFailed


def import_xlsx(path: Path):
    from .own_xlsx import XlsxError, read_xlsx  # read_xlsx checks the container with the ZIP guard first

    try:
        return read_xlsx(path)
    except XlsxError as e:  # already a Chinese message saying what is wrong
        raise ImportFailed(str(e)) from None
