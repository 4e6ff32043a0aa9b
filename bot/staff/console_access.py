"""Who is signed in to the web console: one-time codes confirmed from LINE, and sessions kept in the database.

A browser asks for a code (`new_code`); the officer sends "เข้าระบบ <code>" to the bot from their own
LINE (`confirm`); the browser that asked, and only it (its cookie holds the nonce), is then signed in
(`claim`). Sessions live in the database, so every web process sees a sign-out, an idle timeout or a
deactivation at the very next request (`load`).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.texts import say
from bot.line import messages as m
from models import AuditLog, ConsoleSession, ConsoleSignIn, Officer

CODE_DIGITS = 6
CODE_MINUTES = 5
CODES_PER_ADDRESS = 10  # new codes one address may ask for within CODE_WINDOW (reloading, several PCs behind NAT)
CODE_WINDOW = timedelta(minutes=15)


def _mac(secret: bytes, purpose: str, value: str) -> str:
    return hmac.new(secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def may_sign_in(officer: Officer | None) -> bool:
    """Only active officers and supervisors linked to LINE."""
    return officer is not None and officer.active and officer.line_user_id is not None


# ---- sign-in codes -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Code:
    """What a browser shows (the digits) and keeps in its cookie (the nonce)."""

    digits: str
    nonce: str
    expires_at: datetime


class TooManyCodes(Exception):
    """This address asked for too many codes lately."""


def new_code(session: Session, secret: bytes, address: str, now: datetime) -> Code:
    """A fresh 6-digit code bound to a new browser nonce; refuses an address that asks too often."""
    recent = session.scalar(select(func.count()).select_from(ConsoleSignIn).where(
        ConsoleSignIn.address == address, ConsoleSignIn.created_at > now - CODE_WINDOW))
    if recent >= CODES_PER_ADDRESS:
        raise TooManyCodes()
    while True:  # no two live codes alike, so a code names one browser
        digits = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
        if _live(session, secret, digits, now) is None:
            break
    nonce = secrets.token_urlsafe(32)
    expires = now + timedelta(minutes=CODE_MINUTES)
    session.add(ConsoleSignIn(code_hash=_mac(secret, "code", digits), browser_hash=_mac(secret, "browser", nonce),
                              address=address[:64], created_at=now, expires_at=expires))
    return Code(digits, nonce, expires)


def _live(session: Session, secret: bytes, digits: str, now: datetime) -> ConsoleSignIn | None:
    return session.scalars(select(ConsoleSignIn).where(
        ConsoleSignIn.code_hash == _mac(secret, "code", digits), ConsoleSignIn.expires_at > now,
        ConsoleSignIn.officer_id.is_(None), ConsoleSignIn.used_at.is_(None))).first()


def confirm(session: Session, secret: bytes, officer: Officer, typed: str, now: datetime) -> ConsoleSignIn | None:
    """The officer sent this code from LINE: the browser showing it may now sign in as them. None: no such code."""
    digits = "".join(typed.split())
    if not (digits.isascii() and digits.isdigit() and len(digits) == CODE_DIGITS) or not may_sign_in(officer):
        return None
    row = _live(session, secret, digits, now)
    if row is None:
        return None
    row.officer_id, row.confirmed_at = officer.id, now
    return row


WRONG_CODES = 5  # wrong codes an officer may send within CODE_WINDOW before the bot stops checking


def sign_in_reply(session: Session, secret: bytes, officer: Officer, typed: str, now: datetime) -> list[dict]:
    """ "เข้าระบบ 482915" from an officer's LINE: confirm the code and say so with the time, or say why not."""
    wrong = session.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.actor == officer.line_user_id, AuditLog.action == "console_code_wrong",
        AuditLog.at > now - CODE_WINDOW))
    if wrong >= WRONG_CODES:
        return [m.text(say("console_code_too_many"))]
    row = confirm(session, secret, officer, typed, now)
    if row is None:
        session.add(AuditLog(at=now, actor=officer.line_user_id, action="console_code_wrong", detail={}))
        return [m.text(say("console_code_invalid"))]
    session.add(AuditLog(at=now, actor=officer.line_user_id, action="console_code_confirmed",
                         detail={"sign_in": row.id}))
    return [m.text(say("console_signed_in", at=now))]


def pending(session: Session, secret: bytes, nonce: str, now: datetime) -> ConsoleSignIn | None:
    """The code this browser is waiting on (still unused and unexpired), if any."""
    if not nonce:
        return None
    return session.scalars(select(ConsoleSignIn).where(
        ConsoleSignIn.browser_hash == _mac(secret, "browser", nonce), ConsoleSignIn.used_at.is_(None),
        ConsoleSignIn.expires_at > now)).first()


def claim(session: Session, secret: bytes, nonce: str, address: str, now: datetime) -> tuple[Officer, str] | None:
    """If an officer confirmed this browser's code, use the code up and open a session: (officer, token)."""
    row = pending(session, secret, nonce, now)
    if row is None or row.officer_id is None:
        return None
    officer = session.get(Officer, row.officer_id)
    row.used_at = now
    if not may_sign_in(officer):
        return None
    token = secrets.token_urlsafe(32)
    session.add(ConsoleSession(token_hash=_mac(secret, "session", token), officer_id=officer.id,
                               address=address[:64], created_at=now, last_seen_at=now))
    session.add(AuditLog(at=now, actor=officer.line_user_id, action="console_signed_in", detail={}))
    return officer, token


# ---- sessions ----------------------------------------------------------------------------------

def open_session(session: Session, secret: bytes, officer: Officer, address: str, now: datetime) -> str:
    """A session for `officer` without the LINE step: only for tests and the CLI's own use."""
    token = secrets.token_urlsafe(32)
    session.add(ConsoleSession(token_hash=_mac(secret, "session", token), officer_id=officer.id,
                               address=address[:64], created_at=now, last_seen_at=now))
    return token


def load(session: Session, secret: bytes, token: str, now: datetime, idle: timedelta,
         touch: bool = True) -> ConsoleSession | None:
    """The live session behind a cookie's token, touched (unless `touch` is False: a background poll is no
    click) and marked present; ended (and None) if idle too long or its officer lost access."""
    if not token:
        return None
    row = session.scalars(select(ConsoleSession).where(
        ConsoleSession.token_hash == _mac(secret, "session", token), ConsoleSession.ended_at.is_(None))).first()
    if row is None:
        return None
    if now - row.last_seen_at > idle:
        return _end(row, now, "idle")
    if not may_sign_in(row.officer):
        return _end(row, now, "deactivated")
    if touch:
        row.last_seen_at = now
    row.present_at = now  # any request, a background poll too: the officer is at the console
    return row


def end_reason(session: Session, secret: bytes, token: str) -> str | None:
    """Why the session behind this token ended (idle, deactivated, signed_out), for the sign-in page."""
    if not token:
        return None
    return session.scalar(select(ConsoleSession.end_reason).where(
        ConsoleSession.token_hash == _mac(secret, "session", token)))


def sign_out(session: Session, secret: bytes, token: str, now: datetime) -> None:
    """End the session at once (the cookie alone no longer opens anything)."""
    row = session.scalars(select(ConsoleSession).where(
        ConsoleSession.token_hash == _mac(secret, "session", token), ConsoleSession.ended_at.is_(None))).first()
    if row is not None:
        _end(row, now, "signed_out")
        session.add(AuditLog(at=now, actor=row.officer.line_user_id or f"officer:{row.officer_id}",
                             action="console_signed_out", detail={}))


def _end(row: ConsoleSession, now: datetime, reason: str) -> None:
    row.ended_at, row.end_reason = now, reason
    return None
