"""The format's standard opening paragraph (its wording lives in the typesetting data,
resources/typesetting/gbt9704.json). A module of its own, without app.textutil's patterns: the window's cover page
shows the opening in its first frame, and compiling those patterns cost ~3 % of the program's start-up."""
from __future__ import annotations

import json
import os
from pathlib import Path

from .resources import resource


def standard_opening(organ: str, year: int | None) -> str:
    """The format's standard opening paragraph, worded from organ and year — what a report prints when
    ``meta.opening`` is "" (the wording lives in the typesetting data, resources/typesetting/gbt9704.json)."""
    path = os.environ.get("NIANBAO_TYPESETTING") or resource("typesetting", "gbt9704.json")
    wording = json.loads(Path(path).read_text(encoding="utf-8"))["opening"]
    return wording.format(organ=organ or "本机关", year="" if year is None else str(year))
