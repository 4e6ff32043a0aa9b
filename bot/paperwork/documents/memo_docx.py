"""The incident memo (บันทึกข้อความ) as an editable Word file, from the same MemoData as the PDF.

An office adjusts the memo before the director signs it: the Word copy has the regulation's
layout (marks, emblem, heading, ส่วนราชการ / ที่ / วันที่ / เรื่อง / เรียน, the form's numbered
sections, the signature) in TH SarabunPSK, and the photos on the following pages. A field
left empty prints nothing (no "โทร -").
"""
from __future__ import annotations

from bot.core.thai_dates import BANGKOK, format_date, to_thai_digits
from bot.paperwork.documents import blocks as b
from bot.paperwork.documents import word_layout
from bot.paperwork.documents.memo import MemoData
from bot.paperwork.documents.thai_text import district_name, school_name
from bot.paperwork.documents.wording import words

DOC = "memo_word"


def _clean(value: str | None) -> str:
    return (value or "").strip()


def _occurred(data: MemoData) -> str:
    """ "เมื่อวันที่ … เวลาประมาณ … น."; the day only when the time was not known."""
    local = data.occurred_at.astimezone(BANGKOK) if data.occurred_at.tzinfo else data.occurred_at
    return words(DOC, "occurred", day=format_date(local), hour=local.hour, minute=f"{local.minute:02d}",
                 time_known=getattr(data, "occurred_time_known", True))


def _addressee(text: str) -> str:
    """The addressee without a leading "เรียน" (the memo prints its own)."""
    text = _clean(text)
    return text[len("เรียน"):].strip() if text.startswith("เรียน") else text


def _reporter(data: MemoData) -> str:
    province = _clean(getattr(data, "province", ""))
    place = " ".join(p for p in (school_name(data.reporter_school), district_name(data.reporter_district),
                                 f"จังหวัด{province}" if province else "") if p)
    return "\n".join(line for line in (
        words(DOC, "reporter_person", name=_clean(data.reporter_name), position=_clean(data.reporter_position)),
        words(DOC, "reporter_place", place=place, phone=_clean(data.reporter_phone))) if line)


def body_paragraphs(data: MemoData) -> list[str]:
    """The memo's body, section by section, as the sample preliminary report form has it."""
    sections = [
        (words(DOC, "facts_title", occurred=_occurred(data)), _clean(data.facts)),
        (words(DOC, "help_title"), _clean(data.initial_help)),
        (words(DOC, "source_title", name=_clean(data.source_name), phone=_clean(data.source_phone)), ""),
        (words(DOC, "reporter_title"), _reporter(data)),
    ]
    out = [words(DOC, "intro", reference=data.reference, category=data.category)]
    for number, (title, body) in enumerate(sections, 1):
        out.append(f"{number}. {title}")
        if body:
            out.append(body)
    if data.photos:
        out.append(words(DOC, "photos_note", count=len(data.photos)))
    return out


def memo_document(data: MemoData) -> b.Document:
    """The memo's blocks, every digit in the memo's digit style (Thai unless DOCUMENT_DIGITS says arabic)."""
    thai = getattr(data, "digits", "thai") != "arabic"
    digits = to_thai_digits if thai else (lambda text: text)
    marks = [b.Para(mark, indent=False, bold=True, align=align, size=size, red=True)
             for mark, align, size in ((_clean(getattr(data, "secrecy", "")), "center", 24),
                                       (_clean(getattr(data, "urgency", "")), "left", 32)) if mark]
    number = f"{data.doc_prefix}{data.doc_number or ''}"
    blocks = [
        *marks,
        b.Heading(words(DOC, "heading"), 29, emblem_path=getattr(data, "emblem_path", None)),
        b.Field("ส่วนราชการ", digits(data.office_name)),
        b.FieldPair(b.Field("ที่", digits(number)), b.Field("วันที่", digits(format_date(data.date)))),
        b.Field("เรื่อง", digits(data.subject)),
        b.Para(words(DOC, "addressee", name=digits(_addressee(data.addressee))), indent=False),
        *[b.Para(digits(text)) for text in body_paragraphs(data)],
        b.Para(words(DOC, "closing")),
        b.Signature(data.signer_name, data.signer_position),
    ]
    if data.photos:
        blocks.append(b.Photos(tuple(data.photos), digits(words(DOC, "photos_title", reference=data.reference))))
    return b.Document(data.subject, blocks, digits(data.reference), thai_digits=thai)


def render_memo_docx(data: MemoData) -> bytes:
    """The incident memo as an editable Word file."""
    return word_layout.render(memo_document(data))
