"""Conversation state and the plumbing that makes LINE traffic reliable."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, partial


class Draft(Base):
    """A report being filled in: the current step and the answers so far."""

    __tablename__ = "draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64), unique=True)
    step: Mapped[str] = mapped_column(String(40))
    answers: Mapped[dict] = mapped_column(default=dict)
    editing: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime]


class ChatState(Base):
    """What the bot waits for from a person outside the form (an officer's reply, a case pick…)."""

    __tablename__ = "chat_state"

    line_user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    data: Mapped[dict] = mapped_column(default=dict)
    expires_at: Mapped[datetime]


class LineGroup(Base):
    """A LINE group of the centre's staff that gets short, anonymous notices of new cases."""

    __tablename__ = "line_group"

    group_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)
    registered_at: Mapped[datetime]


class GroupInvite(Base):
    """A one-time code that registers the group it is sent in."""

    __tablename__ = "group_invite"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    expires_at: Mapped[datetime]


class ExpiredDraftNotice(Base):
    """Marks users whose draft expired, so the bot can tell them when they come back."""

    __tablename__ = "expired_draft_notice"

    line_user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    expired_at: Mapped[datetime]


class WebhookEvent(Base):
    """An event from LINE, stored before the 200 and handled afterwards by the event worker.

    The row stays (without its payload) after handling so that a redelivered event is recognised.
    """

    __tablename__ = "webhook_event"
    __table_args__ = (Index("ix_webhook_event_pending", "handled_at", "id"),
                      # a chat's waiting events, in order, for the worker that holds the chat
                      Index("ix_webhook_event_chat_pending", "chat_key", "id", **partial("handled_at IS NULL")))

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_event_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    event_type: Mapped[str] = mapped_column(String(40))
    chat_key: Mapped[str | None] = mapped_column(String(64))  # the group, room or user: events of one are handled in order
    payload: Mapped[str | None] = mapped_column(Text)  # the event's JSON; cleared once handled
    received_at: Mapped[datetime]
    handled_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(20))  # "handled" or "failed"


class Outbox(Base):
    """A message to LINE stored with the change it announces and sent after commit."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),
                      Index("ix_outbox_pending", "id", **partial("status = 'pending'")),  # due rows among millions sent
                      Index("ix_outbox_multicast_pending", "multicast_key", **partial("status = 'pending'")))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # "reply" or "push"; "console": shown there instead
    to: Mapped[str] = mapped_column(String(64))
    reply_token: Mapped[str | None] = mapped_column(String(255))
    messages: Mapped[list] = mapped_column(default=list)
    purpose: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("protection_case.id"), index=True)
    retry_key: Mapped[str] = mapped_column(String(36), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending/sent/failed/withdrawn
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(120))  # the sending process (outbox_claims.sender_id)
    # When LINE issued the reply token, and whether a try with it may have reached LINE: then
    # "Invalid reply token" while the token was young means that try delivered the reply.
    reply_token_issued_at: Mapped[datetime | None]
    reply_unsure: Mapped[bool] = mapped_column(default=False)
    last_error: Mapped[str | None] = mapped_column(Text)
    failure_notice_to: Mapped[str | None] = mapped_column(String(64))  # told if this never arrives
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    # What LINE counted against the monthly quota for this row (1 when it went by push, 0 by reply).
    pushes: Mapped[int] = mapped_column(default=0)
    # Its messages went out with another row (a push to the same person, or their reply): "merged".
    merged_into: Mapped[int | None]
    # Why it waits without being tried: "reserve" (the quota is low) or "quota" (used up).
    held: Mapped[str | None] = mapped_column(String(10))
    # Offered to its officer's open web console until then (CONSOLE_PUSH_GRACE_SECONDS); pushed after
    # that unless the console showed it first (then kind "console", status "sent", pushes 0).
    console_until: Mapped[datetime | None]
    # Rows of one unit of work with the same messages for several users share this key: they go as
    # one LINE multicast, always all the pending ones together, with this as its X-Line-Retry-Key.
    multicast_key: Mapped[str | None] = mapped_column(String(36))


class PushBudget(Base):
    """LINE's monthly push quota and what this month used, as last read (one row, id 1)."""

    __tablename__ = "push_budget"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7))  # "2026-11", Bangkok time
    quota: Mapped[int | None]  # None: LINE sets no limit
    consumed: Mapped[int] = mapped_column(default=0)  # LINE's figure, plus our pushes since it was read
    read_at: Mapped[datetime | None]
    warned: Mapped[int] = mapped_column(default=0)  # the highest warning given this month: 0, 80 or 95
    exhausted_at: Mapped[datetime | None]  # LINE answered "You have reached your monthly limit."
    exhausted_told: Mapped[bool] = mapped_column(default=False)
