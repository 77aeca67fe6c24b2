"""The reviewing office's batch, Qt-free: organ names, pairing, roster, duplicates, resubmissions, decisions,
雷同 through the index, and the ``nianbao review DIR --json [--roster R]`` contract."""
import json
import random
import time

import pytest
from openpyxl import Workbook

from app.cli import main
from app.organs import organ_key, same_organ, split_place
from app.review import (DECISIONS_NAME, Decisions, Review, ReviewError, load_reports, pair_years, read_roster,
                        similar_organs, similar_pairs)
from app.rules import _stripped, similarity
from reviewhelp import narrative, realistic_report, save


# --- organ names ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("a,b", [
    ("洪泽区人民政府", "淮安市洪泽区人民政府"),
    ("淮安市洪泽区人民政府", "江苏省淮安市洪泽区人民政府"),
    ("吴忠市民政局", "宁夏回族自治区吴忠市民政局"),
    ("县政府办公室（县外事办）", "县政府办公室(县外事办)"),
    ("ＡＢＣ县民政局", "ABC县 民政局"),
    ("西溪街道办事处", "杭州市西湖区西溪街道办事处"),
    ("台儿庄区民政局", "枣庄市 台儿庄区民政局"),
])
def test_same_organ(a, b):
    assert same_organ(a, b) and same_organ(b, a)
    assert organ_key(a) == organ_key(b)


@pytest.mark.parametrize("a,b", [
    ("淮安市民政局", "洪泽区民政局"),  # a city's bureau is not a district's
    ("淮安市民政局", "民政局"),
    ("北京市朝阳区人民政府", "长春市朝阳区人民政府"),  # one key, places that disagree
    ("淮安市人民政府", "洪泽区人民政府"),
    ("淮安市市场监督管理局", "淮安市场监督管理局"),
])
def test_different_organs(a, b):
    assert not same_organ(a, b)


def test_place_split_keeps_the_organ_whole():
    assert split_place("淮安市民政局") == ("", "淮安市民政局")
    assert split_place("淮安市市场监督管理局") == ("", "淮安市市场监督管理局")
    assert split_place("江苏省淮安市洪泽区人民政府") == ("江苏省淮安市", "洪泽区人民政府")


def test_check_dir_pairs_a_district_named_with_its_city(tmp_path, capsys):
    """洪泽区人民政府 (2023) and 淮安市洪泽区人民政府 (2024) are one organ: the 2024 report is checked against 2023."""
    last = realistic_report(random.Random(1), "洪泽区人民政府", 2023)
    last.values["t3.carried_out.natural"] = last.values["t3.carried_out.natural"] + 4
    last.values["t3.carried_out.total"] = last.values["t3.carried_out.total"] + 4
    last.values["t3.new.natural"] = last.values["t3.new.natural"] + 4
    last.values["t3.new.total"] = last.values["t3.new.total"] + 4
    this = realistic_report(random.Random(2), "淮安市洪泽区人民政府", 2024)
    save(last, tmp_path / "a.nianbao")
    save(this, tmp_path / "b.nianbao")
    main(["check", str(tmp_path), "--json"])
    docs = {d["path"].rsplit("/", 1)[-1]: d for d in json.loads(capsys.readouterr().out)["reports"]}
    assert "YEAR.CARRY" in {f["rule"] for f in docs["b.nianbao"]["findings"]}
    assert pair_years([last, this]) == {1: last}


# --- 雷同 through the index --------------------------------------------------------------------------------------
def test_index_finds_every_pair_all_pairs_finds():
    rng = random.Random(7)
    base = [narrative(rng, 14) for _ in range(6)]
    texts = {}
    for i in range(120):
        t = base[i % 6] if i % 3 == 0 else narrative(rng, 14)
        if i % 5 == 0:  # a copy with a few words changed
            t = t[:40] + "依法依规" + t[44:]
        texts[i] = _stripped(t)
    got = similar_pairs(texts, 0.85)
    want = {}
    for i in texts:
        for j in texts:
            if i != j:
                s = similarity(texts[i], texts[j])
                if s >= 0.85:
                    want.setdefault(i, set()).add(j)
    assert want, "the corpus has near-duplicates"
    assert {i: {j for s, j in v if s >= 0.85} for i, v in got.items() if any(s >= 0.85 for s, _ in v)} == want
    for i, lst in got.items():
        for s, j in lst:
            assert s == pytest.approx(similarity(texts[i], texts[j]))


def test_many_identical_sections_do_not_compare_every_pair():
    """3000 reports whose section 一 is one text copied, and 3000 written apart: answered without 18 million
    comparisons; each copy names another organ and counts the 2999 others."""
    from app.model import Report
    rng = random.Random(3)
    same = narrative(rng, 14)
    reports = []
    for i in range(6000):
        r = Report()
        r.meta.organ, r.meta.year = f"第{i}县民政局", 2024
        r.sections["s1"] = same if i < 3000 else narrative(rng, 14)
        reports.append(r)
    t = time.process_time()
    found, highest = similar_organs(reports)
    assert time.process_time() - t < 60  # a budget, not a benchmark
    assert len(found) == 3000 and highest[0] == 1.0 and 3000 not in found
    assert "等2999份其他机关的报告" in found[0][0].message and "100%" in found[0][0].message


