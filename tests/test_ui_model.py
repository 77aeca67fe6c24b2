"""The table models and the report state, without any view (Vorta style)."""
from decimal import Decimal

import pytest


from app import rules
from app.model import new_report
from app.values import NA
from ui.qt import Qt
from ui.state import ReportState
from ui.tablemodel import (BLANK, ERROR, OK, TINT, WARNING, ComputedRole, ReviewRole, StatusRole,
                           TableModel)


@pytest.fixture
def state(qapp):
    return ReportState(new_report())


def test_models_follow_the_official_layout(state):
    fmt = state.fmt
    for tid in fmt.table_ids:
        m = TableModel(state, tid)
        lay = fmt.layout(tid)
        assert (m.rowCount(), m.columnCount()) == (lay.rows, lay.cols)
        assert set(m.positions) == set(fmt.cells_of(tid))
        for p in lay.cells:
            ix = m.index(p.row, p.col)
            if p.cell_id is None:
                assert ix.data() == p.text
                assert not m.flags(ix) & Qt.ItemIsEditable
            elif p.cell_id in rules.formulas(fmt):
                assert not m.flags(ix) & Qt.ItemIsEditable
                assert ix.data(ComputedRole) is True
            else:
                assert m.flags(ix) & Qt.ItemIsEditable
    t3 = TableModel(state, "t3")
    assert (5, 0, 22, 1) in t3.spans()  # 三、本年度办理结果 spans the 22 result rows


def test_set_data_parses_recomputes_and_rechecks(state):
    m = TableModel(state, "t3")
    changed = []
    m.dataChanged.connect(lambda a, b: changed.append((a.row(), a.column(), b.row(), b.column())))
    assert m.setData(m.index_of("t3.new.natural"), "5件")
    assert state.report.values["t3.new.natural"] == 5
    assert state.report.values["t3.new.total"] == 5  # 总计 column refilled
    assert m.index_of("t3.new.total").data() == "5"
    assert changed  # views are told
    assert m.setData(m.index_of("t3.new.commercial"), "２")  # full-width digit
    assert state.report.values["t3.new.total"] == 7


def test_bad_input_names_the_cell_and_keeps_the_old_value(state):
    m = TableModel(state, "t3")
    m.setData(m.index_of("t3.granted.natural"), "3")
    messages = []
    state.message.connect(messages.append)
    assert not m.setData(m.index_of("t3.granted.natural"), "三件半")
    assert state.report.values["t3.granted.natural"] == 3
    assert "予以公开" in messages[-1] and "三件半" in messages[-1]
    assert state.undo.count() == 1


def test_status_blank_error_warning_and_review(state):
    m = TableModel(state, "t4")
    cell = "t4.review.upheld"
    assert m.index_of(cell).data(StatusRole) == BLANK
    state.fill_blanks("t4")
    assert m.index_of(cell).data(StatusRole) == OK
    assert state.report.values["t4.review.total"] == 0
    # a total that disagrees (as imported) is an error on every cell of the group
    state.set_cells({"t4.review.total": 5})
    assert m.index_of(cell).data(StatusRole) == ERROR
    assert m.index_of(cell).data(Qt.BackgroundRole).color() == TINT[ERROR]
    assert "总计" in m.index_of(cell).data(Qt.ToolTipRole)
    state.report.review["t4.review.pending"] = "从网页表格读出，列对齐不确定"
    state.run_check()
    ix = m.index_of("t4.review.pending")
    assert ix.data(ReviewRole) == "从网页表格读出，列对齐不确定"
    assert "列对齐不确定" in ix.data(Qt.ToolTipRole)
    # warnings are a different status than errors
    state.report.previous = new_report()
    state.report.previous.values.update({"t2.regulations.in_force": 4})
    m2 = TableModel(state, "t2")
    state.set_cells({"t2.regulations.issued": 1, "t2.regulations.repealed": 0, "t2.regulations.in_force": 9})
    assert m2.index_of("t2.regulations.in_force").data(StatusRole) == WARNING


def test_undo_restores_an_imported_total_exactly(state):
    state.set_cells({"t4.review.upheld": 1, "t4.review.corrected": 0, "t4.review.other": 0,
                     "t4.review.pending": 0})
    state.report.values["t4.review.total"] = 9  # as if imported wrong
    state.set_cells({"t4.review.upheld": 2})
    assert state.report.values["t4.review.total"] == 2
    state.undo.undo()
    assert state.report.values["t4.review.upheld"] == 1
    assert state.report.values["t4.review.total"] == 9
    state.undo.redo()
    assert state.report.values["t4.review.total"] == 2


def test_fix_of_a_finding_is_one_undo_step(qapp):
    from app.model import next_year_report
    last = new_report()
    last.values["t3.carried_out.natural"] = 3
    last.values["t3.carried_out.total"] = 3
    state = ReportState(next_year_report(last))
    state.set_cells({"t3.carried_in.natural": 5})
    f = next(f for f in state.findings if f.rule == "YEAR.CARRY" and f.cells == ["t3.carried_in.natural"])
    assert f.fix == {"t3.carried_in.natural": 3}
    n = state.undo.count()
    state.apply_fix(f)
    assert state.report.values["t3.carried_in.natural"] == 3
    assert not [f for f in state.findings if f.rule == "YEAR.CARRY"]
    assert state.undo.count() == n + 1


def test_paste_block_all_or_nothing(state):
    m = TableModel(state, "t3")
    top, left = m.positions["t3.new.natural"]
    values = m.parse_block("1\t2\t0\t0\t0\t0\t3\r\n4\t/\t0\t0\t0\t0\t4\r\n", top, left)
    assert values["t3.new.commercial"] == 2 and values["t3.carried_in.commercial"] is NA
    assert "t3.new.total" not in values  # totals are skipped, they are computed
    with pytest.raises(ValueError) as e:
        m.parse_block("1\t2\n3\tabc\n", top, left)
    assert "abc" in str(e.value)
    with pytest.raises(ValueError):
        m.parse_block("1\t2\t3\t4\t5\t6\t7\t8\n", top, left)  # one column too many
    with pytest.raises(ValueError):
        m.parse_block("1\t2\n", top, left - 1)  # would cover a label
    t2 = TableModel(state, "t2")
    r, c = t2.positions["t2.fees.amount"]
    assert t2.parse_block("0.1250\t\t\n", r, c) == {"t2.fees.amount": Decimal("0.1250")}  # merged cell


def test_block_text_is_tab_separated(state):
    m = TableModel(state, "t3")
    state.set_cells({"t3.new.natural": 1, "t3.new.commercial": NA})
    r, c = m.positions["t3.new.natural"]
    assert m.block_text(r, c, r, c + 1) == "1\t/\r\n"
