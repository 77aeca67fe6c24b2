"""The reviewing office's batch (审核台), Qt-free: many report files of one folder, read once, checked together.

* :func:`read_files` reads and checks files over several processes (both cores), yielding each as it is done.
* :func:`pair_years`: a report whose organ also has a report for the year before gets that one as ``previous``
  (organ names compared with :mod:`app.organs`), so the cross-year rules apply between them.
* :func:`similar_organs`: 内容雷同 across organs (TEXT.SIMILAR_ORGANS) through an index of MinHash signatures of
  the sections' character trigrams, not a comparison of every pair: near-linear in the number of reports; each
  candidate pair the index proposes is confirmed with the exact Jaccard similarity.
* :class:`Review`: one folder under review — entries, roster (未提交 / 名单外), duplicates (the same organ and year
  twice, the newer marked), resubmissions compared (已改正 · 未改正 · 新问题), and the reviewer's decisions kept in
  ``审核记录.json`` beside the reports (written atomically; a decision holds for the file's SHA-256, so a file that
  changed has its findings pending again). Dismissed findings leave every count, notice and bulletin.
* :func:`sum_reports`: tables 2–4 of several reports summed cell by cell (本级政府's aggregate report).
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import repeat
from operator import and_, ne
from operator import rshift as _rshift
from pathlib import Path

from .organs import display_name, normalise, organ_key, same_organ, split_place

DECISIONS_NAME = "审核记录.json"
STATUS_OPEN, STATUS_RETURNED, STATUS_PASSED = "未审", "已退回", "已通过"
CONFIRMED, DISMISSED = "confirmed", "dismissed"
PARALLEL_MIN = 2  # files; one file is read in this process


class ReviewError(Exception):
    """A problem with the review folder or its records; the message is Chinese."""


# --------------------------------------------------------------------------------------------------------------
# Reading many files, over several processes

@dataclass
class Entry:
    """One file of the folder: the report read from it (or why it could not be read) and its findings."""
    path: Path
    sha256: str = ""
    mtime: float = 0.0
    report: object = None  # Report | None
    error: str = ""
    findings: list = field(default_factory=list)  # every finding, cross-year and 雷同 included
    previous: "Entry | None" = None  # last year's report of the organ, when the folder has it
    similar_organs: float = 0.0  # highest similarity of a section with another organ's report (0..1)
    similar_last_year: float = 0.0  # highest similarity of a section with last year's report
    duplicate_of: list = field(default_factory=list)  # other entries of the same organ and year
    newer: bool = False  # the latest of its duplicates
    listed: bool | None = None  # on the roster (None: no roster given)
    named_organ: str = ""  # the organ as the reviewer named it, for a report whose organ was not read

    @property
    def organ(self) -> str:
        return (self.report.meta.organ or self.named_organ) if self.report is not None else ""

    @property
    def year(self):
        return self.report.meta.year if self.report is not None else None


def _read_one(path: str, with_findings: bool = True, pack=None, digest: bool | None = None) -> tuple:
    """(path, sha256, mtime, report | None, error, findings) — runs in a worker process (in a folder worker with
    the rule pack ``pack`` of the run). ``digest``: the file's SHA-256 (default: with the findings, for the
    review, which keys its decisions by it)."""
    if _IN_POOL:
        from .rulepacks import using
        with using(pack):
            return _read_one_here(path, with_findings, with_findings if digest is None else digest)
    return _read_one_here(path, with_findings, with_findings if digest is None else digest)


def _read_one_here(path: str, with_findings: bool, digest: bool) -> tuple:
    from .documents import OpenError, open_report
    from .rules import check
    from contextlib import nullcontext

    from .safezip import IN_MEMORY, already_read
    p = Path(path)
    sha, mtime, raw = "", 0.0, b""
    try:
        st = p.stat()
        mtime = st.st_mtime
        if p.is_file() and digest:
            with open(p, "rb") as fh:  # (a file of usual size read once, for the digest and for the reader)
                raw = fh.read(st.st_size + 1) if st.st_size <= IN_MEMORY else b""
                h = hashlib.sha256(raw)
                if not raw or len(raw) > st.st_size:  # larger, or grown since: hashed on, and read by the reader
                    for chunk in iter(lambda: fh.read(1 << 20), b""):
                        h.update(chunk)
                    raw = b""
            sha = h.hexdigest()
    except OSError:
        pass
    if _LIMITED:
        from . import sandbox
        sandbox.limit_cpu()
    try:
        with already_read(p, raw) if raw else nullcontext():
            report = open_report(p)
    except OpenError as e:
        return path, sha, mtime, None, str(e), []
    except MemoryError:
        return path, sha, mtime, None, "文件太大，读取时内存不足。", []
    except Exception as e:  # noqa: BLE001 - one bad file must not stop the folder; the message names the cause
        return path, sha, mtime, None, f"读取时出错（{type(e).__name__}），请把这个文件交给开发者检查。", []
    if not with_findings:
        return path, sha, mtime, report, "", []
    try:
        findings = check(report)
    except Exception as e:  # noqa: BLE001
        return path, sha, mtime, None, f"检查时出错（{type(e).__name__}），请把这个文件交给开发者检查。", []
    return path, sha, mtime, report, "", findings


def default_jobs() -> int:
    """Worker processes: one per core (at most 8); ``NIANBAO_JOBS`` sets it (1 = read in this process)."""
    given = os.environ.get("NIANBAO_JOBS", "").strip()
    if given.isdigit() and int(given) >= 1:
        return min(int(given), 32)
    return max(1, min(os.cpu_count() or 1, 8))


def _warm() -> None:
    """Do once, before the workers are forked, what the first file would make each of them do: register the
    readers, load the format, compile the rules' patterns (each worker inherits the result)."""
    from .documents import supported_suffixes
    from .formats import DEFAULT_FORMAT, load_format
    from .model import Report
    from .rules import check
    supported_suffixes()
    import importlib
    for mod in ("lxml.etree", "app.importers.docx", "app.importers.own_docx", "app.importers.recognise",
                "app.project", "app.importers.marks", "app.export.typeset", "app.similarity", "array",
                "encodings.cp437"):  # the last: zipfile's names
        try:  # the readers import these on first use
            importlib.import_module(mod)
        except ImportError:
            pass
    r = Report()
    r.meta.organ, r.meta.year = "某某县民政局", 2024
    r.sections = {sid: "本机关全年收到政府信息公开申请1件。" for sid in load_format(DEFAULT_FORMAT).text_sections}
    check(r)


def _context():
    import multiprocessing as mp
    # fork is quick (the workers share the loaded modules) but unsafe once Qt's threads run in this process
    if "fork" in mp.get_all_start_methods() and "PySide6" not in sys.modules:
        return mp.get_context("fork")
    return mp.get_context("spawn")


def file_timeout() -> float:
    """Seconds a folder worker may spend on one file before it is stopped: the reading worker's limit
    (:data:`app.sandbox.SECONDS`, ``NIANBAO_WORKER_SECONDS``) and a little for the hand-over."""
    from . import sandbox
    return sandbox.SECONDS + 2


_LIMITED = False  # in a folder worker: memory and CPU limits as the reading worker has them
_IN_POOL = False  # in a folder worker


def _worker_init(limited: bool) -> None:
    """Each folder worker is a reading worker itself (a worker of a pool cannot start processes of its own): it
    reads in its own process, with the reading worker's memory limit (address space grown by at most
    :data:`app.sandbox.MEMORY_MB` from its start) and, per file, its CPU-time limit; the wall clock is watched
    by :func:`read_files`."""
    global _LIMITED, _IN_POOL
    import gc

    from . import sandbox
    sandbox.detach()  # a worker forked from a process that had one: that pipe is the parent's
    _LIMITED, _IN_POOL = limited, True
    # Reading a file makes and drops many short-lived objects: at the default threshold (700) the young generation
    # was searched for cycles some 220 times per 200 files, a tenth of a millisecond a file; at 5000, 3 times. The
    # memory this leaves waiting is a few thousand objects, within the worker's limit below.
    gc.set_threshold(5000, *gc.get_threshold()[1:])
    if not limited:
        return
    if sys.platform == "win32":
        sandbox.limit_memory()
        return
    try:
        import resource
        in_use = 0
        try:  # a forked worker starts with the parent's address space
            with open("/proc/self/statm") as fh:
                in_use = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            pass
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        want = in_use + sandbox.MEMORY_MB * 1024 * 1024
        if hard != resource.RLIM_INFINITY:
            want = min(want, hard)
        resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    except (ImportError, ValueError, OSError):
        pass


def read_files(paths, jobs: int | None = None, cancelled=lambda: False, with_findings: bool = True):
    """Yield an :class:`Entry` per path as each is read and checked (not in input order when parallel).

    ``cancelled()`` is asked between files; when it returns true, the files not yet read are left out.
    With several workers, a file that takes longer than :func:`file_timeout` (a file that loops or hangs the
    reader) or whose worker dies is reported unreadable with the reason; the workers are replaced and every
    other file is still read. With one job the files are read in this process, one after the other."""
    paths = [str(p) for p in paths]
    jobs = default_jobs() if jobs is None else jobs
    if jobs <= 1 or len(paths) < PARALLEL_MIN:
        for p in paths:
            if cancelled():
                return
            yield _entry(_read_one(p, with_findings))
        return
    with _Workers(jobs) as workers:
        yield from workers.read(paths, with_findings, cancelled)


def _late(path: str, limit: float) -> str:
    return (f"读取“{Path(path).name}”超过 {limit:.0f} 秒仍未完成或内存不足，已停止（文件可能结构异常或过大）。"
            "其他文件不受影响。")


def _serve(conn, limited: bool) -> None:
    """A folder worker's loop: ``(function, args)`` in, ``(True, result)`` or ``(False, exception)`` out."""
    _worker_init(limited)
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = (True, fn(*args))
        except Exception as e:  # noqa: BLE001 — the caller reports it with the file's name
            reply = (False, e)
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return
        except Exception as e:  # noqa: BLE001 — an answer that cannot be pickled: its kind is still told
            conn.send((False, RuntimeError(type(e).__name__)))


