"""Coverage-guided fuzzing of the importers with atheris (not part of the normal test run).

    pip install atheris
    python tests/fuzz/fuzz_importers.py -atheris_runs=20000 [CORPUS_DIR]

The first input byte picks the importer (text, HTML, DOCX, XLSX); the rest is the file. Seeds: the published
fixtures and generated DOCX/HTML/text reports (``--make-seeds DIR`` writes them). Any exception other than
``OpenError`` (or a failed invariant in ``targets.check_report``) is a finding.
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
