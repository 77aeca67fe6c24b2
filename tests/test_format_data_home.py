"""Format specifics live in the format data (resources/formats/*.json), not in Python: the carry-over of a new
year, the message for a converted 2019 report, the 2019→2021 cell map, label typos, the tables' short names. And
the helpers every layer shares have one home: one wording of an operating-system error, no swallowed import
error of the importers."""
import ast
import copy
import errno
import json
import re

import pytest

from app import cli, errors, project
from app.formats import Format, load_format
from app.model import new_report, next_year_report
from app.rules import check
from conftest import ROOT


def _data(format_id):
    return json.loads((ROOT / "resources" / "formats" / f"{format_id}.json").read_text(encoding="utf-8"))


def test_the_carry_over_of_a_new_year_is_the_rule_of_the_format():
    fmt = load_format()
    carry = [r for r in fmt.rules if r["id"] == "YEAR.CARRY"][0]
    assert fmt.carry_over() == tuple((f"t3.carried_in.{c}", f"t3.carried_out.{c}") for c in carry["for"]["col"])
    last = new_report()
    last.meta.year = 2023
    last.set("t3.carried_out.natural", 4)
    last.set("t3.carried_out.total", 4)
    nxt = next_year_report(last)
    assert nxt.values["t3.carried_in.natural"] == 4 and nxt.values["t3.carried_in.total"] == 4
    assert "t3.carried_in.commercial" not in nxt.values


def test_a_format_without_the_carry_rule_carries_nothing_over():
    data = copy.deepcopy(_data("gov-2021"))
    data["rules"] = [r for r in data["rules"] if r["id"] != "YEAR.CARRY"]
    assert Format(data).carry_over() == ()
    data = copy.deepcopy(_data("gov-2021"))
    rule = [r for r in data["rules"] if r["id"] == "YEAR.CARRY"][0]
    rule["for"]["col"] = ["natural"]
    assert Format(data).carry_over() == (("t3.carried_in.natural", "t3.carried_out.natural"),)


def test_the_message_for_a_converted_2019_report_is_format_data():
    rule = [r for r in load_format().rules if r["id"] == "FORMAT.OLD"][0]
    report = new_report()
    report.origin_format = "gov-2019"
    found = [f for f in check(report) if f.rule == "FORMAT.OLD"]
    assert [f.message for f in found] == [rule["message"]] and "2019" in rule["message"]


def test_the_importers_tables_come_from_the_format_data():
    from app.importers import recognise
    assert recognise.KNOWN_TYPOS == _data("gov-2021")["label_typos"]
    assert recognise.TABLE_NAMES == {tid: t["name"] for tid, t in _data("gov-2021")["tables"].items()}
    cells = _data("gov-2019")["migration"]["cells"]
    assert {k: list(v) for k, v in recognise._MIGRATE.items()} == cells
    old, new = load_format("gov-2019"), load_format()
    assert all(k in old.cells and v[0] in new.cells for k, v in cells.items())


def test_table_short_names_are_written_once():
    """表二/表三/表四 appear in the format data, never as literals in the program's source."""
    literal = re.compile(r"表[二三四]")
    offenders = []
    for path in (ROOT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and literal.fullmatch(node.value):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders


@pytest.mark.parametrize("number", [errno.ENOENT, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EROFS, errno.EISDIR,
                                    errno.ENOTDIR, errno.ENAMETOOLONG, errno.EEXIST, errno.EINVAL, errno.EIO,
                                    errno.ELOOP, errno.EFBIG, 99999])
def test_one_wording_for_an_operating_system_error(number):
    e = OSError(number, "system words", "/tmp/.tmp-XYZ123")
    text = errors.os_error_text(e)
    assert project.os_error_text(e) == text == cli.os_reason(e)
    assert ".tmp-XYZ123" not in text
    if number != 99999:
        assert re.search(r"[\u4e00-\u9fff]", text)


def test_a_broken_importers_package_is_an_error_not_an_unknown_file_type(monkeypatch, tmp_path):
    """A broken installation (the importers cannot be imported) must not read as "this file type cannot be opened"."""
    import sys

    from app.documents import open_report
    path = tmp_path / "r.docx"
    path.write_bytes(b"PK")
    monkeypatch.setitem(sys.modules, "app.importers", None)
    with pytest.raises(ImportError):
        open_report(path)