def _seconds(task: tuple, limit: float) -> float:
    """A task's time limit: its own if it has one, else ``limit``."""
    return task[3] if len(task) > 3 and task[3] is not None else limit


class _Proc:
    """One folder worker process and the pipe to it."""

    def __init__(self, ctx, limited: bool):
        from .sandbox import start_worker
        mine, theirs = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(theirs, limited), name="nianbao-folder", daemon=True)
        start_worker(self.proc, ctx.get_start_method() == "fork")
        theirs.close()
        self.conn = mine
        self.task: tuple | None = None  # (key, function, args[, seconds]) it works on
        self.next: tuple | None = None  # the task sent after it, begun when it is answered (see _Workers.run)
        self.since = 0.0
        self.until = 0.0  # when its task is late

    def give(self, task, limit: float, data: bytes | None = None) -> None:
        """Send ``task`` (``data``: its message, pickled already), in its form for this worker if it has one."""
        self.task, self.since = task, time.monotonic()
        self.until = self.since + _seconds(task, limit)
        if data is not None:
            self.conn.send_bytes(data)
        elif self.owns(task):
            self.conn.send(task[4][1:])
        else:
            self.conn.send((task[1], task[2]))

    def owns(self, task) -> bool:
        """Whether ``task`` has a form of its own for this worker (``(pid, function, args)``, see
        :meth:`_Workers.run`)."""
        return len(task) > 4 and task[4] is not None and task[4][0] == self.proc.pid

    def give_next(self, task) -> bool:
        """Send ``task`` to be begun when the one it works on is answered, if its message is small (it then waits in
        the pipe's buffer: sending never blocks on a worker that hangs); False (nothing sent) if not."""
        from multiprocessing.reduction import ForkingPickler
        data = ForkingPickler.dumps((task[1], task[2]))
        if len(data) > self.AHEAD_BYTES:
            return False
        self.conn.send_bytes(data)
        self.next = task
        return True

    # a message sent ahead at most (a file to read: some 150 bytes): within the buffer of the pipe to a worker
    # everywhere (a socket's 200 KB on Linux; multiprocessing's named pipes on Windows: 8 KB)
    AHEAD_BYTES = 4096

    def begin_next(self, limit: float) -> None:
        """The task sent ahead is now the one it works on (its answer to the previous one just came)."""
        task, self.next = self.next, None
        self.task, self.since = task, time.monotonic()
        if task is not None:
            self.until = self.since + _seconds(task, limit)

    def stop(self) -> None:
        try:
            self.proc.kill()
            self.proc.join(5)
        except (OSError, ValueError, AttributeError):
            pass
        try:
            self.conn.close()
        except OSError:
            pass


class _Workers:
    """The folder workers: processes (each a reading worker itself, see :func:`_worker_init`) fed one task at a
    time over a pipe, each task with a wall-clock limit (:func:`file_timeout`). A task past it, or whose worker
    died, is answered as failed and that worker replaced; the others go on. The workers live until
    :meth:`close`, so reading and then checking share them."""

    def __init__(self, jobs: int):
        from . import sandbox
        from .rulepacks import active
        self.jobs = jobs
        self.sandboxed = sandbox.enabled()
        self.pack = active()  # the rule pack of this run, also in a worker that was not forked from here
        self.limit = file_timeout()
        self.ctx = _context()
        self.procs: list[_Proc] = []
        if self.ctx.get_start_method() == "fork":
            _warm()

    def __enter__(self) -> "_Workers":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for w in self.procs:
            w.stop()
        self.procs = []

    def run(self, tasks: list, cancelled=lambda: False, ahead: bool = False):
        """``tasks``: ``[(key, function, args)]``, or ``(key, function, args, seconds)`` for a task with a time
        limit of its own (None: none), or ``(key, function, args, seconds, (pid, function, args))`` for a task
        that the worker of process ``pid`` does as the second function says (with what it keeps of the files it
        read): a worker takes the first task that is not another's, else the first (in the other form). Yields
        ``(key, result, failure)`` as each is done, ``failure`` None, ``"late"`` (past the time limit or its worker
        died) or the exception the task raised. Stops (the workers too) when
        ``cancelled()``.

        ``ahead``: each worker is sent its next task (a small message) while it works on one, so that it goes on
        without waiting for this process to take its answer and send another (reading: a worker waited so a
        few tenths of a millisecond a file, more on a busy machine). Its time limit counts from when the answer
        to the previous one came; a worker that dies or is stopped had not begun it: it goes to another worker.
        Not for the last tasks (fewer than the workers): one waiting behind a long task while another worker is
        idle would end the run later."""
        from collections import deque
        from multiprocessing.connection import wait
        from multiprocessing.reduction import ForkingPickler
        todo = deque(tasks)
        made: tuple = (None, b"")  # (the next task, its message) pickled while every worker was busy
        for k, w in enumerate(self.procs):
            if w.task is not None or w.next is not None:  # on a task of a run given up: its answer is not for this one
                w.stop()
                self.procs[k] = _Proc(self.ctx, self.sandboxed)
        while len(self.procs) < min(self.jobs, len(todo)):
            self.procs.append(_Proc(self.ctx, self.sandboxed))
        while True:
            for w in self.procs:
                if w.task is None and todo:
                    task = self._take(w, todo)
                    try:
                        w.give(task, self.limit, made[1] if made[0] is task and not w.owns(task) else None)
                    except (OSError, ValueError):  # it died meanwhile: the task is marked late below
                        pass
                    except Exception as e:  # noqa: BLE001 — a task that cannot be pickled: nothing was sent
                        w.task = None
                        yield task[0], None, e
                if ahead and w.task is not None and w.next is None and len(todo) > self.jobs:
                    self._ahead(w, todo)
            busy = [w for w in self.procs if w.task is not None]
            if not busy:
                return
            if todo and len(busy) == len(self.procs) and made[0] is not todo[0] \
                    and (len(todo[0]) <= 4 or todo[0][4] is None):  # (a task with a form for one worker: when given)
                # the next task's message made now, not when a worker waits for it (checking: 8 reports to pickle)
                try:
                    made = (todo[0], ForkingPickler.dumps((todo[0][1], todo[0][2])))
                except Exception:  # noqa: BLE001 — cannot be pickled: told when it is given
                    made = (todo[0], None)
            wait_s = max(0.01, min(min(w.until for w in busy) - time.monotonic(), 0.25))
            ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=wait_s)
            now = time.monotonic()
            done = []
            for w in busy:
                assert w.task is not None
                key = w.task[0]
                answer = self._answer(w, ready, now)
                if answer is None:
                    continue
                ok, value = answer
                w.task = None
                if ok is None:  # past its time or dead: a fresh worker takes its place
                    if w.next is not None:  # sent ahead, not begun: another worker's, first
                        todo.appendleft(w.next)
                        w.next = None
                    w.stop()
                    self.procs[self.procs.index(w)] = _Proc(self.ctx, self.sandboxed)
                    done.append((key, None, "late"))
                else:
                    w.begin_next(self.limit)
                    done.append((key, value, None) if ok else (key, None, value))
            for answer in done:
                yield answer
                if cancelled() or not self.procs:
                    self.close()
                    return
            if cancelled():
                self.close()
                return

    @staticmethod
    def _take(w: _Proc, todo) -> tuple:
        """The first task of ``todo`` that is ``w``'s or no other worker's, else the first; taken off ``todo``."""
        for k, task in enumerate(todo):
            if len(task) <= 4 or task[4] is None or w.owns(task):
                del todo[k]
                return task
        return todo.popleft()

    @staticmethod
    def _ahead(w: _Proc, todo) -> None:
        """Send ``w`` the first of ``todo`` ahead (:meth:`_Proc.give_next`), taken off ``todo`` if sent."""
        try:
            if w.give_next(todo[0]):
                todo.popleft()
        except (OSError, ValueError):  # it died meanwhile: its task is marked late
            w.next = None
        except Exception:  # noqa: BLE001 — cannot be pickled: given as any other task (and answered failed)
            pass

    @staticmethod
    def _answer(w: _Proc, ready: list, now: float) -> tuple | None:
        """``(ok, value)`` for ``w``'s task if it is over — ``(None, "late")`` past its time or dead — else None."""
        if w.conn in ready:
            try:
                return w.conn.recv()
            except (EOFError, OSError):  # it died (memory, CPU limit, a crash)
                return None, "late"
            except Exception as e:  # noqa: BLE001 — an answer that cannot be unpickled
                return False, e
        if w.proc.sentinel in ready or now > w.until:
            return None, "late"
        return None

    def read(self, paths: list[str], with_findings: bool, cancelled=lambda: False):
        """An :class:`Entry` per path as each is read (and, ``with_findings``, checked without last year's
        report)."""
        tasks = [(p, _read_one, (p, with_findings, self.pack)) for p in paths]
        for p, result, failure in self.run(tasks, cancelled, ahead=True):
            yield _entry(result) if failure is None else _failed(p, failure, self.limit)


def load_reports(paths, progress=None, jobs: int | None = None, name=str) -> list:
    """Each path's Report, or ``{"path", "error"}`` for a file that cannot be read, in the order of ``paths``;
    read over several processes. ``progress.update(i, name(path))`` is called as files are done."""
    paths = [str(p) for p in paths]
    got: dict[str, Entry] = {}
    for k, e in enumerate(read_files(paths, jobs, with_findings=False), start=1):
        got[str(e.path)] = e
        if progress is not None:
            progress.update(k, name(e.path))
    if progress is not None:
        progress.done()
    return [got[p].report if got[p].report is not None else {"path": p, "error": got[p].error} for p in paths]


def _failed(path: str, failure, limit: float) -> Entry:
    """The entry of a file whose reading task failed: past its time or its worker died (``"late"``), or raised."""
    if failure == "late":
        return Entry(Path(path), error=_late(path, limit))
    return Entry(Path(path), error=f"读取时出错（{type(failure).__name__}），请把这个文件交给开发者检查。")


