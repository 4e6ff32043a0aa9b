"""/console/cases: the case list (the console's home, updated live) and each case's page, photos and documents."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from bot.casework import case_list as listing
from bot.casework import case_page, references
from bot.casework.actions import DESTINATIONS, DESTINATION_LABELS
from bot.casework.case_view import is_overdue
from bot.casework.states import STATES
from bot.core import audit
from bot.core.thai_dates import format_datetime
from bot.line import console_delivery
from bot.fund.aid import METHODS, STATUS as FUND_STATUS
from bot.paperwork import case_documents as paperwork
from bot.paperwork import memo_marks
from bot.paperwork.documents.word import CONTENT_TYPE as DOCX
from bot.staff.officers import active_officers
from config.categories import CATEGORIES, display_name
from handlers.console import address, guard, officer_required, services
from handlers.console_inbox import record_shown
from models import AuditLog, Case, FundRequest, Photo

cases_bp = guard(Blueprint("console_cases", __name__, url_prefix="/console/cases"))
POLL_SECONDS = 15
MARK_CHOICES = {"secrecy": ("",) + memo_marks.SECRECY_MARKS, "urgency": ("",) + memo_marks.URGENCY_MARKS}


def _case_or_404(db, case_id: int) -> Case:
    return db.get(Case, case_id) or abort(404, description="ไม่พบเรื่องนี้ในระบบ")


def _view_recorded(db, case: Case, action: str, **detail) -> None:
    """Opening a case's data is recorded: who, when, what, from the console and which address."""
    audit.tag(db, "console", address())
    db.add(AuditLog(at=services().now(), actor=current_user.line_user_id, action=action, case_id=case.id,
                    detail=detail))


@cases_bp.get("")
@officer_required
def case_list():
    """Every case, newest first, with filters, search and paging; new ones appear while it is open."""
    svc = services()
    filters = listing.Filters.from_args(request.args)
    now = svc.now()
    with svc.db.session() as db:
        if filters.q and references.looks_like(filters.q):  # a reference as typed in LINE opens that case
            found = references.find(db, filters.q, now)
            if found is None:
                abort(404, description=f"ไม่พบเรื่องเลขที่ {filters.q}")
            return redirect(url_for(".case_view", case_id=found.id))
        page = listing.case_page(db, filters, current_user.officer_id, now, svc.settings)
        officers = active_officers(db)
        years = listing.years(db)
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("console/cases.html", page=page, filters=filters, states=STATES, categories=CATEGORIES,
                           districts=svc.settings.districts, officers=officers, years=years, now=now, args=args,
                           display_name=display_name, poll_seconds=POLL_SECONDS)


@cases_bp.get("/new.json")
@officer_required
def new_cases():
    """How many cases the open list's filters select were filed since the page was shown, and the newest few.

    Plain short polling of the database: it works whichever web process answers.
    """
    svc = services()
    try:
        since = datetime.fromisoformat(request.args.get("since", ""))
    except ValueError:
        abort(400, description="ต้องระบุเวลา since")
    if since.tzinfo is None:
        abort(400, description="เวลา since ต้องระบุเขตเวลา")
    filters = listing.Filters.from_args(request.args)
    now = svc.now()
    with svc.db.session() as db:
        count, rows = listing.filed_since(db, since, filters, current_user.officer_id, now, svc.settings)
        cases = [_row_json(row) for row in rows]
    return jsonify(count=count, cases=cases, now=now.isoformat())


def _row_json(row: listing.Row) -> dict:
    case = row.case
    return {"id": case.id, "url": url_for(".case_view", case_id=case.id), "reference": case.reference,
            "filed": format_datetime(case.filed_at, "short"), "age": row.age,
            "category": display_name(case.category, case.category_other), "subject": case.subject,
            "school": case.reporter_school, "district": case.reporter_district, "state": STATES[case.state],
            "owner": case.owner.name if case.owner else "", "overdue": row.overdue, "photos": row.photos}


