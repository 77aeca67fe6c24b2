"""HTML pages (rowspan/colspan, nested layout tables, GBK) and the text shapes of copied pages."""
import random

import pytest

from app.documents import open_report
from app.formats import load_format
from app.values import NA
from fuzz.docs import html_from_report, random_report, text_from_report

FMT = load_format()


def assert_every_cell(got, expected):
    for cid in FMT.cells:
        assert got.values.get(cid) == expected.values.get(cid), cid
    assert got.meta == expected.meta
    for sid in FMT.text_sections:
        assert got.sections[sid] == expected.sections[sid]


@pytest.mark.parametrize("nested", [False, True])
def test_html_rowspan_colspan(tmp_path, nested):
    r = random_report(random.Random(21), organ="河东区教育局", year=2022)
    page = html_from_report(r, nested=nested)
    assert 'rowspan="22"' in page and 'colspan="7"' in page
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    got = open_report(path)
    assert_every_cell(got, r)
    assert got.review == {}
    assert got.sources["t3.new.natural"].startswith(f"表三·第{2 + nested}个表格第4行")  # 3 header rows


def test_html_gbk_with_entities(tmp_path):
    r = random_report(random.Random(22))
    r.values["t2.regulations.issued"] = NA
    page = html_from_report(r, forms={"t2.regulations.issued": "&#47;", "t4.review.upheld": "&nbsp;"
                                      + str(r.values["t4.review.upheld"])})
    page = (
        page.replace("&amp;#47;", "&#47;").replace("&amp;nbsp;", "&nbsp;").replace('charset="utf-8"', 'charset="gbk"')
    )
    path = tmp_path / "page.htm"
    path.write_bytes(page.encode("gbk"))
    assert_every_cell(open_report(path), r)


def test_html_blank_cell_in_merged_row(tmp_path):
    r = random_report(random.Random(23))
    del r.values["t3.withheld.secret.research"]
    path = tmp_path / "p.html"
    path.write_text(html_from_report(r), encoding="utf-8")
    got = open_report(path)
    assert "t3.withheld.secret.research" not in got.values
    assert_every_cell(got, r)


@pytest.mark.parametrize("shape", ["tab", "pipe", "lines", "spaces"])
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16", "utf-8-sig"])
def test_text_shapes_and_encodings(tmp_path, shape, encoding):
    r = random_report(random.Random(hash((shape, encoding)) % 1000))
    text = text_from_report(r, shape)
    text = text.replace(FMT.section("t3")["heading"], FMT.section("t3")["heading"] + "[bookmark: _Toc3]")
    text = text.replace("（一）予以公开", "(一) 予以公开")  # half-width brackets and a space, as pasted
    path = tmp_path / "r.txt"
    path.write_bytes(text.encode(encoding))
    got = open_report(path)
    assert_every_cell(got, r)
    assert got.review == {}


def test_markdown_headings_and_bold(tmp_path):
    r = random_report(random.Random(31))
    text = text_from_report(r, "pipe")
    for sec in FMT.sections:
        text = text.replace("\n" + sec["heading"] + "\n", "\n## " + sec["heading"] + "\n")
    text = text.replace("（一）存在的主要问题", "**（一）存在的主要问题**")
    path = tmp_path / "r.md"
    path.write_text("# " + text, encoding="utf-8")
    got = open_report(path)
    assert_every_cell(got, r)


def test_one_cell_per_line_with_blank_values(tmp_path):
    r = random_report(random.Random(41))
    for cid in ("t2.penalty.decisions", "t3.carried_in.legal", "t4.suit_direct.pending"):
        del r.values[cid]
    path = tmp_path / "r.txt"
    path.write_text(text_from_report(r, "lines"), encoding="utf-8")
    assert_every_cell(open_report(path), r)


def test_mht_single_file_page(tmp_path):
    """“网页，单个文件” (.mht): MIME archive, quoted-printable HTML in GB2312."""
    import email.mime.multipart
    import email.mime.text

    r = random_report(random.Random(51), organ="城关镇人民政府", year=2023)
    msg = email.mime.multipart.MIMEMultipart("related")
    html = email.mime.text.MIMEText(
        html_from_report(r).replace('charset="utf-8"', 'charset="gb18030"'), "html", "gb18030"
    )
    msg.attach(html)
    path = tmp_path / "page.mht"
    path.write_bytes(msg.as_bytes())
    assert b"Content-Transfer-Encoding" in path.read_bytes()
    assert_every_cell(open_report(path), r)
    bad = tmp_path / "bad.mht"
    bad.write_bytes(b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nhello")
    from app.documents import OpenError

    with pytest.raises(OpenError, match="没有网页内容"):
        open_report(bad)
