"""Every report that opens can be saved; saves (backups included) are atomic; hostile project files are
refused with a Chinese message. Real files on disk; the disk-full and read-only cases use a real small tmpfs."""
import errno
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from app import project
from app.formats import FormatError, load_format
from app.model import Report
from app.values import Invalid

ROOT = Path(__file__).resolve().parent.parent
BIG = "9" * 5000


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------------------------
# 1. every report that opens can be saved, unknown keys byte-for-byte

EXTRA = ('{"w": 0.1, "e": 1E+400, "tiny": 5e-324, "neg0": -0, "f": 1.250, "i": 12, '
         f'"big": {BIG}, "deep": [[[-1.0e-7]]], "s": "文字"}}')


def test_unknown_keys_keep_every_number_exactly_and_the_file_saves(tmp_path):
    src = write(tmp_path / "a.nianbao", '{"format": "gov-2021", "meta": {"organ": "甲局", "year": 2023}, '
                                        '"values": {"t2.fees.amount": 0.125, "t3.new.natural": 3.0}, '
                                        f'"x_tool": {EXTRA}}}')
    r = project.load(src)
    out = tmp_path / "b.nianbao"
    project.save(r, out)
    text = out.read_text(encoding="utf-8")
    for token in ("0.1", "1E+400", "5e-324", "-0", "1.250", BIG, "-1.0e-7"):
        assert f": {token}" in text or f" {token}\n" in text, token
    saved = project.parse_json(text)
    assert saved["x_tool"] == project.parse_json(EXTRA)
    assert saved["values"]["t2.fees.amount"] == "0.125"  # the fee, read from a JSON number, saved as written
    assert saved["values"]["t3.new.natural"] == 3
    # and again: loading the saved file and saving it gives the same bytes
    project.save(project.load(out), tmp_path / "c.nianbao")
    assert (tmp_path / "c.nianbao").read_bytes() == out.read_bytes()


def test_a_report_with_float_unknown_keys_exports_to_word_and_imports_back(tmp_path):
    from app.export import export_report
    from app.importers.own_docx import read_embedded
    r = project.loads('{"format": "gov-2021", "meta": {"organ": "甲局", "year": 2023}, '
                      f'"x_tool": {EXTRA}}}')
    out = export_report(r, tmp_path / "r.docx", force=True)
    back = read_embedded(out)
    # the export works; the published document carries only what its page shows, not the unknown key
    assert back.meta.organ == "甲局" and back.meta.year == 2023
    assert "x_tool" not in back.extra
    import zipfile
    assert "x_tool" not in "".join(zipfile.ZipFile(out).read(n).decode("utf-8", "replace")
                                   for n in zipfile.ZipFile(out).namelist())


def test_unreadable_numbers_in_cells_are_kept_as_invalid_entries(tmp_path):
    src = write(tmp_path / "a.nianbao", '{"format": "gov-2021", "values": {"t3.new.natural": ' + BIG +
                ', "t3.new.commercial": 1e999999999, "t2.fees.amount": 1e-999999999}}')
    r = project.load(src)
    assert r.values["t3.new.natural"] == Invalid(BIG)
    assert r.values["t3.new.commercial"] == Invalid("1e999999999")
    assert r.values["t2.fees.amount"] == Invalid("1e-999999999")
    project.save(r, tmp_path / "b.nianbao")  # nothing is lost: the entries are written back as they were
    again = project.load(tmp_path / "b.nianbao")
    assert again.values == r.values


