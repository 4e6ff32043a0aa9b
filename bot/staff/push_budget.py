"""Keeping supervisors told about LINE's push budget: the periodic reading, the warnings, the โควตา answer."""
from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.core.texts import say
from bot.line import budget
from bot.line import messages as m
from bot.line import outbox
from bot.staff.officers import active_officers
from models import Case, Officer, PushBudget

if TYPE_CHECKING:  # the service's parts are passed in; importing them would point up
    from bot.services import Services

log = logging.getLogger(__name__)

WARNINGS = (95, 80)  # per cent of the month's quota; each told once a month


def check(services: Services) -> PushBudget | None:
    """Read the quota and this month's pushes from LINE, store them, and warn supervisors when due."""
    if not services.gateway.configured:
        return None
    result, quota, used = services.gateway.quota()
    now = services.now()
    with services.db.session() as session:
        if result.ok:
            row = budget.record_reading(session, now, quota, used)
        else:
            log.warning("could not read LINE's push quota (%s); the last reading stays", result.status)
            row = budget.current(session, now)
        if row is not None:
            warn(session, row, now)
        session.commit()
    return row


def warn(session, row: PushBudget, now: datetime) -> None:
    """Tell supervisors once at 80 % and once at 95 % of the month's quota, and once when it ran out."""
    share = budget.used_share(row) * 100
    level = next((level for level in WARNINGS if share >= level), 0)
    if level > row.warned:
        row.warned = level
        _tell_supervisors(session, say("quota_warning", level=level, budget=row, left=budget.remaining(row)),
                          now, "quota_warning")
    if row.exhausted_at is not None and not row.exhausted_told:
        row.exhausted_told = True  # the push is held like the others: it rides their next reply
        _tell_supervisors(session, say("quota_used_up", budget=row, held_count=budget.held_count(session)), now,
                          "quota_used_up")


def _tell_supervisors(session, body: str, now: datetime, purpose: str) -> None:
    for supervisor in active_officers(session, role="supervisor"):
        outbox.enqueue_push(session, supervisor.line_user_id, [m.text(body, [m.say_button("โควตา")])], now, purpose)


def status_reply(turn, officer: Officer, rest: str = "") -> list[dict]:
    """โควตา (supervisors): the month's quota, what is used and left, and the pushes that wait."""
    if officer.role != "supervisor":
        return [m.text(say("quota_supervisors_only"))]
    session, now = turn.session, turn.now
    row = session.get(PushBudget, 1)
    held = [_held_line(session, r) for r in budget.held_rows(session, limit=15)]
    return m.texts(say("quota_status", budget=row, left=budget.remaining(row),
                       share=round(budget.used_share(row) * 100), reserve=turn.settings.push_reserve,
                       this_month=row is not None and row.month == budget.month_of(now),
                       held=held, held_count=budget.held_count(session)))


def _held_line(session, row) -> dict:
    officer = session.scalars(select(Officer).where(Officer.line_user_id == row.to)).first()
    case = session.get(Case, row.case_id) if row.case_id else None
    return {"kind": budget.kind_of(row.purpose), "to": officer.name if officer else "ผู้รายงาน",
            "case": case.reference if case else "", "since": row.created_at, "reason": row.held}
