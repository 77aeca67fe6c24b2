"""Opening a published report (Word, Excel, PDF, web page, text) from the window: read in the worker process
(``app.sandbox``: hard limits of time and memory) while the window keeps answering; a progress dialog appears
after half a second and its 取消 button stops the read at once. Project files are read here directly (their
loader is bounded and fast)."""
from __future__ import annotations

from pathlib import Path

from app import project
from app.documents import open_report

from .qt import tr


def read_report(parent, path) -> "object":
    """The report in ``path``; raises ``app.documents.OpenError`` (``sandbox.Cancelled`` when cancelled)."""
    path = Path(path)
    if path.suffix.lower() in (project.SUFFIX, ".json"):
        return open_report(path)
    from app import sandbox

    from .qt import QApplication, QProgressDialog, Qt  # (here, not for the window to come up: see ui/qt.py)
    dialog = QProgressDialog(tr("Reading “%1”…").replace("%1", path.name), tr("Cancel"), 0, 0, parent)
    dialog.setWindowTitle(tr("Opening a report"))
    dialog.setWindowModality(Qt.WindowModal)
    dialog.setMinimumDuration(500)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    try:
        return sandbox.read_report(path, cancelled=dialog.wasCanceled, tick=QApplication.processEvents)
    finally:
        dialog.close()
        dialog.deleteLater()
