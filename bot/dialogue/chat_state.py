"""What the bot is waiting for from someone outside the report form, with an expiry."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from models import ChatState


def current(session: Session, user_id: str, now: datetime) -> ChatState | None:
    """The user's waiting state, or None if there is none or it has expired."""
    state = session.get(ChatState, user_id)
    if state is not None and state.expires_at <= now:
        session.delete(state)
        return None
    return state


def wait_for(session: Session, user_id: str, kind: str, data: dict, now: datetime, minutes: int) -> ChatState:
    """Remember that the user's next message means `kind` (replacing whatever was waiting)."""
    state = session.get(ChatState, user_id)
    if state is None:
        state = ChatState(line_user_id=user_id)
        session.add(state)
    state.kind, state.data, state.expires_at = kind, data, now + timedelta(minutes=minutes)
    return state


def clear(session: Session, user_id: str) -> None:
    state = session.get(ChatState, user_id)
    if state is not None:
        session.delete(state)
        session.flush()  # so that waiting again in the same unit of work starts afresh
