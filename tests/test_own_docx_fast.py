"""The shortcuts of reading our own DOCX give what the plain definitions give: which cells changed since the export
(``ownfiles.changed_cells`` against ``cell_kind``), how deep a payload's JSON is (``project._check_depth``)."""
import json
import random

import pytest

from app.ownfiles import cell_kind, changed_cells
from app.project import MAX_DEPTH, ProjectError, parse_json

TEXTS = ["", " ", "0", " 0 ", "/", "／", "00", "0.0", "12", "1 2", "12\n", "不适用", "a", "\u3000", "－", "//"]


def reference(kinds, cells):
    return [(cid, kind) for cid, kind in kinds.items()
            if cid in cells and isinstance(kind, str) and cell_kind(cid, cells[cid]) != kind]


@pytest.mark.parametrize("seed", range(20))
def test_changed_cells_are_the_cells_whose_kind_differs(seed):
    rnd = random.Random(seed)
    ids = [f"t{rnd.randrange(2, 5)}.c{i}" for i in range(40)]
    kinds, cells = {}, {}
    for cid in ids:
        text = rnd.choice(TEXTS)
        if rnd.random() < 0.9:
            cells[cid] = text
        choice = rnd.random()
        if choice < 0.5:  # as exported
            kinds[cid] = cell_kind(cid, text)
        elif choice < 0.7:
            kinds[cid] = cell_kind(cid, rnd.choice(TEXTS))
        elif choice < 0.8:  # the digest of the same text under another cell's id
            kinds[cid] = cell_kind(rnd.choice(ids), text)
        else:
            kinds[cid] = rnd.choice(["blank", "0", "/", "#", "#zz", "", "x", 3, None, cell_kind(cid, text)[1:]])
    assert changed_cells(kinds, cells) == reference(kinds, cells)


def nest(depth: int, leaves: int, where: int) -> str:
    """JSON ``depth`` levels deep, each level a list of ``leaves`` plain values with the next level at ``where``."""
    text = "[]"
    for _ in range(depth - 1):
        items = ['"s"', "1", "1.5", "true", "null", "123456789012345678901234567890", '"\\u00e9"'] * leaves
        items = items[:leaves]
        items.insert(min(where, len(items)), text)
        text = "[" + ",".join(items) + "]"
    return text


@pytest.mark.parametrize("leaves", [0, 3, 8, 9, 20])
@pytest.mark.parametrize("where", [0, 5, 30])
def test_depth_is_checked_through_long_runs_of_plain_values(leaves, where):
    assert parse_json(nest(MAX_DEPTH, leaves, where), "x") is not None
    with pytest.raises(ProjectError, match="嵌套层数过多"):
        parse_json(nest(MAX_DEPTH + 1, leaves, where), "x")
    deep = json.dumps({f"k{i}": "v" for i in range(12)} | {"z": json.loads(nest(MAX_DEPTH, leaves, where))})
    with pytest.raises(ProjectError, match="嵌套层数过多"):
        parse_json(deep, "x")


@pytest.fixture(scope="module")
def own_parts(tmp_path_factory):
    import zipfile

    from app import project
    from app.export import export_report
    from app.importers.own_docx import _payload_blob
    path = export_report(project.load("tests/fixtures/wuzhong-minzheng-2023.nianbao"),
                         tmp_path_factory.mktemp("tags") / "r.docx", force=True)
    with zipfile.ZipFile(path) as z:
        return path, _payload_blob(z), z.read("word/document.xml"), z.read("word/styles.xml")


@pytest.mark.parametrize("spare", [-1, 0, 1])
def test_a_body_of_too_many_tags_is_refused_exactly_at_the_limit(own_parts, monkeypatch, spare):
    from app.importers import base
    from app.importers.base import ImportFailed
    from app.importers.own_docx import _own_from_parts
    path, blob, xml, styles = own_parts
    monkeypatch.setattr(base, "MAX_XML_TAGS", xml.count(b"<") + spare)
    if spare < 0:
        with pytest.raises(ImportFailed, match="正文结构过于复杂"):
            _own_from_parts(path, blob, xml, styles)
    else:
        assert _own_from_parts(path, blob, xml, styles).report.values
