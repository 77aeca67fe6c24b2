"""Errors about files that every layer shares, and the one Chinese wording of an operating-system error.

* :class:`OpenError`: a file that cannot be opened as a report (project files, imports);
* :class:`ImportFailed`: an importer's refusal of a file it cannot read (the ZIP guard raises it too);
* :func:`os_error_text`: why a file operation failed, in Chinese, from the error number alone (never the internal
  temporary file names an ``OSError`` message may carry).

This module imports nothing of the program: everything above may use it.
"""
from __future__ import annotations

from pathlib import Path


class OpenError(Exception):
    """A file that cannot be opened as a report; the message is Chinese."""


class ImportFailed(OpenError):
    """A file that cannot be imported; the message is Chinese and says what is wrong."""


def where_label(path: Path) -> str:
    """A file named in a message: “name”."""
    return f"“{path.name}”"


def os_error_text(e: OSError) -> str:
    """Why a file operation failed, in Chinese: the program's one wording for each error number (the table is
    :mod:`app.messages`, which also words the exceptions of third-party readers)."""
    from .messages import os_error_text as text
    return text(e)
