"""A lean template of our own: no leftovers of python-docx's default template (Japanese theme
language and fonts, a "spell-checked, clean" proofing state, 171 styles and their 2010 copy), only the styles the
document uses — in the template and in every exported DOCX."""
from __future__ import annotations

import io
import re
import zipfile

import pytest

from app import project
from app.export import docx as dx
from app.export import render_bytes

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _exported() -> bytes:
    return render_bytes(project.load("tests/fixtures/wuzhong-minzheng-2023.nianbao"), ".docx")


@pytest.fixture(scope="module", params=["template", "export"])
def package(request):
    data = dx.default_template().read_bytes() if request.param == "template" else _exported()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_no_foreign_leftovers(package):
    names = set(package)
    for gone in ("word/stylesWithEffects.xml", "word/webSettings.xml", "word/numbering.xml", "word/theme/theme1.xml",
                 "docProps/thumbnail.jpeg"):
        assert gone not in names, gone
    everything = b"\n".join(package.values()).decode("utf-8", "replace")
    for leftover in ("ja-JP", "ＭＳ 明朝", "ＭＳ ゴシック", "proofState", "MS Mincho", "맑은 고딕", "新細明體"):
        assert leftover not in everything, leftover
    settings = package["word/settings.xml"].decode()
    assert re.search(r'<w:themeFontLang [^>]*w:eastAsia="zh-CN"', settings) or "themeFontLang" not in settings
    assert "<w:evenAndOddHeaders/>" in settings  # what the layout needs stays
    fonts = re.findall(r'<w:font w:name="([^"]+)"', package["word/fontTable.xml"].decode())
    assert set(fonts) <= {"仿宋_GB2312", "楷体_GB2312", "方正小标宋简体", "黑体", "宋体"}, fonts


def test_only_the_styles_the_document_uses(package):
    styles = package["word/styles.xml"].decode()
    assert len(package["word/styles.xml"]) < 16_000
    assert "<w:latentStyles" not in styles
    defined = set(re.findall(r'<w:style [^>]*w:styleId="([^"]+)"', styles))
    named = set()
    for n, blob in package.items():
        if re.fullmatch(r"word/(document|footer\d+|header\d+)\.xml", n):
            named |= set(re.findall(r'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', blob.decode()))
    based = set(re.findall(r'<w:basedOn w:val="([^"]+)"', styles))
    defaults = set(re.findall(r'<w:style [^>]*w:default="1"[^>]*w:styleId="([^"]+)"', styles)) | \
        set(re.findall(r'<w:style [^>]*w:styleId="([^"]+)"[^>]*w:default="1"', styles))
    assert named <= defined
    assert defined <= named | based | defaults, defined - named - based - defaults
