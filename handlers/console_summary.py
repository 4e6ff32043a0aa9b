"""/console/summary: the supervisor's summary for a month or a fiscal year, with charts, PDF and CSV.

The figures come from bot/paperwork/reports.summarise, the same function as `flask reports monthly`;
the charts are SVG drawn by the template (templates/console/supervisor/charts.html).
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime

from flask import Blueprint, Response, render_template, request
from flask_login import current_user
from sqlalchemy import select

from bot.core import audit
from bot.core.thai_dates import BANGKOK, THAI_MONTHS_SHORT
from bot.paperwork import reports
from bot.paperwork.documents.summary import (duration_text, key_figures, render_summary_csv, render_summary_docx,
                                            render_summary_pdf)
from bot.paperwork.documents.word import CONTENT_TYPE as DOCX
from config.categories import CATEGORIES, display_name
from handlers.console import SUPERVISOR_LINKS, address, guard, refuse, services, supervisor_required
from models import AuditLog, Case

summary_bp = guard(Blueprint("console_summary", __name__, url_prefix="/console/summary"))
SUPERVISOR_LINKS.append(("console_summary.summary", "สรุปผล"))


def _this_month(now: datetime) -> tuple[int, int]:
    local = now.astimezone(BANGKOK)
    return local.year + 543, local.month


def period_choices(now: datetime) -> list[tuple[str, str]]:
    """The last twelve months and the last three fiscal years, as (key, Thai label)."""
    year, month = _this_month(now)
    months = []
    for _ in range(12):
        months.append(reports.parse_period(f"{year}-{month}"))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    this_year, this_month = _this_month(now)
    fiscal = this_year + (this_month >= 10)
    years = [reports.parse_period(str(fiscal - n)) for n in range(3)]
    return [(p.key, p.label) for p in months + years]


def _chosen(now: datetime) -> reports.Period:
    text = request.args.get("period") or "{}-{}".format(*_this_month(now))
    try:
        return reports.parse_period(text)
    except ValueError:
        refuse(400, "ช่วงเวลาไม่ถูกต้อง กรุณาเลือกเดือน (เช่น 2569-11) หรือปีงบประมาณ (เช่น 2570)")


def months_to_chart(period: reports.Period) -> list[reports.Period]:
    """The months drawn in the per-month chart: the fiscal year's, up to the chosen month."""
    if "-" in period.key:
        year, month = (int(part) for part in period.key.split("-"))
        start = (year if month >= 10 else year - 1, 10)
        count = (month - 10) % 12 + 1
    else:
        start, count = (int(period.key) - 1, 10), 12
    out, (year, month) = [], start
    for _ in range(count):
        out.append(reports.parse_period(f"{year}-{month}"))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def by_month(db, months: list[reports.Period]) -> list[tuple[str, Counter]]:
    """Cases by category in each month, as (short Thai month, counts by category name)."""
    counts = {m.key: Counter() for m in months}
    for filed_at, category in db.execute(select(Case.filed_at, Case.category).where(
            Case.filed_at >= months[0].start, Case.filed_at < months[-1].end)):
        local = filed_at.astimezone(BANGKOK)
        counts[f"{local.year + 543}-{local.month:02d}"][display_name(category)] += 1
    return [(f"{THAI_MONTHS_SHORT[int(m.key[5:]) - 1]} {m.key[2:4]}", counts[m.key]) for m in months]


@summary_bp.get("")
@supervisor_required
def summary():
    svc = services()
    now = svc.now()
    period = _chosen(now)
    with svc.db.session() as db:
        data = reports.summarise(db, period, svc.settings, now)
        monthly = by_month(db, months_to_chart(period))
    categories = [c.name for c in CATEGORIES if any(counts.get(c.name) for _, counts in monthly)]
    return render_template("console/supervisor/summary.html", data=data, period=period,
                           choices=period_choices(now), figures=key_figures(data), monthly=monthly,
                           categories=categories, median=duration_text(data.median_minutes_to_take))


@summary_bp.get("/<key>.<kind>")
@supervisor_required
def download(key: str, kind: str):
    """The same PDF, Word and CSV files as `flask reports monthly`; each download is recorded."""
    if kind not in ("pdf", "docx", "csv"):
        refuse(404, "ไม่พบเอกสารนี้")
    try:
        period = reports.parse_period(key)
    except ValueError:
        refuse(404, "ไม่พบเอกสารของช่วงเวลานี้")
    svc = services()
    with svc.db.session() as db:
        audit.tag(db, "console", address())
        data = reports.summarise(db, period, svc.settings, svc.now())
        db.add(AuditLog(at=svc.now(), actor=current_user.line_user_id, action="summary_downloaded",
                        detail={"period": period.key, "kind": kind}))
        db.commit()
    body, mime = {"pdf": (render_summary_pdf, "application/pdf"), "docx": (render_summary_docx, DOCX),
                  "csv": (render_summary_csv, "text/csv; charset=utf-8")}[kind]
    body = body(data)
    return Response(body, mimetype=mime, headers={
        "Content-Disposition": f'attachment; filename="summary-{period.key}.{kind}"'})
