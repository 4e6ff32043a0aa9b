"""Managing the centre's hotline officers: adding, inviting, linking their LINE account."""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.line import messages as m
from bot.line import outbox
from bot.dialogue.answers import Answer, Invalid, thai_phone
from bot.core.texts import say
from models import AuditLog, Officer

INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
INVITE_PATTERN = re.compile(r"^\s*(?:รหัส\s*)?([A-Za-z2-9]{4})-([A-Za-z2-9]{4})\s*$")
INVITE_DAYS = 7
LINE_USER_ID = re.compile(r"^U[0-9a-f]{32}$")


class OfficerError(ValueError):
    """A management command that cannot be done, with the reason (in English for the CLI, in Thai for the console)."""

    def __init__(self, message: str, thai: str = "ทำรายการนี้ไม่ได้ กรุณาตรวจสอบข้อมูลอีกครั้ง"):
        super().__init__(message)
        self.thai = thai


def _hash(code: str) -> str:
    return hashlib.sha256(code.upper().replace("-", "").encode()).hexdigest()


def _checked(name: str, phone: str, role: str) -> tuple[str, str]:
    if not name.strip():
        raise OfficerError("name must not be empty", "กรุณากรอกชื่อเจ้าหน้าที่")
    if role not in ("officer", "supervisor"):
        raise OfficerError("role must be officer or supervisor", "บทบาทต้องเป็นเจ้าหน้าที่หรือหัวหน้าศูนย์")
    try:
        return name.strip(), thai_phone(Answer("text", phone))
    except Invalid as error:
        raise OfficerError(f"phone {phone!r} is not a Thai phone number",
                           "หมายเลขโทรศัพท์ไม่ถูกต้อง กรุณากรอกหมายเลข 9–10 หลัก เช่น 081 234 5678") from error


def add(session: Session, name: str, phone: str, line_user_id: str, role: str, now: datetime,
        actor: str = "cli") -> Officer:
    """Register an officer whose LINE user id is known (from the LINE console or logs)."""
    name, phone = _checked(name, phone, role)
    if not LINE_USER_ID.match(line_user_id):
        raise OfficerError("a LINE user id looks like U followed by 32 hexadecimal characters",
                           "LINE user ID ต้องขึ้นต้นด้วย U ตามด้วยตัวอักษร 0–9 a–f อีก 32 ตัว")
    if session.scalars(select(Officer).where(Officer.line_user_id == line_user_id)).first():
        raise OfficerError("an officer with this LINE user id already exists", "มีเจ้าหน้าที่ที่ใช้ LINE บัญชีนี้อยู่แล้ว")
    officer = Officer(name=name, phone=phone, role=role, line_user_id=line_user_id, active=True, created_at=now)
    session.add(officer)
    session.add(AuditLog(at=now, actor=actor, action="officer_added", detail={"name": name, "role": role}))
    session.flush()
    return officer


def invite(session: Session, name: str, phone: str, role: str, now: datetime,
           actor: str = "cli") -> tuple[Officer, str]:
    """Create an officer waiting to link LINE, and the one-time code they send to the bot."""
    name, phone = _checked(name, phone, role)
    code = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(8))
    code = f"{code[:4]}-{code[4:]}"
    officer = Officer(name=name, phone=phone, role=role, active=True, created_at=now,
                      invite_code_hash=_hash(code), invite_expires_at=now + timedelta(days=INVITE_DAYS))
    session.add(officer)
    session.add(AuditLog(at=now, actor=actor, action="officer_invited", detail={"name": name, "role": role}))
    session.flush()
    return officer, code


def looks_like_code(answer: Answer) -> bool:
    """Whether the text is shaped like an invitation code (K7QM-2XPD)."""
    return answer.kind == "text" and INVITE_PATTERN.match(answer.text) is not None


def try_link(session: Session, user_id: str, answer: Answer, now: datetime) -> list[dict] | None:
    """If the user sent an invitation code, link their LINE account; None when it is no code."""
    match = INVITE_PATTERN.match(answer.text) if answer.kind == "text" else None
    if not match:
        return None
    officer = session.scalars(select(Officer).where(Officer.invite_code_hash == _hash("".join(match.groups())))).first()
    if officer is None or officer.invite_expires_at < now or not officer.active:
        return [m.text(say("invite_invalid"))]
    if session.scalars(select(Officer).where(Officer.line_user_id == user_id)).first():
        return [m.text(say("invite_already_officer"))]
    officer.line_user_id, officer.invite_code_hash, officer.invite_expires_at = user_id, None, None
    session.add(AuditLog(at=now, actor=user_id, action="officer_linked", detail={"officer_id": officer.id}))
    return [m.text(say("invite_linked", officer=officer))]


def find(session: Session, key: str) -> Officer:
    """An officer by id, LINE user id or exact name (for the CLI)."""
    query = select(Officer).where((Officer.line_user_id == key) | (Officer.name == key))
    if key.isdigit():
        query = select(Officer).where(Officer.id == int(key))
    found = list(session.scalars(query))
    if len(found) != 1:
        raise OfficerError(f"no single officer matches {key!r} ({len(found)} found)", "ไม่พบเจ้าหน้าที่คนนี้")
    return found[0]


def deactivate(session: Session, key: str, now: datetime, actor: str = "cli") -> Officer:
    """Stop alerts to an officer at once (they left the centre, lost their phone…)."""
    officer = find(session, key)
    officer.active = False
    officer.invite_code_hash = None
    if officer.line_user_id:  # and nothing still waiting goes out to them (each send checks again too)
        outbox.withdraw_to(session, officer.line_user_id)
    session.add(AuditLog(at=now, actor=actor, action="officer_deactivated", detail={"officer_id": officer.id}))
    return officer


def set_role(session: Session, key: str, role: str, now: datetime, actor: str = "cli") -> Officer:
    """Make an officer a supervisor or back (the console's pages and menus follow at the next click)."""
    if role not in ("officer", "supervisor"):
        raise OfficerError("role must be officer or supervisor", "บทบาทต้องเป็นเจ้าหน้าที่หรือหัวหน้าศูนย์")
    officer = find(session, key)
    if officer.role != role:
        session.add(AuditLog(at=now, actor=actor, action="officer_role_changed",
                             detail={"officer_id": officer.id, "from": officer.role, "to": role}))
        officer.role = role
    return officer


def all_officers(session: Session) -> list[Officer]:
    return list(session.scalars(select(Officer).order_by(Officer.id)))


def active_officers(session: Session, role: str | None = None) -> list[Officer]:
    """Officers linked to LINE and not deactivated: the people alerts go to."""
    query = select(Officer).where(Officer.active.is_(True), Officer.line_user_id.is_not(None))
    if role:
        query = query.where(Officer.role == role)
    return list(session.scalars(query.order_by(Officer.id)))
