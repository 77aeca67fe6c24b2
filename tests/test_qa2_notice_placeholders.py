"""QA reproduction: the 整改通知 is an official document sent to the organ, yet the desk writes the program's own
placeholders and reading doubts into it:

- a report whose organ was not recognised gets a notice titled "关于（未识别出机关名称）2025年度…的整改通知" and
  addressed "（未识别出机关名称）：", naming the report by its file name (《shanghai-bangongting-2025.md》);
- the importer's doubts about its own reading ("导入的数值需要核对（本行有 2 个数值而表头有 3 列，已按顺序对应）")
  are listed as problems the organ must correct."""
import shutil

from docx import Document

from app.cli import main
from conftest import ROOT

DOC = ROOT / "tests" / "fixtures" / "real" / "docs" / "shanghai-bangongting-2025.md"


def _notices(tmp_path):
    folder = tmp_path / "报送"
    folder.mkdir()
    shutil.copy(DOC, folder / DOC.name)
    out = tmp_path / "通知"
    main(["review", str(folder), "--notices", str(out), "--office", "某某市政务公开办公室", "--date", "2026-02-10"])
    return ["\n".join(p.text for p in Document(f).paragraphs) for f in sorted(out.glob("*.docx"))]


def test_notice_has_no_placeholder_organ(tmp_path):
    for text in _notices(tmp_path):
        assert "未识别出机关名称" not in text, text[:200]


def test_notice_does_not_ask_the_organ_to_fix_the_readers_doubts(tmp_path):
    for text in _notices(tmp_path):
        assert "导入的数值需要核对" not in text, [ln for ln in text.splitlines() if "导入" in ln][:3]
