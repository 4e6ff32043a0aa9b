"""Console-first delivery: what an officer at their desk is told appears in their web console, not by push.

An officer is *at the console* while a page of a live console session of theirs has asked the
server anything within CONSOLE_PRESENCE_SECONDS (every console page polls `/console/inbox.json`;
`ConsoleSession.present_at`). A push of a purpose in OFFERED queued for them then — the principal's
words or photo, "taken", a handover, a state notice, a reminder; never a new case's alert, an
escalation, anything about an urgent case or `budget.essential` — waits CONSOLE_PUSH_GRACE_SECONDS
(`Outbox.console_until`) instead of going at once. Their console shows it at its next poll and
acknowledges what it showed (`settle`), or the officer opens that case's page (`settle_case`): the
row is then delivered through the console — status "sent", kind "console", pushes 0 — and LINE
never sees it. Not acknowledged within the grace (the officer walked away, the tab is closed), the
send job pushes it as usual. A row that rode a reply to the officer meanwhile stays as it went.

Pushes held for the budget (`Outbox.held`) for an officer are shown by their console too: seen
there, they no longer wait for a reply token.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterable

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from bot.core import access
from bot.core.thai_dates import BANGKOK
from bot.line import budget
from models import Case, ConsoleSession, Officer, Outbox

KEY = "console_delivery"  # Session.info: (presence seconds, grace seconds), from the settings (`configure`)
OFFERED = frozenset({"reporter_wrote", "photo", "case_taken", "handover", "state_changed", "reminder"})
SHOWN_AT_MOST = 20  # rows one poll returns


def configure(db, settings) -> None:
    """Every unit of work of `db` knows the console's delivery window (0 seconds of grace: never offered)."""
    db.session_info[KEY] = (settings.console_presence_seconds, settings.console_push_grace_seconds)


def grace_for(session: Session, to: str, purpose: str, case_id: int | None, now: datetime) -> timedelta | None:
    """How long a push being queued waits for `to`'s console; None when it is not offered to it (pushed as usual)."""
    presence, grace = session.info.get(KEY, (0, 0))
    if grace <= 0 or presence <= 0 or purpose not in OFFERED or budget.essential(purpose):
        return None
    if case_id is not None and getattr(session.get(Case, case_id), "urgent", False):
        return None
    return timedelta(seconds=grace) if at_console(session, to, now, presence) else None


def at_console(session: Session, to: str, now: datetime, presence_seconds: int) -> bool:
    """Whether the officer with LINE id `to` has a live console page that asked something lately."""
    return session.scalar(
        select(ConsoleSession.id).join(Officer, ConsoleSession.officer_id == Officer.id)
        .where(Officer.line_user_id == to, Officer.active.is_(True), ConsoleSession.ended_at.is_(None),
               ConsoleSession.present_at >= now - timedelta(seconds=presence_seconds)).limit(1)) is not None


def _showable(to: str, now: datetime) -> tuple:
    """Rows for `to` its console may show and settle: offered to it (or held for the budget), still undelivered."""
    return (Outbox.to == to, Outbox.status == "pending", Outbox.kind == "push", Outbox.merged_into.is_(None),
            or_(Outbox.console_until.is_not(None), Outbox.held.is_not(None)),
            or_(Outbox.claimed_until.is_(None), Outbox.claimed_until < now))


def waiting(session: Session, to: str, now: datetime) -> list[Outbox]:
    """What the console of the officer `to` shows now (oldest first); rows whose officer lost access are withdrawn."""
    rows = list(session.scalars(select(Outbox).where(*_showable(to, now)).order_by(Outbox.id).limit(SHOWN_AT_MOST)))
    kept = []
    for row, allowed in zip(rows, access.may_receive_all(session, [(to, row.case_id) for row in rows])):
        if allowed:
            kept.append(row)
        else:
            row.status, row.last_error = "withdrawn", "the recipient lost access"
    return kept


def settle(session: Session, to: str, ids: Iterable[int], now: datetime) -> list[Outbox]:
    """The console of `to` showed these rows: record them as delivered there (never pushed); returns those settled.

    A row a sender took meanwhile, that rode a reply or was settled already is left as it is.
    """
    wanted = sorted({int(i) for i in ids})[:100]
    if not wanted:
        return []
    rows = list(session.scalars(select(Outbox).where(Outbox.id.in_(wanted), *_showable(to, now)).order_by(Outbox.id)))
    settled = []
    allowed = access.may_receive_all(session, [(to, row.case_id) for row in rows])
    for row in (row for row, ok in zip(rows, allowed) if ok):
        changed = session.execute(
            update(Outbox).where(Outbox.id == row.id, *_showable(to, now))
            .values(status="sent", kind="console", sent_at=now, pushes=0, held=None, claimed_until=None,
                    claimed_by=None).execution_options(synchronize_session=False)).rowcount
        if changed:
            session.refresh(row)
            settled.append(row)
    return settled


def settle_case(session: Session, to: str, case_id: int, now: datetime) -> list[Outbox]:
    """The officer `to` opened this case's page in the console: what waited for them about it is delivered."""
    ids = session.scalars(select(Outbox.id).where(Outbox.case_id == case_id, *_showable(to, now)))
    return settle(session, to, list(ids), now)


def item(session: Session, row: Outbox) -> dict:
    """One row as the console's panel shows it: the case, when, and each message's text (or that it is a photo)."""
    case = session.get(Case, row.case_id) if row.case_id else None
    parts = []
    for message in row.messages:
        if message.get("type") == "text":
            parts.append({"type": "text", "text": message.get("text", "")})
        elif message.get("type") == "image":
            parts.append({"type": "image"})
        elif message.get("altText"):
            parts.append({"type": "text", "text": message["altText"]})
    return {"id": row.id, "case_id": row.case_id, "reference": case.reference if case else "",
            "kind": budget.kind_of(row.purpose), "at": row.created_at.isoformat(), "parts": parts}


def delivered_count(session: Session, since: datetime | None = None, until: datetime | None = None) -> int:
    """Messages delivered through the console instead of a push, queued in [since, until) (for the accounts)."""
    query = select(func.count()).select_from(Outbox).where(Outbox.kind == "console", Outbox.status == "sent")
    if since is not None:
        query = query.where(Outbox.created_at >= since)
    if until is not None:
        query = query.where(Outbox.created_at < until)
    return session.scalar(query) or 0


def month_start(now: datetime) -> datetime:
    """The first instant of `now`'s month by Bangkok's calendar (the quota's month)."""
    local = now.astimezone(BANGKOK)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
