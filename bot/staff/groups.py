"""The centre's LINE group: registered explicitly, told only that a case exists — never who or what."""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.line import messages as m
from bot.line import outbox
from bot.staff.officers import INVITE_ALPHABET
from bot.core.texts import say
from config.categories import display_name
from models import AuditLog, GroupInvite, LineGroup

CODE = re.compile(r"^\s*(?:กลุ่ม\s*)?([A-Za-z2-9]{4})-([A-Za-z2-9]{4})\s*$")
GROUP_ID = re.compile(r"^[CR][0-9a-f]{32}$")


def _hash(code: str) -> str:
    return hashlib.sha256(("group:" + code.upper().replace("-", "")).encode()).hexdigest()


def invite(session: Session, name: str, now: datetime) -> str:
    """A one-time code; sent in a group the bot is in, it registers that group."""
    raw = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(8))
    code = f"{raw[:4]}-{raw[4:]}"
    session.add(GroupInvite(code_hash=_hash(code), name=name, expires_at=now + timedelta(days=7)))
    return code


def register(session: Session, group_id: str, name: str, now: datetime, actor: str = "cli") -> LineGroup:
    """Register (or re-activate) a group for new-case notices."""
    if not GROUP_ID.match(group_id):
        raise ValueError("a LINE group id looks like C followed by 32 hexadecimal characters")
    group = session.get(LineGroup, group_id)
    if group is None:
        group = LineGroup(group_id=group_id, name=name, registered_at=now)
        session.add(group)
    group.active, group.name = True, name or group.name
    session.add(AuditLog(at=now, actor=actor, action="group_registered", detail={"group_id": group_id}))
    return group


def on_group_text(session: Session, group_id: str, user_id: str, text: str, now: datetime) -> list[dict] | None:
    """Group chatter is ignored; only a registration code gets an answer."""
    match = CODE.match(text or "")
    if not match:
        return None
    invitation = session.get(GroupInvite, _hash("".join(match.groups())))
    if invitation is None or invitation.expires_at < now:
        return None  # other groups' chatter may look like a code: stay quiet
    session.delete(invitation)
    register(session, group_id, invitation.name, now, actor=user_id or "group")
    return [m.text(say("group_registered"))]


def is_registered(session: Session, group_id: str) -> bool:
    """Whether this is one of the centre's registered (active) groups."""
    group = session.get(LineGroup, group_id)
    return group is not None and group.active


def notify_new_case(session: Session, case, now: datetime, fields: tuple[str, ...] = ("category", "district")) -> int:
    """A short notice in every registered group: the reference and what GROUP_NOTICE_FIELDS chose.

    Never the facts, names, phones or photos; in a small district even the district may point to
    a child, so the office decides what its group sees.
    """
    groups = list(session.scalars(select(LineGroup).where(LineGroup.active.is_(True))))
    body = say("group_new_case", case=case, category=display_name(case.category), fields=fields)
    for group in groups:
        outbox.enqueue_push(session, group.group_id, [m.text(body)], now, purpose="group_notice", case_id=case.id)
    return len(groups)


def all_groups(session: Session) -> list[LineGroup]:
    return list(session.scalars(select(LineGroup).order_by(LineGroup.registered_at)))
