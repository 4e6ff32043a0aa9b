"""The office's paperwork from case data: the memo to the director and the fund request, as PDFs and links."""
from __future__ import annotations

from sqlalchemy import select

from bot.line import messages as m
from bot.photos import pipeline as photo_store
from bot.core import access, signed_urls
from bot.paperwork.documents.fund import FundRequestData, render_fund_request
from bot.paperwork.documents.memo import MemoData, render_memo
from bot.fund.aid import METHODS, STATUS
from bot.photos.media_store import MediaStore
from bot.core.texts import say
from bot.core.thai_dates import BANGKOK
from config.categories import display_name
from models import AuditLog, Case, FundRequest


def memo_pdf(session, case: Case, settings, now) -> bytes:
    """The preliminary report as an official memo (บันทึกข้อความ), with the photos on following pages."""
    media = MediaStore(settings.media_dir)
    images = [media.path(p.file_name).read_bytes() for p in photo_store.case_photos(session, case.id)
              if p.status == "stored" and media.path(p.file_name)]
    data = MemoData(
        office_name=settings.office_name, doc_prefix=settings.doc_prefix, date=now.astimezone(BANGKOK).date(),
        subject=case.subject, addressee=settings.director_title, reference=case.reference,
        category=display_name(case.category, case.category_other),
        occurred_at=case.occurred_at.astimezone(BANGKOK).date() if case.occurred_time_unknown else case.occurred_at,
        facts=case.facts, initial_help=case.initial_help or "", source_name=case.source_name,
        source_phone=case.source_phone or "", reporter_name=case.reporter_name,
        reporter_position=case.reporter_position, reporter_school=case.reporter_school,
        reporter_district=case.reporter_district, reporter_phone=case.reporter_phone,
        signer_name=settings.memo_signer_name, signer_position=settings.memo_signer_position, photos=images,
        urgency="ด่วนที่สุด" if case.urgent else "")
    return render_memo(data)


def fund_pdf(request: FundRequest, settings) -> bytes:
    """The fund request form for the committee, filled in from the request and its case."""
    case = request.case
    data = FundRequestData(
        office_name=settings.office_name, school=case.reporter_school, district=case.reporter_district,
        student_grade=request.student_grade, student_label=request.student_label, case_reference=case.reference,
        category_label=display_name(case.category), schedule_item_label=request.item_label,
        amount_baht=request.amount_baht, payment_method=METHODS[request.payment_method],
        incident_date=case.occurred_at.astimezone(BANGKOK).date(), requested_at=request.requested_at,
        requester_name=case.reporter_name, requester_position=case.reporter_position,
        doc_prefix=settings.doc_prefix, status=STATUS[request.status],
        approved={"approved": True, "paid": True, "refused": False}.get(request.status),
        approved_on=request.decided_at.astimezone(BANGKOK).date() if request.decided_at else None,
        approval_note=request.decision_note)
    return render_fund_request(data)


def document_url(settings, path: str, now, holder: str) -> str:
    """A signed link to a document for `holder` (core.access) that expires after DOCUMENT_URL_TTL_HOURS."""
    return signed_urls.signed_url(settings.public_base_url, settings.secret_key.encode("utf-8"), path,
                                  int(now.timestamp()), settings.document_url_ttl_hours * 3600, holder)


def links_reply(turn, officer, case: Case) -> list[dict]:
    """ "เอกสาร 0001/2569": links to the memo and the case's fund requests (needs PUBLIC_BASE_URL)."""
    if not turn.settings.public_base_url:
        return [m.text(say("documents_no_public_url", case=case))]
    requests = list(turn.session.scalars(select(FundRequest).where(FundRequest.case_id == case.id)))
    holder = access.officer_holder(officer)  # the links open only while this officer is active
    links = [("บันทึกข้อความรายงานเหตุ", document_url(turn.settings, f"/documents/memo/{case.id}.pdf", turn.now,
                                                      holder))]
    links += [(f"แบบคำขอเงินกองทุน {r.id} ({r.student_label})",
               document_url(turn.settings, f"/documents/fund/{r.id}.pdf", turn.now, holder)) for r in requests]
    turn.session.add(AuditLog(at=turn.now, actor=officer.line_user_id, action="documents_linked", case_id=case.id))
    return [m.text(say("documents_links", case=case, links=links, hours=turn.settings.document_url_ttl_hours))]
