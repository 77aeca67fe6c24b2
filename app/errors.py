"""Errors about files that every layer shares, and the one Chinese wording of an operating-system error.

* :class:`OpenError`: a file that cannot be opened as a report (project files, imports);
* :class:`ImportFailed`: an importer's refusal of a file it cannot read (the ZIP guard raises it too);
* :func:`os_error_text`: why a file operation failed, in Chinese, from the error number alone (never the internal
  temporary file names an ``OSError`` message may carry).

This module imports nothing of the program: everything above may use it.
"""
from __future__ import annotations

import errno
from pathlib import Path


class OpenError(Exception):
    """A file that cannot be opened as a report; the message is Chinese."""


class ImportFailed(OpenError):
    """A file that cannot be imported; the message is Chinese and says what is wrong."""


def where_label(path: Path) -> str:
    """A file named in a message: “name”."""
    return f"“{path.name}”"


_OS_REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘或文件夹是只读的",
    errno.EACCES: "没有权限，或文件正被其他程序占用",
    errno.EPERM: "没有权限，或文件正被其他程序占用",
    errno.ENOENT: "文件或所在的文件夹不存在或已被移走",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.ELOOP: "符号链接形成了循环",
    errno.EISDIR: "同名的是一个文件夹",
    errno.EEXIST: "文件已存在",
    errno.EINVAL: "文件名无效",
    errno.EIO: "磁盘读写错误",
    errno.EFBIG: "文件超过了系统允许的大小",
}
if hasattr(errno, "EDQUOT"):
    _OS_REASONS[errno.EDQUOT] = "磁盘配额已用完"


def os_error_text(e: OSError) -> str:
    """Why a file operation failed, in Chinese: the program's one wording for each error number; the system's
    own text only for a number without one."""
    return (_OS_REASONS.get(e.errno) if e.errno is not None else None) or e.strerror or type(e).__name__
