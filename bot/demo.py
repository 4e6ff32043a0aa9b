"""Demo schools, principals, officers and a staff group for trying the bot: invented people, fake numbers.

Every demo LINE id carries DEMO_MARK, so demo rows are recognised and `reset` removes those only.
The phone numbers (080-000-0xxx) pass the bot's Thai phone check but belong to nobody.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bot.staff import groups
from bot.staff import officers
from models import (Base, Case, CaseCounter, CaseEntry, ChatState, Draft, ExpiredDraftNotice, LineGroup, Officer,
                    Outbox, Photo, Reporter)

DEMO_MARK = "d3e0" * 7  # reads like "demo"; hex, so demo ids are valid LINE ids
GROUP_ID = f"C{DEMO_MARK}0901"
GROUP_NAME = "กลุ่มเจ้าหน้าที่ศูนย์ (สาธิต)"
FALLBACK_DISTRICTS = ("เมืองตัวอย่าง", "หนองสมมุติ", "โคกจำลอง")
POSITION = "ผู้อำนวยการโรงเรียน"
HOTLINE = "080-000-0000"  # the demo centre's hotline, as fake as everyone's number


def demo_user_id(number: int) -> str:
    """A demo LINE user id: "U", the demo mark and four digits."""
    return f"U{DEMO_MARK}{number:04d}"


def is_demo_id(line_id: str | None) -> bool:
    """Whether a LINE user or group id belongs to the demo data."""
    return bool(line_id) and line_id[1:1 + len(DEMO_MARK)] == DEMO_MARK


@dataclass(frozen=True)
class DemoPerson:
    """One invented person of the demo: a principal of a demo school, an officer or a supervisor."""

    key: str
    role: str  # principal, officer or supervisor
    name: str
    phone: str
    user_id: str
    school: str = ""
    district: str = ""
    reported_before: bool = False  # the bot already remembers this principal's details


def people(districts: tuple[str, ...] = ()) -> list[DemoPerson]:
    """The demo cast; schools lie in the configured districts (invented ones when none are set)."""
    where = tuple(districts) or FALLBACK_DISTRICTS
    return [
        DemoPerson("principal-1", "principal", "นางสาวสมใจ ทดสอบ", "080-000-0101", demo_user_id(101),
                   "โรงเรียนบ้านทดสอบวิทยา", where[0], reported_before=True),
        DemoPerson("principal-2", "principal", "นายมานะ สมมุติ", "080-000-0102", demo_user_id(102),
                   "โรงเรียนวัดสาธิตศึกษา", where[1 % len(where)], reported_before=True),
        DemoPerson("principal-3", "principal", "นางปราณี ตัวอย่าง", "080-000-0103", demo_user_id(103),
                   "โรงเรียนบ้านจำลองพัฒนา", where[2 % len(where)]),
        DemoPerson("officer-1", "officer", "นายตัวอย่าง ใจดี", "080-000-0201", demo_user_id(201)),
        DemoPerson("officer-2", "officer", "นางสาวจำลอง ช่วยเหลือ", "080-000-0202", demo_user_id(202)),
        DemoPerson("supervisor-1", "supervisor", "นางสาธิต คุ้มครอง", "080-000-0301", demo_user_id(301)),
    ]


def seed(session: Session, districts: tuple[str, ...], now: datetime) -> int:
    """Add whatever demo officers, remembered principals and the demo group are missing; returns how many."""
    added = 0
    for person in people(districts):
        if person.role != "principal":
            added += _seed_officer(session, person, now)
        elif person.reported_before:
            added += _seed_reporter(session, person, now)
    if session.get(LineGroup, GROUP_ID) is None:
        groups.register(session, GROUP_ID, GROUP_NAME, now, actor="demo")
        added += 1
    session.flush()
    return added


def _seed_officer(session: Session, person: DemoPerson, now: datetime) -> int:
    found = session.scalars(select(Officer).where(Officer.line_user_id == person.user_id)).first()
    if found is not None:
        found.active = True
        return 0
    officers.add(session, person.name, person.phone, person.user_id, person.role, now)
    return 1


def _seed_reporter(session: Session, person: DemoPerson, now: datetime) -> int:
    if session.scalars(select(Reporter).where(Reporter.line_user_id == person.user_id)).first():
        return 0
    session.add(Reporter(line_user_id=person.user_id, name=person.name, position=POSITION, school=person.school,
                         district=person.district, phone=person.phone, created_at=now, updated_at=now))
    return 1


def reset(session: Session, media=None) -> int:
    """Remove every demo row (cases, threads, photos, drafts, messages) and nothing else; returns cases removed."""
    ids = _demo_line_ids(session)
    case_ids = list(session.scalars(select(Case.id).where(Case.reporter_line_user_id.in_(ids))))
    years = set(session.scalars(select(Case.year_be).where(Case.id.in_(case_ids))))
    photos = Photo.case_id.in_(case_ids) | (Photo.line_user_id.in_(ids) & Photo.case_id.is_(None))
    files = {n for p in session.scalars(select(Photo).where(photos)) for n in (p.file_name, p.preview_name) if n}
    session.execute(delete(Outbox).where(Outbox.to.in_(ids + [GROUP_ID])))
    _delete_case_rows(session, case_ids)
    session.execute(delete(Photo).where(Photo.line_user_id.in_(ids), Photo.case_id.is_(None)))  # unfiled drafts
    for table in (Reporter, Draft, ChatState, ExpiredDraftNotice):
        session.execute(delete(table).where(table.line_user_id.in_(ids)))
    _remove_demo_officers(session, ids)
    session.execute(delete(LineGroup).where(LineGroup.group_id == GROUP_ID))
    for year in years:  # demo numbers were never real documents: the register continues after the last real one
        last = session.scalar(select(func.max(Case.number)).where(Case.year_be == year)) or 0
        session.execute(update(CaseCounter).where(CaseCounter.year_be == year).values(last_number=last))
    session.flush()
    _delete_unused_files(session, files, media)
    return len(case_ids)


def _delete_case_rows(session: Session, case_ids: list[int]) -> None:
    """The cases and every row that points at them (threads, photos, audit, outbox, any later table)."""
    for table in reversed(Base.metadata.sorted_tables):  # rows pointing at others go first
        for column in table.columns:
            if any(fk.column.table is Case.__table__ for fk in column.foreign_keys):
                session.execute(table.delete().where(column.in_(case_ids)))
    session.execute(delete(Case).where(Case.id.in_(case_ids)))


def _demo_line_ids(session: Session) -> list[str]:
    known = {p.user_id for p in people()}
    for column in (Officer.line_user_id, Reporter.line_user_id, Case.reporter_line_user_id):
        known |= {i for i in session.scalars(select(column).where(column.like(f"U{DEMO_MARK}%")))}
    return sorted(i for i in known if is_demo_id(i))


def _delete_unused_files(session: Session, names: set[str], media) -> None:
    """Photo files no remaining row uses (the same picture may be stored once for a real case too)."""
    still_used = set(session.scalars(select(Photo.file_name))) | set(session.scalars(select(Photo.preview_name)))
    for name in names - still_used:
        if media is not None:
            media.delete(name)


def _remove_demo_officers(session: Session, ids: list[str]) -> None:
    """Demo officers go; one still named in a real case's thread is only deactivated."""
    for officer in session.scalars(select(Officer).where(Officer.line_user_id.in_(ids))):
        named = session.scalar(select(func.count()).select_from(CaseEntry).where(CaseEntry.officer_id == officer.id))
        owns = session.scalar(select(func.count()).select_from(Case).where(Case.owner_officer_id == officer.id))
        if named or owns:
            officer.active = False
        else:
            session.delete(officer)
