"""The program never uses the network: a whole session under an audit hook that refuses sockets and DNS.

``sys.addaudithook`` sees every socket the Python side creates, binds or connects and every name lookup
(``socket.__new__``, ``socket.connect``, ``socket.getaddrinfo``, ``socket.gethostbyname`` …, plus
``urllib.Request``, ``http.client.connect`` and the other network clients of the standard library). While
armed, the hook records the event and raises, so the call fails; the test then asserts nothing was recorded —
an exception raised inside a Qt slot would otherwise only be printed. A future dependency that phones home
(update check, telemetry, font or template download) fails this test.

Audit hooks cannot be removed, so the hook is installed once and only acts while a test has armed it. What
Qt's C++ side does is not visible to it: that is covered by the session not importing ``PySide6.QtNetwork`` and
by tests/test_frozen.py running the frozen program in a network namespace with no network at all.
"""
from __future__ import annotations

import json
import socket
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"

NETWORK_EVENTS = ("socket.", "urllib.Request", "http.client.", "ftplib.", "smtplib.", "imaplib.", "poplib.",
                  "nntplib.", "telnetlib.", "ssl.", "webbrowser.open")


class NetworkUse(RuntimeError):
    pass


class _Guard:
    def __init__(self):
        self.armed = False
        self.events: list[tuple[str, str]] = []

    def hook(self, event, args):
        if self.armed and event.startswith(NETWORK_EVENTS):
            self.events.append((event, repr(args)[:200]))
            raise NetworkUse(f"network use during a no-network session: {event} {args!r:.200}")


_GUARD = _Guard()
sys.addaudithook(_GUARD.hook)


@contextmanager
def no_network():
    """Arm the audit hook; yields the list of network events seen (must stay empty)."""
    _GUARD.events.clear()
    _GUARD.armed = True
    try:
        yield _GUARD.events
    finally:
        _GUARD.armed = False


EXPORTS = [".docx", ".pdf", ".xlsx"]  # every export format the program has; each must run in the audited session


def test_the_guard_catches_sockets_and_name_lookups():
    """The hook really fires (else the session tests below could not fail)."""
    with no_network() as events:
        with pytest.raises(NetworkUse):
            socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        with pytest.raises(NetworkUse):
            socket.getaddrinfo("localhost", 80)
        with pytest.raises(NetworkUse):
            socket.gethostbyname("localhost")
        import urllib.request
        with pytest.raises(NetworkUse):
            urllib.request.urlopen("http://127.0.0.1:9/")   # refused before any socket exists
    assert [e for e, _ in events] == ["socket.__new__", "socket.getaddrinfo", "socket.gethostbyname",
                                      "urllib.Request"]
    socket.socket().close()                                    # disarmed again: no effect outside


def _editable_cell(fmt, values, computed):
    """A table-3 input cell that holds a number, from the format data (no hard-coded ids)."""
    for cid, cell in fmt.cells.items():
        if cell.table == "t3" and cid not in computed and isinstance(values.get(cid), int):
            return cid
    raise AssertionError("no editable t3 cell with a value in the fixture")


def test_core_session_open_edit_check_export_save_without_network(tmp_path):
    from app import project, rules
    from app.documents import open_report
    src = sorted(FIXTURES.glob("*.nianbao"))[0]
    work = tmp_path / src.name
    work.write_bytes(src.read_bytes())
    with no_network() as events:
        report = open_report(work)
        computed = set(rules.formulas(report.format))
        cell = _editable_cell(report.format, report.values, computed)
        report.set_text(cell, str(report.values[cell] + 3))
        rules.recompute(report, {cell})
        findings = rules.check(report)
        from app.export import export_report
        outs = [export_report(report, tmp_path / f"out{suffix}", force=True) for suffix in EXPORTS]
        project.save(report, work)
    assert events == []
    assert json.loads(work.read_text(encoding="utf-8"))["values"][cell] == report.values[cell]
    # the check ran on the edited report: the edit unbalances table 3, and the same findings come back
    # from the saved file
    assert any(cell in f.cells and f.severity == rules.ERROR for f in findings)
    assert [f.rule for f in rules.check(project.load(work))] == [f.rule for f in findings]
    assert [p.suffix for p in outs] == EXPORTS and all(p.stat().st_size > 1000 for p in outs)


@pytest.fixture
def window(qtbot):
    from conftest import close_clean
    from ui.mainwindow import MainWindow
    win = MainWindow()  # not qtbot.addWidget: closing a dirty window after a failed assertion would ask (and hang)
    yield win
    close_clean(win)
    win.shutdown()
    win.deleteLater()


def test_gui_session_open_edit_check_export_save_without_network(qtbot, window, tmp_path):
    from app import project, rules, userdata
    from ui.qt import Qt
    src = sorted(FIXTURES.glob("*.nianbao"))[0]
    work = tmp_path / src.name
    work.write_bytes(src.read_bytes())
    qt_network_before = "PySide6.QtNetwork" in sys.modules
    with no_network() as events:
        assert window.open_path(str(work))
        window.show()
        qtbot.waitExposed(window)
        state = window.state
        cell = _editable_cell(state.fmt, state.report.values, state.computed)
        table = state.fmt.cells[cell].table
        window.wizard.go(table)
        page = window.wizard.pages[table]
        new = state.report.values[cell] + 5
        assert page.model.setData(page.model.index_of(cell), str(new), Qt.EditRole)   # the grid's edit path
        qtbot.wait(50)
        window.wizard.go("check")
        findings = state.run_check()
        from ui.export import export_to                # what the page's export buttons run after the dialogs
        exported = []
        for suffix in EXPORTS:
            assert suffix in window.wizard.pages["check"].export_buttons
            assert export_to(window, tmp_path / f"gui{suffix}", force=True)
            exported.append(tmp_path / f"gui{suffix}")
        # the recovery copy is written by a worker thread: wait for that thread to finish writing (not a fixed
        # time), so a socket the writer opened would still be seen while the guard is armed
        assert state.dirty
        written = window.writer.written
        window.write_recovery()
        qtbot.waitUntil(lambda: window.writer.written > written or window.writer.error, timeout=10000)
        window.writer.join()
        assert window.writer.error is None, window.writer.error
        assert userdata.recovery_path().is_file()
        assert window.save_to(str(work))
    assert events == []
    assert qt_network_before or "PySide6.QtNetwork" not in sys.modules
    assert state.report.values[cell] == new
    assert all(p.stat().st_size > 1000 for p in exported)
    saved = project.load(work)
    assert saved.values[cell] == new
    assert not state.dirty
    # the check the window shows is the core's check of what was saved (the edit unbalances table 3)
    assert any(cell in f.cells for f in findings)
    assert [f.rule for f in findings] == [f.rule for f in rules.check(saved)]
