"""The one place the program imports Qt (PySide6). Other ui modules do ``from .qt import QLabel, Qt, …``.

Keeping the binding behind one module makes a binding or version change a one-file job, and lets the core
stay Qt-free (a test checks that ``app`` never imports PySide6).

Names are looked up in QtCore, QtGui and QtWidgets when first imported from here (PEP 562 module
``__getattr__``) rather than by ``from PySide6.QtWidgets import *``: the star import makes PySide6 create every
class's enums up front, about 130 ms of CPU at every start. The ``Qt`` namespace too is looked up on first use:
its 94 enums cost ~15 ms, so what the window needs for its first frame is set by name through Qt's meta-object
(:func:`set_enum`) or given as the plain values below.
"""
import os as _os
import sys as _sys

_BEFORE = frozenset(_sys.modules)  # (what was imported before PySide6: the Qt-free core, the standard library)

from PySide6 import QtCore, QtGui, QtWidgets  # noqa: E402
from PySide6.QtCore import Signal, Slot, QCoreApplication, QTimer, QTranslator, QLocale  # noqa: F401, E402
from PySide6 import __version__ as PYSIDE_VERSION  # noqa: F401, E402


def _no_feature_scan() -> None:
    """PySide6 looks at the source of every module an import statement names after PySide6 was imported (the
    first time for each name), to see whether it selects a ``__feature__`` (snake_case, true_property): ~35 files
    read at start (typing.py, datetime.py, threading.py, … and ours), ~6 ms of CPU. Its answer is known here:
    a module imported before PySide6 selects none (selecting one imports PySide6), the Qt-free core never imports
    PySide6 (tests/test_structure.py), and ``ui`` uses PySide6 without features — so the answers are filled in
    as PySide6 itself would record them (-1: not a PySide6 user, 0: a user with no feature selected)."""
    feature = _sys.modules.get("PySide6.support.feature")
    known = getattr(feature, "pyside_feature_dict", None)
    if not isinstance(known, dict):  # (another PySide6: it scans as before)
        return
    here = _os.path.dirname(_os.path.abspath(__file__))
    for name in _BEFORE - {"__main__"}:  # (a script run as __main__ is left to PySide6's own look)
        known.setdefault(name, -1)  # (setdefault: an answer PySide6 already has stays)
    for name in _sys.stdlib_module_names:  # (the standard library selects none; imported later or not at all)
        known.setdefault(name, -1)
    for package, select in (("app", -1), ("ui", 0)):
        folder = _os.path.join(_os.path.dirname(here), package)
        known.setdefault(package, select)
        try:
            names = _os.listdir(folder)
        except OSError:
            continue
        for file in names:
            if file.endswith(".py") and file != "__init__.py":
                known.setdefault(f"{package}.{file[:-3]}", select)


_no_feature_scan()

_MODULES = (QtCore, QtGui, QtWidgets)

# Plain values of Qt enums the first frame uses (tests/test_ui_start_lean.py checks them against Qt's own). Item
# data roles are ints in PySide6's API; the text flags are for QPainter.drawText and QFontMetrics.boundingRect,
# which take an int.
TOOLTIP_ROLE = 3  # Qt.ToolTipRole
ACCESSIBLE_TEXT_ROLE = 11  # Qt.AccessibleTextRole
USER_ROLE = 0x0100  # Qt.UserRole
ALIGN_LEFT, ALIGN_RIGHT, ALIGN_TOP = 0x0001, 0x0002, 0x0020  # Qt.AlignLeft, Qt.AlignRight, Qt.AlignTop
TEXT_WORD_WRAP = 0x1000  # Qt.TextWordWrap


def set_enum(obj, prop: str, keys: str) -> None:
    """Set an enum or flags property by the names of its values, as Qt Designer files do:
    ``set_enum(splitter, "orientation", "Vertical")``, ``set_enum(label, "textInteractionFlags",
    "TextSelectableByMouse|TextSelectableByKeyboard")``. Qt's meta-object converts the names, so no Python enum
    is built. A name the property does not have is a ValueError (the property keeps its value)."""
    meta = obj.metaObject()
    i = meta.indexOfProperty(prop)
    if i < 0:
        raise ValueError(f"{type(obj).__name__} has no property {prop!r}")
    enum = meta.property(i).enumerator()
    value, ok = enum.keysToValue(keys) if enum.isFlag() else enum.keyToValue(keys)
    if not enum.isValid() or not ok or not obj.setProperty(prop, value):
        raise ValueError(f"{type(obj).__name__}.{prop} cannot be set to {keys!r}")


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """Translate a UI source string (English) through Qt's translation mechanism.

    ``pyside6-lupdate -tr-function-alias tr=tr`` extracts these calls (context ""), see
    resources/translations/README.md.
    """
    return QCoreApplication.translate("", text, disambiguation, n)


def set_shortcuts(action, *keys) -> None:
    """``action.setShortcuts`` for keys given as standard keys (``QKeySequence.Save``: its platform's first binding,
    as ``QKeySequence(QKeySequence.Save)``) or as text (``"Ctrl+E"``). (``setShortcut`` and ``QKeySequence(…)``
    weigh overloads that take a ``Qt.Key``, which builds the ``Qt`` namespace's enums; this path does not.)"""
    seqs = []
    for k in keys:
        if isinstance(k, str):
            seqs.append(QtGui.QKeySequence.fromString(k))
        else:
            seqs.extend(QtGui.QKeySequence.keyBindings(k)[:1])
    action.setShortcuts(seqs)


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
