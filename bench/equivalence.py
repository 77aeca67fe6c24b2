"""What this tree makes of a fixed set of documents, written canonically — to show that a change meant to be
faster changes nothing: run it on the tree before and the tree after, and compare the two files (``cmp``).

Per file: the whole imported Report (every field: values, sections, sources, review notes, totals refilled, the
import's account) and its findings; for each report of the generated folder's second year, its findings against the
first year's; then ``nianbao check --json DIR`` and ``nianbao check DIR`` of the generated folder with one job and
with the default workers (the command line's contract, byte for byte).

The documents: a folder generated as ``bench_check_folder.py`` makes it (N reports, half made in Word by offices,
half exported by us, 雷同 among them), our own DOCX export of each fixture project, and what ``tests/fixtures`` holds
of real published reports (PDF, HTML, text, Markdown, DOCX), PDFs and project files.

Run: python bench/equivalence.py OUT.txt [N]        (N defaults to 60)
"""
import contextlib
import dataclasses
import io
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]


def canon(obj):
    """A JSON-able form of any report, finding or account: dataclasses and objects by their fields, sets sorted."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: canon(getattr(obj, f.name)) for f in dataclasses.fields(obj)} | {"__cls": type(obj).__name__}
    if isinstance(obj, dict):
        return {str(k): canon(v) for k, v in sorted(obj.items(), key=lambda kv: str(kv[0]))}
    if isinstance(obj, (list, tuple)):
        return [canon(x) for x in obj]
    if isinstance(obj, (set, frozenset)):
        return sorted(repr(canon(x)) for x in obj)
    if isinstance(obj, (str, int, float, bool)) or obj is None:
        return obj
    if hasattr(obj, "__dict__"):
        return {k: canon(v) for k, v in sorted(vars(obj).items())} | {"__cls": type(obj).__name__}
    return repr(obj)


def documents(work: Path, n: int) -> tuple[Path, list[Path]]:
    from app import project
    from app.export.docx import render_docx
    from bench_check_folder import make_folder
    folder = work / "folder"
    folder.mkdir()
    files = sorted(make_folder(folder, n))
    own = work / "own"
    own.mkdir()
    for f in sorted((ROOT / "tests" / "fixtures").glob("*.nianbao")):
        out = own / f"{f.stem}-own.docx"
        out.write_bytes(render_docx(project.load(f)))
        files.append(out)
    fixtures = ROOT / "tests" / "fixtures"
    for pattern in ("real/docs/*", "real/crawled/*", "pdf/*.pdf", "*.nianbao", "published/*.txt"):
        files += sorted(p for p in fixtures.glob(pattern) if p.is_file() and p.suffix != ".md")
    return folder, files


def main() -> None:
    out_path = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    from app import sandbox
    from app.cli import main as cli
    from app.documents import open_report
    from app.rules import check
    work = Path(tempfile.mkdtemp(prefix="nianbao-equivalence-"))
    try:
        folder, files = documents(work, n)

        def name(p) -> str:
            return str(p).replace(str(work), "WORK").replace(str(ROOT), "ROOT")

        lines, reports = [], {}
        for f in files:
            try:
                r = open_report(f)
            except Exception as e:  # noqa: BLE001 — a refusal is part of what is compared
                lines.append(f"{name(f)}\tERROR\t{type(e).__name__}: {e}")
                continue
            reports[f] = r
            d = canon(r)
            d.pop("previous", None)
            lines.append(f"{name(f)}\tREPORT\t{json.dumps(d, ensure_ascii=False, sort_keys=True)}")
            lines.append(f"{name(f)}\tFINDINGS\t{json.dumps(canon(check(r)), ensure_ascii=False, sort_keys=True)}")
        for f, r in reports.items():
            prev = reports.get(f.with_name(f.name.replace("-2024.", "-2023."))) if "-2024." in f.name else None
            if prev is not None:
                found = json.dumps(canon(check(r, prev)), ensure_ascii=False, sort_keys=True)
                lines.append(f"{name(f)}\tWITH LAST YEAR\t{found}")
        old = os.environ.get("NIANBAO_JOBS")
        try:
            for jobs in ("1", ""):
                os.environ["NIANBAO_JOBS"] = jobs
                for args in (["check", "--json", str(folder)], ["check", str(folder)]):
                    with contextlib.redirect_stdout(io.StringIO()) as o, contextlib.redirect_stderr(io.StringIO()):
                        rc = cli(args)
                    sandbox.shutdown()
                    lines.append(f"{' '.join(args[:-1])} jobs={jobs or 'default'}\trc={rc}\t{name(o.getvalue())}")
        finally:
            if old is None:
                os.environ.pop("NIANBAO_JOBS", None)
            else:
                os.environ["NIANBAO_JOBS"] = old
        out_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{len(files)} files, {len(lines)} lines -> {out_path}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
