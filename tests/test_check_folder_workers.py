"""``nianbao check DIR`` over the folder workers: the rules run in the workers (also the cross-year ones, against
the paired report), and the result is the same as one process reading and checking the files one by one — with a
rule pack, with pairs, with an unreadable file, also when the workers are spawned (Windows) rather than forked."""
import json
import multiprocessing
import random

import pytest

from app import review
from app.cli import main
from app.rulepacks import parse_pack, using
from reviewhelp import realistic_report, save

PACK = {"name": "测试", "rules": [
    {"id": "LOCAL.S1_LENGTH", "severity": "warning", "type": "max_chars", "section": "s1", "max": 30,
     "hint": "总体情况篇幅原则上不超过三十字。"}]}


def _folder(tmp_path):
    d = tmp_path / "年报"
    d.mkdir()
    for i in range(6):
        organ, year = f"第{i // 2}县民政局", 2023 + i % 2
        r = realistic_report(random.Random(i), organ, year)
        if i == 3:
            r.values["t3.new.natural"] = (r.values.get("t3.new.natural") or 0) + 7  # an error of its own
        save(r, d / f"{organ}-{year}.nianbao")
    (d / "坏文件.docx").write_bytes(b"PK\x03\x04broken")
    return d


def _check_json(folder, jobs, monkeypatch, capsys, *more):
    monkeypatch.setenv("NIANBAO_JOBS", str(jobs))
    rc = main(["check", str(folder), "--json", *more])
    return rc, json.loads(capsys.readouterr().out)


@pytest.fixture(params=["fork", "spawn"])
def start_method(request, monkeypatch):
    if request.param not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {request.param} on this platform")
    monkeypatch.setattr(review, "_context", lambda: multiprocessing.get_context(request.param))
    return request.param


def test_check_dir_in_workers_equals_one_process(tmp_path, monkeypatch, capsys, start_method):
    d = _folder(tmp_path)
    rc1, one = _check_json(d, 1, monkeypatch, capsys)
    rc2, two = _check_json(d, 2, monkeypatch, capsys)
    assert rc1 == rc2 == 2  # the broken file
    assert one == two
    rules = {f["rule"] for doc in two["reports"] for f in doc.get("findings", [])}
    assert "YEAR.CARRY" in rules or "TEXT.SIMILAR" in rules or any(r.startswith("YEAR.") for r in rules), rules
    assert sum("error" in doc for doc in two["reports"]) == 1


def test_check_dir_text_output_in_workers_equals_one_process(tmp_path, monkeypatch, capsys, start_method):
    """The text output (each report named by its title; the workers send the rest of a report only to be
    checked) is the same as one process reading and checking the files one by one."""
    d = _folder(tmp_path)
    out = []
    for jobs in (1, 2):
        monkeypatch.setenv("NIANBAO_JOBS", str(jobs))
        rc = main(["check", str(d)])
        out.append((rc, capsys.readouterr().out))
    assert out[0] == out[1] and "错误" in out[1][1] and "（未命名报告）" not in out[1][1]


def test_check_dir_rule_pack_runs_in_the_workers(tmp_path, monkeypatch, capsys, start_method):
    d = _folder(tmp_path)
    pack = tmp_path / "包.json"
    pack.write_text(json.dumps(PACK, ensure_ascii=False), encoding="utf-8")
    _rc1, one = _check_json(d, 1, monkeypatch, capsys, "--rules", str(pack))
    _rc2, two = _check_json(d, 2, monkeypatch, capsys, "--rules", str(pack))
    assert one == two
    local = [doc["path"] for doc in two["reports"]
             if any(f["rule"] == "LOCAL.S1_LENGTH" for f in doc.get("findings", []))]
    assert len(local) == 6  # every readable report, paired or not


def test_desk_workers_check_with_the_active_rule_pack(tmp_path, start_method):
    """The desk reads with findings in its workers: those of a report without last year's report come from
    there, so the pack active in the window must be active in the workers too."""
    d = _folder(tmp_path)
    with using(parse_pack(PACK)):
        entries = [e for e in review.read_files(sorted(d.iterdir()), jobs=2) if e.report is not None]
    assert len(entries) == 6
    for e in entries:
        assert any(f.rule == "LOCAL.S1_LENGTH" for f in e.findings), e.path.name