@pytest.mark.parametrize("content,needle", [
    ('{"format": "gov-2021", "x": Infinity}', "Infinity"),
    ('{"format": "gov-2021", "x": -Infinity}', "-Infinity"),
    ('{"format": "gov-2021", "values": {"t3.new.natural": NaN}}', "NaN"),
    ('{"format": "gov-2021", "meta": {"year": "²"}}', "meta.year"),
    ('{"format": "gov-2021", "meta": {"year": "２０２３"}}', "meta.year"),
    ('{"format": "gov-2021", "meta": {"year": 2023.0}}', "meta.year"),
    ('{"format": "gov-2021", "meta": {"year": ' + BIG + '}}', "meta.year"),
    ('{"format": "gov-2021", "schema": ' + BIG + '}', "schema"),
    ('{"format": "gov-2021", "x": ' + "[" * 100000 + "]" * 100000 + "}", "嵌套层数过多"),
    ('{"format": "gov-2021", "x": ' + "[" * 70 + "]" * 70 + "}", "嵌套层数过多"),
    ('{"format": "gov-2021", "x": ' + '{"a":' * 100000 + "1" + "}" * 100000 + "}", "嵌套层数过多"),
    ('{"format": "gov-2021", "meta": {"organ": "民政\\ud800局"}}', "meta.organ"),
    ('{"format": "gov-2021", "x_tool": {"\\udfff": 1}}', "孤立的代理项"),
    ('{"format": "gov-2021", "meta": {"organ": 1.5}}', "meta.organ"),
    ('{"format": "../formats/gov-2021"}', "未知的报告格式"),
    ('{"format": "/etc/passwd"}', "未知的报告格式"),
    ('{"format": "//server/share/gov-2021"}', "未知的报告格式"),
    ('{"format": "gov-2021.json"}', "未知的报告格式"),
    ('{"format": "GOV-2021"}', "未知的报告格式"),
], ids=lambda v: (v[:30] + "…") if isinstance(v, str) and len(v) > 30 else None)
def test_hostile_project_files_are_refused_with_a_message(tmp_path, content, needle):
    p = write(tmp_path / "r.nianbao", content)
    before = p.read_bytes()
    with pytest.raises(project.ProjectError) as e:
        project.load(p)
    assert needle in str(e.value) and "r.nianbao" in str(e.value)
    assert p.read_bytes() == before


def test_last_years_report_nested_inside_last_years_report_is_kept_not_interpreted(tmp_path):
    inner = '{"format": "gov-2021", "meta": {"organ": "乙"}, "previous": {"format": "gov-2021", "w": 1.50}}'
    p = write(tmp_path / "r.nianbao", '{"format": "gov-2021", "previous": ' + inner + '}')
    r = project.load(p)
    assert r.previous.meta.organ == "乙" and r.previous.previous is None
    project.save(r, p)
    assert '"w": 1.50' in p.read_text(encoding="utf-8")


def test_format_ids_are_names_of_shipped_formats_only():
    assert load_format("gov-2021").id == "gov-2021"
    for bad in ("../formats/gov-2021", str(ROOT / "resources" / "formats" / "gov-2021"), "", "gov-2021/", 5):
        with pytest.raises(FormatError, match="未知的报告格式"):
            load_format(bad)


# ---------------------------------------------------------------------------------------------------------------
# 2. atomic saves, backups included

def saved(organ: str) -> Report:
    r = Report()
    r.meta.organ = organ
    return r


