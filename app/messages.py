"""What went wrong, in Chinese and true to the cause: the one place that turns an operating-system error or an
exception raised inside a third-party reader (pdfminer, lxml, openpyxl, zlib) into words for the clerk.

Nothing of the library's English text, nor a full path, reaches the user: a cause we know is named (密码, 嵌套过深,
内存不足, 实体扩展, 没有权限 …); any other is "文件内容异常或已损坏", never the library's message.
"""
from __future__ import annotations

import errno

_ERRNO = {
    errno.ENOENT: "文件或文件夹不存在或已被移走",
    errno.EACCES: "没有权限，或文件正被其他程序占用",
    errno.EPERM: "没有权限，或文件正被其他程序占用",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘或文件夹是只读的",
    errno.EISDIR: "同名的是一个文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.EEXIST: "文件已存在",
    errno.EINVAL: "文件名无效",
    errno.ESPIPE: "同名的不是普通文件（是管道或设备）",
    errno.ELOOP: "符号链接形成了循环",
    errno.EIO: "磁盘读写错误",
    errno.EFBIG: "文件超过了系统允许的大小",
    errno.EMFILE: "同时打开的文件过多",
    errno.ENFILE: "同时打开的文件过多",
    errno.ENOMEM: "内存不足",
    errno.EBUSY: "文件正被其他程序占用",
    errno.ETXTBSY: "文件正被其他程序占用",
    errno.EAGAIN: "文件暂时无法访问，请稍后再试",
    errno.EXDEV: "不能跨磁盘移动文件",
    errno.ENXIO: "设备不存在或未就绪",
    errno.ENODEV: "设备不存在或未就绪",
    getattr(errno, "EDQUOT", -1): "磁盘配额已用完",
    getattr(errno, "ESTALE", -2): "网络共享上的文件已失效，请重新打开文件夹",
    getattr(errno, "ETIMEDOUT", -3): "访问超时（网络共享或设备无响应）",
}
# Windows error codes (OSError.winerror) that map to no errno Python knows
_WINERROR = {32: "文件正被其他程序占用（例如在 Word 或 WPS 中打开着）", 33: "文件的一部分被其他程序锁定",
             5: "没有权限，或文件正被其他程序占用", 112: "磁盘空间不足", 1224: "文件正被其他程序占用"}


def os_error_text(e: OSError) -> str:
    """Why a file operation failed, in Chinese (never the system's English text, never the file's path)."""
    winerror = getattr(e, "winerror", None)
    if winerror in _WINERROR:
        return _WINERROR[winerror]
    why = _ERRNO.get(e.errno)
    if why is not None:
        return why
    name = errno.errorcode.get(e.errno) if isinstance(e.errno, int) else None
    return f"操作系统报告错误（{name or e.errno or type(e).__name__}）"


def _chain(e: BaseException):
    """``e`` and every exception it wraps (``__cause__``, ``__context__``, an exception among its ``args``)."""
    seen: set[int] = set()
    todo = [e]
    while todo:
        x = todo.pop(0)
        if x is None or id(x) in seen:
            continue
        seen.add(id(x))
        yield x
        todo += [x.__cause__, x.__context__] + [a for a in getattr(x, "args", ()) if isinstance(a, BaseException)]


def exception_text(e: BaseException) -> str:
    """The cause of a failure inside a reader, in Chinese (the part after "无法导入…：")."""
    for x in _chain(e):
        kind = type(x).__name__
        text = " ".join(str(a) for a in getattr(x, "args", ()) if isinstance(a, str)).lower()
        if kind in ("PDFPasswordIncorrect", "PDFEncryptionError") or "password" in text:
            return "文件设有打开密码（或经过加密），无法读取；请使用未加密的文件"
        if isinstance(x, RecursionError) or "recursion" in text:
            return "文件的内部结构嵌套过深或循环引用自身，无法读取"
        log = " ".join(str(getattr(r, "type_name", "")) for r in (getattr(x, "error_log", None) or ()))
        if isinstance(x, MemoryError) or "unable to allocate" in text or "out of memory" in text \
                or "memory error" in text or "memory allocation failed" in text or "ERR_NO_MEMORY" in log:
            return "文件过大或结构异常，读取时内存不足，已停止"
        if "entity" in text and ("amplification" in text or "loop" in text or "exceeded" in text):
            return "文件中的 XML 实体展开过大（可能是恶意构造的文件），拒绝读取"
        if "doctype" in text or "entity" in text:
            return "文件含有 DOCTYPE/实体声明（Office 从不写入，可能是恶意构造的文件），拒绝读取"
        if isinstance(x, OSError) and not (kind.startswith("Bad") or "zip" in kind.lower()):
            return f"无法读取文件：{os_error_text(x)}"
        if kind == "error" and type(x).__module__ == "zlib":
            return "文件中的压缩数据已损坏"
        if kind in ("BadZipFile", "BadZipfile", "LargeZipFile"):
            return "文件的压缩结构已损坏或不完整（可能下载或复制时被截断）"
        if kind in ("XMLSyntaxError", "ParseError", "ExpatError"):
            return "文件中的 XML 内容已损坏"
        if kind.startswith("PDFSyntax") or kind in ("PSEOF", "PSSyntaxError", "PDFNoValidXRef"):
            return "PDF 文件的结构已损坏"
    return "文件内容异常或已损坏，本程序无法理解其中的内容"
