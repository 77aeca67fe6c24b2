"""The built distributions are complete: the sdist rebuilds a wheel, and the wheel installed without ``-e`` into a
fresh virtual environment runs check, export (all three formats), import and the GUI, in Chinese, from a folder
that has nothing of the checkout beside it.

The venv sees the dependencies installed for the interpreter running the tests (its site-packages folders are
appended to the venv's path by a ``.pth`` file: PySide6 and friends are not downloaded again, and nothing is asked
of the base interpreter, which may have nothing installed), but ``nianbao`` itself is installed from the wheel into
the venv and the test asserts it runs from there."""
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, PUBLISHED, ROOT

pytestmark = pytest.mark.slow

IGNORE = shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis",
                                ".benchmarks", "*.bak")
DATA = ["formats/gov-2021.json", "formats/gov-2019.json", "samples/demo.nianbao", "translations/nianbao_zh_CN.qm",
        "fonts/nianbao-song.ttf", "fonts/nianbao-kai.ttf", "fonts/DroidSansFallbackFull.ttf"]


@pytest.fixture(scope="module")
def dists(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dist")
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=IGNORE)
    out = tmp / "out"
    r = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(src)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    sdist = next(out.glob("nianbao-*.tar.gz"))
    wheel = next(out.glob("nianbao-*.whl"))
    return sdist, wheel, tmp


def test_sdist_holds_data_tests_and_sources(dists):
    sdist, _, _ = dists
    with tarfile.open(sdist) as tf:
        names = {n.split("/", 1)[1] for n in tf.getnames() if "/" in n}
    for rel in [f"resources/{d}" for d in DATA] + [
            "templates/gov-2021.docx", "templates/build_template.py", "resources/translations/nianbao_zh_CN.ts",
            "tests/conftest.py", "tests/fixtures/FORMAT-spec.md", "tests/fixtures/published/weihui-minzheng-2022.txt",
            "tests/fixtures/wuzhong-minzheng-2023.nianbao", "docs/format.md", "installer/nianbao.spec",
            "README.md", "pyproject.toml", "app/cli.py", "ui/mainwindow.py"]:
        assert rel in names, rel


BUILD_INPUTS = {".py", ".ts"}  # scripts that build resources, and the .ts the .qm is compiled from


def test_wheel_holds_the_package_data(dists):
    _, wheel, _ = dists
    names = set(zipfile.ZipFile(wheel).namelist())
    for d in DATA:
        assert f"app/data/{d}" in names, d
    shipped = [p.relative_to(ROOT / "resources").as_posix() for p in (ROOT / "resources").rglob("*")
               if p.is_file() and p.suffix not in BUILD_INPUTS and "__pycache__" not in p.parts]
    missing = [s for s in shipped if f"app/data/{s}" not in names]
    assert not missing, f"files of resources/ missing from the wheel: {missing}"
    assert "app/templates/gov-2021.docx" in names
    assert not [n for n in names if n.startswith(("tests/", "resources/", "templates/"))]


def dependency_folders() -> list[str]:
    """The site-packages folders the interpreter running the tests imports its dependencies from."""
    return [p for p in sys.path if p and Path(p).name in ("site-packages", "dist-packages")]


@pytest.fixture(scope="module")
def installed(dists):
    _, wheel, tmp = dists
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    py = bindir / "python"
    own = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         capture_output=True, text=True, timeout=60, check=True).stdout.strip()
    # plain folder lines (no ``import``): the .pth files of those folders, such as the editable install of the
    # checkout, are not run, so ``app`` can only come from the wheel
    Path(own, "test-dependencies.pth").write_text("\n".join(dependency_folders()) + "\n", encoding="utf-8")
    r = subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--ignore-installed",
                        str(wheel)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    work = tmp / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NIANBAO_ROOT", "NIANBAO_LANG")}
    env["NIANBAO_DATA_DIR"] = str(tmp / "userdata")
    env["PATH"] = str(bindir) + os.pathsep + env.get("PATH", "")

    def run(*args, extra=None):
        return subprocess.run([str(bindir / "nianbao"), *map(str, args)], cwd=work, env={**env, **(extra or {})},
                              capture_output=True, text=True, encoding="utf-8", timeout=300)
    return py, work, env, run


def test_the_installed_package_is_the_wheel_not_the_checkout(installed):
    py, work, env, _ = installed
    r = subprocess.run([str(py), "-c", "import sys, app, ui, app.resources as R; print(app.__file__); "
                                       "print(R.resource('formats', 'gov-2021.json')); print(app.__version__); "
                                       "print('importlib.metadata' in sys.modules)"],
                       cwd=work, env=env, capture_output=True, text=True, timeout=60)
    app_file, data_file, version, metadata_imported = r.stdout.split()
    venv = str(py.parent.parent)
    assert app_file.startswith(venv) and data_file.startswith(venv), r.stdout
    assert Path(data_file).is_file() and version != "0+unknown"
    # the version is read from the wheel's dist-info METADATA file, without importlib.metadata's ~10 ms of imports
    import tomllib
    assert version == tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert metadata_imported == "False"


def test_installed_check_export_import_from_another_folder(installed):
    _, work, _, run = installed
    report = work / "wz.nianbao"
    shutil.copy(FIXTURES / "wuzhong-minzheng-2023.nianbao", report)
    r = run("check", report)
    assert r.returncode == 0 and "吴忠市民政局" in r.stdout, r.stdout + r.stderr
    for suffix in ("docx", "pdf", "xlsx"):
        out = work / f"wz.{suffix}"
        r = run("export", report, "-o", out)
        assert r.returncode == 0 and out.stat().st_size > 1000, (suffix, r.stdout + r.stderr)
    import docx
    assert any("吴忠市民政局" in p.text for p in docx.Document(str(work / "wz.docx")).paragraphs)
    r = run("import", PUBLISHED / "weihui-minzheng-2022.txt", "-o", work / "wh.nianbao")
    assert r.returncode in (0, 1) and (work / "wh.nianbao").is_file() and r.stdout.startswith("已写入"), r.stderr
    r = run("check", work / "wz.docx")
    assert r.returncode == 0, r.stdout + r.stderr


def test_installed_gui_starts_in_chinese(installed):
    _, _, _, run = installed
    r = run("--demo", extra={"QT_QPA_PLATFORM": "offscreen", "NIANBAO_QUIT_AFTER_START": "1"})
    assert r.returncode == 0, r.stderr
    line = next(ln for ln in r.stdout.splitlines() if ln.startswith("nianbao: window shown"))
    assert "organ=示例市民政局" in line and line.endswith("年报助手"), line
