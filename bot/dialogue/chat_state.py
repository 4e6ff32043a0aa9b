"""What the bot is waiting for from someone outside the report form, with an expiry."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.dialogue.engine import Chat, Progress, begin as begin_flow
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


class FlowStore:
    """Keeps a conversation's progress in the person's waiting state, expiring after the flow's minutes."""

    def __init__(self, turn, minutes: int):
        self.turn, self.minutes = turn, minutes

    def save(self, progress) -> None:
        data = {"step": progress.step, "answers": progress.answers, "editing": progress.editing,
                "data": progress.data}
        wait_for(self.turn.session, self.turn.user_id, progress.flow, data, self.turn.now, self.minutes)

    def drop(self) -> None:
        clear(self.turn.session, self.turn.user_id)


def resume(turn, flows: dict):
    """The conversation this person is in (outside the report form), ready to take their message, or None."""
    state = current(turn.session, turn.user_id, turn.now)
    flow = flows.get(state.kind) if state is not None else None
    if flow is None or "step" not in state.data:
        return None  # nothing waiting, or a state left by an older version: start afresh
    data = state.data
    progress = Progress(state.kind, data["step"], dict(data.get("answers") or {}), bool(data.get("editing")),
                        dict(data.get("data") or {}))
    return Chat(turn, flow, progress, FlowStore(turn, flow.minutes(turn.settings)))


def begin(turn, flow, data: dict | None = None, answers: dict | None = None) -> list[dict]:
    """Start a conversation kept in the waiting state (every flow but the report form)."""
    return begin_flow(turn, flow, FlowStore(turn, flow.minutes(turn.settings)), data, answers)
