"""Export a report to Word (DOCX), PDF or Excel (XLSX).

``export_report(report, out_path, template=None, force=False)`` picks the writer by the file suffix.
Every export renders to bytes first and then replaces the target with
:func:`app.project.atomic_write`, so a failed export never leaves a half-written file under the target
name.  The heavy libraries (python-docx, docxtpl, reportlab, openpyxl) are imported inside the functions.
"""
from __future__ import annotations

from pathlib import Path

from .errors import ExportError, ReportHasErrors, TemplateProblem

FORMATS = {".docx": "Word 文档", ".pdf": "PDF 文档", ".xlsx": "Excel 工作簿"}


MAX_TEXT_CHARS = 200_000  # the report's own text (≈ 100 pages of 3号 body text; a report has 2 000–20 000)


def _check_size(report) -> None:
    """Refuse absurd sizes before any layout starts: layout time grows with the text (linearly; ~35 µs a
    character in the PDF), so the limit bounds every export in time and memory."""
    from ..values import display
    total = sum(len(t or "") for t in report.sections.values()) + len(report.meta.organ or "") + \
        len(report.meta.contact or "") + len(report.meta.date or "") + \
        sum(len(display(v)) for v in report.values.values())
    if total > MAX_TEXT_CHARS:
        raise ExportError(f"报告的文字共 {total:,} 字，超过导出上限 {MAX_TEXT_CHARS:,} 字（约 100 页），"
                          "不像是一份年度报告，"
                          "未导出。请检查正文中是否误粘贴了大量文字。")


def supported_suffixes() -> list[str]:
    return list(FORMATS)


def _check_errors(report, force: bool = False) -> int:
    """How many errors ``report`` has; with errors and not ``force``, :class:`ReportHasErrors`."""
    from ..rules import ERROR, check
    findings = check(report, severity=ERROR)  # the warning-only rules (narrative grammar) are not run
    if findings and not force:
        lines = "\n".join(f"  · [{f.rule}] {f.message}" for f in findings[:12])
        more = f"\n  …另有 {len(findings) - 12} 处" if len(findings) > 12 else ""
        raise ReportHasErrors(f"报告还有 {len(findings)} 处错误，未导出：\n"
                              f"{lines}{more}", findings)
    return len(findings)


def _guard(what: str, fn, *args):
    """Call a writer; anything but an ExportError becomes one (Chinese), so callers see one error type."""
    try:
        return fn(*args)
    except ExportError:
        raise
    except Exception as e:
        raise ExportError(f"生成 {what} 文件失败（{type(e).__name__}：{e}）。") from e


def render_bytes(report, suffix: str, template=None, standard_fonts: bool | None = None, errors: int = 0) -> bytes:
    """The exported document as bytes (nothing written under the target name); ``errors``: how many errors the
    report is exported with (the Word and PDF document then print the draft mark first)."""
    suffix = suffix.lower()
    _check_size(report)
    if suffix == ".docx":
        from .docx import render_docx
        return render_docx(report, template, standard_fonts, errors)
    if template is not None:
        raise ExportError("自定义模板只适用于 Word（.docx）导出。")
    if suffix == ".pdf":
        from .pdf import render_pdf
        return _guard("PDF", render_pdf, report, errors)
    if suffix == ".xlsx":
        from .xlsx import render_xlsx
        return _guard("Excel", render_xlsx, report)
    raise ExportError(f"不能导出为“{suffix or '无扩展名'}”文件。请以 .docx（Word）、.pdf 或 .xlsx（Excel）结尾。")


def export_report(report, out_path, template=None, force: bool = False, standard_fonts: bool | None = None) -> Path:
    """Write ``report`` to ``out_path`` (.docx/.pdf/.xlsx).  Returns the path.

    Raises :class:`ReportHasErrors` when the report has errors and ``force`` is False, :class:`ExportError`
    for anything else (unknown suffix, bad template, unwritable folder); in every failure case the target
    file is left as it was.
    """
    out = Path(out_path)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"不能导出为“{suffix or '无扩展名'}”文件。请以 .docx（Word）、.pdf 或 .xlsx（Excel）结尾。")
    from ..project import atomic_write, os_error_text
    try:  # a name too long for the file system makes stat() itself fail (ENAMETOOLONG), not return False
        if out.is_dir():
            raise ExportError(f"“{out}”是文件夹，请给出要保存的文件名。")
        folder = out.parent if str(out.parent) else Path(".")
        if not folder.is_dir():
            raise ExportError(f"保存位置“{folder}”不存在。")
    except OSError as e:
        raise ExportError(f"无法写入“{out.name}”：{os_error_text(e)}。") from None
    errors = _check_errors(report, force)
    data = render_bytes(report, suffix, template, standard_fonts, errors)
    try:
        atomic_write(out, data, backup=False)
    except PermissionError:
        raise ExportError(f"无法写入“{out.name}”：没有写入权限，或文件正在 Word/WPS 中打开（请先关闭）。") from None
    except OSError as e:
        raise ExportError(f"无法写入“{out.name}”：{os_error_text(e)}。") from None
    return out


__all__ = ["ExportError", "ReportHasErrors", "TemplateProblem", "export_report", "render_bytes",
           "supported_suffixes", "FORMATS"]
