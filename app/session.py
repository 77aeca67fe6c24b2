"""The document session (Qt-free): one report file open for editing in one window.

- **One writer.** Opening a project file for editing takes its lock, ``.~NAME.lock`` next to it (the name the
  program has always used). A second window or process that opens the file is refused with :class:`Locked`
  ("该文件已在另一个窗口中打开") and may open it read-only; within one process the exception names the window
  (``client``) that has it, so that window can be brought forward.
- **Liveness proven.** The lock records the process id, the computer's name and the process's start
  (:mod:`app.liveness`); it is stale when that process no longer runs — a killed process its parent has not yet
  reaped included — and also when the id now belongs to another process (any ``python3.11`` included). A lock
  written by a program that records no start (an older version, Qt's QLockFile) is stale when the process with
  its id started after the lock was written. A lock from another computer (a shared folder) is never called
  stale: it cannot be checked from here.
- **No silent overwrite.** A save compares the file on disk with what this session read or last wrote, while
  holding the lock, so two of our windows or processes can never both write unasked; a difference raises
  :class:`Conflict` and the caller asks (reload, overwrite, save as). A read-only session may save to its file
  only after taking the lock (the other window has closed) and with the same comparison.
- **Recovery.** :meth:`Session.recovery` finds the recovery copy a dead instance left for this very file, checked
  again at every open (not once at start-up).

Nothing here imports Qt; ``ui/mainwindow.py`` asks and shows.
"""
from __future__ import annotations

import atexit
import os
import stat
import sys
import threading
import time
from pathlib import Path

from . import liveness, project, userdata
from .model import Report

# seconds a lock file without readable content is taken as being written by its owner (it is empty only for a moment;
# its time may come from a file server's clock)
LOCK_GRACE = 10.0 + liveness.FILE_CLOCK_SLACK
LOCK_WAIT = 2.0  # seconds a save waits for another instance to finish its own save of the file
MAX_LOCK_BYTES = 4096


class SessionError(Exception):
    """A session problem with a Chinese message for the user."""


class Locked(SessionError):
    """The file is open for editing elsewhere. ``owner``: who has it (``None`` when its lock is still being
    written); ``client``: the object (a window) of this process that has it, else ``None``."""

    def __init__(self, path, owner: LockOwner | None, client=None, saving: bool = False):
        self.path = str(path)
        self.owner = owner
        self.client = client
        head = f"该文件已在另一个窗口中打开：“{Path(path).name}”（{_where(owner)}）。"
        if saving:
            super().__init__(head + "保存到这个文件会覆盖那个窗口的修改，所以没有保存；"
                                    "请“另存为”其他文件，或到那个窗口中修改。")
        else:
            super().__init__(head + "两个窗口都保存时，其中一个的修改会丢失，所以这里只能只读打开；"
                                    "要修改，请切换到那个窗口，或关闭它后再打开。")

    def when_saving(self) -> Locked:
        return Locked(self.path, self.owner, self.client, saving=True)


class Conflict(SessionError):
    """The file on disk is not what this session read or last wrote: another program or window changed it."""

    def __init__(self, path):
        self.path = str(path)
        super().__init__(f"“{Path(path).name}”在这里打开之后已在磁盘上被修改（另一个窗口或程序）。"
                         f"现在保存会覆盖那些修改。")


def _where(owner: LockOwner | None) -> str:
    if owner is None:
        return "另一个窗口正在打开它"
    if owner.this_process():
        return "本程序的另一个窗口"
    if owner.host and not liveness.same_host(owner.host, liveness.hostname()):
        return f"计算机“{owner.host}”上的进程 {owner.pid}"
    return f"进程 {owner.pid}"


# ---------------------------------------------------------------------------------------------------------------
# the lock

def lock_path(path) -> Path:
    """The lock file that tells other instances a project file is open: ``.~NAME.lock`` next to it."""
    path = Path(path)
    name = f".~{path.name}.lock"
    if len(os.fsencode(name)) > 200:  # keep within the file-name limit
        import hashlib
        name = f".~{hashlib.sha1(os.fsencode(path.name)).hexdigest()[:16]}.lock"
    return path.with_name(name)


