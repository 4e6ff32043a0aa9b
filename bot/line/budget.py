"""LINE's monthly push budget: what each purpose of push is, what the month used, what must wait.

Every push counts against the channel's monthly quota (one per recipient); replies are free. The
figures are read from LINE by a periodic job (`staff.push_budget.check`) and kept in one row, to
which each push sent is added, so the senders never call LINE to decide. Under PUSH_RESERVE only
alerts of new cases and escalations go by push; when LINE says the month's pushes are used up,
nothing is pushed (the rows are *held*) until a reading shows room again or the month changes.
Held rows and those waiting to be batched ride the next reply to their recipient (`outbox`).
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.core.thai_dates import BANGKOK
from models import Case, Outbox, PushBudget

log = logging.getLogger(__name__)

HOLD_RECHECK = timedelta(minutes=10)  # a held push is looked at again this often (or when released)

# purpose of a push -> its kind in the centre's accounts; the kinds the issue names, and a few more
KINDS = {
    "case_alert": "alert", "case_urgent": "alert", "group_notice": "alert",
    "reporter_wrote": "relay", "relay_to_reporter": "relay", "photo": "relay", "relay_photo_to_reporter": "relay",
    "followup_untaken": "relay", "reporter_thanked": "relay",
    "case_taken": "state", "taken_by_other": "state", "details_stopped": "state", "state_changed": "state", "handover": "state",
    "escalation_1": "escalation", "escalation_2": "escalation",
    "reminder": "reminder", "still_waiting": "reminder", "fund_reminder": "reminder",
}
# Pushes that wait up to PUSH_COALESCE_SECONDS so that several for one person go as one; the
# others (alerts, escalations, the rest of a long reply, anything not listed) go at once.
BATCHED = frozenset({"reporter_wrote", "relay_to_reporter", "photo", "relay_photo_to_reporter", "case_taken",
                     "state_changed", "handover", "reminder", "still_waiting", "fund_requested",
                     "photo_problem", "delivery_failed"})
# A case's alerts to the officers go as one multicast of identical messages: they carry nothing else
# (any other push that goes to a person takes along what waits for them, see `outbox`).
CARRIES_NOTHING = frozenset({"case_alert", "case_urgent", "case_details"})
# A batch whose first message is one of these waits this many times PUSH_COALESCE_SECONDS at first:
# an officer who takes a case writes to the principal within a minute or so, and "taken" goes with it.
FIRST_WAIT = {"case_taken": 3, "handover": 3}
# Pushes that never go alone: they ride a reply or another push to their person within the window,
# and are withdrawn when it ends (what they say is in the case's thread, the console and `เรื่องค้าง`):
# "X took the case" for the other officers, a principal's bare "ขอบคุณค่ะ" for the case's owner.
RIDE_ONLY = {"taken_by_other": timedelta(minutes=30), "reporter_thanked": timedelta(hours=12)}
# A principal's follow-up on a case nobody took yet waits for whoever takes it (its answer lists
# them) or for the escalation at the deadline, which carries it; at the latest it goes after this.
UNTIL_TAKEN = {"followup_untaken": timedelta(hours=1)}


def batched(session: Session, purpose: str, case_id: int | None) -> bool:
    """Whether a push may wait for company: its purpose allows it and its case is not urgent.

    (`urgent` is the flag of issue 15's urgent reports; a case without it is ordinary.)
    """
    if purpose not in BATCHED and purpose not in RIDE_ONLY and purpose not in UNTIL_TAKEN:
        return False
    case = session.get(Case, case_id) if case_id else None
    return not getattr(case, "urgent", False)


def longest_wait(purpose: str) -> timedelta | None:
    """How long a push that waits alone (it rides, or waits for the case's taker) may wait; None for a batch."""
    return RIDE_ONLY.get(purpose) or UNTIL_TAKEN.get(purpose)


def rides_only(purpose: str) -> bool:
    """A push that is withdrawn, not sent, when nothing carried it in time."""
    return purpose in RIDE_ONLY


def kind_of(purpose: str) -> str:
    """The kind of push a purpose is, for the accounts: alert, relay, state, escalation, reminder, other."""
    if purpose.startswith("escalation"):
        return "escalation"
    return KINDS.get(purpose, "fund" if purpose.startswith("fund") else "other")


def essential(purpose: str) -> bool:
    """Pushed even under the reserve: a new case's alert, an escalation, an urgent notice, a budget warning."""
    return kind_of(purpose) in ("alert", "escalation") or "urgent" in purpose or purpose.startswith("quota")


def month_of(now: datetime) -> str:
    """The quota's month ("2026-11"), by Bangkok's calendar."""
    return now.astimezone(BANGKOK).strftime("%Y-%m")


def current(session: Session, now: datetime) -> PushBudget | None:
    """This month's figures, or None before the first reading (then nothing is held for the budget)."""
    row = session.get(PushBudget, 1)
    if row is None or row.month != month_of(now):
        return None
    return row


def remaining(row: PushBudget | None) -> int | None:
    """Pushes left this month; None when unknown or unlimited."""
    if row is None or row.quota is None:
        return None
    return max(row.quota - row.consumed, 0)


def used_share(row: PushBudget | None) -> float:
    """The part of the quota used (0..1); 0 when unknown or unlimited."""
    if row is None or not row.quota:
        return 0.0
    return min(row.consumed / row.quota, 1.0)


def record_reading(session: Session, now: datetime, quota: int | None, used: int) -> PushBudget:
    """Store what LINE said; a new month starts afresh, and room again releases what waited for it."""
    row = session.get(PushBudget, 1)
    if row is None:
        row = PushBudget(id=1, month=month_of(now), consumed=0, warned=0, exhausted_told=False)
        session.add(row)
    if row.month != month_of(now):
        row.month, row.warned, row.exhausted_at, row.exhausted_told = month_of(now), 0, None, False
    row.quota, row.consumed, row.read_at = quota, used, now
    if quota is not None and used >= quota and row.exhausted_at is None:
        used_up(session, now)
    elif row.exhausted_at is not None and (quota is None or used < quota):
        row.exhausted_at, row.exhausted_told = None, False
        log.warning("LINE's push quota has room again: held pushes go out")
    session.flush()
    release(session, now, row)
    return row


def spent(session: Session, pushes: int) -> None:
    """Add pushes just sent to this month's figure (until the next reading replaces it)."""
    if pushes:
        session.execute(update(PushBudget).where(PushBudget.id == 1)
                        .values(consumed=PushBudget.consumed + pushes).execution_options(synchronize_session=False))


def used_up(session: Session, now: datetime) -> None:
    """LINE answered "You have reached your monthly limit.": hold every push until there is room."""
    row = session.get(PushBudget, 1)
    if row is None:
        row = PushBudget(id=1, month=month_of(now), consumed=0, warned=0, exhausted_told=False)
        session.add(row)
    if row.month != month_of(now):
        row.month, row.warned, row.exhausted_told = month_of(now), 0, False
    if row.exhausted_at is None:
        row.exhausted_at = now
        log.error("LINE's monthly push quota is used up: pushes are held (see /healthz and `flask pushes held`)")
    if row.quota is not None:
        row.consumed = max(row.consumed, row.quota)


def hold_reason(session: Session, purpose: str, now: datetime, reserve: int) -> str | None:
    """Why a push must wait now: "quota" (used up), "reserve" (little left and it is not essential), or None."""
    row = session.get(PushBudget, 1)
    if row is None:
        return None
    if row.month != month_of(now):  # a new month: LINE's count started again
        return None
    if row.exhausted_at is not None:
        return "quota"
    left = remaining(row)
    if reserve and left is not None and left < reserve and not essential(purpose):
        return "reserve"
    return None


def release(session: Session, now: datetime, row: PushBudget | None) -> int:
    """After a reading with room: look again at once at the held pushes (the reserve may hold some again)."""
    if row is not None and row.exhausted_at is not None:
        return 0
    return session.execute(update(Outbox).where(Outbox.status == "pending", Outbox.held.is_not(None))
                           .values(next_attempt_at=now).execution_options(synchronize_session=False)).rowcount


def held_rows(session: Session, limit: int = 50) -> list[Outbox]:
    """Pushes waiting for the budget, oldest first (alerts that could not go among them)."""
    return list(session.scalars(select(Outbox).where(Outbox.status == "pending", Outbox.held.is_not(None))
                                .order_by(Outbox.id).limit(limit)))


def held_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Outbox)
                          .where(Outbox.status == "pending", Outbox.held.is_not(None))) or 0


