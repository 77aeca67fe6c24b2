"""Reading untrusted files (published reports: Word, Excel, PDF, web pages, text) in a worker process with hard
limits of time and memory, so that no file can hang the program or take the machine's memory.

The worker is a separate Python process (``multiprocessing``: forked where that is safe — the command line on
Linux, see :func:`_start_method` —, else started fresh; never forked from a process that runs Qt) that reads one
file at a time with the ordinary importers and sends back the report as plain data: the
JSON of a project file (``project.dumps``), which this side reads with the same bounded loader as any project
file — no object of the worker crosses over. Its limits:

* **time**: :data:`SECONDS` of wall-clock time per file, counted from the request; past it the worker is killed
  and the file gets a message (the next file starts a new worker). On POSIX the worker also has a CPU-time limit
  (``RLIMIT_CPU``) of the same size per file, so even a worker whose parent stopped watching ends.
* **memory**: :data:`MEMORY_MB` of address space (POSIX ``RLIMIT_AS``) or committed memory (a Windows Job
  object); past it an allocation fails, the importer turns the ``MemoryError`` into a message, and the worker is
  replaced.
* **cancel**: whoever waits may pass ``cancelled`` (checked every 50 ms) and ``tick`` (called while waiting —
  the window processes its events there, so it stays responsive and its 取消 button works).

:func:`enable` turns the worker on for :func:`app.documents.open_report` of every imported kind (the command line
and the window do; a library caller or a test that does not reads in-process, with the importers' own limits).
``NIANBAO_WORKER=0`` turns it off (debugging).
"""
from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
from pathlib import Path

from .errors import OpenError

# per file; with the worker's start the whole read stays within 15 s (NIANBAO_WORKER_SECONDS: tests, a slow PC)
SECONDS = float(os.environ.get("NIANBAO_WORKER_SECONDS") or 12.0)
STARTUP_SECONDS = 60.0
MEMORY_MB = 1024  # the worker's address space; a report needs < 300 MB, the budget is 1.5 GB
_POLL = 0.05

_enabled = False
_in_worker = False
_lock = threading.Lock()
_worker: "Worker | None" = None
_reading_in: int | None = None  # the thread reading now


class Cancelled(OpenError):
    """The reading was cancelled by the user."""


def enable(on: bool = True) -> None:
    global _enabled
    _enabled = on


@contextlib.contextmanager
def enabled_while():
    """The worker on for the ``with`` block (the command line's run; a test calling it in-process stays as it was)."""
    global _enabled
    before, _enabled = _enabled, True
    try:
        yield
    finally:
        _enabled = before


def enabled() -> bool:
    return _enabled and not _in_worker and os.environ.get("NIANBAO_WORKER", "1") != "0"


def start_worker(proc, forked: bool) -> None:
    """Start a worker process. A forked one starts with this process's objects frozen for its collector (unfrozen
    here at once): its collections never walk what it inherited, so those memory pages stay shared."""
    import gc
    if forked:
        gc.freeze()
    try:
        proc.start()
    finally:
        if forked:
            gc.unfreeze()


def read_report(path, cancelled=None, tick=None, seconds: float | None = None):
    """The report in ``path`` (any imported kind), read by the worker. Raises :class:`OpenError` (a Chinese
    message) when the file cannot be read, takes longer than ``seconds`` or more memory than the limit, and
    :class:`Cancelled` when ``cancelled()`` became true."""
    global _worker, _reading_in
    path = Path(path)
    if _reading_in == threading.get_ident():  # from inside ``tick`` (the window handling a second open meanwhile)
        raise OpenError(f"正在读取另一个文件，请等它读完（或取消）后再打开“{path.name}”。")
    with _lock:
        _reading_in = threading.get_ident()
        try:
            if _worker is None:
                _worker = Worker()
            reply = _worker.read(path, cancelled, tick, SECONDS if seconds is None else seconds)
        finally:
            _reading_in = None
    if "error" in reply:
        raise OpenError(str(reply["error"]))
    from . import project
    try:
        report = project.loads(reply["report"], f"“{path.name}”的读取结果")
    except project.ProjectError as e:  # cannot happen with our own dumps; never a traceback if it does
        raise OpenError(str(e)) from None
    if isinstance(reply.get("account"), dict):
        from .importers.account import Account
        report.import_account = Account.from_dict(reply["account"])
    return report


def _read_here(importers, path: Path):
    """The worker's read: the importer of the file's kind (the caller has checked kind and file)."""
    reader = importers.get(path.suffix.lower())
    if reader is None:
        raise OpenError(f"“{path.name}”的类型（{path.suffix or '无扩展名'}）无法打开。")
    return reader(path)


def shutdown() -> None:
    global _worker
    with _lock:
        if _worker is not None:
            _worker.stop()
            _worker = None


