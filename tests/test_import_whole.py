"""Last year's report comes in whole (issue 19): every shape, nothing lost, duplicated or reworded.

Each test builds a document of the shape a clerk meets (a WPS-exported PDF, text copied off a page, …) from a
hand-typed fixture and checks that what the office wrote arrives where it belongs."""
import sys

import pytest

from app.documents import open_report
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tests"))
from fuzz.docs import text_from_report  # noqa: E402
from wps_like import wps_like_pdf  # noqa: E402

FIX = ROOT / "tests" / "fixtures"


def _strip(s: str) -> str:
    return "".join(s.split())


@pytest.fixture(scope="module")
def wuzhong():
    return open_report(FIX / "wuzhong-minzheng-2023.nianbao")


@pytest.fixture(scope="module")
def wps_pdf(wuzhong, tmp_path_factory):
    text = text_from_report(wuzhong).replace("**", "") + "\n吴忠市民政局\n2024年1月22日\n"
    return wps_like_pdf(text, tmp_path_factory.mktemp("wps") / "wuzhong-wps.pdf",
                        right_aligned=("吴忠市民政局", "2024年1月22日"))


def test_wps_pdf_white_boxes_are_not_tables(wps_pdf, wuzhong):
    """WPS paints a white box behind every line; they are not table rulings: 一, 五 and 六 arrive whole."""
    report = open_report(wps_pdf)
    for sid in ("s1", "s5", "s6"):
        assert _strip(report.sections[sid]) == _strip(wuzhong.sections[sid].replace("**", "")), sid
    for cid in wuzhong.format.cells:
        assert report.values.get(cid) == wuzhong.values.get(cid), cid
    assert (report.meta.organ, report.meta.year, report.meta.date) == ("吴忠市民政局", 2023, "2024-01-22")
    assert "没有框线" not in " ".join(report.extra.get("import_notes", []))


def test_wps_table_over_the_page_keeps_its_last_row(tmp_path, wuzhong):
    """A table going on over the page has no ruling under its last row on the first page (WPS); the row is kept."""
    import pdfplumber

    from app.importers.pdf import find_tables
    text = text_from_report(wuzhong).replace("**", "")
    pdf = wps_like_pdf(text, tmp_path / "w.pdf")
    with pdfplumber.open(str(pdf)) as doc:
        tables = [(p.page_number, t) for p in doc.pages for t in find_tables(p)]
        rows = sum(len(t.rows) for _, t in tables)
        pages_of_t3 = {n for n, t in tables if any("申请" in (c or "") or "不予" in (c or "")
                                                   for r in t.extract() for c in r)}
    assert len(pages_of_t3) == 2, "the fixture's table 3 must go over a page for this test"
    # table 2: 4 block headers, 4 header rows, 6 rows; table 3: 3 header rows, 26 rows; table 4: 3 rows
    assert rows == 14 + 29 + 3
