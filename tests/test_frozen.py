"""The frozen program (installer/nianbao.spec, built by installer/build_linux.sh) runs with no network.

The Linux build is made once per test session into a temporary folder (≈1 minute), then every command runs
inside a fresh network namespace (``unshare -n``: only a loopback interface, no route anywhere), with PATH
reduced to /usr/bin:/bin, no PYTHONPATH and the current folder outside the checkout — so whatever the program
needs at run time must be inside the bundle. Missing data files (format data, templates, fonts, python-docx's
default template, reportlab's data, Qt plugins) show up here as failed commands or outputs that differ from the
same command run from source.

The NSIS installer script is compiled with Debian's makensis against a stand-in folder with the Windows layout
(and, in the slow part, against the real frozen folder), so syntax errors and missing files are caught here.

Set NIANBAO_FROZEN_DIR=/path/to/dist/nianbao to reuse an existing build while working on these tests.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
from conftest import FIXTURE_NAMES, FIXTURES, PUBLISHED, ROOT

INSTALLER = ROOT / "installer"
# the project fixtures by name (conftest.FIXTURE_NAMES): a missing file fails the test that uses it, with its
# path — the parametrisation never shrinks because a folder is missing or empty
FIXTURE_FILES = [FIXTURES / f"{name}.nianbao" for name in FIXTURE_NAMES]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
# the one-folder program must stay at most this big (files, not symlinks)
SIZE_LIMIT_MIB = 150

# the spec's rules for which files of resources/ and templates/ are bundled
SKIP_DIRS = {"__pycache__", ".pytest_cache"}
SKIP_SUFFIXES = {".pyc", ".pyo", ".bak", ".tmp", ".py"}


def bundled_data_files():
    for top in ("resources", "templates"):
        for dirpath, dirnames, filenames in os.walk(ROOT / top):
            dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".")]
            for fn in filenames:
                p = Path(dirpath) / fn
                if p.suffix.lower() not in SKIP_SUFFIXES and not fn.startswith("."):
                    yield p.relative_to(ROOT)


# ---------------------------------------------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def frozen_build(tmp_path_factory) -> tuple[Path, str | None]:
    """(the frozen folder, the build's output) — the output is None for a prebuilt NIANBAO_FROZEN_DIR.

    The build runs with the interpreter of this test run (PYTHON=sys.executable): its packages are what gets
    bundled and compared with the same commands from source. A ``python3`` first on PATH that refuses to run
    makes any use of "whatever python3 is on PATH" fail the build."""
    prebuilt = os.environ.get("NIANBAO_FROZEN_DIR")
    if prebuilt:
        return Path(prebuilt), None
    out = tmp_path_factory.mktemp("frozen")
    decoy = out / "decoy-bin"
    decoy.mkdir()
    for name in ("python3", "python"):
        (decoy / name).write_text("#!/bin/sh\necho 'the build used python3 from PATH' >&2\nexit 97\n")
        (decoy / name).chmod(0o755)
    env = {**os.environ, "PYTHON": sys.executable, "PATH": f"{decoy}{os.pathsep}{os.environ.get('PATH', '')}"}
    r = subprocess.run(["bash", str(INSTALLER / "build_linux.sh"), "--dist", str(out / "dist"),
                        "--work", str(out / "work")], capture_output=True, text=True, timeout=1500, env=env)
    assert r.returncode == 0, f"frozen build failed:\n{r.stdout[-3000:]}\n{r.stderr[-6000:]}"
    shutil.rmtree(out / "work", ignore_errors=True)
    return out / "dist" / "nianbao", r.stdout + r.stderr


@pytest.fixture(scope="session")
def frozen_dir(frozen_build) -> Path:
    return frozen_build[0]


@pytest.fixture(scope="session")
def exe(frozen_dir) -> Path:
    path = frozen_dir / "nianbao"
    assert path.is_file() and os.access(path, os.X_OK)
    return path


@pytest.fixture(scope="session")
def netns_prefix() -> list[str]:
    """The command prefix that runs a program in a new network namespace without any network."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) is not installed: cannot run the frozen program without network")
    errors = []
    for prefix in (["unshare", "-n", "--"], ["unshare", "-r", "-n", "--"]):  # as root; else a user namespace
        r = subprocess.run([*prefix, "true"], capture_output=True, text=True)
        if r.returncode == 0:
            return prefix
        errors.append(f"{' '.join(prefix)}: {r.stderr.strip()}")
    pytest.skip("cannot create a network namespace (needs root or unprivileged user namespaces): "
                + "; ".join(errors))


@pytest.fixture
def offline(netns_prefix, tmp_path):
    """run(args…) -> CompletedProcess: a command in a network namespace with a minimal environment."""
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
           "NIANBAO_DATA_DIR": str(tmp_path / "userdata"), "QT_QPA_PLATFORM": "offscreen",
           "XDG_RUNTIME_DIR": str(home)}

    def run(*args, extra_env=None, timeout=180):
        return subprocess.run([*netns_prefix, *map(str, args)], capture_output=True, text=True, cwd=tmp_path,
                              env={**env, **(extra_env or {})}, timeout=timeout)
    return run


