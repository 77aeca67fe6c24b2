"""Settings › Rule pack: the local rule pack (app/rulepacks.py) the window checks with, remembered between runs.

Choosing a pack validates it first (a bad pack is refused with the reason and the previous choice stays); its
rules then run in every check of the window — findings panel, check page, the export's question — beside the
format's. The choice is kept in the window settings (``rules/pack``, the file's path); a pack that cannot be read at
start-up is dropped with a note in the status bar, never with a dialog in the clerk's way.
"""
from __future__ import annotations

from app import rulepacks

from .qt import QAction, tr

SETTING = "rules/pack"


def install(window) -> None:
    """Add the Settings menu (before Help) and use the pack remembered in the settings, if any."""
    mb = window.menuBar()
    help_action = mb.actions()[-1] if mb.actions() else None
    menu = mb.addMenu(tr("&Settings")) if help_action is None else None
    if menu is None:
        from .qt import QMenu
        menu = QMenu(tr("&Settings"), mb)
        mb.insertMenu(help_action, menu)
    window.rulepack_menu = menu
    current = QAction(window)
    current.setEnabled(False)
    choose = QAction(window)
    choose.setText(tr("Choose a local &rule pack…"))
    choose.triggered.connect(lambda: choose_pack(window))
    clear = QAction(window)
    clear.setText(tr("&No rule pack"))
    clear.triggered.connect(lambda: use_pack(window, None))
    for a in (current, choose, clear):
        menu.addAction(a)
    window.rulepack_actions = {"current": current, "choose": choose, "clear": clear}
    restore(window)


def restore(window) -> None:
    s = window.settings()
    path = s.value(SETTING) if s is not None else None
    if not path:
        rulepacks.activate(None)  # the setting says which pack the window checks with: none
        _show(window)
        return
    try:
        pack = rulepacks.load_pack(str(path))
    except rulepacks.PackError as e:
        rulepacks.activate(None)
        _remember(window, None)
        window.statusBar().showMessage(tr("The rule pack was not used: %1").replace("%1", str(e)), 15000)
        _show(window)
        return
    rulepacks.activate(pack)
    _show(window)


def choose_pack(window) -> None:
    from .qt import QFileDialog
    path, _ = QFileDialog.getOpenFileName(window, tr("Choose a local rule pack"), "",
                                          tr("Rule packs (*.json)"))
    if path:
        load_and_use(window, path)


def load_and_use(window, path: str) -> bool:
    """Validate the pack at ``path`` and use it; on a bad pack say why and keep the previous choice."""
    try:
        pack = rulepacks.load_pack(path)
    except rulepacks.PackError as e:
        from .qt import QMessageBox
        box = QMessageBox(QMessageBox.Warning, tr("Rule pack"), str(e), QMessageBox.Ok, window)
        box.open()
        window.last_message_box = box
        return False
    use_pack(window, pack)
    return True


def use_pack(window, pack) -> None:
    rulepacks.activate(pack)
    _remember(window, pack)
    _show(window)
    state = getattr(window, "state", None)
    if state is not None:
        state.run_check()
    window.statusBar().showMessage(
        tr("Checking with the rule pack “%1”.").replace("%1", pack.name) if pack is not None
        else tr("Checking without a rule pack."), 8000)


def _remember(window, pack) -> None:
    s = window.settings()
    if s is None:
        return
    if pack is None:
        s.remove(SETTING)
    else:
        s.setValue(SETTING, pack.path)
    s.sync()


def _show(window) -> None:
    pack = rulepacks.active()
    acts = window.rulepack_actions
    acts["current"].setText(tr("Rule pack: %1").replace("%1", pack.name) if pack is not None
                            else tr("Rule pack: none"))
    acts["clear"].setEnabled(pack is not None)