def _entry(result: tuple) -> Entry:
    path, sha, mtime, report, error, findings = result
    return Entry(Path(path), sha256=sha, mtime=mtime, report=report, error=error, findings=list(findings))


def _for_rules(report, sources: bool = False):
    """What the rules read of a report, to send between processes: the report without the import's account of
    every character and (unless ``sources``) where each imported value came from (no rule reads them; most of a
    pickle's bytes)."""
    if report is None:
        return None
    import copy
    light = copy.copy(report)
    if not sources:
        light.sources = {}
    if getattr(light, "import_account", None) is not None:
        light.import_account = None
    return light


# path -> (the report as the rules read it, its section_digest), in a folder worker of ``nianbao check DIR``: the
# reports it read, checked by it later without their travelling back (:func:`_check_kept`)
_KEPT: dict[str, tuple] = {}
KEEP_MAX = 1000  # reports a folder worker keeps at most (tens of KB each); the others travel to be checked


def _read_for_check(path: str, pack, shingles: bool, sources: bool, whole: bool = True) -> tuple:
    """``(the result of _read_one, section_digest pickled | None, this process's id | None, the report as the
    rules read it pickled | None)``, in a folder worker for ``nianbao check DIR``: the report read, as the rules
    and the output need it (:func:`_for_rules`), and what the comparisons across organs need of its sections,
    made here while the report is at hand — as bytes, which the main process passes on to the worker that
    compares without unpickling them. The report and its digest are kept here (:data:`_KEPT`) for checking; the
    process id says so.

    Not ``whole``: the report in the result is what the comparisons and ``check``'s text output read of it
    (:func:`_for_comparison`), and the one the rules read comes pickled (the last item), which the main process
    passes on to a worker that checks it, unpickling it only if it checks it itself."""
    import pickle
    path, sha, mtime, report, error, findings = _read_one(path, False, pack)
    if report is None:
        return (path, sha, mtime, report, error, findings), None, None, None
    made: dict | None = None
    digest: bytes | None = None
    try:
        made = section_digest(report, shingles)
        digest = pickle.dumps(made, pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 — made again in the main process, where a failure is reported as such
        digest = None
    kept = None
    light = _for_rules(report)
    if _IN_POOL and digest is not None and (path in _KEPT or len(_KEPT) < KEEP_MAX):
        _KEPT[path] = (light, made)
        kept = os.getpid()
    if whole:
        return (path, sha, mtime, _for_rules(report, sources), error, findings), digest, kept, None
    return ((path, sha, mtime, _for_comparison(report), error, findings), digest, kept,
            pickle.dumps(light, pickle.HIGHEST_PROTOCOL))


def _for_comparison(report):
    """What the comparisons across organs read of a report, to send to a worker: its format, meta and sections."""
    if report is None:
        return None
    from .model import Report
    return Report(format_id=report.format_id, meta=report.meta, sections=report.sections)


def _across(reports: list, digests: dict) -> dict[int, list]:
    """index -> findings across organs (内容雷同, copied paragraphs), as :func:`organ_findings` gives them, from
    the reports and what the workers made of their sections as they read them (``digests``: index ->
    :func:`section_digest`, or its pickle as a folder worker sent it; what is not there is made here)."""
    import pickle

    from .formats import DEFAULT_FORMAT, load_format
    from .rules import copied_across_organs
    signatures, trigrams, shingles, stripped = {}, {}, {}, {}
    for i, digest in digests.items():
        if isinstance(digest, bytes):
            digest = pickle.loads(digest)  # made by a folder worker of this run (_read_for_check)
        signatures.update(((i, sid), tuple(v)) for sid, v in digest["signatures"].items())
        trigrams.update(((i, sid), v) for sid, v in digest["trigrams"].items())  # sets when compared
        shingles.update(((i, sid), v) for sid, v in digest["shingles"].items())
        stripped.update(((i, sid), v) for sid, v in digest["stripped"].items())
    copied = copied_across_organs(load_format(DEFAULT_FORMAT), reports, organ_key, shingles=shingles)
    # the findings only (check shows no highest similarity): no similarity below the rule's threshold sought
    found, _highest = similar_organs(reports, floor=1.0, signatures=signatures, trigrams=trigrams, stripped=stripped)
    return _with_copied(found, copied)


def _across_seconds(n: int) -> float:
    """The time limit of the comparison across organs of ``n`` reports: a file's, and more for a large folder
    (it takes about half a millisecond a report)."""
    return max(file_timeout(), 0.02 * n)


def _across_task(reports: list, digests: dict, pack, seconds: float | None = None) -> dict[int, list]:
    """:func:`_across` in a folder worker, with the CPU-time limit of the task (``seconds``)."""
    from .rulepacks import using
    if _LIMITED:
        from . import sandbox
        sandbox.limit_cpu(seconds)
    with using(pack):
        return _across(reports, digests)


def _across_kept(reports: list, digests: dict, pack, seconds: float | None = None) -> dict[int, list]:
    """:func:`_across_task` in the folder worker that read (and kept) some of the reports: ``reports[i]`` is the
    path of such a report (``digests`` has nothing of it), else the report as sent."""
    reports, digests = list(reports), dict(digests)
    for i, r in enumerate(reports):
        if isinstance(r, str):
            light, digests[i] = _KEPT[r]
            reports[i] = _for_comparison(light)
    return _across_task(reports, digests, pack, seconds)


def _check_many(items: list, pack) -> list:
    """``[(index, report, last year's report, (section_digest of each, pickled, or None)…)]`` → ``[(index,
    findings)]``, in a folder worker (a report may come pickled). What the digests hold of the two reports' texts
    (their trigrams, their shingles' hashes) is not made again by the comparisons with last year (TEXT.SIMILAR,
    TEXT.COPIED)."""
    import pickle

    from .rulepacks import using
    from .rules import check, given_trigrams
    from .similarity import hashed
    if _LIMITED:
        from . import sandbox
        sandbox.limit_cpu()  # the CPU-time limit moves with each task, as with each file read
    out = []
    with using(pack):
        for i, report, last, *digests in items:
            # (pickled: as a folder worker of this run sent it, passed on by the main process)
            report = pickle.loads(report) if isinstance(report, bytes) else report
            last = pickle.loads(last) if isinstance(last, bytes) else last
            trigrams: dict[str, object] = {}
            ordered: dict[str, object] = {}
            for r, digest in zip((report, last), digests):
                if r is None or digest is None:
                    continue
                # made by a folder worker of this run (_read_for_check): this one (kept) or another (pickled)
                made = pickle.loads(digest) if isinstance(digest, bytes) else digest
                for sid, v in made["trigrams"].items():
                    trigrams[r.sections.get(sid, "")] = v
                for sid, v in made["shingles"].items():
                    ordered[r.sections.get(sid, "")] = v
            with given_trigrams(trigrams), hashed(ordered):
                out.append((i, check(report, last)))
    return out


def _check_kept(items: list, pack) -> list:
    """:func:`_check_many` of reports this folder worker read and kept (:data:`_KEPT`): ``[(index, path, path of
    last year's report if kept here, last year's report, its section_digest pickled)]`` (the last two None when
    kept here or when there is none)."""
    full = []
    for i, path, last_path, last, last_digest in items:
        report, digest = _KEPT[path]
        if last_path is not None:
            last, last_digest = _KEPT[last_path]
        full.append((i, report, None) if last is None else (i, report, last, digest, last_digest))
    return _check_many(full, pack)


class FolderCheck:
    """``nianbao check DIR``: the files read by the folder workers, then every report checked by the same workers
    (against its last year's report where it has one: paired in the folder, or given) while one of them compares
    the reports across organs (雷同, copied paragraphs) — here instead if that task fails. A report is checked
    once, in one process, so what the rules compute once per text (the narrative grammar's statements) is
    computed once. With one job (``NIANBAO_JOBS=1``) all of it happens here, one file after the other, each read
    through the reading worker.

    The reports come back from the workers without the import's account (and without where each value came
    from unless ``sources``: the summary workbook names it), which the output does not show. Not ``whole``
    (``nianbao check``'s text output, which names each report by its title): :meth:`read` gives each report's
    format, meta and sections only; the rest stays pickled as the worker sent it, passed on to the worker that
    checks it and unpickled only to check it here.

    ``with FolderCheck(paths) as fc: loaded = fc.read(); fc.check(last_years); …; findings = fc.findings()``"""

    BATCH = 8  # reports checked per task (one round trip to a worker)

    def __init__(self, paths, jobs: int | None = None, sources: bool = True, whole: bool = True):
        self.paths = [str(p) for p in paths]
        jobs = default_jobs() if jobs is None else jobs
        self.workers = _Workers(jobs) if jobs > 1 and len(self.paths) >= PARALLEL_MIN else None
        self.sources = sources
        self.whole = whole
        self.packed: dict[int, bytes] = {}  # index -> the report as the rules read it, pickled (not ``whole``)
        self._index: dict[int, int] | None = None  # id of a report of the folder -> its index
        self.reports: list = []
        self.last: dict[int, object] = {}
        self.done: dict[int, list] = {}
        # what the workers made of each report's sections (section_digest, pickled), by report index
        self.digests: dict[int, bytes] = {}
        self.kept: dict[str, int] = {}  # path -> the id of the folder worker that read it and keeps it
        self.across: dict[int, list] | None = None  # the findings across organs, when a worker found them
        self.thread: threading.Thread | None = None

    def __enter__(self) -> "FolderCheck":
        return self

    def __exit__(self, *exc) -> None:
        if self.thread is not None:
            self.thread.join()
        if self.workers is not None:
            self.workers.close()

    def read(self, progress=None, name=str) -> list:
        """Each path's Report (not ``whole``: its format, meta and sections, when read by a worker), or ``{"path",
        "error"}`` for a file that cannot be read, in the order of the paths; ``progress.update(i, name(path))`` as
        files are done."""
        digests: dict[str, bytes] = {}
        packed: dict[str, bytes] = {}
        if self.workers is None:
            entries = (_entry(_read_one(p, False)) for p in self.paths)
        else:
            entries = self._read_in_workers(digests, packed)
        got: dict[str, Entry] = {}
        for k, e in enumerate(entries, start=1):
            got[str(e.path)] = e
            if progress is not None:
                progress.update(k, name(e.path))
        if progress is not None:
            progress.done()
        out = []
        for i, p in enumerate(self.paths):
            e = got[p]
            out.append({"path": p, "error": e.error} if e.report is None else e.report)
            self.reports.append(e.report)
            if p in digests:
                self.digests[i] = digests[p]
            if e.report is not None and p in packed:
                self.packed[i] = packed[p]
        return out

    def _read_in_workers(self, digests: dict, packed: dict):
        """Entries as the workers read the files; ``digests[path]``: what they made of its sections; ``packed[path]``
        (not ``whole``): the report as the rules read it, pickled. Shingles are hashed strings: made in the workers
        only when they hash as this process (forked from it)."""
        assert self.workers is not None
        forked = self.workers.ctx.get_start_method() == "fork"
        tasks = [(p, _read_for_check, (p, self.workers.pack, forked, self.sources, self.whole)) for p in self.paths]
        for p, result, failure in self.workers.run(tasks, ahead=True):
            if failure is not None:
                yield _failed(p, failure, self.workers.limit)
                continue
            read, digest, kept, rules_report = result
            if digest is not None:
                digests[p] = digest
            if rules_report is not None:
                packed[p] = rules_report
            if kept is not None:
                self.kept[p] = kept
            yield _entry(read)

    def check(self, last_years: dict) -> None:
        """Start checking every report read, against ``last_years[index]`` where given (in the workers, while
        the caller goes on)."""
        self.last = {i: r for i, r in last_years.items() if r is not None}
        if self.workers is None:
            return

        order = [i for i, r in enumerate(self.reports) if r is not None]
        pack = self.workers.pack
        where = {id(r): i for i, r in enumerate(self.reports) if r is not None}

        def item(i: int) -> tuple:
            last = self.last.get(i)
            if last is None:
                return i, self._for_rules(i), None
            # what the workers made of both texts, for the comparisons with last year (a report of the folder)
            j = where.get(id(last))
            return (i, self._for_rules(i), _for_rules(last) if j is None else self._for_rules(j), self.digests.get(i),
                    None if j is None else self.digests.get(j))

        live = {w.proc.pid for w in self.workers.procs}
        owner = {i: self.kept.get(self.paths[i]) for i in order}
        owner = {i: pid if pid in live else None for i, pid in owner.items()}

        def kept_item(i: int, pid: int) -> tuple:
            """``item(i)`` for the worker ``pid`` that keeps report ``i``: last year's report sent only if it does
            not keep it too."""
            last = self.last.get(i)
            if last is None:
                return i, self.paths[i], None, None, None
            j = where.get(id(last))
            if j is not None and owner.get(j) == pid:
                return i, self.paths[i], self.paths[j], None, None
            if j is None:
                return i, self.paths[i], None, _for_rules(last), None
            return i, self.paths[i], None, self._for_rules(j), self.digests.get(j)

        # each worker checks the reports it read (they do not travel again); a batch is also the worker's to
        # give away: another worker idle, with none of its own left, takes it with the reports in its message
        groups: dict[int | None, list[int]] = {}
        for i in order:
            groups.setdefault(owner[i], []).append(i)
        batches = sorted(((pid, idx[k:k + self.BATCH]) for pid, idx in groups.items()
                          for k in range(0, len(idx), self.BATCH)), key=lambda b: b[1][0])
        tasks: list[tuple] = []
        for pid, idx in batches:
            task: tuple = (idx[0], _check_many, ([item(i) for i in idx], pack), None)
            if pid is not None:
                task += ((pid, _check_kept, ([kept_item(i, pid) for i in idx], pack)),)
            tasks.append(task)
        # the comparison across organs second: the longest task, begun at once by the second worker (the first
        # does not wait for its large message to be made) while the others check
        seconds = _across_seconds(len(order))
        across: tuple = (None, _across_task, ([_for_comparison(r) for r in self.reports], self.digests, pack, seconds),
                         seconds)
        # for a worker that does not check the first batch (so both begin at once): what it read is not sent
        first = batches[0][0] if batches else None
        pid = next((p for p in sorted(live) if p != first), None)
        if pid is not None and pid in owner.values():
            mine = {i for i, p in owner.items() if p == pid}
            across += ((pid, _across_kept, ([self.paths[i] if i in mine else _for_comparison(r)
                                             for i, r in enumerate(self.reports)],
                                            {i: d for i, d in self.digests.items() if i not in mine}, pack, seconds)),)
        tasks.insert(min(1, len(tasks)), across)

        def collect():
            for k, result, failure in self.workers.run(tasks):
                if failure is not None:  # what failed is done in this process (across_organs(), findings())
                    continue
                if k is None:
                    self.across = result
                    continue
                for i, found in result:
                    self.done[i] = found

        self.thread = threading.Thread(target=collect, name="nianbao-check", daemon=True)
        self.thread.start()

    def _for_rules(self, i: int):
        """Report ``i`` as the rules read it, to send to a worker: pickled as a worker sent it, if it did."""
        packed = self.packed.get(i)
        return packed if packed is not None else _for_rules(self.reports[i])

    def _rules_report(self, r):
        """The report ``r`` (one of :attr:`reports`, or another) as the rules read it, to check it here."""
        import pickle
        if not self.packed:
            return r
        if self._index is None:
            self._index = {id(x): k for k, x in enumerate(self.reports) if x is not None}
        i = self._index.get(id(r))
        return pickle.loads(self.packed[i]) if i is not None and i in self.packed else r

    def across_organs(self) -> dict[int, list]:
        """index -> findings across organs (内容雷同, copied paragraphs), as :func:`organ_findings` gives them:
        found by a worker while the others check (:func:`_across`), else here."""
        self._join()
        if self.across is not None:
            return self.across
        return _across(self.reports, self.digests)

    def _join(self) -> None:
        if self.thread is not None:
            self.thread.join()
            self.thread = None

    def findings(self) -> list:
        """Per report (None for a file that could not be read): its findings, checked against its last year's
        report where it has one — 雷同 across organs not included."""
        from .rules import check
        self._join()
        out = []
        for i, report in enumerate(self.reports):
            if report is None:
                out.append(None)
            elif i in self.done:
                out.append(self.done[i])
            else:
                last = self.last.get(i)
                out.append(check(self._rules_report(report), None if last is None else self._rules_report(last)))
        return out


# --------------------------------------------------------------------------------------------------------------
# Pairing and 雷同

def pair_years(reports: list) -> dict[int, object]:
    """index -> previous report, for reports whose organ has exactly one report for the year before."""
    by_key: dict[tuple[str, int], list[int]] = {}
    for i, r in enumerate(reports):
        if r is None or not r.meta.organ or not isinstance(r.meta.year, int):
            continue
        by_key.setdefault((organ_key(r.meta.organ), r.meta.year), []).append(i)
    out = {}
    for (key, year), idxs in by_key.items():
        for i in idxs:
            prev = [j for j in by_key.get((key, year - 1), [])
                    if same_organ(reports[i].meta.organ, reports[j].meta.organ)]
            if len(prev) == 1:
                out[i] = reports[prev[0]]
    return out


_BANDS, _ROWS = 16, 4
_K = _BANDS * _ROWS
_MASK = (1 << 64) - 1
_BIN_SHIFT = 58  # 64 bins: the top 6 bits of the hash
_MULT, _ADD = 0x9E3779B97F4A7C15, 0x632BE59BD9B4E019
CANDIDATE_FLOOR = 0.5  # similarities below this are not looked for (the index proposes few such pairs)


def _stripped(text: str) -> str:
    from .rules import _stripped as strip  # the same characters ignored as in the cross-year rule
    return strip(text)


_UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"  # code points as this machine's 4-byte ints
_BMP = 1 << 16  # characters below this are one UTF-16 unit


def _codes(t: str) -> set[int]:
    """Character trigrams as integers, one for one (the same on every process, unlike ``hash(str)``): a trigram of
    characters a, b, c below U+10000 is ``a | b << 16 | c << 32``, any other ``~(a << 42 | b << 21 | c)``
    (negative); :func:`_trigram` gives back ``a << 42 | b << 21 | c``, which the signature hashes.

    A text of such characters only (nearly every one) is made in C from its UTF-16 bytes: the trigrams at
    ``k``, ``k + 4``, … are the 8-byte words of the units from ``k`` with their fourth unit cleared; any other
    text as :func:`_codes_of_characters` makes it."""
    n = len(t)
    if n < 3:
        return {hash(t)}
    units = t.encode("utf-16-le", "surrogatepass")
    if len(units) != 2 * n or sys.byteorder != "little":  # a character beyond U+FFFF (two units), or big-endian
        return _codes_of_characters(t)
    units += b"\0\0"  # the unit after the last, read (and cleared) with the last trigram
    codes: set[int] = set()
    for k in range(4):
        m = (n + 1 - k) // 4  # words from unit k
        words = bytearray(units[2 * k:2 * k + 8 * m])
        words[6::8] = words[7::8] = bytes(m)
        codes.update(memoryview(words).cast("Q").tolist())
    return codes


def _codes_of_characters(t: str) -> set[int]:
    """:func:`_codes` of a text of three characters or more, character by character."""
    o = memoryview(t.encode(_UTF32, "surrogatepass")).cast("I").tolist()  # each character's ord(), made in C
    return {a | b << 16 | c << 32 if a < _BMP and b < _BMP and c < _BMP else ~(a << 42 | b << 21 | c)
            for a, b, c in zip(o, o[1:], o[2:])}


def _trigram(x: int) -> int:
    """``a << 42 | b << 21 | c`` of the trigram (a, b, c) that :func:`_codes` made ``x`` of."""
    return ~x if x < 0 else (x & 0xFFFF) << 42 | (x >> 16 & 0xFFFF) << 21 | x >> 32


# trigram code (_codes) -> the 64-bit hash of its _trigram: the texts of one folder share most trigrams
_HASHED: dict[int, int] = {}
_HASHED_MAX = 1 << 18  # codes remembered at most (~25 MB); then forgotten, and made again when met


def forget_hashes() -> None:
    """Forget the trigram hashes remembered (:data:`_HASHED`): what a run remembers of the texts it read."""
    _HASHED.clear()


def _signature(codes: set[int]) -> tuple:
    """One-permutation MinHash of trigrams as :func:`_codes` makes them: one hash per trigram (of its
    :func:`_trigram`), the smallest per bin; an empty bin borrows the next one's.

    Each trigram's hash is made once per process (:data:`_HASHED`); the smallest of each bin is the last of the
    bin's hashes in descending order, which a dict keyed by bin keeps (C-level: sort, map, dict)."""
    try:
        desc = sorted(map(_HASHED.__getitem__, codes), reverse=True)
    except KeyError:  # trigrams not met before in this process
        if len(_HASHED) > _HASHED_MAX:
            _HASHED.clear()
        missing = codes.difference(_HASHED)
        _HASHED.update(zip(missing, [(g ^ (g >> 31)) * _MULT & _MASK
                                     for g in [(_trigram(x) * _MULT + _ADD) & _MASK for x in missing]]))
        desc = sorted(map(_HASHED.__getitem__, codes), reverse=True)
    smallest = dict(zip(map(_rshift, desc, repeat(_BIN_SHIFT)), desc))  # bin -> its smallest hash
    low = (1 << _BIN_SHIFT) - 1
    if len(smallest) == _K:
        return tuple(map(and_, map(smallest.__getitem__, range(_K)), repeat(low)))
    mins = [None if h is None else h & low for h in map(smallest.get, range(_K))]
    nxt = min(smallest)  # the next bin with a hash, from the last bin on: the first one
    for k in range(_K - 1, -1, -1):
        if mins[k] is None:
            mins[k] = mins[nxt] + ((k - nxt) % _K) * (1 << _BIN_SHIFT)
        else:
            nxt = k
    return tuple(mins)


def _similar_groups(texts: dict[int, str], floor: float, signatures: dict | None = None,
                    trigrams: dict | None = None):
    """(groups of indices with identical text, group -> [(similarity, other group)]) for similarity ≥ ``floor``.

    Identical texts are grouped first; the groups' MinHash signatures are cut into bands and only groups sharing a
    band are compared, exactly. A pair above ~0.85 shares a band with probability > 0.9999. ``signatures``: index
    -> the signature of its text, where already computed (the trigrams are then made only for the candidates);
    ``trigrams``: index -> its text's trigrams (:func:`_codes`, or an iterable of them), where already made."""
    by_text: dict[str, list[int]] = {}
    for i, t in texts.items():
        by_text.setdefault(t, []).append(i)
    uniq = list(by_text)
    groups = [by_text[t] for t in uniq]
    made: dict[int, set[int]] = {}

    class _Codes:  # the trigrams of a text, made when first needed
        def __getitem__(self, u: int) -> set[int]:
            c = made.get(u)
            if c is None:
                c = trigrams.get(groups[u][0]) if trigrams else None
                made[u] = c = _codes(uniq[u]) if c is None else set(c)
            return c

    codes = _Codes()

    def size(u: int) -> int:  # trigrams of a text, without making the set of a text given as an array
        c = made.get(u)
        if c is None and trigrams:
            c = trigrams.get(groups[u][0])
        return len(c) if c is not None else len(codes[u])

    buckets: dict[tuple, list[int]] = {}
    sigs: list[tuple] = []
    empty = 1 << _BIN_SHIFT  # a value from here up is borrowed: the bin was empty (_signature)
    holes: list[list[int]] = []  # each group's empty bins
    for u, group in enumerate(groups):
        sig = signatures.get(group[0]) if signatures else None
        if sig is None:
            sig = _signature(codes[u])
        sigs.append(sig)
        holes.append([k for k, v in enumerate(sig) if v >= empty] if max(sig) >= empty else [])
        # band b's key: (b,) + sig[b * _ROWS:(b + 1) * _ROWS], the tuples made by zip
        for key in zip(range(_BANDS), *(sig[r::_ROWS] for r in range(_ROWS))):
            buckets.setdefault(key, []).append(u)
    seen = set()
    sims: dict[int, list[tuple[float, int]]] = {}
    below = floor - 1e-9  # what the bound below must not reach, with room for the rounding of the division
    for members in buckets.values():
        if len(members) < 2:
            continue
        for x in range(len(members)):
            a = members[x]
            na = size(a)
            for bb in members[x + 1:]:
                if (a, bb) in seen:
                    continue
                seen.add((a, bb))
                nb = size(bb)
                if min(na, nb) < floor * max(na, nb):
                    continue
                # A bin whose smallest hashes differ holds a trigram of one text only (the smaller hash's: the
                # other text has no trigram hashing there as low), one for each such bin, unless the bin was
                # empty in both. With d of them, the similarity is at most (na + nb - d) / (na + nb + d):
                # exactly, so a pair it puts below the floor is not compared.
                sa, sb = sigs[a], sigs[bb]
                d = sum(map(ne, sa, sb))
                if holes[a] and holes[bb]:
                    d -= sum(1 for k in holes[a] if sb[k] >= empty and sa[k] != sb[k])
                if na + nb - d < below * (na + nb + d):
                    continue
                inter = len(codes[a] & codes[bb])
                s = inter / (na + nb - inter)
                if s >= floor:
                    sims.setdefault(a, []).append((s, bb))
                    sims.setdefault(bb, []).append((s, a))
    return groups, sims


def similar_pairs(texts: dict[int, str], floor: float = CANDIDATE_FLOOR) -> dict[int, list[tuple[float, int]]]:
    """index -> [(similarity, other index)] for texts whose trigram Jaccard similarity is at least ``floor``
    (every pair listed: for tests and small folders; :func:`similar_organs` works on the groups)."""
    groups, sims = _similar_groups(texts, floor)
    out: dict[int, list[tuple[float, int]]] = {}
    for u, same in enumerate(groups):
        for i in same:
            lst = [(1.0, j) for j in same if j != i]
            for s, v in sims.get(u, []):
                lst += [(s, j) for j in groups[v]]
            if lst:
                out[i] = lst
    return out


def _similar_rule(fmt):
    return next((r for r in fmt.rules if r["type"] == "similar_organs"), None)


def section_trigrams(report) -> dict[str, set[int]]:
    """section -> the trigrams of its text as the 雷同 index across organs compares it (sections long enough to be
    compared only)."""
    from .formats import DEFAULT_FORMAT, load_format
    rule = _similar_rule(load_format(DEFAULT_FORMAT))
    out: dict[str, set[int]] = {}
    if rule is None:
        return out
    for sid in rule["sections"]:
        t = _stripped(report.sections.get(sid, "") or "")
        if len(t) >= rule.get("min_chars", 80):
            out[sid] = _codes(t)
    return out


def section_digest(report, shingles: bool) -> dict[str, dict]:
    """What the comparisons across organs need of a report's sections, made where the report is read (a folder
    worker), so that the comparing process has only to build the indexes: ``{"signatures": the MinHash
    signature of each of section_trigrams, "trigrams": section_trigrams, "shingles":
    rules.copied_organs_shingles (in order: where each paragraph's are is known), "stripped": the text of each of
    section_trigrams as compared (rules._stripped)}`` — the shingles only when asked
    (``shingles``: the string hash here is the one of the process that compares them).
    Each as an array of 64-bit integers, which crosses between processes as its bytes (a set of large integers is
    unpickled one integer at a time, ten times slower); :func:`_across` makes them tuples, and sets where compared;
    :func:`_check_many` uses them for the comparisons with last year."""
    from array import array

    from .formats import DEFAULT_FORMAT, load_format
    from .rules import copied_organs_shingles
    trigrams = section_trigrams(report)
    stripped = {sid: _stripped(report.sections.get(sid, "") or "") for sid in trigrams}
    made = copied_organs_shingles(load_format(DEFAULT_FORMAT), report, stripped) if shingles else {}
    return {"signatures": {sid: array("Q", _signature(codes)) for sid, codes in trigrams.items()},
            # a list first: an array made of a list converts faster than one made of a set (same order)
            "trigrams": {sid: array("q", list(codes)) for sid, codes in trigrams.items()},
            "shingles": {sid: array("q", hashes) for sid, hashes in made.items()},
            "stripped": stripped}


def similar_organs(reports: list, floor: float = CANDIDATE_FLOOR, signatures: dict | None = None,
                   trigrams: dict | None = None, stripped: dict | None = None):
    """(index -> TEXT.SIMILAR_ORGANS findings, index -> highest similarity with another organ's section).

    ``reports``: Report or None. Findings as the format's rule states them (sections, threshold, minimum length):
    one per report and section, naming the most similar other organ's report and how many others are as similar.
    ``signatures``, ``trigrams``, ``stripped``: ``(index, section) -> signature / trigrams / text as compared``
    made elsewhere (:func:`section_digest`)."""
    from collections import Counter

    from .formats import DEFAULT_FORMAT, load_format
    from .rules import Finding, _section_name
    fmt = load_format(DEFAULT_FORMAT)
    rule = _similar_rule(fmt)
    findings: dict[int, list] = {}
    highest: dict[int, float] = {}
    if rule is None:
        return findings, highest
    threshold, min_chars = rule.get("threshold", 0.85), rule.get("min_chars", 80)
    items = [(i, r) for i, r in enumerate(reports) if r is not None]
    names = {i: r.meta.organ for i, r in items}
    keys = {i: organ_key(r.meta.organ) for i, r in items}
    for sid in rule["sections"]:
        texts = {}
        for i, r in items:
            t = stripped.get((i, sid)) if stripped else None
            if t is None:
                t = _stripped(r.sections.get(sid, "") or "")
            if len(t) >= min_chars:
                texts[i] = t
        sigs = {i: signatures[(i, sid)] for i in texts if (i, sid) in signatures} if signatures else None
        grams = {i: trigrams[(i, sid)] for i in texts if (i, sid) in trigrams} if trigrams else None
        groups, sims = _similar_groups(texts, min(floor, threshold), sigs, grams)
        tally = [Counter(keys[i] for i in g) for g in groups]
        for u, group in enumerate(groups):
            near = [(1.0, u)] + sorted(sims.get(u, []), reverse=True)
            for i in group:
                best, j, above = 0.0, None, 0
                for s, v in near:
                    # other organs in group v: its size less the reports of this organ's key (and i itself)
                    others = len(groups[v]) - tally[v][keys[i]]
                    if others <= 0:
                        # one key, but places that disagree ("北京市朝阳区…" / "长春市朝阳区…") are other organs
                        others_list = [k for k in groups[v] if k != i and not same_organ(names[i], names[k])]
                        others = len(others_list)
                        if not others:
                            continue
                        cand = others_list[0]
                    else:
                        cand = next(k for k in groups[v] if keys[k] != keys[i])
                    if j is None or s > best:
                        best, j = s, cand
                    if s >= threshold:
                        above += others
                if j is None:
                    continue
                highest[i] = max(highest.get(i, 0.0), best)
                if not above:
                    continue
                other = reports[j].name()
                more = f"等{above}份其他机关的报告" if above > 1 else ""
                findings.setdefault(i, []).append(Finding(
                    rule["id"], rule["severity"], [sid],
                    f"{_section_name(fmt, sid)}与{other}{more}的同一部分相似度达{round(best * 100)}%，"
                    f"不同机关的报告“内容雷同”是格式通知点名的问题，请结合本机关实际改写。", actual=round(best, 3)))
    for i in findings:
        findings[i].sort(key=lambda f: f.cells)
    return findings, highest


def organ_findings(reports: list):
    """(index -> findings across organs: 内容雷同 of whole sections and paragraphs copied from another organ's
    report, index -> highest section similarity with another organ's)."""
    from .formats import DEFAULT_FORMAT, load_format
    from .rules import copied_across_organs
    findings, highest = similar_organs(reports)
    fmt = load_format(DEFAULT_FORMAT)
    for i, fs in copied_across_organs(fmt, reports, organ_key, findings).items():
        findings.setdefault(i, []).extend(fs)
    return findings, highest


def _with_copied(similar: dict[int, list], copied: dict[int, list]) -> dict[int, list]:
    """The 雷同 findings and the copied-paragraph findings found without them, as :func:`organ_findings` joins
    them: a section copied whole is its 雷同 finding, not a copied-paragraph one as well."""
    flagged = {(i, c) for i, fs in similar.items() for f in fs for c in f.cells}
    for i, fs in copied.items():
        kept = [f for f in fs if not any((i, c) in flagged for c in f.cells)]
        if kept:
            similar.setdefault(i, []).extend(kept)
    return similar


def last_year_similarity(report, previous) -> float:
    from .rules import similarity
    fmt = report.format
    sids = next((r["sections"] for r in fmt.rules if r["type"] == "similar"), list(fmt.text_sections))
    best = 0.0
    for sid in sids:
        a, b = report.sections.get(sid, "") or "", previous.sections.get(sid, "") or ""
        if len(a.strip()) >= 40 and len(b.strip()) >= 40:
            best = max(best, similarity(a, b))
    return best


def check_entries(entries: list[Entry], previous=None) -> None:
    """Cross-year pairing and 雷同 across organs over entries read by :func:`read_files` (their findings updated)."""
    from .rules import check
    reports = [e.report for e in entries]
    if previous is not None:
        for e in entries:
            if e.report is not None:
                e.findings = check(e.report, previous)
                e.similar_last_year = last_year_similarity(e.report, previous)
    else:
        pairs = pair_years(reports)
        index = {id(r): e for r, e in zip(reports, entries) if r is not None}
        for i, prev in pairs.items():
            e = entries[i]
            e.previous = index[id(prev)]
            e.findings = check(e.report, prev)
            e.similar_last_year = last_year_similarity(e.report, prev)
    alike, highest = organ_findings(reports)
    across = {"TEXT.SIMILAR_ORGANS", "TEXT.COPIED_ORGANS"}
    for i, e in enumerate(entries):
        e.findings = [f for f in e.findings if f.rule not in across] + alike.get(i, [])
        e.similar_organs = highest.get(i, 0.0)


# --------------------------------------------------------------------------------------------------------------
# Decisions (审核记录.json)

def finding_key(f) -> tuple:
    return f.rule, tuple(f.cells)


READING_RULE_PREFIX = "IMPORT."  # the program's notes on its own reading of a file, not the report's faults
# rules whose finding may be the reader's failure as well as the report's: a table not found may be a picture
# or a layout the reader did not understand
READING_DEPENDENT_RULES = {"TABLE.MISSING": "表格可能是图片或未能识别，请对照原文"}


def reading_doubt(report, f, read_here: bool = True) -> str:
    """Why finding ``f`` may come from the program's reading of the file rather than from the report ("" when it
    cannot): a note of the reader itself (IMPORT.*), and — for a document the desk read itself (``read_here``;
    not a project file, whose clerk had the reading before them) — a finding on a value the reader marked for
    checking, a table the reader did not find, or a blank where the reader left some of the file's text
    unplaced. Such findings go to the reviewer; a notice carries them only once the reviewer has confirmed them
    against the original (never the reader's own notes)."""
    if f.rule.startswith(READING_RULE_PREFIX):
        return "导入时识别存疑，请对照原文核对"
    if not read_here:
        return ""
    if f.rule in READING_DEPENDENT_RULES:
        return READING_DEPENDENT_RULES[f.rule]
    doubted = [c for c in f.cells if c in report.review]
    if doubted:
        return f"涉及导入时识别存疑的内容（{report.review[doubted[0]]}）"
    account = report.extra.get("import_account") if isinstance(report.extra, dict) else None
    left_out = account.get("left_out") if isinstance(account, dict) else None
    if left_out and any(_blank(report, c) for c in f.cells):
        return f"原文有 {len(left_out)} 段文字未能归入报告的任何部分，这里的空白可能是识别遗漏，请对照原文"
    return ""


def _blank(report, cell: str) -> bool:
    fmt = report.format
    if cell in fmt.cells:
        return report.values.get(cell) is None
    if cell.startswith("meta."):
        return not str(getattr(report.meta, cell[5:], "") or "").strip()
    if cell in fmt.text_sections:
        return not (report.sections.get(cell) or "").strip()
    return False


def cross_year_rules(fmt) -> frozenset:
    """Rules raised only when last year's report is at hand."""
    from . import rulepacks
    return frozenset(r["id"] for r in rulepacks.rules_with(fmt, rulepacks.active()) if r.get("needs_previous"))


def has_last_year(e: "Entry") -> bool:
    """Whether the entry's findings were made with last year's report (attached to it, or found in the folder)."""
    return e.previous is not None or (e.report is not None and e.report.previous is not None)


def _folder_writable(folder) -> bool:
    """Whether a new file can be made in ``folder`` (what an atomic save of the record does): probed by making
    and removing one."""
    import tempfile
    try:
        fd, tmp = tempfile.mkstemp(prefix=".~nianbao-probe-", dir=folder)
    except OSError:
        return False
    os.close(fd)
    try:
        os.unlink(tmp)
    except OSError:
        pass
    return True


def _elsewhere(folder) -> Path:
    """Where the record of a read-only folder is kept: the user's data folder, named by the folder's full path."""
    from .userdata import data_dir
    key = hashlib.sha256(os.fsencode(os.path.realpath(folder))).hexdigest()[:20]
    out = data_dir() / "审核记录"
    out.mkdir(exist_ok=True)
    return out / f"{key}.json"


class Decisions:
    """The reviewer's decisions of a folder: ``{"decisions": [{"file_sha256", "rule", "cells", "status",
    "comment"}]}``. Decisions for files no longer in the folder (or of an earlier version) are kept as they are."""

    def __init__(self, path: Path, items: list | None = None, organs: list | None = None):
        self.path = Path(path)
        self.items: list[dict] = items or []
        # organs the reviewer named for reports whose organ was not read: [{"file_sha256", "organ"}]
        self.organs: list[dict] = organs or []
        self.note = ""  # said to the reviewer when the record is kept elsewhere than beside the reports

    @classmethod
    def load(cls, folder) -> "Decisions":
        """The folder's record. A folder that takes no new file (a read-only share, a CD) keeps its record in
        the user's data folder instead, one file per reviewed folder (read from there once written, else from
        the folder's own record if it has one); :attr:`note` says so."""
        beside = Path(folder) / DECISIONS_NAME
        if _folder_writable(folder):
            return cls._read(beside)
        kept = _elsewhere(folder)
        out = cls._read(kept if kept.exists() else beside)
        out.path = kept
        out.note = (f"文件夹“{Path(folder).name}”是只读的（或没有写入权限），审核记录保存在“{kept}”"
                    "（本机的年报助手数据文件夹）。")
        return out

    @classmethod
    def _read(cls, path: Path) -> "Decisions":
        if not path.exists():
            return cls(path)
        try:
            if path.stat().st_size > 50_000_000:
                raise ValueError("too large")
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError) as e:
            raise ReviewError(f"审核记录“{path.name}”无法读取（{type(e).__name__}），请检查或移走这个文件；"
                              f"为免覆盖已有的记录，审核台不会改写它。") from None
        items = data.get("decisions") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise ReviewError(f"审核记录“{path.name}”的格式不对：缺少 decisions 列表。")
        good = [d for d in items if isinstance(d, dict) and isinstance(d.get("file_sha256"), str)
                and isinstance(d.get("rule"), str) and isinstance(d.get("cells"), list)
                and d.get("status") in (CONFIRMED, DISMISSED)]
        if len(good) != len(items):
            raise ReviewError(f"审核记录“{path.name}”中有 {len(items) - len(good)} 条记录的格式不对"
                              "（每条需要 file_sha256、rule、cells、status）。")
        organs = data.get("organs", [])
        if not isinstance(organs, list) or not all(
                isinstance(d, dict) and isinstance(d.get("file_sha256"), str) and isinstance(d.get("organ"), str)
                for d in organs):
            raise ReviewError(f"审核记录“{path.name}”的 organs 列表格式不对（每条需要 file_sha256、organ）。")
        return cls(path, items, organs)

    def find(self, sha: str, f) -> dict | None:
        key = finding_key(f)
        for d in reversed(self.items):
            if d["file_sha256"] == sha and (d["rule"], tuple(d["cells"])) == key:
                return d
        return None

    def of_file(self, sha: str) -> list[dict]:
        return [d for d in self.items if d["file_sha256"] == sha]

    def set(self, sha: str, f, status: str | None, comment: str = "") -> None:
        """Record (or with ``status`` None withdraw) the decision on finding ``f`` of the file, and save."""
        if status not in (CONFIRMED, DISMISSED, None):
            raise ValueError(status)
        key = finding_key(f)
        items = [d for d in self.items if not (d["file_sha256"] == sha and (d["rule"], tuple(d["cells"])) == key)]
        if status is not None:
            items.append({"file_sha256": sha, "rule": f.rule, "cells": list(f.cells), "status": status,
                          "comment": comment or ""})
        old, self.items = self.items, items
        try:
            self.save()
        except OSError:
            self.items = old
            raise

    def organ(self, sha: str) -> str:
        """The organ the reviewer named for the file ("" when none)."""
        for d in reversed(self.organs):
            if d["file_sha256"] == sha:
                return d["organ"]
        return ""

    def name_organ(self, sha: str, organ: str) -> None:
        """Record (or with "" withdraw) the organ the reviewer named for a file whose organ was not read, and save."""
        organs = [d for d in self.organs if d["file_sha256"] != sha]
        if organ:
            organs.append({"file_sha256": sha, "organ": organ})
        old, self.organs = self.organs, organs
        try:
            self.save()
        except OSError:
            self.organs = old
            raise

    def save(self) -> None:
        from .project import atomic_write
        doc: dict = {"decisions": self.items}
        if self.organs:
            doc["organs"] = self.organs
        data = json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
        atomic_write(self.path, data, backup=False)


