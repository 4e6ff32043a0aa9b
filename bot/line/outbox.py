"""Durable delivery: messages are stored with the change they announce and sent after commit.

Before every try the recipient's access is checked again (`core.access.may_receive`): a message
to someone who lost access since it was stored is withdrawn, never sent. Replies go first, by the
event worker; pushes go apart from the event order (`send_pool`), the same messages queued for
several users as one multicast (`multicast`), and the sends of a request or a chunk are recorded
in one commit. A reply's push fallback uses the retry key fixed when the reply was stored, and a
reply whose try may have reached LINE is settled with its own token before any push (see
`_reply_failed`).
"""
from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Callable, Iterable

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from bot.core import access
from bot.core.db import Database
from bot.line import budget, console_delivery, multicast, outbox_waiting as waiting
from bot.line import limits as line_limits
from bot.line.gateway import LineGateway, SendResult
from bot.line.outbox_claims import is_dead, sender_id
from models import Outbox, PushBudget

log = logging.getLogger(__name__)

CLAIM_SECONDS = 120
_SENDER_CLAIM = "outbox_claimed_until"  # session.info key: rows queued in it are claimed till then
_BATCH_SECONDS = "outbox_batch_seconds"  # session.info key: how long its batched pushes wait for company
MAX_MESSAGES = waiting.MAX_MESSAGES
MAX_BACKOFF = timedelta(minutes=30)
# LINE's reply tokens live about a minute. Within this much of its issue, "Invalid reply token" for
# a token we may already have used means our earlier try was accepted: the reply was delivered.
REPLY_TOKEN_SURELY_VALID = timedelta(seconds=50)

ANSWERS = ("reply", "reply_overflow")  # purposes of the answers to what a person just wrote
Later = Callable[[list[list[Outbox]]], None]  # hands the requests to make (their rows) to the send pool
PUSH_CHUNK = 20  # pushes claimed, sent and recorded together by `send_due`: sent well within CLAIM_SECONDS


def enqueue_reply(session: Session, to: str, reply_token: str, messages: list[dict], now: datetime,
                  token_issued_at: datetime | None = None) -> Outbox:
    """Store an answer to an event; it falls back to a push if the token no longer works."""
    return _enqueue(session, "reply", to, messages, now, purpose="reply", reply_token=reply_token,
                    reply_token_issued_at=token_issued_at or now)


def enqueue_push(session: Session, to: str, messages: list[dict], now: datetime, purpose: str,
                 case_id: int | None = None, failure_notice_to: str | None = None) -> Outbox:
    """Store a push (an alert, a notice) to be sent after the surrounding transaction commits."""
    return _enqueue(session, "push", to, messages, now, purpose=purpose, case_id=case_id,
                    failure_notice_to=failure_notice_to)


def _enqueue(session, kind, to, messages, now, **fields) -> Outbox:
    if kind == "push" and (grace := console_delivery.grace_for(session, to, fields["purpose"], fields.get("case_id"), now)):
        line_limits.check(messages)
        return waiting.enqueue_for_console(session, to, messages, now, grace, fields)
    wait = session.info.get(_BATCH_SECONDS, 0) if kind == "push" else 0
    if wait and budget.batched(session, fields["purpose"], fields.get("case_id")):
        line_limits.check(messages)
        alone = budget.longest_wait(fields["purpose"])
        if alone is not None:
            return waiting.enqueue_waiting(session, to, messages, now, alone, fields)
        return waiting.enqueue_batched(session, to, messages, now, wait, fields)
    claimed_until = session.info.get(_SENDER_CLAIM)
    row = Outbox(kind=kind, to=to, messages=messages, retry_key=str(uuid.uuid4()), status="pending",
                 attempts=0, next_attempt_at=now, created_at=now, claimed_until=claimed_until,
                 claimed_by=sender_id() if claimed_until else None, **fields)
    if not multicast.join_identical(session.info, row):  # joined: the same messages were checked already
        line_limits.check(messages)
    session.add(row)  # inserted with the others at the next flush (one statement for a case's alerts)
    session.info.setdefault("queued_outbox", []).append(row)
    if kind == "reply" or fields["purpose"] not in budget.CARRIES_NOTHING:  # not a case's alert (a multicast)
        session.flush()
        if waiting.attach_waiting(session, row, now):
            multicast.leave_group(session.info, row)
    return row


