"""What a fresh ``nianbao export`` process imports: nothing of the network stack (urllib.request, http.client,
ssl, email), which xml.sax.saxutils pulled into every DOCX export (25–50 ms of a fresh process)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

NETWORK = ("urllib.request", "http.client", "ssl", "email.message", "xml.sax.saxutils")


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_an_export_imports_nothing_of_the_network_stack(tmp_path, suffix):
    code = (
        "import sys\n"
        "from app.cli import main\n"
        "try:\n"
        f"    main(['export', 'tests/fixtures/wuzhong-minzheng-2023.nianbao', '-o', r'{tmp_path / ('x' + suffix)}'])\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        f"print(sorted(m for m in {NETWORK!r} if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True,
                         cwd=ROOT)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout + out.stderr
    assert (tmp_path / ("x" + suffix)).stat().st_size > 5000