def _program_name() -> str:
    # what QLockFile of an older version compares with the process's program name, so that it sees this lock as live
    name = os.path.basename(os.path.realpath(sys.executable or "")) or "nianbao"
    return name[:-4] if name.lower().endswith(".exe") else name


class LockOwner:
    """Who wrote a lock file: process id, computer, the process's start (``None``: not recorded), this program's
    run token (``None``: not recorded) and when the lock was written (its modification time)."""
    __slots__ = ("pid", "host", "start", "instance", "written_at")

    def __init__(self, pid: int, host: str, start: str | None, instance: str | None, written_at: float):
        self.pid, self.host, self.start, self.instance, self.written_at = pid, host, start, instance, written_at

    def this_process(self) -> bool:
        return self.pid == os.getpid() and self.instance == userdata.INSTANCE \
            and (not self.host or liveness.same_host(self.host, liveness.hostname()))

    def alive(self, lock_file: Path) -> bool:
        if self.host and not liveness.same_host(self.host, liveness.hostname()):
            return True  # another computer's process cannot be checked from here
        if self.pid == os.getpid():  # this process's own lock is held while one of its sessions has it; any other
            return self.instance == userdata.INSTANCE and _held(lock_file) is not None  # with our id: an earlier run
        return liveness.running(self.pid, self.start, self.written_at, liveness.FILE_CLOCK_SLACK)


def _lock_text() -> bytes:
    # QLockFile's five lines first (pid, program, host, machine id, boot id), then the process's start and this
    # run's token; an older version of the program reads the first three
    me = liveness.process(os.getpid())
    lines = [str(os.getpid()), _program_name(), liveness.hostname(), liveness.machine_id(), liveness.boot_id(),
             (me.start if me is not None and me.start else ""), userdata.INSTANCE]
    return ("\n".join(lines) + "\n").encode("utf-8", "backslashreplace")


