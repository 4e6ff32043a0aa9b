"""The protection centre's periodic summary (แบบสรุปผลการดำเนินงาน) as PDF and as CSV for Excel."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from fpdf.fonts import FontFace

from bot.paperwork.documents.pdf import BODY_SIZE, FONT, LINE, OfficialPdf
from bot.paperwork.documents.thai_text import format_number
from bot.core.thai_dates import format_datetime, to_thai_digits

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
    by_category: Rows = field(default_factory=list)
    by_district: Rows = field(default_factory=list)
    by_state: Rows = field(default_factory=list)
    referrals_by_destination: Rows = field(default_factory=list)
    median_minutes_to_take: float | None = None
    overdue: int = 0
    aid_paid_baht: int = 0
    aid_paid_count: int = 0

    @property
    def total_cases(self) -> int:
        """All cases of the period (the sum of the by-category table)."""
        return sum(count for _, count in self.by_category)


def tables(data: SummaryData) -> list[tuple[str, str, str, Rows]]:
    """The tables to show: (section title, column heading, unit, rows)."""
    return [
        ("ประเภทเหตุการณ์", "ประเภท", "เรื่อง", data.by_category),
        ("อำเภอ", "อำเภอ", "เรื่อง", data.by_district),
        ("สถานะของเรื่อง", "สถานะ", "เรื่อง", data.by_state),
        ("การส่งต่อหน่วยงาน", "หน่วยงานที่ส่งต่อ", "ครั้ง", data.referrals_by_destination),
    ]


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
        ("เรื่องที่รับแจ้งทั้งหมด", f"{format_number(data.total_cases)} เรื่อง"),
        ("ระยะเวลาตั้งแต่รับแจ้งจนเจ้าหน้าที่รับเรื่อง (มัธยฐาน)", duration_text(data.median_minutes_to_take)),
        ("เรื่องที่เกินกำหนดเวลา", f"{format_number(data.overdue)} เรื่อง"),
        ("เงินกองทุนช่วยเหลือนักเรียนที่จ่ายแล้ว",
         f"{format_number(data.aid_paid_baht)} บาท ({format_number(data.aid_paid_count)} ราย)"),
    ]


# ------------------------------------------------------------------- PDF

def _percent(count: int, total: int) -> str:
    """Share of total as "12.5"; "-" for an empty table."""
    return f"{100 * count / total:.1f}" if total else "-"


def _pdf_title(pdf: OfficialPdf, data: SummaryData) -> None:
    """Title, office, period and when the figures were taken."""
    pdf.heading(data.title, size=BODY_SIZE + 3)
    for line in (data.office_name, data.period_label):
        pdf.heading(line, size=BODY_SIZE + 1)
    pdf.set_font(FONT, "", BODY_SIZE - 2)
    stamp = f"ข้อมูล ณ วันที่ {format_datetime(data.generated_at)}"
    pdf.cell(pdf.epw, LINE, stamp, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", BODY_SIZE)
    pdf.gap(0.5)


def _table(pdf: OfficialPdf, headings: tuple[str, ...], rows: list[tuple[str, ...]],
           widths: tuple[int, ...], align: tuple[str, ...], total: tuple[str, ...] | None = None) -> None:
    """A bordered table with a grey bold heading row and an optional bold total row."""
    style = FontFace(emphasis="BOLD", fill_color=(225, 225, 225))
    with pdf.table(col_widths=widths, text_align=align, line_height=LINE, headings_style=style,
                   padding=(0.5, 1.5)) as table:
        for row in [headings, *rows]:
            table.row(list(row))
        if total:
            table.row(list(total), style=FontFace(emphasis="BOLD"))
    pdf.gap(0.7)


def _section_title(pdf: OfficialPdf, number: int, title: str) -> None:
    """A bold numbered section title kept with the start of its table."""
    pdf.ensure_space(LINE * 4)
    pdf.paragraph(f"{to_thai_digits(str(number))}. {title}", indent=0, bold=True)


def _count_table(pdf: OfficialPdf, heading: str, unit: str, rows: Rows) -> None:
    """One (label, count) table with order, share and a total row."""
    if not rows:
        pdf.paragraph("(ไม่มีข้อมูลในช่วงเวลานี้)")
        pdf.gap(0.5)
        return
    total = sum(count for _, count in rows)
    body = [(str(i), label, format_number(count), _percent(count, total))
            for i, (label, count) in enumerate(rows, 1)]
    _table(pdf, ("ลำดับ", heading, f"จำนวน ({unit})", "ร้อยละ"), body, (11, 57, 20, 12),
           ("CENTER", "LEFT", "RIGHT", "RIGHT"), total=("", "รวม", format_number(total), "100.0"))


def render_summary_pdf(data: SummaryData) -> bytes:
    """Render the summary with its key figures and tables as PDF bytes."""
    pdf = OfficialPdf(title=data.title)
    pdf.add_page()
    _pdf_title(pdf, data)
    _section_title(pdf, 1, "ภาพรวม")
    _table(pdf, ("รายการ", "ผล"), key_figures(data), (66, 34), ("LEFT", "RIGHT"))
    for number, (title, heading, unit, rows) in enumerate(tables(data), 2):
        _section_title(pdf, number, f"จำแนกตาม{title}")
        _count_table(pdf, heading, unit, rows)
    return pdf.to_bytes()


# ------------------------------------------------------------------- CSV

def _safe(value: object) -> object:
    """Keep Excel from reading a label as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_rows(data: SummaryData) -> list[tuple[object, ...]]:
    """One long table (section, item, number, unit), ready for Excel filters and pivots."""
    median = None if data.median_minutes_to_take is None else round(data.median_minutes_to_take, 1)
    rows: list[tuple[object, ...]] = [
        ("ภาพรวม", "เรื่องที่รับแจ้งทั้งหมด", data.total_cases, "เรื่อง"),
        ("ภาพรวม", "ระยะเวลาตั้งแต่รับแจ้งจนเจ้าหน้าที่รับเรื่อง (มัธยฐาน)", median, "นาที"),
        ("ภาพรวม", "เรื่องที่เกินกำหนดเวลา", data.overdue, "เรื่อง"),
        ("ภาพรวม", "เงินกองทุนช่วยเหลือนักเรียนที่จ่ายแล้ว", data.aid_paid_baht, "บาท"),
        ("ภาพรวม", "นักเรียนที่ได้รับเงินกองทุนช่วยเหลือ", data.aid_paid_count, "ราย"),
    ]
    for title, _, unit, table_rows in tables(data):
        rows += [(title, label, count, unit) for label, count in table_rows]
    return rows


def render_summary_csv(data: SummaryData) -> bytes:
    """The summary as CSV: UTF-8 with BOM (so Excel reads Thai), a title block, then one table."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for label, value in (("รายงาน", data.title), ("หน่วยงาน", data.office_name),
                         ("ช่วงเวลา", data.period_label),
                         ("ข้อมูล ณ วันที่", format_datetime(data.generated_at))):
        writer.writerow([label, _safe(value)])
    writer.writerow([])
    writer.writerow(CSV_HEADER)
    for row in csv_rows(data):
        writer.writerow(["" if v is None else _safe(v) for v in row])
    return out.getvalue().encode("utf-8-sig")
