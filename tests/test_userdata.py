"""Per-user data: folder, settings, recent files, recovery copies (Qt-free)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import userdata
from app.model import new_report
from app.project import report_to_dict


def test_data_dir_follows_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "d"))
    assert userdata.data_dir() == tmp_path / "d"
    assert (tmp_path / "d").is_dir()


def test_settings_round_trip_and_corrupt_file_is_ignored():
    userdata.set_setting("lang", "zh_CN")
    assert userdata.get_setting("lang") == "zh_CN"
    assert json.loads((userdata.data_dir() / "settings.json").read_text(encoding="utf-8")) == {"lang": "zh_CN"}
    (userdata.data_dir() / "settings.json").write_text("{not json", encoding="utf-8")
    assert userdata.load_settings() == {}
    assert userdata.get_setting("lang", "x") == "x"


def test_recent_files_newest_first_deduplicated_limited(tmp_path):
    files = []
    for i in range(userdata.MAX_RECENT + 3):
        f = tmp_path / f"r{i}.nianbao"
        f.write_text("{}", encoding="utf-8")
        files.append(f)
        userdata.add_recent(f)
    userdata.add_recent(files[5])
    recent = userdata.recent_files()
    assert recent[0] == files[5].resolve()
    assert len(recent) == userdata.MAX_RECENT
    assert len(set(recent)) == len(recent)
    files[5].unlink()
    assert files[5].resolve() not in userdata.recent_files()
    assert files[5].resolve() in userdata.recent_files(existing_only=False)
    userdata.remove_recent(files[5])
    assert files[5].resolve() not in userdata.recent_files(existing_only=False)


def test_recovery_copy_written_found_loaded_and_discarded(tmp_path):
    report = new_report()
    report.meta.organ = "恢复测试局"
    report.values["t3.new.natural"] = 7
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait(60)  # a pid that no longer runs
    target = userdata.write_recovery(userdata.recovery_bytes(report, tmp_path / "a.nianbao", pid=dead.pid),
                                     pid=dead.pid)
    assert target.is_file()
    found = userdata.find_recoveries()
    assert [r.file for r in found] == [target]
    assert found[0].path == str(tmp_path / "a.nianbao")
    back = found[0].load()
    assert report_to_dict(back) == report_to_dict(report)
    found[0].discard()
    assert userdata.find_recoveries() == []


def test_recovery_of_a_running_instance_is_not_offered():
    userdata.write_recovery(userdata.recovery_bytes(new_report(), None))  # this process: alive
    assert userdata.recovery_path().is_file()
    assert userdata.find_recoveries() == []
    userdata.remove_recovery()
    assert not userdata.recovery_path().exists()


def test_unreadable_recovery_files_are_skipped():
    (userdata.data_dir() / "recovery-123.json").write_text("garbage", encoding="utf-8")
    assert userdata.find_recoveries() == []


def test_userdata_does_not_import_qt():
    code = "import sys, app.userdata; print(any(m.startswith('PySide6') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=os.path.dirname(os.path.dirname(__file__)))
    assert out.stdout.strip() == "False", out.stderr


def _crashed_recovery(pid: int, started, instance=None, name=None):
    from app.project import json_text
    doc = {"recovery": 1, "path": None, "saved_at": 1.5, "pid": pid, "started": started, "instance": instance,
           "report": report_to_dict(new_report())}
    f = userdata.data_dir() / (name or f"recovery-{pid}.json")
    f.write_text(json_text(doc), encoding="utf-8")
    return f


def test_recovery_is_offered_when_its_process_id_now_belongs_to_another_process():
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        f = _crashed_recovery(other.pid, "boot-of-an-earlier-run/12345")  # the crashed run had this pid
        assert [r.file for r in userdata.find_recoveries()] == [f]
        live = _crashed_recovery(other.pid, userdata.process_start(other.pid), name="recovery-live.json")
        assert live not in [r.file for r in userdata.find_recoveries()]  # that process itself still runs
    finally:
        other.kill()
        other.wait()


def test_recovery_of_an_earlier_run_with_this_very_process_id_is_offered_and_not_overwritten():
    f = _crashed_recovery(os.getpid(), "boot-of-an-earlier-run/1", instance="0123456789ab")
    assert userdata.recovery_path() != f
    userdata.write_recovery(userdata.recovery_bytes(new_report(), None))  # this run's own copy
    assert [r.file for r in userdata.find_recoveries()] == [f]
    assert f.is_file()
    userdata.remove_recovery()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="file names are bytes on Linux")
def test_file_names_that_are_not_utf8_survive_recent_files_and_recovery_copies(tmp_path):
    p = Path(os.fsdecode(os.fsencode(tmp_path) + b"/\xff\xfe.nianbao"))
    p.write_text("{}", encoding="utf-8")
    userdata.add_recent(p)
    assert userdata.recent_files() == [p.resolve()]
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    userdata.write_recovery(userdata.recovery_bytes(new_report(), p, pid=dead.pid), pid=dead.pid)
    [rec] = userdata.find_recoveries()
    assert rec.path == str(p)