def organ_of(path: Path) -> str:
    return json.loads(path.read_text(encoding="utf-8"))["meta"]["organ"]


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_saving_through_a_symlink_updates_its_target_and_keeps_the_link(tmp_path):
    real = tmp_path / "docs" / "r.nianbao"
    real.parent.mkdir()
    project.save(saved("一"), real)
    link = tmp_path / "link.nianbao"
    link.symlink_to(real)
    project.save(saved("二"), link)
    assert link.is_symlink() and organ_of(real) == "二"
    assert organ_of(real.parent / "r.nianbao.bak") == "一"  # the backup is next to the real file


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_planted_backup_symlink_is_replaced_never_followed(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("不能被改写", encoding="utf-8")
    p = tmp_path / "r.nianbao"
    project.save(saved("一"), p)
    bak = tmp_path / "r.nianbao.bak"
    bak.symlink_to(victim)
    project.save(saved("二"), p)
    assert victim.read_text(encoding="utf-8") == "不能被改写"
    assert not bak.is_symlink() and organ_of(bak) == "一" and organ_of(p) == "二"


def test_a_name_as_long_as_the_system_allows_can_be_saved_with_its_backup(tmp_path):
    limit = 255 if os.name != "nt" else 200
    name = "年" * ((limit - len(".nianbao")) // (3 if os.name != "nt" else 1)) + ".nianbao"
    with open(tmp_path / name, "wb"):  # a plain open() accepts the name
        pass
    (tmp_path / name).unlink()
    p = tmp_path / name
    project.save(saved("一"), p)
    project.save(saved("二"), p)
    assert organ_of(p) == "二"
    baks = [f for f in os.listdir(tmp_path) if f.endswith(".bak")]
    assert len(baks) == 1 and organ_of(tmp_path / baks[0]) == "一"
    assert project.backup_path(p) == tmp_path / baks[0]
    assert sorted(os.listdir(tmp_path)) == sorted([name, baks[0]])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_a_pipe_or_folder_under_the_name_is_refused_not_replaced(tmp_path):
    fifo = tmp_path / "p.nianbao"
    os.mkfifo(fifo)
    with pytest.raises(project.ProjectError, match="无法保存"):
        project.save(saved("一"), fifo)
    assert fifo.is_fifo()
    (tmp_path / "d.nianbao").mkdir()
    with pytest.raises(project.ProjectError, match="文件夹"):
        project.save(saved("一"), tmp_path / "d.nianbao")
    with pytest.raises(project.ProjectError, match="不是普通文件"):  # reading a pipe must not block
        project.load(fifo)


def test_a_vanished_folder_is_a_message(tmp_path):
    folder = tmp_path / "gone"
    folder.mkdir()
    p = folder / "r.nianbao"
    project.save(saved("一"), p)
    for f in folder.iterdir():
        f.unlink()
    folder.rmdir()
    with pytest.raises(project.ProjectError, match="不存在.*已被移走"):
        project.save(saved("二"), p)


FSIZE_SCRIPT = r"""
import os, resource, signal, sys
from app import project
from app.model import Report
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
p = sys.argv[1]
r = Report(); r.meta.organ = "新稿" * 50000
resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))
try:
    project.save(r, p)
except project.ProjectError as e:
    print(e)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_FSIZE")
def test_a_file_too_big_for_the_limit_leaves_file_and_backup_intact(tmp_path):
    p = tmp_path / "r.nianbao"
    project.save(saved("第一版"), p)
    project.save(saved("第二版"), p)
    before = {f: (tmp_path / f).read_bytes() for f in os.listdir(tmp_path)}
    out = subprocess.run([sys.executable, "-c", FSIZE_SCRIPT, str(p)], capture_output=True, text=True, timeout=60,
                         check=False, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "无法保存到“r.nianbao”：文件超过了系统允许的大小" in out.stdout, out.stderr
    assert {f: (tmp_path / f).read_bytes() for f in os.listdir(tmp_path)} == before


@pytest.fixture
def small_disk(tmp_path):
    """A real 256 KiB tmpfs (needs root; skipped otherwise)."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)], check=True,
                       capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], capture_output=True, timeout=30, check=False)


def fill(folder: Path, leave: int) -> None:
    """Fill the file system of ``folder`` until about ``leave`` bytes are free."""
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    with open(folder / f"filler-{uuid.uuid4().hex[:6]}", "wb") as fh:
        try:
            fh.write(b"\0" * max(0, free - leave))
        except OSError as e:
            assert e.errno == errno.ENOSPC


def test_disk_full_when_the_new_file_fits_but_a_copy_of_the_old_would_not(small_disk):
    p = small_disk / "r.nianbao"
    project.save(saved("旧" * 30000), p)  # ~90 KB
    project.save(saved("旧" * 30000), p)
    fill(small_disk, 40 * 1024)
    project.save(saved("新"), p)  # the backup is a link to the old file: it needs no space
    assert organ_of(p) == "新" and organ_of(small_disk / "r.nianbao.bak") == "旧" * 30000


def test_disk_full_leaves_the_file_and_its_backup_intact(small_disk):
    p = small_disk / "r.nianbao"
    project.save(saved("第一版"), p)
    project.save(saved("第二版"), p)
    fill(small_disk, 8 * 1024)
    before = {f: (small_disk / f).read_bytes() for f in os.listdir(small_disk)}
    with pytest.raises(project.ProjectError) as e:
        project.save(saved("第三版" * 20000), p)
    assert "磁盘空间不足" in str(e.value) and "原文件未被改动" in str(e.value)
    assert {f: (small_disk / f).read_bytes() for f in os.listdir(small_disk)} == before


def test_read_only_disk_is_a_message(small_disk):
    p = small_disk / "r.nianbao"
    project.save(saved("第一版"), p)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True, timeout=30)
    with pytest.raises(project.ProjectError, match="只读"):
        project.save(saved("第二版"), p)
    assert organ_of(p) == "第一版"


def test_escaped_surrogate_pairs_are_fine(tmp_path):
    p = write(tmp_path / "r.nianbao", '{"format": "gov-2021", "meta": {"organ": "\\ud83d\\ude00局"}}')
    assert project.load(p).meta.organ == "\U0001F600局"
    project.save(project.load(p), p)
