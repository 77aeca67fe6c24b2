"""reportlab's platypus, imported for the PDF export without compiling patterns the export never uses.

``reportlab.platypus.paragraph`` compiles, when it is imported, a case-insensitive URL pattern with character
ranges up to U+FFFF (``uri_pat``, used only to split long URLs in ``<a href>`` text), and
``reportlab.lib.textsplit`` one for its ``cjkwrap`` (``rx``, ``[\u2e80-\uffff]``; the export breaks lines itself).
Python's ``re`` spends 45–55 ms compiling the two — a tenth of a whole ``nianbao export -o X.pdf`` — on every
fresh process. While platypus is imported, those patterns (recognised by their text) are made
:class:`Deferred` patterns, compiled on first use, so nothing changes for code that does use them; every other
pattern compiles as usual.
"""
from __future__ import annotations

import re
import sys
import threading

# a piece of each such pattern's text that no other pattern of reportlab's has: the URL pattern, cjkwrap's
DEFERRED_MARKS = ("xn--[a-z0-9]{1,59}", "([\u2e80-\uffff])")
_lock = threading.Lock()


class Deferred:
    """A regular expression compiled the first time it is used."""

    __slots__ = ("_compile", "_args", "_pattern")

    def __init__(self, compile_, *args):
        self._compile = compile_
        self._args = args
        self._pattern = None

    def _get(self):
        if self._pattern is None:
            self._pattern = self._compile(*self._args)
        return self._pattern

    def __getattr__(self, name):
        return getattr(self._get(), name)

    def __repr__(self):
        return f"Deferred({self._args[0][:40]!r}…)"


def _lazy_pil_image() -> None:
    """``reportlab.lib.utils`` imports ``PIL.Image`` (for bitmaps) when it is imported; Pillow's Image module
    builds its EXIF tag enums on import (20–30 ms) and the report has no bitmaps. It is made a lazy module:
    loaded the first time anything uses it (``importlib.util.LazyLoader``), so nothing changes for code that
    draws images."""
    if "PIL.Image" in sys.modules:
        return
    import importlib.util
    try:
        import PIL
        spec = importlib.util.find_spec("PIL.Image")
    except ImportError:
        return
    if spec is None or spec.loader is None:
        return
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["PIL.Image"] = module
    loader.exec_module(module)
    PIL.Image = module


DEFLATE_LEVEL = 3  # PDF streams (page text, the font subsets): 5 % larger than zlib's default 6, half its time


class _Deflate:
    """``zlib`` as ``reportlab.pdfbase.pdfdoc`` sees it: ``compress`` at :data:`DEFLATE_LEVEL` unless a level is
    given (reportlab gives none); everything else is zlib's."""

    @staticmethod
    def compress(data, level=DEFLATE_LEVEL):
        import zlib
        return zlib.compress(data, level)

    def __getattr__(self, name):
        import zlib
        return getattr(zlib, name)


def _faster_deflate() -> None:
    """Compress the PDF's streams at :data:`DEFLATE_LEVEL`: deflating a report's ~430 KiB of streams (mostly the
    three font subsets) at zlib's default level took 10–20 ms of a fresh ``nianbao export -o X.pdf``; level 3
    takes half that for a file 5 % larger (197 → 207 KiB for the wuzhong report)."""
    from reportlab.pdfbase import pdfdoc
    if not isinstance(pdfdoc.zlib, _Deflate):
        pdfdoc.zlib = _Deflate()


def import_platypus():
    """``import reportlab.platypus``, with reportlab's URL pattern deferred and Pillow's Image module loaded
    only when used (see the module's text and :func:`_lazy_pil_image`)."""
    if "reportlab.lib.utils" not in sys.modules:
        with _lock:
            _lazy_pil_image()
    if "reportlab.platypus.paragraph" not in sys.modules:
        with _lock:
            if "reportlab.platypus.paragraph" not in sys.modules:
                real = re.compile

                def compile_(pattern, flags=0):
                    if isinstance(pattern, str) and any(mark in pattern for mark in DEFERRED_MARKS):
                        return Deferred(real, pattern, flags)
                    return real(pattern, flags)

                re.compile = compile_
                try:
                    import reportlab.platypus.paragraph
                finally:
                    re.compile = real
    import reportlab.platypus
    _faster_deflate()
    return reportlab.platypus
