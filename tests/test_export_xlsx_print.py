"""XLSX as printed and previewed: every formula carries its value (viewers that do not
recalculate show the totals), GB/T 9704 margins, page numbers in the footer, the fee printed as in the DOCX."""
from __future__ import annotations

import io
from decimal import Decimal

import openpyxl

from app.export import xlsx as X
from app.formats import load_format

from app.importers import own_xlsx as ox
from app.values import display


def test_every_formula_has_its_value_cached(tmp_path, load_fixture):
    report = load_fixture("wuzhong-minzheng-2023")
    data = X.render_xlsx(report)
    formulas = openpyxl.load_workbook(io.BytesIO(data))
    values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    where = X.cell_addresses(report.format)
    n = 0
    for cid, (sheet, addr) in where.items():
        if formulas[sheet][addr].data_type == "f":
            n += 1
            cached = values[sheet][addr].value
            assert cached is not None, (cid, addr)
            assert display(report.values.get(cid)) == display(Decimal(str(cached)) if isinstance(cached, float)
                                                              else cached), cid
    assert n > 10
    # and the import still reads the cached totals as the report's values
    path = tmp_path / "r.xlsx"
    path.write_bytes(data)
    assert ox.read_xlsx(path).values == report.values


def test_margins_footer_and_fee_format(load_fixture):
    report = load_fixture("wuzhong-minzheng-2023")
    wb = openpyxl.load_workbook(io.BytesIO(X.render_xlsx(report)))
    for name in [load_format().table_name(t) for t in load_format().table_ids]:
        ws = wb[name]
        m = ws.page_margins
        assert [round(x * 25.4) for x in (m.top, m.bottom, m.left, m.right)] == [37, 35, 28, 26]
        assert "&P" in (ws.oddFooter.right.text or "") and "&P" in (ws.evenFooter.left.text or "")
    fee_sheet, fee_addr = next(v for c, v in X.cell_addresses(report.format).items()
                               if report.format.cells[c].kind == "money")
    assert wb[fee_sheet][fee_addr].number_format == "General"  # 0 prints 0 (not 0.0000), 1.5 prints 1.5