# --------------------------------------------------------------------------------------------------------------
# A folder under review

def read_roster(path) -> list[str]:
    """Organ names of a roster: a text file (one a line) or a workbook (the first column of the first sheet)."""
    path = Path(path)
    if not path.is_file():
        raise ReviewError(f"找不到名单文件“{path.name}”。")
    names: list[str] = []
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        from .importers.base import ImportFailed, open_zip
        try:  # the one ZIP guard first: a roster is a file from outside too
            open_zip(path, "Excel", ("xl/workbook.xml",)).close()
        except ImportFailed as e:
            raise ReviewError(f"名单：{e}") from None
        try:
            wb = load_workbook(path, read_only=True, data_only=True)
            ws = wb.worksheets[0]
            for row in ws.iter_rows(min_col=1, max_col=1, values_only=True):
                if row and row[0] is not None:
                    names.append(str(row[0]).strip())
            wb.close()
        except Exception as e:  # noqa: BLE001 - a workbook that openpyxl refuses, whatever the reason
            raise ReviewError(f"名单“{path.name}”无法作为 Excel 工作簿读取（{type(e).__name__}）。") from None
    else:
        data = path.read_bytes()[:5_000_000]
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ReviewError(f"名单“{path.name}”不是文字文件（UTF-8 或 GBK 编码）。")
        names = [line.strip() for line in text.splitlines()]
    names = [n for n in names if n and not n.startswith("#")]
    # a header row such as "单位名称" / "机关名称" is not an organ
    if names and normalise(names[0]) in ("单位", "单位名称", "机关", "机关名称", "名称", "部门", "部门名称"):
        names = names[1:]
    return names