def _across_folder(tmp_path, load_fixture):
    """Five reports: paragraphs of one copied into another organ's, a section copied whole by another organ (雷同),
    a pair of consecutive years."""
    from app import project
    a, c = load_fixture("weihui-minzheng-2022"), load_fixture("pingqiao-minzheng-2024")
    a.sections["s5"] += "\n" + c.sections["s5"]  # two paragraphs copied from another organ
    w = load_fixture("wuzhong-minzheng-2023")
    twin = load_fixture("wuzhong-minzheng-2023")
    twin.meta.organ = "吴忠市教育局"  # another organ, section 一 the same: 雷同
    later = realistic_report(random.Random(5), "平桥区民政局", c.meta.year + 1)  # paired with c
    d = tmp_path / "年报"
    d.mkdir()
    paths = []
    for name, r in {"a": a, "c": c, "w": w, "twin": twin, "later": later}.items():
        paths.append(d / f"{name}.nianbao")
        project.save(r, paths[-1])
    return paths


def _one_by_one(paths):
    from app.documents import open_report
    from app.rules import check
    reports = [open_report(p) for p in paths]
    pairs = review.pair_years(reports)
    assert pairs, "the folder has a pair of consecutive years"
    where = {id(r): j for j, r in enumerate(reports)}
    alike, _ = review.organ_findings(reports)
    rules = {f.rule for fs in alike.values() for f in fs}
    assert {"TEXT.SIMILAR_ORGANS", "TEXT.COPIED_ORGANS"} <= rules, rules
    return {i: where[id(r)] for i, r in pairs.items()}, [check(r, pairs.get(i)) + alike.get(i, [])
                                                        for i, r in enumerate(reports)]


def _folder_check(paths, pairs, jobs, whole=True):
    with review.FolderCheck(paths, jobs=jobs, whole=whole) as fc:
        loaded = fc.read()
        if not whole and jobs > 1:  # what the text output reads of each report; the rest stays in the messages
            assert all(not r.values and r.sections for r in loaded) and len(fc.packed) == len(paths)
        pairs = {i: loaded[j] for i, j in pairs.items()}  # (paired by index: the reports as read here)
        fc.check(pairs)
        across = fc.across_organs()
        return [fs + across.get(i, []) for i, fs in enumerate(fc.findings())]


@pytest.mark.parametrize("whole", [True, False])
@pytest.mark.parametrize("jobs,method", [(1, None), (2, "fork"), (2, "spawn")])
def test_folder_check_gives_what_checking_one_by_one_gives(tmp_path, load_fixture, monkeypatch, jobs, method,
                                                           whole):
    """Rules, cross-year pairs, 雷同 of whole sections (signatures and trigrams made by the workers as they read)
    and copied paragraphs (shingles made by forked workers, here by spawned ones; a section copied whole left to
    its 雷同 finding), compared across organs by a worker: the same findings, in the same order, as reading the
    files and calling ``check`` and ``organ_findings`` here."""
    if method is not None:
        if method not in multiprocessing.get_all_start_methods():
            pytest.skip(f"no {method} on this platform")
        monkeypatch.setattr(review, "_context", lambda: multiprocessing.get_context(method))
    paths = _across_folder(tmp_path, load_fixture)
    pairs, want = _one_by_one(paths)
    assert _folder_check(paths, pairs, jobs, whole) == want


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="the task is this module's")
@pytest.mark.parametrize("whole", [True, False])
def test_the_comparison_across_organs_is_made_here_when_its_worker_dies(tmp_path, load_fixture, monkeypatch, whole):
    monkeypatch.setattr(review, "_context", lambda: multiprocessing.get_context("fork"))
    monkeypatch.setattr(review, "_across_task", _die_across)
    paths = _across_folder(tmp_path, load_fixture)
    pairs, want = _one_by_one(paths)
    assert _folder_check(paths, pairs, 2, whole) == want


