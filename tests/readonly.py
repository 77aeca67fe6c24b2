"""A file or folder made read-only on disk for this process, whoever runs the tests: the permissions, and for root
(whom permissions do not stop) the immutable attribute (chattr +i)."""
import os
import subprocess
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def read_only(path: Path):
    """``path`` (a file or a folder) read-only for this process, whoever runs the tests."""
    mode = path.stat().st_mode
    path.chmod(0o555 if path.is_dir() else 0o444)
    immutable = os.geteuid() == 0 and subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0
    try:
        probe = path / ".probe" if path.is_dir() else path
        try:
            with open(probe, "a" if not path.is_dir() else "x"):
                pass
        except OSError:
            pass
        else:
            raise AssertionError(f"could not make {path} read-only here")
        yield path
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(mode)
