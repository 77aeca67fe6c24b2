"""PyInstaller run-time hook of nianbao, used instead of PyInstaller's ``pyi_rth_pyside6``.

The stock hook imports ``PySide6.QtCore`` at start-up (to register an embedded qt.conf), which costs about
150 ms on every start — also for ``nianbao check`` / ``export``, which never touch Qt. This hook sets the same
environment (plugin and QML paths, PATH on Windows) at once, and does the qt.conf step right after the program
itself first imports ``PySide6.QtCore`` (i.e. only when the GUI starts).
"""


def _nianbao_qt_rthook():
    import importlib.abc
    import os
    import sys

    if sys.platform.startswith("win"):
        qt_path = os.path.join(sys._MEIPASS, "PySide6")
        os.environ["PATH"] = sys._MEIPASS + os.pathsep + os.environ.get("PATH", "")
    else:
        qt_path = os.path.join(sys._MEIPASS, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt_path, "plugins")
    os.environ["QML2_IMPORT_PATH"] = os.path.join(qt_path, "qml")

    class AfterQtCore(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name != "PySide6.QtCore":
                return None
            sys.meta_path.remove(self)
            for finder in sys.meta_path:
                spec = finder.find_spec(name, path, target) if hasattr(finder, "find_spec") else None
                if spec is not None:
                    break
            else:
                return None
            loader = spec.loader
            exec_module = loader.exec_module

            def exec_then_register(module):
                exec_module(module)
                from _pyi_rth_utils import qt as qt_rth_utils
                qt_rth_utils.create_embedded_qt_conf("PySide6", qt_path)  # no-op when PySide6 did it itself

            loader.exec_module = exec_then_register
            return spec

    sys.meta_path.insert(0, AfterQtCore())


_nianbao_qt_rthook()
del _nianbao_qt_rthook
