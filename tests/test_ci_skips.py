"""With ``CI=true`` a skipped test fails the run (exit status 1, each skip named with its reason); without it a
skip stays a note. Run on a throw-away test folder that uses the same hooks as tests/conftest.py."""
import os
import subprocess
import sys

import ci_skips
import conftest
from conftest import ROOT

SKIPPING = '''
import pytest

def test_passes():
    pass

def test_needs_a_tool():
    pytest.skip("frobnicate is not installed")
'''

PASSING = "def test_passes():\n    pass\n"


def _run(tmp_path, body, ci):
    (tmp_path / "conftest.py").write_text(
        "from ci_skips import *  # noqa: F403\n"
        "def pytest_sessionfinish(session, exitstatus):\n    fail_on_skips(session)  # noqa: F405\n",
        encoding="utf-8")
    (tmp_path / "test_x.py").write_text(body, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_ADDOPTS")}
    env["PYTHONPATH"] = str(ROOT / "tests")
    if ci:
        env["CI"] = "true"
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir",
                           str(tmp_path), str(tmp_path)], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)


def test_a_skip_fails_a_ci_run(tmp_path):
    r = _run(tmp_path, SKIPPING, ci=True)
    assert r.returncode == 1, r.stdout
    assert "CI: skipped tests fail the run" in r.stdout
    assert "test_x.py::test_needs_a_tool: frobnicate is not installed" in r.stdout


def test_a_skip_is_a_note_outside_ci(tmp_path):
    r = _run(tmp_path, SKIPPING, ci=False)
    assert r.returncode == 0, r.stdout
    assert "1 skipped" in r.stdout and "CI: skipped" not in r.stdout


def test_a_ci_run_without_skips_passes(tmp_path):
    r = _run(tmp_path, PASSING, ci=True)
    assert r.returncode == 0, r.stdout


def test_a_module_level_skip_fails_a_ci_run_too(tmp_path):
    r = _run(tmp_path, 'import pytest\npytest.skip("no such library", allow_module_level=True)\n', ci=True)
    assert r.returncode == 1 and "no such library" in r.stdout, r.stdout


def test_the_suite_uses_the_hooks():
    """tests/conftest.py is wired to the same hooks (and calls the exit-status rule from its session end)."""
    for hook in ("pytest_runtest_logreport", "pytest_collectreport", "pytest_terminal_summary"):
        assert getattr(conftest, hook) is getattr(ci_skips, hook)
    source = (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")
    assert "fail_on_skips(session)" in source


def test_ci_script_sets_ci():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "export CI=true" in script


def test_no_required_dependency_is_skipped():
    """Dependencies of the program or of the test extra are imported, never ``importorskip``-ed."""
    offenders = [p.name for p in (ROOT / "tests").glob("*.py") if "importorskip(" in p.read_text(encoding="utf-8")
                 and p.name != "test_ci_skips.py"]
    assert not offenders
