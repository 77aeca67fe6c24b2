"""QA reproduction: the 整改通知 is an official document sent to the organ, yet the desk writes the program's own
placeholders and reading doubts into it:

- a report whose organ was not recognised gets a notice titled "关于（未识别出机关名称）2025年度…的整改通知" and
  addressed "（未识别出机关名称）：", naming the report by its file name (《shanghai-bangongting-2025.md》);
- the importer's doubts about its own reading ("导入的数值需要核对（本行有 2 个数值而表头有 3 列，已按顺序对应）")
  are listed as problems the organ must correct."""
import shutil

import pytest
from docx import Document

from app.cli import main
from conftest import ROOT
from reviewhelp import untitled_page

DOC = ROOT / "tests" / "fixtures" / "real" / "docs" / "shanghai-bangongting-2025.md"


UNTITLED = "shanghai-untitled-2025.md"  # the same page, its title without the organ: the organ cannot be read


def _folder(tmp_path, untitled=True):
    folder = tmp_path / "报送"
    folder.mkdir()
    if untitled:
        untitled_page(folder / UNTITLED)
    else:
        shutil.copy(DOC, folder / DOC.name)
    return folder


def _notices(tmp_path, untitled=True):
    folder = _folder(tmp_path, untitled)
    out = tmp_path / "通知"
    main(["review", str(folder), "--notices", str(out), "--office", "某某市政务公开办公室", "--date", "2026-02-10"])
    return ["\n".join(p.text for p in Document(f).paragraphs) for f in sorted(out.glob("*.docx"))]


@pytest.mark.parametrize("untitled", [False, True])
def test_notice_has_no_placeholder_organ(tmp_path, untitled):
    for text in _notices(tmp_path, untitled):
        assert "未识别出机关名称" not in text, text[:200]


@pytest.mark.parametrize("untitled", [False, True])
def test_notice_does_not_ask_the_organ_to_fix_the_readers_doubts(tmp_path, untitled):
    for text in _notices(tmp_path, untitled):
        assert "导入的数值需要核对" not in text, [ln for ln in text.splitlines() if "导入" in ln][:3]


def test_no_notice_until_the_reviewer_names_the_organ_and_the_cli_says_so(tmp_path, capsys):
    assert _notices(tmp_path) == []
    out = capsys.readouterr().out
    assert f"未写整改通知：{UNTITLED} 未识别出机关名称" in out, out


def test_named_organ_notice_carries_only_what_the_reviewer_confirmed(tmp_path):
    """Once the reviewer names the organ and confirms a finding against the original, the notice is addressed to
    that organ and lists that finding — and still none of the reader's doubts, nor the file name as a title."""
    from app.review import Review
    folder = _folder(tmp_path)
    review = Review.read(folder, jobs=1)
    (e,) = review.entries
    held = review.held_findings(e)
    assert held and not review.notice_findings(e), "every finding of this badly read file waits for the reviewer"
    assert all(why for _, why in held)
    review.name_organ(e, "上海市人民政府办公厅")
    date_missing = next(f for f, _ in held if f.cells == ["meta.date"])
    review.decide(e, date_missing, "confirmed", "原文确无成文日期")
    doubt = next(f for f, _ in held if f.rule == "IMPORT.REVIEW")
    review.decide(e, doubt, "confirmed")  # confirming our own note never turns it into the organ's fault

    out = tmp_path / "通知"
    main(["review", str(folder), "--notices", str(out), "--office", "某某市政务公开办公室", "--date", "2026-02-10",
          "--reply-by", "2026-02-20"])
    (f,) = sorted(out.glob("*.docx"))
    assert f.name == "整改通知-上海市人民政府办公厅2025年度.docx"
    text = "\n".join(p.text for p in Document(f).paragraphs)
    assert text.splitlines()[0].replace("\n", "").startswith("关于上海市人民政府办公厅")
    assert "上海市人民政府办公厅：" in text
    assert "存在以下1处问题" in text and "缺少成文日期" in text and "原文确无成文日期" in text
    assert "2026年2月20日前" in text
    for ours in ("导入", "识别有误", "未识别出机关名称", f"{UNTITLED}》", "未填写"):
        assert ours not in text, ours


def test_json_gives_the_reviewer_what_the_notice_leaves_out(tmp_path, capsys):
    import json
    folder = _folder(tmp_path)
    main(["review", str(folder), "--json"])
    (doc,) = json.loads(capsys.readouterr().out)["reports"]
    review = doc["review"]
    assert review["notice"] is False and review["organ_named"] is None
    held = review["for_reviewer"]
    assert {"IMPORT.REVIEW", "CELL.VALUE", "META.REQUIRED"} <= {h["rule"] for h in held}
    assert all(h["why"] for h in held)


def test_a_malformed_organs_record_is_refused_and_left_alone(tmp_path):
    import pytest

    from app.review import DECISIONS_NAME, Decisions, ReviewError
    path = tmp_path / DECISIONS_NAME
    path.write_text('{"decisions": [], "organs": [{"file_sha256": 1}]}', encoding="utf-8")
    with pytest.raises(ReviewError, match="organs"):
        Decisions.load(tmp_path)
    assert path.read_text(encoding="utf-8") == '{"decisions": [], "organs": [{"file_sha256": 1}]}'


def test_organ_named_on_the_command_line(tmp_path, capsys):
    """--organ FILE=NAME records the reviewer's name for the organ (审核记录.json) and the notice follows; a name
    that fits no file is refused with the reason, nothing written."""
    import json

    from app.review import DECISIONS_NAME
    folder = _folder(tmp_path)
    out = tmp_path / "通知"
    assert main(["review", str(folder), "--notices", str(out), "--organ", "nosuch.md=某局"]) == 2
    assert "文件夹中没有这个文件" in capsys.readouterr().err and not (folder / DECISIONS_NAME).exists()
    assert main(["review", str(folder), "--notices", str(out), "--organ", UNTITLED]) == 2
    assert "应写成 文件名=机关名称" in capsys.readouterr().err
    main(["review", str(folder), "--notices", str(out), "--organ", f"{UNTITLED}=上海市人民政府办公厅"])
    printed = capsys.readouterr().out
    assert "上海市人民政府办公厅 2025" in printed and "未写整改通知" not in printed
    saved = json.loads((folder / DECISIONS_NAME).read_text(encoding="utf-8"))
    assert [d["organ"] for d in saved["organs"]] == ["上海市人民政府办公厅"]
    assert list(out.glob("*.docx")) == []  # named, but every finding still waits for the reviewer's 确认
    main(["review", str(folder), "--json"])
    (doc,) = json.loads(capsys.readouterr().out)["reports"]
    assert doc["review"]["organ_named"] == "上海市人民政府办公厅"
    assert doc["review"]["notice"] is False and doc["review"]["for_reviewer"]  # still waiting for the reviewer
