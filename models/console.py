"""The web console's sign-in codes and its open sessions (kept in the database: any web process sees them)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base
from models.people import Officer


class ConsoleSignIn(Base):
    """A one-time code a browser showed; an officer's "เข้าระบบ <code>" in LINE confirms it for that browser."""

    __tablename__ = "console_sign_in"
    __table_args__ = (Index("ix_console_sign_in_address", "address", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), index=True)  # HMAC of the 6 digits
    browser_hash: Mapped[str] = mapped_column(String(64), unique=True)  # HMAC of the nonce in that browser's cookie
    address: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))  # who confirmed it from LINE
    confirmed_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]  # the browser was signed in with it: it never works again


class ConsoleSession(Base):
    """One signed-in browser; ends at sign-out, after the idle time, or when its officer is deactivated."""

    __tablename__ = "console_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # HMAC of the token in the session cookie
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"), index=True)
    address: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    # The last request of any kind from this session's pages (their background polls too): the officer
    # is "at the console" while it is recent (CONSOLE_PRESENCE_SECONDS; bot/line/console_delivery.py).
    present_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(20))  # signed_out, idle, deactivated

    officer: Mapped[Officer] = relationship()
