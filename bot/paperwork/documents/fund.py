"""A request to the student aid fund (ขออนุมัติเงินกองทุนฯ) as an official memo with an approval box."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.paperwork.documents.pdf import BODY_SIZE, FONT, LINE, OfficialPdf
from bot.paperwork.documents.thai_text import baht_text, district_name, format_number, school_name
from bot.core.thai_dates import format_date, to_thai_digits

FUND_NAME = "กองทุนช่วยเหลือนักเรียนที่ประสบความเดือดร้อน"
SUBJECT = f"ขออนุมัติเงิน{FUND_NAME}"
ADDRESSEE = f"ประธานคณะกรรมการ{FUND_NAME}"
CASH, TRANSFER = "เงินสด", "โอนเข้าบัญชีธนาคาร"


@dataclass
class FundRequestData:
    """What the fund request shows; the student is described, never named."""

    office_name: str
    school: str
    district: str
    student_grade: str  # ชั้น, e.g. "ป.5"
    student_label: str  # e.g. initials or "นักเรียนชั้น ป.5": no full name
    case_reference: str  # e.g. "0001/2569"
    category_label: str
    schedule_item_label: str
    amount_baht: int
    payment_method: str  # CASH or TRANSFER
    incident_date: date
    requested_at: date | datetime
    requester_name: str
    requester_position: str
    doc_prefix: str = ""
    doc_number: str | None = None
    addressee: str = ADDRESSEE
    status: str | None = None  # shown as is, e.g. "รออนุมัติ", "อนุมัติแล้ว", "จ่ายเงินแล้ว"
    approved: bool | None = None  # None: boxes left to tick by hand
    approver_name: str | None = None
    approver_position: str | None = None
    approved_on: date | None = None
    approval_note: str | None = None


def amount_text(amount: int) -> str:
    """ "5,000 บาท (ห้าพันบาทถ้วน)"."""
    return f"{format_number(amount)} บาท ({baht_text(amount)})"


def detail_rows(data: FundRequestData) -> list[tuple[str, str]]:
    """The numbered particulars of the request as (label, value)."""
    place = " ".join(p for p in (school_name(data.school), district_name(data.district)) if p)
    return [
        ("นักเรียน", f"{data.student_label}  ชั้น {data.student_grade}".strip()),
        ("สถานศึกษา", place),
        ("ประเภทความเดือดร้อน", data.category_label),
        ("รายการตามหลักเกณฑ์การจ่าย", data.schedule_item_label),
        ("วันที่เกิดเหตุ", format_date(data.incident_date)),
        ("จำนวนเงินที่ขออนุมัติ", amount_text(data.amount_baht)),
        ("วิธีการจ่ายเงิน", data.payment_method),
    ]


def _head(pdf: OfficialPdf, data: FundRequestData) -> None:
    """Heading and the ส่วนราชการ / ที่ / วันที่ / เรื่อง / เรียน lines."""
    pdf.heading("บันทึกข้อความ")
    pdf.gap(0.6)
    pdf.labelled("ส่วนราชการ", data.office_name)
    pdf.labelled_pair(("ที่", f"{data.doc_prefix}{data.doc_number or ''}"),
                      ("วันที่", format_date(data.requested_at)))
    pdf.labelled("เรื่อง", SUBJECT)
    pdf.gap(0.4)
    pdf.paragraph(f"เรียน  {data.addressee}", indent=0)
    pdf.gap(0.4)


def _body(pdf: OfficialPdf, data: FundRequestData) -> None:
    """The request: what happened, the particulars, the amount asked for."""
    pdf.paragraph(f"ด้วย{school_name(data.school)} รายงานว่ามีนักเรียนประสบความเดือดร้อน "
                  f"ตามเรื่องเลขที่ {data.case_reference} รายละเอียดดังนี้")
    for number, (label, value) in enumerate(detail_rows(data), 1):
        pdf.paragraph(f"{to_thai_digits(str(number))}. {label}  {value or '-'}")
    pdf.paragraph(f"ในการนี้ จึงขออนุมัติเงิน{FUND_NAME} ให้แก่นักเรียนดังกล่าว "
                  f"เป็นเงิน {amount_text(data.amount_baht)} ตามระเบียบ{FUND_NAME}")
    pdf.ensure_space(LINE * 1.5 + pdf.signature_height())
    pdf.paragraph("จึงเรียนมาเพื่อโปรดพิจารณาอนุมัติ")


def _checkbox(pdf: OfficialPdf, x: float, y: float, label: str, ticked: bool) -> None:
    """A small square (crossed when ticked) followed by its label."""
    size = 3.6
    pdf.rect(x, y + 1.6, size, size)
    if ticked:
        pdf.line(x + 0.6, y + 2.2, x + size - 0.6, y + 1.6 + size - 0.6)
        pdf.line(x + size - 0.6, y + 2.2, x + 0.6, y + 1.6 + size - 0.6)
    pdf.set_xy(x + size + 1.5, y)
    pdf.cell(30, LINE, label)


def _decision_column(pdf: OfficialPdf, data: FundRequestData, x: float, width: float) -> float:
    """Left side of the approval box: title, the two boxes, the note; returns its bottom."""
    title = "ความเห็นของผู้มีอำนาจอนุมัติ" + (f" (สถานะ: {data.status})" if data.status else "")
    pdf.set_font(FONT, "B", BODY_SIZE)
    pdf.set_x(x)
    pdf.multi_cell(width, LINE, title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", BODY_SIZE)
    y = pdf.get_y()
    _checkbox(pdf, x + 2, y, "อนุมัติ", data.approved is True)
    _checkbox(pdf, x + 32, y, "ไม่อนุมัติ", data.approved is False)
    pdf.set_xy(x, y + LINE)
    if data.approval_note:
        pdf.multi_cell(width, LINE, data.approval_note, align="L", new_x="LMARGIN", new_y="NEXT")
    else:
        for _ in range(2):
            pdf.dotted_line(x + 2, x + width, pdf.get_y() + LINE - 1)
            pdf.ln(LINE)
    return pdf.get_y()


def _approval(pdf: OfficialPdf, data: FundRequestData) -> None:
    """The approver's box: decision and note on the left, signature and date on the right."""
    pdf.ensure_space(LINE * 7)
    pdf.gap(0.8)
    top, left_w = pdf.get_y(), pdf.epw * 0.45
    bottom = _decision_column(pdf, data, pdf.l_margin + 3, left_w - 3)
    pdf.set_y(top + LINE * 1.8)
    when = format_date(data.approved_on) if data.approved_on else "......../......../........"
    pdf.signature_at(pdf.l_margin + left_w, pdf.epw - left_w, data.approver_name or "",
                     data.approver_position or "ตำแหน่ง ..............................", (f"วันที่ {when}",))
    bottom = max(bottom, pdf.get_y())
    pdf.rect(pdf.l_margin, top - 1, pdf.epw, bottom - top + 2)
    pdf.set_y(bottom + 2)


def render_fund_request(data: FundRequestData) -> bytes:
    """Render the fund request memo with its approval box as PDF bytes."""
    pdf = OfficialPdf(title=SUBJECT, reference=data.case_reference)
    pdf.add_page()
    _head(pdf, data)
    _body(pdf, data)
    pdf.signature(data.requester_name, data.requester_position)
    _approval(pdf, data)
    return pdf.to_bytes()
