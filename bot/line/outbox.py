"""Durable delivery: messages are stored with the change they announce and sent after commit."""
from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Callable, Iterable

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot.line import limits as line_limits
from bot.core.db import Database
from bot.line.gateway import LineGateway, SendResult
from models import Outbox

log = logging.getLogger(__name__)

CLAIM_SECONDS = 120
_SENDER_CLAIM = "outbox_claimed_until"  # session.info key: rows queued in it are claimed till then
MAX_BACKOFF = timedelta(minutes=30)


def enqueue_reply(session: Session, to: str, reply_token: str, messages: list[dict], now: datetime) -> Outbox:
    """Store an answer to an event; it falls back to a push if the token no longer works."""
    return _enqueue(session, "reply", to, messages, now, purpose="reply", reply_token=reply_token)


def enqueue_push(session: Session, to: str, messages: list[dict], now: datetime, purpose: str,
                 case_id: int | None = None, failure_notice_to: str | None = None) -> Outbox:
    """Store a push (an alert, a notice) to be sent after the surrounding transaction commits."""
    return _enqueue(session, "push", to, messages, now, purpose=purpose, case_id=case_id,
                    failure_notice_to=failure_notice_to)


def _enqueue(session, kind, to, messages, now, **fields) -> Outbox:
    line_limits.check(messages)
    row = Outbox(kind=kind, to=to, messages=messages, retry_key=str(uuid.uuid4()), status="pending",
                 attempts=0, next_attempt_at=now, created_at=now,
                 claimed_until=session.info.get(_SENDER_CLAIM), **fields)
    session.add(row)
    session.flush()
    session.info.setdefault("queued_outbox_ids", []).append(row.id)
    return row


def send_after_commit(session: Session, now: datetime) -> None:
    """This unit of work's caller sends what it queues right after commit (`send_claimed`).

    The rows are stored already claimed by it, which spares a claiming transaction per message;
    if the process dies before sending them, the claim runs out and `send_due` sends them.
    """
    session.info[_SENDER_CLAIM] = now + timedelta(seconds=CLAIM_SECONDS)


def queued_ids(session: Session) -> list[int]:
    """Ids of the messages this unit of work queued, to send right after it commits."""
    return list(session.info.get("queued_outbox_ids", []))


def due_ids(db: Database, now: datetime, limit: int = 100) -> list[int]:
    """Rows waiting to be sent whose time has come and that nobody is sending right now."""
    with db.session() as session:
        query = (select(Outbox.id).where(Outbox.status == "pending", Outbox.next_attempt_at <= now, _unclaimed(now))
                 .order_by(Outbox.id).limit(limit))
        return list(session.scalars(query))


def send_due(db: Database, gateway: LineGateway, now: Callable[[], datetime],
             ids: Iterable[int] | None = None, max_attempts: int = 8) -> int:
    """Send the given rows (or every due row); returns how many were delivered."""
    if not gateway.configured:
        return 0
    delivered = 0
    for row_id in (due_ids(db, now()) if ids is None else ids):
        row = _claim(db, row_id, now())
        if row is None:
            continue
        result = _transmit(db, gateway, row, now, max_attempts)
        if result is not None:
            _record(db, row.id, result, now(), max_attempts)
            delivered += int(result.ok)
    return delivered


def send_claimed(db: Database, gateway: LineGateway, now: Callable[[], datetime], ids: list[int],
                 max_attempts: int = 8) -> int:
    """Send rows queued under `send_after_commit`; the delivered ones are recorded in one commit."""
    if not ids or not gateway.configured:
        return 0
    with db.session() as session:
        rows = list(session.scalars(select(Outbox).where(Outbox.id.in_(ids), Outbox.status == "pending")
                                    .order_by(Outbox.id)))
    delivered = []
    for row in rows:
        result = _transmit(db, gateway, row, now, max_attempts)
        if result is not None and result.ok:
            delivered.append(row.id)
        elif result is not None:
            _record(db, row.id, result, now(), max_attempts)
    _mark_sent(db, delivered, now())
    return len(delivered)


def _transmit(db: Database, gateway: LineGateway, row: Outbox, now, max_attempts: int) -> SendResult | None:
    """Send one claimed row: a reply, or a push when the reply token no longer works; None if lost to another sender."""
    if row.kind != "reply":
        return gateway.push(row.to, row.messages, row.retry_key)
    result = gateway.reply(row.reply_token, row.messages)
    if result.ok:
        return result
    # The token may be spent or expired; a push with a retry key is safe to repeat.
    log.info("reply for outbox %s failed (%s %s); pushing instead", row.id, result.status, result.detail)
    _record(db, row.id, SendResult("retry", result.status, result.detail), now(), max_attempts, to_push=True)
    row = _claim(db, row.id, now())
    return None if row is None else gateway.push(row.to, row.messages, row.retry_key)


