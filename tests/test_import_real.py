"""The corpus of real published reports (tests/fixtures/real/): every cell read by hand is imported, every
character of the source is accounted for, and ``check`` raises only what each report deserves.

The documents came through the ``fetch`` tool and are not committed (see tests/fixtures/real/README.md); a
document that is not in tests/fixtures/real/docs/ is skipped, with the reason."""
import pytest

from app.importers.corpus import expected_cells, find_doc, load_truths, score
from conftest import ROOT

REAL = ROOT / "tests" / "fixtures" / "real"
TRUTHS = load_truths(REAL)


def test_truth_files_name_every_cell_of_the_format():
    from app.formats import load_format
    cells = set(load_format().cells)
    assert len(TRUTHS) >= 3
    for name, truth in TRUTHS:
        assert set(expected_cells(truth)) == cells, name


@pytest.mark.parametrize("name,truth", TRUTHS, ids=[n for n, _ in TRUTHS])
def test_real_report(name, truth):
    doc = find_doc(REAL, name)
    if doc is None:
        pytest.skip(f"{name}: document not present in tests/fixtures/real/docs/ (see the README there)")
    s = score(doc, truth)
    assert s["wrong"] == []
    assert s["organ"] and s["year"] and s["sections"]
    assert s["balanced"]
    assert s["false_findings"] == []
