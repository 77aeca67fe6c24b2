"""The installer's pinned versions (installer/requirements.in and the hashed locks generated from it) satisfy the
project's own dependency ranges in pyproject.toml, so the frozen build never ships a version the project excludes
(e.g. PySide6 6.12.0, which aborts on Python 3.11, the build's Python)."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", line.strip())
        if m:
            pins[_norm(m.group(1))] = m.group(2)
    return pins


def _project_requirements() -> list[Requirement]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [Requirement(r) for r in data["project"]["dependencies"]]


@pytest.mark.parametrize("lock", ["requirements.in", "requirements-win.txt", "requirements-linux.txt"])
def test_every_runtime_dependency_is_pinned_within_the_project_range(lock):
    pins = _pins(INSTALLER / lock)
    for req in _project_requirements():
        name = _norm(req.name)
        assert name in pins, f"{lock}: {req.name} is not pinned"
        assert req.specifier.contains(pins[name], prereleases=True), \
            f"{lock}: {req.name}=={pins[name]} is outside pyproject's range {req.specifier}"


@pytest.mark.parametrize("lock", ["requirements-win.txt", "requirements-linux.txt"])
def test_locks_pin_the_same_versions_as_requirements_in_each_with_a_hash(lock):
    top = _pins(INSTALLER / "requirements.in")
    text = (INSTALLER / lock).read_text(encoding="utf-8")
    pins = _pins(INSTALLER / lock)
    for name, version in pins.items():
        assert top.get(name) == version, f"{lock}: {name}=={version} differs from requirements.in"
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
    for block in blocks:
        if re.match(r"^[A-Za-z0-9]", block):
            assert "--hash=sha256:" in block, f"{lock}: no hash for {block.splitlines()[0]}"
    # Qt binding and its shiboken move together
    assert pins["pyside6-essentials"] == pins["shiboken6"]
