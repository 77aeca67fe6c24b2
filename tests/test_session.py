"""The document session without widgets (app/session.py): one writer per project file, a lock whose liveness is
proven (a killed process, reaped or not, and a process id now used by another Python process are dead), a save that
always asks when the file changed on disk (also when two real processes save at the same moment), recovery copies of
a killed instance found for their file, no temporary file left behind."""
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app import liveness, project, userdata
from app.model import new_report
from app.session import Conflict, FileLock, Locked, Session, lock_path, recovery_for

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "wuzhong-minzheng-2023.nianbao"
POSIX = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")


def copy(tmp_path, name="吴忠.nianbao") -> Path:
    dst = tmp_path / name
    shutil.copy(FIXTURE, dst)
    return dst


def child(code: str, *args) -> subprocess.Popen:
    """A Python child with the project importable; it prints "ready" once it has done its part."""
    proc = subprocess.Popen([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r})\n" + code,
                             *map(str, args)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=dict(os.environ))
    line = proc.stdout.readline().strip()
    if line != "ready":
        proc.kill()
        raise AssertionError(f"child failed: {line} {proc.stderr.read()}")
    return proc


def zombie(proc: subprocess.Popen) -> None:
    """Kill ``proc`` with SIGKILL and wait until it has ended, without reaping it (its parent is this test)."""
    proc.send_signal(signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{proc.pid}/stat", "rb") as fh:
                if fh.read().rsplit(b")", 1)[1].split()[0] == b"Z":
                    return
        except FileNotFoundError:
            return
        time.sleep(0.02)
    raise AssertionError("the killed child did not end")


def reap(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait(30)


HOLD = """
from app.session import Session
s = Session.open(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
"""


# ---------------------------------------------------------------------------------------------------------------
# one writer

def test_a_second_window_of_this_process_is_told_and_may_open_read_only(tmp_path):
    p = copy(tmp_path)
    first = Session.open(p, client="window 1")
    assert lock_path(p).is_file()
    with pytest.raises(Locked, match="该文件已在另一个窗口中打开") as e:
        Session.open(p, client="window 2")
    assert e.value.client == "window 1"  # the window to bring forward
    second = Session.open(p, readonly=True, client="window 2")
    second.report.meta.organ = "只读窗口改的"
    with pytest.raises(Locked, match="另存为"):  # cannot save over the file the first window edits
        second.save()
    assert project.load(p).meta.organ != "只读窗口改的"
    elsewhere = tmp_path / "另存.nianbao"
    second.save(path=elsewhere)  # save as: fine
    assert project.load(elsewhere).meta.organ == "只读窗口改的" and not second.readonly
    second.close()
    first.close()
    assert not lock_path(p).exists() and not lock_path(elsewhere).exists()
    third = Session.open(p, client="window 2")
    third.close()


def test_reopening_in_the_same_window_takes_over_its_own_lock(tmp_path):
    p = copy(tmp_path)
    s = Session.open(p, client="w")
    again = Session.open(p, client="w", previous=s)
    assert again.lock is not None and s.lock is None and lock_path(p).is_file()
    s.close()  # the replaced session lets go of nothing it no longer has
    assert lock_path(p).is_file()
    again.close()
    assert not lock_path(p).exists()


@POSIX
def test_another_process_is_told_and_its_lock_is_stale_once_killed_even_before_it_is_reaped(tmp_path):
    p = copy(tmp_path)
    holder = child(HOLD, p)
    try:
        with pytest.raises(Locked, match="该文件已在另一个窗口中打开") as e:
            Session.open(p)
        assert e.value.owner.pid == holder.pid and e.value.client is None
        assert f"进程 {holder.pid}" in str(e.value)
        zombie(holder)  # killed; not yet reaped by its parent (this test)
        s = Session.open(p)  # the lock of a dead process is stale: no question
        assert s.lock is not None and s.lock.held
        s.close()
    finally:
        reap(holder)
    assert not lock_path(p).exists()


def test_a_stale_lock_whose_pid_now_belongs_to_another_python_process_is_stale(tmp_path):
    p = copy(tmp_path)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        deadline = time.monotonic() + 30
        while liveness.process_start(other.pid) is None and time.monotonic() < deadline:
            time.sleep(0.02)
        lp = lock_path(p)
        program = os.path.basename(os.path.realpath(sys.executable))
        host = liveness.hostname()
        # QLockFile's format (an older version of the program), written an hour before that process started
        lp.write_bytes(f"{other.pid}\n{program}\n{host}\n\n\n".encode())
        an_hour_ago = time.time() - 3600
        os.utime(lp, (an_hour_ago, an_hour_ago))
        s = Session.open(p)
        s.close()
        # this program's format, recording another start of a process with that id
        lp.write_bytes(f"{other.pid}\n{program}\n{host}\n\n\nboot-of-an-earlier-run/12345\n0123456789ab\n".encode())
        s = Session.open(p)
        s.close()
        # the very process, recorded with its start: held
        lp.write_bytes(f"{other.pid}\n{program}\n{host}\n\n\n{liveness.process_start(other.pid)}\nabcdef\n"
                       .encode())
        with pytest.raises(Locked):
            Session.open(p)
    finally:
        other.kill()
        other.wait()
    s = Session.open(p)  # that process ended (and was reaped): stale
    s.close()
    assert not lock_path(p).exists()


def test_a_lock_from_another_computer_or_being_written_is_respected(tmp_path):
    p = copy(tmp_path)
    lp = lock_path(p)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait(30)
    lp.write_bytes(f"{dead.pid}\nnianbao\nanother-pc-{os.getpid()}\n\n\nx/1\nabc\n".encode())
    with pytest.raises(Locked, match="计算机“another-pc-"):  # cannot be checked from here: never called stale
        Session.open(p)
    lp.write_bytes(b"")  # just created, content not yet written
    with pytest.raises(Locked):
        Session.open(p)
    long_ago = time.time() - 3600
    os.utime(lp, (long_ago, long_ago))  # an empty lock that stayed empty: its writer died
    s = Session.open(p)
    s.close()
    assert not lp.exists()


def test_no_lock_possible_still_opens_and_the_fingerprint_guards_saves(tmp_path):
    p = copy(tmp_path)
    lp = lock_path(p)
    lp.mkdir()  # something that is not a lock file under the name
    s = Session.open(p)
    assert s.lock is None
    project.save(new_report(), p)
    with pytest.raises(Conflict):
        s.save()
    assert lp.is_dir()


# ---------------------------------------------------------------------------------------------------------------
# a save whose file changed on disk always asks

def test_a_save_after_the_file_changed_on_disk_raises_conflict_until_overwrite_or_reload(tmp_path):
    p = copy(tmp_path)
    s = Session.open(p)
    s.report.values["t4.review.upheld"] = 7
    other = project.load(p)
    other.values["t4.review.corrected"] = 5
    project.save(other, p)  # another program writes the file
    with pytest.raises(Conflict, match="已在磁盘上被修改"):
        s.save()
    assert project.load(p).values["t4.review.corrected"] == 5
    assert s.reload().values["t4.review.corrected"] == 5
    s.report.values["t4.review.upheld"] = 8
    s.save()  # nothing changed elsewhere since the reload: no question
    project.save(other, p)
    s.report.values["t4.review.upheld"] = 9
    s.save(overwrite=True)
    assert project.load(p).values["t4.review.upheld"] == 9
    s.save()
    s.close()


RACER = """
import time
from app.session import Conflict, Locked, Session
path, cell = sys.argv[1], sys.argv[2]
print("ready", flush=True)
for line in sys.stdin:
    rnd, at = line.split()
    s = Session.open(path, readonly=True)  # both read the same version
    s.report.values[cell] = int(rnd) + 1
    print("opened", flush=True)
    go = sys.stdin.readline()
    while time.time() < float(at):
        pass
    try:
        s.save()
        print("saved", flush=True)
    except Conflict:
        print("conflict", flush=True)
    except Locked:
        print("locked", flush=True)
    s.close()
"""


def test_two_processes_saving_one_file_at_the_same_moment_never_both_succeed(tmp_path):
    p = copy(tmp_path)
    base = project.load(p)
    cells = ("t4.review.upheld", "t4.review.corrected")
    racers = [child(RACER, p, c) for c in cells]
    outcomes = []
    try:
        for rnd in range(20):
            project.save(base, p)
            at = time.time() + 0.3
            for r in racers:
                r.stdin.write(f"{rnd} {at}\n")
                r.stdin.flush()
            for r in racers:
                assert r.stdout.readline().strip() == "opened"
            for r in racers:
                r.stdin.write("go\n")
                r.stdin.flush()
            said = [r.stdout.readline().strip() for r in racers]
            on_disk = project.load(p).values
            kept = [on_disk.get(c) == rnd + 1 for c in cells]
            outcomes.append(said)
            assert said.count("saved") == 1, (rnd, said)  # one wins; the other is asked (never "saved" twice)
            for s, k in zip(said, kept):
                assert (s == "saved") == k, (rnd, said, kept)  # a change said to be saved is in the file
    finally:
        for r in racers:
            r.stdin.close()
            reap(r)
    assert not lock_path(p).exists()
    assert not [f for f in os.listdir(tmp_path) if f.endswith(".tmp")]


# ---------------------------------------------------------------------------------------------------------------
# recovery

RECOVERING = """
from app import project, userdata
report = project.load(sys.argv[1])
report.values["t3.new.natural"] = 41
userdata.write_recovery(userdata.recovery_bytes(report, sys.argv[1]))
print("ready", flush=True)
sys.stdin.readline()
"""


@POSIX
def test_the_recovery_copy_of_a_killed_instance_is_found_for_its_file_before_and_after_reaping(tmp_path):
    p = copy(tmp_path)
    other = copy(tmp_path, "另一个.nianbao")
    proc = child(RECOVERING, p)
    try:
        assert recovery_for(p) is None  # its instance still runs
        zombie(proc)  # kill -9; the parent has not reaped it yet
        rec = recovery_for(p)
        assert rec is not None and rec.pid == proc.pid and rec.load().values["t3.new.natural"] == 41
        assert recovery_for(other) is None
        s = Session.open(p)
        assert s.recovery().file == rec.file
        s.close()
    finally:
        reap(proc)
    assert recovery_for(p).file == rec.file
    restored = Session.restore(rec, client="w")
    assert restored.report.values["t3.new.natural"] == 41 and restored.lock.held
    restored.save()  # the file as it is now is what it replaces: no conflict
    assert project.load(p).values["t3.new.natural"] == 41
    restored.close()


def test_a_recovery_copy_of_this_running_instance_is_not_offered(tmp_path):
    p = copy(tmp_path)
    userdata.write_recovery(userdata.recovery_bytes(project.load(p), p))
    assert recovery_for(p) is None
    userdata.remove_recovery()


# ---------------------------------------------------------------------------------------------------------------
# files: the backup and temporary files

def test_a_backup_that_is_a_hard_link_to_the_file_leaves_no_temporary_file(tmp_path):
    p = copy(tmp_path)
    before = p.read_bytes()
    bak = project.backup_path(p)
    os.link(p, bak)
    report = project.load(p)
    report.meta.organ = "改过"
    project.save(report, p)
    assert sorted(os.listdir(tmp_path)) == sorted([p.name, bak.name])
    assert bak.read_bytes() == before and project.load(p).meta.organ == "改过"
    project.save(report, p)  # and again, the backup now a file of its own
    assert sorted(os.listdir(tmp_path)) == sorted([p.name, bak.name])


KILLED_MID_SAVE = """
from pathlib import Path
from app import project
fd, name = project._mkstemp(Path(sys.argv[1]))  # a save has begun: its temporary file is there
import os
os.write(fd, b"half a report")
print("ready", flush=True)
sys.stdin.readline()
"""


@POSIX
def test_a_save_killed_midway_leaves_nothing_once_the_folder_is_saved_in_again(tmp_path):
    p = copy(tmp_path)
    procs = [child(KILLED_MID_SAVE, tmp_path) for _ in range(2)]
    try:
        assert len([f for f in os.listdir(tmp_path) if f.endswith(".tmp")]) == 2
        zombie(procs[0])  # one killed, not yet reaped
        reap(procs[1])  # one killed and reaped
        project.save(project.load(p), p)
        assert sorted(os.listdir(tmp_path)) == sorted([p.name, project.backup_path(p).name])
        killed = child("from app.session import Session\ns = Session.open(sys.argv[2])\n" + KILLED_MID_SAVE, tmp_path,
                       p)  # a window editing the file, killed in the middle of a save
        reap(killed)
        assert lock_path(p).exists()
        s = Session.open(p)  # opening the file for editing after that also clears them
        assert sorted(os.listdir(tmp_path)) == sorted([p.name, project.backup_path(p).name, lock_path(p).name])
        s.close()
    finally:
        for proc in procs:
            reap(proc)


def test_a_temporary_file_of_a_save_still_running_is_left_alone(tmp_path):
    p = copy(tmp_path)
    holder = child(KILLED_MID_SAVE, tmp_path)
    try:
        project.save(project.load(p), p)
        assert len([f for f in os.listdir(tmp_path) if f.endswith(".tmp")]) == 1
    finally:
        reap(holder)


def test_session_does_not_import_qt():
    code = "import sys, app.session; print(any(m.startswith('PySide6') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr


def test_a_file_lock_is_released_only_by_its_holder(tmp_path):
    p = copy(tmp_path)
    a = FileLock(p, "a")
    assert a.acquire()
    b = FileLock(p, "b")
    with pytest.raises(Locked):
        b.acquire()
    b.release()  # never held: nothing happens to a's lock
    assert lock_path(p).is_file()
    a.release()
    assert not lock_path(p).exists()


def test_the_window_asks_the_session_and_never_reads_writes_or_locks_project_files_itself():
    """The main window opens, locks, fingerprints and saves project files only through app/session.py, and marks a
    report unsaved through ReportState's methods (never its private flag)."""
    import ast
    forbidden = {"_text_dirty", "QLockFile", "load_with_bytes", "load_with_fingerprint", "file_fingerprint",
                 "fingerprint", "atomic_write"}
    found = []
    for py in [ROOT / "ui" / "mainwindow.py", ROOT / "ui" / "export.py"]:
        tree = ast.parse(py.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
            if name in forbidden:
                found.append(f"{py.name}:{node.lineno}: {name}")
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "project" \
                    and node.attr in ("save", "load", "loads"):
                found.append(f"{py.name}:{node.lineno}: project.{node.attr}")
    assert not found, "\n".join(found)


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_the_same_file_named_another_way_in_this_process_is_still_told(tmp_path, monkeypatch):
    p = copy(tmp_path)
    first = Session.open(p, client="window 1")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(Locked) as e:
        Session.open(Path(p.name), client="window 2")  # a relative name
    assert e.value.client == "window 1"
    (tmp_path / "link").symlink_to(tmp_path)
    with pytest.raises(Locked) as e:
        Session.open(tmp_path / "link" / p.name, client="window 2")  # through a linked folder
    assert e.value.client == "window 1" and lock_path(p).is_file()
    (tmp_path / "link.nianbao").symlink_to(p)
    with pytest.raises(Locked) as e:
        Session.open(tmp_path / "link.nianbao", client="window 2")  # a link to the file
    assert e.value.client == "window 1"
    first.close()
    assert not lock_path(p).exists()


def test_temporary_files_of_another_computer_in_a_shared_folder_are_left_alone(tmp_path):
    p = copy(tmp_path)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait(30)
    tag = project._temp_prefix().split("-")[1]  # 4 hex digits of this computer's name
    other = f"{(int(tag, 16) + 1) % 0x10000:04x}"
    theirs = tmp_path / f".nb{dead.pid}-{other}-abcdefgh.tmp"  # another computer's process with that id
    theirs.write_bytes(b"another computer's save in progress")
    ours = tmp_path / f".nb{dead.pid}-{tag}-abcdefgh.tmp"
    ours.write_bytes(b"left by a process of this computer that has ended")
    project.save(project.load(p), p)
    assert theirs.exists() and not ours.exists()


@pytest.mark.skipif(not sys.platform.startswith(("linux", "win")), reason="start times are read on Linux and Windows")
def test_a_process_start_time_is_when_it_started():
    """The start in seconds since the epoch is what proves a QLockFile-format lock stale: it must be right within
    a few seconds, or a live lock would be taken for a stale one."""
    before = time.time()
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        p = liveness.process(proc.pid)
        assert p is not None and p.start and p.started_at is not None
        assert before - 2 <= p.started_at <= time.time() + 2
        assert liveness.started_after(p, before - 60) and not liveness.started_after(p, time.time() + 60)
        assert liveness.running(proc.pid, p.start) and not liveness.running(proc.pid, p.start + "0")
    finally:
        proc.kill()
        proc.wait()
    assert liveness.process(proc.pid) is None and not liveness.running(proc.pid, None)


def test_a_lock_with_this_process_id_from_an_earlier_run_is_stale(tmp_path):
    """A process id can come back after a reboot or a crash: a lock with our id is ours only while a session of this
    run holds it."""
    p = copy(tmp_path)
    me = f"{os.getpid()}\nnianbao\n{liveness.hostname()}\n\n\n{liveness.process_start(os.getpid())}\n"
    lock_path(p).write_bytes((me + "0123456789ab\n").encode())  # another run's token
    s = Session.open(p)
    s.close()
    lock_path(p).write_bytes((me + userdata.INSTANCE + "\n").encode())  # this run's token, but no session holds it
    s = Session.open(p)
    s.close()
    assert not lock_path(p).exists()
