import os
import re
import sys
from pathlib import Path

import pytest

from ci_skips import fail_on_skips, pytest_collectreport, pytest_runtest_logreport, pytest_terminal_summary  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PUBLISHED = FIXTURES / "published"
sys.path.insert(0, str(ROOT))

# GUI tests run offscreen unless a display is explicitly requested
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# the program's caches (reportlab font metrics) go to a folder of this run, never to the user's own cache folder;
# every process a test starts inherits it
if "NIANBAO_CACHE_DIR" not in os.environ:
    import tempfile
    os.environ["NIANBAO_CACHE_DIR"] = tempfile.mkdtemp(prefix="nianbao-test-cache-")
    _OWN_CACHE = os.environ["NIANBAO_CACHE_DIR"]
else:
    _OWN_CACHE = None

FIXTURE_NAMES = ["wuzhong-minzheng-2023", "pingqiao-minzheng-2024", "weihui-minzheng-2022"]

# How long a modal dialog may stay open before the test is deemed to have forgotten it (then it is closed and the
# test fails, instead of the run waiting forever for a click nobody makes).
MODAL_GRACE_S = float(os.environ.get("NIANBAO_TEST_MODAL_GRACE", "30"))


def pytest_sessionfinish(session, exitstatus):
    fail_on_skips(session)
    if _OWN_CACHE:
        import shutil
        shutil.rmtree(_OWN_CACHE, ignore_errors=True)


def pytest_sessionstart(session):
    """Every fixture file the suite reads lives in the repository: a missing one fails the run at once, by path."""
    needed = [FIXTURES / f"{n}.nianbao" for n in FIXTURE_NAMES] + [PUBLISHED / f"{n}.txt" for n in FIXTURE_NAMES]
    needed.append(FIXTURES / "FORMAT-spec.md")
    missing = [str(p) for p in needed if not p.is_file()]
    if missing:
        raise pytest.UsageError("缺少测试夹具（fixture）文件：" + "；".join(missing))


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch):
    """Settings, recent files and recovery copies of the program go to a temporary folder."""
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "userdata"))
    yield


def _fixture_file(name: str) -> Path:
    path = FIXTURES / f"{name}.nianbao"
    if not path.is_file():
        pytest.fail(f"missing fixture file: {path}")
    return path


@pytest.fixture
def fixture_path():
    return _fixture_file


@pytest.fixture(autouse=True)
def _no_forgotten_dialog(request):
    """A GUI test that leaves a modal dialog open (nothing answers it) fails after MODAL_GRACE_S instead of hanging."""
    if not {"qtbot", "qapp", "win"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("qapp")
    import time

    from ui.qt import QApplication, QTimer
    seen: dict = {}
    forgotten: list[str] = []

    def look():
        w = QApplication.activeModalWidget()
        if w is None:
            seen.clear()
            return
        first = seen.setdefault(id(w), time.monotonic())
        if time.monotonic() - first > MODAL_GRACE_S:
            text = getattr(w, "text", lambda: "")()
            forgotten.append(f"{type(w).__name__} “{w.windowTitle()}” {text}".strip())
            seen.pop(id(w), None)
            if hasattr(w, "reject"):
                w.reject()
            else:
                w.close()

    timer = QTimer()
    timer.setInterval(500)
    timer.timeout.connect(look)
    timer.start()
    yield
    timer.stop()
    if forgotten:
        pytest.fail("a modal dialog was left open by the test and had to be closed: " + "; ".join(forgotten))


@pytest.fixture
def load_fixture():
    from app import project
    return lambda name: project.load(_fixture_file(name))


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
    close_clean(w)
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


@pytest.fixture(autouse=True)
def _children_outside_mutmut_stats():
    """Under mutmut (tests/mutation.py) a Python started by a test inherits ``MUTANT_UNDER_TEST``. During mutmut's
    coverage pass its value is ``stats``, which makes the child record coverage with mutmut's configuration read from
    the child's working folder and fail; the child is kept out of that pass (mutmut keeps its own copy of the value in
    the process). With a mutant's name the child keeps it and runs the mutant, as the test's own process does."""
    if os.environ.get("MUTANT_UNDER_TEST") in ("stats", "list_all_tests", "mutant_generation"):
        os.environ.pop("MUTANT_UNDER_TEST")
    yield


@pytest.fixture(autouse=True)
def _fresh_caches_under_mutmut():
    """Under mutmut (tests/mutation.py) every test starts with the program's memoised results dropped (functools
    caches, the built narrative grammar): mutmut runs a mutant only against the tests that called its function in
    its coverage pass, and a cached function is called by the first test that needs it only — the rest would never
    be run against its mutants. Outside mutmut nothing is dropped."""
    if "mutmut" in sys.modules:
        for name, module in list(sys.modules.items()):
            if module is not None and (name == "app" or name.startswith("app.")):
                for value in list(vars(module).values()):
                    clear = getattr(value, "cache_clear", None)
                    if callable(clear):
                        clear()
        narrative = sys.modules.get("app.narrative")
        if narrative is not None:
            narrative._GRAMMARS.clear()
    yield
