"""The preliminary incident report as an official memo (บันทึกข้อความ), with photo pages."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.paperwork.documents.pdf import LINE, OfficialPdf
from bot.paperwork.documents.thai_text import NBSP, district_name, school_name
from bot.core.thai_dates import BANGKOK, format_date, to_thai_digits

CLOSING = "จึงเรียนมาเพื่อโปรดทราบและพิจารณา"


@dataclass
class MemoData:
    """Everything the incident memo shows; plain values, no database objects."""

    office_name: str  # ส่วนราชการ
    doc_prefix: str  # ที่, e.g. "ศธ 04xxx/"; the number may be left for the registry to fill in
    date: date  # วันที่ of the memo
    subject: str  # เรื่อง
    addressee: str  # เรียน ..., e.g. "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา..."
    reference: str  # the case number, e.g. "0001/2569"
    category: str  # the kind of incident as people read it
    occurred_at: datetime  # aware; shown in Bangkok time
    facts: str
    initial_help: str
    source_name: str
    source_phone: str
    reporter_name: str
    reporter_position: str
    reporter_school: str
    reporter_district: str
    reporter_phone: str
    signer_name: str
    signer_position: str
    doc_number: str | None = None
    photos: list[bytes] = field(default_factory=list)  # JPEG/PNG bytes
    urgency: str = ""  # ชั้นความเร็ว above the heading, e.g. "ด่วนที่สุด"; empty for an ordinary memo


def _or_dash(value: str | None) -> str:
    """The value, or "-" when nothing was given."""
    return (value or "").strip() or "-"


def occurred_text(occurred_at: datetime | date) -> str:
    """ "เมื่อวันที่ 22 พฤศจิกายน 2569 เวลาประมาณ 14.30 น." in Bangkok time; a date alone: the time is not known."""
    if not isinstance(occurred_at, datetime):
        return f"เมื่อวันที่ {format_date(occurred_at)} (ไม่ทราบเวลาแน่ชัด)"
    local = occurred_at.astimezone(BANGKOK) if occurred_at.tzinfo else occurred_at
    return f"เมื่อวันที่ {format_date(local)} เวลาประมาณ {local.hour}.{local.minute:02d} น."


def phone_text(phone: str | None) -> str:
    """ "โทร 08x-xxx-xxxx" kept on one line, or "โทร -"."""
    return f"โทร{NBSP}{_or_dash(phone)}"


def _addressee(text: str) -> str:
    """The addressee without a leading "เรียน" (the memo prints its own)."""
    text = (text or "").strip()
    return text[len("เรียน"):].strip() if text.startswith("เรียน") else text


def _memo_head(pdf: OfficialPdf, data: MemoData) -> None:
    """The urgency mark, heading and the ส่วนราชการ / ที่ / วันที่ / เรื่อง / เรียน lines."""
    if data.urgency:
        pdf.paragraph(data.urgency, indent=0, bold=True)
    pdf.heading("บันทึกข้อความ")
    pdf.gap(0.6)
    pdf.labelled("ส่วนราชการ", data.office_name)
    number = f"{data.doc_prefix}{data.doc_number or ''}"
    pdf.labelled_pair(("ที่", number), ("วันที่", format_date(data.date)))
    pdf.labelled("เรื่อง", data.subject)
    pdf.gap(0.4)
    pdf.paragraph(f"เรียน  {_addressee(data.addressee)}", indent=0)
    pdf.gap(0.4)


def _section(pdf: OfficialPdf, number: int, title: str, body: str | None = None) -> None:
    """A numbered section: "๑. title" then its body as an indented paragraph."""
    pdf.ensure_space(LINE * 2)
    pdf.paragraph(f"{to_thai_digits(str(number))}. {title}")
    if body is not None:
        pdf.paragraph(_or_dash(body))


def _reporter_lines(data: MemoData) -> str:
    """The reporter as in the sample form: name, position, school, district, phone."""
    place = " ".join(p for p in (school_name(data.reporter_school), district_name(data.reporter_district)) if p)
    return (f"{_or_dash(data.reporter_name)}  ตำแหน่ง {_or_dash(data.reporter_position)}\n"
            f"{_or_dash(place)}  {phone_text(data.reporter_phone)}")


def _memo_body(pdf: OfficialPdf, data: MemoData) -> None:
    """The numbered sections of the sample preliminary incident-report form."""
    pdf.paragraph(f"ขอรายงานข้อมูลเกิดเหตุเบื้องต้น เรื่องเลขที่ {data.reference} "
                  f"ประเภท {data.category} รายละเอียดดังนี้")
    _section(pdf, 1, f"สรุปเหตุการณ์ข้อเท็จจริง {occurred_text(data.occurred_at)}", data.facts)
    _section(pdf, 2, "โรงเรียนได้ดำเนินการช่วยเหลือเบื้องต้น", data.initial_help)
    _section(pdf, 3, f"ที่มาแหล่งข้อมูล {_or_dash(data.source_name)}  {phone_text(data.source_phone)}")
    _section(pdf, 4, "ผู้รายงาน", _reporter_lines(data))
    if data.photos:
        count = to_thai_digits(str(len(data.photos)))
        pdf.paragraph(f"หมายเหตุ  แนบภาพเหตุการณ์ประกอบ จำนวน {count} ภาพ")
    pdf.gap(0.4)
    pdf.ensure_space(LINE * 1.5 + pdf.signature_height())  # the closing line goes with the signature
    pdf.paragraph(CLOSING)


def render_memo(data: MemoData) -> bytes:
    """Render the incident memo, photos on the following pages, as PDF bytes."""
    pdf = OfficialPdf(title=data.subject, reference=data.reference)
    pdf.add_page()
    _memo_head(pdf, data)
    _memo_body(pdf, data)
    pdf.signature(data.signer_name, data.signer_position)
    if data.photos:
        pdf.photo_pages(data.photos, f"ภาพประกอบเหตุการณ์ เรื่องเลขที่ {data.reference}")
    return pdf.to_bytes()