def _fail_check(items, pack):
    raise RuntimeError("坏")


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="the tasks are this module's")
@pytest.mark.parametrize("whole", [True, False])
def test_reports_whose_check_fails_in_the_workers_are_checked_here(tmp_path, load_fixture, monkeypatch, whole):
    """Not ``whole``, this process has the reports' format, meta and sections, and the rest as the workers sent
    it: what it checks itself it unpickles first, with the same findings."""
    monkeypatch.setattr(review, "_context", lambda: multiprocessing.get_context("fork"))
    monkeypatch.setattr(review, "_check_many", _fail_check)
    monkeypatch.setattr(review, "_check_kept", _fail_check)
    paths = _across_folder(tmp_path, load_fixture)
    pairs, want = _one_by_one(paths)
    assert _folder_check(paths, pairs, 2, whole) == want


def _counted_check_kept(items, pack):
    import os
    with open(os.environ["NIANBAO_TEST_KEPT_LOG"], "a", encoding="utf-8") as fh:
        fh.write(f"{len(items)} {sum(1 for it in items if it[2] is not None)}\n")
    return _real_check_kept(items, pack)


_real_check_kept = review._check_kept


def _counted_across_kept(reports, digests, pack, seconds=None):
    import os
    with open(os.environ["NIANBAO_TEST_KEPT_LOG"], "a", encoding="utf-8") as fh:
        fh.write(f"across {sum(isinstance(r, str) for r in reports)}\n")
    return _real_across_kept(reports, digests, pack, seconds)


_real_across_kept = review._across_kept


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="the task is this module's")
def test_each_worker_checks_the_reports_it_read_without_their_travelling_again(tmp_path, load_fixture,
                                                                                monkeypatch):
    """The reports a worker read are checked by it, from what it kept (last year's report too, where it read
    that one as well), and compared across organs by it with the others' sent: the same findings as reading and
    checking one by one."""
    monkeypatch.setattr(review, "_context", lambda: multiprocessing.get_context("fork"))
    log = tmp_path / "kept.log"
    monkeypatch.setenv("NIANBAO_TEST_KEPT_LOG", str(log))
    monkeypatch.setattr(review, "_check_kept", _counted_check_kept)
    monkeypatch.setattr(review, "_across_kept", _counted_across_kept)
    paths = _across_folder(tmp_path, load_fixture)
    pairs, want = _one_by_one(paths)
    with review.FolderCheck(paths, jobs=2) as fc:
        loaded = fc.read()
        assert sorted(fc.kept) == sorted(map(str, paths))  # every report kept by the worker that read it
        fc.check({i: loaded[j] for i, j in pairs.items()})
        across = fc.across_organs()
        got = [fs + across.get(i, []) for i, fs in enumerate(fc.findings())]
    assert got == want
    # checked from what the workers kept (a batch of the worker that compares across organs may be given away)
    lines = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    checked = [line for line in lines if line[0] != "across"]
    assert checked and sum(int(n) for n, _ in checked) <= len(paths)
    assert [int(n) for what, n in lines if what == "across"][0] >= 1  # the ones its worker read not sent


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="the workers are killed here")
@pytest.mark.parametrize("whole", [True, False])
def test_the_reports_a_dead_worker_kept_are_checked_all_the_same(tmp_path, load_fixture, monkeypatch, whole):
    """A worker that read (and kept) reports dies before checking them: they are checked elsewhere, with the same
    findings."""
    monkeypatch.setattr(review, "_context", lambda: multiprocessing.get_context("fork"))
    paths = _across_folder(tmp_path, load_fixture)
    pairs, want = _one_by_one(paths)
    with review.FolderCheck(paths, jobs=2, whole=whole) as fc:
        loaded = fc.read()
        assert fc.workers is not None and fc.kept
        fc.workers.procs[0].proc.kill()
        fc.workers.procs[0].proc.join(5)
        fc.check({i: loaded[j] for i, j in pairs.items()})
        across = fc.across_organs()
        got = [fs + across.get(i, []) for i, fs in enumerate(fc.findings())]
    assert got == want


