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


def test_export_command_turns_the_cycle_collector_back_on(tmp_path, capsys):
    """The export command lays out without Python's cycle collector and turns it back on, also when the export
    is refused (a caller in the same process — the tests, a script — keeps its collector)."""
    import gc

    from app.export.cli import cmd_export
    src = str(ROOT / "tests" / "fixtures" / "wuzhong-minzheng-2023.nianbao")
    assert gc.isenabled()
    assert cmd_export([src, "-o", str(tmp_path / "x.pdf")]) == 0 and gc.isenabled()
    assert cmd_export([src, "-o", str(tmp_path / "x.unknown")]) == 2 and gc.isenabled()
    gc.disable()
    try:
        assert cmd_export([src, "-o", str(tmp_path / "y.pdf")]) == 0 and not gc.isenabled()  # left as it was
    finally:
        gc.enable()