class Review:
    """The reports of a folder, read and checked, with roster, duplicates, resubmissions and decisions."""

    def __init__(self, folder, entries: list[Entry] | None = None, roster: list[str] | None = None,
                 decisions: Decisions | None = None):
        self.folder = Path(folder)
        self.entries: list[Entry] = entries or []
        self.roster = roster
        self.decisions = decisions if decisions is not None else Decisions.load(self.folder)

    # -- building
    @classmethod
    def read(cls, folder, roster=None, jobs=None, on_entry=None, cancelled=lambda: False, paths=None) -> "Review":
        review = cls(folder, roster=read_roster(roster) if isinstance(roster, (str, Path)) else roster)
        for e in read_files(paths if paths is not None else review_paths(folder), jobs, cancelled):
            review.entries.append(e)
            if on_entry:
                on_entry(e)
        review.entries.sort(key=lambda e: str(e.path))
        review.finish()
        return review

    def finish(self) -> None:
        check_entries(self.entries)
        for e in self.entries:  # organs the reviewer named (pairing and 雷同 use only the organs read)
            e.named_organ = self.decisions.organ(e.sha256) if e.sha256 and e.report is not None else ""
        self._mark_duplicates()
        self.mark_roster()

    def _mark_duplicates(self) -> None:
        groups: dict[tuple, list[Entry]] = {}
        for e in self.entries:
            e.duplicate_of, e.newer = [], False
            if e.report is not None and e.organ and e.year is not None:
                groups.setdefault((organ_key(e.organ), e.year), []).append(e)
        for group in groups.values():
            # within one key, names whose leading places disagree are different organs
            for e in group:
                e.duplicate_of = [o for o in group if o is not e and same_organ(o.organ, e.organ)]
            for e in group:
                if e.duplicate_of:
                    e.newer = all((e.mtime, str(e.path)) > (o.mtime, str(o.path)) for o in e.duplicate_of)

    def mark_roster(self) -> None:
        for e in self.entries:
            # an organ not read (and not named yet) is neither on the roster nor off it
            e.listed = None if self.roster is None or e.report is None or not e.organ else \
                any(same_organ(n, e.organ) for n in self.roster)

    # -- what the desk shows
    def missing(self) -> list[str]:
        """Organs on the roster without a report (未提交)."""
        if self.roster is None:
            return []
        organs = [e.organ for e in self.entries if e.report is not None]
        return [n for n in self.roster if not any(same_organ(n, o) for o in organs)]

    def unlisted(self) -> list[str]:
        """Organs with a report that the roster does not list (名单外)."""
        if self.roster is None:
            return []
        out: list[str] = []
        for e in self.entries:
            name = e.organ or f"（未识别出机关名称：{e.path.name}）"
            if e.listed is False and name not in out:
                out.append(name)
        return out

    def duplicates(self) -> list[list[Entry]]:
        """Groups of entries of the same organ and year, oldest first."""
        out, seen = [], set()
        for e in self.entries:
            if e.duplicate_of and id(e) not in seen:
                group = sorted([e, *e.duplicate_of], key=lambda x: (x.mtime, str(x.path)))
                seen.update(id(x) for x in group)
                out.append(group)
        return out

    def decision(self, e: Entry, f) -> dict | None:
        """The reviewer's decision on finding ``f`` of the entry; else a dismissal carried over from an earlier
        version of the same organ-year where the identical finding (rule, cells and message) was dismissed — then
        with ``"carried_from"``: that version's file name."""
        own = self.decisions.find(e.sha256, f) if e.sha256 else None
        if own is not None:
            return own
        for prev in self._earlier_versions(e):
            same = next((g for g in prev.findings if finding_key(g) == finding_key(f) and g.message == f.message),
                        None)
            d = self.decisions.find(prev.sha256, same) if same is not None and prev.sha256 else None
            if d is not None:  # the latest earlier decision counts; only a dismissal carries over
                return dict(d, carried_from=prev.path.name) if d["status"] == DISMISSED else None
        return None

    def _earlier_versions(self, e: Entry) -> list[Entry]:
        """The earlier submissions of the same organ and year, newest first."""
        older = [o for o in e.duplicate_of if (o.mtime, str(o.path)) < (e.mtime, str(e.path))]
        return sorted(older, key=lambda o: (o.mtime, str(o.path)), reverse=True)

    def open_findings(self, e: Entry) -> list:
        """The findings of the entry that the reviewer did not dismiss."""
        return [f for f in e.findings if (d := self.decision(e, f)) is None or d["status"] != DISMISSED]

    def held_findings(self, e: Entry) -> list[tuple]:
        """[(finding, why)]: open findings that may come from the program's reading of the file
        (:func:`reading_doubt`) and that the reviewer has not confirmed — for the reviewer, never in a notice."""
        out = []
        read_here = e.path.suffix.lower() != ".nianbao"  # a project file: its clerk saw the reading
        for f in self.open_findings(e):
            why = reading_doubt(e.report, f, read_here)
            if why and ((self.decision(e, f) or {}).get("status") != CONFIRMED):
                out.append((f, why))
        return out

    def notice_findings(self, e: Entry) -> list:
        """The open findings a notice, the bulletin and the score hold the organ to: not the reading doubts the
        reviewer has not confirmed, and never the reader's own notes (IMPORT.*: their words are about our
        reading, not the report)."""
        held = {id(f) for f, _ in self.held_findings(e)}
        return [f for f in self.open_findings(e) if id(f) not in held and not f.rule.startswith(READING_RULE_PREFIX)]

    def noticeable(self, e: Entry) -> bool:
        """Whether a 整改通知 can be written: an organ is known (read, or named by the reviewer)."""
        return e.report is not None and bool(e.organ)

    def organ_choices(self, e: Entry) -> list[str]:
        """Organs the reviewer may pick for a report whose organ was not read: the roster's organs without a
        report first — those whose name the file name or the report's opening text contains before the others.
        Only offered, never set without the reviewer."""
        if self.roster is None:
            return []
        missing = self.missing()
        rest = [n for n in self.roster if n not in missing]
        text = e.path.stem
        if e.report is not None:
            text += (e.report.meta.opening or "") + (e.report.sections.get("s1") or "")[:3000]
        text = normalise(text)
        found = [n for n in missing if normalise(n) and normalise(n) in text]
        return found + [n for n in missing if n not in found] + rest

    def name_organ(self, e: Entry, organ: str) -> None:
        """The reviewer names the organ of a report whose organ was not read (recorded in 审核记录.json)."""
        if not e.sha256:
            raise ReviewError("这个文件无法读取，不能记录机关名称。")
        if e.report is not None and e.report.meta.organ:
            raise ReviewError(f"这份报告的机关名称已读出（{e.report.meta.organ}），无需填写。")
        organ = " ".join(organ.split())
        self.decisions.name_organ(e.sha256, organ)
        e.named_organ = organ
        self._mark_duplicates()
        self.mark_roster()

    def counts(self, e: Entry) -> tuple[int, int]:
        from .rules import counts
        return counts(self.open_findings(e))

    def status(self, e: Entry) -> str:
        """未审 (a finding not decided yet), 已退回 (a finding confirmed), 已通过 (nothing left open)."""
        if e.report is None:
            return STATUS_OPEN
        states = [(d or {}).get("status") for d in (self.decision(e, f) for f in e.findings)]
        if CONFIRMED in states:
            return STATUS_RETURNED
        if None in states:
            return STATUS_OPEN
        return STATUS_PASSED

    def late(self, e: Entry) -> bool:
        """不按时: an open finding of the deadline rule."""
        from .rules import deadline_rules
        return any(f.rule in deadline_rules() for f in self.open_findings(e))

    def earlier(self, e: Entry) -> Entry | None:
        """The earlier submission of the same organ and year, when this is a later one."""
        older = [o for o in e.duplicate_of if (o.mtime, str(o.path)) < (e.mtime, str(e.path))]
        return max(older, key=lambda o: (o.mtime, str(o.path))) if older else None

    def resubmission(self, e: Entry) -> dict | None:
        """For a later version of an organ-year: {"fixed", "unfixed", "new"} compared with the earlier version's
        open findings (by rule and cells), and "returned": whether the earlier version was sent back (已退回).

        Only findings both versions can raise are compared: the organ's findings (:meth:`notice_findings`, not
        the program's doubts about its own reading), and the cross-year rules only when both were checked with
        last year's report (a Word copy of a project file carries no last year). "not_compared": why some rules
        were left out ("" when none)."""
        prev = self.earlier(e)
        if prev is None:
            return None
        skip: set[str] = set()
        why = ""
        if has_last_year(e) != has_last_year(prev):
            cross = cross_year_rules(e.report.format)
            skip |= cross
            why = ("跨年度问题未比较：" + ("较早版本" if has_last_year(e) else "本版本") + "没有附上年报告")
        before = {finding_key(f) for f in self.notice_findings(prev) if f.rule not in skip}
        now = {finding_key(f) for f in self.notice_findings(e) if f.rule not in skip}
        return {"earlier": str(prev.path), "fixed": len(before - now), "unfixed": len(before & now),
                "new": len(now - before), "returned": self.status(prev) == STATUS_RETURNED,
                "not_compared": why}

    def worst_first(self) -> list[Entry]:
        def badness(e: Entry):
            if e.report is None:
                return (0, 0, 0, 0, str(e.path))
            errors, warnings = self.counts(e)
            return (1, -errors, -int(self.late(e)), -warnings, str(e.path))
        return sorted(self.entries, key=badness)

    def decide(self, e: Entry, f, status: str | None, comment: str = "") -> None:
        if not e.sha256:
            raise ReviewError("这个文件无法读取，不能记录审核意见。")
        self.decisions.set(e.sha256, f, status, comment)

    # -- the JSON of ``nianbao review DIR --json``
    def to_json(self, report_json) -> dict:
        """``report_json(path, report, findings)``: a report as ``check --json`` gives it (the command line's)."""
        reports = []
        for e in self.entries:
            if e.report is None:
                reports.append({"path": str(e.path), "error": e.error})
                continue
            doc = report_json(e.path, e.report, e.findings)
            doc["sha256"] = e.sha256
            doc["decisions"] = self.decisions.of_file(e.sha256)
            carried = [(f, d) for f in e.findings if (d := self.decision(e, f)) and d.get("carried_from")]
            if carried:  # dismissals of an earlier version of the organ-year, for the identical finding
                doc["decisions"] = doc["decisions"] + [
                    {"file_sha256": e.sha256, "rule": f.rule, "cells": list(f.cells), "status": d["status"],
                     "comment": d.get("comment", ""), "carried_from": d["carried_from"]} for f, d in carried]
            errors, warnings = self.counts(e)
            doc["review"] = {"status": self.status(e), "errors": errors, "warnings": warnings,
                             "late": self.late(e), "similar_organs": round(e.similar_organs, 3),
                             "similar_last_year": round(e.similar_last_year, 3),
                             "previous": str(e.previous.path) if e.previous else None,
                             "resubmission": self.resubmission(e), "listed": e.listed,
                             "newer": e.newer if e.duplicate_of else None,
                             "organ_named": e.named_organ or None,
                             "notice": self.noticeable(e) and bool(self.notice_findings(e))
                             and (not e.duplicate_of or e.newer),
                             "for_reviewer": [{"rule": f.rule, "cells": list(f.cells), "message": f.message,
                                               "why": why} for f, why in self.held_findings(e)]}
            reports.append(doc)
        return {"reports": reports, "missing": self.missing(), "unlisted": self.unlisted(),
                "duplicates": [[str(x.path) for x in g] for g in self.duplicates()]}


