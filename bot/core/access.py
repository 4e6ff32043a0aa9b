"""Who may still receive or open a case's data, decided at the moment of sending or opening.

Access ends at once: an officer deactivated (or a group removed) gets nothing more, neither the
messages still waiting for LINE nor what the links they already hold point to. A link names its
holder: "o<officer id>" for an officer, "p<reporter id>" for a principal (their own case only).
"""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Case, LineGroup, Officer

HOLDER = re.compile(r"^[op][1-9][0-9]{0,11}$")


def officer_holder(officer: Officer) -> str:
    """How a link names the officer it was issued to."""
    return f"o{officer.id}"


def reporter_holder(case: Case) -> str:
    """How a link names the principal who reported `case`."""
    return f"p{case.reporter_id}"


def may_receive(session: Session, to: str, case_id: int | None) -> bool:
    """Whether a message waiting for LINE may still go to chat `to` (checked before every try).

    The reporter of the case the message is about always may; a known officer only while active;
    a registered group only while registered. Anyone else (a principal, a group answering its
    registration code) gets only replies and their own case's news, which need no access.
    """
    if case_id is not None:
        reporter = session.scalar(select(Case.reporter_line_user_id).where(Case.id == case_id))
        if reporter == to:
            return True
    officer_active = session.scalar(select(Officer.active).where(Officer.line_user_id == to))
    if officer_active is not None:
        return bool(officer_active)
    group_active = session.scalar(select(LineGroup.active).where(LineGroup.group_id == to))
    return group_active is None or bool(group_active)


def may_receive_all(session: Session, wanted: list[tuple[str, int | None]]) -> list[bool]:
    """`may_receive` for several (chat, case id) at once, in at most three queries (a multicast's recipients)."""
    if not wanted:
        return []
    case_ids = {case_id for _to, case_id in wanted if case_id is not None}
    chats = {to for to, _case_id in wanted}
    reporters = dict(session.execute(select(Case.id, Case.reporter_line_user_id)
                                     .where(Case.id.in_(case_ids))).all()) if case_ids else {}
    officers = dict(session.execute(select(Officer.line_user_id, Officer.active)
                                    .where(Officer.line_user_id.in_(chats))).all())
    others = chats - officers.keys()
    groups = dict(session.execute(select(LineGroup.group_id, LineGroup.active)
                                  .where(LineGroup.group_id.in_(others))).all()) if others else {}
    return [reporters.get(case_id) == to or bool(officers.get(to, groups.get(to, True)))
            for to, case_id in wanted]


def holder_may_open(session: Session, holder: str, case_id: int | None) -> bool:
    """Whether the holder a link was issued to may still open it (a document or photo of `case_id`)."""
    if not HOLDER.match(holder or ""):
        return False
    kind, number = holder[0], int(holder[1:])
    if kind == "o":
        officer = session.get(Officer, number)
        return officer is not None and officer.active and officer.line_user_id is not None
    return case_id is not None and session.scalar(select(Case.reporter_id).where(Case.id == case_id)) == number