def send_after_commit(session: Session, now: datetime, batch_seconds: int = 0) -> None:
    """This unit of work's caller sends what it queues right after commit (`send_claimed`).

    With `batch_seconds`, pushes of the purposes in `budget.BATCHED` wait that long instead, so
    that several for one person go in one push (PUSH_COALESCE_SECONDS); the send job sends them.

    The rows are stored already claimed by this process, which spares a claiming transaction per
    message; if the process dies before sending them, its restart takes them back at once
    (`reclaim_dead`), and otherwise the claim runs out and `send_due` sends them.
    """
    session.info[_SENDER_CLAIM] = now + timedelta(seconds=CLAIM_SECONDS)
    session.info[_BATCH_SECONDS] = batch_seconds


def queued(session: Session) -> list[Outbox]:
    """The messages this unit of work queued, to send right after it commits (`send_queued`).

    The rows keep their values after the commit (the sessions do not expire them), so sending them
    needs no second look in the database.
    """
    return list(session.info.get("queued_outbox", []))


def queued_ids(session: Session) -> list[int]:
    """Ids of the messages this unit of work queued, to send right after it commits."""
    return [row.id for row in queued(session)]


def due_ids(db: Database, now: datetime, limit: int = 100) -> list[int]:
    """Rows waiting to be sent whose time has come and that nobody is sending right now."""
    with db.session() as session:
        if waiting.expire_riders(session, now):
            session.commit()
        query = (select(Outbox.id).where(Outbox.status == "pending", Outbox.next_attempt_at <= now, _unclaimed(now))
                 .order_by(Outbox.id).limit(limit))
        return list(session.scalars(query))


def send_due(db: Database, gateway: LineGateway, now: Callable[[], datetime],
             ids: Iterable[int] | None = None, max_attempts: int = 8, reserve: int = 0) -> int:
    """Send the given rows (or every due row); returns how many were delivered.

    Pushes go a chunk at a time: claimed in one transaction, sent (identical ones as one
    multicast), recorded in one commit. Replies (being retried) go one by one (`send_one`).
    """
    if not gateway.configured:
        return 0
    ids = due_ids(db, now()) if ids is None else list(ids)
    delivered = 0
    for start in range(0, len(ids), PUSH_CHUNK):
        rows, replies = _take_pushes(db, ids[start:start + PUSH_CHUNK], now(), reserve)
        delivered += sum(send_one(db, gateway, now, row_id, max_attempts, reserve) for row_id in replies)
        delivered += _send_pushes(db, gateway, now, rows, max_attempts)
    return delivered


def send_one(db: Database, gateway: LineGateway, now: Callable[[], datetime], row_id: int,
             max_attempts: int = 8, reserve: int = 0) -> bool:
    """Send one row unless another sender holds it, its recipient lost access or the budget holds it; True if delivered."""
    row = _take(db, row_id, now())
    if row is None:
        return False
    if row.kind != "reply" and _held_for_budget(db, row, now(), reserve):
        return False
    result = _transmit(db, gateway, row, now, max_attempts)
    if result is None:
        return False
    _record(db, row.id, result, now(), max_attempts)
    return result.ok


def send_claimed(db: Database, gateway: LineGateway, now: Callable[[], datetime], ids: list[int],
                 max_attempts: int = 8, later: Later | None = None, reserve: int = 0) -> int:
    """Send rows queued under `send_after_commit`: replies at once, pushes to `later` (or here).

    Returns how many replies (and pushes sent here) were delivered; those are recorded in one commit.
    """
    if not ids or not gateway.configured:
        return 0
    return send_queued(db, gateway, now, _allowed(db, ids, now()), max_attempts, later, reserve)


def send_queued(db: Database, gateway: LineGateway, now: Callable[[], datetime], rows: list[Outbox],
                max_attempts: int = 8, later: Later | None = None, reserve: int = 0) -> int:
    """Send rows this process has just queued and committed, claimed by it (`queued`).

    Replies answer what the person just wrote, so their access was decided then; every push's
    recipient is checked again when it is sent (`send_fresh`), so no reading back is needed here.
    `later` gets the pushes as the requests they go in (`multicast.groups`).
    """
    if not rows or not gateway.configured:
        return 0
    pushes = multicast.groups(row for row in rows if row.kind != "reply")
    delivered = []
    for row in (r for r in rows if r.kind == "reply"):
        result = gateway.reply(row.reply_token, row.messages)
        meaning = "delivered" if result.ok else _reply_failed(db, row, result, now(), max_attempts)
        if meaning == "delivered":
            delivered.append(row.id)
        elif meaning == "push":  # in the pool too: a push may be slow, the next person's reply must not wait
            row.kind, row.reply_token = "push", None  # as _reply_failed stored it; still claimed by this process
            pushes.append([row])
    _mark_sent(db, delivered, now(), pushed=False)
    if later is not None:
        later(pushes)
        return len(delivered)
    return len(delivered) + send_fresh(db, gateway, now, [row for group in pushes for row in group], max_attempts,
                                       reserve)


