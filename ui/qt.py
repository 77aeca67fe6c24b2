"""The one place the program imports Qt (PySide6). Other ui modules do ``from .qt import QLabel, Qt, …``.

Keeping the binding behind one module makes a binding or version change a one-file job, and lets the core
stay Qt-free (a test checks that ``app`` never imports PySide6).

Names are looked up in QtCore, QtGui and QtWidgets when first imported from here (PEP 562 module
``__getattr__``) rather than by ``from PySide6.QtWidgets import *``: the star import makes PySide6 create every
class's enums up front, about 130 ms of CPU at every start.
"""
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt, Signal, Slot, QCoreApplication, QTimer, QTranslator, QLocale  # noqa: F401
from PySide6 import __version__ as PYSIDE_VERSION  # noqa: F401

_MODULES = (QtCore, QtGui, QtWidgets)


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """Translate a UI source string (English) through Qt's translation mechanism.

    ``pyside6-lupdate -tr-function-alias tr=tr`` extracts these calls (context ""), see
    resources/translations/README.md.
    """
    return QCoreApplication.translate("", text, disambiguation, n)


def __getattr__(name):
    if name == "QTest":  # QtTest only when a test asks for it (keeps start-up lean)
        from PySide6.QtTest import QTest
        globals()[name] = QTest
        return QTest
    if name.startswith("__"):
        raise AttributeError(name)
    for mod in _MODULES:
        value = getattr(mod, name, None)
        if value is not None:
            globals()[name] = value
            return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
