"""Settings › Rule pack in the window: a pack chosen there runs in the window's checks, is remembered for the next
start, and a bad one is refused with the reason while the previous choice stays."""
from __future__ import annotations

import pytest

import PySide6  # noqa: F401  (required: a missing PySide6 fails, never skips)

from conftest import FIXTURES, ROOT, close_clean

from app import rulepacks

EXAMPLE = ROOT / "resources" / "rulepacks" / "example-2025.json"


@pytest.fixture(autouse=True)
def no_pack_after():
    yield
    rulepacks.activate(None)


def window(qtbot):
    from ui.mainwindow import MainWindow
    w = MainWindow()
    qtbot.addWidget(w)
    return w


def rules_of(w):
    w.state.complete()
    return {f.rule for f in w.state.findings}


def test_pack_chosen_in_settings_runs_and_is_remembered(qtbot):
    from ui import rulepack_menu
    w = window(qtbot)
    try:
        assert w.menuBar().actions()[-2].menu() is w.rulepack_menu  # before Help
        assert w.open_path(FIXTURES / "wuzhong-minzheng-2023.nianbao")
        assert "LOCAL.ZHUANQU" not in rules_of(w)
        assert rulepack_menu.load_and_use(w, str(EXAMPLE))
        assert "LOCAL.ZHUANQU" in {f.rule for f in w.state.findings}  # checked again at once
        assert "示例" in w.rulepack_actions["current"].text() and w.rulepack_actions["clear"].isEnabled()
    finally:
        close_clean(w)
    rulepacks.activate(None)
    w2 = window(qtbot)  # the next start uses it again
    try:
        assert rulepacks.active() is not None and rulepacks.active().path == str(EXAMPLE)
        assert w2.open_path(FIXTURES / "wuzhong-minzheng-2023.nianbao")
        assert "LOCAL.ZHUANQU" in rules_of(w2)
        w2.rulepack_actions["clear"].trigger()
        assert rulepacks.active() is None and "LOCAL.ZHUANQU" not in {f.rule for f in w2.state.findings}
    finally:
        close_clean(w2)
    w3 = window(qtbot)
    try:
        assert rulepacks.active() is None
    finally:
        close_clean(w3)


def test_bad_pack_is_refused_and_the_previous_stays(qtbot, tmp_path):
    from ui import rulepack_menu
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "x", "rules": [{"id": "L.A", "type": "max_chars", "section": "s9", "max": 5}]}',
                   encoding="utf-8")
    w = window(qtbot)
    try:
        assert rulepack_menu.load_and_use(w, str(EXAMPLE))
        assert not rulepack_menu.load_and_use(w, str(bad))
        box = w.last_message_box
        assert "第 1 条规则（L.A）" in box.text()
        box.close()
        assert rulepacks.active().path == str(EXAMPLE)
    finally:
        close_clean(w)


def test_a_pack_gone_at_start_is_dropped_quietly(qtbot, tmp_path):
    from ui import rulepack_menu
    copy = tmp_path / "pack.json"
    copy.write_bytes(EXAMPLE.read_bytes())
    w = window(qtbot)
    try:
        assert rulepack_menu.load_and_use(w, str(copy))
    finally:
        close_clean(w)
    copy.unlink()
    rulepacks.activate(None)
    w2 = window(qtbot)
    try:
        assert rulepacks.active() is None
        assert "未使用规则包" in w2.statusBar().currentMessage() or "not used" in w2.statusBar().currentMessage()
    finally:
        close_clean(w2)
