"""Coverage-guided fuzzing of the importers and the project-file loader with atheris (not part of the normal run).

    pip install atheris            (or: pip install -e .[fuzz])
    python tests/fuzz/fuzz_importers.py --make-seeds CORPUS_DIR
    python tests/fuzz/fuzz_importers.py -max_total_time=900 -rss_limit_mb=2048 -timeout=30 CORPUS_DIR

The first input byte picks the kind (text, HTML, DOCX, XLSX, MHT, project file); the rest is the file. Seeds: the
published fixtures, the project fixtures and generated DOCX/HTML/text/XLSX/MHT reports (``--make-seeds DIR``
writes them). Any exception other than ``OpenError`` (or a failed invariant in ``targets``), and any input over
the budget of ``targets.SECONDS``/``targets.MEGABYTES``, is a finding.
"""
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent.parent), str(HERE.parent)]

from fuzz.targets import KINDS, run  # noqa: E402


def make_seeds(folder: Path) -> None:
    from fuzz.docs import docx_from_report, html_from_report, random_report, text_from_report
    folder.mkdir(parents=True, exist_ok=True)
    r = random_report(random.Random(0))
    (folder / "txt").write_bytes(b"\x00" + text_from_report(r, "tab").encode())
    (folder / "lines").write_bytes(b"\x00" + text_from_report(r, "lines").encode("gb18030"))
    (folder / "html").write_bytes(b"\x01" + html_from_report(r).encode())
    docx_from_report(r, folder / "tmp.docx")
    (folder / "docx").write_bytes(b"\x02" + (folder / "tmp.docx").read_bytes())
    (folder / "tmp.docx").unlink()
    published = HERE.parent / "fixtures" / "published"
    for p in sorted(published.glob("*.txt")):
        (folder / p.stem).write_bytes(b"\x00" + p.read_bytes())
    from app.export.xlsx import render_xlsx
    (folder / "xlsx").write_bytes(bytes([KINDS.index(".xlsx")]) + render_xlsx(r))
    page = html_from_report(r).encode()
    (folder / "mht").write_bytes(bytes([KINDS.index(".mht")]) + b"MIME-Version: 1.0\r\nContent-Type: multipart/related;"
                                 b' boundary="B"\r\n\r\n--B\r\nContent-Type: text/html; charset=utf-8\r\n'
                                 b"Content-Transfer-Encoding: 8bit\r\n\r\n" + page + b"\r\n--B--\r\n")
    for p in sorted((HERE.parent / "fixtures").glob("*.nianbao")):
        (folder / f"project-{p.stem}").write_bytes(bytes([KINDS.index(".nianbao")]) + p.read_bytes())


def one_input(data: bytes) -> None:
    if not data:
        return
    run(KINDS[data[0] % len(KINDS)], data[1:])


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--make-seeds":
        make_seeds(Path(sys.argv[2]))
        return
    import atheris
    atheris.instrument_all()
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
