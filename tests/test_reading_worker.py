"""Untrusted files are read in a worker process with hard limits (app/sandbox.py): a read that runs too long is
stopped, one that needs too much memory ends in a message, a cancel stops it at once; the report comes back as
plain data equal to an in-process read; a folder check reports every other file when one fails or hangs."""
import os
import shutil
import subprocess
import sys
import time

import pytest

from app import project, sandbox
from app.documents import OpenError, open_report
from conftest import FIXTURES, ROOT, is_chinese_message
from fuzz.hostile_pdf import dense_pages, mediabox_self

PDFS = FIXTURES / "pdf"


@pytest.fixture(autouse=True)
def _fresh_worker():
    yield
    sandbox.shutdown()


@pytest.mark.parametrize("name", ["wuzhong-minzheng-2023.pdf", "weihui-minzheng-2022.pdf"])
def test_worker_reads_the_same_report_as_in_process(name):
    here = open_report(PDFS / name)
    there = sandbox.read_report(PDFS / name)
    assert project.dumps(there) == project.dumps(here)
    assert there == here and vars(there) == vars(here)


def test_the_worker_reads_other_kinds_too(tmp_path):
    import random

    from fuzz.docs import docx_from_report, random_report, text_from_report
    r = random_report(random.Random(5))
    docx = docx_from_report(r, tmp_path / "r.docx")
    (tmp_path / "r.txt").write_text(text_from_report(r, "tab"), encoding="utf-8")
    from app.export.docx import render_docx
    from app.export.xlsx import render_xlsx
    ours = project.load(FIXTURES / "wuzhong-minzheng-2023.nianbao")
    (tmp_path / "ours.docx").write_bytes(render_docx(ours))  # our own exports read back (page, edits, notes)
    (tmp_path / "ours.xlsx").write_bytes(render_xlsx(ours))
    for p in (docx, tmp_path / "r.txt", tmp_path / "ours.docx", tmp_path / "ours.xlsx"):
        there, here = sandbox.read_report(p), open_report(p)
        assert project.dumps(there) == project.dumps(here), p.name
        assert there == here and vars(there) == vars(here), p.name  # nothing an importer sets is lost on the way


def test_a_read_past_the_time_limit_is_stopped_and_the_next_file_is_read(tmp_path):
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(dense_pages(99))  # passes every limit; pdfplumber needs seconds
    t = time.monotonic()
    with pytest.raises(OpenError) as e:
        sandbox.read_report(slow, seconds=1.5)
    assert time.monotonic() - t < 6
    assert "超过" in str(e.value) and "秒" in str(e.value) and is_chinese_message(str(e.value))
    assert sandbox.read_report(PDFS / "wuzhong-minzheng-2023.pdf").meta.organ  # a new worker


def test_a_read_past_the_memory_limit_ends_in_a_message(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "tests"))
    from fuzz.worst import docx_many_paragraphs
    big = tmp_path / "big.docx"
    big.write_bytes(docx_many_paragraphs(160_000))  # ~200 MB to read before the paragraph limit refuses it
    monkeypatch.setattr(sandbox, "MEMORY_MB", 90)
    sandbox.shutdown()
    with pytest.raises(OpenError) as e:
        sandbox.read_report(big)
    assert "内存不足" in str(e.value) and is_chinese_message(str(e.value)), e.value
    monkeypatch.setattr(sandbox, "MEMORY_MB", 1024)
    sandbox.shutdown()
    assert sandbox.read_report(PDFS / "wuzhong-minzheng-2023.pdf").meta.organ


def test_cancel_stops_the_read_at_once_and_tick_keeps_being_called(tmp_path):
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(dense_pages(99))
    ticks = []
    t = time.monotonic()
    with pytest.raises(sandbox.Cancelled) as e:
        sandbox.read_report(slow, cancelled=lambda: len(ticks) >= 10, tick=lambda: ticks.append(1))
    assert time.monotonic() - t < 5 and "取消" in str(e.value)
    assert sandbox._worker is None or not sandbox._worker.alive()


def test_check_of_a_folder_reports_every_other_file_when_one_hangs(tmp_path):
    for name in ("wuzhong-minzheng-2023", "pingqiao-minzheng-2024"):
        shutil.copy(FIXTURES / f"{name}.nianbao", tmp_path / f"{name}.nianbao")
    shutil.copy(PDFS / "weihui-minzheng-2022.pdf", tmp_path / "weihui.pdf")
    (tmp_path / "slow.pdf").write_bytes(dense_pages(99))
    (tmp_path / "loop.pdf").write_bytes(mediabox_self())
    t = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "app.cli", "check", str(tmp_path)], cwd=ROOT, capture_output=True,
                       text=True, encoding="utf-8", timeout=120,
                       env={**os.environ, "NIANBAO_WORKER_SECONDS": "2"})
    assert time.monotonic() - t < 30
    lines = {ln.split("：")[0].split("/")[-1]: ln for ln in r.stdout.splitlines() if ln.startswith(("✓", "✗"))}
    assert set(lines) == {"wuzhong-minzheng-2023.nianbao", "pingqiao-minzheng-2024.nianbao", "weihui.pdf",
                          "slow.pdf", "loop.pdf"}, r.stdout
    assert "无法读取" in lines["slow.pdf"] and "秒" in lines["slow.pdf"]
    assert "循环引用" in lines["loop.pdf"]
    assert "错误" in lines["weihui.pdf"] and "无法读取" not in lines["weihui.pdf"]
    assert r.returncode == 2


def test_a_second_read_started_while_waiting_is_refused_not_a_deadlock(tmp_path):
    """The window handles events while it waits: a second open (a drop, Ctrl+O) must not wait for the first."""
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(dense_pages(99))
    inner = []

    def tick():
        if not inner:
            try:
                sandbox.read_report(PDFS / "wuzhong-minzheng-2023.pdf")
                inner.append("read")
            except OpenError as e:
                inner.append(str(e))
    with pytest.raises(sandbox.Cancelled):
        sandbox.read_report(slow, cancelled=lambda: bool(inner), tick=tick)
    assert "正在读取另一个文件" in inner[0]


def test_the_windows_job_limit_structure_has_windows_layout():
    """JOBOBJECT_EXTENDED_LIMIT_INFORMATION: 144 bytes on 64-bit Windows, ProcessMemoryLimit at offset 112
    (what SetInformationJobObject checks); the layout is the same ctypes gives here."""
    import ctypes
    ext = sandbox._job_limit_structure()
    if ctypes.sizeof(ctypes.c_void_p) == 8:
        assert ctypes.sizeof(ext) == 144
        assert ext.ProcessMemoryLimit.offset == 112
        assert ext.IoInfo.offset == 64
    else:
        assert ctypes.sizeof(ext) == 112