def test_a_worker_takes_its_own_tasks_first_then_any_other(monkeypatch):
    """A task with a form for one worker (``(pid, function, args)``) goes to that worker in that form; the other
    worker takes the first task that is nobody's, and only when none is left one of the first's, in its plain
    form."""
    class P:
        def __init__(self, pid):
            self.proc = type("proc", (), {"pid": pid})()
        owns = review._Proc.owns

    a, b = P(1), P(2)
    from collections import deque
    todo = deque([("a1", None, (), None, (1, None, ())), ("any", None, ()), ("a2", None, (), None, (1, None, ()))])
    assert review._Workers._take(b, todo)[0] == "any"
    assert review._Workers._take(b, todo)[0] == "a1"  # given away: nothing else left for b
    assert review._Workers._take(a, todo)[0] == "a2"
    assert a.owns(("t", None, (), None, (1, None, ()))) and not b.owns(("t", None, (), None, (1, None, ())))


def _sleep(s):
    import time
    time.sleep(s)
    return s


def _die(code):
    import os
    os._exit(code)


def _die_across(reports, digests, pack, seconds):
    _die(3)


def _fail(text):
    raise ValueError(text)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="the tasks are this module's")
@pytest.mark.parametrize("ahead", [False, True])
def test_a_task_past_its_time_or_whose_worker_dies_is_late_and_the_others_go_on(monkeypatch, ahead):
    """Also with the next task sent ahead (as files are read): the one waiting behind a task that hangs or whose
    worker dies is done by another worker, not reported late."""
    monkeypatch.setattr(review, "_context", lambda: multiprocessing.get_context("fork"))
    monkeypatch.setattr(review, "file_timeout", lambda: 1.5)
    tasks = [("hang", _sleep, (60,)), ("dies", _die, (3,)), ("fails", _fail, ("坏",)),
             ("unpicklable", _sleep, (lambda: 0,))]
    tasks += [(f"ok{i}", _sleep, (0.01 * i,)) for i in range(6)]
    tasks += [("own limit", _sleep, (2.5,), 4.0), ("own limit, late", _sleep, (60,), 0.5)]
    with review._Workers(2) as w:
        got = {k: (r, f) for k, r, f in w.run(tasks, ahead=ahead)}
        assert len(got) == len(tasks)
        assert got["hang"] == (None, "late") and got["dies"] == (None, "late")
        assert isinstance(got["fails"][1], ValueError) and str(got["fails"][1]) == "坏"
        assert got["unpicklable"][0] is None and isinstance(got["unpicklable"][1], Exception)
        assert all(got[f"ok{i}"] == (0.01 * i, None) for i in range(6))
        assert got["own limit"] == (2.5, None) and got["own limit, late"] == (None, "late")
        # the same workers (two, replaced where one was stopped) take the next tasks
        assert [r for _k, r, _f in w.run([("again", _sleep, (0.02,))])] == [0.02]
        assert len(w.procs) == 2 and all(p.proc.is_alive() for p in w.procs)


def test_shingle_index_names_the_first_added_of_two_as_copied_and_takes_arrays():
    """Of two other texts with as much copied, the one added first is named (every run the same; the order of a
    set of string hashes before); shingles given as arrays (as the workers send them) find what sets find."""
    from array import array

    from app.similarity import ShingleIndex, shingles
    copied = ("本机关全年坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实政府信息公开条例的各项规定要求，"
              "围绕中心工作，主动回应社会关切，持续提升政务公开的质量和实效。")
    texts = {"a": copied + "\n甲乙丙丁戊己庚辛壬癸的独有文字内容在这里。",
             "b": "其他机关的内容完全不同而且很长很长。\n" + copied,
             "c": "第三份报告也有不同的开头文字内容若干。\n" + copied}
    for order in (("a", "b", "c"), ("a", "c", "b")):
        found = []
        for as_array in (False, True):
            index = ShingleIndex()
            for k in order:
                s = shingles(texts[k])
                index.add_shingles(k, array("q", s) if as_array else s)
            hits = index.copies(texts=texts)
            found.append({k: [other for other, _ in v] for k, v in hits.items()})
        assert found[0] == found[1]
        assert found[0]["a"] == [k for k in order if k != "a"]  # as much copied from each: in the order added
