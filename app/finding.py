"""A finding of a check: the rule that found it, its severity, the cells it names, the message (Chinese) and the
expected/actual values. Below the rules and the rule packs, which both make findings."""
from __future__ import annotations

from dataclasses import dataclass, field

from .values import display

ERROR = "error"
WARNING = "warning"


@dataclass
class Finding:
    rule: str
    severity: str
    cells: list[str]
    message: str
    expected: object = None
    actual: object = None
    fix: dict = field(default_factory=dict)  # cell id -> value that would resolve the finding

    def to_json(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "cells": list(self.cells), "message": self.message,
                "expected": _json_num(self.expected), "actual": _json_num(self.actual)}


def _json_num(v):
    if v is None or isinstance(v, (int, str)):
        return v
    return display(v)
