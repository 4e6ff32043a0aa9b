"""The protection centre's periodic summary (แบบสรุปผลการดำเนินงาน) as PDF, Word and CSV for Excel."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from bot.core.thai_dates import format_datetime, to_thai_digits
from bot.paperwork.documents import blocks as b
from bot.paperwork.documents import layout, word_layout
from bot.paperwork.documents.thai_text import format_number
from bot.paperwork.documents.wording import words

DOC = "summary"
TITLE = words(DOC, "title")
Rows = list[tuple[str, int]]
CSV_HEADER = ("หมวด", "รายการ", "จำนวน", "หน่วย")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class SummaryData:
    """Counts for one period; every table is a list of (label, count)."""

    title: str  # e.g. "แบบสรุปผลการดำเนินงานคุ้มครองและช่วยเหลือเด็กนักเรียน"
    office_name: str
    period_label: str  # e.g. "เดือนพฤศจิกายน 2569" or "ปีงบประมาณ 2570"
    generated_at: datetime
    by_category: Rows = field(default_factory=list)  # every category, zeros included
    by_district: Rows = field(default_factory=list)  # every configured district, then the others together
    by_state: Rows = field(default_factory=list)
    referrals_by_destination: Rows = field(default_factory=list)
    median_minutes_to_take: float | None = None
    overdue: int = 0
    aid_paid_baht: int = 0
    aid_paid_count: int = 0
    province: str = ""

    @property
    def total_cases(self) -> int:
        """All cases of the period (the sum of the by-category table)."""
        return sum(count for _, count in self.by_category)


def _cells(part: str, **values) -> list[str]:
    """A template line of cells separated by "|"."""
    return [cell.strip() for cell in words(DOC, part, **values).split("|")]


def tables(data: SummaryData) -> list[tuple[str, str, str, Rows]]:
    """The tables to show: (section title, column heading, unit, rows)."""
    rows = (data.by_category, data.by_district, data.by_state, data.referrals_by_destination)
    lines = [line for line in words(DOC, "tables").splitlines() if line.strip()]
    return [(*(cell.strip() for cell in line.split("|")), table) for line, table in zip(lines, rows)]


def duration_text(minutes: float | None) -> str:
    """Minutes as Thai words: 95 -> "1 ชั่วโมง 35 นาที"; None -> "-"."""
    if minutes is None:
        return "-"
    total = round(minutes)
    days, rest = divmod(total, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [(days, "วัน"), (hours, "ชั่วโมง"), (mins, "นาที")]
    return " ".join(f"{format_number(n)} {unit}" for n, unit in parts if n) or "0 นาที"


def key_figures(data: SummaryData) -> list[tuple[str, str]]:
    """The headline figures as (label, formatted value)."""
    return [
        (words(DOC, "total_cases"), f"{format_number(data.total_cases)} เรื่อง"),
        (words(DOC, "median"), duration_text(data.median_minutes_to_take)),
        (words(DOC, "overdue"), f"{format_number(data.overdue)} เรื่อง"),
        (words(DOC, "aid_paid"), f"{format_number(data.aid_paid_baht)} บาท ({format_number(data.aid_paid_count)} ราย)"),
    ]


# ------------------------------------------------------------------- PDF and Word

def _percent(count: int, total: int) -> str:
    """Share of total as "12.5"; "-" for an empty table."""
    return f"{100 * count / total:.1f}" if total else "-"


def _title(data: SummaryData) -> list:
    """Title, office, province, period and when the figures were taken."""
    lines = [data.office_name, words(DOC, "province", province=data.province) if data.province else "",
             data.period_label]
    return [b.Heading(data.title, 19), *[b.Heading(line, 17) for line in lines if line],
            b.Para(words(DOC, "stamp", generated=format_datetime(data.generated_at)), indent=False,
                   align="center", size=14), b.Gap(0.5)]


def _section(number: int, title: str) -> b.Para:
    """A bold numbered section title kept with the start of its table."""
    return b.Para(f"{to_thai_digits(str(number))}. {title}", indent=False, bold=True, align="left", keep=3)


def _count_table(heading: str, unit: str, rows: Rows) -> list:
    """One (label, count) table with order, share and a total row."""
    if not rows:
        return [b.Para(words(DOC, "empty")), b.Gap(0.5)]
    total = sum(count for _, count in rows)
    body = tuple((str(i), label, format_number(count), _percent(count, total))
                 for i, (label, count) in enumerate(rows, 1))
    order, amount, share, total_label = _cells("columns", unit=unit)
    return [b.Table((order, heading, amount, share), body, (11, 57, 20, 12), ("center", "left", "right", "right"),
                    total=("", total_label, format_number(total), "100.0" if total else "-"))]


def summary_document(data: SummaryData) -> b.Document:
    """The summary's blocks: key figures, the tables, and the chart of cases per category."""
    blocks = [*_title(data), _section(1, words(DOC, "overview")),
              b.Table(tuple(_cells("overview_columns")), tuple(key_figures(data)), (66, 34), ("left", "right"))]
    for number, (title, heading, unit, rows) in enumerate(tables(data), 2):
        blocks.append(_section(number, words(DOC, "by", title=title)))
        if rows is data.by_category and rows:  # the chart first, then its figures
            blocks += [b.Para(words(DOC, "chart"), indent=False, align="center", keep=len(rows)),
                       b.Bars(tuple(rows), "เรื่อง")]
        blocks += _count_table(heading, unit, rows)
    return b.Document(data.title, blocks)


def render_summary_pdf(data: SummaryData) -> bytes:
    """Render the summary with its key figures, tables and chart as PDF bytes."""
    return layout.render(summary_document(data))


def render_summary_docx(data: SummaryData) -> bytes:
    """The same summary as an editable Word file."""
    return word_layout.render(summary_document(data))


# ------------------------------------------------------------------- CSV

def _safe(value: object) -> object:
    """Keep Excel from reading a label as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_rows(data: SummaryData) -> list[tuple[object, ...]]:
    """One long table (section, item, number, unit), ready for Excel filters and pivots."""
    median = None if data.median_minutes_to_take is None else round(data.median_minutes_to_take, 1)
    overview = words(DOC, "overview")
    rows: list[tuple[object, ...]] = [
        (overview, words(DOC, "total_cases"), data.total_cases, "เรื่อง"),
        (overview, words(DOC, "median"), median, "นาที"),
        (overview, words(DOC, "overdue"), data.overdue, "เรื่อง"),
        (overview, words(DOC, "aid_paid"), data.aid_paid_baht, "บาท"),
        (overview, words(DOC, "aid_students"), data.aid_paid_count, "ราย"),
    ]
    for title, _, unit, table_rows in tables(data):
        rows += [(title, label, count, unit) for label, count in table_rows]
    return rows


def render_summary_csv(data: SummaryData) -> bytes:
    """The summary as CSV: UTF-8 with BOM (so Excel reads Thai), a title block, then one table."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for label, value in (("รายงาน", data.title), ("หน่วยงาน", data.office_name),
                         *((("จังหวัด", data.province),) if data.province else ()),
                         ("ช่วงเวลา", data.period_label),
                         ("ข้อมูล ณ วันที่", format_datetime(data.generated_at))):
        writer.writerow([label, _safe(value)])
    writer.writerow([])
    writer.writerow(CSV_HEADER)
    for row in csv_rows(data):
        writer.writerow(["" if v is None else _safe(v) for v in row])
    return out.getvalue().encode("utf-8-sig")
