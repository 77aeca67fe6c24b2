"""The reading worker of the command line is forked (Linux, no Qt, one thread: it starts in milliseconds with
what is imported), and keeps every limit of a fresh one: a read past the time is stopped and the next file read,
a read past the memory ends in a message (a process using half the limit or more starts a fresh worker), and the
report that comes back equals an in-process read. Run in a Python of its own: this test process has Qt loaded (it
spawns)."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

from conftest import FIXTURES, ROOT, is_chinese_message

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the worker is forked on Linux only")

SCRIPT = textwrap.dedent("""
    import json, sys, time
    sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests"]
    from app import project, sandbox
    from app.documents import OpenError, open_report
    from fuzz.hostile_pdf import dense_pages
    from fuzz.worst import docx_many_paragraphs

    def main():
        out = {"method": sandbox._start_method()}
        tmp, pdf = sys.argv[2], sys.argv[3]
        t = time.monotonic()
        there = sandbox.read_report(pdf)
        out["first_read_s"] = time.monotonic() - t
        limits = open(f"/proc/{sandbox._worker.proc.pid}/limits").read()
        out["as_limit"] = [ln for ln in limits.splitlines() if ln.startswith("Max address space")][0].split()[3]
        out["same"] = project.dumps(there) == project.dumps(open_report(pdf))
        slow = tmp + "/slow.pdf"
        open(slow, "wb").write(dense_pages(99))
        t = time.monotonic()
        try:
            sandbox.read_report(slow, seconds=1.5)
        except OpenError as e:
            out["slow"] = str(e)
        out["slow_s"] = time.monotonic() - t
        out["after_slow"] = sandbox.read_report(pdf).meta.organ
        big = tmp + "/big.docx"
        open(big, "wb").write(docx_many_paragraphs(160_000))
        sandbox.shutdown()
        sandbox.MEMORY_MB = 90
        try:
            sandbox.read_report(big)
        except OpenError as e:
            out["big"] = str(e)
        sandbox.MEMORY_MB = 1024
        sandbox.shutdown()
        out["after_big"] = sandbox.read_report(pdf).meta.organ
        sandbox.shutdown()
        print(json.dumps(out, ensure_ascii=False))

    if __name__ == "__main__":
        main()
""")


def test_forked_worker_keeps_the_time_and_memory_limits(tmp_path):
    script = tmp_path / "run.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("NIANBAO_WORKER", "NIANBAO_WORKER_SECONDS")}
    r = subprocess.run([sys.executable, str(script), str(ROOT), str(tmp_path),
                        str(FIXTURES / "pdf" / "wuzhong-minzheng-2023.pdf")],
                       capture_output=True, text=True, encoding="utf-8", timeout=180, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["method"] == "fork"
    assert out["as_limit"] == str(1024 * 1024 * 1024)  # the worker's limit, as a fresh one has it
    assert out["same"] is True
    assert "超过" in out["slow"] and "秒" in out["slow"] and is_chinese_message(out["slow"])
    assert out["slow_s"] < 6
    assert out["after_slow"] == "吴忠市民政局"
    assert "内存不足" in out["big"] and is_chinese_message(out["big"]), out["big"]
    assert out["after_big"] == "吴忠市民政局"
