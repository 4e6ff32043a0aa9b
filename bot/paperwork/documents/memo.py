"""The preliminary incident report as an official memo (บันทึกข้อความ), with photo pages.

Laid out as the correspondence regulation places it: the Garuda emblem 1.5 cm high at the top
left, "บันทึกข้อความ" beside it, then ส่วนราชการ / ที่ and วันที่ / เรื่อง / เรียน, the body in
16 pt, and the urgency and secrecy marks in red above the heading (secrecy on every page, top and
bottom). The wording is in templates/documents/memo.txt.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.core.texts import document_text
from bot.core.thai_dates import BANGKOK, format_date
from bot.paperwork.documents.emblem import EMBLEM_HEIGHT, draw_emblem
from bot.paperwork.documents.pdf import FONT, HEADING_SIZE, LINE, MARGIN_TOP, OfficialPdf
from bot.paperwork.documents.thai_text import district_name, school_name

URGENCY_MARKS = ("ด่วน", "ด่วนมาก", "ด่วนที่สุด")
SECRECY_MARKS = ("ลับ", "ลับมาก", "ลับที่สุด")
MARK_RED = (200, 0, 0)
URGENCY_SIZE = 32  # the regulation: urgency stamped no smaller than 32 pt
SECRECY_SIZE = 24
EMBLEM_TOP = 15.0  # mm from the page's top edge
FIELDS_TOP = EMBLEM_TOP + EMBLEM_HEIGHT + 2


@dataclass
class MemoData:
    """Everything the incident memo shows; plain values, no database objects."""

    office_name: str  # ส่วนราชการ
    doc_prefix: str  # ที่, e.g. "ศธ 04xxx/"; the number may be left for the registry to fill in
    date: date  # วันที่ of the memo: the day it was first issued (kept on the case, so a reprint is the same)
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
    doc_number: str | None = None  # ที่ from the office's register ("ศธ 04123/456"); empty: doc_prefix to fill in
    photos: list[bytes] = field(default_factory=list)  # JPEG/PNG bytes
    urgency: str = ""  # "", "ด่วน", "ด่วนมาก" or "ด่วนที่สุด" (URGENCY_MARKS), printed above the heading
    secrecy: str = ""  # "", "ลับ", "ลับมาก" or "ลับที่สุด" (SECRECY_MARKS), printed above the heading
    province: str = ""  # จังหวัด, ends the reporter's line when set
    digits: str = "thai"  # "thai" or "arabic": every digit of the memo in that style
    emblem_path: str | None = None  # the office's Garuda emblem image; None: a plain stand-in is drawn
    occurred_time_known: bool = True  # False: only the day is known, no time is printed


def _say(piece: str, *args) -> str:
    return document_text("memo", piece, *args)


def _clean(value: str | None) -> str:
    return (value or "").strip()


def number_text(data: MemoData) -> str:
    """ที่: the register's number as the officer typed it, the prefix plus a bare number, or the prefix to fill in."""
    number = _clean(data.doc_number)
    if number and not number[0].isdigit():
        return number
    return f"{data.doc_prefix}{number}"


def occurred_text(occurred_at: datetime, time_known: bool = True) -> str:
    """ "เมื่อวันที่ 22 พฤศจิกายน 2569 เวลาประมาณ 14.30 น." in Bangkok time; the day only when the time is not known."""
    local = occurred_at.astimezone(BANGKOK) if occurred_at.tzinfo else occurred_at
    return _say("occurred", format_date(local), str(local.hour), f"{local.minute:02d}", time_known)


def _addressee(text: str) -> str:
    """The addressee without a leading "เรียน" (the memo prints its own)."""
    text = _clean(text)
    return text[len("เรียน"):].strip() if text.startswith("เรียน") else text


def sections(data: MemoData) -> list[tuple[str, str | None]]:
    """The numbered sections of the preliminary report form as (title, body); empty parts are left out."""
    out: list[tuple[str, str | None]] = [
        (_say("facts_title", occurred_text(data.occurred_at, data.occurred_time_known)), _clean(data.facts))]
    if _clean(data.initial_help):
        out.append((_say("help_title"), _clean(data.initial_help)))
    if _clean(data.source_name):
        out.append((_say("source_title", _clean(data.source_name), _clean(data.source_phone)), None))
    out.append((_say("reporter_title"), reporter_text(data)))
    return out