def health(session: Session, now: datetime) -> dict:
    """The budget as /healthz shows it (from the stored reading: LINE is not asked here)."""
    row = session.get(PushBudget, 1)
    if row is None:
        return {"push_quota": None}
    this_month = row.month == month_of(now)
    return {"push_quota": {
        "month": row.month, "quota": row.quota, "used": row.consumed, "remaining": remaining(row),
        "read_at": row.read_at.isoformat() if row.read_at else None,
        "used_up": this_month and row.exhausted_at is not None, "held": held_count(session)}}


def cost_per_case(session: Session, since: datetime | None = None, until: datetime | None = None) -> dict:
    """Pushes LINE counted, by case and kind: {case id or None: {kind: count}}."""
    query = (select(Outbox.case_id, Outbox.purpose, func.sum(Outbox.pushes)).where(Outbox.pushes > 0)
             .group_by(Outbox.case_id, Outbox.purpose))
    if since is not None:
        query = query.where(Outbox.created_at >= since)
    if until is not None:
        query = query.where(Outbox.created_at < until)
    costs: dict = {}
    for case_id, purpose, count in session.execute(query):
        kinds = costs.setdefault(case_id, {})
        kinds[kind_of(purpose)] = kinds.get(kind_of(purpose), 0) + int(count)
    return costs
