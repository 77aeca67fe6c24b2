"""Start-up of the desktop program: ``run_gui(argv)`` (``nianbao``, ``nianbao FILE``, ``nianbao --demo``)."""
from __future__ import annotations

import gc
import sys

# Start-up makes many objects that live as long as the program (modules, classes, PySide6's enums, the window, the
# report) and next to no garbage, yet the cyclic collector would walk them some 40 times before the window is up
# (~5 ms of CPU). Until the window's first frame it runs only after many more allocations (reference counting frees
# the rest as always, and a process that never shows a window still collects); ``resume_gc`` puts the usual
# thresholds back.
_GC_USUAL = gc.get_threshold()
_GC_AT_START = (max(_GC_USUAL[0], 100_000),) + _GC_USUAL[1:]
gc.set_threshold(*_GC_AT_START)


def resume_gc() -> None:
    """The collector's usual thresholds again (unless they were changed meanwhile)."""
    if gc.get_threshold() == _GC_AT_START:
        gc.set_threshold(*_GC_USUAL)


from app import documents, outputs, project, rules, userdata  # noqa: F401, E402
from app.resources import resource  # noqa: E402

from .qt import QApplication, QLocale, QTranslator  # noqa: E402 (after the Qt-free core the window needs: PySide6
# reads the source of every module imported after it, looking for "PySide6" (shibokensupport.feature), ~4 ms)

_translators: list = []


class MnemonicFallback(QTranslator):
    """Qt's own strings whose source gained a mnemonic after Qt's translation was made (Qt 6 file dialog:
    "&Look in:", "Files of &type:") are looked up without the "&" and get it back the Chinese way (查找范围(&L)：).
    Installed first, so Qt asks it only for what no other translation has."""

    def __init__(self, base, parent=None):
        super().__init__(parent)
        self.base = base

    def isEmpty(self):
        return False

    def translate(self, context, source, disambiguation=None, n=-1):
        # None, not "": PySide6 makes "" a non-null empty string, which Qt takes as the translation of everything
        # no catalogue has (a string missing from nianbao_zh_CN.qm would be shown empty)
        if not source or "&" not in source or context.startswith("QT_") or not context.startswith("Q"):
            return None
        i = source.find("&")
        if i + 1 >= len(source) or source[i + 1] == "&":
            return None
        text = self.base.translate(context, source[:i] + source[i + 1:], disambiguation, n)
        if not text:
            return None
        mark = f"(&{source[i + 1].upper()})"
        if text[-1:] in "：:":
            return text[:-1] + mark + text[-1]
        return text + mark


class QtFixes(QTranslator):
    """A few of Qt's own strings whose Chinese in qtbase_zh_CN reads wrong to a clerk: the file dialog's size
    column is “体积” (volume) there, file kinds and sizes are left in English. Asked before Qt's catalogue."""

    ZH = {("QFileSystemModel", "Size"): "大小", ("QFileSystemModel", "%1 File"): "%1 文件",
          ("QFileSystemModel", "%1 bytes"): "%1 字节", ("QFileSystemModel", "File Folder"): "文件夹",
          ("QFileSystemModel", "Folder"): "文件夹"}

    def isEmpty(self):
        return False

    def translate(self, context, source, disambiguation=None, n=-1):
        return self.ZH.get((context, source))  # None: not ours, Qt asks the next catalogue


def install_translation(app, locale: str | None = None) -> str | None:
    """Load ``resources/translations/nianbao_<locale>.qm`` (default: Chinese; ``NIANBAO_LANG`` overrides).

    Returns the locale loaded, or None. Qt's own strings (standard buttons, file dialogs) come from the
    translations PySide6 ships (``qtbase_<locale>``, else the ``qt_<locale>`` catalogue), and dates and numbers
    in Qt's dialogs follow the same locale.
    """
    import os
    from .qt import QLibraryInfo
    locale = locale or os.environ.get("NIANBAO_LANG") or "zh_CN"
    for t in _translators:
        app.removeTranslator(t)
    _translators.clear()
    if locale in ("en", "C"):
        QLocale.setDefault(QLocale(QLocale.English, QLocale.UnitedStates))
        return None
    QLocale.setDefault(QLocale(locale))
    loaded = None
    path = QLibraryInfo.path(QLibraryInfo.TranslationsPath)
    for catalogue in ("qtbase", "qt"):
        qt_tr = QTranslator(app)
        if qt_tr.load(QLocale(locale), catalogue, "_", path):
            fallback = MnemonicFallback(qt_tr, app)
            fixes = [QtFixes(app)] if locale == "zh_CN" else []
            for t in [fallback, qt_tr] + fixes:
                app.installTranslator(t)
                _translators.append(t)
            break
    tr_ = QTranslator(app)
    if tr_.load(str(resource("translations", f"nianbao_{locale}.qm"))):
        app.installTranslator(tr_)
        _translators.append(tr_)
        loaded = locale
    return loaded


def application(argv=None):
    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "nianbao"] + list(argv or []))
        app.setApplicationName("nianbao")
        app.setOrganizationName("nianbao")
    install_translation(app)
    return app


def create_window(argv: list[str]):
    """The main window for the given arguments (FILE and/or --demo), shown; no event loop yet."""
    from .mainwindow import MainWindow
    win = MainWindow()
    files = [a for a in argv if not a.startswith("-")]
    if "--demo" in argv:
        win.open_path(resource("samples", "demo.nianbao"), untitled=True)
    elif files:
        win.open_path(files[0])
    if win.state is not None:
        win.when_drawn(resume_gc)
    else:
        from .qt import QTimer
        QTimer.singleShot(0, resume_gc)
    win.show()
    return win


def run_gui(argv: list[str]) -> int:
    import os
    app = application()
    win = create_window(list(argv))
    if os.environ.get("NIANBAO_QUIT_AFTER_START"):
        # Start-up probe for the frozen-build tests and benchmarks: quit once the event loop is idle with the
        # window shown, printing what a test needs to know that the real window came up.
        from .qt import QTimer

        def probe():
            from .qt import QLibraryInfo
            organ = win.state.report.meta.organ if win.state is not None else ""
            prefix = QLibraryInfo.path(QLibraryInfo.PrefixPath)
            print(f"nianbao: window shown organ={organ} visible={win.isVisible()} "
                  f"platform={app.platformName()} qt_prefix={prefix} | title={win.windowTitle()}", flush=True)
            if win.state is not None:
                win.state._text_dirty = False
            app.quit()
        QTimer.singleShot(0, probe)
    code = app.exec()
    win.shutdown()
    return code


if __name__ == "__main__":
    sys.exit(run_gui(sys.argv[1:]))


def show_fatal(message: str) -> None:
    """A message box for a problem that stops the program before its window (e.g. a broken installation), for a
    user who started it from a shortcut and sees no console."""
    from .qt import QMessageBox
    application()
    box = QMessageBox(QMessageBox.Critical, "年报助手", message, QMessageBox.Ok)
    box.exec()


def run_desk(folder, roster, roster_path) -> int:
    """``nianbao review DIR``: the reviewing office's desk (the command line's second way into the window)."""
    from .review import run_desk as run
    return run(folder, roster, roster_path)
