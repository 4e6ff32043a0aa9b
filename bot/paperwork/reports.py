"""The centre's summary of its work for a month or a fiscal year (October–September)."""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from bot.casework.actions import DESTINATIONS
from bot.paperwork.documents.summary import SummaryData
from bot.casework.states import STATES
from bot.core.thai_dates import BANGKOK, THAI_MONTHS
from config.categories import CATEGORIES, display_name
from models import Case, CaseEntry, FundRequest

TITLE = "แบบสรุปผลการดำเนินงานคุ้มครองและช่วยเหลือเด็กนักเรียน"


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
    """Count the period's cases by category, district and state; times, overdue, referrals and aid paid."""
    cases = list(session.scalars(select(Case).where(Case.filed_at >= period.start, Case.filed_at < period.end)))
    by_category = Counter(display_name(c.category) for c in cases)
    waits = [(c.taken_at - c.filed_at).total_seconds() / 60 for c in cases if c.taken_at]
    paid = session.execute(select(func.count(), func.coalesce(func.sum(FundRequest.amount_baht), 0)).where(
        FundRequest.status == "paid", FundRequest.paid_on >= period.start.date(),
        FundRequest.paid_on < period.end.date())).one()
    return SummaryData(
        title=TITLE, office_name=settings.office_name, period_label=period.label, generated_at=now,
        by_category=[(c.name, by_category[c.name]) for c in CATEGORIES if by_category[c.name]],
        by_district=sorted(Counter(c.reporter_district for c in cases).items(), key=lambda kv: (-kv[1], kv[0])),
        by_state=[(name, n) for key, name in STATES.items() if (n := sum(c.state == key for c in cases))],
        referrals_by_destination=_referrals(session, period),
        median_minutes_to_take=statistics.median(waits) if waits else None,
        overdue=sum(_was_overdue(c, settings, now) for c in cases),
        aid_paid_baht=int(paid[1]), aid_paid_count=int(paid[0]))


def _was_overdue(case: Case, settings, now: datetime) -> bool:
    """Not taken within the deadline (taken late, or still waiting past it)."""
    limit = timedelta(minutes=settings.take_deadline_minutes)
    return ((case.taken_at or now) - case.filed_at) > limit


def _referrals(session, period: Period) -> list[tuple[str, int]]:
    entries = session.scalars(select(CaseEntry).where(CaseEntry.kind == "state", CaseEntry.at >= period.start,
                                                      CaseEntry.at < period.end))
    counts = Counter(DESTINATIONS.get(e.detail.get("destination"), "อื่น ๆ") for e in entries
                     if e.detail.get("to") == "referred")
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
