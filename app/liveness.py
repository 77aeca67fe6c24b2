"""Whether a process still runs, proven by its identity rather than by its id or program name (Qt-free).

A process id is reused after the process ends, often by another Python process, so "a process with this id runs"
proves nothing. What does: the process's start, recorded when it wrote something (a lock, a recovery copy, a
temporary file), equal to the start of the process that has the id now. On Linux the start is read from
``/proc/<pid>/stat`` (clock ticks after boot, with the boot id), on Windows from ``GetProcessTimes`` (creation
time); a process that has ended but was not yet reaped by its parent (a zombie on Linux, a process whose exit code
is set on Windows) is dead. Where the system tells no start time (other systems), a file written before the
process with that id started cannot be that process's: :func:`started_after` proves that case.
"""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Literal

STILL_ACTIVE = 259  # GetExitCodeProcess of a running process


class Proc:
    """A running process: ``start`` an opaque token equal for one process only (``None`` when the system does not
    tell), ``started_at`` its start in seconds since the epoch (``None`` when unknown)."""
    __slots__ = ("pid", "start", "started_at")

    def __init__(self, pid: int, start: str | None, started_at: float | None):
        self.pid, self.start, self.started_at = pid, start, started_at

    def __repr__(self) -> str:
        return f"Proc({self.pid}, {self.start!r}, {self.started_at!r})"


def hostname() -> str:
    """This computer's name, asked of the system without the socket library (nothing here touches the network)."""
    if sys.platform == "win32":
        try:
            import ctypes
            size = ctypes.c_ulong(256)
            buf = ctypes.create_unicode_buffer(size.value)
            if ctypes.windll.kernel32.GetComputerNameExW(1, buf, ctypes.byref(size)):  # ComputerNameDnsHostname
                return buf.value
        except (ImportError, AttributeError, OSError):
            pass
        return os.environ.get("COMPUTERNAME", "")
    try:
        return os.uname().nodename
    except (AttributeError, OSError):
        return ""


def machine_id() -> str:
    """The system's machine id (what QLockFile records), "" when there is none."""
    if sys.platform == "win32":
        try:
            import winreg
            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Cryptography", 0,
                                winreg.KEY_READ | winreg.KEY_WOW64_64KEY) as key:
                return str(winreg.QueryValueEx(key, "MachineGuid")[0])
        except (ImportError, OSError):
            return ""
    for name in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            with open(name, encoding="ascii") as fh:
                return fh.read(64).strip()
        except (OSError, ValueError):
            continue
    return ""


def boot_id() -> str:
    return _boot()[0]


def same_host(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def _boot() -> tuple[str, float | None]:
    """(this boot's id, the boot time in seconds since the epoch) on Linux; ("", None) elsewhere."""
    boot, btime = "", None
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as fh:
            boot = fh.read().strip()
    except OSError:
        pass
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("btime "):
                    btime = float(line.split()[1])
                    break
    except (OSError, ValueError):
        pass
    return boot, btime


def _linux(pid: int) -> Proc | None | Literal[False]:
    """The process from /proc (``None`` = not running or a zombie), or False when there is no /proc."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        if not os.path.isdir("/proc/self"):
            return False
        try:  # not shown in /proc (another user's process where /proc hides them): whether the id is in use
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except OSError:
            pass
        return Proc(pid, None, None)
    try:
        state, ticks = fields[0], int(fields[19])  # field 3: state; field 22: start in clock ticks after boot
    except (IndexError, ValueError):
        return None
    if state in (b"Z", b"X", b"x"):  # ended; only its exit status waits for its parent
        return None
    boot, btime = _boot()
    try:
        hz = os.sysconf("SC_CLK_TCK")
    except (ValueError, OSError, AttributeError):
        hz = 100
    return Proc(pid, f"{boot}/{ticks}", btime + ticks / hz if btime is not None else None)


_K32 = None


def _kernel32():
    assert sys.platform == "win32"
    global _K32
    if _K32 is None:
        import ctypes
        from ctypes import wintypes
        k32 = ctypes.WinDLL("kernel32", use_last_error=True)
        k32.OpenProcess.restype = wintypes.HANDLE  # (a handle is pointer-sized: not the default int)
        k32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
        k32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
        k32.GetProcessTimes.argtypes = (wintypes.HANDLE,) + (ctypes.POINTER(wintypes.FILETIME),) * 4
        k32.CloseHandle.argtypes = (wintypes.HANDLE,)
        _K32 = k32
    return _K32


def _windows(pid: int) -> Proc | None:
    assert sys.platform == "win32"
    try:
        import ctypes
        from ctypes import wintypes
        k32 = _kernel32()
    except (ImportError, AttributeError, OSError):
        return None
    handle = k32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        # ERROR_ACCESS_DENIED: it exists (another user's process); without its times nothing more is known
        err = ctypes.get_last_error()  # type: ignore[attr-defined]  # (Windows only)
        return Proc(pid, None, None) if err == 5 else None
    try:
        code = wintypes.DWORD()
        if not k32.GetExitCodeProcess(handle, ctypes.byref(code)) or code.value != STILL_ACTIVE:
            return None  # ended (its handle still held somewhere)
        times = [wintypes.FILETIME() for _ in range(4)]
        if not k32.GetProcessTimes(handle, *[ctypes.byref(t) for t in times]):
            return Proc(pid, None, None)
        ft = (times[0].dwHighDateTime << 32) | times[0].dwLowDateTime  # 100 ns since 1601-01-01
        return Proc(pid, f"win/{ft}", ft / 1e7 - 11644473600.0)
    finally:
        k32.CloseHandle(handle)


def process(pid) -> Proc | None:
    """The running process with id ``pid``, or ``None`` when none runs (a zombie does not run)."""
    try:
        pid = int(pid)
    except (TypeError, ValueError):
        return None
    if pid <= 0:
        return None
    if sys.platform == "win32":
        return _windows(pid)
    found = _linux(pid)
    if found is not False:
        return found
    try:  # a POSIX system without /proc: only whether the id is in use
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except (PermissionError, OSError):
        pass
    return Proc(pid, None, None)


def process_start(pid) -> str | None:
    """The start token of running process ``pid`` (``None`` when unknown or not running)."""
    p = process(pid)
    return p.start if p is not None else None


def started_after(p: Proc, when: float, slack: float = 2.0) -> bool:
    """True when process ``p`` provably started after ``when`` (seconds since the epoch), so that it cannot have
    written something dated ``when``. ``slack`` covers the clock-tick rounding of the start time."""
    return p.started_at is not None and p.started_at > when + slack


FILE_CLOCK_SLACK = 300.0  # seconds: a file's modification time may come from a file server's clock


def running(pid, start: str | None, written_at: float | None = None, slack: float = 2.0) -> bool:
    """Whether the process that recorded ``(pid, start)`` at ``written_at`` still runs.

    ``start`` recorded and known now: equal means running. ``start`` unknown (a record from an older version or a
    system that tells none): the id must be in use by a process that did not start after the record was written
    (``slack``: how far the clock that dated the record may be off; :data:`FILE_CLOCK_SLACK` for a file's time)."""
    p = process(pid)
    if p is None:
        return False
    if start is not None and p.start is not None:
        return p.start == start
    if written_at is not None and started_after(p, written_at, slack):
        return False
    return True
