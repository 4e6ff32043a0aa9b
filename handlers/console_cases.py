"""/console/cases: the case list (the console's home) and each case's page."""
from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from handlers.console import guard, officer_required, services
from models import Case

cases_bp = guard(Blueprint("console_cases", __name__, url_prefix="/console/cases"))


@cases_bp.get("")
@officer_required
def case_list():
    """Every case, newest first."""
    svc = services()
    with svc.db.session() as db:
        rows = list(db.scalars(select(Case).order_by(Case.filed_at.desc(), Case.id.desc()).limit(50)))
    return render_template("console/cases.html", cases=rows, now=svc.now())
