"""The centre's summary of its work for a month or a fiscal year (October–September)."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, or_, select

from bot.casework.actions import DESTINATIONS
from bot.casework.states import STATES
from bot.core.districts import canonical_district
from bot.core.thai_dates import BANGKOK, THAI_MONTHS
from bot.paperwork.documents.summary import TITLE, SummaryData
from bot.paperwork.documents.wording import words
from config.categories import CATEGORIES
from models import Case, CaseEntry, FundRequest


@dataclass(frozen=True)
class Period:
    """A span of days in Bangkok time: [start, end)."""

    key: str  # "2569-11" or "2570" (fiscal year)
    label: str
    start: datetime
    end: datetime


def parse_period(text: str) -> Period:
    """ "2569-11" (a month, BE or CE year) or "2570" / "ปีงบประมาณ 2570" (a fiscal year)."""
    text = text.strip()
    month = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if month:
        year, number = _ce(int(month.group(1))), int(month.group(2))
        if not 1 <= number <= 12:
            raise ValueError(f"no month {number}")
        start = date(year, number, 1)
        end = date(year + (number == 12), number % 12 + 1, 1)
        return Period(f"{year + 543}-{number:02d}", f"เดือน{THAI_MONTHS[number - 1]} {year + 543}",
                      _at(start), _at(end))
    fiscal = re.fullmatch(r"(?:ปีงบประมาณ\s*)?(\d{4})", text)
    if fiscal:
        year = _ce(int(fiscal.group(1)))  # fiscal year 2570 runs 1 Oct 2569 – 30 Sep 2570
        return Period(str(year + 543), f"ปีงบประมาณ {year + 543}", _at(date(year - 1, 10, 1)), _at(date(year, 10, 1)))
    raise ValueError("write a month as 2569-11 or a fiscal year as 2570")


def previous_month(now: datetime) -> Period:
    first = now.astimezone(BANGKOK).date().replace(day=1)
    last_month = first - timedelta(days=1)
    return parse_period(f"{last_month.year + 543}-{last_month.month}")


def _ce(year: int) -> int:
    return year - 543 if year > 2400 else year


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=BANGKOK)


def summarise(session, period: Period, settings, now: datetime) -> SummaryData:
    """Count the period's cases by category, district and state; times, overdue, referrals and aid paid.

    Every figure is an SQL aggregate: one GROUP BY over the period's cases gives the three tables,
    the cases taken and those overdue; an ordered pick gives the median. The cases of a fiscal year
    are never loaded as objects, so the summary stays fast at a million cases.
    """
    in_period = (Case.filed_at >= period.start, Case.filed_at < period.end)
    groups = _groups(session, in_period, settings, now)
    categories, districts, states = Counter(), Counter(), Counter()
    for category, district, state, count, _taken, _overdue in groups:
        categories[category] += count
        districts[district] += count
        states[state] += count
    paid = session.execute(select(func.count(), func.coalesce(func.sum(FundRequest.amount_baht), 0)).where(
        FundRequest.status == "paid", FundRequest.paid_on >= period.start.date(),
        FundRequest.paid_on < period.end.date())).one()
    return SummaryData(
        title=TITLE, office_name=settings.office_name, period_label=period.label, generated_at=now,
        province=settings.province,
        by_category=[(c.name, categories[c.key]) for c in CATEGORIES],
        by_district=district_rows(districts, settings.districts),
        by_state=[(name, states[key]) for key, name in STATES.items()],
        referrals_by_destination=_referrals(session, period),
        median_minutes_to_take=_median_wait(session, in_period, sum(g[4] for g in groups)),
        overdue=sum(g[5] for g in groups),
        aid_paid_baht=int(paid[1]), aid_paid_count=int(paid[0]))


def _groups(session, where, settings, now: datetime) -> list[tuple]:
    """(category, district, state, cases, taken, overdue) for each combination in the period: one scan."""
    limit = timedelta(minutes=settings.take_deadline_minutes)
    overdue = or_(and_(Case.taken_at.is_(None), Case.filed_at < now - limit),  # still waiting past it
                  _late(session, limit))
    columns = (Case.category, Case.reporter_district, Case.state)
    query = select(*columns, func.count(), func.count(Case.taken_at),
                   func.coalesce(func.sum(case((overdue, 1), else_=0)), 0)).where(*where).group_by(*columns)
    return [tuple(row) for row in session.execute(query)]


def district_rows(counts: dict[str, int], configured: tuple[str, ...]) -> list[tuple[str, int]]:
    """Every configured district in the office's order (zeros too), then the others as one "อื่น ๆ" row.

    A district typed "อำเภอภูผาม่าน" or "อ.ภูผาม่าน" counts as the configured "ภูผาม่าน". Without
    configured districts, the typed names (without "อำเภอ") are listed, most cases first.
    """
    merged: Counter = Counter()
    for typed, count in counts.items():
        merged[canonical_district(typed or "", list(configured))] += count
    if not configured:
        return sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))
    rows = [(name, merged.pop(name, 0)) for name in configured]
    others = sum(merged.values())
    return rows + ([(words("summary", "other_districts"), others)] if others else [])


def _postgresql(session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def wait_key(session):
    """The time from filing to taking as SQL that sorts and compares cheaply (NULL while nobody took it):
    an interval on PostgreSQL, milliseconds on SQLite (which has no interval type)."""
    if _postgresql(session):
        return Case.taken_at - Case.filed_at
    return func.round((func.julianday(Case.taken_at) - func.julianday(Case.filed_at)) * 86_400_000)


def _late(session, limit: timedelta):
    """Taken after `limit`."""
    return wait_key(session) > (limit if _postgresql(session) else limit.total_seconds() * 1000)


def _minutes(value) -> float:
    """A wait_key value in minutes."""
    return value.total_seconds() / 60 if isinstance(value, timedelta) else float(value) / 60_000


def _median_wait(session, where, taken: int) -> float | None:
    """The median minutes until a case was taken: the middle one or two of the `taken` waits, in order."""
    if not taken:
        return None
    wait = wait_key(session)
    middle = [_minutes(v) for v in session.scalars(select(wait).where(*where, Case.taken_at.is_not(None))
                                                  .order_by(wait).offset((taken - 1) // 2).limit(2 - taken % 2))]
    return sum(middle) / len(middle)


def _referrals(session, period: Period) -> list[tuple[str, int]]:
    """Referrals recorded in the period by destination (the state changes' detail, grouped in SQL)."""
    destination = CaseEntry.detail["destination"].as_string()
    rows = session.execute(select(destination, func.count()).where(
        CaseEntry.kind == "state", CaseEntry.at >= period.start, CaseEntry.at < period.end,
        CaseEntry.detail["to"].as_string() == "referred").group_by(destination)).all()
    counts: Counter = Counter()
    for key, count in rows:
        counts[DESTINATIONS.get(key, "อื่น ๆ")] += count
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