def send_fresh(db: Database, gateway: LineGateway, now: Callable[[], datetime], rows: list[Outbox],
               max_attempts: int = 8, reserve: int = 0) -> int:
    """Send pushes this process queued and still holds (claimed when stored): no claiming transaction.

    One read checks that the claims are still this process's, the recipients' access and the
    budget (withdrawing or holding what must not go); the sends are recorded in one commit.
    Returns how many were delivered.
    """
    if not rows or not gateway.configured:
        return 0
    at = now()
    with db.session() as session:
        ours = set(session.scalars(select(Outbox.id).where(
            Outbox.id.in_([row.id for row in rows]), Outbox.status == "pending", Outbox.kind == "push",
            Outbox.claimed_by == sender_id(), Outbox.claimed_until >= at)))
        rows = [row for group in multicast.groups(rows) if all(row.id in ours for row in group) for row in group]
        rows = _within_budget(session, _allowed_now(session, rows), at, reserve)
        session.commit()
    return _send_pushes(db, gateway, now, rows, max_attempts)


def _take_pushes(db: Database, ids: list[int], now: datetime, reserve: int) -> tuple[list[Outbox], list[int]]:
    """Claim the due pushes among `ids` (with every pending row of their multicasts), in one transaction.

    Those whose recipient lost access are withdrawn and those the budget does not allow now are
    held, in the same transaction. Returns the pushes to send, and the replies among `ids` (sent
    one by one: a reply may turn into a push).
    """
    mine = sender_id()
    with db.session() as session:
        other = aliased(Outbox)
        keys = select(other.multicast_key).where(other.id.in_(ids), other.multicast_key.is_not(None),
                                                 other.status == "pending", other.next_attempt_at <= now)
        rows = list(session.scalars(
            update(Outbox)
            .where(Outbox.status == "pending", Outbox.kind == "push", or_(_unclaimed(now), Outbox.claimed_by == mine),
                   or_(and_(Outbox.id.in_(ids), Outbox.next_attempt_at <= now), Outbox.multicast_key.in_(keys)))
            .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS), claimed_by=mine)
            .returning(Outbox), execution_options={"populate_existing": True}))
        rows = _whole_groups(session, sorted(rows, key=lambda row: row.id), mine)
        rows = _allowed_now(session, rows)
        rows = _within_budget(session, rows, now, reserve)
        rest = set(ids) - {row.id for row in rows}
        replies = list(session.scalars(select(Outbox.id).where(
            Outbox.id.in_(rest), Outbox.kind == "reply", Outbox.status == "pending").order_by(Outbox.id))) if rest else []
        session.commit()
        return rows, replies


def _whole_groups(session: Session, rows: list[Outbox], mine: str) -> list[Outbox]:
    """Leave out (and let go) a multicast of which another sender holds some rows: a part sent with
    the group's retry key would make LINE answer 409 for the rest. (The rows of a key are claimed
    together, so this does not happen; the check keeps it so.)"""
    keys = {row.multicast_key for row in rows if row.multicast_key}
    if not keys:
        return rows
    split = set(session.scalars(select(Outbox.multicast_key).where(
        Outbox.multicast_key.in_(keys), Outbox.status == "pending",
        or_(Outbox.claimed_by.is_(None), Outbox.claimed_by != mine)).distinct()))
    if split:
        session.execute(update(Outbox).where(Outbox.multicast_key.in_(split), Outbox.claimed_by == mine)
                        .values(claimed_until=None, claimed_by=None).execution_options(synchronize_session=False))
        log.warning("another sender holds part of %s multicast(s); left for later", len(split))
    return [row for row in rows if row.multicast_key not in split]