def _mark_sent(db: Database, ids: list[int], now: datetime) -> None:
    if not ids:
        return
    with db.session() as session:
        session.execute(update(Outbox).where(Outbox.id.in_(ids))
                        .values(status="sent", sent_at=now, attempts=Outbox.attempts + 1, claimed_until=None)
                        .execution_options(synchronize_session=False))
        session.commit()


def _unclaimed(now: datetime):
    """No sender holds the row at `now`: never claimed, or its claim ran out."""
    return or_(Outbox.claimed_until.is_(None), Outbox.claimed_until < now)


def _claim(db: Database, row_id: int, now: datetime) -> Outbox | None:
    """Mark a row as being sent; only one sender (thread, process, scheduler) wins."""
    with db.session() as session:
        claimed = session.execute(
            update(Outbox)
            .where(Outbox.id == row_id, Outbox.status == "pending", Outbox.next_attempt_at <= now, _unclaimed(now))
            .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
        ).rowcount
        session.commit()
        return session.get(Outbox, row_id, populate_existing=True) if claimed else None


def _record(db: Database, row_id: int, result: SendResult, now: datetime, max_attempts: int,
            to_push: bool = False) -> None:
    if result.ok and not to_push:
        _mark_sent(db, [row_id], now)
        return
    with db.session() as session:
        row = session.get(Outbox, row_id)
        row.claimed_until = None
        if to_push:
            row.kind, row.reply_token = "push", None
        else:
            _failed_attempt(row, result, now, max_attempts)
            if row.status == "failed" and row.failure_notice_to:
                _notify_failure(session, row, now)
        session.commit()


def _notify_failure(session: Session, row: Outbox, now: datetime) -> None:
    """Tell the officer whose message never reached the principal, so they can phone instead."""
    from bot.line.messages import text
    from bot.core.texts import say
    from models import Case

    case = session.get(Case, row.case_id) if row.case_id else None
    body = say("delivery_failed", case=case, error=row.last_error or "")
    enqueue_push(session, row.failure_notice_to, [text(body)], now, purpose="delivery_failed", case_id=row.case_id)


def _failed_attempt(row: Outbox, result: SendResult, now: datetime, max_attempts: int) -> None:
    row.attempts += 1
    row.last_error = f"{result.status or '-'} {result.detail}".strip()[:1000]
    if result.outcome == "refused" or row.attempts >= max_attempts:
        row.status = "failed"
        log.error("outbox %s to %s (%s) failed for good after %s attempts: %s",
                  row.id, row.to, row.purpose, row.attempts, row.last_error)
        return
    row.next_attempt_at = now + min(timedelta(seconds=5 * 2 ** (row.attempts - 1)), MAX_BACKOFF)
    log.warning("outbox %s to %s: attempt %s failed (%s); next at %s",
                row.id, row.to, row.attempts, row.last_error, row.next_attempt_at.isoformat())


def withdraw_images(session: Session, url_part: str, now: datetime, image_only: Iterable[str] = ()) -> int:
    """Take image messages whose link contains `url_part` out of messages not yet sent; returns how many rows changed.

    A row of a purpose in `image_only` exists to show the image, so without any image left it is
    not sent at all ("withdrawn"); other rows go without that image. A row being sent at this
    moment is left alone: its link already answers 410.
    """
    waiting = session.scalars(select(Outbox).where(Outbox.status.in_(("pending", "failed")), _unclaimed(now)))
    changed = 0
    for row in waiting:
        kept = [message for message in row.messages
                if not (message.get("type") == "image" and url_part in message.get("originalContentUrl", ""))]
        if len(kept) == len(row.messages):
            continue
        gone = not kept or (row.purpose in image_only and not any(m.get("type") == "image" for m in kept))
        values = {"messages": kept, **({"status": "withdrawn"} if gone else {})}
        changed += session.execute(
            update(Outbox).where(Outbox.id == row.id, Outbox.status == row.status, _unclaimed(now))
            .values(**values).execution_options(synchronize_session=False)).rowcount
    return changed


def failed_rows(db: Database) -> list[Outbox]:
    """Messages LINE refused or that kept failing: for the `outbox failed` command."""
    with db.session() as session:
        return list(session.scalars(select(Outbox).where(Outbox.status == "failed").order_by(Outbox.id)))


def requeue(db: Database, row_id: int, now: datetime) -> bool:
    """Give a failed message another chance (after fixing what made LINE refuse it)."""
    with db.session() as session:
        changed = session.execute(
            update(Outbox).where(Outbox.id == row_id, Outbox.status == "failed")
            .values(status="pending", attempts=0, next_attempt_at=now, claimed_until=None)
        ).rowcount
        session.commit()
        return bool(changed)
