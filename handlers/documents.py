"""GET /documents/…: the memo, fund request and summary as files (PDF, or .docx to edit in Word),
only through signed, expiring links."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request

from bot.core import audit

from bot.paperwork import case_documents as paperwork
from bot.paperwork import reports
from bot.paperwork.documents.summary import render_summary_csv, render_summary_docx, render_summary_pdf
from bot.paperwork.documents.word import CONTENT_TYPE as DOCX
from handlers.link_access import link_holder, require_access
from models import AuditLog, Case, FundRequest

bp = Blueprint("documents", __name__)
KINDS = {"pdf": ("application/pdf", "inline"), "docx": (DOCX, "attachment"), "csv": ("text/csv", "attachment")}


def _file(data: bytes, name: str) -> Response:
    """The document, named for saving; PDFs open in the browser, Word and CSV files download."""
    mimetype, disposition = KINDS[name.rsplit(".", 1)[1]]
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/documents/memo/<int:case_id>.<kind>")
def memo(case_id: int, kind: str):
    if kind not in ("pdf", "docx"):
        abort(404)
    services = current_app.extensions["ccpc"]
    holder = link_holder(services)
    with services.db.session() as session:
        audit.tag(session, "link", request.remote_addr)  # a signed link opened (from LINE's browser)
        case = session.get(Case, case_id) or abort(404)
        require_access(services, session, holder, case.id)
        make = paperwork.memo_pdf if kind == "pdf" else paperwork.memo_docx
        data = make(session, case, services.settings, services.now())
        session.add(AuditLog(at=services.now(), actor=f"link:{holder}", action="memo_opened", case_id=case.id))
        session.commit()
    return _file(data, f"memo-{case.number:04d}-{case.year_be}.{kind}")


@bp.get("/documents/fund/<int:request_id>.<kind>")
def fund_request(request_id: int, kind: str):
    if kind not in ("pdf", "docx"):
        abort(404)
    services = current_app.extensions["ccpc"]
    holder = link_holder(services)
    with services.db.session() as session:
        audit.tag(session, "link", request.remote_addr)
        row = session.get(FundRequest, request_id) or abort(404)
        require_access(services, session, holder, row.case_id)
        make = paperwork.fund_pdf if kind == "pdf" else paperwork.fund_docx
        data = make(row, services.settings)
        session.add(AuditLog(at=services.now(), actor=f"link:{holder}", action="fund_form_opened",
                             case_id=row.case_id, detail={"request": row.id, "format": kind}))
        session.commit()
    return _file(data, f"fund-request-{request_id}.{kind}")


@bp.get("/documents/summary/<period>.<kind>")
def summary(period: str, kind: str):
    render = {"pdf": render_summary_pdf, "docx": render_summary_docx, "csv": render_summary_csv}.get(kind)
    if render is None:
        abort(404)
    services = current_app.extensions["ccpc"]
    holder = link_holder(services)
    try:
        span = reports.parse_period(period)
    except ValueError:
        abort(404)
    with services.db.session() as session:
        require_access(services, session, holder, None)
        data = reports.summarise(session, span, services.settings, services.now())
    return _file(render(data), f"summary-{span.key}.{kind}")