def _allowed_now(session: Session, rows: list[Outbox]) -> list[Outbox]:
    """The claimed pushes whose recipient may still receive them; the others are withdrawn."""
    checked = [row for row in rows if row.purpose not in ANSWERS]
    allowed = access.may_receive_all(session, [(row.to, row.case_id) for row in checked])
    gone = {row.id for row, ok in zip(checked, allowed) if not ok}
    if gone:
        session.execute(update(Outbox).where(Outbox.id.in_(gone))
                        .values(status="withdrawn", claimed_until=None, last_error="the recipient lost access")
                        .execution_options(synchronize_session=False))
        log.info("outbox %s withdrawn: the recipient lost access", ", ".join(map(str, sorted(gone))))
    return [row for row in rows if row.id not in gone]


def _within_budget(session: Session, rows: list[Outbox], now: datetime, reserve: int) -> list[Outbox]:
    """The claimed pushes the budget allows now; the others are held (quota used up, or under the reserve)."""
    reasons = {purpose: budget.hold_reason(session, purpose, now, reserve) for purpose in {row.purpose for row in rows}}
    for reason in set(reasons.values()) - {None}:
        held = [row.id for row in rows if reasons[row.purpose] == reason]
        session.execute(update(Outbox).where(Outbox.id.in_(held))
                        .values(held=reason, claimed_until=None, claimed_by=None,
                                next_attempt_at=now + budget.HOLD_RECHECK).execution_options(synchronize_session=False))
        log.info("outbox %s held: %s", ", ".join(map(str, held)), "quota used up" if reason == "quota" else "push reserve")
    return [row for row in rows if reasons[row.purpose] is None]


def _send_pushes(db: Database, gateway: LineGateway, now: Callable[[], datetime], rows: list[Outbox],
                 max_attempts: int) -> int:
    """Send claimed pushes, identical ones as one multicast, and record them all in one commit; returns how many were delivered."""
    if not rows:
        return 0
    results = [(group, _push(gateway, group)) for group in multicast.groups(rows)]
    sent = [row.id for group, result in results if result.ok for row in group]
    at = now()
    with db.session() as session:
        _mark_sent_in(session, sent, at, all_pushes=True)
        for group, result in results:
            for row in group if not result.ok else ():
                _record_failure(session, row.id, result, at, max_attempts)
        session.commit()
    return len(sent)


def _push(gateway: LineGateway, group: list[Outbox]) -> SendResult:
    """One request for a group of rows: a push, or a multicast under the group's retry key."""
    first = group[0]
    if first.multicast_key is None:
        return gateway.push(first.to, first.messages, first.retry_key)
    return gateway.multicast([row.to for row in group], first.messages, first.multicast_key)


def _held_for_budget(db: Database, row: Outbox, now: datetime, reserve: int) -> bool:
    """Hold a claimed push the budget does not allow now (quota used up, or under the reserve)."""
    with db.session() as session:
        reason = budget.hold_reason(session, row.purpose, now, reserve)
        if reason is None:
            return False
        session.execute(update(Outbox).where(Outbox.id == row.id)
                        .values(held=reason, claimed_until=None, claimed_by=None,
                                next_attempt_at=now + budget.HOLD_RECHECK).execution_options(synchronize_session=False))
        session.commit()
    log.info("outbox %s (%s) held: %s", row.id, row.purpose, "quota used up" if reason == "quota" else "push reserve")
    return True


def _allowed(db: Database, ids: list[int], now: datetime) -> list[Outbox]:
    """The pending rows among `ids`, once those whose recipient lost access are withdrawn."""
    with db.session() as session:
        rows = list(session.scalars(select(Outbox).where(Outbox.id.in_(ids), Outbox.status == "pending")
                                    .order_by(Outbox.id)))
        kept = [row for row in rows if _still_allowed(session, row)]
        session.commit()
        return kept


def _still_allowed(session: Session, row: Outbox) -> bool:
    # An answer was decided against the person's access when they wrote (a refusal, if they had
    # none); those stored before someone lost access are withdrawn then (`withdraw_to`).
    if row.purpose in ANSWERS or access.may_receive(session, row.to, row.case_id):
        return True
    row.status, row.claimed_until, row.last_error = "withdrawn", None, "the recipient lost access"
    log.info("outbox %s (%s) withdrawn: its recipient lost access", row.id, row.purpose)
    return False


