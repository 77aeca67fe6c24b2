"""Found by an outsider's run of the review desk (审核台) under Xvfb: each test failed on the main it was found on."""
import random

import PySide6  # noqa: F401  (required: a missing PySide6 fails, never skips)

from fuzz.docs import random_report
from reviewhelp import save
from ui.review import DeskWindow


def test_the_read_only_report_shows_its_opening_and_no_empty_title(qtbot, tmp_path):
    """The reviewer's read-only view went from 机关/年度 straight to 一、总体情况: the office's own opening
    paragraph (now a field of the report, printed in the document) was not shown; a report without organ was
    headed "年政府信息公开工作年度报告"."""
    d = tmp_path / "年报"
    d.mkdir()
    r = random_report(random.Random(3), organ="吴忠市民政局", year=2023)
    r.meta.opening = "根据《中华人民共和国政府信息公开条例》规定，现发布吴忠市民政局2023年报告。"
    save(r, d / "民政.nianbao")
    nameless = random_report(random.Random(4), organ="", year=2023)
    save(nameless, d / "无名.nianbao")
    win = DeskWindow(d, jobs=1)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.finished, timeout=120_000)
    for row in range(win.model.rowCount()):
        dialog = win.open_row(row)
        qtbot.waitUntil(dialog.isVisible)
        text = dialog.view.toPlainText()
        assert not text.startswith("年政府信息公开"), text[:80]
        if dialog.entry.path.name == "民政.nianbao":
            assert r.meta.opening in text
        dialog.close()
    win.close()
