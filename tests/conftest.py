import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PUBLISHED = ROOT.parent / "shared" / "fixtures" / "published"
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
