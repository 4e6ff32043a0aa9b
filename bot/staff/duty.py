"""Who is on duty (เวร): the weekly roster, and officers typing เข้าเวร / ออกเวร.

An ordinary alert goes to the officers on duty, or to every officer when nobody is
(`alert_recipients`, the one place that decides it); escalation widens it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.core.thai_dates import BANGKOK
from bot.staff.officers import OfficerError, active_officers, find
from models import DutySlot, Officer

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
THAI_DAYS = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")
HOURS = re.compile(r"^\s*([01]?\d|2[0-4])[:.]([0-5]\d)\s*-\s*([01]?\d|2[0-4])[:.]([0-5]\d)\s*$")


@dataclass(frozen=True)
class Shift:
    """Days and hours of one roster line, as an office writes it ("mon-fri", "08:30-16:30")."""

    days: tuple[int, ...]
    starts: str
    ends: str


def parse_shift(days: str, hours: str) -> Shift:
    """Understand "mon-fri" / "sat,sun" / "all" and "08:30-16:30" (ends before it starts: overnight)."""
    match = HOURS.match(hours)
    if not match:
        raise OfficerError(f"hours {hours!r} should look like 08:30-16:30")
    starts, ends = f"{int(match[1]):02d}:{match[2]}", f"{int(match[3]):02d}:{match[4]}"
    if starts == ends or _minutes(starts) > 24 * 60 or _minutes(ends) > 24 * 60:
        raise OfficerError(f"hours {hours!r} make no shift")
    return Shift(_days(days), starts, ends)


def _days(text: str) -> tuple[int, ...]:
    text = text.strip().lower()
    if text in ("all", "every", "daily"):
        return tuple(range(7))
    picked: list[int] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise OfficerError(f"day {part!r}: use mon, tue, wed, thu, fri, sat, sun (or mon-fri, all)")
        a, b = DAYS.index(first), DAYS.index(last or first)
        picked += [(a + i) % 7 for i in range((b - a) % 7 + 1)]
    if not picked:
        raise OfficerError("name at least one day")
    return tuple(sorted(set(picked)))


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _slot_end(slot: DutySlot, now: datetime) -> datetime | None:
    """When the shift covering `now` ends, or None if `slot` does not cover `now`."""
    local = now.astimezone(BANGKOK)
    minute, start, end = local.hour * 60 + local.minute, _minutes(slot.starts), _minutes(slot.ends)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if start < end:
        covers = slot.weekday == local.weekday() and start <= minute < end
        return midnight + timedelta(minutes=end) if covers else None
    if slot.weekday == local.weekday() and minute >= start:  # overnight, before midnight
        return midnight + timedelta(days=1, minutes=end)
    if slot.weekday == (local.weekday() - 1) % 7 and minute < end:  # overnight, after midnight
        return midnight + timedelta(minutes=end)
    return None


def _scheduled(session: Session, now: datetime) -> dict[int, datetime]:
    """Officer id -> when their current shift ends, for officers the roster has on duty now."""
    ends: dict[int, datetime] = {}
    for slot in session.scalars(select(DutySlot)):
        end = _slot_end(slot, now)
        if end is not None:
            ends[slot.officer_id] = max(end, ends.get(slot.officer_id, end))
    return ends


def on_duty(session: Session, now: datetime) -> list[Officer]:
    """Active officers on duty now: by the roster (unless they typed ออกเวร) or by typing เข้าเวร."""
    scheduled = _scheduled(session, now)
    return [o for o in active_officers(session)
            if (o.on_duty_until is not None and o.on_duty_until > now)
            or (o.id in scheduled and not (o.off_duty_until is not None and o.off_duty_until > now))]


def alert_recipients(session: Session, case, now: datetime, on_duty_now: list[Officer] | None = None) -> list[Officer]:
    """Who gets an ordinary alert about `case`: those on duty, or everyone when nobody is.

    Once a case has been escalated (nobody took it in time) everyone gets what follows; an urgent
    case (ด่วนที่สุด) goes to everyone at once. `on_duty_now`: `on_duty`, if the caller has it already.
    """
    if getattr(case, "urgent", False) or getattr(case, "escalation_level", 0):
        return active_officers(session)
    return (on_duty(session, now) if on_duty_now is None else on_duty_now) or active_officers(session)


def names(officers: list[Officer]) -> str:
    """The officers' names for a message ("" when nobody)."""
    return ", ".join(o.name for o in officers)


def start(session: Session, officer: Officer, now: datetime, hours: int) -> datetime:
    """The officer typed เข้าเวร: on duty from now for `hours` (or until ออกเวร)."""
    officer.on_duty_until, officer.off_duty_until = now + timedelta(hours=hours), None
    return officer.on_duty_until


def stop(session: Session, officer: Officer, now: datetime) -> None:
    """The officer typed ออกเวร: off duty now, until the end of the roster's shift that covers now."""
    officer.on_duty_until = None
    officer.off_duty_until = _scheduled(session, now).get(officer.id)


# ---- the weekly roster, for the CLI ---------------------------------------------------------

def set_shift(session: Session, key: str, days: str, hours: str) -> tuple[Officer, Shift]:
    """Add a weekly shift for an officer (by #id, LINE user id or exact name)."""
    officer = find(session, key.lstrip("#"))
    shift = parse_shift(days, hours)
    for day in shift.days:
        session.add(DutySlot(officer_id=officer.id, weekday=day, starts=shift.starts, ends=shift.ends))
    session.flush()
    return officer, shift


def clear(session: Session, key: str | None = None) -> int:
    """Remove every shift (of one officer, if named); returns how many went."""
    query = delete(DutySlot)
    if key:
        query = query.where(DutySlot.officer_id == find(session, key.lstrip("#")).id)
    return session.execute(query).rowcount


def remove(session: Session, key: str, days: str, hours: str | None = None) -> tuple[Officer, int]:
    """Take an officer off the roster on some days (only the shift of `hours`, if given); returns how many went."""
    officer = find(session, key.lstrip("#"))
    query = delete(DutySlot).where(DutySlot.officer_id == officer.id, DutySlot.weekday.in_(_days(days)))
    if hours:
        shift = parse_shift(days, hours)
        query = query.where(DutySlot.starts == shift.starts, DutySlot.ends == shift.ends)
    return officer, session.execute(query).rowcount


def remove_shift(session: Session, slot: DutySlot) -> Officer:
    """Remove one day's shift of the roster; returns whose it was."""
    officer = session.get(Officer, slot.officer_id)
    session.delete(slot)
    session.flush()
    return officer


def load(session: Session, text: str) -> int:
    """Replace the roster with a JSON file's: {"shifts": [{"officer": "#1", "days": "mon-fri", "hours": "08:30-16:30"}]}."""
    try:
        shifts = json.loads(text)["shifts"]
        rows = [(str(s["officer"]), str(s["days"]), str(s["hours"])) for s in shifts]
    except (ValueError, KeyError, TypeError) as error:
        raise OfficerError(f"the roster file is not in the expected shape: {error}") from error
    clear(session)
    return sum(len(set_shift(session, *row)[1].days) for row in rows)


def roster(session: Session) -> list[tuple[Officer, DutySlot]]:
    """Every weekly shift, by day and hour."""
    rows = session.execute(select(Officer, DutySlot).join(DutySlot, DutySlot.officer_id == Officer.id)
                           .order_by(DutySlot.weekday, DutySlot.starts, Officer.id)).all()
    return [(officer, slot) for officer, slot in rows]
