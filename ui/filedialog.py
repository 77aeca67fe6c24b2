"""File dialogs, as ``QFileDialog.getOpenFileName``/``getSaveFileName`` return them (``(path, filter)``).

Where the platform has its own dialog (Windows, macOS, a desktop with a portal) that one is shown. Qt's own dialog
(Linux without a platform theme) is made wide enough to read: the name column takes the room and the size, type
and date columns are as wide as their contents, so a type name such as “Markdown 文档” is not cut to “Ma…文档”.
"""
from __future__ import annotations


def _dialog(parent, caption: str, folder: str, filters: str, save: bool):
    from .qt import QFileDialog
    d = QFileDialog(parent, caption, folder, filters)
    d.setAcceptMode(QFileDialog.AcceptSave if save else QFileDialog.AcceptOpen)
    d.setFileMode(QFileDialog.AnyFile if save else QFileDialog.ExistingFile)
    if save:
        d.setOption(QFileDialog.DontConfirmOverwrite, False)
    return d


def _readable(d) -> None:
    """Qt's own dialog only (the native one has no such widgets): columns sized to their contents, sidebar
    entries not cut, a size from the font."""
    from .qt import QHeaderView, QListView, QTreeView
    tree = d.findChild(QTreeView, "treeView")
    if tree is None:
        return
    h = tree.header()
    h.setStretchLastSection(False)
    h.setSectionResizeMode(0, QHeaderView.Stretch)
    for c in range(1, h.count()):
        h.setSectionResizeMode(c, QHeaderView.ResizeToContents)
    ch = d.fontMetrics().horizontalAdvance("国")
    side = d.findChild(QListView, "sidebar")
    if side is not None:
        side.setMinimumWidth(ch * 7)
    screen = d.screen()
    avail = screen.availableGeometry() if screen is not None else None
    w, hgt = ch * 60, d.fontMetrics().height() * 28
    if avail is not None:
        w, hgt = min(w, int(avail.width() * 0.9)), min(hgt, int(avail.height() * 0.9))
    d.resize(max(d.width(), w), max(d.height(), hgt))


def _run(d):
    from .qt import QFileDialog
    _readable(d)  # (nothing to do where the platform's own dialog is shown)
    if d.exec() != QFileDialog.Accepted:
        return "", ""
    files = d.selectedFiles()
    return (files[0] if files else ""), d.selectedNameFilter()


def get_open_file_name(parent, caption: str, folder: str, filters: str) -> tuple[str, str]:
    return _run(_dialog(parent, caption, folder, filters, save=False))


def get_save_file_name(parent, caption: str, path: str, filters: str) -> tuple[str, str]:
    return _run(_dialog(parent, caption, path, filters, save=True))