def _take(db: Database, row_id: int, now: datetime) -> Outbox | None:
    """Claim a row for this process (or keep this process's claim); None if not ours to send now."""
    mine = sender_id()
    with db.session() as session:
        claimed = session.execute(
            update(Outbox)
            .where(Outbox.id == row_id, Outbox.status == "pending", Outbox.next_attempt_at <= now,
                   or_(_unclaimed(now), Outbox.claimed_by == mine))
            # A claim that ran out was held by a sender that died, perhaps in the middle of replying.
            .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS), claimed_by=mine,
                    reply_unsure=case((Outbox.claimed_until < now, True), else_=Outbox.reply_unsure))
        ).rowcount
        row = session.get(Outbox, row_id, populate_existing=True) if claimed else None
        if row is not None and not _still_allowed(session, row):
            row = None
        session.commit()
        return row


def _transmit(db: Database, gateway: LineGateway, row: Outbox, now, max_attempts: int) -> SendResult | None:
    """Send one claimed row: a reply, or a push when the reply token no longer works; None if already recorded."""
    if row.kind != "reply":
        return gateway.push(row.to, row.messages, row.retry_key)
    result = gateway.reply(row.reply_token, row.messages)
    if result.ok:
        return result
    meaning = _reply_failed(db, row, result, now(), max_attempts)
    if meaning == "delivered":
        return SendResult("ok", result.status, "delivered by an earlier try")
    row = _take(db, row.id, now()) if meaning == "push" else None
    return None if row is None else gateway.push(row.to, row.messages, row.retry_key)


def _reply_failed(db: Database, row: Outbox, result: SendResult, now: datetime, max_attempts: int) -> str:
    """What a failed reply means: "retry" (recorded: try the token again), "delivered" or "push" (now a push)."""
    if result.outcome == "retry":  # a timeout or 5xx: LINE may have taken it; the same token will tell
        _record(db, row.id, result, now, max_attempts, reply_unsure=True)
        return "retry"
    if _delivered_before(row, result, now):
        log.info("reply for outbox %s was delivered by an earlier try (its token is used up)", row.id)
        return "delivered"
    # Expired or refused: a push, with the retry key fixed when the reply was stored.
    log.info("reply for outbox %s refused (%s %s); pushing instead", row.id, result.status, result.detail)
    with db.session() as session:
        session.execute(update(Outbox).where(Outbox.id == row.id)
                        .values(kind="push", reply_token=None).execution_options(synchronize_session=False))
        session.commit()
    return "push"


def _delivered_before(row: Outbox, result: SendResult, now: datetime) -> bool:
    """An "Invalid reply token" for a young token that an earlier try may have used: that try got through."""
    issued = row.reply_token_issued_at
    return (row.reply_unsure and issued is not None and now - issued < REPLY_TOKEN_SURELY_VALID
            and "reply token" in (result.detail or "").lower())


def _mark_sent(db: Database, ids: list[int], now: datetime, pushed: bool = True) -> None:
    """Record rows as delivered; those that went by push count against the month's quota."""
    if not ids:
        return
    with db.session() as session:
        _mark_sent_in(session, ids, now, pushed)
        session.commit()


def _mark_sent_in(session: Session, ids: list[int], now: datetime, pushed: bool = True,
                  all_pushes: bool = False) -> None:
    """`_mark_sent` in the caller's transaction; `all_pushes`: every row went by push (or multicast)."""
    if not ids:
        return
    table = Outbox.__table__  # plain SQL statements: the ORM has nothing to keep in step here
    session.execute(update(table).where(table.c.id.in_(ids))
                    .values(status="sent", sent_at=now, attempts=table.c.attempts + 1, claimed_until=None,
                            claimed_by=None, held=None,
                            pushes=(1 if all_pushes else case((table.c.kind == "push", 1), else_=0)) if pushed else 0))
    if pushed:  # one statement: the budget row gains the pushes among them
        budget_row = PushBudget.__table__
        added = len(ids) if all_pushes else (select(func.count()).select_from(table)
                                             .where(table.c.id.in_(ids), table.c.kind == "push").scalar_subquery())
        session.execute(update(budget_row).where(budget_row.c.id == 1).values(consumed=budget_row.c.consumed + added))


def _unclaimed(now: datetime):
    """No sender holds the row at `now`: never claimed, or its claim ran out."""
    return or_(Outbox.claimed_until.is_(None), Outbox.claimed_until < now)


def _claim(db: Database, row_id: int, now: datetime) -> Outbox | None:
    """Mark a row as being sent; only one sender (thread, process, scheduler) wins."""
    with db.session() as session:
        claimed = session.execute(
            update(Outbox)
            .where(Outbox.id == row_id, Outbox.status == "pending", Outbox.next_attempt_at <= now, _unclaimed(now))
            .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS), claimed_by=sender_id())
        ).rowcount
        session.commit()
        return session.get(Outbox, row_id, populate_existing=True) if claimed else None