class Worker:
    """One worker process and the pipe to it; restarted after a kill, a crash or a memory failure."""

    def __init__(self):
        self.proc = None
        self.conn = None
        self._tick = self._cancelled = None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.is_alive()

    def start(self) -> None:
        import multiprocessing
        ctx = multiprocessing.get_context(_start_method())
        mine, theirs = ctx.Pipe()
        forked = ctx.get_start_method() == "fork"
        self.proc = ctx.Process(target=serve, args=(theirs, MEMORY_MB, forked), name="nianbao-reader", daemon=True)
        start_worker(self.proc, forked)
        theirs.close()
        self.conn = mine
        # the time limit of a file counts from its request, not from the worker's start (a fresh interpreter
        # that imports the readers: ~0.5 s here, several seconds on a PC whose antivirus scans every file)
        deadline = time.monotonic() + STARTUP_SECONDS
        while not self.conn.poll(_POLL):
            if not self.proc.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise OpenError("无法启动读取文件的后台进程（系统资源不足或被安全软件阻止），请稍后再试。")
            if self._cancelled is not None and self._cancelled():
                self.stop()
                raise Cancelled("已取消读取。")
            if self._tick is not None:
                self._tick()
        try:
            self.conn.recv_bytes()
        except (OSError, EOFError):
            self.stop()
            raise OpenError("读取文件的后台进程启动后立即退出（系统资源不足或被安全软件阻止），请稍后再试。") from None

    def stop(self) -> None:
        if self.proc is not None:
            try:
                self.proc.kill()
                self.proc.join(5)
            except (OSError, ValueError, AttributeError):
                pass
            try:
                self.proc.close()
            except (ValueError, AttributeError):
                pass
        if self.conn is not None:
            try:
                self.conn.close()
            except OSError:
                pass
        self.proc = self.conn = None

    def read(self, path: Path, cancelled, tick, seconds: float) -> dict:
        self._tick, self._cancelled = tick, cancelled
        if not self.alive():
            self.stop()
            self.start()
        try:
            self.conn.send_bytes(json.dumps({"path": str(path), "seconds": seconds}).encode("utf-8", "surrogatepass"))
        except OSError:
            self.stop()
            self.start()
            self.conn.send_bytes(json.dumps({"path": str(path), "seconds": seconds}).encode("utf-8", "surrogatepass"))
        deadline = time.monotonic() + seconds
        name = path.name
        while True:
            try:
                ready = self.conn.poll(_POLL)
            except (OSError, EOFError):
                ready = True
            if ready:
                try:
                    data = self.conn.recv_bytes()
                except (OSError, EOFError):
                    return {"error": self._died(name)}
                reply = json.loads(data.decode("utf-8", "surrogatepass"))
                if reply.get("restart"):  # it ran out of memory: its heap may be fragmented, start afresh
                    self.stop()
                return reply
            if not self.proc.is_alive():
                return {"error": self._died(name)}
            if cancelled is not None and cancelled():
                self.stop()
                raise Cancelled(f"已取消读取“{name}”。")
            if time.monotonic() > deadline:
                self.stop()
                return {"error": f"读取“{name}”超过 {seconds:.0f} 秒仍未完成，已停止（文件可能结构异常或过于复杂）。"
                                 "其他文件不受影响。"}
            if tick is not None:
                tick()

    def _died(self, name: str) -> str:
        code = self.proc.exitcode if self.proc is not None else None
        self.stop()
        import signal
        if code is not None and code == -getattr(signal, "SIGXCPU", -999):
            return f"读取“{name}”用时超过限制（{SECONDS:.0f} 秒），已停止（文件可能结构异常）。"
        return f"读取“{name}”时内存不足或读取程序意外退出（上限 {MEMORY_MB} MB），已停止；文件可能过大或结构异常。"


