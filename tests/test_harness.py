"""The test run itself cannot hang: a forgotten modal dialog and a stuck test both end in a failure."""
import os
import subprocess
import sys
import time

from conftest import ROOT

TARGET = "tests/harness/forgets_dialog.py"


def _child(args, env_extra, limit):
    env = {**os.environ, **env_extra}
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=ROOT, env=env,
                       capture_output=True, text=True, encoding="utf-8", timeout=limit)
    return r, time.monotonic() - t0


def test_a_forgotten_modal_dialog_fails_the_test_instead_of_hanging():
    r, took = _child([f"{TARGET}::test_forgets_a_modal_dialog"], {"NIANBAO_TEST_MODAL_GRACE": "1"}, 120)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "a modal dialog was left open by the test" in r.stdout and "忘记回答的对话框" in r.stdout
    assert took < 60


def test_a_stuck_test_is_stopped_by_the_time_limit_with_its_stack():
    r, took = _child([f"{TARGET}::test_sleeps_forever", "--timeout=3"], {}, 120)
    assert r.returncode != 0
    assert "Timeout" in r.stdout + r.stderr and "test_sleeps_forever" in r.stdout + r.stderr
    assert took < 60


def test_the_suite_has_a_time_limit_and_a_stack_dump_configured(pytestconfig):
    assert pytestconfig.pluginmanager.hasplugin("timeout"), "pytest-timeout is not installed"
    assert 60 <= float(pytestconfig.getini("timeout")) <= 900
    assert 0 < float(pytestconfig.getini("faulthandler_timeout")) <= float(pytestconfig.getini("timeout"))
