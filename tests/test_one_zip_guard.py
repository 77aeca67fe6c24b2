"""One ZIP guard for every Office file the program opens: imported Word/Excel files, our own exports read back and
custom Word templates all go through ``app.importers.base.open_zip``."""
import shutil
import zipfile

from app.export.docx import check_template, default_template
from app.importers.base import ImportFailed, open_zip


def _with_doctype(src, dst):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE w:document [<!ENTITY x "x">]>', 1)
            zout.writestr(info, data)


def test_a_template_with_an_entity_declaration_is_refused_by_the_one_guard(tmp_path):
    bad = tmp_path / "bad.docx"
    _with_doctype(default_template(), bad)
    try:
        open_zip(bad, "Word", ())
        guard = None
    except ImportFailed as e:
        guard = str(e)
    assert guard and "DOCTYPE" in guard
    problems = check_template(bad)
    assert problems and guard in problems[0]


def test_a_zip_bomb_template_is_refused_before_it_is_unpacked(tmp_path):
    bomb = tmp_path / "bomb.docx"
    shutil.copy(default_template(), bomb)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/media/zeros.xml", b"<a>" + b"0" * (60 * 1024 * 1024) + b"</a>")
    problems = check_template(bomb)
    assert problems and "模板不能使用" in problems[0]