def reclaim_dead(db: Database, now: datetime) -> list[multicast.Unit]:
    """At start: take over the messages held by senders that died (this process's predecessor).

    Returns the rows now claimed by this process, as the requests they go in (`multicast.units`),
    to send at once. A reply among them may have reached LINE before the crash, so it is marked
    unsure (see `_delivered_before`).
    """
    mine, taken = sender_id(), []
    with db.session() as session:
        held = session.execute(select(Outbox.id, Outbox.to, Outbox.kind, Outbox.multicast_key, Outbox.claimed_by).where(
            Outbox.status == "pending", Outbox.claimed_by.is_not(None), Outbox.claimed_by != mine,
            Outbox.claimed_until >= now).order_by(Outbox.id)).all()
        for row in held:
            if not is_dead(row.claimed_by):
                continue
            changed = session.execute(
                update(Outbox).where(Outbox.id == row.id, Outbox.status == "pending", Outbox.claimed_by == row.claimed_by)
                .values(claimed_by=mine, claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
                        reply_unsure=case((Outbox.kind == "reply", True), else_=Outbox.reply_unsure))
                .execution_options(synchronize_session=False)).rowcount
            if changed:
                taken.append(row)
        session.commit()
    if taken:
        log.info("took back %s message(s) a stopped sender had claimed", len(taken))
    return multicast.units(taken)


def _record(db: Database, row_id: int, result: SendResult, now: datetime, max_attempts: int,
            reply_unsure: bool = False) -> None:
    if result.ok:
        _mark_sent(db, [row_id], now)
        return
    with db.session() as session:
        _record_failure(session, row_id, result, now, max_attempts, reply_unsure)
        session.commit()


def _record_failure(session: Session, row_id: int, result: SendResult, now: datetime, max_attempts: int,
                    reply_unsure: bool = False) -> None:
    """A try that did not deliver: held for the quota, retried later, or failed for good (its officer told)."""
    row = session.get(Outbox, row_id)
    row.claimed_until = row.claimed_by = None
    row.reply_unsure = row.reply_unsure or reply_unsure
    if result.outcome == "quota":  # LINE refused it: not delivered, not worth retrying until there is room
        row.held, row.next_attempt_at, row.last_error = "quota", now + budget.HOLD_RECHECK, f"429 {result.detail}"[:1000]
        # A multicast is refused whole when the month has fewer pushes left than it has recipients: once
        # there is room again each row goes alone, so that those that fit arrive (LINE accepted nothing).
        row.multicast_key = None
        budget.used_up(session, now)
        return
    _failed_attempt(row, result, now, max_attempts)
    if row.status == "failed" and row.failure_notice_to:
        _notify_failure(session, row, now)


def _notify_failure(session: Session, row: Outbox, now: datetime) -> None:
    """Tell the officer whose message never reached the principal, so they can phone instead."""
    from bot.line.messages import text
    from bot.core.texts import say
    from models import Case

    case_row = session.get(Case, row.case_id) if row.case_id else None
    body = say("delivery_failed", case=case_row, error=row.last_error or "")
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
    unsent = session.scalars(select(Outbox).where(Outbox.status.in_(("pending", "failed")), _unclaimed(now)))
    changed = 0
    for row in unsent:
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


def withdraw_to(session: Session, chat: str) -> int:
    """Withdraw every message still waiting for `chat` (its person just lost access); returns how many."""
    return session.execute(update(Outbox).where(Outbox.to == chat, Outbox.status == "pending")
                           .values(status="withdrawn", claimed_until=None, last_error="the recipient lost access")
                           .execution_options(synchronize_session=False)).rowcount


def failed_rows(db: Database) -> list[Outbox]:
    """Messages LINE refused or that kept failing: for the `outbox failed` command."""
    with db.session() as session:
        return list(session.scalars(select(Outbox).where(Outbox.status == "failed").order_by(Outbox.id)))


def requeue(db: Database, row_id: int, now: datetime) -> bool:
    """Give a failed message another chance (after fixing what made LINE refuse it)."""
    with db.session() as session:
        changed = session.execute(
            update(Outbox).where(Outbox.id == row_id, Outbox.status == "failed")
            .values(status="pending", attempts=0, next_attempt_at=now, claimed_until=None, claimed_by=None, held=None)
        ).rowcount
        session.commit()
        return bool(changed)
