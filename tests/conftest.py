import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PUBLISHED = FIXTURES / "published"
sys.path.insert(0, str(ROOT))

# GUI tests run offscreen unless a display is explicitly requested
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIXTURE_NAMES = ["wuzhong-minzheng-2023", "pingqiao-minzheng-2024", "weihui-minzheng-2022"]


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch):
    """Settings, recent files and recovery copies of the program go to a temporary folder."""
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "userdata"))
    yield


@pytest.fixture
def fixture_path():
    return lambda name: FIXTURES / f"{name}.nianbao"


@pytest.fixture
def load_fixture():
    from app import project
    return lambda name: project.load(FIXTURES / f"{name}.nianbao")


@pytest.fixture
def win(qtbot):
    """The program's main window, shown (offscreen) and active; marked clean at teardown so closing asks nothing."""
    from ui.mainwindow import MainWindow
    w = MainWindow()  # not qtbot.addWidget: pytest-qt would close it before this fixture marks it clean
    w.resize(1300, 900)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    yield w
    if w.state is not None:
        w.state._text_dirty = False
        w.state.undo.setClean()
    w.close()
    w.deleteLater()
