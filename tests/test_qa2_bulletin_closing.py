"""QA reproduction: in the 通报 (and the 整改通知) the office and the date of the closing are two paragraphs with
nothing keeping them together, so the date can fall alone onto the next page. Seen rendered with LibreOffice:
the 通报 of a folder of six reports ends page 1 with "某某市人民政府办公室" and prints "2026年12月7日" alone on
page 2. The report's own closing is kept together (app/export/docx.py); these documents' closings are not."""
import shutil

from docx import Document

from app.cli import main
from conftest import ROOT

OFFICE = "某某市人民政府办公室"


def test_bulletin_closing_is_kept_together(tmp_path):
    folder = tmp_path / "报送"
    folder.mkdir()
    for name in ("wuzhong-minzheng-2023.nianbao", "weihui-minzheng-2022.nianbao", "pingqiao-minzheng-2024.nianbao"):
        shutil.copy(ROOT / "tests" / "fixtures" / name, folder / name)
    out = tmp_path / "通报.docx"
    main(["review", str(folder), "--bulletin", str(out), "--office", OFFICE, "--date", "2026-02-10"])
    paras = Document(out).paragraphs
    (i,) = [k for k, p in enumerate(paras) if p.text == OFFICE]
    assert "2026" in paras[i + 1].text
    assert paras[i].paragraph_format.keep_with_next, "the office line does not keep with the date under it"
