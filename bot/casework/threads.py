"""A principal's messages outside the form join the thread of their open case."""
from __future__ import annotations

from sqlalchemy import select

from bot.casework import actions as casework
from bot.dialogue import chat_state
from bot.photos import pipeline as photos
from bot.line import messages as m
from bot.core.db import by_id
from bot.dialogue.answers import Answer
from bot.casework.states import OPEN
from bot.core.texts import say
from models import Case

PICK_PREFIX = "v1:pick"
PICK_MINUTES = 30


def open_cases_of(session, user_id: str) -> list[Case]:
    """The reporter's own cases that are not closed, newest first."""
    query = select(Case).where(Case.reporter_line_user_id == user_id, Case.state.in_(OPEN)).order_by(Case.id.desc())
    return list(session.scalars(query))


def add_to_open_case(turn, answer: Answer) -> list[dict] | None:
    """Add text or a photo to the principal's open case; with several, ask which. None: no open case."""
    if answer.kind not in ("text", "image") or answer.kind == "text" and not answer.words:
        return None  # nothing visible to add: the principal is told the bot did not understand
    mine = open_cases_of(turn.session, turn.user_id)
    if not mine:
        return None
    if len(mine) == 1:
        return _add(turn, mine[0], answer)
    held = {"kind": answer.kind, "text": answer.text, "message_id": answer.message_id}
    chat_state.wait_for(turn.session, turn.user_id, "pick_case", held, turn.now, PICK_MINUTES)
    buttons = [m.postback_button(c.reference, f"{PICK_PREFIX}:{c.id}", f"เรื่อง {c.reference}") for c in mine[:12]]
    return [m.text(say("pick_case", cases=mine[:12]), buttons)]


def on_pick(turn, data: str) -> list[dict]:
    """The principal tapped which case their held message belongs to."""
    parts = data.split(":")
    waiting = chat_state.current(turn.session, turn.user_id, turn.now)
    case = by_id(turn.session, Case, parts[2]) if len(parts) == 3 else None
    if not data.startswith(f"{PICK_PREFIX}:") or waiting is None or waiting.kind != "pick_case" or case is None \
            or case.reporter_line_user_id != turn.user_id:
        return [m.text(say("button_expired"))]
    chat_state.clear(turn.session, turn.user_id)
    held = waiting.data
    return _add(turn, case, Answer(held["kind"], held.get("text", ""), held.get("message_id", "")))


def _add(turn, case: Case, answer: Answer) -> list[dict]:
    if answer.kind == "image":
        photo = photos.receive(turn.session, turn.user_id, answer.message_id, turn.now, case_id=case.id)
        return casework.from_reporter(turn.session, case, turn.now, photo_id=photo.id)
    return casework.from_reporter(turn.session, case, turn.now, text=answer.text.strip()[:2000])
