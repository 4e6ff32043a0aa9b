"""The console's case list: filters, a search box that understands references as typed in LINE, paging."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from bot.casework import references
from bot.casework.case_view import age_text, is_overdue
from bot.casework.states import OPEN, STATES
from models import Case, CaseCounter, Photo

PER_PAGE = 25
SEARCH_WORDS = 6  # words of the search box used at most


@dataclass(frozen=True)
class Filters:
    """What the list shows; every field comes from the page's query string (bad values are ignored)."""

    state: str = "open"  # open, all, or one of STATES
    category: str = ""
    district: str = ""
    owner: str = ""  # "", "mine", "nobody" or an officer id
    overdue: bool = False
    year_be: int | None = None
    q: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "Filters":
        """Read the filters from a query string (a dict-like of strings), ignoring what makes no sense."""
        state = args.get("state", "open")
        year = args.get("year", "")
        page = args.get("page", "1")
        return cls(state=state if state in ("open", "all", *STATES) else "open",
                   category=args.get("category", "")[:40], district=args.get("district", "")[:200],
                   owner=args.get("owner", "") if args.get("owner", "") in ("", "mine", "nobody")
                   or args.get("owner", "").isdigit() else "",
                   overdue=args.get("overdue", "") in ("1", "on", "true"),
                   year_be=int(year) if year.isdigit() and 2400 < int(year) < 2800 else None,
                   q=" ".join(args.get("q", "").split())[:200],
                   page=min(int(page), 10_000) if page.isdigit() and int(page) > 0 else 1)

    def page_of(self, page: int) -> "Filters":
        return replace(self, page=page)


@dataclass(frozen=True)
class Row:
    """One line of the list."""

    case: Case
    photos: int
    overdue: bool
    age: str


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    total: int
    page: int
    pages: int


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _search(q: str, now: datetime):
    """A reference ("1/2569", "#1", "0001/69") finds that case; other words must each appear in the
    school, the subject or the facts."""
    parsed = references.parse(q, now) if references.looks_like(q) else None
    if parsed is not None:
        return and_(Case.number == parsed[0], Case.year_be == parsed[1])
    conditions = []
    for word in q.split()[:SEARCH_WORDS]:
        pattern = _like(word)
        # Thai has no capitals: a plain LIKE finds the same rows, and PostgreSQL's ILIKE is ~8x slower on Thai
        # text (docs/benchmarks.md, the console); words with Latin letters still ignore case.
        has_case = word.lower() != word.upper()
        conditions.append(or_(*(column.ilike(pattern, escape="\\") if has_case else column.like(pattern, escape="\\")
                                for column in (Case.reporter_school, Case.subject, Case.facts))))
    return and_(*conditions)


def _overdue(now: datetime, settings):
    """The SQL twin of case_view.is_overdue."""
    not_taken = and_(Case.state == "new", Case.filed_at < now - timedelta(minutes=settings.take_deadline_minutes))
    last = func.coalesce(Case.last_update_at, Case.taken_at, Case.filed_at)
    quiet = and_(Case.state.notin_(("new", "closed")), last < now - timedelta(days=settings.reminder_days))
    return or_(not_taken, quiet)


def conditions(filters: Filters, officer_id: int, now: datetime, settings) -> list:
    """The WHERE clauses for these filters (the new-case count uses them too)."""
    where = []
    if filters.state == "open":
        where.append(Case.state.in_(OPEN))
    elif filters.state in STATES:
        where.append(Case.state == filters.state)
    if filters.category:
        where.append(Case.category == filters.category)
    if filters.district:
        where.append(Case.reporter_district == filters.district)
    if filters.owner == "mine":
        where.append(Case.owner_officer_id == officer_id)
    elif filters.owner == "nobody":
        where.append(Case.owner_officer_id.is_(None))
    elif filters.owner:
        where.append(Case.owner_officer_id == int(filters.owner))
    if filters.overdue:
        where.append(_overdue(now, settings))
    if filters.year_be:
        where.append(Case.year_be == filters.year_be)
    if filters.q:
        where.append(_search(filters.q, now))
    return where


def photo_counts(session: Session, case_ids: list[int]) -> dict[int, int]:
    """How many photos (arrived or arriving) each case has."""
    if not case_ids:
        return {}
    query = (select(Photo.case_id, func.count()).where(Photo.case_id.in_(case_ids),
                                                       Photo.status.in_(("pending", "stored")),
                                                       Photo.direction == "from_reporter")
             .group_by(Photo.case_id))
    return dict(session.execute(query).all())


def rows_of(session: Session, cases: list[Case], now: datetime, settings) -> list[Row]:
    counts = photo_counts(session, [c.id for c in cases])
    return [Row(c, counts.get(c.id, 0), is_overdue(c, now, settings), age_text(now - c.filed_at)) for c in cases]


def case_page(session: Session, filters: Filters, officer_id: int, now: datetime, settings,
              per_page: int = PER_PAGE) -> Page:
    """One page of the cases these filters select, newest first."""
    where = conditions(filters, officer_id, now, settings)
    total = session.scalar(select(func.count()).select_from(Case).where(*where))
    pages = max(1, -(-total // per_page))
    page = min(filters.page, pages)
    cases = list(session.scalars(select(Case).options(selectinload(Case.owner)).where(*where)
                                 .order_by(Case.filed_at.desc(), Case.id.desc()).offset((page - 1) * per_page).limit(per_page)))
    return Page(rows_of(session, cases, now, settings), total, page, pages)


def filed_since(session: Session, since: datetime, filters: Filters, officer_id: int, now: datetime, settings,
                limit: int = 20) -> tuple[int, list[Row]]:
    """Cases filed after `since` that the list's filters select: how many, and the newest few (live updates)."""
    where = conditions(replace(filters, page=1), officer_id, now, settings) + [Case.filed_at > since]
    count = session.scalar(select(func.count()).select_from(Case).where(*where))
    cases = list(session.scalars(select(Case).options(selectinload(Case.owner)).where(*where)
                                 .order_by(Case.filed_at.desc(), Case.id.desc()).limit(limit))) if count else []
    return count, rows_of(session, cases, now, settings)


def years(session: Session) -> list[int]:
    """The Buddhist-Era years that have cases, newest first (for the year filter)."""
    # from the per-year counters every case number is drawn from: one row a year, not a scan of every case
    return list(session.scalars(select(CaseCounter.year_be).where(CaseCounter.last_number > 0)
                                .order_by(CaseCounter.year_be.desc())))