def reporter_text(data: MemoData) -> str:
    """The reporter as in the form: name and position, then school, district, province and phone."""
    person = _say("reporter_person", _clean(data.reporter_name), _clean(data.reporter_position))
    place = _say("reporter_place", school_name(data.reporter_school), district_name(data.reporter_district),
                 _clean(data.province), _clean(data.reporter_phone))
    return "\n".join(line for line in (person, place) if line)


def body_paragraphs(data: MemoData) -> list[str]:
    """Every paragraph of the memo's body in order (what the PDF prints and a Word copy would)."""
    out = [_say("intro", data.reference, data.category)]
    for number, (title, body) in enumerate(sections(data), 1):
        out.append(f"{number}. {title}")
        if body:
            out += body.split("\n")
    if data.photos:
        out.append(_say("photos_note", str(len(data.photos))))
    out.append(_say("closing"))
    return out


class MemoPdf(OfficialPdf):
    """The official page with the secrecy mark at the top and bottom centre of every page."""

    def __init__(self, data: MemoData):
        super().__init__(title=data.subject, reference=data.reference, digits=data.digits)
        self.secrecy = data.secrecy if data.secrecy in SECRECY_MARKS else ""

    def header(self) -> None:
        super().header()
        self._secrecy_mark(2.0)
        self.set_y(max(self.get_y(), MARGIN_TOP))

    def footer(self) -> None:
        super().footer()
        self._secrecy_mark(self.h - 14.0)

    def _secrecy_mark(self, y: float) -> None:
        if not self.secrecy:
            return
        x, saved_y = self.get_x(), self.get_y()
        with self.local_context(font_family=FONT, font_style="B", font_size_pt=SECRECY_SIZE, text_color=MARK_RED):
            self.set_xy(self.l_margin, y)
            self.cell(self.epw, 10, self.secrecy, align="C")
        self.set_xy(x, saved_y)


def _marks_and_heading(pdf: MemoPdf, data: MemoData) -> None:
    """Urgency in red at the top left, the emblem below it, "บันทึกข้อความ" level with the emblem."""
    if data.urgency in URGENCY_MARKS:
        with pdf.local_context(font_family=FONT, font_style="B", font_size_pt=URGENCY_SIZE, text_color=MARK_RED):
            pdf.set_xy(pdf.l_margin, 5.0)  # below the secrecy mark's line, so the two read as two lines
            pdf.cell(pdf.epw / 3, 12, data.urgency)
    draw_emblem(pdf, pdf.l_margin, EMBLEM_TOP, data.emblem_path)
    pdf.set_xy(pdf.l_margin, EMBLEM_TOP + EMBLEM_HEIGHT - HEADING_SIZE * 0.45)
    pdf.heading(_say("heading"))
    pdf.set_y(FIELDS_TOP)


def _memo_head(pdf: MemoPdf, data: MemoData) -> None:
    """ส่วนราชการ / ที่ and วันที่ / เรื่อง / เรียน."""
    _marks_and_heading(pdf, data)
    pdf.labelled(_say("label_office"), data.office_name)
    pdf.labelled_pair((_say("label_number"), number_text(data)), (_say("label_date"), format_date(data.date)))
    pdf.labelled(_say("label_subject"), data.subject)
    pdf.gap(0.4)
    pdf.paragraph(_say("addressee", _addressee(data.addressee)), indent=0)
    pdf.gap(0.4)


def _memo_body(pdf: MemoPdf, data: MemoData) -> None:
    """The numbered sections of the preliminary incident-report form."""
    pdf.paragraph(_say("intro", data.reference, data.category))
    for number, (title, body) in enumerate(sections(data), 1):
        pdf.ensure_space(LINE * 2)
        pdf.paragraph(f"{number}. {title}")
        if body:
            pdf.paragraph(body)
    if data.photos:
        pdf.paragraph(_say("photos_note", str(len(data.photos))))
    pdf.gap(0.4)
    pdf.ensure_space(LINE + pdf.signature_height())  # the closing line goes with the signature
    pdf.paragraph(_say("closing"))


def render_memo(data: MemoData) -> bytes:
    """Render the incident memo, photos on the following pages, as PDF bytes."""
    pdf = MemoPdf(data)
    pdf.add_page()
    _memo_head(pdf, data)
    _memo_body(pdf, data)
    pdf.signature(data.signer_name, data.signer_position)
    if data.photos:
        pdf.photo_pages(data.photos, _say("photos_title", data.reference),
                        caption=lambda n: _say("photo_caption", str(n)),
                        unreadable=lambda n: _say("photo_unreadable", str(n)))
    return pdf.to_bytes()
