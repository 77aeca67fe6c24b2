"""The corpus of real published reports (tests/fixtures/real/): every cell read by hand is imported, every
character of the source is accounted for, and ``check`` raises only what each report deserves.

Some documents came through the ``fetch`` tool and are not committed (see tests/fixtures/real/README.md): only the
documents present in tests/fixtures/real/docs/ are parametrized, so a checkout without them runs no skipped test.
The committed part (named in docs/.gitignore, crawled/, refused/) is asserted to be there, of several shapes."""
import json
import re

import pytest

from app.importers.corpus import expected_cells, find_doc, load_truths, score
from conftest import ROOT

REAL = ROOT / "tests" / "fixtures" / "real"
TRUTHS = load_truths(REAL)
PRESENT = [(name, truth) for name, truth in TRUTHS if find_doc(REAL, name) is not None]
REFUSED = [(p.stem, json.loads(p.read_text(encoding="utf-8"))) for p in sorted((REAL / "refused").glob("*.json"))]


def field_misses(report, truth: dict) -> list[str]:
    """The fields (opening, s1, s5, s6) whose text does not begin and end where the document's does (truth "fields":
    first and last words of each, read by hand; whitespace ignored): catches text placed in the wrong field, which
    the character count (everything placed somewhere) cannot see."""
    def norm(t):
        return re.sub(r"\s+", "", t or "")
    got = {"opening": report.meta.opening, **report.sections}
    return [f for f, (start, end) in truth.get("fields", {}).items()
            if not (norm(got.get(f)).startswith(norm(start)) and norm(got.get(f)).endswith(norm(end)))]


def committed_docs() -> list[str]:
    """The documents docs/.gitignore lets into commits (read with read_file, written as read)."""
    lines = (REAL / "docs" / ".gitignore").read_text(encoding="utf-8").splitlines()
    return [ln[1:] for ln in lines if ln.startswith("!") and ln != "!.gitignore"]


def test_truth_files_name_every_cell_of_the_format():
    from app.formats import load_format
    cells = set(load_format().cells)
    assert len(TRUTHS) >= 3
    for name, truth in TRUTHS:
        assert set(expected_cells(truth)) == cells, name


def test_committed_corpus_is_there_in_several_shapes():
    """CI runs on the committed part only: it must be there, scored by cells and by refusals, in several shapes."""
    docs = committed_docs()
    for name in docs:
        assert (REAL / "docs" / name).is_file(), name
    scored = {n for n, _ in PRESENT}
    assert {d.rsplit(".", 1)[0] for d in docs} <= scored
    for name, exp in REFUSED:
        assert (REAL / exp["document"]).is_file(), name
    published = sorted((ROOT / "tests" / "fixtures" / "published").glob("*.txt"))
    shapes = {t["shape"] for n, t in TRUTHS if n in {d.rsplit(".", 1)[0] for d in docs}}
    shapes |= {e["shape"] for _, e in REFUSED} | ({"text copied off the page"} if published else set())
    assert len(docs) >= 8 and len(REFUSED) >= 5 and len(published) >= 3
    assert len(shapes) >= 5
    committed = {d.rsplit(".", 1)[0] for d in docs}
    assert sum(1 for n, t in TRUTHS if t.get("held_out") and n in committed) >= 6
    assert sum(1 for _, e in REFUSED if e.get("held_out")) >= 3


@pytest.mark.parametrize("name,truth", PRESENT, ids=[n for n, _ in PRESENT])
def test_real_report(name, truth):
    """Cells, organ, year, sections, accounting and findings. A held-out report's first-run errors that the
    importer has not fixed yet are listed in its truth file (known_import_errors, also kept for dev reports the
    importer's owner has yet to fix); nothing beyond them may appear, so the corpus can only get better."""
    s = score(find_doc(REAL, name), truth)
    known = truth.get("known_import_errors", {})
    assert {cid for cid, _, _ in s["wrong"]} <= set(known.get("cells", [])), s["wrong"]
    for part in ("organ", "year", "sections"):
        assert s[part] or known.get(part), part
    assert set(field_misses(s["report"], truth)) <= set(known.get("fields", [])), field_misses(s["report"], truth)
    assert s["balanced"]
    assert {f.split(":", 1)[0] for f in s["false_findings"]} <= set(known.get("false_findings", [])), \
        s["false_findings"]


@pytest.mark.parametrize("name,expect", REFUSED, ids=[n for n, _ in REFUSED])
def test_real_document_refused_with_what_is_wrong(name, expect):
    """Documents whose cells cannot be told apart (a crawler's text) are refused, saying what is wrong and what to
    do — never imported with invented values."""
    from app.documents import OpenError, open_report
    assert expect["expect"] == "refused"
    with pytest.raises(OpenError) as e:
        open_report(REAL / expect["document"])
    msg = str(e.value)
    for part in expect["message_contains"]:
        assert part in msg, msg
    for part in expect.get("message_not_contains", []):
        assert part not in msg, msg
