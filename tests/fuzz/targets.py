"""Fuzz targets shared by the hypothesis tests (short runs in the normal suite) and the atheris driver.

``run(kind, data)`` imports ``data`` as a file of ``kind``; the only acceptable outcomes are a report that is
consistent and savable, or :class:`app.documents.OpenError` with a Chinese message.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import app.importers
from app.documents import OpenError, open_report
from app.formats import load_format
from app.project import dumps, loads

KINDS = (".txt", ".html", ".docx", ".xlsx", ".mht")


def check_report(report) -> None:
    fmt = load_format(report.format_id)
    assert set(report.values) <= set(fmt.cells), set(report.values) - set(fmt.cells)
    for cid in report.values:
        assert cid in report.sources, cid  # every imported value says where it came from
    for cid, why in report.review.items():
        assert isinstance(why, str) and why, cid
    again = loads(dumps(report))  # whatever was imported can be saved and read back
    assert again.values == report.values


def run(kind: str, data: bytes) -> str:
    fd, name = tempfile.mkstemp(suffix=kind)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        app.importers.STRICT = True  # an unexpected exception is a finding, not a message
        try:
            report = open_report(Path(name))
        except OpenError as e:
            msg = str(e)
            assert msg and any("\u4e00" <= ch <= "\u9fff" for ch in msg), msg
            return "refused"
        check_report(report)
        return "imported"
    finally:
        app.importers.STRICT = False
        os.unlink(name)