def _read_lock(lp: Path) -> tuple[bytes, LockOwner | None, float] | None:
    """(raw bytes, owner or None when unreadable, age in seconds); None when there is no lock file."""
    try:
        st = os.lstat(lp)
    except FileNotFoundError:
        return None
    age = max(0.0, time.time() - st.st_mtime)
    if not stat.S_ISREG(st.st_mode):
        return b"", None, age
    try:
        fd = os.open(lp, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return None
    except OSError:
        return b"", None, age
    try:
        raw = os.read(fd, MAX_LOCK_BYTES)
    except OSError:
        raw = b""
    finally:
        os.close(fd)
    lines = raw.decode("utf-8", "replace").split("\n")
    try:
        pid = int(lines[0])
    except (ValueError, IndexError):
        return raw, None, age
    if pid <= 0 or len(lines) < 3 or not raw.endswith(b"\n"):
        return raw, None, age
    start = lines[5] if len(lines) > 6 and lines[5] else None
    instance = lines[6] if len(lines) > 7 and lines[6] else None
    return raw, LockOwner(pid, lines[2], start, instance, st.st_mtime), age


def _hide(path: Path) -> None:
    """On Windows, the lock file is hidden in Explorer (as Word's ``~$`` files); elsewhere its dot hides it."""
    if sys.platform == "win32":
        try:
            import ctypes
            ctypes.windll.kernel32.SetFileAttributesW(str(path), 0x2)  # FILE_ATTRIBUTE_HIDDEN
        except (ImportError, AttributeError, OSError):
            pass


_HELD: dict[str, FileLock] = {}  # lock files held by this process (absolute, case-folded where the system does)


def _key(lock_file: Path) -> str:
    return os.path.normcase(os.path.abspath(lock_file))


def _held(lock_file: Path) -> FileLock | None:
    """The lock of this process on ``lock_file``, also when it was named by another path (relative, a link)."""
    found = _HELD.get(_key(lock_file))
    if found is not None:
        return found
    for lock in list(_HELD.values()):
        if _same_file(lock.file, lock_file):
            return lock
    return None


class FileLock:
    """The one-writer lock of a project file. ``acquire`` raises :class:`Locked` when a live owner has it and
    returns False when no lock can be made there (a read-only folder: the fingerprint still guards saves)."""

    def __init__(self, path, client=None):
        self.path = Path(path)
        # next to the real file: a file opened through a symbolic link is the same file as the link's target
        self.file = lock_path(os.path.realpath(self.path))
        self.client = client
        self.held = False
        self.broke_stale = False  # a stale lock was removed: its process ended while editing (maybe mid-save)
        self._text = b""

    def acquire(self) -> bool:
        if self.held:
            return True
        held = _held(self.file)
        if held is not None:
            found = _read_lock(self.file)
            raise Locked(self.path, found[1] if found is not None else None, held.client)
        text = _lock_text()
        for _ in range(5):
            try:
                fd = os.open(self.file, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
            except FileExistsError:
                try:
                    if not stat.S_ISREG(os.lstat(self.file).st_mode):
                        return False  # a folder, link or pipe under the name: not a lock, never removed
                except FileNotFoundError:
                    continue
                except OSError:
                    return False
                found = _read_lock(self.file)
                if found is None:
                    continue  # removed meanwhile
                raw, owner, age = found
                if owner is None:
                    if age < LOCK_GRACE:
                        raise Locked(self.path, None) from None
                elif owner.alive(self.file):
                    raise Locked(self.path, owner) from None
                self._break(raw)
                self.broke_stale = True
                continue
            except OSError:
                return False  # e.g. a read-only folder
            try:
                os.write(fd, text)
            except OSError:  # (e.g. a full disk) the name was made here a moment ago: it goes again
                os.close(fd)
                try:
                    os.unlink(self.file)
                except OSError:
                    pass
                return False
            os.close(fd)
            _hide(self.file)
            self.held, self._text = True, text
            _HELD[_key(self.file)] = self
            return True
        raise Locked(self.path, None)

    def _break(self, raw: bytes) -> None:
        """Remove a stale lock, only if it is still the one judged stale (another instance may have replaced it)."""
        found = _read_lock(self.file)
        if found is None or found[0] != raw:
            return
        try:
            if os.path.isdir(self.file) and not os.path.islink(self.file):
                return
            os.unlink(self.file)
        except OSError:
            pass

    def _unlink_if(self, text: bytes) -> None:
        found = _read_lock(self.file)
        if found is not None and found[0] == text:
            try:
                os.unlink(self.file)
            except OSError:
                pass

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        if _HELD.get(_key(self.file)) is self:
            del _HELD[_key(self.file)]
        self._unlink_if(self._text)


def _release_all() -> None:
    """At the interpreter's exit: no lock file is left next to a report by a run that ended normally."""
    for lock in list(_HELD.values()):
        lock.release()


atexit.register(_release_all)


def _same_file(a, b) -> bool:
    if a is None or b is None:
        return False
    if os.path.normcase(os.path.abspath(str(a))) == os.path.normcase(os.path.abspath(str(b))):
        return True
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def unwritable(path, folder_ok: bool = True) -> str:
    """Why the project file ``path`` cannot be saved where it is, in Chinese ("" when it can): the file is
    read-only (its attribute, permissions, a write-protected medium) or, with ``folder_ok`` False (no lock file
    could be made beside it), its folder takes no new file — a save writes a new file there and renames it. The
    file is probed by opening it for writing, which changes nothing (no byte is written)."""
    name = Path(path).name
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_BINARY", 0))
    except OSError:
        return f"“{name}”是只读文件（或没有写入权限），修改不能保存到这个文件。"
    os.close(fd)
    if not folder_ok:
        folder = Path(os.path.realpath(path)).parent
        try:
            fd, tmp = project._mkstemp(folder)
        except OSError:
            return f"“{name}”所在的文件夹是只读的（或没有写入权限），修改不能保存到这个文件。"
        os.close(fd)
        os.unlink(tmp)
    return ""


# ---------------------------------------------------------------------------------------------------------------
# the session

class Session:
    """A report and the file it belongs to (``path`` None: never saved). ``readonly``: the file is being edited in
    another window; this one may look, edit and save elsewhere. ``lock``: the held :class:`FileLock`, if any."""

    def __init__(self, report: Report, path=None, *, lock: FileLock | None = None, raw: bytes | None = None,
                 readonly: bool = False, client=None):
        self.report = report
        self.path = str(path) if path is not None else None
        self.lock = lock
        self.readonly = readonly
        self.client = client
        self._raw = raw  # the bytes read, fingerprinted when first compared (hashlib is not loaded to open a file)
        self._fingerprint: str | None = None
        # why the file cannot be saved where it is (a read-only file or folder), "" when it can: opened read-only
        self.unwritable = ""

    # ----- opening
    @classmethod
    def new(cls, report: Report, client=None) -> Session:
        return cls(report, None, client=client)

    @classmethod
    def open(cls, path, *, readonly: bool = False, client=None, previous: Session | None = None) -> Session:
        """Open a project file for editing (raises :class:`Locked` when it is being edited elsewhere) or, with
        ``readonly``, for reading; :class:`app.project.ProjectError` when it cannot be read. ``previous``: the
        session this one replaces in the same window (its lock of the same file is taken over)."""
        lock = None if readonly else cls._take_lock(path, client, previous)
        try:
            report, raw = project.load_with_bytes(path, refill=True)
        except BaseException:
            if lock is not None and (previous is None or previous.lock is not lock):
                lock.release()
            raise
        if previous is not None and previous.lock is lock:
            previous.lock = None
        if lock is not None and lock.broke_stale:  # the last editor ended without closing: what a save killed
            project.remove_leftovers(Path(path).parent)  # midway left next to the file goes
        why = "" if readonly else unwritable(path, folder_ok=lock is not None)
        s = cls(report, path, lock=lock, raw=raw, readonly=readonly or bool(why), client=client)
        s.unwritable = why
        return s

    @classmethod
    def restore(cls, rec: userdata.Recovery, *, client=None, previous: Session | None = None) -> Session:
        """The report of recovery copy ``rec``, for its file (locked when it can be; read-only when another window
        edits it). Its edits are to replace what the file now holds, so that is what later saves compare with."""
        report = rec.load()
        if rec.path is None:
            return cls(report, None, client=client)
        try:
            lock = cls._take_lock(rec.path, client, previous)
            readonly = False
        except Locked:
            lock, readonly = None, True
        if previous is not None and previous.lock is lock:
            previous.lock = None
        s = cls(report, rec.path, lock=lock, readonly=readonly, client=client)
        s._fingerprint = project.file_fingerprint(rec.path)
        return s

    @staticmethod
    def _take_lock(path, client, previous: Session | None) -> FileLock | None:
        if previous is not None and previous.lock is not None and previous.lock.held \
                and _same_file(previous.lock.path, path):
            previous.lock.client = client
            return previous.lock
        lock = FileLock(path, client)
        return lock if lock.acquire() else None

    # ----- state
    @property
    def fingerprint(self) -> str | None:
        """project.fingerprint of the file as last read or written here (None: nothing to compare with)."""
        if self._raw is not None:
            self._fingerprint, self._raw = project.fingerprint(self._raw), None
        return self._fingerprint

    def changed_on_disk(self) -> bool:
        """The file on disk differs from what was read or written here (a missing file is no change)."""
        if self.path is None or self.fingerprint is None:
            return False
        now = project.file_fingerprint(self.path)
        return now is not None and now != self.fingerprint

    def recovery(self) -> userdata.Recovery | None:
        """The newest recovery copy a dead instance left for this session's file, if any."""
        return recovery_for(self.path)

    # ----- saving
    def save(self, report: Report | None = None, path=None, *, overwrite: bool = False) -> str:
        """Save (atomically, with the previous version as ``.bak``) to this session's file or to ``path``; returns
        the fingerprint written. Raises :class:`Conflict` when this session's file changed on disk since it was read
        or written here (``overwrite`` replaces it anyway), :class:`Locked` when the target is being edited in
        another window, :class:`app.project.ProjectError` when it cannot be written (nothing changed then)."""
        report = self.report if report is None else report
        target = self.path if path is None else str(path)
        if target is None:
            raise ValueError("no file to save to")
        if _same_file(target, self.path):
            return self._save_here(report, overwrite)
        lock = FileLock(target, self.client)
        try:
            locked = lock.acquire()
        except Locked as e:
            raise e.when_saving() from None
        try:
            fp = project.save(report, target)
        except BaseException:
            if locked:
                lock.release()
            raise
        self.close()
        self.report, self.path, self.readonly = report, target, False
        self.lock = lock if locked else None
        self._raw, self._fingerprint = None, fp
        return fp

    def _save_here(self, report: Report, overwrite: bool) -> str:
        if self.unwritable:  # a read-only file is never replaced (a rename would do it where the folder is writable)
            why = unwritable(self.path, folder_ok=True)
            if why:
                raise project.ProjectError(why + "请用“另存为”保存到其他文件。")
            self.unwritable = ""
        temporary = None
        if self.lock is None or not self.lock.held:
            temporary = FileLock(self.path, self.client)
            deadline = time.monotonic() + LOCK_WAIT
            while True:  # another instance may be saving this very moment: wait for it, then compare
                try:
                    acquired = temporary.acquire()
                    break
                except Locked as e:
                    # only a lock taken a moment ago may be another instance's save: wait for it to finish
                    held_long = e.owner is not None and time.time() - e.owner.written_at > LOCK_WAIT
                    if e.client is not None or held_long or time.monotonic() > deadline:
                        raise e.when_saving() from None
                    time.sleep(0.05)
            if not acquired:
                temporary = None
        try:
            if not overwrite and self.changed_on_disk():
                raise Conflict(self.path)
            fp = project.save(report, self.path)
        except BaseException:
            if temporary is not None:
                temporary.release()
            raise
        if temporary is not None:  # saved: this session now edits the file
            self.lock, self.readonly = temporary, False
        self.report = report
        self._raw, self._fingerprint = None, fp
        return fp

    def reload(self) -> Report:
        """Read the file again (the clerk chose the version on disk)."""
        report, raw = project.load_with_bytes(self.path, refill=True)
        self.report, self._raw, self._fingerprint = report, raw, None
        return report

    def close(self) -> None:
        """Let go of the file (its lock); the session may still be read."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None


# ---------------------------------------------------------------------------------------------------------------
# recovery

def recovery_for(path) -> userdata.Recovery | None:
    """The newest recovery copy left by an instance that no longer runs for file ``path``; looked up afresh on
    every call (an instance killed a moment ago counts, even before its parent has reaped it)."""
    if path is None:
        return None
    for rec in userdata.find_recoveries():
        if rec.path is not None and _same_file(rec.path, path):
            return rec
    return None


# ---------------------------------------------------------------------------------------------------------------
# autosave

class RecoveryWriter:
    """Writes recovery copies off the UI thread; the newest submitted copy wins. ``join`` before exit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: bytes | None = None
        self._thread: threading.Thread | None = None
        self.written = 0
        self.error: str | None = None

    def submit(self, data: bytes) -> None:
        with self._lock:
            self._pending = data
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._run, name="nianbao-recovery", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                data, self._pending = self._pending, None
                if data is None:
                    self._thread = None
                    return
            try:
                userdata.write_recovery(data)
                self.written += 1
                self.error = None
            except Exception as e:  # noqa: BLE001 — any failure, not only OSError: a dead thread would leave join() spinning
                self.error = str(e)

    def join(self) -> None:
        while True:
            with self._lock:
                t = self._thread
            if t is None:
                return
            t.join()
