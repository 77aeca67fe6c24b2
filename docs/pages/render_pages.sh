#!/bin/sh
# Regenerate the page images: the Word export rendered by LibreOffice and our own PDF side by side
# (side-NAME-N.png: DOCX left, PDF right), at 60 dpi. LibreOffice gets the fonts our PDF embeds,
# registered under the 公文 names in a private fontconfig file (see bench/parity_docx_pdf.py), so differences
# are layout, not font substitution.
# Run from the checkout:  sh docs/pages/render_pages.sh [fixture-name | path/to/report.nianbao]
set -e
src=${1:-wuzhong-minzheng-2023}
case "$src" in *.nianbao) ;; *) src="tests/fixtures/$src.nianbao" ;; esac
name=$(basename "$src" .nianbao)
out=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
python -c "import sys; from app.cli import main; sys.exit(main())" export "$src" -o "$tmp/$name.docx" --force
python -c "import sys; from app.cli import main; sys.exit(main())" export "$src" -o "$tmp/ours.pdf" --force
python -c "import sys; sys.path.insert(0, 'bench'); from pathlib import Path; import parity_docx_pdf as b; print(b.fontconfig(Path(sys.argv[1])))" "$tmp" >/dev/null
FONTCONFIG_FILE="$tmp/fonts.conf" soffice -env:UserInstallation="file://$tmp/lo" --headless --convert-to pdf --outdir "$tmp" "$tmp/$name.docx" >/dev/null
rm -f "$out"/docx-"$name"-*.png "$out"/pdf-"$name"-*.png "$out"/side-"$name"-*.png
if command -v pdftoppm >/dev/null; then
  pdftoppm -png -r 60 "$tmp/$name.pdf" "$out/docx-$name"
  pdftoppm -png -r 60 "$tmp/ours.pdf" "$out/pdf-$name"
else
  pdftocairo -png -r 60 "$tmp/$name.pdf" "$out/docx-$name"
  pdftocairo -png -r 60 "$tmp/ours.pdf" "$out/pdf-$name"
fi
rm -rf "$tmp"
# side by side (DOCX via LibreOffice | our PDF); 16 grey levels keep the images small and legible
python - "$out" "$name" <<'PY'
import glob, re, sys
from PIL import Image
out, name = sys.argv[1], sys.argv[2]
def pages(kind):
    files = glob.glob(f"{out}/{kind}-{name}-*.png")
    return sorted(files, key=lambda f: int(re.search(r"-(\d+)\.png$", f).group(1)))
docx, pdf = pages("docx"), pages("pdf")
for i in range(max(len(docx), len(pdf))):
    ims = [Image.open(p[i]).convert("L") if i < len(p) else None for p in (docx, pdf)]
    w = max(im.width for im in ims if im) ; h = max(im.height for im in ims if im)
    side = Image.new("L", (2 * w + 12, h), 255)
    for k, im in enumerate(ims):
        if im:
            side.paste(im, (k * (w + 12), 0))
    side.quantize(16).save(f"{out}/side-{name}-{i + 1}.png", optimize=True)
PY
rm -f "$out"/docx-"$name"-*.png "$out"/pdf-"$name"-*.png
ls "$out"/side-"$name"-*.png
