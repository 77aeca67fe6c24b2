#!/bin/sh
# Regenerate the page images of the Word export: DOCX -> PDF with LibreOffice -> PNG at 60 dpi.
# Run from the checkout:  sh docs/pages/render_pages.sh [fixture-name]
set -e
name=${1:-wuzhong-minzheng-2023}
out=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
python -c "import sys; from app.cli import main; sys.exit(main())" export "tests/fixtures/$name.nianbao" -o "$tmp/$name.docx"
soffice -env:UserInstallation="file://$tmp/lo" --headless --convert-to pdf --outdir "$tmp" "$tmp/$name.docx" >/dev/null
rm -f "$out"/docx-"$name"-*.png
pdftoppm -png -r 60 "$tmp/$name.pdf" "$out/docx-$name"
rm -rf "$tmp"
# 16 grey levels keep the images small and legible
python -c "import glob, sys; from PIL import Image; [Image.open(f).convert('L').quantize(16).save(f, optimize=True) for f in glob.glob(sys.argv[1])]" "$out/docx-$name-*.png"
ls "$out"/docx-"$name"-*.png
