"""The people the bot knows: principals who report and the centre's officers."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

ROLES = ("officer", "supervisor")


class Reporter(Base):
    """A LINE user who has filed a report; remembers their details for the next one."""

    __tablename__ = "reporter"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200))
    school: Mapped[str] = mapped_column(String(200))
    district: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Officer(Base):
    """A hotline officer (or supervisor) of the centre who receives alerts."""

    __tablename__ = "officer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(20), default="officer")
    line_user_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    menu_linked: Mapped[bool] = mapped_column(default=False)  # LINE shows them the officers' rich menu
    invite_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invite_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    # Typed "เข้าเวร" / "ออกเวร": on (or off) duty until then, whatever the weekly roster says.
    on_duty_until: Mapped[datetime | None]
    off_duty_until: Mapped[datetime | None]


class DutySlot(Base):
    """One weekly shift of the duty roster: an officer is on duty that weekday from `starts` to `ends`."""

    __tablename__ = "duty_slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int]  # 0 = Monday … 6 = Sunday, Bangkok time
    starts: Mapped[str] = mapped_column(String(5))  # "08:30"
    ends: Mapped[str] = mapped_column(String(5))  # "16:30"; earlier than `starts`: the next morning
