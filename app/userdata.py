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

from .project import ProjectError, atomic_write, report_from_dict, report_to_dict
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
    atomic_write(_settings_path(), json.dumps(settings, ensure_ascii=False, indent=1).encode("utf-8"),
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

    def load(self) -> Report:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            return report_from_dict(data["report"], "恢复副本")
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise ProjectError(f"恢复副本无法读取：{e}") from None

    def discard(self) -> None:
        try:
            self.file.unlink()
        except FileNotFoundError:
            pass


def recovery_path(pid: int | None = None) -> Path:
    return data_dir() / f"{RECOVERY_PREFIX}{os.getpid() if pid is None else pid}.json"


def recovery_bytes(report: Report, path, pid: int | None = None) -> bytes:
    """Serialise on the caller's thread (cheap); the result may be written from any thread."""
    doc = {"recovery": 1, "path": str(path) if path else None, "saved_at": time.time(),
           "pid": os.getpid() if pid is None else pid,
           "report": report_to_dict(report)}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def write_recovery(data: bytes, pid: int | None = None) -> Path:
    target = recovery_path(pid)
    atomic_write(target, data, backup=False)
    return target


def remove_recovery(pid: int | None = None) -> None:
    try:
        recovery_path(pid).unlink()
    except FileNotFoundError:
        pass


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":
        import ctypes
        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def find_recoveries() -> list[Recovery]:
    """Recovery copies left by instances that are no longer running, newest first."""
    out = []
    for f in data_dir().glob(f"{RECOVERY_PREFIX}*.json"):
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
            pid = int(data.get("pid", -1))
            rec = Recovery(f, data.get("path"), float(data.get("saved_at", 0)), pid)
        except (OSError, ValueError, TypeError, AttributeError):
            continue
        if pid > 0 and _pid_alive(pid):
            continue
        out.append(rec)
    out.sort(key=lambda r: r.saved_at, reverse=True)
    return out
