"""The three published reports (text copied off the web) import to exactly what a person reads off them."""
import json
import subprocess
import sys

import pytest

from app.documents import open_report
from app.formats import load_format
from app.rules import check
from conftest import FIXTURE_NAMES, PUBLISHED, ROOT

# Read off the pages by a person (every other table cell of these three reports is printed as 0).
NON_ZERO = {
    "wuzhong-minzheng-2023": {"t2.normative.in_force": 1, "t2.licensing.decisions": 17,
                              "t3.new.natural": 1, "t3.new.total": 1, "t3.granted.natural": 1,
                              "t3.granted.total": 1, "t3.handled_total.natural": 1, "t3.handled_total.total": 1},
    "pingqiao-minzheng-2024": {"t2.licensing.decisions": 7},
    "weihui-minzheng-2022": {"t2.normative.issued": 1, "t2.normative.in_force": 1},
}
META = {
    "wuzhong-minzheng-2023": ("吴忠市民政局", 2023),  # title split over two lines
    "pingqiao-minzheng-2024": ("平桥区民政局", 2024),  # title says only 民政局; the body names 平桥区民政局
    "weihui-minzheng-2022": ("卫辉市民政局", 2022),
}


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_published_values_and_meta(name, load_fixture):
    report = open_report(PUBLISHED / f"{name}.txt")
    typed = load_fixture(name)
    fmt = load_format()
    # every cell: the hand-typed fixture, and independently the few non-zero values written above
    for cid in fmt.cells:
        assert report.values.get(cid) == typed.values.get(cid), cid
        assert report.values.get(cid) == NON_ZERO[name].get(cid, 0), cid
    assert (report.meta.organ, report.meta.year) == META[name]
    assert report.meta.date == ""  # the pages carry no 成文日期 (the fixtures' dates were filled in by hand)
    assert report.origin_format is None
    for sid in ("s1", "s5", "s6"):
        assert report.sections[sid] == typed.sections[sid].replace("**", ""), sid
    # provenance for every imported cell; nothing silently guessed
    assert set(report.sources) == set(fmt.cells)
    assert all(src.startswith(("表二", "表三", "表四")) for src in report.sources.values())
    assert {k for k in report.review if k in fmt.cells} == set()


def test_weihui_typos_are_tolerated():
    """本年度止件数 (for 本年废止件数) and 社会组织 (for 社会公益组织) are known typos, matched without fuss."""
    text = (PUBLISHED / "weihui-minzheng-2022.txt").read_text(encoding="utf-8")
    assert "本年度止件数" in text and "\t社会组织\t" in text
    report = open_report(PUBLISHED / "weihui-minzheng-2022.txt")
    assert report.values["t2.normative.repealed"] == 0 and report.values["t3.new.social"] == 0


def test_pingqiao_organ_completed_from_body_is_marked():
    report = open_report(PUBLISHED / "pingqiao-minzheng-2024.txt")
    assert "平桥区民政局" in report.review["meta.organ"]
    assert any(f.rule == "IMPORT.REVIEW" and f.cells == ["meta.organ"] for f in check(report))


def test_source_positions_point_at_the_text():
    path = PUBLISHED / "wuzhong-minzheng-2023.txt"
    report = open_report(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    src = report.sources["t2.licensing.decisions"]  # "表二·第N行第2项"
    n = int(src.split("第")[1].split("行")[0])
    item = int(src.split("行第")[1].rstrip("项"))
    assert lines[n - 1].split("\t")[item - 1] == "17"


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main(sys.argv[1:]))",
                           *args], capture_output=True, text=True, cwd=cwd or ROOT, timeout=120)


