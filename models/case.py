"""Protection cases, their running numbers, photos and the audit trail."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, partial
from models.people import Officer


class CaseCounter(Base):
    """The last case number given out in a Buddhist-Era year (like the office's register)."""

    __tablename__ = "case_counter"

    year_be: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class Case(Base):
    """A filed incident report: the centre's protection case."""

    __tablename__ = "protection_case"
    __table_args__ = (
        UniqueConstraint("year_be", "number", name="uq_case_year_number"),
        # เรื่องค้าง (oldest first), the escalation and reminder jobs: open cases only
        Index("ix_case_open", "filed_at", "id", **partial("state <> 'closed'")),
        # a principal's own open cases, looked up for each message outside the form
        Index("ix_case_reporter_open", "reporter_line_user_id", "id", **partial("state <> 'closed'")),
        Index("ix_case_state_filed", "state", "filed_at", "id"),  # a list by state, newest first, paged
        Index("ix_case_filed_at", "filed_at"),  # a month's or a fiscal year's cases for the summary
        # the summary's GROUP BY and median read a period's cases from this index alone (covering)
        Index("ix_case_summary", "filed_at", "category", "state", "reporter_district", "taken_at"),
        # the console's search box (words anywhere in the school, subject or facts): trigram indexes,
        # PostgreSQL only (pg_trgm); SQLite scans, which is fine at its sizes
        *(Index(f"ix_case_{column}_trgm", column, postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"})
          .ddl_if(dialect="postgresql") for column in ("reporter_school", "subject", "facts")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year_be: Mapped[int]
    number: Mapped[int]
    state: Mapped[str] = mapped_column(String(20), default="new")
    category: Mapped[str] = mapped_column(String(40))
    category_other: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    occurred_at: Mapped[datetime]
    facts: Mapped[str] = mapped_column(Text)
    initial_help: Mapped[str | None] = mapped_column(Text)
    source_name: Mapped[str] = mapped_column(String(200))
    source_phone: Mapped[str | None] = mapped_column(String(32))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("reporter.id"))
    reporter_line_user_id: Mapped[str] = mapped_column(String(64), index=True)
    # A snapshot of the reporter as they were when filing; the profile may change later.
    reporter_name: Mapped[str] = mapped_column(String(200))
    reporter_position: Mapped[str] = mapped_column(String(200))
    reporter_school: Mapped[str] = mapped_column(String(200))
    reporter_district: Mapped[str] = mapped_column(String(200))
    reporter_phone: Mapped[str] = mapped_column(String(32))
    filed_at: Mapped[datetime]
    owner_officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    taken_at: Mapped[datetime | None]
    last_update_at: Mapped[datetime | None]  # the last thing an officer did: reminders count from it
    escalation_level: Mapped[int] = mapped_column(default=0)  # unanswered alerts re-sent so far
    reminded_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    closing_summary: Mapped[str | None] = mapped_column(Text)
    waiting_told_at: Mapped[datetime | None]  # the principal was told nobody has taken it yet
    occurred_time_unknown: Mapped[bool] = mapped_column(default=False)  # occurred_at is the day only
    fund_reminded_at: Mapped[datetime | None]  # the 24-hour fund deadline reminder went out
    # The memo's marks and register: None = the default for the case (see bot/paperwork/memo_marks.py),
    # "" = none, else the mark an officer chose; the ที่ from the office's register; the day first issued.
    secrecy: Mapped[str | None] = mapped_column(String(20))
    urgency: Mapped[str | None] = mapped_column(String(20))
    doc_number: Mapped[str | None] = mapped_column(String(100))
    memo_issued_on: Mapped[date | None]
    urgent: Mapped[bool] = mapped_column(default=False)  # ด่วนที่สุด: danger to life or ongoing harm
    urgent_reason: Mapped[str | None] = mapped_column(String(100))  # the word, the category, or "asked"
    details_pending: Mapped[bool] = mapped_column(default=False)  # filed first, the form is still being answered

    owner: Mapped["Officer | None"] = relationship()
    photos: Mapped[list["Photo"]] = relationship(back_populates="case", order_by="Photo.id")

    @property
    def reference(self) -> str:
        """The number people quote, e.g. 0001/2569."""
        return f"{self.number:04d}/{self.year_be}"


class CaseEntry(Base):
    """One line of a case's thread: a message either way, a note, a state change, a photo."""

    __tablename__ = "case_entry"
    # the summary counts referrals among a period's state changes
    __table_args__ = (Index("ix_case_entry_state_changes", "at", **partial("kind = 'state'")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("protection_case.id"), index=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(20))  # see bot/casework/actions.py ENTRY_KINDS
    author: Mapped[str] = mapped_column(String(20))  # reporter, officer or system
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    text: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict] = mapped_column(default=dict)
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("photo.id"))

    officer: Mapped["Officer | None"] = relationship()


class Photo(Base):
    """A photo sent in LINE: fetched soon after it arrives, cleaned of metadata, stored by content hash."""

    __tablename__ = "photo"
    __table_args__ = (Index("ix_photo_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("protection_case.id"), index=True)
    line_user_id: Mapped[str] = mapped_column(String(64), index=True)  # who sent it
    line_message_id: Mapped[str] = mapped_column(String(64), unique=True)
    direction: Mapped[str] = mapped_column(String(20), default="from_reporter")  # or to_reporter
    image_set_id: Mapped[str | None] = mapped_column(String(64))
    image_set_index: Mapped[int | None]
    # pending → stored, or rejected / gone / failed; later unsent or purged (the record stays)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    problem: Mapped[str | None] = mapped_column(String(40))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    claimed_until: Mapped[datetime | None]
    source_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    file_name: Mapped[str | None] = mapped_column(String(100))
    preview_name: Mapped[str | None] = mapped_column(String(100))
    content_type: Mapped[str | None] = mapped_column(String(40))
    width: Mapped[int | None]
    height: Mapped[int | None]
    announced: Mapped[bool] = mapped_column(default=False)  # officers have been shown it
    received_at: Mapped[datetime]
    stored_at: Mapped[datetime | None]

    case: Mapped[Case | None] = relationship(back_populates="photos")


class FundRequest(Base):
    """A request to the student aid fund for one student of a case; amounts come from the schedule."""

    __tablename__ = "fund_request"
    __table_args__ = (UniqueConstraint("case_id", "student_key", name="uq_fund_request_case_student"),
                      Index("ix_fund_request_paid", "paid_on", **partial("status = 'paid'")))  # aid paid in a period

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("protection_case.id"), index=True)
    student_label: Mapped[str] = mapped_column(String(100))  # no full name needed: "ด.ช. ก.", "คนที่ 1"
    student_key: Mapped[str] = mapped_column(String(100))  # the label without spaces and dots, for uniqueness
    student_grade: Mapped[str] = mapped_column(String(40))
    item_key: Mapped[str] = mapped_column(String(60))
    item_label: Mapped[str] = mapped_column(String(300))
    amount_baht: Mapped[int]
    payment_method: Mapped[str] = mapped_column(String(20))  # cash or transfer
    status: Mapped[str] = mapped_column(String(20), default="requested")  # → proposed → approved/refused → paid
    late: Mapped[bool] = mapped_column(default=False)  # asked for after the 24-hour window
    requested_by: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[datetime]
    proposed_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)
    paid_on: Mapped[date | None]

    case: Mapped[Case] = relationship()


class ReportRun(Base):
    """A monthly summary already pushed to supervisors, so a restart never pushes it twice."""

    __tablename__ = "report_run"

    period: Mapped[str] = mapped_column(String(20), primary_key=True)
    sent_at: Mapped[datetime]


class AuditLog(Base):
    """Who did what to which case, and when: the record the privacy rules ask for."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("protection_case.id"), index=True)
    detail: Mapped[dict] = mapped_column(default=dict)
    # Where it was done: line, console, cli or link (a signed link); the console adds the address.
    # Filled in from the unit of work's tag (bot/core/audit.py) when the code that writes the row does not.
    channel: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(64))
