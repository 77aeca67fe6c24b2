"""Per-user data of the program (Qt-free): settings, recent files and recovery copies.

The folder is ``NIANBAO_DATA_DIR`` when set (tests, portable installs), else the platform's user data
folder (``platformdirs.user_data_dir("nianbao")``). Every file is written with
:func:`app.project.atomic_write`, so a crash never leaves a half-written settings or recovery file.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from . import liveness
from .project import ProjectError, atomic_write, json_text, parse_json, report_from_dict, report_to_dict
from .model import Report

MAX_RECENT = 10
RECOVERY_PREFIX = "recovery-"


def data_dir() -> Path:
    env = os.environ.get("NIANBAO_DATA_DIR")
    if env:
        path = Path(env)
    else:
        from platformdirs import user_data_dir
        path = Path(user_data_dir("nianbao", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


# ---------------------------------------------------------------------------------------------
# settings (a small JSON object)

def _settings_path() -> Path:
    return data_dir() / "settings.json"


def load_settings() -> dict:
    try:
        data = json.loads(_settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_settings(settings: dict) -> None:
    # ASCII escapes: a file name that is not UTF-8 (Linux) is a str with lone surrogates, which UTF-8 cannot hold
    atomic_write(_settings_path(), json.dumps(settings, ensure_ascii=True, indent=1).encode("ascii"),
                 backup=False)


def get_setting(key: str, default=None):
    return load_settings().get(key, default)


def set_setting(key: str, value) -> None:
    settings = load_settings()
    settings[key] = value
    save_settings(settings)


# ---------------------------------------------------------------------------------------------
# recent files

def recent_files(existing_only: bool = True) -> list[Path]:
    items = load_settings().get("recent", [])
    out = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, str):
            p = Path(item)
            if not existing_only or p.is_file():
                out.append(p)
    return out


def add_recent(path) -> list[Path]:
    path = str(Path(path).resolve())
    settings = load_settings()
    items = [p for p in settings.get("recent", []) if isinstance(p, str) and p != path]
    settings["recent"] = [path] + items[: MAX_RECENT - 1]
    save_settings(settings)
    return [Path(p) for p in settings["recent"]]


def remove_recent(path) -> None:
    path = str(Path(path).resolve())
    settings = load_settings()
    settings["recent"] = [p for p in settings.get("recent", []) if p != path]
    save_settings(settings)


# ---------------------------------------------------------------------------------------------
# recovery copies: one file per running instance, removed on a clean exit

@dataclass
class Recovery:
    file: Path  # the recovery copy itself
    path: str | None  # the project file the report belongs to (None = never saved)
    saved_at: float
    pid: int
    title: str = ""  # the report's title as the copy holds it (organ and year known), to name a never-saved report

    def load(self) -> Report:
        try:
            data = parse_json(self.file.read_text(encoding="utf-8"), "恢复副本")
            return report_from_dict(data["report"], "恢复副本")
        except ProjectError:
            raise
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise ProjectError(f"恢复副本无法读取：{e}") from None

    def discard(self) -> None:
        try:
            self.file.unlink()
        except FileNotFoundError:
            pass


# This run of the program: a process id can be reused after a crash (also by a new instance of the program), so a
# recovery copy records the process's start (boot id + start time where the system tells it) and a random token
# of the run; it belongs to a running instance only when both still match.
INSTANCE = os.urandom(6).hex()  # (secrets.token_hex(6), without loading hmac and OpenSSL at start-up)


def process_start(pid: int) -> str | None:
    """When process ``pid`` started, as an opaque string (``None`` when unknown or not running, a zombie included)."""
    return liveness.process_start(pid)


def _path_text(path) -> str | None:
    return str(path).encode("utf-8", "backslashreplace").decode("utf-8") if path else None


def _path_hex(path) -> str | None:
    """A file name that is not UTF-8 (Linux) kept exactly, as the hex of its bytes."""
    if not path or _path_text(path) == str(path):
        return None
    return os.fsencode(str(path)).hex()


def recovery_path(pid: int | None = None) -> Path:
    if pid is None or pid == os.getpid():
        return data_dir() / f"{RECOVERY_PREFIX}{os.getpid()}-{INSTANCE}.json"
    return data_dir() / f"{RECOVERY_PREFIX}{pid}.json"


def recovery_bytes(report: Report, path, pid: int | None = None) -> bytes:
    """Serialise on the caller's thread (cheap); the result may be written from any thread."""
    pid = os.getpid() if pid is None else pid
    doc = {"recovery": 1, "path": _path_text(path), "path_hex": _path_hex(path), "saved_at": time.time(),
           "pid": pid, "started": process_start(pid), "instance": INSTANCE if pid == os.getpid() else None,
           "report": report_to_dict(report)}
    return json_text(doc, ensure_ascii=False).encode("utf-8")


def write_recovery(data: bytes, pid: int | None = None) -> Path:
    target = recovery_path(pid)
    atomic_write(target, data, backup=False)
    return target


def remove_recovery(pid: int | None = None) -> None:
    try:
        recovery_path(pid).unlink()
    except OSError:  # gone already, or the data folder itself is unusable: nothing to remove
        pass


def _owner_running(pid: int, started, instance, written_at: float | None = None) -> bool:
    """Whether the instance that wrote a recovery copy still runs (not merely some process with its pid, nor a
    killed one its parent has not reaped yet)."""
    if pid == os.getpid():
        if instance is not None:
            return instance == INSTANCE
        return started is None or started == process_start(pid)
    return liveness.running(pid, started if isinstance(started, str) else None, written_at)


def _copy_title(data) -> str:
    """The title of the report a recovery copy holds, "" when organ or year is missing or the copy is not a report."""
    try:
        return report_from_dict(data, "恢复副本").known_title()
    except (ProjectError, ValueError, KeyError, TypeError, AttributeError):
        return ""


def find_recoveries() -> list[Recovery]:
    """Recovery copies left by instances that are no longer running, newest first."""
    out = []
    for f in data_dir().glob(f"{RECOVERY_PREFIX}*.json"):
        try:
            data = parse_json(f.read_text(encoding="utf-8"), "恢复副本")
            pid = int(data.get("pid", -1))
            saved_at = data.get("saved_at", 0)
            saved_at = float(getattr(saved_at, "text", saved_at))  # a fraction is read as a JsonNumber
            path = os.fsdecode(bytes.fromhex(data["path_hex"])) if data.get("path_hex") else data.get("path")
            rec = Recovery(f, path, saved_at, pid, _copy_title(data.get("report")))
        except (OSError, ValueError, TypeError, AttributeError, ProjectError):
            continue
        if pid > 0 and _owner_running(pid, data.get("started"), data.get("instance"), saved_at):
            continue
        out.append(rec)
    out.sort(key=lambda r: r.saved_at, reverse=True)
    return out