@cases_bp.get("/<int:case_id>")
@officer_required
def case_view(case_id: int):
    """Everything about one case: the report, photos, the thread, fund requests, actions. The viewing is recorded."""
    svc = services()
    now = svc.now()
    with svc.db.session() as db:
        case = _case_or_404(db, case_id)
        _view_recorded(db, case, "case_viewed")
        # what waited for this officer about the case is on this page: it is delivered, not pushed
        record_shown(db, console_delivery.settle_case(db, current_user.line_user_id, case.id, now), now)
        db.commit()
        photos = [p for p in case.photos if p.status == "stored"]
        entries = case_page.timeline(db, case.id)
        viewers = case_page.viewers(db, case.id)
        requests = list(db.scalars(select(FundRequest).where(FundRequest.case_id == case.id).order_by(FundRequest.id)))
        others = [o for o in active_officers(db) if o.id != case.owner_officer_id]
        owner = case.owner
    return render_template("console/case.html", case=case, owner=owner, photos=photos, entries=entries,
                           stored_photo_ids={p.id for p in photos},
                           viewers=viewers, requests=requests, officers=others, states=STATES,
                           category=display_name(case.category, case.category_other), overdue=is_overdue(
                               case, now, svc.settings), destinations=DESTINATIONS,
                           destination_labels=DESTINATION_LABELS, fund_status=FUND_STATUS, methods=METHODS,
                           now=now, text_limit=2000, secrecy=memo_marks.secrecy_of(case),
                           urgency=memo_marks.urgency_of(case), mark_choices=MARK_CHOICES,
                           doc_number_limit=memo_marks.DOC_NUMBER_LIMIT)


@cases_bp.get("/<int:case_id>/photos/<int:photo_id>/<variant>")
@officer_required
def photo(case_id: int, photo_id: int, variant: str):
    """A photo of this case (the preview or full size), only to a signed-in officer and only of this case."""
    svc = services()
    with svc.db.session() as db:
        row = db.get(Photo, photo_id)
        if row is None or row.case_id != case_id or variant not in ("full", "preview"):
            abort(404, description="ไม่พบภาพนี้ในเรื่องนี้")
        if row.status != "stored":
            abort(410, description="ภาพนี้ถูกลบแล้ว (ผู้ส่งยกเลิกการส่ง หรือพ้นระยะเวลาเก็บรักษา)")
        if variant == "full":
            _view_recorded(db, row.case, "photo_opened", photo=row.id)
            db.commit()
    path = svc.media.path(row.file_name if variant == "full" else row.preview_name)
    if path is None:
        abort(404, description="ไม่พบไฟล์ภาพ")
    response = send_file(path, mimetype=row.content_type or "image/jpeg", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


KINDS = {"pdf": "application/pdf", "docx": DOCX}


def _file(data: bytes, name: str, kind: str) -> Response:
    response = Response(data, mimetype=KINDS[kind])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@cases_bp.get("/<int:case_id>/memo.<kind>")
@officer_required
def memo(case_id: int, kind: str):
    """The memo to the director (บันทึกข้อความ), as LINE's document link gives it: PDF, or Word to edit."""
    if kind not in KINDS:
        abort(404, description="ไม่พบเอกสารชนิดนี้")
    svc = services()
    with svc.db.session() as db:
        case = _case_or_404(db, case_id)
        make = paperwork.memo_pdf if kind == "pdf" else paperwork.memo_docx
        data = make(db, case, svc.settings, svc.now())
        _view_recorded(db, case, "memo_opened", kind=kind)
        db.commit()
    return _file(data, f"memo-{case.number:04d}-{case.year_be}.{kind}", kind)


@cases_bp.get("/<int:case_id>/fund/<int:request_id>.<kind>")
@officer_required
def fund_form(case_id: int, request_id: int, kind: str):
    """A fund request form of this case (a request of another case is not found here), PDF or Word."""
    if kind not in KINDS:
        abort(404, description="ไม่พบเอกสารชนิดนี้")
    svc = services()
    with svc.db.session() as db:
        row = db.get(FundRequest, request_id)
        if row is None or row.case_id != case_id:
            abort(404, description="ไม่พบคำขอนี้ในเรื่องนี้")
        make = paperwork.fund_pdf if kind == "pdf" else paperwork.fund_docx
        data = make(row, svc.settings)
        _view_recorded(db, row.case, "fund_form_opened", request=row.id, kind=kind)
        db.commit()
    return _file(data, f"fund-request-{request_id}.{kind}", kind)
