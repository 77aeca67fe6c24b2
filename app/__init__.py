"""年报助手 (nianbao) core: report model, format data, rules, files, import and export.

This package never imports Qt; the desktop interface lives in ``ui``.
"""


def _version() -> str:
    """The one version number is pyproject.toml's. A checkout (also ``pip install -e``) reads it from the
    pyproject.toml beside the package; an installed wheel from its ``nianbao-*.dist-info/METADATA`` beside the
    package (both a file read: ``importlib.metadata`` costs ~10 ms of imports); anything else (a frozen build
    that copied the metadata) through ``importlib.metadata``."""
    import re
    from pathlib import Path
    here = Path(__file__).resolve().parent
    try:
        text = (here.parent / "pyproject.toml").read_text(encoding="utf-8")
    except OSError:
        text = ""
    if re.search(r'^name\s*=\s*"nianbao"', text, re.M):
        m = re.search(r'^version\s*=\s*"([^"]+)"', text, re.M)
        if m:
            return m.group(1)
    for info in sorted(here.parent.glob("nianbao-*.dist-info")):
        try:
            meta = (info / "METADATA").read_text(encoding="utf-8")
        except OSError:
            continue
        m = re.search(r"^Version:\s*(\S+)", meta, re.M)
        if m:
            return m.group(1)
    from importlib import metadata
    try:
        return metadata.version("nianbao")
    except metadata.PackageNotFoundError:
        return "0+unknown"


_cached: dict = {}


def __getattr__(name: str):
    """``app.__version__``, read on first use (reading installed metadata costs ~20 ms at every start)."""
    if name == "__version__":
        if "v" not in _cached:
            _cached["v"] = _version()
        return _cached["v"]
    raise AttributeError(f"module 'app' has no attribute {name!r}")