def _start_method() -> str:
    """``fork`` where it is safe (Linux, no Qt in this process, no other thread: the command line) and this
    process uses less than half the worker's memory limit (which then holds as for a fresh worker) — the worker
    starts in milliseconds, not in half a second or more; else ``spawn``, a fresh interpreter (the window)."""
    import multiprocessing
    if (sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
            and "PySide6" not in sys.modules and threading.active_count() == 1
            and 0 < _address_space() < MEMORY_MB * 1024 * 1024 // 2):  # room left under the worker's limit
        return "fork"
    return "spawn"


# --- the worker's side -------------------------------------------------------------------------------------------

def serve(conn, memory_mb: int, forked: bool = False) -> None:
    """The worker's loop: limits first, then one request (a path) at a time, answered with plain JSON."""
    global _in_worker, _worker
    _in_worker = True
    if forked:
        _worker = None  # the parent's, not ours
    _limit_memory(memory_mb)
    import warnings
    warnings.simplefilter("ignore")  # a library's warning (openpyxl's styles, …) is not for the clerk's console
    from . import project
    from .importers import IMPORTERS
    from .messages import exception_text
    conn.send_bytes(b'{"ready": true}')
    while True:
        try:
            request = json.loads(conn.recv_bytes().decode("utf-8", "surrogatepass"))
        except (EOFError, OSError):
            return
        _limit_cpu(float(request.get("seconds", SECONDS)))
        reply: dict
        try:
            report = _read_here(IMPORTERS, Path(request["path"]))
            reply = {"report": project.dumps(report)}
            account = getattr(report, "import_account", None)
            if account is not None:  # the live account (with the narrative pieces) is not part of the project file
                reply["account"] = account.as_dict(pieces=True)
        except OpenError as e:
            reply = {"error": str(e)}
        except MemoryError:
            reply = {"error": f"“{Path(request['path']).name}”过大或结构异常，"
                              "读取时内存不足，已停止。", "restart": True}
        except Exception as e:  # noqa: BLE001 — whatever happens in here becomes a message over there
            reply = {"error": f"无法读取“{Path(request['path']).name}”：{exception_text(e)}。"}
        try:
            conn.send_bytes(json.dumps(reply, ensure_ascii=False).encode("utf-8", "surrogatepass"))
        except (OSError, ValueError):
            return
        if reply.get("restart"):
            return


def detach() -> None:
    """In a worker of a folder check's pool: read here, without a worker of our own (a forked copy of the
    parent's pipe is not ours)."""
    global _worker
    _worker = None
    enable(False)


def limit_memory(memory_mb: int | None = None) -> None:
    """This process's memory limit (:data:`MEMORY_MB` by default), as the reading worker has it."""
    _limit_memory(MEMORY_MB if memory_mb is None else memory_mb)


def limit_cpu(seconds: float | None = None) -> None:
    """CPU time of this process may grow by ``seconds`` (default :data:`SECONDS`) from now."""
    _limit_cpu(SECONDS if seconds is None else seconds)


def _address_space() -> int:
    """Bytes of address space this process uses now (0 where it cannot be told)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return 0


def _limit_memory(memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    if sys.platform == "win32":
        _windows_job(limit)
        return
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass


def _limit_cpu(seconds: float) -> None:
    """CPU time of this process may grow by ``seconds`` (+1) from now: the limit moves with each file."""
    try:
        import resource
    except ImportError:
        return
    try:
        used = resource.getrusage(resource.RUSAGE_SELF)
        now = used.ru_utime + used.ru_stime
        soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        want = int(now + seconds) + 2
        if hard != resource.RLIM_INFINITY:
            want = min(want, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (want, hard))
    except (ValueError, OSError):
        pass


def _job_limit_structure():
    """``JOBOBJECT_EXTENDED_LIMIT_INFORMATION`` as ctypes lays it out (144 bytes on 64-bit Windows)."""
    import ctypes

    dword = ctypes.c_uint32

    class BASIC(ctypes.Structure):
        _fields_ = [("PerProcessUserTimeLimit", ctypes.c_int64), ("PerJobUserTimeLimit", ctypes.c_int64),
                    ("LimitFlags", dword), ("MinimumWorkingSetSize", ctypes.c_size_t),
                    ("MaximumWorkingSetSize", ctypes.c_size_t), ("ActiveProcessLimit", dword),
                    ("Affinity", ctypes.c_size_t), ("PriorityClass", dword), ("SchedulingClass", dword)]

    class IO(ctypes.Structure):
        _fields_ = [(n, ctypes.c_uint64) for n in ("ReadOperationCount", "WriteOperationCount",
                                                   "OtherOperationCount", "ReadTransferCount",
                                                   "WriteTransferCount", "OtherTransferCount")]

    class EXTENDED(ctypes.Structure):
        _fields_ = [("BasicLimitInformation", BASIC), ("IoInfo", IO), ("ProcessMemoryLimit", ctypes.c_size_t),
                    ("JobMemoryLimit", ctypes.c_size_t), ("PeakProcessMemoryUsed", ctypes.c_size_t),
                    ("PeakJobMemoryUsed", ctypes.c_size_t)]

    return EXTENDED


def _windows_job(limit: int) -> None:
    """Put this process into a Job object whose memory limit is ``limit`` bytes (Windows 8+ allows nested jobs);
    the job is closed, and the process ended with it, when the process ends."""
    global _job_handle
    try:
        import ctypes
        from ctypes import wintypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel32.CreateJobObjectW.restype = wintypes.HANDLE
        kernel32.CreateJobObjectW.argtypes = [ctypes.c_void_p, wintypes.LPCWSTR]
        kernel32.SetInformationJobObject.argtypes = [wintypes.HANDLE, ctypes.c_int, ctypes.c_void_p, wintypes.DWORD]
        kernel32.AssignProcessToJobObject.argtypes = [wintypes.HANDLE, wintypes.HANDLE]
        kernel32.GetCurrentProcess.restype = wintypes.HANDLE
        job = kernel32.CreateJobObjectW(None, None)
        if not job:
            return
        info = _job_limit_structure()()
        job_limit_process_memory, job_limit_kill_on_job_close = 0x100, 0x2000
        info.BasicLimitInformation.LimitFlags = job_limit_process_memory | job_limit_kill_on_job_close
        info.ProcessMemoryLimit = limit
        job_object_extended_limit_information = 9
        if kernel32.SetInformationJobObject(job, job_object_extended_limit_information, ctypes.byref(info),
                                            ctypes.sizeof(info)):
            kernel32.AssignProcessToJobObject(job, kernel32.GetCurrentProcess())
        _job_handle = job  # kept open for the process's life (closing it would end the limit and the process)
    except Exception:  # noqa: BLE001 — no job: the parent's timeout and kill still hold
        pass


_job_handle = None
