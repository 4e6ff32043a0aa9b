"""Webhook events stored before LINE gets its 200, then handled once each, in arrival order.

The webhook only stores (one INSERT); the event worker takes each stored event in the same
transaction as what handling it changes, so a crash between storing and handling loses nothing
and a redelivered or twice-taken event is handled once.
"""
from __future__ import annotations

import json
from datetime import datetime
from functools import cache

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from bot.core.db import Database, insert_for
from bot.line import wakeup
from models import WebhookEvent

KEEP_HANDLED_DAYS = 7  # LINE redelivers for far less than this; the ids are kept to recognise them


def store(db: Database, events: list[dict], now: datetime) -> int:
    """Store new events (one statement, one commit); returns how many were new, not redeliveries."""
    if not events:
        return 0
    rows = [{"webhook_event_id": str(e.get("webhookEventId") or "")[:64] or None,
             "event_type": str(e.get("type"))[:40], "chat_key": chat_of(e),
             "payload": json.dumps(e, ensure_ascii=False), "received_at": now} for e in events]
    # Under load, webhooks share one commit and one INSERT; each counts its rows by their event id.
    return db.write_together(_insert_new(db.engine.dialect.name), rows, key="webhook_event_id",
                             notify=wakeup.CHANNEL)  # wakes the event worker in whichever process it runs


@cache
def _insert_new(dialect_name: str):
    """INSERT … ON CONFLICT DO NOTHING RETURNING the new events' ids, built once (building it cost more than running it)."""
    table = WebhookEvent.__table__
    return (insert_for(dialect_name)(table).on_conflict_do_nothing(index_elements=["webhook_event_id"])
            .returning(table.c.webhook_event_id))


def chat_of(event: dict) -> str:
    """The chat an event belongs to (its group, room or user): one chat's events are handled in order."""
    source = event.get("source") if isinstance(event.get("source"), dict) else {}
    return str(source.get("groupId") or source.get("roomId") or source.get("userId") or "")[:64]


def pending(db: Database, limit: int = 100, skip_chats: set[str] = frozenset()) -> list[tuple[int, str, dict]]:
    """Events not yet handled, oldest first, with their chat and payload; none of `skip_chats`."""
    query = (select(WebhookEvent.id, WebhookEvent.chat_key, WebhookEvent.payload)
             .where(WebhookEvent.handled_at.is_(None)).order_by(WebhookEvent.id).limit(limit))
    if skip_chats:
        query = query.where(func.coalesce(WebhookEvent.chat_key, "").not_in(sorted(skip_chats)))
    with db.session() as session:
        return [(row_id, chat or "", json.loads(payload or "{}")) for row_id, chat, payload in session.execute(query)]


def waiting_in(db: Database, chat: str) -> set[int]:
    """The ids of one chat's events not yet handled (asked again once a worker holds the chat)."""
    column = WebhookEvent.chat_key
    mine = column == chat if chat else or_(column.is_(None), column == "")
    with db.session() as session:
        return set(session.scalars(select(WebhookEvent.id).where(mine, WebhookEvent.handled_at.is_(None))))


def backlog(db: Database, now: datetime) -> dict:
    """How many stored events wait for the event worker, and for how long the oldest has (for /healthz)."""
    with db.session() as session:
        count, oldest = session.execute(select(func.count(), func.min(WebhookEvent.received_at))
                                        .where(WebhookEvent.handled_at.is_(None))).one()
    return {"events_waiting": count, "oldest_event_seconds": round((now - oldest).total_seconds()) if oldest else 0}


def take(session: Session, row_id: int, now: datetime, outcome: str = "handled") -> bool:
    """Mark an event handled inside the caller's unit of work; False if someone else already has.

    The payload is dropped with it: what the event carried now lives where handling put it.
    """
    return session.execute(
        update(WebhookEvent).where(WebhookEvent.id == row_id, WebhookEvent.handled_at.is_(None))
        .values(handled_at=now, outcome=outcome, payload=None)
    ).rowcount == 1


def forget_handled(db: Database, before: datetime) -> int:
    """Delete the records of events handled before `before` (a scheduler job)."""
    with db.session() as session:
        count = session.execute(delete(WebhookEvent).where(WebhookEvent.handled_at < before)).rowcount
        session.commit()
        return count