def from_source(*args, cwd=None):
    """The same command run from the checkout (python -m app.cli), for comparison."""
    env = {k: v for k, v in os.environ.items() if k != "NIANBAO_ROOT"}
    return subprocess.run([sys.executable, "-m", "app.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)}, timeout=180)


def without_paths(doc: dict) -> dict:
    for r in doc["reports"]:
        r.pop("path", None)
    return doc


# ---------------------------------------------------------------------------------------------------------------
# the namespace really has no network
# ---------------------------------------------------------------------------------------------------------------

def test_network_namespace_has_only_loopback_and_no_route(offline):
    dev = offline("cat", "/proc/net/dev")
    assert dev.returncode == 0, dev.stderr
    interfaces = [line.split(":")[0].strip() for line in dev.stdout.splitlines()[2:] if ":" in line]
    assert interfaces == ["lo"]
    routes = offline("cat", "/proc/net/route")
    assert routes.stdout.strip().splitlines()[1:] == []      # header only: no IPv4 route at all
    route6 = offline("cat", "/proc/net/ipv6_route")
    assert all(line.split()[-1] == "lo" for line in route6.stdout.strip().splitlines())


# ---------------------------------------------------------------------------------------------------------------
# the bundle
# ---------------------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_bundle_holds_every_data_file_byte_for_byte(frozen_dir):
    internal = frozen_dir / "_internal"
    files = list(bundled_data_files())
    assert any(f.parts[:2] == ("resources", "formats") for f in files)
    missing = [str(f) for f in files if not (internal / f).is_file()]
    assert missing == []
    differ = [str(f) for f in files if (internal / f).read_bytes() != (ROOT / f).read_bytes()]
    assert differ == []
    # libraries' own data files
    assert (internal / "docx" / "templates" / "default.docx").is_file()       # python-docx Document()
    assert list((internal / "reportlab" / "fonts").glob("*.ttf"))              # reportlab's standard fonts
    # the program's own metadata (importlib.metadata.version("nianbao")): pyproject's version, nothing else
    infos = sorted(p.name for p in internal.glob("nianbao-*.dist-info"))
    assert infos == [f"nianbao-{VERSION}.dist-info"]
    assert f"\nVersion: {VERSION}\n" in (internal / infos[0] / "METADATA").read_text(encoding="utf-8")


@pytest.mark.slow
def test_bundle_has_the_qt_plugins_and_translations_it_needs_and_not_the_unused_modules(frozen_dir):
    qt = frozen_dir / "_internal" / "PySide6" / "Qt"
    platforms = sorted(p.name for p in (qt / "plugins" / "platforms").iterdir())
    for needed in ("libqoffscreen.so", "libqxcb.so", "libqwayland.so"):
        assert needed in platforms
    assert not any(n in " ".join(platforms) for n in ("qvnc", "qlinuxfb", "qeglfs"))
    plugins = {str(p.relative_to(qt / "plugins")) for p in (qt / "plugins").rglob("*.so")}
    for needed in ("iconengines/libqsvgicon.so", "imageformats/libqsvg.so",       # icon themes of file dialogs
                   "platforminputcontexts/libibusplatforminputcontextplugin.so",  # Chinese input methods
                   "platforminputcontexts/libcomposeplatforminputcontextplugin.so",
                   "wayland-shell-integration/libxdg-shell.so"):
        assert needed in plugins, needed
    assert sorted(p for p in plugins if p.startswith("imageformats/")) == ["imageformats/libqsvg.so"]
    assert not [p for p in plugins if p.startswith(("xcbglintegrations/", "egldeviceintegrations/"))]
    # Qt's own Chinese catalogs, which the program loads, and nothing in other languages
    translations = sorted(p.name for p in (qt / "translations").iterdir())
    assert {"qt_zh_CN.qm", "qtbase_zh_CN.qm"} <= set(translations)
    assert all(n.endswith(("_zh_CN.qm", "_en.qm")) and not n.startswith("qt_help") for n in translations)
    names = [p.name for p in (frozen_dir / "_internal").rglob("*")]
    for unused in ("WebEngine", "Qt6Qml", "Qt6Quick", "Qt63D", "Qt6Network", "Qt6Multimedia", "QtNetwork.",
                   "QtQml.", "libqgtk3", "qtuiotouch", "libQt6OpenGLWidgets",
                   "libssl", "libcrypto.so", "_ssl.", "_hashlib.", "libavif", "libwebp", "_imagingtk",
                   "objectify.", "pypdfium2", ".pfb", ".sfd"):
        assert not [n for n in names if unused in n], unused


def _folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.mark.slow
def test_bundle_is_within_the_size_limit(frozen_dir):
    """The one-folder program ships only what it loads, stripped — at most SIZE_LIMIT_MIB."""
    size = _folder_size(frozen_dir) / 2**20
    parts = sorted(((_folder_size(p) if p.is_dir() else p.stat().st_size) / 2**20, p.name)
                   for p in (frozen_dir / "_internal").iterdir() if not p.is_symlink())[::-1][:8]
    assert size <= SIZE_LIMIT_MIB, f"{size:.1f} MiB > {SIZE_LIMIT_MIB} MiB; biggest: " + \
        ", ".join(f"{name} {mib:.1f}" for mib, name in parts)


def _elf_section_names(path: Path) -> list[str] | None:
    """The section names of a 64-bit little-endian ELF file (None if it is not one)."""
    import struct
    data = path.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return None
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    headers = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    strtab = headers[shstrndx][4]
    return [data[strtab + h[0]:data.index(b"\0", strtab + h[0])].decode() for h in headers]


@pytest.mark.slow
def test_bundle_libraries_are_stripped_and_carry_no_debug_information(frozen_dir):
    libraries = [p for p in (frozen_dir / "_internal").rglob("*.so*") if p.is_file() and not p.is_symlink()]
    assert len(libraries) > 50
    unstripped = {}
    for lib in libraries:
        sections = _elf_section_names(lib)
        assert sections is not None, lib
        # DWARF sections and the full symbol table; strip keeps .gnu_debuglink (the name of a separate debug
        # file, which is not shipped) and .gnu_debugdata (a wheel's under-1-KiB MiniDebugInfo for backtraces)
        extra = [s for s in sections if s.startswith((".debug", ".zdebug")) or s == ".symtab"]
        if extra:
            unstripped[str(lib.relative_to(frozen_dir))] = extra
    assert unstripped == {}
    debug_files = [p.name for p in frozen_dir.rglob("*") if p.suffix in (".debug", ".pdb", ".dwo", ".a")]
    assert debug_files == []


# Qt's calls into ICU (readelf --dyn-syms of libQt6Core: ucnv_*, ucol_*, ucal_*, u_strTo*), asked in the
# languages the program speaks and one it does not (German: the trimmed data falls back to the root collation,
# which orders these words as German does)
ICU_PROBE = r"""
import json
from PySide6.QtCore import QCollator, QLocale, QStringConverter, QStringDecoder, QStringEncoder, QTimeZone
out = {}
words = ["中国", "北京", "阿拉善", "政府", "信息", "公开", "年度", "报告", "长沙", "重庆", "Zebra", "apple", "Äpfel",
         "10", "9"]
for loc in ("zh_CN", "zh_TW", "en_US", "C", "de_DE"):
    c = QCollator(QLocale(loc))
    out["sort " + loc] = sorted(words, key=c.sortKey)
    c.setNumericMode(True)
    out["numeric " + loc] = sorted(["文件10", "文件9", "文件1"], key=c.sortKey)
out["codecs"] = sorted(QStringConverter.availableCodecs())
for enc in ("GBK", "GB18030", "Big5", "Shift_JIS", "EUC-KR", "windows-1252", "ISO-8859-5"):
    out["codec " + enc] = [QStringDecoder(enc).isValid(), QStringEncoder(enc).isValid(), QStringDecoder(enc).name()]
for loc in ("zh_CN", "en_US"):
    out["upper " + loc] = QLocale(loc).toUpper("straße ı i ǆ")
    tz = QTimeZone(b"Asia/Shanghai")
    out["tz " + loc] = [tz.displayName(QTimeZone.StandardTime, n, QLocale(loc))
                        for n in (QTimeZone.LongName, QTimeZone.ShortName)]
out["icudata"] = sorted({line.split()[-1] for line in open("/proc/self/maps") if "libicudata" in line})
print(json.dumps(out, ensure_ascii=False, sort_keys=True))
"""


def _icu_probe(preload: Path | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    if preload is not None:
        env["LD_PRELOAD"] = str(preload)       # same soname: Qt's ICU then reads this library's data
    r = subprocess.run([sys.executable, "-c", ICU_PROBE], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def _assert_answers_like_the_full_data(trimmed: Path):
    full, small = _icu_probe(None), _icu_probe(trimmed)
    assert small.pop("icudata") == [str(trimmed)]            # the probe really ran on the trimmed data
    assert full.pop("icudata") != [str(trimmed)]
    assert small == full
    assert full["sort zh_CN"][2:5] == ["阿拉善", "报告", "北京"]   # pinyin order: the Chinese collation is there
    assert full["tz zh_CN"][0] == "中国标准时间" and len(full["codecs"]) > 100


def _installed_icudata() -> Path:
    import PySide6
    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    if not found:
        pytest.skip("this PySide6 has no libicudata (Qt built without ICU)")
    return found[0]


def test_trimmed_icu_data_answers_what_qt_asks_like_the_full_data(tmp_path):
    """installer/trim_icu.py on the installed PySide6's ICU data: Qt's collation, converters, time-zone names
    and case mapping answer exactly as with the full data, in Chinese, English and a fallback language."""
    sys.path.insert(0, str(INSTALLER))
    try:
        import trim_icu
    finally:
        sys.path.remove(str(INSTALLER))
    if trim_icu.tools() is None:
        pytest.skip("icupkg (Debian: icu-devtools) or a C compiler is missing")
    lib = _installed_icudata()
    trimmed = trim_icu.trim(lib, tmp_path)
    assert trimmed.stat().st_size < lib.stat().st_size / 2
    _assert_answers_like_the_full_data(trimmed)


@pytest.mark.slow
def test_bundle_has_the_trimmed_icu_data_and_it_answers_like_the_full_data(frozen_dir):
    lib = _installed_icudata()
    bundled = frozen_dir / "_internal" / "PySide6" / "Qt" / "lib" / lib.name
    assert bundled.is_file()
    assert bundled.stat().st_size < lib.stat().st_size / 2, "the build did not trim ICU's data (see its warning)"
    _assert_answers_like_the_full_data(bundled)


@pytest.mark.slow
def test_bundled_qt_libraries_link_only_to_bundled_qt(frozen_dir):
    from PyInstaller.depend import bindepend
    internal = frozen_dir / "_internal"
    bundled = {p.name for p in internal.rglob("*.so*")}
    unresolved = {}
    for lib in internal.rglob("*.so*"):
        if not lib.is_file() or "PySide6" not in lib.parts:
            continue
        for name, _path in bindepend.get_imports(str(lib)):
            if name.startswith(("libQt6", "libicu", "libpyside6", "libshiboken6")) and name not in bundled:
                unresolved.setdefault(name, []).append(lib.name)
    assert unresolved == {}


# ---------------------------------------------------------------------------------------------------------------
# check, offline
# ---------------------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_frozen_build_uses_the_interpreter_of_the_test_run(frozen_build):
    _dist, log = frozen_build
    if log is None:
        pytest.skip("NIANBAO_FROZEN_DIR: a prebuilt folder, no build output to read")
    used = [line.split(":", 1)[1].strip() for line in log.splitlines() if line.startswith("python:")]
    assert used and os.path.realpath(used[0]) == os.path.realpath(sys.executable), log[-2000:]
    assert "python3 from PATH" not in log


@pytest.mark.slow
def test_frozen_version_and_help_offline(offline, exe):
    r = offline(exe, "--version")
    assert r.returncode == 0 and r.stdout.strip() == f"nianbao {VERSION}"
    h = offline(exe, "--help")
    assert h.returncode == 0 and "\n  check " in h.stdout


@pytest.mark.slow
@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda p: p.stem)
def test_frozen_check_offline_matches_source(offline, exe, fixture):
    assert fixture.is_file(), f"missing fixture: {fixture}"
    frozen = offline(exe, "check", "--json", fixture)
    source = from_source("check", "--json", fixture)
    assert frozen.returncode == source.returncode, frozen.stderr
    assert frozen.returncode in (0, 1)
    doc = json.loads(frozen.stdout)
    assert doc["reports"][0]["meta"]["organ"]
    assert sum(v is not None for v in doc["reports"][0]["values"].values()) > 20
    assert without_paths(doc) == without_paths(json.loads(source.stdout))
    text = offline(exe, "check", fixture)
    assert text.returncode == frozen.returncode
    assert doc["reports"][0]["meta"]["organ"] in text.stdout        # Chinese output survives the bundle


@pytest.mark.slow
def test_frozen_check_offline_finds_a_planted_error(offline, exe, tmp_path):
    from app.formats import load_format
    from app.rules import formulas
    data = json.loads(FIXTURE_FILES[0].read_text(encoding="utf-8"))
    totals = formulas(load_format(data["format"]))              # computed cell -> the cells it adds up
    cell = sorted(c for c in totals if isinstance(data["values"].get(c), int))[0]
    data["values"][cell] += 7                                   # a total that no longer adds up
    folder = tmp_path / "我的 报告"                              # Chinese and a space in the path
    folder.mkdir()
    bad = folder / "计划 错误.nianbao"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    frozen = offline(exe, "check", "--json", bad)
    source = from_source("check", "--json", bad)
    assert frozen.returncode == source.returncode == 1
    findings = json.loads(frozen.stdout)["reports"][0]["findings"]
    assert any(f["severity"] == "error" and cell in f["cells"] for f in findings)
    assert without_paths(json.loads(frozen.stdout)) == without_paths(json.loads(source.stdout))


@pytest.mark.slow
def test_frozen_check_offline_refuses_an_unreadable_file(offline, exe, tmp_path):
    bad = tmp_path / "broken.nianbao"
    bad.write_bytes(b"\x00not json{")
    r = offline(exe, "check", bad)
    assert r.returncode == 2
    assert "无法读取" in r.stdout + r.stderr
    assert "Traceback" not in r.stdout + r.stderr


# ---------------------------------------------------------------------------------------------------------------
# export, offline: the outputs are read back and compared with the same export made from source
# ---------------------------------------------------------------------------------------------------------------

def _docx_text(path):
    import docx
    d = docx.Document(str(path))
    paras = [p.text for p in d.paragraphs]
    cells = [[c.text for c in row.cells] for t in d.tables for row in t.rows]
    return paras, cells


def _pdf_text(path):
    from pypdf import PdfReader
    reader = PdfReader(str(path))
    return [page.extract_text() for page in reader.pages]


def _pdf_fonts(path):
    from pypdf import PdfReader
    fonts = set()
    for page in PdfReader(str(path)).pages:
        for f in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            f = f.get_object()
            desc = f.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in f:
                desc = f["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            embedded = desc is not None and any(k in desc.get_object() for k in ("/FontFile", "/FontFile2",
                                                                                   "/FontFile3"))
            fonts.add((str(f.get("/BaseFont")), embedded))
    return fonts


def _xlsx_values(path):
    import openpyxl
    wb = openpyxl.load_workbook(str(path))
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


READERS = {".docx": _docx_text, ".pdf": _pdf_text, ".xlsx": _xlsx_values}


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".xlsx"])
def test_frozen_export_offline_matches_source(offline, exe, tmp_path, suffix):
    # both sides must know the subcommand (an unknown first word would start the GUI instead)
    assert "\n  export " in offline(exe, "--help").stdout, "export is missing from the frozen program"
    assert "\n  export " in from_source("--help").stdout
    fixture = FIXTURE_FILES[0]
    out = tmp_path / f"frozen{suffix}"
    r = offline(exe, "export", fixture, "-o", out, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert out.is_file() and out.stat().st_size > 1000
    ref = tmp_path / f"source{suffix}"
    s = from_source("export", fixture, "-o", ref)
    assert s.returncode == 0, s.stderr
    content = READERS[suffix](out)
    assert content == READERS[suffix](ref)
    organ = json.loads(fixture.read_text(encoding="utf-8"))["meta"]["organ"]
    flat = json.dumps(content, ensure_ascii=False, default=str)
    assert organ in flat.replace("\\n", "").replace(" ", "")
    if suffix == ".docx":
        paras, cells = content
        assert len(cells) > 20                           # the three statistical tables are there
    if suffix == ".pdf":
        fonts = _pdf_fonts(out)
        assert fonts and all(embedded for _name, embedded in fonts), fonts
        assert fonts == _pdf_fonts(ref)                  # same fonts found frozen as from source


# ---------------------------------------------------------------------------------------------------------------
# import, offline: the bundled importers read published reports and the program's own exports as from source
# ---------------------------------------------------------------------------------------------------------------

def _published_reports() -> list[Path]:
    """The published reports in tests/fixtures/published: the text of every FIXTURE_NAMES report (named, so a
    missing folder or file fails with its path instead of the parametrisation shrinking) and every other file
    there of a kind the program imports (DOCX, XLSX, HTML, PDF … as fixtures are added)."""
    from app.documents import supported_suffixes
    named = [PUBLISHED / f"{name}.txt" for name in FIXTURE_NAMES]
    others = sorted(p for p in PUBLISHED.glob("*") if p.suffix.lower() in supported_suffixes()
                    and p.suffix.lower() not in (".nianbao", ".json", ".md") and p not in named) \
        if PUBLISHED.is_dir() else []
    return named + others


PUBLISHED_REPORTS = _published_reports()


def _import_both(offline, exe, src: Path, tmp_path: Path):
    out_f, out_s = tmp_path / "frozen-import.nianbao", tmp_path / "source-import.nianbao"
    f = offline(exe, "import", src, "-o", out_f)
    s = from_source("import", src, "-o", out_s)
    assert f.returncode == s.returncode and f.returncode in (0, 1), f.stdout + f.stderr + s.stderr
    frozen = without_paths(json.loads(offline(exe, "check", "--json", out_f).stdout))
    source = without_paths(json.loads(from_source("check", "--json", out_s).stdout))
    assert frozen == source
    return frozen["reports"][0]


@pytest.mark.slow
@pytest.mark.parametrize("published", PUBLISHED_REPORTS, ids=lambda p: p.name)
def test_frozen_import_of_published_reports_offline_matches_source(offline, exe, tmp_path, published):
    assert published.is_file(), f"missing fixture: {published}"
    assert "\n  import " in offline(exe, "--help").stdout, "import is missing from the frozen program"
    report = _import_both(offline, exe, published, tmp_path)
    assert report["meta"]["organ"] and sum(v is not None for v in report["values"].values()) > 20


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_frozen_export_then_import_round_trip_offline(offline, exe, tmp_path, suffix):
    assert suffix in _import_suffixes()
    fixture = FIXTURE_FILES[0]
    exported = tmp_path / f"exported{suffix}"
    assert offline(exe, "export", fixture, "-o", exported).returncode == 0
    report = _import_both(offline, exe, exported, tmp_path)
    original = json.loads(from_source("check", "--json", fixture).stdout)["reports"][0]
    assert report["values"] == original["values"]


def _import_suffixes():
    from app.documents import supported_suffixes
    return supported_suffixes()


# ---------------------------------------------------------------------------------------------------------------
# GUI start-up, offline
# ---------------------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_frozen_gui_starts_offscreen_offline(offline, exe):
    r = offline(exe, "--demo", extra_env={"NIANBAO_QUIT_AFTER_START": "1"}, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    demo = json.loads((ROOT / "resources" / "samples" / "demo.nianbao").read_text(encoding="utf-8"))
    shown = [line for line in r.stdout.splitlines() if line.startswith("nianbao: window shown")]
    assert shown, r.stdout + r.stderr
    assert demo["meta"]["organ"] in shown[0]              # the bundled sample report was opened
    assert "visible=True" in shown[0] and "platform=offscreen" in shown[0]
    # Qt's prefix points into the bundle (embedded qt.conf), so Qt finds its own translations and plugins there
    prefix = shown[0].split("qt_prefix=", 1)[1].split(" |")[0].strip()
    assert Path(prefix).resolve().is_relative_to(exe.parent.resolve()), prefix


@pytest.mark.slow
def test_frozen_gui_starts_on_x11_offline(offline, exe, tmp_path):
    """The xcb platform plugin (X11 desktops) loads from the bundle: the program on a virtual X server."""
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed")
    fixture = FIXTURE_FILES[0]
    r = offline("xvfb-run", "-a", exe, fixture, timeout=120,
                extra_env={"NIANBAO_QUIT_AFTER_START": "1", "QT_QPA_PLATFORM": "xcb"})
    assert r.returncode == 0, r.stdout + r.stderr
    organ = json.loads(fixture.read_text(encoding="utf-8"))["meta"]["organ"]
    shown = [line for line in r.stdout.splitlines() if line.startswith("nianbao: window shown")]
    assert shown and organ in shown[0] and "platform=xcb" in shown[0], r.stdout + r.stderr
    assert "visible=True" in shown[0]


# ---------------------------------------------------------------------------------------------------------------
# the Windows installer script compiles (makensis, Debian's NSIS)
# ---------------------------------------------------------------------------------------------------------------

def _makensis():
    path = shutil.which("makensis")
    if path is None:
        pytest.skip("makensis (Debian package nsis) is not installed")
    return path


def _compile(dist: Path, out: Path, *defines: str, version: str = VERSION):
    return subprocess.run([_makensis(), "-V2", "-WX", f"-DVERSION={version}", f"-DDISTDIR={dist}",
                           f"-DOUTFILE={out}", *defines, str(INSTALLER / "nianbao.nsi")],
                          capture_output=True, text=True, timeout=600)


def _installed_files(setup: Path) -> set[str]:
    """The files the installer puts under $INSTDIR, as 7-Zip lists an NSIS installer."""
    assert shutil.which("7z"), "7z is needed to list the installer's files (Debian package p7zip-full, in .ci/run)"
    r = subprocess.run(["7z", "l", "-slt", str(setup)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    paths = [line[len("Path = "):] for line in r.stdout.splitlines() if line.startswith("Path = ")][1:]
    return {p.replace("\\", "/") for p in paths if not p.startswith("$PLUGINSDIR")}


def _standin(tmp_path: Path) -> Path:
    """A folder with the Windows one-folder layout: nianbao.exe, nianbao-cli.exe, _internal/resources…"""
    dist = tmp_path / "dist" / "nianbao"
    (dist / "_internal").mkdir(parents=True)
    (dist / "nianbao.exe").write_bytes(b"MZ stand-in")
    (dist / "nianbao-cli.exe").write_bytes(b"MZ stand-in")
    shutil.copytree(ROOT / "resources" / "formats", dist / "_internal" / "resources" / "formats")
    shutil.copytree(ROOT / "resources" / "samples", dist / "_internal" / "resources" / "samples")
    return dist


def test_installer_script_compiles_as_per_user_installer(tmp_path):
    dist = _standin(tmp_path)
    out = tmp_path / f"nianbao-{VERSION}-setup.exe"
    r = _compile(dist, out)                       # LZMA, as on the build machine; warnings are errors
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr
    data = out.read_bytes()
    assert data[:2] == b"MZ"
    # never asks for administrator rights (per-user install by default) …
    assert re.search(rb'requestedExecutionLevel level="asInvoker"', data)
    # … and carries the version from pyproject.toml in its version resource (UTF-16)
    assert VERSION.encode("utf-16-le") in data
    # Chinese texts survive whatever code page makensis runs under (the script has a UTF-8 BOM)
    assert (INSTALLER / "nianbao.nsi").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "年报助手".encode("utf-16-le") in data
    # it installs the program folder's layout, plus the uninstaller
    expected = {str(p.relative_to(dist)) for p in dist.rglob("*") if p.is_file()} | {"uninstall.exe"}
    assert _installed_files(out) == expected


def test_installer_script_refuses_an_incomplete_program_folder(tmp_path):
    dist = _standin(tmp_path)
    (dist / "_internal" / "resources" / "formats" / "gov-2021.json").unlink()
    r = _compile(dist, tmp_path / "nianbao-setup.exe", "-DNOCOMPRESS")
    assert r.returncode != 0
    assert "format data is missing" in r.stdout + r.stderr
    (dist / "nianbao.exe").unlink()
    r = _compile(dist, tmp_path / "nianbao-setup.exe", "-DNOCOMPRESS")
    assert r.returncode != 0 and "nianbao.exe is missing" in r.stdout + r.stderr
    r = subprocess.run([_makensis(), "-V2", str(INSTALLER / "nianbao.nsi")], capture_output=True, text=True)
    assert r.returncode != 0 and "VERSION" in r.stdout + r.stderr


@pytest.mark.slow
def test_installer_script_packs_the_real_frozen_folder(tmp_path, frozen_dir):
    """The real bundle's files (every path under _internal) go through makensis; only the .exe is a stand-in."""
    dist = tmp_path / "nianbao"
    dist.mkdir()
    (dist / "_internal").symlink_to(frozen_dir / "_internal")
    (dist / "nianbao.exe").write_bytes(b"MZ stand-in")
    out = tmp_path / "nianbao-setup.exe"
    r = _compile(dist, out, "-DNOCOMPRESS")
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr
    size = sum(p.stat().st_size for p in (frozen_dir / "_internal").rglob("*") if p.is_file() and not p.is_symlink())
    assert out.stat().st_size > size                    # stored uncompressed: every file went in
    bundle = {"_internal/" + str(p.relative_to(frozen_dir / "_internal"))
              for p in (frozen_dir / "_internal").rglob("*") if p.is_file()}
    assert _installed_files(out) == bundle | {"nianbao.exe", "uninstall.exe"}


# ---------------------------------------------------------------------------------------------------------------
# Linux desktop: per-user install without root (dist/nianbao/install.sh)
# ---------------------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_linux_install_script_installs_per_user_and_uninstall_keeps_user_files(offline, frozen_dir, tmp_path):
    home = tmp_path / "home"                   # the HOME the offline() commands run with
    env = {"HOME": str(home)}
    r = offline("sh", frozen_dir / "install.sh", extra_env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    prog = home / ".local" / "opt" / "nianbao" / "nianbao"
    link = home / ".local" / "bin" / "nianbao"
    desktop = home / ".local" / "share" / "applications" / "nianbao.desktop"
    mime = home / ".local" / "share" / "mime" / "packages" / "nianbao.xml"
    assert prog.is_file() and link.resolve() == prog.resolve()
    text = desktop.read_text(encoding="utf-8")
    assert f'Exec="{prog}" %f' in text and "MimeType=application/x-nianbao;" in text
    assert 'pattern="*.nianbao"' in mime.read_text(encoding="utf-8")
    if shutil.which("desktop-file-validate"):
        v = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
        assert v.returncode == 0, v.stdout + v.stderr
    # the installed program works on its own, offline
    r = offline(link, "check", FIXTURE_FILES[0], extra_env=env)
    assert r.returncode in (0, 1) and "政府信息公开工作年度报告" in r.stdout, r.stdout + r.stderr
    # a report and the program's per-user data survive an update and the uninstall
    docs = home / "文档"
    docs.mkdir()
    report = docs / "2025年报.nianbao"
    report.write_bytes(FIXTURE_FILES[0].read_bytes())
    userdata = home / ".local" / "share" / "nianbao"
    userdata.mkdir(parents=True)
    (userdata / "recovery-1.json").write_text("{}", encoding="utf-8")
    r = offline("sh", frozen_dir / "install.sh", extra_env=env)           # update over itself
    assert r.returncode == 0 and prog.is_file(), r.stdout + r.stderr
    r = offline("sh", prog.parent / "install.sh", "--uninstall", extra_env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert not prog.parent.exists() and not link.exists() and not desktop.exists() and not mime.exists()
    assert report.read_bytes() == FIXTURE_FILES[0].read_bytes()
    assert (userdata / "recovery-1.json").is_file()


# ---------------------------------------------------------------------------------------------------------------
# the Windows installer RUNS: 64-bit Wine (Debian's wine64), silent mode, offline
# ---------------------------------------------------------------------------------------------------------------

class Wine:
    def __init__(self, prefix_cmd, root: Path):
        self.exe = shutil.which("wine64") or "/usr/lib/wine/wine64"
        self.server = shutil.which("wineserver64") or "/usr/lib/wine/wineserver64"
        self.prefix_cmd = prefix_cmd
        self.home = root / "home"
        self.home.mkdir()
        self.prefix = root / "prefix"
        self.env = {"PATH": "/usr/bin:/bin", "HOME": str(self.home), "WINEPREFIX": str(self.prefix),
                    "WINEDEBUG": "-all", "WINEDLLOVERRIDES": "mscoree,mshtml=", "LANG": "C.UTF-8"}

    def run(self, *args, timeout=180):
        r = subprocess.run([*self.prefix_cmd, "sh", "-c", '"$0" "$@"; rc=$?; "$W" -w; exit $rc', self.exe,
                            *map(str, args)], capture_output=True, text=True, timeout=timeout,
                           env={**self.env, "W": self.server})
        return r

    @property
    def c(self) -> Path:
        return self.prefix / "drive_c"

    def user_dir(self) -> Path:
        return next(p for p in (self.c / "users").iterdir() if p.name != "Public")

    def reg(self, hive: str) -> str:        # "user" (HKCU) or "system" (HKLM)
        return (self.prefix / f"{hive}.reg").read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="session")
def wine(netns_prefix, tmp_path_factory):
    w = Wine(netns_prefix, tmp_path_factory.mktemp("wine"))
    if not Path(w.exe).exists():
        pytest.skip("wine64 (Debian package wine64) is not installed: the installer is only compiled, not run")
    r = w.run("wineboot", "--init", timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    return w


def _setup_exe(tmp_path, version, extra=()):
    dist = _standin(tmp_path / f"v{version}")
    for rel in extra:
        (dist / rel).write_bytes(b"only in this version")
    out = tmp_path / f"nianbao-{version}-setup.exe"
    r = _compile(dist, out, "-DNOCOMPRESS", version=version)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr
    return out


@pytest.mark.slow
def test_installer_runs_per_user_upgrades_and_uninstalls_keeping_user_files(wine, tmp_path):
    old = _setup_exe(tmp_path, "0.0.1", extra=["_internal/stale-from-0.0.1.dll"])
    new = _setup_exe(tmp_path, VERSION)
    local = wine.user_dir() / "AppData" / "Local"
    app = local / "Programs" / "nianbao"
    start_menu = wine.user_dir() / "AppData" / "Roaming" / "Microsoft" / "Windows" / "Start Menu" / "Programs"
    desktop = (wine.user_dir() / "Desktop").resolve()

    # 1. an older version, per user, no admin: %LOCALAPPDATA%\Programs\nianbao
    r = wine.run(old, "/S")
    assert r.returncode == 0, r.stdout + r.stderr
    for rel in ("nianbao.exe", "nianbao-cli.exe", "uninstall.exe", "_internal/resources/formats/gov-2021.json",
                "_internal/stale-from-0.0.1.dll"):
        assert (app / rel).is_file(), rel
    assert (start_menu / "年报助手.lnk").is_file() and (desktop / "年报助手.lnk").is_file()
    user = wine.reg("user")
    assert '[Software\\\\Classes\\\\.nianbao]' in user and '@="nianbao.report"' in user
    assert '\\\\Programs\\\\nianbao\\\\nianbao.exe\\" \\"%1\\""' in user          # double-click opens it
    assert '"Version"="0.0.1"' in user and '"DisplayVersion"="0.0.1"' in user
    assert "nianbao" not in wine.reg("system")                                   # nothing machine-wide

    # the clerk's files: a report saved in the program folder by mistake, a recovery copy
    (app / "我的报告.nianbao").write_bytes(FIXTURE_FILES[0].read_bytes())
    (local / "nianbao").mkdir(exist_ok=True)
    (local / "nianbao" / "recovery-1.json").write_text("{}", encoding="utf-8")

    # 2. the newer version over it: same folder, old program files replaced, nothing stale, report kept
    r = wine.run(new, "/S")
    assert r.returncode == 0, r.stdout + r.stderr
    assert (app / "nianbao.exe").is_file() and not (app / "_internal" / "stale-from-0.0.1.dll").exists()
    user = wine.reg("user")
    assert f'"Version"="{VERSION}"' in user and f'"DisplayVersion"="{VERSION}"' in user
    assert user.count("[Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Uninstall\\\\nianbao]") == 1
    assert (app / "我的报告.nianbao").read_bytes() == FIXTURE_FILES[0].read_bytes()

    # 3. uninstall (as Apps & features runs it): program, shortcuts, association gone; the clerk's files stay
    r = wine.run(app / "uninstall.exe", "/CurrentUser", "/S")
    assert r.returncode == 0, r.stdout + r.stderr
    assert not (app / "nianbao.exe").exists() and not (app / "_internal").exists()
    assert not (app / "uninstall.exe").exists()
    assert not (start_menu / "年报助手.lnk").exists() and not (desktop / "年报助手.lnk").exists()
    user = wine.reg("user")
    assert "nianbao.report" not in user and "CurrentVersion\\\\Uninstall\\\\nianbao]" not in user
    assert (app / "我的报告.nianbao").read_bytes() == FIXTURE_FILES[0].read_bytes()
    assert (local / "nianbao" / "recovery-1.json").is_file()
    (app / "我的报告.nianbao").unlink()


@pytest.mark.slow
def test_installer_runs_for_all_users_when_asked(wine, tmp_path):
    setup = _setup_exe(tmp_path, VERSION)
    app = wine.c / "Program Files" / "nianbao"
    r = wine.run(setup, "/AllUsers", "/S")            # Wine's user counts as an administrator
    assert r.returncode == 0, r.stdout + r.stderr
    assert (app / "nianbao.exe").is_file() and (app / "_internal" / "resources" / "formats").is_dir()
    system = wine.reg("system")
    assert '[Software\\\\Classes\\\\.nianbao]' in system and '@="nianbao.report"' in system
    assert "Uninstall\\\\nianbao]" in system and 'uninstall.exe\\" /AllUsers"' in system
    assert "nianbao.report" not in wine.reg("user")
    assert list(wine.c.rglob("年报助手.lnk"))                       # all users' Start menu
    r = wine.run(app / "uninstall.exe", "/AllUsers", "/S")
    assert r.returncode == 0, r.stdout + r.stderr
    assert not (app / "nianbao.exe").exists() and "nianbao.report" not in wine.reg("system")
    assert not [p for p in wine.c.rglob("年报助手.lnk")]
