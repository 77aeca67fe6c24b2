"""A skipped test fails a CI run (``CI=true``): the hooks tests/conftest.py takes from here.

Required dependencies are imported by the tests, so a missing one fails. A test may skip where a tool it drives is
absent (LibreOffice, Xvfb, NSIS …) or on another platform; on a developer's machine that is a note in the summary,
but CI must have every tool, so there a skip turns the run's exit status into a failure, naming each skipped test
and its reason."""
from __future__ import annotations

import os

import pytest

SKIPPED: list[str] = []


def ci_run() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def _note(report) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        SKIPPED.append(f"{report.nodeid}: {reason.removeprefix('Skipped: ')}")


def pytest_runtest_logreport(report) -> None:
    _note(report)


def pytest_collectreport(report) -> None:
    _note(report)


def fail_on_skips(session) -> None:
    """In CI, a run that passed (or collected nothing but skips) and skipped anything exits with the tests-failed
    status."""
    if ci_run() and SKIPPED and session.exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter) -> None:
    if ci_run() and SKIPPED:
        terminalreporter.section("CI: skipped tests fail the run", sep="=", red=True, bold=True)
        for line in SKIPPED:
            terminalreporter.line(line)
