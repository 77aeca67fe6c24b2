"""QA reproduction: a phone number written with a dash other than "-" (0527—83593059, as the published
沭阳县发展和改革局 2023 report has it) is silently dropped from the imported 联系方式; the import note then shows
the contact without the phone as if that were all the document said."""
from app.documents import open_report
from app.importers.recognise import contact_fields
from conftest import ROOT

DOC = ROOT / "tests" / "fixtures" / "real" / "docs" / "shuyang-fagaiju-2023.html"


def test_real_report_contact_keeps_its_phone():
    report = open_report(DOC)
    assert "83593059" in report.meta.contact, report.meta.contact


def test_phone_with_long_dash_is_a_phone():
    for text in ("电话：0527—83593059", "电话：0527－83593059", "电话：0527–83593059"):
        assert "83593059" in contact_fields(text).get("电话", ""), text