def test_cli_import_writes_project(tmp_path):
    out = tmp_path / "wz.nianbao"
    r = _cli("import", str(PUBLISHED / "wuzhong-minzheng-2023.txt"), "-o", str(out))
    assert r.returncode == 1, r.stderr  # imported; the page has no 成文日期 -> META.REQUIRED error
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["meta"]["organ"] == "吴忠市民政局" and data["values"]["t2.licensing.decisions"] == 17
    assert data["sources"]["t2.licensing.decisions"].startswith("表二")
    assert "META.REQUIRED" in r.stdout
    # existing output is not overwritten without --force
    r2 = _cli("import", str(PUBLISHED / "wuzhong-minzheng-2023.txt"), "-o", str(out))
    assert r2.returncode == 2 and "已存在" in r2.stderr


def test_cli_import_unreadable_writes_nothing(tmp_path):
    bad = tmp_path / "x.docx"
    bad.write_bytes(b"PK\x03\x04 not really")
    out = tmp_path / "x.nianbao"
    r = _cli("import", str(bad), "-o", str(out))
    assert r.returncode == 2 and "无法导入" in r.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == [bad]


def test_cli_check_accepts_published_text():
    r = _cli("check", "--json", str(PUBLISHED))
    docs = json.loads(r.stdout)["reports"]
    assert {d["meta"]["organ"] for d in docs} == {"吴忠市民政局", "平桥区民政局", "卫辉市民政局"}
    assert r.returncode == 1  # no 成文日期 on the pages


def test_imported_report_can_start_next_year():
    from app.model import next_year_report
    last = open_report(PUBLISHED / "wuzhong-minzheng-2023.txt")
    new = next_year_report(last)
    assert (new.meta.organ, new.meta.year) == ("吴忠市民政局", 2024)
    assert new.values["t3.carried_in.natural"] == 0 and new.previous.values["t2.licensing.decisions"] == 17
    new.sections = dict(last.sections)
    assert any(f.rule == "TEXT.SIMILAR" for f in check(new))


def test_cli_import_clean_report_exits_0(tmp_path):
    import random
    from fuzz.docs import docx_from_report, random_report
    src = docx_from_report(random_report(random.Random(4), organ="某某县民政局", year=2024), tmp_path / "r.docx")
    out = tmp_path / "r.nianbao"
    r = _cli("import", str(src))  # default output: next to the input
    assert r.returncode == 0, r.stdout + r.stderr
    assert out.is_file() and "某某县民政局2024年政府信息公开工作年度报告" in r.stdout


@pytest.mark.parametrize("lines, expected", [
    # a sentence the page split after "健全": one paragraph
    (["（二）依申请公开情况。严格落实依申请公开职责，健全", "依申请公开工作机制，积极畅通依申请公开的渠道。"],
     ["（二）依申请公开情况。严格落实依申请公开职责，健全依申请公开工作机制，积极畅通依申请公开的渠道。"]),
    # closed sentences, bare headings, short lines and labelled lines stay apart
    (["全年累计办理申请 1 件。", "2023 年未发生行政复议。"], ["全年累计办理申请 1 件。", "2023 年未发生行政复议。"]),
    (["（二）信息处理费收取情况本机关本年度没有任何收费", "本机关 2023 年未收取信息处理费。"],
     ["（二）信息处理费收取情况本机关本年度没有任何收费", "本机关 2023 年未收取信息处理费。"]),
    (["存在问题", "公开主动性需要进一步提高。"], ["存在问题", "公开主动性需要进一步提高。"]),
    (["地址：吴忠市利通区裕民街道民生路一号市民政局办公楼", "电话：0953-1234567"],
     ["地址：吴忠市利通区裕民街道民生路一号市民政局办公楼", "电话：0953-1234567"]),
    (["我局进一步完善工作机制，坚持问题导向，持续加强队伍建设，", "（三）政府信息管理情况。"],
     ["我局进一步完善工作机制，坚持问题导向，持续加强队伍建设，", "（三）政府信息管理情况。"]),
])
def test_paragraphs_split_by_the_page_are_joined_and_nothing_else(lines, expected):
    from app.importers.recognise import join_broken_paragraphs
    assert join_broken_paragraphs(lines) == expected
