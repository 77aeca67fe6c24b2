#!/bin/sh
# 年报助手 (nianbao) on a Linux desktop: per-user install WITHOUT root, from the unpacked frozen folder.
#
#   ./install.sh              install or update: program into ~/.local/opt/nianbao, command ~/.local/bin/nianbao,
#                             menu entry, and .nianbao files open with the program (double-click)
#   ./install.sh --uninstall  remove the program, its menu entry and file type — reports, their .bak copies,
#                             settings and recovery files (~/.local/share/nianbao) are never touched
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
DEST=$HOME/.local/opt/nianbao
BIN=$HOME/.local/bin

refresh() {
  command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$DATA/mime" >/dev/null 2>&1 || true
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$DATA/applications" >/dev/null 2>&1 || true
}

if [ "${1:-}" = "--uninstall" ]; then
  [ -x "$DEST/nianbao" ] || { echo "未找到已安装的年报助手（$DEST）。" >&2; exit 1; }
  rm -rf "$DEST"
  [ -L "$BIN/nianbao" ] && rm -f "$BIN/nianbao"
  rm -f "$DATA/applications/nianbao.desktop" "$DATA/mime/packages/nianbao.xml" \
        "$DATA/icons/hicolor/256x256/apps/nianbao.png"
  refresh
  echo "年报助手已卸载。报告、设置和恢复文件均已保留。"
  exit 0
fi

[ -x "$HERE/nianbao" ] && [ -d "$HERE/_internal" ] || { echo "请在解压后的 nianbao 文件夹中运行 install.sh。" >&2; exit 1; }
mkdir -p "$HOME/.local/opt" "$BIN" "$DATA/applications" "$DATA/mime/packages"
if [ "$HERE" != "$DEST" ]; then
  rm -rf "$DEST.new"
  cp -a "$HERE" "$DEST.new"            # copy first, then swap: an interrupted update leaves the old version
  rm -rf "$DEST"
  mv "$DEST.new" "$DEST"
fi
ln -sfn "$DEST/nianbao" "$BIN/nianbao"
ICON=accessories-text-editor
if [ -f "$DEST/_internal/resources/icons/nianbao.png" ]; then
  mkdir -p "$DATA/icons/hicolor/256x256/apps"
  cp "$DEST/_internal/resources/icons/nianbao.png" "$DATA/icons/hicolor/256x256/apps/nianbao.png"
  ICON=nianbao
fi
sed -e "s|@EXEC@|$DEST/nianbao|g" -e "s|@ICON@|$ICON|g" "$DEST/nianbao.desktop" > "$DATA/applications/nianbao.desktop"
cp "$DEST/nianbao-mime.xml" "$DATA/mime/packages/nianbao.xml"
refresh
command -v xdg-mime >/dev/null 2>&1 && xdg-mime default nianbao.desktop application/x-nianbao >/dev/null 2>&1 || true
echo "年报助手已安装到 $DEST（菜单：办公 → 年报助手；命令：nianbao）。"
