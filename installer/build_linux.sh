#!/usr/bin/env bash
# Build the frozen Linux program (one folder) from installer/nianbao.spec.
#
#   installer/build_linux.sh                      # -> dist/nianbao/nianbao   (uses $PYTHON, else python3)
#   installer/build_linux.sh --offline WHEELS     # first installs the pinned wheels (requirements-linux.txt,
#                                                 #  hashes checked, no network) into build/venv, then builds
#   installer/build_linux.sh --dist DIR --work DIR
#
# The result runs on a Linux desktop without Python: dist/nianbao/nianbao [FILE | --demo | check … | export …];
# dist/nianbao/install.sh installs it for the current user (menu entry, .nianbao file type), no root needed.
# A tarball dist/nianbao-VERSION-linux-x86_64.tar.gz is written with --tar.
# Build machine: besides Python, `strip`, `readelf`, `icupkg` (Debian: icu-devtools) and a C compiler (cc) —
# without the last two the ICU data stays untrimmed (a warning; the bundle is then 22 MiB bigger).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIST="$ROOT/dist"
WORK="$ROOT/build/pyinstaller"
WHEELS=""
TAR=0
PY="${PYTHON:-python3}"
while [ $# -gt 0 ]; do
  case "$1" in
    --dist) DIST="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --offline) WHEELS="$2"; shift 2 ;;
    --tar) TAR=1; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
cd "$ROOT"
if [ -n "$WHEELS" ]; then
  "$PY" -m venv "$ROOT/build/venv"
  PY="$ROOT/build/venv/bin/python"
  PIP_CONFIG_FILE=/dev/null "$PY" -m pip install --no-index --find-links "$WHEELS" --require-hashes \
    -r installer/requirements-linux.txt   # no pip.conf: only these wheels, hashes checked
fi
VERSION="$("$PY" -c 'import tomllib;print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')"
echo "building nianbao $VERSION -> $DIST/nianbao"
echo "python: $("$PY" -c 'import sys; print(sys.executable)')"   # the interpreter whose packages are bundled
# PyInstaller's cache (stripped copies of the libraries) per build: the default ~/.cache/pyinstaller is shared by
# every build of the user, and --clean (or a build of another checkout) would empty it under a running build
export PYINSTALLER_CONFIG_DIR="$WORK/cache"
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN --distpath "$DIST" --workpath "$WORK" installer/nianbao.spec
cp installer/linux/install.sh installer/linux/nianbao.desktop installer/linux/nianbao-mime.xml "$DIST/nianbao/"
"$DIST/nianbao/nianbao" --version
if [ "$TAR" = 1 ]; then
  tar -C "$DIST" -czf "$DIST/nianbao-$VERSION-linux-x86_64.tar.gz" nianbao
  echo "wrote $DIST/nianbao-$VERSION-linux-x86_64.tar.gz"
fi
