"""The student aid fund request: the school's request signed by its principal, forwarded by the centre
with its proposal, and the approver's decision, as the fund's regulation has it.

The regulation (templates/documents/fund_request.txt says it in Thai): the school reports and asks
within 24 hours of the incident; the centre checks the request and proposes it for the committee;
the superior (the office's director) approves on the committee's proposal. A request made after
the window is marked for the committee. The system's own states are never printed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.core.thai_dates import BANGKOK, format_date, format_datetime, to_thai_digits
from bot.paperwork.documents import blocks as b
from bot.paperwork.documents import layout, word_layout
from bot.paperwork.documents.thai_text import district_name, school_name
from bot.paperwork.documents.wording import paragraphs, words

DOC = "fund_request"
FUND_NAME = words(DOC, "fund_name")
SUBJECT = words(DOC, "subject")
CASH, TRANSFER = "เงินสด", "โอนเข้าบัญชีธนาคาร"
UNDATED = "......../......../........"


@dataclass
class FundRequestData:
    """What the fund request shows; the student is described, never named."""

    office_name: str  # the centre, which forwards the request
    school: str
    district: str
    student_grade: str  # ชั้น, e.g. "ป.5"
    student_label: str  # e.g. initials or "นักเรียนชั้น ป.5": no full name
    case_reference: str  # e.g. "0001/2569"
    category_label: str
    schedule_item_label: str
    amount_baht: int
    payment_method: str  # CASH or TRANSFER
    incident_date: date | datetime
    requested_at: datetime
    requester_name: str  # the principal, who signs the school's request
    requester_position: str
    province: str = ""
    addressee: str = "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษา"  # who approves
    centre_signer_name: str = ""
    centre_signer_position: str = "หัวหน้าศูนย์เฉพาะกิจคุ้มครองและช่วยเหลือนักเรียน"
    request_hours: int = 24  # FUND_REQUEST_HOURS
    late: bool = False  # asked for after that window
    doc_prefix: str = ""
    doc_number: str | None = None
    proposed_on: date | None = None
    approved: bool | None = None  # None: boxes left to tick by hand
    approver_name: str | None = None
    approver_position: str | None = None
    approved_on: date | None = None
    approval_note: str | None = None


def _hours_after(data: FundRequestData) -> int | None:
    """Whole hours from the incident to the request (None when only the incident's day is known)."""
    if not isinstance(data.incident_date, datetime):
        return None
    return int((data.requested_at - data.incident_date).total_seconds() // 3600)


def signer_position(position: str, school: str) -> str:
    """ "ผู้อำนวยการโรงเรียน" + "บ้านหนองตัวอย่าง" -> "ผู้อำนวยการโรงเรียนบ้านหนองตัวอย่าง"."""
    position, school = (position or "").strip(), school_name(school)
    if position.endswith("โรงเรียน") and school:
        return position + school[len("โรงเรียน"):]
    return position


def detail_rows(data: FundRequestData) -> list[str]:
    """The numbered particulars of the request."""
    place = " ".join(p for p in (school_name(data.school), district_name(data.district)) if p)
    values = {
        "row_student": {"student": data.student_label.strip(), "grade": data.student_grade.strip()},
        "row_school": {"school": place or "-"}, "row_category": {"category": data.category_label},
        "row_incident": {"incident": format_date(data.incident_date)},
        "row_item": {"item": data.schedule_item_label},
        "row_amount": {"amount": data.amount_baht}, "row_method": {"method": data.payment_method},
    }
    return [f"{to_thai_digits(str(i))}. {words(DOC, part, **v)}" for i, (part, v) in enumerate(values.items(), 1)]


def _school_part(data: FundRequestData) -> list:
    """The school's request in the principal's voice, addressed to the director, signed by the principal."""
    school = school_name(data.school)
    head = [b.Heading(words(DOC, "title"), 20)]
    if data.late:
        head.insert(0, b.Para(words(DOC, "late_mark", hours=to_thai_digits(str(data.request_hours))),
                              indent=False, bold=True, align="right", size=20))
    place = words(DOC, "school_line", school=school, district=district_name(data.district), province=data.province)
    body = paragraphs(DOC, "school_body", name=data.requester_name, position=signer_position(
        data.requester_position, data.school), school=school, centre=data.office_name, reference=data.case_reference)
    return [
        *head, b.Gap(0.4),
        b.Para(place, indent=False, align="right"),
        b.Para(words(DOC, "date_line", date=format_date(data.requested_at)), indent=False, align="right"),
        b.Gap(0.4), b.Field(words(DOC, "subject_label"), SUBJECT),
        b.Para(words(DOC, "addressee", name=data.addressee), indent=False), b.Gap(0.3),
        *[b.Para(text) for text in body],
        *[b.Para(row) for row in detail_rows(data)],
        b.Para(words(DOC, "school_certify")),
        b.Para(words(DOC, "school_closing")),
        b.Signature(data.requester_name, signer_position(data.requester_position, data.school)),
    ]


def _proposal(data: FundRequestData) -> b.Box:
    """The centre's check and proposal for the committee; a late request is said to be late."""
    local = data.requested_at.astimezone(BANGKOK)
    body = paragraphs(DOC, "proposal_body", director=data.addressee, school=school_name(data.school),
                      item=data.schedule_item_label, amount=data.amount_baht, late=data.late,
                      requested=format_datetime(local), hours_after=_hours_after(data) or "-",
                      hours=data.request_hours)
    when = format_date(data.proposed_on) if data.proposed_on else UNDATED
    return b.Box((
        b.Para(words(DOC, "proposal_title", centre=data.office_name), indent=False, bold=True),
        b.Para(body[0], indent=False), *[b.Para(text) for text in body[1:]],
        b.Para(words(DOC, "proposal_closing")),
        b.Signature(data.centre_signer_name, data.centre_signer_position, (words(DOC, "date_line", date=when),)),
    ))


def _decision(data: FundRequestData) -> b.Box:
    """The approver's decision: the two boxes (ticked once decided), the note, signature and date."""
    approve, refuse = words(DOC, "approve"), words(DOC, "refuse")
    ticked = {True: approve, False: refuse}.get(data.approved)
    when = format_date(data.approved_on) if data.approved_on else UNDATED
    return b.Box((
        b.Para(words(DOC, "decision_title"), indent=False, bold=True),
        b.Choices((approve, refuse), ticked),
        b.FillLines(2, data.approval_note or ""),
        b.Signature(data.approver_name or "", data.approver_position or data.addressee,
                    (words(DOC, "date_line", date=when),)),
    ))


def fund_document(data: FundRequestData) -> b.Document:
    """The whole request: the school's page, then the centre's proposal and the decision."""
    return b.Document(SUBJECT, [*_school_part(data), b.Gap(0.6), _proposal(data), _decision(data)],
                      data.case_reference)


def render_fund_request(data: FundRequestData) -> bytes:
    """The fund request as PDF bytes."""
    return layout.render(fund_document(data))


def render_fund_request_docx(data: FundRequestData) -> bytes:
    """The fund request as an editable Word file."""
    return word_layout.render(fund_document(data))