def review_paths(folder) -> list[Path]:
    """The report files of a folder (sub-folders included, in name order), without the review's own files."""
    from .documents import supported_suffixes
    sufs = set(supported_suffixes())
    return sorted(q for q in Path(folder).rglob("*") if q.is_file() and q.suffix.lower() in sufs
                  and q.name != DECISIONS_NAME and not desk_output(q))


def desk_output(path: Path) -> bool:
    """A notice or bulletin the desk wrote (into the folder, by default): its name and its category say so; or
    the summary workbook of ``nianbao check --xlsx`` (its category says so)."""
    from .export.notices import DESK_MARK
    from .export.summary import SUMMARY_MARK
    suffix = path.suffix.lower()
    if suffix == ".xlsx" and _marked(path, SUMMARY_MARK):
        return True
    if not path.name.startswith(("整改通知-", "通报")) or suffix not in (".docx", ".xlsx"):
        return False
    return _marked(path, DESK_MARK)


def _marked(path: Path, mark: str) -> bool:
    """Whether an Office file's core properties (its category) carry ``mark``."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            info = z.getinfo("docProps/core.xml")
            if info.file_size > 100_000:
                return False
            return mark.encode("utf-8") in z.read(info)
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError):
        return False


# --------------------------------------------------------------------------------------------------------------
# Sums (本级政府's report aggregating its departments)

@dataclass
class SumResult:
    report: object  # Report
    notes: list[str]
    parts: list[dict]  # {"organ", "path", "values": {cell id: json value}}


def sum_reports(reports: list, paths: list, organ: str = "") -> SumResult:
    """Tables 2–4 of ``reports`` summed cell by cell into a new report: counts as integers, fees as exact
    decimals, 不适用 and blank counted as 0 (and listed in the notes); totals recomputed from the summed parts.
    Raises :class:`ReviewError` when the reports cannot be summed (other formats or years, invalid entries)."""
    from .model import Report
    from .rules import formulas, recompute
    from .values import NA, Invalid, to_json
    if not reports:
        raise ReviewError("没有要汇总的报告。")
    fmt_ids = {r.format_id for r in reports}
    if len(fmt_ids) != 1:
        raise ReviewError("这些报告的格式不同，不能逐格相加：" + "、".join(sorted(fmt_ids)))
    years = {r.meta.year for r in reports}
    if len(years) != 1 or None in years:
        shown = "、".join(str(y) if y is not None else "未填" for y in sorted(years, key=lambda y: (y is None, y or 0)))
        raise ReviewError(f"这些报告的年度不同或未填写（{shown}），只能汇总同一年度的报告。")
    fmt = reports[0].format
    computed = set(formulas(fmt))
    bad = []
    for r, p in zip(reports, paths):
        for cid, v in r.values.items():
            if isinstance(v, Invalid):
                bad.append(f"{Path(p).name}：{fmt.cells[cid].name if cid in fmt.cells else cid}（{v.raw}）")
    if bad:
        raise ReviewError("以下数值无效，改正后才能汇总：" + "；".join(bad[:10]) + ("…" if len(bad) > 10 else ""))
    out = Report(format_id=reports[0].format_id)
    out.meta.organ = organ
    out.meta.year = years.pop()
    na_count: dict[str, int] = {}
    blank_count: dict[str, int] = {}
    for cid, cell in fmt.cells.items():
        if cid in computed:
            continue
        total = Decimal(0) if cell.kind == "money" else 0
        all_na = True
        for r in reports:
            v = r.values.get(cid)
            if v is NA:
                na_count[cid] = na_count.get(cid, 0) + 1
                continue
            all_na = False
            if v is None:
                blank_count[cid] = blank_count.get(cid, 0) + 1
                continue
            total += Decimal(v) if cell.kind == "money" else v
        out.values[cid] = NA if all_na else total
    recompute(out)
    notes = []
    if na_count:
        n_cells = sum(1 for cid, k in na_count.items() if out.values.get(cid) is not NA)
        if n_cells:
            notes.append(f"“不适用”（/）按 0 计入：{n_cells} 个单元格共 {sum(na_count.values())} 处"
                         "（全部单位都填“不适用”的单元格仍为“不适用”）。")
    if blank_count:
        notes.append(f"空白按 0 计入：{len(blank_count)} 个单元格共 {sum(blank_count.values())} 处。")
    parts = []
    for r, p in zip(reports, paths):
        parts.append({"organ": r.meta.organ, "path": str(p),
                      "values": {cid: to_json(r.values.get(cid), fmt.cells[cid].kind) for cid in fmt.cells}})
    out.extra["sum_parts"] = parts
    out.extra["sum_notes"] = notes
    return SumResult(out, notes, parts)


__all__ = ["Entry", "Review", "Decisions", "ReviewError", "read_files", "read_roster", "pair_years",
           "similar_organs", "organ_findings", "similar_pairs", "check_entries", "sum_reports", "SumResult",
           "DECISIONS_NAME",
           "display_name", "split_place"]
