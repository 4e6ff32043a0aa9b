"""Every audit record says where it was made: the unit of work is tagged once (LINE, console, CLI, link).

The code that records an action (bot/casework/actions.py, the documents…) need not know which door
the person came through: rows it adds without a channel get the session's tag when they are flushed.
"""
from __future__ import annotations

from datetime import datetime

import click
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from models import AuditLog

_TAG = "audit_tag"


def tag(session: Session, channel: str, address: str | None = None) -> Session:
    """Mark this unit of work's audit records as made through `channel` (from `address`, for the web)."""
    session.info[_TAG] = (channel, address)
    return session


@event.listens_for(Session, "before_flush")
def _fill_in(session: Session, flush_context, instances) -> None:
    channel, address = session.info.get(_TAG, (None, None))
    if channel is None and click.get_current_context(silent=True) is not None:
        channel = "cli"  # a `flask …` command (its context is this thread's only: not the web's, not the jobs')
    if channel is None:
        return
    for row in session.new:
        if isinstance(row, AuditLog) and row.channel is None:
            row.channel, row.address = channel, row.address or address


def records(session: Session, case_id: int | None = None, actor: str | None = None,
            since: datetime | None = None, until: datetime | None = None, limit: int = 100,
            offset: int = 0) -> list[AuditLog]:
    """Audit records, newest first, filtered by case, person (their LINE user id or "cli"…) and time."""
    query = select(AuditLog)
    if case_id is not None:
        query = query.where(AuditLog.case_id == case_id)
    if actor:
        query = query.where(AuditLog.actor == actor)
    if since is not None:
        query = query.where(AuditLog.at >= since)
    if until is not None:
        query = query.where(AuditLog.at < until)
    return list(session.scalars(query.order_by(AuditLog.id.desc()).offset(offset).limit(limit)))
