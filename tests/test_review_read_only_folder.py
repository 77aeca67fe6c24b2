"""The review desk on a folder that takes no new file (a read-only share): the reviewer's decisions are still
recorded — in the user's data folder, one record per reviewed folder — and the desk and the command line say
where. Nothing is written into the folder. A real read-only folder on disk (tests/readonly.py)."""
import json
import shutil

from app import project
from app.review import DECISIONS_NAME, DISMISSED, Review
from conftest import FIXTURES
from readonly import read_only


def test_decisions_on_a_read_only_folder_are_kept_in_the_data_folder_and_said(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "reports"
    folder.mkdir()
    report = project.load(FIXTURES / "wuzhong-minzheng-2023.nianbao")
    report.values["t3.new.natural"] = 999  # a finding to decide on
    project.save(report, folder / "吴忠.nianbao")
    (folder / DECISIONS_NAME).write_text(json.dumps({"decisions": []}), encoding="utf-8")
    with read_only(folder):
        review = Review.read(folder, jobs=1)
        note = review.decisions.note
        assert "只读" in note and str(tmp_path / "data") in note
        [e] = [e for e in review.entries if e.report is not None]
        f = e.findings[0]
        review.decide(e, f, DISMISSED, "已核实")
        assert sorted(p.name for p in folder.iterdir()) == sorted(["吴忠.nianbao", DECISIONS_NAME])
        again = Review.read(folder, jobs=1)  # the next session reads the record kept elsewhere
        [e2] = [x for x in again.entries if x.report is not None]
        assert again.decision(e2, f) is not None and again.decision(e2, f)["comment"] == "已核实"
        from app.cli import main
        assert main(["review", "--json", str(folder)]) == 1  # (1: errors remain open)
        assert "只读" in capsys.readouterr().err
    assert json.loads((folder / DECISIONS_NAME).read_text(encoding="utf-8")) == {"decisions": []}  # untouched


def test_a_writable_folder_keeps_its_record_beside_the_reports(tmp_path, monkeypatch):
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(FIXTURES / "wuzhong-minzheng-2023.nianbao", folder / "吴忠.nianbao")
    review = Review.read(folder, jobs=1)
    assert review.decisions.note == "" and review.decisions.path == folder / DECISIONS_NAME


def test_the_desk_says_where_the_record_of_a_read_only_folder_is(qtbot, tmp_path, monkeypatch):
    from ui.review import DeskWindow
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(FIXTURES / "wuzhong-minzheng-2023.nianbao", folder / "吴忠.nianbao")
    with read_only(folder):
        win = DeskWindow(folder, jobs=1)
        qtbot.addWidget(win)
        qtbot.waitUntil(lambda: win.finished, timeout=120_000)
        assert "只读" in win.statusBar().currentMessage() and str(tmp_path / "data") in win.statusBar().currentMessage()
        win.close()
    assert [p.name for p in folder.iterdir()] == ["吴忠.nianbao"]
