"""Pushes that wait before they go: for company (a batch), for the web console, for a reply to
ride, or for the case's taker — and the messages that go to a person anyway taking them along.

`outbox._enqueue` decides which way a push goes; this module stores it so (see `budget` for which
purposes wait how long). A waiting push is *open* while nobody has tried or is trying it: only
then may it be merged into another row or withdrawn.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.line import budget, multicast
from models import Outbox

MAX_MESSAGES = 5  # LINE takes at most five message objects per request
BATCH_WAIT_MAX = 3  # a batch goes PUSH_COALESCE_SECONDS after its last message, at most 3 × that after its first


def enqueue_waiting(session: Session, to: str, messages: list[dict], now: datetime, longest: timedelta,
                     fields: dict) -> Outbox:
    """A push that waits alone, up to `longest`, for a reply or another push to its person to carry it.

    What happens when the time is up depends on its purpose (`budget.RIDE_ONLY`: withdrawn;
    `budget.UNTIL_TAKEN`: sent). It never carries others, so withdrawing it drops nothing else.
    """
    row = Outbox(kind="push", to=to, messages=messages, retry_key=str(uuid.uuid4()), status="pending", attempts=0,
                 next_attempt_at=now + longest, created_at=now, **fields)
    session.add(row)
    session.flush()
    return row


def enqueue_for_console(session: Session, to: str, messages: list[dict], now: datetime, grace: timedelta,
                         fields: dict) -> Outbox:
    """A push for an officer at the web console: it waits `grace` for the console to show it (then it is
    never pushed), and goes by push after that (`console_delivery`). It carries no batch."""
    until = now + grace
    row = Outbox(kind="push", to=to, messages=messages, retry_key=str(uuid.uuid4()), status="pending", attempts=0,
                 next_attempt_at=until, created_at=now, console_until=until, **fields)
    session.add(row)
    session.flush()
    return row


def open_push(now: datetime) -> tuple:
    """A push nobody has tried or is trying: its messages may still go with another row instead."""
    return (Outbox.status == "pending", Outbox.kind == "push", Outbox.attempts == 0, Outbox.claimed_by.is_(None),
            Outbox.merged_into.is_(None))


def enqueue_batched(session: Session, to: str, messages: list[dict], now: datetime, wait: int, fields: dict) -> Outbox:
    """A push that waits `wait` seconds so that what follows for the same person goes in the same push.

    Each message that joins makes the batch wait `wait` seconds more (a burst of messages is one
    push), up to `BATCH_WAIT_MAX` × `wait` after the first message.

    It joins a waiting push to that person when the five messages allow (stored as "merged" into it,
    for the accounts); the waiting row is locked first, so a sender can no longer be taking it.
    """
    first_wait = wait * budget.FIRST_WAIT.get(fields["purpose"], 1)
    row = Outbox(kind="push", to=to, messages=messages, retry_key=str(uuid.uuid4()), status="pending", attempts=0,
                 next_attempt_at=now + timedelta(seconds=first_wait), created_at=now, **fields)
    carrier = batch_for(session, to, len(messages), now)
    if carrier is not None:  # it waits `wait` more for the next one, but never longer than BATCH_WAIT_MAX × wait
        carrier.messages = [*carrier.messages, *messages]
        carrier.next_attempt_at = min(now + timedelta(seconds=wait),
                                      carrier.created_at + timedelta(seconds=max(wait * BATCH_WAIT_MAX, first_wait)))
        carrier.failure_notice_to = carrier.failure_notice_to or row.failure_notice_to
        multicast.leave_group(session.info, carrier)
        row.status, row.merged_into = "merged", carrier.id
    else:
        multicast.join_identical(session.info, row)
    session.add(row)
    session.flush()
    if carrier is None and attach_waiting(session, row, now, alone_only=True):  # it takes along what waits alone
        multicast.leave_group(session.info, row)
    return row


def batch_for(session: Session, to: str, count: int, now: datetime) -> Outbox | None:
    waiting = session.scalars(select(Outbox.id).where(Outbox.to == to, Outbox.held.is_(None), Outbox.next_attempt_at > now,
                                                      Outbox.purpose.in_(budget.BATCHED), Outbox.console_until.is_(None),
                                                      *open_push(now))
                              .order_by(Outbox.id.desc()).limit(1)).first()
    if waiting is None or not lock_open(session, waiting, now):
        return None
    row = session.get(Outbox, waiting)
    session.refresh(row)
    return row if len(row.messages) + count <= MAX_MESSAGES else None


def lock_open(session: Session, row_id: int, now: datetime) -> bool:
    """Lock a row still open for company (a no-op UPDATE); False if a sender took it meanwhile."""
    return bool(session.execute(update(Outbox).where(Outbox.id == row_id, *open_push(now))
                                .values(attempts=Outbox.attempts).execution_options(synchronize_session=False))
                .rowcount)


def attach_waiting(session: Session, reply: Outbox, now: datetime, alone_only: bool = False) -> bool:
    """Put pushes still waiting for this person (batched, riding, or held for the budget) into a message
    that goes to them anyway: a reply (free) or a push (one push instead of several).

    `alone_only`: only those that wait alone (`budget.longest_wait`), for a new batch. True if it took any.
    """
    query = select(Outbox).where(Outbox.to == reply.to, Outbox.id != reply.id, *open_push(now))
    if alone_only:
        query = query.where(Outbox.purpose.in_([*budget.RIDE_ONLY, *budget.UNTIL_TAKEN]))
    waiting = session.scalars(query.order_by(Outbox.id).limit(MAX_MESSAGES)).all()
    taken: list[dict] = []
    for row in waiting:
        if len(taken) + len(row.messages) + len(reply.messages) > MAX_MESSAGES:
            break
        merged = session.execute(update(Outbox).where(Outbox.id == row.id, *open_push(now))
                                 .values(status="merged", merged_into=reply.id, held=None)
                                 .execution_options(synchronize_session=False)).rowcount
        if merged:
            session.refresh(row)
            taken += row.messages
    if taken:
        reply.messages = [*taken, *reply.messages]
        session.flush()
    return bool(taken)


def withdraw_for_case(session: Session, case_id: int, purpose: str, why: str) -> int:
    """Withdraw the pushes of `purpose` for a case that still wait alone (nobody needs them any more)."""
    return session.execute(update(Outbox).where(Outbox.case_id == case_id, Outbox.purpose == purpose,
                                                Outbox.status == "pending", Outbox.attempts == 0,
                                                Outbox.claimed_by.is_(None))
                           .values(status="withdrawn", last_error=why)
                           .execution_options(synchronize_session=False)).rowcount


def expire_riders(session: Session, now: datetime) -> int:
    """Riders whose window ended without a reply or push to carry them: withdrawn (the thread keeps what they said)."""
    return session.execute(update(Outbox).where(Outbox.purpose.in_(list(budget.RIDE_ONLY)), *open_push(now),
                                                Outbox.next_attempt_at <= now)
                           .values(status="withdrawn", last_error="nothing carried it in time; it is in the case's thread")
                           .execution_options(synchronize_session=False)).rowcount
