"""The report model: meta, one value per cell id, and the narrative sections."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

from .formats import DEFAULT_FORMAT, Format, load_format
from .totals import recompute
from .values import NA, Value, numeric, parse_value


@dataclass
class Meta:
    organ: str = ""
    year: int | None = None
    date: str = ""  # ISO yyyy-mm-dd (成文日期)
    contact: str = ""
    # the opening paragraph as the office wrote it; "" = the format's standard opening, worded from organ and year
    opening: str = ""


@dataclass
class Report:
    format_id: str = DEFAULT_FORMAT
    meta: Meta = field(default_factory=Meta)
    values: dict[str, Value] = field(default_factory=dict)  # missing key = blank
    sections: dict[str, str] = field(default_factory=dict)
    previous: "Report | None" = None  # last year's report, for cross-year checks
    review: dict[str, str] = field(default_factory=dict)  # cell id -> why it needs a human look
    sources: dict[str, str] = field(default_factory=dict)  # cell id -> where an imported value came from
    origin_format: str | None = None  # format of the document this was imported from
    extra: dict = field(default_factory=dict)  # unknown keys of the file, kept on save
    # totals the file held that differ from the sum of their cells, refilled when it was read: cell -> (stored, now);
    # never saved, shown to the clerk (app.project.recomputed_text)
    recomputed: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def format(self) -> Format:
        return load_format(self.format_id)

    def get(self, cell_id: str) -> Value:
        return self.values.get(cell_id)

    def set(self, cell_id: str, value: Value) -> None:
        if cell_id not in self.format.cells:
            raise KeyError(cell_id)
        if value is None:
            self.values.pop(cell_id, None)
        else:
            self.values[cell_id] = value

    def set_text(self, cell_id: str, text: str) -> Value:
        """Parse typed text into the cell; on bad input raise (Chinese message) and keep the old value."""
        cell = self.format.cells[cell_id]
        value = parse_value(text, cell.kind, cell.name)
        self.set(cell_id, value)
        return value

    def number(self, cell_id: str):
        return numeric(self.values.get(cell_id))

    def title(self) -> str:
        return self.format.title(self.meta.organ, self.meta.year)

    def known_title(self) -> str:
        """The title when organ and year are both known, else "" (never "年政府信息公开工作年度报告" or
        "某局年政府信息公开工作年度报告": the format's pattern filled with nothing)."""
        return self.title() if self.meta.organ and self.meta.year else ""

    def name(self) -> str:
        """How a message names this report: 《title》, else the organ's report, else one whose organ is unknown."""
        if self.known_title():
            return f"《{self.known_title()}》"
        return f"{self.meta.organ}的报告" if self.meta.organ else "一份未识别出机关名称的报告"

    def copy(self) -> "Report":
        return copy.deepcopy(self)


def new_report(format_id: str = DEFAULT_FORMAT) -> Report:
    return Report(format_id=format_id)


def next_year_report(last: Report) -> Report:
    """A new report started from last year's: organ, year+1, and the cells the format carries over (上年结转 =
    last year's 结转下年度 per column, :meth:`Format.carry_over`), its totals computed from those columns (last
    year's own total may be blank or wrong in a file that was read badly)."""
    report = Report(format_id=last.format_id if last.format_id == DEFAULT_FORMAT else DEFAULT_FORMAT)
    report.meta.organ = last.meta.organ
    report.meta.contact = last.meta.contact
    report.meta.year = last.meta.year + 1 if last.meta.year else None
    for cell_id, last_cell in report.format.carry_over():
        value = last.values.get(last_cell)
        if value is not None:
            report.values[cell_id] = value
    recompute(report)
    prev = last.copy()
    prev.previous = None
    report.previous = prev
    return report


__all__ = ["Meta", "Report", "new_report", "next_year_report", "NA"]
