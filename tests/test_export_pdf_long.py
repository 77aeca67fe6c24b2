"""Long text in the PDF: layout work grows linearly with the text, the page layout of a long
paragraph is what reportlab's own splitting gives, and absurd sizes are refused with a Chinese message before any
layout starts (nothing written)."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from app.export import MAX_TEXT_CHARS, ExportError, export_report
from app.export import pdf as P

BASE = "本机关认真贯彻落实条例规定，2023年12月31日前共办理申请123件，"


def _long(n: int) -> str:
    return (BASE * (n // len(BASE) + 1))[:n]


def _count_units(monkeypatch) -> list[int]:
    seen = []
    real = P.split_lines

    def spy(frags, max_widths, *args):
        out = real(frags, max_widths, *args)
        seen.append(sum(len(getattr(f, "text", "") or "") for f in frags))
        return out
    monkeypatch.setattr(P, "split_lines", spy)
    return seen


@pytest.mark.parametrize("n", [20_000, 40_000])
def test_line_breaking_work_is_linear_in_a_long_paragraph(load_fixture, monkeypatch, n):
    report = load_fixture("wuzhong-minzheng-2023")
    report.sections["s1"] = _long(n)
    seen = _count_units(monkeypatch)
    P.render_pdf(report)
    # every character goes through the line breaker a bounded number of times (today: once per page, so a
    # 40 000-character paragraph was broken ~60 times over)
    assert sum(seen) < 3 * n + 50_000, (sum(seen), n)


def _page_lines(data: bytes) -> list[list[str]]:
    return [[x.rstrip() for x in p.extract_text().splitlines()] for p in PdfReader(io.BytesIO(data)).pages]


def test_a_long_paragraph_is_laid_out_as_reportlab_would(load_fixture, monkeypatch):
    report = load_fixture("wuzhong-minzheng-2023")
    report.sections["s1"] = _long(6000) + "\n" + report.sections["s1"] + "\n" + _long(1234)
    chunked = _page_lines(P.render_pdf(report))
    monkeypatch.setattr(P, "CHUNK_LINES", 10**9)  # one paragraph, split page by page by reportlab
    whole = _page_lines(P.render_pdf(report))
    assert len(chunked) == len(whole) and chunked == whole


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".xlsx"])
def test_absurd_sizes_are_refused_before_layout(tmp_path, load_fixture, suffix):
    report = load_fixture("wuzhong-minzheng-2023")
    report.sections["s5"] = _long(MAX_TEXT_CHARS + 1)
    target = tmp_path / f"out{suffix}"
    with pytest.raises(ExportError, match="超过导出上限"):
        export_report(report, target, force=True)
    assert not target.exists() and list(tmp_path.iterdir()) == []
