"""Fuzz targets shared by the hypothesis tests (short runs in the normal suite) and the atheris driver.

``run(kind, data)`` imports ``data`` as a file of ``kind`` (``.nianbao``: a project file); the only acceptable
outcomes are a report that is consistent, checkable and savable, or :class:`app.documents.OpenError` with a
Chinese message — and either within the budget of :data:`SECONDS` and :data:`MEGABYTES` per input.
"""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import app.importers
from app.documents import OpenError, open_report
from app.formats import load_format
from app.project import dumps, loads

KINDS = (".txt", ".html", ".docx", ".xlsx", ".mht", ".nianbao")

# budget of one input: generous for a loaded 2-core machine (an unbounded worst case takes 20 s to minutes and
# gigabytes; bounded, every one takes well under a second)
SECONDS = 5.0
MEGABYTES = 300


class OverBudget(AssertionError):
    pass


def _status_kb(key: str) -> int | None:
    try:
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith(key + ":"))
    except (OSError, StopIteration):
        return None


def _reset_peak() -> bool:
    try:  # Linux: resets VmHWM, so the peak below belongs to this input alone
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def budgeted(fn, *args):
    """``fn(*args)``, failing with :class:`OverBudget` when it took more than :data:`SECONDS` or its peak memory
    grew by more than :data:`MEGABYTES` (peak resident memory, Linux; elsewhere only the time is checked)."""
    measured = _reset_peak()
    base = _status_kb("VmRSS") if measured else None
    t = time.perf_counter()
    out = fn(*args)
    seconds = time.perf_counter() - t
    peak = _status_kb("VmHWM") if measured else None
    grown = (peak - base) / 1024 if peak is not None and base is not None else 0.0
    if seconds > SECONDS or grown > MEGABYTES:
        raise OverBudget(f"one input took {seconds:.1f} s and {grown:.0f} MB (budget {SECONDS} s, {MEGABYTES} MB)")
    return out


def check_report(report) -> None:
    fmt = load_format(report.format_id)
    assert set(report.values) <= set(fmt.cells), set(report.values) - set(fmt.cells)
    for cid in report.values:
        assert cid in report.sources, cid  # every imported value says where it came from
    for cid, why in report.review.items():
        assert isinstance(why, str) and why, cid
    again = loads(dumps(report))  # whatever was imported can be saved and read back
    assert again.values == report.values


def check_project(report) -> None:
    """What the program does with an opened project file: check it (with itself as last year's), show and export
    every value, save it and read it back."""
    from app.rules import check
    from app.values import display, to_json
    fmt = load_format(report.format_id)
    for f in check(report, report):
        assert isinstance(f.message, str) and f.message
    for cid, v in report.values.items():
        display(v)
        to_json(v, fmt.cells[cid].kind)
    # every report that opens can be saved: no exception is allowed here
    text = dumps(report)
    text.encode("utf-8")
    again = loads(text)
    assert again.values == report.values
    assert {k: v for k, v in again.sections.items() if v} == {k: v for k, v in report.sections.items() if v}


def run(kind: str, data: bytes) -> str:
    return budgeted(_run, kind, data)


def _run(kind: str, data: bytes) -> str:
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
        if kind == ".nianbao":
            check_project(report)
        else:
            check_report(report)
        return "imported"
    finally:
        app.importers.STRICT = False
        os.unlink(name)
