"""年报助手 (nianbao) core: report model, format data, rules, files, import and export.

This package never imports Qt; the desktop interface lives in ``ui``.
"""


def _version() -> str:
    """The one version number is pyproject.toml's: read from the installed metadata (wheel, ``pip install -e``,
    a frozen build that copied it), else from the checkout's pyproject.toml."""
    from importlib import metadata
    try:
        return metadata.version("nianbao")
    except metadata.PackageNotFoundError:
        pass
    import re
    from pathlib import Path
    try:
        text = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    except OSError:
        return "0+unknown"
    m = re.search(r'^version\s*=\s*"([^"]+)"', text, re.M)
    return m.group(1) if m else "0+unknown"


_cached: dict = {}


def __getattr__(name: str):
    """``app.__version__``, read on first use (reading installed metadata costs ~20 ms at every start)."""
    if name == "__version__":
        if "v" not in _cached:
            _cached["v"] = _version()
        return _cached["v"]
    raise AttributeError(f"module 'app' has no attribute {name!r}")
