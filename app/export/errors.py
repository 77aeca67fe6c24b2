"""The exporters' errors: every failure of an export is an :class:`ExportError` with a Chinese message saying why;
nothing was written."""
from __future__ import annotations


class ExportError(Exception):
    """Export failed or was refused; the message is Chinese and says why.  Nothing was written."""


class ReportHasErrors(ExportError):
    """The report still has errors (rules with severity ``error``) and ``force`` was not given."""

    def __init__(self, message: str, findings=()):
        super().__init__(message)
        self.findings = list(findings)


class TemplateProblem(ExportError):
    """A Word template that cannot be used; ``problems`` lists every issue (Chinese)."""

    def __init__(self, message: str, problems=()):
        super().__init__(message)
        self.problems = list(problems)