# --- reading in parallel -------------------------------------------------------------------------------------------
def test_parallel_reading_matches_reading_one_by_one(tmp_path):
    paths = []
    for i in range(10):
        paths.append(save(realistic_report(random.Random(i), f"第{i}县民政局", 2023), tmp_path / f"r{i}.nianbao"))
    (tmp_path / "bad.docx").write_bytes(b"PK\x03\x04broken")
    paths.append(tmp_path / "bad.docx")
    one = load_reports(paths, jobs=1)
    two = load_reports(paths, jobs=2)
    assert [r["error"] if isinstance(r, dict) else r.meta.organ for r in one] == \
           [r["error"] if isinstance(r, dict) else r.meta.organ for r in two]
    assert [r.values for r in one[:-1]] == [r.values for r in two[:-1]]
    assert isinstance(two[-1], dict) and two[-1]["path"] == str(paths[-1])


# --- a folder under review ------------------------------------------------------------------------------------------
def _folder(tmp_path):
    d = tmp_path / "收到的年报"
    d.mkdir()
    t0 = time.time() - 1000
    rng = random.Random(11)
    save(realistic_report(rng, "淮安市民政局", 2024), d / "民政.nianbao", t0)
    edu = realistic_report(rng, "淮安市教育局", 2024)
    edu.values["t3.new.natural"] = edu.values["t3.new.natural"] + 1  # 表三 unbalanced: T3 errors
    save(edu, d / "教育-第一版.nianbao", t0)
    fixed = realistic_report(rng, "淮安市教育局", 2024)
    fixed.meta.date = "2025-03-01"  # late: a new problem in the resubmission
    save(fixed, d / "教育-第二版.nianbao", t0 + 100)
    save(realistic_report(rng, "淮安市水利局", 2024), d / "水利.nianbao", t0)  # not on the roster
    (d / "坏文件.docx").write_bytes(b"PK\x03\x04broken")
    roster = tmp_path / "名单.txt"
    roster.write_text("单位名称\n淮安市民政局\n淮安市教育局\n淮安市卫生健康委员会\n", encoding="utf-8")
    return d, roster


def test_review_json_contract(tmp_path, capsys):
    d, roster = _folder(tmp_path)
    rc = main(["review", str(d), "--json", "--roster", str(roster)])
    out = json.loads(capsys.readouterr().out)
    assert rc == 2  # one unreadable file
    assert set(out) == {"reports", "missing", "unlisted", "duplicates"}
    assert out["missing"] == ["淮安市卫生健康委员会"]
    assert out["unlisted"] == ["淮安市水利局"]
    names = lambda ps: sorted(p.rsplit("/", 1)[-1] for p in ps)
    assert [names(g) for g in out["duplicates"]] == [["教育-第一版.nianbao", "教育-第二版.nianbao"]]
    assert out["duplicates"][0][1].endswith("教育-第二版.nianbao")  # oldest first
    docs = {d_["path"].rsplit("/", 1)[-1]: d_ for d_ in out["reports"]}
    assert docs["坏文件.docx"]["error"]
    for name in ("民政.nianbao", "教育-第一版.nianbao", "教育-第二版.nianbao", "水利.nianbao"):
        doc = docs[name]
        # each report as ``check --json`` gives it, with its decisions
        assert {"path", "format", "meta", "values", "findings", "decisions"} <= set(doc)
        assert doc["decisions"] == []
    first, second = docs["教育-第一版.nianbao"], docs["教育-第二版.nianbao"]
    assert second["review"]["newer"] is True and first["review"]["newer"] is False
    again = second["review"]["resubmission"]
    assert again["fixed"] >= 1 and again["new"] >= 1
    assert docs["水利.nianbao"]["review"]["listed"] is False
    assert second["review"]["late"] is True


def test_roster_from_a_workbook(tmp_path):
    wb = Workbook()
    ws = wb.active
    for name in ("机关名称", "淮安市民政局", "洪泽区人民政府", None):
        ws.append([name, "备注"])
    wb.save(tmp_path / "名单.xlsx")
    assert read_roster(tmp_path / "名单.xlsx") == ["淮安市民政局", "洪泽区人民政府"]
    with pytest.raises(ReviewError):
        read_roster(tmp_path / "没有.xlsx")


