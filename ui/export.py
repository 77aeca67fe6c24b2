"""Export buttons of the 检查与导出 page; they call ``app.export.export_report`` (Word, PDF, Excel)."""
from __future__ import annotations

from pathlib import Path

from app.export import FORMATS, ExportError, export_report

from app.textutil import join_sentences

from .qt import QApplication, QMessageBox, QPushButton, Qt, tr

LABELS = {".docx": lambda: tr("Export &Word…"), ".pdf": lambda: tr("Export &PDF…"),
          ".xlsx": lambda: tr("Export E&xcel…")}


def add_export_buttons(window, page) -> None:
    page.export_buttons = {}
    page.buttons.addStretch(1)
    for suffix in FORMATS:
        b = QPushButton(LABELS[suffix]() if suffix in LABELS else suffix)
        b.clicked.connect(lambda _=False, s=suffix: export_dialog(window, s))
        page.buttons.addWidget(b)
        page.export_buttons[suffix] = b


def confirm_errors(window) -> bool:
    """With errors left: the clerk confirms (the findings are listed on the page above the buttons)."""
    window.state.complete()
    e, w = window.state.counts()  # as the rules count them: what is not filled in is an error here
    if not e:
        return True
    _, _, t = window.state.screen_counts()
    parts = [tr("The report still has %1 errors (listed on this page).").replace("%1", str(e))]
    if t:
        parts.append(tr("Of these, %1 say that something is not filled in yet.").replace("%1", str(t)))
    parts.append(tr("A document with errors must not be signed off. Export anyway, e.g. as a draft for discussion?"))
    text = join_sentences(parts)
    box = QMessageBox(QMessageBox.Warning, tr("The report has errors"), text,
                      QMessageBox.Yes | QMessageBox.No, window)
    box.setDefaultButton(QMessageBox.No)
    return box.exec() == QMessageBox.Yes


def export_dialog(window, suffix: str) -> bool:
    if window.state is None:
        return False
    window.wizard.go("check")
    if not confirm_errors(window):
        return False
    r = window.state.report
    base = Path(window.state.path).with_suffix("") if window.state.path else Path(window._folder()) / (
        r.title() or tr("report"))
    from .filedialog import get_save_file_name
    path, _ = get_save_file_name(window, tr("Export"), str(base) + suffix, f"{FORMATS[suffix]} (*{suffix})")
    if not path:
        return False
    if not path.lower().endswith(suffix):
        path += suffix
        # the dialog asked about the name without the suffix: ask about the file that would be replaced
        if Path(path).exists() and not window.confirm_replace(path):
            return False
    from app.outputs import OutputRefused, check_output
    try:
        check_output(path, overwrite=True)  # never a file of another kind, a folder or a pipe
    except OutputRefused as e:
        window.show_error(tr("Export failed"), str(e))
        return False
    return export_to(window, path, force=True)


def export_to(window, path, force: bool = False) -> bool:
    """Write the document; on failure show the exporter's message (nothing is written)."""
    QApplication.setOverrideCursor(Qt.WaitCursor)
    try:
        out = export_report(window.state.report, path, force=force)
    except ExportError as e:
        QApplication.restoreOverrideCursor()
        window.show_error(tr("Export failed"), str(e))
        return False
    QApplication.restoreOverrideCursor()
    window.show_message(tr("Exported to %1").replace("%1", str(out)), 10000)
    exported(window, Path(out))
    return True


def exported(window, path: Path):
    """Says where the document went, with 打开文档 / 打开所在文件夹 (window-modal, not blocking the caller)."""
    box = QMessageBox(QMessageBox.Information, tr("Exported"),
                      tr("The document was written:\n%1").replace("%1", str(path)), QMessageBox.NoButton, window)
    open_doc = box.addButton(tr("&Open the document"), QMessageBox.ActionRole)
    open_dir = box.addButton(tr("Open the &folder"), QMessageBox.ActionRole)
    close = box.addButton(QMessageBox.Close)
    box.setDefaultButton(close)
    box.setEscapeButton(close)
    box.setAttribute(Qt.WA_DeleteOnClose)
    open_doc.clicked.connect(lambda: open_document(path))
    open_dir.clicked.connect(lambda: open_folder(path))
    box.open()
    window.last_message_box = box
    window.export_box = box
    return box


def open_document(path: Path) -> bool:
    """Open the document in the program the system has for it (Word, WPS, a PDF reader, Excel)."""
    from .qt import QDesktopServices, QUrl
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def open_folder(path: Path) -> bool:
    """Show the folder with the document selected (Windows Explorer), else open the folder."""
    import sys
    from .qt import QDesktopServices, QUrl
    if sys.platform == "win32":
        from .qt import QDir, QProcess
        ok = QProcess.startDetached("explorer.exe", ["/select,", QDir.toNativeSeparators(str(path))])
        return bool(ok[0] if isinstance(ok, tuple) else ok)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
