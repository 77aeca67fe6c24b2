"""A folder worker reads each file once: the bytes it reads for the file's digest are the ones the reader parses
(``app.safezip.already_read``), after the same checks of the file's size — the same report, digest and refusals
as reading the file again."""
import builtins
import hashlib
import random
import zipfile

import pytest

from app import review, safezip
from app.documents import open_report
from app.errors import ImportFailed
from app.export import render_bytes
from reviewhelp import realistic_report


def opens_of(path, monkeypatch):
    """How often ``path`` is opened from now on."""
    seen = []
    real = builtins.open

    def counting(file, *a, **k):
        if str(file) == str(path):
            seen.append(file)
        return real(file, *a, **k)
    monkeypatch.setattr(builtins, "open", counting)
    return seen


def as_dict(report):
    return report.to_dict() if hasattr(report, "to_dict") else vars(report)


@pytest.mark.parametrize("kind", ["own", "text", "broken"])
def test_a_worker_reads_a_file_once_and_reads_it_as_before(tmp_path, monkeypatch, kind):
    report = realistic_report(random.Random(5), "某县民政局", 2024)
    if kind == "own":
        p = tmp_path / "某县民政局-2024.docx"
        p.write_bytes(render_bytes(report, ".docx"))
    elif kind == "text":
        p = tmp_path / "某县民政局-2024.txt"
        p.write_text("某县民政局2024年政府信息公开工作年度报告\n一、总体情况\n本机关依法公开政府信息。\n", "utf-8")
    else:
        p = tmp_path / "某县民政局-2024.docx"
        p.write_bytes(b"PK\x03\x04broken")
    try:
        want = repr(as_dict(open_report(p)))
    except Exception as e:  # noqa: BLE001 — the same refusal is what is compared
        want = str(e)
    seen = opens_of(p, monkeypatch)
    path, sha, _mtime, got, error, _findings = review._read_one_here(str(p), False, True)
    assert sha == hashlib.sha256(p.read_bytes()).hexdigest()
    assert (repr(as_dict(got)) if got is not None else error) == want
    assert len(seen) == 1  # the digest's reading only


def test_the_bytes_given_are_used_only_for_their_file_at_its_length(tmp_path, monkeypatch):
    p, q = tmp_path / "a.txt", tmp_path / "b.txt"
    p.write_bytes(b"abc")
    q.write_bytes(b"xyz")
    with safezip.already_read(p, b"ABC"):  # (other bytes than the file's: which were used is seen)
        assert safezip.read_bounded(p, 100, "x") == b"ABC"
        assert safezip.read_bounded(p, 100, "x", head=2) == b"AB"
        assert safezip.read_bounded(q, 100, "x") == b"xyz"  # another file: read
        p.write_bytes(b"abcd")  # the file changed its length since: read again
        assert safezip.read_bounded(p, 100, "x") == b"abcd"
    assert safezip.read_bounded(p, 100, "x") == b"abcd"


def test_the_size_limit_still_refuses_before_the_given_bytes_are_used(tmp_path):
    p = tmp_path / "big.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("junk.bin", bytes(random.Random(1).randrange(256) for _ in range(5000)))
    data = p.read_bytes()
    with pytest.raises(ImportFailed) as plain:
        safezip.read_bounded(p, 1000, "Word文件")
    with safezip.already_read(p, data), pytest.raises(ImportFailed) as given:
        safezip.read_bounded(p, 1000, "Word文件")
    assert str(given.value) == str(plain.value)


def test_a_larger_file_is_hashed_in_pieces_and_read_by_its_reader(tmp_path, monkeypatch):
    p = tmp_path / "某县民政局-2024.docx"
    p.write_bytes(render_bytes(realistic_report(random.Random(6), "某县民政局", 2024), ".docx"))
    want = repr(as_dict(open_report(p)))
    monkeypatch.setattr(safezip, "IN_MEMORY", 1000)  # (the file is larger)
    seen = opens_of(p, monkeypatch)
    path, sha, _mtime, got, error, _findings = review._read_one_here(str(p), False, True)
    assert sha == hashlib.sha256(p.read_bytes()).hexdigest()
    assert repr(as_dict(got)) == want
    assert len(seen) == 2
