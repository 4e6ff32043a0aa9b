"""GET /documents/…: the memo, fund request and summary as files, only through signed, expiring links."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request

from bot.core import audit

from bot.paperwork import case_documents as paperwork
from bot.paperwork import reports
from bot.paperwork.documents.summary import render_summary_csv, render_summary_pdf
from handlers.link_access import link_holder, require_access
from models import AuditLog, Case, FundRequest

bp = Blueprint("documents", __name__)


def _pdf(data: bytes, name: str) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/documents/memo/<int:case_id>.pdf")
def memo(case_id: int):
    services = current_app.extensions["ccpc"]
    holder = link_holder(services)
    with services.db.session() as session:
        audit.tag(session, "link", request.remote_addr)  # a signed link opened (from LINE's browser)
        case = session.get(Case, case_id) or abort(404)
        require_access(services, session, holder, case.id)
        data = paperwork.memo_pdf(session, case, services.settings, services.now())
        session.add(AuditLog(at=services.now(), actor=f"link:{holder}", action="memo_opened", case_id=case.id))
        session.commit()
    return _pdf(data, f"memo-{case.number:04d}-{case.year_be}.pdf")


@bp.get("/documents/fund/<int:request_id>.pdf")
def fund_request(request_id: int):
    services = current_app.extensions["ccpc"]
    holder = link_holder(services)
    with services.db.session() as session:
        audit.tag(session, "link", request.remote_addr)
        row = session.get(FundRequest, request_id) or abort(404)
        require_access(services, session, holder, row.case_id)
        data = paperwork.fund_pdf(row, services.settings)
        session.add(AuditLog(at=services.now(), actor=f"link:{holder}", action="fund_form_opened",
                             case_id=row.case_id, detail={"request": row.id}))
        session.commit()
    return _pdf(data, f"fund-request-{request_id}.pdf")


@bp.get("/documents/summary/<period>.<extension>")
def summary(period: str, extension: str):
    services = current_app.extensions["ccpc"]
    holder = link_holder(services)
    try:
        span = reports.parse_period(period)
    except ValueError:
        abort(404)
    with services.db.session() as session:
        require_access(services, session, holder, None)
        data = reports.summarise(session, span, services.settings, services.now())
    if extension == "csv":
        response = Response(render_summary_csv(data), mimetype="text/csv")
        response.headers["Content-Disposition"] = f'attachment; filename="summary-{span.key}.csv"'
        return response
    if extension != "pdf":
        abort(404)
    return _pdf(render_summary_pdf(data), f"summary-{span.key}.pdf")
