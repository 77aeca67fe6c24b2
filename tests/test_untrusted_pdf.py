"""Hostile PDFs of a few hundred bytes to a few MB: each ends within the budget (15 s, 1.5 GB) in a Chinese message
that names the cause — never a hang, a traceback or gigabytes. Measured in a child process under an address-space
limit (``fuzz.worst.measure``), in the style of ``test_bounded_work.py``.

Before the guard (``app/importers/pdf_guard.py``): the loops never ended, 990 000 characters took 43–53 s and
2.2 GB, the Flate bomb 2.1 GB, 199 dense pages 61–72 s, 200 000 text objects 16–20 s."""
from pathlib import Path

import pytest

from conftest import FIXTURES, is_chinese_message
from fuzz.hostile_pdf import CASES, dense_pages, many_characters, ordinary, pdf, stream, text_objects
from fuzz.worst import measure

SECONDS = 15
MEGABYTES = 1500

EXPECT = {  # words of the message
    "pdf-mediabox-self": ("循环引用",),
    "pdf-mediabox-two-step": ("循环引用",),
    "pdf-contents-loop": ("循环引用",),
    "pdf-contents-array-loop": (),  # pdfminer does not loop on it: read, and no report found in it
    "pdf-font-loop": ("循环引用",),
    "pdf-font-dict-loop": ("循环引用",),
    "pdf-font-widths-loop": ("循环引用",),
    "pdf-kids-loop": ("循环引用",),
    "pdf-form-draws-itself": ("循环引用",),
    "pdf-990000-characters": ("字符",),
    "pdf-flate-bomb": ("压缩炸弹",),
    "pdf-199-dense-pages": ("页",),
    "pdf-200000-text-objects": ("文字对象",),
}


def _run(path):
    got = measure(path, "open", kill_after=60, address_space_mb=3000)
    assert got["outcome"] == "refused", got
    assert got["seconds"] < SECONDS, got
    assert got["mb"] < MEGABYTES, got
    assert is_chinese_message(got["message"]), got
    assert path.name in got["message"], got  # names the file
    return got


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_hostile_pdf_ends_in_a_message_within_budget(name, tmp_path):
    suffix, make = CASES[name]
    path = tmp_path / f"{name}{suffix}"
    path.write_bytes(make())
    got = _run(path)
    for w in EXPECT[name]:
        assert w in got["message"], got


@pytest.mark.parametrize("make", [lambda: dense_pages(99), lambda: text_objects(60_000),
                                  lambda: many_characters(6_000)],
                         ids=["99-dense-pages", "60000-text-objects", "6000-characters-on-a-page"])
def test_just_under_the_page_count_or_over_a_page_limit_still_ends_in_budget(make, tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(make())
    _run(path)


def test_diamond_of_references_is_refused_not_expanded(tmp_path):
    """/MediaBox → [A A], A → [B B] … 40 levels: 2^40 parts when resolved whole."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox 5 0 R /Contents 4 0 R >>", stream(b"BT ET")]
    for level in range(40):
        n = 5 + level
        objs.append(b"[%d 0 R %d 0 R]" % (n + 1, n + 1))
    objs.append(b"[0 0 595 842]")
    path = tmp_path / "diamond.pdf"
    path.write_bytes(pdf(objs))
    got = _run(path)
    assert "展开" in got["message"], got


def test_password_protected_pdf_is_called_protected_not_damaged(tmp_path):
    import pypdf  # noqa: F401  (required by the test extra)
    from fuzz.hostile_pdf import encrypted
    path = tmp_path / "有密码.pdf"
    path.write_bytes(encrypted())
    got = _run(path)
    assert "密码" in got["message"] and "损坏" not in got["message"], got


@pytest.mark.parametrize("name", ["wuzhong-minzheng-2023.pdf", "wuzhong-minzheng-2023-office.pdf",
                                  "pingqiao-minzheng-2024.pdf", "weihui-minzheng-2022.pdf"])
def test_real_reports_are_far_below_every_limit(name):
    from app.importers import pdf_guard as G
    got = G.counts(FIXTURES / "pdf" / name)
    assert got["chars"] * 10 < G.MAX_CHARS and got["path_ops"] * 10 < G.MAX_PATH_OPS, got
    assert got["text_objects"] * 10 < G.MAX_TEXT_OBJECTS and got["content_bytes"] * 10 < G.MAX_CONTENT_BYTES, got


def test_an_ordinary_pdf_passes_the_guard(tmp_path):
    from app.importers.pdf_guard import guard_pdf
    path = tmp_path / "plain.pdf"
    path.write_bytes(ordinary())
    guard_pdf(Path(path))


_WRAPPER = r"""
import json, resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], capture_output=True, text=True, encoding="utf-8", timeout=120)
print(json.dumps({"seconds": time.perf_counter() - t, "rc": r.returncode, "stdout": r.stdout, "stderr": r.stderr,
                  "mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


@pytest.mark.skipif(__import__("sys").platform == "win32", reason="peak memory of the process tree via getrusage")
@pytest.mark.parametrize("name", sorted(CASES))
def test_nianbao_import_of_each_hostile_file_within_budget(name, tmp_path):
    """The clerk's command, as a whole (program, worker process and all): 15 s, 1.5 GB, a Chinese message,
    nothing written."""
    import json
    import os
    import subprocess
    import sys

    from conftest import ROOT
    suffix, make = CASES[name]
    path = tmp_path / f"{name}{suffix}"
    path.write_bytes(make())
    out = tmp_path / "out.nianbao"
    r = subprocess.run([sys.executable, "-c", _WRAPPER, sys.executable, "-m", "app.cli", "import", str(path), "-o",
                        str(out)], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=180,
                       env={**os.environ})
    got = json.loads(r.stdout)
    assert got["rc"] == 2, got
    assert got["seconds"] < SECONDS and got["mb"] < MEGABYTES, got
    assert not out.exists()
    lines = [ln for ln in (got["stdout"] + got["stderr"]).splitlines() if ln.strip()]
    assert lines and all(is_chinese_message(ln.lstrip("✗ ")) for ln in lines), got


def test_a_type3_font_whose_resources_hold_itself_ends_within_budget(tmp_path):
    font = (b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0]"
            b" /CharProcs << >> /Encoding << /Differences [] >> /FirstChar 0 /LastChar 0 /Widths [0]"
            b" /Resources << /Font << /F1 4 0 R >> >> >>")
    path = tmp_path / "type3.pdf"
    path.write_bytes(pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                          b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
                          b" /Contents 5 0 R >>", font, stream(b"BT /F1 12 Tf 72 760 Td (x) Tj ET")]))
    got = measure(path, "open", kill_after=60, address_space_mb=3000)
    assert got["outcome"] == "refused" and got["seconds"] < SECONDS and got["mb"] < MEGABYTES, got
    assert is_chinese_message(got["message"]), got
