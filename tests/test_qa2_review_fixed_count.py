"""QA reproduction: the review desk counts as 已改正 the cross-year findings that only a project file can raise.

An organ sends its report as a .nianbao (last year's attached) and then the same report as the Word document the
program exported from it. Nothing was changed, yet the desk, the 整改通知 ("与此前报送的版本相比：已改正 N 处")
and the bulletin say N problems were corrected: the Word file carries no last year, so its cross-year findings
(YEAR.JUMP, TEXT.S5_FOLLOW_UP, …) are simply not raised."""
import os
import time

from app import project
from app.cli import main
from app.review import Review
from app.rules import check


def test_same_report_as_word_is_not_counted_as_corrected(tmp_path, load_fixture):
    this = load_fixture("wuzhong-minzheng-2023")
    last = this.copy()
    last.meta.year = this.meta.year - 1
    for cid, v in list(last.values.items()):
        if isinstance(v, int) and v >= 10:
            last.values[cid] = 1  # last year far smaller: this year's jumps are cross-year findings
    last.previous = None
    this.previous = last
    cross_year = [f for f in check(this) if f.rule.startswith("YEAR.") or f.rule == "TEXT.S5_FOLLOW_UP"]
    assert cross_year, "the set-up must raise cross-year findings"

    folder = tmp_path / "报送"
    folder.mkdir()
    first = folder / "吴忠.nianbao"
    project.save(this, first)
    t0 = time.time() - 1000
    os.utime(first, (t0, t0))
    word = folder / "吴忠.docx"
    assert main(["export", str(first), "-o", str(word), "--force"]) == 0
    for bak in folder.glob("*.bak"):
        bak.unlink()

    review = Review.read(folder, jobs=1)
    (later,) = [e for e in review.entries if e.path == word]
    res = review.resubmission(later)
    assert res is not None
    assert res["fixed"] == 0, res