def test_decisions_last_dismissed_leave_counts_and_a_changed_file_is_pending_again(tmp_path, capsys):
    d, _ = _folder(tmp_path)
    review = Review.read(d)
    entry = next(e for e in review.entries if e.path.name == "教育-第一版.nianbao")
    errors = [f for f in entry.findings if f.severity == "error"]
    assert errors and review.status(entry) == "未审"
    for f in errors:
        review.decide(entry, f, "dismissed", "表三经电话核实无误")
    saved = json.loads((d / DECISIONS_NAME).read_text(encoding="utf-8"))
    assert set(saved) == {"decisions"}
    rec = saved["decisions"][0]
    assert set(rec) == {"file_sha256", "rule", "cells", "status", "comment"}
    assert rec["status"] == "dismissed" and rec["comment"] == "表三经电话核实无误" and len(rec["file_sha256"]) == 64
    assert not list(d.glob("*.tmp")) and not list(d.glob(".*tmp*"))
    # read again from disk: the dismissed errors are gone from every count
    main(["review", str(d), "--json"])
    docs = {x["path"].rsplit("/", 1)[-1]: x for x in json.loads(capsys.readouterr().out)["reports"]}
    doc = docs["教育-第一版.nianbao"]
    assert doc["review"]["errors"] == 0 and len(doc["decisions"]) == len(errors)
    assert all(f["rule"] for f in doc["findings"])  # the findings themselves are still listed
    # confirming a warning makes the report 已退回
    review = Review.read(d)
    entry = next(e for e in review.entries if e.path.name == "教育-第一版.nianbao")
    warn = next((f for f in entry.findings if f.severity == "warning"), None)
    if warn is not None:
        review.decide(entry, warn, "confirmed", "请改写")
        assert review.status(entry) == "已退回"
    # the file changes: its decisions no longer apply
    p = d / "教育-第一版.nianbao"
    p.write_bytes(p.read_bytes().replace(b'"organ"', b'"organ" ', 1))
    review = Review.read(d)
    entry = next(e for e in review.entries if e.path.name == "教育-第一版.nianbao")
    assert review.counts(entry)[0] == len(errors) and review.status(entry) == "未审"
    assert len(Decisions.load(d).items) >= len(errors)  # kept, for the earlier version


def test_a_broken_decisions_file_is_not_overwritten(tmp_path, capsys):
    d, _ = _folder(tmp_path)
    for bad in ("{坏的", "[" * 100_000, '{"decisions": [{"rule": 1}]}', '{"decisions": 3}'):
        (d / DECISIONS_NAME).write_text(bad, encoding="utf-8")
        assert main(["review", str(d), "--json"]) == 2
        err = capsys.readouterr().err
        assert "审核记录" in err and "Traceback" not in err and "出错了" not in err
        assert (d / DECISIONS_NAME).read_text(encoding="utf-8") == bad


def test_review_arguments(tmp_path, capsys):
    assert main(["review", str(tmp_path / "没有"), "--json"]) == 2
    assert "找不到文件夹" in capsys.readouterr().err
    assert main(["review", str(tmp_path), "--json", "--date", "明天"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert main(["review", str(tmp_path), "--json", "--roster", str(tmp_path / "x.txt")]) == 2
    assert "名单" in capsys.readouterr().err


def test_a_roster_that_is_not_a_workbook_is_refused_in_chinese(tmp_path):
    bad = tmp_path / "名单.xlsx"
    bad.write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(ReviewError) as e:
        read_roster(bad)
    assert str(e.value).startswith("名单")
    (tmp_path / "名单.txt").write_bytes("淮安市民政局\r\n淮安市教育局\n".encode("gb18030"))
    assert read_roster(tmp_path / "名单.txt") == ["淮安市民政局", "淮安市教育局"]


def test_review_without_a_display_says_so_and_opens_with_one(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    d, roster = _folder(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(root)
    out = subprocess.run([sys.executable, "-m", "app.cli", "review", str(d)], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 2 and "没有可用的显示器" in out.stderr and "Traceback" not in out.stderr
    env.update(QT_QPA_PLATFORM="offscreen", NIANBAO_QUIT_AFTER_START="1")
    out = subprocess.run([sys.executable, "-m", "app.cli", "review", str(d), "--roster", str(roster)], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "Traceback" not in out.stderr


def _looping_pdf(path):
    """A 600-byte PDF whose /MediaBox refers to itself: the PDF reader loops on it."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox 5 0 R /Contents 4 0 R >>",
            b"<< /Length 0 >>\nstream\n\nendstream", b"5 0 R"]
    out, offs = bytearray(b"%PDF-1.4\n"), []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    x = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offs)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{x}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))


def test_a_file_that_hangs_the_reader_does_not_hang_the_folder(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path
    d = tmp_path / "folder"
    d.mkdir()
    for i in range(5):
        save(realistic_report(random.Random(i), f"第{i}县民政局", 2024), d / f"r{i}.nianbao")
    _looping_pdf(d / "loop.pdf")
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=str(root), NIANBAO_WORKER_SECONDS="4", NIANBAO_JOBS="2")
    for cmd in (["check", str(d), "--json"], ["review", str(d), "--json"]):
        t = time.monotonic()
        out = subprocess.run([sys.executable, "-m", "app.cli", *cmd], env=env, capture_output=True, text=True,
                             timeout=120)
        assert time.monotonic() - t < 60
        docs = {x["path"].rsplit("/", 1)[-1]: x for x in json.loads(out.stdout)["reports"]}
        assert out.returncode == 2 and len(docs) == 6
        assert "error" in docs["loop.pdf"]
        assert all("findings" in docs[f"r{i}.nianbao"] for i in range(5))
