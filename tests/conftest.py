import os
import re
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


_QUOTED = re.compile(r"“[^”]*”|「[^」]*」|《[^》]*》|\"[^\"]*\"|'[^']*'")
_WORD = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]+")


def is_chinese_message(msg: str) -> bool:
    """True when a message for the user is Chinese text. Quoted parts (file names, the user's own input) aside,
    the message starts with Chinese: of its first 12 words (each Chinese character one word, each run of Latin
    letters one word) at least two thirds are Chinese characters. Technical names inside a Chinese sentence
    (Word, document.xml) are fine; an English sentence with a Chinese name in it is not."""
    words = _WORD.findall(_QUOTED.sub("", msg or ""))[:12]
    han = [w for w in words if "\u4e00" <= w <= "\u9fff"]
    return len(han) >= 4 and 3 * len(han) >= 2 * len(words)


def close_clean(w) -> None:
    """Close a main window without the unsaved-changes question: marked clean first, since a modal dialog that
    nobody answers would hang the run (use in ``finally``/teardown, so a failed assertion cannot cause it)."""
    if w.state is not None:
        w.state._text_dirty = False
        w.state.undo.setClean()
    w.close()
