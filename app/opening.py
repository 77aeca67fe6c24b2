"""The format's standard opening paragraph (its wording lives in the typesetting data,
resources/typesetting/gbt9704.json). A module of its own, without app.textutil's patterns: the window's cover page
shows the opening in its first frame, and compiling those patterns cost ~3 % of the program's start-up."""
from __future__ import annotations

from .resources import typesetting


def standard_opening(organ: str, year: int | None) -> str:
    """The format's standard opening paragraph, worded from organ and year — what a report prints when
    ``meta.opening`` is "" (the wording lives in the typesetting data, resources/typesetting/gbt9704.json)."""
    return opening_from(typesetting()["opening"], organ, year)


def opening_from(wording: str, organ: str, year) -> str:
    """The opening's wording filled in; an unknown organ reads 本机关, an unknown year 本年度 (never "统计期限为年1月
    1日": a year printed as nothing)."""
    if year is None or str(year).strip() == "":
        wording = wording.replace("{year}年度", "本年度").replace("{year}年", "本年度")
    return wording.format(organ=organ or "本机关", year="" if year is None else str(year))
