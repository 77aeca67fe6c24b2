"""What the recogniser keeps between documents (the class of each distinct text in a table, kept with the table's
spec; whether a line is a part's heading) is what it would work out afresh: reading documents in any order, or
with nothing kept, gives the same reports."""
import random

import pytest

from app.documents import open_report
from app.formats import load_format
from app.importers import recognise
from app.importers.base import Block
from app.importers.recognise import KNOWN_TYPOS, Recogniser, _label_form, _VALUE, table_spec
from fuzz.docs import docx_from_report, random_report


def shown(report) -> tuple:
    return (report.values, report.review, report.sources, report.extra.get("import_notes"),
            report.extra.get("import_account"), report.sections, report.meta)


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    d = tmp_path_factory.mktemp("memo")
    out = []
    for k, variant in enumerate(("standard", "split", "standard")):
        report = random_report(random.Random(40 + k), organ=f"某某县第{k}局", year=2023)
        out.append(docx_from_report(report, d / f"r{k}.docx", variant=variant, label_spacing=bool(k % 2)))
    return out


def test_every_kept_class_is_what_the_plain_way_gives(docs):
    for path in docs:
        open_report(path)
    rec = Recogniser([Block("p", text="x")], "测试")
    odd = [*KNOWN_TYPOS, "3、其他", "(1)属于国家秘密", "1.属于国家秘密", "总计", "12", "１２", "-", "无", "abc"]
    for fmt_id in ("gov-2021", "gov-2019"):
        fmt = load_format(fmt_id)
        for tid in fmt.table_ids:
            for n in odd:
                rec._known(table_spec(fmt, tid), n)
    assert table_spec(load_format("gov-2021"), "t3").paths  # (the split layout writes label paths in one cell)
    for fmt_id in ("gov-2021", "gov-2019"):
        fmt = load_format(fmt_id)
        for tid in fmt.table_ids:
            spec = table_spec(fmt, tid)
            for n, hit in spec.known.items():
                plain = _VALUE if spec.digits_are_values and n.isdigit() and n.isascii() else \
                    Recogniser._exact(spec, _label_form(spec, n))
                assert hit == plain, (tid, n)
            for t, rows in spec.paths.items():
                assert rows == recognise._label_path(spec, t), (tid, t)


def test_the_same_reports_in_any_order_and_with_nothing_kept(docs, monkeypatch):
    first = [shown(open_report(p)) for p in docs]
    assert [shown(open_report(p)) for p in reversed(docs)] == first[::-1]
    monkeypatch.setattr(recognise, "MAX_KNOWN_TEXTS", 0)  # cleared before every text is kept
    assert [shown(open_report(p)) for p in docs] == first
    cold = []
    for p in docs:
        recognise._heading_of.cache_clear()
        cold.append(shown(open_report(p)))
    assert cold == first
