"""The one place the program imports Qt (PySide6). Every other ui module does ``from .qt import *``.

Keeping the binding behind one module makes a binding or version change a one-file job, and lets the core
stay Qt-free (a test checks that ``app`` never imports PySide6).
"""
# ruff: noqa: F401,F403
from PySide6.QtCore import *
from PySide6.QtGui import *
from PySide6.QtWidgets import *
from PySide6.QtCore import Qt, Signal, Slot, QCoreApplication, QTimer, QTranslator, QLocale
from PySide6 import __version__ as PYSIDE_VERSION


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """Translate a UI source string (English) through Qt's translation mechanism.

    ``pyside6-lupdate -tr-function-alias tr=tr`` extracts these calls (context ""), see
    resources/translations/README.md.
    """
    return QCoreApplication.translate("", text, disambiguation, n)


def __getattr__(name):  # QtTest only when a test asks for it (keeps start-up lean)
    if name == "QTest":
        from PySide6.QtTest import QTest
        return QTest
    raise AttributeError(name)
